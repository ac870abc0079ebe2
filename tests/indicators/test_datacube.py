"""The W3C RDF Data Cube integrity constraints on the bundled outcomes (issue 17: IC-4 failed, vtl:kommun and vtl:kon
had no rdfs:range). The same check on `kolada fetch`'s output is in test_kolada.py."""

from __future__ import annotations

from datacube import INTEGRITY_CONSTRAINTS, broken_constraints, outside_the_constraints
from rdflib import Graph, URIRef

from vetgraph.namespaces import QB, VTL
from vetgraph.store import project_graph


def test_the_bundled_outcomes_meet_every_integrity_constraint_of_the_recommendation() -> None:
    graph = project_graph()
    assert len(list(graph.subjects(None, QB.Observation))) > 100  # the outcomes are there
    assert len(INTEGRITY_CONSTRAINTS) == 20  # IC-1 to IC-19, IC-19 in its two forms
    assert broken_constraints(graph) == []
    assert outside_the_constraints(graph) == []


def test_the_constraints_can_fail() -> None:
    """Each change breaks the constraint it should: the queries are not vacuous on this data."""
    graph = project_graph()
    observation = next(o for o in graph.subjects(QB.dataSet, None) if isinstance(o, URIRef))
    without_range = Graph() + graph
    without_range.remove((VTL.kon, URIRef("http://www.w3.org/2000/01/rdf-schema#range"), None))
    assert "IC-4 dimensions have range" in broken_constraints(without_range)
    twice = Graph() + graph
    copy = URIRef(str(observation) + "-kopia")
    for p, o in graph.predicate_objects(observation):
        twice.add((copy, p, o))
    assert "IC-12 no duplicate observations" in broken_constraints(twice)
    no_year = Graph() + graph
    no_year.remove((observation, VTL.ar, None))
    assert "IC-11 all dimensions required" in broken_constraints(no_year)
    strange_code = Graph() + graph
    strange_code.set((observation, VTL.kon, URIRef("https://example.org/annat")))
    assert "IC-19 codes from code list (scheme)" in broken_constraints(strange_code)
    no_value = Graph() + graph
    no_value.remove((observation, VTL.varde, None))
    assert "IC-14 all measures present" in broken_constraints(no_value)
