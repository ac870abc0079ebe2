"""What a page claims must be true (issue 17, "honesty"): sample and proposal marks on every page, under any base.

Before this round, `publish --base https://data.example.org/x/` published the 28
invented goals without a single "Exempeldata" (the pages looked the status up under
the old base); the sample measures had no mark at all; the sample Kolada outcomes
said "Källa: Kolada"; and every page said "Utgiven av Vetlanda kommun".
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SKOS

from conftest import REPO
from municipality import BASE
from vetgraph.namespaces import CODES, ONTOLOGY_IRI, VTL
from vetgraph.publishing.writer import publish

OTHER_BASE = "https://data.example.org/x/"
STATUS = str(CODES) + "datastatus/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    default, other = tmp_path_factory.mktemp("standard") / "site", tmp_path_factory.mktemp("annan") / "site"
    publish(default)
    publish(other, base=OTHER_BASE)
    yield default, other


def normalised(text: str, base: str) -> str:
    """A page with its base written as @BASE@ (the shared vocabulary and its code lists keep their own names under
    every base)."""
    return text.replace(ONTOLOGY_IRI, "@VOCAB@").replace(str(CODES), "@CODES@").replace(base, "@BASE@")


def test_publish_with_another_base_writes_every_page_as_with_the_default_one(sites: tuple[Path, Path]) -> None:
    """Every kind of page (resources, start page, ontology, rules, search): the same page, but for the base."""
    default, other = sites
    pages = sorted(p.relative_to(default) for p in default.rglob("*.html"))
    assert pages == sorted(p.relative_to(other) for p in other.rglob("*.html"))
    differing = [
        str(page)
        for page in pages
        if normalised((default / page).read_text(encoding="utf-8"), BASE)
        != normalised((other / page).read_text(encoding="utf-8"), OTHER_BASE)
    ]
    assert differing == []


@pytest.mark.parametrize("which", [0, 1], ids=["default-base", "other-base"])
def test_every_sample_goal_page_carries_the_sample_mark_under_any_base(sites: tuple[Path, Path], which: int) -> None:
    goals = sorted((sites[which] / "id" / "namndmal").glob("*.html"))
    assert len(goals) == 28
    assert all("Exempeldata" in page.read_text(encoding="utf-8") for page in goals)
    start = (sites[which] / "index.html").read_text(encoding="utf-8")
    assert "Exempeldata" in start and "Förslag" in start


def data_files() -> list[Path]:
    return [Path(f) for f in sorted(glob.glob(str(REPO / "data" / "**" / "*.ttl"), recursive=True))]


# What the outside world says and vetgraph only repeats (the UN's SDGs, organisations, Kolada's
# codes), and the data-status scheme itself: these carry no status of their own.
OUTSIDE_TYPES = {
    URIRef("http://metadata.un.org/sdg/ontology#Goal"),
    URIRef("http://metadata.un.org/sdg/ontology#Target"),
    ORG.FormalOrganization,
    ORG.OrganizationalUnit,
    PROV.Agent,
    VTL.DataStatus,
}


def test_every_sample_and_proposal_resource_is_marked() -> None:
    """Each resource a file in data/ defines (types) carries its status; in data/exempel/, the sample status."""
    everything = Graph()
    defined: dict[URIRef, Path] = {}
    for path in data_files():
        graph = Graph().parse(path)
        everything += graph
        defined.update({s: path for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)})
    unmarked = []
    for resource, path in sorted(defined.items()):
        status = everything.value(resource, VTL.dataStatus)
        if "exempel" in path.parts:
            if status != URIRef(STATUS + "exempel"):
                unmarked.append(f"{path.name}: {resource} (sample data)")
        elif (
            status is None
            and not set(everything.objects(resource, RDF.type)) & OUTSIDE_TYPES
            and not _outside_scheme(everything, resource)
        ):
            unmarked.append(f"{path.name}: {resource}")
    assert unmarked == []


def _outside_scheme(graph: Graph, resource: URIRef) -> bool:
    """Kolada's gender codes and the data-status and SDG schemes: the outside world's, repeated."""
    scheme = graph.value(resource, SKOS.inScheme) or resource
    return str(scheme) in (str(CODES["kon"]), str(CODES["datastatus"]), "http://metadata.un.org/sdg") or (
        resource == CODES["kon"]
    )


def test_every_page_of_a_sample_or_proposal_resource_shows_its_notice(sites: tuple[Path, Path]) -> None:
    default = sites[0]
    graph = Graph().parse(default / "dump" / "vetgraph.ttl")
    missing = []
    for resource, status in graph.subject_objects(VTL.dataStatus):
        if status == URIRef(STATUS + "kalldokument") or not str(resource).startswith(BASE):
            continue
        page = default / (str(resource)[len(BASE) :] + ".html")
        definition = next(str(d) for d in graph.objects(status, SKOS.definition) if d.language == "sv")
        text = page.read_text(encoding="utf-8")
        if '<p class="notice">' not in text or definition.split(".")[0] not in text:
            missing.append(str(resource))
    assert missing == []
    assert any("/matt/" in str(r) for r, _ in graph.subject_objects(VTL.dataStatus))  # measures are marked now


def test_proposed_sdg_links_say_they_are_a_proposal_on_the_delstrategi_page(sites: tuple[Path, Path]) -> None:
    page = (sites[0] / "id" / "delstrategi" / "god-halsa.html").read_text(encoding="utf-8")
    row = page.split("föreslaget Agenda 2030-mål", 1)[1].split("</tr>", 1)[0]
    assert '<p class="notice">Förslag: Uppgiften saknas i källdokumentet' in row


def test_only_what_was_fetched_from_kolada_says_it_came_from_kolada() -> None:
    for path in data_files():
        graph = Graph().parse(path)
        assert (None, DCTERMS.source, Literal("Källa: Kolada")) not in graph, path.name


def test_a_build_with_sample_data_is_a_preview_not_the_municipalitys_publication(sites: tuple[Path, Path]) -> None:
    default = sites[0]
    for page in ("index.html", "id/namndmal/sn-2023-2026-1.html", "def/index.html", "regler.html", "sok.html"):
        text = (default / page).read_text(encoding="utf-8")
        assert "Förhandsversion med exempeldata" in text, page
        assert "Utgiven av Vetlanda kommun" not in text, page
    catalogue = Graph().parse(default / "katalog.ttl")
    publisher = catalogue.value(URIRef(BASE + "katalog"), DCTERMS.publisher)
    assert publisher == URIRef(BASE + "id/vetgraph")
    assert (publisher, FOAF.name, Literal("vetgraph-projektet", lang="sv")) in catalogue
    titles = {t.language: str(t) for t in catalogue.objects(URIRef(BASE + "katalog"), DCTERMS.title)}
    assert "förhandsversion med exempeldata" in titles["sv"] and "preview with sample data" in titles["en"]


def test_the_ontology_page_lists_each_term_once(sites: tuple[Path, Path]) -> None:
    page = (sites[0] / "def" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
