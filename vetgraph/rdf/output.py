"""Writing output folders so that a reader never sees half of one, and no user file is ever lost.

A command writes into a fresh staging folder beside the target, then swaps it in
with two renames under an exclusive lock. An interrupted or failed run leaves the
previous output as it was; two runs at once take turns; if a run dies between the
two renames, the next one puts the previous output back first; and staging
folders that a killed run left behind are removed by the next run.

Replacing a folder deletes what was in it, so vetgraph replaces only folders it
wrote itself. The lock file beside the output (``.NAME.lock``) records the files
of the last output; a folder is replaced only if it is new, empty, or holds
nothing but those files. A folder with anything else in it (the user's
documents, a file added to a published site) is refused with a message, and
places that are never output folders (``/``, the home folder, the working folder
and its parents, a git repository, the project itself) are refused outright.
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

MANIFEST_HEADER = "# vetgraph output folder; the files it wrote there:"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def check_output_location(target: Path) -> None:
    """Refuse folders that must never be replaced as a whole, whatever is in them."""
    from vetgraph.project import default_project

    cwd = Path.cwd().resolve()
    reasons = {
        Path("/"): "the root folder",
        Path.home().resolve(): "your home folder",
    }
    if target in reasons:
        raise _unsafe(target, reasons[target])
    if target == cwd or target in cwd.parents:
        raise _unsafe(target, "the folder you are working in (or one of its parents)")
    if (target / ".git").exists():
        raise _unsafe(target, "a git repository")
    try:
        project_root = default_project().root.resolve()
    except VetgraphError:
        project_root = None  # no project found: nothing to protect here
    if target == project_root:
        raise _unsafe(target, "vetgraph's own project folder")


def _unsafe(target: Path, what: str) -> VetgraphError:
    return VetgraphError(
        f"refusing to write the output here: this is {what}, and vetgraph replaces its output folder as a whole; "
        "give a new or empty folder (e.g. --out dist/graf)",
        path=target,
    )


def _written_files(root: Path) -> set[str]:
    """Every file and folder below ``root``, as relative POSIX paths (folders end in /)."""
    found: set[str] = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        found.add(relative + "/" if path.is_dir() and not path.is_symlink() else relative)
    return found


def _read_manifest(lock: Path) -> set[str] | None:
    try:
        lines = lock.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != MANIFEST_HEADER:
        return None
    return set(lines[1:])


def _check_ours(target: Path, lock_path: Path) -> None:
    """Refuse to replace a folder holding anything vetgraph did not write there."""
    if not target.exists():
        return
    if not target.is_dir() or target.is_symlink():
        raise VetgraphError("exists and is not a folder; give a folder for the output", path=target)
    present = _written_files(target)
    if not present:
        return
    manifest = _read_manifest(lock_path)
    foreign = sorted(present - manifest) if manifest is not None else sorted(present)
    if foreign:
        example = foreign[0]
        raise VetgraphError(
            f"the folder holds {len(foreign)} file(s) that vetgraph did not write (e.g. '{example}'); "
            "vetgraph replaces its output folder as a whole and never deletes other files: "
            "give a new or empty folder, or move those files away first",
            path=target,
        )


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Staging folders of runs that were killed (only the lock holder stages, so none is live)."""
    for stale in parent.glob(f".{name}.new-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def replace_directory(target: str | Path) -> Iterator[Path]:
    """Yield an empty folder to write into; on success it becomes ``target``, on error it is removed.

    Raises :class:`VetgraphError` before anything is written if ``target`` is a place
    that is never an output folder or holds files vetgraph did not write.
    """
    target = Path(os.path.abspath(os.path.expanduser(str(target) or "."))).resolve()
    check_output_location(target)
    parent = target.parent
    lock_path = parent / f".{target.name}.lock"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        lock = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole swap
    except OSError as error:
        raise VetgraphError(f"cannot write the output folder: {error.strerror}", path=target) from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        previous = parent / f".{target.name}.previous"
        staging: Path | None = None
        try:
            if previous.exists() and not target.exists():
                previous.rename(target)  # an earlier run died between its two renames
            shutil.rmtree(previous, ignore_errors=True)
            _remove_stale_staging(parent, target.name)
            _check_ours(target, lock_path)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
            staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is for others to read
            yield staging
            written = _written_files(staging)
            # on disk before the swap: one sync for all files (one fsync per file took publish seconds)
            os.sync()
            # Record what this output holds before it is swapped in: a crash in between
            # leaves a manifest that covers the old files and the new.
            manifest = _read_manifest(lock_path) or set()
            lock.seek(0)
            lock.truncate()
            lock.write("\n".join([MANIFEST_HEADER, *sorted(manifest | written)]) + "\n")
            lock.flush()
            os.fsync(lock.fileno())
            if target.exists():
                target.rename(previous)
            staging.rename(target)
            staging = None
            lock.seek(0)
            lock.truncate()
            lock.write("\n".join([MANIFEST_HEADER, *sorted(written)]) + "\n")
            lock.flush()
            shutil.rmtree(previous, ignore_errors=True)
        except OSError as error:
            raise VetgraphError(
                f"cannot write the output ({error.strerror}); the previous output is unchanged", path=target
            ) from None
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
