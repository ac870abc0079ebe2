"""Shared fixtures. The validator loads the ontology, data and shapes once per session."""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, URIRef

from municipality import ID
from vetgraph.namespaces import VTL
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.validation import Validator

# No test may fail because the machine is slow or busy: queries on local data get a generous limit
# (the default is 10 s). Set here, before anything runs, so that commands run as subprocesses get it too;
# the tests of the time limit itself give their own, short one (--timeout).
os.environ["VETGRAPH_TIME_LIMIT"] = "600"
# No test may change when the calendar moves on: the day outputs are about (the report's and catalogue's
# dates, the mandate period followed up by default) is 2026-06-30, inside the sample data's period
# 2023-2026 (vetgraph/dates.py). Tests of the default itself set their own.
os.environ["SOURCE_DATE_EPOCH"] = "1782777600"  # 2026-06-30T00:00:00Z

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
INVALID = FIXTURES / "invalid"
# The CEO's shared folder sits beside the checkout on developer machines and in CI.
SHARED = REPO.parent / "shared"
# The W3C RDF 1.1 Turtle test suite, vendored (tests/w3c-rdf-tests/README.md).
W3C_TURTLE = TESTS / "w3c-rdf-tests" / "rdf-turtle"
W3C_TURTLE_BASE = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/"


# The everyday tier, `pytest -m "not slow"`, leaves out the tests that start real outside components (SPARQL and
# web servers, Chromium, LibreOffice, the OWL reasoner), kill and restart processes, or publish whole sites;
# CI runs everything. Marked here, by file, fixture and name, so that a new test of that kind is slow too.
SLOW_FILES = {
    "test_webservers.py", "test_accessibility.py", "test_owl_dl.py", "test_submission_store.py",
    "test_serve_robustness.py", "test_honesty.py", "test_upload_page.py", "test_progress.py",
    # a subprocess per case (a second each), hostile or large inputs
    "test_hostile_input.py", "test_output_safety.py", "test_spreadsheet_limits.py", "test_report.py",
    "test_main_job.py", "test_html_checker.py",
}  # fmt: skip
SLOW_FIXTURES = {"browser", "published_site", "served_site", "shared_oxigraph", "shared_virtuoso"}
SLOW_WORDS = ("libreoffice", "pdf", "chromium", "server", "killed", "serve_", "_w3c_")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.path.name in SLOW_FILES or fixtures & SLOW_FIXTURES or any(w in item.name for w in SLOW_WORDS):
            item.add_marker(pytest.mark.slow)


def w3c_turtle_files(kind: str, field: str) -> list[str]:
    """The file names that the suite's tests of ``kind`` (e.g. ``TestTurtleEval``) name in ``field`` (``action``,
    ``result``), each once, sorted."""
    manifest = Graph().parse(W3C_TURTLE / "manifest.ttl", publicID=W3C_TURTLE_BASE + "manifest.ttl")
    tests = manifest.subjects(RDF.type, URIRef("http://www.w3.org/ns/rdftest#" + kind))
    mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
    return sorted({str(manifest.value(t, URIRef(mf + field))).rsplit("/", 1)[1] for t in tests})


@pytest.fixture(scope="session")
def project() -> Project:
    return default_project()


@pytest.fixture(scope="session")
def validator(project: Project) -> Validator:
    return Validator(project)


@pytest.fixture(scope="session")
def reference(project: Project) -> Graph:
    return graphs.read_trusted(project.reference_files())


@pytest.fixture(scope="session")
def samples(project: Project) -> Graph:
    return graphs.read_trusted(project.sample_submissions())


GOAL = URIRef(str(ID) + "namndmal/test-1")

# A valid goal, then the same goal with one required link taken away.
VALID_GOAL = """
@prefix vtl: <https://data.vetlanda.se/def/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://data.vetlanda.se/id/namndmal/test-1> a vtl:Namndmal ;
    dcterms:title "Fler invånare är fysiskt aktiva"@sv ;
    vtl:ansvarigNamnd <https://data.vetlanda.se/id/namnd/kultur-och-fritidsnamnden> ;
    vtl:mandatperiod <https://data.vetlanda.se/id/mandatperiod/2023-2026> ;
    vtl:delstrategi <https://data.vetlanda.se/id/delstrategi/god-halsa> ;
    vtl:kfMal <https://data.vetlanda.se/id/kf-mal/2023-2026-3> ;
    vtl:strategiomrade <https://data.vetlanda.se/id/rus/hallbar> ;
    vtl:medborgarperspektiv <https://data.vetlanda.se/id/perspektiv/leva> ;
    vtl:agenda2030 <http://metadata.un.org/sdg/3.4> ;
    vtl:utmaning <https://data.vetlanda.se/id/utmaning/folkhalsa> ;
    vtl:matt [ a vtl:Matt ;
        vtl:indikator <https://data.vetlanda.se/id/indikator/kolada/N00914> ;
        vtl:enhet "procent" ; vtl:malvarde 68.0 ; vtl:malar 2026 ;
        vtl:onskadRiktning <https://data.vetlanda.se/kod/onskad-riktning/hogre> ] .
"""

REQUIRED_LINKS = {
    VTL.ansvarigNamnd: "ansvarigNamnd",
    VTL.mandatperiod: "mandatperiod",
    VTL.delstrategi: "delstrategi",
    VTL.kfMal: "kfMal",
    VTL.strategiomrade: "strategiomrade",
    VTL.medborgarperspektiv: "medborgarperspektiv",
    VTL.agenda2030: "agenda2030",
    VTL.utmaning: "utmaning",
}


def valid_goal() -> Graph:
    """A fresh copy of a goal that conforms, to take links away from."""
    return graphs.parse_rdf(VALID_GOAL.encode(), "turtle")


# Malformed input in each syntax: the message carries file, line and column.
MALFORMED = {
    "turtle.ttl": ('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d "unterminated .\n', 3),
    "ntriples.nt": (
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n<http://example.org/a> <http://example.org/b> .\n",
        2,
    ),
    "jsonld.jsonld": ('{"@id": "http://example.org/a",\n "http://example.org/b": }\n', 2),
    "rdfxml.rdf": (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://example.org/a">\n  </rdf:Descripton>\n</rdf:RDF>\n',
        3,
    ),
}


# ---------------------------------------------------------------- real components and shared data


def require(what: str, present: bool, how: str) -> None:
    """Skip a test whose component or data is missing; in CI (CI set) fail instead, so nothing is skipped there."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {what}: {how}")
    pytest.skip(f"{what} is not here ({how})")


def require_shared(*parts: str) -> Path:
    """A folder of ../shared (the CEO's shared data beside the checkout); see :func:`require`."""
    folder = SHARED.joinpath(*parts)
    require(f"../shared/{'/'.join(parts)}", folder.is_dir(), "check out the project beside its shared/ folder")
    return folder


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven through its chromedriver (nothing downloaded); console logs kept."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    require(
        "Debian's chromium and chromium-driver",
        bool(chromium and chromedriver),
        "scripts/setup-and-test.sh installs them when run as root",
    )
    assert chromium and chromedriver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,2000"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    try:
        yield driver
    finally:
        driver.quit()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def http_get(
    url: str,
    accept: str | None = None,
    *,
    follow: bool = True,
    data: bytes | None = None,
    content_type: str | None = None,
) -> tuple[int, Message, bytes]:
    """Status, headers (names in any case, as HTTP has them) and body of one HTTP request (redirects followed
    unless ``follow`` is false)."""
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data published once for the whole run: the web-server, serve, upload and accessibility tests
    read it, none writes into it (publishing takes seconds, and each module published its own copy)."""
    from vetgraph.publishing.writer import publish

    out = tmp_path_factory.mktemp("published") / "site"
    publish(out)
    return out


@pytest.fixture(scope="session")
def served_site(published_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The published site served in this process (vetgraph serve's server, upload desk included); its URL. Its
    log goes to a file (a request's line is written after its answer, when pytest may be between tests)."""
    from vetgraph.publishing.serve import make_server

    log_file = tmp_path_factory.mktemp("served") / "serve.log"
    with log_file.open("w") as log, make_server(published_site, port=0, log=log).running() as url:
        yield url
