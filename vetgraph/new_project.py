"""``vetgraph init``: a new municipality's project folder, which starts with data only (issue 18).

The folder holds what the bundled project holds, for the new municipality: its profile
(``data/profil.ttl``: name, kommunkod, county, base IRI, publisher, contact), the shared vocabulary
(``ontology/``, unchanged), the shared code lists (``data/kodlistor.ttl``) and Agenda 2030 reference
data as they are, its county's RUS (Region Jönköpings län's for län 06, whose RUS the
bundled project has; for any other county an empty one to fill in), the shapes and the stored
queries under its own base, an empty strategy to fill in, empty sample folders and a README of what
to fill in. Nothing is written over: the folder must not exist yet, and it appears whole or not at all.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import DCTERMS, FOAF, ORG, PROV, RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, VOID
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.followup.queries import with_own_prefixes
from vetgraph.namespaces import CODES, VCARD, VTL, Namespaces, rebase
from vetgraph.project import ONTOLOGY_FILE, PROFILE_FILE, Project, bundled_project
from vetgraph.rdf import graphs
from vetgraph.submissions.convert import slug

# Sweden's counties by länskod, as SCB lists them ("Län och kommuner i kodnummerordning"); the first two
# digits of a kommunkod are its county's. English names as the counties write them.
COUNTIES = {
    "01": ("Stockholms län", "Stockholm County"),
    "03": ("Uppsala län", "Uppsala County"),
    "04": ("Södermanlands län", "Södermanland County"),
    "05": ("Östergötlands län", "Östergötland County"),
    "06": ("Jönköpings län", "Jönköping County"),
    "07": ("Kronobergs län", "Kronoberg County"),
    "08": ("Kalmar län", "Kalmar County"),
    "09": ("Gotlands län", "Gotland County"),
    "10": ("Blekinge län", "Blekinge County"),
    "12": ("Skåne län", "Skåne County"),
    "13": ("Hallands län", "Halland County"),
    "14": ("Västra Götalands län", "Västra Götaland County"),
    "17": ("Värmlands län", "Värmland County"),
    "18": ("Örebro län", "Örebro County"),
    "19": ("Västmanlands län", "Västmanland County"),
    "20": ("Dalarnas län", "Dalarna County"),
    "21": ("Gävleborgs län", "Gävleborg County"),
    "22": ("Västernorrlands län", "Västernorrland County"),
    "23": ("Jämtlands län", "Jämtland County"),
    "24": ("Västerbottens län", "Västerbotten County"),
    "25": ("Norrbottens län", "Norrbotten County"),
}
CC_BY = URIRef("http://creativecommons.org/licenses/by/4.0/")
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


@dataclass(frozen=True)
class Municipality:
    """Who the new project is for: ``name`` as the municipality writes it ("Nässjö kommun")."""

    name: str
    code: str  # kommunkod: four digits, the first two the county's
    base: str  # the base of its published data: resources are {base}id/…
    name_en: str | None = None
    homepage: str | None = None

    def checked(self) -> Municipality:
        if not self.name.strip() or any(ord(ch) < 32 for ch in self.name):
            raise VetgraphError('--namn: give the municipality\'s name, e.g. "Nässjö kommun"')
        if not re.fullmatch(r"\d{4}", self.code):
            raise VetgraphError(f"--kod {self.code}: a kommunkod is four digits, e.g. 0682")
        if self.code[:2] not in COUNTIES:
            raise VetgraphError(f"--kod {self.code}: no county has the code {self.code[:2]} (SCB's länskoder)")
        for option, iri in (("--bas", self.base), ("--webbplats", self.homepage)):
            if iri is not None and (not re.match(r"^https?://[^/\s]+/", iri + "/") or _BAD_IRI.search(iri)):
                raise VetgraphError(f"{option} {iri}: give an http(s) address without spaces")
        if not self.base.endswith("/"):
            raise VetgraphError(f"--bas {self.base}: the base ends in /, e.g. https://data.nassjo.se/")
        if self.name_en is None:  # "Nässjö kommun" is "Nässjö Municipality", as the municipalities write it
            english = (
                self.name.removesuffix(" kommun") + " Municipality" if self.name.endswith(" kommun") else self.name
            )
            return dataclasses.replace(self, name_en=english)
        return self

    @property
    def county(self) -> str:
        return self.code[:2]

    @property
    def genitive(self) -> str:
        """ "Nässjö kommuns": the name as the strategy's owner."""
        return self.name if self.name.endswith(("s", "x", "z")) else self.name + "s"


def init_project(folder: str | Path, municipality: Municipality, *, template: Project | None = None) -> Path:
    """Write a new project folder for ``municipality``; ``template`` (default: the bundled project) gives the shared
    parts. Raises :class:`VetgraphError` before anything is written if ``folder`` exists."""
    municipality = municipality.checked()
    folder = Path(folder)
    if os.path.lexists(folder):
        raise VetgraphError("the folder exists; vetgraph init makes a new one: give a new name", path=folder)
    template = template or bundled_project()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        _write(staging, municipality, template)
        os.rename(staging, folder)  # whole or not at all
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _write(root: Path, municipality: Municipality, template: Project) -> None:
    home, base = template.profile.base, municipality.base
    namespaces = Namespaces(base)

    def write(relative: str, data: str | bytes) -> None:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def turtle(graph: Graph, header: str) -> str:
        body = graphs.serialize(namespaces.bind(graph), "turtle").decode("utf-8")
        return "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + "\n" + body

    write(ONTOLOGY_FILE, template.ontology.read_bytes())  # the shared vocabulary, as it is
    for path in sorted(template.shapes_dir.rglob("*")):
        if path.is_file():
            write(str(path.relative_to(template.root)), _moved_text(path.read_text(encoding="utf-8"), home, base))
    for path in sorted(template.queries_dir.glob("*.rq")):
        text = with_own_prefixes(path.read_text(encoding="utf-8"), namespaces)
        write(f"queries/{path.name}", text.replace(f"kommun:{template.profile.code}", f"kommun:{municipality.code}"))
    write("data/agenda2030.ttl", (template.data_dir / "agenda2030.ttl").read_bytes())  # the UN's, as it is
    reference = graphs.read_trusted(template.reference_files())
    write("data/kodlistor.ttl", (template.data_dir / "kodlistor.ttl").read_bytes())  # shared, as they are
    write("data/grunddata.ttl", turtle(_basics(reference, home, base), _BASICS))
    write("data/uppfoljning.ttl", turtle(_follow_up(municipality), _FOLLOW_UP))
    if municipality.county == template.profile.county_code:
        rus = graphs.read_trusted([template.data_dir / "rus.ttl"])
        write("data/rus.ttl", turtle(rebase(rus, home, base), _RUS_COPIED))
    else:
        write("data/rus.ttl", turtle(_empty_rus(municipality, namespaces), _RUS_EMPTY))
    write("data/strategi.ttl", turtle(_empty_strategy(municipality, namespaces), _STRATEGY))
    profile = profile_graph(municipality)
    profile += _goal_links(template, base, next(profile.subjects(RDF.type, DCAT.Dataset)))
    write(PROFILE_FILE, turtle(profile, _PROFILE))
    for sample in ("namndmal", "utfall"):
        (root / "data" / "exempel" / sample).mkdir(parents=True)
    write("README.md", _README.format(genitive=municipality.genitive, base=base, ontology=ONTOLOGY_FILE))


def _goal_links(template: Project, base: str, dataset: Node) -> Graph:
    """The template's goal links (what a nämndmål links to) and strategy levels as a start, under ``base``: the new
    municipality's strategy may be built another way (målområden, no perspectives), and then it changes them."""
    source = graphs.read_trusted([template.profile_file])
    links = Graph()
    entries = [link.iri for link in template.profile.goal_links] + [
        level.iri for level in template.profile.strategy_levels
    ]
    for entry in entries:
        for triple in source.triples((entry, None, None)):
            links.add(triple)
    links = rebase(links, template.profile.base, base)
    for kind, predicate in ((VTL.Malkoppling, VTL.malkoppling), (VTL.Strateginiva, VTL.strateginiva)):
        for moved in set(links.subjects(RDF.type, kind)):
            links.add((dataset, predicate, moved))
    return links


def _moved_text(text: str, home: str, base: str) -> str:
    """Turtle text with the template's resource IRIs under ``base`` (comments kept), in IRIs and in regexes."""
    in_regex = {iri: iri.replace(".", "\\\\.") for iri in (home, base)}  # "data\\.example\\.se" in a sh:pattern
    moved = text.replace(home + "id/", base + "id/")
    return moved.replace(in_regex[home] + "id/", in_regex[base] + "id/")


def _basics(reference: Graph, home: str, base: str) -> Graph:
    """The vetgraph project (who makes the proposals and samples that data statuses name), under ``base``."""
    project = URIRef(home + "id/vetgraph")
    basics = Graph()
    for triple in reference.triples((project, None, None)):
        basics.add(triple)
    return rebase(basics, home, base)


def _follow_up(municipality: Municipality) -> Graph:
    """The municipality as outcomes name it (``vtl:kommun``, by Kolada's code)."""
    moved = Graph()
    own = Namespaces(municipality.base).id["kommun/" + municipality.code]
    moved.add((own, RDF.type, ORG.FormalOrganization))
    moved.add((own, SKOS.notation, Literal(municipality.code)))
    moved.add((own, SKOS.prefLabel, Literal(municipality.name, lang="sv")))
    if municipality.name_en:
        moved.add((own, SKOS.prefLabel, Literal(municipality.name_en, lang="en")))
    return moved


def _agent(municipality: Municipality, namespaces: Namespaces) -> URIRef:
    return namespaces.id[slug(municipality.name)]


def _empty_rus(municipality: Municipality, namespaces: Namespaces) -> Graph:
    county_sv, county_en = COUNTIES[municipality.county]
    graph, rus = Graph(), namespaces.id["rus"]
    graph.add((rus, RDF.type, VTL.RegionalUtvecklingsstrategi))
    graph.add((rus, RDF.type, SKOS.ConceptScheme))
    graph.add((rus, SKOS.prefLabel, Literal(f"Regional utvecklingsstrategi för {county_sv}", lang="sv")))
    graph.add((rus, SKOS.prefLabel, Literal(f"Regional development strategy of {county_en}", lang="en")))
    graph.add((rus, VTL.dataStatus, CODES["datastatus/forslag"]))
    return graph


def _empty_strategy(municipality: Municipality, namespaces: Namespaces) -> Graph:
    graph, agent, strategy = Graph(), _agent(municipality, namespaces), namespaces.id["utvecklingsstrategi"]
    for kind in (ORG.FormalOrganization, FOAF.Organization, PROV.Agent):
        graph.add((agent, RDF.type, kind))
    graph.add((agent, SKOS.prefLabel, Literal(municipality.name, lang="sv")))
    if municipality.name_en:
        graph.add((agent, SKOS.prefLabel, Literal(municipality.name_en, lang="en")))
    graph.add((strategy, RDF.type, VTL.Utvecklingsstrategi))
    graph.add((strategy, RDF.type, SKOS.ConceptScheme))
    graph.add((strategy, SKOS.prefLabel, Literal(f"{municipality.genitive} utvecklingsstrategi", lang="sv")))
    graph.add((strategy, DCTERMS.publisher, agent))
    # what the challenges come from (the strategy workbook's sheet of challenges lists it as their source)
    scan, challenges = namespaces.id["omvarldsanalys"], namespaces.id["utmaningar"]
    graph.add((scan, RDF.type, VTL.Omvarldsanalys))
    graph.add((scan, SKOS.prefLabel, Literal(f"{municipality.genitive} omvärldsanalys", lang="sv")))
    graph.add((challenges, RDF.type, SKOS.ConceptScheme))
    graph.add((challenges, SKOS.prefLabel, Literal("Utmaningar", lang="sv")))
    graph.add((challenges, SKOS.prefLabel, Literal("Challenges", lang="en")))
    return graph


def profile_graph(municipality: Municipality) -> Graph:
    """The profile of ``municipality`` (see :mod:`vetgraph.profile`), its resources proposals until adopted."""
    namespaces = Namespaces(municipality.base)
    ids, base = namespaces.id, municipality.base
    proposal = CODES["datastatus/forslag"]
    graph = Graph()
    graph.bind("vcard", VCARD)
    graph.bind("void", VOID)
    dataset, catalogue, contact = (
        URIRef(base + "dataset/utvecklingsstrategi"),
        URIRef(base + "katalog"),
        URIRef(base + "kontakt"),
    )
    publisher, area, county = (
        _agent(municipality, namespaces),
        ids["omrade/" + slug(municipality.name)],
        ids["omrade/lan-" + municipality.county],
    )
    county_sv, county_en = COUNTIES[municipality.county]
    short = municipality.name.removesuffix(" kommun")

    def add(subject: URIRef, predicate: URIRef, *objects: URIRef | Literal) -> None:
        for value in objects:
            graph.add((subject, predicate, value))

    def names(sv: str, en: str | None) -> list[Literal]:
        return [Literal(sv, lang="sv"), *([Literal(en, lang="en")] if en else [])]

    add(dataset, RDF.type, DCAT.Dataset, VOID.Dataset)
    add(dataset, DCTERMS.title, *names(f"{municipality.genitive} utvecklingsstrategi",
                                        f"{municipality.name_en}'s development strategy" if municipality.name_en else None))  # fmt: skip
    add(dataset, VOID.uriSpace, Literal(base + "id/"))
    add(dataset, DCTERMS.publisher, publisher)
    add(dataset, DCTERMS.spatial, area)
    add(dataset, DCTERMS.license, CC_BY)
    add(dataset, DCTERMS.language, URIRef(EU_LANGUAGE + "SWE"), URIRef(EU_LANGUAGE + "ENG"))
    add(dataset, DCAT.contactPoint, contact)
    keywords = ("utvecklingsstrategi", "nämndmål", "Agenda 2030", "regional utvecklingsstrategi", short)
    add(dataset, DCAT.keyword, *(Literal(k, lang="sv") for k in keywords))
    add(catalogue, RDF.type, DCAT.Catalog)
    add(catalogue, DCTERMS.title, *names(f"{municipality.genitive} länkade data",
                                          f"{municipality.name_en} linked data" if municipality.name_en else None))  # fmt: skip
    add(catalogue, DCTERMS.description,
        Literal(f"Datakatalog för {municipality.genitive} utvecklingsstrategi som länkade data.", lang="sv"))  # fmt: skip
    add(catalogue, DCAT.dataset, dataset)
    add(publisher, RDF.type, FOAF.Organization)
    add(publisher, FOAF.name, *names(municipality.name, municipality.name_en))
    add(contact, RDF.type, VCARD.Organization)
    add(contact, VCARD.fn, Literal(municipality.name, lang="sv"))
    if municipality.homepage:
        add(publisher, FOAF.homepage, URIRef(municipality.homepage))
        add(contact, VCARD.hasURL, URIRef(municipality.homepage))
    add(area, RDF.type, DCTERMS.Location)
    add(area, SKOS.prefLabel, *names(municipality.name, municipality.name_en))
    add(area, SKOS.notation, Literal(municipality.code))
    add(area, DCTERMS.isPartOf, county)
    add(county, RDF.type, DCTERMS.Location)
    add(county, SKOS.prefLabel, Literal(county_sv, lang="sv"), Literal(county_en, lang="en"))
    add(county, SKOS.notation, Literal(municipality.county))
    for resource in (dataset, catalogue, contact, area, county):
        add(resource, VTL.dataStatus, proposal)
    return graph


_PROFILE = """Kommunens profil (vetgraph init): namn, kommunkod, län, IRI-bas, utgivare och kontakt, och vad ett
nämndmål ska kopplas till (vtl:malkoppling; från början samma som i den kommun vetgraph levereras med: ändra
dem efter kommunens strategi, t.ex. vtl:malomrade i stället för vtl:delstrategi och vtl:medborgarperspektiv).
Fyll i kontaktpunkten (vcard:fn, vcard:hasURL, gärna vcard:hasEmail) och ändra det som inte stämmer.
IRI:erna är ett förslag (status:forslag) tills kommunen beslutar om sin IRI-policy.
The municipality's profile (see vetgraph/profile.py)."""
_BASICS = """vetgraph-projektet, som står för förslag och exempeldata (vetgraph init).
The vetgraph project, who makes proposals and sample data, under this municipality's base."""
_FOLLOW_UP = """Kommunen som utfallen gäller, med Koladas kommunkod (vetgraph init). Uppföljningens kodlistor
(måluppfyllelse, uppföljningstillfälle, önskad riktning, kön) är gemensamma: data/kodlistor.ttl.
The municipality as outcomes name it; the shared code lists are in data/kodlistor.ttl."""
_RUS_COPIED = """Regionens utvecklingsstrategi (RUS), som vetgraph har den: kommunens mål kopplas till dess strategiområden.
The county's regional development strategy, under this municipality's base (vetgraph init)."""
_RUS_EMPTY = """Regionens utvecklingsstrategi (RUS): FYLL I strategiområdena, ett vtl:RUSStrategiomrade var med
skos:inScheme vid:rus, skos:notation (nummer), skos:prefLabel och skos:definition på svenska och engelska.
vetgraph har inte det här länets RUS; utan strategiområden kan inget nämndmål kopplas till RUS."""
_STRATEGY = """Utvecklingsstrategin: FYLL I visionen, strategins nivåer (t.ex. riktningar, perspektiv, delstrategier)
och omvärldsanalysens utmaningar, med texterna ur kommunens eget dokument (vtl:dataStatus status:kalldokument),
och nämnderna, kommunfullmäktiges mål och mandatperioderna. Se README.md."""
_README = """# {genitive} utvecklingsstrategi som länkade data

Ett projekt för vetgraph, gjort med `vetgraph init`. Alla kommandon tar mappen med `--project MAPP`
(eller `VETGRAPH_HOME=MAPP`), t.ex. `vetgraph --project MAPP build`.

Resurserna får IRI:er under `{base}id/` (ett förslag tills kommunen beslutar om sin IRI-policy).
Klasserna och egenskaperna (`{ontology}`) är det gemensamma vokabulär som alla kommuner
använder; ändra inte den filen.

## Att fylla i

1. `data/profil.ttl`: kontaktpunkt och webbplats; kontrollera namn, kommunkod och län. Kopplingarna
   (`vtl:malkoppling`) säger vad ett nämndmål ska kopplas till, med hur många värden och med vilka ord
   meddelandena ska tala; ändra dem efter strategins egen uppbyggnad. Reglerna och mallens kolumner följer dem.
2. Strategins vision, nivåer och utmaningar, med texterna ur kommunens dokument: skriv arbetsboken med
   `vetgraph --project MAPP strategy template strategi.xlsx`, fyll i den och läs in den med
   `vetgraph --project MAPP strategy import strategi.xlsx` (skriver `data/strategi-nivaer.ttl`). Bladen är
   profilens nivåer (`vtl:strateginiva`); ändra dem där om strategin är byggd på ett annat sätt.
3. Nämnderna (`vtl:Namnd`, `org:unitOf` kommunen), kommunfullmäktiges mål (`vtl:KFMal`) och
   mandatperioderna (`vtl:Mandatperiod` med `dcat:startDate` och `dcat:endDate`) i en egen fil i `data/`.
4. `data/rus.ttl`: regionens strategiområden, om filen säger att de saknas.
5. Kontrollera med `vetgraph --project MAPP build`; skriv mallen för nämnderna med
   `vetgraph --project MAPP template mall.xlsx`.

Exempel på nämndmål (`data/exempel/namndmal/`) och utfall (`data/exempel/utfall/`) är valfria.
"""
