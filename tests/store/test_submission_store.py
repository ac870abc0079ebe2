"""accept, history and diff, and the follow-up read from a store: the same behaviour on every backend.

Three real stores: an on-disk Oxigraph store (the default), an Oxigraph server and
a Virtuoso server, both reached over SPARQL 1.1 Protocol and Update. Each test
gets a fresh store.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from servers import empty_store, oxigraph_server, virtuoso_server

from vetgraph.cli import main
from vetgraph.followup.queries import run, stored_queries
from vetgraph.namespaces import VTL
from vetgraph.project import default_project
from vetgraph.store import OxigraphStore, project_quads
from vetgraph.store.backends import TRIES, open_backend
from vetgraph.store.versions import open_current

SAMPLES = default_project().sample_submissions_dir
SOCIAL = SAMPLES / "socialnamnden.ttl"
BACKENDS = ["disk", "oxigraph-server", "virtuoso"]


@pytest.fixture(scope="module")
def shared_oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture(scope="module")
def shared_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Starting Virtuoso takes about 3 s: one server for the module, emptied before each test.
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store of each kind: a folder, or a server shared by the module and emptied for each test."""
    if request.param == "disk":
        return str(tmp_path / "lager")
    url: str = request.getfixturevalue("shared_oxigraph" if request.param == "oxigraph-server" else "shared_virtuoso")
    empty_store(url)
    return url


def vetgraph(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def accept(path: Path, committee: str, store: str) -> Result:
    return vetgraph("accept", str(path), "--namnd", committee, "--store", store)


def history(store: str, *options: str) -> list[dict[str, object]]:
    result = vetgraph("history", "--store", store, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def visible_state(store: str) -> tuple[str, list[list[str]]]:
    """What every reader sees: the history and every row of the current graph (a store that cannot be read fails)."""
    listing = vetgraph("history", "--store", store, "--format", "json")
    assert listing.exit_code == 0, listing.output
    rows = open_current(store).select("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o").rows
    return listing.stdout, [[str(term) for term in row] for row in rows]


def changed_social(tmp_path: Path) -> Path:
    """Socialnämnden's sample, with goal 1 retitled, goal 2 relinked, goal 3 removed and a new goal 9; goal 1's
    target raised and its delår 2025 judged met."""
    text = SOCIAL.read_text(encoding="utf-8")
    for old, new in (
        ("vtl:basvarde 88.5 ;\n    vtl:malvarde 90.0 ;", "vtl:basvarde 88.5 ;\n    vtl:malvarde 92.0 ;"),
        ('uppfyllelse:delvis-uppfyllt ;\n    rdfs:comment "Utfallet 2025 är 89,7', 'uppfyllelse:uppfyllt ;\n    rdfs:comment "Utfallet 2025 är 89,7'),
    ):  # fmt: skip
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    text = text.replace('"Fler äldre kan bo kvar hemma med god livskvalitet"@sv', '"Fler äldre bor kvar hemma"@sv')
    text = text.replace("vtl:agenda2030 sdg:3.4 , sdg:10.2 ;", "vtl:agenda2030 sdg:3.4 , sdg:10.3 ;")
    text = text.replace("nm:sn-2023-2026-3 ", "nm:sn-2023-2026-9 ")
    path = tmp_path / "socialnamnden-v2.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_accept_keeps_versions_and_diff_says_what_changed(store: str, tmp_path: Path) -> None:
    first = accept(SOCIAL, "socialnamnden", store)
    assert first.exit_code == 0, first.output
    assert "as version 1 of socialnamnden's submission for 2023-2026 (5 nämndmål)" in first.stdout
    second = accept(changed_social(tmp_path), "socialnamnden", store)
    assert second.exit_code == 0, second.output
    assert "version 1 is kept as history" in second.stdout

    versions = history(store)
    assert [(v["version"], v["current"], v["file"], v["goals"]) for v in versions] == [
        (1, False, "socialnamnden.ttl", 5),
        (2, True, "socialnamnden-v2.ttl", 5),
    ]
    assert versions[0]["sha256"] == hashlib.sha256(SOCIAL.read_bytes()).hexdigest()
    assert versions[0]["software"].startswith("vetgraph ")  # type: ignore[union-attr]

    changes = json.loads(vetgraph("diff", "--namnd", "socialnamnden", "--store", store, "--format", "json").stdout)
    assert [g["iri"].rsplit("/", 1)[-1] for g in changes["added"]] == ["sn-2023-2026-9"]
    assert [g["iri"].rsplit("/", 1)[-1] for g in changes["removed"]] == ["sn-2023-2026-3"]
    assert [(g["old_title"], g["title"]) for g in changes["retitled"]] == [
        ("Fler äldre kan bo kvar hemma med god livskvalitet", "Fler äldre bor kvar hemma")
    ]
    (relinked,) = changes["relinked"]
    assert relinked["iri"].endswith("sn-2023-2026-2")
    assert [link["value"] for link in relinked["added_links"]] == ["http://metadata.un.org/sdg/10.3"]
    assert [link["value"] for link in relinked["removed_links"]] == ["http://metadata.un.org/sdg/10.2"]

    # the follow-up: goal 1's target and judgement; goal 3's measure and judgements now belong to goal 9
    changed = {c["iri"].removeprefix("https://data.vetlanda.se/id/"): c for c in changes["follow_up"]}
    target = changed["matt/sn-2023-2026-1-1"]["values"]
    assert [(v["old"], v["new"]) for v in target] == [("90", "92")]
    judged = changed["bedomning/sn-2023-2026-1/2025-delar"]
    assert judged["change"] == "changed" and [(v["old"], v["new"]) for v in judged["values"]] == [
        (
            "https://data.vetlanda.se/kod/maluppfyllelse/delvis-uppfyllt",
            "https://data.vetlanda.se/kod/maluppfyllelse/uppfyllt",
        )
    ]
    assert changed["bedomning/sn-2023-2026-3/2024-helar"]["change"] == "changed"  # its goal is now sn-2023-2026-9

    text = vetgraph("diff", "--namnd", "socialnamnden", "--store", store).stdout
    assert "Socialnämnden, period:2023-2026: version 1" in text
    assert "+ Delmål 10.3" in text or "+ Agenda 2030" in text
    assert "Uppföljning (mått, utfall, bedömningar):" in text
    assert "  ~ Delår 2025: Uppfyllt (<https://data.vetlanda.se/id/bedomning/sn-2023-2026-1/2025-delar>)" in text
    assert "    måluppfyllelse: 'Delvis uppfyllt' → 'Uppfyllt'" in text


def test_provenance_and_report_are_in_the_store(store: str) -> None:
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    with open_backend(store, write=False) as backend:
        (version,) = history(store)
        table = backend.select(
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX sh: <http://www.w3.org/ns/shacl#> "
            "SELECT ?activity ?report ?conforms WHERE { "
            f"GRAPH ?register {{ <{version['iri']}> prov:wasGeneratedBy ?activity ; "
            "<https://data.vetlanda.se/def/valideringsrapport> ?report } "
            "GRAPH ?report { ?r a sh:ValidationReport ; sh:conforms ?conforms } }"
        )
        assert len(table.rows) == 1
        assert str(table.rows[0][2]) == "true"
        goals = backend.select(
            f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH <{version['iri']}> {{ ?g a <{VTL.Namndmal}> }} }}"
        )
        assert str(goals.rows[0][0]) == "5"


def test_every_stored_query_gives_the_same_rows_from_the_store_as_from_the_bundled_data(
    store: str, tmp_path: Path
) -> None:
    # An older version of Socialnämnden's goals that must not be counted, then every sample.
    assert accept(changed_social(tmp_path), "socialnamnden", store).exit_code == 0
    for sample in sorted(SAMPLES.glob("*.ttl")):
        result = accept(sample, sample.stem, store)
        assert result.exit_code == 0, result.output
    bundled = OxigraphStore(project_quads())
    stored = open_current(store)
    for query in stored_queries():
        for params in ({}, {"mandatperiod": "period:2027-2030"}):
            assert run(query, stored, params).rows == run(query, bundled, params).rows, query.name


def test_the_report_from_the_store_is_the_report_of_the_bundled_data(store: str, tmp_path: Path) -> None:
    for sample in sorted(SAMPLES.glob("*.ttl")):
        assert accept(sample, sample.stem, store).exit_code == 0
    assert vetgraph("report", "--out", str(tmp_path / "bundled")).exit_code == 0
    result = vetgraph("report", "--store", store, "--out", str(tmp_path / "stored"))
    assert result.exit_code == 0, result.output
    for name in ("uppfoljning.md", "uppfoljning.html"):
        assert (tmp_path / "stored" / name).read_text() == (tmp_path / "bundled" / name).read_text()


def test_publish_from_the_store(store: str, tmp_path: Path) -> None:
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    result = vetgraph("publish", str(tmp_path / "site"), "--store", store)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "id" / "namndmal" / "sn-2023-2026-1.html").is_file()
    assert not (tmp_path / "site" / "id" / "namndmal" / "tn-2023-2026-1.html").exists()  # not accepted


def test_a_submission_that_does_not_conform_changes_nothing(store: str, tmp_path: Path) -> None:
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    before = visible_state(store)
    broken = tmp_path / "utan-delstrategi.ttl"
    broken.write_text(
        SOCIAL.read_text(encoding="utf-8").replace("vtl:delstrategi ds:god-halsa ;", ""), encoding="utf-8"
    )
    result = accept(broken, "socialnamnden", store)
    assert result.exit_code == 1
    assert "delstrategi" in result.stdout  # the report says what is missing
    assert "was not accepted; the store is unchanged" in result.stderr
    assert visible_state(store) == before


def test_a_goal_of_another_committee_is_refused(store: str, tmp_path: Path) -> None:
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    before = visible_state(store)
    # Tekniska nämnden submits a goal under an IRI that is Socialnämnden's.
    text = (SAMPLES / "tekniska-namnden.ttl").read_text(encoding="utf-8")
    stolen = tmp_path / "tekniska.ttl"
    stolen.write_text(text.replace("nm:tn-2023-2026-1 ", "nm:sn-2023-2026-1 "), encoding="utf-8")  # its follow-up too
    result = accept(stolen, "tekniska-namnden", store)
    assert result.exit_code == 1, result.output
    assert "sn-2023-2026-1> is already <https://data.vetlanda.se/id/namnd/socialnamnden>'s" in result.stderr
    assert visible_state(store) == before


def test_two_accepts_at_once_both_land(store: str, tmp_path: Path) -> None:
    commands = [
        [sys.executable, "-m", "vetgraph.cli", "accept", str(path), "--namnd", "socialnamnden", "--store", store]
        for path in (SOCIAL, changed_social(tmp_path))
    ]
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    versions = history(store)
    assert sorted(v["version"] for v in versions) == [1, 2]
    assert sum(bool(v["current"]) for v in versions) == 1


def current_rows_of(store: str) -> list[list[str]]:
    return visible_state(store)[1]


# Runs vetgraph with every write to the store counted; the process kills itself
# with SIGKILL just before write number LIMIT (argv[1]), and prints the count at exit.
CRASHER = """
import atexit, os, signal, sys
from vetgraph.store import backends
limit, writes = int(sys.argv[1]), [0]
def crashing(method):
    def write(self, *args, **kwargs):
        writes[0] += 1
        if writes[0] == limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return method(self, *args, **kwargs)
    return write
for backend in (backends.DiskBackend, backends.ServerBackend):
    for name in ("insert", "update"):
        setattr(backend, name, crashing(getattr(backend, name)))
atexit.register(lambda: print(f"writes={writes[0]}", file=sys.stderr))
from vetgraph.cli import main
sys.argv = ["vetgraph", *sys.argv[2:]]
main()
"""


def accept_killed_at(write: int, path: Path, store: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", CRASHER, str(write), "accept", str(path), "--namnd", "socialnamnden"]
    return subprocess.run([*command, "--store", store], capture_output=True, text=True, timeout=120)


def test_accept_killed_before_each_write_leaves_the_state_before(store: str, tmp_path: Path) -> None:
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    before = visible_state(store)
    changed = changed_social(tmp_path)
    complete = accept_killed_at(0, changed, store)  # 0: never killed; counts the writes
    assert complete.returncode == 0, complete.stderr
    writes = int(complete.stderr.rsplit("writes=", 1)[1])
    after = visible_state(store)
    assert writes >= 3 and after != before
    for write in range(1, writes + 1):
        killed = accept_killed_at(write, changed, store)
        assert killed.returncode == -signal.SIGKILL
        assert visible_state(store) == after, f"killed before write {write} of {writes}"
    # The store is still usable, and its versions are numbered without gaps.
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    assert [v["version"] for v in history(store)] == [1, 2, 3]


def test_accept_killed_at_random_moments_leaves_the_state_before_or_after(store: str, tmp_path: Path) -> None:
    files = [SOCIAL, changed_social(tmp_path)]
    rows_of = {}  # the current graph each file gives when accepted, to recognise "after"
    started = time.monotonic()
    for path in files:
        assert accept_killed_at(0, path, store).returncode == 0
        rows_of[path.name] = current_rows_of(store)
    duration = (time.monotonic() - started) / 2
    for round_number, fraction in enumerate(random.Random(9).sample([i / 8 for i in range(2, 9)], 5)):
        path = files[round_number % 2]
        before = history(store)
        command = [sys.executable, "-m", "vetgraph.cli", "accept", str(path), "--namnd", "socialnamnden"]
        process = subprocess.Popen([*command, "--store", store], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(fraction * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = history(store)
        if after == before:
            continue  # killed before the switch: nothing changed
        (current,) = [v for v in after if v["current"]]
        assert after[:-1] == [dict(v, current=False) for v in before]
        assert after[-1]["version"] == before[-1]["version"] + 1 and after[-1] is current
        assert current_rows_of(store) == rows_of[str(current["file"])]
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    numbers = [v["version"] for v in history(store)]
    assert numbers == list(range(1, len(numbers) + 1))


class FailingProxy(http.server.ThreadingHTTPServer):
    """Forwards to a SPARQL server, but answers 500 to the update that would switch "current"."""

    def __init__(self, target: str) -> None:
        super().__init__(("127.0.0.1", 0), FailingProxyHandler)
        self.target = target
        self.failed = 0


class FailingProxyHandler(http.server.BaseHTTPRequestHandler):
    server: FailingProxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def forward(self, body: bytes | None) -> None:
        request = urllib.request.Request(
            self.server.target.rsplit("/", 1)[0] + self.path,
            data=body,
            method=self.command,
            headers={k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, headers, data = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, error.headers, error.read()
        self.send_response(status)
        self.send_header("Content-Type", headers.get("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.forward(None)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/update") and b"aktuellVersion" in urllib.parse.unquote_to_bytes(body):
            self.server.failed += 1
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.forward(body)


def test_a_server_failing_mid_way_leaves_no_half_accepted_version(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path) as url:
        assert accept(SOCIAL, "socialnamnden", url).exit_code == 0
        before = visible_state(url)
        proxy = FailingProxy(url)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        try:
            proxied = f"http://127.0.0.1:{proxy.server_port}/query"
            result = accept(changed_social(tmp_path), "socialnamnden", proxied)
            assert proxy.failed == TRIES  # a failed request is sent again a few times, then given up
        finally:
            proxy.shutdown()
        assert result.exit_code == 2
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert visible_state(url) == before
        assert accept(changed_social(tmp_path), "socialnamnden", url).exit_code == 0
        assert [v["version"] for v in history(url)] == [1, 2]


def test_a_folder_that_is_not_a_store_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "mina-dokument"
    folder.mkdir()
    (folder / "budget.xlsx").write_bytes(b"not touched")
    result = accept(SOCIAL, "socialnamnden", str(folder))
    assert result.exit_code == 2
    assert "is not a vetgraph store and is not empty" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["budget.xlsx"]


def test_reading_a_store_that_does_not_exist_says_so(tmp_path: Path) -> None:
    result = vetgraph("query", "delstrategier-tackning", "--store", str(tmp_path / "inget"))
    assert result.exit_code == 2
    assert "no store here yet: vetgraph accept puts the first submission into it" in result.stderr
    assert not (tmp_path / "inget").exists()


def test_an_unreachable_store_is_one_line(tmp_path: Path) -> None:
    from servers import free_port

    result = accept(SOCIAL, "socialnamnden", f"http://127.0.0.1:{free_port()}/query")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "refused the connection" in result.stderr


def test_a_template_filled_as_a_person_would_goes_all_the_way_into_the_store(store: str, tmp_path: Path) -> None:
    """template -> fill (choosing from the lists) -> validate -> import -> accept -> query."""
    from filling import a_goal, fill
    from openpyxl import load_workbook

    assert vetgraph("template", str(tmp_path / "mall.xlsx"), "--namnd", "socialnamnden",
                    "--mandatperiod", "period:2023-2026").exit_code == 0  # fmt: skip
    book = load_workbook(tmp_path / "mall.xlsx")
    filled = fill(tmp_path / "mall.xlsx", tmp_path / "socialnamnden.xlsx",
                  [a_goal(book, "Fler äldre bor kvar hemma"), a_goal(book, "Färre faller")])  # fmt: skip
    assert vetgraph("validate", str(filled), "--namnd", "socialnamnden").exit_code == 0
    assert vetgraph("import", str(filled), "--out", str(tmp_path / "mal.ttl")).exit_code == 0
    result = accept(filled, "socialnamnden", store)
    assert result.exit_code == 0, result.output
    rows = vetgraph("query", "namnd-namndmal", "-p", "namnd", "namnd:socialnamnden", "--store", store,
                    "--format", "csv").stdout  # fmt: skip
    assert "Fler äldre bor kvar hemma" in rows and "Färre faller" in rows
    (version,) = history(store)
    assert version["file"] == "socialnamnden.xlsx" and version["goals"] == 2


def test_a_spreadsheet_that_cannot_be_read_changes_nothing(tmp_path: Path) -> None:
    store = str(tmp_path / "lager")
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    before = visible_state(store)
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = accept(broken, "socialnamnden", store)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert visible_state(store) == before


def test_serve_from_a_store_serves_its_current_goals(tmp_path: Path) -> None:
    from servers import free_port

    from conftest import http_get

    store = str(tmp_path / "lager")
    assert accept(SOCIAL, "socialnamnden", store).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "serve", "--store", store, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert "Serving" in server.stdout.readline()
        base = f"http://127.0.0.1:{port}"
        assert http_get(f"{base}/id/namndmal/sn-2023-2026-1", "text/turtle")[0] == 200
        assert http_get(f"{base}/id/namndmal/tn-2023-2026-1", "text/turtle")[0] == 404  # not accepted
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_a_server_that_cuts_answers_is_read_in_pages_and_never_used_cut(tmp_path: Path) -> None:
    # Virtuoso cutting every answer at 100 rows (ResultSetMaxRows), as a hosted server may.
    with virtuoso_server(tmp_path, max_rows=100) as url:
        assert accept(SOCIAL, "socialnamnden", url).exit_code == 0
        # Reading graphs of thousands of triples (the reference data) goes in pages of 100 ...
        result = vetgraph("publish", str(tmp_path / "site"), "--store", url)
        assert result.exit_code == 0, result.output
        assert (tmp_path / "site" / "id" / "namndmal" / "sn-2023-2026-1.html").is_file()
        # ... and a query whose answer is cut (255 rows) is an error, never a silently short table.
        result = vetgraph("query", "matris-delstrategi-sdg", "--store", url)
        assert result.exit_code == 2
        assert "cut its answer at 100 rows" in result.stderr and len(result.stderr.splitlines()) == 1


# ---------------------------------------------------------------- the store's folder (issue 17, "A user's files")


@pytest.mark.parametrize(
    "files",
    [["LOCK", "budget.xlsx"], ["LOCK", "MANIFEST-000001", "000005.log"], ["CURRENT", "brev.txt"]],
    ids=["lock-beside-a-workbook", "rocksdb-names", "current"],
)
def test_a_folder_with_rocksdb_file_names_is_not_taken_for_a_store(tmp_path: Path, files: list[str]) -> None:
    folder = tmp_path / "mina-dokument"
    folder.mkdir()
    for name in files:
        (folder / name).write_bytes(f"the user's {name}".encode())
    result = accept(SOCIAL, "socialnamnden", str(folder))
    assert result.exit_code == 2, result.output
    assert "is not a vetgraph store and is not empty" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(files)
    for name in files:
        assert (folder / name).read_bytes() == f"the user's {name}".encode()


def test_a_store_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "lager").symlink_to(elsewhere)
    result = accept(SOCIAL, "socialnamnden", str(tmp_path / "lager"))
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert not elsewhere.exists()


def damaged_copy(tmp_path: Path, damage: str) -> str:
    store = tmp_path / "lager"
    assert accept(SOCIAL, "socialnamnden", str(store)).exit_code == 0
    if damage == "deleted-current":
        (store / "CURRENT").unlink()
    else:
        for part in [*store.glob("*.sst"), *store.glob("MANIFEST-*")]:
            with part.open("r+b") as file:
                file.truncate(100)
    return str(store)


@pytest.mark.parametrize("damage", ["deleted-current", "truncated-sst-and-manifest"])
@pytest.mark.parametrize("command", ["accept", "history"])
def test_a_damaged_store_is_exit_2_with_what_to_do_and_never_overwritten(
    tmp_path: Path, damage: str, command: str
) -> None:
    store = damaged_copy(tmp_path, damage)
    before = {
        p.name: p.read_bytes() for p in Path(store).iterdir() if p.name != "LOG" and not p.name.startswith("LOG.")
    }
    result = (
        accept(changed_social(tmp_path), "socialnamnden", store)
        if command == "accept"
        else vetgraph("history", "--store", store)
    )
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "internal error" not in result.stderr
    assert "restore the folder from a backup" in result.stderr or "säkerhetskopia" in result.stderr
    after = {p.name: p.read_bytes() for p in Path(store).iterdir() if p.name in before}
    assert after == before


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root (CI runs as root)")
def test_a_full_disk_on_the_first_accept_is_exit_2_and_says_so(tmp_path: Path) -> None:
    # A 600 KB file system in a private mount namespace: the store's first write fills it.
    disk = tmp_path / "liten-disk"
    disk.mkdir()
    store = disk / "lager"
    command = [sys.executable, "-m", "vetgraph.cli", "accept", str(SOCIAL), "--namnd", "socialnamnden", "--store"]
    script = f'mount -t tmpfs -o size=600k tmpfs "{disk}" && exec "$@"'
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *command, str(store)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "disken är full" in result.stderr or "disk is full" in result.stderr
