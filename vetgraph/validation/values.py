"""What SHACL checks on value nodes, for :mod:`vetgraph.validation.engine`: paths, classes, datatypes, patterns.

Each check is a function of the data graph and one node; paths are evaluated
over sets of nodes. XPath regular expressions are rewritten into Python's syntax
where the two differ in a way that can be rewritten, and refused where not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph.rdf.index import Triples


class Unsupported(Exception):
    """The shapes use a SHACL feature this evaluator does not implement."""


# A path: a predicate IRI, or (kind, parts) for the complex ones.
PathExpr = URIRef | tuple[str, tuple["PathExpr", ...]]


def path_values(data: Triples, focus: Node, path: PathExpr) -> list[Node]:
    if isinstance(path, URIRef):
        return list(data.objects(focus, path))
    return sorted(reach(data, {focus}, path), key=str)


def reach(data: Triples, nodes: set[Node], path: PathExpr) -> set[Node]:
    """The nodes reached from ``nodes`` along ``path``."""
    if isinstance(path, URIRef):
        return {o for n in nodes for o in data.objects(n, path)}
    kind, parts = path
    if kind == "sequence":
        for part in parts:
            nodes = reach(data, nodes, part)
        return nodes
    if kind == "alternative":
        return set().union(*(reach(data, nodes, part) for part in parts))
    (inner,) = parts
    if kind == "inverse":
        assert isinstance(inner, URIRef)  # _path pushes inverses down to predicates (invert)
        return {s for n in nodes for s in data.subjects(inner, n)}
    reached: set[Node] = set(nodes) if kind in ("zero-or-more", "zero-or-one") else set()
    frontier = nodes
    while frontier:
        step = reach(data, frontier, inner)
        frontier = step - reached
        reached |= step
        if kind == "zero-or-one":
            break
    return reached


def xpath_regex(pattern: str, flags: str) -> str:
    """An XPath regular expression (as SHACL uses) in Python's syntax, or Unsupported where they differ.

    Outside character classes, XPath's ``$`` matches only at the very end (Python's
    also before a final line break) and ``.`` matches neither line feed nor carriage
    return (Python's matches a carriage return): both are rewritten. Constructs
    Python lacks or reads otherwise (``\\p{…}``, ``\\i``, ``\\c``, class
    subtraction, ``(?…)``, ``#`` under the x flag) are refused.
    """
    if re.search(r"\\[pPiIcC]|\[[^\]]*-\[", pattern) or "(?" in pattern or ("x" in flags and "#" in pattern):
        raise Unsupported(f"an XPath regular expression Python reads differently: {pattern}")
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif in_class:
            out.append(char)
            in_class = char != "]"
        elif char == "[":
            out.append(char)
            in_class = True
        elif char == "$" and "m" not in flags:
            out.append(r"\Z")
        elif char == "." and "s" not in flags:
            out.append(r"[^\n\r]")
        else:
            out.append(char)
    return "".join(out)


def invert(path: PathExpr) -> PathExpr:
    """The inverse of a path: ``^(a/b)`` is ``^b/^a``, ``^(a|b)`` is ``^a|^b``, ``^(p*)`` is ``(^p)*``."""
    if isinstance(path, URIRef):
        return ("inverse", (path,))
    kind, parts = path
    if kind == "inverse":
        return parts[0]
    if kind == "sequence":
        return ("sequence", tuple(invert(part) for part in reversed(parts)))
    return (kind, tuple(invert(part) for part in parts))


def is_instance(data: Triples, node: Node, *, cls: Node) -> bool:
    if isinstance(node, Literal):
        return False
    return any(cls in data.superclasses(t) for t in data.types(node))


def instances(data: Triples, cls: Node) -> set[Node]:
    classes = {cls}
    stack = [cls]
    while stack:
        for child in data.subjects(RDFS.subClassOf, stack.pop()):
            if child not in classes:
                classes.add(child)
                stack.append(child)
    return {s for c in classes for s in data.subjects(RDF.type, c)}


def has_datatype(data: Triples, node: Node, *, datatype: Node) -> bool:
    if not isinstance(node, Literal):
        return False
    if datatype == RDF.langString:
        return bool(node.language)
    if node.language:
        return False
    actual = node.datatype or XSD.string
    return actual == datatype and node.ill_typed is not True


def language_in(data: Triples, node: Node, *, ranges: tuple[str, ...]) -> bool:
    if not isinstance(node, Literal) or not node.language:
        return False
    tag = node.language.lower()
    return any(r == "*" or tag == r or tag.startswith(r + "-") for r in ranges)


def length_is(data: Triples, node: Node, *, length: int, compare: Callable[[int, int], bool]) -> bool:
    return not isinstance(node, BNode) and compare(len(str(node)), length)


def is_in(data: Triples, node: Node, *, allowed: frozenset[Node]) -> bool:
    return node in allowed


def matches(data: Triples, node: Node, *, regex: re.Pattern[str]) -> bool:
    return not isinstance(node, BNode) and regex.search(str(node)) is not None


def has_node_kind(data: Triples, node: Node, *, kind: Node) -> bool:
    return NODE_KINDS[kind](node)


NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, URIRef | BNode),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, BNode | Literal),
    SH.IRIOrLiteral: lambda v: isinstance(v, URIRef | Literal),
}


# SPARQL 1.1's operator mapping for < and <=: numbers with numbers, strings with strings, booleans with booleans,
# and dates or date-times with their own kind where both or neither have a time zone. Anything else is a type
# error, so the comparison is not true and SHACL reports the value (sh:lessThan: "... or cannot be compared").
_NUMERIC = {
    str(XSD[name])
    for name in (
        "integer", "decimal", "float", "double", "nonPositiveInteger", "negativeInteger", "long", "int", "short",
        "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "positiveInteger",
    )
}  # fmt: skip
_TEMPORAL = {str(XSD.dateTime), str(XSD.date)}


def out_of_order(values: list[Node], bounds: list[Node], *, or_equal: bool) -> Iterator[tuple[Node, Node]]:
    """Each pair (value, bound) where ``value < bound`` (``<=``) is not true: one result each, as the W3C suite
    expects of sh:lessThan and sh:lessThanOrEquals."""
    for value in values:
        for bound in bounds:
            if not less(value, bound, or_equal=or_equal):
                yield value, bound


def less(value: Node, other: Node, *, or_equal: bool) -> bool:
    """Whether ``value < other`` (``<=`` with ``or_equal``) is true under SPARQL's rules; False where it is an error."""
    key_value, key_other = _comparable(value), _comparable(other)
    if key_value is None or key_other is None or key_value[0] != key_other[0]:
        return False
    mine, theirs = key_value[1], key_other[1]
    try:
        return bool(mine <= theirs if or_equal else mine < theirs)
    except TypeError:  # a date-time with a time zone and one without: indeterminate, an error in SPARQL
        return False


def _comparable(node: Node) -> tuple[str, Any] | None:
    """(kind, Python value) for a literal SPARQL orders with <, or None."""
    if not isinstance(node, Literal) or node.ill_typed or node.language:
        return None
    datatype = str(node.datatype) if node.datatype is not None else str(XSD.string)
    value = node.toPython()
    if datatype in _NUMERIC and not isinstance(value, Literal):
        return ("number", value)
    if datatype == str(XSD.string):
        return ("string", str(node))
    if datatype == str(XSD.boolean) and isinstance(value, bool):
        return ("boolean", value)
    if datatype in _TEMPORAL and not isinstance(value, Literal):
        return (datatype, value)
    return None


Failure = tuple[URIRef, Node | None]  # a constraint component, and the value node that fails it (None: the focus)
Check = Callable[[Triples, Node, list[Node]], Iterator[Failure]]


def each(component: URIRef, ok: Callable[[Triples, Node], bool]) -> Check:
    """A constraint that each value node must meet on its own."""

    def check(data: Triples, focus: Node, values: list[Node]) -> Iterator[Failure]:
        for value in values:
            if not ok(data, value):
                yield component, value

    return check
