"""pySHACL, for the shapes vetgraph's own evaluator leaves to it: the one module that uses pySHACL.

pySHACL is imported on first use: importing it alone takes about 0.2 s.
"""

from __future__ import annotations

import re

from rdflib import Graph
from rdflib.namespace import SH

from vetgraph.errors import VetgraphError


def run_pyshacl(data: Graph, shapes: Graph, *, inplace: bool, allow_warnings: bool = True) -> Graph:
    from pyshacl import validate as pyshacl_validate  # imported on first use: it is slow to import
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    try:
        _conforms, report_graph, _text = pyshacl_validate(
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
    assert isinstance(report_graph, Graph)
    return report_graph


# SHACL-SPARQL queries in shapes a user gives run in rdflib under pySHACL: nothing in
# them may reach another server (SERVICE) or load a graph (FROM, LOAD). IRIs, strings
# and comments are blanked out first, so that only the query's own keywords count.
_SPARQL_IN_SHAPES = (SH.select, SH.ask, SH.construct, SH.update)


_OUTSIDE = re.compile(r"\b(SERVICE|FROM|LOAD)\b", re.IGNORECASE)


_SPARQL_STRINGS_AND_COMMENTS = re.compile(
    r'<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*'
)


def refuse_outside_access(shapes: Graph) -> None:
    for predicate in _SPARQL_IN_SHAPES:
        for shape, query in shapes.subject_objects(predicate):
            code = _SPARQL_STRINGS_AND_COMMENTS.sub(" ", str(query))
            found = _OUTSIDE.search(code)
            if found:
                raise VetgraphError(
                    f"a SHACL-SPARQL query in the shapes ({shape}) uses {found.group(1).upper()}, which could reach "
                    "another server or file; vetgraph runs no such query"
                )
