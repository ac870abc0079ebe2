"""Goal fulfilment for the report: each goal's measures, outcomes and judgements, and roll-ups of its status.

It reads two stored queries (``maluppfyllelse``: the committees' judgements;
``matt-utfall``: measures and their outcomes), so ``vetgraph query`` gives the same
rows the report shows. A goal's status is that of its latest judgement (helår
after delår of the same year); a goal without one is "ej bedömt". Roll-ups count
each goal once per committee, KF-mål, riktning, perspective, RUS area and global
goal it is linked to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib.term import Node

from vetgraph.followup import charts, tables
from vetgraph.html import Markup
from vetgraph.labels import natural_order

Row = Mapping[str, Node | None]


@dataclass(frozen=True)
class Status:
    key: str  # the local name of the status in vid:maluppfyllelse
    label: str
    icon: str  # a symbol that differs in shape, so that colour is never the only cue
    colour: str


# In the order a reader scans them; the keys are those of data/uppfoljning.ttl.
STATUSES = (
    Status("uppfyllt", "Uppfyllt", "✔", "#1a7f37"),
    Status("delvis-uppfyllt", "Delvis uppfyllt", "◐", "#9a6700"),
    Status("ej-uppfyllt", "Ej uppfyllt", "✖", "#cf222e"),
    Status("ej-bedomt", "Ej bedömt", "?", "#57606a"),
)
BY_KEY = {status.key: status for status in STATUSES}
NOT_JUDGED = BY_KEY["ej-bedomt"]


@dataclass(frozen=True)
class Judgement:
    occasion: str  # "Helår 2024"
    status: Status
    comment: str
    by: str
    when: str  # the date


@dataclass(frozen=True)
class Measure:
    indicator: str
    indicator_iri: str
    unit: str
    baseline: str  # "61,0 (2022)" or ""
    target: str  # "68,0 år 2026"
    better: str  # "högre är bättre"
    source: str
    chart: Markup
    years: list[int]
    genders: list[str]  # the genders with outcomes, in the order T, K, M
    values: dict[tuple[int, str], str]  # (year, gender) -> value as written in Swedish


@dataclass(frozen=True)
class GoalFollowUp:
    iri: str
    title: str
    committee: str
    committee_iri: str
    status: Status
    occasion: str  # of the latest judgement, or ""
    judgements: list[Judgement] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@dataclass(frozen=True)
class RollUpRow:
    name: str
    counts: list[int]  # per status, in the order of STATUSES
    goals: list[GoalFollowUp]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class RollUp:
    anchor: str
    title: str
    heading: str  # the first column's heading
    rows: list[RollUpRow]


GENDERS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}


def goals(judgement_rows: Iterable[Row], measure_rows: Iterable[Row]) -> dict[str, GoalFollowUp]:
    """Every goal of the period with its latest status, its judgements and its measures, by goal IRI."""
    found: dict[str, tuple[str, str, str]] = {}  # goal -> title, committee, committee IRI
    judged: dict[str, list[tuple[tuple[int, str], Judgement]]] = defaultdict(list)
    for row in judgement_rows:
        iri = str(row["namndmal"])
        found.setdefault(iri, (_text(row["titel"]), _text(row["namndNamn"]), str(row["namnd"])))
        if row["status"] is None:
            continue
        year = int(str(row["ar"]))
        occasion = _text(row["tillfalleNamn"])
        order = (year, str(row["tillfalle"]).rsplit("/", 1)[-1])  # delar before helar in the same year
        status = BY_KEY.get(str(row["status"]).rsplit("/", 1)[-1], NOT_JUDGED)
        judged[iri].append(
            (order, Judgement(f"{occasion} {year}", status, _text(row["kommentar"]), _text(row["bedomdAv"]),
                              _text(row["bedomd"])[:10]))
        )  # fmt: skip
    measures = _measures(measure_rows)
    result = {}
    for iri, (title, committee, committee_iri) in found.items():
        history = [j for _, j in sorted(judged.get(iri, []), key=lambda item: item[0])]
        latest = history[-1] if history else None
        result[iri] = GoalFollowUp(
            iri=iri,
            title=title,
            committee=committee,
            committee_iri=committee_iri,
            status=latest.status if latest else NOT_JUDGED,
            occasion=latest.occasion if latest else "",
            judgements=history,
            measures=measures.get(iri, []),
        )
    return result


def roll_up(
    anchor: str, title: str, heading: str, members: Mapping[str, Iterable[str]], by_goal: Mapping[str, GoalFollowUp]
) -> RollUp:
    """Count the statuses of the goals under each name (a committee, a KF-mål ...); each goal once per name."""
    rows = []
    for name, iris in members.items():
        goals_here = sorted({by_goal[i].iri: by_goal[i] for i in iris if i in by_goal}.values(), key=_goal_order)
        counts = [sum(1 for g in goals_here if g.status == status) for status in STATUSES]
        rows.append(RollUpRow(name, counts, goals_here))
    return RollUp(anchor, title, heading, rows)


def _goal_order(goal: GoalFollowUp) -> tuple[object, ...]:
    # goals with the same title (a committee's copies across periods, bulk data) by IRI, so that every run
    # lists them alike, not in the order of a set
    return goal.committee, goal.title, natural_order(goal.iri)


def _measures(rows: Iterable[Row]) -> dict[str, list[Measure]]:
    grouped: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[(str(row["namndmal"]), str(row["matt"]))].append(row)
    result: dict[str, list[Measure]] = defaultdict(list)
    for (goal, _measure), measure_rows in grouped.items():
        first = measure_rows[0]
        unit = _text(first["enhet"])
        target, target_year = _number(first["malvarde"]), int(str(first["malar"]))
        baseline = _number(first["basvarde"]) if first["basvarde"] is not None else None
        base_year = int(str(first["basar"])) if first["basar"] is not None else None
        points: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
        values: dict[tuple[int, str], str] = {}
        sources = set()
        for row in measure_rows:
            if row["ar"] is None or row["varde"] is None:
                continue
            year, gender, value = int(str(row["ar"])), _text(row["kon"]), _number(row["varde"])
            if (year, gender) in values:  # the same outcome from two sources: the first (in the query's order)
                continue
            points[gender].append((year, value))
            values[(year, gender)] = _sv(value)
            if row["kalla"] is not None:
                sources.add(_text(row["kalla"]).removeprefix("Källa: "))
        genders = [g for g in GENDERS if g in points]
        indicator = _text(first["indikatorNamn"]) or str(first["indikator"]).rsplit("/", 1)[-1]
        better = "högre är bättre" if _text(first["battreNar"]) == "högre" else "lägre är bättre"
        result[goal].append(
            Measure(
                indicator=indicator,
                indicator_iri=str(first["indikator"]),
                unit=unit,
                baseline=f"{_sv(baseline)} {unit} ({base_year})" if baseline is not None and base_year else "",
                target=f"{_sv(target)} {unit} år {target_year}",
                better=better,
                source="; ".join(sorted(sources)),
                chart=charts.line_chart(
                    {GENDERS[g]: sorted(points[g]) for g in genders},
                    target=(target_year, target),
                    baseline=(base_year, baseline) if baseline is not None and base_year else None,
                    title=f"{indicator} ({unit})",
                    unit=unit,
                ),
                years=sorted({year for year, _ in values}),
                genders=[GENDERS[g] for g in genders],
                values={(year, GENDERS[g]): v for (year, g), v in values.items()},
            )
        )
    return result


def _sv(value: Decimal | None) -> str:
    return "" if value is None else charts.sv_number(value)


def _number(node: Node | None) -> Decimal:
    try:
        return Decimal(str(node))
    except InvalidOperation:
        return Decimal(0)


def _text(node: Node | None) -> str:
    return tables.cell(node)
