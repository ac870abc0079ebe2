"""A new municipality starts with data only (issue 18): `vetgraph init`, then the goal cycle on its own project.

Exempelby kommun is invented (tests/fixtures/ny-kommun/), and its strategy is built another way than
Vetlanda's: vision → målområden, with no riktningar, perspectives or delstrategier. Its strategy, committee,
KF-mål and goal links are written into the folder `init` made, as the development department would, and then
every command runs on it with `--project`, as real processes. Nothing it writes names Vetlanda or Vetlanda's
resources, apart from the shared vocabulary (its namespace and its own description).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from filling import choices, fill
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from rdflib import RDF, Graph

from conftest import FIXTURES
from vetgraph.namespaces import CODES, ONTOLOGY_IRI, SHAPES, VTL

BASE = "https://data.exempelby.se/"
COMMITTEE = "samhallsbyggnadsnamnden"
# The shared vocabulary's IRIs (and a sh:pattern naming its namespace), which every municipality reuses.
VOCABULARY = re.compile(
    "|".join(re.escape(namespace) + r"[^\s\"'<>)]*" for namespace in (ONTOLOGY_IRI, str(SHAPES), str(CODES)))
    + r"|data\\\\\.vetlanda\\\\\.se/def/|ontology/vetlanda\.ttl"
)
VETLANDA = re.compile(r"vetlanda|0685", re.IGNORECASE)


def vetgraph(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("ny-kommun")
    made = vetgraph("init", "exempelby", "--namn", "Exempelby kommun", "--kod", "0699", "--bas", BASE, cwd=work)
    assert made.returncode == 0, made.stderr
    folder = work / "exempelby"
    # the development department says in the profile how its strategy is built (målområden instead of
    # delstrategier and perspectives), and what its goals link to
    profile_file = folder / "data" / "profil.ttl"
    profile = Graph().parse(profile_file)
    for kind, predicate in ((VTL.Malkoppling, VTL.malkoppling), (VTL.Strateginiva, VTL.strateginiva)):
        for entry in set(profile.subjects(RDF.type, kind)):
            profile.remove((entry, None, None))
            profile.remove((None, predicate, entry))
    profile.parse(FIXTURES / "ny-kommun" / "struktur.ttl")
    profile_file.write_bytes(profile.serialize(format="turtle", encoding="utf-8"))
    # fills in the strategy in its workbook, choosing the links from the workbook's own lists
    workbook = work / "strategi.xlsx"
    made = vetgraph("--project", folder, "strategy", "template", workbook, cwd=work)
    assert made.returncode == 0, made.stderr
    filled = fill_strategy(workbook, work / "strategi-ifylld.xlsx")
    imported = vetgraph("--project", folder, "strategy", "import", filled, cwd=work)
    assert imported.returncode == 0, imported.stderr
    assert "(5 begrepp)" in imported.stdout
    # and the organisation (committee, KF-mål, mandate period) as Turtle
    (folder / "data" / "organisation.ttl").write_bytes((FIXTURES / "ny-kommun" / "organisation.ttl").read_bytes())
    return folder


STRATEGY = json.loads((FIXTURES / "ny-kommun" / "strategi.json").read_text(encoding="utf-8"))


def fill_strategy(template: Path, out: Path, change: dict[tuple[str, int, str], str | None] | None = None) -> Path:
    """The strategy workbook filled with Exempelby's (invented) strategy; ``change``: (sheet, row, column) -> value."""
    book = load_workbook(template)
    assert [n for n in book.sheetnames if n not in ("Instruktioner", "Listor")] == [
        "Vision",
        "Målområden",
        "Utmaningar",
    ]
    lists = {str(c.value): c.column for c in book["Listor"][1]}
    for name, rows in STRATEGY.items():
        if name.startswith("_"):
            continue
        sheet = book[name]
        columns = {str(c.value).removesuffix(" *"): c.column for c in sheet[1]}
        for number, row in enumerate(rows, 2):
            for header, value in row.items():
                if header.startswith("Källa"):  # from the workbook's own list
                    assert value in [c.value for c in book["Listor"][get_column_letter(lists[f"{name}: {header}"])]]
                sheet.cell(row=number, column=columns[header], value=value)
    for (name, number, header), value in (change or {}).items():
        sheet = book[name]
        column = next(c.column for c in sheet[1] if str(c.value).removesuffix(" *") == header)
        sheet.cell(row=number, column=column).value = value  # (cell(..., value=None) would leave it)
    book.save(out)
    return out


def test_init_writes_a_project_that_builds(project: Path) -> None:
    assert sorted(p.name for p in (project / "data").iterdir()) == [
        "agenda2030.ttl", "exempel", "grunddata.ttl", "kodlistor.ttl", "organisation.ttl", "profil.ttl", "rus.ttl",
        "strategi-nivaer.ttl", "strategi.ttl", "uppfoljning.ttl",
    ]  # fmt: skip
    built = vetgraph("--project", project, "build", "--out", project.parent / "graf", cwd=project.parent)
    assert built.returncode == 0, built.stderr
    graph = Graph().parse(project.parent / "graf" / "vetgraph.nt", format="nt")
    assert any(str(s).startswith(BASE + "id/malomrade/") for s in graph.subjects())


def test_a_wrong_strategy_workbook_is_named_by_sheet_row_and_column_and_nothing_is_written(project: Path) -> None:
    work = project.parent
    template = work / "strategi-mall.xlsx"
    assert vetgraph("--project", project, "strategy", "template", template, cwd=work).returncode == 0
    wrong = fill_strategy(template, work / "strategi-fel.xlsx", {("Målområden", 3, "Namn (engelska)"): None,
                                                                  ("Målområden", 4, "Vision"): "Exempelby 2050"})  # fmt: skip
    out = work / "nivaer-fel.ttl"
    checked = vetgraph("--project", project, "strategy", "import", wrong, "--out", out, cwd=work)
    assert checked.returncode == 1 and not out.exists()
    assert checked.stderr.splitlines() == [
        f"vetgraph: {wrong}: Blad Målområden, rad 3, kolumn Namn (engelska): Etikett på engelska (skos:prefLabel @en) "
        "saknas.",
        f"vetgraph: {wrong}: Blad Målområden, rad 4, kolumn Vision: 'Exempelby 2050' är inget av det som kolumnen "
        "listar; välj ur listan, eller fyll i det först på sitt blad",
    ]


def test_init_never_writes_over_a_folder(project: Path) -> None:
    again = vetgraph("init", project.name, "--namn", "Exempelby kommun", "--kod", "0699", "--bas", BASE,
                     cwd=project.parent)  # fmt: skip
    assert again.returncode == 2 and "the folder exists" in again.stderr
    wrong = vetgraph("init", "annan", "--namn", "X kommun", "--kod", "9999", "--bas", BASE, cwd=project.parent)
    assert wrong.returncode == 2 and "no county has the code 99" in wrong.stderr
    assert not (project.parent / "annan").exists()


def test_the_goal_cycle_runs_on_the_new_municipality_and_never_names_vetlanda(project: Path) -> None:
    work = project.parent
    template = work / "mall.xlsx"
    made = vetgraph("--project", project, "template", template, "--namnd", COMMITTEE, "--mandatperiod",
                    "period:2023-2026", cwd=work)  # fmt: skip
    assert made.returncode == 0, made.stderr
    book = load_workbook(template)
    assert book["Instruktioner"]["A1"].value == "Nämndmål till Exempelby kommuns utvecklingsstrategi"
    headers = [c.value for c in book["Nämndmål"][1]]
    assert "Målområde 1 *" in headers and "Målområde 4" in headers  # its own levels, and none of Vetlanda's
    assert not [h for h in headers if h.startswith(("Delstrategi", "Medborgarperspektiv"))]
    goal = {
        "Titel": "Solpaneler på kommunens tak",
        "KF-mål 1": choices(book, "KF-mål")[0],
        "Målområde 1": "Klimat och energi",
        "RUS-strategiområde 1": choices(book, "RUS-strategiområde")[0],
        "Agenda 2030-mål 1": "7. Hållbar energi för alla",
        "Utmaning 1": "Klimatet",
    }
    without_area = {key: value for key, value in goal.items() if key != "Målområde 1"} | {"Titel": "Laddstolpar"}
    three_areas = goal | {"Titel": "Cykelbanor", "Målområde 2": "Trygg uppväxt", "Målområde 3": "Levande centrum"}
    wrong = fill(template, work / "fel.xlsx", [goal, without_area, three_areas])
    checked = vetgraph("--project", project, "validate", wrong, cwd=work)
    assert checked.returncode == 1
    # named in the municipality's own words, from its profile
    assert "Blad Nämndmål, rad 3" in checked.stdout and "Namndmal-malomrade-saknas" in checked.stdout
    assert "Nämndmålet är inte kopplat till något målområde i Exempelbys strategi." in checked.stdout
    assert "Blad Nämndmål, rad 4" in checked.stdout and "Namndmal-malomrade-flera" in checked.stdout
    assert "högst 2 (målområde i Exempelbys strategi)" in checked.stdout
    assert checked.stdout.count("FEL [") == 2  # the first goal has every link it needs
    assert f"nm: = <{BASE}id/namndmal/>" in checked.stdout

    right = fill(template, work / "ratt.xlsx", [goal])
    store, report, site = work / "lager", work / "rapport", work / "webb"
    accepted = vetgraph("--project", project, "accept", right, "--namnd", COMMITTEE, "--store", store, cwd=work)
    assert accepted.returncode == 0, accepted.stderr
    history = vetgraph("--project", project, "history", "--store", store, cwd=work)
    assert "period:2023-2026" in history.stdout and "aktuell" in history.stdout
    reported = vetgraph("--project", project, "report", "--store", store, "--out", report, cwd=work)
    assert reported.returncode == 0, reported.stderr
    assert "Uppföljning av Exempelby kommuns utvecklingsstrategi" in (report / "uppfoljning.html").read_text("utf-8")
    published = vetgraph("--project", project, "publish", site, "--store", store, cwd=work)
    assert published.returncode == 0, published.stderr
    assert (site / "id" / "namnd" / f"{COMMITTEE}.html").is_file()
    catalogue = Graph().parse(site / "katalog.ttl")
    assert {str(o) for o in catalogue.objects(None, None) if str(o).startswith("Exempelby kommun")}

    assert _names_of_vetlanda(work / "graf", report, site, project) == []


def _names_of_vetlanda(*folders: Path) -> list[str]:
    """Lines that name Vetlanda, 0685 or Vetlanda's resources, outside the shared vocabulary: the vocabulary's own
    documents (site/def/, the ontology file) and, in RDF, statements about the vocabulary's terms are its own."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if not path.is_file() or path.suffix in (".gz", ".png") or relative.parts[0] in ("def", "ontology"):
                continue
            text = _without_vocabulary_statements(path)
            found += [f"{path}: {line.strip()[:120]}" for line in VOCABULARY.sub("", text).splitlines()
                      if VETLANDA.search(line)]  # fmt: skip
    return found


RDF_FILES = {".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld", ".rdf": "xml"}


def _without_vocabulary_statements(path: Path) -> str:
    if path.suffix not in RDF_FILES:
        return path.read_text(encoding="utf-8", errors="replace")
    graph = Graph().parse(path, format=RDF_FILES[path.suffix])
    for subject in {s for s in graph.subjects() if str(s).startswith(ONTOLOGY_IRI)}:
        graph.remove((subject, None, None))
    return graph.serialize(format="nt")


def test_a_committee_of_one_municipality_cannot_submit_anothers_goals(project: Path) -> None:
    """Vetlanda's sample goals, submitted to Exempelby, are refused as Vetlanda's: each goal is named under its own
    municipality's base, so that one municipality's submission never writes into another's graphs."""
    vetlandas = Path(__file__).resolve().parents[1] / "data" / "exempel" / "namndmal" / "socialnamnden.ttl"
    checked = vetgraph("--project", project, "validate", "--lang", "en", vetlandas, cwd=project.parent)
    assert checked.returncode == 1
    assert checked.stdout.count("[Inlamning-annan-kommun]") == 5  # its five goals
    assert "The goal's IRI is not the municipality's" in checked.stdout
    store = project.parent / "annat-lager"
    refused = vetgraph("--project", project, "accept", vetlandas, "--namnd", COMMITTEE, "--store", store,
                       cwd=project.parent)  # fmt: skip
    assert refused.returncode == 1 and not store.exists()


def test_a_folder_that_is_no_project_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    for folder in ("tom", "finns-inte"):
        result = vetgraph("--project", folder, "build", "--out", "graf", cwd=tmp_path)
        assert (
            result.returncode == 2 and "is not a vetgraph project folder (vetgraph init DIR makes one)" in result.stderr
        )
        assert "Traceback" not in result.stderr and not (tmp_path / "graf").exists()
