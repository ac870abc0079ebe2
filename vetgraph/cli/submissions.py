"""``vetgraph template`` and ``vetgraph import``: committee goals in a spreadsheet."""

from __future__ import annotations

import sys

import click

from vetgraph import escaping
from vetgraph.cli.common import F, echo, echo_error, reports_errors


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
@click.option(
    "--from",
    "goals_file",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Fill the rows with the goals of this submission (RDF), e.g. last year's, to revise them.",
)
@reports_errors
def template(out: str, committee: str | None, period: str | None, goals_file: str | None) -> None:
    """Write the spreadsheet template for a committee's goals (nämndmål), generated from the rules.

    One row per goal, a column per field (required ones marked *), drop-down lists
    of Swedish names for every link, an instructions sheet and a reference sheet.

    \b
    Example:
      vetgraph template socialnamnden.xlsx --namnd socialnamnden --mandatperiod period:2023-2026
      vetgraph template nya-mal.xlsx --from socialnamnden.ttl
    """
    import os

    from rdflib import RDF, URIRef

    from vetgraph.errors import VetgraphError
    from vetgraph.followup.queries import Parameter, parse_value
    from vetgraph.namespaces import VTL
    from vetgraph.rdf import graphs
    from vetgraph.submissions.workflow import make_template
    from vetgraph.validation import Validator

    if not out.lower().endswith(".xlsx"):
        raise VetgraphError("the template is an Excel workbook: name it FILE.xlsx", path=out)
    if os.path.lexists(out):
        raise VetgraphError("the file exists; vetgraph does not overwrite it: give a new name", path=out)
    validator = Validator()
    committee_iri = validator.committee(committee) if committee else None
    namespaces = validator.project.profile.namespaces
    period_iri = parse_value(Parameter("mandatperiod", "iri", "", ""), period, namespaces) if period else None
    if period_iri is not None and (period_iri, RDF.type, VTL.Mandatperiod) not in validator.reference:
        raise VetgraphError(
            f"--mandatperiod {period}: no such mandate period in the reference data (e.g. period:2023-2026)"
        )
    assert period_iri is None or isinstance(period_iri, URIRef)  # an iri parameter parses to an IRI
    goals = graphs.read_rdf(goals_file) if goals_file else None
    path = make_template(out, committee=committee_iri, period=period_iri, goals=goals)
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
    import os

    from vetgraph.errors import VetgraphError
    from vetgraph.rdf import graphs
    from vetgraph.rdf.output import write_new_file
    from vetgraph.submissions.workflow import import_spreadsheet

    if out is not None and os.path.lexists(out):
        raise VetgraphError("the file exists; vetgraph does not overwrite it: give a new name", path=out)
    imported = import_spreadsheet(file)
    if imported.problems:
        for problem in imported.problems:
            echo_error(f"{file}: {problem}")
        sys.exit(1)
    data = graphs.serialize(imported.graph, "turtle")
    if out is None:
        # Control characters as Turtle escapes: the same triples, and nothing a terminal would obey.
        click.echo(escaping.controls(data.decode("utf-8")), nl=False)
        return
    write_new_file(out, data)
    echo(f"Wrote {out} ({len(imported.rows)} nämndmål)")


def store_option(command: F) -> F:
    return click.option(
        "--store",
        "store_location",
        metavar="FOLDER|URL",
        default=None,
        help="The store: a folder (an Oxigraph store on disk) or a SPARQL 1.1 server's query URL. "
        "Default: $VETGRAPH_STORE, else ~/.local/share/vetgraph/lager.",
    )(command)


@click.command()
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--namnd", "committee", required=True, metavar="NAMND", help="The committee submitting, e.g. socialnamnden."
)
@store_option
@click.option(
    "--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Language of the report."
)
@reports_errors
def accept(file: str, committee: str, store_location: str | None, lang: str) -> None:
    """Accept a conforming submission (Turtle, JSON-LD, .xlsx, .csv ...) into the store as the committee's current one.

    The submission gets its own named graph per committee, mandate period and
    version, with provenance (PROV-O: when, the file's name and SHA-256, vetgraph's
    version, the validation report). The committee's earlier submission for the
    period stays as history. A submission that does not conform is not accepted
    (the report is printed, exit 1, the store is unchanged).

    \b
    Example:
      vetgraph accept socialnamnden.xlsx --namnd socialnamnden --store lager/
    """
    from vetgraph.errors import VetgraphError
    from vetgraph.progress import on_terminal
    from vetgraph.submissions.acceptance import NotAcceptedError
    from vetgraph.submissions.acceptance import accept as accept_submission
    from vetgraph.validation import Validator, reports
    from vetgraph.validation.findings import ValidationRun

    validator = Validator()
    try:
        accepted = accept_submission(file, committee, store=store_location, validator=validator, progress=on_terminal())
    except NotAcceptedError as error:
        click.echo(reports.render_text(ValidationRun(reports=[error.report]), validator.reference, lang=lang), nl=False)
        raise
    except VetgraphError as error:  # a file that cannot be read: in the report's language
        echo_error(error.text(lang))
        sys.exit(error.exit_code)
    version = accepted.version
    replaced = f"; version {accepted.replaced.number} is kept as history" if accepted.replaced else ""
    echo(
        f"Accepted {file} as version {version.number} of {committee}'s submission for "
        f"{version.period.rsplit('/', 1)[-1]} ({version.goals} nämndmål){replaced}."
    )


@click.command()
@click.option("--namnd", "committee", default=None, metavar="NAMND", help="Only this committee's submissions.")
@store_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_errors
def history(committee: str | None, store_location: str | None, output_format: str) -> None:
    """List the accepted submissions in the store, oldest first, marking each committee's current one.

    \b
    Example:
      vetgraph history --namnd socialnamnden --store lager/
    """
    from vetgraph.submissions.history import history as list_versions
    from vetgraph.submissions.history import render_history
    from vetgraph.validation import Validator

    validator = Validator()
    echo(
        render_history(
            list_versions(committee, store=store_location),
            output_format,
            validator.reference,
            validator.project.profile.namespaces,
        ).rstrip("\n")
    )


@click.command()
@click.option(
    "--namnd", "committee", required=True, metavar="NAMND", help="The committee whose submissions to compare."
)
@click.option(
    "--from", "old", type=click.IntRange(1), default=None, help="The older version (default: the one before --to)."
)
@click.option("--to", "new", type=click.IntRange(1), default=None, help="The newer version (default: the current one).")
@click.option("--mandatperiod", "period", default=None, metavar="PERIOD", help="The mandate period, e.g. 2023-2026.")
@store_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_errors
def diff(
    committee: str, old: int | None, new: int | None, period: str | None, store_location: str | None, output_format: str
) -> None:
    """Show what changed between two versions of a committee's submission: goals added, removed, retitled, relinked.

    \b
    Example:
      vetgraph diff --namnd socialnamnden --store lager/
      vetgraph diff --namnd socialnamnden --from 1 --to 3 --format json
    """
    from vetgraph.submissions.history import diff as compare_versions
    from vetgraph.submissions.history import render_diff
    from vetgraph.validation import Validator

    changes = compare_versions(committee, old=old, new=new, period=period, store=store_location)
    validator = Validator()
    echo(render_diff(changes, output_format, validator.reference, validator.project.profile.namespaces).rstrip("\n"))
