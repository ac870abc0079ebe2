"""Committee goals in a spreadsheet: the template (written) and filled sheets (read): the one module that uses openpyxl.

The template has a sheet "Nämndmål" with a row per goal and a column per field
(:mod:`.fields`; required ones marked with *), drop-down lists of Swedish names
for every link, kept on the hidden sheet "Listor" so that no list meets Excel's
255-character limit for lists written inline; "Instruktioner" in Swedish; and
"Referens", each delstrategi with its riktning, perspective, challenges and
proposed Agenda 2030 goals. Reading gives each filled row with its sheet, row
number and cells, so that every message can say where to look. CSV files (UTF-8,
the Windows-1252 that Swedish Excel saves, or Excel's UTF-16 "Unicode-text"; ``;``,
``,`` or tabs) are read the same. Every file is read within the limits of
:mod:`.survey` (rows, columns, cells), checked before openpyxl allocates anything.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from rdflib import Graph, URIRef
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.labels import display_name
from vetgraph.namespaces import VTL
from vetgraph.rdf.output import write_new_file
from vetgraph.submissions.fields import Field
from vetgraph.submissions.rows import GOALS_SHEET, Row, check_size, check_text, clean_header, read_csv
from vetgraph.submissions.survey import SheetSurvey, survey

LISTS_SHEET = "Listor"
INSTRUCTIONS_SHEET = "Instruktioner"
TEMPLATE_ROWS = 200
# What an .xlsx may unpack to (its parts are compressed XML); far above any committee's goals.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    """A column of a sheet with fixed columns (the follow-up sheets)."""

    header: str
    required: bool = False
    choices: list[str] | None = None
    from_sheet: tuple[str, int] | None = None  # or the values typed in another sheet's column: (sheet, number)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    purpose: str  # one Swedish sentence, for the instructions
    columns: list[Column]
    rows: Sequence[dict[str, str]] = ()


# What a cell that is not a formula holds (text cells starting with "=" are text: Excel shows them as such).
_CELL_VALUES = (str, int, float, bool, datetime.date, datetime.time, datetime.timedelta)


def header_text(field: Field, column: str) -> str:
    """A column's header; the first column of a required field is marked with *."""
    return f"{column} *" if field.required and column == field.columns[0] else column


def write_template(
    path: str | Path,
    fields: list[Field],
    reference: Graph,
    *,
    committee: URIRef | None = None,
    period: URIRef | None = None,
    rows: Sequence[dict[str, str]] = (),
    extra_sheets: Sequence[SheetSpec] = (),
    title: str = "Nämndmål",
) -> Path:
    """Write the template; with ``committee`` and ``period`` their columns are filled in, KF-mål of that period listed.

    ``title`` heads the instructions (the municipality's profile names the strategy).

    ``rows`` (column header -> cell text) fill the first rows, e.g. a committee's goals to revise.
    ``extra_sheets`` follow the goals (the follow-up sheets), each with its rows.
    """
    path = Path(path)
    book = Workbook()
    goals = book.active
    assert goals is not None
    goals.title = GOALS_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    column = 0
    for field_number, field in enumerate(fields, 1):
        choices = _choices_for(field, reference, period)
        if choices:
            lists.cell(row=1, column=field_number, value=field.header).font = Font(bold=True)
            for i, label in enumerate(choices, 2):
                lists.cell(row=i, column=field_number, value=label)
            letter = get_column_letter(field_number)
            formula = f"={LISTS_SHEET}!${letter}$2:${letter}${len(choices) + 1}"
        for name in field.columns:
            column += 1
            cell = goals.cell(row=1, column=column, value=header_text(field, name))
            cell.font = Font(bold=True)
            if field.required and name == field.columns[0]:
                cell.fill = required_fill
            goals.column_dimensions[get_column_letter(column)].width = 34 if field.is_link else 44
            target = get_column_letter(column)
            if choices:
                validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
                validation.error = "Välj ett värde ur listan."
                validation.errorTitle = field.header
                goals.add_data_validation(validation)
                validation.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
            preset = {VTL.ansvarigNamnd: committee, VTL.mandatperiod: period}.get(field.path)
            if preset is not None:
                label = next(label for label, iri in field.choices.items() if iri == preset)
                for row in range(2, TEMPLATE_ROWS + 2):
                    goals.cell(row=row, column=column, value=label)
    headers = {name: number for number, name in enumerate((n for f in fields for n in f.columns), 1)}
    for row_number, filled in enumerate(rows, 2):
        for name, text in filled.items():
            _text_cell(goals, row_number, headers[name], text)
    goals.freeze_panes = "A2"
    list_column = len(fields)
    for spec in extra_sheets:
        list_column = _extra_sheet(book, spec, lists, list_column, required_fill)
    _instructions(book.create_sheet(INSTRUCTIONS_SHEET, 0), title, fields, extra_sheets)
    _reference_sheet(book.create_sheet("Referens"), reference)
    book.active = 1  # open on the goals
    data = io.BytesIO()
    book.save(data)
    return write_new_file(path, data.getvalue())


def write_workbook(path: str | Path, sheets: Sequence[SheetSpec], instructions: Sequence[str]) -> Path:
    """Write a new workbook of free sheets (the strategy's): the instructions' lines, then ``sheets``."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = INSTRUCTIONS_SHEET
    for row, text in enumerate(instructions, 1):
        first.cell(row=row, column=1, value=text).font = Font(bold=row == 1)
    first.column_dimensions["A"].width = 110
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_column = 0
    for spec in sheets:
        list_column = _extra_sheet(book, spec, lists, list_column, PatternFill("solid", fgColor="FFF2CC"))
    book.move_sheet(LISTS_SHEET, offset=len(sheets))  # last, after the sheets to fill in
    book.active = 1
    data = io.BytesIO()
    book.save(data)
    return write_new_file(path, data.getvalue())


def _text_cell(sheet: object, row: int, column: int, text: str) -> None:
    """A cell holding ``text`` as text: a title such as ``=HYPERLINK(…)`` from a submission never becomes a formula."""
    cell = sheet.cell(row=row, column=column, value=text)  # type: ignore[attr-defined]
    if isinstance(text, str) and text.startswith("="):
        cell.data_type = "s"


def _extra_sheet(book: Workbook, spec: SheetSpec, lists: object, list_column: int, required_fill: PatternFill) -> int:
    """Write one sheet with fixed columns; its drop-down lists go on the hidden sheet after ``list_column``."""
    sheet = book.create_sheet(spec.name)
    for number, column in enumerate(spec.columns, 1):
        cell = sheet.cell(row=1, column=number, value=f"{column.header} *" if column.required else column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required_fill
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = 48 if column.header in ("Kommentar", "Egen indikator") else 18
        if column.from_sheet is not None:
            source = get_column_letter(column.from_sheet[1])
            validation = DataValidation(type="list", formula1=f"='{column.from_sheet[0]}'!${source}$2:${source}$"
                                        f"{TEMPLATE_ROWS + 1}", allow_blank=True, showErrorMessage=True)  # fmt: skip
            validation.error = "Välj ett värde ur listan."
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        elif column.choices:
            list_column += 1
            lists.cell(row=1, column=list_column, value=f"{spec.name}: {column.header}").font = Font(bold=True)  # type: ignore[attr-defined]
            for i, label in enumerate(column.choices, 2):
                lists.cell(row=i, column=list_column, value=label)  # type: ignore[attr-defined]
            source = get_column_letter(list_column)
            formula = f"={LISTS_SHEET}!${source}$2:${source}${len(column.choices) + 1}"
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
            validation.error = "Välj ett värde ur listan."
            validation.errorTitle = column.header
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    headers = {column.header: number for number, column in enumerate(spec.columns, 1)}
    for row_number, filled in enumerate(spec.rows, 2):
        for name, text in filled.items():
            if text:
                _text_cell(sheet, row_number, headers[name], text)
    sheet.freeze_panes = "A2"
    return list_column


def _choices_for(field: Field, reference: Graph, period: URIRef | None) -> list[str]:
    if not field.is_link:
        return []
    if period is not None and field.path == VTL.kfMal:  # the KF-mål of that mandate period only
        return [label for label, iri in field.choices.items() if (iri, VTL.mandatperiod, period) in reference]
    return list(field.choices)


def _instructions(sheet: object, title: str, fields: list[Field], extra_sheets: Sequence[SheetSpec]) -> None:
    lines = [
        title,
        "",
        "Skriv ett nämndmål per rad på bladet Nämndmål. Kolumner märkta med * måste fyllas i.",
        "Välj värden ur listorna (klicka i cellen och välj i rullgardinen). Flera värden: använd de numrerade",
        "kolumnerna (Delstrategi 1, Delstrategi 2 …). Ändra inte rubrikerna och byt inte namn på bladen.",
        "Bladet Referens visar vilka utmaningar, perspektiv och Agenda 2030-mål strategin kopplar till varje delstrategi.",
        "Kontrollera filen med: vetgraph validate FIL.xlsx. Gör om den till RDF med: vetgraph import FIL.xlsx.",
        "",
        "Fälten:",
    ]
    lines += [
        f"  {f.header}{' (måste fyllas i)' if f.required else ''}{' – välj ur listan' if f.is_link else ''}"
        for f in fields
    ]
    if extra_sheets:
        lines += ["", "Uppföljning (på egna blad; ett nämndmål anges med sin identifierare eller titel):"]
        lines += [f"  {spec.name}: {spec.purpose}" for spec in extra_sheets]
    for row, text in enumerate(lines, 1):
        sheet.cell(row=row, column=1, value=text)  # type: ignore[attr-defined]
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)  # type: ignore[attr-defined]
    sheet.column_dimensions["A"].width = 120  # type: ignore[attr-defined]


def _reference_sheet(sheet: object, reference: Graph) -> None:
    headers = [
        "Delstrategi",
        "Riktning",
        "Medborgarperspektiv",
        "Utmaningar (bilaga 3)",
        "Föreslagna Agenda 2030-mål (förslag)",
    ]
    for column, header in enumerate(headers, 1):
        sheet.cell(row=1, column=column, value=header).font = Font(bold=True)  # type: ignore[attr-defined]
    strategies = sorted(reference.subjects(VTL.riktning, None), key=lambda d: display_name(reference, d))
    for row, strategy in enumerate(strategies, 2):

        def names(predicate: URIRef, subject: Node = strategy) -> str:
            return "; ".join(sorted(display_name(reference, n) for n in reference.objects(subject, predicate)))

        values = [
            display_name(reference, strategy),
            names(VTL.riktning),
            names(VTL.medborgarperspektiv),
            names(VTL.utmaning),
            names(VTL.foreslagetAgenda2030Mal),
        ]
        for column, value in enumerate(values, 1):
            sheet.cell(row=row, column=column, value=value)  # type: ignore[attr-defined]
    for letter, width in zip("ABCDE", (60, 28, 24, 60, 50), strict=True):
        sheet.column_dimensions[letter].width = width  # type: ignore[attr-defined]


# ---------------------------------------------------------------- reading


def read_rows(path: str | Path) -> list[Row]:
    """The filled rows of a spreadsheet (.xlsx) or CSV file, or a Swedish error saying what is wrong with the file."""
    path = Path(path)
    check_size(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".xlsm":
        raise VetgraphError(
            "arbetsboken har makron (.xlsm); vetgraph kör inga makron: spara den som Excel-arbetsbok (.xlsx)", path=path
        )
    raise VetgraphError(
        f"vetgraph läser kalkylblad som .xlsx eller .csv, inte {suffix or 'filer utan ändelse'}; "
        "spara om filen som Excel-arbetsbok (.xlsx)",
        path=path,
    )


def _check_zip(path: Path) -> dict[str, SheetSurvey]:
    """An .xlsx is a zip archive: refuse a zip bomb, then survey its sheets (:mod:`.survey`) within the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise VetgraphError(
                    f"arbetsboken packas upp till {unpacked / 1e6:.0f} MB; vetgraph läser högst "
                    f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB (en lista med nämndmål är långt mindre)",
                    path=path,
                )
            return survey(path, archive)
    except (zipfile.BadZipFile, OSError):
        raise VetgraphError(
            "filen är inte en Excel-arbetsbok som går att läsa (inget giltigt .xlsx-arkiv)", path=path
        ) from None


@dataclass
class _Book:
    """A workbook opened in openpyxl's streaming mode, with what the survey found in each sheet."""

    workbook: Workbook
    surveys: dict[str, SheetSurvey]

    @property
    def sheetnames(self) -> list[str]:
        return list(self.workbook.sheetnames)


def read_sheets(path: str | Path, others: Sequence[str]) -> tuple[list[Row], dict[str, list[Row]]]:
    """The filled rows of the goals' sheet and of the sheets ``others`` that the file has, from one reading.

    A CSV file is one sheet: its rows are the goals', and it has no others.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        return read_rows(path), {}
    check_size(path)
    book = _open_xlsx(path)
    try:
        return _goal_rows(book, path), {
            name: _read_sheet(book, name, path, dates=True) for name in others if name in book.sheetnames
        }
    finally:
        book.workbook.close()


def read_named_sheets(path: str | Path, names: Sequence[str]) -> dict[str, list[Row]]:
    """The filled rows of the sheets ``names`` that the workbook has (an .xlsx, checked as a goal workbook is)."""
    path = Path(path)
    check_size(path)
    if path.suffix.lower() != ".xlsx":
        raise VetgraphError("vetgraph läser arbetsboken som .xlsx; spara om filen som Excel-arbetsbok", path=path)
    book = _open_xlsx(path)
    try:
        found = {name: _read_sheet(book, name, path, dates=False) for name in names if name in book.sheetnames}
    finally:
        book.workbook.close()
    if not found:
        raise VetgraphError(
            f"arbetsboken har inget av bladen {', '.join(names)} (den har: {', '.join(book.sheetnames)}); "
            "byt inte namn på bladen i mallen",
            path=path,
        )
    return found


def _open_xlsx(path: Path) -> _Book:
    surveys = _check_zip(path)
    try:
        # Streaming: cells are read row by row as asked for, never the whole sheet's grid at once.
        return _Book(load_workbook(path, read_only=True, data_only=False), surveys)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise VetgraphError(
            f"filen är inte en Excel-arbetsbok som går att läsa ({type(error).__name__})", path=path
        ) from None


def _read_xlsx(path: Path) -> list[Row]:
    book = _open_xlsx(path)
    try:
        return _goal_rows(book, path)
    finally:
        book.workbook.close()


def _goal_rows(book: _Book, path: Path) -> list[Row]:
    if GOALS_SHEET not in book.sheetnames:
        raise VetgraphError(
            f"arbetsboken har inget blad som heter {GOALS_SHEET} (den har: {', '.join(book.sheetnames)}); "
            "byt inte namn på bladen i mallen",
            path=path,
        )
    return _read_sheet(book, GOALS_SHEET, path, dates=False)


def _read_sheet(book: _Book, name: str, path: Path, *, dates: bool) -> list[Row]:
    """A sheet's filled rows; ``dates``: a date cell is read as its ISO date (else it is an error: text belongs)."""
    found = book.surveys.get(name, SheetSurvey())
    if found.merged:
        raise VetgraphError(
            f"Blad {name}: cellerna {', '.join(found.merged)} är sammanfogade; dela upp dem så att varje värde "
            "har sin cell",
            path=path,
        )
    if not found.rows:
        return []
    sheet = book.workbook[name]
    # Only as far as the survey found values: a styled empty cell far away costs nothing.
    rows = sheet.iter_rows(min_row=1, max_row=found.rows, min_col=1, max_col=found.columns)
    headers = [clean_header(cell.value) for cell in next(rows, ())]
    result = []
    for number, row_cells in enumerate(rows, 2):
        cells = {}
        numeric = set()
        for header, cell in zip(headers, row_cells, strict=False):
            value = cell.value
            if not header or value is None or not str(value).strip():
                continue
            where = f"Blad {name}, rad {number}, kolumn {header}"
            if cell.data_type == "f" or not isinstance(value, _CELL_VALUES):
                # a formula: its text, or an object for array and data-table formulas; never its text as a value
                shown = f" ({value.strip()[:40]})" if isinstance(value, str) else ""
                raise VetgraphError(f"{where}: cellen har en formel{shown}; skriv värdet i stället", path=path)
            text = str(value).strip()
            if isinstance(value, datetime.date) and dates:
                text = value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
            elif isinstance(value, datetime.date | datetime.time | datetime.timedelta):
                raise VetgraphError(
                    f"{where}: cellen är ett datum eller en tid ({text}), inte text; formatera cellen som text",
                    path=path,
                )
            check_text(text, where, path)
            if isinstance(value, int | float) and not isinstance(value, bool):
                numeric.add(header)
            cells[header] = text
        if cells and number in found.hidden_rows:
            raise VetgraphError(
                f"Blad {name}, rad {number} är dold men ifylld; visa raden, eller ta bort den om den "
                "inte ska lämnas in",
                path=path,
            )
        if cells:
            result.append(Row(name, number, cells, frozenset(numeric)))
    return result
