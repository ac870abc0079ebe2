"""Write a graph with FACTOR times the sample committees and their nämndmål, for benchmarks.

    python bench/generate_large_graph.py 100 /tmp/vetgraph-x100.nt

Copy k of each sample committee is a new committee (``namnd:socialnamnden-k2``)
whose goals are copies of the sample goals (``nm:sn-2023-2026-1-k2``) with the
same links to the strategy, RUS, Agenda 2030, KF-mål and challenges. The
reference data (strategy, RUS, Agenda 2030, KF-mål) appears once, as in a real
municipality that has more committees and goals, not more strategies. The
output is N-Triples; the script prints the number of triples, committees and goals.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import RDF, Graph, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from vetgraph.namespaces import VTL
from vetgraph.rdf import graphs
from vetgraph.store import project_graph


def enlarge(factor: int) -> Graph:
    base = project_graph()
    graph = Graph()
    graph += base
    committees = set(base.subjects(RDF.type, VTL.Namnd))
    goals = set(base.subjects(RDF.type, VTL.Namndmal))
    for k in range(2, factor + 1):
        renamed = {node: URIRef(f"{node}-k{k}") for node in committees | goals}
        for subject in committees | goals:
            for predicate, obj in base.predicate_objects(subject):
                graph.add((renamed[subject], predicate, renamed.get(obj, obj)))  # type: ignore[arg-type]
    return graph


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/generate_large_graph.py FACTOR OUTPUT.nt")
    factor, output = int(sys.argv[1]), Path(sys.argv[2])
    graph = enlarge(factor)
    output.write_bytes(graphs.serialize(graph, "ntriples"))
    print(
        f"{output}: {len(graph)} triples, {len(set(graph.subjects(RDF.type, VTL.Namnd)))} committees, "
        f"{len(set(graph.subjects(RDF.type, VTL.Namndmal)))} nämndmål"
    )


if __name__ == "__main__":
    main()
