"""The RDF formats vetgraph reads and writes, and the media types it serves: one table for all.

``RDF_FORMATS`` is in the order the published site offers descriptions
(Turtle first). ``RESULT_MEDIA_TYPES`` are the SPARQL results formats
(:mod:`vetgraph.rdf.results`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    name: str  # vetgraph's name, as --input-format takes it
    oxigraph: ox.RdfFormat
    rdflib: str  # rdflib's serializer name
    media_type: str
    extension: str  # what vetgraph writes, without the dot
    label: str  # for people


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", ox.RdfFormat.TURTLE, "turtle", "text/turtle", "ttl", "Turtle"),
        RdfFormat("jsonld", ox.RdfFormat.JSON_LD, "json-ld", "application/ld+json", "jsonld", "JSON-LD"),
        RdfFormat("ntriples", ox.RdfFormat.N_TRIPLES, "nt", "application/n-triples", "nt", "N-Triples"),
        RdfFormat("xml", ox.RdfFormat.RDF_XML, "xml", "application/rdf+xml", "rdf", "RDF/XML"),
    )
}
# File name endings vetgraph reads, and the format each means.
READ_EXTENSIONS = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
HTML_MEDIA_TYPE = "text/html"
# SPARQL 1.1 query results formats, the first the default.
RESULT_MEDIA_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
