"""Writing output folders so that a reader never sees half of one.

A build writes into a fresh temporary folder beside the target, then swaps it in
with two renames under an exclusive lock. An interrupted or failed build leaves
the previous output as it was; two builds at once take turns; and if a build dies
between the two renames, the next one puts the previous output back first.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vetgraph.errors import VetgraphError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextmanager
def replace_directory(target: str | Path) -> Iterator[Path]:
    """Yield an empty folder to write into; on success it becomes ``target``, on error it is removed."""
    target = Path(target).resolve()
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and not target.is_dir():
            raise VetgraphError("exists and is not a folder", path=target)
        lock_path = parent / f".{target.name}.lock"
        lock = open(lock_path, "a")  # noqa: SIM115 - held for the whole swap
    except OSError as error:
        raise VetgraphError(f"cannot write the output folder: {error.strerror}", path=target) from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        previous = parent / f".{target.name}.previous"
        if previous.exists() and not target.exists():
            previous.rename(target)  # an earlier build died between its two renames
        shutil.rmtree(previous, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is for others to read
        try:
            yield staging
            for path in staging.rglob("*"):
                if path.is_file():
                    with open(path, "rb") as handle:
                        os.fsync(handle.fileno())
            if target.exists():
                target.rename(previous)
            staging.rename(target)
            shutil.rmtree(previous, ignore_errors=True)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise VetgraphError(
                f"cannot write the output ({error.strerror}); the previous output is unchanged", path=target
            ) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
