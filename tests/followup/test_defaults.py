"""The mandate period followed up by default is the one that holds the day, from the data (issue 18)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from municipality import PROFILE
from vetgraph import dates
from vetgraph.cli import main
from vetgraph.errors import VetgraphError
from vetgraph.followup.defaults import period_on
from vetgraph.store.local import RdflibStore, project_graph


@pytest.mark.parametrize(
    ("day", "period"),
    [("2023-01-01", "period:2023-2026"), ("2026-12-31", "period:2023-2026"), ("2027-01-01", "period:2027-2030")],
)
def test_the_period_that_holds_the_day(day: str, period: str) -> None:
    store = RdflibStore(project_graph())
    assert period_on(store, PROFILE.namespaces, datetime.date.fromisoformat(day)) == period


def test_a_day_no_period_holds_is_a_clear_error() -> None:
    with pytest.raises(
        VetgraphError, match=r"no mandate period in the data holds 2040-01-01; the data has: period:2023"
    ):
        period_on(RdflibStore(project_graph()), PROFILE.namespaces, datetime.date(2040, 1, 1))


def test_report_follows_up_the_period_of_the_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def goals_line(out: Path) -> str:
        markdown = (out / "uppfoljning.md").read_text(encoding="utf-8")
        return next(line for line in markdown.splitlines() if "nämndmål från" in line)

    runner = CliRunner()
    assert runner.invoke(main, ["report", "--out", str(tmp_path / "a")]).exit_code == 0  # 2026-06-30 (conftest)
    assert "- 28 nämndmål från 6 nämnder" in goals_line(tmp_path / "a")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01: the next period, which has no goals yet
    assert runner.invoke(main, ["report", "--out", str(tmp_path / "b")]).exit_code == 0
    assert "- 0 nämndmål från 0 nämnder" in goals_line(tmp_path / "b")
    result = runner.invoke(main, ["report", "--out", str(tmp_path / "c"), "--datum", "2026-12-31"])
    assert result.exit_code == 0, result.output
    assert "- 28 nämndmål från 6 nämnder" in goals_line(tmp_path / "c")
    result = runner.invoke(main, ["report", "--out", str(tmp_path / "d"), "--datum", "2040-01-01"])
    assert result.exit_code == 2 and "no mandate period in the data holds 2040-01-01" in result.stderr
    assert not (tmp_path / "d").exists()


def test_query_binds_the_current_period_unless_given(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    now = runner.invoke(main, ["query", "riktningar-oversikt", "--format", "csv"])
    assert now.exit_code == 0 and ";12;6" in now.stdout  # the sample goals of 2023-2026
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01
    later = runner.invoke(main, ["query", "riktningar-oversikt", "--format", "csv"])
    assert later.exit_code == 0 and ";0;0" in later.stdout and ";12;6" not in later.stdout
    given = runner.invoke(
        main, ["query", "riktningar-oversikt", "--format", "csv", "-p", "mandatperiod", "period:2023-2026"]
    )
    assert given.stdout == now.stdout


@pytest.mark.parametrize("value", ["yesterday", "-5", "1e9"])
def test_a_malformed_source_date_epoch_is_refused(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(VetgraphError, match="SOURCE_DATE_EPOCH"):
        dates.today()


def test_without_source_date_epoch_it_is_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert dates.today() == datetime.date.today()
