"""Benchmark: vetgraph accept, and the follow-up report from a store, at the sample size and at 100×.

Run by hand (never by the tests):

    .venv/bin/python bench/bench_store.py [--runs 3] [--factor 100]

For each run and each store, interleaved: a fresh store, the six sample
submissions accepted into it one by one (each a whole ``vetgraph accept``
process), then one whole ``vetgraph report --store`` process. The stores are
the embedded one (an Oxigraph folder) and an Oxigraph server (started here,
reached over HTTP). At ``--factor N`` each sample submission holds its goals N
times (copies with their own IRIs and titles: 2,800 goals at 100); the
committees and reference data stay the same, as in a municipality with more
goals. Prints medians (per accept, and per report) and the ratios to the sample
size and to the embedded store, measured in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from vetgraph.namespaces import VTL
from vetgraph.project import default_project
from vetgraph.rdf import graphs

VETGRAPH = [sys.executable, "-m", "vetgraph.cli"]


def enlarged_submissions(factor: int, folder: Path) -> list[tuple[Path, str]]:
    """Each sample submission with its goals ``factor`` times; (file, committee) pairs."""
    made = []
    for sample in sorted(default_project().sample_submissions_dir.glob("*.ttl")):
        base = graphs.read_rdf(sample)
        graph = Graph()
        for goal in set(base.subjects(RDF.type, VTL.Namndmal)):
            for k in range(1, factor + 1):
                copy = URIRef(f"{goal}-k{k}") if factor > 1 else goal
                for predicate, value in base.predicate_objects(goal):
                    if predicate == DCTERMS.title and factor > 1:
                        value = Literal(f"{value} ({k})", lang=value.language)  # type: ignore[union-attr]
                    graph.add((copy, predicate, value))
        path = folder / f"{sample.stem}-x{factor}.nt"
        path.write_bytes(graphs.serialize(graph, "ntriples"))
        made.append((path, sample.stem))
    return made


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)}\n{result.stdout[-1000:]}{result.stderr[-2000:]}")
    return elapsed


def oxigraph_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
            return server, url
        except OSError:
            time.sleep(0.1)
    sys.exit("the oxigraph server did not start")


def one_run(submissions: list[tuple[Path, str]], store: str, out: Path) -> tuple[list[float], float]:
    accepts = [timed([*VETGRAPH, "accept", str(path), "--namnd", committee, "--store", store])
               for path, committee in submissions]  # fmt: skip
    report = timed([*VETGRAPH, "report", "--store", store, "--timeout", "600", "--out", str(out)])
    return accepts, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sizes = {1: enlarged_submissions(1, folder), args.factor: enlarged_submissions(args.factor, folder)}
        results: dict[tuple[int, str], tuple[list[float], list[float]]] = {
            (size, kind): ([], []) for size in sizes for kind in ("embedded", "oxigraph server")
        }
        for run in range(args.runs):
            for size, submissions in sizes.items():
                for kind in ("embedded", "oxigraph server"):
                    where = folder / f"run{run}-x{size}-{kind.replace(' ', '-')}"
                    if kind == "embedded":
                        accepts, report = one_run(submissions, str(where / "lager"), where / "rapport")
                    else:
                        (where / "server").mkdir(parents=True)
                        server, url = oxigraph_server(where / "server")
                        try:
                            accepts, report = one_run(submissions, url, where / "rapport")
                        finally:
                            server.terminate()
                            server.wait()
                    results[(size, kind)][0].extend(accepts)
                    results[(size, kind)][1].append(report)
                    print(f"run {run + 1}, x{size}, {kind}: accepts {sum(accepts):.1f} s, report {report:.2f} s",
                          file=sys.stderr)  # fmt: skip
        goals = {size: sum(len(set(graphs.read_rdf(p).subjects(RDF.type, VTL.Namndmal))) for p, _ in subs)
                 for size, subs in sizes.items()}  # fmt: skip
        print(f"\n{args.runs} runs; medians of whole processes (accept: each of the 6 submissions)\n")
        print("| goals in store | store | accept, median | report from the store, median |")
        print("|---|---|---|---|")
        for (size, kind), (accepts, reports) in results.items():
            print(
                f"| {goals[size]:,} | {kind} | {statistics.median(accepts):.2f} s | {statistics.median(reports):.2f} s |"
            )
        for kind in ("embedded", "oxigraph server"):
            small, large = results[(1, kind)], results[(args.factor, kind)]
            print(
                f"\n{kind}: x{args.factor} / x1 = {statistics.median(large[0]) / statistics.median(small[0]):.1f}× "
                f"(accept), {statistics.median(large[1]) / statistics.median(small[1]):.1f}× (report)"
            )
        for size in sizes:
            embedded, server = results[(size, "embedded")], results[(size, "oxigraph server")]
            print(
                f"x{size}: server / embedded = {statistics.median(server[0]) / statistics.median(embedded[0]):.2f}× "
                f"(accept), {statistics.median(server[1]) / statistics.median(embedded[1]):.2f}× (report)"
            )


if __name__ == "__main__":
    main()
