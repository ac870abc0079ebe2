"""Where queries run: the one interface that the rest of vetgraph queries graphs through.

``LocalStore`` answers from an rdflib graph in memory; ``vetgraph.endpoint.EndpointStore``
from a SPARQL 1.1 server. Both return a :class:`Table` of rdflib terms, so that
formatting, reports and tests do not care where the rows came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import rdflib.plugins.sparql
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from vetgraph import graphs
from vetgraph.errors import VetgraphError
from vetgraph.project import Project, default_project

# Never let rdflib fetch the graphs a query's FROM names (queries.check refuses
# them anyway unless the user allows external access).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


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


class LocalStore:
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


def project_graph(project: Project | None = None) -> Graph:
    """The ontology, reference data and sample submissions: what ``vetgraph build`` writes."""
    project = project or default_project()
    return graphs.read_trusted([*project.reference_files(), *project.sample_submissions()])


def open_store(*, endpoint: str | None = None, files: Iterable[str | Path] = (), timeout: float = 30.0) -> Store:
    """The store to query: an endpoint, the given RDF files, or the project's own graph."""
    if endpoint:
        from vetgraph.endpoint import EndpointStore

        return EndpointStore(endpoint, timeout=timeout)
    files = list(files)
    if files:
        graph = Graph()
        for path in files:
            graph += graphs.read_rdf(path, max_bytes=graphs.MAX_TRUSTED_BYTES)
        return LocalStore(graph)
    return LocalStore(project_graph())
