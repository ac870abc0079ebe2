"""The fields of a nämndmål, read from the shapes and the reference data (never written by hand).

Every property the closed goal shape allows becomes a field, except the ones a
spreadsheet does not need (``rdf:type``, ``vtl:dataStatus``) and measures, which
have their own sheet. A field is
required if a shape requires its property (``sh:minCount`` or
``sh:qualifiedMinCount``), single if a shape caps it at one (``sh:maxCount 1``),
text if its values are literals, and a link if a shape names the classes of its
values (``sh:class``, or ``sh:or`` of them): its choices are the instances of
those classes in the reference data, by their Swedish names. When a shape or the
data changes, the fields, the template and the reading follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from vetgraph.labels import display_name
from vetgraph.namespaces import SHAPES, VTL
from vetgraph.rdf.classes import in_data_order, instances, shape_classes

GOAL_SHAPE = SHAPES["Namndmal"]
# Measures (vtl:matt) have a sheet of their own (submissions/followup.py).
NOT_IN_SPREADSHEETS = (RDF.type, VTL.dataStatus, VTL.matt)
# How many columns a field that takes several values gets ("Delstrategi 1" … "Delstrategi 4").
REPEATS = 4


@dataclass(frozen=True)
class Field:
    path: URIRef
    header: str  # Swedish, as the spreadsheet shows it
    required: bool
    single: bool
    classes: tuple[URIRef, ...] = ()  # empty for text
    choices: dict[str, URIRef] = field(default_factory=dict)  # Swedish label -> IRI, for links

    @property
    def is_link(self) -> bool:
        return bool(self.classes)

    @property
    def columns(self) -> list[str]:
        """The column headers: one, or numbered ones for a field that takes several values."""
        if self.single:
            return [self.header]
        return [f"{self.header} {n}" for n in range(1, REPEATS + 1)]


def goal_fields(shapes: Graph, reference: Graph) -> list[Field]:
    """The fields of a nämndmål, in the ``sh:order`` of the goal shape's property shapes."""
    by_path: dict[URIRef, list[Node]] = {}
    for prop in shapes.objects(GOAL_SHAPE, SH.property):
        path = shapes.value(prop, SH.path)
        if isinstance(path, URIRef) and path not in NOT_IN_SPREADSHEETS:
            by_path.setdefault(path, []).append(prop)
    fields = []
    for path, props in sorted(by_path.items(), key=lambda item: (_order(shapes, item[1]), str(item[0]))):
        classes = tuple(dict.fromkeys(c for p in props for c in shape_classes(shapes, p)))
        choices = choices_of(reference, classes) if classes else {}
        fields.append(
            Field(
                path=path,
                header=_header(reference, path),
                required=any(_count(shapes, p, SH.minCount) or _count(shapes, p, SH.qualifiedMinCount) for p in props),
                # text (a title, a description) is one Swedish text per goal in a spreadsheet
                single=not classes or any(_count(shapes, p, SH.maxCount) == 1 for p in props),
                classes=classes,
                choices=choices,
            )
        )
    return fields


def _order(shapes: Graph, props: list[Node]) -> int:
    """Where the field's column goes: the shapes' ``sh:order`` (who and when, what, then the links, then the rest)."""
    orders = [_count(shapes, p, SH.order) for p in props]
    return min((o for o in orders if o is not None), default=999)


def _header(reference: Graph, path: URIRef) -> str:
    name = display_name(reference, path, "sv")
    return name[:1].upper() + name[1:]


def _count(shapes: Graph, prop: Node, predicate: URIRef) -> int | None:
    value = shapes.value(prop, predicate)
    return int(value) if isinstance(value, Literal) and value.datatype == XSD.integer else None


def choices_of(reference: Graph, classes: tuple[URIRef, ...]) -> dict[str, URIRef]:
    """Swedish label -> IRI for the instances of ``classes`` (subclasses included), in a stable order."""
    choices: dict[str, URIRef] = {}
    for member in in_data_order(reference, instances(reference, classes)):
        label = display_name(reference, member, "sv")
        notation = str(reference.value(member, SKOS.notation) or "")
        if notation[:1].isdigit() and notation not in label:
            label = f"{notation}. {label}"  # "3. God hälsa och välbefinnande", "1. En hållbar region"
        if label in choices:  # two resources with one name: tell them apart by their compact IRI
            label = f"{label} ({display_name(Graph(), member)})"
        choices[label] = member
    return choices
