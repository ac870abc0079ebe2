"""Where queries run: the one interface that the rest of vetgraph queries graphs through.

* ``OxigraphStore`` (the default) answers from Oxigraph's in-memory store: fast
  and standards-conformant, it runs every stored query on a graph 100 times the
  sample data in well under a second.
* ``RdflibStore`` answers from an rdflib graph (``--engine rdflib``). The tests
  run every stored query on both engines and on a real SPARQL server and
  require the same rows.
* ``vetgraph.endpoint.EndpointStore`` answers from a SPARQL 1.1 server.

All three return a :class:`Table` of rdflib terms, so formatting, reports and
tests do not care where the rows came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from vetgraph import graphs
from vetgraph.errors import VetgraphError
from vetgraph.project import Project, default_project

# Never let rdflib fetch the graphs a query's FROM names (queries.check refuses
# them anyway unless the user allows external access).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

ENGINES = ("oxigraph", "rdflib")


@dataclass(frozen=True)
class Table:
    """The rows of a SELECT query (None where a variable is unbound); an ASK gives one boolean row."""

    columns: list[str]
    rows: list[list[Node | None]]


class Store(Protocol):
    def select(self, query: str) -> Table:
        """Run a checked SELECT or ASK query."""
        ...

    def contains(self, iri: URIRef) -> bool:
        """Whether ``iri`` occurs in the graph (to tell a misspelt parameter from an empty result)."""
        ...


class RdflibStore:
    """A graph in memory, queried with rdflib."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def select(self, query: str) -> Table:
        try:
            result = self.graph.query(query)
        except Exception as error:  # rdflib raises many kinds while evaluating
            raise VetgraphError(f"the query failed: {type(error).__name__}: {error}") from None
        if result.type == "ASK":
            return Table(columns=["ask"], rows=[[Literal(bool(result.askAnswer))]])
        columns = [str(v) for v in (result.vars or [])]
        return Table(columns=columns, rows=[[row[i] for i in range(len(columns))] for row in result])  # type: ignore[index]

    def contains(self, iri: URIRef) -> bool:
        return (iri, None, None) in self.graph or (None, None, iri) in self.graph


class OxigraphStore:
    """Triples in Oxigraph's in-memory store, queried with Oxigraph's SPARQL engine."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.store = ox.Store()
        self.store.extend(quads)

    def select(self, query: str) -> Table:
        try:
            result = self.store.query(query)
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
                converted[value] = graphs.to_rdflib(value)
            return converted[value]

        rows = [[term(solution[column]) for column in columns] for solution in result]
        return Table(columns=columns, rows=rows)

    def contains(self, iri: URIRef) -> bool:
        node = ox.NamedNode(str(iri))
        return next(self.store.quads_for_pattern(node, None, None), None) is not None or (
            next(self.store.quads_for_pattern(None, None, node), None) is not None
        )


def project_graph(project: Project | None = None) -> Graph:
    """The ontology, reference data and sample submissions: what ``vetgraph build`` writes."""
    return graphs.to_graph(project_quads(project))


def project_quads(project: Project | None = None) -> list[ox.Quad]:
    project = project or default_project()
    return graphs.read_trusted_quads([*project.reference_files(), *project.sample_submissions()])


def open_store(
    *,
    endpoint: str | None = None,
    files: Iterable[str | Path] = (),
    engine: str = "oxigraph",
    timeout: float = 30.0,
) -> Store:
    """The store to query: an endpoint, the given RDF files, or the project's own graph."""
    if endpoint:
        from vetgraph.endpoint import EndpointStore

        return EndpointStore(endpoint, timeout=timeout)
    if engine not in ENGINES:
        raise VetgraphError(f"unknown query engine '{engine}'; use one of {', '.join(ENGINES)}")
    files = list(files)
    quads: list[ox.Quad] = []
    for path in files:
        quads.extend(graphs.read_quads(path, max_bytes=graphs.MAX_TRUSTED_BYTES))
    if not files:
        quads = project_quads()
    return OxigraphStore(quads) if engine == "oxigraph" else RdflibStore(graphs.to_graph(quads))
