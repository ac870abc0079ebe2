"""Materialised inference with owlrl: the one module that uses it.

Only ``vetgraph build`` uses inference, to give analysts a graph with the
entailments spelt out. Validation never does: with inference an ``rdfs:range``
makes a wrongly linked value pass, and owlrl's ``owl:sameAs`` triples break
closed shapes.
"""

from __future__ import annotations

from rdflib import Graph, Literal

MODES = ("none", "rdfs", "owlrl")


def materialise(graph: Graph, mode: str) -> Graph:
    """Add the inferred triples of ``mode`` (``none``, ``rdfs`` or ``owlrl``) to ``graph`` in place."""
    if mode == "none":
        return graph
    import owlrl  # imported here: it costs time that validation should not pay

    semantics = {"rdfs": owlrl.RDFS_Semantics, "owlrl": owlrl.OWLRL_Semantics}[mode]
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    # owlrl works in generalised RDF and can infer triples with a literal subject
    # (e.g. "3.a" owl:sameAs "3.a"); they are not RDF and no serialisation can hold them.
    for triple in [t for t in graph if isinstance(t[0], Literal)]:
        graph.remove(triple)
    return graph
