"""A command never deletes a file it did not write (issue 7, "Data loss"), tested on the real command.

Each test is named after a case that lost files before: `report --out .` in a
folder of documents, `build --out ''` in a clone, publish into a folder with the
user's files, and the staging folders that killed runs left behind.

Every command here runs inside a temporary folder, on a copy of the project
where the project itself is the target: a regression must not be able to delete
the checkout the tests run from (an early version of this file did exactly that).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from vetgraph.errors import VetgraphError
from vetgraph.rdf.output import check_output_location

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def vetgraph(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", *args],
        cwd=cwd,
        env=env or ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def documents(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"brev.txt": b"Hej!\n", "budget.xlsx": b"PK\x03\x04 not really", "sub/anteckning.md": b"# Notes\n"}
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return files


def assert_untouched(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        assert (folder / name).read_bytes() == data, name


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_report_out_dot_in_a_folder_of_documents_deletes_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "Dokument"
    files = documents(docs)
    result = vetgraph("report", "--out", ".", cwd=docs)
    assert_one_line_error(result)
    assert "refusing" in result.stderr and "working in" in result.stderr
    assert_untouched(docs, files)


def test_build_out_empty_string_in_a_clone_deletes_nothing(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    files = documents(clone)
    (clone / ".git").mkdir()
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result = vetgraph("build", "--out", "", cwd=clone)
    assert_one_line_error(result)
    assert_untouched(clone, files)
    assert (clone / ".git" / "HEAD").is_file()


@pytest.mark.parametrize("place", ["~", ".."])
def test_output_into_home_or_a_parent_folder_is_refused(tmp_path: Path, place: str) -> None:
    home, work = tmp_path / "home", tmp_path / "home" / "work"
    work.mkdir(parents=True)
    files = documents(home / "Dokument")
    result = vetgraph("build", "--out", place, cwd=work, env={**ENV, "HOME": str(home)})
    assert_one_line_error(result)
    assert "refusing" in result.stderr
    assert_untouched(home / "Dokument", files)


def test_output_into_the_root_folder_is_refused() -> None:
    # Checked on the function alone: no test hands "/" to a command that might regress.
    with pytest.raises(VetgraphError, match="root folder"):
        check_output_location(Path("/"))


def test_output_into_the_project_folder_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "vetgraph-data"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, copy / folder)
    result = vetgraph("build", "--out", str(copy), cwd=tmp_path, env={**ENV, "VETGRAPH_HOME": str(copy)})
    assert_one_line_error(result)
    assert "project folder" in result.stderr
    assert (copy / "ontology" / "vetlanda.ttl").is_file()


def test_a_git_repository_is_never_an_output_folder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    result = vetgraph("report", "--out", str(repo), cwd=tmp_path)
    assert_one_line_error(result)
    assert "git repository" in result.stderr
    assert (repo / ".git").is_dir()


@pytest.mark.parametrize("command", ["build", "report", "publish"])
def test_a_folder_with_other_files_is_refused_and_kept(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    files = documents(out)
    args = [command, str(out)] if command == "publish" else [command, "--out", str(out)]
    result = vetgraph(*args, cwd=tmp_path)
    assert_one_line_error(result)
    assert "did not write" in result.stderr and "brev.txt" in result.stderr
    assert_untouched(out, files)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["out"]


def test_a_file_added_to_vetgraphs_own_output_is_not_deleted(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    assert vetgraph("report", "--out", str(out), cwd=tmp_path).returncode == 0
    (out / "mina-kommentarer.txt").write_text("viktigt\n")
    result = vetgraph("report", "--out", str(out), cwd=tmp_path)
    assert_one_line_error(result)
    assert "mina-kommentarer.txt" in result.stderr
    assert (out / "mina-kommentarer.txt").read_text() == "viktigt\n"


def test_vetgraphs_own_output_is_still_replaced_atomically(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    for _ in range(2):  # the second run replaces what the first one wrote
        result = vetgraph("report", "--out", str(out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["namnd", "uppfoljning.html", "uppfoljning.md"]


def test_a_file_added_among_the_committee_pages_is_not_deleted(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    assert vetgraph("report", "--out", str(out), cwd=tmp_path).returncode == 0
    (out / "namnd" / "protokoll.docx").write_bytes(b"PK")
    result = vetgraph("report", "--out", str(out), cwd=tmp_path)
    assert_one_line_error(result)
    assert "protokoll.docx" in result.stderr
    assert (out / "namnd" / "protokoll.docx").read_bytes() == b"PK"


def test_an_empty_existing_folder_is_used(tmp_path: Path) -> None:
    out = tmp_path / "tom"
    out.mkdir()
    result = vetgraph("build", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "vetgraph.ttl").is_file()


def test_staging_folders_of_killed_runs_are_cleaned_up(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for _ in range(2):
        process = subprocess.Popen(
            [sys.executable, "-m", "vetgraph.cli", "publish", str(out)],
            cwd=tmp_path,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".site.new-*/**/*.html")) and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert len(list(tmp_path.glob(".site.new-*"))) >= 1  # the kills left staging folders behind
    result = vetgraph("publish", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob(".site.new-*"))
    assert (out / "index.html").is_file()


def test_a_read_only_output_folder_is_exit_2_not_a_bug(tmp_path: Path) -> None:
    parent = tmp_path / "skrivskyddad"
    parent.mkdir()
    command = [sys.executable, "-m", "vetgraph.cli", "build", "--out", str(parent / "graf")]
    if os.geteuid() == 0:
        # Root ignores permission bits: make the folder a read-only mount in a private namespace.
        script = f'mount --bind "{parent}" "{parent}" && mount -o remount,ro,bind "{parent}" "{parent}" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, "sh", *command]
    else:
        parent.chmod(0o555)
    result = subprocess.run(command, cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=300, check=False)
    assert_one_line_error(result)
    assert "cannot write" in result.stderr


# ---------------------------------------------------------------- symbolic links (issue 17, "A user's files")


def users_document(tmp_path: Path) -> Path:
    document = tmp_path / "viktigt.docx"
    document.write_bytes(b"PK\x03\x04 the user's only copy")
    return document


@pytest.mark.parametrize(("command", "lock"), [("publish", ".site.lock"), ("report", ".rapport.lock")])
def test_a_lock_file_planted_as_a_symlink_never_overwrites_the_users_file(
    tmp_path: Path, command: str, lock: str
) -> None:
    document = users_document(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / lock).symlink_to(document)
    args = ["publish", str(out / "site")] if command == "publish" else ["report", "--out", str(out / "rapport")]
    result = vetgraph(*args, cwd=tmp_path)
    assert_one_line_error(result)
    assert "symbolic link" in result.stderr
    assert document.read_bytes() == b"PK\x03\x04 the user's only copy"
    assert not (out / "site").exists() and not (out / "rapport").exists()


def test_a_file_in_the_place_of_the_lock_file_is_not_truncated(tmp_path: Path) -> None:
    lock = tmp_path / ".site.lock"
    lock.write_text("my notes, not vetgraph's\n")
    result = vetgraph("publish", str(tmp_path / "site"), cwd=tmp_path)
    assert_one_line_error(result)
    assert lock.read_text() == "my notes, not vetgraph's\n"


@pytest.mark.parametrize("command", ["template", "import", "kolada"])
def test_single_file_outputs_never_write_through_a_dangling_symlink(tmp_path: Path, command: str) -> None:
    elsewhere = tmp_path / "elsewhere" / "created.bin"
    elsewhere.parent.mkdir()
    link = tmp_path / ("out.xlsx" if command == "template" else "out.ttl")
    link.symlink_to(elsewhere)
    args = {
        "template": ["template", str(link)],
        "import": ["import", str(REPO / "data/exempel/kalkylblad/kultur-och-fritidsnamnden.xlsx"), "--out", str(link)],
        # checked before anything is fetched: the port is never asked
        "kolada": ["kolada", "fetch", "--kpi", "N00914", "--out", str(link), "--base-url", "http://127.0.0.1:9/"],
    }[command]
    result = vetgraph(*args, cwd=tmp_path)
    assert_one_line_error(result)
    assert not elsewhere.exists()
    assert link.is_symlink()


def test_a_template_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    result = vetgraph("template", str(tmp_path / "mall.xlsx"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mall.xlsx").read_bytes().startswith(b"PK")
    assert [p.name for p in tmp_path.iterdir()] == ["mall.xlsx"]  # no temporary file left beside it


@pytest.mark.parametrize("pdf", [False, True])
def test_an_output_folder_that_is_a_dangling_symlink_is_refused(tmp_path: Path, pdf: bool) -> None:
    elsewhere = tmp_path / "elsewhere"
    link = tmp_path / "rapport"
    link.symlink_to(elsewhere)
    result = vetgraph("report", "--out", str(link), *(["--pdf"] if pdf else []), cwd=tmp_path)
    assert_one_line_error(result)
    assert "symbolic link" in result.stderr
    assert not elsewhere.exists()
