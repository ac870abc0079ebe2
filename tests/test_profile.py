"""The municipality's profile (data/profil.ttl, issue 18): what it says, and a clear error for what is wrong in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from vetgraph.errors import VetgraphError
from vetgraph.profile import read_profile
from vetgraph.project import Project

PROFILE = REPO / "data" / "profil.ttl"


def test_the_bundled_profile_is_vetlandas() -> None:
    profile = read_profile(PROFILE)
    assert profile.name == "Vetlanda kommun"
    assert (profile.code, profile.county_code, profile.county_name["sv"]) == ("0685", "06", "Jönköpings län")
    assert profile.base == "https://data.vetlanda.se/"
    assert str(profile.municipality) == "https://data.vetlanda.se/id/kommun/0685"
    assert profile.title == {
        "sv": "Vetlanda kommuns utvecklingsstrategi",
        "en": "Vetlanda Municipality's development strategy",
    }
    assert profile.namespaces.compact("https://data.vetlanda.se/id/namnd/socialnamnden") == "namnd:socialnamnden"
    # what a goal links to, in the order of the strategy's section on nämndmål (and the template's columns)
    assert [(profile.namespaces.compact(link.path), link.min_count, link.max_count) for link in profile.goal_links] == [
        ("vtl:kfMal", 1, None), ("vtl:delstrategi", 1, None), ("vtl:medborgarperspektiv", 1, None),
        ("vtl:strategiomrade", 1, None), ("vtl:agenda2030", 1, None), ("vtl:utmaning", 1, None),
    ]  # fmt: skip
    perspective = next(link for link in profile.goal_links if link.path.endswith("medborgarperspektiv"))
    assert perspective.agrees_with == next(link.iri for link in profile.goal_links if link.path.endswith("delstrategi"))


def test_the_profile_agrees_with_the_reference_data() -> None:
    """The publisher the profile names is the strategy's publisher, by the same name; the outcomes' municipality
    is described in the reference data."""
    from vetgraph.rdf import graphs

    project = Project(REPO)
    profile = project.profile
    reference = graphs.read_trusted(project.reference_files())
    assert PROFILE not in project.reference_files()
    names = {
        (label.language, str(label))
        for label in reference.objects(profile.publisher, None)
        if hasattr(label, "language")
    }
    assert ("sv", profile.name) in names
    assert (profile.municipality, None, None) in reference


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = PROFILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "profil.ttl"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('void:uriSpace "https://data.vetlanda.se/id/"', 'void:uriSpace "https://data.vetlanda.se/"', "ends in /id/"),
        ('skos:notation "0685"', 'skos:notation "685"', "it is 4 digits"),
        ('dcterms:title "Vetlanda kommuns utvecklingsstrategi"@sv ,', "dcterms:title", "in Swedish"),
        ("dcat:contactPoint <https://data.vetlanda.se/kontakt> ;", "", "dcat:contactPoint"),
        ('skos:notation "06"', 'skos:notation "06", "07"', "exactly one länskod"),
        # what a goal links to (vtl:malkoppling)
        (
            "vtl:egenskap vtl:delstrategi ; vtl:klass vtl:Delstrategi ;",
            "vtl:egenskap vtl:delstrategi ;",
            "needs at least one vtl:klass on vtl:malkoppling <https://data.vetlanda.se/id/malkoppling/delstrategi>",
        ),
        ('"sub-strategy"@en ; vtl:artikel "en"', '"sub-strategy"@en ; vtl:artikel "den"', 'write "en" or "ett"'),
        (
            "vtl:klass vtl:KFMal ; vtl:minstAntal 1",
            "vtl:klass vtl:KFMal ; vtl:minstAntal 1 ; vtl:hogstAntal 0",
            "vtl:hogstAntal 0",
        ),
        ("vtl:klass vtl:KFMal ; vtl:minstAntal 1", 'vtl:klass vtl:KFMal ; vtl:minstAntal "ett"', "a whole number"),
        ("vtl:egenskap vtl:utmaning ;", "vtl:egenskap vtl:delstrategi ;", "the same vtl:egenskap"),
        ("vtl:overensMed koppling:delstrategi", "vtl:overensMed koppling:riktning", "none of the vtl:malkoppling"),
        ('skos:prefLabel "KF-mål"@sv , "council goal"@en', 'skos:prefLabel "council goal"@en', "in Swedish"),
    ],
)
def test_a_wrong_profile_is_a_one_line_error_naming_the_file(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(VetgraphError) as caught:
        read_profile(broken(tmp_path, old, new))
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "profil.ttl"))
    assert "\n" not in str(caught.value)


def test_a_missing_profile_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(VetgraphError, match="vetgraph init"):
        read_profile(tmp_path / "profil.ttl")


def test_malformed_turtle_in_the_profile_names_file_and_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "dcat:Dataset , void:Dataset ;", "dcat:Dataset , void:Dataset ;;;; ]")
    with pytest.raises(VetgraphError) as caught:
        read_profile(path)
    assert str(path) in str(caught.value) and ":" in str(caught.value)
