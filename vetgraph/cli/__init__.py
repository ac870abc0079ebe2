"""The ``vetgraph`` command: a thin click layer over the library.

Each command parses its options, calls one library function and prints the
result. Errors the user can cause arrive as :class:`VetgraphError` and are shown
as one line on standard error with the documented exit status, never a traceback.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from vetgraph import __version__, escaping
from vetgraph.errors import EXIT_INTERNAL_ERROR, EXIT_NOT_CONFORMING, EXIT_OK, VetgraphError

F = TypeVar("F", bound=Callable[..., Any])


def echo(text: str) -> None:
    """Print to standard output with control characters from input (file names, titles) escaped."""
    click.echo(escaping.controls(text))


def echo_error(error: object) -> None:
    """One line on standard error: ``vetgraph: message``, control characters escaped."""
    click.echo(escaping.terminal_line(f"vetgraph: {error}"), err=True)


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


def source_options(command: F) -> F:
    """--endpoint, --graph, --timeout and --engine, turned into one ``store`` argument (a function
    that opens the store, so that option errors surface inside the command's error handling)."""

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
    def wrapper(*args: Any, endpoint: str | None, graph_files: tuple[str, ...], timeout: float | None, engine: str,
                **kwargs: Any) -> Any:  # fmt: skip
        def store() -> Any:
            from vetgraph.store import open_store

            if endpoint and graph_files:
                raise VetgraphError("give either --endpoint or --graph, not both")
            return open_store(endpoint=endpoint, files=graph_files, engine=engine, timeout=timeout)

        return command(*args, store=store, **kwargs)

    return wrapper  # type: ignore[return-value]


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
def main() -> None:
    """vetgraph: Vetlanda kommuns utvecklingsstrategi as a knowledge graph.

    Exit status: 0 success (or conforms, warnings allowed), 1 does not conform,
    2 an input could not be read or an option is wrong, 3 a bug in vetgraph.
    """
    # rdflib logs warnings about data ("does not look like a valid URI", "Failed to
    # convert Literal ...") and libraries warn about themselves; vetgraph reports
    # problems with the input in its own words, so neither reaches the terminal.
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Report language.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for people; json, or turtle (the SHACL validation report), for programs.",
)
@click.option(
    "--input-format",
    type=click.Choice(["turtle", "ntriples", "jsonld", "xml"]),
    default=None,
    help="Format of the files, if their extension does not tell (.ttl .nt .jsonld .json .rdf .owl .xml).",
)
@click.option(
    "--namnd",
    "committee",
    default=None,
    metavar="NAMND",
    help="The committee submitting, e.g. socialnamnden: goals claimed for another committee are errors.",
)
@reports_errors
def validate(
    files: tuple[str, ...], lang: str, output_format: str, input_format: str | None, committee: str | None
) -> None:
    """Check committee goal submissions (nämndmål) against the strategy's rules.

    Each FILE is validated on its own against the shapes, the ontology and the
    reference data, and the report says, per nämndmål, what is missing and how
    to add it.

    \b
    Example:
      vetgraph validate data/exempel/namndmal/socialnamnden.ttl
      vetgraph validate --lang en --format json mina-mal.ttl
      vetgraph validate --namnd socialnamnden socialnamndens-mal.ttl
    """
    from vetgraph.validation import Validator, reports

    validator = Validator()
    submitter = validator.committee(committee) if committee is not None else None
    run = validator.validate_files(files, rdf_format=input_format, committee=submitter)
    if output_format == "json":
        click.echo(reports.render_json(run, validator.reference, lang=lang), nl=False)
    elif output_format == "turtle":
        click.echo(reports.render_turtle(run), nl=False)
    else:
        click.echo(reports.render_text(run, validator.reference, lang=lang), nl=False)
    for error in run.errors:
        echo_error(error)
    sys.exit(run.exit_code)


@main.command()
@click.argument("data_files", metavar="DATA...", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--shapes",
    "shape_files",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="A file of SHACL shapes. Repeatable; the files are merged.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for people; json, or turtle (the standard sh:ValidationReport), for programs.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "vetgraph", "pyshacl"]),
    default="auto",
    show_default=True,
    help="auto: vetgraph's evaluator where it covers the shapes, else pySHACL.",
)
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Report language.")
@click.option(
    "--input-format",
    type=click.Choice(["turtle", "ntriples", "jsonld", "xml"]),
    default=None,
    help="Format of the files, if their extensions do not tell.",
)
@click.option(
    "--base",
    "base_iri",
    default=None,
    metavar="IRI",
    help="Resolve relative IRIs in the files against IRI (without it they are an error).",
)
@reports_errors
def shacl(
    data_files: tuple[str, ...],
    shape_files: tuple[str, ...],
    output_format: str,
    engine: str,
    lang: str,
    input_format: str | None,
    base_iri: str | None,
) -> None:
    """Validate any RDF DATA against any SHACL shapes (e.g. a municipality's own extra rules).

    Uses the same engines as validate: vetgraph's evaluator where it covers the
    shapes, pySHACL otherwise. SHACL-SPARQL queries that would reach another
    server or file (SERVICE, FROM, LOAD) are refused. Exit 0 conforms, 1 does not,
    2 a file could not be read.

    \b
    Example:
      vetgraph shacl dist/graf/vetgraph.ttl --shapes shapes/referensdata.ttl
      vetgraph shacl data.ttl --shapes mina-regler.ttl --format turtle > rapport.ttl
    """
    from vetgraph.validation import reports, validate_files_against_shapes

    report = validate_files_against_shapes(
        data_files, shape_files, engine=engine, rdf_format=input_format, base_iri=base_iri
    )
    if output_format == "json":
        click.echo(reports.render_shapes_json(report), nl=False)
    elif output_format == "turtle":
        click.echo(reports.render_shapes_turtle(report), nl=False)
    else:
        click.echo(reports.render_shapes_text(report, lang=lang), nl=False)
    sys.exit(EXIT_OK if report.conforms else EXIT_NOT_CONFORMING)


@main.command()
@click.option(
    "--out",
    "out_dir",
    default="dist/graf",
    show_default=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Folder to write; replaced as a whole only when the build succeeds.",
)
@click.option(
    "--inference",
    type=click.Choice(["none", "rdfs", "owlrl"]),
    default="none",
    show_default=True,
    help="Materialise RDFS or OWL 2 RL entailments in the output.",
)
@reports_errors
def build(out_dir: str, inference: str) -> None:
    """Merge the ontology and all data, check the reference data, and write the graph.

    Writes vetgraph.ttl, vetgraph.nt and vetgraph.jsonld into the folder.

    \b
    Example:
      vetgraph build --out dist/graf --inference rdfs
    """
    from vetgraph.build import build as run_build

    result = run_build(out_dir, inference=inference)
    inferred = (
        f", {result.inferred_triples} of them inferred ({result.inference})" if result.inference != "none" else ""
    )
    echo(f"Built {result.triples} triples{inferred}; the reference data conforms to its shapes.")
    for path in result.files:
        echo(f"  {path}")


@main.command(name="queries")
@reports_errors
def list_queries() -> None:
    """List the stored queries with their summaries and parameters.

    \b
    Example:
      vetgraph queries
    """
    from vetgraph.followup.queries import describe_default, stored_queries

    for query in stored_queries():
        echo(f"{query.name}\n  {query.summary}")
        for parameter in query.parameters:
            echo(
                f"  -p {parameter.name} ({parameter.kind}, standard: {describe_default(parameter)}): "
                f"{parameter.description}"
            )
        click.echo()


@main.command()
@click.argument("query_spec", metavar="NAME|FILE|-")
@click.option(
    "-p",
    "--param",
    "params",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="Bind a parameter, e.g. -p namnd namnd:socialnamnden. Repeatable.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "md"]),
    default="table",
    show_default=True,
    help="table for a terminal; csv for Swedish Excel (UTF-8 with BOM, semicolons); "
    "json in the SPARQL 1.1 results format; md for Markdown.",
)
@source_options
@click.option(
    "--allow-external", is_flag=True, help="Allow SERVICE and FROM/FROM NAMED, which can reach other servers or files."
)
@reports_errors
def query(
    query_spec: str, params: tuple[tuple[str, str], ...], output_format: str, store: Any, allow_external: bool
) -> None:
    """Run a stored query (by NAME), a query FILE, or a query on standard input (-).

    \b
    Examples:
      vetgraph query delstrategier-tackning
      vetgraph query namnd-namndmal -p namnd namnd:socialnamnden --format csv > socialnamnden.csv
      vetgraph query min-fraga.rq --endpoint http://localhost:7878/query
    """
    from vetgraph.followup import tables
    from vetgraph.followup.queries import find_query, run

    stored = find_query(query_spec)
    table = run(stored, store(), dict(params), allow_external=allow_external)
    # As bytes, so that CSV's CRLF line ends reach the file unchanged.
    click.echo(tables.render(table, output_format).encode("utf-8"), nl=False)


@main.command()
@click.option(
    "--out",
    "out_dir",
    default="dist/rapport",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write uppfoljning.html and uppfoljning.md into; replaced only when complete.",
)
@click.option("--mandatperiod", default="period:2023-2026", show_default=True, help="The mandate period to follow up.")
@source_options
@reports_errors
def report(out_dir: str, mandatperiod: str, store: Any) -> None:
    """Write the follow-up report (uppföljningsrapport) in Swedish, as HTML and Markdown.

    The HTML is one self-contained file (no scripts, no network) with tables and
    charts; the Markdown has the same tables.

    \b
    Example:
      vetgraph report --out dist/rapport
    """
    from vetgraph.followup.report import write_report

    for path in write_report(out_dir, store(), mandatperiod=mandatperiod):
        echo(f"Wrote {path}")


@main.command()
@click.argument("out_dir", metavar="OUT", type=click.Path(file_okay=False), default="dist/site")
@click.option(
    "--base",
    default=None,
    metavar="IRI",
    help="Publish under this base IRI instead of https://data.vetlanda.se/ (must end in /).",
)
@click.option(
    "--graph",
    "graph_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Publish these RDF files instead of the bundled data (e.g. a larger build). Repeatable.",
)
@reports_errors
def publish(out_dir: str, base: str | None, graph_files: tuple[str, ...]) -> None:
    """Write the strategy as a static linked-open-data site into OUT (default dist/site).

    One HTML page and four RDF files per resource, dumps, VoID, a DCAT-AP-SE
    catalogue, ontology documentation, the rules for nämndmål in words, a static
    search page, and .htaccess and nginx.conf for content negotiation.

    \b
    Example:
      vetgraph publish dist/site
      vetgraph publish dist/site --base https://data.example.org/vetlanda/
    """
    from vetgraph.namespaces import BASE
    from vetgraph.publishing.site import publish as run_publish
    from vetgraph.rdf import graphs

    source = None
    if graph_files:
        source = graphs.to_graph(
            quad for path in graph_files for quad in graphs.read_quads(path, max_bytes=graphs.MAX_TRUSTED_BYTES)
        )
    result = run_publish(out_dir, base=base or BASE, source=source)
    echo(
        f"Published {result.resources} resources in {result.files} files ({result.triples} triples) "
        f"under {result.base} into {result.out_dir}"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--site",
    "site_dir",
    default=None,
    type=click.Path(file_okay=False, exists=True),
    help="Serve this published folder (vetgraph publish OUT); default: publish into a temporary one.",
)
@click.option("--base", default=None, metavar="IRI", help="Base IRI when publishing first (see vetgraph publish).")
@click.option(
    "--time-limit",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    help="Seconds a SPARQL query may run.",
)
@click.option(
    "--result-limit", default=10_000, show_default=True, type=click.IntRange(1), help="Rows a SPARQL query may return."
)
@reports_errors
def serve(host: str, port: int, site_dir: str | None, base: str | None, time_limit: float, result_limit: int) -> None:
    """Serve the published site with content negotiation, and a read-only SPARQL endpoint at /sparql.

    \b
    Example:
      vetgraph serve --port 8000
      curl -L -H 'Accept: text/turtle' http://127.0.0.1:8000/id/delstrategi/god-halsa
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' http://127.0.0.1:8000/sparql
    """
    import contextlib
    from pathlib import Path

    from vetgraph.namespaces import BASE
    from vetgraph.publishing.serve import make_server, stop_on_sigterm, temporary_site

    stop_on_sigterm()
    with contextlib.ExitStack() as stack:
        if site_dir:
            site = Path(site_dir)
        else:
            click.echo(
                "Publishing the site into a temporary folder first (a few seconds; --site DIR serves a published "
                "folder at once) ...",
                err=True,
            )
            site = stack.enter_context(temporary_site(base or BASE))
        server = make_server(site, host=host, port=port, time_limit=time_limit, result_limit=result_limit)
        echo(f"Serving {site} at http://{host}:{server.server_port}/ (SPARQL at /sparql); Ctrl-C stops")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("Stopped.")  # Ctrl-C is how a server is meant to stop
        finally:
            server.server_close()
