"""What a stored query's parameters are when not given: taken from the data and the profile, not the query text.

* ``mandatperiod``: the period that holds the day. Each ``vtl:Mandatperiod`` in the reference data
  has a ``dcat:startDate`` and a ``dcat:endDate``; the current one is the period whose dates hold
  today (or the day asked for, e.g. the last day of the year an annual report is about).
* ``kommun``: the municipality whose outcomes are shown, the profile's.

No period or municipality is written into the code; the query files' ``VALUES`` are examples.
"""

from __future__ import annotations

import datetime

from vetgraph.errors import VetgraphError
from vetgraph.followup.queries import Parameter, StoredQuery
from vetgraph.namespaces import SHARED_PREFIXES, Namespaces
from vetgraph.profile import Profile
from vetgraph.store.table import Store

# A stored query's parameters that name the mandate period and the municipality.
PERIOD_PARAMETER = "mandatperiod"
MUNICIPALITY_PARAMETER = "kommun"
DESCRIBED = {PERIOD_PARAMETER: "den som gäller i dag", MUNICIPALITY_PARAMETER: "profilens kommun"}

_PERIODS = f"""PREFIX vtl: <{SHARED_PREFIXES["vtl"]}>
PREFIX dcat: <{SHARED_PREFIXES["dcat"]}>
SELECT ?period ?start ?end WHERE {{ ?period a vtl:Mandatperiod ; dcat:startDate ?start ; dcat:endDate ?end }}"""


def period_on(store: Store, namespaces: Namespaces, day: datetime.date) -> str:
    """The mandate period that holds ``day``, as a prefixed name (``period:2023-2026``), or a one-line error."""
    periods = sorted(
        (str(start)[:10], str(end)[:10], str(period)) for period, start, end in store.select(_PERIODS).rows
    )
    holding = [iri for start, end, iri in periods if start <= day.isoformat() <= end]
    if len(holding) == 1:
        return namespaces.compact(holding[0]).strip("<>")
    known = ", ".join(f"{namespaces.compact(iri)} ({start} – {end})" for start, end, iri in periods) or "none"
    if holding:
        raise VetgraphError(f"{len(holding)} mandate periods hold {day} ({known}): name one with --mandatperiod")
    raise VetgraphError(
        f"no mandate period in the data holds {day}; the data has: {known}. "
        "Add the period (vtl:Mandatperiod with dcat:startDate and dcat:endDate) or name one with --mandatperiod"
    )


def with_defaults(
    query: StoredQuery, values: dict[str, str], store: Store, profile: Profile, day: datetime.date
) -> dict[str, str]:
    """``values`` with the mandate period and municipality the query takes, where not given."""
    names = {parameter.name for parameter in query.parameters}
    given = dict(values)
    if PERIOD_PARAMETER in names and PERIOD_PARAMETER not in given:
        given[PERIOD_PARAMETER] = period_on(store, profile.namespaces, day)
    if MUNICIPALITY_PARAMETER in names and MUNICIPALITY_PARAMETER not in given:
        given[MUNICIPALITY_PARAMETER] = str(profile.municipality)
    return given


def describe_default(parameter: Parameter) -> str:
    """What a parameter is when not given, as ``vetgraph queries`` lists it."""
    if parameter.name in DESCRIBED:
        return DESCRIBED[parameter.name]
    return "alla" if parameter.default.upper() == "UNDEF" else parameter.default
