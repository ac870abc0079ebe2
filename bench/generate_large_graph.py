"""Write the project's graph with FACTOR times the sample committees, their nämndmål and follow-up, for benchmarks.

    python bench/generate_large_graph.py 100 /tmp/vetgraph-x100.nt
    python bench/generate_large_graph.py --goals 10000 /tmp/vetgraph-10000.nt

Copy k of each sample committee is a new committee (``namnd:socialnamnden-k2``)
whose goals are copies of the sample goals (``nm:sn-2023-2026-1-k2``) with the
same links to the strategy, RUS, Agenda 2030, KF-mål and challenges, and whose
measures, own indicators, outcomes and judgements are copies of the samples'
(so the follow-up views grow with the goals; ``--goals-only`` copies only the
committees and goals, as the generator did before issue 10). The reference data (strategy, RUS,
Agenda 2030, KF-mål) and Kolada's outcomes appear once, as in a real municipality
that has more committees and goals, not more strategies. ``--goals N`` picks the
smallest factor with at least N goals. The output is N-Triples; the script
prints the number of triples, committees and goals.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.term import Node

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from vetgraph.namespaces import VTL
from vetgraph.project import default_project
from vetgraph.rdf import graphs
from vetgraph.store import project_graph


def enlarge(factor: int, *, goals_only: bool = False) -> Graph:
    base = project_graph()
    graph = Graph()
    graph += base
    submitted = graphs.read_trusted(default_project().sample_submissions())
    copied: set[Node] = {s for s in submitted.subjects() if isinstance(s, URIRef)}
    if goals_only:
        copied = set(base.subjects(RDF.type, VTL.Namndmal))
    copied |= set(base.subjects(RDF.type, VTL.Namnd))
    todo = list(copied)
    while todo:  # and the blank nodes they describe (the base graph's own, not the separately read ones)
        for obj in base.objects(todo.pop(), None):
            if isinstance(obj, BNode) and obj not in copied:
                copied.add(obj)
                todo.append(obj)
    for k in range(2, factor + 1):
        renamed: dict[Node, Node] = {
            node: URIRef(f"{node}-k{k}") if isinstance(node, URIRef) else BNode() for node in copied
        }
        for subject in copied:
            for predicate, obj in base.predicate_objects(subject):
                if goals_only and predicate == VTL.matt:
                    continue
                graph.add((renamed[subject], predicate, renamed.get(obj, obj)))
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("factor", type=int, nargs="?")
    parser.add_argument("output", type=Path)
    parser.add_argument("--goals", type=int, help="at least this many nämndmål (instead of FACTOR)")
    parser.add_argument(
        "--goals-only",
        action="store_true",
        help="copy committees and goals, not their follow-up (as issue 11 measured)",
    )
    args = parser.parse_args()
    if (args.factor is None) == (args.goals is None):
        sys.exit("give FACTOR or --goals N")
    sample_goals = len(set(project_graph().subjects(RDF.type, VTL.Namndmal)))
    factor = args.factor if args.factor is not None else max(1, math.ceil(args.goals / sample_goals))
    graph = enlarge(factor, goals_only=args.goals_only)
    args.output.write_bytes(graphs.serialize(graph, "ntriples"))
    print(
        f"{args.output}: {len(graph)} triples, {len(set(graph.subjects(RDF.type, VTL.Namnd)))} committees, "
        f"{len(set(graph.subjects(RDF.type, VTL.Namndmal)))} nämndmål"
    )


if __name__ == "__main__":
    main()
