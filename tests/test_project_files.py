"""The Turtle files, the ontology and the Python vocabulary module agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from conftest import REPO
from municipality import PREFIXES, PROFILE
from vetgraph.namespaces import ONTOLOGY_IRI, VTL, Namespaces, compact
from vetgraph.rdf import graphs

TURTLE_FILES = sorted(
    p for folder in ("ontology", "data", "shapes", "tests/fixtures/invalid") for p in (REPO / folder).rglob("*.ttl")
)
PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s+<([^>]*)>\s*\.", re.MULTILINE)


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_turtle_prefixes_agree_with_the_namespaces_module(path: Path) -> None:
    for prefix, namespace in PREFIX_LINE.findall(path.read_text(encoding="utf-8")):
        if prefix in PREFIXES:
            assert namespace == PREFIXES[prefix], f"{path.name}: {prefix}: is <{namespace}>"


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_project_file_parses_strictly(path: Path) -> None:
    assert len(graphs.read_rdf(path)) > 0


def ontology() -> Graph:
    return graphs.read_trusted([REPO / "ontology" / "vetlanda.ttl"])


def test_python_vocabulary_matches_the_ontology() -> None:
    graph = ontology()
    declared = {
        str(s)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY_IRI)
    }
    in_python = {str(VTL[name]) for name in VTL.__annotations__}
    assert in_python == declared


def test_a_misspelt_term_is_an_error() -> None:
    with pytest.raises(AttributeError):
        VTL.delstrategy  # noqa: B018


def test_every_vtl_term_used_in_data_or_shapes_is_declared() -> None:
    declared = {str(s) for s in ontology().subjects() if isinstance(s, URIRef)}
    for path in TURTLE_FILES:
        if "fixtures" in path.parts:
            continue  # invalid examples misspell terms on purpose
        graph = graphs.read_rdf(path)
        versions = {str(v) for v in graph.objects(None, OWL.versionIRI)}
        used = {str(n) for triple in graph for n in triple if isinstance(n, URIRef)} - versions
        unknown = {iri for iri in used if iri.startswith(ONTOLOGY_IRI) and iri not in declared}
        assert unknown <= {ONTOLOGY_IRI}, f"{path.name}: {sorted(unknown)}"


def test_ontology_header() -> None:
    graph = ontology()
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in graph
    assert graph.value(header, OWL.versionIRI) is not None
    for term in graph.subjects(RDFS.label, None):
        if str(term).startswith(ONTOLOGY_IRI):
            assert {label.language for label in graph.objects(term, RDFS.label)} == {"sv", "en"}  # type: ignore[attr-defined]


def test_compact_iris() -> None:
    assert compact("https://data.vetlanda.se/id/delstrategi/god-halsa", PROFILE.namespaces) == "ds:god-halsa"
    assert compact("http://metadata.un.org/sdg/3.4") == "sdg:3.4"
    assert compact("https://example.org/x") == "<https://example.org/x>"
    # without a municipality's namespaces, its resources are full IRIs: no base is assumed
    assert (
        compact("https://data.vetlanda.se/id/delstrategi/god-halsa")
        == "<https://data.vetlanda.se/id/delstrategi/god-halsa>"
    )
    other = Namespaces("https://data.example.se/")
    assert other.compact("https://data.example.se/id/namnd/kommunstyrelsen") == "namnd:kommunstyrelsen"
    assert other.compact("https://data.vetlanda.se/def/Namndmal") == "vtl:Namndmal"  # the shared vocabulary
