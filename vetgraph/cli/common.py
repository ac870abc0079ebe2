"""What every command shares: one-line errors with the documented exit status, escaped output, data-source options."""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from vetgraph import escaping
from vetgraph.errors import EXIT_INTERNAL_ERROR, VetgraphError

F = TypeVar("F", bound=Callable[..., Any])


def echo(text: str) -> None:
    """Print to standard output with control characters from input (file names, titles) escaped."""
    click.echo(escaping.controls(text))


def echo_error(error: object) -> None:
    """One line on standard error: ``vetgraph: message``, control characters escaped."""
    click.echo(escaping.terminal_line(f"vetgraph: {error}"), err=True)


def without_full_collections(command: F) -> F:
    """Run ``command`` without the cycle collector's full collections (young objects are still collected).

    Validating 10,000 goals builds millions of tuples, dicts and terms that live until the report is
    written and hold no cycles; each full collection walks all of them and frees nothing: 0.4 of
    3.4 s of ``validate``, and half of writing its Turtle report, with the same peak memory
    (bench/README.md). Short-lived cycles (pySHACL's, openpyxl's) are still freed by the young
    generations. A command is a short-lived process; the library leaves the collector alone, so that
    a long-running process (``serve``) keeps it as it is.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        thresholds = gc.get_threshold()
        gc.set_threshold(thresholds[0], thresholds[1], 1_000_000)
        try:
            return command(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)

    return wrapper  # type: ignore[return-value]


def reports_errors(command: F) -> F:
    """Turn a VetgraphError into one line on stderr and its exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except VetgraphError as error:
            echo_error(error)
            sys.exit(error.exit_code)
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("vetgraph: interrupted; nothing was written", err=True)
            sys.exit(130)
        except Exception as error:
            # A bug, not bad input: say so on one line; VETGRAPH_DEBUG=1 shows the traceback.
            if os.environ.get("VETGRAPH_DEBUG"):
                raise
            echo_error(
                f"internal error ({type(error).__name__}: {error}); this is a bug in vetgraph, "
                "please report it; VETGRAPH_DEBUG=1 shows the details"
            )
            sys.exit(EXIT_INTERNAL_ERROR)

    return wrapper  # type: ignore[return-value]


STORE_HELP = (
    "Read the accepted submissions in this store (a folder, or a SPARQL server's query URL) "
    "instead of the bundled samples: the reference data and each committee's current version."
)


def source_options(command: F) -> F:
    """--store, --endpoint, --graph, --timeout and --engine, turned into one ``store`` argument (a function
    that opens the store, so that option errors surface inside the command's error handling)."""

    @click.option("--store", "store_location", metavar="FOLDER|URL", default=None, help=STORE_HELP)
    @click.option(
        "--endpoint", metavar="URL", default=None, help="Use this SPARQL 1.1 endpoint instead of the bundled data."
    )
    @click.option(
        "--graph",
        "graph_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Use these RDF files instead of the bundled data (e.g. dist/graf/vetgraph.ttl). Repeatable.",
    )
    @click.option(
        "--timeout",
        type=click.FloatRange(0, min_open=True),
        default=None,
        help="Seconds a query may take: the whole request to an endpoint (default 30), "
        "or the evaluation on local data (default 10, as serve's --time-limit); exit 2 when it is hit.",
    )
    @click.option(
        "--engine",
        type=click.Choice(["oxigraph", "rdflib"]),
        default="oxigraph",
        show_default=True,
        help="The SPARQL engine for local data (both give the same rows).",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, store_location: str | None, endpoint: str | None, graph_files: tuple[str, ...],
                timeout: float | None, engine: str, **kwargs: Any) -> Any:  # fmt: skip
        def store() -> Any:
            from vetgraph.store import open_store

            if sum(map(bool, (store_location, endpoint, graph_files))) > 1:
                raise VetgraphError("give one of --store, --endpoint and --graph")
            if store_location:
                from vetgraph.store.versions import open_current

                return open_current(store_location, timeout=timeout)
            return open_store(endpoint=endpoint, files=graph_files, engine=engine, timeout=timeout)

        return command(*args, store=store, **kwargs)

    return wrapper  # type: ignore[return-value]
