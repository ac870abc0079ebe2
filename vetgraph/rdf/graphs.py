"""The one place that reads, parses and writes RDF graphs.

Parsing goes through Oxigraph (``pyoxigraph``), whose parsers are strict (they
reject all 94 negative Turtle syntax tests of the W3C suite, where rdflib accepts
39) and report line and column. The parsed triples become an ``rdflib.Graph``,
which pySHACL, owlrl and the rest of vetgraph work on.

Input is data, never instructions, so before and after parsing this module makes
sure that nothing in a file can make vetgraph read another file or the network,
or run for a long time:

* files larger than ``MAX_INPUT_BYTES`` are refused before they are read;
* a byte-order mark, UTF-16 or non-UTF-8 bytes are refused with advice on how to
  save the file;
* RDF/XML with a document type declaration (DTD, entities) is refused, and its
  element nesting is capped, before Oxigraph sees it;
* JSON-LD remote contexts are never loaded (Oxigraph has no document loader here);
* relative IRIs are never resolved against the working directory: Turtle,
  N-Triples and RDF/XML are parsed without a base IRI, so a relative IRI is a
  syntax error with its location; JSON-LD is parsed against a placeholder base
  and any IRI that used it is reported;
* blank nodes nested more than ``MAX_NESTING`` deep are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.rdf.formats import RDF_FORMATS, READ_EXTENSIONS
from vetgraph.rdf.safety import (
    check_bytes,
    check_json,
    check_nesting,
    check_terms,
    check_xml,
)
from vetgraph.rdf.terms import converter

MAX_INPUT_BYTES = 10 * 1024 * 1024
# Graphs a user points `vetgraph query --graph` at (e.g. a built dump) may be larger.
MAX_TRUSTED_BYTES = 2 * 1024 * 1024 * 1024

_PLACEHOLDER_BASE = "https://relative-iri.invalid/"
# Every escape that can stand for a control character (U+0000-U+001F, U+007F-U+009F), and a few that cannot
# (\u00E5, an escaped backslash before 'b'): Turtle's, N-Triples' and JSON's \u00XX, \U000000XX, \b and \f,
# and XML's character references.
_ESCAPE_OF_A_CONTROL = re.compile(rb"\\u00[0-9A-Fa-f]{2}|\\U000000[0-9A-Fa-f]{2}|\\[bf]|&#")


def format_for(path: str | Path, rdf_format: str | None = None) -> str:
    """The vetgraph format name for ``path``: ``rdf_format`` if given, else from the extension."""
    if rdf_format is not None:
        if rdf_format not in RDF_FORMATS:
            raise VetgraphError(f"unknown RDF format '{rdf_format}'; use one of {', '.join(RDF_FORMATS)}")
        return rdf_format
    suffix = Path(path).suffix.lower()
    if suffix not in READ_EXTENSIONS:
        known = ", ".join(READ_EXTENSIONS)
        raise VetgraphError(
            f"cannot tell the RDF format from the extension '{suffix}'; name the file with one of "
            f"{known}, or give the format with --input-format",
            path=path,
        )
    return READ_EXTENSIONS[suffix]


def read_rdf(
    path: str | Path,
    *,
    rdf_format: str | None = None,
    base_iri: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    require_triples: bool = True,
) -> Graph:
    """Read one RDF file into a new graph, or raise :class:`VetgraphError` saying where it is wrong.

    An empty file (or one with only comments and prefixes) is an error unless
    ``require_triples`` is false.
    """
    return to_graph(
        read_quads(path, rdf_format=rdf_format, base_iri=base_iri, max_bytes=max_bytes, require_triples=require_triples)
    )


def read_quads(
    path: str | Path,
    *,
    rdf_format: str | None = None,
    base_iri: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    require_triples: bool = True,
) -> list[ox.Quad]:
    """Like :func:`read_rdf`, but the checked triples as Oxigraph quads (for an Oxigraph store)."""
    fmt = format_for(path, rdf_format)
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise VetgraphError("is not a file", path=path, sv="är inte en fil")
        if size > max_bytes:
            raise VetgraphError(
                f"the file is {size / 1e6:.1f} MB; vetgraph reads at most {max_bytes / 1e6:.1f} MB per file "
                f"(a committee's submission is usually far below 1 MB; split larger files, or, for your own "
                "files, use vetgraph validate --trusted)",
                path=path,
                sv=f"filen är {size / 1e6:.1f} MB; vetgraph läser högst {max_bytes / 1e6:.1f} MB per fil "
                "(en nämnds inlämning är oftast långt under 1 MB; dela större filer, eller använd vetgraph "
                "validate --trusted för egna filer)",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise VetgraphError("no such file", path=path, sv="filen finns inte") from None
    except PermissionError:
        raise VetgraphError(
            "permission denied: vetgraph may not read this file",
            path=path,
            sv="vetgraph har inte behörighet att läsa filen",
        ) from None
    except IsADirectoryError:
        raise VetgraphError("is a directory, not a file", path=path, sv="är en mapp, inte en fil") from None
    except OSError as error:
        raise VetgraphError(
            f"cannot read the file: {error.strerror}", path=path, sv=f"filen går inte att läsa: {error.strerror}"
        ) from None
    return parse_quads(data, fmt, source=str(path), base_iri=base_iri, require_triples=require_triples)


def read_trusted(paths: Iterable[str | Path]) -> Graph:
    """Merge the project's own files (ontology, reference data, shapes) into one graph."""
    return to_graph(read_trusted_quads(paths))


def read_trusted_quads(paths: Iterable[str | Path]) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    for path in paths:
        quads.extend(_parse_checked(Path(path).read_bytes(), format_for(path), str(path), None))
    return quads


def parse_rdf(
    data: bytes,
    rdf_format: str,
    *,
    source: str = "<input>",
    base_iri: str | None = None,
    require_triples: bool = True,
) -> Graph:
    """Parse ``data`` (in a vetgraph format name) into a new graph, checking it as untrusted input."""
    return to_graph(parse_quads(data, rdf_format, source=source, base_iri=base_iri, require_triples=require_triples))


def parse_quads(
    data: bytes,
    rdf_format: str,
    *,
    source: str = "<input>",
    base_iri: str | None = None,
    require_triples: bool = True,
) -> list[ox.Quad]:
    if rdf_format not in RDF_FORMATS:
        raise VetgraphError(f"unknown RDF format '{rdf_format}'; use one of {', '.join(RDF_FORMATS)}")
    if require_triples and not data.strip():
        raise VetgraphError("the file is empty", path=source, sv="filen är tom")
    check_bytes(data, source)
    if rdf_format == "xml":
        check_xml(data, source)
    elif rdf_format == "jsonld":
        check_json(data, source)
    quads = _parse_checked(data, rdf_format, source, base_iri)
    if require_triples and not quads:
        raise VetgraphError(
            "contains no RDF triples (only comments, prefixes or nothing at all)",
            path=source,
            sv="innehåller inga RDF-tripler (bara kommentarer, prefix eller ingenting)",
        )
    check_nesting(quads, source)
    # check_bytes has refused control characters written as they are; only an escape can still put one in a value.
    # Without one that could, looking at every term (0.4 s at 10,000 goals, 1.8 s for a whole store) finds none.
    if _ESCAPE_OF_A_CONTROL.search(data):
        check_terms(quads, source)
    return quads


def serialize(graph: Graph, rdf_format: str) -> bytes:
    """``graph`` as bytes in one of vetgraph's format names (canonical documents: :func:`canonical_triples`)."""
    if rdf_format == "jsonld":
        return graph.serialize(format="json-ld", indent=2, auto_compact=True).encode("utf-8")
    return graph.serialize(format=RDF_FORMATS[rdf_format].rdflib, encoding="utf-8")


def canonical_triples(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The triples of ``graph`` sorted, its blank nodes labelled from the triples alone (rdflib's canonical labels).

    Written with :func:`vetgraph.rdf.documents.serialize_triples`, the bytes depend on the triples alone, so two
    builds of the same data are byte-identical and a published dump changes only when the data does (rdflib's
    serialisers took 12 s for the dumps of 2,800 goals).

    Only the triples with a blank node are canonicalised: the labels depend on those alone, and the rest of a
    graph (most of it) does not need rdflib's slow canonicalisation.
    """
    with_blank = Graph()
    plain: list[tuple[Node, Node, Node]] = []
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            with_blank.add(triple)
        else:
            plain.append(triple)
    found = plain + list(to_canonical_graph(with_blank)) if len(with_blank) else plain
    return sorted(found, key=lambda triple: tuple(node.n3() for node in triple))


# ---------------------------------------------------------------- parsing


def _parse_checked(data: bytes, rdf_format: str, source: str, base_iri: str | None) -> list[ox.Quad]:
    placeholder = rdf_format == "jsonld" and base_iri is None
    try:
        quads = list(
            ox.parse(
                data,
                RDF_FORMATS[rdf_format].oxigraph,
                base_iri=_PLACEHOLDER_BASE if placeholder else base_iri,
                without_named_graphs=True,
                rename_blank_nodes=True,
            )
        )
    except SyntaxError as error:
        raise _syntax_error(error, source) from None
    if placeholder:
        for quad in quads:
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(_PLACEHOLDER_BASE):
                    relative = term.value[len(_PLACEHOLDER_BASE) :]
                    raise VetgraphError(
                        f"relative IRI '{relative}': vetgraph does not resolve relative IRIs; "
                        f"write the full IRI, e.g. 'https://data.example.se/id/namndmal/...'",
                        path=source,
                        sv=f"relativ IRI '{relative}': vetgraph löser inte upp relativa IRI:er; skriv hela IRI:n, "
                        "t.ex. 'https://data.example.se/id/namndmal/...'",
                    )
    return quads


def _syntax_error(error: SyntaxError, source: str) -> VetgraphError:
    message = str(error.msg if error.msg else error)
    # Oxigraph prefixes positions in prose; the location goes in front instead.
    for prefix in ("Parser error at ", "Parser error between "):
        if message.startswith(prefix):
            message = message.split(": ", 1)[1] if ": " in message else message
    # The parser's own words stay English; vetgraph's explanation is given in both languages.
    english, swedish = f"not valid RDF: {message}", f"inte giltig RDF: {message}"
    if "No scheme found in an absolute IRI" in message or "No base IRI" in message:
        english += (
            " (a relative IRI such as <#goal> or <goal>: vetgraph does not resolve relative IRIs; "
            "write the full IRI, e.g. <https://data.example.se/id/namndmal/...>)"
        )
        swedish += (
            " (en relativ IRI som <#mal> eller <mal>: vetgraph löser inte upp relativa IRI:er; "
            "skriv hela IRI:n, t.ex. <https://data.example.se/id/namndmal/...>)"
        )
    if "LoadDocumentCallback" in message:
        english = (
            "not valid RDF: the JSON-LD @context refers to a remote document; vetgraph never fetches anything "
            "named in an input, so put the context inline in the file"
        )
        swedish = (
            "inte giltig RDF: JSON-LD-filens @context hänvisar till ett dokument på nätet; vetgraph hämtar aldrig "
            "något som en indatafil nämner, så skriv kontexten i filen"
        )
    if "named graph" in message.lower() or "graph name" in message.lower():
        english += " (vetgraph reads plain graphs; put all triples in the default graph)"
        swedish += " (vetgraph läser vanliga grafer; lägg alla tripler i standardgrafen)"
    line = error.lineno if error.lineno else None
    column = error.offset if error.offset else None
    return VetgraphError(english, path=source, line=line, column=column, sv=swedish)


def to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib graph of Oxigraph quads (all in the default graph).

    Each distinct term becomes one rdflib object, shared by every triple that has
    it: converting is faster, and so is every later lookup, because Python
    compares identical objects without calling rdflib's ``__eq__``.
    """
    graph = Graph()
    add = graph.add
    term = converter()
    for quad in quads:
        add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def to_quads(graph: Graph) -> list[ox.Quad]:
    """Oxigraph quads (all in the default graph) of an rdflib graph, by way of N-Triples."""
    return list(ox.parse(serialize(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES))
