"""Checks on untrusted RDF input, before and after parsing: nothing in a file may make vetgraph misbehave.

Sizes, encodings, control characters, XML DTDs and entities, and how deep XML,
JSON and blank nodes nest (:mod:`vetgraph.rdf.graphs` says why each matters).
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat

import pyoxigraph as ox

from vetgraph.errors import VetgraphError

MAX_NESTING = 64


# A JSON-LD node nests as an object inside an array: two JSON levels per level of nodes.
MAX_JSON_NESTING = 2 * MAX_NESTING


# C0 and C1 control characters other than tab, line feed and carriage return: they
# have no place in text, and in a terminal they can rewrite what is shown; and the
# Unicode controls that reorder text (bidirectional embeddings, overrides and
# isolates), which make a title read differently than it is. One check for every
# input: RDF files, their escapes, spreadsheet cells and CSV fields.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unsafe_character(text: str) -> str | None:
    """The first character of ``text`` that has no place in text from input (see CONTROL_CHARACTERS)."""
    found = CONTROL_CHARACTERS.search(text)
    return found.group() if found else None


def check_bytes(data: bytes, source: str) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        raise VetgraphError(
            "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM "
            "(in Notepad: Save as > Encoding 'UTF-8', not 'UTF-8 with BOM')",
            path=source,
            sv="filen börjar med en byte-order mark (BOM); spara den som UTF-8 utan BOM "
            "(i Anteckningar: Spara som > Kodning 'UTF-8', inte 'UTF-8 med BOM')",
            line=1,
            column=1,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise VetgraphError(
            "the file is saved as UTF-16; save it as UTF-8 (in Notepad: Save as > Encoding 'UTF-8')",
            path=source,
            sv="filen är sparad som UTF-16; spara den som UTF-8 (i Anteckningar: Spara som > Kodning 'UTF-8')",
        )
    if b"\x00" in data[:8192]:
        raise VetgraphError("the file is binary, not RDF text", path=source, sv="filen är binär, inte RDF-text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        hint, svenska = "save it as UTF-8", "spara den som UTF-8"
        if _looks_like_windows_1252(data):
            hint = (
                "it looks like Windows-1252 (ANSI), common for Swedish text from older Windows programs; "
                "save it as UTF-8 (in Notepad: Save as > Encoding 'UTF-8')"
            )
            svenska = (
                "den ser ut att vara Windows-1252 (ANSI), vanligt för svensk text från äldre Windowsprogram; "
                "spara den som UTF-8 (i Anteckningar: Spara som > Kodning 'UTF-8')"
            )
        raise VetgraphError(
            f"byte 0x{data[error.start]:02X} is not UTF-8: {hint}",
            path=source,
            line=line,
            column=column,
            sv=f"byte 0x{data[error.start]:02X} är inte UTF-8: {svenska}",
        ) from None
    control = CONTROL_CHARACTERS.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        raise VetgraphError(
            f"the file contains the control character U+{ord(control.group()):04X}, which has no place in RDF text "
            "(it may be binary, or damaged); remove it",
            path=source,
            sv=f"filen innehåller styrtecknet U+{ord(control.group()):04X}, som inte hör hemma i RDF-text "
            "(den kan vara binär eller skadad); ta bort det",
            line=line,
            column=column,
        )


def _looks_like_windows_1252(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return any(ch in text for ch in "åäöÅÄÖéü")


def check_xml(data: bytes, source: str) -> None:
    """Refuse DTDs and entity declarations, and cap nesting, before any RDF/XML parser runs."""
    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def refuse_doctype(*_args: object) -> None:
        raise VetgraphError(
            "the XML has a document type declaration (<!DOCTYPE ...>); vetgraph refuses DTDs and "
            "entities because they can read files or expand without limit; remove it",
            path=source,
            line=parser.CurrentLineNumber,
            column=parser.CurrentColumnNumber + 1,
        )

    def start(*_args: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_NESTING:
            raise VetgraphError(
                f"XML elements nested more than {MAX_NESTING} levels deep; vetgraph refuses such input",
                path=source,
                line=parser.CurrentLineNumber,
                column=parser.CurrentColumnNumber + 1,
            )

    def end(*_args: object) -> None:
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.ErrorString(error.code)
        raise VetgraphError(
            f"not well-formed XML: {message}", path=source, line=error.lineno, column=error.offset + 1
        ) from None


def check_json(data: bytes, source: str) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_NESTING`` before the JSON-LD parser sees it.

    Oxigraph's JSON-LD parser recurses without limit: 5,000 levels of nested objects
    (a 200 KB file) used gigabytes of memory and crashed the process. Python's JSON
    parser stops at its recursion limit instead, and the depth is then measured
    without recursion.
    """
    try:
        document = json.loads(data)
    except RecursionError:
        document = None
    except json.JSONDecodeError as error:
        raise VetgraphError(
            f"not valid JSON: {error.msg}", path=source, line=error.lineno, column=error.colno
        ) from None
    depth = MAX_JSON_NESTING + 1 if document is None else _json_depth(document)
    if depth > MAX_JSON_NESTING:
        raise VetgraphError(
            f"JSON nested more than {MAX_JSON_NESTING} levels deep; vetgraph refuses such input", path=source
        )


def _json_depth(document: object) -> int:
    deepest = 0
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_NESTING:
                break
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


def check_terms(quads: list[ox.Quad], source: str) -> None:
    """Refuse control characters that escapes (``\\u001B`` in Turtle) put into IRIs and literals."""
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode | ox.Literal) and CONTROL_CHARACTERS.search(term.value):
                character = CONTROL_CHARACTERS.search(term.value)
                assert character is not None
                raise VetgraphError(
                    f"a value contains the control character U+{ord(character.group()):04X} (written as an escape); "
                    f"remove it: {term.value[:60]!r}",
                    path=source,
                )


def check_nesting(quads: list[ox.Quad], source: str) -> None:
    """Refuse blank nodes nested more than MAX_NESTING levels (``[ :p [ :p [ ...``, nested lists)."""
    children: dict[ox.BlankNode, list[ox.BlankNode]] = {}
    has_parent: set[ox.BlankNode] = set()
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode) and isinstance(quad.object, ox.BlankNode):
            if quad.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest":
                continue  # the spine of a list is length, not nesting
            children.setdefault(quad.subject, []).append(quad.object)
            has_parent.add(quad.object)
    if not children:
        return
    roots = [node for node in children if node not in has_parent] or list(children)[:1]
    seen: set[ox.BlankNode] = set()
    for root in roots:
        stack = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_NESTING:
                raise VetgraphError(
                    f"blank nodes nested more than {MAX_NESTING} levels deep; vetgraph refuses such input",
                    path=source,
                )
            if node in seen:
                continue
            seen.add(node)
            stack.extend((child, depth + 1) for child in children.get(node, ()))
