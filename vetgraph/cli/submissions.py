"""``vetgraph template`` and ``vetgraph import``: committee goals in a spreadsheet."""

from __future__ import annotations

import sys

import click

from vetgraph.cli.common import echo, echo_error, reports_errors


@click.command()
@click.argument("out", metavar="OUT.xlsx", type=click.Path(dir_okay=False))
@click.option("--namnd", "committee", default=None, metavar="NAMND", help="Fill in the committee, e.g. socialnamnden.")
@click.option(
    "--mandatperiod",
    "period",
    default=None,
    metavar="PERIOD",
    help="Fill in the mandate period, e.g. period:2023-2026 (and list only its KF-mål).",
)
@reports_errors
def template(out: str, committee: str | None, period: str | None) -> None:
    """Write the spreadsheet template for a committee's goals (nämndmål), generated from the rules.

    One row per goal, a column per field (required ones marked *), drop-down lists
    of Swedish names for every link, an instructions sheet and a reference sheet.

    \b
    Example:
      vetgraph template socialnamnden.xlsx --namnd socialnamnden --mandatperiod period:2023-2026
    """
    from pathlib import Path

    from rdflib import RDF, URIRef

    from vetgraph.errors import VetgraphError
    from vetgraph.followup.queries import Parameter, parse_value
    from vetgraph.namespaces import VTL
    from vetgraph.submissions.workflow import make_template
    from vetgraph.validation import Validator

    if not out.lower().endswith(".xlsx"):
        raise VetgraphError("the template is an Excel workbook: name it FILE.xlsx", path=out)
    if Path(out).exists():
        raise VetgraphError("the file exists; vetgraph does not overwrite it: give a new name", path=out)
    validator = Validator()
    committee_iri = validator.committee(committee) if committee else None
    period_iri = parse_value(Parameter("mandatperiod", "iri", "", ""), period) if period else None
    if period_iri is not None and (period_iri, RDF.type, VTL.Mandatperiod) not in validator.reference:
        raise VetgraphError(
            f"--mandatperiod {period}: no such mandate period in the reference data (e.g. period:2023-2026)"
        )
    assert period_iri is None or isinstance(period_iri, URIRef)  # an iri parameter parses to an IRI
    path = make_template(out, committee=committee_iri, period=period_iri)
    echo(f"Wrote {path}")


@click.command(name="import")
@click.argument("file", metavar="FILE.xlsx|FILE.csv", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the Turtle here (default: standard output).",
)
@reports_errors
def import_command(file: str, out: str | None) -> None:
    """Turn a filled template (.xlsx, or .csv) into a Turtle submission.

    Names become IRIs; a goal's IRI comes from its committee, period and title (or
    identifier), so importing the same sheet again gives the same IRIs. A cell
    that matches nothing is reported with sheet, row and column, and the closest
    valid names (exit 1; nothing is written).

    \b
    Example:
      vetgraph import socialnamnden.xlsx --out socialnamnden.ttl
    """
    from pathlib import Path

    from vetgraph.errors import VetgraphError
    from vetgraph.rdf import graphs
    from vetgraph.submissions.workflow import import_spreadsheet

    imported = import_spreadsheet(file)
    if imported.problems:
        for problem in imported.problems:
            echo_error(f"{file}: {problem}")
        sys.exit(1)
    data = graphs.serialize(imported.graph, "turtle")
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    if Path(out).exists():
        raise VetgraphError("the file exists; vetgraph does not overwrite it: give a new name", path=out)
    Path(out).write_bytes(data)
    echo(f"Wrote {out} ({len(imported.rows)} nämndmål)")
