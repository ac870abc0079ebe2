"""The goal shapes' link rules, derived from the municipality's profile and reference data.

What a nämndmål links to differs between municipalities (one: KF-mål, delstrategier,
medborgarperspektiv, RUS, Agenda 2030, challenges; another: målområden and no perspectives), so
those rules are not written into ``shapes/namndmal.ttl``: each ``vtl:Malkoppling`` of the profile
(see :class:`vetgraph.profile.GoalLink`) becomes property shapes on ``vsh:Namndmal``, with Swedish
and English messages in the link's own words and an example from the reference data:

- ``vsh:Namndmal-{property}-saknas``: at least ``vtl:minstAntal`` values (when it is over 0);
- ``vsh:Namndmal-{property}-flera``: at most ``vtl:hogstAntal``;
- ``vsh:Namndmal-{property}-typ``: every value a member of the link's class (or one of its classes);
- for a link ``vtl:overensMed`` another, one warning per value the other link's values carry
  (``vsh:Namndmal-perspektiv-bo``: the goal has Bo, but none of its delstrategier is under Bo).

``sh:order`` on each says where its column goes in the spreadsheet. The shapes file keeps what every
municipality shares (responsible committee, title, period, measures, follow-up); the closed goal
shape's message, which lists every allowed property, is written here once all of them are known.
Everything lands in one shapes graph, so the validator, pySHACL, the rules page and the template
all see the same rules.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import BNode, Node

from vetgraph.errors import VetgraphError
from vetgraph.labels import display_name
from vetgraph.namespaces import SHAPES, VTL, Namespaces
from vetgraph.profile import GoalLink, Profile
from vetgraph.project import Project
from vetgraph.rdf import graphs
from vetgraph.rdf.classes import in_data_order, instances

GOAL_SHAPE = SHAPES["Namndmal"]
# The links' columns come after who, when and what (sh:order 1-4 in the shapes file).
FIRST_LINK_ORDER = 10


def submission_shapes(project: Project, reference: Graph) -> Graph:
    """The project's submission shapes with the goal link rules of its profile added."""
    shapes = graphs.read_trusted([project.submission_shapes_file])
    add_goal_link_shapes(shapes, project.profile, reference, project.submission_shapes_file)
    return shapes


def add_goal_link_shapes(shapes: Graph, profile: Profile, reference: Graph, source: Path | None = None) -> None:
    """Add the profile's goal link rules to ``shapes`` (read from ``source``, for the message if they clash)."""
    links = profile.goal_links
    by_iri = {link.iri: link for link in links}
    namespaces = profile.namespaces
    written = {shapes.value(prop, SH.path) for prop in shapes.objects(GOAL_SHAPE, SH.property)}
    for link in links:
        if link.path in written:  # e.g. a project made before the links moved to the profile
            raise VetgraphError(
                f"the goal shapes describe {namespaces.compact(str(link.path))} themselves, and the profile's "
                "vtl:malkoppling does too: remove its property shapes from the shapes file (the profile makes them)",
                path=source,
            )
    for position, link in enumerate(links):
        words = _Words(link, namespaces, _examples(reference, link, namespaces))
        order = Literal(FIRST_LINK_ORDER + position)
        if link.min_count:
            _property_shape(shapes, f"{words.local}-saknas", link.path, order, words.missing(),
                            (SH.minCount, Literal(link.min_count)))  # fmt: skip
        if link.max_count is not None:
            _property_shape(shapes, f"{words.local}-flera", link.path, order, words.too_many(),
                            (SH.maxCount, Literal(link.max_count)))  # fmt: skip
        typed = _property_shape(shapes, f"{words.local}-typ", link.path, order, words.unknown())
        _require_classes(shapes, typed, link.classes)
        if (link.path, RDFS.domain, VTL.Namndmal) in reference:  # only goals use it: it marks a goal
            shapes.add((GOAL_SHAPE, SH.targetSubjectsOf, link.path))
        if link.agrees_with is not None:
            _agreement_shapes(shapes, reference, link, by_iri[link.agrees_with], namespaces)
    _closed_message(shapes, namespaces)


class _Words:
    """A link's messages, in Swedish and English, with the names the profile gives it."""

    def __init__(self, link: GoalLink, namespaces: Namespaces, examples: list[str]) -> None:
        self.link, self.examples = link, examples
        self.local = re.split(r"[/#]", str(link.path))[-1]
        self.path = namespaces.compact(str(link.path))
        self.sv, self.en = link.name["sv"], link.name.get("en", link.name["sv"])
        self.some = "något" if link.article == "ett" else "någon"
        self.known = "inget känt" if link.article == "ett" else "ingen känd"

    def _example(self, lang: str) -> str:
        if not self.examples:
            return ""
        joiner, lead = (" eller ", ", t.ex. ") if lang == "sv" else (" or ", ", e.g. ")
        return lead + joiner.join(f"{self.path} {example}" for example in self.examples)

    def missing(self) -> tuple[str, str]:
        n, article = self.link.min_count, self.link.article
        least = article if n == 1 else str(n)
        return (
            f"Nämndmålet är inte kopplat till {self.some} {self.sv}. "
            f"Lägg till minst {least} med {self.path}{self._example('sv')} .",
            f"The goal is not linked to any {self.en}. Add at least {_number(n)} with {self.path}{self._example('en')} .",
        )

    def too_many(self) -> tuple[str, str]:
        n = self.link.max_count
        return (
            f"Nämndmålet har för många värden för {self.path}: högst {n} ({self.sv}). Ta bort de överflödiga.",
            f"The goal has too many values for {self.path}: at most {_number(n)} ({self.en}). Remove the extra ones.",
        )

    def unknown(self) -> tuple[str, str]:
        examples = self.examples
        use_sv = f" Använd {self.link.article} ur referensdatan" + (
            f", t.ex. {' eller '.join(examples)}" if examples else ""
        )
        use_en = " Use one from the reference data" + (f", e.g. {' or '.join(examples)}" if examples else "")
        return (
            f"Värdet av {self.path} är {self.known} {self.sv}.{use_sv} .",
            f"The value of {self.path} is not a known {self.en}.{use_en} .",
        )


def _number(n: int | None) -> str:
    return {1: "one", 2: "two", 3: "three"}.get(n or 0, str(n))


def _examples(reference: Graph, link: GoalLink, namespaces: Namespaces) -> list[str]:
    """One member of each of the link's classes, the first in the data's own order (sdg:1, sdg:1.1)."""
    found = []
    for cls in link.classes:
        members = in_data_order(reference, instances(reference, [cls]))
        if members:
            found.append(namespaces.compact(str(members[0])))
    return found


def _property_shape(
    shapes: Graph, name: str, path: URIRef, order: Literal, messages: tuple[str, str], *constraint: tuple[URIRef, Node]
) -> URIRef:
    shape = SHAPES[f"Namndmal-{name}"]
    shapes.add((shape, RDF.type, SH.PropertyShape))
    shapes.add((shape, SH.path, path))
    shapes.add((shape, SH.order, order))
    for predicate, value in constraint:
        shapes.add((shape, predicate, value))
    _messages(shapes, shape, messages)
    shapes.add((GOAL_SHAPE, SH.property, shape))
    return shape


def _messages(shapes: Graph, shape: URIRef, messages: tuple[str, str]) -> None:
    shapes.add((shape, SH.message, Literal(messages[0], lang="sv")))
    shapes.add((shape, SH.message, Literal(messages[1], lang="en")))


def _require_classes(shapes: Graph, shape: Node, classes: tuple[URIRef, ...]) -> None:
    if len(classes) == 1:
        shapes.add((shape, SH["class"], classes[0]))
        return
    options: list[Node] = []
    for cls in classes:
        option = BNode()
        shapes.add((option, SH["class"], cls))
        options.append(option)
    shapes.add((shape, SH["or"], Collection(shapes, BNode(), options).uri))


def _agreement_shapes(shapes: Graph, reference: Graph, link: GoalLink, other: GoalLink, namespaces: Namespaces) -> None:
    """A warning per value the other link's values carry: the goal has it, but none of its values of the other does.

    Skipped when one of the goal's values of the other link is unknown (its own -typ shape says so)."""
    known = instances(reference, link.classes)
    carried = {
        value
        for member in instances(reference, other.classes)
        for value in reference.objects(member, link.path)
        if isinstance(value, URIRef) and value in known
    }
    for value in sorted(carried, key=str):
        shape = SHAPES["Namndmal-" + "-".join(str(value).rstrip("/").split("/")[-2:])]
        name = {lang: display_name(reference, value, lang) for lang in ("sv", "en")}
        shapes.add((shape, RDF.type, SH.NodeShape))
        shapes.add((shape, SH.targetSubjectsOf, other.path))
        shapes.add((shape, SH.severity, SH.Warning))
        has_it, unknown_other, others_have_it = BNode(), BNode(), BNode()
        does_not_have_it = BNode()
        shapes.add((does_not_have_it, SH.path, link.path))
        shapes.add((does_not_have_it, SH.hasValue, value))
        shapes.add((has_it, SH["not"], does_not_have_it))
        not_known = BNode()
        _require_classes(shapes, not_known, other.classes)
        negated = BNode()
        shapes.add((negated, SH["not"], not_known))
        shapes.add((unknown_other, SH.path, other.path))
        shapes.add((unknown_other, SH.qualifiedValueShape, negated))
        shapes.add((unknown_other, SH.qualifiedMinCount, Literal(1)))
        shapes.add((others_have_it, SH.path, Collection(shapes, BNode(), [other.path, link.path]).uri))
        shapes.add((others_have_it, SH.hasValue, value))
        shapes.add((shape, SH["or"], Collection(shapes, BNode(), [has_it, unknown_other, others_have_it]).uri))
        no = "inget" if other.article == "ett" else "ingen"
        other_en = other.name.get("en", other.name["sv"])
        a = "an" if other_en[:1].lower() in "aeiou" else "a"
        _messages(
            shapes,
            shape,
            (
                f"Nämndmålet har {link.name['sv']} {name['sv']}, men {no} {other.name['sv']} under {name['sv']}. "
                f"Kontrollera kopplingen till {name['sv']}, eller lägg till {other.article} {other.name['sv']} "
                f"under {name['sv']}.",
                f"The goal has the {link.name.get('en', link.name['sv'])} {name['en']}, but no {other_en} under "
                f"{name['en']}. Check the link to {name['en']}, or add {a} {other_en} under {name['en']}.",
            ),
        )


def _closed_message(shapes: Graph, namespaces: Namespaces) -> None:
    """The closed goal shape's message: every property it allows, in the template's order."""

    def order(prop: Node) -> tuple[int, str]:
        value = shapes.value(prop, SH.order)
        path = shapes.value(prop, SH.path)
        return (int(value) if isinstance(value, Literal) and value.datatype == XSD.integer else 999, str(path))

    paths: list[str] = []
    for prop in sorted(shapes.objects(GOAL_SHAPE, SH.property), key=order):
        path = shapes.value(prop, SH.path)
        if isinstance(path, URIRef) and path != RDF.type and namespaces.compact(str(path)) not in paths:
            paths.append(namespaces.compact(str(path)))
    allowed = ", ".join(paths)
    _messages(
        shapes,
        GOAL_SHAPE,
        (
            "Egenskapen är inte tillåten på ett nämndmål (felstavad eller okänd). "
            f"Ta bort den eller byt till en tillåten egenskap: {allowed}.",
            "This property is not allowed on a committee goal (misspelt or unknown). "
            f"Remove it or change it to an allowed property: {allowed}.",
        ),
    )
