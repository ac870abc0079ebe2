"""Committee submissions from spreadsheets: the fields (from the shapes), the template, reading and importing.

* :mod:`vetgraph.submissions.fields` - a nämndmål's fields, derived from the shapes and the reference data
* :mod:`vetgraph.submissions.spreadsheet` - the template written, filled sheets read (the one module using openpyxl)
* :mod:`vetgraph.submissions.convert` - filled rows into RDF, problems placed by sheet, row and column
* :mod:`vetgraph.submissions.workflow` - ``make_template`` and ``import_spreadsheet``

This package's own module is light (no openpyxl), so that telling a spreadsheet
by its name costs nothing.
"""

from __future__ import annotations

from pathlib import Path

SPREADSHEET_SUFFIXES = (".xlsx", ".csv")
# Spreadsheets vetgraph does not read, but recognises, to say how to save them instead.
OTHER_SPREADSHEET_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")


def is_spreadsheet(path: str | Path) -> bool:
    """A spreadsheet by its name: one vetgraph reads, or one it can say how to re-save."""
    return Path(path).suffix.lower() in (*SPREADSHEET_SUFFIXES, *OTHER_SPREADSHEET_SUFFIXES)
