"""vetgraph.rdf.turtle writes exactly the triples it is given, nested as people read them (issue 11).

The judge is the W3C Turtle suite: every evaluation test's expected triples are
written, read back by Oxigraph's strict parser and compared with the original.
"""

from __future__ import annotations

import itertools
import re

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from conftest import W3C_TURTLE, w3c_turtle_files
from municipality import PREFIXES
from vetgraph.rdf import graphs
from vetgraph.rdf.turtle import MAX_NESTING, pretty_turtle
from vetgraph.validation.findings import Finding, report_triples

Triple = tuple[Node, Node, Node]
EX = "http://example.org/ns#"
EVAL = w3c_turtle_files("TestTurtleEval", "result")


def graph_of(triples: list[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def read(data: bytes, rdf_format: ox.RdfFormat) -> Graph:
    # Oxigraph's strict parser without vetgraph's input checks: the suite has control characters in values
    return graphs.to_graph(ox.parse(data, format=rdf_format))


def round_trip(triples: list[Triple], prefixes: dict[str, str]) -> tuple[str, Graph]:
    text = pretty_turtle(triples, prefixes)
    return text, read(text.encode("utf-8"), ox.RdfFormat.TURTLE)


def namespaces_of(graph: Graph) -> dict[str, str]:
    """A prefix for every namespace (up to the last '/' or '#') in ``graph``, so that every IRI may be compacted."""
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    iris |= {str(t.datatype) for triple in graph for t in triple if isinstance(t, Literal) and t.datatype}
    namespaces = sorted({iri[: max(iri.rfind("/"), iri.rfind("#")) + 1] for iri in iris})
    return {f"p{i}": namespace for i, namespace in enumerate(namespaces)}


def test_the_suite_is_complete() -> None:
    assert len(EVAL) == 109  # 145 evaluation tests, some with the same expected result


@pytest.mark.parametrize("name", EVAL)
def test_every_w3c_evaluation_result_round_trips(name: str) -> None:
    expected = read((W3C_TURTLE / name).read_bytes(), ox.RdfFormat.N_TRIPLES)
    text, written = round_trip(list(expected), namespaces_of(expected))
    assert isomorphic(written, expected), text


def test_blank_nodes_used_once_are_nested_and_lists_are_lists() -> None:
    expected = graphs.parse_rdf(
        b'@prefix ex: <http://example.org/ns#> .\nex:s ex:p [ ex:q ( 1 "zwei" [ ex:r ex:t ] ) ; ex:u [] ] .',
        "turtle",
    )
    text, written = round_trip(list(expected), {"ex": EX})
    assert isomorphic(written, expected)
    assert "_:" not in text
    assert '( 1 "zwei" [ ex:r ex:t ] )' in text


def test_shared_and_cyclic_blank_nodes_get_labels() -> None:
    shared, first, second, alone = BNode(), BNode(), BNode(), BNode()
    p = URIRef(EX + "p")
    triples: list[Triple] = [
        (URIRef(EX + "a"), p, shared),
        (URIRef(EX + "b"), p, shared),
        (shared, p, Literal("shared")),
        (first, p, second),  # a cycle of blank nodes each used once
        (second, p, first),
        (alone, p, alone),  # a blank node that is its own object
    ]
    text, written = round_trip(triples, {"ex": EX})
    assert isomorphic(written, graph_of(triples)), text
    assert text.count("_:b") >= 2 * 3


def test_a_list_whose_cell_is_used_twice_is_not_written_as_a_list() -> None:
    graph = Graph()
    head = BNode()
    Collection(graph, head, [Literal(1), Literal(2), Literal(3)])
    graph.add((URIRef(EX + "s"), URIRef(EX + "p"), head))
    second_cell = graph.value(head, RDF.rest)
    graph.add((URIRef(EX + "t"), URIRef(EX + "p"), second_cell))
    text, written = round_trip(list(graph), {"ex": EX})
    assert isomorphic(written, graph), text


def test_deep_nesting_is_labelled_instead_of_exhausting_the_stack() -> None:
    p = URIRef(EX + "p")
    nodes = [BNode() for _ in range(5_000)]
    triples: list[Triple] = [(URIRef(EX + "s"), p, nodes[0])]
    triples += [(a, p, b) for a, b in itertools.pairwise(nodes)]
    triples.append((nodes[-1], p, Literal("end")))
    text, written = round_trip(triples, {"ex": EX})
    assert max(line.count("[") for line in text.splitlines()) <= MAX_NESTING + 2
    # the same chain (rdflib's isomorphism test takes minutes on 5,000 blank nodes): 5,001 steps from ex:s to "end"
    assert len(written) == len(triples)
    node = written.value(URIRef(EX + "s"), p)
    for _ in range(5_000):
        node = written.value(node, p)
    assert node == Literal("end")


def test_literals_and_iris_that_need_escapes() -> None:
    s = URIRef(EX + "s")
    values = [
        Literal('citat " och \\ och \n och \r och \t och \x07 och \x1b[31m'),
        Literal("svenska åäö", lang="sv"),
        Literal("02023", datatype=XSD.integer, normalize=False),
        Literal("1.50", datatype=XSD.decimal, normalize=False),
        Literal("1e3", datatype=XSD.double, normalize=False),
        Literal("ja", datatype=XSD.boolean, normalize=False),
        Literal("true", datatype=XSD.boolean),
        Literal("x", datatype=URIRef("http://example.org/ns#typ~1")),
        URIRef(EX + "slutar."),
        URIRef(EX + "har/snedstreck"),
        URIRef(EX),
        URIRef("urn:ingen-snedstreck"),
    ]
    triples: list[Triple] = [(s, URIRef(EX + f"p{i}"), value) for i, value in enumerate(values)]
    text, written = round_trip(triples, {"ex": EX})
    assert isomorphic(written, graph_of(triples)), text
    assert "\x07" not in text and "\x1b" not in text
    assert re.search(r"ex:p10 ex: [;.]", text)  # the namespace itself, with an empty local name


def test_the_same_report_is_the_same_text_whatever_its_blank_node_labels() -> None:
    findings = [
        Finding(
            focus=URIRef(f"https://data.vetlanda.se/id/namndmal/m{i}"),
            severity="Violation",
            path=URIRef("https://data.vetlanda.se/def/ansvarigNamnd"),
            value=None,
            messages={"sv": f"fel {i}", "en": f"wrong {i}"},
            source_shape=URIRef("https://data.vetlanda.se/shapes/S"),
            constraint=SH.MinCountConstraintComponent,
        )
        for i in (3, 1, 2)
    ]
    texts = {pretty_turtle(report_triples(findings, Graph()), PREFIXES) for _ in range(3)}
    texts.add(pretty_turtle(report_triples(list(reversed(findings)), Graph()), PREFIXES))
    assert len(texts) == 1
    (text,) = texts
    assert "_:" not in text
    assert text.index("nm:m1 ") < text.index("nm:m2 ") < text.index("nm:m3 ")
