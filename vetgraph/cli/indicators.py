"""``vetgraph kolada fetch``: outcomes of Kolada's key figures, as RDF Data Cube observations."""

from __future__ import annotations

import click

from vetgraph import escaping
from vetgraph.cli.common import echo, reports_errors


@click.group()
def kolada() -> None:
    """Kolada, the Swedish municipalities' key figures (api.kolada.se, API v3)."""


@kolada.command(name="fetch")
@click.option(
    "--kpi", "kpis", multiple=True, required=True, metavar="ID", help="A key figure, e.g. N00914. Repeatable."
)
@click.option("--municipality", default=None, metavar="KOD",
              help="The municipality's kommunkod (default: the project's, from its profile).")  # fmt: skip
@click.option("--years", default="2019-2025", show_default=True, help="Years: 2019-2025, 2023 or 2019,2021.")
@click.option("--base-url", default="https://api.kolada.se/v3", show_default=True, help="Kolada's API.")
@click.option(
    "--out", default=None, type=click.Path(dir_okay=False), help="Write the Turtle here (default: standard output)."
)
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds each request may take, the whole answer.")  # fmt: skip
@reports_errors
def fetch_command(
    kpis: tuple[str, ...], municipality: str | None, years: str, base_url: str, out: str | None, timeout: float
) -> None:
    """Fetch key figures' outcomes for a municipality and write them as RDF Data Cube observations (Turtle).

    Each observation has its key figure, municipality, year, gender (T, K, M),
    value, "Källa: Kolada" and when it was fetched. Values Kolada lacks (null)
    stay missing. Nothing is written if any request fails.

    \b
    Example:
      vetgraph kolada fetch --kpi N00914 --kpi U00405 --years 2019-2025 --out utfall.ttl
    """
    import os

    from vetgraph.errors import VetgraphError
    from vetgraph.indicators.kolada import fetch, parse_years, to_graph
    from vetgraph.progress import on_terminal
    from vetgraph.project import default_project
    from vetgraph.rdf import graphs
    from vetgraph.rdf.output import write_new_file

    if out is not None and os.path.lexists(out):
        raise VetgraphError("the file exists; vetgraph does not overwrite it: give a new name", path=out)
    profile = default_project().profile
    fetched = fetch(list(kpis), municipality=municipality or profile.code, years=parse_years(years), base_url=base_url,
                    timeout=timeout, progress=on_terminal())  # fmt: skip
    data = graphs.serialize(to_graph(fetched, profile.namespaces), "turtle")
    summary = (
        f"{len(fetched.outcomes)} outcomes of {len(fetched.kpis)} key figures from Kolada "
        f"({fetched.missing} missing values left out; {fetched.requests} requests)"
    )
    if out is None:
        # Control characters as Turtle escapes: the same triples, and nothing a terminal would obey.
        click.echo(escaping.controls(data.decode("utf-8")), nl=False)
        click.echo(summary, err=True)
        return
    write_new_file(out, data)
    echo(f"Wrote {out}: {summary}")
