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
from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph.errors import VetgraphError
from vetgraph.goal_links import submission_shapes
from vetgraph.namespaces import CODES, ONTOLOGY_IRI, QB, SDG, SHAPES, VTL
from vetgraph.progress import Progress, counted, silent
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.rdf.index import Overlay, TripleIndex
from vetgraph.validation.engine import ShapesEvaluator, Unsupported
from vetgraph.validation.findings import (
    SCOPE_SHAPE,
    Finding,
    SubmissionReport,
    ValidationRun,
    add_results,
    finding_from_result,
    findings_from_report,
    messages_of,
)
from vetgraph.validation.pyshacl_runner import refuse_outside_access, run_pyshacl
from vetgraph.validation.sparql_constraints import predicates_named
from vetgraph.validation.suggestions import with_hints

# Properties only a nämndmål has; a subject using one is treated as a goal even if it
# forgot its type (the shapes target these too, so the missing type is reported).
GOAL_PROPERTIES = (VTL.ansvarigNamnd, VTL.delstrategi, VTL.kfMal, VTL.strategiomrade, VTL.agenda2030)
# Besides its goals, a submission may describe how they are followed up: these are the kinds of resource it
# may make statements about (the shapes check what it says of them).
FOLLOW_UP_CLASSES = (VTL.Matt, VTL.Indikator, QB.Observation, QB.DataSet, VTL.Bedomning)

SCOPE_REFERENCE = SHAPES["Inlamning-referensdata"]
# Cells of a spreadsheet submission that could not be turned into RDF (a name that matches nothing ...).
SPREADSHEET_RULE = SHAPES["Kalkylblad"]
SCOPE_NOT_A_GOAL = SHAPES["Inlamning-inte-namndmal"]
SCOPE_NO_GOALS = SHAPES["Inlamning-inga-namndmal"]
SCOPE_OTHER_COMMITTEE = SHAPES["Inlamning-annan-namnd"]
SCOPE_OTHER_MUNICIPALITY = SHAPES["Inlamning-annan-kommun"]

# Namespaces a submission may not make statements about, even for IRIs the
# reference data does not mention (e.g. a new vtl: class or a new sdg: goal).
PROTECTED_NAMESPACES = (
    ONTOLOGY_IRI,
    str(SHAPES),
    str(CODES),
    str(SDG),
    "http://www.w3.org/",
    "http://purl.org/dc/",
    "http://xmlns.com/foaf/",
)


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
        self.shapes = submission_shapes(self.project, self.reference)
        refuse_outside_access(self.shapes)  # a municipality's own shapes (VETGRAPH_HOME) run SPARQL too
        self._reference_for_shapes = _triples_the_shapes_can_see(self.reference, self.shapes)
        # indexed once, derived per submission; with the shapes' terms, so that the evaluator's lookups of them
        # compare identical objects (see vetgraph.rdf.index)
        self._known_terms = {term for graph in (self.shapes, self.reference) for triple in graph for term in triple}
        self._reference_index = TripleIndex(self._reference_for_shapes, known=self._known_terms)
        self._protected_subjects = {
            s for graph in (self.reference, self.shapes) for s in graph.subjects() if isinstance(s, URIRef)
        }
        self._scope_messages = messages_of(self.shapes, SCOPE_SHAPE)
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
        namespace = self.project.profile.namespaces["namnd"]
        iri = URIRef(name if "://" in name else namespace + name.removeprefix("namnd:"))
        if (iri, RDF.type, VTL.Namnd) not in self.reference:
            known = ", ".join(
                sorted(str(c).removeprefix(namespace) for c in self.reference.subjects(RDF.type, VTL.Namnd))
            )
            raise VetgraphError(f"unknown committee '{name}'; the reference data has: {known}")
        return iri

    def validate_file(
        self,
        path: str | Path,
        *,
        rdf_format: str | None = None,
        committee: URIRef | None = None,
        max_bytes: int = graphs.MAX_INPUT_BYTES,
    ) -> SubmissionReport:
        """Read and validate one file; raises :class:`~vetgraph.errors.VetgraphError` if it cannot be read.

        A spreadsheet (.xlsx, .csv: the template of ``vetgraph template``) is imported
        first; cells that could not be read are findings too, and each goal's report
        says which row it came from. An RDF file may be at most ``max_bytes`` long
        (10 MB for a submission; ``graphs.MAX_TRUSTED_BYTES`` for one's own files).
        """
        from vetgraph.submissions import is_spreadsheet

        if rdf_format is None and is_spreadsheet(path):
            return self._validate_spreadsheet(path, committee)
        # Read into the evaluator's index, not an rdflib Memory graph: at 10,000 goals that took 3 of 12 s. The
        # report's graph of the submission is a read-only rdflib view of the same index.
        quads = graphs.read_quads(path, rdf_format=rdf_format, max_bytes=max_bytes)
        submission = TripleIndex.of_quads(quads, known=self._known_terms)
        return self._validate(submission, submission.graph(), source=str(path), committee=committee)

    def _validate_spreadsheet(self, path: str | Path, committee: URIRef | None) -> SubmissionReport:
        from vetgraph.submissions.workflow import import_spreadsheet  # here: openpyxl is for spreadsheets only

        imported = import_spreadsheet(path, project=self.project, reference=self.reference)
        report = self.validate_graph(imported.graph, source=str(path), committee=committee)
        goal_of_row = {(row.sheet, row.number): node for node, row in imported.row_of().items()}
        goal_of_row.update(imported.goal_of_follow_up)  # a follow-up row that could not be read: its goal
        cell_findings = [
            Finding(
                focus=goal_of_row.get((problem.row.sheet, problem.row.number), BNode()),
                severity="Violation",
                path=None,
                value=Literal(problem.value) if problem.value is not None else None,
                messages={"sv": str(problem), "en": str(problem)},
                source_shape=SPREADSHEET_RULE,
                constraint=SPREADSHEET_RULE,
            )
            for problem in imported.problems
        ]
        # A misspelt name is one finding, not also "no delstrategi": drop what it causes.
        unreadable = {
            (goal_of_row.get((p.row.sheet, p.row.number)), p.path) for p in imported.problems if p.path is not None
        }
        consequences = (SH.MinCountConstraintComponent, SH.QualifiedMinCountConstraintComponent)
        kept = [f for f in report.findings if not (f.constraint in consequences and (f.focus, f.path) in unreadable)]
        report.findings = cell_findings + kept
        report.locations = {node: row.where() for node, row in imported.row_of().items()}
        return report

    def validate_graph(
        self, submission: Graph, *, source: str = "<graph>", committee: URIRef | None = None
    ) -> SubmissionReport:
        """Validate one submission. With ``committee``, every goal must be that committee's own."""
        return self._validate(TripleIndex(submission, known=self._known_terms), submission, source, committee)

    def _validate(
        self, index: TripleIndex, submission: Graph, source: str, committee: URIRef | None
    ) -> SubmissionReport:
        """Validate a submission given as an index (for the checks) and as a graph (for the report)."""
        goals = self._goals(index)
        kept, scope_findings = self._split_scope(index, set(goals) | self._follow_up(index))
        scope_findings.extend(self._of_other_municipalities(goals))
        if committee is not None:
            scope_findings.extend(self._claimed_for_others(index, goals, committee))
        if not goals:
            scope_findings.append(self._scope_finding(SCOPE_NO_GOALS, BNode(), RDF.type, VTL.Namndmal))
        report_graph = None
        if self._evaluator is not None:
            data = Overlay(self._reference_index, kept)
            findings = [finding_from_result(result) for result in self._evaluator.validate(data)] + scope_findings
        else:
            data_graph = Graph()
            for triple in self._reference_for_shapes:
                data_graph.add(triple)
            for triple in kept.triples((None, None, None)):
                data_graph.add(triple)
            report_graph = run_pyshacl(data_graph, self.shapes, inplace=True)
            findings = findings_from_report(report_graph) + scope_findings
            add_results(report_graph, scope_findings, self.shapes)
        namespaces = self.project.profile.namespaces
        findings = with_hints(findings, submission, self.reference, self.shapes, namespaces)
        findings.sort(key=lambda f: (str(f.focus), f.severity != "Violation", str(f.path), str(f.value)))
        return SubmissionReport(
            source=source,
            goals=goals,
            findings=findings,
            submission=submission,
            shapes=self.shapes,
            engine=self.engine,
            namespaces=self.project.profile.namespaces,
            _report_graph=report_graph,
        )

    def validate_files(
        self,
        paths: Iterable[str | Path],
        *,
        rdf_format: str | None = None,
        committee: URIRef | None = None,
        max_bytes: int = graphs.MAX_INPUT_BYTES,
        progress: Progress = silent,
    ) -> ValidationRun:
        """Validate each file on its own; a file that cannot be read is recorded, not raised.

        ``progress`` hears of each file done.
        """
        run = ValidationRun()
        paths = list(paths)
        validated_one = counted(progress, "Validerar filer", len(paths))
        for path in paths:
            try:
                run.reports.append(
                    self.validate_file(path, rdf_format=rdf_format, committee=committee, max_bytes=max_bytes)
                )
            except VetgraphError as error:
                run.errors.append(error)
            validated_one()
        return run

    # ------------------------------------------------------------ scope of a submission

    def _goals(self, submission: TripleIndex) -> list[Node]:
        goals: set[Node] = set(submission.subjects(RDF.type, VTL.Namndmal))
        for prop in GOAL_PROPERTIES:
            goals.update(submission.subjects(prop, None))
        return sorted((g for g in goals if not self._is_protected(g)), key=str)

    def _follow_up(self, submission: TripleIndex) -> set[Node]:
        """The measures, indicators, outcomes, data sets and judgements the submission describes."""
        nodes: set[Node] = {s for cls in FOLLOW_UP_CLASSES for s in submission.subjects(RDF.type, cls)}
        nodes.update(submission.objects(None, VTL.matt))
        nodes.update(submission.subjects(VTL.avserMal, None))
        return {node for node in nodes if not self._is_protected(node)}

    def _is_protected(self, node: Node) -> bool:
        return isinstance(node, URIRef) and (
            node in self._protected_subjects or str(node).startswith(PROTECTED_NAMESPACES)
        )

    @functools.cache  # noqa: B019 - a handful of rules per validator, which lives as long as its shapes
    def _rule_messages(self, rule: URIRef) -> dict[str, str]:
        return messages_of(self.shapes, rule) or self._scope_messages

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

    def _claimed_for_others(self, submission: TripleIndex, goals: list[Node], committee: URIRef) -> list[Finding]:
        return [
            self._scope_finding(SCOPE_OTHER_COMMITTEE, goal, VTL.ansvarigNamnd, other)
            for goal in goals
            for other in submission.objects(goal, VTL.ansvarigNamnd)
            if other != committee
        ]

    def _of_other_municipalities(self, goals: list[Node]) -> list[Finding]:
        """A goal is one of the municipality's resources, named under its base: never another municipality's, so
        that a committee of one municipality can never write into another's data (a region's store holds many)."""
        own = str(self.project.profile.namespaces.id)
        return [
            self._scope_finding(SCOPE_OTHER_MUNICIPALITY, goal, RDF.type, VTL.Namndmal)
            for goal in goals
            if isinstance(goal, URIRef) and not str(goal).startswith(own)
        ]

    def _split_scope(self, submission: TripleIndex, in_scope: set[Node]) -> tuple[TripleIndex, list[Finding]]:
        """The submission's statements about its own goals and follow-up, and a finding for each other statement."""
        outside = [s for s in submission.every_subject() if s not in in_scope]
        if not outside:
            return submission, []  # the usual submission: all in scope, read as it is
        findings: list[Finding] = []
        for subject in outside:
            rule = SCOPE_REFERENCE if self._is_protected(subject) else SCOPE_NOT_A_GOAL
            findings += [self._scope_finding(rule, subject, p, o) for p, o in submission.predicate_objects(subject)]
        kept = (triple for triple in submission.triples((None, None, None)) if triple[0] in in_scope)
        return TripleIndex(kept, known=self._known_terms), findings


def _triples_the_shapes_can_see(reference: Graph, shapes: Graph) -> list[tuple[Node, Node, Node]]:
    """The reference triples whose predicate the shapes mention (in paths, classes, values), plus types.

    Copying only these into each validation's data graph keeps validation fast
    without changing its outcome: a shape can only look at predicates it names
    (a SPARQL constraint in its query's text), and sh:class looks at rdf:type and rdfs:subClassOf.
    """
    named = {node for triple in shapes for node in triple if isinstance(node, URIRef)}
    named.update((RDF.type, RDFS.subClassOf))
    for constraint in shapes.subjects(SH.select, None):  # a SPARQL constraint names its predicates in its text
        predicates = predicates_named(shapes, constraint)
        if predicates is None:  # one that could look at any (a variable or a path as predicate): all of them
            return list(reference)
        named.update(predicates)
    return [triple for triple in reference if triple[1] in named]


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
    refuse_outside_access(shapes)
    evaluator = None
    if engine != "pyshacl":
        try:
            evaluator = ShapesEvaluator(shapes)
        except Unsupported as error:
            if engine == "vetgraph":
                raise VetgraphError(f"vetgraph's SHACL evaluator does not support {error}") from None
    if evaluator is not None:
        findings = [finding_from_result(result) for result in evaluator.validate(data)]
        report = SubmissionReport(
            source=source, goals=[], findings=findings, shapes=shapes, engine="vetgraph", warnings_conform=False
        )
    else:
        report_graph = run_pyshacl(data, shapes, inplace=False, allow_warnings=False)
        report = SubmissionReport(
            source=source,
            goals=[],
            findings=findings_from_report(report_graph),
            shapes=shapes,
            engine="pyshacl",
            warnings_conform=False,
            _report_graph=report_graph,
        )
    report.findings.sort(key=lambda f: (str(f.focus), f.severity != "Violation", str(f.path), str(f.value)))
    return report


def validate_reference(project: Project | None = None, graph: Graph | None = None) -> SubmissionReport:
    """Check the ontology and reference data (``graph``, else the project's files) against their own shapes."""
    project = project or default_project()
    if graph is None:
        graph = graphs.read_trusted(project.reference_files())
    shapes = graphs.read_trusted([project.reference_shapes])
    try:  # vetgraph's evaluator where it covers the shapes: pySHACL took 1 of build's 1.2 s
        evaluator: ShapesEvaluator | None = ShapesEvaluator(shapes)
    except Unsupported:
        evaluator = None
    report_graph = None
    if evaluator is not None:
        findings = [finding_from_result(result) for result in evaluator.validate(graph)]
    else:
        report_graph = run_pyshacl(graph, shapes, inplace=False)
        findings = findings_from_report(report_graph)
    findings.sort(key=lambda f: (str(f.focus), str(f.source_shape)))
    return SubmissionReport(
        source="reference data",
        goals=[],
        findings=findings,
        shapes=shapes,
        engine="vetgraph" if evaluator is not None else "pyshacl",
        namespaces=project.profile.namespaces,
        _report_graph=report_graph,
    )


def check_against(graph: Graph, shape_files: Iterable[str | Path]) -> list[Finding]:
    """The violations of ``graph`` against outside shapes (e.g. DCAT-AP), each file checked on its own."""
    findings: list[Finding] = []
    for path in shape_files:
        report_graph = run_pyshacl(graph, graphs.read_trusted([path]), inplace=False)
        findings.extend(f for f in findings_from_report(report_graph) if f.severity == "Violation")
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
