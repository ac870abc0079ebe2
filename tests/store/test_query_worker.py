"""One worker process answers every query on an in-memory store, and a runaway query is stopped (issue 11)."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from vetgraph.errors import VetgraphError
from vetgraph.store.local import OxigraphStore, QueryTimeout

EX = "http://example.org/"


def store_of(n: int, time_limit: float) -> OxigraphStore:
    quads = [ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i))) for i in range(n)]
    return OxigraphStore(quads, time_limit=time_limit)


def test_queries_are_answered_by_one_worker_that_outlives_a_timeout() -> None:
    store = store_of(2000, time_limit=1.0)
    assert store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}").rows[0][0].toPython() == 2000
    worker = store._worker
    assert worker is not None and worker._process is not None
    first = worker._process.pid
    store.select("ASK { ?s ?p ?o }")
    assert worker._process.pid == first  # the same process answered both
    started = time.monotonic()
    with pytest.raises(QueryTimeout):  # a cartesian product of 2000^3 rows
        store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }")
    assert time.monotonic() - started < 5
    assert worker._process is None  # stopped
    assert store.select(f"SELECT ?o WHERE {{ <{EX}s7> <{EX}p> ?o }}").rows[0][0].toPython() == "7"


def test_a_query_error_comes_back_as_a_one_line_error() -> None:
    store = store_of(3, time_limit=5.0)
    with pytest.raises(VetgraphError, match="the query failed"):
        store.select("SELECT * WHERE { ?s ?p }")


def test_a_stores_worker_is_stopped_by_close_and_when_the_store_is_gone() -> None:
    """Issue 17: every in-memory store forked a worker that was never stopped (15 under one pytest, 1.9 GB)."""
    import gc
    import multiprocessing

    before = set(multiprocessing.active_children())
    closed = store_of(10, time_limit=60.0)
    closed.select("ASK { ?s ?p ?o }")
    assert len(set(multiprocessing.active_children()) - before) == 1
    closed.close()
    assert set(multiprocessing.active_children()) - before == set()
    for _ in range(5):  # stores nobody closes: their workers end with them
        store_of(10, time_limit=60.0).select("ASK { ?s ?p ?o }")
    gc.collect()
    assert set(multiprocessing.active_children()) - before == set()
