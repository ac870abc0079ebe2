"""Validation reports for people (Swedish or English text) and for programs (JSON, Turtle).

The text report is for a committee secretary: grouped per nämndmål, it says which
goal, what is wrong and how to fix it, with the names of the things involved.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from rdflib import DCTERMS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from vetgraph import escaping
from vetgraph.labels import find_label
from vetgraph.namespaces import SHARED_PREFIXES, VTL, Namespaces, compact
from vetgraph.rdf import terms
from vetgraph.rdf.turtle import pretty_turtle
from vetgraph.validation.findings import SCOPE_SHAPE, Finding, SubmissionReport, ValidationRun
from vetgraph.validation.suggestions import closest_property

LANGUAGES = ("sv", "en")

_TEXT = {
    "sv": {
        "ok": "{file}: {goals}, uppfyller kraven ({warnings}).",
        "not_ok": "{file}: {goals}, uppfyller INTE kraven: {violations}, {warnings}.",
        "goal": "Nämndmål {iri}",
        "other": "Övriga uppgifter i filen ({count} st., ignorerade)",
        "unplaced": "Uppföljning i filen",
        "about": "gäller {resource}",
        "more": "… och {count} till av samma slag [{rule}] (--format json listar alla)",
        "no_goal": "Filen som helhet",
        "Violation": "FEL",
        "Warning": "VARNING",
        "Info": "FÖRSLAG",
        "unknown_property": "okänd egenskap {path}",
        "did_you_mean": "Menade du {suggestion}?",
        "summary": "Sammanfattning: {files}, {goals}, {violations}, {warnings}; {errors} gick inte att läsa.",
        "prefixes": "Förkortningar: {prefixes}",
    },
    "en": {
        "ok": "{file}: {goals}, conforms ({warnings}).",
        "not_ok": "{file}: {goals}, does NOT conform: {violations}, {warnings}.",
        "goal": "Committee goal {iri}",
        "other": "Other statements in the file ({count}, ignored)",
        "unplaced": "Follow-up in the file",
        "about": "concerns {resource}",
        "more": "… and {count} more of the same kind [{rule}] (--format json lists them all)",
        "no_goal": "The file as a whole",
        "Violation": "ERROR",
        "Warning": "WARNING",
        "Info": "SUGGESTION",
        "unknown_property": "unknown property {path}",
        "did_you_mean": "Did you mean {suggestion}?",
        "summary": "Summary: {files}, {goals}, {violations}, {warnings}; {errors} could not be read.",
        "prefixes": "Prefixes: {prefixes}",
    },
}


# (singular, plural) per language and kind of thing counted.
_NOUNS = {
    "sv": {"goals": ("nämndmål", "nämndmål"), "violations": ("fel", "fel"), "warnings": ("varning", "varningar"),
           "files": ("fil", "filer"), "errors": ("fil", "filer")},
    "en": {"goals": ("committee goal", "committee goals"), "violations": ("error", "errors"),
           "warnings": ("warning", "warnings"), "files": ("file", "files"), "errors": ("file", "files")},
}  # fmt: skip


def counted(lang: str, **counts: int) -> dict[str, str]:
    """``goals=1`` -> ``{"goals": "1 nämndmål"}``, with the right singular or plural."""
    return {kind: f"{n} {_NOUNS[lang][kind][0 if n == 1 else 1]}" for kind, n in counts.items()}


class Labeller:
    """Names for IRIs: compact form plus a label (:mod:`vetgraph.labels`), the submission's own first."""

    def __init__(
        self,
        reference: Graph,
        submission: Graph | None = None,
        shapes: Graph | None = None,
        namespaces: Namespaces | None = None,
    ) -> None:
        self.reference = reference
        self.namespaces = namespaces
        self.prefixes = namespaces.prefixes if namespaces is not None else SHARED_PREFIXES
        self.submission = submission if submission is not None else Graph()
        self.shapes = shapes if shapes is not None else Graph()
        self.used_prefixes: set[str] = set()

    def iri(self, node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            text = compact(str(node), self.namespaces)
            if not text.startswith("<"):
                self.used_prefixes.add(text.split(":", 1)[0])
            return text
        if isinstance(node, BNode):
            return "[]"
        if isinstance(node, Literal):
            tag = f"@{node.language}" if node.language else ""
            return json.dumps(str(node), ensure_ascii=False) + tag
        return str(node)

    def note_prefixes_in(self, text: str) -> None:
        """Remember the prefixes that a message uses, for the legend at the end of the report."""
        self.used_prefixes.update(p for p in re.findall(r"\b([a-z]+):[A-Za-z0-9]", text) if p in self.prefixes)

    def label(self, node: Node | None, lang: str) -> str | None:
        return find_label((self.submission, self.reference), node, lang)

    def named(self, node: Node | None, lang: str) -> str:
        text = self.iri(node)
        label = self.label(node, lang)
        return f'{text} "{label}"' if label else text


# A text report lists at most this many findings of one rule for one goal (and for
# the file's other statements), then counts the rest: a file with 200,000 stray
# triples gets a report a person can read. JSON and Turtle list every finding.
MAX_FINDINGS_PER_RULE = 20


def render_text(run: ValidationRun, reference: Graph, *, lang: str = "sv") -> str:
    """The human-readable report in Swedish (``sv``) or English (``en``)."""
    text = _TEXT[lang]
    lines: list[str] = []
    used_prefixes: set[str] = set()
    prefixes: dict[str, str] = dict(SHARED_PREFIXES)
    for report in run.reports:
        labeller = Labeller(reference, report.submission, report.shapes, report.namespaces)
        prefixes.update(labeller.prefixes)
        counts = counted(
            lang, goals=len(report.goals), violations=report.count("Violation"), warnings=report.count("Warning")
        )
        lines.append(text["ok" if report.conforms else "not_ok"].format(file=report.source, **counts))
        if not report.findings:
            continue
        by_goal, others = group_findings(report)
        goals = set(report.goals)
        for focus, findings in by_goal.items():
            lines.append("")
            if focus in goals:
                where = f" ({report.locations[focus]})" if focus in report.locations else ""
                lines.append("  " + text["goal"].format(iri=labeller.named(focus, lang)) + where)
            else:
                lines.append("  " + text["unplaced" if focus == UNPLACED else "no_goal"])
            for rule_findings in _per_rule(findings):
                for finding in rule_findings[:MAX_FINDINGS_PER_RULE]:
                    lines.extend("    " + line for line in finding_lines(finding, labeller, lang))
                    if finding.focus != focus and (focus in goals or focus == UNPLACED):
                        # a finding about the goal's follow-up: which measure, outcome or judgement, and its row
                        row = report.locations.get(finding.focus)
                        resource = labeller.named(finding.focus, lang) + (f" ({row})" if row else "")
                        lines.append("      " + text["about"].format(resource=resource))
                    labeller.note_prefixes_in(finding.message(lang))
                lines.extend(_more(rule_findings, lang, indent="    "))
        if others:
            lines.append("")
            lines.append("  " + text["other"].format(count=len(others)))
            for rule_findings in _per_rule(others):
                first = rule_findings[0]
                lines.append(f"    {text[first.severity]} [{first.rule}]")
                lines.append("      " + first.message(lang))
                labeller.note_prefixes_in(first.message(lang))
                for finding in rule_findings[:MAX_FINDINGS_PER_RULE]:
                    statement = " ".join(
                        part for part in (labeller.iri(finding.focus), labeller.iri(finding.path),
                                          labeller.iri(finding.value)) if part
                    )  # fmt: skip
                    lines.append("      " + statement)
                lines.extend(_more(rule_findings, lang, indent="      "))
        lines.append("")
        used_prefixes |= labeller.used_prefixes
    if len(run.reports) + len(run.errors) > 1:
        lines.append(
            text["summary"].format(
                **counted(
                    lang,
                    files=len(run.reports) + len(run.errors),
                    goals=sum(len(r.goals) for r in run.reports),
                    violations=sum(r.count("Violation") for r in run.reports),
                    warnings=sum(r.count("Warning") for r in run.reports),
                    errors=len(run.errors),
                )
            )
        )
    if used_prefixes and any(r.findings for r in run.reports):
        shown = ", ".join(f"{p}: = <{prefixes[p]}>" for p in sorted(used_prefixes))
        lines.append(text["prefixes"].format(prefixes=shown))
    text_out = escaping.controls("\n".join(lines).rstrip())
    return text_out + "\n" if text_out else ""


def group_findings(report: SubmissionReport) -> tuple[dict[Node, list[Finding]], list[Finding]]:
    """The findings per goal (goals in IRI order; "no goals at all" and follow-up of no goal with them), and
    those about statements that were ignored (outside the submission's scope).

    A finding about a goal's follow-up (its measure, the measure's indicator and outcomes, its judgements) is
    the goal's: that is where its committee secretary looks.
    """
    goals = set(report.goals)
    owner = follow_up_owners(report.submission, goals)
    by_goal: dict[Node, list[Finding]] = defaultdict(list)
    others: list[Finding] = []
    for finding in report.findings:
        goal = finding.focus if finding.focus in goals else owner.get(finding.focus)
        if goal is not None or finding.rule == "Inlamning-inga-namndmal":
            by_goal[goal if goal is not None else finding.focus].append(finding)
        elif finding.source_shape != SCOPE_SHAPE:
            by_goal[UNPLACED].append(finding)
        else:
            others.append(finding)
    return {focus: by_goal[focus] for focus in sorted(by_goal, key=str)}, others


UNPLACED = URIRef("urn:x-vetgraph:follow-up-of-no-goal")  # the group of follow-up findings no goal owns


def follow_up_owners(submission: Graph, goals: set[Node]) -> dict[Node, Node]:
    """Each measure, indicator, outcome and judgement of ``submission`` -> the goal it follows up."""
    owner: dict[Node, Node] = {}
    for goal in sorted(goals, key=str):
        for measure in submission.objects(goal, VTL.matt):
            owner.setdefault(measure, goal)
            for indicator in submission.objects(measure, VTL.indikator):
                owner.setdefault(indicator, goal)
                for outcome in submission.subjects(VTL.indikator, indicator):
                    owner.setdefault(outcome, goal)
        for judgement in submission.subjects(VTL.avserMal, goal):
            owner.setdefault(judgement, goal)
    return owner


def _per_rule(findings: list[Finding]) -> list[list[Finding]]:
    """``findings`` grouped by rule and message, in the order each first occurs (a group shows its message once)."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule, tuple(sorted(finding.messages.items()))), []).append(finding)
    return list(groups.values())


def _more(findings: list[Finding], lang: str, *, indent: str) -> list[str]:
    hidden = len(findings) - MAX_FINDINGS_PER_RULE
    if hidden <= 0:
        return []
    return [indent + _TEXT[lang]["more"].format(count=hidden, rule=findings[0].rule)]


def finding_lines(finding: Finding, labeller: Labeller, lang: str) -> list[str]:
    """A finding in words: its kind, rule, property and value; its message; "did you mean" where there is one."""
    text = _TEXT[lang]
    head = f"{text[finding.severity]} [{finding.rule}]"
    closed = finding.constraint == SH.ClosedConstraintComponent
    if closed:
        head += ": " + text["unknown_property"].format(path=labeller.iri(finding.path))
        if finding.value is not None:
            head += " " + labeller.named(finding.value, lang)
    elif finding.path is not None and isinstance(finding.path, URIRef):
        detail = labeller.iri(finding.path)
        if finding.value is not None:
            detail += " " + labeller.named(finding.value, lang)
        head += f": {detail}"
    lines = [head, "  " + finding.message(lang)]
    if closed and isinstance(finding.path, URIRef):
        suggestion = closest_property(finding.path, labeller.shapes)
        if suggestion:
            lines.append("  " + text["did_you_mean"].format(suggestion=suggestion))
    return lines


def render_json(run: ValidationRun, reference: Graph, *, lang: str = "sv") -> str:
    """A JSON document: overall conformance, then per file its results (documented in README.md)."""
    files: list[dict[str, Any]] = []
    for report in run.reports:
        labeller = Labeller(reference, report.submission, report.shapes, report.namespaces)
        files.append(
            {
                "file": report.source,
                "conforms": report.conforms,
                "goals": [terms.identifier(goal) for goal in report.goals],
                "violations": report.count("Violation"),
                "warnings": report.count("Warning"),
                "results": [
                    {
                        "focusNode": terms.identifier(f.focus),
                        "focusLabel": labeller.label(f.focus, lang),
                        "severity": f.severity,
                        "rule": f.rule,
                        "sourceShape": terms.identifier(f.source_shape),
                        "constraint": terms.identifier(f.constraint),
                        "path": terms.identifier(f.path),
                        "value": terms.identifier(f.value),
                        "valueLabel": labeller.label(f.value, lang),
                        "message": f.message(lang),
                        "messages": f.messages,
                    }
                    for f in report.findings
                ],
            }
        )
    for error in run.errors:
        files.append(
            {
                "file": error.path,
                "error": error.message,
                "line": error.line,
                "column": error.column,
            }
        )
    document = {"conforms": run.conforms, "exitCode": run.exit_code, "files": files}
    return escaping.controls(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def render_turtle(run: ValidationRun) -> str:
    """The SHACL validation report(s) as Turtle, one ``sh:ValidationReport`` per file."""
    triples = []
    conforms = SH.conforms
    for report in run.reports:
        report_triples = report.report_triples()
        triples += report_triples
        for validation_report, predicate, _ in report_triples:
            if predicate == conforms:
                triples.append((validation_report, DCTERMS.source, Literal(report.source)))
    prefixes = next((r.namespaces.prefixes for r in run.reports if r.namespaces is not None), SHARED_PREFIXES)
    text = pretty_turtle(triples, prefixes)
    if run.errors:
        comments = "".join(f"# could not read: {escaping.terminal_line(str(error))}\n" for error in run.errors)
        text = comments + text
    return escaping.controls(text)


def render_shapes_text(report: SubmissionReport, *, lang: str = "sv") -> str:
    """A report of ``vetgraph shacl``: a summary line, then each result (at most 20 per shape and focus node)."""
    summary = {
        "sv": "{file}: {verdict} ({violations} fel, {warnings} varningar, {infos} info; motor: {engine}).",
        "en": "{file}: {verdict} ({violations} violations, {warnings} warnings, {infos} infos; engine: {engine}).",
    }[lang]
    verdicts = {"sv": ("uppfyller formerna", "uppfyller INTE formerna"), "en": ("conforms", "does NOT conform")}[lang]
    lines = [
        summary.format(
            file=report.source,
            verdict=verdicts[0 if report.conforms else 1],
            violations=report.count("Violation"),
            warnings=report.count("Warning"),
            infos=report.count("Info"),
            engine=report.engine,
        )
    ]
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((str(finding.source_shape), str(finding.focus)), []).append(finding)
    for findings in groups.values():
        for finding in findings[:MAX_FINDINGS_PER_RULE]:
            component = str(finding.constraint).removeprefix(str(SH))
            ns = report.namespaces
            severity = _TEXT[lang].get(finding.severity, _shown(URIRef(finding.severity), ns))
            parts = [severity, _shown(finding.focus, ns), _shown(finding.path, ns), _shown(finding.value, ns)]
            lines.append("  " + " ".join(p for p in parts if p) + f" [{component}, {_shown(finding.source_shape, ns)}]")
            if finding.messages:
                lines.append("    " + finding.message(lang))
        lines.extend(_more(findings, lang, indent="  "))
    return escaping.controls("\n".join(lines)) + "\n"


def _shown(node: Node | None, namespaces: Namespaces | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, Literal):
        return node.n3()
    return compact(str(node), namespaces)


def render_shapes_json(report: SubmissionReport) -> str:
    """``vetgraph shacl --format json``: conforms, the engine that ran, and every result."""
    document = {
        "conforms": report.conforms,
        "engine": report.engine,
        "results": [
            {
                "focusNode": terms.identifier(f.focus),
                "resultPath": terms.identifier(f.path),
                "value": terms.identifier(f.value),
                "sourceShape": terms.identifier(f.source_shape),
                "sourceConstraintComponent": terms.identifier(f.constraint),
                "resultSeverity": f.severity,
                "messages": f.messages,
            }
            for f in report.findings
        ],
    }
    return escaping.controls(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def render_shapes_turtle(report: SubmissionReport) -> str:
    """The standard ``sh:ValidationReport`` as Turtle."""
    prefixes = report.namespaces.prefixes if report.namespaces is not None else SHARED_PREFIXES
    return escaping.controls(pretty_turtle(report.report_triples(), prefixes))
