"""SPARQL 1.1 query results in the W3C formats (JSON, XML, CSV, TSV), written and read.

Terms are encoded by :mod:`vetgraph.rdf.terms`. A result is ``columns`` (the
variable names; ``["ask"]`` with one boolean row for an ASK query) and ``rows``
of terms, ``None`` where a variable is unbound.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from rdflib import Literal
from rdflib.term import Node

from vetgraph import escaping
from vetgraph.errors import VetgraphError
from vetgraph.rdf import terms

Rows = Sequence[Sequence[Node | None]]


def is_ask(columns: Sequence[str], rows: Rows) -> bool:
    return list(columns) == ["ask"] and len(rows) == 1 and isinstance(rows[0][0], Literal)


def to_json(columns: Sequence[str], rows: Rows) -> str:
    """``application/sparql-results+json``; control characters are escaped, so it is safe in a terminal too."""
    if is_ask(columns, rows):
        answer = rows[0][0]
        assert isinstance(answer, Literal)
        return json.dumps({"head": {}, "boolean": bool(answer.toPython())}, indent=2) + "\n"
    bindings = [
        {column: terms.to_sparql_json(value) for column, value in zip(columns, row, strict=True) if value is not None}
        for row in rows
    ]
    document = {"head": {"vars": list(columns)}, "results": {"bindings": bindings}}
    return escaping.controls(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def to_xml(columns: Sequence[str], rows: Rows) -> str:
    """``application/sparql-results+xml``."""
    head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    if is_ask(columns, rows):
        answer = rows[0][0]
        assert isinstance(answer, Literal)
        return head + f"  <head/>\n  <boolean>{'true' if answer.toPython() else 'false'}</boolean>\n</sparql>\n"
    out = [head + "  <head>", *(f"    <variable name={quoteattr(c)}/>" for c in columns), "  </head>\n  <results>"]
    for row in rows:
        out.append("    <result>")
        for column, value in zip(columns, row, strict=True):
            if value is not None:
                out.append(f"      <binding name={quoteattr(column)}>{terms.to_sparql_xml(value)}</binding>")
        out.append("    </result>")
    out.append("  </results>\n</sparql>\n")
    return escaping.controls("\n".join(out))


def to_csv(columns: Sequence[str], rows: Rows) -> str:
    """``text/csv`` as SPARQL 1.1 defines it (for programs; ``vetgraph query --format csv`` is for Excel)."""
    if is_ask(columns, rows):
        raise ValueError("ASK results have no CSV or TSV form")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escaping.controls(c) for c in columns])
    for row in rows:
        writer.writerow([escaping.controls(terms.to_csv(v)) for v in row])
    return buffer.getvalue()  # the cells are escaped; the CRLF line ends are the format's


def to_tsv(columns: Sequence[str], rows: Rows) -> str:
    """``text/tab-separated-values`` as SPARQL 1.1 defines it."""
    if is_ask(columns, rows):
        raise ValueError("ASK results have no CSV or TSV form")
    lines = ["\t".join("?" + c for c in columns)]
    lines.extend("\t".join(terms.to_tsv(v) for v in row) for row in rows)
    return escaping.controls("\n".join(lines)) + "\n"


WRITERS = {
    "application/sparql-results+json": to_json,
    "application/sparql-results+xml": to_xml,
    "text/csv": to_csv,
    "text/tab-separated-values": to_tsv,
}


def parse_json(document: object, *, source: str) -> tuple[list[str], list[list[Node | None]]]:
    """Columns and rows of a SPARQL 1.1 JSON results document, or an error naming the first wrong field."""

    def wrong(field: str, expected: str) -> VetgraphError:
        return VetgraphError(f"the answer is not SPARQL JSON results: {field} should be {expected}", path=source)

    if not isinstance(document, dict):
        raise wrong("the answer", "a JSON object")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise wrong("boolean", "true or false")
        return ["ask"], [[Literal(document["boolean"])]]
    head, results = document.get("head"), document.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars"), list):
        raise wrong("head.vars", "a list of variable names")
    if not all(isinstance(v, str) for v in head["vars"]):
        raise wrong("head.vars", "a list of strings")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise wrong("results.bindings", "a list")
    columns: list[str] = head["vars"]
    rows: list[list[Node | None]] = []
    for index, binding in enumerate(results["bindings"]):
        if not isinstance(binding, dict):
            raise wrong(f"results.bindings[{index}]", "an object")
        for name, value in binding.items():
            _check_binding(value, f"results.bindings[{index}].{name}", wrong)
        rows.append([terms.from_sparql_json(binding.get(column)) for column in columns])
    return columns, rows


def _check_binding(value: Any, field: str, wrong: Any) -> None:
    if not isinstance(value, dict) or value.get("type") not in ("uri", "bnode", "literal", "typed-literal"):
        raise wrong(field, 'an object with "type" uri, bnode or literal')
    if not isinstance(value.get("value"), str):
        raise wrong(field + ".value", "a string")
    for key in ("xml:lang", "datatype"):
        if key in value and not isinstance(value[key], str):
            raise wrong(f"{field}.{key}", "a string")
