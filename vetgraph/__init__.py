"""vetgraph: a municipality's development strategy and its committees' goals as linked open data.

The library does the work; :mod:`vetgraph.cli` is a thin command-line layer over
it. The public API is what ``__all__`` lists (``docs/python-api.md`` shows it in
use); its names are imported on first use, so that ``import vetgraph`` stays fast.

The package, by folder: :mod:`vetgraph.rdf` (reading and writing RDF, formats,
the term and results codecs, atomic output), :mod:`vetgraph.store` (where
queries run), :mod:`vetgraph.validation` (SHACL), :mod:`vetgraph.followup`
(stored queries and the report), :mod:`vetgraph.publishing` (the site and
``serve``), :mod:`vetgraph.cli`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_API = {
    "Validator": "vetgraph.validation.validator",
    "SubmissionReport": "vetgraph.validation.findings",
    "ValidationRun": "vetgraph.validation.findings",
    "Finding": "vetgraph.validation.findings",
    "validate_against_shapes": "vetgraph.validation.validator",
    "validate_files_against_shapes": "vetgraph.validation.validator",
    "validate_reference": "vetgraph.validation.validator",
    "build": "vetgraph.graph",
    "Table": "vetgraph.store.table",
    "open_store": "vetgraph.store.local",
    "stored_queries": "vetgraph.followup.queries",
    "run_query": "vetgraph.followup.queries",
    "write_report": "vetgraph.followup.report",
    "publish": "vetgraph.publishing.writer",
    "make_template": "vetgraph.submissions.workflow",
    "import_spreadsheet": "vetgraph.submissions.workflow",
    "accept": "vetgraph.submissions.acceptance",
    "history": "vetgraph.submissions.history",
    "diff": "vetgraph.submissions.history",
    "open_current": "vetgraph.store.versions",
    "VetgraphError": "vetgraph.errors",
    "NotConformingError": "vetgraph.errors",
}
__all__ = [  # written out, so that tools see the names; a test checks it matches _API
    "Finding",
    "NotConformingError",
    "SubmissionReport",
    "Table",
    "ValidationRun",
    "Validator",
    "VetgraphError",
    "__version__",
    "accept",
    "build",
    "diff",
    "history",
    "import_spreadsheet",
    "make_template",
    "open_current",
    "open_store",
    "publish",
    "run_query",
    "stored_queries",
    "validate_against_shapes",
    "validate_files_against_shapes",
    "validate_reference",
    "write_report",
]

if TYPE_CHECKING:
    from vetgraph.errors import NotConformingError, VetgraphError
    from vetgraph.followup.queries import run_query, stored_queries
    from vetgraph.followup.report import write_report
    from vetgraph.graph import build
    from vetgraph.publishing.writer import publish
    from vetgraph.store.local import open_store
    from vetgraph.store.table import Table
    from vetgraph.store.versions import open_current
    from vetgraph.submissions.acceptance import accept
    from vetgraph.submissions.history import diff, history
    from vetgraph.submissions.workflow import import_spreadsheet, make_template
    from vetgraph.validation.findings import Finding, SubmissionReport, ValidationRun
    from vetgraph.validation.validator import (
        Validator,
        validate_against_shapes,
        validate_files_against_shapes,
        validate_reference,
    )


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value  # next time without this function
        return value
    raise AttributeError(f"module 'vetgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
