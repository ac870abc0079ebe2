"""The published site: complete, linked, standards-conformant, and served with content negotiation."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from conftest import REPO, http_get
from municipality import BASE
from vetgraph.namespaces import ONTOLOGY_IRI
from vetgraph.profile import Profile
from vetgraph.publishing.negotiation import negotiate
from vetgraph.publishing.serve import make_server
from vetgraph.publishing.writer import publish


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    result = publish(out)
    assert result.resources > 300
    return out


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_crawling_from_the_index_finds_no_broken_internal_link(site: Path) -> None:
    todo, seen, broken = [site / "index.html"], set(), []
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if re.match(r"^[a-z]+:", link):  # http:, https:, mailto: - outside the site
                continue
            target = (page.parent / urllib.parse.unquote(link.split("#")[0].split("?")[0])).resolve()
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif target.suffix == ".html":
                todo.append(target)
    assert broken == []
    assert len(seen) > 300  # every resource page is reachable from the index


def test_every_resource_has_its_four_rdf_descriptions(site: Path) -> None:
    pages = [p for p in site.rglob("*.html") if p.name != "index.html" and (p.with_suffix(".ttl")).exists()]
    assert len(pages) > 300
    for page in pages[::25]:
        for extension, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")):
            graph = Graph().parse(page.with_suffix("." + extension), format=fmt)
            assert len(graph) > 0, page.with_suffix("." + extension)


def test_dumps_and_void(site: Path) -> None:
    turtle = Graph().parse(site / "dump" / "vetgraph.ttl")
    ntriples = Graph().parse(
        data=gzip.decompress((site / "dump" / "vetgraph.nt.gz").read_bytes()).decode(), format="nt"
    )
    jsonld = Graph().parse(site / "dump" / "vetgraph.jsonld", format="json-ld")
    assert len(turtle) == len(ntriples) == len(jsonld) > 2900
    void = Graph().parse(site / "void.ttl")
    (triples,) = void.objects(None, URIRef("http://rdfs.org/ns/void#triples"))
    assert int(str(triples)) == len(turtle)


DCAT_SHAPES = sorted((REPO / "shapes" / "dcat-ap").glob("*.ttl"))


@pytest.mark.parametrize("shapes", DCAT_SHAPES, ids=lambda p: p.stem)
def test_the_catalogue_conforms_to_dcat_ap_3(site: Path, shapes: Path) -> None:
    catalogue = Graph().parse(site / "katalog.rdf", format="xml")
    conforms, _, text = validate(catalogue, shacl_graph=Graph().parse(shapes), allow_warnings=True)
    assert conforms, text


def test_publish_refuses_a_catalogue_that_does_not_conform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vetgraph.errors import NotConformingError
    from vetgraph.publishing import writer as publish_module

    original = publish_module.dcat_catalogue

    def without_titles(
        profile: Profile, base: str, ontology: URIRef, today: str, notes: tuple[str, ...] = (), *, preview: bool = False
    ) -> Graph:
        catalogue = original(profile, base, ontology, today, notes, preview=preview)
        catalogue.remove((None, DCTERMS.title, None))
        return catalogue

    monkeypatch.setattr(publish_module, "dcat_catalogue", without_titles)
    with pytest.raises(NotConformingError, match=r"does not conform to DCAT-AP 3\.0"):
        publish(tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_the_catalogue_has_every_dcat_ap_se_mandatory_field(site: Path) -> None:
    g = Graph().parse(site / "katalog.rdf", format="xml")
    (catalogue,) = g.subjects(RDF.type, DCAT.Catalog)
    for prop in (DCTERMS.title, DCTERMS.description):
        assert list(g.objects(catalogue, prop))
    assert len(list(g.objects(catalogue, DCTERMS.publisher))) == 1
    assert len(list(g.objects(catalogue, DCTERMS.license))) == 1
    datasets = list(g.objects(catalogue, DCAT.dataset))
    assert datasets
    for dataset in datasets:
        assert list(g.objects(dataset, DCTERMS.title)) and list(g.objects(dataset, DCTERMS.description))
        assert len(list(g.objects(dataset, DCTERMS.publisher))) == 1
        for distribution in g.objects(dataset, DCAT.distribution):
            assert len(list(g.objects(distribution, DCAT.accessURL))) == 1
            assert len(list(g.objects(distribution, DCTERMS.format))) == 1
            assert isinstance(distribution, URIRef)
        assert all(isinstance(c, URIRef) for c in g.objects(dataset, DCAT.contactPoint))
    publisher = g.value(catalogue, DCTERMS.publisher)
    assert isinstance(catalogue, URIRef) and isinstance(publisher, URIRef)
    assert (publisher, RDF.type, FOAF.Agent) in g


def test_another_base_iri(tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(out, base="https://data.example.org/vetlanda/")
    dump = (out / "dump" / "vetgraph.ttl").read_text(encoding="utf-8")
    # the municipality's resources move; the shared vocabulary keeps its name (issue 17: it was moved, and the
    # pages, which look its terms up by that name, lost every sample mark)
    assert BASE + "id/" not in dump
    vocabulary = Graph().parse(data=dump, format="turtle")
    assert (None, RDF.type, URIRef(ONTOLOGY_IRI + "Namndmal")) in vocabulary
    moved = URIRef("https://data.example.org/vetlanda/id/delstrategi/god-halsa")
    assert (moved, None, None) in Graph().parse(data=dump, format="turtle")
    page = (out / "id" / "delstrategi" / "god-halsa.html").read_text(encoding="utf-8")
    assert "https://data.example.org/vetlanda/id/delstrategi/god-halsa" in page
    assert "RewriteBase /vetlanda/" in (out / ".htaccess").read_text(encoding="utf-8")


def test_a_bad_base_iri_is_refused(tmp_path: Path) -> None:
    from vetgraph.errors import VetgraphError

    with pytest.raises(VetgraphError, match="must be an http"):
        publish(tmp_path / "site", base="data.example.org")


def test_content_negotiation_picks_by_quality() -> None:
    offered = ["text/html", "text/turtle", "application/ld+json"]
    assert negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", offered) == "text/html"
    assert negotiate("text/turtle;q=0.9, application/ld+json", offered) == "application/ld+json"
    assert negotiate("text/*;q=0.5, text/turtle;q=0", offered) == "text/html"
    assert negotiate("image/png", offered) is None
    assert negotiate(None, offered) == "text/html"


# ---------------------------------------------------------------- vetgraph serve


def test_the_rules_page_shows_the_rules_the_validator_has(site: Path) -> None:
    """The goal links derived from the profile, and the strategy's guidance (SHACL-SPARQL shapes) with what its
    messages name from the data left as "…"."""
    page = (site / "regler.html").read_text(encoding="utf-8")
    assert "Nämndmålet är inte kopplat till någon delstrategi." in page  # from the profile's vtl:Malkoppling
    assert "<strong>Förslag:</strong> Förslag: strategin (Bilaga 3) knyter delstrategin ”…” till utmaningen ”…”" in page
    assert "{?" not in page


@pytest.fixture(scope="module")
def server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log_file = tmp_path_factory.mktemp("server") / "serve.log"
    with (
        log_file.open("w") as log,
        make_server(site, port=0, time_limit=2.0, result_limit=50, log=log).running() as url,
    ):
        yield url


SAMPLE = [
    "id/delstrategi/god-halsa",
    "id/namnd/socialnamnden",
    "id/namndmal/sn-2023-2026-1",
    "def/Namndmal",
    "id/rus/smart",
]
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


@pytest.mark.parametrize("path", SAMPLE)
def test_iris_dereference_to_rdf_in_every_format(server: str, path: str) -> None:
    for media_type, fmt in RDF_TYPES.items():
        status, headers, _ = http_get(f"{server}/{path}", media_type, follow=False)
        assert status == 303 and headers["Vary"] == "Accept"
        assert headers["Location"] == f"/{path}.{fmt if fmt != 'json-ld' else 'jsonld'}".replace(
            ".turtle", ".ttl"
        ).replace(".xml", ".rdf")
        status, headers, body = http_get(f"{server}/{path}", media_type)
        assert status == 200 and headers["Content-Type"].startswith(media_type)
        graph = Graph().parse(data=body.decode("utf-8"), format=fmt)
        assert (URIRef(BASE + path), None, None) in graph


def test_the_ontology_iri_dereferences_too(server: str) -> None:
    status, headers, _ = http_get(f"{server}/def/", "application/rdf+xml", follow=False)
    assert status == 303 and headers["Location"] == "/def/index.rdf"
    status, _, body = http_get(f"{server}/def/", "application/rdf+xml")
    assert status == 200 and (URIRef(BASE + "def/"), None, None) in Graph().parse(data=body, format="xml")
    status, headers, body = http_get(f"{server}/def/", "text/html")
    assert status == 200 and b"Klasser" in body


def test_browsers_get_html_and_others_get_406_or_404(server: str) -> None:
    status, headers, body = http_get(f"{server}/id/delstrategi/god-halsa", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<h1>" in body
    assert http_get(f"{server}/id/delstrategi/god-halsa", "image/png", follow=False)[0] == 406
    status, headers, body = http_get(f"{server}/id/delstrategi/finns-inte")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert http_get(f"{server}/../../etc/passwd")[0] == 404


def test_the_sparql_endpoint_answers_a_stored_query_like_vetgraph_query(server: str) -> None:
    from vetgraph.followup.queries import bind, find_query, run
    from vetgraph.store import open_store

    query = find_query("delstrategier-tackning")
    expected = run(query, open_store())
    text, _ = bind(query, {})
    status, headers, body = http_get(
        f"{server}/sparql?" + urllib.parse.urlencode({"query": text}), "application/sparql-results+json"
    )
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    import json

    bindings = json.loads(body)["results"]["bindings"]
    assert [b["delstrategi"]["value"] for b in bindings] == [str(r[4]) for r in expected.rows]
    assert [b["antalNamndmal"]["value"] for b in bindings] == [str(r[6]) for r in expected.rows]
    for accept, marker in (
        ("application/sparql-results+xml", b"<sparql"),
        ("text/csv", b"riktning,"),
        ("text/tab-separated-values", b"?riktning\t"),
    ):
        status, headers, body = http_get(
            f"{server}/sparql", accept, data=text.encode(), content_type="application/sparql-query"
        )
        assert status == 200 and marker in body, accept


def test_the_endpoint_refuses_updates_and_outside_access(server: str) -> None:
    status, headers, body = http_get(
        f"{server}/sparql", data=b"update=DROP+ALL", content_type="application/x-www-form-urlencoded"
    )
    assert status == 400 and b"read-only" in body and headers["Content-Type"].startswith("text/plain")
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    status, _, body = http_get(f"{server}/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 400 and b"SERVICE" in body
    query = "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"
    assert http_get(f"{server}/sparql?" + urllib.parse.urlencode({"query": query}))[0] == 400
    assert http_get(f"{server}/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE {"}))[0] == 400


def test_the_endpoint_cuts_results_at_the_limit(server: str) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    status, headers, body = http_get(f"{server}/sparql?" + urllib.parse.urlencode({"query": query}), "text/csv")
    assert status == 200 and body.count(b"\r\n") == 51  # header + 50 rows
    assert headers["Vetgraph-Result-Limit"] == "50; truncated"


def test_a_runaway_query_is_stopped_at_the_time_limit(server: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = http_get(f"{server}/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 503 and b"time limit of 2 s" in body
    # and the server still answers afterwards
    assert http_get(f"{server}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))[0] == 200


def test_pages_render_in_chromium_without_console_errors(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for path in (
        "index.html",
        "id/delstrategi/god-halsa.html",
        "def/index.html",
        "regler.html",
        "id/namndmal/sn-2023-2026-1",
    ):
        browser.get(f"{server}/{path}")
        assert browser.find_element("css selector", "h1").text
        problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert problems == [], path
    browser.get(f"{server}/sok.html?q=folkhälsa")
    hits = browser.find_elements("css selector", "#traffar li a")
    assert "Folkhälsa" in [hit.text for hit in hits]
    assert browser.get_log("browser") == []
    assert browser.save_screenshot(str(tmp_path / "sok.png"))


def test_a_goal_page_reads_in_order_swedish_first_and_a_committee_lists_each_goal_once(site: Path) -> None:
    goal = (site / "id" / "namndmal" / "sn-2023-2026-1.html").read_text(encoding="utf-8")
    rows = re.findall(r"<code>([a-z]+:[A-Za-z0-9]+)</code></th>", goal)
    assert rows[:10] == ["dcterms:title", "vtl:ansvarigNamnd", "vtl:mandatperiod", "vtl:kfMal", "vtl:delstrategi",
                         "vtl:medborgarperspektiv", "vtl:strategiomrade", "vtl:agenda2030", "vtl:utmaning",
                         "vtl:matt"]  # fmt: skip
    # the type, the data status and other technical rows only in the collapsed part for developers
    for_readers, _, for_developers = goal.partition('<details class="developers">')
    assert "rdf:type" not in for_readers and "rdf:type" in for_developers
    assert "För utvecklare" in for_developers
    # then how the goal is going: its judgements, latest first, after its properties
    assert for_developers.index("Bedömningar av måluppfyllelse") > for_developers.index("</details>")
    assert "Delår 2025: Delvis uppfyllt" in for_developers
    # an Agenda 2030 target: its Swedish name and the UN's text, marked as English
    other = (site / "id" / "namndmal" / "sn-2023-2026-2.html").read_text(encoding="utf-8")
    assert 'Delmål 3.4</a> <span class="muted">(<span lang="en">By 2030, reduce by one third' in other
    assert "FN:s text, på engelska" in other
    # a measure is named by its indicator, not by its IRI
    assert "Mått: Invånare 80 år och äldre som bor i ordinärt boende, andel" in goal
    assert goal.index('<li lang="sv">') < goal.index('<li lang="en">')
    committee = (site / "id" / "namnd" / "socialnamnden.html").read_text(encoding="utf-8")
    assert committee.count('href="../namndmal/sn-2023-2026-1.html"') == 1
    assert "(Socialnämnden)</span>" not in committee  # its own name after each of its goals says nothing
