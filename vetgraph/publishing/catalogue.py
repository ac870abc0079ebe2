"""The catalogue of the published data: DCAT-AP-SE for Sveriges dataportal, checked against DCAT-AP 3.0, and VoID."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import DCTERMS, RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, VOID, XSD
from rdflib.term import Node

from vetgraph.errors import NotConformingError, VetgraphError
from vetgraph.namespaces import SDGO, bind_prefixes
from vetgraph.project import Project
from vetgraph.publishing.site import Site

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")


def check_catalogue(catalogue: Graph, project: Project) -> None:
    """Refuse to publish a catalogue that Sveriges dataportal would reject: it must meet the DCAT-AP 3.0 shapes."""
    from vetgraph.validation import check_against

    shape_files = sorted((project.shapes_dir / "dcat-ap").glob("*.ttl"))
    if not shape_files:
        raise VetgraphError("the DCAT-AP shapes are missing", path=project.shapes_dir / "dcat-ap")
    violations = check_against(catalogue, shape_files)
    if violations:
        first = violations[0]
        raise NotConformingError(
            f"the DCAT catalogue does not conform to DCAT-AP 3.0 ({len(violations)} violations); "
            f"first: {first.focus} {first.path}: {first.message('en')}"
        )


def void_description(site: Site, graph: Graph, today: str) -> Graph:
    """A VoID description of the published data (``graph``, the dumps' content)."""
    base = site.base
    dataset = URIRef(base + "dataset/utvecklingsstrategi")
    void = bind_prefixes(Graph(), base)
    void.bind("void", VOID)
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, DCTERMS.title, Literal("Vetlanda kommuns utvecklingsstrategi som länkade data", lang="sv")))
    void.add((dataset, DCTERMS.license, LICENCE))
    void.add((dataset, DCTERMS.modified, Literal(today, datatype=XSD.date)))
    void.add((dataset, VOID.triples, Literal(len(graph))))
    void.add((dataset, VOID.entities, Literal(len(site.resources))))
    void.add((dataset, VOID.uriSpace, Literal(base + "id/")))
    void.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    for name in ("vetgraph.ttl", "vetgraph.nt.gz", "vetgraph.jsonld"):
        void.add((dataset, VOID.dataDump, URIRef(base + "dump/" + name)))
    for vocabulary in (
        site.ontology,
        URIRef(str(SKOS)),
        URIRef(str(DCTERMS)),
        URIRef("http://www.w3.org/ns/org#"),
        SDGO[""],
    ):
        void.add((dataset, VOID.vocabulary, vocabulary))
    void.add((dataset, VOID.exampleResource, URIRef(base + "id/delstrategi/god-halsa")))
    void.add((dataset, VOID.rootResource, URIRef(base + "id/utvecklingsstrategi")))
    return void


def dcat_catalogue(
    base: str, ontology: URIRef, today: str, notes: Sequence[str] = (), *, preview: bool = False
) -> Graph:
    """A DCAT-AP-SE catalogue (what Sveriges dataportal harvests), with every object typed for DCAT-AP 3.0.

    ``notes`` (what of the data is sample data or a proposal, :meth:`Site.status_notes`)
    end the dataset's description, so that the portal says it too. A ``preview`` (a build
    with sample data) says so in its title and is published by the vetgraph project, not
    the municipality, until the municipality publishes it.
    """
    g = bind_prefixes(Graph(), base)
    for prefix, namespace in (("dcat", DCAT), ("vcard", VCARD), ("dcatap", DCATAP), ("foaf", FOAF)):
        g.bind(prefix, namespace)
    catalogue, dataset = URIRef(base + "katalog"), URIRef(base + "dataset/utvecklingsstrategi")
    publisher = URIRef(base + ("id/vetgraph" if preview else "id/vetlanda-kommun"))
    contact = URIRef(base + "kontakt")
    preview_sv = " (förhandsversion med exempeldata, inte utgiven av kommunen)" if preview else ""
    preview_en = " (preview with sample data, not published by the municipality)" if preview else ""
    swedish, english = URIRef(EU + "language/SWE"), URIRef(EU + "language/ENG")
    themes = URIRef(EU + "data-theme")
    spatial = URIRef(base + "id/omrade/vetlanda-kommun")
    modified = Literal(today, datatype=XSD.date)

    def add(s: Node, p: Node, *objects: Node) -> None:
        for o in objects:
            g.add((s, p, o))

    add(catalogue, RDF.type, DCAT.Catalog)
    add(
        catalogue,
        DCTERMS.title,
        Literal("Vetlanda kommuns länkade data" + preview_sv, lang="sv"),
        Literal("Vetlanda Municipality linked data" + preview_en, lang="en"),
    )
    add(
        catalogue,
        DCTERMS.description,
        Literal("Datakatalog för Vetlanda kommuns utvecklingsstrategi som länkade data.", lang="sv"),
    )
    add(catalogue, DCTERMS.publisher, publisher)
    add(catalogue, DCTERMS.license, LICENCE)
    add(catalogue, DCAT.dataset, dataset)
    add(catalogue, DCTERMS.issued, modified)
    add(catalogue, DCTERMS.modified, modified)
    add(catalogue, DCTERMS.language, swedish, english)
    add(catalogue, FOAF.homepage, URIRef(base + "index.html"))
    add(catalogue, DCTERMS.spatial, spatial)
    add(catalogue, DCAT.themeTaxonomy, themes)

    add(publisher, RDF.type, FOAF.Agent, FOAF.Organization)
    if preview:
        add(publisher, FOAF.name, Literal("vetgraph-projektet", lang="sv"), Literal("the vetgraph project", lang="en"))
    else:
        add(publisher, FOAF.name, Literal("Vetlanda kommun", lang="sv"))
        add(publisher, DCTERMS.type, URIRef("http://purl.org/adms/publishertype/LocalAuthority"))
    # Objects from EU and ADMS vocabularies are typed and labelled here, because the
    # DCAT-AP 3.0 shapes check them without fetching those vocabularies.
    local_authority = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
    add(local_authority, RDF.type, SKOS.Concept)
    add(local_authority, SKOS.prefLabel, Literal("Local Authority", lang="en"))
    add(contact, RDF.type, VCARD.Organization, VCARD.Kind)
    add(contact, VCARD.fn, Literal("Vetlanda kommun, utvecklingsavdelningen", lang="sv"))
    add(contact, VCARD.hasURL, URIRef("https://www.vetlanda.se/"))
    add(spatial, RDF.type, DCTERMS.Location)
    add(spatial, SKOS.prefLabel, Literal("Vetlanda kommun", lang="sv"))
    add(spatial, SKOS.notation, Literal("0685"))  # kommunkod
    add(LICENCE, RDF.type, DCTERMS.LicenseDocument)
    add(swedish, RDF.type, DCTERMS.LinguisticSystem)
    add(english, RDF.type, DCTERMS.LinguisticSystem)
    add(themes, RDF.type, SKOS.ConceptScheme)
    add(themes, DCTERMS.title, Literal("Data theme", lang="en"))

    add(dataset, RDF.type, DCAT.Dataset)
    add(
        dataset,
        DCTERMS.title,
        Literal("Vetlanda kommuns utvecklingsstrategi", lang="sv"),
        Literal("Vetlanda Municipality's development strategy", lang="en"),
    )
    description = (
        "Utvecklingsstrategins vision, riktningar, medborgarperspektiv, delstrategier och utmaningar, kopplade till "
        "Agenda 2030 och den regionala utvecklingsstrategin, med nämndernas mål."
    )
    add(dataset, DCTERMS.description, Literal(" ".join([description, *notes]), lang="sv"))
    add(dataset, DCTERMS.publisher, publisher)
    add(dataset, DCAT.contactPoint, contact)
    for keyword in ("utvecklingsstrategi", "nämndmål", "Agenda 2030", "regional utvecklingsstrategi", "Vetlanda"):
        add(dataset, DCAT.keyword, Literal(keyword, lang="sv"))
    for theme, label_sv, label_en in (
        ("GOVE", "Regeringen och den offentliga sektorn", "Government and public sector"),
        ("REGI", "Regioner och städer", "Regions and cities"),
    ):
        concept = URIRef(f"{EU}data-theme/{theme}")
        add(dataset, DCAT.theme, concept)
        add(concept, RDF.type, SKOS.Concept)
        add(concept, SKOS.prefLabel, Literal(label_sv, lang="sv"), Literal(label_en, lang="en"))
    add(dataset, DCTERMS.issued, modified)
    add(dataset, DCTERMS.modified, modified)
    add(dataset, DCTERMS.spatial, spatial)
    add(dataset, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC"))
    add(URIRef(EU + "access-right/PUBLIC"), RDF.type, DCTERMS.RightsStatement)
    add(dataset, DCTERMS.conformsTo, ontology)
    add(ontology, RDF.type, DCTERMS.Standard)
    add(dataset, DCAT.landingPage, URIRef(base + "index.html"))
    add(URIRef(base + "index.html"), RDF.type, FOAF.Document)
    add(dataset, DCTERMS.language, swedish, english)

    distributions = [
        ("turtle", "dump/vetgraph.ttl", "RDF_TURTLE", "text/turtle", "Hela grafen som Turtle"),
        ("ntriples", "dump/vetgraph.nt.gz", "RDF_N_TRIPLES", "application/n-triples", "Hela grafen som N-Triples, gzip-komprimerad"),
        ("jsonld", "dump/vetgraph.jsonld", "JSON_LD", "application/ld+json", "Hela grafen som JSON-LD"),
        ("html", "index.html", "HTML", "text/html", "Webbplatsen med en sida per resurs"),
    ]  # fmt: skip
    for name, file, file_type, media_type, description in distributions:
        distribution = URIRef(f"{base}dataset/utvecklingsstrategi/{name}")
        url = URIRef(base + file)
        add(dataset, DCAT.distribution, distribution)
        add(distribution, RDF.type, DCAT.Distribution)
        add(distribution, DCAT.accessURL, url)
        if name != "html":
            add(distribution, DCAT.downloadURL, url)
        add(distribution, DCTERMS.format, URIRef(f"{EU}file-type/{file_type}"))
        add(URIRef(f"{EU}file-type/{file_type}"), RDF.type, DCTERMS.MediaTypeOrExtent)
        media = URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")
        add(distribution, DCAT.mediaType, media)
        add(media, RDF.type, DCTERMS.MediaType)
        add(distribution, DCTERMS.description, Literal(description, lang="sv"))
        add(distribution, DCTERMS.title, Literal(description, lang="sv"))
        add(distribution, DCTERMS.license, LICENCE)
        add(distribution, DCATAP.availability, URIRef(EU + "planned-availability/STABLE"))
        add(URIRef(EU + "planned-availability/STABLE"), RDF.type, SKOS.Concept)
        add(URIRef(EU + "planned-availability/STABLE"), SKOS.prefLabel, Literal("stable", lang="en"))
        if name == "ntriples":
            add(
                distribution,
                DCAT.compressFormat,
                URIRef("http://www.iana.org/assignments/media-types/application/gzip"),
            )
            add(URIRef("http://www.iana.org/assignments/media-types/application/gzip"), RDF.type, DCTERMS.MediaType)
    return g
