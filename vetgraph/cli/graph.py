"""``vetgraph build``: the knowledge graph in three formats."""

from __future__ import annotations

import click

from vetgraph.cli.common import echo, reports_errors


@click.command()
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
    from vetgraph.graph import build as run_build

    result = run_build(out_dir, inference=inference)
    inferred = (
        f", {result.inferred_triples} of them inferred ({result.inference})" if result.inference != "none" else ""
    )
    echo(f"Built {result.triples} triples{inferred}; the reference data conforms to its shapes.")
    for path in result.files:
        echo(f"  {path}")
