"""Work shared with a forked second process: ``publish`` writes six documents for each of thousands of resources.

The machine vetgraph runs on has two cores, and the pages are independent of one
another: a child forked after the site is built (sharing its memory, copy on
write) takes every other resource, the parent the rest, and the two count the
resources done in shared memory, so one progress bar shows both. The child
reports a failure through a pipe; the parent raises it, and never leaves the
child running.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

from vetgraph.errors import VetgraphError
from vetgraph.progress import Progress

T = TypeVar("T")


def in_two_processes(
    items: Sequence[T], work: Callable[[T], None], files: Callable[[], int], progress: Progress, what: str
) -> int:
    """Run ``work`` on every item, half of them in a forked child; the number of files the child wrote.

    ``files()`` counts the files written so far in the calling process (the child's own count comes back).
    """
    done = multiprocessing.Value("i", 0)
    child_files = multiprocessing.Value("i", 0)
    reader, writer = os.pipe()
    before = files()
    progress(what, 0, len(items))
    pid = os.fork()
    if pid == 0:  # the child: every other item from the second, then straight out (no cleanup of the parent's)
        os.close(reader)
        code = 0
        try:
            for item in items[1::2]:
                work(item)
                with done.get_lock():
                    done.value += 1
            child_files.value = files() - before
        except BaseException as error:  # reported by the parent
            os.write(writer, f"{type(error).__name__}: {error}".encode()[:4000])
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    try:
        for item in items[0::2]:
            work(item)
            with done.get_lock():
                done.value += 1
            progress(what, done.value, len(items))
        _, status = os.waitpid(pid, 0)
        pid = 0
        failure = os.read(reader, 4000).decode(errors="replace")
    finally:
        os.close(reader)
        if pid:  # the parent failed: stop the child too
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if status != 0:
        raise VetgraphError(f"writing the documents failed in the second process: {failure or 'it was stopped'}")
    progress(what, len(items), len(items))
    return int(child_files.value)
