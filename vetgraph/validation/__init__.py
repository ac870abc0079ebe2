"""Checking graphs against SHACL shapes: committee submissions, reference data, and any data against any shapes.

* :mod:`vetgraph.validation.validator` - the Validator for submissions, and
  ``validate_against_shapes`` for any graph
* :mod:`vetgraph.validation.findings` - findings, reports and the standard SHACL report graph
* :mod:`vetgraph.validation.engine` - vetgraph's own SHACL Core evaluator
* :mod:`vetgraph.validation.pyshacl_runner` - pySHACL, for what the evaluator leaves to it
* :mod:`vetgraph.validation.reports` - reports as text, JSON and Turtle
* :mod:`vetgraph.validation.suggestions` - "did you mean", derived from the shapes
"""

from vetgraph.validation.findings import Finding, SubmissionReport, ValidationRun
from vetgraph.validation.validator import (
    Validator,
    check_against,
    validate_against_shapes,
    validate_files_against_shapes,
    validate_reference,
)

__all__ = [
    "Finding",
    "SubmissionReport",
    "ValidationRun",
    "Validator",
    "check_against",
    "validate_against_shapes",
    "validate_files_against_shapes",
    "validate_reference",
]
