""" "Did you mean …?": suggestions read from the shapes themselves, so that they follow the shapes when they change.

A closed shape lists what it allows (the paths of its property shapes and its
``sh:ignoredProperties``); a property it does not allow gets the closest of those.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import unicodedata

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from vetgraph.labels import find_label
from vetgraph.namespaces import SHAPES, VTL, Namespaces, compact
from vetgraph.rdf.classes import instances, shape_classes
from vetgraph.validation.findings import Finding


def allowed_properties(shapes: Graph) -> list[str]:
    """The properties closed shapes allow, as compact names (``vtl:delstrategi``), sorted."""
    allowed: set[str] = set()
    for shape in shapes.subjects(SH.closed, Literal(True, datatype=XSD.boolean)):
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef):
                allowed.add(compact(str(path)))
        for ignored in shapes.objects(shape, SH.ignoredProperties):
            allowed.update(compact(str(p)) for p in Collection(shapes, ignored) if isinstance(p, URIRef))
    return sorted(allowed)


@functools.lru_cache(maxsize=8)
def _allowed_cached(shapes: Graph) -> tuple[str, ...]:
    return tuple(allowed_properties(shapes))


def closest_property(path: URIRef, shapes: Graph) -> str | None:
    """The allowed property most like ``path`` (a misspelling, a plural, a wrong prefix), if one is close."""
    matches = difflib.get_close_matches(compact(str(path)), _allowed_cached(shapes), n=1, cutoff=0.75)
    return matches[0] if matches else None


def with_hints(
    findings: list[Finding], submission: Graph, reference: Graph, shapes: Graph, namespaces: Namespaces | None = None
) -> list[Finding]:
    """The findings, each made as specific as the data allows; one mistake, one finding.

    * a misspelt property (a closed shape's finding whose closest allowed property
      is P) is not also reported as "no P";
    * a link to something that is not of the required class gets the closest valid
      IRI: for a name written as text, the resource with that name ("Menade du
      ds:god-halsa?"); for an IRI, the nearest IRI, with å, ä and ö read as a and o;
    * a KF-mål of another period names it and lists the KF-mål of the goal's period.
    """
    misspelt = {
        (f.focus, suggestion)
        for f in findings
        if f.constraint == SH.ClosedConstraintComponent
        and isinstance(f.path, URIRef)
        and (suggestion := closest_property(f.path, shapes))
    }
    counts = (SH.MinCountConstraintComponent, SH.QualifiedMinCountConstraintComponent)
    kept = [
        f
        for f in findings
        if not (f.constraint in counts and isinstance(f.path, URIRef) and (f.focus, compact(str(f.path))) in misspelt)
    ]
    return [_with_hint(f, submission, reference, shapes, namespaces) for f in kept]


def _with_hint(
    finding: Finding, submission: Graph, reference: Graph, shapes: Graph, namespaces: Namespaces | None
) -> Finding:
    hint: dict[str, str] | None = None
    if finding.source_shape == KF_PERIOD_SHAPE:
        hint = _kf_period_hint(finding.focus, submission, reference, namespaces)
    elif finding.value is not None and finding.constraint in (SH.ClassConstraintComponent, SH.OrConstraintComponent):
        classes = shape_classes(shapes, finding.source_shape)
        if classes:
            hint = _nearest_hint(finding.value, instances(reference, classes), reference, namespaces)
    if hint is None:
        return finding
    messages = {lang: f"{text} {hint[lang]}" for lang, text in finding.messages.items() if lang in hint}
    return dataclasses.replace(finding, messages={**finding.messages, **messages})


KF_PERIOD_SHAPE = URIRef(str(SHAPES) + "Namndmal-kfMal-period")


def _named(node: Node, reference: Graph, namespaces: Namespaces | None, lang: str = "sv") -> str:
    label = find_label(reference, node, lang)
    name = compact(str(node), namespaces)
    return f'{name} "{label}"' if label else name


def _kf_period_hint(
    goal: Node, submission: Graph, reference: Graph, namespaces: Namespaces | None
) -> dict[str, str] | None:
    period = submission.value(goal, VTL.mandatperiod)
    if period is None:
        return None
    wrong = [kf for kf in submission.objects(goal, VTL.kfMal) if (kf, VTL.mandatperiod, period) not in reference]
    valid = sorted(
        (kf for kf in reference.subjects(RDF.type, VTL.KFMal) if (kf, VTL.mandatperiod, period) in reference), key=str
    )
    if not wrong:
        return None
    given = "; ".join(_named(kf, reference, namespaces) for kf in sorted(wrong, key=str))
    listed = "; ".join(_named(kf, reference, namespaces) for kf in valid) or "inga"
    return {
        "sv": f"Angivet: {given}. KF-målen för {compact(str(period), namespaces)} är: {listed}.",
        "en": f"Given: {given}. The council goals of {compact(str(period), namespaces)} are: {listed}.",
    }


def _nearest_hint(
    value: Node, candidates: set[URIRef], reference: Graph, namespaces: Namespaces | None
) -> dict[str, str] | None:
    if isinstance(value, Literal):
        by_name = {_fold(find_label(reference, c, "sv") or ""): c for c in candidates}
        found = difflib.get_close_matches(_fold(str(value)), list(by_name), n=1, cutoff=0.6)
        if not found:
            return None
        best = by_name[found[0]]
        return {
            "sv": f"Menade du {_named(best, reference, namespaces)}? Skriv resursens IRI, inte dess namn som text.",
            "en": f"Did you mean {_named(best, reference, namespaces, 'en')}? Write the resource's IRI, not its name as text.",
        }
    if not isinstance(value, URIRef) or value in candidates:
        return None
    by_iri = {_fold(compact(str(c), namespaces)): c for c in candidates}
    found = difflib.get_close_matches(_fold(compact(str(value), namespaces)), list(by_iri), n=1, cutoff=0.6)
    if not found:
        return None
    best = by_iri[found[0]]
    return {
        "sv": f"Menade du {_named(best, reference, namespaces)}?",
        "en": f"Did you mean {_named(best, reference, namespaces, 'en')}?",
    }


def _fold(text: str) -> str:
    """Lower case, å ä ö (and any accent) as a a o, spaces as one: how a near miss is compared."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.casefold().split())
