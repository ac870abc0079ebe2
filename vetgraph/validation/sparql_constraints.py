"""SHACL-SPARQL's SPARQL-based constraints (``sh:sparql``) for vetgraph's evaluator, run by Oxigraph or rdflib.

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

Most constraints are asked of every instance of a class, a query per focus node:
at 1,000 goals with their follow-up that was 12 of 14 seconds. Where running the
query once with ``$this`` free and grouping its solutions by ``$this`` gives the
same solutions as pre-binding each focus node (:func:`answers_per_focus`, read
from the query's tokens: one group of triple patterns and filters that binds
``$this``, grouped by it if at all, ``$this`` selected), the constraint runs once
per data graph instead, on Oxigraph: rdflib's SPARQL engine took 10 s for one such
query over 1,000 goals' outcomes, and importing it and parsing a query takes
0.25 s, more than validating a committee's submission. rdflib runs the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.rdf import sparql_text
from vetgraph.rdf.index import Triples
from vetgraph.rdf.terms import from_oxigraph, to_oxigraph
from vetgraph.validation.values import Unsupported

if TYPE_CHECKING:  # rdflib's SPARQL engine is imported only where a constraint needs it (see SparqlConstraint.query)
    from rdflib.plugins.sparql.sparql import Query

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
    once_for_all: bool = False  # see answers_per_focus
    batch_text: str = ""  # the query run once for all: its FILTER NOT EXISTS as MINUS (see answers_per_focus)
    predicates: frozenset[Node] | None = None  # those its triple patterns name (None: any), for once_for_all

    def query(self) -> Query:
        # Prepared on first use: importing rdflib's SPARQL engine and parsing a query takes it tenths of a second.
        if self._query is None:
            from rdflib.plugins.sparql import prepareQuery

            try:
                self._query = prepareQuery(self.text)
            except Exception as error:  # pyparsing's and rdflib's errors have no common base
                raise VetgraphError(
                    f"a SPARQL constraint of the shapes ({self.node}) cannot be read: {error}"
                ) from None
        return self._query


_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)


def answers_per_focus(text: str) -> bool:
    """Whether running the query once with $this free, grouped by $this, gives each focus node's pre-bound solutions.

    True when the WHERE clause is one group of triple patterns and filters (no
    nested group, OPTIONAL, UNION, MINUS, BIND, VALUES, GRAPH, SERVICE, EXISTS or
    sub-query; a FILTER NOT EXISTS of triple patterns that use $this is a filter), a triple pattern (not only a
    filter) uses $this, $this is selected
    (or ``*``), any aggregation groups by $this, there is no LIMIT or OFFSET, and
    $currentShape and $shapesGraph are not used. Then every solution binds $this,
    each filter sees it bound, and the solutions with $this = x are exactly those
    of the query with x pre-bound. Read from the query's tokens (:mod:`vetgraph.rdf.sparql_text`).
    """
    code = sparql_text.code_only(sparql_text.unescaped(text))
    if any(sparql_text.variable(code, v) for v in _SHAPE_VARIABLES):
        return False
    # A FILTER NOT EXISTS of triple patterns that use $this is a filter that sees each solution's $this, as
    # pre-binding would put it there (SPARQL substitutes a solution's bindings into it). It runs as a MINUS
    # (:func:`vetgraph.rdf.sparql_text.not_exists_as_minus`): Oxigraph evaluates NOT EXISTS over all goals in
    # quadratic time (7 s at 2,000 goals), MINUS in linear.
    if sparql_text.not_exists_as_minus(text) is None:
        return False
    code = re.sub(r"FILTER\s*NOT\s+EXISTS\s*\{[^{}]*\}", " ", code, flags=re.I)
    if sparql_text.keyword(code, *_NOT_ONE_GROUP):
        return False
    select = re.search(r"(?<![\w?$:])SELECT(?![\w:])", code, re.I)
    opening = code.find("{", select.end()) if select else -1
    closing = sparql_text.matching_brace(code, opening) if opening >= 0 else -1
    if closing < 0:
        return False
    assert select is not None
    projection, body, rest = code[select.end() : opening], code[opening + 1 : closing], code[closing + 1 :]
    if "{" in body or "}" in rest:
        return False
    selected = sparql_text.at_top_level(projection)
    if not (sparql_text.variable(selected, "this") or "*" in selected):
        return False
    grouped = re.search(r"\bGROUP\s+BY\b(?P<keys>.*?)(?:\bHAVING\b|\bORDER\b|$)", rest, re.I | re.S)
    if grouped:
        if not sparql_text.variable(sparql_text.at_top_level(grouped.group("keys")), "this"):
            return False
    elif _AGGREGATE.search(code):
        return False  # one group of all solutions: not each focus node's
    return sparql_text.variable(sparql_text.without_filters(body), "this")


_NOT_ONE_GROUP = ("OPTIONAL", "UNION", "MINUS", "BIND", "VALUES", "GRAPH", "SERVICE", "EXISTS", "LIMIT", "OFFSET")
_SHAPE_VARIABLES = ("currentShape", "shapesGraph")


def compile_constraint(shapes: Graph, node: Node, path_node: Node | None, shape_terms: set[URIRef]) -> SparqlConstraint:
    """The constraint ``node`` (of a shape with ``path_node``, or None); ``shape_terms`` may be on it too."""
    for predicate in set(shapes.predicates(node, None)):
        if predicate not in HANDLED | shape_terms and str(predicate).startswith(str(SH)):
            raise Unsupported(f"{node}: {predicate} on a SPARQL constraint")
    selects = list(shapes.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        raise Unsupported(f"{node}: a SPARQL constraint needs exactly one sh:select")
    text = str(selects[0])
    # the keywords of the query's code, not of its comments, strings or IRIs (one tokenizer: sparql_text)
    code = sparql_text.code_only(sparql_text.unescaped(text))
    undefined = _UNDEFINED.search(code)
    if undefined:
        raise VetgraphError(
            f"a SPARQL constraint of the shapes ({node}) uses {undefined.group(0)}, "
            "for which SHACL leaves pre-binding undefined"
        )
    if _FALLBACK.search(code):
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
    text = "".join(sorted(declarations)) + text
    once = answers_per_focus(text)
    named = sparql_text.pattern_predicates(text) if once else None
    predicates = frozenset(URIRef(iri) for iri in named) if named is not None else None
    batch = (sparql_text.not_exists_as_minus(text) or text) if once else ""
    return SparqlConstraint(
        node, text, messages, uses_shapes_graph, once_for_all=once, predicates=predicates, batch_text=batch
    )


def predicates_named(shapes: Graph, node: Node) -> frozenset[URIRef] | None:
    """The predicates the triple patterns of ``node``'s sh:select name, with its sh:prefixes (None: could be any)."""
    declarations = "".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for d in _prefix_declarations(shapes, node)
    )
    named = sparql_text.pattern_predicates(declarations + str(shapes.value(node, SH.select)))
    return frozenset(URIRef(iri) for iri in named) if named is not None else None


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
    """Runs compiled constraints on a data graph.

    While the data stays the same it keeps the dataset for $shapesGraph and the
    solutions of the constraints that run once for all focus nodes.
    """

    def __init__(self, shapes: Graph) -> None:
        self._shapes = shapes
        self._dataset: tuple[Graph, Dataset] | None = None
        self._answers: tuple[Triples, dict[tuple[int, Node], dict[Node, list[dict[str, Node]]]]] | None = None
        self._stores: tuple[Triples, dict[frozenset[Node] | None, tuple[Any, dict[Any, Node], bool]]] | None = None

    def solutions(
        self, constraint: SparqlConstraint, data: Triples, focus: Node, shape: Node
    ) -> Iterable[dict[str, Node]]:
        if constraint.once_for_all and self._oxigraph_store(data, constraint.predicates)[2]:
            return self._answers_for(constraint, data, shape).get(focus, ())
        return self._run(constraint, data, {"this": focus, "currentShape": shape})

    def _answers_for(
        self, constraint: SparqlConstraint, data: Triples, shape: Node
    ) -> dict[Node, list[dict[str, Node]]]:
        if self._answers is None or self._answers[0] is not data:
            self._answers = (data, {})
        key = (id(constraint), shape)
        answers = self._answers[1].get(key)
        if answers is None:
            answers = self._answers[1][key] = {}
            for solution in self._run_on_oxigraph(constraint, data):
                answers.setdefault(solution["this"], []).append(solution)
        return answers

    def _run_on_oxigraph(self, constraint: SparqlConstraint, data: Triples) -> Iterator[dict[str, Node]]:
        store, rdflib_terms, _ = self._oxigraph_store(data, constraint.predicates)
        try:
            solutions = store.query(constraint.batch_text or constraint.text)
        except SyntaxError as error:  # e.g. a prefix the shapes do not declare (sh:prefixes): the shapes' error
            first = "a prefix is not declared" if "Prefix not found" in str(error) else str(error).split("\n")[0][:200]
            raise VetgraphError(
                f"a SPARQL constraint of the shapes ({constraint.node}) cannot be read: {first}; "
                "declare its prefixes with sh:prefixes"
            ) from None
        yield from _solutions(solutions, rdflib_terms)

    def _oxigraph_store(self, data: Triples, predicates: frozenset[Node] | None) -> tuple[Any, dict[Any, Node], bool]:
        """An Oxigraph store of the data's triples with these predicates (None: all), its terms' rdflib originals,
        and whether it holds them as they are.

        Kept while the data stays the same. Oxigraph stores some literals by value ("01"^^xsd:integer as "1"),
        where RDF and SHACL compare terms: then its joins and answers could differ, and it is not used.
        """
        import pyoxigraph as ox

        if self._stores is None or self._stores[0] is not data:
            self._stores = (data, {})
        made = self._stores[1].get(predicates)
        if made is None:
            rdflib_terms: dict[Any, Node] = {}
            oxigraph_terms: dict[Node, Any] = {}

            def term(node: Node) -> Any:
                converted = oxigraph_terms.get(node)
                if converted is None:
                    # a blank node gets a new label, and every term its original back (literals keep their form)
                    converted = ox.BlankNode() if isinstance(node, BNode) else to_oxigraph(node)
                    oxigraph_terms[node] = converted
                    rdflib_terms[converted] = node
                return converted

            patterns = [(None, p, None) for p in predicates] if predicates is not None else [(None, None, None)]
            store = ox.Store()
            store.bulk_extend(
                ox.Quad(term(s), term(p), term(o)) for pattern in patterns for s, p, o in data.triples(pattern)
            )
            literals = store.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }")
            assert isinstance(literals, ox.QuerySolutions)
            stored = {row[0] for row in literals}
            given = {term for term in rdflib_terms if isinstance(term, ox.Literal)}
            as_it_is = stored == given  # no literal changed, and none became another one
            made = self._stores[1][predicates] = (store, rdflib_terms, as_it_is)
        return made

    def _run(self, constraint: SparqlConstraint, data: Triples, bindings: dict[str, Any]) -> Iterator[dict[str, Node]]:
        queried = data.graph()
        if constraint.needs_shapes_graph:
            queried = self._with_shapes_graph(queried)
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


def _solutions(solutions: Any, rdflib_terms: dict[Any, Node]) -> Iterator[dict[str, Node]]:
    """Oxigraph's solutions of a SELECT query as rdflib terms, each the data's own where it came from the data."""
    names = [variable.value for variable in solutions.variables]
    for solution in solutions:
        yield {
            name: rdflib_terms.get(term) or from_oxigraph(term)
            for name, term in zip(names, solution, strict=True)
            if term is not None
        }


def without_variables(message: str, shown: str = "…") -> str:
    """A constraint's message as a rule, not a result: each {?var} written as ``shown`` (the rules page)."""
    return _MESSAGE_VARIABLE.sub(shown, message)


def filled(message: Literal, solution: dict[str, Node]) -> Literal:
    """A constraint's message with each {?var} (or {$var}) replaced by that variable's value."""
    text = _MESSAGE_VARIABLE.sub(lambda m: str(solution.get(m.group(1), m.group(0))), str(message))
    return Literal(text, lang=message.language)
