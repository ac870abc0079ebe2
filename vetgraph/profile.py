"""The municipality's profile (``data/profil.ttl``): who publishes, under which IRIs, for which area.

Everything that names the municipality — its name, kommunkod and county, the base of its
resources' IRIs, the publisher, contact point, licence, languages and keywords of its data —
is read from the profile, so that another municipality changes data, not code. The library is
handed a :class:`Profile` (``Project.profile``); no module decides the municipality.

The profile is DCAT, VoID, FOAF, vCard and SKOS: a ``dcat:Dataset`` with a ``void:uriSpace``
(the IRI policy: ``{uriSpace}{kind}/{name}``), its ``dcterms:publisher``, ``dcat:contactPoint``
and ``dcterms:spatial`` (the municipality as a place, its kommunkod as ``skos:notation``, its
county by ``dcterms:isPartOf``), and the ``dcat:Catalog`` that lists it.

The dataset's ``vtl:malkoppling`` entries say what a committee goal links to (the levels of the
strategy, its perspectives, and KF-mål, RUS, Agenda 2030, challenges): by which property, to values
of which classes, how many at least and at most, in which order, and what the link is called in
Swedish and English. The goal shapes, their messages and the spreadsheet's columns are derived from
them (:mod:`vetgraph.goal_links`). Its ``vtl:strateginiva`` entries are the strategy's levels (vision,
riktningar, delstrategier; or vision, målområden) and the lists it builds on (challenges): each a sheet
of the strategy workbook (:mod:`vetgraph.strategy`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import DCTERMS, RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, VOID
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.namespaces import VCARD, VTL, Namespaces


@dataclass(frozen=True)
class StrategyLevel:
    """A level of the strategy, or a list it builds on (a ``vtl:Strateginiva``): a sheet of the strategy workbook.

    What its concepts must say (names, texts, links to other levels) is read from the reference-data shapes
    of its class; the profile says what the level is called, its order, and where its concepts' IRIs go."""

    iri: URIRef
    cls: URIRef  # its concepts' class: vtl:Delstrategi
    name: dict[str, str]  # as a sheet is called, by language: "Delstrategier"
    order: int
    segment: str  # {base}id/{segment}/{name}; "" for {base}id/{name}
    scheme: URIRef | None  # the concept scheme its concepts are in (skos:inScheme), if the shapes do not say


@dataclass(frozen=True)
class GoalLink:
    """Something a committee goal must or may link to (a ``vtl:Malkoppling`` of the profile)."""

    iri: URIRef
    path: URIRef  # the goal's property: vtl:delstrategi
    classes: tuple[URIRef, ...]  # its values belong to one of these
    name: dict[str, str]  # as a sentence says it, by language: "delstrategi", "strategiområde i RUS"
    article: str  # the Swedish name's indefinite article: "en" or "ett"
    min_count: int
    max_count: int | None
    order: int
    agrees_with: URIRef | None = None  # another link whose values carry this link's property (vtl:overensMed)


@dataclass(frozen=True)
class Profile:
    """What vetgraph knows of the municipality whose data it works on (read by :func:`read_profile`)."""

    dataset: URIRef
    title: dict[str, str]  # the dataset's title by language: "Nässjö kommuns utvecklingsstrategi"
    namespaces: Namespaces  # the municipality's resources' IRIs
    publisher: URIRef
    publisher_name: dict[str, str]
    homepage: URIRef | None
    contact: URIRef
    contact_name: str
    contact_url: URIRef | None
    area: URIRef
    area_name: dict[str, str]
    code: str  # kommunkod (SCB, Kolada): "0682"
    county: URIRef
    county_name: dict[str, str]
    county_code: str  # länskod: "06"
    licence: URIRef
    languages: tuple[URIRef, ...]
    keywords: tuple[str, ...]
    catalogue: URIRef
    catalogue_title: dict[str, str]
    catalogue_description: dict[str, str]
    goal_links: tuple[GoalLink, ...] = ()  # in their order
    strategy_levels: tuple[StrategyLevel, ...] = ()  # in their order

    @property
    def base(self) -> str:
        """Where the municipality's published data lives: its resources are under ``{base}id/``."""
        return self.namespaces.base

    @property
    def name(self) -> str:
        """The municipality's name in Swedish, as people write it: "Nässjö kommun"."""
        return self.publisher_name["sv"]

    @property
    def municipality(self) -> URIRef:
        """The municipality as outcomes name it (``vtl:kommun``): ``{base}id/kommun/{kommunkod}``."""
        return self.namespaces.id["kommun/" + self.code]


def read_profile(path: Path) -> Profile:
    """The profile in ``path``; a one-line :class:`VetgraphError` naming what is missing or wrong."""
    from vetgraph.rdf import graphs

    if not path.is_file():
        raise VetgraphError(
            "the municipality profile is missing (vetgraph init DIR writes a project folder with one)", path=path
        )
    graph = graphs.read_trusted([path])
    return _Reader(graph, str(path)).profile()


class _Reader:
    def __init__(self, graph: Graph, source: str) -> None:
        self.graph, self.source = graph, source

    def fail(self, what: str) -> VetgraphError:
        return VetgraphError(f"the municipality profile {what}", path=self.source)

    def one(self, subject: Node, predicate: URIRef, what: str) -> Node:
        values = list(self.graph.objects(subject, predicate))
        if len(values) != 1:
            raise self.fail(f"needs exactly one {what} ({len(values)} found)")
        return values[0]

    def iri(self, subject: Node, predicate: URIRef, what: str) -> URIRef:
        value = self.one(subject, predicate, what)
        if not isinstance(value, URIRef):
            raise self.fail(f"gives {what} as text; write it as an IRI, <...>")
        return value

    def optional_iri(self, subject: Node, predicate: URIRef, what: str) -> URIRef | None:
        return self.iri(subject, predicate, what) if (subject, predicate, None) in self.graph else None

    def text(self, subject: Node, predicate: URIRef, what: str) -> str:
        value = self.one(subject, predicate, what)
        if not isinstance(value, Literal) or not str(value).strip():
            raise self.fail(f"needs {what} as text")
        return str(value)

    def by_language(self, subject: Node, predicate: URIRef, what: str) -> dict[str, str]:
        texts = {
            o.language: str(o) for o in self.graph.objects(subject, predicate) if isinstance(o, Literal) and o.language
        }
        if "sv" not in texts:
            raise self.fail(f'needs {what} in Swedish ("..."@sv)')
        return texts

    def only(self, kind: URIRef, what: str) -> URIRef:
        found = [s for s in self.graph.subjects(RDF.type, kind) if isinstance(s, URIRef)]
        if len(found) != 1:
            raise self.fail(f"needs exactly one {what} ({len(found)} found)")
        return found[0]

    def code(self, subject: Node, digits: int, what: str) -> str:
        code = self.text(subject, SKOS.notation, what)
        if not re.fullmatch(rf"\d{{{digits}}}", code):
            raise self.fail(f"gives {what} '{code}'; it is {digits} digits, as SCB writes it")
        return code

    def profile(self) -> Profile:
        dataset = self.only(DCAT.Dataset, "dcat:Dataset")
        space = self.text(dataset, VOID.uriSpace, "void:uriSpace")
        if not re.match(r"^https?://[^/\s]+/(\S*/)?id/$", space):
            raise self.fail(
                f"gives void:uriSpace '{space}'; it is the base of the resources' IRIs and ends in /id/, "
                "e.g. https://data.example.se/id/"
            )
        publisher = self.iri(dataset, DCTERMS.publisher, "dcterms:publisher")
        contact = self.iri(dataset, DCAT.contactPoint, "dcat:contactPoint")
        area = self.iri(dataset, DCTERMS.spatial, "dcterms:spatial (the municipality as a place)")
        county = self.iri(area, DCTERMS.isPartOf, "dcterms:isPartOf of the municipality (its county)")
        catalogue = self.only(DCAT.Catalog, "dcat:Catalog")
        keywords = tuple(sorted(str(k) for k in self.graph.objects(dataset, DCAT.keyword)))
        return Profile(
            dataset=dataset,
            title=self.by_language(dataset, DCTERMS.title, "the dataset's dcterms:title"),
            namespaces=Namespaces(space.removesuffix("id/")),
            publisher=publisher,
            publisher_name=self.by_language(publisher, FOAF.name, "the publisher's foaf:name"),
            homepage=self.optional_iri(publisher, FOAF.homepage, "the publisher's foaf:homepage"),
            contact=contact,
            contact_name=self.text(contact, VCARD.fn, "the contact point's vcard:fn"),
            contact_url=self.optional_iri(contact, VCARD.hasURL, "the contact point's vcard:hasURL"),
            area=area,
            area_name=self.by_language(area, SKOS.prefLabel, "the municipality's skos:prefLabel"),
            code=self.code(area, 4, "kommunkod (the area's skos:notation)"),
            county=county,
            county_name=self.by_language(county, SKOS.prefLabel, "the county's skos:prefLabel"),
            county_code=self.code(county, 2, "länskod (the county's skos:notation)"),
            licence=self.iri(dataset, DCTERMS.license, "dcterms:license"),
            languages=tuple(sorted(o for o in self.graph.objects(dataset, DCTERMS.language) if isinstance(o, URIRef))),
            keywords=keywords,
            catalogue=catalogue,
            catalogue_title=self.by_language(catalogue, DCTERMS.title, "the catalogue's dcterms:title"),
            catalogue_description=self.by_language(
                catalogue, DCTERMS.description, "the catalogue's dcterms:description"
            ),
            goal_links=self.goal_links(dataset),
            strategy_levels=self.strategy_levels(dataset),
        )

    def strategy_levels(self, dataset: URIRef) -> tuple[StrategyLevel, ...]:
        levels = []
        for level in self.graph.objects(dataset, VTL.strateginiva):
            if not isinstance(level, URIRef):
                raise self.fail("gives a vtl:strateginiva as a blank node; give it an IRI")
            name = f"vtl:strateginiva <{level}>"
            segment = str(self.one(level, VTL.iriDel, f"vtl:iriDel on {name}")).strip("/")
            if not re.fullmatch(r"[a-z0-9-]*(/[a-z0-9-]+)*", segment):
                raise self.fail(f"gives vtl:iriDel '{segment}' on {name}; write lower-case letters, digits and -")
            levels.append(
                StrategyLevel(
                    iri=level,
                    cls=self.iri(level, VTL.klass, f"vtl:klass on {name}"),
                    name=self.by_language(level, SKOS.prefLabel, f"the skos:prefLabel of {name}"),
                    order=self.count(level, VTL.ordning, f"vtl:ordning on {name}") or 0,
                    segment=segment,
                    scheme=self.optional_iri(level, SKOS.inScheme, f"skos:inScheme on {name}"),
                )
            )
        self.unique([level.cls for level in levels], "gives two vtl:strateginiva the same vtl:klass")
        self.unique([level.name["sv"] for level in levels],
                    "gives two vtl:strateginiva the same Swedish name (each is a sheet of the workbook)")  # fmt: skip
        return tuple(sorted(levels, key=lambda level: (level.order, str(level.cls))))

    def unique(self, values: list[object], message: str) -> None:
        if len(set(values)) != len(values):
            raise self.fail(message)

    def count(self, subject: Node, predicate: URIRef, what: str) -> int | None:
        if (subject, predicate, None) not in self.graph:
            return None
        value = self.one(subject, predicate, what)
        if not (isinstance(value, Literal) and re.fullmatch(r"\d{1,3}", str(value))):
            raise self.fail(f"gives {what} '{value}'; write a whole number, e.g. 1")
        return int(str(value))

    def goal_links(self, dataset: URIRef) -> tuple[GoalLink, ...]:
        links = []
        for link in self.graph.objects(dataset, VTL.malkoppling):
            if not isinstance(link, URIRef):
                raise self.fail("gives a vtl:malkoppling as a blank node; give it an IRI")
            name = f"vtl:malkoppling <{link}>"
            classes = tuple(sorted(c for c in self.graph.objects(link, VTL.klass) if isinstance(c, URIRef)))
            if not classes:
                raise self.fail(f"needs at least one vtl:klass on {name}")
            article = self.text(link, VTL.artikel, f'vtl:artikel ("en" or "ett") on {name}')
            if article not in ("en", "ett"):
                raise self.fail(f'gives vtl:artikel \'{article}\' on {name}; write "en" or "ett"')
            low = self.count(link, VTL.minstAntal, f"vtl:minstAntal on {name}")
            high = self.count(link, VTL.hogstAntal, f"vtl:hogstAntal on {name}")
            if high is not None and (high < 1 or high < (low or 0)):
                raise self.fail(f"gives vtl:hogstAntal {high} on {name}; it is at least 1 and vtl:minstAntal")
            links.append(
                GoalLink(
                    iri=link,
                    path=self.iri(link, VTL.egenskap, f"vtl:egenskap on {name}"),
                    classes=classes,
                    name=self.by_language(link, SKOS.prefLabel, f"the skos:prefLabel of {name}"),
                    article=article,
                    min_count=low or 0,
                    max_count=high,
                    order=self.count(link, VTL.ordning, f"vtl:ordning on {name}") or 0,
                    agrees_with=self.optional_iri(link, VTL.overensMed, f"vtl:overensMed on {name}"),
                )
            )
        self.unique([link.path for link in links], "gives two vtl:malkoppling entries the same vtl:egenskap")
        for found in links:
            if found.agrees_with is not None and found.agrees_with not in {other.iri for other in links}:
                raise self.fail(f"names <{found.agrees_with}> in vtl:overensMed; it is none of the vtl:malkoppling")
        return tuple(sorted(links, key=lambda link: (link.order, str(link.path))))
