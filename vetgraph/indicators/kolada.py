"""Kolada's API v3: key figures (KPIs) and their outcomes for a municipality, as RDF Data Cube observations.

The one module that talks to Kolada. The API's shapes come from public client
code (RKA publishes no schema for v3): ``GET {base}/kpi/{id}`` answers
``{"values": [{"id", "title", "description", "is_divided_by_gender"}]}``, and
``GET {base}/data/kpi/{ids}/municipality/{ids}/year/{years}?per_page=5000``
answers ``{"values": [{"kpi", "municipality", "period", "values": [{"gender",
"value", "status", "count"}]}], "next_url": …}``. Anything else is an error that
names the field, never a crash.

Kolada is outside vetgraph's control, so: each request has a deadline (the whole
answer, however slowly it comes), an answer is read up to ``MAX_RESPONSE_BYTES``,
``next_url`` is followed only on Kolada's own host (an answer never sends
vetgraph elsewhere), at most ``MAX_PAGES`` pages, at most 25 KPI ids per request.
Missing values (``null``) stay missing: no observation is made for them.
Every observation says "Källa: Kolada" and when it was fetched, as Kolada's
terms of use ask.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from vetgraph.errors import VetgraphError
from vetgraph.namespaces import CODES, OUTCOME_STRUCTURE, QB, VTL, Namespaces
from vetgraph.progress import Progress, silent
from vetgraph.rdf.safety import unsafe_character
from vetgraph.remote import Deadline, TooLarge, read_within

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
DEFAULT_TIMEOUT = 30.0
MAX_RESPONSE_BYTES = 50 * 1024 * 1024
MAX_PAGES = 1000
# A key figure's title or description: Kolada's are a line or a paragraph.
MAX_TEXT = 10_000
IDS_PER_REQUEST = 25
PER_PAGE = 5000
KPI_ID = re.compile(r"^[NU]\d{5}$")
MUNICIPALITY_ID = re.compile(r"^\d{4}$")
GENDERS = {"T": ("Totalt", "Total"), "K": ("Kvinnor", "Women"), "M": ("Män", "Men")}


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str
    divided_by_gender: bool


@dataclass(frozen=True)
class Outcome:
    kpi: str
    municipality: str
    year: int
    gender: str
    value: Decimal


@dataclass
class Fetched:
    kpis: list[Kpi]
    outcomes: list[Outcome]
    missing: int  # values Kolada has as null: left out
    fetched: datetime
    requests: int = 0
    base_url: str = DEFAULT_BASE_URL
    pages: list[str] = field(default_factory=list)


def parse_years(text: str) -> list[int]:
    """``2019-2025``, ``2023`` or ``2019,2021`` as years."""
    years: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise VetgraphError(f"--years {text}: write years as 2019-2025, 2023 or 2019,2021")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first or last - first > 100:
            raise VetgraphError(f"--years {text}: a range goes from an earlier to a later year")
        years.extend(range(first, last + 1))
    return sorted(set(years))


def fetch(
    kpis: list[str],
    *,
    municipality: str,
    years: list[int],
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress = silent,
) -> Fetched:
    """The KPIs' descriptions and their outcomes for ``municipality`` in ``years``, from Kolada.

    ``progress`` hears of each request answered (how many there will be is known only at the end).
    """
    for kpi in kpis:
        if not KPI_ID.match(kpi):
            raise VetgraphError(f"--kpi {kpi}: a Kolada key figure's id is N or U and five digits, e.g. N00914")
    if not MUNICIPALITY_ID.match(municipality):
        raise VetgraphError(
            f"--municipality {municipality}: a municipality's id is its kommunkod, four digits, e.g. 0180"
        )
    base = _checked_base(base_url)
    client = _Client(base, timeout, lambda requests: progress("Frågor till Kolada", requests, None))
    described = [_kpi(client.get_json(f"{base}/kpi/{kpi}"), kpi) for kpi in dict.fromkeys(kpis)]
    outcomes: list[Outcome] = []
    missing = 0
    unique = list(dict.fromkeys(kpis))
    for start in range(0, len(unique), IDS_PER_REQUEST):
        ids = ",".join(unique[start : start + IDS_PER_REQUEST])
        url: str | None = (
            f"{base}/data/kpi/{ids}/municipality/{municipality}/year/{','.join(map(str, years))}?per_page={PER_PAGE}"
        )
        pages = 0
        while url:
            pages += 1
            if pages > MAX_PAGES:
                raise VetgraphError(f"Kolada sent more than {MAX_PAGES} pages; vetgraph stopped", path=base)
            document = client.get_json(url)
            found, left_out = _outcomes(document, url, set(unique), municipality)
            outcomes.extend(found)
            missing += left_out
            url = _next_url(document, base, url)
    progress("Frågor till Kolada", client.requests, client.requests)
    return Fetched(described, outcomes, missing, datetime.now(UTC).replace(microsecond=0), client.requests, base)


def to_graph(fetched: Fetched, namespaces: Namespaces) -> Graph:
    """The outcomes as RDF Data Cube observations, with the KPIs they measure, under the municipality's ``namespaces``."""
    ids = namespaces.id
    graph = namespaces.bind(Graph())
    dataset = ids["dataset/kolada"]
    when = Literal(fetched.fetched.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    graph.add((dataset, RDF.type, QB.DataSet))
    graph.add((dataset, QB.structure, OUTCOME_STRUCTURE))
    graph.add((dataset, DCTERMS.title, Literal("Utfall från Kolada", lang="sv")))
    graph.add((dataset, DCTERMS.source, Literal("Källa: Kolada")))
    graph.add((dataset, DCTERMS.publisher, URIRef("https://www.rka.nu/")))
    graph.add((dataset, PROV.generatedAtTime, when))
    graph.add((dataset, PROV.wasDerivedFrom, URIRef(fetched.base_url)))
    for kpi in fetched.kpis:
        node = ids[f"indikator/kolada/{kpi.id}"]
        graph.add((node, RDF.type, VTL.Indikator))
        graph.add((node, SKOS.notation, Literal(kpi.id)))
        graph.add((node, DCTERMS.identifier, Literal(kpi.id)))
        graph.add((node, DCTERMS.title, Literal(kpi.title, lang="sv")))
        if kpi.description:
            graph.add((node, DCTERMS.description, Literal(kpi.description, lang="sv")))
        graph.add((node, DCTERMS.source, URIRef(f"https://www.kolada.se/verktyg/fri-sokning/?kpis={kpi.id}")))
    for code, (sv, en) in GENDERS.items():
        graph.add((CODES[f"kon/{code}"], RDF.type, SKOS.Concept))
        graph.add((CODES[f"kon/{code}"], SKOS.notation, Literal(code)))
        graph.add((CODES[f"kon/{code}"], SKOS.prefLabel, Literal(sv, lang="sv")))
        graph.add((CODES[f"kon/{code}"], SKOS.prefLabel, Literal(en, lang="en")))
    for outcome in fetched.outcomes:
        node = ids[f"utfall/{outcome.kpi}/{outcome.municipality}/{outcome.year}/{outcome.gender}"]
        graph.add((node, RDF.type, QB.Observation))
        graph.add((node, QB.dataSet, dataset))
        graph.add((node, VTL.indikator, ids[f"indikator/kolada/{outcome.kpi}"]))
        graph.add((node, VTL.kommun, ids[f"kommun/{outcome.municipality}"]))
        graph.add((node, VTL.ar, Literal(outcome.year)))
        graph.add((node, VTL.kon, CODES[f"kon/{outcome.gender}"]))
        graph.add((node, VTL.varde, Literal(outcome.value)))
        graph.add((node, DCTERMS.source, Literal("Källa: Kolada")))
        graph.add((node, PROV.generatedAtTime, when))
    return graph


# ----------------------------------------------------------------- the answers, checked


def _kpi(document: Any, kpi: str) -> Kpi:
    values = _field(document, "values", list, f"/kpi/{kpi}")
    entry = next((v for v in values if isinstance(v, dict) and v.get("id") == kpi), None)
    if entry is None:
        raise VetgraphError(f"Kolada has no key figure {kpi} (its answer to /kpi/{kpi} does not list it)")
    title = _field(entry, "title", str, f"/kpi/{kpi}: values[0]")
    description = entry.get("description") or ""
    divided = entry.get("is_divided_by_gender", False)
    if not isinstance(description, str) or not isinstance(divided, bool | int):
        raise VetgraphError(f"Kolada's answer to /kpi/{kpi} is not as expected: description or is_divided_by_gender")
    for name, text in (("title", title), ("description", description)):
        character = unsafe_character(text)
        if character is not None:  # the one check on text from input: nothing a terminal would obey gets in
            raise VetgraphError(
                f"Kolada's answer to /kpi/{kpi} is not as expected: its {name} has the control character "
                f"U+{ord(character):04X}"
            )
        if len(text) > MAX_TEXT:
            raise VetgraphError(
                f"Kolada's answer to /kpi/{kpi} is not as expected: its {name} is over {MAX_TEXT} characters"
            )
    return Kpi(kpi, title.strip(), description.strip(), bool(divided))


def _outcomes(document: Any, url: str, kpis: set[str], municipality_asked: str) -> tuple[list[Outcome], int]:
    """The outcomes in one answer; each must be of a key figure and the municipality asked for (their ids go
    into IRIs: an answer's own id, megabytes long or breaking the IRI, is never used)."""
    where = _path_of(url)
    found: list[Outcome] = []
    missing = 0
    for i, entry in enumerate(_field(document, "values", list, where)):
        place = f"{where}: values[{i}]"
        kpi = _field(entry, "kpi", str, place)
        municipality = _field(entry, "municipality", str, place)
        period = _field(entry, "period", int, place)
        if kpi not in kpis or municipality != municipality_asked:
            raise VetgraphError(
                f"Kolada's answer is not as expected: {place} is of key figure {kpi[:20]!r} and municipality "
                f"{municipality[:20]!r}, which vetgraph did not ask for"
            )
        if not 1900 <= period <= 2200:
            raise VetgraphError(f"Kolada's answer is not as expected: {place}.period is {period}, not a year")
        for j, value in enumerate(_field(entry, "values", list, place)):
            inner = f"{place}.values[{j}]"
            gender = _field(value, "gender", str, inner)
            if gender not in GENDERS:
                raise VetgraphError(f"Kolada's answer is not as expected: {inner}.gender is '{gender}', not T, K or M")
            number = _field(value, "value", (int, float, type(None)), inner)
            if number is None:
                missing += 1
                continue
            try:
                amount = Decimal(str(number))
            except InvalidOperation:
                raise VetgraphError(f"Kolada's answer is not as expected: {inner}.value is not a number") from None
            if not amount.is_finite():  # JSON's NaN and Infinity, which Python reads: no xsd:decimal has them
                raise VetgraphError(f"Kolada's answer is not as expected: {inner}.value is {number}, not a number")
            found.append(Outcome(kpi, municipality, period, gender, amount))
    return found, missing


def _field(document: Any, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(document, dict):
        raise VetgraphError(f"Kolada's answer is not as expected: {where} is not a JSON object")
    if name not in document:
        raise VetgraphError(f"Kolada's answer is not as expected: {where} has no field '{name}'")
    value = document[name]
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise VetgraphError(f"Kolada's answer is not as expected: {where}.{name} is {type(value).__name__}")
    return value


def _next_url(document: dict[str, Any], base: str, current: str) -> str | None:
    link = document.get("next_url")
    if link in (None, ""):
        return None
    if not isinstance(link, str):
        raise VetgraphError("Kolada's answer is not as expected: next_url is not text")
    target, own = urllib.parse.urlsplit(urllib.parse.urljoin(current, link)), urllib.parse.urlsplit(base)
    if (target.scheme, target.netloc) != (own.scheme, own.netloc):
        raise VetgraphError(
            f"Kolada's next_url points to another host ({target.netloc}); vetgraph follows only {own.netloc}"
        )
    return target.geturl()


def _checked_base(base_url: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise VetgraphError(f"--base-url must be an http:// or https:// URL, not '{base_url}'")
    return base_url.rstrip("/")


def _path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def _timed_out(error: OSError) -> bool:
    return isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)


class _Client:
    """GET requests with a deadline for the whole answer and a cap on its size."""

    def __init__(self, base: str, timeout: float, answered: Callable[[int], None]) -> None:
        self.base = base
        self.timeout = timeout
        self.requests = 0
        self.answered = answered

    def get_json(self, url: str) -> Any:
        self.requests += 1
        where = _path_of(url)
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "vetgraph"})
        try:
            _, body = read_within(
                lambda: urllib.request.urlopen(request, timeout=self.timeout),
                timeout=self.timeout,
                max_bytes=MAX_RESPONSE_BYTES,
            )
        except Deadline:
            raise VetgraphError(
                f"Kolada did not answer {where} within {self.timeout:g} s (--timeout)", path=self.base
            ) from None
        except TooLarge:
            raise VetgraphError(
                f"Kolada's answer to {where} is over {MAX_RESPONSE_BYTES // 2**20} MB", path=self.base
            ) from None
        except urllib.error.HTTPError as error:
            hint = " (too many requests: wait a while and try again)" if error.code == 429 else ""
            raise VetgraphError(f"Kolada answered {where} with HTTP {error.code}{hint}", path=self.base) from None
        except OSError as error:
            if _timed_out(error):  # the socket's own timeout can fire a moment before the deadline
                raise VetgraphError(
                    f"Kolada did not answer {where} within {self.timeout:g} s (--timeout)", path=self.base
                ) from None
            raise VetgraphError(
                f"Kolada could not be reached ({getattr(error, 'reason', error)})", path=self.base
            ) from None
        except (http.client.HTTPException, ValueError) as error:  # e.g. BadStatusLine: not HTTP at all
            raise VetgraphError(
                f"Kolada's answer to {where} could not be read ({type(error).__name__})", path=self.base
            ) from None
        self.answered(self.requests)
        try:
            return json.loads(body.decode("utf-8"))
        except RecursionError:  # nested deeper than Python's stack: no answer of Kolada's looks like that
            raise VetgraphError(
                f"Kolada's answer to {where} is nested far too deep; vetgraph refuses it", path=self.base
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise VetgraphError(f"Kolada's answer to {where} is not JSON", path=self.base) from None
