"""The vetgraph command as a user runs it: exit codes, report text, machine formats, build output."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

from conftest import INVALID, MALFORMED, REPO
from vetgraph import graph as build_module
from vetgraph.cli import main
from vetgraph.errors import VetgraphError
from vetgraph.project import default_project

SAMPLES = default_project().sample_submissions()
SOCIAL = str(REPO / "data" / "exempel" / "namndmal" / "socialnamnden.ttl")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert (code, out.strip()) == (0, "vetgraph, version 0.1.0")
    code, out, _ = run("validate", "--help")
    assert code == 0 and "Example:" in out


def test_a_conforming_submission_exits_0_with_a_swedish_summary() -> None:
    code, out, err = run("validate", SOCIAL)
    assert code == 0, out + err
    assert out == f"{SOCIAL}: 5 nämndmål, uppfyller kraven (0 varningar).\n"


def test_all_samples_at_once() -> None:
    code, out, _ = run("validate", *map(str, SAMPLES))
    assert code == 0
    assert "Sammanfattning: 6 filer, 28 nämndmål, 0 fel, 0 varningar; 0 filer gick inte att läsa." in out


def test_a_non_conforming_submission_exits_1_and_says_what_to_fix() -> None:
    path = str(INVALID / "saknar-ansvarig-namnd.ttl")
    code, out, _ = run("validate", path)
    assert code == 1
    assert f"{path}: 1 nämndmål, uppfyller INTE kraven: 1 fel, 0 varningar." in out
    assert 'Nämndmål nm:test-1 "Fler invånare är fysiskt aktiva"' in out
    assert "FEL [Namndmal-ansvarigNamnd-saknas]: vtl:ansvarigNamnd" in out
    assert "Nämndmålet saknar ansvarig nämnd. Lägg till vtl:ansvarigNamnd med nämnden" in out
    assert "vtl: = <https://data.vetlanda.se/def/>" in out


def test_english_report() -> None:
    code, out, _ = run("validate", "--lang", "en", str(INVALID / "felstavad-egenskap.ttl"))
    assert code == 1
    assert "1 committee goal, does NOT conform: 1 error, 0 warnings." in out
    assert "ERROR [Namndmal]: unknown property vtl:utmaningar" in out
    assert "Did you mean vtl:utmaning?" in out


def test_warnings_alone_still_conform() -> None:
    code, out, _ = run("validate", str(INVALID / "perspektiv-utan-delstrategi.ttl"))
    assert code == 0
    assert "VARNING" in out and "medborgarperspektiv Verka" in out


def test_json_report() -> None:
    code, out, _ = run("validate", "--format", "json", "--lang", "en", str(INVALID / "okand-namnd.ttl"), SOCIAL)
    assert code == 1
    document = json.loads(out)
    assert document["conforms"] is False and document["exitCode"] == 1
    bad, good = document["files"]
    assert good["conforms"] is True and good["results"] == []
    (result,) = [r for r in bad["results"] if r["severity"] != "Info"]  # the goal has no measure: guidance
    assert result["rule"] == "Namndmal-ansvarigNamnd-typ"
    assert result["severity"] == "Violation"
    assert result["path"] == "https://data.vetlanda.se/def/ansvarigNamnd"
    assert result["value"] == "https://data.vetlanda.se/id/delstrategi/god-halsa"
    assert result["valueLabel"] == "Good health and a high quality of life throughout the municipality"
    assert result["message"].startswith("The value of vtl:ansvarigNamnd is not a known committee")
    assert set(result["messages"]) == {"sv", "en"}


def test_turtle_report_is_a_shacl_validation_report() -> None:
    code, out, _ = run("validate", "--format", "turtle", str(INVALID / "stanger-av-regel.ttl"))
    assert code == 1
    report = Graph().parse(data=out, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    assert len(list(report.subjects(SH.resultSeverity, SH.Violation))) == 2


def test_turtle_report_is_the_same_text_every_time_with_results_nested_and_sorted() -> None:
    files = [str(INVALID / name) for name in ("stanger-av-regel.ttl", "saknar-ansvarig-namnd.ttl")]
    outputs = {run("validate", "--format", "turtle", *files)[1] for _ in range(2)}
    assert len(outputs) == 1
    (out,) = outputs
    assert "_:" not in out  # every result nested in its report, no blank node labels
    assert out.count("[] a sh:ValidationReport") == 2
    assert out.index("stanger-av-regel.ttl") < out.index("saknar-ansvarig-namnd.ttl")  # the files' order
    focus_nodes = re.findall(r"sh:focusNode (\S+) ;", out)
    assert len(focus_nodes) >= 3


def test_unreadable_input_exits_2_with_one_line_and_still_reports_the_rest(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b\n", encoding="utf-8")
    code, out, err = run("validate", str(broken), SOCIAL)
    assert code == 2
    # in the report's language: Swedish unless --lang en (the parser's own words stay English)
    assert err.strip().splitlines() == [f"vetgraph: {broken}:3:1: inte giltig RDF: Unexpected end"]
    assert f"{SOCIAL}: 5 nämndmål, uppfyller kraven" in out
    code, _, err = run("validate", "--lang", "en", str(broken), str(tmp_path / "saknas.ttl"))
    assert code == 2
    assert err.strip().splitlines() == [
        f"vetgraph: {broken}:3:1: not valid RDF: Unexpected end",
        f"vetgraph: {tmp_path / 'saknas.ttl'}: no such file",
    ]
    _, _, err = run("validate", str(tmp_path / "saknas.ttl"))
    assert err.strip() == f"vetgraph: {tmp_path / 'saknas.ttl'}: filen finns inte"


def test_json_report_lists_unreadable_files(tmp_path: Path) -> None:
    code, out, _ = run("validate", "--format", "json", str(tmp_path / "saknas.ttl"))
    assert code == 2
    assert json.loads(out)["files"] == [
        {"file": str(tmp_path / "saknas.ttl"), "error": "no such file", "line": None, "column": None}
    ]


def test_usage_errors_exit_2() -> None:
    assert run("validate")[0] == 2
    assert run("validate", "--lang", "de", SOCIAL)[0] == 2


def test_the_installed_command_has_no_traceback_for_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bom.ttl"
    bad.write_bytes(b"\xef\xbb\xbf<http://example.org/a> <http://example.org/b> 1 .")
    result = subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", "validate", str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "byte-order mark" in result.stderr


# ---------------------------------------------------------------- build


def load(path: Path, fmt: str) -> Graph:
    return Graph().parse(path, format=fmt)


def test_build_writes_three_equal_graphs(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    code, stdout, _ = run("build", "--out", str(out))
    assert code == 0, stdout
    assert sorted(p.name for p in out.iterdir()) == ["vetgraph.jsonld", "vetgraph.nt", "vetgraph.ttl"]
    turtle = load(out / "vetgraph.ttl", "turtle")
    assert len(turtle) == len(load(out / "vetgraph.nt", "nt")) == len(load(out / "vetgraph.jsonld", "json-ld"))
    assert f"Built {len(turtle)} triples" in stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dist.new-")]


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_module.build(tmp_path / "a")
    build_module.build(tmp_path / "b")
    for name in ("vetgraph.ttl", "vetgraph.nt", "vetgraph.jsonld"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_jsonld_is_byte_identical_across_processes(tmp_path: Path) -> None:
    # rdflib's JSON-LD writer follows its hash-ordered store, so two processes (different
    # hash seeds) wrote the same graph in different orders (issue 7).
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "vetgraph.cli", "build", "--out", str(out)]
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
        outputs.append((out / "vetgraph.jsonld").read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("mode", ["rdfs", "owlrl"])
def test_build_with_inference_adds_entailments(tmp_path: Path, mode: str) -> None:
    plain = build_module.build(tmp_path / "plain")
    inferred = build_module.build(tmp_path / mode, inference=mode)
    assert inferred.triples > plain.triples
    assert inferred.inferred_triples == inferred.triples - plain.triples
    graph = load(tmp_path / mode / "vetgraph.nt", "nt")
    assert len(graph) == inferred.triples
    committee = URIRef("https://data.vetlanda.se/id/namnd/socialnamnden")
    unit = URIRef("http://www.w3.org/ns/org#OrganizationalUnit")
    # a vtl:Namnd is an org:OrganizationalUnit (rdfs:subClassOf) - not stated, inferred
    assert (committee, RDF.type, unit) in graph
    assert (committee, RDF.type, unit) not in load(tmp_path / "plain" / "vetgraph.nt", "nt")


def test_a_failed_build_leaves_the_previous_output_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    build_module.build(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []

    def failing_serialize(triples: object, rdf_format: str, prefixes: object) -> bytes:
        calls.append(rdf_format)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return b"partial"

    monkeypatch.setattr(build_module, "serialize_triples", failing_serialize)
    with pytest.raises(VetgraphError, match="No space left on device"):
        build_module.build(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["dist"]


def test_a_build_interrupted_between_its_renames_is_repaired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    build_module.build(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    out.rename(tmp_path / ".dist.previous")  # as if the process died right after the first rename

    def failing_serialize(triples: object, rdf_format: str, prefixes: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "serialize_triples", failing_serialize)
    with pytest.raises(VetgraphError):
        build_module.build(out)  # even a failing build first puts the previous output back
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_two_builds_at_once_do_not_interleave(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "vetgraph.cli", "build", "--out", str(out)]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    graph = load(out / "vetgraph.ttl", "turtle")
    assert len(graph) == len(load(out / "vetgraph.nt", "nt"))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["dist"]


def test_build_refuses_broken_reference_data(tmp_path: Path) -> None:
    import shutil

    project_copy = tmp_path / "project"
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(REPO / folder, project_copy / folder)
    strategy = project_copy / "data" / "strategi.ttl"
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text(text.replace('"Public health"@en', '"Folkhälsa"@sv-x-dup'), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "VETGRAPH_HOME": str(project_copy)}
    result = subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", "build", "--out", str(tmp_path / "dist")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "reference data does not conform" in result.stderr and "utmaning/folkhalsa" in result.stderr
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(("rdflib_format", "suffix"), [("nt", ".nt"), ("json-ld", ".jsonld"), ("xml", ".rdf")])
def test_every_syntax_validates_the_same(tmp_path: Path, rdflib_format: str, suffix: str) -> None:
    for name in ("socialnamnden.ttl", "saknar-ansvarig-namnd.ttl"):
        source = Path(SOCIAL) if name == "socialnamnden.ttl" else INVALID / name
        converted = tmp_path / (source.stem + suffix)
        converted.write_text(Graph().parse(source).serialize(format=rdflib_format), encoding="utf-8")
        _, turtle_out, _ = run("validate", "--format", "json", str(source))
        code, out, _ = run("validate", "--format", "json", str(converted))
        ours, theirs = json.loads(out)["files"][0], json.loads(turtle_out)["files"][0]
        assert code == (0 if ours["conforms"] else 1)
        assert [(r["rule"], r["focusNode"]) for r in ours["results"]] == [
            (r["rule"], r["focusNode"]) for r in theirs["results"]
        ]
        assert ours["goals"] == theirs["goals"]


def test_goals_claimed_for_another_committee_are_reported() -> None:
    code, out, _ = run("validate", "--namnd", "socialnamnden", SOCIAL)
    assert code == 0
    tekniska = str(REPO / "data" / "exempel" / "namndmal" / "tekniska-namnden.ttl")
    code, out, _ = run("validate", "--format", "json", "--namnd", "namnd:socialnamnden", tekniska)
    assert code == 1
    results = [r for r in json.loads(out)["files"][0]["results"] if not r["rule"].startswith("Vagledning-")]
    assert {r["rule"] for r in results} == {"Inlamning-annan-namnd"}
    assert len(results) == 4
    assert {r["value"] for r in results} == {"https://data.vetlanda.se/id/namnd/tekniska-namnden"}


def test_an_unknown_committee_is_a_usage_error() -> None:
    code, out, err = run("validate", "--namnd", "skolan", SOCIAL)
    assert code == 2 and out == ""
    assert err.startswith("vetgraph: unknown committee 'skolan'; the reference data has: barn-och-utbildningsnamnden")


def test_a_bug_is_one_line_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    from vetgraph import validation

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.delenv("VETGRAPH_DEBUG", raising=False)
    monkeypatch.setattr(validation.Validator, "validate_files", broken)
    code, out, err = run("validate", SOCIAL)
    assert code == 3 and out == ""
    assert err.splitlines() == [
        "vetgraph: internal error (RuntimeError: boom); this is a bug in vetgraph, please report it; "
        "VETGRAPH_DEBUG=1 shows the details"
    ]


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_files_of_each_syntax_exit_2_with_a_location(tmp_path: Path, name: str) -> None:
    text, line = MALFORMED[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = run("validate", str(path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"vetgraph: {path}:{line}:")


def test_output_folders_are_readable_by_others(tmp_path: Path) -> None:
    import stat

    os.umask(0o022)
    out = tmp_path / "dist"
    build_module.build(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


def test_a_finding_about_a_goals_follow_up_is_shown_under_the_goal() -> None:
    code, out, _ = run("validate", str(INVALID / "uppfoljning-matt-utan-enhet.ttl"))
    assert code == 1
    goal = out.index('Nämndmål nm:test-1 "Fler invånare är fysiskt aktiva"')
    finding = out.index("FEL [Matt-enhet]: vtl:enhet")
    assert goal < finding and "gäller <https://example.org/matt-1>" in out[finding:]
    assert "ignorerade" not in out  # a follow-up finding is not an ignored statement
    # a data set no goal owns is follow-up of the file as a whole
    code, out, _ = run("validate", str(INVALID / "uppfoljning-utfall-datamangd-utan-struktur.ttl"))
    assert "  Uppföljning i filen\n    FEL [Utfallsmangd-struktur]" in out and "ignorerade" not in out


def test_bulk_commands_pause_full_collections_and_restore_them_after() -> None:
    from vetgraph.cli.common import without_full_collections

    seen = []

    @without_full_collections
    def command(fail: bool) -> None:
        seen.append(gc.get_threshold())
        if fail:
            raise VetgraphError("stop")

    before = gc.get_threshold()
    command(False)
    with pytest.raises(VetgraphError):
        command(True)
    assert gc.get_threshold() == before
    assert [t[2] for t in seen] == [1_000_000, 1_000_000]
    assert [t[:2] for t in seen] == [before[:2], before[:2]]  # the young generations are collected as before
