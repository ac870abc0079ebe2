"""Messages a secretary can act on: the nearest valid IRI, the KF-mål of the right period, one finding per mistake."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from conftest import GOAL, INVALID, valid_goal
from municipality import ID
from vetgraph.namespaces import VTL
from vetgraph.rdf import graphs
from vetgraph.validation import Validator


def messages(validator: Validator, goal: Graph) -> list[str]:
    """The messages of the shapes' findings (not the strategy's guidance)."""
    report = validator.validate_graph(goal)
    assert not report.conforms
    return [f.message("sv") for f in report.findings if not f.rule.startswith("Vagledning-")]


def test_a_delstrategi_written_as_its_name_gets_its_iri(validator: Validator) -> None:
    goal = valid_goal()
    goal.remove((GOAL, VTL.delstrategi, None))
    goal.add((GOAL, VTL.delstrategi, Literal("god hälsa och hög livskvalitet i hela kommunen", lang="sv")))
    (message,) = messages(validator, goal)
    assert message.endswith(
        'Menade du ds:god-halsa "God hälsa och hög livskvalitet i hela kommunen"? '
        "Skriv resursens IRI, inte dess namn som text."
    )


def test_an_iri_with_swedish_letters_or_a_near_miss_gets_the_nearest_valid_iri(validator: Validator) -> None:
    for written in ("utmaning/samhällets-sårbarhet", "utmaning/samhallets-sarbarheten"):
        goal = valid_goal()
        goal.remove((GOAL, VTL.utmaning, None))
        goal.add((GOAL, VTL.utmaning, URIRef(str(ID) + written)))
        (message,) = messages(validator, goal)
        assert message.endswith('Menade du ut:samhallets-sarbarhet "Ökad medvetenhet om samhällets sårbarhet"?')


def test_nothing_near_gets_no_guess(validator: Validator) -> None:
    goal = valid_goal()
    goal.remove((GOAL, VTL.utmaning, None))
    goal.add((GOAL, VTL.utmaning, URIRef("https://example.org/helt-annat")))
    (message,) = messages(validator, goal)
    assert "Menade du" not in message


def test_a_kf_mal_of_the_wrong_period_names_it_and_lists_the_right_ones(validator: Validator) -> None:
    (message,) = messages(validator, graphs.read_rdf(INVALID / "kfmal-fran-annan-period.ttl"))
    assert 'Angivet: kf:2027-2030-2 "Alla invånare har möjlighet till ett gott liv i hela kommunen".' in message
    assert "KF-målen för period:2023-2026 är: kf:2023-2026-1 " in message
    assert message.count("kf:2023-2026-") == 5 and "kf:2027-2030-1" not in message


def test_a_misspelt_property_is_one_finding_not_also_a_missing_link(validator: Validator) -> None:
    goal = valid_goal()
    strategy = goal.value(GOAL, VTL.delstrategi)
    goal.remove((GOAL, VTL.delstrategi, None))
    goal.add((GOAL, URIRef(str(VTL.delstrategi) + "er"), strategy))  # vtl:delstrategier
    report = validator.validate_graph(goal)
    assert [f.rule for f in report.findings if not f.rule.startswith("Vagledning-")] == ["Namndmal"]
    # but a link that is truly missing is still reported
    goal.remove((GOAL, DCTERMS.title, None))
    goal.remove((GOAL, VTL.kfMal, None))
    assert "Namndmal-kfMal-saknas" in [f.rule for f in validator.validate_graph(goal).findings]
