"""The site's read-only SPARQL endpoint: checked queries, run under a time limit, answered in the formats asked for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vetgraph import dates
from vetgraph.errors import VetgraphError
from vetgraph.followup.defaults import with_defaults
from vetgraph.followup.queries import ALL_FORMS, READ_FORMS, StoredQuery, bind, check, stored_queries
from vetgraph.namespaces import ONTOLOGY_IRI
from vetgraph.project import default_project
from vetgraph.rdf import results
from vetgraph.rdf.formats import RDF_FORMATS, RESULT_MEDIA_TYPES
from vetgraph.store.local import OxigraphStore
from vetgraph.store.table import Table

RESULT_TYPES = RESULT_MEDIA_TYPES
# What CONSTRUCT and DESCRIBE answer in.
GRAPH_TYPES = {RDF_FORMATS[name].media_type: name for name in ("turtle", "ntriples", "jsonld")}


@dataclass
class Answer:
    """What a query gave: a table (SELECT, ASK) or RDF in the requested format (CONSTRUCT, DESCRIBE)."""

    form: str
    table: Table | None = None
    graph: bytes | None = None
    truncated: bool = False


@dataclass
class Endpoint:
    """Checked SPARQL queries on the site's graph (the web application runs each in a child with a time limit)."""

    store: OxigraphStore
    time_limit: float
    result_limit: int

    def form(self, query: str) -> str:
        """The query's form, after the checks (raises VetgraphError for updates, SERVICE, FROM, bad syntax)."""
        return check(query, source="query", forms=ALL_FORMS)

    def prepare(self, query: str, *, graph_format: str = "turtle") -> Callable[[], Answer]:
        """The checked query's evaluation, to be run where it can be stopped (a child process)."""
        form = self.form(query)
        limit = self.result_limit

        def evaluate() -> Answer:
            if form in READ_FORMS:
                table = self.store.select(query)
                return Answer(form, table=Table(table.columns, table.rows[:limit]), truncated=len(table.rows) > limit)
            data, truncated = self.store.construct(query, graph_format, limit)
            return Answer(form, graph=data, truncated=truncated)

        return evaluate

    def examples(self) -> list[StoredQuery]:
        return stored_queries()

    def example(self, name: str) -> str:
        """The text of the stored query ``name`` with the current mandate period and the municipality bound (as
        ``vetgraph query`` runs it), or (an unknown name) a first query to start from."""
        for query in self.examples():
            if query.name == name:
                profile = default_project().profile
                try:
                    values = with_defaults(query, {}, self.store, profile, dates.today())
                    return bind(query, values, profile.namespaces)[0]
                except VetgraphError:  # no period holds today: the query as its file has it
                    return query.text
        return (
            f"PREFIX vtl: <{ONTOLOGY_IRI}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n\n"
            "SELECT ?namndmal ?titel WHERE {\n  ?namndmal a vtl:Namndmal ;\n    dcterms:title ?titel .\n}\nLIMIT 20\n"
        )


def results_as(table: Table, media_type: str) -> str:
    """``table`` in one of the SPARQL 1.1 results formats (``ValueError`` for an ASK as CSV or TSV)."""
    return results.WRITERS[media_type](table.columns, table.rows)
