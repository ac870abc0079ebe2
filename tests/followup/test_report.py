"""The follow-up report: what it says, that it is self-contained, and that a real browser shows it cleanly."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from vetgraph.cli import main
from vetgraph.followup.report import collect, context, write_report
from vetgraph.store import RdflibStore, project_graph


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "rapport"
    write_report(out, RdflibStore(project_graph()))
    return out


def test_the_report_is_written_as_html_markdown_and_committee_pages(written: Path) -> None:
    assert sorted(p.name for p in written.iterdir()) == ["namnd", "uppfoljning.html", "uppfoljning.md"]
    markdown = (written / "uppfoljning.md").read_text(encoding="utf-8")
    assert "- 28 nämndmål från 6 nämnder" in markdown
    assert "- 12 av 15 delstrategier berörs" in markdown
    assert "| Förstärka innovationskraften | 0 | 0 |" in markdown
    assert "> **Exempeldata.**" in markdown


def test_the_html_answers_the_four_follow_up_questions(written: Path) -> None:
    html = (written / "uppfoljning.html").read_text(encoding="utf-8")
    for heading in (
        "Riktningar och delstrategier",
        "Agenda 2030",
        "Regional utvecklingsstrategi (RUS)",
        "Bo, Leva och Verka",
    ):
        assert f">{heading}</h2>" in html
    # riktning, perspektiv, SDG and RUS charts (the heat map is a table), and one per measure of the 28 goals
    assert html.count("<svg") == 4 + 28
    assert 'fill="#3F7E44"' in html  # goal 13 in the UN's colour
    assert "Välfärdsbrottslighet slukar allt mer resurser" in html


def test_the_html_is_self_contained(written: Path) -> None:
    html = (written / "uppfoljning.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert not re.search(r'<(link|img|iframe|source|video|audio)\b[^>]*(href|src)="(https?:)?//', html)
    assert "@import" not in html and "url(" not in html


def test_the_numbers_are_the_queries_numbers() -> None:
    figures = context(collect(RdflibStore(project_graph()))).figures
    assert dataclasses.asdict(figures) == {
        "goals": 28,
        "committees": 6,
        "sub_strategies": 12,
        "sub_strategies_total": 15,
        "sdg_goals": 12,
        "sdg_goals_total": 17,
        "rus_areas": 6,
        "rus_areas_total": 6,
        "challenges": 7,
        "challenges_total": 8,
    }


def test_another_mandate_period(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r"), "--mandatperiod", "period:2027-2030"])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "r" / "uppfoljning.md").read_text(encoding="utf-8")
    assert "- 0 nämndmål från 0 nämnder" in markdown


def test_an_unknown_mandate_period_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r"), "--mandatperiod", "period:1999"])
    assert result.exit_code == 2
    assert "period:1999 does not occur in the graph" in result.stderr
    assert not (tmp_path / "r").exists()


def test_chromium_renders_the_report_without_errors(written: Path, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    browser.get((written / "uppfoljning.html").as_uri())
    assert browser.title == "Uppföljning av Vetlanda kommuns utvecklingsstrategi – Mandatperioden 2023–2026"
    problems = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert problems == []
    charts = browser.find_elements("css selector", "figure svg")
    shown = [chart for chart in charts if chart.is_displayed()]  # the measures' charts are in collapsed sections
    assert len(charts) == 4 + 28 and len(shown) == 4 and all(chart.size["width"] > 300 for chart in shown)
    heat_cells = browser.find_elements("css selector", "table.heat td.cell")
    assert len(heat_cells) == 15 * 6
    screenshot = tmp_path / "uppfoljning.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000


def test_sdgs_per_committee_count_each_global_goal_once() -> None:
    """Checked against the data itself: a target counts to its goal, and a goal and its own target count once."""
    from rdflib import RDF, SKOS

    from vetgraph.labels import display_name
    from vetgraph.namespaces import VTL

    graph = project_graph()
    expected: dict[str, set[object]] = {}
    for goal in graph.subjects(RDF.type, VTL.Namndmal):
        committee = display_name(graph, graph.value(goal, VTL.ansvarigNamnd))  # type: ignore[arg-type]
        for given in graph.objects(goal, VTL.agenda2030):
            broader = graph.value(given, SKOS.broader)
            expected.setdefault(committee, set()).add(broader if broader is not None else given)
    view = context(collect(RdflibStore(project_graph())))
    assert view.sdg_per_committee == sorted((name, len(goals)) for name, goals in expected.items())
    # Socialnämnden gives sdg:3 and its target sdg:3.4, among others: 3 is counted once.
    social = dict(view.sdg_per_committee)["Socialnämnden"]
    assert social == len(expected["Socialnämnden"]) < sum(
        1 for goal in graph.subjects(VTL.ansvarigNamnd, None) for _ in graph.objects(goal, VTL.agenda2030)
        if "socialnamnden" in str(graph.value(goal, VTL.ansvarigNamnd))
    )  # fmt: skip
