"""Accessibility: axe-core (from npm, pinned in tests/axe/) in Debian's Chromium, WCAG 2.1 A and AA (issue 10).

The report, a committee's page, and five kinds of site page (start page, a
goal, a committee, an Agenda 2030 target, the ontology, the submission desk)
must have no violations of axe's WCAG 2.0/2.1 A and AA rules. Each page is
loaded as its readers get it (the report from its file, the site from
``vetgraph serve``), axe is injected, and its violations are listed by rule,
element and help text when the test fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, require
from vetgraph.followup.report import write_report

AXE = REPO / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe() -> str:
    require("axe-core", AXE.is_file(), "scripts/setup-and-test.sh runs npm ci --prefix tests/axe")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("a11y") / "rapport"
    write_report(out)
    return out


@pytest.fixture(scope="module")
def site(served_site: str) -> str:
    return served_site


def violations(browser: Any, url: str, axe: str) -> list[str]:
    browser.get(url)
    browser.execute_script(axe)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG_21_AA)}}}}})"
        ".then(r => done(r), e => done({error: String(e)}));"
    )
    assert "error" not in result, result
    assert result["passes"], "axe checked nothing"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def test_the_report_has_no_wcag_21_aa_violations(browser: Any, report: Path, axe: str) -> None:
    assert violations(browser, (report / "uppfoljning.html").as_uri(), axe) == []


def test_the_report_with_every_part_expanded_has_none_either(browser: Any, report: Path, axe: str) -> None:
    browser.get((report / "uppfoljning.html").as_uri())
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    browser.execute_script(axe)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG_21_AA)}}}}}).then(done);"
    )
    assert [v["id"] for v in result["violations"]] == []


def test_a_committee_page_has_no_violations(browser: Any, report: Path, axe: str) -> None:
    assert violations(browser, (report / "namnd" / "socialnamnden.html").as_uri(), axe) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",  # the start page
        "/id/namndmal/kfn-2023-2026-4",  # a goal, with its measure
        "/id/namnd/socialnamnden",  # a committee and its goals
        "/id/utfall/kfn-fysiskt-aktiva/0685/2023/T",  # an outcome (a Data Cube observation)
        "/def/",  # the ontology
        "/inlamning",  # the submission desk
    ],
)
def test_site_pages_have_no_wcag_21_aa_violations(browser: Any, site: str, axe: str, path: str) -> None:
    assert violations(browser, site + path, axe) == []
