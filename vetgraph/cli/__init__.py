"""The ``vetgraph`` command: a thin click layer over the library, one module per command group.

Each command parses its options, calls one library function and prints the
result. Errors the user can cause arrive as :class:`VetgraphError` and are shown
as one line on standard error with the documented exit status, never a traceback
(:mod:`vetgraph.cli.common`).
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from vetgraph import __version__, escaping
from vetgraph.cli.followup import list_queries, query, report
from vetgraph.cli.graph import build
from vetgraph.cli.indicators import kolada
from vetgraph.cli.project import init
from vetgraph.cli.publishing import publish, serve
from vetgraph.cli.strategy import strategy
from vetgraph.cli.submissions import accept, diff, history, import_command, template
from vetgraph.cli.validate import shacl, validate


class _EscapingStream:
    """A text stream that writes control characters as visible escapes (for click's own messages)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self._stream.write(escaping.controls(text)))

    def flush(self) -> None:
        self._stream.flush()


class _Group(click.Group):
    """The command group; click's own usage errors quote the user's input, so they are escaped too."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as error:
            stderr: Any = _EscapingStream(sys.stderr)
            error.show(file=stderr)
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vetgraph")
@click.option(
    "--project",
    "project_dir",
    metavar="DIR",
    default=None,
    help="The project folder: the municipality's profile, data, shapes and queries (vetgraph init DIR makes one; "
    "default $VETGRAPH_HOME, else the bundled sample project).",
)
def main(project_dir: str | None) -> None:
    """vetgraph: a municipality's development strategy and its committees' goals as a knowledge graph.

    Exit status: 0 success (or conforms, warnings allowed), 1 does not conform,
    2 an input could not be read or an option is wrong, 3 a bug in vetgraph.
    """
    # rdflib logs warnings about data ("does not look like a valid URI", "Failed to
    # convert Literal ...") and libraries warn about themselves; vetgraph reports
    # problems with the input in its own words, so neither reaches the terminal.
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    if project_dir is not None:
        from vetgraph.project import is_project

        if not is_project(Path(project_dir)):
            raise click.BadParameter(f"{escaping.terminal_line(project_dir)} is not a vetgraph project folder "
                                     "(vetgraph init DIR makes one)", param_hint="--project")  # fmt: skip
        # the library's one way to be told the project (vetgraph.project), inherited by any child process
        os.environ["VETGRAPH_HOME"] = project_dir


for command in (
    init,
    strategy,
    validate,
    shacl,
    template,
    import_command,
    accept,
    history,
    diff,
    build,
    list_queries,
    query,
    report,
    publish,
    serve,
    kolada,
):
    main.add_command(command)
