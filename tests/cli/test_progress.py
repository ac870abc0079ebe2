"""Long work shows its progress on standard error when that is a terminal, and nowhere else (issue 11).

The terminal is real: the command runs with its standard error on a pseudo-terminal
(Python's pty), as in a user's shell, and its standard output on a pipe.
"""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from vetgraph.progress import counted, on_terminal, silent
from vetgraph.project import default_project

VETGRAPH = [sys.executable, "-m", "vetgraph.cli"]
SAMPLES = [str(p) for p in default_project().sample_submissions()]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_is_drawn_in_place_and_ended_on_a_terminal() -> None:
    screen = Terminal()
    step = counted(on_terminal(screen), "Skriver sidor", 3)
    for _ in range(3):
        step()
    drawn = screen.getvalue()
    assert drawn.startswith("\r\x1b[2KSkriver sidor: [") and "0/3" in drawn
    assert drawn.endswith("] 3/3\n") and drawn.count("\n") == 1


def test_nothing_is_drawn_where_no_one_watches() -> None:
    assert on_terminal(io.StringIO()) is silent


def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run vetgraph with standard error on a pseudo-terminal; its exit code, standard output and the terminal."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [*VETGRAPH, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal, env={**os.environ, "COLUMNS": "100"}
    )
    os.close(terminal)
    seen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        if not ready:
            process.kill()
            raise AssertionError("no end of output within 120 s")
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    stdout = process.stdout.read().decode() if process.stdout else ""
    return process.wait(), stdout, seen.decode(errors="replace")


def test_bulk_validation_counts_files_on_the_terminal(tmp_path: Path) -> None:
    code, out, terminal = run_on_terminal(["validate", *SAMPLES], tmp_path)
    assert code == 0
    assert "Validerar filer: [" in terminal and f"{len(SAMPLES)}/{len(SAMPLES)}" in terminal
    assert "Validerar" not in out  # the report on standard output stays clean


def test_publish_draws_a_bar_on_the_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    code, out, terminal = run_on_terminal(["publish", str(tmp_path / "site")], REPO)
    assert code == 0 and "Published" in out
    assert "Skriver sidor: [" in terminal and "#" * 30 in terminal  # a full bar at the end
    piped = subprocess.run([*VETGRAPH, "publish", str(tmp_path / "site2")], cwd=REPO, capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == ""


def test_a_large_file_of_ones_own_is_read_with_trusted(tmp_path: Path) -> None:
    big = tmp_path / "alla-namnder.ttl"
    sample = Path(SAMPLES[0]).read_text(encoding="utf-8")
    padding = "# " + "x" * 1000 + "\n"
    big.write_text(sample + padding * 11_000, encoding="utf-8")  # about 11 MB
    refused = subprocess.run([*VETGRAPH, "validate", str(big)], capture_output=True, text=True)
    assert refused.returncode == 2 and "--trusted" in refused.stderr and "10.5 MB" in refused.stderr
    trusted = subprocess.run([*VETGRAPH, "validate", "--trusted", str(big)], capture_output=True, text=True)
    assert trusted.returncode == 0, trusted.stderr
    assert "uppfyller kraven" in trusted.stdout
