"""Benchmark: whole-process time of `vetgraph validate` on one committee's submission.

Run by hand (never by the tests):

    .venv/bin/python bench/bench_validate.py [--runs 21]

It times, in the same run and interleaved so that machine noise hits all alike:

* ``vetgraph validate data/exempel/namndmal/socialnamnden.ttl`` (whole process);
* the plain pySHACL command line doing the same check:
  ``PYSHACL_USE_FULL_MIXIN=1 pyshacl -s shapes/namndmal.ttl -e <ontology + reference data> <submission>``
  (without full mix-in pySHACL takes only the RDFS/OWL axioms from -e and rejects
  every valid goal, so it would not be the same check);
* one submission validated in-process by the library (``Validator.validate_file``),
  after the validator has loaded the reference data once.

It prints medians and the ratio. Targets (issue 2): vetgraph validate at most
0.6 s, at least 1.5x faster than plain pySHACL; in-process at most 50 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUBMISSION = REPO / "data" / "exempel" / "namndmal" / "socialnamnden.ttl"


def timed(command: list[str], expect: int, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != expect:
        sys.exit(f"{command[0]} exited {result.returncode}: {result.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    vetgraph = [str(bin_dir / "vetgraph"), "validate", str(SUBMISSION)]
    pyshacl_cli = shutil.which("pyshacl", path=str(bin_dir)) or "pyshacl"

    sys.path.insert(0, str(REPO))
    from vetgraph.goal_links import submission_shapes
    from vetgraph.project import default_project
    from vetgraph.rdf import graphs
    from vetgraph.validation import Validator

    project = default_project()
    with tempfile.TemporaryDirectory() as tmp:
        # pySHACL's -e takes one file: the ontology and reference data merged.
        reference = Path(tmp) / "reference.ttl"
        reference_graph = graphs.read_trusted(project.reference_files())
        reference.write_bytes(graphs.serialize(reference_graph, "turtle"))
        # the shapes as vetgraph has them: the file and the goal link rules of the profile
        shapes = Path(tmp) / "shapes.ttl"
        shapes.write_bytes(graphs.serialize(submission_shapes(project, reference_graph), "turtle"))
        plain = [pyshacl_cli, "-s", str(shapes), "-e", str(reference), str(SUBMISSION)]

        # By default pySHACL copies only the RDFS/OWL axioms of -e into the data
        # graph, not the reference instances, and then rejects every valid goal
        # ("not a known committee"). Full mix-in makes it do the same check as vetgraph.
        full_mixin = {**os.environ, "PYSHACL_USE_FULL_MIXIN": "1"}
        timed(vetgraph, 0)  # warm the file cache once for both
        timed(plain, 0, full_mixin)
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(timed(vetgraph, 0))
            theirs.append(timed(plain, 0, full_mixin))

    validator = Validator(project)
    validator.validate_file(SUBMISSION)
    in_process = []
    for _ in range(args.runs * 5):
        started = time.perf_counter()
        report = validator.validate_file(SUBMISSION)
        in_process.append(time.perf_counter() - started)
        assert report.conforms

    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    print(f"runs: {args.runs} whole-process each, interleaved; {len(in_process)} in-process")
    print(f"vetgraph validate (whole process)   median {ours_median:.3f} s  (min {min(ours):.3f}, max {max(ours):.3f})")
    print(
        f"pyshacl -s -e (whole process)       median {theirs_median:.3f} s  (min {min(theirs):.3f}, max {max(theirs):.3f})"
    )
    print(f"ratio pyshacl / vetgraph            {theirs_median / ours_median:.2f}x")
    print(f"Validator.validate_file (in-process) median {statistics.median(in_process) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
