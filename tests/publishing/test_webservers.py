"""The generated .htaccess and nginx.conf work in real Apache and nginx: 303 by Accept, media types, 404."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import http_get
from vetgraph.namespaces import BASE

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
def nginx(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = need("nginx")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    snippet = (site / "nginx.conf").read_text(encoding="utf-8")
    snippet = snippet.replace("root /var/www/vetgraph;", f"root {site};").replace(
        "listen 80;", f"listen 127.0.0.1:{port};"
    )
    (work / "site.conf").write_text(snippet, encoding="utf-8")
    temp_paths = "".join(
        f"{kind}_temp_path {work}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        # as root, workers would otherwise run as nobody and not read pytest's private tmp folders
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off; worker_processes 1; error_log {work}/error.log; pid {work}/nginx.pid;\n"
        f"events {{ worker_connections 64; }}\nhttp {{ access_log off; {temp_paths} include {work}/site.conf; }}\n",
        encoding="utf-8",
    )
    with running([binary, "-c", str(work / "nginx.conf"), "-p", str(work)], port, work / "error.log") as url:
        yield url


@pytest.fixture(scope="module")
def apache(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = need("apache2")
    work = tmp_path_factory.mktemp("apache")
    port = free_port()
    modules = ["mpm_event", "authz_core", "mime", "dir", "rewrite", "headers"]
    loads = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n" for m in modules)
    (work / "httpd.conf").write_text(
        f"ServerRoot {work}\nPidFile {work}/httpd.pid\nErrorLog {work}/error.log\nListen 127.0.0.1:{port}\n"
        f"ServerName localhost\n{loads}TypesConfig /etc/mime.types\nDocumentRoot {site}\n"
        f"<Directory {site}>\n  AllowOverride All\n  Require all granted\n</Directory>\n",
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
