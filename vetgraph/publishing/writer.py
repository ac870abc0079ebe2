"""``vetgraph publish``: write the static linked-open-data site (see :mod:`vetgraph.publishing.site`)."""

from __future__ import annotations

import dataclasses
import gzip
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from vetgraph import __version__, dates
from vetgraph.errors import VetgraphError
from vetgraph.goal_links import submission_shapes
from vetgraph.html import render
from vetgraph.namespaces import ONTOLOGY_IRI, Namespaces, rebase
from vetgraph.progress import Progress, silent
from vetgraph.project import Project, default_project
from vetgraph.publishing import pages
from vetgraph.publishing.catalogue import check_catalogue, dcat_catalogue, void_description
from vetgraph.publishing.parallel import in_two_processes
from vetgraph.publishing.policy import (
    ANSWER_SECONDS,
    CLIENT_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_UPLOAD_BYTES,
    SECURITY_HEADERS,
    UPLOAD_SECONDS,
)
from vetgraph.publishing.site import Site
from vetgraph.publishing.views import Page
from vetgraph.rdf import graphs
from vetgraph.rdf.documents import serialize_triples
from vetgraph.rdf.formats import RDF_FORMATS
from vetgraph.rdf.index import TripleIndex
from vetgraph.rdf.output import replace_directory
from vetgraph.store.local import project_graph

# Characters RFC 3987 does not allow in an IRI (besides control characters).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


@dataclass(frozen=True)
class PublishResult:
    out_dir: Path
    base: str
    resources: int
    files: int
    triples: int


def _page(template: str, view: Page, common: dict[str, object]) -> str:
    return render(template, **common, **{f.name: getattr(view, f.name) for f in dataclasses.fields(view)})


def publish(
    out_dir: str | Path,
    *,
    base: str | None = None,
    project: Project | None = None,
    source: Graph | None = None,
    progress: Progress = silent,
) -> PublishResult:
    """Write the static site for ``source`` (default: the project's graph) into ``out_dir``, replaced only when complete.

    The municipality's resources are published under ``base`` (default: its profile's).

    ``progress`` hears of each resource written (:mod:`vetgraph.progress`). The resources' documents are
    written by two processes (:mod:`vetgraph.publishing.parallel`).
    """
    project = project or default_project()
    profile = project.profile
    base = base or profile.base
    if not base.startswith(("http://", "https://")) or not base.endswith("/") or _NOT_IN_IRI.search(base):
        raise VetgraphError(
            f"--base must be an http(s) IRI ending in '/', without spaces or any of <>\"{{}}|^`\\, not '{base}'"
        )
    namespaces = Namespaces(base)
    own = source if source is not None else project_graph(project)
    graph = namespaces.bind(rebase(own, profile.base, base))
    today = dates.today().isoformat()
    # the graph every page reads: an index, not an rdflib Memory graph (see vetgraph.rdf.index)
    shown = TripleIndex(graph)
    data_site = Site(shown.graph(), base, profile.name)
    catalogue = dcat_catalogue(
        profile, base, URIRef(ONTOLOGY_IRI), today, data_site.status_notes(), preview=data_site.has_samples
    )
    check_catalogue(catalogue, project)  # before anything is written
    # The catalogue's own resources (catalogue, dataset, distributions, contact) get pages
    # too, so that their IRIs resolve; the dumps hold the data alone.
    for triple in catalogue:
        shown.add(triple)
    site = Site(shown.graph(), base, profile.name)
    imprint = site.imprint(__version__)
    # what every page says of whose data it is: the strategy's title by language, from the profile
    common: dict[str, object] = {"imprint": imprint, "strategy": profile.title}
    catalogue_iri = URIRef(base + str(profile.catalogue).removeprefix(profile.base))
    out_dir = Path(out_dir)
    files = 0
    with replace_directory(out_dir) as root:

        def write(relative: str, data: str | bytes) -> None:
            nonlocal files
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            files += 1

        prefixes = namespaces.prefixes

        def write_resource(resource: URIRef) -> None:
            path = site.paths[resource]
            description = list(catalogue) if resource == catalogue_iri else site.description(resource)
            for rdf_format in RDF_FORMATS.values():
                write(f"{path}.{rdf_format.extension}", serialize_triples(description, rdf_format.name, prefixes))
            if path == "def/index":
                return  # the ontology's own page is the ontology documentation, written below
            write(f"{path}.html", _page("resource.html.j2", pages.resource_page(site, resource, path), common))
            write(f"{path}/index.html", pages.forwarding_page(os.path.basename(path) + ".html"))

        written_by_child = in_two_processes(site.resources, write_resource, lambda: files, progress, "Skriver sidor")
        files += written_by_child
        write("stil.css", render("stil.css.j2"))
        write("index.html", _page("index.html.j2", pages.index_page(site, today), common))
        write("def/index.html", _page("ontology.html.j2", pages.ontology_page(site), common))
        shapes = submission_shapes(project, own)  # the rules as the validator has them
        write("regler.html", _page("rules.html.j2", pages.rules_page(shapes), common))
        write("sok.html", render("search.html.j2", **common, version=__version__, root="", page_title="Sök"))
        write("sokindex.js", pages.search_index(site))
        write("sok.js", render("sok.js.j2"))
        dump = graphs.canonical_triples(graph)  # once for the three dumps
        write("dump/vetgraph.ttl", serialize_triples(dump, "turtle", prefixes))
        write("dump/vetgraph.nt.gz", gzip.compress(serialize_triples(dump, "ntriples", prefixes), mtime=0))
        write("dump/vetgraph.jsonld", serialize_triples(dump, "jsonld", prefixes))
        write("void.ttl", graphs.serialize(void_description(profile, site, graph, today), "turtle"))
        web = {
            "base_path": _base_path(base),
            "host": urllib.parse.urlsplit(base).hostname,
            "security_headers": SECURITY_HEADERS,
            "upload_megabytes": -(-MAX_UPLOAD_BYTES // (1024 * 1024)),
            "query_bytes": MAX_BODY_BYTES,
            "upload_bytes": MAX_UPLOAD_BYTES,
            "answer_seconds": ANSWER_SECONDS,
            "client_seconds": f"{CLIENT_TIMEOUT:g}",
            "upload_seconds": f"{UPLOAD_SECONDS:g}",
        }
        write(".htaccess", render("htaccess.j2", **web))
        write("nginx.conf", render("nginx.conf.j2", **web))
        write("apache.conf", render("apache.conf.j2", **web))
    return PublishResult(out_dir=out_dir, base=base, resources=len(site.resources), files=files, triples=len(graph))


def _base_path(base: str) -> str:
    path = "/" + base.split("://", 1)[1].split("/", 1)[1] if base.count("/") > 2 else "/"
    return path if path.endswith("/") else path + "/"
