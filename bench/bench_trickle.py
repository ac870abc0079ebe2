"""The trickle (slowloris) attack on `vetgraph serve`: do ordinary clients still get answers?

Starts the real command on a published sample site, opens ``--tricklers``
connections from 127.0.0.2 that each send one byte of a request head (or of an
upload body, ``--body``) every ``--interval`` seconds, and meanwhile sends
``--requests`` ordinary requests from 127.0.0.1, one after another, each with a
``--patience`` second timeout. Reports how many ordinary requests were answered,
their median and worst latency, the server's peak memory, and how the tricklers
ended, and how long the server takes to stop on SIGTERM while a runaway query
runs. ``--nginx`` puts the real nginx (the generated configuration) in front.
Run by hand:

    .venv/bin/python bench/bench_trickle.py --tricklers 70 --seconds 30
    .venv/bin/python bench/bench_trickle.py --tricklers 70 --seconds 30 --body
    .venv/bin/python bench/bench_trickle.py --tricklers 70 --seconds 30 --nginx
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAD = b"GET /index.html HTTP/1.1\r\nHost: x\r\nUser-Agent: " + b"a" * 400 + b"\r\n\r\n"
RUNAWAY = "CONSTRUCT { ?a ?b ?i } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i"
BODY_HEAD = (
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 5000\r\n\r\n"
)


def trickler(port: int, interval: float, stop: threading.Event, body: bool, ended: list[str]) -> None:
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.2", 0))
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
        if body:
            sock.sendall(BODY_HEAD)
        for byte in b"A" * 5000 if body else HEAD:
            if select.select([sock], [], [], 0)[0]:  # the server answered or closed
                answer = sock.recv(65536)
                ended.append(f"answered {answer.split(b' ')[1].decode()}" if answer else "closed by the server")
                return
            if stop.is_set():
                ended.append("still open at the end")
                return
            sock.sendall(bytes([byte]))
            stop.wait(interval)
        ended.append("sent everything")
    except OSError as error:
        ended.append(f"cut by the server ({type(error).__name__})")
    finally:
        sock.close()


def peak_memory_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


def start_nginx(site: Path, upstream: int, work: Path) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    snippet = (site / "nginx.conf").read_text(encoding="utf-8")
    snippet = (
        snippet.replace("root /var/www/vetgraph;", f"root {site};")
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("127.0.0.1:8000", f"127.0.0.1:{upstream}")
    )
    (work / "site.conf").write_text(snippet, encoding="utf-8")
    temp_paths = "".join(f"{k}_temp_path {work}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off; worker_processes 1; error_log {work}/error.log; pid {work}/nginx.pid;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{ access_log off; {temp_paths} include {work}/site.conf; }}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([shutil.which("nginx") or "nginx", "-c", str(work / "nginx.conf"), "-p", str(work)])
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, port
        time.sleep(0.1)
    raise SystemExit("nginx did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tricklers", type=int, default=70)
    parser.add_argument("--interval", type=float, default=4.0, help="seconds between a trickler's bytes")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the attack lasts")
    parser.add_argument("--requests", type=int, default=20, help="ordinary requests during the attack")
    parser.add_argument("--patience", type=float, default=5.0, help="seconds an ordinary client waits")
    parser.add_argument("--body", action="store_true", help="trickle a request body instead of a head")
    parser.add_argument("--nginx", action="store_true", help="put the generated nginx configuration in front")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        subprocess.run([sys.executable, "-m", "vetgraph.cli", "publish", str(site)], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "vetgraph.cli", "serve", "--site", str(site), "--port", "0"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert server.stdout is not None
        port = int(re.search(r"127\.0\.0\.1:(\d+)", server.stdout.readline()).group(1))  # type: ignore[union-attr]
        serve_port = port
        nginx = None
        if args.nginx:
            nginx, port = start_nginx(site, port, Path(temporary))
        stop = threading.Event()
        ended: list[str] = []
        threads = [
            threading.Thread(target=trickler, args=(port, args.interval, stop, args.body, ended), daemon=True)
            for _ in range(args.tricklers)
        ]
        for thread in threads:
            thread.start()
        time.sleep(2)
        latencies, failures = [], []
        pause = max(0.0, (args.seconds - 2) / args.requests)
        for _ in range(args.requests):
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=args.patience)
                connection.request(
                    "GET", "/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
                )
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    failures.append(f"status {response.status}")
            except (OSError, http.client.HTTPException) as error:
                failures.append(type(error).__name__)
            time.sleep(pause)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        memory = peak_memory_kb(server.pid)
        # SIGTERM while a runaway query runs (to the server itself, not through nginx)
        runaway = socket.create_connection(("127.0.0.1", serve_port))
        query = urllib.parse.urlencode({"query": RUNAWAY})
        runaway.sendall(f"GET /sparql?{query} HTTP/1.1\r\nHost: x\r\nAccept: text/turtle\r\n\r\n".encode())
        time.sleep(1.0)
        signalled = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
        stopped = time.perf_counter() - signalled
        runaway.close()
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=10)
    front = "nginx in front of vetgraph serve" if args.nginx else "vetgraph serve alone"
    print(f"{front}: {args.tricklers} tricklers ({'body' if args.body else 'head'}, 1 byte/{args.interval:g} s) "
          f"for {args.seconds:g} s")  # fmt: skip
    print(f"ordinary requests answered: {len(latencies)} of {args.requests}  failures: {sorted(set(failures))}")
    if latencies:
        print(f"latency: median {statistics.median(latencies) * 1000:.1f} ms, worst {max(latencies) * 1000:.1f} ms")
    print(f"server peak memory: {memory / 1024:.0f} MB")
    print("tricklers: " + ", ".join(f"{ended.count(e)} {e}" for e in sorted(set(ended))))
    print(f"SIGTERM during a running query: stopped in {stopped:.2f} s")


if __name__ == "__main__":
    main()
