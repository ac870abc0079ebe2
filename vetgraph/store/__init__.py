"""Where graphs live and queries run: the one interface the rest of vetgraph queries through.

* :class:`OxigraphStore` (the default) answers from Oxigraph's in-memory store;
  :class:`RdflibStore` from an rdflib graph (``--engine rdflib``); both in
  :mod:`vetgraph.store.local`, each query in a child process with a time limit.
* :class:`~vetgraph.store.endpoint.EndpointStore` answers from a SPARQL 1.1
  server (the one module that talks to remote servers).

All return a :class:`Table` of rdflib terms, so formatting, reports and tests
do not care where the rows came from. :func:`open_store` picks one.
"""

from vetgraph.store.local import (
    DEFAULT_TIME_LIMIT,
    ENGINES,
    OxigraphStore,
    QueryTimeout,
    RdflibStore,
    call_with_time_limit,
    open_store,
    project_graph,
    project_quads,
)
from vetgraph.store.table import Store, Table

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "ENGINES",
    "OxigraphStore",
    "QueryTimeout",
    "RdflibStore",
    "Store",
    "Table",
    "call_with_time_limit",
    "open_store",
    "project_graph",
    "project_quads",
]
