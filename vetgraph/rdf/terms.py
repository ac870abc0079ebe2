"""RDF terms in and out of their encodings: the one codec for terms in query results and reports.

Oxigraph terms become rdflib terms here (:func:`from_oxigraph`) and back (:func:`to_oxigraph`); rdflib terms
become SPARQL 1.1 results JSON and XML bindings, CSV and TSV cells, and back
from JSON (:func:`from_sparql_json`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.term import Node

from vetgraph.errors import VetgraphError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_CANONICAL_BOOLEANS = {"1": "true", "0": "false"}


def from_oxigraph(term: object) -> Node:
    """The rdflib term for an Oxigraph term; literals keep their lexical form (no normalisation)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        # not normalised: "1"^^xsd:boolean stays "1", as RDF term equality (and SHACL) requires
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise VetgraphError(f"unsupported RDF term {term!r} (RDF-star triples are not supported)")


# Terms every graph has, as rdflib's own constants: a graph converted by a :func:`converter` uses these very objects,
# so that code comparing with RDF.type (the SHACL evaluator's class checks) compares identical objects, which
# Python does without calling rdflib's __eq__.
_WELL_KNOWN: tuple[URIRef, ...] = (RDF.type, RDFS.subClassOf, RDFS.label, RDF.first, RDF.rest, RDF.nil)


def converter(interned: dict[Node, Node] | None = None) -> Callable[[object], Node]:
    """A function from Oxigraph terms to rdflib terms that converts each distinct term once and returns it after.

    With ``interned``, a term equal to one of its keys becomes that key's value (the same object), and a new
    term is added to it.
    """
    converted: dict[object, Node] = {ox.NamedNode(str(term)): term for term in _WELL_KNOWN}

    def convert(term: object) -> Node:
        node = converted.get(term)
        if node is None:
            node = from_oxigraph(term)
            if interned is not None:
                node = interned.setdefault(node, node)
            converted[term] = node
        return node

    return convert


def to_oxigraph(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph term for an rdflib term (a blank node keeps its label, which must be a valid one)."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise VetgraphError(f"unsupported RDF term {node!r}")


def canonical(node: Node | None) -> Node | None:
    """``node`` with an xsd:decimal in its XSD 1.1 canonical form ("90.0" and "90" are one value; Oxigraph writes
    "90", rdflib keeps what the data says), so that every store gives the same rows."""
    if isinstance(node, Literal) and node.datatype is not None and str(node.datatype) == XSD_DECIMAL:
        try:
            value = Decimal(str(node))
        except InvalidOperation:
            return node
        text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
        return Literal(text, datatype=node.datatype, normalize=False)
    return node


def to_sparql_json(node: Node) -> dict[str, Any]:
    """A binding of the SPARQL 1.1 Query Results JSON Format."""
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    assert isinstance(node, Literal)
    binding: dict[str, Any] = {"type": "literal", "value": str(node)}
    if node.language:
        binding["xml:lang"] = node.language
    elif node.datatype:
        binding["datatype"] = str(node.datatype)
    return binding


def from_sparql_json(value: dict[str, str] | None) -> Node | None:
    """The rdflib term of a SPARQL 1.1 JSON binding (checked by :func:`vetgraph.rdf.results.parse_json`)."""
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
    if datatype == XSD_BOOLEAN:
        # "1" and "0" are valid lexical forms of true and false, and Virtuoso writes
        # booleans so; canonical forms give the same rows on every server.
        return Literal(_CANONICAL_BOOLEANS.get(value["value"], value["value"]), datatype=URIRef(datatype))
    if datatype and datatype != XSD_STRING:
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


def to_sparql_xml(node: Node) -> str:
    """The element of a binding in the SPARQL Query Results XML Format."""
    if isinstance(node, URIRef):
        return f"<uri>{escape(str(node))}</uri>"
    if isinstance(node, BNode):
        return f"<bnode>{escape(str(node))}</bnode>"
    assert isinstance(node, Literal)
    if node.language:
        attribute = f" xml:lang={quoteattr(node.language)}"
    elif node.datatype:
        attribute = f" datatype={quoteattr(str(node.datatype))}"
    else:
        attribute = ""
    return f"<literal{attribute}>{escape(str(node))}</literal>"


def to_tsv(node: Node | None) -> str:
    """A cell of SPARQL 1.1 TSV results: the term in Turtle syntax."""
    return "" if node is None else node.n3()


def to_csv(node: Node | None) -> str:
    """A cell of SPARQL 1.1 CSV results: the plain lexical form or IRI."""
    return "" if node is None else str(node)


def identifier(node: Node | None) -> str | None:
    """A term as one string for vetgraph's JSON reports: the IRI or literal text, ``_:label`` for blank nodes."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)
