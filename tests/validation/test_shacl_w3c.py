"""The W3C SHACL test suite (Core, and SHACL-SPARQL's constraints), run through `vetgraph shacl` (issue 7, issue 10).

Each of the 98 Core tests holds a data graph, a shapes graph and the expected
`sh:ValidationReport`. `vetgraph shacl DATA --shapes SHAPES --format turtle`
runs on them with the engine choice users get (vetgraph's evaluator where it
covers the shapes, pySHACL otherwise), and its report must have the expected
results: the same (focus node, path, constraint component, severity, value,
source shape) for every result, and the same sh:conforms. Blank nodes compare
by their structure (a path) or as "some blank node" (a focus node or value).

All 98 must pass. pySHACL, the fallback, fails one test of the suite on its own
(PYSHACL_FAILS, checked to still fail so that the note cannot go stale);
vetgraph's evaluator covers that test, so `vetgraph shacl` passes it.

The SPARQL part (node, property, pre-binding and component tests; vetgraph hands
custom constraint components to pySHACL) runs the same way. Tests whose result is sht:Failure (pre-binding SHACL leaves undefined) must
end in an error, not a report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from conftest import SHARED, require_shared
from vetgraph.cli import main
from vetgraph.validation import validate_files_against_shapes

SUITE = SHARED / "reference" / "w3c-shacl-tests" / "core"
SPARQL_SUITE = SHARED / "reference" / "w3c-shacl-tests" / "sparql"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

# The one test pySHACL gets wrong: it reads sh:uniqueLang "1"^^xsd:boolean as true,
# where the spec names only the literal true (the test's own comment says so).
PYSHACL_FAILS = {"property/uniqueLang-002"}


def file_of(iri: Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


def manifest_tests(manifest: Path) -> list[tuple[str, Graph, Node]]:
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    tests = []
    for included in graph.objects(None, MF.include):
        tests.extend(manifest_tests(file_of(included)))
    for entries in graph.objects(None, MF.entries):
        for entry in Collection(graph, entries):
            name = f"{manifest.parent.name}/{str(entry).rsplit('/', 1)[-1]}"
            tests.append((name, graph, entry))
    return tests


TESTS = manifest_tests(SUITE / "manifest.ttl") if SUITE.is_dir() else []
SPARQL_TESTS = (
    [t for part in ("node", "property", "pre-binding") for t in manifest_tests(SPARQL_SUITE / part / "manifest.ttl")]
    if SPARQL_SUITE.is_dir()
    else []
)
# Custom constraint components (SPARQL-based validators): pySHACL runs them, vetgraph hands them over; issue 17
# found one whose component is typed with a subclass of sh:ConstraintComponent silently ignored.
COMPONENT_TESTS = manifest_tests(SPARQL_SUITE / "component" / "manifest.ttl") if SPARQL_SUITE.is_dir() else []


def path_key(graph: Graph, node: Node | None) -> object:
    """A path as a nested tuple, so that blank-node paths from two graphs compare by structure."""
    if node is None or isinstance(node, URIRef):
        return node
    if graph.value(node, RDF.first) is not None:
        return ("list", tuple(path_key(graph, step) for step in Collection(graph, node)))
    return tuple(sorted((str(p), path_key(graph, o)) for p, o in graph.predicate_objects(node)))


def term_key(node: Node | None) -> object:
    if isinstance(node, BNode):
        return "_:blank"
    if isinstance(node, Literal):
        return (str(node), node.datatype or (None if node.language else XSD.string), node.language)
    return node


def results(graph: Graph, report: Node) -> list[tuple[object, ...]]:
    keys = []
    for result in graph.objects(report, SH.result):
        keys.append(
            (
                term_key(graph.value(result, SH.focusNode)),
                path_key(graph, graph.value(result, SH.resultPath)),
                graph.value(result, SH.sourceConstraintComponent),
                graph.value(result, SH.resultSeverity),
                term_key(graph.value(result, SH.value)),
                term_key(graph.value(result, SH.sourceShape)),
            )
        )
    return sorted(keys, key=repr)


def expected(graph: Graph, entry: Node) -> tuple[bool, list[tuple[object, ...]]]:
    report = graph.value(entry, MF.result)
    assert report is not None
    conforms = graph.value(report, SH.conforms)
    return bool(conforms.toPython()) if isinstance(conforms, Literal) else False, results(graph, report)


def run_vetgraph_shacl(
    graph: Graph, entry: Node, engine: str = "auto", failure: bool = False
) -> tuple[int, Graph | str]:
    action = graph.value(entry, MF.action)
    data, shapes = file_of(graph.value(action, SHT.dataGraph)), file_of(graph.value(action, SHT.shapesGraph))
    base = data.resolve().as_uri()
    args = ["shacl", str(data), "--shapes", str(shapes), "--format", "turtle", "--base", base, "--engine", engine]
    result = CliRunner().invoke(main, args)
    if failure:
        return result.exit_code, result.stderr
    assert result.exit_code in (0, 1), result.output + str(result.exception)
    return result.exit_code, Graph().parse(data=result.stdout, format="turtle")


def actual(report_graph: Graph) -> tuple[bool, list[tuple[object, ...]]]:
    report = report_graph.value(None, RDF.type, SH.ValidationReport, any=True)
    assert report is not None
    conforms = report_graph.value(report, SH.conforms)
    return bool(conforms.toPython()) if isinstance(conforms, Literal) else False, results(report_graph, report)


def test_the_suite_is_complete() -> None:
    require_shared()
    assert len(TESTS) == 98


@pytest.mark.parametrize(("name", "graph", "entry"), TESTS, ids=[t[0] for t in TESTS])
def test_w3c_shacl_core(name: str, graph: Graph, entry: Node) -> None:
    exit_code, report = run_vetgraph_shacl(graph, entry)
    want = expected(graph, entry)
    assert actual(report) == want
    # exit status as vetgraph validate: warnings and infos are allowed, violations and custom severities are not
    assert exit_code == (1 if any(result[3] not in (SH.Warning, SH.Info) for result in want[1]) else 0)


def test_the_sparql_part_is_there() -> None:
    require_shared()
    assert len(SPARQL_TESTS) == 19


@pytest.mark.parametrize(("name", "graph", "entry"), SPARQL_TESTS, ids=[t[0] for t in SPARQL_TESTS])
def test_w3c_shacl_sparql(name: str, graph: Graph, entry: Node) -> None:
    if graph.value(entry, MF.result) == SHT.Failure:
        exit_code, err = run_vetgraph_shacl(graph, entry, failure=True)
        # an error in the shapes, not a report and not a crash: exit 2 with one line (issue 17: in auto mode,
        # pySHACL's failure object was asserted to be a graph, exit 3)
        assert exit_code == 2, err
        assert isinstance(err, str) and len(err.splitlines()) == 1 and "internal error" not in err, err
        return
    exit_code, report = run_vetgraph_shacl(graph, entry)
    assert actual(report) == expected(graph, entry)


@pytest.mark.parametrize(("name", "graph", "entry"), COMPONENT_TESTS, ids=[t[0] for t in COMPONENT_TESTS])
def test_w3c_shacl_sparql_components(name: str, graph: Graph, entry: Node) -> None:
    _, report = run_vetgraph_shacl(graph, entry)
    assert actual(report) == expected(graph, entry)  # type: ignore[arg-type]


def test_the_component_part_is_there() -> None:
    require_shared()
    assert sorted(t[0] for t in COMPONENT_TESTS) == [
        "component/nodeValidator-001", "component/optional-001", "component/propertyValidator-select-001",
        "component/validator-001",
    ]  # fmt: skip


def test_vetgraphs_evaluator_runs_sparql_constraints_it_can_pre_bind() -> None:
    require_shared()
    engines: dict[str, list[str]] = {"vetgraph": [], "pyshacl": []}
    for name, graph, entry in SPARQL_TESTS:
        if graph.value(entry, MF.result) == SHT.Failure:
            continue
        action = graph.value(entry, MF.action)
        data, shapes = file_of(graph.value(action, SHT.dataGraph)), file_of(graph.value(action, SHT.shapesGraph))
        report = validate_files_against_shapes([data], [shapes], base_iri=data.resolve().as_uri())
        engines[report.engine].append(name)
    # What falls back: a FILTER-only branch of a UNION, and a nested SELECT, where rdflib's initial bindings are
    # not SHACL's pre-binding
    assert sorted(engines["pyshacl"]) == ["pre-binding/pre-binding-002", "pre-binding/pre-binding-007"], engines


@pytest.mark.parametrize("name", sorted(PYSHACL_FAILS))
def test_pyshacl_still_fails_what_it_failed(name: str) -> None:
    graph, entry = next((g, e) for n, g, e in TESTS if n == name)
    _, report = run_vetgraph_shacl(graph, entry, engine="pyshacl")
    assert actual(report) != expected(graph, entry)


def test_vetgraphs_evaluator_covers_most_of_the_suite() -> None:
    require_shared()
    engines: dict[str, list[str]] = {"vetgraph": [], "pyshacl": []}
    for name, graph, entry in TESTS:
        action = graph.value(entry, MF.action)
        data, shapes = file_of(graph.value(action, SHT.dataGraph)), file_of(graph.value(action, SHT.shapesGraph))
        report = validate_files_against_shapes([data], [shapes], base_iri=data.resolve().as_uri())
        engines[report.engine].append(name)
    # What falls back: value ranges (min/maxInclusive/Exclusive); lessThan(OrEquals) is the evaluator's (issue 11)
    assert len(engines["vetgraph"]) == 88, engines["pyshacl"]
    assert all(any(kind in name for kind in ("Inclusive", "Exclusive")) for name in engines["pyshacl"]), engines[
        "pyshacl"
    ]
