"""Query results as a terminal table, CSV for Swedish Excel, SPARQL JSON, or Markdown."""

from __future__ import annotations

import csv
import io
import unicodedata

from rdflib import BNode, URIRef
from rdflib.term import Node

from vetgraph import escaping
from vetgraph.namespaces import Namespaces, compact
from vetgraph.rdf import results
from vetgraph.store.table import Table

OUTPUT_FORMATS = ("table", "csv", "json", "md")


def cell(node: Node | None, *, compact_iris: bool = True, namespaces: Namespaces | None = None) -> str:
    """One value as text: IRIs compact (``ds:god-halsa``) where a prefix fits (the municipality's ``namespaces``
    and the shared ones), literals as their text."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return compact(str(node), namespaces) if compact_iris else str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def render(table: Table, output_format: str, namespaces: Namespaces | None = None) -> str:
    if output_format == "table":
        return as_text_table(table, namespaces)
    if output_format == "csv":
        return as_csv(table)
    if output_format == "json":
        return as_sparql_json(table)
    if output_format == "md":
        return as_markdown(table, namespaces)
    raise ValueError(output_format)


def _width(text: str) -> int:
    # Combining marks take no column in a terminal.
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def as_text_table(table: Table, namespaces: Namespaces | None = None) -> str:
    """Columns padded to line up in a terminal, with a header rule and a row count."""
    cells = [[escaping.table_cell(cell(v, namespaces=namespaces)) for v in row] for row in table.rows]
    widths = [max([_width(c), *(_width(row[i]) for row in cells)]) for i, c in enumerate(table.columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(table.columns), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    out.append(f"({len(cells)} rad{'er' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def as_csv(table: Table) -> str:
    """CSV as Swedish Excel opens it by double-click: UTF-8 with BOM, semicolons, CRLF, full IRIs.

    A cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …)
    starts with an apostrophe, as OWASP recommends against CSV injection.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([escaping.csv_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([escaping.csv_cell(cell(v, compact_iris=False)) for v in row])
    return "\ufeff" + buffer.getvalue()


def as_sparql_json(table: Table) -> str:
    """The W3C SPARQL 1.1 Query Results JSON Format (application/sparql-results+json)."""
    return results.to_json(table.columns, table.rows)


def as_markdown(table: Table, namespaces: Namespaces | None = None) -> str:
    """A Markdown table; text is escaped, so that a label cannot add HTML, formatting or columns."""
    out = ["| " + " | ".join(escaping.markdown(c) for c in table.columns) + " |", "|" + "---|" * len(table.columns)]
    out.extend(
        "| " + " | ".join(escaping.markdown(cell(v, namespaces=namespaces)) for v in row) + " |" for row in table.rows
    )
    return "\n".join(out) + "\n"
