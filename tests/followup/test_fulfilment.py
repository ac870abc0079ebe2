"""The report's follow-up that measures (issue 10): goal fulfilment, roll-ups, charts, committee pages and the PDF.

The numbers are checked against the sample data, read here with rdflib on its own
(not through the stored queries the report uses): every goal's latest judgement
(helår after delår of the same year), counted per committee and per KF-mål.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from conftest import require
from vetgraph.followup.report import collect, context, write_report
from vetgraph.followup.views import ReportView
from vetgraph.namespaces import VTL
from vetgraph.project import default_project
from vetgraph.store.local import open_store

STATUS_LABELS = {"uppfyllt": "Uppfyllt", "delvis-uppfyllt": "Delvis uppfyllt", "ej-uppfyllt": "Ej uppfyllt",
                 "ej-bedomt": "Ej bedömt"}  # fmt: skip


@pytest.fixture(scope="module")
def samples() -> Graph:
    project = default_project()
    graph = Graph()
    for path in [*project.sample_submissions(), *project.reference_files()]:
        graph.parse(path)
    return graph


def latest_status(graph: Graph) -> dict[URIRef, str]:
    """Each goal's status in its latest judgement, from the data itself."""
    latest: dict[URIRef, tuple[tuple[int, str], str]] = {}
    for judgement in graph.subjects(VTL.avserMal, None):
        goal = graph.value(judgement, VTL.avserMal)
        order = (int(graph.value(judgement, VTL.ar)), str(graph.value(judgement, VTL.uppfoljningstillfalle)))
        status = str(graph.value(judgement, VTL.maluppfyllelse)).rsplit("/", 1)[-1]
        if goal not in latest or latest[goal][0] < order:
            latest[goal] = (order, status)
    return {goal: status for goal, (_, status) in latest.items()}


def label(graph: Graph, node: URIRef) -> str:
    return next(str(v) for v in graph.objects(node, SKOS.prefLabel) if getattr(v, "language", None) == "sv")


@pytest.fixture(scope="module")
def view() -> ReportView:
    return context(collect(open_store()))


def test_every_sample_goal_is_followed_up(samples: Graph) -> None:
    goals = set(samples.subjects(VTL.ansvarigNamnd, None))
    assert len(goals) == 28
    for goal in goals:
        measures = list(samples.objects(goal, VTL.matt))
        assert measures, goal
        judgements = set(samples.subjects(VTL.avserMal, goal))
        assert len(judgements) == 2, goal


def test_status_counts_match_the_data(samples: Graph, view: ReportView) -> None:
    expected = Counter(latest_status(samples).values())
    assert dict(zip([s.key for s in view.statuses], view.status_counts, strict=True)) == {
        key: expected.get(key, 0) for key in STATUS_LABELS
    }
    # as read off the sample data by hand: five goals met, one not yet judged
    assert view.status_counts == [5, 17, 5, 1]


def test_roll_up_per_committee_matches_the_data(samples: Graph, view: ReportView) -> None:
    statuses = latest_status(samples)
    per_committee = next(r for r in view.roll_ups if r.anchor == "per-namnd")
    for row in per_committee.rows:
        committee = next(c for c in samples.subjects(RDF.type, VTL.Namnd) if label(samples, c) == row.name)
        goals = set(samples.subjects(VTL.ansvarigNamnd, committee))
        counted = Counter(statuses[g] for g in goals)
        assert row.counts == [counted.get(s.key, 0) for s in view.statuses], row.name
    socialnamnden = next(r for r in per_committee.rows if r.name == "Socialnämnden")
    assert socialnamnden.counts == [1, 3, 1, 0]  # sn-4 met; sn-3 (försörjningsstöd) going the wrong way


def test_roll_up_per_council_goal_counts_each_goal_once(samples: Graph, view: ReportView) -> None:
    statuses = latest_status(samples)
    for row in view.council_goals.rows:
        council_goal = next(s for s in samples.subjects(RDF.type, VTL.KFMal) if label(samples, s) == row.name)
        goals = set(samples.subjects(VTL.kfMal, council_goal))
        assert row.total == len(goals), row.name
        assert row.counts == [Counter(statuses[g] for g in goals).get(s.key, 0) for s in view.statuses]


def test_every_roll_up_adds_up(view: ReportView) -> None:
    for roll in [*view.roll_ups, view.council_goals, view.sdg_roll_up]:
        for row in roll.rows:
            assert row.total == len(row.goals) == sum(row.counts)
    assert sum(r.total for r in view.roll_ups[0].rows) == 28  # per committee: each goal once


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rapport") / "rapport"
    write_report(out)
    return out


def test_the_report_shows_status_in_words_and_icons(report: Path, samples: Graph) -> None:
    html = (report / "uppfoljning.html").read_text(encoding="utf-8")
    for label in STATUS_LABELS.values():
        assert label in html
    # every goal: its title, linked to its IRI, with its status in words
    for goal, status in latest_status(samples).items():
        title = str(samples.value(goal, DCTERMS.title))
        block = html[html.index(f'id="mal-{str(goal).rsplit("/", 1)[-1]}"') :]
        assert f'<a href="{goal}">{title}</a>' in block[:600]
        assert STATUS_LABELS[status] in block[:1500]
    assert 'id="kf-mal-avsnitt"' in html and 'id="per-sdg"' in html


def test_each_indicator_has_a_chart_with_its_target_and_genders(report: Path) -> None:
    html = (report / "uppfoljning.html").read_text(encoding="utf-8")
    charts = re.findall(r"<svg[^>]*aria-label=\"[^\"]*\"[^>]*><title>([^<]*)</title>", html)
    measured = [c for c in charts if "mål 2026" in c]
    assert len(measured) == 28  # one measure per sample goal
    active = next(c for c in measured if c.startswith("Invånare 16–84 år som är fysiskt aktiva"))
    assert "Totalt: 2022 61" in active and "Kvinnor: 2022 62,5" in active and "Män: 2022 59,5" in active
    assert "mål 2026: 68 procent" in active


def test_agenda_2030_targets_show_the_un_text_marked_as_english(report: Path) -> None:
    html = (report / "uppfoljning.html").read_text(encoding="utf-8")
    assert 'Delmål 3.4 <span class="un-text">(<span lang="en">By 2030, reduce by one third premature mortality' in html
    assert "FN:s text, på engelska" in html


def test_each_committee_has_a_page_with_all_its_goals(report: Path, samples: Graph) -> None:
    pages = sorted((report / "namnd").glob("*.html"))
    assert [p.stem for p in pages] == sorted(
        str(c).rsplit("/", 1)[-1] for c in set(samples.objects(None, VTL.ansvarigNamnd))
    )
    for page in pages:
        html = page.read_text(encoding="utf-8")
        committee = URIRef(f"https://data.vetlanda.se/id/namnd/{page.stem}")
        for goal in samples.subjects(VTL.ansvarigNamnd, committee):
            assert str(samples.value(goal, DCTERMS.title)) in html
        assert "<details" not in html  # nothing collapsed: the page is for the committee's papers
        assert 'href="../uppfoljning.html"' in html


def test_the_pdf_has_every_goal(tmp_path: Path, samples: Graph) -> None:
    require("Chromium", shutil.which("chromium") is not None, "scripts/setup-and-test.sh installs it")
    require("pdftotext (poppler-utils)", shutil.which("pdftotext") is not None, "scripts/setup-and-test.sh")
    out = tmp_path / "rapport"
    written = write_report(out, pdf=True)
    pdf = out / "uppfoljning.pdf"
    assert pdf in written and pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for goal in samples.subjects(VTL.ansvarigNamnd, None):
        assert " ".join(str(samples.value(goal, DCTERMS.title)).split()) in flat, goal
    assert "Delvis uppfyllt" in flat and "Måluppfyllelse per nämnd" in flat
    assert not list(out.glob(".*"))  # the printable page is not left behind


def test_the_pdf_without_chromium_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from vetgraph.cli import main

    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on the PATH
    monkeypatch.delenv("VETGRAPH_CHROMIUM", raising=False)
    out = tmp_path / "rapport"
    result = CliRunner().invoke(main, ["report", "--out", str(out), "--format", "pdf"])
    assert result.exit_code == 2
    assert "needs Chromium" in result.output and "Traceback" not in result.output
    assert not out.exists()  # nothing half-written


def test_goals_with_the_same_title_are_listed_in_the_same_order_every_time() -> None:
    # bulk data has many goals of one committee with one title: a set's order once decided theirs
    from vetgraph.followup.fulfilment import NOT_JUDGED, GoalFollowUp, roll_up

    iris = [f"https://data.vetlanda.se/id/namndmal/sn-k{i}" for i in (10, 2, 1)]
    goals = {iri: GoalFollowUp(iri, "Samma titel", "Socialnämnden", "namnd", NOT_JUDGED, "") for iri in iris}
    orders = {
        tuple(g.iri for g in roll_up("a", "t", "h", {"KF-mål 1": members}, goals).rows[0].goals)
        for members in (iris, list(reversed(iris)), set(iris))
    }
    assert orders == {tuple(sorted(iris, key=lambda iri: int(iri.rsplit("k", 1)[1])))}
