"""The strategy in a workbook (issue 18): `vetgraph strategy template` and `strategy import`, on Vetlanda's profile.

Exempelby's (vision → målområden) runs through the CLI in tests/test_new_municipality.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from filling import libreoffice_resave
from openpyxl import load_workbook
from rdflib import RDF, SKOS, Graph, URIRef

from municipality import ID
from vetgraph.cli import main
from vetgraph.namespaces import VTL
from vetgraph.project import default_project
from vetgraph.rdf import graphs
from vetgraph.strategy import import_strategy, strategy_levels, write_strategy_template


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_strategy_template(tmp_path / "strategi.xlsx", default_project())


def headers(book: object, sheet: str) -> list[str]:
    return [str(c.value) for c in book[sheet][1]]  # type: ignore[index]


def test_the_workbook_has_a_sheet_per_level_and_the_reference_shapes_columns(workbook: Path) -> None:
    book = load_workbook(workbook)
    assert book.sheetnames == [
        "Instruktioner", "Vision", "Riktningar", "Medborgarperspektiv", "Utmaningar", "Delstrategier", "Listor"
    ]  # fmt: skip
    assert book["Listor"].sheet_state == "hidden"
    assert headers(book, "Delstrategier") == [
        "Id", "Namn (svenska) *", "Namn (engelska) *", "Definition (svenska) *", "Definition (engelska) *",
        "Riktning *", "Medborgarperspektiv *", "Utmaning 1 *", "Utmaning 2", "Utmaning 3", "Utmaning 4",
        "Föreslaget Agenda 2030-mål 1", "Föreslaget Agenda 2030-mål 2", "Föreslaget Agenda 2030-mål 3",
        "Föreslaget Agenda 2030-mål 4",
    ]  # fmt: skip
    # a link up to another level lists that sheet's Swedish names; to Agenda 2030, the UN's 17 goals
    lists = {str(v.sqref)[:1]: v.formula1 for v in book["Delstrategier"].data_validations.dataValidation}
    assert lists["F"] == "='Riktningar'!$B$2:$B$201" and lists["G"] == "='Medborgarperspektiv'!$B$2:$B$201"
    lists_sheet = book["Listor"]
    column = next(c.column_letter for c in lists_sheet[1] if c.value == "Delstrategier: Föreslaget Agenda 2030-mål 1")
    sdgs = [c.value for c in lists_sheet[column][1:] if c.value]
    assert len(sdgs) == 17 and sdgs[2] == "3. God hälsa och välbefinnande"


def test_the_columns_follow_the_shapes_not_the_code() -> None:
    """A level's columns are what shapes/referensdata.ttl asks of its class: change a shape, change a column."""
    project = default_project()
    reference = graphs.read_trusted(project.reference_files())
    by_sheet = {level.sheet: level for level in strategy_levels(project, reference)}
    riktning = next(c for c in by_sheet["Delstrategier"].columns if c.path == VTL.riktning)
    assert riktning.required and riktning.single and riktning.classes == (VTL.Riktning,)
    assert (SKOS.inScheme, ID["utvecklingsstrategi"]) in by_sheet["Delstrategier"].fixed
    assert (SKOS.topConceptOf, ID["utvecklingsstrategi"]) in by_sheet["Vision"].fixed


def fill(workbook: Path, out: Path, sheets: dict[str, list[dict[str, str]]]) -> Path:
    book = load_workbook(workbook)
    for name, rows in sheets.items():
        columns = {h.removesuffix(" *"): n for n, h in enumerate(headers(book, name), 1)}
        for number, row in enumerate(rows, 2):
            for header, value in row.items():
                book[name].cell(row=number, column=columns[header]).value = value
    book.save(out)
    return out


NEW_DIRECTION = {
    "Id": "modiga", "Namn (svenska)": "Den modiga kommunen", "Namn (engelska)": "The bold municipality",
    "Definition (svenska)": "En påhittad riktning för ett test.", "Definition (engelska)": "An invented direction.",
    "Vision": "Här växer människor och företag",  # the vision already in the data, by its name
}  # fmt: skip
NEW_STRATEGY = {
    "Namn (svenska)": "Modiga möten", "Namn (engelska)": "Bold meetings",
    "Definition (svenska)": "En påhittad delstrategi.", "Definition (engelska)": "An invented sub-strategy.",
    "Riktning": "Den modiga kommunen", "Medborgarperspektiv": "Bo", "Utmaning 1": "Folkhälsa",
    "Föreslaget Agenda 2030-mål 1": "3. God hälsa och välbefinnande",
}  # fmt: skip


def test_a_filled_workbook_becomes_concepts_in_the_strategys_hierarchy(workbook: Path, tmp_path: Path) -> None:
    filled = fill(workbook, tmp_path / "ifylld.xlsx", {"Riktningar": [NEW_DIRECTION], "Delstrategier": [NEW_STRATEGY]})
    imported = import_strategy(filled, default_project())
    assert imported.problems == [] and imported.concepts == 2
    graph = imported.graph
    direction, strategy = URIRef(f"{ID}riktning/modiga"), URIRef(f"{ID}delstrategi/modiga-moten")
    assert (strategy, RDF.type, VTL.Delstrategi) in graph
    # links up to other levels are also the SKOS hierarchy, which the reference shapes ask for (two broader)
    assert set(graph.objects(strategy, SKOS.broader)) == {direction, URIRef(f"{ID}perspektiv/bo")}
    assert (direction, VTL.vision, ID["vision"]) in graph and (direction, SKOS.broader, ID["vision"]) in graph
    assert (strategy, VTL.utmaning, URIRef(f"{ID}utmaning/folkhalsa")) in graph
    assert (strategy, VTL.foreslagetAgenda2030Mal, URIRef("http://metadata.un.org/sdg/3")) in graph
    assert (strategy, SKOS.inScheme, ID["utvecklingsstrategi"]) in graph
    assert (strategy, SKOS.topConceptOf, None) not in graph


def test_every_problem_is_named_by_sheet_row_and_column_and_nothing_is_written(workbook: Path, tmp_path: Path) -> None:
    no_english = {k: v for k, v in NEW_STRATEGY.items() if k != "Definition (engelska)"}
    unknown = NEW_STRATEGY | {"Namn (svenska)": "Andra möten", "Riktning": "Den blyga kommunen"}
    filled = fill(
        workbook, tmp_path / "fel.xlsx", {"Riktningar": [NEW_DIRECTION], "Delstrategier": [no_english, unknown]}
    )
    out = tmp_path / "strategi-nivaer.ttl"
    result = CliRunner().invoke(main, ["strategy", "import", str(filled), "--out", str(out)])
    assert result.exit_code == 1 and not out.exists()
    lines = result.stderr.splitlines()
    assert lines == [
        f"vetgraph: {filled}: Blad Delstrategier, rad 2, kolumn Definition (engelska): "
        "Definition eller text på engelska (skos:definition @en) saknas.",
        f"vetgraph: {filled}: Blad Delstrategier, rad 3, kolumn Riktning: 'Den blyga kommunen' är inget av det som "
        "kolumnen listar; välj ur listan, eller fyll i det först på sitt blad",
    ]


def test_the_import_writes_a_new_file_and_never_over_one(workbook: Path, tmp_path: Path) -> None:
    filled = fill(workbook, tmp_path / "ifylld.xlsx", {"Riktningar": [NEW_DIRECTION]})
    out = tmp_path / "nivaer.ttl"
    written = CliRunner().invoke(main, ["strategy", "import", str(filled), "--out", str(out)])
    assert written.exit_code == 0 and "(1 begrepp)" in written.stdout
    assert (URIRef(f"{ID}riktning/modiga"), RDF.type, VTL.Riktning) in Graph().parse(out)
    again = CliRunner().invoke(main, ["strategy", "import", str(filled), "--out", str(out)])
    assert again.exit_code == 2 and "does not overwrite" in again.stderr
    assert CliRunner().invoke(main, ["strategy", "template", str(workbook)]).exit_code == 2  # exists already
    assert CliRunner().invoke(main, ["strategy", "import", str(tmp_path / "saknas.xlsx")]).exit_code == 2


@pytest.mark.slow
def test_a_workbook_saved_by_libreoffice_keeps_its_lists_and_imports(workbook: Path, tmp_path: Path) -> None:
    """The real spreadsheet program: its drop-down lists (one to another sheet's names) survive a save in Calc."""
    filled = fill(workbook, tmp_path / "ifylld.xlsx", {"Riktningar": [NEW_DIRECTION], "Delstrategier": [NEW_STRATEGY]})
    (tmp_path / "calc").mkdir()
    saved = libreoffice_resave(filled, tmp_path / "calc")
    book = load_workbook(saved)
    lists = {str(v.sqref).split(":")[0][:1]: v.formula1 for v in book["Delstrategier"].data_validations.dataValidation}
    assert "Riktningar" in lists["F"] and "$B$2" in lists["F"]
    imported = import_strategy(saved, default_project())
    assert imported.problems == [] and imported.concepts == 2


def test_the_workbooks_name_stays_a_comment(workbook: Path, tmp_path: Path) -> None:
    """The name is the user's: one with a line break must not become a statement of the Turtle written."""
    filled = fill(workbook, tmp_path / "ifylld\n<urn:x:s> <urn:x:p> <urn:x:o> .xlsx", {"Riktningar": [NEW_DIRECTION]})
    out = tmp_path / "nivaer.ttl"
    assert CliRunner().invoke(main, ["strategy", "import", str(filled), "--out", str(out)]).exit_code == 0
    graph = Graph().parse(out)
    assert (URIRef("urn:x:s"), None, None) not in graph and (URIRef(f"{ID}riktning/modiga"), None, None) in graph
