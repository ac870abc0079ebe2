"""Small files that cost minutes and gigabytes (issue 17): every spreadsheet is read within documented limits.

Each test is named after a case found when vetgraph was probed from outside, and
runs the real command. Before this round a 2 KB workbook with one cell at
XFD1048576 ran past 120 s and 2.7 GB; the subprocess time limits here are guards
against such a hang coming back, far above what each case takes now.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from filling import a_goal, fill
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.formula import ArrayFormula

from conftest import REPO
from vetgraph.submissions.survey import MAX_CELLS, MAX_COLUMNS, MAX_ROWS

SAMPLE = REPO / "data/exempel/kalkylblad/kultur-och-fritidsnamnden.xlsx"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
GUARD = 120  # seconds: a hang, not a slow machine


def vetgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", *args],
        env=ENV, capture_output=True, text=True, timeout=GUARD, check=False,
    )  # fmt: skip


def assert_one_swedish_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def raw_workbook(path: Path, sheet_xml: str) -> Path:
    """A workbook whose one sheet, Nämndmål, is ``sheet_xml`` (the cells inside <sheetData>), written by hand:
    the hostile files are small archives that openpyxl would take minutes to write."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{relations}/officeDocument"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
            '<sheet name="Nämndmål" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            f'Type="{relations}/worksheet"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{main}"><sheetData>'.encode())
            sheet.write(sheet_xml.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def one_cell_at(path: Path, reference: str) -> Path:
    book = load_workbook(SAMPLE)
    book["Nämndmål"][reference] = "x"
    book.save(path)
    return path


@pytest.mark.parametrize("reference", ["XFD1048576", "A1048576"])
def test_a_2_kb_workbook_with_one_far_cell_is_refused_at_once(tmp_path: Path, reference: str) -> None:
    workbook = raw_workbook(
        tmp_path / "liten.xlsx", f'<row r="1"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    assert workbook.stat().st_size < 2048
    assert_one_swedish_line(
        vetgraph("validate", str(workbook)), f"cellen {reference} har ett värde", "högst 2 000 rader"
    )


@pytest.mark.parametrize("reference", ["XFD1048576", "A1048576"])
def test_the_sample_with_one_far_cell_is_refused_and_names_the_cell(tmp_path: Path, reference: str) -> None:
    result = vetgraph(
        "validate", str(one_cell_at(tmp_path / "prov.xlsx", reference)), "--namnd", "kultur-och-fritidsnamnden"
    )
    assert_one_swedish_line(result, f"Blad Nämndmål: cellen {reference}")


def test_a_styled_empty_cell_far_away_costs_nothing_and_is_no_error(tmp_path: Path) -> None:
    book = load_workbook(SAMPLE)
    book["Nämndmål"]["XFD1048576"].font = Font(bold=True)  # formatting, no value
    book.save(tmp_path / "formaterad.xlsx")
    result = vetgraph("validate", str(tmp_path / "formaterad.xlsx"), "--namnd", "kultur-och-fritidsnamnden")
    assert result.returncode == 0, result.stderr
    assert "5 nämndmål, uppfyller kraven" in result.stdout


def test_1_3_million_small_cells_under_the_unpack_cap_are_refused(tmp_path: Path) -> None:
    rows = "".join(
        f'<row r="{r}">' + "".join(f"<c><v>{c}</v></c>" for c in range(1, 61)) + "</row>" for r in range(1, 21_700)
    )
    workbook = raw_workbook(tmp_path / "celler.xlsx", rows)
    assert workbook.stat().st_size < 10_000_000
    assert_one_swedish_line(vetgraph("validate", str(workbook)), "fler än 50 000 ifyllda celler")


def test_50000_real_rows_are_refused_by_the_row_limit(tmp_path: Path) -> None:
    header = '<row r="1"><c t="inlineStr"><is><t>Titel *</t></is></c></row>'
    rows = "".join(f'<row r="{r}"><c t="inlineStr"><is><t>Mål {r}</t></is></c></row>' for r in range(2, 50_002))
    result = vetgraph("validate", str(raw_workbook(tmp_path / "rader.xlsx", header + rows)))
    assert_one_swedish_line(result, "cellen A2001 har ett värde")  # the header and 1 999 goals are the most


def test_the_limits_are_the_documented_ones() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"{MAX_ROWS:,} rows".replace(",", " ") in readme.replace(",", " ")
    assert f"{MAX_COLUMNS} columns" in readme
    assert f"{MAX_CELLS:,} filled cells".replace(",", " ") in readme.replace(",", " ")


def test_a_workbook_with_a_dtd_is_refused(tmp_path: Path) -> None:
    workbook = raw_workbook(tmp_path / "dtd.xlsx", "")
    with zipfile.ZipFile(workbook) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(workbook, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert_one_swedish_line(vetgraph("validate", str(workbook)), "DTD")


# ---------------------------------------------------------------- CSV


def sample_rows() -> list[list[str]]:
    sheet = load_workbook(SAMPLE)["Nämndmål"]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return [row for row in rows if any(row[2:])]  # the header and the filled goals (columns A-B are preset)


def csv_text(rows: list[list[str]], delimiter: str = ";") -> str:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue()


def test_a_35000_row_csv_is_refused_by_the_row_limit(tmp_path: Path) -> None:
    lines = ["Titel;Delstrategi 1"] + [f"Mål {n};Stärka trygghet" for n in range(35_000)]
    path = tmp_path / "stor.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_one_swedish_line(vetgraph("validate", str(path)), "fler än 2 000 rader")


def test_a_csv_field_over_128_kb_is_a_swedish_message_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "lang.csv"
    path.write_text('Titel;Delstrategi 1\n"' + "a" * 200_000 + '";x\n', encoding="utf-8")
    assert_one_swedish_line(vetgraph("validate", str(path)), "rad 2", "ett fält är längre än vetgraph läser")


def test_csv_bytes_neither_utf8_nor_windows_1252_are_a_swedish_message(tmp_path: Path) -> None:
    path = tmp_path / "konstig.csv"
    path.write_bytes(b"Titel;Delstrategi 1\nM\x81l;x\n")
    assert_one_swedish_line(vetgraph("validate", str(path)), "rad 2: byte 0x81 är varken UTF-8 eller Windows-1252")


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-16", "\t"), ("utf-8", "\t"), ("cp1252", ";"), ("utf-8-sig", ",")]
)
def test_excels_unicode_text_and_tab_separated_csv_are_read(tmp_path: Path, encoding: str, delimiter: str) -> None:
    """Excel's "Unicode-text" is UTF-16 with a BOM and tabs: it is what Excel writes, so it is read."""
    path = tmp_path / "mal.csv"
    path.write_bytes(csv_text(sample_rows(), delimiter).encode(encoding))
    result = vetgraph("validate", str(path), "--namnd", "kultur-och-fritidsnamnden")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 nämndmål, uppfyller kraven" in result.stdout


# ---------------------------------------------------------------- control characters and formulas


# XML 1.0 cannot carry C0 controls (ESC, BEL, NUL), so an .xlsx cannot hold them (openpyxl reads the
# _x001B_ notation as the text it is); C1 controls such as CSI (U+009B) and the bidi overrides it can.
CONTROLS = {"ESC": "\x1b", "BEL": "\x07", "NUL": "\x00", "CSI": "\x9b", "RLO": "\u202e"}
CASES = [("xlsx", "CSI"), ("xlsx", "RLO")] + [(kind, name) for kind in ("csv", "ttl") for name in CONTROLS]


def with_title(kind: str, title: str, tmp_path: Path) -> Path:
    """The Kultur- och fritidsnämnden sample as ``kind``, its first goal titled ``title``."""
    first = "Fler mötesplatser för unga i hela kommunen"
    if kind == "xlsx":
        with zipfile.ZipFile(SAMPLE) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        sheet = "xl/worksheets/sheet2.xml"  # Nämndmål, the goals
        assert first.encode() in parts[sheet]
        parts[sheet] = parts[sheet].replace(first.encode(), title.encode(), 1)
        path = tmp_path / "styr.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return path
    if kind == "csv":
        rows = sample_rows()
        rows[1] = [title if cell == first else cell for cell in rows[1]]
        path = tmp_path / "styr.csv"
        path.write_text(csv_text(rows), encoding="utf-8")
        return path
    text = (REPO / "data/exempel/namndmal/kultur-och-fritidsnamnden.ttl").read_text(encoding="utf-8")
    assert first in text
    path = tmp_path / "styr.ttl"
    path.write_text(text.replace(first, title, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_control_characters_are_refused_on_every_input_path(tmp_path: Path, kind: str, name: str) -> None:
    character = CONTROLS[name]
    result = vetgraph("validate", str(with_title(kind, f"Fler bor{character}kvar", tmp_path)))
    # a NUL makes a Turtle file binary, and it is refused as such
    expected = "binär" if (kind, name) == ("ttl", "NUL") else f"U+{ord(character):04X}"
    assert_one_swedish_line(result, expected)
    assert character not in result.stdout + result.stderr


def test_a_csv_formula_is_refused_as_in_xlsx(tmp_path: Path) -> None:
    rows = sample_rows()
    rows[1][rows[0].index(next(h for h in rows[0] if h.startswith("Titel")))] = '=HYPERLINK("http://x.example")'
    path = tmp_path / "formel.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    assert_one_swedish_line(vetgraph("validate", str(path)), "kolumn Titel: cellen har en formel")


def test_an_array_formula_is_a_formula_not_a_title(tmp_path: Path) -> None:
    book = load_workbook(SAMPLE)
    sheet = book["Nämndmål"]
    column = next(c.column_letter for c in sheet[1] if str(c.value).startswith("Titel"))
    sheet[f"{column}2"] = ArrayFormula(f"{column}2", '=UPPER("a")')
    book.save(tmp_path / "matris.xlsx")
    result = vetgraph("validate", str(tmp_path / "matris.xlsx"))
    assert_one_swedish_line(result, "kolumn Titel: cellen har en formel")
    assert "ArrayFormula object" not in result.stdout + result.stderr


def test_template_from_a_goal_titled_as_a_formula_writes_text_not_a_live_formula(tmp_path: Path) -> None:
    sample = REPO / "data/exempel/namndmal/kultur-och-fritidsnamnden.ttl"
    text = sample.read_text(encoding="utf-8")
    first_title = text.split('dcterms:title "', 1)[1].split('"', 1)[0]
    hostile = '=HYPERLINK(\\"http://x.example\\",\\"Klicka\\")'
    (tmp_path / "mal.ttl").write_text(text.replace(first_title, hostile, 1), encoding="utf-8")
    result = vetgraph("template", str(tmp_path / "mall.xlsx"), "--from", str(tmp_path / "mal.ttl"))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "mall.xlsx") as archive:
        sheets = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>HYPERLINK" not in sheets and b"<f>" not in sheets.split(b"HYPERLINK")[0][-200:]
    cell = next(
        c for row in load_workbook(tmp_path / "mall.xlsx")["Nämndmål"].iter_rows() for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    )  # fmt: skip
    assert cell.data_type == "s"  # text, shown as written, never run
    # and read back, it is text (it is the goal's title), not refused as a formula
    back = vetgraph("import", str(tmp_path / "mall.xlsx"))
    assert back.returncode == 0, back.stderr
    assert "HYPERLINK" in back.stdout


def test_a_filled_template_still_reads_through_the_streaming_reader(tmp_path: Path) -> None:
    template = tmp_path / "mall.xlsx"
    assert vetgraph("template", str(template)).returncode == 0
    book = load_workbook(template)
    filled = fill(template, tmp_path / "ifylld.xlsx", [a_goal(book, "Fler läser böcker")])
    result = vetgraph("validate", str(filled))
    assert result.returncode in (0, 1), result.stderr  # read: the rules then decide
    assert "1 nämndmål" in result.stdout
