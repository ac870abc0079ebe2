"""Guidance from the strategy: suggestions (sh:Info) of what a goal probably lacks, never errors."""

from __future__ import annotations

from rdflib import URIRef

from conftest import GOAL, valid_goal
from municipality import ID
from vetgraph.namespaces import VTL
from vetgraph.validation import Validator

DS = str(ID) + "delstrategi/"
UT = str(ID) + "utmaning/"


def suggestions(validator: Validator, goal: object) -> dict[str, str]:
    report = validator.validate_graph(goal)  # type: ignore[arg-type]
    return {f.rule: f.message("sv") for f in report.findings if f.severity == "Info"}


def test_a_goal_with_none_of_its_delstrategis_challenges_gets_them_named(validator: Validator) -> None:
    goal = valid_goal()  # ds:god-halsa; Bilaga 3 ties it to ut:folkhalsa among others
    goal.remove((GOAL, VTL.utmaning, None))
    goal.add((GOAL, VTL.utmaning, URIRef(UT + "valfardsbrottslighet")))
    report = validator.validate_graph(goal)
    assert report.conforms  # a suggestion never fails a submission
    message = suggestions(validator, goal)["Vagledning-utmaning"]
    assert message.startswith('Förslag: strategin (Bilaga 3) knyter ds:god-halsa "God hälsa och hög livskvalitet')
    assert 'ut:folkhalsa "Folkhälsa"' in message
    assert "valfardsbrottslighet" not in message.split(";")[0]


def test_a_goal_without_its_delstrategis_perspective_gets_it(validator: Validator) -> None:
    goal = valid_goal()
    goal.add((GOAL, VTL.delstrategi, URIRef(DS + "hallbara-bostader")))  # under Bo
    message = suggestions(validator, goal)["Vagledning-perspektiv"]
    assert message.startswith('Förslag: ds:hallbara-bostader "') and 'persp:bo "Bo"' in message


def test_a_goal_with_none_of_the_proposed_sdgs_gets_them_marked_as_a_proposal(validator: Validator) -> None:
    goal = valid_goal()
    goal.remove((GOAL, VTL.agenda2030, None))
    goal.add((GOAL, VTL.agenda2030, URIRef("http://metadata.un.org/sdg/14")))
    message = suggestions(validator, goal)["Vagledning-agenda2030"]
    assert message.startswith("Förslag (vetgraph-projektets förslag, inte kommunens beslut): ds:god-halsa")
    assert 'sdg:3 "God hälsa och välbefinnande"' in message


def test_a_target_of_a_proposed_goal_counts_and_a_complete_goal_gets_nothing(validator: Validator) -> None:
    assert suggestions(validator, valid_goal()) == {}  # sdg:3.4 is a target of the proposed sdg:3


def test_samples_get_only_suggestions_and_the_report_says_so(validator: Validator) -> None:
    from vetgraph.project import default_project

    path = default_project().sample_submissions_dir / "tekniska-namnden.ttl"
    report = validator.validate_file(path)
    assert report.conforms
    found = sorted((str(f.focus).rsplit("/", 1)[1], f.rule) for f in report.findings)
    assert found == [
        ("tn-2023-2026-2", "Vagledning-utmaning"),
        ("tn-2023-2026-3", "Vagledning-agenda2030"),
        ("tn-2023-2026-3", "Vagledning-utmaning"),
    ]
