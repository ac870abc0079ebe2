"""The published site's model: which resources get pages, where each one's documents go, and their names.

The cool-URI pattern (W3C "Cool URIs for the Semantic Web", 303 URIs forwarding
to different documents): a thing's IRI has no extension, e.g.
``{base}id/delstrategi/god-halsa``, and is never a document;
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

import os
from collections import defaultdict

from rdflib import RDF, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import VOID
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.labels import display_name, natural_order
from vetgraph.namespaces import CODES, ONTOLOGY_IRI, SDG, SDGO, VTL, Namespaces
from vetgraph.rdf.formats import RDF_FORMATS

# IRIs under the base that are documents the site writes (the catalogue describes some), not things.
DOCUMENT_ENDINGS = (".html", ".ttl", ".jsonld", ".nt", ".rdf", ".gz", ".css", ".js")
EXTERNAL_SDG_DIR = "extern/sdg/"
STATUS_FROM_SOURCE = CODES["datastatus/kalldokument"]
STATUS_SAMPLE = CODES["datastatus/exempel"]


class Site:
    """The published graph and where each resource's documents go."""

    def __init__(self, graph: Graph, base: str, publisher: str) -> None:
        self.graph = graph
        self.base = base
        self.namespaces = Namespaces(base)
        self.publisher = publisher  # the municipality's name, from its profile
        self.ontology = URIRef(ONTOLOGY_IRI)
        self.from_source = STATUS_FROM_SOURCE
        self._labels: dict[tuple[Node, str], str] = {}
        used_sdg: set[Node] = {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(SDG))}
        used_sdg |= {g for t in list(used_sdg) for g in graph.objects(t, SKOS.broader)}
        self.resources: list[URIRef] = sorted(
            {
                s
                for s in graph.subjects()
                if isinstance(s, URIRef)
                and str(s).startswith((base, ONTOLOGY_IRI, str(CODES)))
                and not str(s).endswith(DOCUMENT_ENDINGS)
            }
            | {
                s
                for s in used_sdg
                if isinstance(s, URIRef) and ((s, RDF.type, SDGO.Goal) in graph or (s, RDF.type, SDGO.Target) in graph)
            },
            key=str,
        )
        self.paths: dict[URIRef, str] = {r: self._path(r) for r in self.resources}
        # Statements whose data set says they are a proposal or a sample (void:propertyPartition), by property.
        self.statement_notes: dict[Node, str] = {}
        for dataset, status in graph.subject_objects(VTL.dataStatus):
            note = self.status_note(status)
            if note is None:
                continue
            for partition in graph.objects(dataset, VOID.propertyPartition):
                for predicate in graph.objects(partition, VOID.property):
                    self.statement_notes[predicate] = note
        self.incoming: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in graph:
            if o in self.paths and s in self.paths and p not in (SKOS.inScheme, SKOS.topConceptOf):
                self.incoming[o].append((s, p))

    def _path(self, iri: URIRef) -> str:
        """The document path (no extension) of a resource, relative to the site root."""
        text = str(iri)
        if iri == self.ontology:
            return "def/index"
        if text.startswith(str(SDG)):
            return EXTERNAL_SDG_DIR + text[len(str(SDG)) :]
        # the vocabulary's terms are documented under def/, its code lists under kod/, whatever the base
        if text.startswith(ONTOLOGY_IRI):
            local = "def/" + text[len(ONTOLOGY_IRI) :]
        elif text.startswith(str(CODES)):
            local = "kod/" + text[len(str(CODES)) :]
        else:
            local = text[len(self.base) :]
        local = local.rstrip("/")
        if (
            not local
            or local.endswith((".html", "/index"))
            or any(local.endswith("." + f.extension) for f in RDF_FORMATS.values())
        ):
            raise VetgraphError(f"cannot publish {iri}: its IRI ends like a document")
        return local

    def path(self, iri: Node) -> str | None:
        """The document path (no extension) of a published resource, or None if it has no page."""
        return self.paths.get(iri) if isinstance(iri, URIRef) else None

    def href(self, target: Node, from_path: str, extension: str = "html") -> str | None:
        path = self.path(target)
        if path is None:
            return None
        return os.path.relpath(f"{path}.{extension}", os.path.dirname(from_path) or ".")

    def label(self, node: Node, lang: str = "sv") -> str:
        """The name to show for ``node`` (:func:`vetgraph.labels.display_name`)."""
        key = (node, lang)
        if key not in self._labels:
            self._labels[key] = display_name(self.graph, node, lang)
        return self._labels[key]

    @property
    def has_samples(self) -> bool:
        """Whether the site shows sample data: then it is a preview, and says so on every page and in its catalogue."""
        return (None, VTL.dataStatus, STATUS_SAMPLE) in self.graph

    def imprint(self, version: str) -> str:
        """Who publishes the site, as every page's footer says: a preview with sample data is not the municipality's."""
        publisher = self.publisher
        if self.has_samples:
            return (
                f"Förhandsversion med exempeldata, gjord med vetgraph {version}; inte utgiven av {publisher}, "
                "och exempeldata är inte kommunens beslut."
            )
        return f"Utgiven av {publisher} med vetgraph {version}."

    def order(self, node: Node) -> tuple[object, str]:
        """A sort key: by name as people read it (numbers as numbers), then by IRI, so that resources with
        the same name are always in the same order."""
        return natural_order(self.label(node)), str(node)

    def status_note(self, status: Node | None) -> str | None:
        """What a data status other than "from the source document" means, from the data: "Exempeldata: …"."""
        if status is None or status == self.from_source:
            return None
        definition = next(
            (
                str(d)
                for d in self.graph.objects(status, SKOS.definition)
                if isinstance(d, Literal) and d.language == "sv"
            ),
            "",
        )
        return f"{self.label(status).capitalize()}: {definition}".strip()

    def status_notes(self) -> list[str]:
        """One note per data status in use other than the source's: what it means, and what has it.

        What has it: the resources by name when there are a few, else their kinds
        ("kommunfullmäktiges mål, nämnd, nämndmål").
        """
        having: dict[Node, set[Node]] = defaultdict(set)
        for resource, status in self.graph.subject_objects(VTL.dataStatus):
            if status != self.from_source:
                having[status].add(resource)
        notes = []
        for status in sorted(having, key=str):
            resources = having[status]
            if len(resources) <= 3:
                names = sorted(self.label(r) for r in resources)
            else:
                names = sorted({self.label(t) for r in resources for t in self.graph.objects(r, RDF.type)})
            notes.append(f"{self.status_note(status)} Gäller: {', '.join(names)}.")
        return notes

    def description(self, resource: URIRef) -> list[tuple[Node, Node, Node]]:
        """The resource's concise bounded description: its triples and those of its blank nodes."""
        out: list[tuple[Node, Node, Node]] = []
        todo: list[Node] = [resource]
        seen: set[Node] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for p, o in self.graph.predicate_objects(node):
                out.append((node, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        return out
