"""Committee goals through a spreadsheet (issue 9, first part): the template, filled as a person would, read back.

The template is generated from the shapes and the reference data; a test fills
it with openpyxl choosing from its own lists, and the round trip template ->
validate -> import -> validate holds with stable IRIs.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from filling import a_goal, choices, fill, libreoffice_resave
from openpyxl import load_workbook
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import DCTERMS, PROV, SH

from municipality import ID
from vetgraph.cli import main
from vetgraph.goal_links import submission_shapes
from vetgraph.namespaces import QB, VTL
from vetgraph.project import default_project
from vetgraph.rdf import graphs
from vetgraph.submissions.fields import GOAL_SHAPE, goal_fields
from vetgraph.submissions.workflow import import_spreadsheet, make_template
from vetgraph.validation import Validator

SOCIAL = URIRef(str(ID) + "namnd/socialnamnden")
PERIOD = URIRef(str(ID) + "mandatperiod/2023-2026")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return make_template(tmp_path / "mall.xlsx", committee=SOCIAL, period=PERIOD)


def test_the_template_is_generated_from_the_shapes_and_the_data(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames == [
        "Instruktioner", "Nämndmål", "Listor", "Indikatorer", "Utfall", "Måluppfyllelse", "Referens"
    ]  # fmt: skip
    assert book["Listor"].sheet_state == "hidden"
    headers = [c.value for c in book["Nämndmål"][1]]
    assert headers[:4] == ["Ansvarig nämnd *", "Mandatperiod *", "Titel *", "Beskrivning"]
    assert "Delstrategi 1 *" in headers and "Delstrategi 2" in headers
    project = default_project()
    reference = graphs.read_trusted(project.reference_files())
    fields = goal_fields(submission_shapes(project, reference), reference)
    # every column of a linked field has a drop-down list kept on the hidden sheet (no 255-character inline lists)
    validations = book["Nämndmål"].data_validations.dataValidation
    assert len(validations) == sum(len(f.columns) for f in fields if f.is_link)
    assert all(v.formula1.startswith("=Listor!") for v in validations)
    # committee and period filled in; only the KF-mål of that period listed
    assert (
        book["Nämndmål"]["A2"].value == "Socialnämnden" and book["Nämndmål"]["B200"].value == "Mandatperioden 2023–2026"
    )
    kf_field = next(f for f in fields if f.path == VTL.kfMal)
    kf = choices(book, "KF-mål")
    assert kf and len(kf) < len(kf_field.choices)
    assert all((kf_field.choices[label], VTL.mandatperiod, PERIOD) in reference for label in kf)
    assert "3. God hälsa och välbefinnande" in choices(book, "Agenda 2030-mål")
    referens = [[c.value for c in row] for row in book["Referens"].iter_rows(min_row=2)]
    god_halsa = next(r for r in referens if r[0] == "God hälsa och hög livskvalitet i hela kommunen")
    assert "Folkhälsa" in god_halsa[3] and "God hälsa och välbefinnande" in god_halsa[4]


def test_a_new_rule_in_the_shapes_is_a_new_column_with_no_code_change() -> None:
    project = default_project()
    reference = graphs.read_trusted(project.reference_files())
    shapes = submission_shapes(project, reference)
    before = [f.header for f in goal_fields(shapes, reference)]
    extra = URIRef("https://data.vetlanda.se/shapes/Namndmal-riktning")
    shapes.add((GOAL_SHAPE, SH.property, extra))
    shapes.add((extra, SH.path, VTL.riktning))
    shapes.add((extra, SH["class"], VTL.Riktning))
    after = goal_fields(shapes, reference)
    assert [f.header for f in after if f.header not in before] == ["Riktning"]
    assert "Den hållbara kommunen" in next(f for f in after if f.header == "Riktning").choices


def test_a_template_filled_as_a_person_would_validates_imports_and_keeps_its_iris(
    template: Path, tmp_path: Path
) -> None:
    book = load_workbook(template)
    filled = fill(
        template, tmp_path / "ifylld.xlsx", [a_goal(book, "Fler äldre bor kvar hemma"), a_goal(book, "Färre faller")]
    )
    code, out, err = run("validate", str(filled), "--namnd", "socialnamnden")
    assert code == 0, out + err
    assert "2 nämndmål, uppfyller kraven" in out
    code, out, _ = run("import", str(filled), "--out", str(tmp_path / "mal.ttl"))
    assert code == 0 and "2 nämndmål" in out
    report = Validator().validate_file(tmp_path / "mal.ttl")
    assert report.conforms and len(report.goals) == 2
    again = import_spreadsheet(filled).graph
    assert set(again.subjects()) == set(Graph().parse(tmp_path / "mal.ttl").subjects())  # stable IRIs
    assert (URIRef(str(ID) + "namndmal/socialnamnden-2023-2026-fler-aldre-bor-kvar-hemma"), None, None) in again


def test_a_misspelt_name_names_sheet_row_column_and_the_closest_name(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    goals = [a_goal(book, "Ett mål"), a_goal(book, "Ett annat mål")]
    goals[1]["Delstrategi 1"] = "Förstärka inovationskraften"
    filled = fill(template, tmp_path / "fel.xlsx", goals)
    code, out, _ = run("validate", str(filled))
    assert code == 1
    assert (
        "Blad Nämndmål, rad 3, kolumn Delstrategi 1: 'Förstärka inovationskraften' finns inte. "
        "Menade du 'Förstärka innovationskraften'?" in out
    )
    assert "Namndmal-delstrategi-saknas" not in out  # one mistake, one finding
    assert "(Blad Nämndmål, rad 3)" in out
    code, _, err = run("import", str(filled))
    assert code == 1 and "rad 3, kolumn Delstrategi 1" in err


def test_a_csv_from_swedish_excel_in_windows_1252_with_semicolons(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    goal = {
        "Ansvarig nämnd": "Socialnämnden",
        "Mandatperiod": "Mandatperioden 2023–2026",
        **a_goal(book, "Äldre är trygga"),
    }
    path = tmp_path / "mal.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(list(goal))
        writer.writerow(list(goal.values()))
    code, out, err = run("validate", str(path))
    assert code == 0, out + err
    assert Literal("Äldre är trygga", lang="sv") in set(import_spreadsheet(path).graph.objects())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("mal.xls", "spara om filen som Excel-arbetsbok (.xlsx)"),
        ("mal.ods", "spara om filen som Excel-arbetsbok (.xlsx)"),
        ("mal.xlsm", "arbetsboken har makron"),
        ("inte-kalkylblad.xlsx", "inte en Excel-arbetsbok"),
    ],
)
def test_files_that_are_not_readable_workbooks_get_a_clear_swedish_error(
    tmp_path: Path, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel, or anything else")
    code, out, err = run("validate", str(path))
    assert code == 2 and out == ""
    assert expected in err and err.count("\n") == 1


def test_a_renamed_sheet_and_a_formula_are_explained(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    book["Nämndmål"].title = "Mål"
    book.save(tmp_path / "omdopt.xlsx")
    code, _, err = run("validate", str(tmp_path / "omdopt.xlsx"))
    assert code == 2 and "inget blad som heter Nämndmål" in err
    book = load_workbook(template)
    filled = fill(template, tmp_path / "formel.xlsx", [{**a_goal(book, "Mål"), "Titel": '=HYPERLINK("x")'}])
    code, _, err = run("validate", str(filled))
    assert code == 2 and "rad 2, kolumn Titel: cellen har en formel" in err


def test_template_refuses_to_overwrite_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "mall.xlsx"
    existing.write_text("mitt eget")
    code, _, err = run("template", str(existing))
    assert code == 2 and "does not overwrite" in err
    assert existing.read_text() == "mitt eget"


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    # 200 MB of zeros, a few hundred KB packed
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(200):
            member.write(b"0" * (1024 * 1024))
    assert bomb.stat().st_size < 1_000_000
    code, _, err = run("validate", str(bomb))
    assert code == 2 and "packas upp till 210 MB" in err


def test_merged_cells_hidden_rows_and_dates_are_explained(template: Path, tmp_path: Path) -> None:
    import datetime

    book = load_workbook(template)
    goal = a_goal(book, "Mål")
    merged = fill(template, tmp_path / "sammanfogad.xlsx", [goal, goal | {"Titel": "Ett till"}])
    workbook = load_workbook(merged)
    workbook["Nämndmål"].merge_cells("C2:C3")
    workbook.save(merged)
    code, _, err = run("validate", str(merged))
    assert code == 2 and "cellerna C2:C3 är sammanfogade" in err

    hidden = fill(template, tmp_path / "dold.xlsx", [goal, goal | {"Titel": "Dolt mål"}])
    workbook = load_workbook(hidden)
    workbook["Nämndmål"].row_dimensions[3].hidden = True
    workbook.save(hidden)
    code, _, err = run("validate", str(hidden))
    assert code == 2 and "rad 3 är dold men ifylld" in err

    dated = fill(template, tmp_path / "datum.xlsx", [goal | {"Titel": datetime.date(2026, 1, 1)}])  # type: ignore[dict-item]
    code, _, err = run("validate", str(dated))
    assert code == 2 and "rad 2, kolumn Titel: cellen är ett datum" in err


def test_empty_rows_in_the_middle_are_skipped(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    filled = fill(template, tmp_path / "glest.xlsx", [a_goal(book, "Första"), {}, {}, a_goal(book, "Fjärde")])
    imported = import_spreadsheet(filled)
    assert imported.problems == [] and sorted(r.number for r in imported.rows.values()) == [2, 5]


def test_an_unknown_mandate_period_for_the_template_is_exit_2_not_a_bug(tmp_path: Path) -> None:
    code, _, err = run("template", str(tmp_path / "mall.xlsx"), "--mandatperiod", "period:1999-2002")
    assert code == 2 and "no such mandate period" in err
    assert not (tmp_path / "mall.xlsx").exists()


def test_a_filled_template_saved_by_libreoffice_still_validates_imports_and_keeps_its_lists(
    template: Path, tmp_path: Path
) -> None:
    book = load_workbook(template)
    filled = fill(template, tmp_path / "ifylld.xlsx", [a_goal(book, "Fler äldre bor kvar hemma")])
    saved = libreoffice_resave(filled, tmp_path / "libreoffice")
    assert saved.read_bytes() != filled.read_bytes()  # really written by LibreOffice
    code, out, err = run("validate", str(saved), "--namnd", "socialnamnden")
    assert code == 0, out + err
    assert to_isomorphic(import_spreadsheet(saved).graph) == to_isomorphic(import_spreadsheet(filled).graph)
    # The drop-down lists survive: the same validations, on the same hidden sheet, with the same choices.
    again = load_workbook(saved)
    assert again["Listor"].sheet_state == "hidden"
    lists = {
        (str(v.sqref), v.formula1.lstrip("=").replace("$", ""))
        for v in again["Nämndmål"].data_validations.dataValidation
    }
    original = {
        (str(v.sqref), v.formula1.lstrip("=").replace("$", ""))
        for v in book["Nämndmål"].data_validations.dataValidation
    }
    assert lists == original
    for header in ("Delstrategi", "Agenda 2030-mål", "KF-mål", "Utmaning"):
        assert choices(again, header) == choices(book, header)


def test_the_sample_spreadsheet_says_what_the_turtle_sample_says(tmp_path: Path) -> None:
    # data/exempel/kalkylblad/ is made by scripts/make-sample-spreadsheet.sh from the Turtle sample.
    project = default_project()
    sample = project.data_dir / "exempel" / "kalkylblad" / "kultur-och-fritidsnamnden.xlsx"
    turtle = graphs.read_rdf(project.sample_submissions_dir / "kultur-och-fritidsnamnden.ttl")
    imported = import_spreadsheet(sample)
    assert not imported.problems
    report = Validator().validate_file(sample, committee=URIRef(str(ID) + "namnd/kultur-och-fritidsnamnden"))
    assert report.conforms and len(report.goals) == 5

    def links(graph: Graph) -> dict[str, set[tuple[str, str]]]:
        by_identifier = {}
        for goal in graph.subjects(RDF.type, VTL.Namndmal):
            by_identifier[str(graph.value(goal, DCTERMS.identifier))] = {
                (str(p), str(o))
                for p, o in graph.predicate_objects(goal)
                if isinstance(o, URIRef) and p not in (RDF.type, VTL.dataStatus, VTL.matt)
            } | {("title", str(t)) for t in graph.objects(goal, DCTERMS.title) if t.language == "sv"}
        return by_identifier

    assert links(imported.graph) == links(turtle)
    assert follow_up(imported.graph) == follow_up(turtle)
    descriptions = [str(d) for d in imported.graph.objects(None, DCTERMS.description)]
    assert len(descriptions) == 5 and all(d.startswith("EXEMPELDATA") for d in descriptions)
    # and LibreOffice reads it as Excel does
    assert to_isomorphic(import_spreadsheet(libreoffice_resave(sample, tmp_path)).graph) == to_isomorphic(
        imported.graph
    )


def test_a_template_filled_from_a_submission_gives_the_submission_back(tmp_path: Path) -> None:
    project = default_project()
    turtle = project.sample_submissions_dir / "socialnamnden.ttl"
    code, _out, err = run("template", str(tmp_path / "sn.xlsx"), "--from", str(turtle))
    assert code == 0, err
    imported = import_spreadsheet(tmp_path / "sn.xlsx")
    assert not imported.problems
    original = graphs.read_rdf(turtle)

    def goal_titles(graph: Graph) -> set[str]:
        return {
            str(t) for g in graph.subjects(RDF.type, VTL.Namndmal) for t in graph.objects(g, DCTERMS.title)
            if t.language == "sv"
        }  # fmt: skip

    assert goal_titles(imported.graph) == goal_titles(original)
    assert {o for o in imported.graph.objects(None, VTL.agenda2030)} == set(original.objects(None, VTL.agenda2030))
    assert follow_up(imported.graph) == follow_up(original)


def follow_up(graph: Graph) -> dict[str, object]:
    """A submission's follow-up by content (the IRIs of spreadsheet goals differ from hand-written ones)."""

    def name(node: object) -> str:
        return str(graph.value(node, DCTERMS.title) or node).rsplit("/", 1)[-1]  # type: ignore[arg-type]

    def goal_id(goal: object) -> str:
        return str(graph.value(goal, DCTERMS.identifier))  # type: ignore[arg-type]

    def values(node: object, *predicates: URIRef) -> tuple[str, ...]:
        return tuple(str(graph.value(node, p)) for p in predicates)  # type: ignore[arg-type]

    return {
        "measures": sorted(
            (goal_id(g), name(graph.value(m, VTL.indikator)),
             *values(m, VTL.enhet, VTL.basar, VTL.malar, VTL.onskadRiktning),
             *(str(Decimal(str(graph.value(m, p)))) for p in (VTL.basvarde, VTL.malvarde)))
            for g, m in graph.subject_objects(VTL.matt)
        ),
        "outcomes": sorted(
            (name(graph.value(o, VTL.indikator)), *values(o, VTL.ar, VTL.kon, VTL.kommun, DCTERMS.source),
             str(Decimal(str(graph.value(o, VTL.varde)))))
            for o in graph.subjects(RDF.type, QB.Observation)
        ),
        "judgements": sorted(
            (goal_id(graph.value(j, VTL.avserMal)),
             *values(j, VTL.uppfoljningstillfalle, VTL.ar, VTL.maluppfyllelse, RDFS.comment, PROV.wasAttributedTo,
                     PROV.generatedAtTime))
            for j in graph.subjects(RDF.type, VTL.Bedomning)
        ),
    }  # fmt: skip


def test_a_number_where_text_belongs_is_explained(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    goal: dict[str, object] = dict(a_goal(book, "x"))
    goal["Titel"] = 12345  # e.g. typed into the wrong column
    goal["Identifierare"] = 7  # an identifier may well be a number
    filled = fill(template, tmp_path / "tal.xlsx", [goal])  # type: ignore[list-item]
    code, out, _ = run("validate", str(filled))
    assert code == 1
    assert "Blad Nämndmål, rad 2, kolumn Titel: cellen innehåller talet 12345, inte text; skriv titel" in out
    assert "Identifierare" not in out and "titel-saknas" not in out.lower()  # one mistake, one finding


def test_a_workbook_declaring_a_million_rows_is_read_by_its_real_rows(tmp_path: Path) -> None:
    import zipfile

    sample = default_project().data_dir / "exempel" / "kalkylblad" / "kultur-och-fritidsnamnden.xlsx"
    with zipfile.ZipFile(sample) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in members.items():
        if name.startswith("xl/worksheets/"):  # claim the largest sheet Excel allows
            members[name] = data.replace(b"<sheetViews", b'<dimension ref="A1:XFD1048576"/><sheetViews', 1)
    huge = tmp_path / "miljon.xlsx"
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert b"A1:XFD1048576" in zipfile.ZipFile(huge).read("xl/worksheets/sheet2.xml")
    imported = import_spreadsheet(huge)
    assert not imported.problems and len(imported.rows) == 5
