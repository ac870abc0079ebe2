"""``vetgraph serve``: the published site with content negotiation, and a read-only SPARQL endpoint.

* A thing's IRI (no extension) answers ``303 See Other`` to the document that
  fits the ``Accept`` header (HTML, Turtle, JSON-LD, N-Triples, RDF/XML), with
  ``Vary: Accept``; ``406`` when nothing acceptable exists.
* A document's own URL (``….html``, ``….ttl`` …) answers with its media type.
* ``/sparql`` is the SPARQL 1.1 Protocol (GET, and POST as a form or
  ``application/sparql-query``): results as JSON, XML, CSV or TSV by ``Accept``,
  CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD, and for a browser a
  query page. Updates, SERVICE and FROM/FROM NAMED are refused with ``400``; each
  query runs in a child process that is killed at the time limit (``503``);
  results are cut at the result limit (the ``Vetgraph-Result-Limit`` header says so).

Each connection has its own thread (at most ``MAX_CONNECTIONS`` at once) and a
read timeout, so slow or idle clients hold only themselves; every request gets a
status and one log line. It is for one machine or an intranet; for the web, host
the static site behind Apache or nginx.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rdflib import Graph

from vetgraph import __version__, escaping
from vetgraph.errors import VetgraphError
from vetgraph.followup.queries import READ_FORMS
from vetgraph.followup.tables import cell
from vetgraph.html import render
from vetgraph.publishing.negotiation import negotiate
from vetgraph.publishing.sparql import GRAPH_TYPES, RESULT_TYPES, Endpoint, results_as
from vetgraph.publishing.upload import MAX_UPLOAD_BYTES, UploadDesk
from vetgraph.rdf import graphs
from vetgraph.rdf.formats import HTML_MEDIA_TYPE, RDF_FORMATS
from vetgraph.store.local import OxigraphStore

DOCUMENT_TYPES = {"html": HTML_MEDIA_TYPE, **{f.extension: f.media_type for f in RDF_FORMATS.values()}}
FILE_TYPES = {
    **DOCUMENT_TYPES,
    "css": "text/css",
    "js": "text/javascript",
    "gz": "application/gzip",
    "conf": "text/plain",
    "png": "image/png",
}


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Largest request body read (a query, or a form holding one; /inlamning takes a file up to MAX_UPLOAD_BYTES).
MAX_BODY_BYTES = 1_000_000
# Connections served at once; more wait in the listen queue. Each gets its own thread.
MAX_CONNECTIONS = 64
# Seconds a connection may be idle (while sending its request) before it is closed.
CONNECTION_TIMEOUT = 10.0


class BadRequest(Exception):
    """A request vetgraph cannot answer as asked, with the HTTP status to say so."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class SiteHandler(BaseHTTPRequestHandler):
    """One connection. Every request gets an HTTP status and one log line on standard error, never a traceback."""

    site: Path
    endpoint: Endpoint
    desk: UploadDesk
    server_version = "vetgraph"
    protocol_version = "HTTP/1.1"
    timeout = CONNECTION_TIMEOUT  # a slow or idle client holds only its own thread, and not for long

    # Answer even an unreadable request line with a status line (the default, HTTP/0.9, has none).
    default_request_version = "HTTP/1.1"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own errors (bad request line, headers too long ...), as plain text."""
        self.close_connection = True
        status = HTTPStatus(code)
        self._text(status, message or status.phrase)

    def log_message(self, format: str, *args: Any) -> None:
        line = f"{self.address_string()} [{self.log_date_time_string()}] {format % args}"
        sys.stderr.write(escaping.terminal_line(line) + "\n")

    def do_HEAD(self) -> None:
        self._answer(lambda: self._get(head=True))

    def do_GET(self) -> None:
        self._answer(lambda: self._get(head=False))

    def do_POST(self) -> None:
        self._answer(self._post)

    def _answer(self, handle: Any) -> None:
        try:
            handle()
        except BadRequest as error:
            self._text(error.status, error.reason)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away or stalled; nothing to answer
        except Exception as error:  # a bug in vetgraph: a 500 and one line in the log, the server goes on
            self.log_message("internal error (%s: %s); this is a bug in vetgraph", type(error).__name__, error)
            self.close_connection = True
            with contextlib.suppress(Exception):
                self._text(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; this is a bug in vetgraph")

    def _body(self) -> str:
        return self._raw_body(MAX_BODY_BYTES).decode("utf-8", "replace")

    def _raw_body(self, limit: int) -> bytes:
        raw = self.headers.get("Content-Length")
        if raw is None:
            raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header with the request body")
        if not raw.strip().isdigit():
            raise BadRequest(HTTPStatus.BAD_REQUEST, "Content-Length must be a whole number of bytes")
        length = int(raw)
        if length > limit:
            self.close_connection = True  # the body is not read, so the connection cannot be reused
            raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {limit} bytes")
        return self.rfile.read(length)

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/inlamning":
            page = self.desk.check(self.headers.get("Content-Type") or "", self._raw_body(MAX_UPLOAD_BYTES))
            self._send(HTTPStatus.OK, HTML_MEDIA_TYPE + "; charset=utf-8", page.encode("utf-8"), head=False)
            return
        if url.path != "/sparql":
            self.close_connection = True
            raise BadRequest(HTTPStatus.METHOD_NOT_ALLOWED, "POST is only for /sparql and /inlamning")
        body = self._body()
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-query":
            self._sparql(body, head=False)
        elif content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body)
            if "update" in form:
                raise BadRequest(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
            self._sparql((form.get("query") or [""])[0], head=False)
        elif content_type == "application/sparql-update":
            raise BadRequest(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
        else:
            raise BadRequest(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/sparql-query or a form with query=")

    def _get(self, *, head: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/inlamning":
            self._send(HTTPStatus.OK, HTML_MEDIA_TYPE + "; charset=utf-8", self.desk.page().encode("utf-8"), head=head)
            return
        if url.path == "/inlamning/mall.xlsx":
            headers = {"Content-Disposition": 'attachment; filename="namndmal-mall.xlsx"'}
            self._send(HTTPStatus.OK, XLSX_MEDIA_TYPE, self.desk.template(), head=head, headers=headers)
            return
        if url.path == "/sparql":
            params = urllib.parse.parse_qs(url.query)
            if "update" in params:
                raise BadRequest(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
            if "query" not in params and negotiate(self.headers.get("Accept"), [HTML_MEDIA_TYPE]):
                example = (params.get("example") or [""])[0]
                self._query_page(self._example(example), head=head)
                return
            self._sparql((params.get("query") or [""])[0], head=head)
            return
        relative = urllib.parse.unquote(url.path).lstrip("/")
        if any(ch in relative for ch in "\x00\\"):
            raise BadRequest(HTTPStatus.BAD_REQUEST, "the path holds characters no page has")
        target = (self.site / relative).resolve()
        if self.site not in target.parents and target != self.site:
            raise BadRequest(HTTPStatus.NOT_FOUND, "not found")
        if not url.path.endswith("/") and Path(str(target) + ".html").is_file():
            # A thing: 303 to the document the client accepts. (Its folder only holds
            # a forwarding page for static hosting without content negotiation.)
            self._redirect(HTTPStatus.SEE_OTHER, f"{url.path}.{self._document_extension()}", vary=True)
            return
        if target.is_dir() and (target / "index.html").is_file():
            if not url.path.endswith("/"):
                self._redirect(HTTPStatus.MOVED_PERMANENTLY, url.path + "/")
                return
            if (target / "index.ttl").is_file():  # a thing whose IRI ends in / (the ontology, def/)
                extension = self._document_extension()
                if extension != "html":
                    self._redirect(HTTPStatus.SEE_OTHER, f"{url.path}index.{extension}", vary=True)
                    return
            target = target / "index.html"
        suffix = target.suffix.lstrip(".")
        if target.is_file() and suffix:
            self._file(target, FILE_TYPES.get(suffix, "application/octet-stream"), head=head)
            return
        raise BadRequest(HTTPStatus.NOT_FOUND, "not found")

    def _document_extension(self) -> str:
        """The extension of the description the client accepts best (content negotiation), or a 406."""
        offered = list(DOCUMENT_TYPES.values())
        chosen = negotiate(self.headers.get("Accept"), offered)
        if chosen is None:
            self._vary = True
            raise BadRequest(HTTPStatus.NOT_ACCEPTABLE, "available as: " + ", ".join(offered))
        return next(ext for ext, media in DOCUMENT_TYPES.items() if media == chosen)

    def _example(self, name: str) -> str:
        for query in self.endpoint.examples():
            if query.name == name:
                return query.text
        return (
            "PREFIX vtl: <https://data.vetlanda.se/def/>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n\n"
            "SELECT ?namndmal ?titel WHERE {\n  ?namndmal a vtl:Namndmal ;\n    dcterms:title ?titel .\n}\nLIMIT 20\n"
        )

    def _query_page(self, query: str, *, head: bool, status: HTTPStatus = HTTPStatus.OK, **results: Any) -> None:
        page = render(
            "sparql.html.j2",
            version=__version__,
            root="",
            page_title="SPARQL",
            query=query,
            time_limit=f"{self.endpoint.time_limit:g}",
            result_limit=self.endpoint.result_limit,
            examples=self.endpoint.examples(),
            error=results.get("error"),
            table=results.get("table"),
            graph_text=results.get("graph_text"),
            truncated=results.get("truncated", False),
        )
        self._send(status, HTML_MEDIA_TYPE + "; charset=utf-8", page.encode("utf-8"), head=head)

    def _sparql(self, query: str, *, head: bool) -> None:
        """Answer a query: for a browser, in the query page; for a program, in the format it accepts."""
        accept = self.headers.get("Accept")
        for_people = negotiate(accept, [*RESULT_TYPES, HTML_MEDIA_TYPE]) == HTML_MEDIA_TYPE
        if not query.strip():
            raise BadRequest(HTTPStatus.BAD_REQUEST, "give a SPARQL query as query=")
        try:
            if for_people:
                answer = self.endpoint.run(query)
            else:
                offered = list(RESULT_TYPES if self.endpoint.form(query) in READ_FORMS else GRAPH_TYPES)
                media_type = negotiate(accept, offered)
                if media_type is None:
                    raise BadRequest(HTTPStatus.NOT_ACCEPTABLE, "results are available as: " + ", ".join(offered))
                answer = self.endpoint.run(query, graph_format=GRAPH_TYPES.get(media_type, "turtle"))
                body = answer.graph if answer.table is None else results_as(answer.table, media_type).encode()
        except TimeoutError:
            reason = f"the query ran past the time limit of {self.endpoint.time_limit:g} s"
            if for_people:
                self._query_page(query, head=head, status=HTTPStatus.SERVICE_UNAVAILABLE, error=reason)
                return
            raise BadRequest(HTTPStatus.SERVICE_UNAVAILABLE, reason) from None
        except VetgraphError as error:
            if for_people:
                self._query_page(query, head=head, status=HTTPStatus.BAD_REQUEST, error=error.message)
                return
            raise BadRequest(HTTPStatus.BAD_REQUEST, error.message) from None
        except ValueError as error:  # ASK results have no CSV or TSV form
            raise BadRequest(HTTPStatus.NOT_ACCEPTABLE, str(error)) from None
        if for_people:
            table = answer.table
            shown = (
                {"columns": table.columns, "rows": [[cell(v) for v in row] for row in table.rows]} if table else None
            )
            graph_text = answer.graph.decode("utf-8") if answer.graph is not None else None
            self._query_page(query, head=head, table=shown, graph_text=graph_text, truncated=answer.truncated)
            return
        headers = {"Vetgraph-Result-Limit": f"{self.endpoint.result_limit}; truncated"} if answer.truncated else {}
        self._send(HTTPStatus.OK, f"{media_type}; charset=utf-8", body or b"", head=head, headers=headers)

    def _file(self, path: Path, media_type: str, *, head: bool) -> None:
        charset = "; charset=utf-8" if media_type.startswith("text/") or media_type.endswith(("json", "xml")) else ""
        self._send(HTTPStatus.OK, media_type + charset, path.read_bytes(), head=head)

    def _redirect(self, status: HTTPStatus, location: str, *, vary: bool = False) -> None:
        headers = {"Location": location, **({"Vary": "Accept"} if vary else {})}
        self._send(status, "text/plain; charset=utf-8", f"see {location}\n".encode(), head=False, headers=headers)

    def _text(self, status: HTTPStatus, reason: str) -> None:
        headers = {"Vary": "Accept"} if getattr(self, "_vary", False) else {}
        self._send(status, "text/plain; charset=utf-8", (reason + "\n").encode("utf-8"), head=False, headers=headers)

    def _send(
        self, status: HTTPStatus, content_type: str, body: bytes, *, head: bool, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    """A thread per connection, at most ``MAX_CONNECTIONS`` at once; the rest wait to be accepted."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[SiteHandler]) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def make_server(
    site: Path, *, host: str = "127.0.0.1", port: int = 8000, time_limit: float = 10.0, result_limit: int = 10_000
) -> SiteServer:
    """A server for the published folder ``site`` (as ``vetgraph publish`` writes it)."""
    if time_limit <= 0 or result_limit < 1:
        raise VetgraphError("the time limit and the result limit must be positive")
    if not 0 <= port <= 65535:
        raise VetgraphError(f"--port must be from 0 to 65535, not {port}")
    dump = site / "dump" / "vetgraph.ttl"
    if not dump.is_file():
        raise VetgraphError("is not a published site (no dump/vetgraph.ttl); run vetgraph publish first", path=site)
    store = OxigraphStore(graphs.read_quads(dump, max_bytes=graphs.MAX_TRUSTED_BYTES), time_limit=None)
    handler = type(
        "Handler",
        (SiteHandler,),
        {"site": site.resolve(), "endpoint": Endpoint(store, time_limit, result_limit), "desk": UploadDesk()},
    )
    try:
        return SiteServer((host, port), handler)
    except OSError as error:
        raise VetgraphError(f"cannot listen on {host}:{port}: {error.strerror}") from None


@contextlib.contextmanager
def temporary_site(base: str, source: Graph | None = None) -> Iterator[Path]:
    """Publish ``source`` (default: the project) into a temporary folder for as long as the block runs.

    The folder is removed when the block ends; folders that killed servers
    (SIGKILL) left behind are removed the next time, recognised by the process id
    in their name.
    """
    from vetgraph.publishing.writer import publish

    _remove_abandoned_sites()
    with tempfile.TemporaryDirectory(prefix=f"{_TEMPORARY_PREFIX}{os.getpid()}-") as temporary:
        site = Path(temporary) / "site"
        publish(site, base=base, source=source)
        yield site


def stop_on_sigterm() -> None:
    """Make SIGTERM (``kill``, systemd, a container stopping) stop the server as Ctrl-C does, cleaning up."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


_TEMPORARY_PREFIX = "vetgraph-site-"


def _remove_abandoned_sites() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{_TEMPORARY_PREFIX}*-*"):
        pid = folder.name.removeprefix(_TEMPORARY_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or not folder.is_dir() or folder.is_symlink() or folder.owner() != _user_name():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)  # its server is gone
        except PermissionError:
            pass  # another user's live process


def _user_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name
