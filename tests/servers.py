"""Real SPARQL servers for the tests, each started in a temporary folder on a free port.

* Oxigraph server (the ``oxigraph`` package, a dev dependency);
* Virtuoso Open Source (Debian's ``virtuoso-opensource``, installed by
  scripts/setup-and-test.sh), with SPARQL Update granted to its anonymous user,
  as a municipality would set it up behind its own access control.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import require


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[dev]' installs it")
    return found


def _wait_until_answering(url: str, server: subprocess.Popen[bytes], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail(f"the {what} server did not start")
            time.sleep(0.1)


@contextmanager
def oxigraph_server(folder: Path, *, read_only: bool = False) -> Iterator[str]:
    """An Oxigraph server on the store in ``folder``; yields its query URL (updates go to /update)."""
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    server = subprocess.Popen(
        [oxigraph_binary(), command, "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_until_answering(url, server, "oxigraph")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {folder}/vsp
ServerThreads = 10
Charset = UTF-8
[SPARQL]
; Debian's default is 10,000: answers longer than that are cut, which vetgraph must notice.
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server(folder: Path, *, max_rows: int = 10_000) -> Iterator[str]:
    """A fresh Virtuoso in ``folder``, cutting answers at ``max_rows``; yields its SPARQL URL (queries and updates)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    require(
        "Debian's virtuoso-opensource",
        bool(binary and isql),
        "scripts/setup-and-test.sh installs it when run as root",
    )
    assert binary and isql
    sql_port, http_port = free_port(), free_port()
    (folder / "vsp").mkdir(exist_ok=True)  # its own web root: nothing from an optional package is needed
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    server = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_until_answering(url, server, "virtuoso")
        grant = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        subprocess.run([isql, str(sql_port), "dba", "dba", f"exec={grant}"], check=True, capture_output=True)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def empty_store(url: str) -> None:
    """Drop every graph vetgraph wrote on a server (its graphs are under https://data.vetlanda.se/), so that one
    server can serve many tests, each starting from an empty store; the server's own graphs are left alone."""
    import json
    import urllib.parse

    update_url = url.removesuffix("/query") + "/update" if url.endswith("/query") else url

    def graphs() -> list[str]:
        query = (
            'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://data.vetlanda.se/")) }'
        )
        request = urllib.request.Request(
            url + "?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            return [row["g"]["value"] for row in json.load(answer)["results"]["bindings"]]

    for graph in graphs():
        body = urllib.parse.urlencode({"update": f"DROP SILENT GRAPH <{graph}>"}).encode()
        request = urllib.request.Request(
            update_url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        with urllib.request.urlopen(request, timeout=60):
            pass
    assert graphs() == [], "the test server could not be emptied"
