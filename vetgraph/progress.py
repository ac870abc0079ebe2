"""Progress of long work (publish, report, bulk validation, accept, Kolada fetches), shown on standard error.

The library reports progress through a :data:`Progress` callback, ``progress(what,
done, total)``, and never prints; the command line passes :func:`on_terminal`,
which draws one line on standard error, rewritten in place, only when standard
error is a terminal (a log, a pipe or a test sees nothing), at most ten times a
second, and ends it when the work is done. :func:`silent` is the default.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

# what is being done ("Skriver sidor"), how many done, how many in all (None: not known)
Progress = Callable[[str, int, int | None], None]


def silent(what: str, done: int, total: int | None) -> None:
    """No progress shown."""


def on_terminal(stream: TextIO | None = None) -> Progress:
    """A :data:`Progress` that draws on ``stream`` (standard error) if it is a terminal, else :func:`silent`."""
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        return silent
    last_at, last_what = 0.0, ""

    def draw(what: str, done: int, total: int | None) -> None:
        nonlocal last_at, last_what
        now = time.monotonic()
        finished = total is not None and done >= total
        if not finished and what == last_what and now - last_at < 0.1:
            return
        last_at, last_what = now, what
        if total:
            width = 30
            filled = width * min(done, total) // total
            line = f"{what}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            line = f"{what}: {done}"
        out.write("\r\x1b[2K" + line + ("\n" if finished else ""))
        out.flush()

    return draw


def counted(progress: Progress, what: str, total: int | None) -> Callable[[], None]:
    """A function to call once per item done: it reports ``what`` with the running count (0 of ``total`` first)."""
    done = 0
    progress(what, done, total)

    def step() -> None:
        nonlocal done
        done += 1
        progress(what, done, total)

    return step
