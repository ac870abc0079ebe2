"""A filled row and where it is, and CSV files read into rows: what every spreadsheet reader shares.

A CSV file (UTF-8, the Windows-1252 that Swedish Excel saves, or Excel's UTF-16
"Unicode-text"; ``;``, ``,`` or tabs) is one sheet, the goals'. Workbooks are read
by :mod:`.spreadsheet`, the one module that uses openpyxl; both check every cell's
text with the same check as RDF input.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from vetgraph.errors import VetgraphError
from vetgraph.rdf.safety import unsafe_character
from vetgraph.submissions.survey import MAX_ROWS, swedish_number

GOALS_SHEET = "Nämndmål"
MAX_SPREADSHEET_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One filled row: where it is, and its cells by column header (without the required mark)."""

    sheet: str
    number: int
    cells: dict[str, str]
    numbers: frozenset[str] = frozenset()  # the columns whose cell holds a number, not text (.xlsx only)

    def where(self, column: str | None = None) -> str:
        place = f"Blad {self.sheet}, rad {self.number}"
        return f"{place}, kolumn {column}" if column else place


def check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise VetgraphError("filen finns inte", path=path) from None
    if size > MAX_SPREADSHEET_BYTES:
        raise VetgraphError(f"filen är {size / 1e6:.1f} MB; vetgraph läser högst 10 MB", path=path)


def check_text(text: str, where: str, path: Path) -> None:
    """The one check on text from any input (:func:`vetgraph.rdf.safety.unsafe_character`), placed by cell."""
    character = unsafe_character(text)
    if character is not None:
        raise VetgraphError(
            f"{where}: cellen innehåller tecknet U+{ord(character):04X}, ett styrtecken som inte hör hemma i text "
            "(det kan flytta markören i en terminal eller vända textens riktning); ta bort det",
            path=path,
        )


def read_csv(path: Path) -> list[Row]:
    text = _decode_csv(path.read_bytes(), path)
    first = text.split("\n", 1)[0]
    # Swedish Excel writes ";", others ","; "Unicode-text" and many programs write tabs.
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers: list[str] = []
    result = []
    try:
        for values in reader:
            number = reader.line_num
            if not headers:
                headers = [clean_header(h) for h in values]
                continue
            if number > MAX_ROWS + 1:
                raise VetgraphError(
                    f"filen har fler än {swedish_number(MAX_ROWS)} rader; en nämnds mål är långt färre: dela upp filen",
                    path=path,
                )
            cells = {}
            for header, value in zip(headers, values, strict=False):
                text_value = value.strip()
                if not header or not text_value:
                    continue
                where = f"Blad {GOALS_SHEET}, rad {number}, kolumn {header}"
                if text_value.startswith("="):  # Excel runs it as a formula when it opens the file
                    raise VetgraphError(
                        f"{where}: cellen har en formel ({text_value[:40]}); skriv värdet i stället", path=path
                    )
                check_text(text_value, where, path)
                cells[header] = text_value
            if cells:
                result.append(Row(GOALS_SHEET, number, cells))
    except csv.Error as error:
        detail = "ett fält är längre än vetgraph läser" if "field limit" in str(error) else str(error)
        raise VetgraphError(
            f"rad {reader.line_num}: filen går inte att läsa som CSV ({detail}); spara om den ur Excel", path=path
        ) from None
    return result


def _decode_csv(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode-text") or Windows-1252 (older Excel)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise VetgraphError(
                "filen säger att den är UTF-16 men är det inte; spara om den ur Excel", path=path
            ) from None
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8-sig")
    try:
        return data.decode("cp1252")  # what Swedish Excel writes for "CSV (semikolonavgränsad)"
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise VetgraphError(
            f"rad {line}: byte 0x{data[error.start]:02X} är varken UTF-8 eller Windows-1252; spara filen som "
            "CSV UTF-8 (Excel: Spara som > CSV UTF-8)",
            path=path,
        ) from None


def clean_header(value: object) -> str:
    return "" if value is None else str(value).strip().removesuffix("*").strip()
