"""Shared fixtures. The validator loads the ontology, data and shapes once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from vetgraph import graphs
from vetgraph.project import Project, default_project
from vetgraph.validation import Validator

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
INVALID = FIXTURES / "invalid"
# The CEO's shared folder sits beside the checkout on developer machines and in CI.
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def project() -> Project:
    return default_project()


@pytest.fixture(scope="session")
def validator(project: Project) -> Validator:
    return Validator(project)


@pytest.fixture(scope="session")
def reference(project: Project) -> Graph:
    return graphs.read_trusted(project.reference_files())


@pytest.fixture(scope="session")
def samples(project: Project) -> Graph:
    return graphs.read_trusted(project.sample_submissions())
