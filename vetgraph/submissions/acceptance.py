"""``accept``: a conforming submission into the store as a new version; ``history`` and ``diff`` read them back."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from vetgraph import __version__
from vetgraph.errors import NotConformingError, VetgraphError
from vetgraph.namespaces import VTL
from vetgraph.progress import Progress, counted, silent
from vetgraph.rdf import graphs
from vetgraph.store.backends import Backend, open_backend
from vetgraph.store.versions import (
    Provenance,
    Version,
    add_version,
    current_graphs,
    ensure_reference,
    now_utc,
    versions,
)
from vetgraph.validation import Validator
from vetgraph.validation.findings import SubmissionReport


class NotAcceptedError(NotConformingError):
    """The submission does not conform (exit 1); ``report`` says why. Nothing was written."""

    def __init__(self, report: SubmissionReport) -> None:
        super().__init__("the submission does not conform to the rules and was not accepted; the store is unchanged")
        self.report = report


@dataclass
class Accepted:
    version: Version
    report: SubmissionReport
    replaced: Version | None


def accept(
    path: str | Path,
    committee: str,
    *,
    store: str | None = None,
    validator: Validator | None = None,
    progress: Progress = silent,
) -> Accepted:
    """Validate ``path`` as ``committee``'s submission and, if it conforms, make it that committee's current version.

    ``progress`` hears of each step: validating, checking the store, writing the version. Raises :class:`NotAcceptedError` (with the report) if it does not conform, and
    :class:`~vetgraph.errors.VetgraphError` if one of its goals is another
    committee's in the store, or it spans several mandate periods.
    """
    step = counted(progress, "Tar emot", 3)
    validator = validator or Validator()
    committee_iri = validator.committee(committee)
    data = Path(path).read_bytes() if Path(path).is_file() else None
    report = validator.validate_file(path, committee=committee_iri)
    step()
    if not report.conforms:
        raise NotAcceptedError(report)
    assert data is not None  # validate_file raised if the file could not be read
    goals = report.submission
    periods = sorted({str(p) for g in report.goals for p in goals.objects(g, VTL.mandatperiod)})
    if len(periods) != 1:
        raise VetgraphError(
            f"a submission holds the goals of one mandate period, and this one has {len(periods)}: "
            + ", ".join(periods)
            + "; submit each period on its own",
            path=str(path),
        )
    provenance = Provenance(
        source_name=Path(path).name,
        sha256=hashlib.sha256(data).hexdigest(),
        software=f"vetgraph {__version__}",
        accepted=now_utc(),
    )
    # The store's shared graph: the reference data the submission was checked against, and the outcomes
    # fetched from Kolada that the follow-up report shows beside the committees' own.
    shared_files = [*validator.project.reference_files(), *validator.project.outcome_files()]
    reference_digest = hashlib.sha256(b"".join(p.read_bytes() for p in shared_files)).hexdigest()
    base = validator.project.profile.base
    with open_backend(store, write=True) as backend:
        _refuse_goals_of_others(backend, base, report.goals, committee_iri, path)
        step()
        reference = ensure_reference(
            backend,
            base,
            lambda: validator.reference + graphs.read_trusted(validator.project.outcome_files()),
            reference_digest,
        )
        before = [v for v in versions(backend, base, committee_iri) if v.current and str(v.period) == periods[0]]
        version = add_version(
            backend,
            base,
            committee=committee_iri,
            period=URIRef(periods[0]),
            goals=goals,
            report=report.report_graph,
            provenance=provenance,
            reference=reference,
        )
    step()
    return Accepted(version=version, report=report, replaced=before[0] if before else None)


def _refuse_goals_of_others(store: Backend, base: str, goals: list[Node], committee: URIRef, path: str | Path) -> None:
    """A goal IRI is one committee's: another committee's current submission may not hold it too."""
    listed = " ".join(f"<{g}>" for g in goals if isinstance(g, URIRef))
    if not listed or not versions(store, base):
        return  # an empty store: nobody else's goals yet
    table = store.select(
        f"SELECT ?goal ?other WHERE {{ VALUES ?goal {{ {listed} }} ?goal <{VTL.ansvarigNamnd}> ?other "
        f"FILTER(?other != <{committee}>) }} ORDER BY ?goal",
        default_graphs=current_graphs(store, base),
    )
    if table.rows:
        goal, other = table.rows[0]
        more = f" (and {len(table.rows) - 1} more)" if len(table.rows) > 1 else ""
        raise NotConformingError(
            f"the goal <{goal}> is already <{other}>'s in the store{more}; a committee's submission can only "
            "hold its own goals: give the goal an identifier of its own",
            path=str(path),
        )
