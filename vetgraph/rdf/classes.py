"""Which classes a SHACL property shape asks its values to have, and which resources are members of them.

Below validation and the spreadsheets both: the template's drop-down lists and the
validator's "did you mean" are read from the same shapes and reference data.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph.labels import natural_order


def shape_classes(shapes: Graph, shape: Node) -> list[URIRef]:
    """The classes a property shape requires of its values: ``sh:class``, or each ``sh:class`` of an ``sh:or``."""
    found = [c for c in shapes.objects(shape, SH["class"]) if isinstance(c, URIRef)]
    for options in shapes.objects(shape, SH["or"]):
        for option in Collection(shapes, options):
            found.extend(c for c in shapes.objects(option, SH["class"]) if isinstance(c, URIRef))
    return found


def instances(reference: Graph, classes: Iterable[URIRef]) -> set[URIRef]:
    """The members of ``classes`` (their subclasses' too) in the reference data."""
    members: set[URIRef] = set()
    for cls in classes:
        kinds = {cls, *reference.transitive_subjects(RDFS.subClassOf, cls)}
        members.update(s for k in kinds for s in reference.subjects(RDF.type, k) if isinstance(s, URIRef))
    return members


def in_data_order(reference: Graph, members: Iterable[URIRef]) -> list[URIRef]:
    """``members`` in the data's own order: by ``skos:notation`` read as numbers (3.4 before 3.10), then by IRI,
    so that two with one notation (KF-mål 1 of two periods) keep one order from run to run."""
    return sorted(members, key=lambda m: (natural_order(str(reference.value(m, SKOS.notation) or m)), natural_order(m)))
