"""The follow-up report in Markdown: its key figures, goal fulfilment and the stored queries' tables, escaped."""

from __future__ import annotations

from rdflib import Literal, URIRef

from vetgraph import escaping
from vetgraph.followup import fulfilment, tables
from vetgraph.followup.views import ReportView
from vetgraph.store.table import Table

# Swedish headings for the queries' variables, for readers of the Markdown report's tables.
COLUMN_HEADINGS = {
    "riktningNamn": "Riktning",
    "perspektivNamn": "Perspektiv",
    "delstrategiNamn": "Delstrategi",
    "namndNamn": "Nämnd",
    "titel": "Nämndmål",
    "malNummer": "Mål",
    "malNamn": "Agenda 2030-mål",
    "farg": "Färg",
    "nummer": "Nr",
    "strategiomradeNamn": "RUS-strategiområde",
    "utmaningNamn": "Utmaning",
    "antalDelstrategier": "Delstrategier",
    "berordaDelstrategier": "Berörda delstrategier",
    "antalNamndmal": "Antal nämndmål",
    "antalNamnder": "Antal nämnder",
    "kfMal": "KF-mål",
    "kfMalPeriod": "KF-målets mandatperiod",
    "ar": "År",
    "tillfalleNamn": "Uppföljning",
    "statusNamn": "Måluppfyllelse",
    "kommentar": "Kommentar",
    "bedomdAv": "Bedömd av",
    "bedomd": "Bedömd",
    "indikatorNamn": "Indikator",
    "enhet": "Enhet",
    "basar": "Basår",
    "basvarde": "Basvärde",
    "malvarde": "Målvärde",
    "malar": "Målår",
    "battreNar": "Bättre när",
    "kon": "Kön",
    "varde": "Värde",
    "kalla": "Källa",
}


def render_markdown(results: dict[str, Table], c: ReportView) -> str:
    """The report as Markdown: ``results`` are the stored queries' tables, ``c`` the report's view."""
    out = [
        f"# {c.title}",
        "",
        f"Mandatperiod: {escaping.markdown(c.period_label)}. Skapad {c.generated} av vetgraph {c.version}.",
        "",
    ]
    if c.sample_data:
        out += ["> **Exempeldata.** Nämnder, KF-mål och nämndmål är påhittade exempel, inte kommunens beslut.", ""]
    fig = c.figures
    out += [
        "## Nyckeltal",
        "",
        f"- {fig.goals} nämndmål från {fig.committees} nämnder",
        f"- {fig.sub_strategies} av {fig.sub_strategies_total} delstrategier berörs",
        f"- {fig.sdg_goals} av {fig.sdg_goals_total} Agenda 2030-mål berörs",
        f"- {fig.rus_areas} av {fig.rus_areas_total} RUS-strategiområden berörs",
        f"- {fig.challenges} av {fig.challenges_total} utmaningar ur omvärldsanalysen berörs",
        "",
        "Diagrammen finns i HTML-rapporten.",
        "",
        "## Måluppfyllelse",
        "",
        "Nämndernas senaste bedömning av varje nämndmål: "
        + ", ".join(f"{s.icon} {s.label}: {n}" for s, n in zip(c.statuses, c.status_counts, strict=True))
        + ".",
        "",
    ]
    for roll in [*c.roll_ups, c.council_goals, c.sdg_roll_up]:
        out += [f"### {escaping.markdown(roll.title)}", "", _roll_up_markdown(roll, c.statuses)]
    out += ["## Nämndmålen: status och senaste bedömning", ""]
    for committee, goals in c.follow_up.items():
        out += [f"### {escaping.markdown(committee)}", ""]
        for goal in goals:
            latest = goal.judgements[-1].comment if goal.judgements else "Ingen bedömning ännu."
            occasion = f" ({goal.occasion})" if goal.occasion else ""
            out.append(
                f"- {goal.status.icon} {goal.status.label}{occasion}: {escaping.markdown(goal.title)}. "
                f"{escaping.markdown(latest)}"
            )
        out.append("")
    for title, name in (
        ("Riktningar", "riktningar-oversikt"),
        ("Delstrategiernas täckning", "delstrategier-tackning"),
        ("Agenda 2030", "agenda2030-oversikt"),
        ("RUS per nämnd", "rus-per-namnd"),
        ("Bo, Leva och Verka", "perspektiv-namndmal"),
        ("Utmaningar", "utmaningar-namndmal"),
        ("Delstrategier och nämnder", "matris-delstrategi-namnd"),
        ("Datakvalitet: perspektiv", "kvalitet-perspektiv"),
        ("Datakvalitet: KF-mål från annan mandatperiod", "kvalitet-kfmal-period"),
        ("Bedömningar av måluppfyllelse", "maluppfyllelse"),
        ("Mått och utfall", "matt-utfall"),
    ):
        table = results[name]
        shown = [i for i, column in enumerate(table.columns) if not _is_iri_column(table, i)]
        out += [f"## {title}", ""]
        if table.rows:
            out.append(
                tables.as_markdown(
                    Table(
                        [COLUMN_HEADINGS.get(table.columns[i], table.columns[i]) for i in shown],
                        [[r[i] for i in shown] for r in table.rows],
                    )
                )
            )
        else:
            out += ["Inga rader.", ""]
    return "\n".join(out).rstrip() + "\n"


def _roll_up_markdown(roll: fulfilment.RollUp, statuses: tuple[fulfilment.Status, ...]) -> str:
    columns = [roll.heading, *(f"{s.icon} {s.label}" for s in statuses), "Nämndmål"]
    rows = [[Literal(r.name), *(Literal(n) for n in r.counts), Literal(r.total)] for r in roll.rows]
    return tables.as_markdown(Table(columns, rows))  # type: ignore[arg-type]


def _is_iri_column(table: Table, index: int) -> bool:
    values = [row[index] for row in table.rows if row[index] is not None]
    return bool(values) and all(isinstance(v, URIRef) for v in values)
