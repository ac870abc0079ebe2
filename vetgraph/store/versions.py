"""Accepted submissions as versions in a store: write, verify, then switch "current" in one update.

Layout (all IRIs under the municipality's base, from its profile: each municipality its own graphs):

* each accepted submission (a *version*) is a named graph ``id/inlamning/NAMND/PERIOD/STAMP``
  holding the committee's goals, beside ``…/STAMP/validering`` holding its SHACL report;
* ``graf/inlamningar`` (the register) describes every version with PROV-O and says
  which version is current for each committee and period (``vtl:aktuellVersion``) and
  which reference-data graph is current (``vtl:aktuellReferens``);
* ``graf/referens/DIGEST`` holds the ontology and reference data.

A version becomes visible only through the register, and the register changes in
one SPARQL update (a transaction on every store vetgraph supports), which also
checks that "current" is still what this writer read (compare and swap). So a
writer killed at any point leaves the store as it was before or after, and two
writers at once both land, one after the other. Graphs a killed writer left
behind are not in the register, so nothing reads them; the next writer removes them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from vetgraph.errors import VetgraphError
from vetgraph.namespaces import SPDX, VTL
from vetgraph.project import Project, default_project
from vetgraph.store.backends import Backend, DiskBackend
from vetgraph.store.table import Store

# A graph a writer left unregistered this long ago is an orphan of a killed run, not a writer still at work.
ORPHAN_AGE = timedelta(hours=1)
ATTEMPTS = 5

_PREFIXES = f"""PREFIX vtl: <{VTL._NS}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
PREFIX spdx: <{SPDX}>
PREFIX rdfs: <{RDFS}>
"""


@dataclass(frozen=True)
class Provenance:
    """Where a submission came from."""

    source_name: str
    sha256: str
    software: str  # e.g. "vetgraph 0.1.0"
    accepted: datetime


@dataclass(frozen=True)
class Version:
    iri: URIRef
    committee: URIRef
    period: URIRef
    number: int
    accepted: str  # xsd:dateTime as written
    source_name: str
    sha256: str
    software: str
    goals: int
    current: bool


def register_iri(base: str) -> URIRef:
    """The graph that says which versions of a municipality's submissions are current."""
    return URIRef(base + "graf/inlamningar")


def series_iri(base: str, committee: URIRef, period: URIRef) -> URIRef:
    return URIRef(f"{base}id/inlamning/{_local(committee)}/{_local(period)}")


def versions(backend: Backend, base: str, committee: URIRef | None = None) -> list[Version]:
    """Every accepted version (of one committee) of the municipality under ``base``, by committee, period, number."""
    only = f"FILTER(?committee = <{committee}>)" if committee is not None else ""
    table = backend.select(
        _PREFIXES
        + f"""SELECT ?v ?committee ?period ?n ?when ?file ?sha ?software ?goals ?current WHERE {{
  GRAPH <{register_iri(base)}> {{
    ?v a vtl:Inlamning ; prov:wasAttributedTo ?committee ; vtl:mandatperiod ?period ;
       vtl:versionsnummer ?n ; prov:generatedAtTime ?when ; vtl:antalNamndmal ?goals ;
       prov:wasDerivedFrom ?source ; prov:wasGeneratedBy ?activity .
    ?source dcterms:title ?file ; spdx:checksum ?checksum .
    ?checksum spdx:checksumValue ?sha .
    ?activity prov:wasAssociatedWith ?agent . ?agent rdfs:label ?software .
    OPTIONAL {{ ?series vtl:aktuellVersion ?v . BIND(true AS ?current) }}
  }}
  {only}
}}"""
    )
    found = [
        Version(
            iri=URIRef(str(v)),
            committee=URIRef(str(c)),
            period=URIRef(str(p)),
            number=int(str(n)),
            accepted=_timestamp(when),
            source_name=str(file),
            sha256=str(sha),
            software=str(software),
            goals=int(str(goals)),
            current=current is not None,
        )
        for v, c, p, n, when, file, sha, software, goals, current in table.rows
    ]
    return sorted(found, key=lambda v: (str(v.committee), str(v.period), v.number))


def current_graphs(backend: Backend, base: str) -> list[str]:
    """The graphs that make up the municipality's graph now: the reference data and each current version."""
    register = register_iri(base)
    table = backend.select(
        _PREFIXES + f"SELECT ?g WHERE {{ GRAPH <{register}> {{ {{ ?series vtl:aktuellVersion ?g }} "
        f"UNION {{ <{register}> vtl:aktuellReferens ?g }} }} }}"
    )
    names = sorted(str(row[0]) for row in table.rows)
    if not names:
        raise VetgraphError(
            "the store holds no accepted submissions yet (vetgraph accept puts them there)", path=backend.location
        )
    return names


def ensure_reference(backend: Backend, base: str, load: Callable[[], Graph], digest: str) -> URIRef:
    """Make the graph ``load()`` gives (the reference data, identified by ``digest``) the store's current one.

    ``load`` runs only when the store does not have that graph yet: most accepts find it there. Written,
    verified and switched like a version, so that writers racing to load the same new reference data end up
    with one of their copies as the current one.
    """
    reference: Graph | None = None
    family = f"{base}graf/referens/{digest[:16]}"
    register = register_iri(base)
    # The register's own description never changes, so writing it is safe however many writers do.
    backend.update(f"INSERT DATA {{ GRAPH <{register}> {{ <{register}> a <{PROV.Bundle}> }} }}")
    for _ in range(ATTEMPTS):
        current = _current_reference(backend, register)
        if current is not None and str(current).startswith(family):
            return current
        name = URIRef(f"{family}-{secrets.token_hex(4)}")
        reference = reference if reference is not None else load()
        backend.insert(str(name), reference.skolemize(basepath=f"{name}/.well-known/genid/"))
        _verify(backend, name, len(reference))
        _switch(backend, register, register, VTL.aktuellReferens, name, current)
        if _current_reference(backend, register) != name:
            backend.update(f"DROP SILENT GRAPH <{name}>")  # another writer's copy won
    raise VetgraphError("other writers kept changing the reference data; try again", path=backend.location)


def _current_reference(backend: Backend, register: URIRef) -> URIRef | None:
    table = backend.select(
        _PREFIXES + f"SELECT ?g WHERE {{ GRAPH <{register}> {{ <{register}> vtl:aktuellReferens ?g }} }}"
    )
    return URIRef(str(table.rows[0][0])) if table.rows else None


def add_version(
    backend: Backend,
    base: str,
    *,
    committee: URIRef,
    period: URIRef,
    goals: Graph,
    report: Graph,
    provenance: Provenance,
    reference: URIRef,
) -> Version:
    """Write a new version of a committee's submission for a period, verify it, and make it the current one."""
    series = series_iri(base, committee, period)
    register = register_iri(base)
    _remove_orphans(backend, register, series, provenance.accepted)
    for _ in range(ATTEMPTS):
        earlier = [v for v in versions(backend, base, committee) if v.period == period]
        previous = next((v for v in earlier if v.current), None)
        number = max((v.number for v in earlier), default=0) + 1
        stamp = provenance.accepted.strftime("%Y%m%dT%H%M%SZ")
        iri = URIRef(f"{series}/{stamp}-{secrets.token_hex(4)}")
        report_iri = URIRef(f"{iri}/validering")
        backend.insert(str(iri), goals.skolemize(basepath=f"{iri}/.well-known/genid/"))
        backend.insert(str(report_iri), report.skolemize(basepath=f"{report_iri}/.well-known/genid/"))
        _verify(backend, iri, len(goals))
        _verify(backend, report_iri, len(report))
        record = _register_entry(
            base, iri, report_iri, committee, period, number, previous, provenance, reference, goals
        )
        _switch(backend, register, series, VTL.aktuellVersion, iri, previous.iri if previous else None, record)
        landed = next((v for v in versions(backend, base, committee) if v.iri == iri), None)
        if landed is not None:
            return landed
        # Another writer switched "current" first: start again from its version.
        backend.update(f"DROP SILENT GRAPH <{iri}> ; DROP SILENT GRAPH <{report_iri}>")
    raise VetgraphError(
        f"other submissions kept landing first ({ATTEMPTS} attempts); nothing was accepted, try again",
        path=backend.location,
    )


def version_graph(backend: Backend, version: Version) -> Graph:
    return backend.triples(str(version.iri))


def _register_entry(
    base: str,
    iri: URIRef,
    report_iri: URIRef,
    committee: URIRef,
    period: URIRef,
    number: int,
    previous: Version | None,
    provenance: Provenance,
    reference: URIRef,
    goals: Graph,
) -> Graph:
    record = Graph()
    source = URIRef(f"{iri}/kalla")
    checksum = URIRef(f"{iri}/kalla/sha256")
    activity = URIRef(f"{iri}/godkannande")
    agent = URIRef(f"{base}id/programvara/{provenance.software.replace(' ', '/')}")
    when = Literal(provenance.accepted.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    goal_count = len(set(goals.subjects(RDF.type, VTL.Namndmal)))
    for triple in [
        (iri, RDF.type, VTL.Inlamning),
        (iri, RDF.type, PROV.Entity),
        (iri, PROV.wasAttributedTo, committee),
        (iri, VTL.mandatperiod, period),
        (iri, VTL.versionsnummer, Literal(number)),
        (iri, VTL.antalNamndmal, Literal(goal_count)),
        (iri, PROV.generatedAtTime, when),
        (iri, PROV.wasDerivedFrom, source),
        (iri, PROV.wasGeneratedBy, activity),
        (iri, VTL.valideringsrapport, report_iri),
        (source, RDF.type, PROV.Entity),
        (source, DCTERMS.title, Literal(provenance.source_name)),
        (source, SPDX.checksum, checksum),
        (checksum, RDF.type, SPDX.Checksum),
        (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (checksum, SPDX.checksumValue, Literal(provenance.sha256, datatype=XSD.hexBinary)),
        (activity, RDF.type, PROV.Activity),
        (activity, PROV.used, source),
        (activity, PROV.used, reference),
        (activity, PROV.endedAtTime, when),
        (activity, PROV.wasAssociatedWith, agent),
        (activity, PROV.wasAssociatedWith, committee),
        (agent, RDF.type, PROV.SoftwareAgent),
        (agent, RDFS.label, Literal(provenance.software)),
    ]:
        record.add(triple)
    if previous is not None:
        record.add((iri, PROV.wasRevisionOf, previous.iri))
    return record


def _switch(
    backend: Backend,
    register: URIRef,
    subject: URIRef,
    pointer: URIRef,
    new: URIRef,
    previous: URIRef | None,
    record: Graph | None = None,
) -> None:
    """In one update: point ``subject``'s ``pointer`` at ``new`` (and add ``record``) if it still points at
    ``previous`` (None: at nothing); else change nothing (another writer was first).

    The templates hold no variables and the WHERE clause is never only an OPTIONAL:
    Virtuoso drops a whole solution when a template variable is unbound, and finds
    no solution for a WHERE clause that is only an OPTIONAL.
    """
    extra = record.serialize(format="nt") if record is not None else ""
    insert = f"INSERT {{ GRAPH <{register}> {{ <{subject}> <{pointer}> <{new}> .\n{extra} }} }}\n"
    if previous is None:
        backend.update(
            insert + f"WHERE {{ GRAPH <{register}> {{ <{register}> a <{PROV.Bundle}> "
            f"OPTIONAL {{ <{subject}> <{pointer}> ?old }} }} FILTER(!BOUND(?old)) }}"
        )
    else:
        backend.update(
            f"DELETE {{ GRAPH <{register}> {{ <{subject}> <{pointer}> <{previous}> }} }}\n"
            + insert
            + f"WHERE {{ GRAPH <{register}> {{ <{subject}> <{pointer}> <{previous}> }} }}"
        )


def _verify(backend: Backend, graph: URIRef, expected: int) -> None:
    table = backend.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    found = int(str(table.rows[0][0])) if table.rows else 0
    if found != expected:
        raise VetgraphError(
            f"the store kept {found} of the {expected} triples written to {graph}; "
            "nothing was switched, the current version is unchanged",
            path=backend.location,
        )


def _remove_orphans(backend: Backend, register: URIRef, series: URIRef, now: datetime) -> None:
    """Drop this series' graphs that no register entry names (left by a killed writer)."""
    table = backend.select(
        _PREFIXES
        + f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{series}/"))
  FILTER NOT EXISTS {{ GRAPH <{register}> {{ ?v vtl:valideringsrapport ?r . FILTER(?g = ?v || ?g = ?r) }} }}
}}"""
    )
    # On disk, this writer holds the lock, so every unregistered graph is an orphan; on a
    # server another writer may be at work, so only old ones are.
    cutoff = (now - ORPHAN_AGE).strftime("%Y%m%dT%H%M%SZ")
    for (graph,) in table.rows:
        stamp = str(graph)[len(series) + 1 :][:16]
        if isinstance(backend, DiskBackend) or stamp < cutoff:
            backend.update(f"DROP SILENT GRAPH <{graph}>")


def _local(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def open_current(location: str | None = None, *, timeout: float | None = None, project: Project | None = None) -> Store:
    """The municipality's graph in a store, to query: the reference data and each committee's current version.

    The municipality is the ``project``'s (default: :func:`~vetgraph.project.default_project`), by its profile.
    """
    from vetgraph.store.backends import ServerBackend, default_location, is_url
    from vetgraph.store.local import default_time_limit

    base = (project or default_project()).profile.base
    location = location or default_location()
    backend: Backend = (
        ServerBackend(location, timeout=timeout) if is_url(location) else DiskBackend(location, write=False)
    )
    return backend.view(current_graphs(backend, base), timeout or (None if is_url(location) else default_time_limit()))


def current_graph(
    location: str | None = None, *, timeout: float | None = None, project: Project | None = None
) -> Graph:
    """The municipality's graph in a store as one graph (for publishing it)."""
    from vetgraph.store.backends import open_backend

    base = (project or default_project()).profile.base
    with open_backend(location, write=False, timeout=timeout) as backend:
        merged = Graph()
        for name in current_graphs(backend, base):
            merged += backend.triples(name)
        return merged


def _timestamp(value: object) -> str:
    """An xsd:dateTime as ``2026-11-27T09:00:00Z``, however the store wrote it back."""
    moment = value.toPython() if isinstance(value, Literal) else None
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
