"""vetgraph's one error type and its exit codes.

Every failure that a user can cause (a missing file, malformed RDF, a bad option)
is raised as :class:`VetgraphError`. The command line prints ``str(error)`` on one
line and exits with ``error.exit_code``; it never shows a traceback for these.
"""

from __future__ import annotations

from pathlib import Path

# Exit codes, documented in README.md.
EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 3  # a bug in vetgraph, not the user's input


class VetgraphError(Exception):
    """A problem with the user's input or environment, with where it happened.

    ``str(error)`` is the one-line message: ``FILE:LINE:COLUMN: message`` when the
    location is known, ``FILE: message`` when only the file is, else ``message``.
    ``sv`` is the message in Swedish where there is one: the errors a committee
    secretary meets (a file that cannot be read) have one, and ``text("sv")`` uses it.
    """

    exit_code = EXIT_INPUT_ERROR

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        sv: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())  # always one line
        self.sv = " ".join(sv.split()) if sv else None
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """The one-line message in ``lang`` ("sv" or "en"; English where there is no Swedish)."""
        message = self.sv if lang == "sv" and self.sv else self.message
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + message


class NotConformingError(VetgraphError):
    """The data was read but does not conform to its shapes (exit status 1)."""

    exit_code = EXIT_NOT_CONFORMING
