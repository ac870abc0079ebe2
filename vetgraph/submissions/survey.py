"""What an .xlsx holds, surveyed from its XML before openpyxl reads it, so that any file costs bounded work.

openpyxl sizes a sheet by its furthest cell: one value at ``XFD1048576`` in a 2 KB
file made it walk 17 billion empty cells (minutes, gigabytes), and 1.3 million
small cells took minutes more. This survey streams each worksheet's XML once
with expat (no tree is built, no DTD is accepted), stops at the first cell past
the limits below, and tells the reader how far each sheet's values reach, which
rows are hidden and which cells are merged, which openpyxl's streaming mode does
not. The limits are far above any committee's submission and are documented in
the README ("Limits").
"""

from __future__ import annotations

import posixpath
import re
import xml.parsers.expat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vetgraph.errors import VetgraphError

# A committee has tens of goals and a few hundred outcomes; the template itself has 201 rows and 29 columns.
MAX_ROWS = 2_000
MAX_COLUMNS = 100
MAX_CELLS = 50_000  # cells with a value, in all sheets together
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_CHUNK = 64 * 1024


@dataclass
class SheetSurvey:
    """How far a sheet's values reach (0 when it has none), its hidden rows and merged cells."""

    rows: int = 0
    columns: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def survey(path: Path, archive: zipfile.ZipFile) -> dict[str, SheetSurvey]:
    """Every worksheet by name, or a Swedish error naming the first cell past the limits."""
    parts = _sheet_parts(path, archive)
    cells = 0
    surveys = {}
    for name, part in parts.items():
        surveys[name], counted = _survey_sheet(path, archive, name, part, MAX_CELLS - cells)
        cells += counted
    return surveys


def _sheet_parts(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the archive, from the workbook and its relationships."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def in_workbook(name: str, attributes: dict[str, str]) -> None:
        if name == f"{_MAIN} sheet":
            sheets.append((attributes.get("name", ""), attributes.get(f"{_RELATIONSHIPS} id", "")))

    def in_relationships(name: str, attributes: dict[str, str]) -> None:
        if name == f"{_PACKAGE_RELATIONSHIPS} Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    _parse(path, archive, "xl/workbook.xml", in_workbook)
    _parse(path, archive, "xl/_rels/workbook.xml.rels", in_relationships)
    parts = {}
    for name, relation in sheets:
        target = targets.get(relation, "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if part in archive.NameToInfo:  # a chart sheet or a missing part has no cells to survey
            parts[name] = part
    return parts


def _survey_sheet(
    path: Path, archive: zipfile.ZipFile, name: str, part: str, cells_left: int
) -> tuple[SheetSurvey, int]:
    found = SheetSurvey()
    row = column = 0
    cell: str | None = None
    valued = False
    counted = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal row, column, cell, valued
        local = tag.rsplit(" ", 1)[-1]
        if local == "row":
            row = int(attributes["r"]) if attributes.get("r", "").isdigit() else row + 1
            column = 0
            if attributes.get("hidden") in ("1", "true"):
                found.hidden_rows.add(row)
        elif local == "c":
            reference = _CELL_REFERENCE.fullmatch(attributes.get("r", ""))
            if reference:  # the cell's own reference decides, whatever its row element says
                column, row = column_number(reference.group(1)), int(reference.group(2))
            else:
                column += 1
            cell, valued = reference.group(0) if reference else None, False
        elif local in ("v", "f", "is"):  # a value, a formula or an inline string
            valued = True
        elif local == "mergeCell":
            found.merged.append(attributes.get("ref", ""))

    def end(tag: str) -> None:
        nonlocal counted, valued
        if tag.rsplit(" ", 1)[-1] != "c" or not valued:
            return
        valued = False
        where = cell or f"{_letters(column)}{row}"
        if row > MAX_ROWS or column > MAX_COLUMNS:
            raise VetgraphError(
                f"Blad {name}: cellen {where} har ett värde, men ett blad får ha högst {swedish_number(MAX_ROWS)} rader "
                f"och {MAX_COLUMNS} kolumner; ta bort det som står utanför, eller dela upp filen",
                path=path,
            )
        counted += 1
        if counted > cells_left:
            raise VetgraphError(
                f"arbetsboken har fler än {swedish_number(MAX_CELLS)} ifyllda celler; en nämnds mål och uppföljning "
                "är långt färre: dela upp filen",
                path=path,
            )
        found.rows, found.columns = max(found.rows, row), max(found.columns, column)

    _parse(path, archive, part, start, end)
    return found, counted


def swedish_number(value: int) -> str:
    """A number as Swedish writes it: 50 000."""
    return f"{value:,}".replace(",", " ")


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _parse(
    path: Path,
    archive: zipfile.ZipFile,
    part: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
) -> None:
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def refuse_doctype(*_args: object) -> None:
        raise VetgraphError(
            "arbetsboken har en DTD (<!DOCTYPE>), som Excel aldrig skriver; vetgraph läser den inte", path=path
        )

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except KeyError:
        raise VetgraphError(
            f"filen är inte en Excel-arbetsbok som går att läsa (delen {part} saknas)", path=path
        ) from None
    except (xml.parsers.expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise VetgraphError(
            f"filen är inte en Excel-arbetsbok som går att läsa ({type(error).__name__} i {part})", path=path
        ) from None
