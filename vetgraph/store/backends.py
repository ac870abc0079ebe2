"""Where accepted submissions are kept: an on-disk Oxigraph store (a folder) or a SPARQL 1.1 server (a URL).

Both offer the same four operations, so :mod:`vetgraph.store.versions` does not
care which it writes to: ``select`` (with a chosen default graph), ``update``
(SPARQL 1.1 Update, one transaction), ``insert`` (triples into a named graph) and
``triples`` (a named graph's content, read in pages because servers cut long
answers).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import Graph

from vetgraph.errors import VetgraphError
from vetgraph.rdf import graphs, sparql_text
from vetgraph.store.local import OxigraphStore
from vetgraph.store.table import Store, Table

STORE_VARIABLE = "VETGRAPH_STORE"
# Seconds a writer waits for another writer to finish with an on-disk store.
LOCK_WAIT = 120.0
# Triples per INSERT DATA request to a server, and rows per page when reading one back.
INSERT_CHUNK = 5_000
PAGE = 10_000


def default_location() -> str:
    """``$VETGRAPH_STORE``, else ``$XDG_DATA_HOME/vetgraph/lager`` (``~/.local/share/vetgraph/lager``)."""
    if os.environ.get(STORE_VARIABLE):
        return os.environ[STORE_VARIABLE]
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "vetgraph" / "lager")


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


class Backend(Protocol):
    location: str

    def select(self, query: str, default_graphs: Sequence[str] = ()) -> Table: ...

    def update(self, update: str) -> None: ...

    def insert(self, graph: str, triples: Graph) -> None: ...

    def triples(self, graph: str) -> Graph: ...

    def view(self, default_graphs: Sequence[str], timeout: float | None) -> Store: ...


class DiskBackend:
    """An Oxigraph store in a folder. Writers take its lock (a second writer waits); readers open it read-only."""

    def __init__(self, path: str | Path, *, write: bool, wait: float = LOCK_WAIT) -> None:
        self.location = str(path)
        self.write = write
        folder = Path(path)
        if write:
            _check_folder(folder)
            deadline = time.monotonic() + wait
            # Writers take turns on vetgraph's own lock first (the marker), then look at the folder: a store
            # another accept is creating right now has a LOCK but no CURRENT yet, and is not damaged.
            self._turn = _take_turn(folder, deadline, wait)
            try:
                _check_not_damaged(folder)
                self.store = _open_waiting(folder, max(0.0, deadline - time.monotonic()))
            except BaseException:
                self._turn.close()
                raise
        else:
            if not is_store_folder(folder):
                raise VetgraphError(
                    "no store here yet: vetgraph accept puts the first submission into it "
                    f"(the store is --store or ${STORE_VARIABLE})",
                    path=self.location,
                )
            with _disk_errors(self.location):
                self.store = ox.Store.read_only(str(folder))

    def select(self, query: str, default_graphs: Sequence[str] = ()) -> Table:
        with _disk_errors(self.location):
            return self.view(default_graphs, None).select(query)

    def update(self, update: str) -> None:
        try:
            self.store.update(update)
        except SyntaxError as error:
            raise VetgraphError(f"the store refused the update: {error}", path=self.location) from None
        except (OSError, RuntimeError) as error:
            raise _disk_error(error, self.location) from None

    def insert(self, graph: str, triples: Graph) -> None:
        name = ox.NamedNode(graph)
        # extend() is one transaction: all of the graph lands, or none of it.
        with _disk_errors(self.location):
            self.store.extend(ox.Quad(q.subject, q.predicate, q.object, name) for q in graphs.to_quads(triples))

    def triples(self, graph: str) -> Graph:
        with _disk_errors(self.location):
            found = list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return graphs.to_graph(ox.Quad(q.subject, q.predicate, q.object) for q in found)

    def view(self, default_graphs: Sequence[str], timeout: float | None) -> Store:
        return OxigraphStore(store=self.store, default_graphs=default_graphs, time_limit=timeout)

    def close(self) -> None:
        if self.write:
            with _disk_errors(self.location):
                self.store.flush()
        del self.store  # releases the lock
        if self.write:
            self._turn.close()  # and vetgraph's own


@contextmanager
def _disk_errors(location: str) -> Iterator[None]:
    try:
        yield
    except (OSError, RuntimeError) as error:
        raise _disk_error(error, location) from None


def _disk_error(error: OSError | RuntimeError, location: str) -> VetgraphError:
    """What the disk or RocksDB said, as a message saying what to do (Oxigraph raises RuntimeError for damage)."""
    text = str(error)
    if (isinstance(error, OSError) and error.errno == errno.ENOSPC) or "No space left" in text:
        return VetgraphError(
            f"the disk is full ({text}); free some space and run the command again: "
            "nothing is current that was not complete, so the store is as it was before",
            path=location,
            sv=f"disken är full ({text}); frigör utrymme och kör kommandot igen: lagret är som det var före",
        )
    return VetgraphError(
        f"the store cannot be read or written; its files are damaged or missing ({text}); "
        "restore the folder from a backup (vetgraph changed nothing in it)",
        path=location,
        sv=f"lagret går inte att läsa eller skriva; dess filer är skadade eller saknas ({text}); "
        "återställ mappen från en säkerhetskopia (vetgraph ändrade inget i den)",
    )


class ServerBackend:
    """A SPARQL 1.1 server: queries with ``default-graph-uri``, writes with SPARQL Update."""

    def __init__(self, url: str, *, update_url: str | None = None, timeout: float | None = None) -> None:
        from vetgraph.store.endpoint import DEFAULT_TIMEOUT

        self.location = url
        # Oxigraph server answers queries at /query and updates at /update; most servers take both at one URL.
        self.update_url = update_url or (url[: -len("/query")] + "/update" if url.endswith("/query") else url)
        self.timeout = timeout or DEFAULT_TIMEOUT

    def view(self, default_graphs: Sequence[str], timeout: float | None) -> Store:
        from vetgraph.store.endpoint import EndpointStore

        return EndpointStore(
            self.location, timeout=timeout or self.timeout, default_graphs=default_graphs, update_url=self.update_url
        )

    def select(self, query: str, default_graphs: Sequence[str] = ()) -> Table:
        table = _again_if_busy(lambda: self.view(default_graphs, None).select(query))
        asked = _projection(query)
        if asked is not None and table.columns != asked:
            # every row is read by position: an answer with other columns would be read as something else
            raise VetgraphError(
                f"the SPARQL server answered with the columns {', '.join(table.columns) or 'none'}, not the "
                f"{', '.join(asked)} vetgraph asked for: it does not answer as a SPARQL 1.1 server does",
                path=self.location,
            )
        return table

    def update(self, update: str) -> None:
        from vetgraph.store.endpoint import EndpointStore

        endpoint = EndpointStore(self.location, timeout=self.timeout, update_url=self.update_url)
        # Every update vetgraph sends may be sent twice: INSERT DATA and DROP SILENT are idempotent,
        # and the switch of "current" is a compare-and-swap that does nothing the second time.
        _again_if_busy(lambda: endpoint.update(update))

    def insert(self, graph: str, triples: Graph) -> None:
        lines = graphs.serialize(triples, "ntriples").decode("utf-8").splitlines()
        for start in range(0, len(lines), INSERT_CHUNK):
            body = "\n".join(lines[start : start + INSERT_CHUNK])
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    def triples(self, graph: str) -> Graph:
        from vetgraph.store.endpoint import PartialAnswer

        result = Graph()
        offset, size = 0, PAGE
        while True:
            # Pages in a fixed order: servers cap answers (Virtuoso at 10,000 rows by default,
            # and says so); a server that cuts a page gets pages of the size it allows.
            query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o"
            try:
                page = self.select(f"{query} LIMIT {size} OFFSET {offset}")
            except PartialAnswer as cut:
                if not 1 < cut.max_rows <= size:
                    raise
                size = cut.max_rows - 1  # Virtuoso flags an answer of exactly its maximum as cut, even under LIMIT
                continue
            for s, p, o in page.rows:
                result.add((s, p, o))  # type: ignore[arg-type]
            if len(page.rows) < size:
                return result
            offset += size

    def close(self) -> None:
        """Nothing to release: each request has its own connection."""


_SELECT_CLAUSE = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:\bWHERE\b|\bFROM\b|\{)", re.I | re.S)
_PROJECTION_TOKEN = re.compile(r"\(|\)|\bAS\s+[?$](\w+)|[?$](\w+)", re.I)


def _projection(query: str) -> list[str] | None:
    """The variables a SELECT of vetgraph's own projects, in order (None for ASK or ``SELECT *``): each plain
    variable outside parentheses, and each ``(expression AS ?name)``'s name."""
    clause = _SELECT_CLAUSE.search(sparql_text.code_only(query))
    if clause is None or clause.group(1).strip() == "*":
        return None
    names, depth = [], 0
    for token in _PROJECTION_TOKEN.finditer(clause.group(1)):
        if token.group(0) in "()":
            depth += 1 if token.group(0) == "(" else -1
        elif token.group(1) or depth == 0:
            names.append(token.group(1) or token.group(2))
    return names


T = TypeVar("T")
# Tries of a request the server failed but may do when asked again, and the first pause between them.
TRIES, PAUSE = 4, 0.2


def _again_if_busy(request: Callable[[], T]) -> T:
    from vetgraph.store.endpoint import ServerBusy

    for attempt in range(TRIES):
        try:
            return request()
        except ServerBusy:
            if attempt == TRIES - 1:
                raise
            time.sleep(PAUSE * 2**attempt)
    raise AssertionError("unreachable")


@contextmanager
def open_backend(
    location: str | None = None, *, write: bool, timeout: float | None = None
) -> Iterator[DiskBackend | ServerBackend]:
    """The store at ``location`` (a folder or a SPARQL server's query URL; default :func:`default_location`)."""
    location = location or default_location()
    backend: DiskBackend | ServerBackend
    backend = ServerBackend(location, timeout=timeout) if is_url(location) else DiskBackend(location, write=write)
    try:
        yield backend
    finally:
        backend.close()


# vetgraph's mark on a store folder: written before Oxigraph writes anything there, so that a folder
# is taken for a store only if vetgraph made it one (RocksDB's own file names, LOCK or CURRENT, are
# names a user's folder can have too).
MARKER = "vetgraph-lager"
MARKER_TEXT = "vetgraph store (Oxigraph); vetgraph writes into this folder, and into no folder without this file\n"


def is_store_folder(folder: Path) -> bool:
    """Whether ``folder`` is a store vetgraph made: it holds vetgraph's marker file, as vetgraph wrote it."""
    marker = folder / MARKER
    if marker.is_symlink() or not marker.is_file():
        return False
    try:
        return marker.read_text(encoding="utf-8") == MARKER_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def _check_folder(folder: Path) -> None:
    """A user's folder is never turned into a store: only a new one, an empty one or one vetgraph marked."""
    if folder.is_symlink():
        raise VetgraphError(
            "the store's folder is a symbolic link; vetgraph never writes through a link it did not make: "
            "give the real folder",
            path=str(folder),
        )
    if folder.exists() and not folder.is_dir():
        raise VetgraphError("the store must be a folder, and this is a file", path=str(folder))
    if is_store_folder(folder):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            raise VetgraphError(
                f"this folder is not a vetgraph store and is not empty (vetgraph marks its stores with the file "
                f"{MARKER}); vetgraph does not write into it: give a new or empty folder as --store",
                path=str(folder),
            )
        descriptor = os.open(folder / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8") as marker:
            marker.write(MARKER_TEXT)
    except FileExistsError:
        if not is_store_folder(folder):  # another accept marked it a moment ago, or something else appeared
            raise VetgraphError(
                "this folder is not a vetgraph store and is not empty; give a new or empty folder as --store",
                path=str(folder),
            ) from None
    except OSError as error:
        raise VetgraphError(f"the store's folder cannot be made: {error.strerror}", path=str(folder)) from None


def _take_turn(folder: Path, deadline: float, wait: float) -> IO[bytes]:
    """vetgraph's write lock on a store: an exclusive flock on its marker file, held until the writer closes."""
    marker = open(folder / MARKER, "rb")  # noqa: SIM115 - held while the writer works
    while True:
        try:
            fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return marker
        except BlockingIOError:
            if time.monotonic() > deadline:
                marker.close()
                raise VetgraphError(
                    f"another vetgraph command has been writing to the store for over {wait:g} s; try again later",
                    path=str(folder),
                ) from None
            time.sleep(0.1)


# What RocksDB writes before CURRENT when it creates a store: a creation that was killed leaves only these.
_BEFORE_CURRENT = re.compile(r"LOCK|LOG(\.old\..*)?|IDENTITY")


def _check_not_damaged(folder: Path) -> None:
    """A store with data but no CURRENT: RocksDB would start a new database over it; never write into it."""
    if (folder / "CURRENT").is_file():
        return
    if any(p.name != MARKER and not _BEFORE_CURRENT.fullmatch(p.name) for p in folder.iterdir()):
        raise _disk_error(RuntimeError("the file CURRENT is missing"), str(folder))


def _open_waiting(folder: Path, wait: float) -> ox.Store:
    deadline = time.monotonic() + wait
    while True:
        try:
            return ox.Store(str(folder))
        except RuntimeError as error:
            raise _disk_error(error, str(folder)) from None
        except OSError as error:
            if "lock" not in str(error).lower():
                raise _disk_error(error, str(folder)) from None
            if time.monotonic() > deadline:
                raise VetgraphError(
                    f"another vetgraph command has been writing to the store for over {wait:g} s; try again later",
                    path=str(folder),
                ) from None
            time.sleep(0.1)
