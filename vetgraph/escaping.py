"""Text from input, made safe for wherever vetgraph writes it.

Titles, descriptions, file names and query results come from other people. In a
terminal, control characters in them could move the cursor, clear the screen or
retitle the window (``\\x1b]0;…\\x07``); in a spreadsheet, a cell starting with
``=`` runs as a formula; in Markdown, ``<script>`` or ``|`` changes the page or
the table. Every text output goes through one of these functions (HTML is
escaped by the template engine, see :mod:`vetgraph.html`).
"""

from __future__ import annotations

import functools
import re

# C0 and C1 control characters, DEL, and the Unicode controls that reorder text
# (bidirectional overrides and isolates, used to make text read differently than it is).
_REORDERING = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_REORDERING}]")
_CONTROL_BUT_LINE_FEED_AND_TAB = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_REORDERING}]")

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by
# Excel and LibreOffice; a leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"


def controls(text: str, *, keep_lines: bool = True) -> str:
    """``text`` with control characters written as ``\\uXXXX``; line feeds and tabs kept if ``keep_lines``.

    The escapes are valid in JSON strings and in Turtle strings and IRIs, so this
    is safe to apply to whole documents in those formats as well as to plain text.
    """
    return (_CONTROL_BUT_LINE_FEED_AND_TAB if keep_lines else _CONTROL).sub(_escape, text)


def terminal_line(text: str) -> str:
    """One line for a terminal: every control character escaped, line breaks included."""
    return _CONTROL.sub(_escape, text)


def table_cell(text: str) -> str:
    """A cell of a terminal table: line breaks and tabs become spaces, other controls are escaped."""
    return terminal_line(_LINE_BREAKS.sub(" ", text))


def csv_cell(text: str) -> str:
    """A CSV cell that a spreadsheet shows as text: no formula, no control characters but line breaks."""
    text = _CONTROL.sub(lambda m: m.group() if m.group() == "\n" else _escape(m), text)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


@functools.lru_cache(maxsize=65_536)  # the report's tables at 10,000 goals repeat the same names a million times
def markdown(text: str) -> str:
    """Text for a Markdown table cell or paragraph: no HTML, no formatting, no table breaks, one line."""
    text = table_cell(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
