"""Answers from other servers (a SPARQL endpoint, Kolada), read within a deadline and a size cap.

A server is outside vetgraph's control, so nothing it does may hang or exhaust
vetgraph. The request runs in a helper thread so that the caller can give up at
the deadline whatever the server does (however slowly the answer trickles in);
the thread stops at its next read. The answer is read up to ``max_bytes``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

CHUNK = 64 * 1024


class Deadline(Exception):
    """The whole answer did not come within the time allowed."""


class TooLarge(Exception):
    """The answer is larger than the size allowed; vetgraph stopped reading it."""


def read_within(open_response: Callable[[], Any], *, timeout: float, max_bytes: int) -> tuple[Mapping[str, str], bytes]:
    """The headers and body of the response ``open_response()`` opens (any ``http.client``-like response).

    Raises :class:`Deadline` or :class:`TooLarge`, or what ``open_response`` raised
    (an HTTP error, a refused connection), for the caller to put in words.
    """
    outcome: dict[str, Any] = {}
    stop = threading.Event()

    def fetch() -> None:
        try:
            response = open_response()
            try:
                chunks: list[bytes] = []
                size = 0
                while not stop.is_set():
                    chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
                    if not chunk:
                        outcome["answer"] = (response.headers, b"".join(chunks))
                        return
                    size += len(chunk)
                    if size > max_bytes:
                        outcome["too_large"] = True
                        return
                    chunks.append(chunk)
            finally:
                response.close()
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=fetch, name="vetgraph-remote", daemon=True)
    thread.start()
    # In slices: a long join can return early on a signal with the thread still at work, and Ctrl-C
    # then read as the deadline; between slices the signal's KeyboardInterrupt is raised here, as it should.
    end = time.monotonic() + timeout
    try:
        while thread.is_alive() and (left := end - time.monotonic()) > 0:
            thread.join(min(left, 0.1))
    except BaseException:
        stop.set()
        raise
    if thread.is_alive():
        stop.set()
        raise Deadline
    if "error" in outcome:
        raise outcome["error"]
    if outcome.get("too_large"):
        raise TooLarge
    headers, body = outcome["answer"]
    return headers, body
