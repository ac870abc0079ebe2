"""Queries and updates to a SPARQL 1.1 server: the one module that talks to SPARQL servers (via SPARQLWrapper).

A server is outside vetgraph's control, so nothing it does may hang or exhaust
vetgraph (:mod:`vetgraph.remote`): the time limit bounds the whole request
(connecting, the headers, and the body even when it trickles in a byte a
second), the answer is read up to
``MAX_RESPONSE_BYTES``, and an answer that is not SPARQL 1.1 JSON results is an
error naming the field that is wrong (:func:`vetgraph.rdf.results.parse_json`).
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Sequence

from rdflib import Literal, URIRef
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper import Wrapper as sparqlwrapper_module
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from vetgraph.errors import VetgraphError
from vetgraph.rdf import results
from vetgraph.remote import Deadline, TooLarge, read_within
from vetgraph.store.table import Table

DEFAULT_TIMEOUT = 30.0
# The largest answer read: 100 MB of SPARQL JSON is about a million result rows.
MAX_RESPONSE_BYTES = 100 * 1024 * 1024


class PartialAnswer(VetgraphError):
    """The server cut its answer at ``max_rows`` rows (Virtuoso's ResultSetMaxRows): vetgraph never uses a cut answer."""

    def __init__(self, max_rows: str, url: str) -> None:
        super().__init__(
            f"the SPARQL endpoint cut its answer at {max_rows} rows (a server setting, e.g. Virtuoso's "
            "ResultSetMaxRows); vetgraph does not use partial answers: raise the limit or narrow the query",
            path=url,
        )
        self.max_rows = int(max_rows) if max_rows.strip().isdigit() else 0


class ServerBusy(VetgraphError):
    """The server failed a request it may well do when asked again: an internal error (HTTP 500), or a
    transaction that lost to another writer (Virtuoso's deadlock)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a place to go: following one sent a POST as a GET to another host and used
    that host's answers. The 3xx reaches the caller as an HTTP error, and is said in words (_error)."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


# SPARQLWrapper opens every request with its module's urlopener; this module is the only one that uses it.
setattr(sparqlwrapper_module, "urlopener", urllib.request.build_opener(_NoRedirects()).open)  # noqa: B010 - typed as urlopen

# Seen from Virtuoso when two writers meet (rarely, in tests/store/test_submission_store.py): HTTP 500, at
# times with its deadlock SQL states.
_BUSY_SIGNS = ("EndPointInternalError", "SR172", "40001", "eadlock")


class EndpointStore:
    """A SPARQL 1.1 Protocol endpoint, queried by POST; ``timeout`` bounds each whole request.

    ``default_graphs`` (the protocol's ``default-graph-uri``) makes the query's
    default graph the merge of those graphs, whatever the server's own default
    graph is (Oxigraph's is empty, Virtuoso's is the union of all graphs).
    ``update_url`` is where SPARQL 1.1 Update requests go.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = MAX_RESPONSE_BYTES,
        default_graphs: Sequence[str] = (),
        update_url: str | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise VetgraphError(f"--endpoint must be an http:// or https:// URL, not '{url}'")
        self.url = url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.default_graphs = list(default_graphs)
        self.update_url = update_url or url

    def _request(self, query: str) -> object:
        wrapper = SPARQLWrapper(self.url)
        wrapper.setReturnFormat(JSON)
        wrapper.setQuery(query)
        for graph in self.default_graphs:
            wrapper.addDefaultGraph(graph)
        body = self._send(wrapper)
        try:
            document = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise VetgraphError(
                "the SPARQL endpoint's answer is not JSON (is the URL the SPARQL endpoint itself?)", path=self.url
            ) from None
        return document  # checked by results.parse_json

    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update request (one transaction on the servers vetgraph is tested with)."""
        wrapper = SPARQLWrapper(self.url, updateEndpoint=self.update_url)
        wrapper.setQuery(update)
        if not wrapper.isSparqlUpdateRequest():
            raise VetgraphError("not a SPARQL Update request")
        self._send(wrapper)

    def _send(self, wrapper: SPARQLWrapper) -> bytes:
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, int(self.timeout + 1)))  # per socket operation; the deadline bounds the sum
        try:
            headers, body = read_within(
                lambda: wrapper.query().response, timeout=self.timeout, max_bytes=self.max_bytes
            )
        except Deadline:
            raise VetgraphError(
                f"the SPARQL endpoint did not answer within {self.timeout:g} s (the whole answer; --timeout)",
                path=self.url,
            ) from None
        except TooLarge:
            raise VetgraphError(
                f"the SPARQL endpoint's answer is larger than {self.max_bytes / 1e6:.0f} MB; "
                "vetgraph stopped reading it (add a LIMIT to the query)",
                path=self.url,
            ) from None
        except (SPARQLWrapperException, OSError, http.client.HTTPException, ValueError) as error:
            # what the network or the server can do; Ctrl-C and vetgraph's own bugs are not caught here
            raise self._error(error) from None
        if headers.get("X-SPARQL-MaxRows"):  # Virtuoso's sign of a cut answer
            raise PartialAnswer(headers["X-SPARQL-MaxRows"], self.url)
        return body

    def _error(self, error: Exception) -> VetgraphError:
        if isinstance(error, urllib.error.HTTPError) and 300 <= error.code < 400:
            target = error.headers.get("Location", "another address") if error.headers else "another address"
            return VetgraphError(
                f"the SPARQL endpoint answered with a redirect (HTTP {error.code} to {target[:200]}); vetgraph does "
                "not follow redirects: give the address it points to, if you trust it",
                path=self.url,
            )
        if isinstance(error, urllib.error.URLError | TimeoutError | ConnectionError | OSError):
            reason = getattr(error, "reason", error)
            return VetgraphError(
                f"the SPARQL endpoint did not answer within {self.timeout:g} s or refused the connection ({reason})",
                path=self.url,
            )
        if isinstance(error, SPARQLWrapperException):
            text = str(error).strip()
            first = text.splitlines()[0] if text else type(error).__name__
            if any(sign in text for sign in _BUSY_SIGNS):
                return ServerBusy(f"the SPARQL endpoint failed the request: {first}", path=self.url)
            return VetgraphError(f"the SPARQL endpoint rejected the query: {first}", path=self.url)
        return VetgraphError(f"the SPARQL endpoint's answer could not be read ({type(error).__name__})", path=self.url)

    def select(self, query: str) -> Table:
        columns, rows = results.parse_json(self._request(query), source=self.url)
        return Table(columns=columns, rows=rows)

    def close(self) -> None:
        """Nothing to release: each request has its own connection."""

    def contains(self, iri: URIRef) -> bool:
        table = self.select(f"ASK {{ {{ {iri.n3()} ?p ?o }} UNION {{ ?s ?p {iri.n3()} }} }}")
        answer = table.rows[0][0] if table.columns == ["ask"] else None
        return isinstance(answer, Literal) and answer.toPython() is True
