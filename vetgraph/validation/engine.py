"""A small, fast evaluator for most of SHACL Core, and an honest refusal for the rest.

Why it exists: ``vetgraph validate`` has to answer a committee secretary in a
fraction of a second, and importing pySHACL alone takes about 0.2 s on a 2-core
machine. This module evaluates shapes directly on an rdflib graph. It is
compiled once from the shapes graph, and compilation raises :class:`Unsupported`
for anything it does not implement exactly; :mod:`vetgraph.validation` then uses
pySHACL instead, so a shapes graph is always checked by an engine that covers it.
``tests/validation/test_shacl_w3c.py`` runs the W3C SHACL Core test suite through both paths.

Implemented: targets (class, implicit class, subjects-of, objects-of, node); all
SHACL paths (predicate, sequence, alternative, inverse, zero-or-more,
one-or-more, zero-or-one); sh:class, datatype, nodeKind, in, hasValue, minCount,
maxCount, minLength, maxLength, languageIn, uniqueLang, pattern (flags i, s, m,
x, q), qualifiedValueShape with qualifiedMinCount, qualifiedMaxCount and
qualifiedValueShapesDisjoint, equals, disjoint, closed (on node shapes) with
ignoredProperties, and, or, xone, not, node, property; severity, message and
deactivated; and SPARQL-based constraints (sh:sparql, :mod:`.sparql_constraints`).

lessThan and lessThanOrEquals compare as SPARQL's ``<`` and ``<=`` do (values.less).

Falls back to pySHACL (raises :class:`Unsupported`): value-range constraints
(minInclusive, maxExclusive …), sh:closed on a property shape, recursive
shapes (SHACL leaves their meaning open), SPARQL constraints that rdflib's
initial bindings do not pre-bind exactly (UNION, nested SELECT) or that use
?failure, SHACL-AF and
custom constraint components (rules, custom targets), regular expressions
Python's ``re`` reads differently from XPath, any other ``sh:`` parameter, and
shapes that are not well formed (e.g. an unknown sh:nodeKind).

An error (VetgraphError): SPARQL constraints with MINUS, VALUES, SERVICE or a
BIND to $this, for which SHACL leaves pre-binding undefined.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph.rdf.index import TripleIndex, Triples, superclasses
from vetgraph.validation.sparql_constraints import SparqlConstraint, SparqlRunner, compile_constraint, filled
from vetgraph.validation.values import (
    NODE_KINDS,
    Check,
    Failure,
    PathExpr,
    Unsupported,
    each,
    has_datatype,
    has_node_kind,
    instances,
    invert,
    is_in,
    is_instance,
    language_in,
    length_is,
    matches,
    out_of_order,
    path_values,
    xpath_regex,
)

__all__ = ["Result", "ShapesEvaluator", "Unsupported"]


@dataclass(frozen=True)
class Result:
    """One validation result, with the same fields pySHACL reports."""

    focus: Node
    path: Node | None  # the sh:path node of the shapes graph (IRI, or the blank node of a complex path)
    value: Node | None
    source_shape: Node
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]


# The SHACL Core parameters this module evaluates, and the sh: terms that only
# describe a shape. Any other sh: predicate on a shape makes it Unsupported;
# predicates of other vocabularies (labels, comments, subclassing) are ignored.
_HANDLED = {
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, SH.minCount, SH.maxCount,
    SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang, SH.pattern, SH.flags,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
    SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.closed, SH.ignoredProperties, SH["and"], SH["or"], SH.xone, SH["not"],
    SH.node, SH.property, SH.path, SH.severity, SH.message, SH.deactivated,
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode,
    SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    SH.sparql, SH.select, SH.prefixes,  # a shape may be its own SPARQL constraint (W3C sparql/node/sparql-002)
}  # fmt: skip
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_PATH_KINDS = {
    SH.inversePath: "inverse",
    SH.alternativePath: "alternative",
    SH.zeroOrMorePath: "zero-or-more",
    SH.oneOrMorePath: "one-or-more",
    SH.zeroOrOnePath: "zero-or-one",
}
_REGEX_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}


@dataclass
class _Shape:
    node: Node
    path: PathExpr | None
    path_node: Node | None
    severity: URIRef
    messages: tuple[Literal, ...]
    deactivated: bool = False
    checks: list[Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    closed: frozenset[URIRef] | None = None
    sparql: list[SparqlConstraint] = field(default_factory=list)


class ShapesEvaluator:
    """The shapes of one shapes graph, compiled; ``validate(data)`` returns pySHACL-equivalent results."""

    def __init__(self, shapes: Graph) -> None:
        self._graph = shapes
        self._compiled: dict[Node, _Shape] = {}
        self._compiling: list[Node] = []
        self._sparql_runner = SparqlRunner(shapes)
        # A component typed with sh:ConstraintComponent or any subclass of it (W3C validator-001: a subclass
        # was overlooked, the component ignored, and the data "conformed"): pySHACL's to run.
        components = set(shapes.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent))
        if any(next(shapes.subjects(RDF.type, kind), None) is not None for kind in components):
            raise Unsupported("custom constraint components (SHACL-SPARQL)")
        self._targets: list[tuple[_Shape, list[tuple[URIRef, Node]]]] = []
        for shape in sorted(set(self._shapes_with_targets()), key=str):
            compiled = self._compile(shape)
            if compiled.deactivated:
                continue
            targets = [(kind, target) for kind in _TARGETS for target in shapes.objects(shape, kind)]
            if self._is_class(shape):
                targets.append((SH.targetClass, shape))  # an implicit class target
            self._targets.append((compiled, targets))

    # ------------------------------------------------------------ validation

    def validate(self, data: Graph | Triples) -> list[Result]:
        """The results of validating ``data``: an rdflib Graph, or (faster, see :mod:`.index`) Triples."""
        if isinstance(data, Graph):
            data = TripleIndex(data)
        data.conformance = {}  # this evaluator's shapes (by id) and nodes: answers of conforms()
        results: list[Result] = []
        for shape, targets in self._targets:
            focus_nodes: set[Node] = set()
            for kind, target in targets:
                if kind == SH.targetClass:
                    focus_nodes.update(instances(data, target))
                elif kind == SH.targetSubjectsOf:
                    focus_nodes.update(data.subjects(target, None))
                elif kind == SH.targetObjectsOf:
                    focus_nodes.update(data.objects(None, target))
                else:
                    focus_nodes.add(target)
            for focus in sorted(focus_nodes, key=str):
                results.extend(self._evaluate(shape, data, focus))
        return results

    def _evaluate(self, shape: _Shape, data: Triples, focus: Node) -> Iterator[Result]:
        if shape.deactivated:
            return
        values = [focus] if shape.path is None else path_values(data, focus, shape.path)
        for check in shape.checks:
            for component, value in check(data, focus, values):
                yield Result(focus, shape.path_node, value, shape.node, component, shape.severity, shape.messages)
        if shape.closed is not None:
            unexpected = [(p, v) for p, v in data.predicate_objects(focus) if p not in shape.closed]
            for predicate, value in sorted(unexpected, key=str):
                yield Result(
                    focus, predicate, value, shape.node, SH.ClosedConstraintComponent, shape.severity, shape.messages
                )
        for constraint in shape.sparql:
            yield from self._sparql_results(shape, constraint, data, focus)
        for prop in shape.properties:
            for value in values:
                yield from self._evaluate(prop, data, value)

    def _sparql_results(
        self, shape: _Shape, constraint: SparqlConstraint, data: Triples, focus: Node
    ) -> Iterator[Result]:
        for solution in self._sparql_runner.solutions(constraint, data, focus, shape.node):
            path = solution.get("path") if shape.path_node is None else shape.path_node
            messages = tuple(filled(message, solution) for message in constraint.messages or shape.messages)
            yield Result(
                focus, path if isinstance(path, URIRef) or shape.path_node is not None else None,
                solution.get("value", focus), shape.node, SH.SPARQLConstraintComponent, shape.severity, messages,
            )  # fmt: skip

    def conforms(self, shape: _Shape, data: Triples, focus: Node) -> bool:
        # The same reference node (a delstrategi, an SDG target) is checked against the same shape for every goal
        # that links to it; the data does not change during a validation, so the answer does not either.
        key = (id(shape), focus)
        known = data.conformance.get(key)
        if known is None:
            known = data.conformance[key] = next(self._evaluate(shape, data, focus), None) is None
        return known

    # ------------------------------------------------------------ compilation

    def _shapes_with_targets(self) -> Iterable[Node]:
        g = self._graph
        for kind in _TARGETS:
            yield from g.subjects(kind, None)
        for kind in (SH.NodeShape, SH.PropertyShape):
            yield from (s for s in g.subjects(RDF.type, kind) if self._is_class(s))
        for cls in (RDFS.Class, OWL.Class):  # a class with shape parameters is a shape of its instances
            for s in g.subjects(RDF.type, cls):
                if any(p in _HANDLED and p not in _TARGETS for p in g.predicates(s, None)):
                    yield s

    def _is_class(self, node: Node) -> bool:
        """Whether ``node`` is a SHACL instance of rdfs:Class (or owl:Class) in the shapes graph."""
        g = self._graph
        for cls in g.objects(node, RDF.type):
            if RDFS.Class in superclasses(g, cls) or OWL.Class in superclasses(g, cls):
                return True
        return False

    def _compile(self, node: Node) -> _Shape:
        if node in self._compiled:
            return self._compiled[node]
        if node in self._compiling:
            raise Unsupported(f"{node}: a recursive shape")
        g = self._graph
        for predicate in set(g.predicates(node, None)):
            if str(predicate).startswith(str(SH)) and predicate not in _HANDLED:
                raise Unsupported(f"{node}: {predicate}")
        path_node = g.value(node, SH.path)
        severity = g.value(node, SH.severity, default=SH.Violation)
        if not isinstance(severity, URIRef):
            raise Unsupported(f"{node}: a severity that is not an IRI")
        shape = _Shape(
            node=node,
            path=self._path(path_node) if path_node is not None else None,
            path_node=path_node,
            severity=severity,
            messages=tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
            deactivated=self._bool(node, SH.deactivated),
        )
        if shape.deactivated:  # every node conforms to a deactivated shape
            self._compiled[node] = shape
            return shape
        self._compiling.append(node)
        try:
            shape.checks = list(self._checks(node))
            shape.sparql = [
                compile_constraint(g, c, path_node, _HANDLED)
                for c in g.objects(node, SH.sparql)
                if not self._bool(c, SH.deactivated)
            ]
            shape.properties = [self._compile(prop) for prop in g.objects(node, SH.property)]
        finally:
            self._compiling.pop()
        if self._bool(node, SH.closed):
            if path_node is not None:
                raise Unsupported(f"{node}: sh:closed on a property shape")
            allowed = {g.value(p, SH.path) for p in g.objects(node, SH.property)}
            allowed.update(self._list(g.value(node, SH.ignoredProperties)))
            shape.closed = frozenset(p for p in allowed if isinstance(p, URIRef))
        self._compiled[node] = shape
        return shape

    def _path(self, node: Node) -> PathExpr:
        g = self._graph
        if isinstance(node, URIRef):
            return node
        if isinstance(node, BNode):
            if g.value(node, RDF.first) is not None:
                steps = self._list(node)
                if len(steps) < 2:
                    raise Unsupported(f"path {node}: a sequence of fewer than two steps")
                return ("sequence", tuple(self._path(step) for step in steps))
            kinds = [(kind, value) for kind, value in g.predicate_objects(node) if isinstance(kind, URIRef)]
            if len(kinds) == 1 and kinds[0][0] in _PATH_KINDS:
                kind, value = kinds[0]
                if kind == SH.alternativePath:
                    options = self._list(value)
                    if len(options) < 2:
                        raise Unsupported(f"path {node}: an alternative of fewer than two paths")
                    return ("alternative", tuple(self._path(option) for option in options))
                if kind == SH.inversePath:
                    return invert(self._path(value))
                return (_PATH_KINDS[kind], (self._path(value),))
        raise Unsupported(f"path {node}: not a well-formed SHACL path")

    def _list(self, node: Node | None) -> list[Node]:
        return [] if node is None else list(Collection(self._graph, node))

    def _bool(self, node: Node, predicate: URIRef) -> bool:
        # The spec names the literal true; "1"^^xsd:boolean does not switch a constraint on (W3C uniqueLang-002).
        value = self._graph.value(node, predicate)
        return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"

    def _int(self, node: Node, predicate: URIRef) -> int | None:
        value = self._graph.value(node, predicate)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise Unsupported(f"{node}: {predicate} is not an integer")
        return int(value.toPython())

    def _checks(self, node: Node) -> Iterator[Check]:
        """The constraints of ``node`` as functions (data, focus, value nodes) -> (component, value) failures."""
        g = self._graph
        for cls in g.objects(node, SH["class"]):
            yield each(SH.ClassConstraintComponent, partial(is_instance, cls=cls))
        for datatype in g.objects(node, SH.datatype):
            yield each(SH.DatatypeConstraintComponent, partial(has_datatype, datatype=datatype))
        for kind in g.objects(node, SH.nodeKind):
            if kind not in NODE_KINDS:
                raise Unsupported(f"{node}: unknown sh:nodeKind {kind}")
            yield each(SH.NodeKindConstraintComponent, partial(has_node_kind, kind=kind))
        for members in g.objects(node, SH["in"]):
            yield each(SH.InConstraintComponent, partial(is_in, allowed=frozenset(self._list(members))))
        for ranges in g.objects(node, SH.languageIn):
            tags = tuple(str(t).lower() for t in self._list(ranges))
            yield each(SH.LanguageInConstraintComponent, partial(language_in, ranges=tags))
        for parameter, component, compare in (
            (SH.minLength, SH.MinLengthConstraintComponent, int.__ge__),
            (SH.maxLength, SH.MaxLengthConstraintComponent, int.__le__),
        ):
            length = self._int(node, parameter)
            if length is not None:
                yield each(component, partial(length_is, length=length, compare=compare))
        for pattern in g.objects(node, SH.pattern):
            yield each(SH.PatternConstraintComponent, partial(matches, regex=self._regex(node, pattern)))
        for inner in g.objects(node, SH["not"]):
            yield each(SH.NotConstraintComponent, partial(self._conforms_to_none, [self._compile(inner)]))
        for inner in g.objects(node, SH.node):
            yield each(SH.NodeConstraintComponent, partial(self._conforms_to_all, [self._compile(inner)]))
        for members in g.objects(node, SH["or"]):
            options = [self._compile(m) for m in self._list(members)]
            yield each(SH.OrConstraintComponent, partial(self._conforms_to_any, options))
        for members in g.objects(node, SH["and"]):
            parts = [self._compile(m) for m in self._list(members)]
            yield each(SH.AndConstraintComponent, partial(self._conforms_to_all, parts))
        for members in g.objects(node, SH.xone):
            options = [self._compile(m) for m in self._list(members)]
            yield each(SH.XoneConstraintComponent, partial(self._conforms_to_exactly_one, options))
        yield self._value_set_check(node)

    def _regex(self, node: Node, pattern: Node) -> re.Pattern[str]:
        flags_text = str(self._graph.value(node, SH.flags, default=Literal("")))
        if any(flag not in "ismxq" for flag in flags_text):
            raise Unsupported(f"{node}: sh:flags '{flags_text}'")
        text = re.escape(str(pattern)) if "q" in flags_text else xpath_regex(str(pattern), flags_text)
        flags = 0
        for flag in flags_text.replace("q", ""):
            flags |= _REGEX_FLAGS[flag]
        try:
            return re.compile(text, flags)
        except re.error as error:
            raise Unsupported(f"{node}: sh:pattern {pattern}: {error}") from None

    def _conforms_to_any(self, shapes: list[_Shape], data: Triples, value: Node) -> bool:
        return any(self.conforms(shape, data, value) for shape in shapes)

    def _conforms_to_all(self, shapes: list[_Shape], data: Triples, value: Node) -> bool:
        return all(self.conforms(shape, data, value) for shape in shapes)

    def _conforms_to_none(self, shapes: list[_Shape], data: Triples, value: Node) -> bool:
        return not self._conforms_to_any(shapes, data, value)

    def _conforms_to_exactly_one(self, shapes: list[_Shape], data: Triples, value: Node) -> bool:
        return sum(1 for shape in shapes if self.conforms(shape, data, value)) == 1

    def _siblings(self, node: Node) -> list[_Shape]:
        """The qualified value shapes of the other property shapes of ``node``'s parent shapes."""
        g = self._graph
        siblings = []
        for parent in g.subjects(SH.property, node):
            for other in g.objects(parent, SH.property):
                inner = g.value(other, SH.qualifiedValueShape) if other != node else None
                if inner is not None:
                    siblings.append(self._compile(inner))
        return siblings

    def _value_set_check(self, node: Node) -> Check:
        """Constraints on the value nodes as a whole: counts, hasValue, uniqueLang, qualified shapes, pairs."""
        g = self._graph
        minimum, maximum = self._int(node, SH.minCount), self._int(node, SH.maxCount)
        qualified = g.value(node, SH.qualifiedValueShape)
        inner = self._compile(qualified) if qualified is not None else None
        siblings = (
            self._siblings(node) if inner is not None and self._bool(node, SH.qualifiedValueShapesDisjoint) else []
        )
        q_min, q_max = self._int(node, SH.qualifiedMinCount), self._int(node, SH.qualifiedMaxCount)
        has_values = list(g.objects(node, SH.hasValue))
        unique_lang = self._bool(node, SH.uniqueLang)
        equals, disjoint = list(g.objects(node, SH.equals)), list(g.objects(node, SH.disjoint))
        ordered = [(p, SH.LessThanConstraintComponent, False) for p in g.objects(node, SH.lessThan)]
        ordered += [(p, SH.LessThanOrEqualsConstraintComponent, True) for p in g.objects(node, SH.lessThanOrEquals)]
        if ordered and g.value(node, SH.path) is None:
            raise Unsupported(f"{node}: sh:lessThan on a node shape")

        def check(data: Triples, focus: Node, values: list[Node]) -> Iterator[Failure]:
            if minimum is not None and len(values) < minimum:
                yield SH.MinCountConstraintComponent, None
            if maximum is not None and len(values) > maximum:
                yield SH.MaxCountConstraintComponent, None
            present = set(values)
            for value in has_values:
                if value not in present:
                    yield SH.HasValueConstraintComponent, None
            if unique_lang:
                languages = Counter(v.language.lower() for v in values if isinstance(v, Literal) and v.language)
                for _duplicate in [lang for lang, n in languages.items() if n > 1]:
                    yield SH.UniqueLangConstraintComponent, None
            if inner is not None:
                count = sum(
                    1
                    for v in values
                    if self.conforms(inner, data, v) and not any(self.conforms(s, data, v) for s in siblings)
                )
                if q_min is not None and count < q_min:
                    yield SH.QualifiedMinCountConstraintComponent, None
                if q_max is not None and count > q_max:
                    yield SH.QualifiedMaxCountConstraintComponent, None
            for predicate in equals:
                theirs = set(data.objects(focus, predicate))
                for value in sorted(present ^ theirs, key=str):
                    yield SH.EqualsConstraintComponent, value
            for predicate in disjoint:
                theirs = set(data.objects(focus, predicate))
                for value in sorted(present & theirs, key=str):
                    yield SH.DisjointConstraintComponent, value
            for predicate, component, or_equal in ordered:
                bounds = list(data.objects(focus, predicate))
                for value, _bound in out_of_order(values, bounds, or_equal=or_equal):
                    yield component, value

        return check
