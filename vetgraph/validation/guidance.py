"""Guidance from the strategy itself: what a goal probably lacks, given its delstrategier (``sh:Info``, never errors).

The strategy ties each delstrategi to a perspective (Bo, Leva, Verka) and, in
Bilaga 3, to challenges of the environment scan; the project proposes Agenda 2030
goals for each (data/agenda2030-forslag.ttl, a proposal, not the municipality's
decision). A goal with none of its delstrategier's challenges, without the
perspective of one of them, or with none of their proposed SDGs gets a
suggestion that names what the strategy links there. These relate two sets of
values (the goal's own, and its delstrategier's), which SHACL Core cannot
express, so they are computed here, after the shapes, and reported as
``sh:Info`` findings of the rules ``vsh:Vagledning-*``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import RDF, SKOS, Graph, URIRef
from rdflib.term import Node

from vetgraph.labels import find_label, natural_order
from vetgraph.namespaces import SHAPES, VTL, Namespaces, compact
from vetgraph.validation.findings import Finding

CHALLENGES_RULE = URIRef(str(SHAPES) + "Vagledning-utmaning")
PERSPECTIVE_RULE = URIRef(str(SHAPES) + "Vagledning-perspektiv")
SDG_RULE = URIRef(str(SHAPES) + "Vagledning-agenda2030")


def guidance(
    goals: list[Node], submission: Graph, reference: Graph, namespaces: Namespaces | None = None
) -> list[Finding]:
    """Suggestions for each goal whose delstrategier are the strategy's own (resources named with ``namespaces``)."""
    found: list[Finding] = []
    texts: dict[tuple[object, ...], dict[str, str]] = {}  # goals share delstrategier: each text is written once

    def text(make: Callable[..., dict[str, str]], strategies: list[Node], values: Node | set[Node]) -> dict[str, str]:
        key = (make, tuple(strategies), frozenset(values) if isinstance(values, set) else values)
        if key not in texts:
            texts[key] = make(strategies, values, reference, namespaces)
        return texts[key]

    # what the strategy links to each delstrategi, read once (goals share delstrategier)
    strategy_links = {
        strategy: {prop: set(reference.objects(strategy, prop)) for prop in _LINKS}
        for strategy in reference.subjects(RDF.type, VTL.Delstrategi)
    }
    broader: dict[Node, set[Node]] = {}

    def linked(strategies: list[Node], prop: URIRef) -> set[Node]:
        return {value for strategy in strategies for value in strategy_links[strategy][prop]}

    for goal in goals:
        strategies = sorted((d for d in submission.objects(goal, VTL.delstrategi) if d in strategy_links), key=str)
        if not strategies:
            continue  # no delstrategi, or none of the strategy's: the shapes report that
        challenges = linked(strategies, VTL.utmaning)
        if challenges and not challenges & set(submission.objects(goal, VTL.utmaning)):
            found.append(_finding(goal, VTL.utmaning, CHALLENGES_RULE, text(_challenges_text, strategies, challenges)))
        own = set(submission.objects(goal, VTL.medborgarperspektiv))
        for perspective in sorted(linked(strategies, VTL.medborgarperspektiv) - own, key=str):
            having = [d for d in strategies if perspective in strategy_links[d][VTL.medborgarperspektiv]]
            found.append(_finding(goal, VTL.medborgarperspektiv, PERSPECTIVE_RULE,
                                  text(_perspective_text, having, perspective)))  # fmt: skip
        proposed = linked(strategies, VTL.foreslagetAgenda2030Mal)
        sdgs = set(submission.objects(goal, VTL.agenda2030))
        for sdg in list(sdgs):  # a target's goal counts too
            if sdg not in broader:
                broader[sdg] = set(reference.objects(sdg, SKOS.broader))
            sdgs |= broader[sdg]
        if proposed and not proposed & sdgs:
            found.append(_finding(goal, VTL.agenda2030, SDG_RULE, text(_sdg_text, strategies, proposed)))
    return found


_LINKS = (VTL.utmaning, VTL.medborgarperspektiv, VTL.foreslagetAgenda2030Mal)


def _finding(goal: Node, path: URIRef, rule: URIRef, messages: dict[str, str]) -> Finding:
    return Finding(
        focus=goal, severity="Info", path=path, value=None, messages=messages, source_shape=rule, constraint=rule
    )


def _names(nodes: Iterable[Node], reference: Graph, lang: str, namespaces: Namespaces | None) -> str:
    def named(node: Node) -> str:
        label = find_label(reference, node, lang)
        name = compact(str(node), namespaces)
        return f'{name} "{label}"' if label else name

    return ", ".join(named(n) for n in sorted(nodes, key=natural_order))


def _challenges_text(
    strategies: list[Node], challenges: set[Node], reference: Graph, namespaces: Namespaces | None
) -> dict[str, str]:
    return {
        "sv": f"Förslag: strategin (Bilaga 3) knyter {_names(strategies, reference, 'sv', namespaces)} till utmaningarna "
        f"{_names(challenges, reference, 'sv', namespaces)}; nämndmålet har ingen av dem. Lägg till den som målet "
        "svarar mot (vtl:utmaning), om någon gör det.",
        "en": f"Suggestion: the strategy (Bilaga 3) ties {_names(strategies, reference, 'en', namespaces)} to the challenges "
        f"{_names(challenges, reference, 'en', namespaces)}; the goal has none of them. Add the one the goal answers "
        "(vtl:utmaning), if any does.",
    }


def _perspective_text(
    strategies: list[Node], perspective: Node, reference: Graph, namespaces: Namespaces | None
) -> dict[str, str]:
    return {
        "sv": f"Förslag: {_names(strategies, reference, 'sv', namespaces)} hör till perspektivet "
        f"{_names([perspective], reference, 'sv', namespaces)}, som nämndmålet inte har. Lägg till det "
        "(vtl:medborgarperspektiv) om målet gäller det.",
        "en": f"Suggestion: {_names(strategies, reference, 'en', namespaces)} belongs to the perspective "
        f"{_names([perspective], reference, 'en', namespaces)}, which the goal does not have. Add it "
        "(vtl:medborgarperspektiv) if the goal concerns it.",
    }


def _sdg_text(
    strategies: list[Node], proposed: set[Node], reference: Graph, namespaces: Namespaces | None
) -> dict[str, str]:
    return {
        "sv": f"Förslag (vetgraph-projektets förslag, inte kommunens beslut): {_names(strategies, reference, 'sv', namespaces)} "
        f"kan kopplas till Agenda 2030-målen {_names(proposed, reference, 'sv', namespaces)}; nämndmålet har inget av dem. "
        "Överväg att lägga till det eller de mål som passar (vtl:agenda2030).",
        "en": f"Suggestion (the vetgraph project's proposal, not the municipality's decision): "
        f"{_names(strategies, reference, 'en', namespaces)} may be linked to the Agenda 2030 goals "
        f"{_names(proposed, reference, 'en', namespaces)}; the goal has none of them. Consider adding the ones that fit "
        "(vtl:agenda2030).",
    }
