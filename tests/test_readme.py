"""Every `$ vetgraph ...` example in README.md prints what the README says it prints."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from vetgraph.cli import main


def examples() -> list[tuple[str, str, int | None]]:
    """(command, expected output, expected exit status or None) from README's code blocks."""
    found = []
    for block in code_blocks((REPO / "README.md").read_text(encoding="utf-8")):
        chunks = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
        for i, chunk in enumerate(chunks):
            command, _, output = chunk.partition("\n")
            if not command.startswith("vetgraph"):
                continue
            status = None
            if i + 1 < len(chunks) and chunks[i + 1].startswith("echo $?"):
                status = int(chunks[i + 1].split("\n")[1])
            found.append((command, output, status))
    return found


def code_blocks(markdown: str) -> list[str]:
    """The README's code blocks, except ```text ones: stories whose output varies (times) or needs files."""
    blocks, current, story = [], None, False
    for line in markdown.splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, story = [], line.startswith("```text")
            else:
                if not story:
                    blocks.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


EXAMPLES = examples()


def test_the_readme_has_examples_of_every_command() -> None:
    commands = {shlex.split(command)[1] for command, _, _ in EXAMPLES}
    assert commands >= {
        "validate",
        "shacl",
        "template",
        "accept",
        "build",
        "queries",
        "query",
        "report",
        "publish",
        "--version",
    }
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("command", "expected", "status"), EXAMPLES, ids=[c for c, _, _ in EXAMPLES])
def test_readme_example(
    command: str, expected: str, status: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = shlex.split(command)[1:]
    if args[0] in ("build", "report", "publish", "template", "accept"):
        monkeypatch.chdir(tmp_path)  # writes dist/ there, not into the checkout
        (tmp_path / "data").symlink_to(REPO / "data")
    else:
        monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, args)
    printed = result.stdout + result.stderr
    assert printed.strip() == expected.strip(), printed
    if status is not None:
        assert result.exit_code == status
    assert os.getcwd() in (str(tmp_path), str(REPO))
