"""The follow-up sheets of the template: Indikatorer, Utfall and Måluppfyllelse, to RDF and back.

A committee that does not write Turtle follows up its goals in the same workbook:
one row per measure (Indikatorer: the goal, a Kolada key figure or an own
indicator, unit, baseline, target, which direction is better), per outcome of an
own indicator (Utfall: year, gender, value, source), and per judgement
(Måluppfyllelse: the goal, delår or helår, year, status, comment, date). Rows name
their goal by its identifier or title on the Nämndmål sheet. IRIs come from the
goal, the indicator and the year, so that importing the same sheet again gives
the same graph. Every cell that cannot be read is a problem placed by sheet, row
and column; the shapes check the rest, as for goals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from vetgraph.labels import natural_order
from vetgraph.namespaces import CODES, OUTCOME_STRUCTURE, QB, VTL
from vetgraph.profile import Profile
from vetgraph.submissions.convert import CellProblem, Imported, slug
from vetgraph.submissions.rows import Row
from vetgraph.submissions.spreadsheet import Column, SheetSpec

INDICATORS, OUTCOMES, JUDGEMENTS = "Indikatorer", "Utfall", "Måluppfyllelse"
KOLADA_ID = re.compile(r"^[NU]\d{5}$")
# A choice's name in the sheet -> its concept in the shared code lists (data/kodlistor.ttl, under CODES).
BETTER = {"högre": "onskad-riktning/hogre", "lägre": "onskad-riktning/lagre"}
GENDERS = {"Totalt": "kon/T", "Kvinnor": "kon/K", "Män": "kon/M"}
OCCASIONS = {"Delår": "uppfoljningstillfalle/delar", "Helår": "uppfoljningstillfalle/helar"}
STATUSES = {
    "Uppfyllt": "maluppfyllelse/uppfyllt",
    "Delvis uppfyllt": "maluppfyllelse/delvis-uppfyllt",
    "Ej uppfyllt": "maluppfyllelse/ej-uppfyllt",
    "Ej bedömt": "maluppfyllelse/ej-bedomt",
}

GOAL, KOLADA, OWN, UNIT = "Nämndmål", "Kolada-id", "Egen indikator", "Enhet"
BASE_YEAR, BASE, TARGET, TARGET_YEAR, BETTER_WHEN = "Basår", "Basvärde", "Målvärde", "Målår", "Bättre när"
INDICATOR, YEAR, GENDER, VALUE, SOURCE = "Indikator", "År", "Kön", "Värde", "Källa"
OCCASION, STATUS, COMMENT, JUDGED = "Uppföljning", "Status", "Kommentar", "Bedömd datum"


def sheets(rows: dict[str, list[dict[str, str]]] | None = None) -> list[SheetSpec]:
    """The three sheets as the template writes them, with ``rows`` (sheet -> filled rows) if given."""
    rows = rows or {}
    return [
        SheetSpec(
            INDICATORS,
            "Ett mått per rad: vilket nämndmål, ett nyckeltal i Kolada (t.ex. N00914) eller en egen indikator, "
            "enhet, utgångsläge, målvärde och målår.",
            [
                Column(GOAL, True),
                Column(KOLADA),
                Column(OWN),
                Column(UNIT, True),
                Column(BASE_YEAR),
                Column(BASE),
                Column(TARGET, True),
                Column(TARGET_YEAR, True),
                Column(BETTER_WHEN, True, list(BETTER)),
            ],
            rows.get(INDICATORS, []),
        ),
        SheetSpec(
            OUTCOMES,
            "Ett utfall per rad för nämndens egna indikatorer (Koladas hämtas med vetgraph kolada fetch).",
            [
                Column(INDICATOR, True),
                Column(YEAR, True),
                Column(GENDER, False, list(GENDERS)),
                Column(VALUE, True),
                Column(SOURCE, True),
            ],
            rows.get(OUTCOMES, []),
        ),
        SheetSpec(
            JUDGEMENTS,
            "En bedömning per rad: vilket nämndmål, delår eller helår, år, status och en kommentar.",
            [
                Column(GOAL, True),
                Column(OCCASION, True, list(OCCASIONS)),
                Column(YEAR, True),
                Column(STATUS, True, list(STATUSES)),
                Column(COMMENT, True),
                Column(JUDGED, True),
            ],
            rows.get(JUDGEMENTS, []),
        ),
    ]


@dataclass
class _Reader:
    imported: Imported
    profile: Profile
    goals: dict[str, URIRef]  # identifier or title (folded) -> goal
    own: dict[str, URIRef]  # own indicator title (folded) -> IRI
    own_goal: dict[URIRef, URIRef]  # own indicator -> the goal whose measure named it first

    def problem(self, row: Row, column: str | None, message: str) -> None:
        self.imported.problems.append(CellProblem(row, column, row.cells.get(column or ""), message))

    def text(self, row: Row, column: str, required: bool = True) -> str | None:
        value = row.cells.get(column)
        if value is None and required:
            self.problem(row, column, f"{column.lower()} saknas; fyll i kolumnen")
        return value

    def number(self, row: Row, column: str, required: bool = True) -> Decimal | None:
        text = self.text(row, column, required)
        if text is None:
            return None
        try:
            return Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            self.problem(row, column, f"'{text}' är inget tal; skriv t.ex. 72,5")
            return None

    def year(self, row: Row, column: str, required: bool = True) -> int | None:
        text = self.text(row, column, required)
        if text is None:
            return None
        if re.fullmatch(r"(19|20)\d\d(\.0)?", text):
            return int(float(text))
        self.problem(row, column, f"'{text}' är inget årtal; skriv t.ex. 2025")
        return None

    def iri(self, path: str) -> URIRef:
        """The municipality's resource ``{base}id/{path}``."""
        return self.profile.namespaces.id[path]

    def choice(self, row: Row, column: str, choices: dict[str, str], default: str | None = None) -> URIRef | None:
        text = row.cells.get(column, default)
        if text is None:
            self.problem(row, column, f"{column.lower()} saknas; välj {' eller '.join(choices)}")
            return None
        for name, path in choices.items():
            if name.casefold() == text.casefold():
                return CODES[path]
        self.problem(row, column, f"'{text}' finns inte; välj {' eller '.join(choices)}")
        return None

    def goal(self, row: Row) -> URIRef | None:
        text = self.text(row, GOAL)
        if text is None:
            return None
        goal = self.goals.get(_fold(text))
        if goal is not None:
            self.imported.goal_of_follow_up[(row.sheet, row.number)] = goal
        else:
            self.problem(
                row, GOAL, f"'{text}' är inget nämndmål på bladet Nämndmål; skriv målets identifierare eller titel"
            )
        return goal


def add_follow_up(imported: Imported, rows: dict[str, list[Row]], profile: Profile) -> None:
    """Add the follow-up sheets' rows to ``imported`` (its goals already read from the Nämndmål sheet)."""
    graph = imported.graph
    names: dict[str, URIRef] = {}
    for goal in imported.rows:
        for key in (graph.value(goal, DCTERMS.identifier), graph.value(goal, DCTERMS.title)):
            if key is not None:
                names.setdefault(_fold(str(key)), goal)
    reader = _Reader(imported, profile, names, {}, {})
    measures_of: dict[URIRef, int] = {}
    for row in rows.get(INDICATORS, []):
        _measure(reader, row, measures_of)
    for row in rows.get(OUTCOMES, []):
        _outcome(reader, row)
    for row in rows.get(JUDGEMENTS, []):
        _judgement(reader, row)


def _committee_of(graph: Graph, goal: URIRef) -> URIRef | None:
    committee = graph.value(goal, VTL.ansvarigNamnd)
    return committee if isinstance(committee, URIRef) else None


def _measure(reader: _Reader, row: Row, measures_of: dict[URIRef, int]) -> None:
    graph = reader.imported.graph
    goal = reader.goal(row)
    kolada, own = row.cells.get(KOLADA), row.cells.get(OWN)
    unit, target, target_year = reader.text(row, UNIT), reader.number(row, TARGET), reader.year(row, TARGET_YEAR)
    base, base_year = reader.number(row, BASE, False), reader.year(row, BASE_YEAR, False)
    better = reader.choice(row, BETTER_WHEN, BETTER)
    indicator: URIRef | None = None
    if kolada and own:
        reader.problem(row, OWN, "ange antingen ett Kolada-id eller en egen indikator, inte båda")
    elif kolada:
        if KOLADA_ID.match(kolada.strip().upper()):
            indicator = reader.iri(f"indikator/kolada/{kolada.strip().upper()}")
        else:
            reader.problem(
                row, KOLADA, f"'{kolada}' är inget Kolada-id; ett id är N eller U och fem siffror, t.ex. N00914"
            )
    elif own:
        indicator = _own_indicator(reader, graph, goal, own, row)
    else:
        reader.problem(row, KOLADA, "ange ett Kolada-id (t.ex. N00914) eller en egen indikator")
    if goal is None or indicator is None or unit is None or target is None or target_year is None or better is None:
        return
    measures_of[goal] = measures_of.get(goal, 0) + 1
    measure = reader.iri(f"matt/{str(goal).rsplit('/', 1)[-1]}-{measures_of[goal]}")
    reader.imported.follow_up_rows[measure] = row
    graph.add((goal, VTL.matt, measure))
    graph.add((measure, RDF.type, VTL.Matt))
    graph.add((measure, VTL.indikator, indicator))
    graph.add((measure, VTL.enhet, Literal(unit)))
    graph.add((measure, VTL.malvarde, Literal(target)))
    graph.add((measure, VTL.malar, Literal(target_year)))
    graph.add((measure, VTL.onskadRiktning, better))
    if base is not None:
        graph.add((measure, VTL.basvarde, Literal(base)))
    if base_year is not None:
        graph.add((measure, VTL.basar, Literal(base_year)))


def _own_indicator(reader: _Reader, graph: Graph, goal: URIRef | None, title: str, row: Row) -> URIRef | None:
    if _fold(title) in reader.own:
        return reader.own[_fold(title)]
    committee = _committee_of(graph, goal) if goal is not None else None
    if committee is None:
        return None
    indicator = reader.iri(f"indikator/{str(committee).rsplit('/', 1)[-1]}-{slug(title)[:60]}")
    reader.own[_fold(title)] = indicator
    if goal is not None:
        reader.own_goal[indicator] = goal
    graph.add((indicator, RDF.type, VTL.Indikator))
    graph.add((indicator, DCTERMS.title, Literal(title, lang="sv")))
    return indicator


def _outcome(reader: _Reader, row: Row) -> None:
    graph = reader.imported.graph
    name = reader.text(row, INDICATOR)
    year, value, source = reader.year(row, YEAR), reader.number(row, VALUE), reader.text(row, SOURCE)
    gender = reader.choice(row, GENDER, GENDERS, default="Totalt")
    indicator = None
    if name is not None:
        if KOLADA_ID.match(name.strip().upper()):
            indicator = reader.iri(f"indikator/kolada/{name.strip().upper()}")
        else:
            indicator = reader.own.get(_fold(name))
            if indicator in reader.own_goal:
                reader.imported.goal_of_follow_up[(row.sheet, row.number)] = reader.own_goal[indicator]
            if indicator is None:
                reader.problem(row, INDICATOR, f"'{name}' är ingen indikator på bladet {INDICATORS}; skriv dess namn "
                                               "eller Kolada-id som där")  # fmt: skip
    if indicator is None or year is None or value is None or source is None or gender is None:
        return
    committee = next(iter(graph.objects(None, VTL.ansvarigNamnd)), None)
    dataset = reader.iri(f"dataset/utfall-{str(committee).rsplit('/', 1)[-1] if committee else 'namnd'}")
    if (dataset, RDF.type, QB.DataSet) not in graph:
        graph.add((dataset, RDF.type, QB.DataSet))
        graph.add((dataset, QB.structure, OUTCOME_STRUCTURE))
    key_figure, gender_code = str(indicator).rsplit("/", 1)[-1], str(gender).rsplit("/", 1)[-1]
    observation = reader.iri(f"utfall/{key_figure}/{reader.profile.code}/{year}/{gender_code}")
    reader.imported.follow_up_rows[observation] = row
    graph.add((observation, RDF.type, QB.Observation))
    graph.add((observation, QB.dataSet, dataset))
    graph.add((observation, VTL.indikator, indicator))
    graph.add((observation, VTL.kommun, reader.profile.municipality))
    graph.add((observation, VTL.ar, Literal(year)))
    graph.add((observation, VTL.kon, gender))
    graph.add((observation, VTL.varde, Literal(value)))
    graph.add((observation, DCTERMS.source, Literal(source)))


def _judgement(reader: _Reader, row: Row) -> None:
    graph = reader.imported.graph
    goal = reader.goal(row)
    occasion, year = reader.choice(row, OCCASION, OCCASIONS), reader.year(row, YEAR)
    status, comment = reader.choice(row, STATUS, STATUSES), reader.text(row, COMMENT)
    judged = reader.text(row, JUDGED)
    when = None
    if judged is not None:
        try:
            when = date.fromisoformat(judged[:10])
        except ValueError:
            reader.problem(row, JUDGED, f"'{judged}' är inget datum; skriv t.ex. 2025-09-18")
    if goal is None or occasion is None or year is None or status is None or comment is None or when is None:
        return
    judgement = reader.iri(f"bedomning/{str(goal).rsplit('/', 1)[-1]}/{year}-{str(occasion).rsplit('/', 1)[-1]}")
    reader.imported.follow_up_rows[judgement] = row
    graph.add((judgement, RDF.type, VTL.Bedomning))
    graph.add((judgement, VTL.avserMal, goal))
    graph.add((judgement, VTL.uppfoljningstillfalle, occasion))
    graph.add((judgement, VTL.ar, Literal(year)))
    graph.add((judgement, VTL.maluppfyllelse, status))
    graph.add((judgement, RDFS.comment, Literal(comment, lang="sv")))
    committee = _committee_of(graph, goal)
    if committee is not None:
        graph.add((judgement, PROV.wasAttributedTo, committee))
    graph.add((judgement, PROV.generatedAtTime, Literal(f"{when.isoformat()}T00:00:00", datatype=XSD.dateTime)))


# ---------------------------------------------------------------- back: a submission's follow-up as rows


def graph_to_rows(submission: Graph, profile: Profile) -> dict[str, list[dict[str, str]]]:
    """The follow-up of ``submission`` as rows of the three sheets (the reverse of :func:`add_follow_up`)."""
    ids = profile.namespaces.id

    def name_of(choices: dict[str, str], iri: Node | None) -> str:
        return next((name for name, path in choices.items() if CODES[path] == iri), "")

    goals = sorted(
        (g for g in submission.subjects(RDF.type, VTL.Namndmal) if isinstance(g, URIRef)),
        key=lambda g: natural_order(str(submission.value(g, DCTERMS.identifier) or g)),
    )
    names = {g: str(submission.value(g, DCTERMS.identifier) or submission.value(g, DCTERMS.title) or g) for g in goals}
    result: dict[str, list[dict[str, str]]] = {INDICATORS: [], OUTCOMES: [], JUDGEMENTS: []}
    own_names: dict[Node, str] = {}
    for goal in goals:
        for measure in sorted(submission.objects(goal, VTL.matt), key=natural_order):
            indicator = submission.value(measure, VTL.indikator)
            if indicator is None:
                continue
            row = {GOAL: names[goal]}
            if str(indicator).startswith(str(ids["indikator/kolada/"])):
                row[KOLADA] = str(indicator).rsplit("/", 1)[-1]
            else:
                own_names[indicator] = _sv(submission, indicator, DCTERMS.title) or str(indicator)
                row[OWN] = own_names[indicator]
            for column, predicate in ((UNIT, VTL.enhet), (BASE_YEAR, VTL.basar), (BASE, VTL.basvarde),
                                      (TARGET, VTL.malvarde), (TARGET_YEAR, VTL.malar)):  # fmt: skip
                value = submission.value(measure, predicate)
                if value is not None:
                    row[column] = str(value)
            better = submission.value(measure, VTL.onskadRiktning)
            row[BETTER_WHEN] = name_of(BETTER, better)
            result[INDICATORS].append(row)
    for observation in sorted(submission.subjects(RDF.type, QB.Observation), key=natural_order):
        indicator = submission.value(observation, VTL.indikator)
        name = (own_names.get(indicator) if indicator is not None else None) or str(indicator).rsplit("/", 1)[-1]
        gender = submission.value(observation, VTL.kon)
        result[OUTCOMES].append({
            INDICATOR: name,
            YEAR: str(submission.value(observation, VTL.ar)),
            GENDER: name_of(GENDERS, gender),
            VALUE: str(submission.value(observation, VTL.varde)),
            SOURCE: str(submission.value(observation, DCTERMS.source) or ""),
        })  # fmt: skip
    for judgement in sorted(submission.subjects(RDF.type, VTL.Bedomning), key=natural_order):
        judged_goal = submission.value(judgement, VTL.avserMal)
        occasion, status = (submission.value(judgement, p) for p in (VTL.uppfoljningstillfalle, VTL.maluppfyllelse))
        result[JUDGEMENTS].append({
            GOAL: names.get(judged_goal, str(judged_goal)) if isinstance(judged_goal, URIRef) else "",
            OCCASION: name_of(OCCASIONS, occasion),
            YEAR: str(submission.value(judgement, VTL.ar)),
            STATUS: name_of(STATUSES, status),
            COMMENT: _sv(submission, judgement, RDFS.comment),
            JUDGED: str(submission.value(judgement, PROV.generatedAtTime) or "")[:10],
        })  # fmt: skip
    return result


def _sv(graph: Graph, node: Node, predicate: URIRef) -> str:
    return next((str(v) for v in graph.objects(node, predicate) if getattr(v, "language", None) in ("sv", None)), "")


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
