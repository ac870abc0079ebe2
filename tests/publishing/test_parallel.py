"""Work shared with a forked second process (publish's pages): all of it done, and a failure in either raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetgraph.errors import VetgraphError
from vetgraph.publishing.parallel import in_two_processes


def test_every_item_is_done_once_and_the_childs_files_are_counted(tmp_path: Path) -> None:
    written = 0

    def work(item: int) -> None:
        nonlocal written
        (tmp_path / f"{item}.txt").write_text(str(item))
        written += 1

    heard: list[tuple[int, int | None]] = []
    by_child = in_two_processes(list(range(101)), work, lambda: written, lambda _w, d, t: heard.append((d, t)), "x")
    assert sorted(int(p.stem) for p in tmp_path.iterdir()) == list(range(101))
    assert written + by_child == 101 and by_child == 50
    assert heard[0] == (0, 101) and heard[-1] == (101, 101)


@pytest.mark.parametrize("failing", [1, 2])  # odd items are the child's, even ones the parent's
def test_a_failure_in_either_process_is_raised(failing: int) -> None:
    def work(item: int) -> None:
        if item == failing:
            raise OSError(28, "No space left on device")

    with pytest.raises((VetgraphError, OSError), match="No space left on device"):
        in_two_processes([0, 1, 2, 3], work, lambda: 0, lambda *_: None, "x")
