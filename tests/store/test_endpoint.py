"""Stored queries give the same rows from rdflib, from Oxigraph in memory and from a real SPARQL server.

rdflib and Oxigraph are independent SPARQL engines; the server is Oxigraph's own
HTTP server, reached over the SPARQL protocol. Every stored query, with its
default parameters and with another mandate period, must return exactly the
same rows from all three.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import free_port, oxigraph_binary, oxigraph_server

from conftest import INVALID
from vetgraph.cli import main
from vetgraph.errors import VetgraphError
from vetgraph.followup.queries import StoredQuery, run, stored_queries
from vetgraph.rdf import graphs
from vetgraph.store import OxigraphStore, RdflibStore, project_graph
from vetgraph.store.endpoint import EndpointStore


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The project's graph plus two invalid goals, so the quality views have rows too.
    graph = project_graph()
    for name in ("kfmal-fran-annan-period.ttl", "perspektiv-utan-delstrategi.ttl"):
        graph += graphs.read_rdf(INVALID / name)
    path = tmp_path_factory.mktemp("graph") / "graph.nt"
    path.write_bytes(graphs.serialize(graph, "ntriples"))
    return path


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, graph_file: Path) -> Iterator[str]:
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(graph_file)], check=True)
    with oxigraph_server(location, read_only=True) as url:
        yield url


@pytest.fixture(scope="module")
def local(graph_file: Path) -> RdflibStore:
    return RdflibStore(graphs.read_rdf(graph_file, max_bytes=graphs.MAX_TRUSTED_BYTES))


@pytest.fixture(scope="module")
def in_memory(graph_file: Path) -> OxigraphStore:
    return OxigraphStore(graphs.read_quads(graph_file, max_bytes=graphs.MAX_TRUSTED_BYTES))


CASES = [(q, params) for q in stored_queries() for params in ({}, {"mandatperiod": "period:2027-2030"})]


@pytest.mark.parametrize(("query", "params"), CASES, ids=[f"{q.name}{'-2027' if p else ''}" for q, p in CASES])
def test_same_rows_from_rdflib_oxigraph_and_a_sparql_server(
    query: StoredQuery, params: dict[str, str], local: RdflibStore, in_memory: OxigraphStore, endpoint: str
) -> None:
    ours = run(query, local, params)
    theirs = run(query, EndpointStore(endpoint), params)
    assert ours.columns == theirs.columns
    assert ours.rows == theirs.rows
    assert run(query, in_memory, params).rows == ours.rows


def test_the_quality_views_have_rows_on_both(local: RdflibStore, endpoint: str) -> None:
    for name in ("kvalitet-perspektiv", "kvalitet-kfmal-period"):
        query = next(q for q in stored_queries() if q.name == name)
        assert len(run(query, EndpointStore(endpoint)).rows) == 1


def test_the_command_runs_against_the_endpoint(endpoint: str) -> None:
    result = CliRunner().invoke(
        main,
        ["query", "namnd-namndmal", "-p", "namnd", "namnd:socialnamnden", "--endpoint", endpoint, "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    csv_bytes = result.stdout_bytes
    assert csv_bytes.startswith("\ufeffnamnd;namndNamn;namndmal;titel;koppling;mot;motNamn\r\n".encode())
    assert csv_bytes.count(b"\r\n") == 39


def test_an_unknown_committee_is_found_out_on_the_endpoint_too(endpoint: str) -> None:
    result = CliRunner().invoke(
        main, ["query", "namnd-namndmal", "-p", "namnd", "namnd:skolan", "--endpoint", endpoint]
    )
    assert result.exit_code == 2
    assert "namnd:skolan does not occur in the graph" in result.stderr


def test_an_unreachable_endpoint_is_one_line_and_exit_2() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    result = CliRunner().invoke(main, ["query", "delstrategier-tackning", "--endpoint", url, "--timeout", "5"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"vetgraph: {url}: the SPARQL endpoint did not answer")
    assert len(result.stderr.splitlines()) == 1


def test_a_silent_endpoint_times_out() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    try:
        with pytest.raises(VetgraphError, match="did not answer within 1 s"):
            EndpointStore(url, timeout=1).select("SELECT * WHERE { ?s ?p ?o }")
    finally:
        for connection in accepted:
            connection.close()
        listener.close()


def test_endpoint_must_be_http() -> None:
    with pytest.raises(VetgraphError, match="http:// or https://"):
        EndpointStore("file:///etc/passwd")


def test_ctrl_c_while_waiting_for_a_server_is_exit_130_not_an_input_error() -> None:
    """Issue 17: Ctrl-C was "the SPARQL endpoint's answer could not be read (KeyboardInterrupt)", exit 2."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    from conftest import REPO

    silent = socket.socket()  # accepts, and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "vetgraph.cli", "query", "delstrategier-tackning", "--endpoint", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        )  # fmt: skip
        connection, _ = silent.accept()  # the request has been sent: vetgraph is waiting for the answer
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        connection.close()
    finally:
        silent.close()
    assert process.returncode == 130, err
    assert err == "vetgraph: interrupted; nothing was written\n"


class _Canned:
    """A loopback HTTP server that answers every request with one canned answer, and counts the requests."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        import http.server
        import threading

        canned = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def answer(self) -> None:
                canned.hits += 1
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

        self.hits = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_redirect_to_another_host_is_not_followed() -> None:
    """Issue 17: the client followed a 302 to another host (a POST became a GET there) and used its answers."""
    from click.testing import CliRunner

    from vetgraph.cli import main

    other = _Canned(
        200, {"Content-Type": "application/sparql-results+json"}, b'{"head":{"vars":[]},"results":{"bindings":[]}}'
    )
    redirecting = _Canned(302, {"Location": other.url}, b"")
    try:
        result = CliRunner().invoke(main, ["query", "delstrategier-tackning", "--endpoint", redirecting.url])
    finally:
        redirecting.close()
        other.close()
    assert result.exit_code == 2, result.output
    assert "answered with a redirect (HTTP 302" in result.stderr and "does not follow redirects" in result.stderr
    assert redirecting.hits == 1 and other.hits == 0


def test_a_store_answering_with_other_columns_than_asked_is_exit_2() -> None:
    """Issue 17: `history` and `accept` were exit 3 when a server answered with other columns."""
    from click.testing import CliRunner

    from vetgraph.cli import main

    odd = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"1"}}]}}'
    server = _Canned(200, {"Content-Type": "application/sparql-results+json"}, odd)
    try:
        result = CliRunner().invoke(main, ["history", "--store", server.url])
    finally:
        server.close()
    assert result.exit_code == 2, result.output
    assert "answered with the columns x, not the" in result.stderr
