"""The one place that names vetgraph's IRIs.

Every IRI the project mints starts with ``BASE``.  The Turtle files repeat these
namespaces in their ``@prefix`` lines (Turtle has no includes); a test checks that
they agree with this module, so changing the base means changing it here and in
those prefix lines together.

``VTL`` is a closed :class:`rdflib.namespace.DefinedNamespace`: a misspelt term such
as ``VTL.delstrategy`` raises ``AttributeError`` at import time instead of quietly
minting a new IRI.
"""

from __future__ import annotations

import functools

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://data.vetlanda.se/"
ONTOLOGY_IRI = BASE + "def/"
ID = Namespace(BASE + "id/")
SHAPES = Namespace(BASE + "shapes/")

# Outside vocabularies that rdflib does not ship.
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
SDG_SCHEME_IRI = "http://metadata.un.org/sdg"
VANN = Namespace("http://purl.org/vocab/vann/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
QB = Namespace("http://purl.org/linked-data/cube#")
# The RDF Data Cube structure of every set of outcomes (ontology/vetlanda.ttl): an individual, not a term of VTL.
OUTCOME_STRUCTURE = URIRef(ONTOLOGY_IRI + "utfallsstruktur")


class VTL(DefinedNamespace):
    """Terms of the Vetlanda development-strategy ontology (``ontology/vetlanda.ttl``)."""

    _NS = Namespace(ONTOLOGY_IRI)
    _fail = True

    # Classes
    Utvecklingsstrategi: URIRef
    Vision: URIRef
    Riktning: URIRef
    Medborgarperspektiv: URIRef
    Delstrategi: URIRef
    Utmaning: URIRef
    Omvarldsanalys: URIRef
    KFMal: URIRef
    Namndmal: URIRef
    Namnd: URIRef
    Mandatperiod: URIRef
    RegionalUtvecklingsstrategi: URIRef
    RUSStrategiomrade: URIRef
    DataStatus: URIRef
    Inlamning: URIRef
    Indikator: URIRef
    Matt: URIRef
    Bedomning: URIRef
    Maluppfyllelse: URIRef
    Uppfoljningstillfalle: URIRef
    OnskadRiktning: URIRef

    # Object properties
    riktning: URIRef
    medborgarperspektiv: URIRef
    utmaning: URIRef
    delstrategi: URIRef
    kfMal: URIRef
    strategiomrade: URIRef
    agenda2030: URIRef
    foreslagetAgenda2030Mal: URIRef
    ansvarigNamnd: URIRef
    mandatperiod: URIRef
    vision: URIRef
    dataStatus: URIRef
    aktuellVersion: URIRef
    aktuellReferens: URIRef
    valideringsrapport: URIRef
    indikator: URIRef
    kommun: URIRef
    kon: URIRef
    matt: URIRef
    onskadRiktning: URIRef
    avserMal: URIRef
    uppfoljningstillfalle: URIRef
    maluppfyllelse: URIRef

    # Datatype properties
    tidshorisont: URIRef
    farg: URIRef
    versionsnummer: URIRef
    antalNamndmal: URIRef
    ar: URIRef
    varde: URIRef
    enhet: URIRef
    basar: URIRef
    basvarde: URIRef
    malvarde: URIRef
    malar: URIRef


# Prefixes for compact IRIs in reports and serialisations. The Turtle files use the
# same ones; tests/test_project_files.py checks that they agree.
PREFIXES: dict[str, str] = {
    "vtl": ONTOLOGY_IRI,
    "vsh": str(SHAPES),
    "vid": str(ID),
    "ds": str(ID) + "delstrategi/",
    "rikt": str(ID) + "riktning/",
    "persp": str(ID) + "perspektiv/",
    "ut": str(ID) + "utmaning/",
    "rus": str(ID) + "rus/",
    "status": str(ID) + "datastatus/",
    "namnd": str(ID) + "namnd/",
    "kf": str(ID) + "kf-mal/",
    "period": str(ID) + "mandatperiod/",
    "nm": str(ID) + "namndmal/",
    "uppfyllelse": str(ID) + "maluppfyllelse/",
    "tillfalle": str(ID) + "uppfoljningstillfalle/",
    "battre": str(ID) + "onskad-riktning/",
    "kon": str(ID) + "kon/",
    "kommun": str(ID) + "kommun/",
    "indikator": str(ID) + "indikator/",
    "utfall": str(ID) + "utfall/",
    "sdg": str(SDG),
    "sdgo": str(SDGO),
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": str(VANN),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def prefixes_for(base: str = BASE) -> dict[str, str]:
    """vetgraph's prefixes, with the namespaces under vetgraph's base moved under ``base``."""
    return {
        prefix: base + namespace[len(BASE) :] if namespace.startswith(BASE) else namespace
        for prefix, namespace in PREFIXES.items()
    }


def bind_prefixes(graph: Graph, base: str = BASE) -> Graph:
    """Bind vetgraph's prefixes on ``graph`` (replacing rdflib's defaults), for IRIs under ``base``."""
    for prefix, namespace in prefixes_for(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


@functools.lru_cache(maxsize=65_536)  # a report names the same few hundred IRIs thousands of times
def compact(iri: str) -> str:
    """``iri`` as ``prefix:local`` when a vetgraph prefix fits and the result is readable, else ``<iri>``."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(ch.isalnum() or ch in "-_." for ch in local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"
