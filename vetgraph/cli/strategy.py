"""``vetgraph strategy template`` and ``vetgraph strategy import``: the strategy itself in a workbook."""

from __future__ import annotations

import sys

import click

from vetgraph.cli.common import echo, echo_error, reports_errors


@click.group()
def strategy() -> None:
    """The strategy's levels (vision, riktningar, delstrategier, målområden …) in a workbook.

    \b
    Example:
      vetgraph --project nassjo strategy template strategi.xlsx
      vetgraph --project nassjo strategy import strategi.xlsx
    """


@strategy.command(name="template")
@click.argument("out", metavar="OUT.xlsx", type=click.Path(dir_okay=False))
@reports_errors
def strategy_template(out: str) -> None:
    """Write the strategy workbook: a sheet per level of the profile, its columns from the reference shapes."""
    from vetgraph.errors import VetgraphError
    from vetgraph.project import default_project
    from vetgraph.strategy import write_strategy_template

    if not out.lower().endswith(".xlsx"):
        raise VetgraphError("the workbook is an Excel workbook: name it FILE.xlsx", path=out)
    echo(f"Wrote {write_strategy_template(out, default_project())}")


@strategy.command(name="import")
@click.argument("file", metavar="FILE.xlsx", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the Turtle here, a new file (default: the project's data/strategi-nivaer.ttl).",
)
@click.option("--lang", "language", type=click.Choice(["sv", "en"]), default="sv", help="The messages' language.")
@reports_errors
def strategy_import(file: str, out: str | None, language: str) -> None:
    """Turn a filled strategy workbook into the strategy's Turtle, checked by the reference-data shapes.

    Every problem is named by sheet, row and column (exit 1; nothing is written). The file is
    written only where no file is: remove an earlier import first to import again.
    """
    import os

    from vetgraph.errors import VetgraphError
    from vetgraph.project import default_project
    from vetgraph.strategy import import_strategy, write_strategy

    project = default_project()
    target = out if out is not None else str(project.data_dir / "strategi-nivaer.ttl")
    if os.path.lexists(target):
        raise VetgraphError("the file exists; vetgraph does not overwrite it: give a new name", path=target)
    imported = import_strategy(file, project, language=language)
    if imported.problems:
        for problem in imported.problems:
            echo_error(f"{file}: {problem}")
        sys.exit(1)
    write_strategy(imported, target, project, file)
    echo(f"Wrote {target} ({imported.concepts} begrepp)")
