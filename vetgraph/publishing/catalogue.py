"""The catalogue of the published data: DCAT-AP-SE for Sveriges dataportal, checked against DCAT-AP 3.0, and VoID.

Who publishes, for which place, under which licence and with which titles and keywords comes from the
municipality's profile (:mod:`vetgraph.profile`); the rest is what vetgraph publishes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import DCTERMS, RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, VOID, XSD
from rdflib.term import Node

from vetgraph.errors import NotConformingError, VetgraphError
from vetgraph.namespaces import SDGO, VCARD, Namespaces, rebase
from vetgraph.profile import Profile
from vetgraph.project import Project
from vetgraph.publishing.site import Site

DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"


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


def _moved(profile: Profile, base: str, iri: URIRef) -> URIRef:
    """One of the profile's IRIs as published under ``base``."""
    return URIRef(base + str(iri).removeprefix(profile.base)) if str(iri).startswith(profile.base) else iri


def void_description(profile: Profile, site: Site, graph: Graph, today: str) -> Graph:
    """A VoID description of the published data (``graph``, the dumps' content)."""
    base = site.base
    dataset = _moved(profile, base, profile.dataset)
    void = Namespaces(base).bind(Graph())
    void.bind("void", VOID)
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, DCTERMS.title, Literal(profile.title["sv"] + " som länkade data", lang="sv")))
    void.add((dataset, DCTERMS.license, profile.licence))
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
    example = next((s for s in site.resources if str(s).startswith(base + "id/delstrategi/")), None)
    if example is not None:
        void.add((dataset, VOID.exampleResource, example))
    void.add((dataset, VOID.rootResource, URIRef(base + "id/utvecklingsstrategi")))
    return void


def dcat_catalogue(
    profile: Profile, base: str, ontology: URIRef, today: str, notes: Sequence[str] = (), *, preview: bool = False
) -> Graph:
    """A DCAT-AP-SE catalogue (what Sveriges dataportal harvests), with every object typed for DCAT-AP 3.0.

    ``notes`` (what of the data is sample data or a proposal, :meth:`Site.status_notes`)
    end the dataset's description, so that the portal says it too. A ``preview`` (a build
    with sample data) says so in its title and is published by the vetgraph project, not
    the municipality, until the municipality publishes it.
    """
    home = profile.base
    g = profile.namespaces.bind(Graph())
    catalogue, dataset, licence = profile.catalogue, profile.dataset, profile.licence
    publisher = URIRef(home + "id/vetgraph") if preview else profile.publisher
    contact = profile.contact
    preview_sv = " (förhandsversion med exempeldata, inte utgiven av kommunen)" if preview else ""
    preview_en = " (preview with sample data, not published by the municipality)" if preview else ""
    languages = profile.languages
    themes = URIRef(EU + "data-theme")
    spatial = profile.area
    modified = Literal(today, datatype=XSD.date)

    def add(s: Node, p: Node, *objects: Node) -> None:
        for o in objects:
            g.add((s, p, o))

    add(catalogue, RDF.type, DCAT.Catalog)
    add(
        catalogue,
        DCTERMS.title,
        *(Literal(title + (preview_sv if lang == "sv" else preview_en), lang=lang)
          for lang, title in profile.catalogue_title.items()),
    )  # fmt: skip
    add(catalogue, DCTERMS.description, *(Literal(t, lang=lang) for lang, t in profile.catalogue_description.items()))
    add(catalogue, DCTERMS.publisher, publisher)
    add(catalogue, DCTERMS.license, licence)
    add(catalogue, DCAT.dataset, dataset)
    add(catalogue, DCTERMS.issued, modified)
    add(catalogue, DCTERMS.modified, modified)
    add(catalogue, DCTERMS.language, *languages)
    add(catalogue, FOAF.homepage, URIRef(home + "index.html"))
    add(catalogue, DCTERMS.spatial, spatial)
    add(catalogue, DCAT.themeTaxonomy, themes)

    add(publisher, RDF.type, FOAF.Agent, FOAF.Organization)
    if preview:
        add(publisher, FOAF.name, Literal("vetgraph-projektet", lang="sv"), Literal("the vetgraph project", lang="en"))
    else:
        add(publisher, FOAF.name, *(Literal(name, lang=lang) for lang, name in profile.publisher_name.items()))
        add(publisher, DCTERMS.type, URIRef("http://purl.org/adms/publishertype/LocalAuthority"))
    # Objects from EU and ADMS vocabularies are typed and labelled here, because the
    # DCAT-AP 3.0 shapes check them without fetching those vocabularies.
    local_authority = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
    add(local_authority, RDF.type, SKOS.Concept)
    add(local_authority, SKOS.prefLabel, Literal("Local Authority", lang="en"))
    add(contact, RDF.type, VCARD.Organization, VCARD.Kind)
    add(contact, VCARD.fn, Literal(profile.contact_name, lang="sv"))
    if profile.contact_url is not None:
        add(contact, VCARD.hasURL, profile.contact_url)
    add(spatial, RDF.type, DCTERMS.Location)
    add(spatial, SKOS.prefLabel, Literal(profile.area_name["sv"], lang="sv"))
    add(spatial, SKOS.notation, Literal(profile.code))  # kommunkod
    add(licence, RDF.type, DCTERMS.LicenseDocument)
    for language in languages:
        add(language, RDF.type, DCTERMS.LinguisticSystem)
    add(themes, RDF.type, SKOS.ConceptScheme)
    add(themes, DCTERMS.title, Literal("Data theme", lang="en"))

    add(dataset, RDF.type, DCAT.Dataset)
    add(
        dataset,
        DCTERMS.title,
        *(Literal(title, lang=lang) for lang, title in profile.title.items()),
    )
    description = (
        "Utvecklingsstrategins vision, riktningar, medborgarperspektiv, delstrategier och utmaningar, kopplade till "
        "Agenda 2030 och den regionala utvecklingsstrategin, med nämndernas mål."
    )
    add(dataset, DCTERMS.description, Literal(" ".join([description, *notes]), lang="sv"))
    add(dataset, DCTERMS.publisher, publisher)
    add(dataset, DCAT.contactPoint, contact)
    for keyword in profile.keywords:
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
    add(dataset, DCAT.landingPage, URIRef(home + "index.html"))
    add(URIRef(home + "index.html"), RDF.type, FOAF.Document)
    add(dataset, DCTERMS.language, *languages)

    distributions = [
        ("turtle", "dump/vetgraph.ttl", "RDF_TURTLE", "text/turtle", "Hela grafen som Turtle"),
        ("ntriples", "dump/vetgraph.nt.gz", "RDF_N_TRIPLES", "application/n-triples", "Hela grafen som N-Triples, gzip-komprimerad"),
        ("jsonld", "dump/vetgraph.jsonld", "JSON_LD", "application/ld+json", "Hela grafen som JSON-LD"),
        ("html", "index.html", "HTML", "text/html", "Webbplatsen med en sida per resurs"),
    ]  # fmt: skip
    for name, file, file_type, media_type, description in distributions:
        distribution = URIRef(f"{dataset}/{name}")
        url = URIRef(home + file)
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
        add(distribution, DCTERMS.license, licence)
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
    # made under the profile's IRIs, published under ``base`` (a preview's, or the profile's own)
    published = Namespaces(base).bind(rebase(g, home, base))
    for prefix, namespace in (("dcat", DCAT), ("vcard", VCARD), ("dcatap", DCATAP), ("foaf", FOAF)):
        published.bind(prefix, namespace)
    return published
