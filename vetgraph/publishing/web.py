"""The site as a web application (Starlette, ASGI): documents with content negotiation, ``/sparql``, ``/inlamning``.

* A thing's IRI (no extension) answers ``303 See Other`` to the document that
  fits the ``Accept`` header (HTML, Turtle, JSON-LD, N-Triples, RDF/XML), with
  ``Vary: Accept``; ``406`` when nothing acceptable exists.
* A document's own URL (``….html``, ``….ttl`` …) answers with its media type.
* ``/sparql`` is the SPARQL 1.1 Protocol (GET, and POST as a form or
  ``application/sparql-query``): results as JSON, XML, CSV or TSV by ``Accept``,
  CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD, and for a browser a
  query page. Updates, SERVICE and FROM/FROM NAMED are refused with ``400``.
* ``/inlamning`` is the upload desk (:mod:`vetgraph.publishing.upload`).

Queries and checks run in a forked child each (the engines cannot be interrupted
from Python), at most ``MAX_CHILDREN`` at once, killed at the time limit or when
the client leaves. A body is read only with a ``Content-Length`` within its limit
(never with ``Transfer-Encoding`` beside it), within the client timeout (an upload
within ``UPLOAD_SECONDS``). Every answer carries the security headers and one log
line, never a traceback. Starlette is used here and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, TextIO, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from vetgraph import __version__, escaping
from vetgraph.errors import VetgraphError
from vetgraph.followup.queries import READ_FORMS
from vetgraph.followup.tables import cell
from vetgraph.html import render
from vetgraph.publishing.negotiation import negotiate
from vetgraph.publishing.policy import MAX_BODY_BYTES, MAX_UPLOAD_BYTES, SECURITY_HEADERS, UPLOAD_SECONDS
from vetgraph.publishing.sparql import GRAPH_TYPES, RESULT_TYPES, Endpoint, results_as
from vetgraph.publishing.upload import MAX_FILENAME_CHARACTERS, TOO_SLOW_ADVICE, UploadDesk, UploadError
from vetgraph.rdf.formats import HTML_MEDIA_TYPE, RDF_FORMATS
from vetgraph.store.local import ChildCall

T = TypeVar("T")

DOCUMENT_TYPES = {"html": HTML_MEDIA_TYPE, **{f.extension: f.media_type for f in RDF_FORMATS.values()}}
FILE_TYPES = {**DOCUMENT_TYPES, "css": "text/css", "js": "text/javascript", "gz": "application/gzip",
              "conf": "text/plain", "png": "image/png"}  # fmt: skip
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_TYPE = HTML_MEDIA_TYPE + "; charset=utf-8"
# Files up to this size are read at once (pages, RDF descriptions); larger ones (the dumps) are streamed.
SMALL_FILE_BYTES = 256 * 1024
# Queries and validations running at once, each in its own forked child; more wait their turn.
MAX_CHILDREN = 4


class BadRequest(Exception):
    """A request vetgraph cannot answer as asked, with the HTTP status to say so."""

    def __init__(self, status: HTTPStatus, reason: str, *, close: bool = False, vary: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.close = close  # the body was not read: the connection cannot be reused
        self.vary = vary


class ClientLeft(Exception):
    """The client closed its connection before its answer was ready; its work was stopped."""


@dataclass
class Settings:
    """What the application serves, and its limits."""

    site: Path
    endpoint: Endpoint
    desk: UploadDesk
    client_timeout: float
    log: TextIO | None = None  # where the one line per request goes (None: standard error)
    children: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(MAX_CHILDREN))


def application(settings: Settings) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI application for ``settings``: Starlette's routing inside vetgraph's guard (headers, log, errors)."""
    site = _Site(settings)
    routes = [
        Route("/sparql", site.sparql, methods=["GET", "POST"]),
        Route("/inlamning", site.upload_page, methods=["GET", "POST"]),
        Route("/inlamning/mall.xlsx", site.template, methods=["GET"]),
        Route("/{path:path}", site.document, methods=["GET", "POST"]),
    ]
    handlers: dict[Any, Any] = {BadRequest: _refusal, ClientLeft: _client_left, ClientDisconnect: _client_left}
    return _Guard(Starlette(routes=routes, exception_handlers=handlers), settings.log)


async def _refusal(request: Request, error: Exception) -> Response:
    assert isinstance(error, BadRequest)
    return _text(error.status, error.reason, close=error.close, vary=error.vary)


async def _client_left(request: Request, error: Exception) -> Response:
    """Nobody is there to read it: the status is for the log (nginx's 499, "client closed request")."""
    return Response(status_code=499)


def log_line(
    log: TextIO | None, client: str, request: str, status: int | str, note: str = "", *, seconds: float | None = None
) -> None:
    """One line in ``log`` (standard error if None) for a request, anything a client sent made safe for a terminal."""
    stamp = datetime.now().strftime("%d/%b/%Y %H:%M:%S")
    took = f"{seconds:.3f}s" if seconds is not None else "-"
    line = f'{client} [{stamp}] "{request}" {status} {took}' + (f" {note}" if note else "")
    stream = log or sys.stderr
    stream.write(escaping.terminal_line(line) + "\n")
    stream.flush()


class _Guard:
    """Outermost layer: security headers on every answer, one log line per request, a bug is a 500 and never a
    traceback (Starlette's own error layer answers 500 and raises the error on, to here)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], log: TextIO | None) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to start
            return
        started: dict[str, Any] = {}

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started["status"] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
                ]
            await send(message)

        target = scope.get("raw_path", b"") + (b"?" + scope["query_string"] if scope.get("query_string") else b"")
        request = f"{scope['method']} {target.decode('latin-1')} HTTP/{scope.get('http_version', '1.1')}"
        client = (scope.get("client") or ("-", 0))[0]
        note = ""
        clock = time.monotonic()
        try:
            await self.app(scope, receive, guarded_send)
        except Exception as error:  # a bug in vetgraph: a 500 and one line in the log, the server goes on
            note = f"internal error ({type(error).__name__}: {error}); this is a bug in vetgraph"
            if "status" not in started:
                with contextlib.suppress(Exception):
                    answer = _text(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; this is a bug in vetgraph")
                    await answer(scope, receive, guarded_send)
            started.setdefault("status", 500)
        if started.get("status") == 499:
            note = "the client left; its work was stopped"
        log_line(self.log, client, request, started.get("status", "-"), note, seconds=time.monotonic() - clock)


class _Site:
    """The request handlers, over one published folder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.site.resolve()
        self.profile = settings.desk.validator.project.profile  # whose data: the pages' titles, the query page's names

    async def document(self, request: Request) -> Response:
        if request.method == "POST":
            raise BadRequest(HTTPStatus.METHOD_NOT_ALLOWED, "POST is only for /sparql and /inlamning", close=True)
        url_path = request.scope["raw_path"].decode("latin-1")  # as sent (percent-encoded), for Location headers
        relative = urllib.parse.unquote(url_path).lstrip("/")
        if any(ch in relative for ch in "\x00\\"):
            raise BadRequest(HTTPStatus.BAD_REQUEST, "the path holds characters no page has")
        target = (self.root / relative).resolve()
        if self.root not in target.parents and target != self.root:
            raise BadRequest(HTTPStatus.NOT_FOUND, "not found")
        if not url_path.endswith("/") and Path(str(target) + ".html").is_file():
            # A thing: 303 to the document the client accepts. (Its folder only holds
            # a forwarding page for static hosting without content negotiation.)
            return _redirect(HTTPStatus.SEE_OTHER, f"{url_path}.{_document_extension(request)}", vary=True)
        vary = False
        if target.is_dir() and (target / "index.html").is_file():
            if not url_path.endswith("/"):
                return _redirect(HTTPStatus.MOVED_PERMANENTLY, url_path + "/")
            if (target / "index.ttl").is_file():  # a thing whose IRI ends in / (the ontology, def/)
                extension = _document_extension(request)
                if extension != "html":
                    return _redirect(HTTPStatus.SEE_OTHER, f"{url_path}index.{extension}", vary=True)
                vary = True  # the HTML answer, too, depends on Accept
            target = target / "index.html"
        suffix = target.suffix.lstrip(".")
        if target.is_file() and suffix:
            media_type = FILE_TYPES.get(suffix, "application/octet-stream")
            if media_type.startswith("text/") or media_type.endswith(("json", "xml", "triples")):
                media_type += "; charset=utf-8"
            headers = {"Vary": "Accept"} if vary else None
            if target.stat().st_size > SMALL_FILE_BYTES:  # a dump: streamed in chunks, off the event loop
                return FileResponse(target, media_type=media_type, headers=headers)
            return Response(target.read_bytes(), media_type=media_type, headers=headers)  # from the page cache
        raise BadRequest(HTTPStatus.NOT_FOUND, "not found")

    async def sparql(self, request: Request) -> Response:
        if request.method == "GET":
            params = urllib.parse.parse_qs(request.url.query)
            if "update" in params:
                raise BadRequest(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
            if "query" not in params and negotiate(request.headers.get("Accept"), [HTML_MEDIA_TYPE]):
                return self._query_page(self.settings.endpoint.example((params.get("example") or [""])[0]))
            return await self._answer_query(request, (params.get("query") or [""])[0])
        content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            raise BadRequest(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only", close=True)
        if content_type not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            raise BadRequest(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/sparql-query or a form with query=", close=True
            )
        body = (await _read_body(request, MAX_BODY_BYTES, self.settings.client_timeout)).decode("utf-8", "replace")
        if content_type == "application/sparql-query":
            return await self._answer_query(request, body)
        form = urllib.parse.parse_qs(body)
        if "update" in form:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "updates are not allowed: this endpoint is read-only")
        return await self._answer_query(request, (form.get("query") or [""])[0])

    def _query_page(self, query: str, *, status: HTTPStatus = HTTPStatus.OK, **results: Any) -> Response:
        endpoint = self.settings.endpoint
        page = render(
            "sparql.html.j2",
            version=__version__,
            root="",
            page_title="SPARQL",
            strategy=self.profile.title,
            query=query,
            time_limit=f"{endpoint.time_limit:g}",
            result_limit=endpoint.result_limit,
            examples=endpoint.examples(),
            error=results.get("error"),
            table=results.get("table"),
            graph_text=results.get("graph_text"),
            truncated=results.get("truncated", False),
        )
        return Response(page.encode("utf-8"), status_code=status, media_type=HTML_TYPE)

    async def _answer_query(self, request: Request, query: str) -> Response:
        """Answer a query: for a browser, in the query page; for a program, in the format it accepts."""
        endpoint = self.settings.endpoint
        accept = request.headers.get("Accept")
        for_people = negotiate(accept, [*RESULT_TYPES, HTML_MEDIA_TYPE]) == HTML_MEDIA_TYPE
        if not query.strip():
            raise BadRequest(HTTPStatus.BAD_REQUEST, "give a SPARQL query as query=")
        media_type = HTML_MEDIA_TYPE
        try:
            if for_people:
                work = endpoint.prepare(query)
            else:
                offered = list(RESULT_TYPES if endpoint.form(query) in READ_FORMS else GRAPH_TYPES)
                chosen = negotiate(accept, offered)
                if chosen is None:
                    raise BadRequest(HTTPStatus.NOT_ACCEPTABLE, "results are available as: " + ", ".join(offered))
                media_type = chosen
                work = endpoint.prepare(query, graph_format=GRAPH_TYPES.get(media_type, "turtle"))
            answer = await self._in_child(work, endpoint.time_limit, request)
            body = None
            if not for_people:
                body = answer.graph if answer.table is None else results_as(answer.table, media_type).encode()
        except TimeoutError:
            reason = f"the query ran past the time limit of {endpoint.time_limit:g} s"
            if for_people:
                return self._query_page(query, status=HTTPStatus.SERVICE_UNAVAILABLE, error=reason)
            raise BadRequest(HTTPStatus.SERVICE_UNAVAILABLE, reason) from None
        except VetgraphError as error:
            if for_people:
                return self._query_page(query, status=HTTPStatus.BAD_REQUEST, error=error.message)
            raise BadRequest(HTTPStatus.BAD_REQUEST, error.message) from None
        except ValueError as error:  # ASK results have no CSV or TSV form
            raise BadRequest(HTTPStatus.NOT_ACCEPTABLE, str(error)) from None
        if for_people:
            table, namespaces = answer.table, self.settings.desk.validator.project.profile.namespaces
            shown = (
                {
                    "columns": table.columns,
                    "rows": [[cell(v, namespaces=namespaces) for v in row] for row in table.rows],
                }
                if table
                else None
            )
            graph_text = answer.graph.decode("utf-8") if answer.graph is not None else None
            return self._query_page(query, table=shown, graph_text=graph_text, truncated=answer.truncated)
        headers = {"Vetgraph-Result-Limit": f"{endpoint.result_limit}; truncated"} if answer.truncated else {}
        return Response(body or b"", media_type=f"{media_type}; charset=utf-8", headers=headers)

    async def _in_child(self, work: Callable[[], T], seconds: float, request: Request) -> T:
        """``work()`` in a forked child: killed at ``seconds`` (TimeoutError) or when the client leaves (ClientLeft)."""
        async with self.settings.children:
            deadline = time.monotonic() + seconds
            call = await run_in_threadpool(ChildCall, work)  # forking copies page tables: not on the event loop
            try:
                while not call.ready():
                    if await request.is_disconnected():
                        raise ClientLeft
                    if time.monotonic() > deadline:
                        raise TimeoutError
                    await asyncio.sleep(0.05)
                return await run_in_threadpool(call.result)
            finally:
                call.stop()

    async def upload_page(self, request: Request) -> Response:
        desk = self.settings.desk
        if request.method == "GET":
            return Response((await run_in_threadpool(desk.page)).encode("utf-8"), media_type=HTML_TYPE)
        try:
            _check_framing(request, MAX_UPLOAD_BYTES)
        except BadRequest as error:
            if error.status != HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
                raise
            error_page = desk.page(error=f"Filen är större än {desk.max_megabytes} MB.")
            return Response(error_page.encode(), status_code=error.status, media_type=HTML_TYPE,
                            headers={"Connection": "close"})  # fmt: skip
        try:
            filename, data, committee = await self._read_upload(request)
            with tempfile.TemporaryDirectory(prefix="vetgraph-inlamning-") as folder:
                work = desk.prepare(Path(folder), filename, data, committee)
                report = await self._in_child(work, self.settings.endpoint.time_limit, request)
        except UploadError as error:
            page = desk.page(error=str(error))
            return Response(page.encode("utf-8"), status_code=error.status, media_type=HTML_TYPE)
        except TimeoutError:
            seconds = f"{self.settings.endpoint.time_limit:g}"
            page = desk.page(error=f"Kontrollen tog längre tid än {seconds} sekunder och avbröts. {TOO_SLOW_ADVICE}")
            return Response(page.encode("utf-8"), status_code=HTTPStatus.SERVICE_UNAVAILABLE, media_type=HTML_TYPE)
        if isinstance(report, str):  # the file could not be read: why, in Swedish (the check itself went well)
            return Response(desk.page(error=report).encode("utf-8"), media_type=HTML_TYPE)
        return Response(desk.page(report=report).encode("utf-8"), media_type=HTML_TYPE)

    async def _read_upload(self, request: Request) -> tuple[str, bytes, str | None]:
        """The form's file and committee, parsed by Starlette (python-multipart) with its part limits."""
        if not (request.headers.get("Content-Type") or "").lower().startswith("multipart/form-data"):
            raise UploadError("Skicka filen med formuläret på sidan.", HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        try:
            async with asyncio.timeout(UPLOAD_SECONDS):
                # One file and one field ("fil", "namnd"); a field's value is at most a committee's id.
                form = await request.form(max_files=1, max_fields=1, max_part_size=4096)
        except TimeoutError:
            raise BadRequest(
                HTTPStatus.REQUEST_TIMEOUT, f"the upload did not arrive within {UPLOAD_SECONDS:g} s", close=True
            ) from None
        except HTTPException:  # what python-multipart refused: too many parts, a part too large, no boundary
            await _discard_rest(request)  # so that the client, still sending, can read the answer
            raise UploadError(
                "Formuläret gick inte att läsa. Skicka filen med formuläret på sidan.", HTTPStatus.BAD_REQUEST
            ) from None
        try:
            upload, committee = form.get("fil"), form.get("namnd")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise UploadError("Välj en fil att kontrollera.")
            filename = Path(upload.filename.replace("\\", "/")).name
            if len(filename) > MAX_FILENAME_CHARACTERS:
                raise UploadError(f"Filens namn är längre än {MAX_FILENAME_CHARACTERS} tecken. Byt namn på filen.")
            data = await upload.read()
            if not data:
                raise UploadError("Välj en fil att kontrollera.")
        finally:
            await form.close()
        return filename, data, (committee.strip() or None) if isinstance(committee, str) else None

    async def template(self, request: Request) -> Response:
        headers = {"Content-Disposition": 'attachment; filename="namndmal-mall.xlsx"'}
        return Response(await run_in_threadpool(self.settings.desk.template), media_type=XLSX_MEDIA_TYPE,
                        headers=headers)  # fmt: skip


def _check_framing(request: Request, limit: int) -> None:
    """Whether the request frames its body so that it can be read safely (a status to say why not)."""
    headers = request.headers
    if "transfer-encoding" in headers:
        if "content-length" in headers:  # which one frames the body is where proxies and servers disagree
            raise BadRequest(
                HTTPStatus.BAD_REQUEST, "send either Content-Length or Transfer-Encoding, not both", close=True
            )
        raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header with the request body", close=True)
    raw = headers.get("content-length")
    if raw is None:
        raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header with the request body", close=True)
    if int(raw) > limit:  # the HTTP parser (h11) has already refused anything but one whole number
        raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {limit} bytes", close=True)


async def _read_body(request: Request, limit: int, seconds: float) -> bytes:
    _check_framing(request, limit)
    try:
        async with asyncio.timeout(seconds):
            return await request.body()
    except TimeoutError:
        raise BadRequest(
            HTTPStatus.REQUEST_TIMEOUT, f"the request body did not arrive within {seconds:g} s", close=True
        ) from None


async def _discard_rest(request: Request) -> None:
    """Read what is left of a body whose length was checked, and forget it (within the upload's deadline)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(UPLOAD_SECONDS):
            while True:
                message = await request.receive()
                if message["type"] != "http.request" or not message.get("more_body"):
                    return


def _document_extension(request: Request) -> str:
    """The extension of the description the client accepts best (content negotiation), or a 406."""
    offered = list(DOCUMENT_TYPES.values())
    chosen = negotiate(request.headers.get("Accept"), offered)
    if chosen is None:
        raise BadRequest(HTTPStatus.NOT_ACCEPTABLE, "available as: " + ", ".join(offered), vary=True)
    return next(ext for ext, media in DOCUMENT_TYPES.items() if media == chosen)


def _redirect(status: HTTPStatus, location: str, *, vary: bool = False) -> Response:
    headers = {"Location": location, **({"Vary": "Accept"} if vary else {})}
    return Response(f"see {location}\n".encode(), status_code=status, media_type="text/plain; charset=utf-8",
                    headers=headers)  # fmt: skip


def _text(status: HTTPStatus, reason: str, *, close: bool = False, vary: bool = False) -> Response:
    headers = {**({"Vary": "Accept"} if vary else {}), **({"Connection": "close"} if close else {})}
    return Response((reason + "\n").encode("utf-8"), status_code=status, media_type="text/plain; charset=utf-8",
                    headers=headers)  # fmt: skip
