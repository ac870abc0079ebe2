"""``vetgraph queries``, ``query`` and ``report``: the follow-up views."""

from __future__ import annotations

from typing import Any

import click

from vetgraph.cli.common import echo, reports_errors, source_options


@click.command(name="queries")
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


@click.command()
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


@click.command()
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
