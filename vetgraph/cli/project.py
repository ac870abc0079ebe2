"""``vetgraph init``: a new municipality's project folder."""

from __future__ import annotations

import click

from vetgraph.cli.common import echo, reports_errors


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--namn", "name", required=True, help='The municipality\'s name, e.g. "Nässjö kommun".')
@click.option("--kod", "code", required=True, help="Its kommunkod (SCB, Kolada), e.g. 0682.")
@click.option("--bas", "base", required=True, metavar="IRI", help="The base of its IRIs, e.g. https://data.nassjo.se/")
@click.option("--namn-en", "name_en", default=None, help='Its name in English, e.g. "Nässjö Municipality".')
@click.option("--webbplats", "homepage", default=None, metavar="URL", help="Its website, for the catalogue's contact.")
@reports_errors
def init(folder: str, name: str, code: str, base: str, name_en: str | None, homepage: str | None) -> None:
    """Make a project folder DIR for a new municipality: it starts with data only.

    DIR gets the municipality's profile (data/profil.ttl), the shared vocabulary, the
    Agenda 2030 reference data, its county's RUS (or an empty one to fill in), the
    shapes and stored queries under its own base, an empty strategy and a README of
    what to fill in. Then every command works on it with --project DIR.

    \b
    Example:
      vetgraph init nassjo --namn "Nässjö kommun" --kod 0682 --bas https://data.nassjo.se/
      vetgraph --project nassjo strategy template strategi.xlsx
      vetgraph --project nassjo build
    """
    from vetgraph.new_project import Municipality, init_project

    made = init_project(folder, Municipality(name, code, base, name_en=name_en, homepage=homepage))
    echo(
        f"Wrote {made}: fill in the strategy with vetgraph --project {made} strategy template strategi.xlsx "
        f"(then strategy import), and the rest {made / 'README.md'} lists"
    )
