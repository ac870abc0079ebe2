"""``vetgraph queries``, ``query`` and ``report``: the follow-up views."""

from __future__ import annotations

import datetime
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
    from vetgraph.followup.defaults import describe_default
    from vetgraph.followup.queries import stored_queries

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
    from vetgraph import dates
    from vetgraph.followup import tables
    from vetgraph.followup.defaults import with_defaults
    from vetgraph.followup.queries import find_query, run
    from vetgraph.project import default_project

    profile = default_project().profile
    namespaces = profile.namespaces
    stored = find_query(query_spec)
    source = store()
    values = with_defaults(stored, dict(params), source, profile, dates.today())
    table = run(stored, source, values, allow_external=allow_external, namespaces=namespaces)
    # As bytes, so that CSV's CRLF line ends reach the file unchanged.
    click.echo(tables.render(table, output_format, namespaces).encode("utf-8"), nl=False)


@click.command()
@click.option(
    "--out",
    "out_dir",
    default="dist/rapport",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write uppfoljning.html, uppfoljning.md and namnd/*.html into; replaced only when complete.",
)
@click.option(
    "--mandatperiod",
    default=None,
    metavar="PERIOD",
    help="The mandate period to follow up, e.g. period:2023-2026 (default: the one that holds --datum).",
)
@click.option(
    "--datum",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="ÅÅÅÅ-MM-DD",
    help="Follow up the mandate period that holds this day (default: today), e.g. 2026-12-31 for that year's report.",
)
@click.option(
    "--pdf",
    "--format-pdf",
    "pdf",
    is_flag=True,
    help="Also print uppfoljning.pdf, every goal expanded (needs Chromium).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["html", "pdf"]),
    multiple=True,
    help="pdf: the same as --pdf. HTML and Markdown are always written.",
)
@source_options
@reports_errors
def report(
    out_dir: str,
    mandatperiod: str | None,
    day: datetime.datetime | None,
    pdf: bool,
    formats: tuple[str, ...],
    store: Any,
) -> None:
    """Write the follow-up report (uppföljningsrapport) in Swedish, as HTML and Markdown, and a page per committee.

    The HTML is one self-contained file (no scripts, no network) with tables and
    charts: how the goals are linked, and how they are going (goal fulfilment,
    measures and outcomes). The Markdown has the same tables. namnd/NAME.html is a
    committee's goals, all expanded, for its papers. --pdf prints the whole report,
    every goal expanded, with Chromium.

    \b
    Examples:
      vetgraph report --out dist/rapport
      vetgraph report --out dist/rapport --pdf
      vetgraph report --out dist/rapport-2026 --datum 2026-12-31
    """
    from vetgraph.followup.report import write_report
    from vetgraph.progress import on_terminal

    written = write_report(
        out_dir,
        store(),
        mandatperiod=mandatperiod,
        day=day.date() if day else None,
        pdf=pdf or "pdf" in formats,
        progress=on_terminal(),
    )
    for path in written:
        echo(f"Wrote {path}")
