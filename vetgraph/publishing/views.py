"""The published pages' view models: typed dataclasses with English names, rendered by the templates.

The Swedish a reader sees is in the templates and in the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vetgraph import __version__


@dataclass(frozen=True)
class Link:
    label: str
    href: str | None
    colour: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None
    lang: str | None = None
    colour: str | None = None
    english: str | None = None  # the UN's English text of an Agenda 2030 target, shown beside its Swedish name


@dataclass(frozen=True)
class Property:
    label: str
    curie: str
    href: str | None
    values: list[Value]
    technical: bool = False  # shown under "För utvecklare"
    note: str | None = None  # what the values are, if not the source document's ("Förslag: …")


@dataclass(frozen=True)
class Incoming:
    label: str
    href: str | None
    property: str


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Link]


@dataclass(frozen=True)
class Alternate:
    label: str
    media_type: str
    href: str


@dataclass(frozen=True)
class Page:
    """What every page has (the layout template uses these)."""

    page_title: str
    root: str
    version: str = __version__


@dataclass(frozen=True)
class ResourcePage(Page):
    iri: str = ""
    label_sv: str = ""
    label_en: str = ""
    types: list[Link] = field(default_factory=list)
    status: str | None = None
    text_sv: list[str] = field(default_factory=list)
    text_en: list[str] = field(default_factory=list)
    colour: str | None = None
    breadcrumbs: list[Link] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    technical: list[Property] = field(default_factory=list)
    follow_up: list[Section] = field(default_factory=list)  # shown after the properties
    incoming: list[Incoming] = field(default_factory=list)
    alternates: list[Alternate] = field(default_factory=list)


@dataclass(frozen=True)
class Branch:
    direction: Link
    sub_strategies: list[Link]


@dataclass(frozen=True)
class CommitteeGoals:
    committee: Link
    goals: list[Link]


@dataclass(frozen=True)
class IndexPage(Page):
    generated: str = ""
    notices: list[str] = field(default_factory=list)
    vision: Link | None = None
    vision_text: list[str] = field(default_factory=list)
    tree: list[Branch] = field(default_factory=list)
    perspectives: list[Link] = field(default_factory=list)
    challenges: list[Link] = field(default_factory=list)
    rus_areas: list[Link] = field(default_factory=list)
    sdg_goals: list[Link] = field(default_factory=list)
    committees: list[CommitteeGoals] = field(default_factory=list)
    council_goals: list[Link] = field(default_factory=list)
    triples: int = 0


@dataclass(frozen=True)
class Term:
    curie: str
    href: str | None
    label_sv: str
    label_en: str
    definition_sv: str
    definition_en: str
    super: list[Value]
    domain: list[Value]
    range: list[Value]


@dataclass(frozen=True)
class OntologyPage(Page):
    iri: str = ""
    title_sv: str = ""
    title_en: str = ""
    description_sv: str = ""
    version_iri: str = ""
    version_info: str = ""
    licence: str = ""
    modified: str = ""
    prefix: str = "vtl"
    classes: list[Term] = field(default_factory=list)
    object_properties: list[Term] = field(default_factory=list)
    datatype_properties: list[Term] = field(default_factory=list)
    alternates: list[Alternate] = field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    property: str
    message: str


@dataclass(frozen=True)
class Consistency:
    severity: str
    message: str


@dataclass(frozen=True)
class RulesPage(Page):
    required: list[Rule] = field(default_factory=list)
    checks: list[Rule] = field(default_factory=list)
    consistency: list[Consistency] = field(default_factory=list)
    closed: str = ""
