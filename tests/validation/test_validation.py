"""Committee submissions against the shapes: samples conform, each invalid example breaks its one rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from conftest import GOAL, INVALID, REQUIRED_LINKS, valid_goal
from municipality import ID
from vetgraph.namespaces import SDG, VTL
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.validation import Validator


def expected_findings(path: Path) -> list[str]:
    """The '# expect: SEVERITY RULE' lines at the top of an invalid example."""
    return sorted(
        line.removeprefix("# expect: ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    )


def found(report: object) -> list[str]:
    """The findings of the shapes' rules (the strategy's guidance, Vagledning-*, is tested in test_guidance.py)."""
    return sorted(
        f"{f.severity} {f.rule}"
        for f in report.findings  # type: ignore[attr-defined]
        if not f.rule.startswith("Vagledning-")
    )


@pytest.mark.parametrize("path", default_project().sample_submissions(), ids=lambda p: p.stem)
def test_each_sample_submission_conforms_without_warnings(validator: Validator, path: Path) -> None:
    report = validator.validate_file(path)
    assert found(report) == []
    assert {f.severity for f in report.findings} <= {"Info"}  # at most the strategy's suggestions
    assert report.conforms
    assert len(report.goals) >= 4


INVALID_EXAMPLES = sorted(INVALID.glob("*.ttl"))


@pytest.mark.parametrize("path", INVALID_EXAMPLES, ids=lambda p: p.stem)
def test_each_invalid_example_breaks_exactly_its_rule(validator: Validator, path: Path) -> None:
    expected = expected_findings(path)
    assert expected, f"{path.name} has no '# expect:' line"
    report = validator.validate_file(path)
    assert found(report) == expected
    assert report.conforms == (not any(e.startswith("Violation") for e in expected))


FOLLOW_UP_SHAPES = ("Matt", "Indikator", "Utfall", "Bedomning")
# Shapes that check nothing themselves, so nothing can break them: they allow a property on a closed shape.
NOTHING_TO_BREAK = {
    "Indikator-kalla",
    *(f"Utfallsmangd-{p}" for p in ("titel", "beskrivning", "kalla", "utgivare", "tid", "harledd")),
}


def test_there_is_an_invalid_example_for_every_rule_of_the_goal_and_follow_up_shapes(validator: Validator) -> None:
    rules = {rule.split()[1] for path in INVALID_EXAMPLES for rule in expected_findings(path)}
    rules |= {f"Namndmal-{link}-saknas" for link in REQUIRED_LINKS.values()}
    shapes = {
        str(s).removeprefix(str(ID).replace("/id/", "/shapes/"))
        for s in validator.shapes.subjects()
        if isinstance(s, URIRef)
        and str(s).removeprefix(str(ID).replace("/id/", "/shapes/")).startswith(("Namndmal", *FOLLOW_UP_SHAPES))
    }
    assert len(shapes) > 60
    assert shapes - rules - NOTHING_TO_BREAK == set()


def test_a_submission_with_its_follow_up_conforms(validator: Validator) -> None:
    report = validator.validate_file(INVALID.parent / "valid" / "uppfoljning.ttl")
    assert report.conforms
    assert [f for f in report.findings if f.severity != "Info"] == []


def test_the_valid_goal_conforms(validator: Validator) -> None:
    assert found(validator.validate_graph(valid_goal())) == []


@pytest.mark.parametrize("link", list(REQUIRED_LINKS), ids=list(REQUIRED_LINKS.values()))
def test_removing_a_required_link_fails_with_that_rule(validator: Validator, link: URIRef) -> None:
    goal = valid_goal()
    goal.remove((GOAL, link, None))
    report = validator.validate_graph(goal)
    assert not report.conforms
    assert found(report) == [f"Violation Namndmal-{REQUIRED_LINKS[link]}-saknas"]
    finding = report.findings[0]
    assert finding.focus == GOAL
    assert finding.path == link
    # The message names the property to add, in both languages.
    prefixed = "vtl:" + REQUIRED_LINKS[link]
    assert prefixed in finding.message("sv") and prefixed in finding.message("en")


def test_removing_the_swedish_title_fails(validator: Validator) -> None:
    goal = valid_goal()
    goal.remove((GOAL, DCTERMS.title, None))
    goal.add((GOAL, DCTERMS.title, Literal("More residents are physically active", lang="en")))
    assert found(validator.validate_graph(goal)) == ["Violation Namndmal-titel-sv"]


def test_a_target_alone_implies_its_goal(validator: Validator) -> None:
    goal = valid_goal()
    assert set(goal.objects(GOAL, VTL.agenda2030)) == {SDG["3.4"]}
    assert validator.validate_graph(goal).conforms


def test_validation_leaves_the_reference_data_alone(validator: Validator) -> None:
    before = len(validator.reference)
    tampering = graphs.parse_rdf((INVALID / "ny-etikett-pa-delstrategi.ttl").read_bytes(), "turtle")
    validator.validate_graph(tampering)
    assert len(validator.reference) == before
    # and a clean goal validated afterwards is not affected by the earlier submission
    assert validator.validate_graph(valid_goal()).conforms


def test_switching_a_shape_off_is_reported_and_not_obeyed(validator: Validator) -> None:
    report = validator.validate_file(INVALID / "stanger-av-regel.ttl")
    assert not report.conforms
    rules = {f.rule for f in report.findings}
    assert "Namndmal-delstrategi-saknas" in rules  # the shape still ran
    assert "Inlamning-referensdata" in rules  # and the attempt is reported


def test_relabelling_a_delstrategi_is_reported(validator: Validator) -> None:
    report = validator.validate_file(INVALID / "ny-etikett-pa-delstrategi.ttl")
    (finding,) = [f for f in report.findings if not f.rule.startswith("Vagledning-")]
    assert finding.focus == URIRef(str(ID) + "delstrategi/god-halsa")
    assert finding.value == Literal("Mer idrott", lang="sv")


def test_inference_is_not_run_so_a_subproperty_cannot_stand_in(validator: Validator) -> None:
    report = validator.validate_file(INVALID / "egen-underegenskap.ttl")
    assert "Namndmal-delstrategi-saknas" in {f.rule for f in report.findings}


def test_a_validator_can_use_another_project_folder(tmp_path: Path, project: Project) -> None:
    # VETGRAPH_HOME-style: a copy of the project is a project too.
    import shutil

    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(project.root / folder, tmp_path / folder)
    other = Validator(Project(tmp_path))
    assert other.validate_graph(valid_goal()).conforms
    assert RDF.type in set(other.shapes.predicates())


REFERENCE_CLASSES = [
    "Utvecklingsstrategi", "Vision", "Riktning", "Medborgarperspektiv", "Delstrategi", "Utmaning", "Omvarldsanalys",
    "KFMal", "Namnd", "Mandatperiod", "RegionalUtvecklingsstrategi", "RUSStrategiomrade", "DataStatus",
    "Maluppfyllelse", "Uppfoljningstillfalle", "OnskadRiktning",
]  # fmt: skip


def submission_resources() -> list[str]:
    text = (INVALID.parent / "valid" / "uppfoljning.ttl").read_text(encoding="utf-8")
    return sorted({line.split()[0] for line in text.splitlines() if line.startswith(("ex:", "nm:")) and " a " in line})


@pytest.mark.parametrize("resource", submission_resources())
@pytest.mark.parametrize("reference_class", REFERENCE_CLASSES)
def test_a_submission_can_type_none_of_its_resources_with_a_reference_data_class(
    validator: Validator, tmp_path: Path, resource: str, reference_class: str
) -> None:
    """Issue 17: a data set also typed vtl:Delstrategi and vtl:Namnd was accepted, and stored a committee-minted
    delstrategi. A mutant per reference class and per kind of resource a submission holds (and a new one)."""
    valid = (INVALID.parent / "valid" / "uppfoljning.ttl").read_text(encoding="utf-8")
    for subject in (resource, "<https://example.org/ny>"):
        mutant = tmp_path / "mutant.ttl"
        mutant.write_text(valid + f"\n{subject} a vtl:{reference_class} .\n", encoding="utf-8")
        assert not validator.validate_file(mutant).conforms, f"{subject} a vtl:{reference_class}"
