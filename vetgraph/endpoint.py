"""Queries against a SPARQL 1.1 endpoint: the one module that talks to remote servers (via SPARQLWrapper)."""

from __future__ import annotations

import json
import urllib.error
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from vetgraph.errors import VetgraphError
from vetgraph.store import Table


class EndpointStore:
    """A SPARQL 1.1 Protocol endpoint, queried by POST with a time limit."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise VetgraphError(f"--endpoint must be an http:// or https:// URL, not '{url}'")
        self.url = url
        self.timeout = timeout

    def _request(self, query: str) -> dict[str, Any]:
        wrapper = SPARQLWrapper(self.url)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(max(1, self.timeout)))
        wrapper.setQuery(query)
        try:
            response = wrapper.query().response
            return dict(json.loads(response.read().decode("utf-8")))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise VetgraphError(
                f"the SPARQL endpoint did not answer within {self.timeout:g} s or refused the connection ({reason})",
                path=self.url,
            ) from None
        except SPARQLWrapperException as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise VetgraphError(f"the SPARQL endpoint rejected the query: {first}", path=self.url) from None
        except (ValueError, UnicodeDecodeError):
            raise VetgraphError("the SPARQL endpoint's answer is not SPARQL JSON results", path=self.url) from None

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
