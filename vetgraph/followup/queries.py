"""Stored SPARQL queries: their metadata header, their parameters, and the checks before one runs.

A stored query is a standard SPARQL 1.1 file in ``queries/`` that runs as it is.
Its header is comment lines in the grlc style, which SPARQL ignores::

    #+ summary: one line
    #+ description: more lines, continued with
    #+   indented comment lines
    #+ tags: uppföljning, agenda2030
    #+ param: mandatperiod iri Mandatperioden, t.ex. period:2023-2026

Each parameter's default is the query's own ``VALUES ?name { ... }`` block
(``UNDEF`` meaning "all"). Binding a parameter parses the user's value into one
RDF term, checks it, and writes that term (escaped by rdflib) into that block:
user text is never pasted into the query. The same bound text then runs on every
engine, so rdflib and a SPARQL server see the same query.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.namespaces import OWN_PREFIXES, Namespaces
from vetgraph.project import Project, default_project
from vetgraph.rdf import sparql_text
from vetgraph.rdf.terms import canonical
from vetgraph.store.table import Store, Table

PARAM_KINDS = ("iri", "string", "integer")
_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
_CONTINUATION = re.compile(r"^#\+\s{2,}(.*)$")


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # "iri", "string" or "integer"
    description: str
    default: str  # the VALUES block's content as written in the query ("UNDEF" for all)


@dataclass(frozen=True)
class StoredQuery:
    name: str
    text: str
    source: str
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise VetgraphError(f"unknown parameter '{name}' for query {self.name}; its parameters: {known}")


def parse_query_file(text: str, *, name: str, source: str) -> StoredQuery:
    """A query and its header; parameters are checked against the query's VALUES blocks."""
    fields: dict[str, list[str]] = {}
    params: list[tuple[str, str, str]] = []
    last: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break  # the header ends where the query starts
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and last is not None:
            last.append(continuation.group(1).strip())
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_KINDS:
                raise VetgraphError(
                    f"'#+ param: {value}': write '#+ param: NAME KIND DESCRIPTION' with KIND one of "
                    f"{', '.join(PARAM_KINDS)}",
                    path=source,
                )
            params.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
            last = None
        else:
            last = fields.setdefault(key, [])
            last.append(value)
    parameters = tuple(
        Parameter(name=p_name, kind=kind, description=description, default=_values_block(text, p_name, source)[1])
        for p_name, kind, description in params
    )
    return StoredQuery(
        name=name,
        text=text,
        source=source,
        summary=" ".join(fields.get("summary", [])),
        description=" ".join(fields.get("description", [])),
        tags=tuple(t.strip() for t in " ".join(fields.get("tags", [])).split(",") if t.strip()),
        parameters=parameters,
    )


def stored_queries(project: Project | None = None) -> list[StoredQuery]:
    """The project's queries, their prefixes for the municipality's own namespaces (``namnd:`` …) under its base."""
    project = project or default_project()
    namespaces = project.profile.namespaces
    queries = []
    for path in sorted(project.queries_dir.glob("*.rq")):
        text = with_own_prefixes(path.read_text(encoding="utf-8"), namespaces)
        queries.append(parse_query_file(text, name=path.stem, source=str(path)))
    return queries


_PREFIX_LINE = re.compile(r"^(\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<)([^>]*)(>)", re.MULTILINE | re.IGNORECASE)


def with_own_prefixes(text: str, namespaces: Namespaces) -> str:
    """``text`` with each ``PREFIX`` of a municipality's own namespace (``OWN_PREFIXES``) bound under its base.

    A stored query is written once for every municipality: its ``namnd:``, ``period:`` … are the
    project's, whichever base the file was written with.
    """

    def rebound(found: re.Match[str]) -> str:
        prefix = found.group(2) or ""
        if prefix not in OWN_PREFIXES:
            return found.group(0)
        return found.group(1) + namespaces[prefix] + found.group(4)

    return _PREFIX_LINE.sub(rebound, text)


def find_query(spec: str, project: Project | None = None) -> StoredQuery:
    """A stored query by name, a query file by path, or ``-`` for standard input."""
    if spec == "-":
        return parse_query_file(sys.stdin.read(), name="stdin", source="<stdin>")
    path = Path(spec)
    if path.suffix == ".rq" or path.exists() or "/" in spec:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise VetgraphError("no such file", path=spec) from None
        except (OSError, UnicodeDecodeError) as error:
            raise VetgraphError(f"cannot read the query: {error}", path=spec) from None
        return parse_query_file(text, name=path.stem, source=spec)
    queries = {q.name: q for q in stored_queries(project)}
    if spec not in queries:
        raise VetgraphError(f"no stored query '{spec}'; 'vetgraph queries' lists them: {', '.join(queries)}")
    return queries[spec]


def bind(
    query: StoredQuery, values: dict[str, str], namespaces: Namespaces | None = None
) -> tuple[str, dict[str, URIRef | Literal]]:
    """The query text with each given parameter's VALUES block holding the parsed, escaped RDF term.

    A prefixed name (``namnd:socialnamnden``) is read with the municipality's ``namespaces``
    (default: the project's).
    """
    namespaces = namespaces or _project_namespaces()
    text = query.text
    terms: dict[str, URIRef | Literal] = {}
    for name, raw in values.items():
        parameter = query.parameter(name)
        terms[name] = term = parse_value(parameter, raw, namespaces)
        span, _ = _values_block(text, name, query.source)
        text = text[: span[0]] + " " + term.n3() + " " + text[span[1] :]
    return text, terms


def run(
    query: StoredQuery,
    store: Store,
    values: dict[str, str] | None = None,
    *,
    allow_external: bool = False,
    namespaces: Namespaces | None = None,
) -> Table:
    """Bind ``values``, check the query, make sure every IRI given occurs in the graph, and run it."""
    namespaces = namespaces or _project_namespaces()
    text, terms = bind(query, values or {}, namespaces)
    check(text, source=query.source, allow_external=allow_external)
    for name, term in terms.items():
        if isinstance(term, URIRef) and not store.contains(term):
            raise VetgraphError(
                f"-p {name}: {namespaces.compact(str(term))} does not occur in the graph (misspelt? "
                f"'vetgraph query' with a query that lists them shows the known values)"
            )
    table = store.select(text)
    # rows repeat the same term objects (the stores convert each distinct term once): canonicalise each once
    done: dict[int, Node | None] = {}

    def canonical_once(value: Node | None) -> Node | None:
        key = id(value)
        if key not in done:
            done[key] = canonical(value)
        return done[key]

    return Table(table.columns, [[canonical_once(value) for value in row] for row in table.rows])


def run_query(
    name: str, params: dict[str, str] | None = None, *, store: Store | None = None, allow_external: bool = False
) -> Table:
    """Run a stored query by name (or a query file by path) on ``store`` (default: the project's own graph)."""
    if store is None:
        from vetgraph.store.local import open_store  # here: the store imports nothing of the follow-up

        store = open_store()
    return run(find_query(name), store, params or {}, allow_external=allow_external)


def _project_namespaces() -> Namespaces:
    from vetgraph.project import default_project

    return default_project().profile.namespaces


def parse_value(parameter: Parameter, raw: str, namespaces: Namespaces) -> URIRef | Literal:
    """The user's text as an RDF term of the parameter's kind, or a one-line error."""
    if parameter.kind == "integer":
        try:
            return Literal(int(raw))
        except ValueError:
            raise VetgraphError(f"-p {parameter.name}: '{raw}' is not a whole number") from None
    if parameter.kind == "string":
        return Literal(raw)
    iri = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
    if "://" not in iri:
        expanded = namespaces.expand(iri)
        if expanded is None:
            raise VetgraphError(
                f"-p {parameter.name}: '{raw}' is neither a full IRI nor prefix:name with a vetgraph prefix "
                f"(such as namnd:socialnamnden or period:2023-2026)"
            )
        iri = expanded
    if re.search(r'[\s<>"{}|^`\\]', iri):
        raise VetgraphError(f"-p {parameter.name}: '{raw}' is not a valid IRI")
    return URIRef(iri)


def _values_block(text: str, name: str, source: str) -> tuple[tuple[int, int], str]:
    """The span of the content of ``VALUES ?name { ... }`` in the query, and that content."""
    matches = list(re.finditer(r"VALUES\s+\?" + re.escape(name) + r"\s*\{([^}]*)\}", text))
    if len(matches) != 1:
        raise VetgraphError(
            f"parameter '{name}' needs exactly one 'VALUES ?{name} {{ default }}' block in the query "
            f"(found {len(matches)})",
            path=source,
        )
    return matches[0].span(1), matches[0].group(1).strip()


READ_FORMS = ("SelectQuery", "AskQuery")
ALL_FORMS = (*READ_FORMS, "ConstructQuery", "DescribeQuery")


def check(text: str, *, source: str, allow_external: bool = False, forms: tuple[str, ...] = READ_FORMS) -> str:
    """Parse ``text`` as a SPARQL 1.1 query of one of ``forms`` and refuse what would reach outside the graph.

    Returns the query form (``SelectQuery``, ``AskQuery``, and where allowed
    ``ConstructQuery`` or ``DescribeQuery``). SERVICE, FROM and FROM NAMED are
    refused unless ``allow_external``; updates (INSERT, DELETE, LOAD, ...) always are.

    SERVICE and FROM are found among the query's tokens (:mod:`vetgraph.rdf.sparql_text`: not in
    strings, IRIs, comments, names or variables), before anything parses it; then Oxigraph, the
    engine that runs it, parses it, on an empty store. rdflib's parser took 40 ms a query, a tenth
    of a report's time; it still checks queries that may reach outside (``allow_external``).
    """
    import pyoxigraph as ox

    code = sparql_text.code_only(sparql_text.unescaped(text))
    if allow_external:
        return _check_with_rdflib(text, source=source, forms=forms)
    if sparql_text.keyword(code, "SERVICE"):
        raise VetgraphError(
            "the query uses SERVICE, which would send it to another server; remove it, or pass "
            "--allow-external if you mean it",
            path=source,
        )
    if sparql_text.keyword(code, "FROM"):
        raise VetgraphError(
            "the query names other graphs with FROM or FROM NAMED, which could read files or the network; "
            "remove them, or pass --allow-external if you mean it",
            path=source,
        )
    try:
        ox.Store().query(text)  # an empty store: nothing to read, and nothing outside it to reach (refused above)
    except SyntaxError as error:
        if sparql_text.keyword(code, *_UPDATE_KEYWORDS):
            raise VetgraphError(
                "this is a SPARQL update (INSERT, DELETE, LOAD, ...); vetgraph only reads the graph", path=source
            ) from None
        raise _syntax_error(str(error), text, code, source) from None
    keyword = sparql_text.keyword(code, "SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    form = f"{(keyword or 'SELECT').capitalize()}Query"
    if form not in forms:
        allowed = " and ".join(f.removesuffix("Query").upper() for f in forms)
        raise VetgraphError(
            f"this runs {allowed} queries; this is a {form.removesuffix('Query').upper()} query", path=source
        )
    return form


_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")
_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def _syntax_error(message: str, text: str, code: str, source: str) -> VetgraphError:
    """Oxigraph's syntax error as a one-line message with its line and column; an undeclared prefix by name."""
    found = _ERROR_AT.search(message)
    line, column, detail = (
        (int(found.group(1)), int(found.group(2)), found.group(3)) if found else (None, None, message)
    )
    if "Prefix not found" in detail and line is not None and column is not None:
        offset = sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + column - 1
        names = re.findall(r"(?<![\w?$:<\-])([A-Za-z][\w.\-]*)?:[\w\-]*", code[:offset])
        prefix = names[-1] if names else ""
        known = _project_namespaces().prefixes
        hint = f", e.g. PREFIX {prefix}: <{known[prefix]}>" if prefix in known else ""
        return VetgraphError(
            f"SPARQL error: the prefix '{prefix}:' is not declared; add a PREFIX line{hint}",
            path=source,
            line=line,
            column=column,
        )
    expected = " ".join(detail.split())
    if len(expected) > 160:
        expected = expected[:157].rsplit(",", 1)[0] + ", …"
    return VetgraphError(f"SPARQL syntax error: {expected}", path=source, line=line, column=column)


def _check_with_rdflib(text: str, *, source: str, forms: tuple[str, ...]) -> str:
    """check() for a query that may reach outside: rdflib's parser (SERVICE is not refused; nothing runs here)."""
    from pyparsing import ParseBaseException as ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as error:  # a syntax error; any other exception is a bug and stays one
        try:
            parseUpdate(text)
        except ParseException:
            line, column = getattr(error, "lineno", None), getattr(error, "col", None)
            message = getattr(error, "msg", None) or str(error).split("\n")[0]
            raise VetgraphError(f"SPARQL syntax error: {message}", path=source, line=line, column=column) from None
        raise VetgraphError(
            "this is a SPARQL update (INSERT, DELETE, LOAD, ...); vetgraph only reads the graph", path=source
        ) from None
    form = str(parsed[1].name)
    if form not in forms:
        allowed = " and ".join(f.removesuffix("Query").upper() for f in forms)
        raise VetgraphError(
            f"this runs {allowed} queries; this is a {form.removesuffix('Query').upper()} query", path=source
        )
    return form
