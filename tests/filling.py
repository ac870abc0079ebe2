"""Filling the spreadsheet template as a person would, and having the real LibreOffice save it (shared by tests)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from conftest import require


def choices(book: object, header: str) -> list[str]:
    lists = book["Listor"]  # type: ignore[index]
    column = next(c.column for c in lists[1] if c.value == header)
    return [c.value for c in next(lists.iter_cols(min_col=column, max_col=column, min_row=2)) if c.value]


def fill(path: Path, out: Path, rows: list[dict[str, str]], **sheets: list[dict[str, object]]) -> Path:
    """The template at ``path`` with ``rows`` on the goals' sheet and ``sheets`` (name -> rows) on the others."""
    book = load_workbook(path)
    for name, filled in {"Nämndmål": rows, **sheets}.items():
        sheet = book[name]
        columns = {str(c.value).removesuffix(" *"): c.column for c in sheet[1]}
        for number, row in enumerate(filled, 2):
            for header, value in row.items():
                sheet.cell(row=number, column=columns[header], value=value)
    book.save(out)
    return out


def a_goal(book: object, title: str) -> dict[str, str]:
    """A goal as a secretary fills it in: a title, and for each link a choice from the template's own lists."""
    return {
        "Titel": title,
        "KF-mål 1": choices(book, "KF-mål")[2],
        "Delstrategi 1": "God hälsa och hög livskvalitet i hela kommunen",
        "Medborgarperspektiv 1": "Leva",
        "RUS-strategiområde 1": choices(book, "RUS-strategiområde")[0],
        "Agenda 2030-mål 1": "3. God hälsa och välbefinnande",
        "Utmaning 1": "Folkhälsa",
    }


def libreoffice_resave(path: Path, out_dir: Path) -> Path:
    """Open ``path`` in the real LibreOffice Calc (headless) and save it again as .xlsx into ``out_dir``."""
    soffice = shutil.which("soffice")
    require("Debian's libreoffice-calc-nogui", soffice is not None, "scripts/setup-and-test.sh installs it as root")
    assert soffice is not None
    profile = out_dir / "libreoffice-profile"  # its own profile: no state shared with other runs
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    saved = out_dir / path.name
    assert saved.is_file()
    return saved
