"""``vetgraph publish``: the strategy as a static linked-open-data site.

The cool-URI pattern (W3C "Cool URIs for the Semantic Web", 303 URIs forwarding
to different documents): a thing's IRI has no extension, e.g.
``https://data.vetlanda.se/id/delstrategi/god-halsa``, and is never a document;
its descriptions are documents beside it with an extension: ``…/god-halsa.html``
for people and ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` for programs. A server
answers a request for the thing with ``303 See Other`` to the document that fits
the ``Accept`` header (``.htaccess`` and ``nginx.conf`` in the output do this; so
does ``vetgraph serve``). On plain static hosting, ``…/god-halsa/index.html``
forwards a browser to the HTML page.

Every internal link is relative, so the site works from any folder, any host, or
straight from disk.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, SH, VOID, XSD
from rdflib.term import Node

from vetgraph import __version__
from vetgraph.errors import NotConformingError, VetgraphError
from vetgraph.html import render
from vetgraph.namespaces import BASE, ONTOLOGY_IRI, PREFIXES, SDG, SDGO, VTL, bind_prefixes, compact
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.rdf.formats import RDF_FORMATS
from vetgraph.rdf.output import replace_directory
from vetgraph.store.local import project_graph

# IRIs under the base that are documents the site writes (the catalogue describes some), not things.
DOCUMENT_ENDINGS = (".html", ".ttl", ".jsonld", ".nt", ".rdf", ".gz", ".css", ".js")
EXTERNAL_SDG_DIR = "extern/sdg/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name, URIRef("http://www.w3.org/2006/vcard/ns#fn"))
# Swedish names for the properties of other vocabularies that the pages show.
PROPERTY_LABELS = {
    "rdf:type": "typ",
    "skos:prefLabel": "namn",
    "skos:altLabel": "annat namn",
    "skos:definition": "definition",
    "skos:note": "anmärkning",
    "skos:scopeNote": "användning",
    "skos:notation": "beteckning",
    "skos:broader": "överordnat begrepp",
    "skos:narrower": "underordnat begrepp",
    "skos:inScheme": "i begreppsschemat",
    "skos:topConceptOf": "toppbegrepp i",
    "skos:hasTopConcept": "toppbegrepp",
    "dcterms:title": "titel",
    "dcterms:description": "beskrivning",
    "dcterms:identifier": "identifierare",
    "dcterms:source": "källa",
    "dcterms:publisher": "utgivare",
    "dcterms:creator": "upphov",
    "dcterms:temporal": "tidsperiod",
    "dcterms:license": "licens",
    "dcterms:created": "skapad",
    "dcterms:modified": "ändrad",
    "dcat:startDate": "startdatum",
    "dcat:endDate": "slutdatum",
    "org:unitOf": "del av",
    "foaf:homepage": "webbplats",
    "foaf:page": "sida",
    "prov:wasAttributedTo": "tillskrivs",
    "prov:wasDerivedFrom": "härledd ur",
    "sdgo:isTargetOf": "delmål till",
    "rdfs:subClassOf": "underklass till",
    "rdfs:subPropertyOf": "underegenskap till",
    "rdfs:domain": "domän",
    "rdfs:range": "värdemängd",
    "rdfs:label": "etikett",
    "owl:versionIRI": "versions-IRI",
    "owl:versionInfo": "version",
    "dcat:contactPoint": "kontaktpunkt",
    "dcat:distribution": "distribution",
    "dcat:dataset": "datamängd",
    "dcat:keyword": "nyckelord",
    "dcat:landingPage": "landningssida",
    "dcat:theme": "tema",
    "dcat:themeTaxonomy": "temataxonomi",
    "dcat:accessURL": "åtkomstadress",
    "dcat:downloadURL": "nedladdningsadress",
    "dcat:mediaType": "medietyp",
    "dcat:compressFormat": "komprimering",
    "dcterms:accessRights": "åtkomsträttigheter",
    "dcterms:conformsTo": "följer standarden",
    "dcterms:issued": "utgiven",
    "dcterms:language": "språk",
    "dcterms:spatial": "geografiskt område",
    "dcterms:format": "format",
    "dcterms:type": "typ av utgivare",
    "foaf:name": "namn",
}
# Characters RFC 3987 does not allow in an IRI (besides control characters).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
TEXT_PROPERTIES = (SKOS.definition, DCTERMS.description, RDFS.comment, SKOS.scopeNote)


@dataclass(frozen=True)
class PublishResult:
    out_dir: Path
    base: str
    resources: int
    files: int
    triples: int


def rebase(graph: Graph, base: str) -> Graph:
    """``graph`` with every IRI under vetgraph's base moved under ``base``."""
    if base == BASE:
        return graph
    moved = Graph()

    def move(node: Node) -> Node:
        if isinstance(node, URIRef) and str(node).startswith(BASE):
            return URIRef(base + str(node)[len(BASE) :])
        if isinstance(node, Literal) and not node.language and str(node).startswith(BASE):
            # an IRI written as text, e.g. vann:preferredNamespaceUri
            return Literal(base + str(node)[len(BASE) :], datatype=node.datatype)
        return node

    for s, p, o in graph:
        moved.add((move(s), move(p), move(o)))
    return moved


class Site:
    """The published graph and where each resource's documents go."""

    def __init__(self, graph: Graph, base: str) -> None:
        self.graph = graph
        self.base = base
        self.ontology = URIRef(base + ONTOLOGY_IRI[len(BASE) :])
        used_sdg: set[Node] = {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(SDG))}
        used_sdg |= {g for t in list(used_sdg) for g in graph.objects(t, SKOS.broader)}
        self.resources: list[URIRef] = sorted(
            {
                s
                for s in graph.subjects()
                if isinstance(s, URIRef) and str(s).startswith(base) and not str(s).endswith(DOCUMENT_ENDINGS)
            }
            | {
                s
                for s in used_sdg
                if isinstance(s, URIRef) and ((s, RDF.type, SDGO.Goal) in graph or (s, RDF.type, SDGO.Target) in graph)
            },
            key=str,
        )
        self._paths = {r: self._path(r) for r in self.resources}
        self.incoming: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in graph:
            if o in self._paths and s in self._paths and p not in (SKOS.inScheme, SKOS.topConceptOf):
                self.incoming[o].append((s, p))

    def _path(self, iri: URIRef) -> str:
        """The document path (no extension) of a resource, relative to the site root."""
        text = str(iri)
        if iri == self.ontology:
            return "def/index"
        if text.startswith(str(SDG)):
            return EXTERNAL_SDG_DIR + text[len(str(SDG)) :]
        local = text[len(self.base) :].rstrip("/")
        if (
            not local
            or local.endswith((".html", "/index"))
            or any(local.endswith("." + f.extension) for f in RDF_FORMATS.values())
        ):
            raise VetgraphError(f"cannot publish {iri}: its IRI ends like a document")
        return local

    def path(self, iri: Node) -> str | None:
        return self._paths.get(iri) if isinstance(iri, URIRef) else None

    def href(self, target: Node, from_path: str, extension: str = "html") -> str | None:
        path = self.path(target)
        if path is None:
            return None
        return os.path.relpath(f"{path}.{extension}", os.path.dirname(from_path) or ".")

    def label(self, node: Node, lang: str = "sv") -> str:
        for predicate in LABEL_PROPERTIES:
            fallback = None
            for value in self.graph.objects(node, predicate):
                if isinstance(value, Literal):
                    if value.language == lang:
                        return str(value)
                    fallback = fallback or (str(value) if value.language in (None, "", "en", "sv") else None)
            if fallback and lang == "sv":
                return fallback
        name = compact(str(node)) if isinstance(node, URIRef) else str(node)
        return PROPERTY_LABELS.get(name, name)

    def description(self, resource: URIRef) -> Graph:
        """The resource's concise bounded description: its triples and those of its blank nodes."""
        out = bind_prefixes(Graph(), self.base)
        todo: list[Node] = [resource]
        seen: set[Node] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for p, o in self.graph.predicate_objects(node):
                out.add((node, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        return out


def publish(
    out_dir: str | Path, *, base: str = BASE, project: Project | None = None, source: Graph | None = None
) -> PublishResult:
    """Write the static site for ``source`` (default: the project's graph) into ``out_dir``, replaced only when complete."""
    if not base.startswith(("http://", "https://")) or not base.endswith("/") or _NOT_IN_IRI.search(base):
        raise VetgraphError(
            f"--base must be an http(s) IRI ending in '/', without spaces or any of <>\"{{}}|^`\\, not '{base}'"
        )
    project = project or default_project()
    graph = bind_prefixes(rebase(source if source is not None else project_graph(project), base), base)
    today = datetime.date.today().isoformat()
    catalogue = dcat_catalogue(base, URIRef(base + ONTOLOGY_IRI[len(BASE) :]), today)
    _check_catalogue(catalogue, project)  # before anything is written
    # The catalogue's own resources (catalogue, dataset, distributions, contact) get pages
    # too, so that their IRIs resolve; the dumps hold the data alone.
    pages = bind_prefixes(Graph(), base)
    pages += graph
    pages += catalogue
    site = Site(pages, base)
    catalogue_iri = URIRef(base + "katalog")
    out_dir = Path(out_dir)
    files = 0
    with replace_directory(out_dir) as root:

        def write(relative: str, data: str | bytes) -> None:
            nonlocal files
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            files += 1

        for resource in site.resources:
            path = site._paths[resource]
            description = catalogue if resource == catalogue_iri else site.description(resource)
            for rdf_format in RDF_FORMATS.values():
                write(f"{path}.{rdf_format.extension}", graphs.serialize(description, rdf_format.name))
            if path == "def/index":
                continue  # the ontology's own page is the ontology documentation, written below
            write(f"{path}.html", render("resource.html.j2", **_resource_view(site, resource, path)))
            write(f"{path}/index.html", _forward(os.path.basename(path) + ".html"))
        write("stil.css", render("stil.css.j2"))
        write("index.html", render("index.html.j2", **_index_view(site, today)))
        write("def/index.html", render("ontology.html.j2", **_ontology_view(site, project)))
        write("regler.html", render("rules.html.j2", **_rules_view(project)))
        write("sok.html", render("search.html.j2", version=__version__, root="", page_title="Sök"))
        write("sokindex.js", _search_index(site))
        write("dump/vetgraph.ttl", graphs.serialize(graph, "turtle", canonical=True))
        write("dump/vetgraph.nt.gz", gzip.compress(graphs.serialize(graph, "ntriples", canonical=True), mtime=0))
        write("dump/vetgraph.jsonld", graphs.serialize(graph, "jsonld", canonical=True))
        write("void.ttl", graphs.serialize(void_description(site, graph, today), "turtle"))
        write(".htaccess", render("htaccess.j2", base_path=_base_path(base)))
        write("nginx.conf", render("nginx.conf.j2", base_path=_base_path(base)))
    return PublishResult(out_dir=out_dir, base=base, resources=len(site.resources), files=files, triples=len(graph))


def _check_catalogue(catalogue: Graph, project: Project) -> None:
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


def _base_path(base: str) -> str:
    path = "/" + base.split("://", 1)[1].split("/", 1)[1] if base.count("/") > 2 else "/"
    return path if path.endswith("/") else path + "/"


def _forward(target: str) -> str:
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


def _value_view(site: Site, value: Node, path: str) -> dict[str, Any]:
    if isinstance(value, Literal):
        return {"text": str(value), "lang": value.language, "href": None, "colour": None}
    href = site.href(value, path)
    if href is None and isinstance(value, URIRef):
        external = str(value)
        return {"text": compact(external) if not compact(external).startswith("<") else external,
                "href": external if external.startswith("http") else None, "lang": None, "colour": None}  # fmt: skip
    colour = site.graph.value(value, VTL.farg)
    return {
        "text": site.label(value) if href else "[]",
        "href": href,
        "lang": None,
        "colour": str(colour) if colour else None,
    }


def _resource_view(site: Site, resource: URIRef, path: str) -> dict[str, Any]:
    graph = site.graph
    properties = []
    for predicate in sorted(set(graph.predicates(resource)), key=lambda p: (p != RDF.type, site.label(p))):
        values = sorted(
            graph.objects(resource, predicate), key=lambda v: (str(getattr(v, "language", "") or ""), str(v))
        )
        properties.append(
            {
                "label": site.label(predicate),
                "curie": compact(str(predicate)),
                "href": site.href(predicate, path),
                "values": [_value_view(site, v, path) for v in values],
            }
        )
    incoming = [
        {"label": site.label(s), "href": site.href(s, path), "property": compact(str(p))}
        for s, p in sorted(site.incoming.get(resource, []), key=lambda sp: (compact(str(sp[1])), site.label(sp[0])))
    ]
    sections = []
    narrower = sorted(graph.objects(resource, SKOS.narrower), key=lambda n: site.label(n))
    if narrower:
        sections.append(
            {
                "title": "Underordnade begrepp",
                "items": [
                    {"label": site.label(n), "href": site.href(n, path), "colour": _colour(site, n), "note": None}
                    for n in narrower
                    if site.href(n, path)
                ],
            }
        )
    goals = sorted(
        {s for s in graph.subjects(None, resource) if (s, RDF.type, VTL.Namndmal) in graph}, key=lambda g: site.label(g)
    )
    if goals:
        sections.append(
            {
                "title": "Nämndmål",
                "items": [
                    {
                        "label": site.label(g),
                        "href": site.href(g, path),
                        "colour": None,
                        "note": f"({site.label(committee)})"
                        if (committee := graph.value(g, VTL.ansvarigNamnd)) is not None
                        else None,
                    }
                    for g in goals
                ],
            }
        )
    status = graph.value(resource, VTL.dataStatus)
    status_text = (
        {
            "exempel": "Exempeldata: påhittad men realistisk, inte kommunens beslut.",
            "forslag": "Förslag från vetgraph-projektet, inte kommunens beslut.",
        }.get(str(status).rsplit("/", 1)[-1])
        if status
        else None
    )
    return {
        "version": __version__,
        "root": os.path.relpath(".", os.path.dirname(path) or ".") + "/" if os.path.dirname(path) else "",
        "page_title": site.label(resource),
        "iri": str(resource),
        "label_sv": site.label(resource, "sv"),
        "label_en": site.label(resource, "en"),
        "types": [
            {"label": site.label(t), "href": site.href(t, path) or str(t)}
            for t in sorted(graph.objects(resource, RDF.type), key=str)
        ],
        "status": status_text,
        "text_sv": _texts(site, resource, "sv"),
        "text_en": _texts(site, resource, "en"),
        "colour": _colour(site, resource),
        "breadcrumbs": _breadcrumbs(site, resource, path),
        "sections": sections,
        "properties": properties,
        "incoming": incoming,
        "alternates": [
            {"label": label, "media_type": media_type, "href": os.path.basename(path) + "." + extension}
            for extension, media_type, label in ((f.extension, f.media_type, f.label) for f in RDF_FORMATS.values())
        ],
    }


def _colour(site: Site, node: Node) -> str | None:
    value = site.graph.value(node, VTL.farg)
    if value is None:
        goal = site.graph.value(node, SKOS.broader)
        value = site.graph.value(goal, VTL.farg) if goal is not None else None
    return str(value) if value else None


def _breadcrumbs(site: Site, resource: Node, path: str) -> list[dict[str, str]]:
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
    return [{"label": site.label(n), "href": href} for n in reversed(chain) if (href := site.href(n, path)) is not None]


def _index_view(site: Site, today: str) -> dict[str, Any]:
    graph, base = site.graph, site.base

    def items(nodes: Iterable[Node], note: Any = None) -> list[dict[str, Any]]:
        return [
            {"label": site.label(n), "href": site.href(n, "index"), "colour": _colour(site, n),
             "note": note(n) if note else None}
            for n in nodes
        ]  # fmt: skip

    vision = URIRef(base + "id/vision")
    riktningar = sorted(graph.objects(vision, SKOS.narrower), key=site.label)
    tree = [
        {
            "riktning": items([r])[0],
            "delstrategier": items(
                sorted(graph.subjects(VTL.riktning, r), key=site.label),
                note=lambda d: f"{len(set(graph.subjects(VTL.delstrategi, d)))} nämndmål",
            ),
        }
        for r in riktningar
    ]
    committees = sorted(graph.subjects(RDF.type, VTL.Namnd), key=site.label)
    return {
        "version": __version__,
        "root": "",
        "page_title": "Start",
        "generated": today,
        "vision": items([vision])[0],
        "vision_text": _texts(site, vision, "sv"),
        "tree": tree,
        "perspektiv": items(sorted(graph.subjects(RDF.type, VTL.Medborgarperspektiv), key=site.label)),
        "utmaningar": items(sorted(graph.subjects(RDF.type, VTL.Utmaning), key=site.label)),
        "rus": items(
            sorted(graph.subjects(RDF.type, VTL.RUSStrategiomrade), key=lambda n: str(graph.value(n, SKOS.notation)))
        ),
        "sdg": items(
            sorted(
                (n for n in site.resources if (n, RDF.type, SDGO.Goal) in graph),
                key=lambda n: int(str(graph.value(n, SKOS.notation))),
            )
        ),
        "namnder": [
            {
                "namnd": items([c])[0],
                "mal": items(sorted(graph.subjects(VTL.ansvarigNamnd, c), key=site.label)),
            }
            for c in committees
        ],
        "kf": items(sorted(graph.subjects(RDF.type, VTL.KFMal), key=str)),
        "triples": len(graph),
    }


def _ontology_view(site: Site, project: Project) -> dict[str, Any]:
    graph, path = site.graph, "def/index"
    terms = sorted(
        (
            t
            for t in graph.subjects(RDF.type, None)
            if isinstance(t, URIRef) and str(t).startswith(str(site.ontology)) and t != site.ontology
        ),
        key=str,
    )

    def term_view(term: URIRef) -> dict[str, Any]:
        return {
            "curie": "vtl:" + str(term)[len(str(site.ontology)) :],
            "href": site.href(term, path),
            "label_sv": site.label(term, "sv"),
            "label_en": site.label(term, "en"),
            "definition_sv": " ".join(_texts(site, term, "sv")),
            "definition_en": " ".join(_texts(site, term, "en")),
            "super": [_value_view(site, s, path) for s in graph.objects(term, RDFS.subClassOf)]
            + [_value_view(site, s, path) for s in graph.objects(term, RDFS.subPropertyOf)],
            "domain": [_value_view(site, s, path) for s in graph.objects(term, RDFS.domain)],
            "range": [_value_view(site, s, path) for s in graph.objects(term, RDFS.range)],
        }

    kinds = {OWL.Class: "classes", OWL.ObjectProperty: "object_properties", OWL.DatatypeProperty: "datatype_properties"}
    view: dict[str, Any] = {name: [] for name in kinds.values()}
    for term in terms:
        for kind, name in kinds.items():
            if (term, RDF.type, kind) in graph:
                view[name].append(term_view(term))
    header = site.ontology
    view.update(
        {
            "version": __version__,
            "root": "../",
            "page_title": "Ontologi",
            "iri": str(header),
            "title_sv": next(
                (str(t) for t in graph.objects(header, DCTERMS.title) if getattr(t, "language", None) == "sv"), ""
            ),
            "title_en": next(
                (str(t) for t in graph.objects(header, DCTERMS.title) if getattr(t, "language", None) == "en"), ""
            ),
            "description_sv": next(
                (str(t) for t in graph.objects(header, DCTERMS.description) if getattr(t, "language", None) == "sv"), ""
            ),
            "version_iri": str(graph.value(header, OWL.versionIRI)),
            "version_info": str(graph.value(header, OWL.versionInfo)),
            "licence": str(graph.value(header, DCTERMS.license)),
            "modified": str(graph.value(header, DCTERMS.modified)),
            "prefix": "vtl",
            "alternates": [
                {"label": label, "media_type": media_type, "href": f"index.{extension}"}
                for extension, media_type, label in ((f.extension, f.media_type, f.label) for f in RDF_FORMATS.values())
            ],
        }
    )
    return view


def _rules_view(project: Project) -> dict[str, Any]:
    """The submission shapes in words: what a nämndmål must contain, for a committee secretary."""
    shapes = graphs.read_trusted([project.submission_shapes])
    goal_shape = URIRef(str(PREFIXES["vsh"]) + "Namndmal")
    required, checks = [], []
    for shape in shapes.objects(goal_shape, SH.property):
        message = next((str(m) for m in shapes.objects(shape, SH.message) if getattr(m, "language", None) == "sv"), "")
        path = shapes.value(shape, SH.path)
        entry = {"property": compact(str(path)), "message": message}
        if shapes.value(shape, SH.minCount) is not None or shapes.value(shape, SH.qualifiedMinCount) is not None:
            required.append(entry)
        else:
            checks.append(entry)
    consistency = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        if shape == goal_shape or not (shapes.value(shape, SH.targetSubjectsOf) or shapes.value(shape, SH.targetClass)):
            continue
        severity = "varning" if shapes.value(shape, SH.severity) == SH.Warning else "fel"
        message = next((str(m) for m in shapes.objects(shape, SH.message) if getattr(m, "language", None) == "sv"), "")
        consistency.append({"severity": severity, "message": message})
    closed = next((str(m) for m in shapes.objects(goal_shape, SH.message) if getattr(m, "language", None) == "sv"), "")
    return {
        "version": __version__,
        "root": "",
        "page_title": "Vad ett nämndmål måste innehålla",
        "required": sorted(required, key=lambda e: e["property"]),
        "checks": sorted(checks, key=lambda e: e["property"]),
        "consistency": consistency,
        "closed": closed,
    }


def _search_index(site: Site) -> str:
    entries = [
        {
            "label": site.label(r, "sv"),
            "en": site.label(r, "en"),
            "type": ", ".join(sorted(site.label(t) for t in site.graph.objects(r, RDF.type))),
            "href": f"{site._paths[r]}.html",
        }
        for r in site.resources
    ]
    return "window.VETGRAPH_SOKINDEX = " + json.dumps(entries, ensure_ascii=False) + ";\n"


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


def dcat_catalogue(base: str, ontology: URIRef, today: str) -> Graph:
    """A DCAT-AP-SE catalogue (what Sveriges dataportal harvests), with every object typed for DCAT-AP 3.0."""
    g = bind_prefixes(Graph(), base)
    for prefix, namespace in (("dcat", DCAT), ("vcard", VCARD), ("dcatap", DCATAP), ("foaf", FOAF)):
        g.bind(prefix, namespace)
    catalogue, dataset = URIRef(base + "katalog"), URIRef(base + "dataset/utvecklingsstrategi")
    publisher, contact = URIRef(base + "id/vetlanda-kommun"), URIRef(base + "kontakt")
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
        Literal("Vetlanda kommuns länkade data", lang="sv"),
        Literal("Vetlanda Municipality linked data", lang="en"),
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
    add(dataset, DCTERMS.description, Literal(
        "Utvecklingsstrategins vision, riktningar, medborgarperspektiv, delstrategier och utmaningar, kopplade till "
        "Agenda 2030 och den regionala utvecklingsstrategin, med nämndernas mål. Nämnder, KF-mål och nämndmål är "
        "exempeldata; kopplingen delstrategi–Agenda 2030 är ett förslag.", lang="sv"))  # fmt: skip
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
