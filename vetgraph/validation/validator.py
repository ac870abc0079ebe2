"""Validate committee submissions against the shapes, the ontology and the reference data.

This is the one module that talks to pySHACL. Submissions are checked by
vetgraph's own evaluator of SHACL Core (:mod:`vetgraph.shacl`) when the shapes
stay within what it implements, because importing pySHACL alone takes longer
than a whole validation should; pySHACL checks everything else (the reference
data, and any shape the evaluator does not support), and the tests check that
both give the same results. It works on rdflib graphs that
:mod:`vetgraph.graphs` has parsed, never on file names, and it never runs
inference: an ``rdfs:range`` would make a wrongly linked KF-mål pass as a
delstrategi, and a submission's own ``rdfs:subPropertyOf`` or ``owl:sameAs``
could satisfy a missing link.

A submission is data about its own nämndmål. Before the shapes see it, every
triple about anything else (the ontology, the reference data, the shapes, or a
resource that is not a nämndmål) is taken out and reported. Such triples are
never obeyed: they cannot switch a shape off, relabel a delstrategi or add a
subclass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph.errors import EXIT_INPUT_ERROR, EXIT_NOT_CONFORMING, EXIT_OK, VetgraphError
from vetgraph.namespaces import ID, ONTOLOGY_IRI, SDG, SHAPES, VTL
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.validation.engine import Result, ShapesEvaluator, Unsupported

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
# Findings that do not stop a submission from conforming; a custom severity (any other IRI) does.
ALLOWED_SEVERITIES = ("Warning", "Info")

# Properties only a nämndmål has; a subject using one is treated as a goal even if it
# forgot its type (the shapes target these too, so the missing type is reported).
GOAL_PROPERTIES = (VTL.ansvarigNamnd, VTL.delstrategi, VTL.kfMal, VTL.strategiomrade, VTL.agenda2030)

SCOPE_SHAPE = SHAPES["Inlamning"]
SCOPE_REFERENCE = SHAPES["Inlamning-referensdata"]
SCOPE_NOT_A_GOAL = SHAPES["Inlamning-inte-namndmal"]
SCOPE_NO_GOALS = SHAPES["Inlamning-inga-namndmal"]
SCOPE_OTHER_COMMITTEE = SHAPES["Inlamning-annan-namnd"]

# Namespaces a submission may not make statements about, even for IRIs the
# reference data does not mention (e.g. a new vtl: class or a new sdg: goal).
PROTECTED_NAMESPACES = (
    ONTOLOGY_IRI,
    str(SHAPES),
    str(SDG),
    "http://www.w3.org/",
    "http://purl.org/dc/",
    "http://xmlns.com/foaf/",
)


@dataclass(frozen=True)
class Finding:
    """One result of a validation: what is wrong with which goal, and how to fix it."""

    focus: Node
    severity: str  # "Violation", "Warning" or "Info"; the full IRI of a custom severity
    path: Node | None
    value: Node | None
    messages: dict[str, str]  # language tag -> message
    source_shape: Node
    constraint: Node  # the SHACL constraint component, or for scope findings the scope rule

    @property
    def rule(self) -> str:
        """The name of the rule broken: the shape's local name, or for scope findings the scope rule's."""
        node = self.constraint if self.source_shape == SCOPE_SHAPE else self.source_shape
        return str(node).removeprefix(str(SHAPES))

    def message(self, lang: str) -> str:
        return self.messages.get(lang) or self.messages.get("en") or next(iter(self.messages.values()), "")


@dataclass
class SubmissionReport:
    """The validation of one submission.

    ``report_graph`` (the standard SHACL validation report) is built from the
    findings when first asked for: only ``--format turtle`` needs it, and for a
    submission with many findings it costs more than the validation.
    """

    source: str
    goals: list[Node]
    findings: list[Finding] = field(default_factory=list)
    submission: Graph = field(default_factory=Graph)
    shapes: Graph = field(default_factory=Graph)
    engine: str = "vetgraph"  # the SHACL engine that checked it: "vetgraph" or "pyshacl"
    # vetgraph validate counts a submission with warnings as conforming (sh:conforms true in its
    # report, as pySHACL's allow_warnings); vetgraph shacl follows the SHACL spec: any result is false.
    warnings_conform: bool = True
    _report_graph: Graph | None = None

    @property
    def report_graph(self) -> Graph:
        if self._report_graph is None:
            self._report_graph = _report_graph(self.findings, self.shapes, warnings_conform=self.warnings_conform)
        return self._report_graph

    @property
    def conforms(self) -> bool:
        return all(f.severity in ALLOWED_SEVERITIES for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass
class ValidationRun:
    """The outcome of validating several files: a report per readable file, an error per unreadable one."""

    reports: list[SubmissionReport] = field(default_factory=list)
    errors: list[VetgraphError] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.errors and all(report.conforms for report in self.reports)

    @property
    def exit_code(self) -> int:
        if self.errors:
            return EXIT_INPUT_ERROR
        return EXIT_OK if self.conforms else EXIT_NOT_CONFORMING


class Validator:
    """Validates submissions; loads the ontology, reference data and shapes once.

    ``engine`` is ``"auto"`` (vetgraph's evaluator if the shapes allow, else pySHACL),
    ``"vetgraph"`` or ``"pyshacl"``.
    """

    def __init__(self, project: Project | None = None, *, engine: str = "auto") -> None:
        if engine not in ("auto", "vetgraph", "pyshacl"):
            raise VetgraphError(f"unknown validation engine '{engine}'; use auto, vetgraph or pyshacl")
        self.project = project or default_project()
        self.reference = graphs.read_trusted(self.project.reference_files())
        self.shapes = graphs.read_trusted([self.project.submission_shapes])
        self._reference_for_shapes = _triples_the_shapes_can_see(self.reference, self.shapes)
        self._protected_subjects = {
            s for graph in (self.reference, self.shapes) for s in graph.subjects() if isinstance(s, URIRef)
        }
        self._scope_messages = _messages(self.shapes, SCOPE_SHAPE)
        self._evaluator: ShapesEvaluator | None = None
        if engine != "pyshacl":
            try:
                self._evaluator = ShapesEvaluator(self.shapes)
            except Unsupported as error:
                if engine == "vetgraph":
                    raise VetgraphError(f"vetgraph's SHACL evaluator does not support {error}") from None
        self.engine = "vetgraph" if self._evaluator is not None else "pyshacl"

    def committee(self, name: str) -> URIRef:
        """The committee IRI for ``name``: a full IRI, ``namnd:slug`` or the slug alone."""
        namespace = str(ID) + "namnd/"
        iri = URIRef(name if "://" in name else namespace + name.removeprefix("namnd:"))
        if (iri, RDF.type, VTL.Namnd) not in self.reference:
            known = ", ".join(
                sorted(str(c).removeprefix(namespace) for c in self.reference.subjects(RDF.type, VTL.Namnd))
            )
            raise VetgraphError(f"unknown committee '{name}'; the reference data has: {known}")
        return iri

    def validate_file(
        self, path: str | Path, *, rdf_format: str | None = None, committee: URIRef | None = None
    ) -> SubmissionReport:
        """Read and validate one file; raises :class:`~vetgraph.errors.VetgraphError` if it cannot be read."""
        return self.validate_graph(graphs.read_rdf(path, rdf_format=rdf_format), source=str(path), committee=committee)

    def validate_graph(
        self, submission: Graph, *, source: str = "<graph>", committee: URIRef | None = None
    ) -> SubmissionReport:
        """Validate one submission. With ``committee``, every goal must be that committee's own."""
        goals = self._goals(submission)
        kept, scope_findings = self._split_scope(submission, set(goals))
        if committee is not None:
            scope_findings.extend(self._claimed_for_others(submission, goals, committee))
        if not goals:
            scope_findings.append(self._scope_finding(SCOPE_NO_GOALS, BNode(), RDF.type, VTL.Namndmal))
        data = Graph()
        for triple in self._reference_for_shapes:
            data.add(triple)
        for triple in kept:
            data.add(triple)
        report_graph = None
        if self._evaluator is not None:
            findings = [_finding(result) for result in self._evaluator.validate(data)] + scope_findings
        else:
            report_graph = _run_pyshacl(data, self.shapes, inplace=True)
            findings = _findings_from_report(report_graph) + scope_findings
            _add_results(report_graph, scope_findings, self.shapes)
        findings.sort(key=lambda f: (str(f.focus), f.severity != "Violation", str(f.path), str(f.value)))
        return SubmissionReport(
            source=source,
            goals=goals,
            findings=findings,
            submission=submission,
            shapes=self.shapes,
            engine=self.engine,
            _report_graph=report_graph,
        )

    def validate_files(
        self, paths: Iterable[str | Path], *, rdf_format: str | None = None, committee: URIRef | None = None
    ) -> ValidationRun:
        """Validate each file on its own; a file that cannot be read is recorded, not raised."""
        run = ValidationRun()
        for path in paths:
            try:
                run.reports.append(self.validate_file(path, rdf_format=rdf_format, committee=committee))
            except VetgraphError as error:
                run.errors.append(error)
        return run

    # ------------------------------------------------------------ scope of a submission

    def _goals(self, submission: Graph) -> list[Node]:
        goals: set[Node] = set(submission.subjects(RDF.type, VTL.Namndmal))
        for prop in GOAL_PROPERTIES:
            goals.update(submission.subjects(prop, None))
        return sorted((g for g in goals if not self._is_protected(g)), key=str)

    def _is_protected(self, node: Node) -> bool:
        return isinstance(node, URIRef) and (
            node in self._protected_subjects or str(node).startswith(PROTECTED_NAMESPACES)
        )

    @functools.cache  # noqa: B019 - a handful of rules per validator, which lives as long as its shapes
    def _rule_messages(self, rule: URIRef) -> dict[str, str]:
        return _messages(self.shapes, rule) or self._scope_messages

    def _scope_finding(self, rule: URIRef, focus: Node, path: Node, value: Node) -> Finding:
        """A violation of one of the submission-scope rules, with that rule's messages."""
        return Finding(
            focus=focus,
            severity="Violation",
            path=path,
            value=value,
            messages=self._rule_messages(rule),
            source_shape=SCOPE_SHAPE,
            constraint=rule,
        )

    def _claimed_for_others(self, submission: Graph, goals: list[Node], committee: URIRef) -> list[Finding]:
        return [
            self._scope_finding(SCOPE_OTHER_COMMITTEE, goal, VTL.ansvarigNamnd, other)
            for goal in goals
            for other in submission.objects(goal, VTL.ansvarigNamnd)
            if other != committee
        ]

    def _split_scope(self, submission: Graph, goals: set[Node]) -> tuple[list[tuple[Node, Node, Node]], list[Finding]]:
        kept: list[tuple[Node, Node, Node]] = []
        findings: list[Finding] = []
        for s, p, o in submission:
            if s in goals:
                kept.append((s, p, o))
                continue
            rule = SCOPE_REFERENCE if self._is_protected(s) else SCOPE_NOT_A_GOAL
            findings.append(self._scope_finding(rule, s, p, o))
        return kept, findings


def _triples_the_shapes_can_see(reference: Graph, shapes: Graph) -> list[tuple[Node, Node, Node]]:
    """The reference triples whose predicate the shapes mention (in paths, classes, values), plus types.

    Copying only these into each validation's data graph keeps validation fast
    without changing its outcome: a shape can only look at predicates it names,
    and sh:class looks at rdf:type and rdfs:subClassOf.
    """
    named = {node for triple in shapes for node in triple if isinstance(node, URIRef)}
    named.update((RDF.type, RDFS.subClassOf))
    return [triple for triple in reference if triple[1] in named]


def _messages(graph: Graph, subject: Node, predicate: URIRef = SH.message) -> dict[str, str]:
    return {
        (value.language or ""): str(value) for value in graph.objects(subject, predicate) if isinstance(value, Literal)
    }


def _findings_from_report(report: Graph) -> list[Finding]:
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        findings.append(
            Finding(
                focus=_required(report.value(result, SH.focusNode)),
                severity=SEVERITIES.get(severity, str(severity)) if isinstance(severity, URIRef) else "Violation",
                path=report.value(result, SH.resultPath),
                value=report.value(result, SH.value),
                messages=_messages(report, result, SH.resultMessage),
                source_shape=_required(report.value(result, SH.sourceShape)),
                constraint=_required(report.value(result, SH.sourceConstraintComponent)),
            )
        )
    return findings


def _required(node: Node | None) -> Node:
    # pySHACL writes focus node, source shape and component on every result.
    assert node is not None
    return node


def _run_pyshacl(data: Graph, shapes: Graph, *, inplace: bool, allow_warnings: bool = True) -> Graph:
    from pyshacl import validate as pyshacl_validate  # imported on first use: it is slow to import
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError

    try:
        _conforms, report_graph, _text = pyshacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            inplace=inplace,
            allow_warnings=allow_warnings,
            do_owl_imports=False,
        )
    except (ShapeLoadError, ReportableRuntimeError) as error:
        message = " ".join(str(getattr(error, "message", error)).split())
        raise VetgraphError(f"the shapes are not valid SHACL (pySHACL: {message[:300]})") from None
    assert isinstance(report_graph, Graph)
    return report_graph


# SHACL-SPARQL queries in shapes a user gives run in rdflib under pySHACL: nothing in
# them may reach another server (SERVICE) or load a graph (FROM, LOAD). IRIs, strings
# and comments are blanked out first, so that only the query's own keywords count.
_SPARQL_IN_SHAPES = (SH.select, SH.ask, SH.construct, SH.update)
_OUTSIDE = re.compile(r"\b(SERVICE|FROM|LOAD)\b", re.IGNORECASE)
_SPARQL_STRINGS_AND_COMMENTS = re.compile(
    r'<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*'
)


def _refuse_outside_access(shapes: Graph) -> None:
    for predicate in _SPARQL_IN_SHAPES:
        for shape, query in shapes.subject_objects(predicate):
            code = _SPARQL_STRINGS_AND_COMMENTS.sub(" ", str(query))
            found = _OUTSIDE.search(code)
            if found:
                raise VetgraphError(
                    f"a SHACL-SPARQL query in the shapes ({shape}) uses {found.group(1).upper()}, which could reach "
                    "another server or file; vetgraph runs no such query"
                )


def validate_against_shapes(
    data: Graph, shapes: Graph, *, engine: str = "auto", source: str = "<graph>"
) -> SubmissionReport:
    """Validate any ``data`` graph against any SHACL ``shapes`` graph.

    ``engine`` is ``"auto"`` (vetgraph's evaluator where it covers the shapes, else
    pySHACL), ``"vetgraph"`` (an error if it does not cover them) or ``"pyshacl"``.
    The report's ``engine`` says which one ran. SHACL-SPARQL queries that would
    reach another server or file are refused before anything runs.
    """
    if engine not in ("auto", "vetgraph", "pyshacl"):
        raise VetgraphError(f"unknown validation engine '{engine}'; use auto, vetgraph or pyshacl")
    _refuse_outside_access(shapes)
    evaluator = None
    if engine != "pyshacl":
        try:
            evaluator = ShapesEvaluator(shapes)
        except Unsupported as error:
            if engine == "vetgraph":
                raise VetgraphError(f"vetgraph's SHACL evaluator does not support {error}") from None
    if evaluator is not None:
        findings = [_finding(result) for result in evaluator.validate(data)]
        report = SubmissionReport(
            source=source, goals=[], findings=findings, shapes=shapes, engine="vetgraph", warnings_conform=False
        )
    else:
        report_graph = _run_pyshacl(data, shapes, inplace=False, allow_warnings=False)
        report = SubmissionReport(
            source=source,
            goals=[],
            findings=_findings_from_report(report_graph),
            shapes=shapes,
            engine="pyshacl",
            warnings_conform=False,
            _report_graph=report_graph,
        )
    report.findings.sort(key=lambda f: (str(f.focus), f.severity != "Violation", str(f.path), str(f.value)))
    return report


def _finding(result: Result) -> Finding:
    return Finding(
        focus=result.focus,
        severity=SEVERITIES.get(result.severity, str(result.severity)),
        path=result.path,
        value=result.value,
        messages={(m.language or ""): str(m) for m in result.messages},
        source_shape=result.source_shape,
        constraint=result.component,
    )


def _report_graph(findings: list[Finding], shapes: Graph, *, warnings_conform: bool = True) -> Graph:
    """A SHACL validation report (as pySHACL writes it) for ``findings``."""
    report = Graph()
    validation_report = BNode()
    report.add((validation_report, RDF.type, SH.ValidationReport))
    report.add((validation_report, SH.conforms, Literal(True)))
    _add_results(report, findings, shapes, warnings_conform=warnings_conform)
    return report


def _add_results(report: Graph, findings: list[Finding], shapes: Graph, *, warnings_conform: bool = True) -> None:
    """Add ``findings`` as results to the report in ``report``, so that every output format has them."""
    if not findings:
        return
    validation_report = report.value(None, RDF.type, SH.ValidationReport, any=True)
    assert validation_report is not None
    if not warnings_conform or any(f.severity not in ALLOWED_SEVERITIES for f in findings):
        report.set((validation_report, SH.conforms, Literal(False)))
    severities = {name: iri for iri, name in SEVERITIES.items()}
    for finding in findings:
        result = BNode()
        report.add((validation_report, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, finding.focus))
        report.add((result, SH.resultSeverity, severities.get(finding.severity, URIRef(finding.severity))))
        report.add((result, SH.sourceShape, finding.source_shape))
        report.add((result, SH.sourceConstraintComponent, finding.constraint))
        if finding.path is not None:
            report.add((result, SH.resultPath, finding.path))
            if isinstance(finding.path, BNode):  # a complex path: copy its structure
                _copy_path(shapes, report, finding.path)
        if finding.value is not None:
            report.add((result, SH.value, finding.value))
        for lang, text in finding.messages.items():
            report.add((result, SH.resultMessage, Literal(text, lang=lang or None)))


def _copy_path(source: Graph, target: Graph, node: Node) -> None:
    """Copy a complex path (a blank node with its lists and nested paths) from the shapes graph."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for predicate, value in source.predicate_objects(current):
            target.add((current, predicate, value))
            if isinstance(value, BNode):
                todo.append(value)


def validate_reference(project: Project | None = None, graph: Graph | None = None) -> SubmissionReport:
    """Check the ontology and reference data (``graph``, else the project's files) against their own shapes."""
    project = project or default_project()
    if graph is None:
        graph = graphs.read_trusted(project.reference_files())
    shapes = graphs.read_trusted([project.reference_shapes])
    report_graph = _run_pyshacl(graph, shapes, inplace=False)
    findings = _findings_from_report(report_graph)
    findings.sort(key=lambda f: (str(f.focus), str(f.source_shape)))
    return SubmissionReport(
        source="reference data",
        goals=[],
        findings=findings,
        shapes=shapes,
        engine="pyshacl",
        _report_graph=report_graph,
    )


def check_against(graph: Graph, shape_files: Iterable[str | Path]) -> list[Finding]:
    """The violations of ``graph`` against outside shapes (e.g. DCAT-AP), each file checked on its own."""
    findings: list[Finding] = []
    for path in shape_files:
        report_graph = _run_pyshacl(graph, graphs.read_trusted([path]), inplace=False)
        findings.extend(f for f in _findings_from_report(report_graph) if f.severity == "Violation")
    return findings


def validate_files_against_shapes(
    data_files: Iterable[str | Path],
    shape_files: Iterable[str | Path],
    *,
    engine: str = "auto",
    rdf_format: str | None = None,
    base_iri: str | None = None,
) -> SubmissionReport:
    """Read RDF files as data and as shapes (each checked like any input) and validate; see validate_against_shapes.

    A file named both as data and as shapes is read once, so that its blank nodes
    are the same in both graphs (a shapes graph can be validated as data).
    """
    read: dict[Path, Graph] = {}

    def merged(paths: Iterable[str | Path]) -> Graph:
        graph = Graph()
        for path in paths:
            key = Path(path).resolve()
            if key not in read:
                read[key] = graphs.read_rdf(path, rdf_format=rdf_format, base_iri=base_iri)
            graph += read[key]
        return graph

    data_files, shape_files = list(data_files), list(shape_files)
    data, shapes = merged(data_files), merged(shape_files)
    return validate_against_shapes(data, shapes, engine=engine, source=", ".join(map(str, data_files)))
