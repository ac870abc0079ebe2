"""Small RDF documents written fast: a published resource's description in each of the site's formats.

Why not :func:`vetgraph.rdf.graphs.serialize` (rdflib): ``publish`` writes four
documents for each of thousands of resources, and rdflib's serialisers, with the
graph and prefix bindings each needs, took 38 of 84 profiled seconds for 2,800
goals. Oxigraph writes Turtle (with the prefixes the document uses), N-Triples
and RDF/XML from a list of triples; JSON-LD is written here, compacted with the
same prefixes (Oxigraph writes JSON-LD expanded, without a context). Terms keep
their exact form (a literal's lexical form, language and datatype).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

from vetgraph.rdf.formats import RDF_FORMATS
from vetgraph.rdf.terms import to_oxigraph

Triple = tuple[Node, Node, Node]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def serialize_triples(triples: Sequence[Triple], rdf_format: str, prefixes: dict[str, str]) -> bytes:
    """``triples`` as a document in one of vetgraph's format names, with those of ``prefixes`` it uses."""
    used = _used_prefixes(triples, prefixes)
    if rdf_format == "jsonld":
        return json.dumps(jsonld(triples, used), indent=2, ensure_ascii=False).encode("utf-8")
    converted: dict[Node, Any] = {}

    def term(node: Node) -> Any:
        if node not in converted:
            converted[node] = to_oxigraph(node)
        return converted[node]

    out = [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples]
    prefixes_shown = used if rdf_format in ("turtle", "xml") else None
    return ox.serialize(out, format=RDF_FORMATS[rdf_format].oxigraph, prefixes=prefixes_shown) or b""


def jsonld(triples: Iterable[Triple], prefixes: dict[str, str]) -> dict[str, Any]:
    """Compact JSON-LD 1.1: a ``@context`` of the prefixes, and one node object per subject in ``@graph``."""
    shown: dict[Node, str] = {}  # each IRI compacted once (the whole graph's dump has 15,000 IRIs to show)

    def id_of(node: Node) -> str:
        text = shown.get(node)
        if text is None:
            text = shown[node] = _id(node, prefixes)
        return text

    type_ = RDF.type
    nodes: dict[Node, dict[str, Any]] = {}
    for s, p, o in triples:
        node = nodes.setdefault(s, {"@id": id_of(s)})
        if p == type_ and not isinstance(o, Literal):
            node.setdefault("@type", []).append(id_of(o))
        else:
            node.setdefault(id_of(p), []).append(_value(o, id_of))
    document: dict[str, Any] = {"@context": dict(sorted(prefixes.items()))}
    document["@graph"] = list(nodes.values())
    return document


def _used_prefixes(triples: Iterable[Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace is the longest that fits one of the IRIs (datatypes too) of ``triples``."""
    prefix_of = {namespace: prefix for prefix, namespace in prefixes.items()}
    used: dict[str, str] = {}
    seen: set[str] = set()
    for triple in triples:
        for node in triple:
            if isinstance(node, URIRef):
                iri = str(node)
            elif isinstance(node, Literal) and node.datatype is not None:
                iri = str(node.datatype)
            else:
                continue
            if iri in seen:
                continue
            seen.add(iri)
            # the namespaces that fit end at a '/' or '#' of the IRI: try from the last one back
            end = len(iri) - 1
            while end > 0:
                end = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
                prefix = prefix_of.get(iri[: end + 1])
                if prefix is not None:
                    used[prefix] = prefixes[prefix]
                    break
    return dict(sorted(used.items()))


def _id(node: Node, prefixes: dict[str, str]) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    text = str(node)
    best = max((p for p, ns in prefixes.items() if text.startswith(ns)), key=lambda p: len(prefixes[p]), default=None)
    if best is not None:
        local = text[len(prefixes[best]) :]
        if local and not local.startswith("//"):  # "prefix://…" would be read as an absolute IRI
            return f"{best}:{local}"
    return text


def _value(node: Node, id_of: Callable[[Node], str]) -> dict[str, str]:
    if not isinstance(node, Literal):
        return {"@id": id_of(node)}
    value: dict[str, str] = {"@value": str(node)}
    if node.language:
        value["@language"] = node.language
    elif node.datatype is not None and str(node.datatype) != _XSD_STRING:
        value["@type"] = id_of(node.datatype)
    return value
