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

Nothing is written through a symbolic link that vetgraph did not make: an output
folder or lock file that is a link is refused, and single files
(:func:`write_new_file`) are created only where nothing, not even a dangling
link, is in their place.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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


def _symlink(path: Path) -> VetgraphError:
    return VetgraphError(
        "is a symbolic link; vetgraph never writes through a link it did not make: give the real path",
        path=path,
        sv="är en symbolisk länk; vetgraph skriver aldrig genom en länk det inte har gjort: ange den riktiga sökvägen",
    )


def _is_real_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _open_lock(lock_path: Path) -> IO[str]:
    """The lock file beside the output: opened without following a link, and only if it is vetgraph's own."""
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _symlink(lock_path) from None
        raise VetgraphError(f"cannot write the output folder's lock file: {error.strerror}", path=lock_path) from None
    lock = os.fdopen(descriptor, "r+", encoding="utf-8")
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or (info.st_size and _read_manifest_from(lock) is None):
        lock.close()
        raise VetgraphError(
            "this file is in the place of vetgraph's lock file for the output folder, and vetgraph did not "
            "write it; move it away or give another output folder",
            path=lock_path,
        )
    return lock


def write_new_file(path: str | Path, data: bytes) -> Path:
    """Write ``data`` as a new file at ``path``: never over an existing file, never through a link, never half.

    The bytes go to a temporary file beside ``path`` first, which is then linked in
    under its name: ``link`` fails if anything (a file, a dangling link) is there.
    """
    path = Path(path)
    if os.path.lexists(path):
        raise VetgraphError(
            "the file exists; vetgraph does not overwrite it: give a new name",
            path=path,
            sv="filen finns redan; vetgraph skriver inte över den: ange ett nytt namn",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise VetgraphError(f"cannot write the file: {error.strerror}", path=path) from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise VetgraphError(
                "the file appeared while vetgraph was writing it; nothing was changed", path=path
            ) from None
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            _write_exclusive(path, data)  # a file system without hard links
    except OSError as error:
        raise VetgraphError(f"cannot write the file: {error.strerror}", path=path) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return path


def _write_exclusive(path: Path, data: bytes) -> None:
    # O_EXCL with O_CREAT fails on anything at the path, a dangling link included.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError:
        os.unlink(path)
        raise


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


def _read_manifest_from(lock: IO[str]) -> set[str] | None:
    """The files the last output held, as the lock file records them (None: not vetgraph's manifest)."""
    try:
        lock.seek(0)
        lines = lock.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != MANIFEST_HEADER:
        return None
    return set(lines[1:])


def _check_ours(target: Path, lock: IO[str]) -> None:
    """Refuse to replace a folder holding anything vetgraph did not write there."""
    if not os.path.lexists(target):
        return
    if not _is_real_folder(target):
        raise VetgraphError("exists and is not a folder; give a folder for the output", path=target)
    present = _written_files(target)
    if not present:
        return
    manifest = _read_manifest_from(lock)
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
    given = Path(os.path.abspath(os.path.expanduser(str(target) or ".")))
    if given.is_symlink():
        raise _symlink(given)
    target = given.resolve()
    check_output_location(target)
    parent = target.parent
    lock_path = parent / f".{target.name}.lock"
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise VetgraphError(f"cannot write the output folder: {error.strerror}", path=target) from None
    with _open_lock(lock_path) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        previous = parent / f".{target.name}.previous"
        staging: Path | None = None
        try:
            if _is_real_folder(previous) and not os.path.lexists(target):
                previous.rename(target)  # an earlier run died between its two renames
            shutil.rmtree(previous, ignore_errors=True)
            _remove_stale_staging(parent, target.name)
            _check_ours(target, lock)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
            staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is for others to read
            yield staging
            written = _written_files(staging)
            # on disk before the swap: one sync for all files (one fsync per file took publish seconds)
            os.sync()
            # Record what this output holds before it is swapped in: a crash in between
            # leaves a manifest that covers the old files and the new.
            manifest = _read_manifest_from(lock) or set()
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
