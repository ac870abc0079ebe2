"""`vetgraph serve` as a real process: slow and hostile clients cannot stop it (issue 7, "vetgraph serve").

Each test starts the real command (`python -m vetgraph.cli serve`) on 127.0.0.1
and talks to it over sockets, as browsers and SPARQL clients do.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import REPO, http_get

ENV = {**os.environ, "PYTHONPATH": str(REPO)}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


def start(*args: str, log: Path) -> tuple[subprocess.Popen[str], str]:
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "serve", "--port", "0", *args],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=handle,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # "Serving ... at http://127.0.0.1:PORT/ ..."
    match = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert match, (line, log.read_text())
    return process, match.group()


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def site(published_site: Path) -> Path:
    return published_site


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("log") / "serve.log"
    process, url = start("--site", str(site), "--time-limit", "3", "--result-limit", "100", log=log)
    yield Served(url, process, log)
    stop(process)


def raw_request(url: str, request: bytes) -> bytes:
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_one_idle_connection_does_not_stop_the_server(served: Served) -> None:
    host, port = urllib.parse.urlsplit(served.url).netloc.split(":")
    idle = [socket.create_connection((host, int(port))) for _ in range(3)]  # connect and say nothing
    try:
        for _ in range(10):
            assert http_get(served.url + "/index.html")[0] == 200
    finally:
        for connection in idle:
            connection.close()


def test_50_concurrent_clients_and_2000_requests_none_time_out(served: Served) -> None:
    host, port = urllib.parse.urlsplit(served.url).netloc.split(":")
    idle = socket.create_connection((host, int(port)))  # an idle client throughout
    paths = ["/index.html", "/id/delstrategi/god-halsa.ttl", "/stil.css", "/id/namnd/socialnamnden.html"]

    def client(number: int) -> list[int]:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)  # keep-alive, as browsers do
        statuses = []
        for i in range(40):
            connection.request("GET", paths[(number + i) % len(paths)])
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
        return statuses

    try:
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = [status for statuses in pool.map(client, range(50)) for status in statuses]
    finally:
        idle.close()
    assert len(results) == 2000
    assert set(results) == {200}


@pytest.mark.parametrize(
    ("name", "request_bytes", "status"),
    [
        ("nul-in-path", b"GET /id/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400),
        ("content-length-abc", b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nContent-Type: application/sparql-query\r\nConnection: close\r\n\r\n", 400),
        ("content-length-negative", b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nContent-Type: application/sparql-query\r\nConnection: close\r\n\r\n", 400),
        ("content-length-huge", b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\nContent-Type: application/sparql-query\r\nConnection: close\r\n\r\n", 413),
        ("no-content-length", b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nConnection: close\r\n\r\n", 411),
        ("undeclared-prefix", b"GET /sparql?query=SELECT+*+%7B+%3Fm+a+vtl%3ANamndmal+%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400),
        ("not-http", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n", 400),
    ],
)  # fmt: skip
def test_a_bad_request_gets_a_status_and_one_log_line_never_a_traceback(
    served: Served, name: str, request_bytes: bytes, status: int
) -> None:
    before = len(served.log_lines())
    response = raw_request(served.url, request_bytes)
    assert status_of(response) == status, response[:300]
    time.sleep(0.2)  # the log line is written after the answer
    new_lines = served.log_lines()[before:]
    assert new_lines and all("Traceback" not in line for line in new_lines), new_lines
    assert any(f" {status} " in line for line in new_lines), new_lines
    assert http_get(served.url + "/index.html")[0] == 200  # and it goes on serving


def test_the_server_log_has_no_traceback_after_all_of_that(served: Served) -> None:
    text = served.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text and "Exception" not in text


def test_sparql_in_a_browser_is_a_query_page_with_examples(served: Served) -> None:
    status, headers, body = http_get(served.url + "/sparql", BROWSER)
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page and "Kör frågan" in page and "<script" not in page
    assert "sparql?example=delstrategier-tackning" in page
    status, _, body = http_get(served.url + "/sparql?example=delstrategier-tackning", BROWSER)
    assert status == 200 and "antalNamndmal" in body.decode("utf-8")  # the example is in the box, not run


def test_a_query_from_the_page_shows_its_results_as_a_table(served: Served) -> None:
    query = 'SELECT ?titel WHERE { ?m <http://purl.org/dc/terms/title> ?titel FILTER(LANG(?titel) = "sv") } LIMIT 3'
    status, _, body = http_get(served.url + "/sparql?" + urllib.parse.urlencode({"query": query}), BROWSER)
    page = body.decode("utf-8")
    assert status == 200 and '<th scope="col">titel</th>' in page and page.count("<tr><td>") == 3
    status, _, body = http_get(served.url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * {"}), BROWSER)
    assert status == 400 and "Frågan gick inte att köra" in body.decode("utf-8")


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")],
)
def test_construct_and_describe_answer_in_rdf(served: Served, accept: str, rdf_format: str) -> None:
    god_halsa = "https://data.vetlanda.se/id/delstrategi/god-halsa"
    construct = f"CONSTRUCT {{ <{god_halsa}> ?p ?o }} WHERE {{ <{god_halsa}> ?p ?o }}"
    for query in (construct, f"DESCRIBE <{god_halsa}>"):
        status, headers, body = http_get(served.url + "/sparql?" + urllib.parse.urlencode({"query": query}), accept)
        assert status == 200 and headers["Content-Type"].startswith(accept)
        graph = Graph().parse(data=body.decode("utf-8"), format=rdf_format)
        assert len(graph) > 5 and all(str(s) == god_halsa for s in graph.subjects())


def test_construct_is_cut_at_the_result_limit(served: Served) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    status, headers, body = http_get(
        served.url + "/sparql?" + urllib.parse.urlencode({"query": query}), "application/n-triples"
    )
    assert status == 200 and headers["Vetgraph-Result-Limit"] == "100; truncated"
    assert len(Graph().parse(data=body.decode("utf-8"), format="nt")) == 100


def test_a_runaway_construct_is_stopped_at_the_time_limit(served: Served) -> None:
    query = "CONSTRUCT { ?a ?b ?i } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i"
    status, _, body = http_get(served.url + "/sparql?" + urllib.parse.urlencode({"query": query}), "text/turtle")
    assert status == 503 and b"time limit of 3 s" in body


def test_serve_says_what_it_does_and_cleans_up_its_temporary_site_on_sigterm(tmp_path: Path) -> None:
    temporary = Path(tempfile.gettempdir())
    before = set(temporary.glob("vetgraph-site-*"))
    process, url = start(log=tmp_path / "serve.log")
    try:
        assert "Publishing the site into a temporary folder" in (tmp_path / "serve.log").read_text()
        ours = set(temporary.glob(f"vetgraph-site-{process.pid}-*"))
        assert len(ours) == 1 and http_get(url + "/index.html")[0] == 200
    finally:
        stop(process)
    assert process.returncode == 0  # SIGTERM stops it as Ctrl-C does
    assert not list(temporary.glob(f"vetgraph-site-{process.pid}-*"))
    assert set(temporary.glob("vetgraph-site-*")) <= before


def test_temporary_sites_of_killed_servers_are_removed_next_time(tmp_path: Path) -> None:
    temporary = Path(tempfile.gettempdir())
    process, _ = start(log=tmp_path / "first.log")
    process.kill()  # SIGKILL: no chance to clean up
    process.wait()
    left = list(temporary.glob(f"vetgraph-site-{process.pid}-*"))
    assert len(left) == 1
    second, _ = start(log=tmp_path / "second.log")
    try:
        assert not left[0].exists()
    finally:
        stop(second)


def test_the_query_page_json_answer_is_unchanged_for_programs(served: Served) -> None:
    status, _, body = http_get(served.url + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
