"""What each published page shows, gathered from the site's graph into the view models of :mod:`.views`.

A resource, the start page, the ontology, and the rules for nämndmål (read
from the shapes); plus the static search page's index.
"""

from __future__ import annotations

import json
import os

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH
from rdflib.term import Node

from vetgraph.namespaces import QB, SDG, SDGO, SHAPES, VTL, compact
from vetgraph.publishing.site import Site
from vetgraph.publishing.views import (
    Alternate,
    Branch,
    CommitteeGoals,
    Consistency,
    Incoming,
    IndexPage,
    Link,
    OntologyPage,
    Property,
    ResourcePage,
    Rule,
    RulesPage,
    Section,
    Term,
    Value,
)
from vetgraph.rdf.formats import RDF_FORMATS
from vetgraph.validation.sparql_constraints import without_variables

TEXT_PROPERTIES = (SKOS.definition, DCTERMS.description, RDFS.comment, SKOS.scopeNote)


def root_of(path: str) -> str:
    """The relative way from a page at ``path`` back to the site's root."""
    return os.path.relpath(".", os.path.dirname(path)) + "/" if os.path.dirname(path) else ""


def forwarding_page(target: str) -> str:
    """A page that forwards a browser on static hosting from a thing's folder to its HTML page."""
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url=../{target}"><title>Vidare</title></head>'
        f'<body><p><a href="../{target}">Till sidan</a></p></body></html>\n'
    )


def _texts(site: Site, resource: Node, lang: str) -> list[str]:
    for predicate in TEXT_PROPERTIES:
        for value in site.graph.objects(resource, predicate):
            if isinstance(value, Literal) and value.language == lang:
                return [p.strip() for p in str(value).split("\n\n") if p.strip()]
    return []


def _sv(graph: Graph, node: Node, predicate: URIRef) -> str:
    return next((str(t) for t in graph.objects(node, predicate) if getattr(t, "language", None) == "sv"), "")


def _colour(site: Site, node: Node) -> str | None:
    value = site.graph.value(node, VTL.farg)
    if value is None:
        goal = site.graph.value(node, SKOS.broader)
        value = site.graph.value(goal, VTL.farg) if goal is not None else None
    return str(value) if value else None


def _value(site: Site, value: Node, path: str) -> Value:
    if isinstance(value, Literal):
        return Value(text=str(value), lang=value.language)
    if (value, RDF.type, SDGO.Target) in site.graph:  # "Delmål 3.4" says little: the UN's text, which is English
        english = site.label(value, "en")
        return Value(text=site.label(value), href=site.href(value, path), colour=_colour(site, value), english=english)
    href = site.href(value, path)
    if href is None and isinstance(value, URIRef):
        external = str(value)
        shown = site.namespaces.compact(external)
        text = shown if not shown.startswith("<") else external
        return Value(text=text, href=external if external.startswith("http") else None)
    own_colour = site.graph.value(value, VTL.farg)
    return Value(text=site.label(value) if href else "[]", href=href, colour=str(own_colour) if own_colour else None)


def _link(site: Site, node: Node, path: str, note: str | None = None) -> Link:
    return Link(label=site.label(node), href=site.href(node, path), colour=_colour(site, node), note=note)


def _alternates(stem: str) -> list[Alternate]:
    return [Alternate(f.label, f.media_type, f"{stem}.{f.extension}") for f in RDF_FORMATS.values()]


# The order a reader takes in a goal (and anything else): what it is called, whose, when, what it links to, how it
# is followed up; a measure, a judgement and an outcome likewise; the rest by name.
_FIRST_PROPERTIES: list[Node] = [
    DCTERMS.title, SKOS.prefLabel, VTL.ansvarigNamnd, VTL.mandatperiod, VTL.kfMal, VTL.delstrategi,
    VTL.medborgarperspektiv, VTL.strategiomrade, VTL.agenda2030, VTL.utmaning, VTL.matt,
    VTL.avserMal, VTL.uppfoljningstillfalle, VTL.maluppfyllelse, RDFS.comment, PROV.wasAttributedTo,
    VTL.indikator, VTL.enhet, VTL.basar, VTL.basvarde, VTL.malvarde, VTL.malar, VTL.onskadRiktning,
    VTL.kommun, VTL.ar, VTL.kon, VTL.varde, DCTERMS.source, PROV.generatedAtTime,
]  # fmt: skip
# What only developers need (types, the SKOS and OWL scaffolding, Data Cube plumbing): in a collapsed part.
TECHNICAL_PROPERTIES = {
    RDF.type, SKOS.broader, SKOS.narrower, SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept, SKOS.notation,
    SDGO.isTargetOf, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.versionIRI, OWL.versionInfo,
    QB.dataSet, QB.structure, QB.component, VTL.dataStatus,
}  # fmt: skip


def _property_order(predicate: Node, site: Site) -> tuple[int, str]:
    if predicate in _FIRST_PROPERTIES:
        return _FIRST_PROPERTIES.index(predicate), ""
    return (len(_FIRST_PROPERTIES) + (predicate == RDF.type), site.label(predicate))


def _swedish_first(value: Node) -> tuple[int, str, str]:
    """Swedish values first, then untagged, then other languages (English), each in text order."""
    language = str(getattr(value, "language", "") or "")
    return ({"sv": 0, "": 1}.get(language, 2), language, str(value))


def resource_page(site: Site, resource: URIRef, path: str) -> ResourcePage:
    graph = site.graph
    all_properties = [
        Property(
            label=site.label(predicate),
            curie=compact(str(predicate)),
            href=site.href(predicate, path),
            values=[_value(site, v, path) for v in sorted(graph.objects(resource, predicate), key=_swedish_first)],
            technical=predicate in TECHNICAL_PROPERTIES,
            note=site.statement_notes.get(predicate),
        )
        for predicate in sorted(set(graph.predicates(resource)), key=lambda p: _property_order(p, site))
    ]
    properties = [p for p in all_properties if not p.technical]
    technical = [p for p in all_properties if p.technical]
    sections = []
    narrower = [n for n in sorted(graph.objects(resource, SKOS.narrower), key=site.order) if site.href(n, path)]
    if narrower:
        sections.append(Section("Underordnade begrepp", [_link(site, n, path) for n in narrower]))
    goals = sorted({s for s in graph.subjects(None, resource) if (s, RDF.type, VTL.Namndmal) in graph}, key=site.order)
    if goals:
        items = []
        for goal in goals:
            committee = graph.value(goal, VTL.ansvarigNamnd)
            # on a committee's own page, its name after each of its goals says nothing
            note = f"({site.label(committee)})" if committee is not None and committee != resource else None
            items.append(Link(site.label(goal), site.href(goal, path), None, note))
        sections.append(Section("Nämndmål", items))
    judgements = sorted(graph.subjects(VTL.avserMal, resource), key=site.order)
    follow_up = []  # after the goal's properties: first what it is, then how it is going
    if judgements:
        follow_up.append(
            Section(
                "Bedömningar av måluppfyllelse",
                [_link(site, j, path, _sv(graph, j, RDFS.comment) or None) for j in reversed(judgements)],
            )
        )
    # The goals and judgements are listed above; "Används av" lists what else links here (each thing once).
    listed = {*goals, *judgements}
    incoming = [
        Incoming(label=site.label(s), href=site.href(s, path), property=site.label(p))
        for s, p in sorted(site.incoming.get(resource, []), key=lambda sp: (compact(str(sp[1])), site.order(sp[0])))
        if s not in listed
    ]
    return ResourcePage(
        page_title=site.label(resource),
        root=root_of(path),
        iri=str(resource),
        label_sv=site.label(resource, "sv"),
        label_en=site.label(resource, "en"),
        # in the heading, the types a reader knows by a Swedish name; all of them under "för utvecklare"
        types=[
            Link(site.label(t), site.href(t, path) or str(t))
            for t in sorted(graph.objects(resource, RDF.type), key=str)
            if site.label(t) != compact(str(t))
        ],
        status=site.status_note(graph.value(resource, VTL.dataStatus)),
        text_sv=_texts(site, resource, "sv"),
        text_en=_texts(site, resource, "en"),
        colour=_colour(site, resource),
        breadcrumbs=_breadcrumbs(site, resource, path),
        sections=sections,
        follow_up=follow_up,
        properties=properties,
        technical=technical,
        incoming=incoming,
        alternates=_alternates(os.path.basename(path)),
    )


def _breadcrumbs(site: Site, resource: Node, path: str) -> list[Link]:
    chain: list[Node] = []
    node: Node | None = resource
    while node is not None and len(chain) < 6:
        # vision <- riktning <- delstrategi <- nämndmål: follow the strategy's own hierarchy
        parent = (
            site.graph.value(node, VTL.riktning)
            or site.graph.value(node, VTL.vision)
            or next(iter(sorted(site.graph.objects(node, VTL.delstrategi), key=str)), None)
            or (site.graph.value(node, SKOS.broader) if str(node).startswith(str(SDG)) else None)
        )
        if parent is None or parent in chain:
            break
        chain.append(parent)
        node = parent
    return [Link(site.label(n), href) for n in reversed(chain) if (href := site.href(n, path)) is not None]


def index_page(site: Site, today: str) -> IndexPage:
    graph, base = site.graph, site.base
    vision = URIRef(base + "id/vision")

    def links(nodes: list[Node]) -> list[Link]:
        return [_link(site, n, "index") for n in nodes]

    tree = [
        Branch(
            direction=_link(site, direction, "index"),
            sub_strategies=[
                _link(site, d, "index", note=f"{len(set(graph.subjects(VTL.delstrategi, d)))} nämndmål")
                for d in sorted(graph.subjects(VTL.riktning, direction), key=site.order)
            ],
        )
        for direction in sorted(graph.objects(vision, SKOS.narrower), key=site.order)
    ]
    return IndexPage(
        page_title="Start",
        root="",
        generated=today,
        notices=site.status_notes(),
        vision=_link(site, vision, "index"),
        vision_text=_texts(site, vision, "sv"),
        tree=tree,
        perspectives=links(sorted(graph.subjects(RDF.type, VTL.Medborgarperspektiv), key=site.order)),
        challenges=links(sorted(graph.subjects(RDF.type, VTL.Utmaning), key=site.order)),
        rus_areas=links(
            sorted(graph.subjects(RDF.type, VTL.RUSStrategiomrade), key=lambda n: str(graph.value(n, SKOS.notation)))
        ),
        sdg_goals=links(
            sorted(
                (n for n in site.resources if (n, RDF.type, SDGO.Goal) in graph),
                key=lambda n: int(str(graph.value(n, SKOS.notation))),
            )
        ),
        committees=[
            CommitteeGoals(_link(site, c, "index"), links(sorted(graph.subjects(VTL.ansvarigNamnd, c), key=site.order)))
            for c in sorted(graph.subjects(RDF.type, VTL.Namnd), key=site.order)
        ],
        council_goals=links(sorted(graph.subjects(RDF.type, VTL.KFMal), key=str)),
        triples=len(graph),
    )


def ontology_page(site: Site) -> OntologyPage:
    graph, path, header = site.graph, "def/index", site.ontology
    kinds: dict[URIRef, list[Term]] = {OWL.Class: [], OWL.ObjectProperty: [], OWL.DatatypeProperty: []}
    for term in sorted(  # each term once, however many types it has (it was listed once per type)
        {t for t in graph.subjects(RDF.type, None) if isinstance(t, URIRef) and str(t).startswith(str(header))},
        key=str,
    ):
        if term == header:
            continue
        view = Term(
            curie="vtl:" + str(term)[len(str(header)) :],
            href=site.href(term, path),
            label_sv=site.label(term, "sv"),
            label_en=site.label(term, "en"),
            definition_sv=" ".join(_texts(site, term, "sv")),
            definition_en=" ".join(_texts(site, term, "en")),
            super=[
                _value(site, s, path)
                for p in (RDFS.subClassOf, RDFS.subPropertyOf)
                for s in sorted(graph.objects(term, p), key=str)
            ],
            domain=[_value(site, s, path) for s in sorted(graph.objects(term, RDFS.domain), key=str)],
            range=[_value(site, s, path) for s in sorted(graph.objects(term, RDFS.range), key=str)],
        )
        for kind, terms in kinds.items():
            if (term, RDF.type, kind) in graph:
                terms.append(view)
    return OntologyPage(
        page_title="Ontologi",
        root="../",
        iri=str(header),
        title_sv=_sv(graph, header, DCTERMS.title),
        title_en=next(
            (str(t) for t in graph.objects(header, DCTERMS.title) if getattr(t, "language", None) == "en"), ""
        ),
        description_sv=_sv(graph, header, DCTERMS.description),
        version_iri=str(graph.value(header, OWL.versionIRI)),
        version_info=str(graph.value(header, OWL.versionInfo)),
        licence=str(graph.value(header, DCTERMS.license)),
        modified=str(graph.value(header, DCTERMS.modified)),
        classes=kinds[OWL.Class],
        object_properties=kinds[OWL.ObjectProperty],
        datatype_properties=kinds[OWL.DatatypeProperty],
        alternates=_alternates("index"),
    )


def rules_page(shapes: Graph) -> RulesPage:
    """The submission shapes in words: what a nämndmål must contain, for a committee secretary."""
    goal_shape = SHAPES["Namndmal"]
    required, checks = [], []
    for shape in shapes.objects(goal_shape, SH.property):
        rule = Rule(property=compact(str(shapes.value(shape, SH.path))), message=_sv(shapes, shape, SH.message))
        if shapes.value(shape, SH.minCount) is not None or shapes.value(shape, SH.qualifiedMinCount) is not None:
            required.append(rule)
        else:
            checks.append(rule)
    severities: dict[Node | None, str] = {SH.Warning: "varning", SH.Info: "förslag"}
    # the rules with targets of their own: consistency between links, and the strategy's guidance (whose
    # messages name what the data has, {?delstrategi}: "…" here)
    consistency = [
        Consistency(
            severity=severities.get(shapes.value(shape, SH.severity), "fel"),
            message=without_variables(_sv(shapes, shape, SH.message)),
        )
        for kind in (SH.NodeShape, SH.PropertyShape)
        for shape in sorted(shapes.subjects(RDF.type, kind), key=str)
        if shape != goal_shape and (shapes.value(shape, SH.targetSubjectsOf) or shapes.value(shape, SH.targetClass))
    ]
    return RulesPage(
        page_title="Vad ett nämndmål måste innehålla",
        root="",
        required=sorted(required, key=lambda r: r.property),
        checks=sorted(checks, key=lambda r: r.property),
        consistency=consistency,
        closed=_sv(shapes, goal_shape, SH.message),
    )


def search_index(site: Site) -> str:
    """The static search page's index: a name, its English name, its types and its page, per resource."""
    entries = [
        {
            "label": site.label(r, "sv"),
            "en": site.label(r, "en"),
            "type": ", ".join(sorted(site.label(t) for t in site.graph.objects(r, RDF.type))),
            "href": f"{site.paths[r]}.html",
        }
        for r in site.resources
    ]
    return "window.VETGRAPH_SOKINDEX = " + json.dumps(entries, ensure_ascii=False) + ";\n"
