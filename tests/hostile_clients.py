"""Hostile HTTP clients for the tests of `vetgraph serve` and of the web servers in front of it (issue 17)."""

from __future__ import annotations

import select
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass


def address(url: str) -> tuple[str, int]:
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    return host, int(port)


@dataclass
class Trickler:
    """A client that sends ``at_once`` and then ``trickled`` one byte a second (from 127.0.0.2), and what it got
    back: ``cut`` if the server answered or closed the connection before the client was done or stopped."""

    at_once: bytes
    trickled: bytes
    answer: bytes = b""
    cut: bool = False

    def run(self, url: str, stop: threading.Event) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.2", 0))
        sock.settimeout(10)
        try:
            sock.connect(address(url))
            sock.sendall(self.at_once)
            for byte in self.trickled:
                if stop.is_set():
                    return
                if select.select([sock], [], [], 0)[0]:  # the server has spoken (or closed): read it, stop
                    self.answer = sock.recv(65536)
                    self.cut = True
                    return
                sock.sendall(bytes([byte]))
                stop.wait(1.0)
        except OSError:
            self.cut = True
        finally:
            sock.close()


# A head sent one byte a second; a head sent at once and then its body one byte a second.
TRICKLED_HEAD = (b"", b"GET /index.html HTTP/1.1\r\nHost: x\r\nUser-Agent: " + b"a" * 200 + b"\r\n\r\n")
TRICKLED_BODY = (
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 300\r\n\r\n",
    b"#" * 300,
)


def trickle_attack(
    url: str, ordinary: Callable[[], int], count: int = 70, *, wait: float = 120
) -> tuple[list[Trickler], list[int]]:
    """``count`` tricklers (half trickle a head, half a body) and, meanwhile, 20 ordinary requests; then up to
    ``wait`` seconds for the tricklers to be cut (the rest are stopped)."""
    stop = threading.Event()
    tricklers = [Trickler(*(TRICKLED_HEAD if i % 2 else TRICKLED_BODY)) for i in range(count)]
    threads = [threading.Thread(target=t.run, args=(url, stop), daemon=True) for t in tricklers]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # every trickler connected and sending
    statuses = []
    for _ in range(20):
        statuses.append(ordinary())
        time.sleep(0.1)
    deadline = time.monotonic() + wait  # generous: a server cuts them after its client timeout
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    return tricklers, statuses
