"""SPARQL query text read as tokens, without a parser: what is code, and which keywords and variables it uses.

Why not rdflib's parser: importing rdflib's SPARQL engine and parsing one query
with it (pyparsing) takes about 0.25 s, more than the rest of a whole
``vetgraph validate`` of one committee. Questions such as "does this query use
SERVICE" or "is its WHERE clause one group of triple patterns and filters" need
only the query's tokens, once its strings, IRIs and comments are out of the way:
:func:`code_only` replaces each of those with an empty one of its kind, following
the SPARQL 1.1 grammar's terminals (STRING_LITERAL1/2, STRING_LITERAL_LONG1/2,
IRIREF, comments, and the escapes of prefixed names), so that a keyword inside a
string or an IRI is not taken for one, after :func:`unescaped` has replaced
codepoint escapes as a parser does. Syntax errors are the engine's to report (Oxigraph parses every query it
runs); these functions only answer for text that parses.
"""

from __future__ import annotations

import re

_LONG_STRING_1 = r"'''(?:[^'\\]|\\.|'(?!''))*'''"
_LONG_STRING_2 = r'"""(?:[^"\\]|\\.|"(?!""))*"""'
_STRING_1 = r"'(?:[^'\\\n\r]|\\.)*'"
_STRING_2 = r'"(?:[^"\\\n\r]|\\.)*"'
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_COMMENT = r"#[^\n\r]*"
_ESCAPE = r"\\."  # in a prefixed name (ex:a\#b, ex:a\'b): not a comment, not a string
_NOT_CODE = re.compile(
    f"(?P<string>{_LONG_STRING_1}|{_LONG_STRING_2}|{_STRING_1}|{_STRING_2})|(?P<iri>{_IRI})|(?P<comment>{_COMMENT})"
    f"|(?P<escape>{_ESCAPE})",
    re.S,
)
_EMPTY = {"string": '""', "iri": "<>", "comment": " ", "escape": "_"}


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescaped(text: str) -> str:
    """``text`` with SPARQL's codepoint escapes (\\uXXXX, \\UXXXXXXXX) replaced, as a parser reads it.

    SPARQL 1.1 (section 19.2) applies them to the whole query before parsing, outside strings too:
    ``\\u0053ERVICE`` is SERVICE.
    """

    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(character, text)


def code_only(text: str) -> str:
    """``text`` with every string literal as ``""``, every IRI as ``<>`` and every comment as a space."""
    return _NOT_CODE.sub(lambda match: _EMPTY[match.lastgroup or "comment"], text)


def keyword(code: str, *words: str) -> str | None:
    """The first of ``words`` that ``code`` (see :func:`code_only`) uses as a keyword, in any case.

    A word that is part of a prefixed name (``ex:service``, ``service:x``), a
    variable (``?service``), a blank node label or a language tag is not a keyword.
    """
    found = re.search(r"(?<![\w?$:@.\-])(" + "|".join(words) + r")(?![\w:\-])", code, re.I)
    return found.group(1).upper() if found else None


def variable(code: str, name: str) -> bool:
    """Whether ``code`` uses the variable ``?name`` or ``$name``."""
    return re.search(r"[?$]" + re.escape(name) + r"(?![\w\u00B7\u0300-\u036F\u203F\u2040])", code) is not None


def without_filters(code: str) -> str:
    """``code`` without its FILTER expressions (the keyword and its bracketed expression or function call)."""
    out, position = [], 0
    for match in re.finditer(r"(?<![\w?$:@.\-])FILTER(?![\w:\-])", code, re.I):
        if match.start() < position:
            continue  # inside a FILTER already removed
        out.append(code[position : match.start()])
        opening = code.find("(", match.end())
        if opening < 0:
            return "".join(out) + code[match.start() :]
        depth, end = 0, opening
        for end in range(opening, len(code)):
            depth += {"(": 1, ")": -1}.get(code[end], 0)
            if depth == 0:
                break
        position = end + 1
    return "".join(out) + code[position:]


def not_exists_as_minus(text: str) -> str | None:
    """``text`` with each ``FILTER NOT EXISTS { … }`` of its WHERE clause made a ``MINUS { … }`` at the clause's end.

    For a query run once with $this free (see
    :func:`vetgraph.validation.sparql_constraints.answers_per_focus`), where each
    such group is triple patterns only (no filter, no nested group) that use $this
    and the rest of the clause binds every variable it shares with them: then a
    solution is removed by MINUS exactly when NOT EXISTS would remove it. None if the
    query is not like that, or if its text has escapes that this reader does not map.
    """
    if "\\u" in text or "\\U" in text:
        return None
    masked = _masked(text)
    select = re.search(r"(?<![\w?$:])SELECT(?![\w:])", masked, re.I)
    opening = masked.find("{", select.end()) if select else -1
    closing = matching_brace(masked, opening) if opening >= 0 else -1
    if closing < 0:
        return None
    groups, kept, position = [], [], opening + 1
    for match in re.finditer(r"(?<![\w?$:@.\-])FILTER\s*NOT\s+EXISTS\s*\{", masked[:closing], re.I):
        inner_open = match.end() - 1
        inner_close = matching_brace(masked, inner_open)
        inner = masked[inner_open + 1 : inner_close]
        if inner_close < 0 or "{" in inner or keyword(inner, "FILTER", "OPTIONAL", "BIND", "EXISTS") is not None:
            return None
        if not variable(inner, "this"):
            return None
        kept.append(text[position : match.start()])
        groups.append(text[inner_open + 1 : inner_close])
        position = inner_close + 1
    if not groups:
        return text
    kept.append(text[position:closing])
    minus = "".join(f" MINUS {{{group}}}" for group in groups)
    return text[: opening + 1] + "".join(kept) + minus + " " + text[closing:]


def _masked(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out, each keeping its length (so positions carry over)."""
    return _NOT_CODE.sub(lambda match: " " * len(match.group()), text)


def matching_brace(code: str, opening: int) -> int:
    """The position of the ``}`` that closes the ``{`` at ``opening`` (-1 if none)."""
    depth = 0
    for position in range(opening, len(code)):
        depth += {"{": 1, "}": -1}.get(code[position], 0)
        if depth == 0:
            return position
    return -1


def at_top_level(text: str) -> str:
    """``text`` with everything inside parentheses left out (e.g. the expressions of a projection)."""
    out, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


_TOKEN = re.compile(
    f"(?P<string>{_LONG_STRING_1}|{_LONG_STRING_2}|{_STRING_1}|{_STRING_2})|(?P<iri>{_IRI})|(?P<comment>{_COMMENT})"
    r"|(?P<variable>[?$][^\s{}()\[\],;.<>=!&|+*/^\"'#]+)"
    r"|(?P<name>(?:[A-Za-z][\w.\-]*)?:(?:\\.|[\w\-:.%])*)"
    r"|(?P<word>[A-Za-z_][\w\-]*)"
    r"|(?P<number>[+\-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+\-]?\d+)?)"
    r"|(?P<space>\s+)"
    r"|(?P<other>\^\^|@[A-Za-z][A-Za-z0-9\-]*|[^\s])",
    re.S,
)
_SKIPPED = ("space", "comment")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def pattern_predicates(text: str) -> frozenset[str] | None:
    """The IRIs the triple patterns of a query use as predicates, or None where one could match any predicate.

    For a query whose WHERE clause is one group of triple patterns and filters
    (:func:`vetgraph.validation.sparql_constraints.answers_per_focus`): a pattern
    with a variable or a property path as predicate, blank node syntax, a BASE or
    an undeclared prefix gives None, as does anything this reader does not follow.
    """
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(unescaped(text)) if m.lastgroup not in _SKIPPED]
    prefixes: dict[str, str] = {}
    position = 0
    while position < len(tokens) and tokens[position][1].upper() in ("PREFIX", "BASE"):
        if tokens[position][1].upper() == "BASE" or position + 2 >= len(tokens):
            return None
        name, iri = tokens[position + 1], tokens[position + 2]
        if name[0] != "name" or not name[1].endswith(":") or iri[0] != "iri":
            return None
        prefixes[name[1][:-1]] = iri[1][1:-1]
        position += 3
    opening = next((i for i in range(position, len(tokens)) if tokens[i][1] == "{"), None)
    if opening is None:
        return None
    found: set[str] = set()
    expect = "subject"
    outer: list[str] = []  # what the enclosing group expects, inside a FILTER [NOT] EXISTS { … }
    i = opening + 1
    while i < len(tokens):
        kind, value = tokens[i]
        if value == "}":
            if expect not in ("subject", "after-object"):
                return None
            if outer:  # the end of an EXISTS group: its patterns' predicates count too
                expect = outer.pop()
                i += 1
                continue
            return frozenset(found)
        if kind == "word" and value.upper() == "FILTER":
            words = [tokens[j][1].upper() for j in range(i + 1, min(i + 4, len(tokens)))]
            exists = 2 if words[:2] == ["EXISTS", "{"] else 3 if words[:3] == ["NOT", "EXISTS", "{"] else 0
            if exists:
                outer.append(expect)
                expect = "subject"
                i += 1 + exists
                continue
            i = _after_filter(tokens, i + 1)
            if i < 0:
                return None
            continue
        if expect == "subject":
            if kind not in ("variable", "iri", "name"):
                return None
            expect = "predicate"
        elif expect == "predicate":
            if kind == "iri":
                found.add(value[1:-1])
            elif kind == "name" and value.split(":", 1)[0] in prefixes:
                found.add(prefixes[value.split(":", 1)[0]] + value.split(":", 1)[1])
            elif kind == "word" and value == "a":
                found.add(_RDF_TYPE)
            else:
                return None  # a variable, a path, an undeclared prefix: any predicate
            if i + 1 < len(tokens) and tokens[i + 1][1] in ("/", "|", "*", "+", "?", "^"):
                return None
            expect = "object"
        elif expect == "object":
            if kind == "string":
                if i + 1 < len(tokens) and tokens[i + 1][1].startswith("@"):
                    i += 1
                elif i + 2 < len(tokens) and tokens[i + 1][1] == "^^":
                    i += 2
            elif kind not in ("variable", "iri", "name", "word", "number"):
                return None
            expect = "after-object"
        else:  # after an object
            expect = {".": "subject", ";": "predicate", ",": "object"}.get(value, "")
            if not expect:
                return None
        i += 1
    return None


def _after_filter(tokens: list[tuple[str | None, str]], i: int) -> int:
    """The index after a FILTER's expression: a bracketed one, or a function call (-1 if it does not close)."""
    while i < len(tokens) and tokens[i][1] != "(":
        i += 1  # the function's name
    depth = 0
    for j in range(i, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[j][1], 0)
        if depth == 0:
            return j + 1
    return -1
