"""Checking graphs against SHACL shapes: committee submissions, reference data, and any data against any shapes.

* :mod:`vetgraph.validation.validator` - the Validator for submissions, and
  ``validate_against_shapes`` for any graph; the one module that uses pySHACL
* :mod:`vetgraph.validation.engine` - vetgraph's own SHACL Core evaluator
* :mod:`vetgraph.validation.reports` - reports as text, JSON and Turtle
* :mod:`vetgraph.validation.suggestions` - "did you mean", derived from the shapes
"""

from vetgraph.validation.validator import (
    Finding,
    SubmissionReport,
    ValidationRun,
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
