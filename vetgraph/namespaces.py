"""The one place that names vetgraph's IRIs.

Two kinds of IRI, with different owners:

* the **shared vocabulary**: the classes and properties (``ONTOLOGY_IRI``, the project's ontology file),
  the shapes that check goals (``SHAPES``) and the code lists (``CODES``: data statuses, goal fulfilment,
  follow-up occasions, desired directions, genders; ``data/kodlistor.ttl``), which every municipality
  reuses. They stay where they were first published, beside ``ONTOLOGY_IRI`` (README, "A new
  municipality").
* each **municipality's resources** (strategy, committees, goals, outcomes): under the base its
  profile gives (``data/profil.ttl``), through a :class:`Namespaces` the library is handed.

The Turtle files repeat these namespaces in their ``@prefix`` lines (Turtle has no includes); a
test checks that they agree with this module and the profile.

``VTL`` is a closed :class:`rdflib.namespace.DefinedNamespace`: a misspelt term such
as ``VTL.delstrategy`` raises ``AttributeError`` at import time instead of quietly
minting a new IRI.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.term import Node

ONTOLOGY_IRI = "https://data.vetlanda.se/def/"
# The shapes and code lists are published beside the vocabulary they belong to, by whoever publishes it.
VOCABULARY_HOME = ONTOLOGY_IRI.removesuffix("def/")
SHAPES = Namespace(VOCABULARY_HOME + "shapes/")
CODES = Namespace(VOCABULARY_HOME + "kod/")

# Outside vocabularies that rdflib does not ship.
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
SDG_SCHEME_IRI = "http://metadata.un.org/sdg"
VANN = Namespace("http://purl.org/vocab/vann/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
QB = Namespace("http://purl.org/linked-data/cube#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# The RDF Data Cube structure of every set of outcomes (in the ontology): an individual, not a term of VTL.
OUTCOME_STRUCTURE = URIRef(ONTOLOGY_IRI + "utfallsstruktur")


class VTL(DefinedNamespace):
    """Terms of the shared development-strategy ontology (the project's ontology file)."""

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
    Malomrade: URIRef
    Malkoppling: URIRef
    Strateginiva: URIRef

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
    malomrade: URIRef
    malkoppling: URIRef
    egenskap: URIRef
    klass: URIRef
    overensMed: URIRef
    strateginiva: URIRef

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
    minstAntal: URIRef
    hogstAntal: URIRef
    ordning: URIRef
    artikel: URIRef
    iriDel: URIRef


# Prefixes for compact IRIs in reports and serialisations. The Turtle files use the
# same ones; tests/test_project_files.py checks that they agree.
SHARED_PREFIXES: dict[str, str] = {
    "vtl": ONTOLOGY_IRI,
    "vsh": str(SHAPES),
    "kod": str(CODES),
    "status": str(CODES) + "datastatus/",
    "uppfyllelse": str(CODES) + "maluppfyllelse/",
    "tillfalle": str(CODES) + "uppfoljningstillfalle/",
    "battre": str(CODES) + "onskad-riktning/",
    "kon": str(CODES) + "kon/",
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
# The municipality's own namespaces, relative to its base (the profile's IRI policy: {base}id/{kind}/{name}).
OWN_PREFIXES: dict[str, str] = {
    "vid": "id/",
    "ds": "id/delstrategi/",
    "rikt": "id/riktning/",
    "persp": "id/perspektiv/",
    "ut": "id/utmaning/",
    "mo": "id/malomrade/",
    "rus": "id/rus/",
    "namnd": "id/namnd/",
    "kf": "id/kf-mal/",
    "period": "id/mandatperiod/",
    "nm": "id/namndmal/",
    "kommun": "id/kommun/",
    "indikator": "id/indikator/",
    "utfall": "id/utfall/",
}


@dataclass(frozen=True)
class Namespaces:
    """One municipality's namespaces: its resources under ``base`` (``{base}id/...``) and the shared ones."""

    base: str
    id: Namespace = field(init=False, compare=False)
    prefixes: dict[str, str] = field(init=False, compare=False, repr=False)
    _items: tuple[tuple[str, str], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.base.endswith("/") or "://" not in self.base:
            raise ValueError(f"a base IRI ends in /: {self.base!r}")
        object.__setattr__(self, "id", Namespace(self.base + "id/"))
        own = {prefix: self.base + path for prefix, path in OWN_PREFIXES.items()}
        object.__setattr__(self, "prefixes", {**own, **SHARED_PREFIXES})
        object.__setattr__(self, "_items", tuple(self.prefixes.items()))

    def __getitem__(self, prefix: str) -> str:
        return self.prefixes[prefix]

    def bind(self, graph: Graph) -> Graph:
        """Bind these prefixes on ``graph`` (replacing rdflib's defaults)."""
        for prefix, namespace in self.prefixes.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        return graph

    def compact(self, iri: str) -> str:
        """``iri`` as ``prefix:local`` when a prefix fits and the result is readable, else ``<iri>``."""
        return _compact(iri, self._items)

    def expand(self, name: str) -> str | None:
        """The IRI of ``prefix:local``, or None if the prefix is not one of these."""
        prefix, _, local = name.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes and local else None


def compact(iri: str, namespaces: Namespaces | None = None) -> str:
    """``iri`` compacted with a municipality's ``namespaces``, or the shared prefixes only (``vtl:``, ``sdg:`` …)."""
    return namespaces.compact(iri) if namespaces is not None else _compact(iri, _SHARED_ITEMS)


_SHARED_ITEMS = tuple(SHARED_PREFIXES.items())


@functools.lru_cache(maxsize=65_536)  # a report names the same few hundred IRIs thousands of times
def _compact(iri: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    best, best_namespace = "", ""
    for prefix, namespace in prefixes:
        if iri.startswith(namespace) and len(namespace) > len(best_namespace):
            best, best_namespace = prefix, namespace
    if best:
        local = iri[len(best_namespace) :]
        if local and all(ch.isalnum() or ch in "-_." for ch in local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"


def _moves(text: str, home: str) -> bool:
    """Whether an IRI is one of the municipality's resources (under ``home``), which ``--base`` moves.

    The shared vocabulary (``ONTOLOGY_IRI``, ``SHAPES``, ``CODES``) stays: every publication reuses it
    under its own name, so that the site's pages, which look terms up by it, and anyone
    reading the data find the same terms whatever the base (they were moved once, and no
    page found a sample mark).
    """
    return text.startswith(home) and not text.startswith((ONTOLOGY_IRI, str(SHAPES), str(CODES)))


def rebase(graph: Graph, home: str, base: str) -> Graph:
    """``graph`` with every resource IRI under the municipality's ``home`` moved under ``base``."""
    if base == home:
        return graph
    moved = Graph()

    def move(node: Node) -> Node:
        if isinstance(node, URIRef) and _moves(str(node), home):
            return URIRef(base + str(node)[len(home) :])
        if isinstance(node, Literal) and not node.language and _moves(str(node), home):
            # an IRI written as text, e.g. vann:preferredNamespaceUri
            return Literal(base + str(node)[len(home) :], datatype=node.datatype)
        return node

    for s, p, o in graph:
        moved.add((move(s), move(p), move(o)))
    return moved
