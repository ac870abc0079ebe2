"""``vetgraph validate`` (committee submissions) and ``vetgraph shacl`` (any data against any shapes)."""

from __future__ import annotations

import sys

import click

from vetgraph.cli.common import F, echo_error, reports_errors, without_full_collections
from vetgraph.errors import EXIT_NOT_CONFORMING, EXIT_OK
from vetgraph.rdf.formats import RDF_FORMATS


def report_options(command: F) -> F:
    """--lang, --format and --input-format, which validate and shacl share."""
    for option in reversed(
        (
            click.option(
                "--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Report language."
            ),
            click.option(
                "--format",
                "output_format",
                type=click.Choice(["text", "json", "turtle"]),
                default="text",
                show_default=True,
                help="text for people; json, or turtle (the standard SHACL sh:ValidationReport), for programs.",
            ),
            click.option(
                "--input-format",
                type=click.Choice(list(RDF_FORMATS)),
                default=None,
                help="Format of the files, if their extensions do not tell (.ttl .nt .jsonld .json .rdf .owl .xml).",
            ),
        )
    ):
        command = option(command)
    return command


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@report_options
@click.option(
    "--namnd",
    "committee",
    default=None,
    metavar="NAMND",
    help="The committee submitting, e.g. socialnamnden: goals claimed for another committee are errors.",
)
@click.option(
    "--trusted",
    is_flag=True,
    help="The files are your own, not a submission from outside (e.g. every committee's goals merged): "
    "read RDF files of up to 2 GB instead of 10 MB.",
)
@reports_errors
@without_full_collections
def validate(
    files: tuple[str, ...],
    lang: str,
    output_format: str,
    input_format: str | None,
    committee: str | None,
    trusted: bool,
) -> None:
    """Check committee goal submissions (nämndmål) against the strategy's rules.

    A FILE is RDF (.ttl .nt .jsonld .rdf), or a filled template from
    `vetgraph template` (.xlsx, or .csv): then every finding names its sheet,
    row and column.

    Each FILE is validated on its own against the shapes, the ontology and the
    reference data, and the report says, per nämndmål, what is missing and how
    to add it. A file may be at most 10 MB (about 15,000 goals): a limit for
    submissions from outside; --trusted lifts it to 2 GB for your own files.

    \b
    Example:
      vetgraph validate data/exempel/namndmal/socialnamnden.ttl
      vetgraph validate --lang en --format json mina-mal.ttl
      vetgraph validate --namnd socialnamnden socialnamndens-mal.ttl
    """
    from vetgraph.progress import on_terminal
    from vetgraph.rdf import graphs
    from vetgraph.validation import Validator, reports

    validator = Validator()
    submitter = validator.committee(committee) if committee is not None else None
    run = validator.validate_files(
        files,
        rdf_format=input_format,
        committee=submitter,
        max_bytes=graphs.MAX_TRUSTED_BYTES if trusted else graphs.MAX_INPUT_BYTES,
        progress=on_terminal(),
    )
    if output_format == "json":
        click.echo(reports.render_json(run, validator.reference, lang=lang), nl=False)
    elif output_format == "turtle":
        click.echo(reports.render_turtle(run), nl=False)
    else:
        click.echo(reports.render_text(run, validator.reference, lang=lang), nl=False)
    for error in run.errors:
        echo_error(error.text(lang))
    sys.exit(run.exit_code)


@click.command()
@click.argument("data_files", metavar="DATA...", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--shapes",
    "shape_files",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="A file of SHACL shapes. Repeatable; the files are merged.",
)
@report_options
@click.option(
    "--engine",
    type=click.Choice(["auto", "vetgraph", "pyshacl"]),
    default="auto",
    show_default=True,
    help="auto: vetgraph's evaluator where it covers the shapes, else pySHACL.",
)
@click.option(
    "--base",
    "base_iri",
    default=None,
    metavar="IRI",
    help="Resolve relative IRIs in the files against IRI (without it they are an error).",
)
@reports_errors
@without_full_collections
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
