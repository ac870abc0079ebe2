"""Benchmark: issue 11's table, before and after, measured in one run on the same machine.

Run by hand (never by the tests), with the code to compare against unpacked beside:

    git archive 39c3035 | (mkdir -p /tmp/base && tar -x -C /tmp/base)
    .venv/bin/python bench/bench_issue11.py --baseline /tmp/base [--runs 5] [--only validate,queries,...]

Each version runs as ``python -m vetgraph.cli`` with ``PYTHONPATH`` set to its own
checkout (the same Python and libraries), whole processes, interleaved (baseline,
current, baseline, ...), so machine noise hits both alike. Printed per item: the
median (min–max) of each, the ratio baseline / current, and the peak memory of one
more run of each. Items:

* validate: one committee (socialnamnden.ttl), 1,000 and 10,000 goals (bench/generate_submission.py);
* in-process: ``Validator.validate_file`` warm, on one committee and on 1,000 goals;
* queries: every stored query at 1,000 and 10,000 goals (bench/generate_large_graph.py --goals N: goals
  with their measures, outcomes and judgements), in one process per version that loads the graph once
  and times ``run()`` (the check, the query, the rows) per query;
* report: ``vetgraph report`` on the samples, and ``--graph`` at 1,000 and 10,000 goals;
* publish: ``vetgraph publish --graph`` at 100× the committees and goals (``--goals-only``, 2,800 goals,
  as issue 11 measured);
* build: ``vetgraph build``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "exempel" / "namndmal" / "socialnamnden.ttl"

IN_PROCESS = """
import json, statistics, sys, time
from vetgraph.validation import Validator
validator = Validator()
path, runs = sys.argv[1], int(sys.argv[2])
validator.validate_file(path)
times = []
for _ in range(runs):
    started = time.perf_counter()
    validator.validate_file(path)
    times.append(time.perf_counter() - started)
print(json.dumps(statistics.median(times)))
"""

QUERIES = """
import json, statistics, sys, time
from vetgraph.followup.queries import run, stored_queries
from vetgraph.store import open_store
store = open_store(files=[sys.argv[1]], timeout=3600)
medians = {}
for query in stored_queries():
    times = []
    for _ in range(int(sys.argv[2])):
        started = time.perf_counter()
        run(query, store)
        times.append(time.perf_counter() - started)
    medians[query.name] = statistics.median(times)
print(json.dumps(medians))
"""


def environment(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root)}


def timed(root: Path, args: list[str], *, expect: tuple[int, ...] = (0, 1)) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", *args], env=environment(root), cwd=root, capture_output=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode not in expect:
        sys.exit(f"{root}: vetgraph {' '.join(args)} exited {result.returncode}: {result.stderr.decode()[-800:]}")
    return elapsed


def peak_mb(root: Path, args: list[str]) -> float:
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    command = [sys.executable, "-c", probe, sys.executable, "-m", "vetgraph.cli", *args]
    out = subprocess.run(command, env=environment(root), cwd=root, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def script(root: Path, code: str, *args: str) -> object:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=environment(root), cwd=root, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"{root}: {result.stderr[-800:]}")
    return json.loads(result.stdout)


def compare(label: str, roots: dict[str, Path], args: list[str], runs: int, *, memory: bool = True) -> None:
    times: dict[str, list[float]] = {name: [] for name in roots}
    for _ in range(runs):
        for name, root in roots.items():
            times[name].append(timed(root, args))
    before, after = statistics.median(times["before"]), statistics.median(times["after"])
    line = f"{label:46} before {before:7.2f} s ({min(times['before']):.2f}–{max(times['before']):.2f})"
    line += f"  after {after:7.2f} s ({min(times['after']):.2f}–{max(times['after']):.2f})  {before / after:5.1f}×"
    if memory:
        line += f"  peak {peak_mb(roots['before'], args):.0f} → {peak_mb(roots['after'], args):.0f} MB"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the code to compare against")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="validate,inprocess,queries,report,publish,build")
    args = parser.parse_args()
    only = set(args.only.split(","))
    roots = {"before": args.baseline.resolve(), "after": REPO}
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def made(*command: str) -> None:
            subprocess.run([python, *command], cwd=REPO, check=True, capture_output=True)

        for goals in (1000, 10000):
            made("bench/generate_submission.py", str(goals), str(folder / f"goals-{goals}.ttl"))
        if "validate" in only:
            compare("validate one committee (5 goals)", roots, ["validate", str(SAMPLE)], args.runs)
            compare("validate 1,000 goals", roots, ["validate", str(folder / "goals-1000.ttl")], args.runs)
            compare(
                "validate 10,000 goals", roots, ["validate", str(folder / "goals-10000.ttl")], max(3, args.runs // 2)
            )
        if "inprocess" in only:
            for label, path, runs in (("one committee", SAMPLE, 50), ("1,000 goals", folder / "goals-1000.ttl", 5)):
                medians = {name: float(script(root, IN_PROCESS, str(path), str(runs))) for name, root in roots.items()}  # type: ignore[arg-type]
                print(f"{'in-process, ' + label:46} before {medians['before'] * 1000:7.1f} ms  after "
                      f"{medians['after'] * 1000:7.1f} ms  {medians['before'] / medians['after']:5.1f}×", flush=True)  # fmt: skip
        if "queries" in only or "report" in only:
            for goals in (1000, 10000):
                made("bench/generate_large_graph.py", "--goals", str(goals), str(folder / f"graph-{goals}.nt"))
        if "queries" in only:
            for goals in (1000, 10000):
                graph = str(folder / f"graph-{goals}.nt")
                results = {name: script(root, QUERIES, graph, "3") for name, root in roots.items()}
                before, after = results["before"], results["after"]
                assert isinstance(before, dict) and isinstance(after, dict)
                print(f"stored queries at {goals:,} goals (median of 3 in one process; check, query, rows):")
                for name in after:
                    print(f"  {name:28} before {before[name]:7.3f} s  after {after[name]:7.3f} s  "
                          f"{before[name] / after[name]:6.1f}×", flush=True)  # fmt: skip
                print(f"  {'all 15':28} before {sum(before.values()):7.3f} s  after {sum(after.values()):7.3f} s")
        if "report" in only:
            compare("report, samples (28 goals)", roots, ["report", "--out", str(folder / "r")], args.runs)
            compare("report, 1,000 goals (--graph)", roots,
                    ["report", "--graph", str(folder / "graph-1000.nt"), "--out", str(folder / "r"),
                     "--timeout", "600"], max(3, args.runs // 2))  # fmt: skip
            compare("report, 10,000 goals (--graph)", roots,
                    ["report", "--graph", str(folder / "graph-10000.nt"), "--out", str(folder / "r"),
                     "--timeout", "600"], 2, memory=False)  # fmt: skip
        if "publish" in only:
            made("bench/generate_large_graph.py", "100", str(folder / "x100.nt"), "--goals-only")
            compare("publish 100× (2,800 goals, goals only)", roots,
                    ["publish", str(folder / "site"), "--graph", str(folder / "x100.nt")], 3, memory=False)  # fmt: skip
        if "build" in only:
            compare("build", roots, ["build", "--out", str(folder / "graf")], args.runs)


if __name__ == "__main__":
    main()
