"""Graphs in memory, queried with Oxigraph (the default) or rdflib, each query under a time limit.

The tests run every stored query on both engines and on a real SPARQL server
and require the same rows.
"""

from __future__ import annotations

import enum
import functools
import itertools
import multiprocessing
import os
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.rdf.formats import RDF_FORMATS
from vetgraph.rdf.terms import from_oxigraph
from vetgraph.store.table import Store, Table

# Never let rdflib fetch the graphs a query's FROM names (queries.check refuses
# them anyway unless the user allows external access).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

ENGINES = ("oxigraph", "rdflib")


# Seconds a query on local data may run, as `vetgraph serve --time-limit`.
DEFAULT_TIME_LIMIT = 10.0
# Overrides the default for every command and call (e.g. on a slow or busy machine; the tests set it).
TIME_LIMIT_VARIABLE = "VETGRAPH_TIME_LIMIT"


class _FromEnvironment(enum.Enum):
    """A store's time limit when none is given: ``default_time_limit()``, read when the store is made."""

    LIMIT = "default"


FROM_ENVIRONMENT = _FromEnvironment.LIMIT


def _time_limit(given: float | _FromEnvironment | None) -> float | None:
    return default_time_limit() if given is FROM_ENVIRONMENT else given


def default_time_limit() -> float:
    """Seconds a query on local data may take unless told otherwise: $VETGRAPH_TIME_LIMIT, else 10."""
    text = os.environ.get(TIME_LIMIT_VARIABLE, "")
    try:
        value = float(text) if text else DEFAULT_TIME_LIMIT
    except ValueError:
        raise VetgraphError(f"${TIME_LIMIT_VARIABLE} must be a number of seconds, not '{text}'") from None
    if not value > 0:
        raise VetgraphError(f"${TIME_LIMIT_VARIABLE} must be a positive number of seconds, not '{text}'")
    return value


T = TypeVar("T")


class QueryTimeout(VetgraphError):
    """A query ran past its time limit (exit status 2, like any input the user can change)."""


def _outcome(work: Callable[[], Any]) -> tuple[str, Any]:
    """In a child: ``work()``'s value, or its error, as the parent's :func:`_unpack` reads it."""
    try:
        return ("ok", work())
    except VetgraphError as error:
        return ("error", error.message)
    except BaseException as error:  # a bug: reported by the parent, not a traceback from the child
        return ("bug", f"{type(error).__name__}: {error}")


def _unpack(outcome: tuple[str, Any]) -> Any:
    """In the parent: the child's value; VetgraphError as raised there, RuntimeError for a bug there."""
    kind, value = outcome
    if kind == "error":
        raise VetgraphError(value)
    if kind == "bug":
        raise RuntimeError(value)
    return value


def _past_limit(time_limit: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query ran past the time limit of {time_limit:g} s and was stopped; "
        "narrow it down (FILTER, LIMIT) or allow more time with --timeout"
    )


class ChildCall:
    """``function()`` started in a forked child: ask whether it is ready, take its result, or stop it.

    A SPARQL engine cannot be interrupted from Python while it evaluates (a
    cartesian product runs in Oxigraph's native code), nor can a validation, so
    the work runs in a child process, which can be killed. The child shares the
    parent's memory (fork), so the store is not copied; the result comes back pickled.
    """

    def __init__(self, function: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)

        def child() -> None:
            sender.send(_outcome(function))

        self._process = context.Process(target=child, daemon=True)
        self._process.start()
        sender.close()

    def ready(self, seconds: float = 0) -> bool:
        """Whether the result (or the news that the child died) is there, waiting up to ``seconds``."""
        return bool(self._receiver.poll(seconds))

    def result(self) -> Any:
        """The function's value; VetgraphError as raised in the child, RuntimeError for a bug there."""
        try:
            outcome = self._receiver.recv()
        except EOFError:
            raise VetgraphError("the work stopped without an answer (out of memory?)") from None
        return _unpack(outcome)

    def stop(self) -> None:
        """Kill the child if it still runs, and wait for it."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receiver.close()


def call_with_time_limit(function: Callable[[], T], time_limit: float | None) -> T:
    """``function()``, run in a forked child that is killed after ``time_limit`` seconds (:class:`ChildCall`)."""
    if time_limit is None:
        return function()
    call = ChildCall(function)
    try:
        if not call.ready(time_limit):
            raise _past_limit(time_limit)
        return call.result()  # type: ignore[no-any-return]
    finally:
        call.stop()


class _QueryWorker:
    """A child process, forked once, that answers queries on its copy of an in-memory store, each within a limit.

    Forking per query (call_with_time_limit) copies the page tables of the whole process: at 10,000 goals
    (a 1 GB store) that took 0.3 s a query, more than most queries. The worker is forked on the first query
    and answers the next ones on the same copy; a query past its limit kills it, and the next query forks a
    new one. Only for stores nothing else writes to: the worker would not see a later write.
    """

    def __init__(self, answer: Callable[[str], Table]) -> None:
        self._answer = answer
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Any = None

    def ask(self, query: str, time_limit: float) -> Table:
        if self._process is None or not self._process.is_alive():
            self._start()
        assert self._process is not None
        self._connection.send(query)
        if not self._connection.poll(time_limit):
            self.stop()
            raise _past_limit(time_limit)
        try:
            outcome = self._connection.recv()
        except EOFError:
            self.stop()
            raise VetgraphError("the query engine stopped without an answer (out of memory?)") from None
        return _unpack(outcome)  # type: ignore[no-any-return]

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        answer = self._answer

        def serve() -> None:
            while True:
                try:
                    query = theirs.recv()
                except EOFError:
                    return  # the parent is gone
                theirs.send(_outcome(functools.partial(answer, query)))

        self._process = context.Process(target=serve, daemon=True)
        self._process.start()
        theirs.close()

    def stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._connection.close()
            self._process = None


class RdflibStore:
    """A graph in memory, queried with rdflib; each query stopped after ``time_limit`` seconds (None: never)."""

    def __init__(self, graph: Graph, *, time_limit: float | _FromEnvironment | None = FROM_ENVIRONMENT) -> None:
        self.graph = graph
        self.time_limit = _time_limit(time_limit)

    def select(self, query: str) -> Table:
        return call_with_time_limit(lambda: self._select(query), self.time_limit)

    def _select(self, query: str) -> Table:
        try:
            result = self.graph.query(query)
            if result.type == "ASK":
                return Table(columns=["ask"], rows=[[Literal(bool(result.askAnswer))]])
            columns = [str(v) for v in (result.vars or [])]
            # rdflib evaluates lazily: the rows are made here, so its errors surface here too
            rows = [[row[i] for i in range(len(columns))] for row in result]  # type: ignore[index]
        except Exception as error:  # rdflib raises many kinds while evaluating
            if "requiring a dataset" in str(error):
                raise VetgraphError(
                    "the query names graphs (GRAPH), which --engine rdflib cannot query; use --engine oxigraph"
                ) from None
            raise VetgraphError(f"the query failed: {type(error).__name__}: {error}") from None
        return Table(columns=columns, rows=rows)

    def contains(self, iri: URIRef) -> bool:
        return (iri, None, None) in self.graph or (None, None, iri) in self.graph

    def close(self) -> None:
        """Nothing to release: each query runs in a child of its own, which ends with it."""


class OxigraphStore:
    """Triples in Oxigraph's in-memory store, queried with Oxigraph's SPARQL engine.

    Each query is stopped after ``time_limit`` seconds (None: never). With
    ``store``, queries run on that store (e.g. an on-disk one) instead, with the
    merge of ``default_graphs`` as their default graph.
    """

    def __init__(
        self,
        quads: Iterable[ox.Quad] = (),
        *,
        time_limit: float | _FromEnvironment | None = FROM_ENVIRONMENT,
        store: ox.Store | None = None,
        default_graphs: Iterable[str] | None = None,
    ) -> None:
        self.store = store if store is not None else ox.Store()
        quads = list(quads)
        if quads:
            self.store.extend(quads)
        self.time_limit = _time_limit(time_limit)
        self.default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            None if default_graphs is None else [ox.NamedNode(g) for g in default_graphs]
        )
        # Its own store, which nothing else writes to: one worker answers every query (see _QueryWorker).
        # The worker knows the Oxigraph store, not this object, so that this object can be collected,
        # and its worker is then stopped (or at close(), or at exit).
        self._worker = (
            _QueryWorker(functools.partial(_select, self.store, self.default_graph)) if store is None else None
        )
        if self._worker is not None:
            weakref.finalize(self, self._worker.stop)

    def close(self) -> None:
        """Stop the query worker (the store itself is memory, freed with this object)."""
        if self._worker is not None:
            self._worker.stop()

    def select(self, query: str) -> Table:
        if self._worker is not None and self.time_limit is not None:
            return self._worker.ask(query, self.time_limit)
        return call_with_time_limit(lambda: self._select(query), self.time_limit)

    def _select(self, query: str) -> Table:
        return _select(self.store, self.default_graph, query)

    def construct(self, query: str, rdf_format: str, limit: int) -> tuple[bytes, bool]:
        """The triples of a CONSTRUCT or DESCRIBE query (at most ``limit``) in ``rdf_format``, and if it was cut."""
        try:
            result = self.store.query(query, default_graph=self.default_graph)
        except (SyntaxError, OSError, ValueError) as error:
            raise VetgraphError(f"the query failed: {error}") from None
        if not isinstance(result, ox.QueryTriples):
            raise VetgraphError("this is not a CONSTRUCT or DESCRIBE query")
        triples = list(itertools.islice(result, limit + 1))
        return ox.serialize(triples[:limit], format=RDF_FORMATS[rdf_format].oxigraph) or b"", len(triples) > limit

    def contains(self, iri: URIRef) -> bool:
        if self.default_graph is not None:
            answer = self._select(f"ASK {{ {{ {iri.n3()} ?p ?o }} UNION {{ ?s ?p {iri.n3()} }} }}").rows[0][0]
            return isinstance(answer, Literal) and answer.toPython() is True
        node = ox.NamedNode(str(iri))
        return next(self.store.quads_for_pattern(node, None, None), None) is not None or (
            next(self.store.quads_for_pattern(None, None, node), None) is not None
        )


def _select(
    store: ox.Store, default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None, query: str
) -> Table:
    try:
        result = store.query(query, default_graph=default_graph)
    except (SyntaxError, OSError, ValueError) as error:
        raise VetgraphError(f"the query failed: {error}") from None
    if isinstance(result, ox.QueryBoolean):
        return Table(columns=["ask"], rows=[[Literal(bool(result))]])
    if not isinstance(result, ox.QuerySolutions):
        raise VetgraphError("vetgraph query runs SELECT and ASK queries")
    columns = [variable.value for variable in result.variables]
    converted: dict[object, Node] = {}  # results repeat the same terms; making rdflib terms is the slow part

    def term(value: object) -> Node | None:
        if value is None:
            return None
        if value not in converted:
            converted[value] = from_oxigraph(value)
        return converted[value]

    rows = [[term(solution[column]) for column in columns] for solution in result]
    return Table(columns=columns, rows=rows)


def project_graph(project: Project | None = None) -> Graph:
    """The ontology, reference data, sample submissions and outcomes: what ``vetgraph build`` writes."""
    return graphs.to_graph(project_quads(project))


def project_quads(project: Project | None = None) -> list[ox.Quad]:
    project = project or default_project()
    files = [*project.reference_files(), *project.sample_submissions(), *project.outcome_files()]
    return graphs.read_trusted_quads(files)


def open_store(
    *,
    endpoint: str | None = None,
    files: Iterable[str | Path] = (),
    engine: str = "oxigraph",
    timeout: float | None = None,
) -> Store:
    """The store to query: an endpoint, the given RDF files, or the project's own graph.

    ``timeout`` bounds each query: the whole request to an endpoint (default 30 s),
    or the evaluation on local data (default 10 s, as ``vetgraph serve``).
    """
    if timeout is not None and timeout <= 0:
        raise VetgraphError(f"--timeout must be a positive number of seconds, not {timeout:g}")
    if endpoint:
        from vetgraph.store.endpoint import DEFAULT_TIMEOUT, EndpointStore

        return EndpointStore(endpoint, timeout=timeout or DEFAULT_TIMEOUT)
    if engine not in ENGINES:
        raise VetgraphError(f"unknown query engine '{engine}'; use one of {', '.join(ENGINES)}")
    files = list(files)
    quads: list[ox.Quad] = []
    for path in files:
        quads.extend(graphs.read_quads(path, max_bytes=graphs.MAX_TRUSTED_BYTES))
    if not files:
        quads = project_quads()
    time_limit = timeout or default_time_limit()
    if engine == "oxigraph":
        return OxigraphStore(quads, time_limit=time_limit)
    return RdflibStore(graphs.to_graph(quads), time_limit=time_limit)
