"""The integrity constraints of the W3C RDF Data Cube Recommendation (section 11), run on a graph.

Each is an ASK query that is true when the constraint is broken. The Recommendation
states them over "normalized" data: its normalization phase 1 (types and
qb:componentProperty from qb:dimension, qb:measure, qb:attribute) is applied
first; phase 2 (attributes attached above the observation) has nothing to do here,
since vetgraph attaches every attribute to the observation (a test checks there is
no qb:componentAttachment). IC-20 and IC-21 are templates over qb:HierarchicalCodeList,
which vetgraph does not use (checked too), so they have no instance to run.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from vetgraph.rdf import graphs

PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

NORMALIZATION_PHASE_1 = [
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p }",
]

INTEGRITY_CONSTRAINTS = {
    "IC-1 unique data set": """ASK { { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
        UNION { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER (?dataset1 != ?dataset2) } }""",
    "IC-2 unique DSD": """ASK { { ?dataset a qb:DataSet .
        FILTER NOT EXISTS { ?dataset qb:structure ?dsd . ?dsd a qb:DataStructureDefinition } }
        UNION { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) } }""",
    "IC-3 DSD includes measure": """ASK { ?dsd a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] } }""",
    "IC-4 dimensions have range": "ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }",
    "IC-5 concept dimensions have code lists": """ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
        FILTER NOT EXISTS { ?dim qb:codeList [] } }""",
    "IC-6 only attributes may be optional": """ASK { ?dsd qb:component ?componentSpec .
        ?componentSpec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
        FILTER NOT EXISTS { ?component a qb:AttributeProperty } }""",
    "IC-7 slice keys must be declared": """ASK { ?sliceKey a qb:SliceKey .
        FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey } }""",
    "IC-8 slice keys consistent with DSD": """ASK { ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
        ?dsd qb:sliceKey ?slicekey . FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] } }""",
    "IC-9 unique slice structure": """ASK { { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
        UNION { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER (?key1 != ?key2) } }""",
    "IC-10 slice dimensions complete": """ASK { ?slice qb:sliceStructure [qb:componentProperty ?dim] .
        FILTER NOT EXISTS { ?slice ?dim [] } }""",
    "IC-11 all dimensions required": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-12 no duplicate observations": """ASK { FILTER( ?allEqual ) {
        SELECT (MIN(?equal) AS ?allEqual) WHERE {
            ?obs1 qb:dataSet ?dataset . ?obs2 qb:dataSet ?dataset . FILTER (?obs1 != ?obs2)
            ?dataset qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty .
            ?obs1 ?dim ?value1 . ?obs2 ?dim ?value2 . BIND( ?value1 = ?value2 AS ?equal)
        } GROUP BY ?obs1 ?obs2 } }""",
    "IC-13 required attributes": """ASK { ?obs qb:dataSet/qb:structure/qb:component ?component .
        ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
        FILTER NOT EXISTS { ?obs ?attr [] } }""",
    "IC-14 all measures present": """ASK { ?obs qb:dataSet/qb:structure ?dsd .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
        ?dsd qb:component/qb:componentProperty ?measure . ?measure a qb:MeasureProperty .
        FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-15 measure dimension consistent": """ASK { ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
        ?dsd qb:component/qb:componentProperty qb:measureType . FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-16 single measure on measure dimension observation": """ASK {
        ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
        ?dsd qb:component/qb:componentProperty qb:measureType ; qb:component/qb:componentProperty ?omeasure .
        ?omeasure a qb:MeasureProperty . FILTER (?omeasure != ?measure) }""",
    "IC-17 all measures present in measures dimension cube": """ASK { {
        SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
            { SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
                ?dsd qb:component/qb:componentProperty ?m . ?m a qb:MeasureProperty . } GROUP BY ?dsd }
            ?obs1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
            ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
            FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?dim . FILTER (?dim != qb:measureType)
                ?dim a qb:DimensionProperty . ?obs1 ?dim ?v1 . ?obs2 ?dim ?v2 . FILTER (?v1 != ?v2) }
        } GROUP BY ?obs1 ?numMeasures HAVING (?count != ?numMeasures) } }""",
    "IC-18 consistent data set links": """ASK { ?dataset qb:slice ?slice . ?slice qb:observation ?obs .
        FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . } }""",
    "IC-19 codes from code list (scheme)": """ASK {
        ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:ConceptScheme . ?obs ?dim ?v .
        FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list } }""",
    "IC-19 codes from code list (collection)": """ASK {
        ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:Collection . ?obs ?dim ?v .
        FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v } }""",
}


def broken_constraints(graph: Graph) -> list[str]:
    """The integrity constraints ``graph`` breaks (after normalization), by name; [] when it conforms."""
    store = ox.Store()
    store.extend(graphs.to_quads(graph))
    for update in NORMALIZATION_PHASE_1:
        store.update(PREFIXES + update)
    return [name for name, query in INTEGRITY_CONSTRAINTS.items() if bool(store.query(PREFIXES + query))]


def outside_the_constraints(graph: Graph) -> list[str]:
    """What the constraints above do not cover, present in ``graph`` (phase 2's attachments, IC-20/21's lists)."""
    store = ox.Store()
    store.extend(graphs.to_quads(graph))
    checks = {
        "qb:componentAttachment": "ASK { [] qb:componentAttachment [] }",
        "qb:HierarchicalCodeList": "ASK { [] a qb:HierarchicalCodeList }",
    }
    return [name for name, query in checks.items() if bool(store.query(PREFIXES + query))]
