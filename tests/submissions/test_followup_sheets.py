"""The template's follow-up sheets (issue 10): Indikatorer, Utfall and Måluppfyllelse, filled as a secretary would."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from filling import a_goal, fill, libreoffice_resave
from openpyxl import load_workbook
from rdflib import RDF, Literal, URIRef
from rdflib.compare import to_isomorphic

from conftest import require
from municipality import ID
from vetgraph.cli import main
from vetgraph.namespaces import CODES, QB, VTL
from vetgraph.submissions.workflow import import_spreadsheet, make_template
from vetgraph.validation import Validator

COMMITTEE = URIRef(str(ID) + "namnd/kultur-och-fritidsnamnden")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(
        tmp_path_factory.mktemp("mall") / "mall.xlsx", committee=COMMITTEE, period=ID["mandatperiod/2023-2026"]
    )


def goal(template: Path) -> dict[str, str]:
    return {**a_goal(load_workbook(template), "Fler invånare är fysiskt aktiva"), "Identifierare": "KFN 9"}


MEASURE = {"Nämndmål": "KFN 9", "Egen indikator": "Fysiskt aktiva invånare, andel", "Enhet": "procent",
           "Basår": 2022, "Basvärde": 61, "Målvärde": "68,5", "Målår": 2026, "Bättre när": "högre"}  # fmt: skip
OUTCOME = {"Indikator": "Fysiskt aktiva invånare, andel", "År": 2023, "Kön": "Kvinnor", "Värde": 63.4,
           "Källa": "Folkhälsoenkäten"}  # fmt: skip
JUDGEMENT = {"Nämndmål": "Fler invånare är fysiskt aktiva", "Uppföljning": "Helår", "År": 2024,
             "Status": "Delvis uppfyllt", "Kommentar": "Andelen ökar.", "Bedömd datum": datetime.date(2025, 2, 20)}  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_a_filled_follow_up_becomes_measures_outcomes_and_judgements(template: Path, tmp_path: Path) -> None:
    filled = fill(template, tmp_path / "kfn.xlsx", [goal(template)], Indikatorer=[MEASURE], Utfall=[OUTCOME],
                  Måluppfyllelse=[JUDGEMENT])  # fmt: skip
    imported = import_spreadsheet(filled)
    assert imported.problems == []
    graph = imported.graph
    (measure,) = graph.subjects(RDF.type, VTL.Matt)
    assert graph.value(measure, VTL.malvarde) == Literal(Decimal("68.5"))  # "68,5", as Swedish writes it
    assert graph.value(measure, VTL.basar) == Literal(2022)
    (observation,) = graph.subjects(RDF.type, QB.Observation)
    assert graph.value(observation, VTL.kon) == CODES["kon/K"]
    assert graph.value(observation, VTL.indikator) == graph.value(measure, VTL.indikator)
    (judgement,) = graph.subjects(RDF.type, VTL.Bedomning)
    assert str(graph.value(judgement, URIRef("http://www.w3.org/ns/prov#generatedAtTime"))) == "2025-02-20T00:00:00"
    report = Validator().validate_file(filled, committee=COMMITTEE)
    assert report.conforms, [f.message("sv") for f in report.findings]
    assert not [f for f in report.findings if f.rule == "Vagledning-matt"]  # the goal has its measure


def test_bad_cells_are_placed_by_sheet_row_and_column(template: Path, tmp_path: Path) -> None:
    filled = fill(
        template, tmp_path / "fel.xlsx", [goal(template)],
        Indikatorer=[{**MEASURE, "Målvärde": "mycket"}, {**MEASURE, "Egen indikator": None, "Kolada-id": "N914"}],
        Utfall=[{**OUTCOME, "Indikator": "Okänd indikator"}],
        Måluppfyllelse=[{**JUDGEMENT, "Nämndmål": "KFN 99", "Status": "Grönt"}],
    )  # fmt: skip
    code, out = run("validate", str(filled))
    assert code == 1
    for message in (
        "Blad Indikatorer, rad 2, kolumn Målvärde: 'mycket' är inget tal",
        "Blad Indikatorer, rad 3, kolumn Kolada-id: 'N914' är inget Kolada-id",
        "Blad Utfall, rad 2, kolumn Indikator: 'Okänd indikator' är ingen indikator på bladet Indikatorer",
        "Blad Måluppfyllelse, rad 2, kolumn Nämndmål: 'KFN 99' är inget nämndmål på bladet Nämndmål",
        "Blad Måluppfyllelse, rad 2, kolumn Status: 'Grönt' finns inte; välj Uppfyllt eller Delvis uppfyllt",
    ):
        assert message in out, out
    assert "Traceback" not in out


def test_libreoffice_keeps_the_follow_up(template: Path, tmp_path: Path) -> None:
    require("LibreOffice", shutil.which("soffice") is not None, "scripts/setup-and-test.sh installs it")
    filled = fill(template, tmp_path / "kfn.xlsx", [goal(template)], Indikatorer=[MEASURE], Utfall=[OUTCOME],
                  Måluppfyllelse=[JUDGEMENT])  # fmt: skip
    resaved = libreoffice_resave(filled, tmp_path / "lo")
    assert to_isomorphic(import_spreadsheet(resaved).graph) == to_isomorphic(import_spreadsheet(filled).graph)
