"""Benchmark: all stored queries and the follow-up report, in one process, on the sample data and a larger graph.

Run by hand (never by the tests):

    .venv/bin/python bench/bench_followup.py [--runs 7] [--factor 100]

It writes the sample graph and a graph with FACTOR times the committees and
nämndmål (bench/generate_large_graph.py), then times whole processes, interleaved:
each loads the graph, runs every stored query in queries/ and writes the
report (HTML and Markdown). It prints medians, and the ratio of the large graph
to the sample, measured in the same run. ``--engine rdflib`` times the rdflib
engine instead of Oxigraph (slow on the large graph: minutes).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

ONE_PROCESS = """
import sys
from vetgraph.followup.queries import run, stored_queries
from vetgraph.followup.report import write_report
from vetgraph.store import open_store
# rdflib's engine takes minutes on the x100 graph: no per-query time limit here
store = open_store(files=[sys.argv[1]], engine=sys.argv[3], timeout=3600)
rows = sum(len(run(query, store).rows) for query in stored_queries())
write_report(sys.argv[2], store)
print(rows)
"""


def timed(graph: Path, out: Path, engine: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", ONE_PROCESS, str(graph), str(out), engine], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(result.stderr[-2000:])
    return elapsed, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "sample.nt", Path(tmp) / f"x{args.factor}.nt"
        for factor, path in ((1, small), (args.factor, large)):
            made = subprocess.run(
                [sys.executable, str(REPO / "bench" / "generate_large_graph.py"), str(factor), str(path)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            print(made.stdout.strip())
        times: dict[Path, list[float]] = {small: [], large: []}
        rows: dict[Path, str] = {}
        for _ in range(args.runs):
            for graph in (small, large):
                elapsed, rows[graph] = timed(graph, Path(tmp) / "report", args.engine)
                times[graph].append(elapsed)
    small_median, large_median = statistics.median(times[small]), statistics.median(times[large])
    print(f"engine {args.engine}, {args.runs} whole-process runs each, interleaved")
    print(
        f"sample graph: median {small_median:.2f} s (min {min(times[small]):.2f}, max {max(times[small]):.2f}); {rows[small]} result rows"
    )
    print(
        f"x{args.factor} graph: median {large_median:.2f} s (min {min(times[large]):.2f}, max {max(times[large]):.2f}); {rows[large]} result rows"
    )
    print(f"ratio x{args.factor} / sample: {large_median / small_median:.1f}x")


if __name__ == "__main__":
    main()
