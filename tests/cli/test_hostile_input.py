"""Hostile input ends fast with one clear line, and output never attacks its reader (issue 7).

One regression test per case found when vetgraph was probed from outside, each
on the real command (a subprocess, as a user runs it). The subprocess timeouts
are guards against a hang coming back, far above what each case takes now.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, VALID_GOAL

ENV = {**os.environ, "PYTHONPATH": str(REPO)}
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def vetgraph(
    *args: str, stdin: str | None = None, timeout: float = 120, cwd: Path | None = None
) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", *args],
        input=stdin,
        env=ENV,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


def assert_clean_error(code: int, err: str, expected: int = 2) -> None:
    assert code == expected, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert err.count("\n") == 1, err


def assert_no_control_characters(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\x00\x9b"), repr(text[:200])


# ---------------------------------------------------------------- crashes and hangs


def test_jsonld_nested_5000_levels_is_refused_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "djup.jsonld"
    deep.write_text('{"@id": "http://e.org/a", "http://e.org/p": ' * 5000 + "{}" + "}" * 5000)
    code, _, err = vetgraph("validate", str(deep))
    assert_clean_error(code, err)
    assert "nested more than 128 levels" in err


def test_jsonld_arrays_nested_5000_levels_are_refused(tmp_path: Path) -> None:
    deep = tmp_path / "listor.jsonld"
    deep.write_text('{"@id": "http://e.org/a", "http://e.org/p": ' + "[" * 5000 + "1" + "]" * 5000 + "}")
    code, _, err = vetgraph("validate", str(deep))
    assert_clean_error(code, err)


def goal_with_descriptions(count: int) -> str:
    return (
        VALID_GOAL.rstrip().rstrip(".")
        + "".join(f' ;\n dcterms:description "text {i}"@sv' for i in range(count))
        + " .\n"
    )


def test_one_goal_with_100000_descriptions_is_checked_in_linear_time(tmp_path: Path) -> None:
    # Counting languages inside a loop made this quadratic: 40,000 values took 69 s.
    submission = tmp_path / "manga-beskrivningar.ttl"
    submission.write_text(goal_with_descriptions(100_000))
    code, out, err = vetgraph("validate", "--format", "json", str(submission), timeout=240)
    assert code == 1, err
    results = json.loads(out)["files"][0]["results"]
    assert [(r["rule"], r["constraint"].rsplit("#")[1]) for r in results] == [
        ("Namndmal-beskrivning", "UniqueLangConstraintComponent")
    ]  # one finding: one language repeated


def test_200000_stray_triples_give_a_short_summarised_report(tmp_path: Path) -> None:
    stray = tmp_path / "skrap.nt"
    stray.write_text("".join(f'<http://e.org/x{i}> <http://e.org/p> "{i}" .\n' for i in range(200_000)))
    code, out, err = vetgraph("validate", str(stray), timeout=240)
    assert code == 1, err
    assert len(out) < 10_000, len(out)
    assert "… och 199980 till av samma slag [Inlamning-inte-namndmal]" in out
    assert out.count("<http://e.org/x") == 20


def test_a_nul_byte_after_the_first_8_kb_is_refused(tmp_path: Path) -> None:
    text = VALID_GOAL.replace('"Fler invånare är fysiskt aktiva"@sv', '"Fler inv\x00ånare"@sv')
    path = tmp_path / "nul.ttl"
    path.write_text("# " + "x" * 9000 + "\n" + text)
    code, _, err = vetgraph("validate", "--lang", "en", str(path))
    assert_clean_error(code, err)
    assert "control character U+0000" in err and ":2" in err.split("control")[0].split("nul.ttl")[1]


def test_a_control_character_written_as_an_escape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "escape.ttl"
    path.write_text(VALID_GOAL.replace("Fler invånare", "Fler \\u001B[2J invånare"))
    code, _, err = vetgraph("validate", str(path))
    assert_clean_error(code, err)
    assert "U+001B" in err
    assert_no_control_characters(err)


def test_a_cartesian_product_on_local_data_stops_at_the_time_limit() -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for engine in ("oxigraph", "rdflib"):
        code, _, err = vetgraph("query", "-", "--timeout", "1", "--engine", engine, stdin=query, timeout=60)
        assert_clean_error(code, err)
        assert "time limit of 1 s" in err


def test_local_queries_have_a_time_limit_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from vetgraph.store import DEFAULT_TIME_LIMIT, open_store

    monkeypatch.delenv("VETGRAPH_TIME_LIMIT")  # the tests' own, generous limit (conftest.py)
    store = open_store()
    assert store.time_limit == DEFAULT_TIME_LIMIT == 10.0  # type: ignore[attr-defined]
    store.close()
    monkeypatch.setenv("VETGRAPH_TIME_LIMIT", "25")
    overridden = open_store()
    assert overridden.time_limit == 25.0  # type: ignore[attr-defined]
    overridden.close()


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["query", "-"], "SELECT * { ?m a vtl:Namndmal }", "PREFIX vtl: <https://data.vetlanda.se/def/>"),
        (["query", "--engine", "rdflib", "-"], "SELECT * { GRAPH <http://e.org/g> { ?s ?p ?o } }", "--engine oxigraph"),
        (["publish", "ut", "--base", "https://data.example.org/a b/"], None, "without spaces"),
        (["serve", "--port", "99999"], None, "99999 is not in the range"),
        (["serve", "--time-limit", "0"], None, "0.0 is not in the range"),
        (["query", "delstrategier-tackning", "--timeout", "-1"], None, "-1.0 is not in the range"),
    ],
    ids=["undeclared-prefix", "graph-with-rdflib", "base-with-space", "port-99999", "time-limit-0", "timeout-negative"],
)
def test_bad_input_is_exit_2_not_an_internal_error(
    tmp_path: Path, args: list[str], stdin: str | None, expected: str
) -> None:
    code, _, err = vetgraph(*args, stdin=stdin, cwd=tmp_path)
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert expected in err


def test_rdflib_warnings_never_reach_the_terminal(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text('<http://e.org/a> <http://e.org/n> "not a number"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    query = "SELECT ?n WHERE { ?a ?p ?n }"
    code, out, err = vetgraph("query", "-", "--graph", str(data), "--engine", "rdflib", stdin=query)
    assert code == 0, err
    assert err == "" and "not a number" in out


# ---------------------------------------------------------------- endpoints that misbehave


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    mode = "ok"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.mode == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            for byte in b'{"head": {"vars": ["s"]}, "results": {"bindings": [] } }':
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(1)
            return
        bodies = {
            "garbage": b"<html>Not found</html>",
            "malformed": json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"value": 1}}]}}).encode(),
            "escapes": json.dumps(
                {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "literal", "value": ESCAPES}}]}}
            ).encode(),
        }
        if self.mode == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            chunk = b" " * (1024 * 1024)
            try:
                self.wfile.write(b'{"head": {"vars": ["s"]}, "results": {"bindings": [')
                for _ in range(400):  # 400 MB, as the probe sent
                    self.wfile.write(chunk)
            except OSError:
                return
            return
        body = bodies[self.mode]
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def misbehaving() -> Iterator[tuple[str, type[_Misbehaving]]]:
    handler = type("Handler", (_Misbehaving,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql", handler
    finally:
        server.shutdown()
        server.server_close()


def test_an_endpoint_sending_a_byte_a_second_is_cut_off_at_the_timeout(misbehaving: tuple[str, type]) -> None:
    url, handler = misbehaving
    handler.mode = "drip"
    started = time.monotonic()
    code, _, err = vetgraph("query", "delstrategier-tackning", "--endpoint", url, "--timeout", "3", timeout=60)
    assert_clean_error(code, err)
    assert "did not answer within 3 s" in err
    assert time.monotonic() - started < 50  # the answer takes 55 s to trickle in


def test_a_400_mb_answer_is_not_read_whole(misbehaving: tuple[str, type]) -> None:
    url, handler = misbehaving
    handler.mode = "huge"
    code, _, err = vetgraph("query", "delstrategier-tackning", "--endpoint", url, "--timeout", "60", timeout=120)
    assert_clean_error(code, err)
    assert "larger than 105 MB" in err  # MAX_RESPONSE_BYTES, 100 MiB


@pytest.mark.parametrize(("mode", "expected"), [("garbage", "not JSON"), ("malformed", "results.bindings[0].s")])
def test_an_endpoint_answering_garbage_is_exit_2(misbehaving: tuple[str, type], mode: str, expected: str) -> None:
    url, handler = misbehaving
    handler.mode = mode
    code, _, err = vetgraph("query", "delstrategier-tackning", "--endpoint", url, "--timeout", "10")
    assert_clean_error(code, err)
    assert expected in err


# ---------------------------------------------------------------- output that attacks its reader


def test_escape_codes_from_an_endpoint_never_reach_the_terminal(misbehaving: tuple[str, type]) -> None:
    url, handler = misbehaving
    handler.mode = "escapes"
    for output_format in ("table", "csv", "json", "md"):
        code, out, err = vetgraph("query", "-", "--endpoint", url, "--format", output_format, stdin="SELECT ?s {}")
        assert code == 0, err
        assert_no_control_characters(out)
        assert "pwned" in out and "u001b" in out.lower(), out  # shown, as a visible escape


def test_escape_codes_in_a_file_name_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / f"mal{ESCAPES}.ttl"
    path.write_text(VALID_GOAL)
    for args in (
        ["validate", str(path)],
        ["validate", str(path) + "-saknas"],
        ["validate", "--format", "turtle", str(path)],
    ):
        code, out, err = vetgraph(*args)
        assert code in (0, 2), err
        assert_no_control_characters(out + err)
        assert "\\u001B" in out + err


def test_escape_codes_in_click_usage_errors_are_escaped() -> None:
    code, out, err = vetgraph("query", "--format", ESCAPES, "x")
    assert code == 2
    assert_no_control_characters(out + err)


FORMULAS = ['=HYPERLINK("http://e.org","klicka")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|x"]


def test_csv_output_neutralises_formulas(tmp_path: Path) -> None:
    data = tmp_path / "formler.ttl"
    data.write_text(
        "".join(f"<http://e.org/m{i}> <http://e.org/t> {json.dumps(f)} .\n" for i, f in enumerate(FORMULAS))
        + '<http://e.org/n> <http://e.org/t> "-5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    )
    query = "SELECT ?t WHERE { ?m <http://e.org/t> ?t } ORDER BY STR(?t)"
    code, out, err = vetgraph("query", "-", "--graph", str(data), "--format", "csv", stdin=query)
    assert code == 0, err
    cells = [line.strip('"') for line in out.lstrip("\ufeff").splitlines()[1:]]
    assert all(not cell.startswith(("=", "+", "@")) for cell in cells), cells
    assert "'=HYPERLINK" in out and "'+cmd" in out and "'@SUM" in out and "'-2+3" in out
    assert "-5" in cells  # a number stays a number


def test_markdown_report_escapes_script_tags_from_labels(tmp_path: Path) -> None:
    from vetgraph.project import default_project

    project = default_project()
    evil = tmp_path / "ond.ttl"
    text = (project.sample_submissions_dir / "socialnamnden.ttl").read_text(encoding="utf-8")
    evil.write_text(text.replace('"Fler äldre', '"<script>alert(1)</script> | *Fler äldre', 1), encoding="utf-8")
    assert "<script>" in evil.read_text(encoding="utf-8")
    graph_files = [str(p) for p in project.reference_files()] + [str(evil)]
    args = ["report", "--out", str(tmp_path / "rapport")]
    for path in graph_files:
        args += ["--graph", path]
    code, _, err = vetgraph(*args)
    assert code == 0, err
    markdown = (tmp_path / "rapport" / "uppfoljning.md").read_text(encoding="utf-8")
    html = (tmp_path / "rapport" / "uppfoljning.html").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*Fler äldre" in markdown
    assert "<script>" not in html
