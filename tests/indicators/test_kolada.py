"""vetgraph kolada fetch against a fake Kolada on 127.0.0.1 (no network in tests): every case the issue names.

The answers have the shapes public Kolada v3 clients rely on: pagination with
next_url, an empty answer, 429 and 500, a slow server, malformed JSON, unexpected
shapes, null values, and a next_url that points elsewhere.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from municipality import ID
from vetgraph.cli import main
from vetgraph.goal_links import submission_shapes
from vetgraph.indicators.kolada import parse_years
from vetgraph.namespaces import CODES, QB, VTL
from vetgraph.project import default_project
from vetgraph.rdf import graphs
from vetgraph.validation import validate_against_shapes

KPI = {"N00914": "Invånare 20-64 år som förvärvsarbetar, andel (%)", "U00405": "Egen indikator i Kolada, andel (%)"}


def kpi_answer(kpi: str) -> dict[str, Any]:
    return {"values": [{"id": kpi, "title": KPI.get(kpi, f"Nyckeltal {kpi}"), "description": "Beskrivning.",
                        "is_divided_by_gender": True}], "count": 1}  # fmt: skip


def data_row(kpi: str, year: int, values: list[tuple[str, Any]]) -> dict[str, Any]:
    return {"kpi": kpi, "municipality": "0685", "period": year,
            "values": [{"gender": g, "value": v, "status": "", "count": 1} for g, v in values]}  # fmt: skip


class FakeKolada(ThreadingHTTPServer):
    """Answers per path prefix: (status, body bytes, seconds to wait first). Records every path asked for."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        self.seen: list[str] = []
        self.base = f"http://127.0.0.1:{self.server_port}/v3"

    def answer(self, path: str, body: Any, status: int = 200, delay: float = 0) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.routes[path] = (status, data, delay)


class Handler(BaseHTTPRequestHandler):
    server: FakeKolada

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        for prefix, (status, body, delay) in sorted(self.server.routes.items(), key=lambda r: -len(r[0])):
            if self.path.startswith(prefix):
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def kolada() -> Iterator[FakeKolada]:
    server = FakeKolada()
    for kpi in KPI:
        server.answer(f"/v3/kpi/{kpi}", kpi_answer(kpi))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def fetch(kolada: FakeKolada, *args: str, out: Path | None = None) -> Result:
    command = ["kolada", "fetch", "--base-url", kolada.base, "--kpi", "N00914", "--years", "2022-2023", *args]
    if out is not None:
        command += ["--out", str(out)]
    return CliRunner().invoke(main, command)


def test_pages_are_followed_and_become_observations(kolada: FakeKolada, tmp_path: Path) -> None:
    first = "/v3/data/kpi/N00914/municipality/0685/year/2022,2023"
    kolada.answer(first, {"values": [data_row("N00914", 2022, [("T", 81.2), ("K", 79.0), ("M", 83.3)])],
                          "next_url": f"{kolada.base}/data/page2"})  # fmt: skip
    kolada.answer("/v3/data/page2", {"values": [data_row("N00914", 2023, [("T", 82), ("K", None), ("M", 84.1)])],
                                     "next_url": None})  # fmt: skip
    result = fetch(kolada, out=tmp_path / "utfall.ttl")
    assert result.exit_code == 0, result.output
    assert "5 outcomes of 1 key figures from Kolada (1 missing values left out; 3 requests)" in result.stdout
    assert kolada.seen[1] == f"{first}?per_page=5000"
    graph = Graph().parse(tmp_path / "utfall.ttl")
    observation = URIRef(f"{ID}utfall/N00914/0685/2022/K")
    assert (
        observation,
        VTL.varde,
        Literal("79.0", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
    ) in graph
    assert (observation, VTL.ar, Literal(2022)) in graph
    assert (observation, VTL.kon, CODES["kon/K"]) in graph
    assert (observation, VTL.indikator, ID["indikator/kolada/N00914"]) in graph
    assert (observation, DCTERMS.source, Literal("Källa: Kolada")) in graph
    assert graph.value(observation, PROV.generatedAtTime) is not None
    assert not list(graph.triples((URIRef(f"{ID}utfall/N00914/0685/2023/K"), None, None)))  # null stays missing
    assert str(graph.value(ID["indikator/kolada/N00914"], DCTERMS.title)) == KPI["N00914"]
    assert len(set(graph.subjects(VTL.varde, None))) == 5
    # and they are well-formed Data Cube observations by the project's own shapes (issue 10)
    project = default_project()
    shapes = submission_shapes(project, graphs.read_trusted(project.reference_files()))
    report = validate_against_shapes(graph, shapes, engine="vetgraph")
    assert report.findings == []
    assert len(set(graph.subjects(RDF.type, QB.Observation))) == 5


def test_at_most_25_key_figures_per_request(kolada: FakeKolada) -> None:
    kpis = [f"N{n:05d}" for n in range(1, 31)]
    for kpi in kpis:
        kolada.answer(f"/v3/kpi/{kpi}", kpi_answer(kpi))
    kolada.answer("/v3/data/kpi/", {"values": [], "next_url": ""})
    result = CliRunner().invoke(
        main,
        ["kolada", "fetch", "--base-url", kolada.base, *[a for k in kpis for a in ("--kpi", k)], "--years", "2023"],
    )
    assert result.exit_code == 0, result.output
    data_requests = [p for p in kolada.seen if p.startswith("/v3/data/")]
    assert [len(p.split("/")[4].split(",")) for p in data_requests] == [25, 5]


def test_an_empty_answer_is_no_outcomes(kolada: FakeKolada) -> None:
    kolada.answer("/v3/data/", {"values": [], "next_url": None})
    result = fetch(kolada)
    assert result.exit_code == 0
    assert "0 outcomes of 1 key figures" in result.stderr
    assert (ID["indikator/kolada/N00914"], None, None) in Graph().parse(data=result.stdout, format="turtle")


@pytest.mark.parametrize(
    ("status", "message"),
    [(429, "HTTP 429 (too many requests: wait a while and try again)"), (500, "HTTP 500")],
)
def test_a_refusing_server_is_one_line_and_nothing_is_written(
    kolada: FakeKolada, tmp_path: Path, status: int, message: str
) -> None:
    kolada.answer("/v3/data/", {"error": "x"}, status=status)
    result = fetch(kolada, out=tmp_path / "utfall.ttl")
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "utfall.ttl").exists()


def test_a_slow_server_is_cut_off_at_the_timeout(kolada: FakeKolada) -> None:
    kolada.answer("/v3/data/", {"values": []}, delay=5)
    started = time.monotonic()
    result = fetch(kolada, "--timeout", "1")
    assert result.exit_code == 2 and time.monotonic() - started < 4
    assert "did not answer /v3/data/kpi/N00914/municipality/0685/year/2022,2023 within 1 s" in result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "is not JSON"),
        ({"rows": []}, "has no field 'values'"),
        ({"values": [{"kpi": "N00914", "municipality": "0685", "period": "2023", "values": []}]},
         "values[0].period is str"),
        ({"values": [data_row("N00914", 2023, [("X", 1)])]}, "values[0].values[0].gender is 'X', not T, K or M"),
        ({"values": [data_row("N00914", 2023, [("T", "många")])]}, "values[0].values[0].value is str"),
        ({"values": [], "next_url": "https://elsewhere.example/steal"}, "next_url points to another host"),
    ],
)  # fmt: skip
def test_an_unexpected_answer_names_the_field(kolada: FakeKolada, body: Any, message: str) -> None:
    kolada.answer("/v3/data/", body)
    result = fetch(kolada)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not any("elsewhere" in p for p in kolada.seen)


def test_bad_options_are_exit_2() -> None:
    for args, message in (
        (["--kpi", "N914"], "N or U and five digits"),
        (["--kpi", "N00914", "--municipality", "Vetlanda"], "four digits"),
        (["--kpi", "N00914", "--years", "2025-2019"], "from an earlier to a later year"),
        (["--kpi", "N00914", "--base-url", "file:///etc/passwd"], "http:// or https://"),
    ):
        result = CliRunner().invoke(main, ["kolada", "fetch", *args])
        assert result.exit_code == 2 and message in result.stderr, (args, result.output)
    assert parse_years("2019-2021,2023") == [2019, 2020, 2021, 2023]


def test_each_answered_request_is_progress(kolada: FakeKolada) -> None:
    from vetgraph.indicators.kolada import fetch as fetch_outcomes

    first = "/v3/data/kpi/N00914/municipality/0685/year/2022"
    kolada.answer(first, {"values": [data_row("N00914", 2022, [("T", 81.2)])], "next_url": f"{kolada.base}/data/p2"})
    kolada.answer("/v3/data/p2", {"values": [data_row("N00914", 2022, [("K", 79.0)])], "next_url": None})
    heard: list[tuple[str, int, int | None]] = []
    fetched = fetch_outcomes(
        ["N00914"], municipality="0685", years=[2022], base_url=kolada.base, progress=lambda *a: heard.append(a)
    )
    assert fetched.requests == 3
    assert heard == [("Frågor till Kolada", n, None) for n in (1, 2, 3)] + [("Frågor till Kolada", 3, 3)]


def test_kolada_fetch_output_meets_every_data_cube_integrity_constraint(kolada: FakeKolada, tmp_path: Path) -> None:
    """Issue 17: the W3C Data Cube integrity queries on what `kolada fetch` writes, with the structure it names."""
    from datacube import broken_constraints, outside_the_constraints

    kolada.answer("/v3/data/kpi/N00914/municipality/0685/year/2022,2023", {"values": [
        data_row("N00914", 2022, [("T", 81.2), ("K", 79.0), ("M", 83.3)]),
        data_row("N00914", 2023, [("T", 82), ("K", None), ("M", 84.1)]),
    ], "next_url": None})  # fmt: skip
    assert fetch(kolada, out=tmp_path / "utfall.ttl").exit_code == 0
    project = default_project()
    graph = graphs.read_trusted([project.ontology, *project.reference_files(), tmp_path / "utfall.ttl"])
    assert len(list(graph.subjects(RDF.type, QB.Observation))) >= 5
    assert broken_constraints(graph) == []
    assert outside_the_constraints(graph) == []


# ---------------------------------------------------------------- hostile answers (issue 17)

DATA_PATH = "/v3/data/kpi/N00914/municipality/0685/year/2022,2023"


def assert_refused(result: Result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "internal error" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def test_an_answer_nested_deeply_is_refused_not_a_recursion_error(kolada: FakeKolada, tmp_path: Path) -> None:
    kolada.answer(DATA_PATH, b'{"values": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert_refused(fetch(kolada, out=tmp_path / "u.ttl"), "nested far too deep")
    assert not (tmp_path / "u.ttl").exists()


@pytest.mark.parametrize(
    ("kpi", "municipality"),
    [("N99999", "0685"), ("N00914", "0686"), ("N" + "0" * 1_000_000, "0685"), ("N00914>", "0685")],
)
def test_outcomes_of_what_was_not_asked_for_are_refused(
    kolada: FakeKolada, tmp_path: Path, kpi: str, municipality: str
) -> None:
    row = data_row("N00914", 2022, [("T", 81.2)]) | {"kpi": kpi, "municipality": municipality}
    kolada.answer(DATA_PATH, {"values": [row], "next_url": None})
    assert_refused(fetch(kolada, out=tmp_path / "u.ttl"), "which vetgraph did not ask for")
    assert not (tmp_path / "u.ttl").exists()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_not_written_as_decimals(kolada: FakeKolada, tmp_path: Path, number: str) -> None:
    body = json.dumps({"values": [data_row("N00914", 2022, [("T", 1.0)])], "next_url": None})
    kolada.answer(DATA_PATH, body.replace('"value": 1.0', f'"value": {number}').encode())
    assert_refused(fetch(kolada, out=tmp_path / "u.ttl"), "not a number")


def test_a_kpi_title_with_escape_codes_is_refused_and_never_printed(kolada: FakeKolada, tmp_path: Path) -> None:
    kolada.answer("/v3/kpi/N00914", {"values": [{"id": "N00914", "title": "Andel\x1b]0;pwned\x07\x1b[2J",
                                                 "is_divided_by_gender": True}], "count": 1})  # fmt: skip
    result = fetch(kolada, out=tmp_path / "u.ttl")
    assert_refused(result, "control character U+001B")
    assert "\x1b" not in result.output + result.stderr
