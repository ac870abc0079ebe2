"""Where the ontology, reference data, shapes and samples live.

In a source checkout they are the top-level folders beside ``vetgraph/``. An
installed wheel carries copies of them in ``vetgraph/_bundled/`` (see
``pyproject.toml``). ``VETGRAPH_HOME`` points vetgraph at another copy, e.g. a
municipality's own edited data.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vetgraph.errors import VetgraphError

if TYPE_CHECKING:
    from vetgraph.profile import Profile


# The shared vocabulary's file: every project carries a copy under this name (the client fixed it).
ONTOLOGY_FILE = "ontology/vetlanda.ttl"
PROFILE_FILE = "data/profil.ttl"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / ONTOLOGY_FILE

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def profile_file(self) -> Path:
        return self.root / PROFILE_FILE

    @functools.cached_property
    def profile(self) -> Profile:
        """The municipality's profile: its name, codes, IRIs, publisher (:mod:`vetgraph.profile`)."""
        from vetgraph.profile import read_profile

        return read_profile(self.profile_file)

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def sample_submissions_dir(self) -> Path:
        return self.data_dir / "exempel" / "namndmal"

    @property
    def outcomes_dir(self) -> Path:
        return self.data_dir / "exempel" / "utfall"

    def reference_files(self) -> list[Path]:
        """Ontology plus every data file except the profile, the sample submissions and outcomes.

        Submissions are validated like any submission; outcomes (e.g. from Kolada) are follow-up data, which
        submissions may name but never change. The profile describes the publication (the catalogue is made
        from it), not the strategy.
        """
        own = (self.sample_submissions_dir, self.outcomes_dir)
        data = sorted(
            path
            for path in self.data_dir.rglob("*.ttl")
            if path != self.profile_file and not any(d in path.parents for d in own)
        )
        return [self.ontology, *data]

    def outcome_files(self) -> list[Path]:
        """Outcomes of indicators fetched from Kolada (``vetgraph kolada fetch``): in the graph, the report and stores."""
        return sorted(self.outcomes_dir.glob("*.ttl"))

    def sample_submissions(self) -> list[Path]:
        return sorted(self.sample_submissions_dir.glob("*.ttl"))

    @property
    def submission_shapes_file(self) -> Path:
        return self.shapes_dir / "namndmal.ttl"

    @property
    def reference_shapes(self) -> Path:
        return self.shapes_dir / "referensdata.ttl"


def is_project(path: Path) -> bool:
    """Whether ``path`` is a project folder: the vocabulary, the profile and the shapes."""
    return (path / ONTOLOGY_FILE).is_file() and (path / "shapes").is_dir() and (path / PROFILE_FILE).is_file()


def default_project() -> Project:
    """The project vetgraph works on: ``$VETGRAPH_HOME``, else the checkout, else the bundled copy."""
    home = os.environ.get("VETGRAPH_HOME")
    if home:
        if not is_project(Path(home)):
            raise VetgraphError(
                f"VETGRAPH_HOME is not a project folder (it needs {ONTOLOGY_FILE}, {PROFILE_FILE} and shapes/; "
                "vetgraph init DIR makes one)",
                path=home,
            )
        return _project(Path(home))
    return bundled_project()


def bundled_project() -> Project:
    """The project that comes with vetgraph (the first municipality's, with sample data): the checkout, else the installed copy.

    It holds the shared vocabulary and reference data a new project starts from (``vetgraph init``).
    """
    package = Path(__file__).resolve().parent
    for candidate in (package.parent, package / "_bundled"):
        if is_project(candidate):
            return _project(candidate)
    raise VetgraphError("cannot find the ontology, data and shapes; reinstall vetgraph or set VETGRAPH_HOME")


@functools.lru_cache(maxsize=16)
def _project(root: Path) -> Project:
    """One :class:`Project` per folder, so that its profile is read once per process, not once per query."""
    return Project(root)
