"""pySHACL, for the shapes vetgraph's own evaluator leaves to it: the one module that uses pySHACL.

pySHACL is imported on first use: importing it alone takes about 0.2 s.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import SH

from vetgraph.errors import VetgraphError
from vetgraph.rdf import sparql_text


def run_pyshacl(data: Graph, shapes: Graph, *, inplace: bool, allow_warnings: bool = True) -> Graph:
    from pyshacl import validate as pyshacl_validate  # imported on first use: it is slow to import
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    try:
        _conforms, report_graph, text = pyshacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            inplace=inplace,
            allow_warnings=allow_warnings,
            do_owl_imports=False,
        )
    except (ShapeLoadError, ReportableRuntimeError) as error:
        message = " ".join(str(getattr(error, "message", error)).split())
        raise VetgraphError(f"the shapes are not valid SHACL (pySHACL: {message[:300]})") from None
    if not isinstance(report_graph, Graph):
        # pySHACL answers a shape it cannot apply (e.g. a SPARQL constraint SHACL leaves undefined: pre-binding
        # a variable the query rebinds) with a failure object instead of a report: the shapes' problem, exit 2
        detail = " ".join(str(text or report_graph).split())
        raise VetgraphError(f"the shapes cannot be applied to the data (pySHACL: {detail[:300]})")
    return report_graph


# SHACL-SPARQL queries in shapes a user gives run in rdflib under pySHACL: nothing in
# them may reach another server (SERVICE) or load a graph (FROM, LOAD). Read from the
# query's code alone, as every SPARQL text is (:mod:`vetgraph.rdf.sparql_text`).
_SPARQL_IN_SHAPES = (SH.select, SH.ask, SH.construct, SH.update)


def refuse_outside_access(shapes: Graph) -> None:
    for predicate in _SPARQL_IN_SHAPES:
        for shape, query in shapes.subject_objects(predicate):
            found = sparql_text.keyword(
                sparql_text.code_only(sparql_text.unescaped(str(query))), "SERVICE", "FROM", "LOAD"
            )
            if found:
                raise VetgraphError(
                    f"a SHACL-SPARQL query in the shapes ({shape}) uses {found}, which could reach "
                    "another server or file; vetgraph runs no such query"
                )
