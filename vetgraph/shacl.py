"""A small, fast evaluator for the part of SHACL Core that vetgraph's shapes use.

Why it exists: ``vetgraph validate`` has to answer a committee secretary in a
fraction of a second, and importing pySHACL alone takes about 0.2 s on a 2-core
machine. This module evaluates the shapes directly on an rdflib graph. It is
compiled once from the shapes graph; anything it does not implement (SPARQL
constraints, complex paths, other constraint components) makes compilation raise
:class:`Unsupported`, and :mod:`vetgraph.validation` then uses pySHACL instead.
``tests/test_shacl_engine.py`` checks that both engines give the same results on
every sample, every invalid example and every required-link removal.

Supported: targets (class, subjects-of, objects-of, node); IRI and sequence paths;
sh:class, datatype, nodeKind, in, hasValue, minCount, maxCount, languageIn,
uniqueLang, pattern (with flags), qualifiedValueShape with qualifiedMinCount or
qualifiedMaxCount, equals, disjoint, closed (with ignoredProperties), and, or, not,
node, property; severity, message and deactivated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

Path = URIRef | tuple[URIRef, ...]


class Unsupported(Exception):
    """The shapes use a SHACL feature this evaluator does not implement."""


@dataclass(frozen=True)
class Result:
    """One validation result, with the same fields pySHACL reports."""

    focus: Node
    path: Node | None  # the sh:path node of the shapes graph (IRI or list head)
    value: Node | None
    source_shape: Node
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]


# Constraint parameters each handled below; anything else on a shape is unsupported.
_HANDLED = {
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, SH.minCount, SH.maxCount,
    SH.languageIn, SH.uniqueLang, SH.pattern, SH.flags, SH.qualifiedValueShape,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
    SH.equals, SH.disjoint, SH.closed, SH.ignoredProperties, SH["and"], SH["or"], SH["not"],
    SH.node, SH.property, SH.path, SH.severity, SH.message, SH.deactivated,
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode,
    SH.name, SH.description, SH.order, SH.group, RDF.type, RDFS.label, RDFS.comment,
}  # fmt: skip


@dataclass
class _Shape:
    node: Node
    path: Path | None
    path_node: Node | None
    severity: URIRef
    messages: tuple[Literal, ...]
    checks: list[Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    closed: frozenset[URIRef] | None = None


class ShapesEvaluator:
    """The shapes of one shapes graph, compiled; ``validate(data)`` returns pySHACL-equivalent results."""

    def __init__(self, shapes: Graph) -> None:
        self._graph = shapes
        self._compiled: dict[Node, _Shape] = {}
        self._targets: list[tuple[_Shape, list[tuple[URIRef, Node]]]] = []
        for shape in sorted(set(self._shapes_with_targets()), key=str):
            if self._bool(shape, SH.deactivated):
                continue
            targets = [
                (kind, target)
                for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
                for target in shapes.objects(shape, kind)
            ]
            self._targets.append((self._compile(shape), targets))

    # ------------------------------------------------------------ validation

    def validate(self, data: Graph) -> list[Result]:
        results: list[Result] = []
        for shape, targets in self._targets:
            focus_nodes: set[Node] = set()
            for kind, target in targets:
                if kind == SH.targetClass:
                    focus_nodes.update(_instances(data, target))
                elif kind == SH.targetSubjectsOf:
                    focus_nodes.update(data.subjects(target, None))
                elif kind == SH.targetObjectsOf:
                    focus_nodes.update(data.objects(None, target))
                else:
                    focus_nodes.add(target)
            for focus in sorted(focus_nodes, key=str):
                results.extend(self._evaluate(shape, data, focus))
        return results

    def _evaluate(self, shape: _Shape, data: Graph, focus: Node) -> Iterator[Result]:
        values = [focus] if shape.path is None else _values(data, focus, shape.path)
        for check in shape.checks:
            for component, value in check(data, focus, values):
                yield Result(focus, shape.path_node, value, shape.node, component, shape.severity, shape.messages)
        if shape.closed is not None:
            for predicate, value in sorted(data.predicate_objects(focus), key=str):
                if predicate not in shape.closed:
                    yield Result(
                        focus,
                        predicate,
                        value,
                        shape.node,
                        SH.ClosedConstraintComponent,
                        shape.severity,
                        shape.messages,
                    )
        for prop in shape.properties:
            for value in values:
                yield from self._evaluate(prop, data, value)

    def conforms(self, shape: _Shape, data: Graph, focus: Node) -> bool:
        return next(self._evaluate(shape, data, focus), None) is None

    # ------------------------------------------------------------ compilation

    def _shapes_with_targets(self) -> Iterable[Node]:
        for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            yield from self._graph.subjects(kind, None)

    def _compile(self, node: Node) -> _Shape:
        if node in self._compiled:
            return self._compiled[node]
        g = self._graph
        for predicate in set(g.predicates(node, None)):
            if predicate not in _HANDLED:
                raise Unsupported(f"{node}: {predicate}")
        path_node = g.value(node, SH.path)
        severity = g.value(node, SH.severity, default=SH.Violation)
        shape = _Shape(
            node=node,
            path=self._path(path_node) if path_node is not None else None,
            path_node=path_node,
            severity=severity,  # type: ignore[arg-type]
            messages=tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
        )
        self._compiled[node] = shape  # before compiling children: shapes may refer to each other
        shape.checks = list(self._checks(node))
        for prop in g.objects(node, SH.property):
            if not self._bool(prop, SH.deactivated):
                shape.properties.append(self._compile(prop))
        if self._bool(node, SH.closed):
            allowed = {g.value(p, SH.path) for p in g.objects(node, SH.property)}
            allowed.update(self._list(g.value(node, SH.ignoredProperties)))
            shape.closed = frozenset(p for p in allowed if isinstance(p, URIRef))
        return shape

    def _path(self, node: Node) -> Path:
        if isinstance(node, URIRef):
            return node
        steps = self._list(node)
        if steps and all(isinstance(step, URIRef) for step in steps):
            return tuple(steps)  # type: ignore[arg-type]
        raise Unsupported(f"path {node}")

    def _list(self, node: Node | None) -> list[Node]:
        return [] if node is None else list(Collection(self._graph, node))

    def _bool(self, node: Node, predicate: URIRef) -> bool:
        value = self._graph.value(node, predicate)
        return isinstance(value, Literal) and value.toPython() is True

    def _int(self, node: Node, predicate: URIRef) -> int | None:
        value = self._graph.value(node, predicate)
        return int(value) if isinstance(value, Literal) else None

    def _checks(self, node: Node) -> Iterator[Check]:
        """The constraints of ``node`` as functions (data, focus, value nodes) -> (component, value) failures."""
        g = self._graph
        for cls in g.objects(node, SH["class"]):
            yield _each(SH.ClassConstraintComponent, partial(_is_instance, cls=cls))
        for datatype in g.objects(node, SH.datatype):
            yield _each(SH.DatatypeConstraintComponent, partial(_has_datatype, datatype=datatype))
        for kind in g.objects(node, SH.nodeKind):
            yield _each(SH.NodeKindConstraintComponent, partial(_has_node_kind, kind=kind))
        for members in g.objects(node, SH["in"]):
            yield _each(SH.InConstraintComponent, partial(_is_in, allowed=frozenset(self._list(members))))
        for ranges in g.objects(node, SH.languageIn):
            tags = tuple(str(t).lower() for t in self._list(ranges))
            yield _each(SH.LanguageInConstraintComponent, partial(_language_in, ranges=tags))
        for pattern in g.objects(node, SH.pattern):
            flags = re.IGNORECASE if "i" in str(g.value(node, SH.flags, default=Literal(""))) else 0
            yield _each(SH.PatternConstraintComponent, partial(_matches, regex=re.compile(str(pattern), flags)))
        for inner in g.objects(node, SH["not"]):
            yield _each(SH.NotConstraintComponent, partial(self._conforms_to_none, [self._compile(inner)]))
        for inner in g.objects(node, SH.node):
            yield _each(SH.NodeConstraintComponent, partial(self._conforms_to_all, [self._compile(inner)]))
        for members in g.objects(node, SH["or"]):
            options = [self._compile(m) for m in self._list(members)]
            yield _each(SH.OrConstraintComponent, partial(self._conforms_to_any, options))
        for members in g.objects(node, SH["and"]):
            parts = [self._compile(m) for m in self._list(members)]
            yield _each(SH.AndConstraintComponent, partial(self._conforms_to_all, parts))
        yield self._value_set_check(node)

    def _conforms_to_any(self, shapes: list[_Shape], data: Graph, value: Node) -> bool:
        return any(self.conforms(shape, data, value) for shape in shapes)

    def _conforms_to_all(self, shapes: list[_Shape], data: Graph, value: Node) -> bool:
        return all(self.conforms(shape, data, value) for shape in shapes)

    def _conforms_to_none(self, shapes: list[_Shape], data: Graph, value: Node) -> bool:
        return not self._conforms_to_any(shapes, data, value)

    def _value_set_check(self, node: Node) -> Check:
        """Constraints on the value nodes as a whole: counts, hasValue, uniqueLang, qualified shapes, pairs."""
        g = self._graph
        minimum, maximum = self._int(node, SH.minCount), self._int(node, SH.maxCount)
        qualified = g.value(node, SH.qualifiedValueShape)
        inner = self._compile(qualified) if qualified is not None else None
        q_min, q_max = self._int(node, SH.qualifiedMinCount), self._int(node, SH.qualifiedMaxCount)
        has_values = list(g.objects(node, SH.hasValue))
        unique_lang = self._bool(node, SH.uniqueLang)
        equals, disjoint = list(g.objects(node, SH.equals)), list(g.objects(node, SH.disjoint))

        def check(data: Graph, focus: Node, values: list[Node]) -> Iterator[Failure]:
            if minimum is not None and len(values) < minimum:
                yield SH.MinCountConstraintComponent, None
            if maximum is not None and len(values) > maximum:
                yield SH.MaxCountConstraintComponent, None
            for value in has_values:
                if value not in values:
                    yield SH.HasValueConstraintComponent, None
            if unique_lang:
                languages = Counter(v.language.lower() for v in values if isinstance(v, Literal) and v.language)
                for _duplicate in [lang for lang, n in languages.items() if n > 1]:
                    yield SH.UniqueLangConstraintComponent, None
            if inner is not None:
                count = sum(1 for v in values if self.conforms(inner, data, v))
                if q_min is not None and count < q_min:
                    yield SH.QualifiedMinCountConstraintComponent, None
                if q_max is not None and count > q_max:
                    yield SH.QualifiedMaxCountConstraintComponent, None
            for predicate in equals:
                theirs = set(data.objects(focus, predicate))
                for value in sorted(set(values) ^ theirs, key=str):
                    yield SH.EqualsConstraintComponent, value
            for predicate in disjoint:
                theirs = set(data.objects(focus, predicate))
                for value in sorted(set(values) & theirs, key=str):
                    yield SH.DisjointConstraintComponent, value

        return check


Failure = tuple[URIRef, Node | None]
Check = Callable[[Graph, Node, list[Node]], Iterator[Failure]]


def _each(component: URIRef, ok: Callable[[Graph, Node], bool]) -> Check:
    """A constraint that each value node must meet on its own."""

    def check(data: Graph, focus: Node, values: list[Node]) -> Iterator[Failure]:
        for value in values:
            if not ok(data, value):
                yield component, value

    return check


def _values(data: Graph, focus: Node, path: Path) -> list[Node]:
    if isinstance(path, URIRef):
        return list(data.objects(focus, path))
    nodes: set[Node] = {focus}
    for step in path:
        nodes = {o for n in nodes for o in data.objects(n, step)}
    return list(nodes)


def _superclasses(data: Graph, cls: Node) -> set[Node]:
    seen = {cls}
    stack = [cls]
    while stack:
        for parent in data.objects(stack.pop(), RDFS.subClassOf):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def _is_instance(data: Graph, node: Node, *, cls: Node) -> bool:
    if isinstance(node, Literal):
        return False
    return any(cls in _superclasses(data, t) for t in data.objects(node, RDF.type))


def _instances(data: Graph, cls: Node) -> set[Node]:
    classes = {cls}
    stack = [cls]
    while stack:
        for child in data.subjects(RDFS.subClassOf, stack.pop()):
            if child not in classes:
                classes.add(child)
                stack.append(child)
    return {s for c in classes for s in data.subjects(RDF.type, c)}


def _has_datatype(data: Graph, node: Node, *, datatype: Node) -> bool:
    if not isinstance(node, Literal):
        return False
    if datatype == RDF.langString:
        return bool(node.language)
    if node.language:
        return False
    actual = node.datatype or XSD.string
    return actual == datatype and node.ill_typed is not True


def _language_in(data: Graph, node: Node, *, ranges: tuple[str, ...]) -> bool:
    if not isinstance(node, Literal) or not node.language:
        return False
    tag = node.language.lower()
    return any(r == "*" or tag == r or tag.startswith(r + "-") for r in ranges)


def _is_in(data: Graph, node: Node, *, allowed: frozenset[Node]) -> bool:
    return node in allowed


def _matches(data: Graph, node: Node, *, regex: re.Pattern[str]) -> bool:
    return not isinstance(node, BNode) and regex.search(str(node)) is not None


def _has_node_kind(data: Graph, node: Node, *, kind: Node) -> bool:
    return _NODE_KINDS[kind](node)


_NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, URIRef | BNode),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, BNode | Literal),
    SH.IRIOrLiteral: lambda v: isinstance(v, URIRef | Literal),
}
