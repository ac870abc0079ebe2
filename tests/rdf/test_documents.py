"""Documents written by vetgraph.rdf.documents hold exactly the triples given, in every format (issue 11)."""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.term import Node

from municipality import PREFIXES
from vetgraph.rdf import graphs
from vetgraph.rdf.documents import serialize_triples
from vetgraph.store.local import project_graph

FORMATS = {"turtle": "turtle", "ntriples": "nt", "xml": "xml", "jsonld": "json-ld"}
EX = "https://data.vetlanda.se/id/namndmal/"


def awkward() -> list[tuple[Node, Node, Node]]:
    """Terms that writers get wrong: lexical forms kept, languages, blank nodes, IRIs outside every prefix."""
    node, blank = URIRef(EX + "x"), BNode()
    return [
        (node, URIRef("http://purl.org/dc/terms/title"), Literal('Citat "så" och \\ och\nny rad', lang="sv")),
        (node, URIRef("https://data.vetlanda.se/def/basvarde"), Literal("90.0", datatype=XSD.decimal, normalize=False)),
        (node, URIRef("https://data.vetlanda.se/def/ar"), Literal("02023", datatype=XSD.integer, normalize=False)),
        (node, URIRef("https://example.org/p"), blank),
        (blank, URIRef("https://example.org/p#q"), URIRef("https://example.org/other")),
        (
            node,
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef("https://data.vetlanda.se/def/Namndmal"),
        ),
    ]


@pytest.mark.parametrize("rdf_format", FORMATS)
def test_every_format_holds_exactly_the_triples(rdf_format: str) -> None:
    triples = awkward()
    written = serialize_triples(triples, rdf_format, PREFIXES)
    expected = Graph()
    for triple in triples:
        expected.add(triple)
    read = graphs.parse_rdf(written, rdf_format)
    assert isomorphic(read, expected), written.decode()


def test_jsonld_is_compact_with_the_prefixes_it_uses() -> None:
    document = json.loads(serialize_triples(awkward(), "jsonld", PREFIXES))
    assert set(document["@context"]) == {"dcterms", "nm", "rdf", "vtl", "xsd"}
    (goal,) = [node for node in document["@graph"] if node["@id"] == "nm:x"]
    assert goal["@type"] == ["vtl:Namndmal"]


def test_a_published_description_of_every_kind_round_trips() -> None:
    graph = project_graph()
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)[::40]
    for subject in subjects:
        triples = list(graph.triples((subject, None, None)))
        expected = Graph()
        for triple in triples:
            expected.add(triple)
        for rdf_format in FORMATS:
            read = graphs.parse_rdf(serialize_triples(triples, rdf_format, PREFIXES), rdf_format)
            assert isomorphic(read, expected), (subject, rdf_format)
