"""``vetgraph serve``: the published site with content negotiation, and a read-only SPARQL endpoint.

* A thing's IRI (no extension) answers ``303 See Other`` to the document that
  fits the ``Accept`` header (HTML, Turtle, JSON-LD, N-Triples, RDF/XML), with
  ``Vary: Accept``; ``406`` when nothing acceptable exists.
* A document's own URL (``….html``, ``….ttl`` …) answers with its media type.
* ``/sparql`` is the SPARQL 1.1 Protocol (GET, and POST as a form or
  ``application/sparql-query``): results as JSON, XML, CSV or TSV by ``Accept``.
  Updates, SERVICE and FROM/FROM NAMED are refused with ``400``; each query runs
  in a child process that is killed at the time limit (``503``); results are cut
  at the result limit (the ``Vetgraph-Result-Limit`` header says so).

It is a single-threaded server for one machine (the time limit bounds how long a
request can hold it); for the web, host the static site behind Apache or nginx.
"""

from __future__ import annotations

import csv
import io
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from rdflib import BNode, Literal, URIRef

from vetgraph import graphs
from vetgraph.errors import VetgraphError
from vetgraph.publish import FORMATS, HTML_MEDIA_TYPE
from vetgraph.queries import check
from vetgraph.store import OxigraphStore, QueryTimeout, Table, call_with_time_limit
from vetgraph.tables import as_sparql_json

DOCUMENT_TYPES = {"html": HTML_MEDIA_TYPE, **{ext: media for ext, (_, media, _) in FORMATS.items()}}
FILE_TYPES = {
    **DOCUMENT_TYPES,
    "css": "text/css",
    "js": "text/javascript",
    "gz": "application/gzip",
    "conf": "text/plain",
    "png": "image/png",
}
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (RFC 9110)."""
    ranges = []
    for part in (header or "*/*").split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality))
    return sorted(ranges, key=lambda r: -r[1])


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers (ties go to the order of ``offered``), or None.

    For each offered type the most specific matching range gives its quality
    (``text/turtle`` over ``text/*`` over ``*/*``), as RFC 9110 says.
    """
    ranges = parse_accept(header)
    best: tuple[float, str] | None = None
    for media_type in offered:
        matches = [(specificity, q) for r, q in ranges if (specificity := _specificity(r, media_type)) is not None]
        if not matches:
            continue
        _, quality = max(matches)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, media_type)
    return best[1] if best else None


def _specificity(media_range: str, media_type: str) -> int | None:
    if media_range == media_type or (media_range == "application/xhtml+xml" and media_type == HTML_MEDIA_TYPE):
        return 2
    if media_range == media_type.split("/")[0] + "/*":
        return 1
    if media_range == "*/*":
        return 0
    return None


@dataclass
class Endpoint:
    """Runs checked SPARQL queries on the site's graph, each in a child process with a time limit."""

    store: OxigraphStore
    time_limit: float
    result_limit: int

    def run(self, query: str) -> tuple[Table, bool]:
        check(query, source="query")  # raises VetgraphError for updates, SERVICE, FROM, bad syntax
        limit = self.result_limit

        def evaluate() -> tuple[Table, bool]:
            table = self.store.select(query)
            return Table(columns=table.columns, rows=table.rows[:limit]), len(table.rows) > limit

        try:
            return call_with_time_limit(evaluate, self.time_limit)
        except QueryTimeout:
            raise TimeoutError from None


def results_as(table: Table, media_type: str) -> str:
    if media_type == "application/sparql-results+json":
        return as_sparql_json(table)
    if media_type == "application/sparql-results+xml":
        return _as_sparql_xml(table)
    if table.columns == ["ask"]:
        raise ValueError("ASK results have no CSV or TSV form")
    if media_type == "text/csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else str(v) for v in row])
        return buffer.getvalue()
    lines = ["\t".join("?" + c for c in table.columns)]
    lines.extend("\t".join("" if v is None else v.n3() for v in row) for row in table.rows)
    return "\n".join(lines) + "\n"


def _as_sparql_xml(table: Table) -> str:
    head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    if table.columns == ["ask"] and len(table.rows) == 1:
        answer = "true" if str(table.rows[0][0]) == "true" else "false"
        return head + f"  <head/>\n  <boolean>{answer}</boolean>\n</sparql>\n"
    out = [head, "  <head>", *(f'    <variable name="{escape(c)}"/>' for c in table.columns), "  </head>\n  <results>"]
    for row in table.rows:
        out.append("    <result>")
        for column, value in zip(table.columns, row, strict=True):
            if value is None:
                continue
            if isinstance(value, URIRef):
                inner = f"<uri>{escape(str(value))}</uri>"
            elif isinstance(value, BNode):
                inner = f"<bnode>{escape(str(value))}</bnode>"
            else:
                assert isinstance(value, Literal)
                attribute = (
                    f' xml:lang="{escape(value.language)}"' if value.language
                    else (f' datatype="{escape(str(value.datatype))}"' if value.datatype else "")
                )  # fmt: skip
                inner = f"<literal{attribute}>{escape(str(value))}</literal>"
            out.append(f'      <binding name="{escape(column)}">{inner}</binding>')
        out.append("    </result>")
    out.append("  </results>\n</sparql>\n")
    return "\n".join(out)


class SiteHandler(BaseHTTPRequestHandler):
    site: Path
    endpoint: Endpoint
    server_version = "vetgraph"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the command prints where it listens

    def do_HEAD(self) -> None:
        self._get(head=True)

    def do_GET(self) -> None:
        self._get(head=False)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._text(HTTPStatus.METHOD_NOT_ALLOWED, "POST is only for /sparql")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1_000_000)).decode("utf-8", "replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-query":
            self._sparql(body, head=False)
        elif content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body)
            if "update" in form:
                self._text(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
            else:
                self._sparql((form.get("query") or [""])[0], head=False)
        elif content_type == "application/sparql-update":
            self._text(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
        else:
            self._text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/sparql-query or a form with query=")

    def _get(self, *, head: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/sparql":
            params = urllib.parse.parse_qs(url.query)
            if "update" in params:
                self._text(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
                return
            self._sparql((params.get("query") or [""])[0], head=head)
            return
        relative = urllib.parse.unquote(url.path).lstrip("/")
        target = (self.site / relative).resolve()
        if self.site not in target.parents and target != self.site:
            self._text(HTTPStatus.NOT_FOUND, "not found")
            return
        if not url.path.endswith("/") and Path(str(target) + ".html").is_file():
            # A thing: 303 to the document the client accepts. (Its folder only holds
            # a forwarding page for static hosting without content negotiation.)
            offered = list(DOCUMENT_TYPES.values())
            chosen = negotiate(self.headers.get("Accept"), offered)
            if chosen is None:
                self._text(HTTPStatus.NOT_ACCEPTABLE, "available as: " + ", ".join(offered), vary=True)
                return
            extension = next(ext for ext, media in DOCUMENT_TYPES.items() if media == chosen)
            self._redirect(HTTPStatus.SEE_OTHER, f"{url.path}.{extension}", vary=True)
            return
        if target.is_dir() and (target / "index.html").is_file():
            if not url.path.endswith("/"):
                self._redirect(HTTPStatus.MOVED_PERMANENTLY, url.path + "/")
                return
            if (target / "index.ttl").is_file():  # a thing whose IRI ends in / (the ontology, def/)
                chosen = negotiate(self.headers.get("Accept"), list(DOCUMENT_TYPES.values()))
                if chosen is None:
                    self._text(
                        HTTPStatus.NOT_ACCEPTABLE, "available as: " + ", ".join(DOCUMENT_TYPES.values()), vary=True
                    )
                    return
                extension = next(ext for ext, media in DOCUMENT_TYPES.items() if media == chosen)
                if extension != "html":
                    self._redirect(HTTPStatus.SEE_OTHER, f"{url.path}index.{extension}", vary=True)
                    return
            target = target / "index.html"
        suffix = target.suffix.lstrip(".")
        if target.is_file() and suffix:
            self._file(target, FILE_TYPES.get(suffix, "application/octet-stream"), head=head)
            return
        self._text(HTTPStatus.NOT_FOUND, "not found")

    def _sparql(self, query: str, *, head: bool) -> None:
        if not query.strip():
            self._text(HTTPStatus.BAD_REQUEST, "give a SPARQL query as query=")
            return
        media_type = negotiate(self.headers.get("Accept"), list(RESULT_TYPES))
        if media_type is None:
            self._text(HTTPStatus.NOT_ACCEPTABLE, "results are available as: " + ", ".join(RESULT_TYPES))
            return
        try:
            table, truncated = self.endpoint.run(query)
            body = results_as(table, media_type)
        except TimeoutError:
            self._text(
                HTTPStatus.SERVICE_UNAVAILABLE, f"the query ran past the time limit of {self.endpoint.time_limit:g} s"
            )
            return
        except VetgraphError as error:
            self._text(HTTPStatus.BAD_REQUEST, error.message)
            return
        except ValueError as error:
            self._text(HTTPStatus.NOT_ACCEPTABLE, str(error))
            return
        headers = {"Vetgraph-Result-Limit": f"{self.endpoint.result_limit}; truncated"} if truncated else {}
        self._send(HTTPStatus.OK, media_type + "; charset=utf-8", body.encode("utf-8"), head=head, headers=headers)

    def _file(self, path: Path, media_type: str, *, head: bool) -> None:
        charset = "; charset=utf-8" if media_type.startswith("text/") or media_type.endswith(("json", "xml")) else ""
        self._send(HTTPStatus.OK, media_type + charset, path.read_bytes(), head=head)

    def _redirect(self, status: HTTPStatus, location: str, *, vary: bool = False) -> None:
        headers = {"Location": location, **({"Vary": "Accept"} if vary else {})}
        self._send(status, "text/plain; charset=utf-8", f"see {location}\n".encode(), head=False, headers=headers)

    def _text(self, status: HTTPStatus, reason: str, *, vary: bool = False) -> None:
        headers = {"Vary": "Accept"} if vary else {}
        self._send(status, "text/plain; charset=utf-8", (reason + "\n").encode("utf-8"), head=False, headers=headers)

    def _send(
        self, status: HTTPStatus, content_type: str, body: bytes, *, head: bool, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def make_server(
    site: Path, *, host: str = "127.0.0.1", port: int = 8000, time_limit: float = 10.0, result_limit: int = 10_000
) -> HTTPServer:
    """A server for the published folder ``site`` (as ``vetgraph publish`` writes it)."""
    dump = site / "dump" / "vetgraph.ttl"
    if not dump.is_file():
        raise VetgraphError("is not a published site (no dump/vetgraph.ttl); run vetgraph publish first", path=site)
    store = OxigraphStore(graphs.read_quads(dump, max_bytes=graphs.MAX_TRUSTED_BYTES), time_limit=None)
    handler = type(
        "Handler", (SiteHandler,), {"site": site.resolve(), "endpoint": Endpoint(store, time_limit, result_limit)}
    )
    try:
        return HTTPServer((host, port), handler)
    except OSError as error:
        raise VetgraphError(f"cannot listen on {host}:{port}: {error.strerror}") from None
