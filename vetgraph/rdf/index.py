"""Triples in plain dictionaries of rdflib terms, and a read-only rdflib Graph over them: for read-heavy work.

Used by the SHACL evaluator (its data graph) and by ``publish`` (the site's
graph, read for every page). Why not an rdflib ``Graph``: the evaluator asks a few hundred thousand small
questions of the data at 1,000 goals ("the objects of this goal's vtl:delstrategi",
"the types of that node"), and rdflib's Memory store answers each through its
context bookkeeping, about 5 µs a time. Three nested dictionaries (subject →
predicate → objects, predicate → object → subjects, object → subject →
predicates) answer in a dictionary lookup. The reference data is indexed once
per :class:`~vetgraph.validation.Validator`, each submission on its own, and the
evaluator reads both through an :class:`Overlay`, so the 30,000 reference triples
are not re-added for every submission.

Dictionaries, not sets, keep every answer in the order the triples came, so the
evaluator's results do not depend on Python's string hashing. Terms are interned:
a term equal to one the index has seen (or was given in ``known``, e.g. the
shapes' own terms) is stored as that same object, so that lookups compare
identical objects and never call rdflib's ``__eq__``.

Code written for rdflib Graphs (rdflib's SPARQL engine for SPARQL-based
constraints, the site's pages) reads :meth:`Triples.graph`, an rdflib ``Graph``
over the index (a read-only :class:`IndexStore`), without copying the triples;
its lookups skip the Memory store's context bookkeeping.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph
from rdflib.store import Store
from rdflib.term import Node

from vetgraph.rdf.terms import converter

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]
_Level = dict[Node, dict[Node, dict[Node, None]]]
_TYPE, _SUBCLASS = RDF.type, RDFS.subClassOf  # rdflib's namespace attributes are slow to look up


class _HasObjects(Protocol):
    def objects(self, subject: Node, predicate: Node) -> Iterable[Node]: ...


def superclasses(graph: _HasObjects, cls: Node) -> set[Node]:
    """``cls`` and every class it is an rdfs:subClassOf, directly or not, in an rdflib Graph or :class:`Triples`."""
    found = {cls}
    stack = [cls]
    while stack:
        for parent in graph.objects(stack.pop(), _SUBCLASS):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


class Triples(ABC):
    """What the evaluator asks of its data; answers are iterables of distinct terms, in the order they came."""

    def __init__(self) -> None:
        self._graph: Graph | None = None
        self._superclasses: dict[Node, set[Node]] = {}
        self.conformance: dict[tuple[int, Node], bool] = {}  # kept by the evaluator during one validation

    @abstractmethod
    def objects(self, subject: Node | None, predicate: Node) -> Iterable[Node]: ...

    @abstractmethod
    def subjects(self, predicate: Node, obj: Node | None) -> Iterable[Node]: ...

    @abstractmethod
    def predicate_objects(self, subject: Node) -> Iterable[tuple[Node, Node]]: ...

    @abstractmethod
    def triples(self, pattern: Pattern) -> Iterator[Triple]: ...

    @abstractmethod
    def __len__(self) -> int: ...

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return o in self.objects(s, p)

    def superclasses(self, cls: Node) -> set[Node]:
        """:func:`superclasses` in these triples, kept (the data does not change while it is read)."""
        found = self._superclasses.get(cls)
        if found is None:
            found = self._superclasses[cls] = superclasses(self, cls)
        return found

    def types(self, node: Node) -> Iterable[Node]:
        return self.objects(node, _TYPE)

    def graph(self) -> Graph:
        """An rdflib Graph over these triples, for rdflib's SPARQL engine and readers of Graphs (read only)."""
        if self._graph is None:
            self._graph = Graph(store=IndexStore(self))
        return self._graph


class TripleIndex(Triples):
    """A set of triples, indexed three ways; see the module's docstring."""

    def __init__(self, triples: Iterable[Triple] = (), *, known: Iterable[Node] = ()) -> None:
        super().__init__()
        self._terms: dict[Node, Node] = {term: term for term in (_TYPE, _SUBCLASS, *known)}
        self._spo: _Level = {}
        self._pos: _Level = {}
        self._osp: _Level = {}
        self._size = 0
        terms = self._terms
        self._insert((terms.setdefault(s, s), terms.setdefault(p, p), terms.setdefault(o, o)) for s, p, o in triples)

    @classmethod
    def of_quads(cls, quads: Iterable[ox.Quad], *, known: Iterable[Node] = ()) -> TripleIndex:
        """The index of Oxigraph quads' triples (their graph names ignored), in rdflib terms."""
        index = cls(known=known)
        convert = converter(index._terms)  # Oxigraph hashes its terms in Rust: each distinct one is converted once
        index._insert((convert(q.subject), convert(q.predicate), convert(q.object)) for q in quads)  # interned
        return index

    def add(self, triple: Triple) -> None:
        terms = self._terms
        s, p, o = triple
        self._insert([(terms.setdefault(s, s), terms.setdefault(p, p), terms.setdefault(o, o))])

    def _insert(self, triples: Iterable[Triple]) -> None:
        """Add interned triples, in one loop (a call per triple was a third of indexing 10,000 goals)."""
        spo, pos, osp = self._spo, self._pos, self._osp
        size = self._size
        try:
            for s, p, o in triples:
                objects = spo.setdefault(s, {}).setdefault(p, {})
                if o in objects:
                    continue
                objects[o] = None
                pos.setdefault(p, {}).setdefault(o, {})[s] = None
                osp.setdefault(o, {}).setdefault(s, {})[p] = None
                size += 1
        finally:  # a term that cannot be converted stops the loop: what was added is counted
            self._size = size
            self._graph = None
            self._superclasses.clear()

    def __len__(self) -> int:
        return self._size

    def has_subject(self, subject: Node) -> bool:
        return subject in self._spo

    def every_subject(self) -> Iterable[Node]:
        return self._spo.keys()

    def has_pair(self, predicate: Node, obj: Node) -> bool:
        return obj in self._pos.get(predicate, {})

    def objects(self, subject: Node | None, predicate: Node) -> Iterable[Node]:
        if subject is not None:
            return self._spo.get(subject, {}).get(predicate, ())
        return self._pos.get(predicate, {})

    def subjects(self, predicate: Node, obj: Node | None) -> Iterable[Node]:
        if obj is not None:
            return self._pos.get(predicate, {}).get(obj, ())
        return {s: None for subjects in self._pos.get(predicate, {}).values() for s in subjects}

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for predicate, objects in self._spo.get(subject, {}).items():
            for obj in objects:
                yield predicate, obj

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        s, p, o = pattern
        if s is not None:
            by_predicate = self._spo.get(s, {})
            for predicate in (p,) if p is not None else tuple(by_predicate):
                for obj in by_predicate.get(predicate, ()):
                    if o is None or obj == o:
                        yield s, predicate, obj
        elif p is not None:
            by_object = self._pos.get(p, {})
            for obj in (o,) if o is not None else tuple(by_object):
                for subject in by_object.get(obj, ()):
                    yield subject, p, obj
        elif o is not None:
            for subject, predicates in self._osp.get(o, {}).items():
                for predicate in predicates:
                    yield subject, predicate, o
        else:
            for subject, by_predicate in self._spo.items():
                for predicate, objects in by_predicate.items():
                    for obj in objects:
                        yield subject, predicate, obj


class Overlay(Triples):
    """The union of two indexes (the reference data and one submission), without copying either."""

    def __init__(self, below: TripleIndex, above: TripleIndex) -> None:
        super().__init__()
        self._below, self._above = below, above

    def __len__(self) -> int:
        return len(self._below) + sum(
            1 for triple in self._above.triples((None, None, None)) if triple not in self._below
        )

    def objects(self, subject: Node | None, predicate: Node) -> Iterable[Node]:
        if subject is not None:
            # the usual case: a subject of only one of them (a submission may not describe reference resources)
            if not self._above.has_subject(subject):
                return self._below.objects(subject, predicate)
            if not self._below.has_subject(subject):
                return self._above.objects(subject, predicate)
        return _merged(self._below.objects(subject, predicate), self._above.objects(subject, predicate))

    def subjects(self, predicate: Node, obj: Node | None) -> Iterable[Node]:
        if obj is not None:
            if not self._above.has_pair(predicate, obj):
                return self._below.subjects(predicate, obj)
            if not self._below.has_pair(predicate, obj):
                return self._above.subjects(predicate, obj)
        return _merged(self._below.subjects(predicate, obj), self._above.subjects(predicate, obj))

    def predicate_objects(self, subject: Node) -> Iterable[tuple[Node, Node]]:
        if not self._above.has_subject(subject):
            return self._below.predicate_objects(subject)
        if not self._below.has_subject(subject):
            return self._above.predicate_objects(subject)
        return _merged(self._below.predicate_objects(subject), self._above.predicate_objects(subject))

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        yield from self._below.triples(pattern)
        for triple in self._above.triples(pattern):
            if triple not in self._below:
                yield triple


def _merged(first: Iterable[Any], second: Iterable[Any]) -> dict[Any, None]:
    return dict.fromkeys([*first, *second])


class IndexStore(Store):
    """A read-only rdflib store over :class:`Triples`: what rdflib's SPARQL engine and Graph readers need."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, triples: Triples) -> None:
        super().__init__()
        self._triples = triples

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Triple, Iterator[Any]]]:
        for triple in self._triples.triples(triple_pattern):
            yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        return len(self._triples)

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        raise TypeError("this graph is a read-only view of vetgraph's index")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("this graph is a read-only view of vetgraph's index")
