"""vetgraph's SHACL evaluator gives exactly pySHACL's results, or leaves the shapes to pySHACL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from conftest import GOAL, INVALID, REPO, REQUIRED_LINKS, valid_goal
from vetgraph.cli import main
from vetgraph.errors import VetgraphError
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.validation import SubmissionReport, Validator, validate_against_shapes
from vetgraph.validation.engine import ShapesEvaluator, Unsupported
from vetgraph.validation.findings import Finding


@pytest.fixture(scope="module")
def engines(project: Project) -> tuple[Validator, Validator]:
    fast, reference = Validator(project, engine="vetgraph"), Validator(project, engine="pyshacl")
    assert (fast.engine, reference.engine) == ("vetgraph", "pyshacl")
    return fast, reference


def messages(finding: Finding) -> str:
    # pySHACL fills in the {?var} of one of a SPARQL constraint's messages only, and drops its language tag;
    # vetgraph fills in each. same() checks that pySHACL's text is one of vetgraph's.
    if finding.constraint == SH.SPARQLConstraintComponent:
        return "SPARQL constraint's messages"
    return repr(sorted(finding.messages.items()))


def sparql_messages(report: SubmissionReport) -> dict[tuple[str, ...], set[str]]:
    return {
        (str(f.focus), str(f.source_shape), str(f.value)): set(f.messages.values())
        for f in report.findings
        if f.constraint == SH.SPARQLConstraintComponent
    }


def comparable(report: SubmissionReport) -> list[tuple[str, ...]]:
    return sorted(
        (
            str(f.focus) if isinstance(f.focus, URIRef) else "_",
            f.severity,
            str(f.source_shape),
            str(f.constraint),
            str(f.path) if isinstance(f.path, URIRef) else str(type(f.path)),
            str(f.value),
            messages(f),
        )
        for f in report.findings
    )


def same(engines: tuple[Validator, Validator], graph: Graph) -> list[tuple[str, ...]]:
    fast, reference = engines
    ours, theirs = fast.validate_graph(graph), reference.validate_graph(graph)
    assert comparable(ours) == comparable(theirs)
    mine = sparql_messages(ours)
    for key, texts in sparql_messages(theirs).items():
        assert texts and texts <= mine[key]
    assert ours.conforms == theirs.conforms
    return comparable(ours)


SUBMISSIONS = [*default_project().sample_submissions(), *sorted(INVALID.glob("*.ttl"))]


@pytest.mark.parametrize("path", SUBMISSIONS, ids=lambda p: p.stem)
def test_same_results_as_pyshacl(engines: tuple[Validator, Validator], path: Path) -> None:
    same(engines, graphs.read_rdf(path))


@pytest.mark.parametrize("link", list(REQUIRED_LINKS), ids=list(REQUIRED_LINKS.values()))
def test_same_results_with_a_link_removed(engines: tuple[Validator, Validator], link: URIRef) -> None:
    goal = valid_goal()
    goal.remove((GOAL, link, None))
    assert same(engines, goal)


def test_same_results_for_everything_wrong_at_once(engines: tuple[Validator, Validator]) -> None:
    goal = Graph()
    for path in sorted(INVALID.glob("*.ttl")):
        goal += graphs.read_rdf(path)
    assert len(same(engines, goal)) > 20


def test_the_report_graphs_agree(engines: tuple[Validator, Validator]) -> None:
    fast, reference = engines
    path = INVALID / "felstavad-egenskap.ttl"
    ours, theirs = fast.validate_file(path).report_graph, reference.validate_file(path).report_graph
    assert len(ours) == len(theirs)
    assert set(ours.predicates()) == set(theirs.predicates())


def test_unsupported_shapes_are_refused_so_pyshacl_takes_over(project: Project) -> None:
    shapes = graphs.parse_rdf(
        b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/S> a sh:NodeShape ; sh:targetNode <https://example.org/x> ;
            sh:sparql [ sh:select "SELECT $this WHERE { { $this ?p ?o } UNION { FILTER(false) } }" ] .""",
        "turtle",
    )
    with pytest.raises(Unsupported):  # a FILTER-only UNION branch: rdflib's initial bindings are not pre-binding
        ShapesEvaluator(shapes)
    # value ranges, whose SPARQL comparison rules for each datatype the evaluator does not implement
    ranged = graphs.parse_rdf(
        b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/S> a sh:NodeShape ; sh:targetNode <https://example.org/x> ;
            sh:property [ sh:path <https://example.org/p> ; sh:minInclusive 1 ] .""",
        "turtle",
    )
    with pytest.raises(Unsupported):
        ShapesEvaluator(ranged)


# ---------------------------------------------------------------- the promise: exact, or pySHACL (issue 7)

PREFIXES = b"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def auto_and_pyshacl(data: bytes, shapes: bytes) -> tuple[SubmissionReport, SubmissionReport]:
    data_graph = graphs.parse_rdf(PREFIXES + data, "turtle")
    shapes_graph = graphs.parse_rdf(PREFIXES + shapes, "turtle")
    return (
        validate_against_shapes(data_graph, shapes_graph),
        validate_against_shapes(data_graph, shapes_graph, engine="pyshacl"),
    )


def shacl_comparable(report: SubmissionReport) -> list[tuple[str, ...]]:
    return sorted(
        (str(f.focus), f.severity, str(f.constraint), str(f.path) if isinstance(f.path, URIRef) else "path")
        for f in report.findings
    )


CASES = {
    "implicit-class-target": (
        b"ex:a a ex:Person . ex:b a ex:Person ; ex:name 'B' .",
        b"ex:Person a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
        "vetgraph",
        1,
    ),
    "qualified-value-shapes-disjoint": (
        b"ex:hand ex:digit ex:f1, ex:f2 . ex:f1 a ex:Finger, ex:Thumb . ex:f2 a ex:Finger .",
        b"""ex:Hand a sh:NodeShape ; sh:targetNode ex:hand ;
            sh:property ex:Thumbs, ex:Fingers .
            ex:Thumbs sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Thumb ] ;
                sh:qualifiedValueShapesDisjoint true ; sh:qualifiedMinCount 1 .
            ex:Fingers sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Finger ] ;
                sh:qualifiedValueShapesDisjoint true ; sh:qualifiedMinCount 2 .""",
        "vetgraph",
        2,
    ),
    "flags-other-than-i": (
        b"ex:a ex:text 'first\\nsecond' . ex:b ex:text 'first second' .",
        b"ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:text ;"
        b" sh:property [ sh:path ex:text ; sh:pattern '^second$' ; sh:flags 'm' ] .",
        "vetgraph",
        1,
    ),
    "flag-x-with-a-hash-falls-back": (
        b"ex:a ex:text 'a#b' .",
        b"ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:text ;"
        b" sh:property [ sh:path ex:text ; sh:pattern 'a # b' ; sh:flags 'x' ] .",
        "pyshacl",
        None,
    ),
    "deactivated-through-node-and-not": (
        b"ex:a ex:p 1 .",
        b"""ex:Off a sh:NodeShape ; sh:deactivated true ; sh:class ex:Nothing .
            ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:node ex:Off .
            ex:T a sh:NodeShape ; sh:targetNode ex:a ; sh:not ex:Off .""",
        "vetgraph",
        1,
    ),
    "closed-on-a-property-shape-falls-back": (
        b"ex:a ex:p ex:b . ex:b ex:q 1 .",
        b"ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:closed true .",
        "pyshacl",
        None,
    ),
    "recursive-node-falls-back": (
        b"ex:a ex:knows ex:b . ex:b ex:knows ex:a .",
        b"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:knows ; sh:node ex:S ] .",
        "pyshacl",
        None,
    ),
    "value-ranges-fall-back": (
        b"ex:a ex:age -1 .",
        b"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:age ; sh:minInclusive 0 ] .",
        "pyshacl",
        1,
    ),
    "complex-paths": (
        b"ex:a ex:parent ex:b . ex:b ex:parent ex:c . ex:c ex:name 'C' .",
        b"ex:S a sh:NodeShape ; sh:targetNode ex:c ;"
        b" sh:property [ sh:path [ sh:oneOrMorePath [ sh:inversePath ex:parent ] ] ; sh:minCount 3 ] .",
        "vetgraph",
        1,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_evaluator_is_exact_or_leaves_the_shapes_to_pyshacl(case: str) -> None:
    data, shapes, engine, violations = CASES[case]
    ours, theirs = auto_and_pyshacl(data, shapes)
    assert ours.engine == engine
    assert shacl_comparable(ours) == shacl_comparable(theirs)
    if violations is not None:
        assert ours.count("Violation") == violations


def test_an_unknown_node_kind_is_an_error_not_a_crash() -> None:
    data = graphs.parse_rdf(PREFIXES + b"ex:a ex:p 1 .", "turtle")
    shapes = graphs.parse_rdf(PREFIXES + b"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:nodeKind ex:Odd .", "turtle")
    with pytest.raises(Unsupported):
        ShapesEvaluator(shapes)
    report = validate_against_shapes(data, shapes)  # pySHACL decides; it must not crash vetgraph
    assert report.engine == "pyshacl"


def test_the_pyshacl_fallback_validates_submissions(tmp_path: Path) -> None:
    """A municipality adds a rule the evaluator leaves to pySHACL: validate uses pySHACL and finds the break."""
    import shutil

    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    extra = (
        "\n<https://data.vetlanda.se/shapes/Namndmal-titel-kort> a sh:PropertyShape ;\n"
        "    sh:targetClass vtl:Namndmal ; sh:path dcterms:title ; sh:maxLength 20 ;\n"
        '    sh:sparql [ sh:select "SELECT $this WHERE { { $this ?p ?o } UNION { $this ?p ?o } FILTER(false) }" ] ;\n'
        '    sh:message "Titeln är för lång."@sv, "The title is too long."@en .\n'
    )
    shapes_file = tmp_path / "shapes" / "namndmal.ttl"
    shapes_file.write_text(shapes_file.read_text(encoding="utf-8") + extra, encoding="utf-8")
    validator = Validator(Project(tmp_path))
    assert validator.engine == "pyshacl"
    report = validator.validate_graph(valid_goal())  # "Fler invånare är fysiskt aktiva" is 31 characters
    assert not report.conforms
    assert {f.rule for f in report.findings} == {"Namndmal-titel-kort"}
    assert report.engine == "pyshacl"


@pytest.mark.parametrize("keyword", ["SERVICE <http://e.org/sparql> { ?s ?p ?o }", "FROM <file:///etc/passwd>"])
def test_shacl_sparql_in_user_shapes_never_reaches_outside(keyword: str) -> None:
    where = f"SELECT $this {(keyword.split(' ', 1)[0] == 'FROM' and keyword) or ''} WHERE {{ $this ?p ?o "
    where += f"{keyword if keyword.startswith('SERVICE') else ''} }}"
    shapes = graphs.parse_rdf(
        PREFIXES + f'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select """{where}""" ] .'.encode(),
        "turtle",
    )
    data = graphs.parse_rdf(PREFIXES + b"ex:a ex:p 1 .", "turtle")
    with pytest.raises(VetgraphError, match="could reach another server or file"):
        validate_against_shapes(data, shapes)


def test_vetgraph_shacl_command_validates_any_data(tmp_path: Path) -> None:
    data, shapes = tmp_path / "data.ttl", tmp_path / "regler.ttl"
    data.write_text((PREFIXES + b"ex:a a ex:Person . ex:b a ex:Person ; ex:name 'B' .").decode())
    shapes.write_text(
        (PREFIXES + b"ex:Person a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ;"
         b" sh:message 'Namn saknas.'@sv ] .").decode()
    )  # fmt: skip
    result = CliRunner().invoke(main, ["shacl", str(data), "--shapes", str(shapes)])
    assert result.exit_code == 1
    assert "uppfyller INTE formerna (1 fel, 0 varningar, 0 info; motor: vetgraph)" in result.stdout
    assert "FEL <https://example.org/a> <https://example.org/name> [MinCountConstraintComponent" in result.stdout
    assert "Namn saknas." in result.stdout
    result = CliRunner().invoke(main, ["shacl", str(data), "--shapes", str(shapes), "--format", "json"])
    document = json.loads(result.stdout)
    assert (document["conforms"], document["engine"], len(document["results"])) == (False, "vetgraph", 1)
    result = CliRunner().invoke(main, ["shacl", str(data), "--shapes", str(tmp_path / "saknas.ttl")])
    assert result.exit_code == 2 and "no such file" in result.stderr


# ---------------------------------------------------------------- SPARQL text read by one tokenizer (issue 17)

SPARQL_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:T ;
  sh:sparql [ sh:select \"\"\"
    {comment}
    SELECT $this WHERE {{ $this ex:p ?a , ?b . FILTER (?a != ?b) }}\"\"\" {prefixes} ] .
ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .
"""
TWO_VALUES = "@prefix ex: <https://example.org/> .\nex:a a ex:T ; ex:p 1 , 2 .\nex:b a ex:T ; ex:p 1 .\n"


@pytest.mark.parametrize(
    "comment", ["# two values of p", "# not a union of two select queries", "# SERVICE, MINUS and BIND ... AS ?this"]
)
def test_keywords_in_a_comment_of_a_shapes_sparql_are_not_the_querys(tmp_path: Path, comment: str) -> None:
    from vetgraph.validation import validate_files_against_shapes

    (tmp_path / "former.ttl").write_text(SPARQL_SHAPE.format(comment=comment, prefixes="; sh:prefixes ex:decl"))
    (tmp_path / "data.ttl").write_text(TWO_VALUES)
    report = validate_files_against_shapes([tmp_path / "data.ttl"], [tmp_path / "former.ttl"])
    assert report.engine == "vetgraph"  # not handed to pySHACL because a comment said "union" or "select"
    assert not report.conforms and {str(f.focus) for f in report.findings} == {"https://example.org/a"}


def test_an_undeclared_prefix_in_a_shapes_sparql_is_exit_2_not_a_bug(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from vetgraph.cli import main

    (tmp_path / "former.ttl").write_text(SPARQL_SHAPE.format(comment="", prefixes=""))
    (tmp_path / "data.ttl").write_text(TWO_VALUES)
    result = CliRunner().invoke(main, ["shacl", str(tmp_path / "data.ttl"), "--shapes", str(tmp_path / "former.ttl")])
    assert result.exit_code == 2, result.output
    assert "a prefix is not declared; declare its prefixes with sh:prefixes" in result.stderr
