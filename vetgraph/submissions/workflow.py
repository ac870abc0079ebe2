"""Templates written and spreadsheets imported (goals and their follow-up), with the project's shapes and reference data."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from vetgraph.goal_links import submission_shapes
from vetgraph.project import Project, default_project
from vetgraph.rdf import graphs
from vetgraph.submissions import followup
from vetgraph.submissions.convert import Imported, graph_to_rows, rows_to_graph
from vetgraph.submissions.fields import Field, goal_fields
from vetgraph.submissions.spreadsheet import read_sheets, write_template


def _fields(project: Project, reference: Graph | None) -> tuple[list[Field], Graph]:
    reference = reference if reference is not None else graphs.read_trusted(project.reference_files())
    return goal_fields(submission_shapes(project, reference), reference), reference


def make_template(
    out: str | Path,
    *,
    committee: URIRef | None = None,
    period: URIRef | None = None,
    project: Project | None = None,
    goals: Graph | None = None,
) -> Path:
    """Write the spreadsheet template for nämndmål (.xlsx), generated from the shapes and the reference data.

    With ``goals`` (a submission), its goals fill the first rows, to be revised.
    """
    project = project or default_project()
    fields, reference = _fields(project, None)
    rows = graph_to_rows(goals, fields) if goals is not None else []
    follow_up_rows = followup.graph_to_rows(goals, project.profile) if goals is not None else {}
    return write_template(
        out, fields, reference, committee=committee, period=period, rows=rows,
        extra_sheets=followup.sheets(follow_up_rows), title=f"Nämndmål till {project.profile.title['sv']}",
    )  # fmt: skip


def import_spreadsheet(path: str | Path, *, project: Project | None = None, reference: Graph | None = None) -> Imported:
    """A filled template (.xlsx or .csv) as a submission graph, with the cells that could not be read."""
    project = project or default_project()
    fields, _ = _fields(project, reference)
    goal_rows, follow_up_rows = read_sheets(path, [s.name for s in followup.sheets()])
    imported = rows_to_graph(goal_rows, fields, project.profile.namespaces)
    followup.add_follow_up(imported, follow_up_rows, project.profile)
    return imported
