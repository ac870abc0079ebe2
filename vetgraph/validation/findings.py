"""What a validation found, and the standard SHACL validation report built from it."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph.errors import EXIT_INPUT_ERROR, EXIT_NOT_CONFORMING, EXIT_OK, VetgraphError
from vetgraph.namespaces import SHAPES, Namespaces
from vetgraph.validation.engine import Result

# The rule that submission-scope findings (statements outside the submission's own goals) come from.
SCOPE_SHAPE = SHAPES["Inlamning"]

Triple = tuple[Node, Node, Node]


SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


# Findings that do not stop a submission from conforming; a custom severity (any other IRI) does.
ALLOWED_SEVERITIES = ("Warning", "Info")


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
    locations: dict[Node, str] = field(default_factory=dict)  # goal -> where it is ("Blad Nämndmål, rad 7")
    # vetgraph validate counts a submission with warnings as conforming (sh:conforms true in its
    # report, as pySHACL's allow_warnings); vetgraph shacl follows the SHACL spec: any result is false.
    warnings_conform: bool = True
    # the municipality's namespaces, to name its resources in reports (nm:…, namnd:…); None: full IRIs
    namespaces: Namespaces | None = None
    _report_graph: Graph | None = None

    @property
    def report_graph(self) -> Graph:
        if self._report_graph is None:
            self._report_graph = report_graph_of(self.findings, self.shapes, warnings_conform=self.warnings_conform)
        return self._report_graph

    def report_triples(self) -> list[Triple]:
        """The triples of :attr:`report_graph`, without building an rdflib graph when vetgraph's engine ran."""
        if self._report_graph is not None:
            return list(self._report_graph)
        return report_triples(self.findings, self.shapes, warnings_conform=self.warnings_conform)

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


def messages_of(graph: Graph, subject: Node, predicate: URIRef = SH.message) -> dict[str, str]:
    return {
        (value.language or ""): str(value) for value in graph.objects(subject, predicate) if isinstance(value, Literal)
    }


def findings_from_report(report: Graph) -> list[Finding]:
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        findings.append(
            Finding(
                focus=_required(report.value(result, SH.focusNode)),
                severity=SEVERITIES.get(severity, str(severity)) if isinstance(severity, URIRef) else "Violation",
                path=report.value(result, SH.resultPath),
                value=report.value(result, SH.value),
                messages=messages_of(report, result, SH.resultMessage),
                source_shape=_required(report.value(result, SH.sourceShape)),
                constraint=_required(report.value(result, SH.sourceConstraintComponent)),
            )
        )
    return findings


def _required(node: Node | None) -> Node:
    # pySHACL writes focus node, source shape and component on every result.
    assert node is not None
    return node


def finding_from_result(result: Result) -> Finding:
    return Finding(
        focus=result.focus,
        severity=SEVERITIES.get(result.severity, str(result.severity)),
        path=result.path,
        value=result.value,
        messages={(m.language or ""): str(m) for m in result.messages},
        source_shape=result.source_shape,
        constraint=result.component,
    )


def report_graph_of(findings: list[Finding], shapes: Graph, *, warnings_conform: bool = True) -> Graph:
    """A SHACL validation report (as pySHACL writes it) for ``findings``."""
    report = Graph()
    for triple in report_triples(findings, shapes, warnings_conform=warnings_conform):
        report.add(triple)
    return report


def report_triples(findings: list[Finding], shapes: Graph, *, warnings_conform: bool = True) -> list[Triple]:
    """The triples of a SHACL validation report for ``findings`` (an rdflib graph of 10,000 findings takes 1.8 s)."""
    validation_report = BNode()
    # as pySHACL: vetgraph validate lets warnings conform (allow_warnings), vetgraph shacl does not
    conforms = not findings or (warnings_conform and all(f.severity in ALLOWED_SEVERITIES for f in findings))
    triples: list[Triple] = [
        (validation_report, RDF.type, SH.ValidationReport),
        (validation_report, SH.conforms, Literal(conforms)),
    ]
    triples += _result_triples(validation_report, findings, shapes)
    return triples


def add_results(report: Graph, findings: list[Finding], shapes: Graph, *, warnings_conform: bool = True) -> None:
    """Add ``findings`` as results to the report in ``report``, so that every output format has them."""
    if not findings:
        return
    validation_report = report.value(None, RDF.type, SH.ValidationReport, any=True)
    assert validation_report is not None
    if not warnings_conform or any(f.severity not in ALLOWED_SEVERITIES for f in findings):
        report.set((validation_report, SH.conforms, Literal(False)))
    for triple in _result_triples(validation_report, findings, shapes):
        report.add(triple)


def _result_triples(validation_report: Node, findings: list[Finding], shapes: Graph) -> list[Triple]:
    severities = {name: iri for iri, name in SEVERITIES.items()}
    # rdflib's namespace attributes are slow to look up (0.1 s per 100,000): looked up once
    result_, type_, result_class, focus_node = SH.result, RDF.type, SH.ValidationResult, SH.focusNode
    result_severity, source_shape, component = SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent
    result_path, value, result_message = SH.resultPath, SH.value, SH.resultMessage
    triples: list[Triple] = []
    for finding in findings:
        result = BNode()
        triples += [
            (validation_report, result_, result),
            (result, type_, result_class),
            (result, focus_node, finding.focus),
            (result, result_severity, severities.get(finding.severity) or URIRef(finding.severity)),
            (result, source_shape, finding.source_shape),
            (result, component, finding.constraint),
        ]
        if finding.path is not None:
            triples.append((result, result_path, finding.path))
            if isinstance(finding.path, BNode):  # a complex path: copy its structure
                triples += _path_triples(shapes, finding.path)
        if finding.value is not None:
            triples.append((result, value, finding.value))
        for lang, text in finding.messages.items():
            triples.append((result, result_message, Literal(text, lang=lang or None)))
    return triples


def _path_triples(source: Graph, node: Node) -> list[Triple]:
    """A complex path (a blank node with its lists and nested paths) as it is in the shapes graph."""
    triples: list[Triple] = []
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for predicate, value in source.predicate_objects(current):
            triples.append((current, predicate, value))
            if isinstance(value, BNode):
                todo.append(value)
    return triples
