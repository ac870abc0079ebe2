"""`vetgraph serve` under load: 50 concurrent clients, each sending 2,000 requests, with idle clients beside them.

Starts the real command on 127.0.0.1 (a published sample site), opens a few
connections that never send anything, then runs the clients (keep-alive
connections, as browsers use) and reports throughput, latency percentiles, and
every request that failed or timed out (the target: none). Run by hand:

    .venv/bin/python bench/bench_serve.py --clients 50 --requests 2000
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PATHS = ["/index.html", "/id/delstrategi/god-halsa.ttl", "/stil.css", "/id/namnd/socialnamnden.html"]


def client(host: str, port: int, requests: int, number: int) -> tuple[list[float], list[str]]:
    latencies, failures = [], []
    connection = http.client.HTTPConnection(host, port, timeout=10)
    for i in range(requests):
        started = time.perf_counter()
        try:
            connection.request("GET", PATHS[(number + i) % len(PATHS)])
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"status {response.status}")
        except (OSError, http.client.HTTPException) as error:
            failures.append(type(error).__name__)
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=10)
        latencies.append(time.perf_counter() - started)
    connection.close()
    return latencies, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests per client")
    parser.add_argument("--idle", type=int, default=5, help="connections that never send a request")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        subprocess.run([sys.executable, "-m", "vetgraph.cli", "publish", str(site)], env=env, check=True,
                       capture_output=True)  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "vetgraph.cli", "serve", "--site", str(site), "--port", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert server.stdout is not None
        match = re.search(r"http://127\.0\.0\.1:(\d+)", server.stdout.readline())
        assert match, "the server did not start"
        port = int(match.group(1))
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(args.idle)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            outcomes = list(pool.map(lambda n: client("127.0.0.1", port, args.requests, n), range(args.clients)))
        elapsed = time.perf_counter() - started
        for connection in idle:
            connection.close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    latencies = sorted(t for lat, _ in outcomes for t in lat)
    failures = [f for _, fails in outcomes for f in fails]
    total = len(latencies)
    print(f"{args.clients} clients x {args.requests} requests, {args.idle} idle connections: {total} requests")
    print(f"  {elapsed:.1f} s, {total / elapsed:.0f} requests/s")
    print(
        f"  latency median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(total * 0.99) - 1] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
    )
    print(f"  failed or timed out: {len(failures)} {sorted(set(failures)) if failures else ''}")


if __name__ == "__main__":
    main()
