"""The goal shapes' link rules come from the profile (issue 18): a link there is a rule, a message and a column."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from municipality import ID
from vetgraph.errors import VetgraphError
from vetgraph.goal_links import GOAL_SHAPE, add_goal_link_shapes, submission_shapes
from vetgraph.namespaces import SHAPES, VTL
from vetgraph.profile import GoalLink
from vetgraph.project import default_project
from vetgraph.rdf import graphs
from vetgraph.submissions.fields import goal_fields
from vetgraph.validation import validate_against_shapes


@pytest.fixture(scope="module")
def reference() -> Graph:
    return graphs.read_trusted(default_project().reference_files())


def messages(shapes: Graph, shape: URIRef) -> dict[str, str]:
    return {m.language: str(m) for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}


def test_every_link_of_vetlandas_profile_is_a_missing_and_a_wrong_value_rule(reference: Graph) -> None:
    project = default_project()
    shapes = submission_shapes(project, reference)
    rules = set(shapes.objects(GOAL_SHAPE, SH.property))
    for link in project.profile.goal_links:
        local = link.path.split("/")[-1]
        missing, wrong = SHAPES[f"Namndmal-{local}-saknas"], SHAPES[f"Namndmal-{local}-typ"]
        assert {missing, wrong} <= rules
        assert shapes.value(missing, SH.minCount) == Literal(1)
        assert set(messages(shapes, missing)) == {"sv", "en"}
        assert link.name["sv"] in messages(shapes, missing)["sv"] and f"vtl:{local}" in messages(shapes, missing)["sv"]
    # the examples are the data's own, the first in its order
    assert "t.ex. vtl:delstrategi ds:" in messages(shapes, SHAPES["Namndmal-delstrategi-saknas"])["sv"]
    assert messages(shapes, SHAPES["Namndmal-agenda2030-typ"])["sv"].endswith("t.ex. sdg:1 eller sdg:1.1 .")
    # the links only goals have mark a goal that forgot its type; utmaning (delstrategier have it too) does not
    targets = set(shapes.objects(GOAL_SHAPE, SH.targetSubjectsOf))
    assert {VTL.delstrategi, VTL.kfMal, VTL.strategiomrade, VTL.agenda2030} <= targets
    assert VTL.utmaning not in targets and VTL.medborgarperspektiv not in targets


def test_a_perspective_none_of_the_goals_delstrategier_has_is_a_warning_per_perspective(reference: Graph) -> None:
    """vtl:overensMed: one shape per perspective the delstrategier carry, under the IRIs the rules always had."""
    shapes = submission_shapes(default_project(), reference)
    for name in ("bo", "leva", "verka"):
        shape = SHAPES[f"Namndmal-perspektiv-{name}"]
        assert shapes.value(shape, SH.severity) == SH.Warning
        assert f"under {name.capitalize()}" in messages(shapes, shape)["sv"]
    goal = Graph().parse(
        data=f"""
        @prefix vtl: <https://data.vetlanda.se/def/> .
        <{ID}namndmal/x> a vtl:Namndmal ; vtl:delstrategi <{ID}delstrategi/god-halsa> ;
            vtl:medborgarperspektiv <{ID}perspektiv/verka> .""",
        format="turtle",
    )
    found = validate_against_shapes(goal + reference, shapes, engine="vetgraph").findings
    assert [f.rule for f in found if f.severity == "Warning"] == ["Namndmal-perspektiv-verka"]


def test_a_link_added_to_the_profile_is_a_rule_with_its_own_words_and_a_column(reference: Graph) -> None:
    project = default_project()
    direction = GoalLink(
        iri=URIRef(str(ID) + "malkoppling/riktning"),
        path=VTL.riktning,
        classes=(VTL.Riktning,),
        name={"sv": "riktning i strategin", "en": "direction of the strategy"},
        article="en",
        min_count=1,
        max_count=1,
        order=7,
    )
    profile = dataclasses.replace(project.profile, goal_links=(*project.profile.goal_links, direction))
    shapes = graphs.read_trusted([project.submission_shapes_file])
    add_goal_link_shapes(shapes, profile, reference)
    missing = messages(shapes, SHAPES["Namndmal-riktning-saknas"])
    assert missing["sv"].startswith("Nämndmålet är inte kopplat till någon riktning i strategin. Lägg till minst en")
    assert missing["en"].startswith("The goal is not linked to any direction of the strategy. Add at least one")
    assert "vtl:riktning" in messages(shapes, GOAL_SHAPE)["sv"]  # the closed shape's list of allowed properties
    fields = goal_fields(shapes, reference)
    field = next(f for f in fields if f.path == VTL.riktning)
    assert field.required and field.single and field.columns == ["Riktning"]
    assert [f.path for f in fields].index(VTL.riktning) == [f.path for f in fields].index(VTL.utmaning) + 1
    assert "Den hållbara kommunen" in field.choices
    # and the rule holds: a goal with two directions is refused
    goal = Graph().parse(
        data=f"""
        @prefix vtl: <https://data.vetlanda.se/def/> .
        <{ID}namndmal/x> a vtl:Namndmal ; vtl:riktning <{ID}riktning/hallbara> , <{ID}riktning/attraktiva> .""",
        format="turtle",
    )
    found = {f.rule for f in validate_against_shapes(goal + reference, shapes, engine="vetgraph").findings}
    assert "Namndmal-riktning-flera" in found and "Namndmal-delstrategi-saknas" in found
    assert "Namndmal-riktning-typ" not in found  # both are directions of the strategy


def test_a_shapes_file_that_still_describes_a_link_itself_is_a_clear_error(reference: Graph, tmp_path: Path) -> None:
    """A project made before the links moved to the profile: its hand-written rule and the profile's would merge."""
    project = default_project()
    shapes = graphs.read_trusted([project.submission_shapes_file])
    old = SHAPES["Namndmal-delstrategi-saknas"]
    shapes.add((GOAL_SHAPE, SH.property, old))
    shapes.add((old, SH.path, VTL.delstrategi))
    with pytest.raises(VetgraphError, match="describe vtl:delstrategi themselves"):
        add_goal_link_shapes(shapes, project.profile, reference, tmp_path / "namndmal.ttl")
