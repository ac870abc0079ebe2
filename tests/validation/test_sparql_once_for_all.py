"""SPARQL constraints run once for all focus nodes give what pre-binding each focus node gives (issue 11).

`answers_per_focus` decides from a query's tokens when one run with $this free,
grouped by $this, equals running the query with each focus node pre-bound. These
tests hold it to that on every SPARQL constraint of the W3C SHACL-SPARQL suite and
of vetgraph's own shapes, each on its own data (the suite's data graph; vetgraph's
follow-up fixtures): where it says yes, the solutions per focus node of the
single Oxigraph run are the solutions of rdflib with $this pre-bound, for every
node of the data. And on queries made to catch a reader that is too eager.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, BNode, Graph
from rdflib.namespace import SH
from rdflib.term import Node

from conftest import FIXTURES, require_shared
from vetgraph.namespaces import SHAPES, VTL
from vetgraph.project import default_project
from vetgraph.rdf import graphs
from vetgraph.rdf.index import TripleIndex
from vetgraph.rdf.sparql_text import code_only, keyword, not_exists_as_minus, pattern_predicates, without_filters
from vetgraph.validation.engine import _HANDLED
from vetgraph.validation.sparql_constraints import SparqlRunner, answers_per_focus, compile_constraint

Row = frozenset[tuple[str, str]]
SHAPE_TERMS = set(_HANDLED)  # a shape may be its own constraint, as the evaluator allows


def comparable(solution: dict[str, Node]) -> Row:
    return frozenset((name, "_:" if isinstance(value, BNode) else value.n3()) for name, value in solution.items())


def constraints_of(shapes: Graph) -> list[tuple[Node, Node, Node | None]]:
    """(constraint, its shape, the shape's path) for every sh:sparql of ``shapes``."""
    return [(c, shape, shapes.value(shape, SH.path)) for shape, c in shapes.subject_objects(SH.sparql)]


def check_equivalence(shapes: Graph, data: Graph) -> int:
    """Compare both ways of running each once-for-all constraint on ``data``; the number compared."""
    compared = 0
    index = TripleIndex(data)
    nodes = {n for triple in data for n in (triple[0], triple[2])}
    for node, shape, path in constraints_of(shapes):
        constraint = compile_constraint(shapes, node, path, SHAPE_TERMS)
        if not constraint.once_for_all or constraint.needs_shapes_graph:
            continue
        batched = SparqlRunner(shapes)
        one_by_one = SparqlRunner(shapes)
        for focus in nodes:
            together = sorted(map(comparable, batched.solutions(constraint, index, focus, shape)), key=sorted)
            alone = one_by_one._run(constraint, index, {"this": focus, "currentShape": shape})
            assert together == sorted(map(comparable, alone), key=sorted), (node, focus)
        compared += 1
    return compared


def test_the_w3c_suites_constraints_give_the_same_solutions_once_for_all() -> None:
    suite = require_shared("reference", "w3c-shacl-tests", "sparql")
    compared = 0
    for path in sorted(suite.glob("*/*.ttl")):
        if path.name == "manifest.ttl":
            continue
        graph = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
        try:
            compared += check_equivalence(graph, graph)
        except Exception as error:  # a test the engine refuses (unsupported pre-binding) is not this test's business
            if "pre-binding undefined" in str(error) or "Unsupported" in type(error).__name__:
                continue
            raise
    assert compared == 5  # node/prefixes-001, sparql-001..003, property/sparql-001; the pre-binding tests do not


def test_vetgraphs_own_constraints_give_the_same_solutions_once_for_all() -> None:
    project = default_project()
    shapes = Graph().parse(project.submission_shapes_file)  # its SPARQL constraints; the links add none
    compared = 0
    fixtures = [FIXTURES / "valid" / "uppfoljning.ttl", *sorted((FIXTURES / "invalid").glob("uppfoljning-*.ttl"))]
    for fixture in fixtures:
        compared += check_equivalence(shapes, Graph().parse(fixture))
    assert compared >= 2 * len(fixtures)  # both of them qualify: the duplicate outcome and judgement rules


@pytest.mark.parametrize(
    ("query", "once"),
    [
        ("SELECT $this ?value WHERE { $this <http://e/p> ?value . FILTER(?value != $this) }", True),
        ("SELECT $this WHERE { { FILTER(bound($this)) } $this <http://e/p> 1 . }", False),  # a filter-only group
        ("SELECT $this WHERE { FILTER($this = <http://e/a>) }", False),  # $this only in a filter
        ("SELECT (COUNT(?x) AS ?n) WHERE { $this <http://e/p> ?x }", False),  # $this not selected
        ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this <http://e/p> ?x } GROUP BY $this", True),
        ("SELECT $this (COUNT(?x) AS ?n) WHERE { $this <http://e/p> ?x ; <http://e/q> ?y } GROUP BY ?y", False),
        ("SELECT $this WHERE { $this <http://e/p> ?x } LIMIT 1", False),
        ("SELECT $this WHERE { $this <http://e/p> ?x OPTIONAL { ?x <http://e/q> ?y } }", False),
        # a FILTER NOT EXISTS of triple patterns with $this sees each solution's $this (run as MINUS)
        ("SELECT $this WHERE { $this <http://e/p> ?x FILTER NOT EXISTS { ?x <http://e/q> $this } }", True),
        ("SELECT $this WHERE { $this <http://e/p> ?x FILTER NOT EXISTS { ?x <http://e/q> ?y } }", False),  # no $this
        ("SELECT $this WHERE { $this <http://e/p> ?x FILTER EXISTS { ?x <http://e/q> $this } }", False),
        ("SELECT $this WHERE { ?x <http://e/p> ?y FILTER NOT EXISTS { ?x <http://e/q> $this } }", False),  # unbound
        ("SELECT $this WHERE { $this <http://e/p> ?x FILTER NOT EXISTS { { ?x <http://e/q> $this } } }", False),
        (
            "SELECT $this WHERE { $this <http://e/p> ?x FILTER NOT EXISTS { ?x <http://e/q> $this FILTER(?x != 1) } }",
            False,
        ),  # a filter inside would see the outer variables, which MINUS does not
        ("SELECT $this WHERE { $this <http://e/p> ?x BIND(1 AS ?y) }", False),
        ("SELECT $this ?v WHERE { $this <http://e/p> ?v FILTER(?v != $currentShape) }", False),
        ("SELECT * WHERE { $this <http://e/p> ?x }", True),
        # keywords inside strings, IRIs and comments are not keywords
        ('SELECT $this WHERE { $this <http://e/OPTIONAL> "LIMIT 1 { }" } # UNION', True),
    ],
)
def test_which_queries_run_once_for_all(query: str, once: bool) -> None:
    assert answers_per_focus(query) is once


def test_strings_iris_and_comments_are_not_code() -> None:
    text = "PREFIX ex: <http://e/#x> # SERVICE\nSELECT * { ?s ex:p \"SERVICE\", '''it's \"SERVICE\"''' . }"
    code = code_only(text)
    assert "SERVICE" not in code and "ex:p" in code and code.count('""') == 2
    assert keyword(code, "SERVICE") is None
    assert keyword("SELECT * { SERVICE <> { } }", "SERVICE") == "SERVICE"
    for not_a_keyword in ("?service", "$service", "ex:service", "service:x", "_:service", '""@service'):
        assert keyword(f"SELECT * {{ {not_a_keyword} ?p ?o }}", "SERVICE") is None, not_a_keyword
    assert without_filters(code_only('{ ?s ?p ?o FILTER regex(?o, "x(") . FILTER (?o != ?s) }')).split() == [
        "{", "?s", "?p", "?o", ".", "}"
    ]  # fmt: skip


def test_data_oxigraph_would_change_is_not_run_once_for_all() -> None:
    """Oxigraph stores "01"^^xsd:integer as "1"; RDF terms differ, so such data is queried by rdflib, as it is."""
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
            sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://e/p> ?value . ?other <http://e/q> ?value }" ] .""",
        format="turtle",
    )
    # read as vetgraph reads (rdflib's own parser would already have made "01" into "1")
    data = graphs.parse_rdf(
        b'@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . <http://e/a> <http://e/p> "01"^^xsd:integer . '
        b'<http://e/b> <http://e/q> "1"^^xsd:integer .',
        "turtle",
    )
    node, shape, path = constraints_of(shapes)[0]
    constraint = compile_constraint(shapes, node, path, SHAPE_TERMS)
    assert constraint.once_for_all
    focus = next(data.subjects())
    assert list(SparqlRunner(shapes).solutions(constraint, TripleIndex(data), focus, shape)) == []  # no join


def test_a_filter_not_exists_runs_as_minus_at_the_end_of_the_group() -> None:
    query = (
        'SELECT $this WHERE { $this <http://e/p> ?x FILTER NOT EXISTS { ?x <http://e/q> $this } . ?x <http://e/r> "}" }'
    )
    assert not_exists_as_minus(query) == (
        'SELECT $this WHERE { $this <http://e/p> ?x  . ?x <http://e/r> "}"  MINUS { ?x <http://e/q> $this } }'
    )
    assert (
        not_exists_as_minus("SELECT $this WHERE { $this <http://e/p> ?x }")
        == "SELECT $this WHERE { $this <http://e/p> ?x }"
    )


@pytest.mark.parametrize(
    ("query", "predicates"),
    [
        (
            'PREFIX ex: <http://e/>\nSELECT $this WHERE { $this a ex:C ; ex:p 1.5 , "x"@sv , "2"^^ex:t . '
            "?o <http://e/q> $this FILTER(?o != ex:x) }",
            {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://e/p", "http://e/q"},
        ),
        ("SELECT $this WHERE { $this ?p ?o }", None),  # a variable predicate matches any
        ("PREFIX ex: <http://e/>\nSELECT $this WHERE { $this ex:a/ex:b ?o }", None),  # a path
        ("SELECT $this WHERE { $this ex:a ?o }", None),  # an undeclared prefix
        ("PREFIX ex: <http://e/>\nSELECT $this WHERE { $this ex:a [ ex:b ?o ] }", None),  # blank node syntax
        ("BASE <http://e/>\nSELECT $this WHERE { $this <p> ?o }", None),
        # the patterns inside a FILTER [NOT] EXISTS count: the store the query runs on must hold their triples
        (
            "SELECT $this WHERE { $this <http://e/p> ?o FILTER NOT EXISTS { ?o <http://e/q> $this } }",
            {"http://e/p", "http://e/q"},
        ),
        ("SELECT $this WHERE { $this <http://e/p> ?o . FILTER EXISTS { ?o ?any $this } }", None),
    ],
)
def test_the_predicates_a_query_can_match(query: str, predicates: set[str] | None) -> None:
    found = pattern_predicates(query)
    assert (set(found) if found is not None else None) == predicates


def test_the_guidance_rules_give_the_same_solutions_once_for_all() -> None:
    """The strategy's guidance (vsh:Vagledning-*) relates a goal's values to its delstrategier's in the reference
    data, with FILTER NOT EXISTS: on the sample submissions with the reference data, goal by goal."""
    project = default_project()
    shapes = Graph().parse(project.submission_shapes_file)
    data = graphs.read_trusted([*project.reference_files(), *project.sample_submissions()])
    index = TripleIndex(data)
    goals = sorted(set(data.subjects(VTL.delstrategi, None)) - set(data.subjects(RDF.type, VTL.Delstrategi)), key=str)
    assert len(goals) > 20
    compared = found = 0
    for node, shape, path in constraints_of(shapes):
        if not str(node).startswith(str(SHAPES) + "Vagledning-"):
            continue
        constraint = compile_constraint(shapes, node, path, SHAPE_TERMS)
        assert constraint.once_for_all
        batched, one_by_one = SparqlRunner(shapes), SparqlRunner(shapes)
        for goal in goals:
            together = sorted(map(comparable, batched.solutions(constraint, index, goal, shape)), key=sorted)
            alone = one_by_one._run(constraint, index, {"this": goal, "currentShape": shape})
            assert together == sorted(map(comparable, alone), key=sorted), (node, goal)
            found += len(together)
        compared += 1
    assert compared == 3 and found > 0  # the samples do get suggestions
