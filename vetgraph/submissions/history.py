"""``history`` and ``diff``: the versions of the committees' submissions in a store, and what changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rdflib import RDF, Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.labels import display_name, find_label
from vetgraph.namespaces import QB, VTL, Namespaces, compact
from vetgraph.rdf.terms import canonical
from vetgraph.store.backends import open_backend
from vetgraph.store.versions import Version, version_graph, versions
from vetgraph.validation import Validator


def history(committee: str | None = None, *, store: str | None = None) -> list[Version]:
    """Every accepted version in the store (of one committee), oldest first."""
    validator = Validator()
    committee_iri = validator.committee(committee) if committee else None
    with open_backend(store, write=False) as backend:
        return versions(backend, validator.project.profile.base, committee_iri)


@dataclass
class GoalChange:
    goal: URIRef
    title: str
    old_title: str | None = None
    added_links: list[tuple[URIRef, Node]] = field(default_factory=list)
    removed_links: list[tuple[URIRef, Node]] = field(default_factory=list)


@dataclass
class FollowUpChange:
    """A measure, outcome, own indicator or judgement added, removed or changed (its values, old and new)."""

    resource: URIRef
    label: str
    kind: str  # "+", "-" or "~"
    changed: list[tuple[URIRef, list[Node], list[Node]]] = field(default_factory=list)  # property, old, new


@dataclass
class Changes:
    old: Version
    new: Version
    added: list[GoalChange]
    removed: list[GoalChange]
    retitled: list[GoalChange]
    relinked: list[GoalChange]
    follow_up: list[FollowUpChange] = field(default_factory=list)


def diff(
    committee: str,
    *,
    old: int | None = None,
    new: int | None = None,
    period: str | None = None,
    store: str | None = None,
) -> Changes:
    """What changed between two versions of a committee's submission (default: the current one and the one before)."""
    validator = Validator()
    committee_iri = validator.committee(committee)
    with open_backend(store, write=False) as backend:
        found = [
            v
            for v in versions(backend, validator.project.profile.base, committee_iri)
            if period is None or _matches(v.period, period)
        ]
        periods = sorted({str(v.period) for v in found})
        if not found:
            raise VetgraphError(f"the store has no submission from {committee}" + (f" for {period}" if period else ""))
        if len(periods) > 1:
            raise VetgraphError(f"{committee} has submissions for {', '.join(periods)}: choose one with --mandatperiod")
        current = next(v for v in found if v.current)
        new_version = _pick(found, new, current.number)
        if old is None and new_version.number == 1:
            raise VetgraphError(f"{committee} has one version so far (1): there is nothing to compare it with")
        old_version = _pick(found, old, new_version.number - 1)
        return compare(
            old_version, version_graph(backend, old_version), new_version, version_graph(backend, new_version),
            reference=validator.reference,
        )  # fmt: skip


def _matches(iri: URIRef, period: str) -> bool:
    return str(iri).rstrip("/").rsplit("/", 1)[-1] == period.removeprefix("period:")


def _pick(found: list[Version], number: int | None, default: int) -> Version:
    wanted = default if number is None else number
    for version in found:
        if version.number == wanted:
            return version
    numbers = ", ".join(str(v.number) for v in found)
    raise VetgraphError(f"there is no version {wanted}; the versions are {numbers}")


def compare(
    old: Version, old_graph: Graph, new: Version, new_graph: Graph, *, reference: Graph | None = None
) -> Changes:
    """Goals added, removed, retitled and relinked from ``old_graph`` to ``new_graph``, and follow-up changed."""

    def goals(graph: Graph) -> set[URIRef]:
        return {g for g in graph.subjects(RDF.type, VTL.Namndmal) if isinstance(g, URIRef)}

    def title(graph: Graph, goal: URIRef) -> str:
        return find_label(graph, goal, "sv") or str(goal)

    def links(graph: Graph, goal: URIRef) -> set[tuple[URIRef, Node]]:
        return {
            (URIRef(str(p)), o) for p, o in graph.predicate_objects(goal) if isinstance(o, URIRef) and p != RDF.type
        }

    before, after = goals(old_graph), goals(new_graph)
    changes = Changes(old=old, new=new, added=[], removed=[], retitled=[], relinked=[])
    for goal in sorted(after - before):
        changes.added.append(GoalChange(goal, title(new_graph, goal)))
    for goal in sorted(before - after):
        changes.removed.append(GoalChange(goal, title(old_graph, goal)))
    for goal in sorted(before & after):
        old_title, new_title = title(old_graph, goal), title(new_graph, goal)
        if old_title != new_title:
            changes.retitled.append(GoalChange(goal, new_title, old_title=old_title))
        old_links, new_links = links(old_graph, goal), links(new_graph, goal)
        if old_links != new_links:
            changes.relinked.append(
                GoalChange(
                    goal,
                    new_title,
                    added_links=sorted(new_links - old_links, key=str),
                    removed_links=sorted(old_links - new_links, key=str),
                )
            )
    changes.follow_up = _follow_up_changes(old_graph, new_graph, reference if reference is not None else Graph())
    return changes


FOLLOW_UP_CLASSES = (VTL.Matt, VTL.Indikator, VTL.Bedomning, QB.Observation)


def _follow_up_changes(old_graph: Graph, new_graph: Graph, reference: Graph) -> list[FollowUpChange]:
    """The follow-up resources added, removed and changed (their IRIs come from goal, indicator, year, occasion)."""

    def resources(graph: Graph) -> set[URIRef]:
        return {r for c in FOLLOW_UP_CLASSES for r in graph.subjects(RDF.type, c) if isinstance(r, URIRef)}

    def values(graph: Graph, resource: URIRef) -> dict[URIRef, frozenset[Node]]:
        found: dict[URIRef, set[Node]] = {}
        for p, o in graph.predicate_objects(resource):
            value = canonical(o)  # decimals in one form: stores write 90.0 as "90" or "90.0"
            if value is not None:
                found.setdefault(URIRef(str(p)), set()).add(value)
        return {p: frozenset(v) for p, v in found.items()}

    def label(graph: Graph, resource: URIRef) -> str:
        return display_name(ReadOnlyGraphAggregate([graph, reference]), resource)

    before, after = resources(old_graph), resources(new_graph)
    result = [FollowUpChange(r, label(new_graph, r), "+") for r in sorted(after - before)]
    result += [FollowUpChange(r, label(old_graph, r), "-") for r in sorted(before - after)]
    for resource in sorted(before & after):
        old_values, new_values = values(old_graph, resource), values(new_graph, resource)
        changed = [
            (p, sorted(old_values.get(p, ()), key=str), sorted(new_values.get(p, ()), key=str))
            for p in sorted(set(old_values) | set(new_values), key=str)
            if old_values.get(p) != new_values.get(p)
        ]
        if changed:
            result.append(FollowUpChange(resource, label(new_graph, resource), "~", changed))
    return result


def render_history(
    found: list[Version], output_format: str, reference: Graph, namespaces: Namespaces | None = None
) -> str:
    """The versions as text (one line each) or JSON; IRIs compact with the municipality's ``namespaces``."""
    if output_format == "json":
        return json.dumps([_version_json(v) for v in found], ensure_ascii=False, indent=2) + "\n"
    if not found:
        return "Lagret har inga godkända inlämningar.\n"
    rows = [["Nämnd", "Mandatperiod", "Version", "Godkänd", "Nämndmål", "Fil", "SHA-256", ""]]
    for v in found:
        rows.append(
            [
                display_name(reference, v.committee),
                compact(v.period, namespaces),
                str(v.number),
                v.accepted,
                str(v.goals),
                v.source_name,
                v.sha256[:12],
                "aktuell" if v.current else "",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows)


def render_diff(changes: Changes, output_format: str, reference: Graph, namespaces: Namespaces | None = None) -> str:
    """The changes as text for people or JSON for programs; IRIs compact with the municipality's ``namespaces``."""
    if output_format == "json":
        return json.dumps(_changes_json(changes), ensure_ascii=False, indent=2) + "\n"

    def named(node: Node) -> str:
        return display_name(reference, node)

    lines = [
        f"{named(changes.new.committee)}, {compact(changes.new.period, namespaces)}: "
        f"version {changes.old.number} ({changes.old.accepted}) → version {changes.new.number} ({changes.new.accepted})"
    ]
    for heading, sign, goals in (
        ("Tillagda nämndmål", "+", changes.added),
        ("Borttagna nämndmål", "-", changes.removed),
    ):
        if goals:
            lines.append(f"{heading}:")
            lines.extend(f"  {sign} {g.title} ({compact(g.goal, namespaces)})" for g in goals)
    if changes.retitled:
        lines.append("Ny titel:")
        lines.extend(f"  {g.old_title!r} → {g.title!r} ({compact(g.goal, namespaces)})" for g in changes.retitled)
    if changes.relinked:
        lines.append("Ändrade kopplingar:")
        for g in changes.relinked:
            lines.append(f"  {g.title} ({compact(g.goal, namespaces)}):")
            lines.extend(f"    + {named(p)}: {named(o)}" for p, o in g.added_links)
            lines.extend(f"    - {named(p)}: {named(o)}" for p, o in g.removed_links)
    if changes.follow_up:
        lines.append("Uppföljning (mått, utfall, bedömningar):")
        for c in changes.follow_up:
            lines.append(f"  {c.kind} {c.label} ({compact(c.resource, namespaces)})")
            lines.extend(
                f"    {named(p)}: {'; '.join(map(named, old))!r} → {'; '.join(map(named, new))!r}"
                for p, old, new in c.changed
            )
    if len(lines) == 1:
        lines.append("Inga ändringar i nämndmålen.")
    return "\n".join(lines) + "\n"


def _version_json(v: Version) -> dict[str, object]:
    return {
        "iri": str(v.iri),
        "committee": str(v.committee),
        "period": str(v.period),
        "version": v.number,
        "accepted": v.accepted,
        "file": v.source_name,
        "sha256": v.sha256,
        "software": v.software,
        "goals": v.goals,
        "current": v.current,
    }


def _changes_json(changes: Changes) -> dict[str, object]:
    def goal(g: GoalChange) -> dict[str, object]:
        entry: dict[str, object] = {"iri": str(g.goal), "title": g.title}
        if g.old_title is not None:
            entry["old_title"] = g.old_title
        if g.added_links or g.removed_links:
            entry["added_links"] = [{"property": str(p), "value": str(o)} for p, o in g.added_links]
            entry["removed_links"] = [{"property": str(p), "value": str(o)} for p, o in g.removed_links]
        return entry

    return {
        "old": _version_json(changes.old),
        "new": _version_json(changes.new),
        "added": [goal(g) for g in changes.added],
        "removed": [goal(g) for g in changes.removed],
        "retitled": [goal(g) for g in changes.retitled],
        "relinked": [goal(g) for g in changes.relinked],
        "follow_up": [
            {
                "iri": str(c.resource),
                "label": c.label,
                "change": {"+": "added", "-": "removed", "~": "changed"}[c.kind],
                "values": [
                    {"property": str(p), "old": "; ".join(map(str, old)), "new": "; ".join(map(str, new))}
                    for p, old, new in c.changed
                ],
            }
            for c in changes.follow_up
        ],
    }
