"""``vetgraph serve``: the web application (:mod:`vetgraph.publishing.web`) under uvicorn, on one machine.

uvicorn (asyncio, h11) does the HTTP: framing (conflicting Content-Length
headers, bad lengths and request lines are a 400 before the application sees
them), keep-alive, and slow clients, which cost a socket each, not a thread.
uvicorn has no deadline for a request's head, so a connection whose head has
not arrived within the client timeout gets ``408`` and is closed (slowloris);
at most ``MAX_CONNECTIONS`` are served at once, more get ``503``. SIGTERM
and Ctrl-C stop it within two seconds, a running query or check included.
On the web, put nginx or Apache in front (``nginx.conf``, ``apache.conf`` in
the published folder): they serve the files and pass the dynamic paths here.

uvicorn is used here and nowhere else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import h11
import uvicorn
from rdflib import Graph
from uvicorn.protocols.http.h11_impl import H11Protocol

from vetgraph.errors import VetgraphError
from vetgraph.publishing.policy import CLIENT_TIMEOUT
from vetgraph.publishing.sparql import Endpoint
from vetgraph.publishing.upload import UploadDesk
from vetgraph.publishing.web import Settings, application, log_line
from vetgraph.rdf import graphs
from vetgraph.store.local import OxigraphStore

# Connections (and requests) served at once; past it, a new request gets 503 until others finish.
MAX_CONNECTIONS = 1000
# Seconds an idle keep-alive connection is kept open.
KEEP_ALIVE_SECONDS = 5
# Seconds running requests get after SIGTERM or Ctrl-C; then they are cancelled (their children killed).
SHUTDOWN_SECONDS = 1


class SiteServer:
    """A listening socket and the uvicorn server that will answer on it."""

    def __init__(self, listener: socket.socket, settings: Settings) -> None:
        self.listener = listener
        self.port: int = listener.getsockname()[1]
        protocol = type("Protocol", (_HeadDeadline,), {"head_seconds": settings.client_timeout, "log": settings.log})
        config = uvicorn.Config(
            application(settings),
            http=protocol,
            lifespan="off",
            log_config=None,
            access_log=False,  # the application writes one line per request itself
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
            limit_concurrency=MAX_CONNECTIONS,
            server_header=False,
        )
        _quiet_uvicorn()
        self._server = uvicorn.Server(config)

    def run(self) -> None:
        """Answer until SIGTERM or Ctrl-C (both end as KeyboardInterrupt once the server has stopped)."""
        self._server.run(sockets=[self.listener])

    @contextlib.contextmanager
    def running(self) -> Iterator[str]:
        """Answer in a thread for as long as the block runs (tests, benchmarks); its URL."""
        thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self.listener]}, daemon=True)
        thread.start()
        try:
            host = self.listener.getsockname()[0]
            yield f"http://{host}:{self.port}"
        finally:
            self._server.should_exit = True
            thread.join(timeout=30)
            self.listener.close()


class _HeadDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a deadline for each request's head (uvicorn has none: a client sending
    one byte now and then would hold its connection for ever) and one log line for each request it refuses."""

    head_seconds: float = CLIENT_TIMEOUT
    log: TextIO | None = None
    _head_timer: Any = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._await_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        log_line(self.log, self._client(), "(unreadable request)", 400, msg)
        super().send_400_response(msg)

    def _await_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.head_seconds, self._head_late)

    def _head_late(self) -> None:
        # Still no whole head (h11 waits in IDLE until one has come) and nothing being answered: 408, and close.
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return
        reason = f"the request did not arrive within {self.head_seconds:g} s\n".encode()
        self.transport.write(
            b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Connection: close\r\nContent-Length: " + str(len(reason)).encode() + b"\r\n\r\n" + reason
        )
        self.transport.close()
        log_line(self.log, self._client(), "(request not sent in time)", 408)

    def _client(self) -> str:
        return self.client[0] if self.client else "-"


def _quiet_uvicorn() -> None:
    """uvicorn's own messages: warnings and errors only, one line each, never a traceback."""
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine("%(message)s"))
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


class _OneLine(logging.Formatter):
    def formatException(self, ei: Any) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record).strip()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        return text.splitlines()[0] if text else text


def make_server(
    site: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    time_limit: float = 10.0,
    result_limit: int = 10_000,
    client_timeout: float = CLIENT_TIMEOUT,
    log: TextIO | None = None,
) -> SiteServer:
    """A server for the published folder ``site`` (as ``vetgraph publish`` writes it), listening already; a line
    per request in ``log`` (standard error if None)."""
    if time_limit <= 0 or result_limit < 1 or client_timeout <= 0:
        raise VetgraphError("the time limit, the client timeout and the result limit must be positive")
    if not 0 <= port <= 65535:
        raise VetgraphError(f"--port must be from 0 to 65535, not {port}")
    dump = site / "dump" / "vetgraph.ttl"
    if not dump.is_file():
        raise VetgraphError("is not a published site (no dump/vetgraph.ttl); run vetgraph publish first", path=site)
    store = OxigraphStore(graphs.read_quads(dump, max_bytes=graphs.MAX_TRUSTED_BYTES), time_limit=None)
    settings = Settings(site, Endpoint(store, time_limit, result_limit), UploadDesk(), client_timeout, log)
    try:
        listener = socket.create_server((host, port), family=_family(host), backlog=1024)
    except OSError as error:
        raise VetgraphError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    return SiteServer(listener, settings)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


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
