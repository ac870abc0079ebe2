"""``/inlamning`` in ``vetgraph serve``: a secretary uploads a filled template or an RDF file and reads its report.

Nothing is stored: the upload is written to a temporary folder only because the
spreadsheet reader reads files, validated like ``vetgraph validate``, and
removed. The page works without JavaScript and loads nothing from elsewhere.
The form is read by the web application (:mod:`vetgraph.publishing.web`);
the validation runs in a child process there, so that it can be stopped.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

from rdflib import RDF
from rdflib.term import Node

from vetgraph import __version__
from vetgraph.errors import VetgraphError
from vetgraph.html import render
from vetgraph.labels import display_name, natural_order
from vetgraph.namespaces import VTL
from vetgraph.rdf.formats import READ_EXTENSIONS
from vetgraph.rdf.graphs import MAX_INPUT_BYTES
from vetgraph.submissions import OTHER_SPREADSHEET_SUFFIXES, SPREADSHEET_SUFFIXES
from vetgraph.validation import Validator
from vetgraph.validation.findings import Finding, SubmissionReport
from vetgraph.validation.reports import Labeller, counted, finding_lines, group_findings

ACCEPTED_SUFFIXES = (*SPREADSHEET_SUFFIXES, *READ_EXTENSIONS)
SEVERITY_WORDS = {"Violation": "Fel", "Warning": "Varning", "Info": "Förslag"}
# A file name longer than this is refused, not echoed (file systems allow 255 bytes).
MAX_FILENAME_CHARACTERS = 255
# What to do when a check runs past its time limit.
TOO_SLOW_ADVICE = "Dela upp filen i mindre delar, eller kontrollera den med vetgraph validate på din egen dator."


class UploadError(Exception):
    """An upload that cannot be checked, with a Swedish reason for the page (and its HTTP status: a file that
    cannot be checked is an answer like any other, a form that cannot be read is a bad request)."""

    def __init__(self, reason: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        super().__init__(reason)
        self.status = status


@dataclass
class GoalView:
    heading: str
    where: str
    findings: list[dict[str, object]] = field(default_factory=list)


@dataclass
class ReportView:
    file: str
    conforms: bool
    summary: str
    goals: list[GoalView]
    others: list[dict[str, object]]


class UploadDesk:
    """The upload page's work: the template to download, and checking an upload. One validator, made at once.

    Checks run in forked children (:mod:`vetgraph.publishing.web`), so nothing
    a check uses may be behind a lock another thread could hold at the fork:
    the validator is made before the server starts, never lazily.
    """

    max_megabytes = MAX_INPUT_BYTES // (1024 * 1024)

    def __init__(self) -> None:
        self.validator = Validator()
        self._template_lock = threading.Lock()
        self._template: bytes | None = None

    def template(self) -> bytes:
        """The template (``vetgraph template``), made once."""
        from vetgraph.submissions.workflow import make_template

        with self._template_lock:
            if self._template is None:
                with tempfile.TemporaryDirectory(prefix="vetgraph-mall-") as folder:
                    self._template = make_template(Path(folder) / "mall.xlsx").read_bytes()
            return self._template

    def committees(self) -> list[tuple[str, str]]:
        reference = self.validator.reference
        found = [
            (str(c).rsplit("/", 1)[-1], display_name(reference, c)) for c in reference.subjects(RDF.type, VTL.Namnd)
        ]
        return sorted(found, key=lambda pair: pair[1])

    def page(self, *, report: ReportView | None = None, error: str | None = None) -> str:
        return render(
            "inlamning.html.j2",
            version=__version__,
            root="",
            page_title="Lämna in nämndmål",
            strategy=self.validator.project.profile.title,
            committees=self.committees(),
            accepted=", ".join(ACCEPTED_SUFFIXES),
            max_megabytes=self.max_megabytes,
            report=report,
            error=error,
        )

    def prepare(
        self, folder: Path, filename: str, data: bytes, committee: str | None
    ) -> Callable[[], ReportView | str]:
        """The check of an uploaded file, to be run where it can be stopped: its report, or why it cannot be read.

        The file is written into ``folder`` at once (the caller removes the folder: a
        stopped check cannot); what can be told at once (the file's type and size)
        raises UploadError here.
        """
        suffix = Path(filename).suffix.lower()
        if suffix in OTHER_SPREADSHEET_SUFFIXES:
            raise UploadError(f"Filer av typen {suffix} går inte att läsa. Spara filen som Excel-arbetsbok (.xlsx).")
        if suffix not in ACCEPTED_SUFFIXES:
            raise UploadError(
                f"Välj en ifylld mall (.xlsx eller .csv) eller en RDF-fil ({', '.join(READ_EXTENSIONS)})."
            )
        if len(data) > MAX_INPUT_BYTES:
            raise UploadError(f"Filen är större än {self.max_megabytes} MB.")
        validator = self.validator
        path = folder / f"inlamning{suffix}"
        path.write_bytes(data)

        def check() -> ReportView | str:
            try:
                submitter = validator.committee(committee) if committee else None
                report = validator.validate_file(path, committee=submitter)
            except VetgraphError as error:  # its place in the file, without the temporary folder's name
                where = f"rad {error.line}: " if error.line else ""
                return f"Filen gick inte att läsa: {where}{error.sv or error.message}"
            return _view(report, filename, validator)

        return check


def _view(report: SubmissionReport, filename: str, validator: Validator) -> ReportView:
    labeller = Labeller(validator.reference, report.submission, report.shapes)
    by_goal, others = group_findings(report)
    goals = []
    # In the order of the sheet's rows where the goals came from a spreadsheet, else by IRI.
    for goal in sorted(report.goals, key=lambda g: natural_order(report.locations.get(g, ""))):
        title = labeller.label(goal, "sv")
        goals.append(
            GoalView(
                heading=title or labeller.iri(goal),
                where=report.locations.get(goal, labeller.iri(goal) if title else ""),
                findings=[
                    _finding(f, labeller, goal, report.locations.get(f.focus, "")) for f in by_goal.get(goal, [])
                ],
            )
        )
    own_goals = set(report.goals)
    if any(focus not in own_goals for focus in by_goal):  # "no goals in the file"
        goals.append(
            GoalView(
                "Filen som helhet",
                "",
                [_finding(f, labeller) for focus, fs in by_goal.items() if focus not in own_goals for f in fs],
            )
        )
    words = counted(
        "sv", goals=len(report.goals), violations=report.count("Violation"), warnings=report.count("Warning")
    )
    summary = (
        "{goals}, uppfyller kraven ({warnings}).".format(**words)
        if report.conforms
        else "{goals}, uppfyller INTE kraven: {violations}, {warnings}.".format(**words)
    )
    return ReportView(filename, report.conforms, summary, goals, [_finding(f, labeller) for f in others])


def _finding(finding: Finding, labeller: Labeller, goal: Node | None = None, where: str = "") -> dict[str, object]:
    head, *rest = finding_lines(finding, labeller, "sv")
    lines = [line.strip() for line in rest]
    if goal is not None and finding.focus != goal:  # about the goal's measure, outcome or judgement: which, and where
        lines.append(f"gäller {labeller.named(finding.focus, 'sv')}" + (f" ({where})" if where else ""))
    return {
        "severity": finding.severity.lower(),
        "word": SEVERITY_WORDS.get(finding.severity, finding.severity),
        "head": head.split(" ", 1)[1] if " " in head else head,  # without the FEL/VARNING the badge shows
        "lines": lines,
    }
