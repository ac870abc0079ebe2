"""Queries against a SPARQL 1.1 endpoint: the one module that talks to remote servers (via SPARQLWrapper).

A server is outside vetgraph's control, so nothing it does may hang or exhaust
vetgraph: the time limit bounds the whole request (connecting, the headers, and
the body even when it trickles in a byte a second), the answer is read up to
``MAX_RESPONSE_BYTES``, and an answer that is not SPARQL 1.1 JSON results is an
error naming the field that is wrong.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from vetgraph.errors import VetgraphError
from vetgraph.store.table import Table

DEFAULT_TIMEOUT = 30.0
# The largest answer read: 100 MB of SPARQL JSON is about a million result rows.
MAX_RESPONSE_BYTES = 100 * 1024 * 1024
_CHUNK = 64 * 1024


class EndpointStore:
    """A SPARQL 1.1 Protocol endpoint, queried by POST; ``timeout`` bounds each whole request."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_RESPONSE_BYTES) -> None:
        if not url.startswith(("http://", "https://")):
            raise VetgraphError(f"--endpoint must be an http:// or https:// URL, not '{url}'")
        self.url = url
        self.timeout = timeout
        self.max_bytes = max_bytes

    def _request(self, query: str) -> dict[str, Any]:
        wrapper = SPARQLWrapper(self.url)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(max(1, int(self.timeout + 1)))  # per socket operation; the deadline below bounds the sum
        wrapper.setQuery(query)
        outcome: dict[str, Any] = {}
        stop = threading.Event()

        def fetch() -> None:
            try:
                response = wrapper.query().response
                chunks: list[bytes] = []
                size = 0
                while not stop.is_set():
                    chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
                    if not chunk:
                        outcome["body"] = b"".join(chunks)
                        return
                    size += len(chunk)
                    if size > self.max_bytes:
                        outcome["too_large"] = True
                        return
                    chunks.append(chunk)
            except BaseException as error:  # handed to the caller's thread
                outcome["error"] = error

        # The request runs in a helper thread so that the caller can give up at the
        # deadline, whatever the server does; the thread stops at its next read.
        thread = threading.Thread(target=fetch, name="vetgraph-endpoint", daemon=True)
        started = time.monotonic()
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive():
            stop.set()
            raise VetgraphError(
                f"the SPARQL endpoint did not answer within {self.timeout:g} s (the whole answer; --timeout)",
                path=self.url,
            )
        if "error" in outcome:
            raise self._error(outcome["error"], time.monotonic() - started) from None
        if outcome.get("too_large"):
            raise VetgraphError(
                f"the SPARQL endpoint's answer is larger than {self.max_bytes / 1e6:.0f} MB; "
                "vetgraph stopped reading it (add a LIMIT to the query)",
                path=self.url,
            )
        try:
            document = json.loads(outcome["body"].decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise VetgraphError(
                "the SPARQL endpoint's answer is not JSON (is the URL the SPARQL endpoint itself?)", path=self.url
            ) from None
        return _checked_results(document, self.url)

    def _error(self, error: BaseException, elapsed: float) -> VetgraphError:
        if isinstance(error, urllib.error.URLError | TimeoutError | ConnectionError | OSError):
            reason = getattr(error, "reason", error)
            return VetgraphError(
                f"the SPARQL endpoint did not answer within {self.timeout:g} s or refused the connection ({reason})",
                path=self.url,
            )
        if isinstance(error, SPARQLWrapperException):
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            return VetgraphError(f"the SPARQL endpoint rejected the query: {first}", path=self.url)
        return VetgraphError(f"the SPARQL endpoint's answer could not be read ({type(error).__name__})", path=self.url)

    def select(self, query: str) -> Table:
        document = self._request(query)
        if "boolean" in document:
            return Table(columns=["ask"], rows=[[Literal(bool(document["boolean"]))]])
        columns = list(document["head"]["vars"])
        rows = [[_term(binding.get(column)) for column in columns] for binding in document["results"]["bindings"]]
        return Table(columns=columns, rows=rows)

    def contains(self, iri: URIRef) -> bool:
        document = self._request(f"ASK {{ {{ {iri.n3()} ?p ?o }} UNION {{ ?s ?p {iri.n3()} }} }}")
        return bool(document.get("boolean"))


def _checked_results(document: object, url: str) -> dict[str, Any]:
    """``document`` if it is SPARQL 1.1 Query Results JSON, else an error naming the first wrong field."""

    def wrong(field: str, expected: str) -> VetgraphError:
        return VetgraphError(
            f"the SPARQL endpoint's answer is not SPARQL JSON results: {field} should be {expected}", path=url
        )

    if not isinstance(document, dict):
        raise wrong("the answer", "a JSON object")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise wrong("boolean", "true or false")
        return document
    head, results = document.get("head"), document.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars"), list):
        raise wrong("head.vars", "a list of variable names")
    if not all(isinstance(v, str) for v in head["vars"]):
        raise wrong("head.vars", "a list of strings")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise wrong("results.bindings", "a list")
    for index, binding in enumerate(results["bindings"]):
        if not isinstance(binding, dict):
            raise wrong(f"results.bindings[{index}]", "an object")
        for name, value in binding.items():
            field = f"results.bindings[{index}].{name}"
            if not isinstance(value, dict) or value.get("type") not in ("uri", "bnode", "literal", "typed-literal"):
                raise wrong(field, 'an object with "type" uri, bnode or literal')
            if not isinstance(value.get("value"), str):
                raise wrong(field + ".value", "a string")
            for key in ("xml:lang", "datatype"):
                if key in value and not isinstance(value[key], str):
                    raise wrong(f"{field}.{key}", "a string")
    return document


def _term(value: dict[str, str] | None) -> Node | None:
    """An rdflib term from a SPARQL 1.1 JSON results binding."""
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])
