"""The README's picture of the upload page's report (docs/inlamning.png), taken in headless Chromium.

Run with the development environment: .venv/bin/python scripts/picture-of-upload-page.py
It serves the bundled site on a free port, fills the template with two goals (one
with a misspelt delstrategi), uploads it at /inlamning and saves a screenshot.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import Select, WebDriverWait

from vetgraph.project import default_project
from vetgraph.publishing.serve import make_server
from vetgraph.publishing.writer import publish
from vetgraph.submissions.workflow import make_template

OUT = Path(__file__).resolve().parent.parent / "docs" / "inlamning.png"


def filled_template(folder: Path) -> Path:
    template = make_template(
        folder / "mall.xlsx",
        committee=default_project().profile.namespaces.id["namnd/socialnamnden"],
        period=default_project().profile.namespaces.id["mandatperiod/2023-2026"],
    )
    book = load_workbook(template)
    sheet = book["Nämndmål"]
    columns = {str(c.value).removesuffix(" *"): c.column for c in sheet[1]}
    rows = [
        ("Fler äldre bor kvar hemma", "God hälsa och hög livskvalitet i hela kommunen"),
        ("Fler unga driver företag", "Förstärka inovationskraften"),
    ]
    for number, (title, strategy) in enumerate(rows, 2):
        for header, value in {
            "Titel": title,
            "KF-mål 1": "Invånarna är trygga och har god hälsa i hela kommunen",
            "Delstrategi 1": strategy,
            "Medborgarperspektiv 1": "Leva",
            "RUS-strategiområde 1": "1. En hållbar region",
            "Agenda 2030-mål 1": "3. God hälsa och välbefinnande",
            "Utmaning 1": "Folkhälsa",
        }.items():
            sheet.cell(row=number, column=columns[header], value=value)
    book.save(folder / "socialnamnden.xlsx")
    return folder / "socialnamnden.xlsx"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        publish(site)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--window-size=1000,1250", "--hide-scrollbars"):  # fmt: skip
            options.add_argument(flag)
        browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            with make_server(site, port=0).running() as url:
                browser.get(f"{url}/inlamning")
                browser.find_element("id", "fil").send_keys(str(filled_template(Path(folder))))
                Select(browser.find_element("id", "namnd")).select_by_value("socialnamnden")
                browser.find_element("css selector", "form button[type=submit]").click()
                # the report is a new page: wait for it, not for the form still on screen
                WebDriverWait(browser, 60).until(lambda b: b.find_elements("css selector", "#rapport"))
                browser.save_screenshot(str(OUT))
        finally:
            browser.quit()
    print(f"Wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
