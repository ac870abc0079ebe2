"""Write one submission with N nämndmål, copied from the sample submissions, for benchmarks.

    python bench/generate_submission.py 1000 /tmp/goals-1000.ttl [--with-follow-up]

Goal k is a copy of a sample goal (taken in turn from every sample committee) with
``-k{k}`` appended to its IRI and identifier, the same committee and the same
links to the strategy, RUS, Agenda 2030, KF-mål and challenges, so every copy is
valid. By default only the goals are copied, without their measure (about 680
bytes per goal, 10,000 goals ≈ 6.8 MB, as issue 11 measured; each goal then gets
the guidance that it has no measure); with ``--with-follow-up`` each copy also
carries its goal's measure, own indicator, outcomes and judgements (several kB
per goal). Blank nodes stay blank. The output is Turtle, written by rdflib.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from rdflib import DCTERMS, RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from vetgraph.namespaces import QB, VTL  # noqa: E402
from vetgraph.project import default_project  # noqa: E402


def _sample_goals() -> list[tuple[Graph, URIRef]]:
    pairs = []
    for path in sorted((REPO / "data" / "exempel" / "namndmal").glob("*.ttl")):
        graph = Graph().parse(path)
        pairs.extend((graph, goal) for goal in sorted(graph.subjects(RDF.type, VTL.Namndmal)))  # type: ignore[misc]
    return pairs


def _follow_up_of(graph: Graph, goal: URIRef) -> set[Node]:
    """The measure, own indicator, outcomes, their data set and judgements that belong to ``goal``."""
    nodes: set[Node] = set(graph.objects(goal, VTL.matt))
    nodes.update(graph.subjects(VTL.avserMal, goal))
    indicators = {
        i for m in list(nodes) for i in graph.objects(m, VTL.indikator) if (i, RDF.type, VTL.Indikator) in graph
    }
    nodes |= indicators
    for observation in graph.subjects(RDF.type, QB.Observation):
        if graph.value(observation, VTL.indikator) in indicators:
            nodes.add(observation)
            nodes.update(graph.objects(observation, QB.dataSet))
    return nodes


def _copy(graph: Graph, roots: set[Node], k: int, *, follow_up: bool) -> Iterator[tuple[Node, Node, Node]]:
    renamed: dict[Node, Node] = {node: URIRef(f"{node}-k{k}") for node in roots if isinstance(node, URIRef)}
    blank: dict[Node, BNode] = {}

    def name(node: Node) -> Node:
        if isinstance(node, BNode):
            return blank.setdefault(node, BNode())
        return renamed.get(node, node)

    todo, seen = list(roots), set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for predicate, obj in graph.predicate_objects(subject):
            if predicate == VTL.matt and not follow_up:
                continue
            if isinstance(obj, BNode):
                todo.append(obj)
            if predicate == DCTERMS.identifier:  # identifiers are unique per committee and period
                obj = Literal(f"{obj} k{k}")
            yield name(subject), predicate, name(obj)


def generate(goals: int, *, with_follow_up: bool = False) -> Graph:
    samples = _sample_goals()
    out = default_project().profile.namespaces.bind(Graph())
    for k in range(goals):
        graph, goal = samples[k % len(samples)]
        roots: set[Node] = {goal}
        if with_follow_up:
            roots |= _follow_up_of(graph, goal)
        for triple in _copy(graph, roots, k, follow_up=with_follow_up):
            out.add(triple)  # type: ignore[arg-type]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("goals", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--with-follow-up", action="store_true")
    args = parser.parse_args()
    graph = generate(args.goals, with_follow_up=args.with_follow_up)
    graph.serialize(args.output, format="turtle")
    print(f"{args.output}: {args.goals} nämndmål, {len(graph)} triples, {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
