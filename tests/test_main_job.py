"""The README's first command prints what the README says it prints (issue 17: its `text` block had drifted).

The main job's commands are read from scripts/setup-and-run.sh (less the set-up lines) and run in a copy of
the project, as the script runs them; their output, with times and digests as the README writes them, must be
the README's block line for line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
DIGEST = re.compile(r"\b[0-9a-f]{12}(?=  aktuell)")


def normalised(lines: list[str]) -> list[str]:
    return [DIGEST.sub("SHA", TIME.sub("TIME", line)) for line in lines]


def test_the_first_commands_output_is_the_readmes(tmp_path: Path) -> None:
    copy = tmp_path / "vetgraph"
    for part in ("ontology", "data", "shapes", "queries", "scripts", "vetgraph"):
        shutil.copytree(REPO / part, copy / part)
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    script = (REPO / "scripts" / "setup-and-run.sh").read_text(encoding="utf-8")
    commands = "\n".join(
        line.replace(".venv/bin/vetgraph", f"{sys.executable} -m vetgraph.cli")
        for line in script.splitlines()
        if "venv" not in line or ".venv/bin/vetgraph" in line
    )
    result = subprocess.run(
        ["bash", "-c", commands], cwd=copy / "scripts", env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy),
        "HOME": str(tmp_path), "VETGRAPH_TIME_LIMIT": "600"}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```text\n", 1)[1].split("```", 1)[0]
    assert normalised(result.stdout.splitlines()) == normalised(block.splitlines())
