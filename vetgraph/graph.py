"""``vetgraph build``: merge the ontology and all data into one graph and write it out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from vetgraph.errors import NotConformingError, VetgraphError
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.rdf.documents import serialize_triples
from vetgraph.rdf.inference import MODES, materialise
from vetgraph.rdf.output import replace_directory
from vetgraph.validation import validate_reference

OUTPUT_FILES = {"turtle": "vetgraph.ttl", "ntriples": "vetgraph.nt", "jsonld": "vetgraph.jsonld"}


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    files: list[Path]
    triples: int
    inferred_triples: int
    inference: str


def build(out_dir: str | Path = "dist/graf", *, inference: str = "none", project: Project | None = None) -> BuildResult:
    """Merge ontology, reference data, sample submissions and outcomes; check the reference data; write three formats.

    Raises :class:`NotConformingError` (and writes nothing) if the reference data breaks its shapes.
    """
    if inference not in MODES:
        raise VetgraphError(f"unknown inference mode '{inference}'; use one of {', '.join(MODES)}")
    project = project or default_project()
    reference = graphs.read_trusted(project.reference_files())
    check = validate_reference(project, reference)
    if not check.conforms:
        first = check.findings[0]
        raise NotConformingError(
            f"the reference data does not conform to shapes/referensdata.ttl ({check.count('Violation')} errors); "
            f"first: {first.focus}: {first.message('en')}"
        )
    graph = project.profile.namespaces.bind(Graph())
    graph += reference
    graph += graphs.read_trusted(project.sample_submissions())
    graph += graphs.read_trusted(project.outcome_files())
    asserted = len(graph)
    materialise(graph, inference)
    out_dir = Path(out_dir)
    triples = graphs.canonical_triples(graph)  # once for the three files
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    with replace_directory(out_dir) as staging:
        for rdf_format, name in OUTPUT_FILES.items():
            (staging / name).write_bytes(serialize_triples(triples, rdf_format, prefixes))
    return BuildResult(
        out_dir=out_dir,
        files=[out_dir / name for name in OUTPUT_FILES.values()],
        triples=len(graph),
        inferred_triples=len(graph) - asserted,
        inference=inference,
    )
