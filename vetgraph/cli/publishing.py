"""``vetgraph publish`` and ``vetgraph serve``: the strategy as linked open data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from vetgraph.cli.common import STORE_HELP, echo, reports_errors

if TYPE_CHECKING:
    from rdflib import Graph


@click.command()
@click.argument("out_dir", metavar="OUT", type=click.Path(file_okay=False), default="dist/site")
@click.option(
    "--base",
    default=None,
    metavar="IRI",
    help="Publish under this base IRI instead of the profile's (data/profil.ttl; must end in /).",
)
@click.option(
    "--graph",
    "graph_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Publish these RDF files instead of the bundled data (e.g. a larger build). Repeatable.",
)
@click.option("--store", "store_location", metavar="FOLDER|URL", default=None, help=STORE_HELP)
@reports_errors
def publish(out_dir: str, base: str | None, graph_files: tuple[str, ...], store_location: str | None) -> None:
    """Write the strategy as a static linked-open-data site into OUT (default dist/site).

    One HTML page and four RDF files per resource, dumps, VoID, a DCAT-AP-SE
    catalogue, ontology documentation, the rules for nämndmål in words, a static
    search page, and .htaccess and nginx.conf for content negotiation.

    \b
    Example:
      vetgraph publish dist/site
      vetgraph publish dist/site --base https://data.example.org/forhandsvisning/
    """
    from vetgraph.progress import on_terminal
    from vetgraph.publishing.writer import publish as run_publish

    source = _source(graph_files, store_location)
    result = run_publish(out_dir, base=base, source=source, progress=on_terminal())
    echo(
        f"Published {result.resources} resources in {result.files} files ({result.triples} triples) "
        f"under {result.base} into {result.out_dir}"
    )


@click.command()
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
@click.option(
    "--client-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    help="Seconds a client may take to send a request (an upload gets 120 s for its file); then 408.",
)
@click.option("--store", "store_location", metavar="FOLDER|URL", default=None, help=STORE_HELP)
@reports_errors
def serve(
    host: str,
    port: int,
    site_dir: str | None,
    base: str | None,
    time_limit: float,
    result_limit: int,
    client_timeout: float,
    store_location: str | None,
) -> None:
    """Serve the published site with content negotiation, a read-only SPARQL endpoint at /sparql, and the
    upload desk at /inlamning (a check there runs under --time-limit too).

    \b
    Example:
      vetgraph serve --port 8000
      curl -L -H 'Accept: text/turtle' http://127.0.0.1:8000/id/delstrategi/god-halsa
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' http://127.0.0.1:8000/sparql
    """
    import contextlib
    from pathlib import Path

    from vetgraph.errors import VetgraphError
    from vetgraph.project import default_project
    from vetgraph.publishing.serve import make_server, stop_on_sigterm, temporary_site

    stop_on_sigterm()
    with contextlib.ExitStack() as stack:
        if site_dir:
            if store_location:
                raise VetgraphError("give either --site (a published folder) or --store, not both")
            site = Path(site_dir)
        else:
            click.echo(
                "Publishing the site into a temporary folder first (a few seconds; --site DIR serves a published "
                "folder at once) ...",
                err=True,
            )
            site = stack.enter_context(
                temporary_site(base or default_project().profile.base, _source((), store_location))
            )
        server = make_server(
            site,
            host=host,
            port=port,
            time_limit=time_limit,
            result_limit=result_limit,
            client_timeout=client_timeout,
        )
        echo(f"Serving {site} at http://{host}:{server.port}/ (SPARQL at /sparql); Ctrl-C stops")
        try:
            server.run()
        except KeyboardInterrupt:
            click.echo("Stopped.")  # Ctrl-C and SIGTERM are how a server is meant to stop


def _source(graph_files: tuple[str, ...], store_location: str | None) -> Graph | None:
    """What to publish: the given files, a store's current graph, or (None) the bundled data."""
    from vetgraph.errors import VetgraphError
    from vetgraph.rdf import graphs

    if graph_files and store_location:
        raise VetgraphError("give either --graph or --store, not both")
    if store_location:
        from vetgraph.store.versions import current_graph

        return current_graph(store_location)
    if graph_files:
        return graphs.to_graph(
            quad for path in graph_files for quad in graphs.read_quads(path, max_bytes=graphs.MAX_TRUSTED_BYTES)
        )
    return None
