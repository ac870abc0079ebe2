"""Turtle as people read it, written in one pass: validation reports.

Why not rdflib's Turtle serialiser: a validation report of 10,000 findings is
115,000 triples, and rdflib took 4.7 s to write it (half of ``vetgraph validate
--format turtle``). Why not Oxigraph's: it writes every blank node as a label,
in no useful order, where a reader of a report wants each result nested in its
report. This writer lays the document out as rdflib does (each blank node used
once nested as ``[ ... ]``, lists as ``( ... )``, ``a`` first, predicates and
objects sorted; subjects that are IRIs sorted, those that are blank nodes in the
order given), and since a nested node is sorted by its text, the output does not
depend on blank node labels: the same report is the same text.

A blank node used more than once, or in a cycle, or nested deeper than
:data:`MAX_NESTING`, is written with a label (``_:b1``) as a statement of its own.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable

from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

# Deeper nesting gets labels, so that a hostile shapes graph (a path nested 100,000 times) cannot
# exhaust Python's stack.
MAX_NESTING = 50

_INDENT = "    "
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Literals written bare when their lexical form is the Turtle token itself.
_BARE = {
    _XSD + "boolean": re.compile(r"true|false"),
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
}
# A local name that is valid in every Turtle parser (a subset of PN_LOCAL: no escapes, ASCII).
_LOCAL_NAME = re.compile(r"([A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")
# Characters a Turtle string (STRING_LITERAL_QUOTE) or IRI cannot hold as they are.
_STRING_SPECIAL = re.compile(r'["\\\x00-\x1f\x7f-\x9f]')
_IRI_SPECIAL = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# rdflib's namespace attributes are slow to look up (0.1 s per 100,000): looked up once
_TYPE, _FIRST, _REST, _NIL = RDF.type, RDF.first, RDF.rest, RDF.nil
_PREDICATE_ORDER: dict[Node, str] = {_TYPE: "0", RDFS.label: "1"}


def pretty_turtle(triples: Iterable[Triple], prefixes: dict[str, str]) -> str:
    """``triples`` as a Turtle document with those of ``prefixes`` it uses (``prefix -> namespace``)."""
    return _Writer(triples, prefixes).document()


class _Writer:
    def __init__(self, triples: Iterable[Triple], prefixes: dict[str, str]) -> None:
        self.description: dict[Node, dict[Node, list[Node]]] = {}
        self.references: dict[Node, int] = {}
        seen: set[Triple] = set()
        for triple in triples:
            if triple in seen:
                continue
            seen.add(triple)
            subject, predicate, value = triple
            self.description.setdefault(subject, {}).setdefault(predicate, []).append(value)
            if isinstance(value, BNode):
                self.references[value] = self.references.get(value, 0) + 1
        self.prefix_of = {namespace: prefix for prefix, namespace in prefixes.items()}
        self.used_prefixes: dict[str, str] = {}
        self.labels: dict[BNode, str] = {}
        self.shown_iris: dict[str, str] = {}
        self.written: set[Node] = set()
        self.pending: deque[BNode] = deque()  # labelled blank nodes still to be written as statements

    def document(self) -> str:
        named = sorted((s for s in self.description if not isinstance(s, BNode)), key=str)
        statements = [self.statement(subject, self.iri(subject)) for subject in named]
        roots = [s for s in self.description if isinstance(s, BNode) and self.references.get(s, 0) == 0]
        statements += [self.statement(root, "[]") for root in roots]  # in the order given: a report per file
        statements += self.labelled_statements()
        # what is left are blank nodes used once each, in cycles: one of each cycle gets a label
        for subject in self.description:
            if subject not in self.written and isinstance(subject, BNode):
                self.pending.append(subject)
                statements += self.labelled_statements()
        header = "".join(
            f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(self.used_prefixes.items())
        )
        return header + "\n" + "\n\n".join(s for s in statements if s) + "\n"

    def labelled_statements(self) -> list[str]:
        statements = []
        while self.pending:
            node = self.pending.popleft()
            if node not in self.written:
                statements.append(self.statement(node, self.label(node)))
        return statements

    def statement(self, subject: Node, shown: str) -> str:
        self.written.add(subject)
        if subject not in self.description:
            return ""
        return shown + " " + self.predicate_list(subject, depth=0) + " ."

    def predicate_list(self, subject: Node, depth: int) -> str:
        description = self.description[subject]
        order = sorted(description, key=lambda p: _PREDICATE_ORDER.get(p, "2") + str(p))
        parts = [self.predicate(p) + self.object_list(description[p], depth) for p in order]
        return (" ;\n" + _INDENT * (depth + 1)).join(parts)

    def object_list(self, values: list[Node], depth: int) -> str:
        if len(values) == 1:
            return " " + self.object(values[0], depth)
        shown = sorted(self.object(value, depth + 1) for value in values)
        return " " + (",\n" + _INDENT * (depth + 2)).join(shown)

    def object(self, node: Node, depth: int) -> str:
        if isinstance(node, BNode):
            return self.blank(node, depth)
        if isinstance(node, Literal):
            return self.literal(node)
        return self.iri(node)

    def blank(self, node: BNode, depth: int) -> str:
        if self.references.get(node) != 1 or node in self.written or node in self.labels or depth > MAX_NESTING:
            if node not in self.written:
                self.pending.append(node)
            return self.label(node)
        self.written.add(node)
        if node not in self.description:
            return "[]"
        items = self.list_items(node)
        if items is not None:
            return "( " + " ".join(self.object(item, depth + 1) for item in items) + " )"
        return "[ " + self.predicate_list(node, depth + 1) + " ]"

    def list_items(self, head: BNode) -> list[Node] | None:
        """The items of the RDF list starting at ``head`` (marked written), or None if it is not a plain list."""
        items: list[Node] = []
        cells: list[Node] = []
        node: Node = head
        while node != _NIL:
            description = self.description.get(node, {})
            first, rest = description.get(_FIRST, []), description.get(_REST, [])
            if len(description) != 2 or len(first) != 1 or len(rest) != 1:
                return None
            if node in cells or (node != head and (self.references.get(node) != 1 or node in self.written)):
                return None
            items.append(first[0])
            cells.append(node)
            node = rest[0]
            if not isinstance(node, BNode) and node != _NIL:
                return None
        self.written.update(cells)
        return items

    def label(self, node: BNode) -> str:
        if node not in self.labels:
            self.labels[node] = f"_:b{len(self.labels) + 1}"
        return self.labels[node]

    def predicate(self, node: Node) -> str:
        return "a" if node == _TYPE else self.iri(node)

    def iri(self, node: Node) -> str:
        iri = str(node)
        shown = self.shown_iris.get(iri)
        if shown is None:
            shown = self.shown_iris[iri] = self.compact(iri)
        return shown

    def compact(self, iri: str) -> str:
        # not vetgraph.namespaces.compact: that one is for reading (any letter, a fixed set of prefixes); here a
        # prefixed name must be one every Turtle parser accepts, with the prefixes the caller gives
        end = max(iri.rfind("/"), iri.rfind("#"))
        prefix = self.prefix_of.get(iri[: end + 1])
        if prefix is not None and _LOCAL_NAME.fullmatch(iri, end + 1):
            self.used_prefixes[prefix] = iri[: end + 1]
            return f"{prefix}:{iri[end + 1 :]}"
        return "<" + _IRI_SPECIAL.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"

    def literal(self, node: Literal) -> str:
        lexical = str(node)
        datatype = str(node.datatype) if node.datatype is not None else None
        bare = _BARE.get(datatype or "")
        if bare is not None and bare.fullmatch(lexical):
            return lexical
        quoted = '"' + _STRING_SPECIAL.sub(_escaped, lexical) + '"'
        if node.language:
            return f"{quoted}@{node.language}"
        if datatype is None or datatype == _XSD + "string":
            return quoted
        return f"{quoted}^^{self.iri(URIRef(datatype))}"


def _escaped(match: re.Match[str]) -> str:
    character = match.group()
    return _STRING_ESCAPES.get(character) or f"\\u{ord(character):04X}"
