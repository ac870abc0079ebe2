"""Filled spreadsheet rows into a submission graph: Swedish names into IRIs, every problem placed by sheet, row and column.

A goal's IRI comes from its committee, its mandate period and its identifier (or
else its title), so that importing the same sheet again gives the same IRIs.
A name that matches nothing gets the closest valid names ("Menade du …?").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from rdflib import RDF, Graph, Literal, URIRef

from vetgraph.errors import VetgraphError
from vetgraph.labels import natural_order
from vetgraph.namespaces import VTL, Namespaces
from vetgraph.submissions.fields import Field
from vetgraph.submissions.rows import Row


@dataclass(frozen=True)
class CellProblem:
    """A cell vetgraph could not turn into RDF, and what to write instead."""

    row: Row
    column: str | None
    value: str | None
    message: str  # Swedish
    path: URIRef | None = None  # the property the cell was for

    def __str__(self) -> str:
        return f"{self.row.where(self.column)}: {self.message}"


@dataclass
class Imported:
    graph: Graph
    problems: list[CellProblem] = field(default_factory=list)
    rows: dict[URIRef, Row] = field(default_factory=dict)  # goal -> the row it came from
    follow_up_rows: dict[URIRef, Row] = field(default_factory=dict)  # measure, outcome, judgement -> its row
    goal_of_follow_up: dict[tuple[str, int], URIRef] = field(default_factory=dict)  # (sheet, row) -> its goal

    def row_of(self) -> dict[URIRef, Row]:
        """Every resource made from a row (goals and their follow-up) -> that row."""
        return {**self.rows, **self.follow_up_rows}


def rows_to_graph(rows: list[Row], fields: list[Field], namespaces: Namespaces) -> Imported:
    """The goals of the Nämndmål sheet's ``rows``, named under the municipality's ``namespaces``."""
    imported = Imported(graph=namespaces.bind(Graph()))
    known = {column for f in fields for column in f.columns}
    # The template fills in the committee and the period on every row: such a row alone is no goal.
    preset = {f.header for f in fields if f.path in (VTL.ansvarigNamnd, VTL.mandatperiod)}
    for row in rows:
        if set(row.cells) <= preset:
            continue
        for column in row.cells:
            if column not in known:
                closest = difflib.get_close_matches(column, sorted(known), n=1, cutoff=0.6)
                hint = f" Menade du '{closest[0]}'?" if closest else " Använd mallens rubriker."
                imported.problems.append(
                    CellProblem(row, column, None, f"kolumnen '{column}' finns inte i mallen.{hint}")
                )
        values: dict[URIRef, list[URIRef | Literal]] = {}
        for f in fields:
            for column in f.columns:
                text = row.cells.get(column)
                if text is None:
                    continue
                if not f.is_link and column in row.numbers and f.path != _IDENTIFIER:
                    # a number where text belongs: most often a value typed into the wrong column
                    imported.problems.append(
                        CellProblem(
                            row,
                            column,
                            text,
                            f"cellen innehåller talet {text}, inte text; skriv {f.header.lower()}",
                            f.path,
                        )
                    )
                    continue
                if not f.is_link:
                    values.setdefault(f.path, []).append(
                        Literal(text, lang="sv") if f.path != _IDENTIFIER else Literal(text)
                    )
                    continue
                iri = _resolve(text, f, namespaces)
                if iri is None:
                    imported.problems.append(CellProblem(row, column, text, _unknown(text, f), f.path))
                else:
                    values.setdefault(f.path, []).append(iri)
        goal = _goal_iri(row, values, namespaces)
        if goal in imported.rows:
            first = imported.rows[goal]
            imported.problems.append(
                CellProblem(row, None, None, f"samma nämndmål som rad {first.number} (samma nämnd, period och titel)")
            )
            continue
        imported.rows[goal] = row
        imported.graph.add((goal, RDF.type, VTL.Namndmal))
        for path, objects in values.items():
            for value in objects:
                imported.graph.add((goal, path, value))
    return imported


_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")


def _resolve(text: str, f: Field, namespaces: Namespaces) -> URIRef | None:
    if text in f.choices:
        return f.choices[text]
    folded = {_fold(label): iri for label, iri in f.choices.items()}
    if _fold(text) in folded:  # differences in case or spaces only
        return folded[_fold(text)]
    iri = URIRef(text) if text.startswith(("http://", "https://")) else namespaces.expand(text)
    return URIRef(iri) if iri is not None and URIRef(iri) in f.choices.values() else None


def _unknown(text: str, f: Field) -> str:
    closest = difflib.get_close_matches(text, list(f.choices), n=3, cutoff=0.6)
    if closest:
        return f"'{text}' finns inte. Menade du {' eller '.join(repr(c) for c in closest)}?"
    return f"'{text}' finns inte bland värdena för {f.header}; välj ur listan i mallen."


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _goal_iri(row: Row, values: dict[URIRef, list[URIRef | Literal]], namespaces: Namespaces) -> URIRef:
    committee = values.get(VTL.ansvarigNamnd, [None])[0]
    period = values.get(VTL.mandatperiod, [None])[0]
    key = values.get(_IDENTIFIER, values.get(URIRef("http://purl.org/dc/terms/title"), [None]))[0]
    parts = [
        slug(str(committee).rsplit("/", 1)[-1]) if committee else "namnd",
        slug(str(period).rsplit("/", 1)[-1]) if period else "period",
        slug(str(key))[:60] if key else f"rad-{row.number}",
    ]
    return namespaces.id["namndmal/" + "-".join(parts)]


def slug(text: str) -> str:
    """``text`` as an IRI segment: ASCII letters and digits, words joined by hyphens ("Fler äldre" -> "fler-aldre")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def graph_to_rows(submission: Graph, fields: list[Field]) -> list[dict[str, str]]:
    """Each goal of ``submission`` as a filled template row (column header -> cell text), in identifier order.

    The reverse of :func:`rows_to_graph`: links become their Swedish names from the
    template's lists, texts their Swedish (or untagged) value. A link the lists do
    not have, or more values than a field has columns, is an error naming the goal.
    """
    goals = {g for g in submission.subjects(RDF.type, VTL.Namndmal) if isinstance(g, URIRef)}
    rows = []
    for goal in sorted(goals, key=lambda g: natural_order(str(submission.value(g, _IDENTIFIER) or g))):
        row: dict[str, str] = {}
        for f in fields:
            values = list(submission.objects(goal, f.path))
            if f.is_link:
                names = {iri: name for name, iri in f.choices.items()}
                unknown = [v for v in values if v not in names]
                if unknown:
                    raise VetgraphError(f"<{goal}>: {f.header} <{unknown[0]}> is not in the template's list")
                texts = sorted(names[v] for v in values if isinstance(v, URIRef))
            else:
                texts = [str(v) for v in values if isinstance(v, Literal) and v.language in (None, "sv")][:1]
            if len(texts) > len(f.columns):
                raise VetgraphError(
                    f"<{goal}> has {len(texts)} values for {f.header}; the template has room for {len(f.columns)}"
                )
            row.update(zip(f.columns, texts, strict=False))
        rows.append(row)
    return rows
