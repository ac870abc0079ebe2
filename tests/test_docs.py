"""docs/python-api.md: every example runs, in order, in an empty folder; the public API is what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import vetgraph
from conftest import REPO

DOC = REPO / "docs" / "python-api.md"


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def test_every_example_in_the_python_api_guide_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"{DOC.name}, example {number}", "exec"), namespace)
        except Exception as error:  # name the example that failed
            raise AssertionError(f"example {number} of {DOC.name} failed: {error!r}\n{block}") from error


def test_the_public_api_is_what_all_lists() -> None:
    from vetgraph import _API

    assert set(vetgraph.__all__) == {"__version__", *_API}
    for name in vetgraph.__all__:
        assert getattr(vetgraph, name) is not None, name
    assert (REPO / "vetgraph" / "py.typed").is_file()


def test_the_guide_names_every_public_function() -> None:
    text = DOC.read_text(encoding="utf-8")
    functions = [n for n in vetgraph.__all__ if n[0].islower() and not n.startswith("_")]
    assert [n for n in functions if f"vetgraph.{n}" not in text] == []
