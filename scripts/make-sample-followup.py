"""Write the sample follow-up data: measures, outcomes and judgements for every sample goal (issue 10).

SAMPLE DATA. The strategy and the sample goals say nothing about indicators; these
are realistic inventions, marked vtl:dataStatus status:exempel, so that the report's
follow-up sections have something to show. Values are made up by a fixed rule below
(no randomness: the same file every run).

Writes, between the markers in each data/exempel/namndmal/*.ttl, the committee's
measures, own indicators, own outcomes and judgements; and data/exempel/utfall/kolada.ttl,
sample outcomes for the Kolada key figures the samples use, in the form
`vetgraph kolada fetch` writes. Run from the project root:

    python scripts/make-sample-followup.py
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

# Only what was fetched from Kolada says it came from Kolada (vetgraph kolada fetch writes "Källa: Kolada").
NOT_FROM_KOLADA = '"Exempeldata i den form vetgraph kolada fetch skriver; inte hämtad från Kolada"'

ROOT = Path(__file__).resolve().parent.parent
GOALS = ROOT / "data" / "exempel" / "namndmal"
KOLADA = ROOT / "data" / "exempel" / "utfall" / "kolada.ttl"
BEGIN = "# ---------------------------------------------------------------- uppföljning (EXEMPELDATA)"
END = "# ---------------------------------------------------------------- slut på uppföljningen"
ID = "https://data.vetlanda.se/id/"
YEARS = (2022, 2023, 2024, 2025)
COMMITTEES = {
    "bun": ("barn-och-utbildningsnamnden", "Barn- och utbildningsnämnden"),
    "ks": ("kommunstyrelsen", "Kommunstyrelsen"),
    "kfn": ("kultur-och-fritidsnamnden", "Kultur- och fritidsnämnden"),
    "mbn": ("miljo-och-byggnadsnamnden", "Miljö- och byggnadsnämnden"),
    "sn": ("socialnamnden", "Socialnämnden"),
    "tn": ("tekniska-namnden", "Tekniska nämnden"),
}
# Kolada key figures the samples use. The titles are the project's description of each key figure, NOT checked
# against Kolada (there was no network where the samples were made): `vetgraph kolada fetch --kpi ID` gives
# Kolada's own title, description and outcomes.
KOLADA_KPIS = {
    "N15428": "Elever i åk 9 som är behöriga till yrkesprogram, andel (%) (exempel, titeln ej kontrollerad mot Kolada)",
    "N00914": "Invånare 20–64 år som förvärvsarbetar, andel (%) (exempel, titeln ej kontrollerad mot Kolada)",
    "N07403": "Anmälda våldsbrott, antal per 100 000 invånare (exempel, titeln ej kontrollerad mot Kolada)",
    "N31816": "Invånare med ekonomiskt bistånd, andel (%) (exempel, titeln ej kontrollerad mot Kolada)",
}


@dataclass(frozen=True)
class Measure:
    goal: str  # local name of the goal, e.g. "kfn-2023-2026-4"
    indicator: str  # a Kolada id, or the slug of an own indicator
    title: str  # own indicators only
    unit: str
    base: Decimal  # value in 2022, the baseline year
    target: Decimal  # for 2026
    higher_is_better: bool
    trend: Decimal  # change per year; the sign says whether it goes the right way
    by_gender: bool = False
    first_year: int = 2022  # a new measurement: no outcomes before this year

    @property
    def kolada(self) -> bool:
        return self.indicator in KOLADA_KPIS

    @property
    def indicator_iri(self) -> str:
        return f"{ID}indikator/kolada/{self.indicator}" if self.kolada else f"{ID}indikator/{self.indicator}"

    def value(self, year: int, gender: str) -> Decimal:
        offset = {"T": Decimal(0), "K": Decimal("1.5"), "M": Decimal("-1.5")}[gender]
        if not self.higher_is_better:
            offset = -offset
        return (self.base + self.trend * (year - 2022) + offset).quantize(Decimal("0.1"))


D = Decimal
# fmt: off
MEASURES = [
    Measure("bun-2023-2026-1", "N15428", "", "procent", D("82.4"), D("90"), True, D("1.6"), by_gender=True),
    Measure("bun-2023-2026-2", "bun-digital-kompetens", "Elever i åk 9 som klarar skolans test i digital kompetens, andel", "procent", D("71"), D("85"), True, D("3.5")),
    Measure("bun-2023-2026-3", "N00914", "", "procent", D("81.2"), D("83"), True, D("0.5"), by_gender=True),
    Measure("bun-2023-2026-4", "bun-trygghet-elevenkat", "Elever som känner sig trygga i skolan enligt elevenkäten, andel", "procent", D("84"), D("90"), True, D("-0.8"), by_gender=True),
    Measure("bun-2023-2026-5", "bun-matsvinn", "Matsvinn i skolmåltiderna, gram per portion", "gram per portion", D("38"), D("30"), False, D("-3.5")),
    Measure("ks-2023-2026-1", "ks-nya-foretag", "Nyregistrerade företag per 1 000 invånare", "antal per 1 000 invånare", D("6.1"), D("7.5"), True, D("0.3")),
    Measure("ks-2023-2026-2", "N07403", "", "antal per 100 000 invånare", D("910"), D("800"), False, D("-12")),
    Measure("ks-2023-2026-3", "ks-bredband", "Hushåll och företag med tillgång till minst 1 Gbit/s, andel", "procent", D("88"), D("98"), True, D("2.6")),
    Measure("ks-2023-2026-4", "ks-e-tjanster", "Ärenden som inleds digitalt via kommunens e-tjänster, andel", "procent", D("34"), D("45"), True, D("4.5")),
    Measure("ks-2023-2026-5", "ks-personalomsattning", "Personalomsättning bland tillsvidareanställda", "procent", D("11.8"), D("9"), False, D("0.2"), by_gender=True),
    Measure("kfn-2023-2026-1", "kfn-motesplatser-unga", "Öppna mötesplatser för unga utanför centralorten", "antal", D("3"), D("7"), True, D("1"), first_year=2023),
    Measure("kfn-2023-2026-2", "kfn-besokare-evenemang", "Besökare på kommunens evenemang och besöksmål", "tusental besökare", D("142"), D("170"), True, D("7.5")),
    Measure("kfn-2023-2026-3", "kfn-foreningar-nojda", "Föreningar som är nöjda med kommunens stöd, andel", "procent", D("68"), D("70"), True, D("1.2")),
    Measure("kfn-2023-2026-4", "kfn-fysiskt-aktiva", "Invånare 16–84 år som är fysiskt aktiva minst 150 minuter i veckan, andel", "procent", D("61"), D("68"), True, D("0.9"), by_gender=True),
    Measure("kfn-2023-2026-5", "kfn-digital-vagledning", "Deltagare i bibliotekens digitala vägledning", "antal", D("420"), D("900"), True, D("140"), first_year=2025),
    Measure("mbn-2023-2026-1", "mbn-planlagda-bostader", "Bostäder som ryms i gällande detaljplaner men ännu inte byggts", "antal", D("260"), D("400"), True, D("30")),
    Measure("mbn-2023-2026-2", "mbn-handlaggningstid", "Handläggningstid för bygglov, median från komplett ansökan", "dagar", D("34"), D("21"), False, D("-3")),
    Measure("mbn-2023-2026-3", "mbn-klimatanpassade-planer", "Nya detaljplaner med skyfallsanalys, andel", "procent", D("40"), D("100"), True, D("18")),
    Measure("mbn-2023-2026-4", "mbn-tillsyn", "Planerade miljötillsynsbesök som genomförts, andel", "procent", D("78"), D("95"), True, D("-2")),
    Measure("sn-2023-2026-1", "sn-kvarboende", "Invånare 80 år och äldre som bor i ordinärt boende, andel", "procent", D("88.5"), D("90"), True, D("0.4"), by_gender=True),
    Measure("sn-2023-2026-2", "sn-ensamhet", "Invånare 65 år och äldre som ofta känner sig ensamma, andel", "procent", D("14"), D("10"), False, D("-0.6"), by_gender=True),
    Measure("sn-2023-2026-3", "N31816", "", "procent", D("3.9"), D("3"), False, D("0.1")),
    Measure("sn-2023-2026-4", "sn-valfardsteknik", "Hemtjänsttagare med minst en välfärdsteknisk tjänst, andel", "procent", D("22"), D("40"), True, D("7")),
    Measure("sn-2023-2026-5", "sn-tidiga-insatser", "Barn och unga som fått stöd inom 14 dagar efter orosanmälan, andel", "procent", D("64"), D("85"), True, D("3")),
    Measure("tn-2023-2026-1", "tn-fornybart", "Kommunens fordon som drivs med förnybara drivmedel, andel", "procent", D("46"), D("70"), True, D("9")),
    Measure("tn-2023-2026-2", "tn-gang-och-cykel", "Nya gång- och cykelvägar mellan orterna sedan 2022", "kilometer", D("0"), D("12"), True, D("2.4")),
    Measure("tn-2023-2026-3", "tn-reservvatten", "Invånare anslutna till vattenverk med reservvattentäkt, andel", "procent", D("72"), D("100"), True, D("6")),
    Measure("tn-2023-2026-4", "tn-trygga-miljoer", "Invånare som känner sig trygga i kommunens offentliga miljöer, andel", "procent", D("71"), D("78"), True, D("0"), by_gender=True),
]
# fmt: on
OCCASIONS = ((2024, "helar", "2025-02-20T00:00:00"), (2025, "delar", "2025-09-18T00:00:00"))


def status(measure: Measure, year: int) -> tuple[str, str]:
    """The sample judgement for ``year``: its status and a Swedish comment that follows from the outcomes."""
    years = [y for y in YEARS if measure.first_year <= y <= year and not (measure.kolada and y == 2025)]
    if len(years) < 2:
        return (
            "ej-bedomt",
            "Mätningen började i år; det finns ännu inga utfall att jämföra med. Målet bedöms vid nästa uppföljning.",
        )
    first, last = measure.value(years[0], "T"), measure.value(years[-1], "T")
    better = last > first if measure.higher_is_better else last < first
    reached = last >= measure.target if measure.higher_is_better else last <= measure.target
    text = f"Utfallet {years[-1]} är {_sv(last)} {measure.unit} mot målvärdet {_sv(measure.target)} år 2026"
    if reached:
        return "uppfyllt", f"{text}; målvärdet är nått."
    if better:
        return "delvis-uppfyllt", f"{text}; utvecklingen går åt rätt håll men målvärdet är inte nått."
    return "ej-uppfyllt", f"{text}; utvecklingen går inte åt rätt håll. Nämnden ser över sina insatser."


def _sv(value: Decimal) -> str:
    return str(value).replace(".", ",")


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def committee_section(abbr: str) -> str:
    committee, name = COMMITTEES[abbr]
    dataset = f"<{ID}dataset/utfall-{committee}>"
    out = [
        BEGIN,
        "# Hur nämndmålen följs upp: mått (indikator, enhet, basvärde, målvärde, önskad riktning), nämndens egna",
        "# indikatorer och utfall (RDF Data Cube) och bedömningar av måluppfyllelse vid två uppföljningstillfällen.",
        "# Påhittade värden, skapade av scripts/make-sample-followup.py; utfall för Koladas nyckeltal finns i",
        "# data/exempel/utfall/kolada.ttl.",
        "",
        f"{dataset} a qb:DataSet ;",
        f'    dcterms:title "{name}s egna utfall (exempeldata)"@sv ;',
        "    qb:structure vtl:utfallsstruktur ;",
        "    vtl:dataStatus status:exempel .",
        "",
    ]
    for measure in (m for m in MEASURES if m.goal.startswith(abbr + "-")):
        iri = f"<{ID}matt/{measure.goal}-1>"
        out += [
            f"nm:{measure.goal} vtl:matt {iri} .",
            "",
            f"{iri} a vtl:Matt ;",
            f"    vtl:indikator <{measure.indicator_iri}> ;",
            f"    vtl:enhet {_literal(measure.unit)} ;",
            f"    vtl:basar {measure.first_year} ;",
            f"    vtl:basvarde {measure.value(measure.first_year, 'T')} ;",
            f"    vtl:malvarde {measure.target:.1f} ;",
            "    vtl:malar 2026 ;",
            f"    vtl:onskadRiktning battre:{'hogre' if measure.higher_is_better else 'lagre'} ;",
            "    vtl:dataStatus status:exempel .",
            "",
        ]
        if not measure.kolada:
            out += [
                f"<{measure.indicator_iri}> a vtl:Indikator ;",
                f"    dcterms:identifier {_literal(measure.indicator)} ;",
                f"    dcterms:title {_literal(measure.title)}@sv ;",
                "    vtl:dataStatus status:exempel .",
                "",
            ]
            out += observations(measure, dataset, f'"{name}s egen mätning (exempeldata)"')
        for year, occasion, when in OCCASIONS:
            state, comment = status(measure, year)
            out += [
                f"<{ID}bedomning/{measure.goal}/{year}-{occasion}> a vtl:Bedomning ;",
                f"    vtl:avserMal nm:{measure.goal} ;",
                f"    vtl:uppfoljningstillfalle tillfalle:{occasion} ;",
                f"    vtl:ar {year} ;",
                f"    vtl:maluppfyllelse uppfyllelse:{state} ;",
                f"    rdfs:comment {_literal(comment)}@sv ;",
                f"    prov:wasAttributedTo namnd:{committee} ;",
                f'    prov:generatedAtTime "{when}"^^xsd:dateTime ;',
                "    vtl:dataStatus status:exempel .",
                "",
            ]
    out.append(END)
    return "\n".join(out) + "\n"


def observations(measure: Measure, dataset: str, source: str) -> list[str]:
    out = []
    for year in YEARS:
        if year < measure.first_year or (year == 2025 and measure.kolada):  # Kolada publishes a year later
            continue  # (status() leaves the same years out)
        for gender in ("T", "K", "M") if measure.by_gender else ("T",):
            out += [
                f"<{ID}utfall/{measure.indicator}/0685/{year}/{gender}> a qb:Observation ;",
                f"    qb:dataSet {dataset} ;",
                f"    vtl:indikator <{measure.indicator_iri}> ;",
                "    vtl:kommun kommun:0685 ;",
                f"    vtl:ar {year} ;",
                f"    vtl:kon kon:{gender} ;",
                f"    vtl:varde {measure.value(year, gender)} ;",
                f"    dcterms:source {source} ;",
                "    vtl:dataStatus status:exempel .",
                "",
            ]
    return out


PREFIXES = """@prefix qb:      <http://purl.org/linked-data/cube#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix battre:  <https://data.vetlanda.se/kod/onskad-riktning/> .
@prefix tillfalle: <https://data.vetlanda.se/kod/uppfoljningstillfalle/> .
@prefix uppfyllelse: <https://data.vetlanda.se/kod/maluppfyllelse/> .
@prefix kon:     <https://data.vetlanda.se/kod/kon/> .
@prefix kommun:  <https://data.vetlanda.se/id/kommun/> .
"""


def write_committee(path: Path, abbr: str) -> None:
    text = path.read_text(encoding="utf-8")
    if BEGIN in text:
        text = text[: text.index(BEGIN)].rstrip("\n") + "\n"
    for line in PREFIXES.splitlines():
        if line not in text:
            last = text.rindex("@prefix")
            end = text.index("\n", last) + 1
            text = text[:end] + line + "\n" + text[end:]
    path.write_text(text + "\n" + committee_section(abbr), encoding="utf-8")


def write_kolada() -> None:
    dataset = f"<{ID}dataset/kolada>"
    out = [
        "@prefix vtl:     <https://data.vetlanda.se/def/> .",
        "@prefix status:  <https://data.vetlanda.se/kod/datastatus/> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
        PREFIXES.rstrip("\n"),
        "",
        "# SAMPLE DATA (vtl:dataStatus status:exempel): outcomes for the Kolada key figures the sample goals use, in",
        "# the form `vetgraph kolada fetch` writes. The values are made up by scripts/make-sample-followup.py and the",
        "# titles are the project's description, not checked against Kolada. Replace this file with a real fetch:",
        "#   vetgraph kolada fetch --kpi "
        + " ".join(KOLADA_KPIS)
        + " --years 2022-2025 --out data/exempel/utfall/kolada.ttl",
        "",
        f"{dataset} a qb:DataSet ;",
        '    dcterms:title "Utfall från Kolada (exempeldata)"@sv ;',
        f"    dcterms:source {NOT_FROM_KOLADA} ;",
        "    qb:structure vtl:utfallsstruktur ;",
        "    vtl:dataStatus status:exempel .",
        "",
    ]
    for kpi, title in KOLADA_KPIS.items():
        out += [
            f"<{ID}indikator/kolada/{kpi}> a vtl:Indikator ;",
            f'    skos:notation "{kpi}" ;',
            f'    dcterms:identifier "{kpi}" ;',
            f"    dcterms:title {_literal(title)}@sv ;",
            f"    dcterms:source <https://www.kolada.se/verktyg/fri-sokning/?kpis={kpi}> ;",
            "    vtl:dataStatus status:exempel .",
            "",
        ]
    for measure in (m for m in MEASURES if m.kolada):
        out += observations(measure, dataset, NOT_FROM_KOLADA)
    KOLADA.parent.mkdir(parents=True, exist_ok=True)
    KOLADA.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    for abbr, (committee, _name) in COMMITTEES.items():
        write_committee(GOALS / f"{committee}.ttl", abbr)
    write_kolada()


if __name__ == "__main__":
    main()
