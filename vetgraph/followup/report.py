"""``vetgraph report``: the follow-up report (uppföljningsrapport) in Swedish, as HTML and Markdown.

It answers the four questions the strategy promises the follow-up will answer
(an analysis of the riktningar and goals; how the municipality works with
Agenda 2030; how it works towards RUS; what is done so that residents can Bo,
Leva and Verka), from the stored queries, so the numbers in the report are the
numbers ``vetgraph query`` gives, locally or from a SPARQL endpoint.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from rdflib import Literal, URIRef
from rdflib.term import Node

from vetgraph import __version__, dates
from vetgraph.followup import charts, fulfilment, markdown, tables
from vetgraph.followup.defaults import PERIOD_PARAMETER, period_on, with_defaults
from vetgraph.followup.queries import find_query, parse_value, run
from vetgraph.followup.views import (
    CommitteeGoal,
    CoverageRow,
    DirectionRow,
    Figures,
    GoalEntry,
    HeatCell,
    HeatRow,
    ProposedSdg,
    QualityRow,
    ReportView,
    RusRow,
)
from vetgraph.html import render
from vetgraph.labels import natural_order
from vetgraph.profile import Profile
from vetgraph.progress import Progress, counted, silent
from vetgraph.project import default_project
from vetgraph.rdf.output import replace_directory
from vetgraph.store.table import Store, Table

REPORT_QUERIES = (
    "riktningar-oversikt",
    "delstrategier-tackning",
    "agenda2030-oversikt",
    "agenda2030-per-namnd",
    "matris-delstrategi-sdg",
    "rus-per-namnd",
    "perspektiv-namndmal",
    "utmaningar-namndmal",
    "matris-delstrategi-namnd",
    "namnd-namndmal",
    "kvalitet-perspektiv",
    "kvalitet-kfmal-period",
    "maluppfyllelse",
    "matt-utfall",
)
COMMITTEE_FOLDER = "namnd"
HTML_FILE = "uppfoljning.html"
MARKDOWN_FILE = "uppfoljning.md"
PDF_FILE = "uppfoljning.pdf"


@dataclass(frozen=True)
class FollowUp:
    """Everything the report shows, gathered from a store."""

    strategy: dict[str, str]  # the strategy's title by language (the municipality's profile)
    period: URIRef
    period_label: str
    sample_data: bool
    results: dict[str, Table]
    target_texts: dict[str, str]  # "Delmål 3.4" -> the UN's English text of the target

    def rows(self, name: str) -> list[dict[str, Node | None]]:
        table = self.results[name]
        return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def collect(
    store: Store,
    *,
    mandatperiod: str | None = None,
    day: datetime.date | None = None,
    profile: Profile | None = None,
    progress: Progress = silent,
) -> FollowUp:
    """Run the report's queries for one mandate period of the municipality (``profile``, default the project's;
    ``progress`` hears of each): ``mandatperiod``, else the one that holds ``day`` (default today)."""
    profile = profile or default_project().profile
    namespaces = profile.namespaces
    mandatperiod = mandatperiod or period_on(store, namespaces, day or dates.today())
    given = {PERIOD_PARAMETER: mandatperiod}
    ran_one = counted(progress, "Frågor", len(REPORT_QUERIES))
    results = {}
    for name in REPORT_QUERIES:
        query = find_query(name)
        values = with_defaults(query, given, store, profile, day or dates.today())
        results[name] = run(query, store, values, namespaces=namespaces)
        ran_one()
    period = parse_value(find_query("riktningar-oversikt").parameter("mandatperiod"), mandatperiod, namespaces)
    assert isinstance(period, URIRef)
    label_rows = store.select(
        f'SELECT ?label WHERE {{ {period.n3()} <{namespaces["skos"]}prefLabel> ?label FILTER(lang(?label) = "sv") }}'
    ).rows
    sample = store.select(
        f"ASK {{ ?goal a <{namespaces['vtl']}Namndmal> ; <{namespaces['vtl']}dataStatus> <{namespaces['status']}exempel> }}"
    ).rows
    targets = store.select(
        f"SELECT ?sv ?en WHERE {{ ?target a <{namespaces['sdgo']}Target> ; <{namespaces['skos']}prefLabel> ?sv , ?en "
        f'FILTER(lang(?sv) = "sv" && lang(?en) = "en") }}'
    ).rows
    return FollowUp(
        strategy=profile.title,
        period=period,
        period_label=str(label_rows[0][0]) if label_rows else namespaces.compact(str(period)),
        sample_data=bool(sample and isinstance(sample[0][0], Literal) and sample[0][0].toPython()),
        results=results,
        target_texts={str(sv): str(en) for sv, en in targets if sv is not None and en is not None},
    )


def _int(node: Node | None) -> int:
    return int(str(node)) if node is not None else 0


def _text(node: Node | None) -> str:
    return tables.cell(node)


def context(follow_up: FollowUp) -> ReportView:
    """The numbers, tables and charts of the report, ready for a template."""
    f = follow_up
    coverage = f.rows("delstrategier-tackning")
    sdg = f.rows("agenda2030-oversikt")
    rus = f.rows("rus-per-namnd")
    links = f.rows("namnd-namndmal")
    goals = {row["namndmal"] for row in links}
    committees = sorted({_text(row["namndNamn"]) for row in links})

    rus_areas: dict[str, int] = defaultdict(int)
    for row in rus:
        rus_areas[f"{_text(row['nummer'])}. {_text(row['strategiomradeNamn'])}"] += _int(row["antalNamndmal"])

    perspective_goals: dict[str, list[GoalEntry]] = defaultdict(list)
    for row in f.rows("perspektiv-namndmal"):
        perspective_goals[_text(row["perspektivNamn"])].append(
            GoalEntry(_text(row["namndNamn"]), _text(row["titel"]), str(row["namndmal"]))
        )

    challenge_goals: dict[str, list[GoalEntry]] = {}
    for row in f.rows("utmaningar-namndmal"):
        entries = challenge_goals.setdefault(_text(row["utmaningNamn"]), [])
        if row["namndmal"] is not None:
            entries.append(GoalEntry(_text(row["namndNamn"]), _text(row["titel"])))

    matrix = f.rows("matris-delstrategi-namnd")
    heat_columns = sorted({_text(r["namndNamn"]) for r in matrix})
    heat: dict[str, dict[str, int]] = {}
    for row in matrix:
        heat.setdefault(_text(row["delstrategiNamn"]), {})[_text(row["namndNamn"])] = _int(row["antalNamndmal"])
    heat_max = max((v for cells in heat.values() for v in cells.values()), default=0)

    per_committee: dict[str, dict[str, CommitteeGoal]] = defaultdict(dict)
    for row in links:
        goal = per_committee[_text(row["namndNamn"])].setdefault(
            str(row["namndmal"]), CommitteeGoal(_text(row["titel"]), defaultdict(list))
        )
        goal.links[_text(row["koppling"])].append(_text(row["motNamn"]))

    by_direction = f.rows("riktningar-oversikt")
    # The global goals each committee's goals touch: a target counts to its goal, and a goal that a
    # committee gives both itself and through one of its targets counts once.
    sdg_committee: dict[str, set[str]] = {}
    for r in f.rows("agenda2030-per-namnd"):
        sdg_committee.setdefault(_text(r["namndNamn"]), set()).add(_text(r["malNummer"]))
    measured = _follow_up(f, links, coverage, sdg)
    return ReportView(
        title=f"Uppföljning av {f.strategy['sv']}",
        strategy=f.strategy,
        period_label=f.period_label,
        sample_data=f.sample_data,
        generated=dates.today().isoformat(),
        version=__version__,
        figures=Figures(
            goals=len(goals),
            committees=len(committees),
            sub_strategies=sum(1 for r in coverage if _int(r["antalNamndmal"]) > 0),
            sub_strategies_total=len(coverage),
            sdg_goals=sum(1 for r in sdg if _int(r["antalNamndmal"]) > 0),
            sdg_goals_total=len(sdg),
            rus_areas=sum(1 for v in rus_areas.values() if v > 0),
            rus_areas_total=len(rus_areas),
            challenges=sum(1 for v in challenge_goals.values() if v),
            challenges_total=len(challenge_goals),
        ),
        directions=[
            DirectionRow(
                name=_text(r["riktningNamn"]),
                sub_strategies=_int(r["antalDelstrategier"]),
                touched=_int(r["berordaDelstrategier"]),
                goals=_int(r["antalNamndmal"]),
                committees=_int(r["antalNamnder"]),
            )
            for r in by_direction
        ],
        direction_chart=charts.bar_chart(
            [charts.Bar(_text(r["riktningNamn"]), _int(r["antalNamndmal"])) for r in by_direction],
            title="Nämndmål per riktning",
        ),
        perspective_chart=charts.bar_chart(
            [charts.Bar(name, len(entries), "#6a51a3") for name, entries in sorted(perspective_goals.items())],
            title="Nämndmål per medborgarperspektiv",
        ),
        coverage=[
            CoverageRow(
                direction=_text(r["riktningNamn"]),
                perspective=_text(r["perspektivNamn"]),
                sub_strategy=_text(r["delstrategiNamn"]),
                goals=_int(r["antalNamndmal"]),
                committees=_int(r["antalNamnder"]),
            )
            for r in coverage
        ],
        sdg_chart=charts.bar_chart(
            [
                charts.Bar(
                    f"{_text(r['malNummer'])}. {_text(r['malNamn'])}", _int(r["antalNamndmal"]), _text(r["farg"])
                )
                for r in sdg
            ],
            title="Nämndmål per Agenda 2030-mål",
            label_width=390,
        ),
        sdg_untouched=[f"{_text(r['malNummer'])}. {_text(r['malNamn'])}" for r in sdg if _int(r["antalNamndmal"]) == 0],
        sdg_per_committee=sorted((name, len(goals)) for name, goals in sdg_committee.items()),
        sdg_proposed=[
            ProposedSdg(_text(r["delstrategiNamn"]), _text(r["malNummer"]), _int(r["antalNamndmal"]))
            for r in f.rows("matris-delstrategi-sdg")
            if r["foreslagen"] == Literal(True) and _int(r["antalNamndmal"]) == 0
        ],
        rus_chart=charts.bar_chart(
            [charts.Bar(name, count, "#238b45") for name, count in rus_areas.items()],
            title="Nämndmål per RUS-strategiområde",
        ),
        rus_rows=[
            RusRow(
                f"{_text(r['nummer'])}. {_text(r['strategiomradeNamn'])}",
                _text(r["namndNamn"]),
                _int(r["antalNamndmal"]),
            )
            for r in rus
        ],
        perspectives=dict(sorted(perspective_goals.items())),
        challenges=challenge_goals,
        heat_columns=heat_columns,
        heat_rows=[
            HeatRow(
                name,
                [
                    HeatCell(
                        cells.get(col, 0),
                        charts.heat_colour(cells.get(col, 0), heat_max),
                        charts.text_colour(charts.heat_colour(cells.get(col, 0), heat_max)),
                    )
                    for col in heat_columns
                ],
            )
            for name, cells in heat.items()
        ],
        per_committee={name: per_committee[name] for name in sorted(per_committee)},
        quality_perspective=[
            QualityRow(_text(r["namndmal"]), _text(r["titel"]), _text(r["perspektiv"]))
            for r in f.rows("kvalitet-perspektiv")
        ],
        quality_council_goal=[
            QualityRow(_text(r["namndmal"]), _text(r["titel"]), _text(r["kfMal"]))
            for r in f.rows("kvalitet-kfmal-period")
        ],
        **measured,
    )


class FulfilmentParts(TypedDict):
    """The report's follow-up that measures: the fields of ReportView that ``_follow_up`` fills in."""

    statuses: tuple[fulfilment.Status, ...]
    status_counts: list[int]
    roll_ups: list[fulfilment.RollUp]
    sdg_roll_up: fulfilment.RollUp
    council_goals: fulfilment.RollUp
    follow_up: dict[str, list[fulfilment.GoalFollowUp]]
    committee_pages: dict[str, str]
    target_texts: dict[str, str]


def _follow_up(
    f: FollowUp,
    links: list[dict[str, Node | None]],
    coverage: list[dict[str, Node | None]],
    sdg: list[dict[str, Node | None]],
) -> FulfilmentParts:
    """Goal fulfilment: every goal's status, measures and judgements, and its status rolled up along each link."""
    by_goal = fulfilment.goals(f.rows("maluppfyllelse"), f.rows("matt-utfall"))
    direction_of = {_text(r["delstrategiNamn"]): _text(r["riktningNamn"]) for r in coverage}
    sdg_name = {_text(r["malNummer"]): f"{_text(r['malNummer'])}. {_text(r['malNamn'])}" for r in sdg}
    members: dict[str, dict[str, set[str]]] = {kind: defaultdict(set) for kind in ("nämnd", "KF-mål", "riktning",
                                               "medborgarperspektiv", "RUS-strategiområde", "Agenda 2030")}  # fmt: skip
    for judged in by_goal.values():
        members["nämnd"][judged.committee].add(judged.iri)
    for row in links:
        kind, name, goal = _text(row["koppling"]), _text(row["motNamn"]), str(row["namndmal"])
        if kind == "delstrategi":
            members["riktning"][direction_of.get(name, name)].add(goal)
        elif kind == "Agenda 2030":  # a target counts to its global goal
            number = str(row["mot"]).rsplit("/", 1)[-1].split(".")[0]
            members["Agenda 2030"][sdg_name.get(number, number)].add(goal)
        elif kind in members:
            members[kind][name].add(goal)

    def ordered(kind: str) -> dict[str, set[str]]:
        return {name: members[kind][name] for name in sorted(members[kind], key=natural_order)}

    follow_up: dict[str, list[fulfilment.GoalFollowUp]] = defaultdict(list)
    for judged in sorted(by_goal.values(), key=lambda g: (g.committee, natural_order(g.iri))):
        follow_up[judged.committee].append(judged)
    return FulfilmentParts(
        statuses=fulfilment.STATUSES,
        status_counts=[sum(1 for g in by_goal.values() if g.status == s) for s in fulfilment.STATUSES],
        roll_ups=[
            fulfilment.roll_up("per-namnd", "Måluppfyllelse per nämnd", "Nämnd", ordered("nämnd"), by_goal),
            fulfilment.roll_up("per-riktning", "Måluppfyllelse per riktning", "Riktning", ordered("riktning"), by_goal),
            fulfilment.roll_up(
                "per-perspektiv",
                "Måluppfyllelse per medborgarperspektiv",
                "Perspektiv",
                ordered("medborgarperspektiv"),
                by_goal,
            ),
            fulfilment.roll_up(
                "per-rus",
                "Måluppfyllelse per RUS-strategiområde",
                "Strategiområde",
                ordered("RUS-strategiområde"),
                by_goal,
            ),
        ],
        sdg_roll_up=fulfilment.roll_up(
            "per-sdg",
            "Hur det går för nämndmålen som berör varje globalt mål",
            "Globalt mål",
            ordered("Agenda 2030"),
            by_goal,
        ),
        council_goals=fulfilment.roll_up("kf-mal", "Måluppfyllelse per KF-mål", "KF-mål", ordered("KF-mål"), by_goal),
        follow_up=dict(follow_up),
        committee_pages={name: committee_page(goals[0].committee_iri) for name, goals in follow_up.items()},
        target_texts=f.target_texts,
    )


def committee_page(committee_iri: str) -> str:
    """The file of a committee's page in the report's folder, e.g. ``namnd/socialnamnden.html``."""
    return f"{COMMITTEE_FOLDER}/{committee_iri.rstrip('/').rsplit('/', 1)[-1]}.html"


def render_markdown(follow_up: FollowUp, view: ReportView | None = None) -> str:
    return markdown.render_markdown(follow_up.results, view or context(follow_up))


def render_html(follow_up: FollowUp, view: ReportView | None = None) -> str:
    view = view or context(follow_up)
    return render("uppfoljning.html.j2", **{f.name: getattr(view, f.name) for f in dataclasses.fields(view)})


def render_committee_pages(view: ReportView) -> dict[str, str]:
    """A page per committee with all its goals expanded, for the committee's papers: file name -> HTML."""
    return {
        view.committee_pages[committee]: render(
            "namnd.html.j2",
            committee=committee,
            goals=goals,
            links=view.per_committee.get(committee, {}),
            statuses=view.statuses,
            target_texts=view.target_texts,
            period_label=view.period_label,
            sample_data=view.sample_data,
            generated=view.generated,
            version=view.version,
            strategy=view.strategy,
        )
        for committee, goals in view.follow_up.items()
    }


def write_report(
    out_dir: str | Path,
    store: Store | None = None,
    *,
    mandatperiod: str | None = None,
    day: datetime.date | None = None,
    pdf: bool = False,
    progress: Progress = silent,
) -> list[Path]:
    """Write the HTML and Markdown reports and a page per committee into ``out_dir``; with ``pdf``, a PDF too.

    The report follows up ``mandatperiod``, else the period that holds ``day`` (default today).

    ``out_dir`` is replaced only when everything is complete. ``store`` is where the data is (default: the
    project's own graph). The PDF is the report with every part expanded, printed by Chromium
    (:mod:`vetgraph.followup.pdf`). ``progress`` hears of each query.
    """
    if store is None:
        from vetgraph.store.local import open_store

        store = open_store()
    follow_up = collect(store, mandatperiod=mandatperiod, day=day, progress=progress)
    view = context(follow_up)
    html, markdown = render_html(follow_up, view), render_markdown(follow_up, view)
    pages = render_committee_pages(view)
    out_dir = Path(out_dir)
    written = [out_dir / HTML_FILE, out_dir / MARKDOWN_FILE, *(out_dir / name for name in pages)]
    with replace_directory(out_dir) as staging:
        (staging / HTML_FILE).write_text(html, encoding="utf-8")
        (staging / MARKDOWN_FILE).write_text(markdown, encoding="utf-8")
        (staging / COMMITTEE_FOLDER).mkdir()
        for name, page in pages.items():
            (staging / name).write_text(page, encoding="utf-8")
        if pdf:
            from vetgraph.followup.pdf import print_to_pdf

            printable = staging / ".utskrift.html"
            printable.write_text(render_html(follow_up, dataclasses.replace(view, expanded=True)), encoding="utf-8")
            print_to_pdf(printable, staging / PDF_FILE)
            printable.unlink()
            written.append(out_dir / PDF_FILE)
    return written
