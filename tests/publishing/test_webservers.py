"""The generated .htaccess, nginx.conf and apache.conf work in real Apache and nginx: 303 by Accept, media
types, 404; the dynamic paths are passed to a real `vetgraph serve` behind them, and nginx in front holds
off slow clients (issue 17)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import REPO, http_get
from hostile_clients import trickle_attack
from municipality import BASE

APACHE_MODULES = Path("/usr/lib/apache2/modules")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def need(binary: str) -> str:
    found = shutil.which(binary) or (f"/usr/sbin/{binary}" if Path(f"/usr/sbin/{binary}").exists() else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {binary} (scripts/setup-and-test.sh does, as root)")
        pytest.skip(f"{binary} is not installed")
    return found


@pytest.fixture(scope="module")
def site(published_site: Path) -> Path:
    return published_site


# Injected in the generated configurations' place (10 s), so that a slow client is cut within the test.
CLIENT_TIMEOUT = 3


@pytest.fixture(scope="module")
def backend(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The real `vetgraph serve` behind the web servers; its port."""
    log = tmp_path_factory.mktemp("backend") / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "serve", "--site", str(site), "--port", "0"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    assert process.stdout is not None
    match = re.search(r"127\.0\.0\.1:(\d+)", process.stdout.readline())
    assert match, log.read_text()
    yield int(match.group(1))
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


@contextmanager
def running(command: list[str], port: int, log: Path) -> Iterator[str]:
    """Start a server, wait until it listens on ``port``, yield its URL, and stop it afterwards."""
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{command[0]} did not start: {log.read_text() if log.exists() else ''}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx(site: Path, backend: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = need("nginx")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    snippet = (site / "nginx.conf").read_text(encoding="utf-8")
    snippet = (
        snippet.replace("root /var/www/vetgraph;", f"root {site};")
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("server 127.0.0.1:8000", f"server 127.0.0.1:{backend}")
        .replace("_timeout 10s;", f"_timeout {CLIENT_TIMEOUT}s;")
    )
    assert snippet.count(f"_timeout {CLIENT_TIMEOUT}s;") == 3  # head, body, and the upload's body
    (work / "site.conf").write_text(snippet, encoding="utf-8")
    temp_paths = "".join(
        f"{kind}_temp_path {work}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        # as root, workers would otherwise run as nobody and not read pytest's private tmp folders
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off; worker_processes 1; error_log {work}/error.log; pid {work}/nginx.pid;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{ access_log off; {temp_paths} include {work}/site.conf; }}\n",
        encoding="utf-8",
    )
    with running([binary, "-c", str(work / "nginx.conf"), "-p", str(work)], port, work / "error.log") as url:
        yield url


@pytest.fixture(scope="module")
def apache(site: Path, backend: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = need("apache2")
    work = tmp_path_factory.mktemp("apache")
    port = free_port()
    dynamic = (site / "apache.conf").read_text(encoding="utf-8").replace("127.0.0.1:8000", f"127.0.0.1:{backend}")
    (work / "dynamic.conf").write_text(dynamic, encoding="utf-8")
    modules = ["mpm_event", "authz_core", "mime", "dir", "rewrite", "headers", "proxy", "proxy_http", "reqtimeout"]
    loads = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n" for m in modules)
    (work / "httpd.conf").write_text(
        f"ServerRoot {work}\nPidFile {work}/httpd.pid\nErrorLog {work}/error.log\nListen 127.0.0.1:{port}\n"
        f"ServerName localhost\n{loads}TypesConfig /etc/mime.types\nDocumentRoot {site}\n"
        f"<Directory {site}>\n  AllowOverride All\n  Require all granted\n</Directory>\nInclude {work}/dynamic.conf\n",
        encoding="utf-8",
    )
    with running([binary, "-f", str(work / "httpd.conf"), "-DFOREGROUND"], port, work / "error.log") as url:
        yield url


FORMATS = {"text/turtle": ("ttl", "turtle"), "application/ld+json": ("jsonld", "json-ld"),
           "application/n-triples": ("nt", "nt"), "application/rdf+xml": ("rdf", "xml")}  # fmt: skip


@pytest.mark.parametrize("server", ["nginx", "apache"])
def test_things_answer_303_by_accept_and_documents_have_their_media_types(
    server: str, request: pytest.FixtureRequest
) -> None:
    root = request.getfixturevalue(server)
    path = "id/delstrategi/god-halsa"
    for media_type, (extension, fmt) in FORMATS.items():
        status, headers, _ = http_get(f"{root}/{path}", media_type, follow=False)
        assert status == 303 and headers["Location"].endswith(f"/{path}.{extension}"), (server, media_type)
        assert "Accept" in headers.get("Vary", "")
        status, headers, body = http_get(f"{root}/{path}", media_type)
        assert status == 200 and headers["Content-Type"].startswith(media_type)
        assert (URIRef(BASE + path), None, None) in Graph().parse(data=body.decode("utf-8"), format=fmt)
    status, headers, body = http_get(f"{root}/{path}", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<h1>" in body
    assert http_get(f"{root}/id/delstrategi/finns-inte")[0] == 404
    assert http_get(f"{root}/")[0] == 200
    # the ontology's IRI ends in /: its documents are def/index.*
    status, headers, body = http_get(f"{root}/def/", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle"), server
    assert (URIRef(BASE + "def/"), None, None) in Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert http_get(f"{root}/def/", "text/html")[2].count(b"<h1>") == 1


@pytest.mark.parametrize("server", ["nginx", "apache"])
def test_the_dynamic_paths_are_passed_to_vetgraph_serve(server: str, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(server)
    status, headers, body = http_get(f"{root}/sparql?query=ASK%7B%7D", "application/sparql-results+json")
    assert status == 200 and b'"boolean"' in body, (server, body[:200])
    status, _, body = http_get(f"{root}/sparql", "text/html")
    assert status == 200 and b"<textarea" in body
    status, _, page = http_get(f"{root}/inlamning")
    assert status == 200 and "Lämna in nämndmål" in page.decode()
    boundary = "b0undary"
    upload = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="fil"; filename="trasig.ttl"\r\n\r\n<a> <b> .'
        f"\r\n--{boundary}--\r\n"
    ).encode()
    status, _, page = http_get(
        f"{root}/inlamning", data=upload, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert status == 200 and "Filen gick inte att läsa: rad 1" in page.decode()
    for path in ("/sparql", "/index.html"):  # the security headers, once, on answers from vetgraph and from files
        _, headers, _ = http_get(f"{root}{path}", "text/html")
        assert headers.get_all("X-Frame-Options") in (["DENY"], ["DENY", "DENY"]), (server, path)
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_70_tricklers_against_nginx_in_front_do_not_reach_vetgraph_and_ordinary_clients_are_answered(
    nginx: str,
) -> None:
    def ordinary() -> int:
        status, _, body = http_get(f"{nginx}/sparql?query=ASK%7B%7D", "application/sparql-results+json")
        page_status = http_get(f"{nginx}/index.html")[0]
        return status if b"boolean" in body and page_status == 200 else -1

    # nginx cuts a head that is not whole after its client_header_timeout; a body that keeps coming, one byte a
    # second, it may read for as long (client_body_timeout is between reads), but only 20 connections per
    # client address (limit_conn), and it reads the body whole before vetgraph sees anything.
    tricklers, statuses = trickle_attack(nginx, ordinary, wait=CLIENT_TIMEOUT + 10)
    assert statuses == [200] * 20
    heads, bodies = tricklers[1::2], tricklers[0::2]
    assert all(t.cut for t in heads), [t.answer[:40] for t in heads]
    refused = [t for t in bodies if t.answer.startswith(b"HTTP/1.1 429")]
    assert len(refused) >= len(bodies) - 20, [t.answer[:40] for t in bodies]
