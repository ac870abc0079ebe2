"""vetgraph's SHACL evaluator gives exactly pySHACL's results on every kind of submission we have."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import GOAL, INVALID, REQUIRED_LINKS, valid_goal
from vetgraph import graphs
from vetgraph.project import Project, default_project
from vetgraph.shacl import ShapesEvaluator, Unsupported
from vetgraph.validation import SubmissionReport, Validator


@pytest.fixture(scope="module")
def engines(project: Project) -> tuple[Validator, Validator]:
    fast, reference = Validator(project, engine="vetgraph"), Validator(project, engine="pyshacl")
    assert (fast.engine, reference.engine) == ("vetgraph", "pyshacl")
    return fast, reference


def comparable(report: SubmissionReport) -> list[tuple[str, ...]]:
    return sorted(
        (
            str(f.focus) if isinstance(f.focus, URIRef) else "_",
            f.severity,
            str(f.source_shape),
            str(f.constraint),
            str(f.path) if isinstance(f.path, URIRef) else str(type(f.path)),
            str(f.value),
            repr(sorted(f.messages.items())),
        )
        for f in report.findings
    )


def same(engines: tuple[Validator, Validator], graph: Graph) -> list[tuple[str, ...]]:
    fast, reference = engines
    ours, theirs = fast.validate_graph(graph), reference.validate_graph(graph)
    assert comparable(ours) == comparable(theirs)
    assert ours.conforms == theirs.conforms
    return comparable(ours)


SUBMISSIONS = [*default_project().sample_submissions(), *sorted(INVALID.glob("*.ttl"))]


@pytest.mark.parametrize("path", SUBMISSIONS, ids=lambda p: p.stem)
def test_same_results_as_pyshacl(engines: tuple[Validator, Validator], path: Path) -> None:
    same(engines, graphs.read_rdf(path))


@pytest.mark.parametrize("link", list(REQUIRED_LINKS), ids=list(REQUIRED_LINKS.values()))
def test_same_results_with_a_link_removed(engines: tuple[Validator, Validator], link: URIRef) -> None:
    goal = valid_goal()
    goal.remove((GOAL, link, None))
    assert same(engines, goal)


def test_same_results_for_everything_wrong_at_once(engines: tuple[Validator, Validator]) -> None:
    goal = Graph()
    for path in sorted(INVALID.glob("*.ttl")):
        goal += graphs.read_rdf(path)
    assert len(same(engines, goal)) > 20


def test_the_report_graphs_agree(engines: tuple[Validator, Validator]) -> None:
    fast, reference = engines
    path = INVALID / "felstavad-egenskap.ttl"
    ours, theirs = fast.validate_file(path).report_graph, reference.validate_file(path).report_graph
    assert len(ours) == len(theirs)
    assert set(ours.predicates()) == set(theirs.predicates())


def test_unsupported_shapes_are_refused_so_pyshacl_takes_over(project: Project) -> None:
    shapes = graphs.parse_rdf(
        b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/S> a sh:NodeShape ; sh:targetNode <https://example.org/x> ;
            sh:sparql [ sh:select "SELECT $this WHERE { }" ] .""",
        "turtle",
    )
    with pytest.raises(Unsupported):
        ShapesEvaluator(shapes)
    # the reference-data shapes use sh:lessThan, which the evaluator leaves to pySHACL
    with pytest.raises(Unsupported):
        ShapesEvaluator(graphs.read_trusted([project.reference_shapes]))
