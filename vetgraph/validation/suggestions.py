""" "Did you mean …?": suggestions read from the shapes themselves, so that they follow the shapes when they change.

A closed shape lists what it allows (the paths of its property shapes and its
``sh:ignoredProperties``); a property it does not allow gets the closest of those.
"""

from __future__ import annotations

import difflib
import functools

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

from vetgraph.namespaces import compact


def allowed_properties(shapes: Graph) -> list[str]:
    """The properties closed shapes allow, as compact names (``vtl:delstrategi``), sorted."""
    allowed: set[str] = set()
    for shape in shapes.subjects(SH.closed, Literal(True, datatype=XSD.boolean)):
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef):
                allowed.add(compact(str(path)))
        for ignored in shapes.objects(shape, SH.ignoredProperties):
            allowed.update(compact(str(p)) for p in Collection(shapes, ignored) if isinstance(p, URIRef))
    return sorted(allowed)


@functools.lru_cache(maxsize=8)
def _allowed_cached(shapes: Graph) -> tuple[str, ...]:
    return tuple(allowed_properties(shapes))


def closest_property(path: URIRef, shapes: Graph) -> str | None:
    """The allowed property most like ``path`` (a misspelling, a plural, a wrong prefix), if one is close."""
    matches = difflib.get_close_matches(compact(str(path)), _allowed_cached(shapes), n=1, cutoff=0.75)
    return matches[0] if matches else None
