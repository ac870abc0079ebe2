"""SHACL-SPARQL's SPARQL-based constraints (``sh:sparql``) for vetgraph's evaluator, run by rdflib's SPARQL engine.

A constraint is compiled once from the shapes graph (its ``sh:select``, the
prefixes its ``sh:prefixes`` declare, ``$PATH`` replaced by the property shape's
path) and prepared on first use. Each focus node runs the query with ``$this``,
``$currentShape`` and, where the query names it, ``$shapesGraph`` pre-bound; each
solution is a result, its ``{?var}`` message variables filled in.

SHACL leaves pre-binding undefined for MINUS, VALUES, SERVICE and a BIND to
$this: such a constraint is an error (the W3C suite expects a failure). Where
rdflib's initial bindings are not SHACL's pre-binding (a FILTER-only branch of a
UNION, a nested SELECT) or the query reports ``?failure``, the constraint is
Unsupported and pySHACL runs the shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import OWL, RDF, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.validation.values import Unsupported

# What a SPARQL-based constraint may say about itself; anything else (sh:ask, a validator's terms) is Unsupported.
HANDLED = {SH.select, SH.prefixes, SH.message, SH.deactivated, RDF.type}
_UNDEFINED = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\bAS\s+[$?]this\b", re.I)
_FALLBACK = re.compile(r"\bUNION\b|\bSELECT\b[\s\S]*\bSELECT\b|[$?]failure\b", re.I)
# $shapesGraph names the shapes graph; queries that use it run on a dataset holding it under this name.
SHAPES_GRAPH_NAME = URIRef("urn:x-vetgraph:shapes-graph")
_MESSAGE_VARIABLE = re.compile(r"\{[$?]([A-Za-z_][A-Za-z_0-9]*)\}")
_PATH_SUFFIXES: dict[Node, str] = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


@dataclass
class SparqlConstraint:
    node: Node
    text: str  # the SELECT query, with $PATH replaced and sh:prefixes declared
    messages: tuple[Literal, ...]
    needs_shapes_graph: bool = False
    _query: Query | None = None

    def query(self) -> Query:
        # Prepared on first use: parsing a query takes rdflib tens of milliseconds.
        if self._query is None:
            from rdflib.plugins.sparql import prepareQuery

            try:
                self._query = prepareQuery(self.text)
            except Exception as error:  # pyparsing's and rdflib's errors have no common base
                raise VetgraphError(
                    f"a SPARQL constraint of the shapes ({self.node}) cannot be read: {error}"
                ) from None
        return self._query


def compile_constraint(shapes: Graph, node: Node, path_node: Node | None, shape_terms: set[URIRef]) -> SparqlConstraint:
    """The constraint ``node`` (of a shape with ``path_node``, or None); ``shape_terms`` may be on it too."""
    for predicate in set(shapes.predicates(node, None)):
        if predicate not in HANDLED | shape_terms and str(predicate).startswith(str(SH)):
            raise Unsupported(f"{node}: {predicate} on a SPARQL constraint")
    selects = list(shapes.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        raise Unsupported(f"{node}: a SPARQL constraint needs exactly one sh:select")
    text = str(selects[0])
    undefined = _UNDEFINED.search(text)
    if undefined:
        raise VetgraphError(
            f"a SPARQL constraint of the shapes ({node}) uses {undefined.group(0)}, "
            "for which SHACL leaves pre-binding undefined"
        )
    if _FALLBACK.search(text):
        raise Unsupported(f"{node}: a SPARQL constraint this module does not pre-bind exactly")
    if "$PATH" in text:
        if path_node is None:
            raise Unsupported(f"{node}: $PATH in a node shape's constraint")
        text = text.replace("$PATH", sparql_path(shapes, path_node))
    declarations = set()
    for declaration in _prefix_declarations(shapes, node):
        prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if prefix is None or namespace is None:
            raise Unsupported(f"{node}: a prefix declaration without sh:prefix or sh:namespace")
        declarations.add(f"PREFIX {prefix}: <{namespace}>\n")
    messages = tuple(m for m in shapes.objects(node, SH.message) if isinstance(m, Literal))
    uses_shapes_graph = re.search(r"[$?]shapesGraph\b", text) is not None
    return SparqlConstraint(node, "".join(sorted(declarations)) + text, messages, uses_shapes_graph)


def _prefix_declarations(shapes: Graph, node: Node) -> Iterator[Node]:
    """The sh:declare values of ``node``'s sh:prefixes, and of the ontologies those import (owl:imports)."""
    seen: set[Node] = set()
    todo = list(shapes.objects(node, SH.prefixes))
    while todo:
        source = todo.pop()
        if source not in seen:
            seen.add(source)
            yield from shapes.objects(source, SH.declare)
            todo.extend(shapes.objects(source, OWL.imports))


def sparql_path(shapes: Graph, node: Node) -> str:
    """A SHACL path in SPARQL's property-path syntax."""
    if isinstance(node, URIRef):
        return node.n3()
    if shapes.value(node, RDF.first) is not None:
        return "(" + "/".join(sparql_path(shapes, step) for step in Collection(shapes, node)) + ")"
    for kind, value in shapes.predicate_objects(node):
        if kind == SH.inversePath:
            return "^" + sparql_path(shapes, value)
        if kind == SH.alternativePath:
            return "(" + "|".join(sparql_path(shapes, option) for option in Collection(shapes, value)) + ")"
        suffix = _PATH_SUFFIXES.get(kind)
        if suffix is not None:
            return "(" + sparql_path(shapes, value) + ")" + suffix
    raise Unsupported(f"path {node}: not a well-formed SHACL path")


class SparqlRunner:
    """Runs compiled constraints on a data graph; keeps the dataset for $shapesGraph while the data stays the same."""

    def __init__(self, shapes: Graph) -> None:
        self._shapes = shapes
        self._dataset: tuple[Graph, Dataset] | None = None

    def solutions(
        self, constraint: SparqlConstraint, data: Graph, focus: Node, shape: Node
    ) -> Iterator[dict[str, Node]]:
        bindings: dict[str, Any] = {"this": focus, "currentShape": shape}
        queried: Graph = data
        if constraint.needs_shapes_graph:
            queried = self._with_shapes_graph(data)
            bindings["shapesGraph"] = SHAPES_GRAPH_NAME
        for row in queried.query(constraint.query(), initBindings=bindings):
            yield row.asdict()  # type: ignore[union-attr,misc]

    def _with_shapes_graph(self, data: Graph) -> Graph:
        if self._dataset is None or self._dataset[0] is not data:
            dataset = Dataset()
            dataset.default_graph += data
            dataset.graph(SHAPES_GRAPH_NAME).__iadd__(self._shapes)
            self._dataset = (data, dataset)
        return self._dataset[1]


def filled(message: Literal, solution: dict[str, Node]) -> Literal:
    """A constraint's message with each {?var} (or {$var}) replaced by that variable's value."""
    text = _MESSAGE_VARIABLE.sub(lambda m: str(solution.get(m.group(1), m.group(0))), str(message))
    return Literal(text, lang=message.language)
