"""Names for RDF resources, for people: the one label resolver, with one order.

A resource's name is the first of these that it has, in this order:
``skos:prefLabel``, ``dcterms:title``, ``rdfs:label``, ``foaf:name``,
``vcard:fn``. Of each property, a value in the language asked for wins; else a
value without a language tag, then Swedish, then English, then any. Graphs are
searched in the order given (e.g. a submission before the reference data), the
first graph with a name deciding. Properties of other vocabularies without a name
in the data get a Swedish one from ``PROPERTY_LABELS``; anything else shows as
its compact IRI (``ds:god-halsa``). Follow-up resources, which have no label of
their own, are named from what they say: a measure by its indicator ("Mått:
…"), a judgement by its occasion and status, an outcome by indicator, year,
gender and value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from vetgraph.namespaces import QB, VTL, compact

LABEL_PROPERTIES = (
    SKOS.prefLabel,
    DCTERMS.title,
    RDFS.label,
    FOAF.name,
    URIRef("http://www.w3.org/2006/vcard/ns#fn"),
)
_FALLBACK_LANGUAGES = ("", "sv", "en")

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
    "rdfs:comment": "kommentar",
    "prov:generatedAtTime": "tidpunkt",
    "qb:dataSet": "datamängd",
    "qb:structure": "struktur",
    "qb:component": "komponent",
}


def find_label(graphs: Graph | Iterable[Graph], node: Node | None, lang: str = "sv") -> str | None:
    """The name of ``node`` in ``graphs`` (see the module's order), or None if it has none."""
    if node is None or isinstance(node, Literal):
        return None
    for graph in [graphs] if isinstance(graphs, Graph) else graphs:
        for predicate in LABEL_PROPERTIES:
            values = [v for v in graph.objects(node, predicate) if isinstance(v, Literal)]
            if not values:
                continue
            by_language = {(v.language or ""): str(v) for v in reversed(values)}
            for language in (lang, *_FALLBACK_LANGUAGES):
                if language in by_language:
                    return by_language[language]
            return str(values[0])
    return None


def display_name(graphs: Graph | Iterable[Graph], node: Node, lang: str = "sv") -> str:
    """A name to show for ``node``: its label, a Swedish name for another vocabulary's property, or its compact IRI."""
    found = find_label(graphs, node, lang)
    if found is not None:
        return found
    if isinstance(graphs, Graph):
        described = _follow_up_name(graphs, node, lang)
        if described is not None:
            return described
    name = compact(str(node)) if isinstance(node, URIRef) else str(node)
    return PROPERTY_LABELS.get(name, name)


def _follow_up_name(graph: Graph, node: Node, lang: str) -> str | None:
    """A name for a measure, a judgement or an outcome, from what it says (they have no label of their own)."""

    def value(predicate: URIRef) -> Node | None:
        return graph.value(node, predicate)

    def name(target: Node | None) -> str:
        return display_name(graph, target, lang) if target is not None else "?"

    types = set(graph.objects(node, RDF.type))
    if VTL.Matt in types:
        return f"Mått: {name(value(VTL.indikator))}"
    if VTL.Bedomning in types:
        return f"{name(value(VTL.uppfoljningstillfalle))} {value(VTL.ar)}: {name(value(VTL.maluppfyllelse))}"
    if QB.Observation in types:
        return f"{name(value(VTL.indikator))}, {value(VTL.ar)}, {name(value(VTL.kon)).lower()}: {value(VTL.varde)}"
    return None


def natural_order(text: object) -> tuple[object, ...]:
    """A sort key that reads numbers as numbers: "3.4" before "3.10", "rad 2" before "rad 10", sdg:3 before sdg:10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", str(text)))
