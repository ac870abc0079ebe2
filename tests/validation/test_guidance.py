"""Guidance from the strategy: suggestions (sh:Info) of what a goal probably lacks, never errors.

The rules are SHACL-SPARQL shapes (vsh:Vagledning-*, shapes/namndmal.ttl): one suggestion per thing the
strategy links to the goal's delstrategier that the goal lacks, the thing as the finding's value."""

from __future__ import annotations

from rdflib import URIRef

from conftest import GOAL, valid_goal
from municipality import ID
from vetgraph.namespaces import VTL
from vetgraph.validation import Validator

DS = str(ID) + "delstrategi/"
UT = str(ID) + "utmaning/"


def suggestions(validator: Validator, goal: object) -> dict[str, dict[str, str]]:
    """rule -> (the value suggested, compact) -> its message in Swedish, for the goal's suggestions."""
    report = validator.validate_graph(goal)  # type: ignore[arg-type]
    found: dict[str, dict[str, str]] = {}
    for f in report.findings:
        if f.severity == "Info" and f.rule != "Vagledning-matt":
            found.setdefault(f.rule, {})[str(f.value).rsplit("/", 2)[-2] + ":" + str(f.value).rsplit("/", 1)[1]] = (
                f.message("sv")
            )
    return found


def test_a_goal_with_none_of_its_delstrategis_challenges_gets_them_named(validator: Validator) -> None:
    goal = valid_goal()  # ds:god-halsa; Bilaga 3 ties it to ut:folkhalsa among others
    goal.remove((GOAL, VTL.utmaning, None))
    goal.add((GOAL, VTL.utmaning, URIRef(UT + "valfardsbrottslighet")))
    report = validator.validate_graph(goal)
    assert report.conforms  # a suggestion never fails a submission
    found = suggestions(validator, goal)["Vagledning-utmaning"]
    assert found["utmaning:folkhalsa"] == (
        "Förslag: strategin (Bilaga 3) knyter delstrategin ”God hälsa och hög livskvalitet i hela kommunen” till "
        "utmaningen ”Folkhälsa”, och nämndmålet har ingen av sina delstrategiers utmaningar. Lägg till den "
        "(vtl:utmaning) om målet svarar mot den."
    )
    assert "utmaning:valfardsbrottslighet" not in found  # the goal's own
    # one of them is enough: then nothing is suggested
    goal.add((GOAL, VTL.utmaning, URIRef(UT + "folkhalsa")))
    assert "Vagledning-utmaning" not in suggestions(validator, goal)


def test_a_goal_without_its_delstrategis_perspective_gets_it(validator: Validator) -> None:
    goal = valid_goal()
    goal.add((GOAL, VTL.delstrategi, URIRef(DS + "hallbara-bostader")))  # under Bo
    found = suggestions(validator, goal)["Vagledning-perspektiv"]
    assert list(found) == ["perspektiv:bo"]
    assert found["perspektiv:bo"].startswith("Förslag: delstrategin ”Skapa attraktiva och hållbara bostäder")
    assert "hör till perspektivet ”Bo”, som nämndmålet inte har" in found["perspektiv:bo"]


def test_a_goal_with_none_of_the_proposed_sdgs_gets_them_marked_as_a_proposal(validator: Validator) -> None:
    goal = valid_goal()
    goal.remove((GOAL, VTL.agenda2030, None))
    goal.add((GOAL, VTL.agenda2030, URIRef("http://metadata.un.org/sdg/14")))
    found = suggestions(validator, goal)["Vagledning-agenda2030"]
    assert found["sdg:3"].startswith("Förslag (vetgraph-projektets förslag, inte kommunens beslut): delstrategin ”God")
    assert "Agenda 2030-mål 3 ”God hälsa och välbefinnande”" in found["sdg:3"]


def test_a_target_of_a_proposed_goal_counts_and_a_complete_goal_gets_nothing(validator: Validator) -> None:
    assert suggestions(validator, valid_goal()) == {}  # sdg:3.4 is a target of the proposed sdg:3


def test_the_rules_are_shapes_and_the_english_messages_name_the_same(validator: Validator) -> None:
    goal = valid_goal()
    goal.remove((GOAL, VTL.utmaning, None))
    report = validator.validate_graph(goal)
    (finding, *_) = [f for f in report.findings if f.rule == "Vagledning-utmaning"]
    assert (finding.source_shape, None, None) in validator.shapes  # a shape: the rules page shows it
    assert finding.message("en").startswith("Suggestion: the strategy (Bilaga 3) ties the sub-strategy “Good health")


def test_samples_get_only_suggestions_and_the_report_says_so(validator: Validator) -> None:
    from vetgraph.project import default_project

    path = default_project().sample_submissions_dir / "tekniska-namnden.ttl"
    report = validator.validate_file(path)
    assert report.conforms
    found = sorted((str(f.focus).rsplit("/", 1)[1], f.rule) for f in report.findings)
    assert found == [
        ("tn-2023-2026-2", "Vagledning-utmaning"), ("tn-2023-2026-2", "Vagledning-utmaning"),
        ("tn-2023-2026-3", "Vagledning-agenda2030"), ("tn-2023-2026-3", "Vagledning-agenda2030"),
        ("tn-2023-2026-3", "Vagledning-agenda2030"),
        ("tn-2023-2026-3", "Vagledning-utmaning"), ("tn-2023-2026-3", "Vagledning-utmaning"),
    ]  # fmt: skip
