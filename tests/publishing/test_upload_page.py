"""``/inlamning``: a secretary downloads the template, uploads a filled one and reads the report, in real Chromium.

The page has no scripts and works without JavaScript (a plain form with a file
field); the report shows the same findings as ``vetgraph validate``, grouped per
goal; nothing is kept.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path
from typing import Any

import pytest
from filling import a_goal, fill
from openpyxl import load_workbook

from conftest import http_get
from municipality import ID
from vetgraph.project import default_project
from vetgraph.publishing.policy import MAX_UPLOAD_BYTES
from vetgraph.submissions.workflow import make_template

SAMPLE_SHEET = default_project().data_dir / "exempel" / "kalkylblad" / "kultur-och-fritidsnamnden.xlsx"


@pytest.fixture(scope="module")
def server(served_site: str) -> str:
    return served_site


@pytest.fixture
def misspelt(tmp_path: Path) -> Path:
    from rdflib import URIRef

    template = make_template(
        tmp_path / "mall.xlsx",
        committee=URIRef(str(ID) + "namnd/socialnamnden"),
        period=URIRef(str(ID) + "mandatperiod/2023-2026"),
    )
    book = load_workbook(template)
    goals = [a_goal(book, "Fler äldre bor kvar hemma"), a_goal(book, "Färre faller")]
    goals[1]["Delstrategi 1"] = "Förstärka inovationskraften"
    measures = [
        {"Nämndmål": goal["Titel"], "Kolada-id": "N00914", "Enhet": "procent", "Målvärde": 80, "Målår": 2026,
         "Bättre när": "högre"}
        for goal in goals
    ]  # fmt: skip
    return fill(template, tmp_path / "socialnamnden.xlsx", goals, Indikatorer=measures)


def upload(browser: Any, server: str, path: Path, committee: str | None = None) -> str:
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(f"{server}/inlamning")
    browser.find_element("id", "fil").send_keys(str(path))
    if committee:
        Select(browser.find_element("id", "namnd")).select_by_value(committee)
    browser.find_element("css selector", "form button[type=submit]").click()
    # the answer is a new page: wait for it, not for the old one still on screen
    WebDriverWait(browser, 30).until(lambda b: b.find_elements("css selector", "#rapport, .notice[role=alert]"))
    return str(browser.find_element("css selector", "main").text)


def test_a_secretary_uploads_a_sheet_and_reads_what_to_fix(server: str, browser: Any, misspelt: Path) -> None:  # type: ignore[no-untyped-def]
    browser.get(f"{server}/inlamning")
    assert browser.find_element("css selector", "h1").text == "Lämna in nämndmål"
    assert browser.find_elements("css selector", "script") == []  # no scripts at all
    assert (
        browser.find_element("link text", "Ladda ner mallen").get_attribute("href") == f"{server}/inlamning/mall.xlsx"
    )

    text = upload(browser, server, misspelt, "socialnamnden")
    assert "Rapport för socialnamnden.xlsx" in text
    assert "2 nämndmål, uppfyller INTE kraven: 1 fel, 0 varningar." in text
    assert (
        "Blad Nämndmål, rad 3, kolumn Delstrategi 1: 'Förstärka inovationskraften' finns inte. "
        "Menade du 'Förstärka innovationskraften'?" in text
    )
    # grouped per goal, each goal with its place in the sheet
    headings = [h.text for h in browser.find_elements("css selector", "section.goal h3")]
    assert headings == ["Fler äldre bor kvar hemma (Blad Nämndmål, rad 2)", "Färre faller (Blad Nämndmål, rad 3)"]
    assert browser.find_elements("css selector", "section.goal")[0].find_elements("css selector", "li") == []
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []


def test_the_sample_sheet_conforms_and_the_page_prints(server: str, browser: Any) -> None:  # type: ignore[no-untyped-def]
    text = upload(browser, server, SAMPLE_SHEET, "kultur-och-fritidsnamnden")
    assert "5 nämndmål, uppfyller kraven (0 varningar)." in text
    assert text.count("Inget att anmärka.") == 5
    pdf = browser.print_page()  # the report as the browser prints it: form and navigation hidden
    assert len(pdf) > 1000


def test_the_same_findings_as_validate(server: str, misspelt: Path) -> None:
    from click.testing import CliRunner

    from vetgraph.cli import main

    boundary = "vetgraphgrans"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="fil"; filename="socialnamnden.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + misspelt.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, headers, page = http_get(
        f"{server}/inlamning", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    cli = CliRunner().invoke(main, ["validate", str(misspelt)]).stdout
    for rule in ("Kalkylblad",):
        assert (f"[{rule}]" in cli) == (f"[{rule}]" in page.decode())


def test_the_template_downloads(server: str, tmp_path: Path) -> None:
    status, headers, data = http_get(f"{server}/inlamning/mall.xlsx")
    assert status == 200
    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="namndmal-mall.xlsx"' in headers["Content-Disposition"]
    (tmp_path / "mall.xlsx").write_bytes(data)
    assert load_workbook(tmp_path / "mall.xlsx").sheetnames == [
        "Instruktioner",
        "Nämndmål",
        "Listor",
        "Indikatorer",
        "Utfall",
        "Måluppfyllelse",
        "Referens",
    ]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("rapport.pdf", b"%PDF-1.4", "Välj en ifylld mall (.xlsx eller .csv) eller en RDF-fil"),
        ("gammal.xls", b"\xd0\xcf\x11\xe0", "Filer av typen .xls går inte att läsa. Spara filen som Excel-arbetsbok"),
        ("trasig.ttl", b"<a> <b> .", "Filen gick inte att läsa: rad 1: inte giltig RDF"),
        ("inget.xlsx", b"", "Välj en fil att kontrollera."),
    ],
)
def test_files_that_cannot_be_checked_get_a_swedish_reason(
    server: str, filename: str, content: bytes, message: str
) -> None:
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="fil"; filename="{filename}"\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, _, page = http_get(
        f"{server}/inlamning", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert status == 200
    assert "Filen kunde inte kontrolleras." in page.decode() and message in page.decode()


def test_an_oversized_upload_is_refused_unread_and_nothing_is_kept(server: str) -> None:
    before = set(Path(tempfile.gettempdir()).glob("vetgraph-inlamning-*"))
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        # Only the headers: the server answers from Content-Length alone, without reading a byte of the body.
        connection.sendall(
            b"POST /inlamning HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {MAX_UPLOAD_BYTES + 1}\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):  # until the server closes the connection
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and "Filen är större än".encode() in answer
    assert set(Path(tempfile.gettempdir()).glob("vetgraph-inlamning-*")) == before
