"""Benchmark: whole-process time of `vetgraph publish` on the sample data and on a larger graph.

Run by hand (never by the tests):

    .venv/bin/python bench/bench_publish.py [--runs 3] [--factor 100]

The larger graph comes from bench/generate_large_graph.py (FACTOR times the
committees and nämndmål). Runs are interleaved; the script prints medians and
the ratio of the large graph to the sample, measured in the same run.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()
    vetgraph = str(Path(sys.executable).parent / "vetgraph")
    with tempfile.TemporaryDirectory() as tmp:
        graphs = {}
        for factor in (1, args.factor):
            path = Path(tmp) / f"x{factor}.nt"
            made = subprocess.run(
                [sys.executable, str(REPO / "bench" / "generate_large_graph.py"), str(factor), str(path)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            print(made.stdout.strip())
            graphs[factor] = path
        times: dict[int, list[float]] = {factor: [] for factor in graphs}
        summary: dict[int, str] = {}
        for _ in range(args.runs):
            for factor, path in graphs.items():
                started = time.perf_counter()
                result = subprocess.run(
                    [vetgraph, "publish", str(Path(tmp) / "site"), "--graph", str(path)], capture_output=True, text=True
                )
                times[factor].append(time.perf_counter() - started)
                if result.returncode != 0:
                    sys.exit(result.stderr)
                summary[factor] = result.stdout.strip()
    for factor, values in times.items():
        print(
            f"x{factor}: median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}); {summary[factor]}"
        )
    ratio = statistics.median(times[args.factor]) / statistics.median(times[1])
    print(f"ratio x{args.factor} / sample: {ratio:.1f}x ({args.runs} whole-process runs each, interleaved)")


if __name__ == "__main__":
    main()
