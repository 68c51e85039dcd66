"""Runaway queries on the embedded store: stopped at the time limit, at the memory bound, on Ctrl-C,
and with the process that asked; the store answers again afterwards."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import process_ended

from ofsted_kg.store import EmbeddedStore, QueryLimitError

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/"
TRIPLES = 2000
# 2000^3 solutions: hours of counting
RUNAWAY_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# 4 million solutions sorted: memory grows by hundreds of MB a second
RUNAWAY_SORT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("limits") / "store"
    store = ox.Store(str(path))
    store.bulk_extend([ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(f"{EX}p{n % 7}"), ox.Literal(f"value {n}"),
                               ox.NamedNode(f"{EX}graph")) for n in range(TRIPLES)])
    store.flush()
    del store
    return path


def _workers_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid), "-f", "ofsted_kg.store.worker"], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def test_runaway_count_stops_at_the_time_limit_and_the_store_answers_again(store_path):
    store = EmbeddedStore(store_path)
    started = time.monotonic()
    with pytest.raises(QueryLimitError, match="time limit of 1.5 s"):
        store.query(RUNAWAY_COUNT, timeout=1.5)
    assert time.monotonic() - started < 5
    assert store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == [(TRIPLES,)]
    store.close()


def test_runaway_sort_stops_at_the_memory_bound(store_path):
    store = EmbeddedStore(store_path, memory_mb=250)
    with pytest.raises(QueryLimitError, match="memory bound of 250 MB"):
        store.query(RUNAWAY_SORT, timeout=60)
    assert store.query("ASK { ?s ?p ?o }").rows == [(True,)]
    store.close()


def test_a_bad_query_raises_its_syntax_error_and_the_process_serves_on(store_path):
    store = EmbeddedStore(store_path)
    with pytest.raises(SyntaxError):
        store.query("SELECT ?x WHERE {")
    assert store.query(f"SELECT ?o WHERE {{ <{EX}s3> ?p ?o }}").rows == [("value 3",)]
    store.close()


def _start_query_command(store_path, *options):
    (store_path.parent / "count.rq").write_text(RUNAWAY_COUNT)
    child = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "query", str(store_path.parent / "count.rq"),
                              "--store", str(store_path), *options],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 30
    while not (workers := _workers_of(child.pid)):
        assert time.monotonic() < deadline and child.poll() is None, "the query process never started"
        time.sleep(0.1)
    time.sleep(1)   # well into the query
    return child, workers


def test_query_command_names_the_time_limit_and_exits_1(store_path):
    child, _ = _start_query_command(store_path, "--timeout", "2")
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 1
    assert "count.rq: the query ran past its time limit of 2 s" in " ".join(stderr.split())
    assert "Traceback" not in stderr


def test_ctrl_c_stops_the_query_command_within_seconds_and_its_query_process(store_path):
    child, workers = _start_query_command(store_path)
    interrupted = time.monotonic()
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=10)
    assert time.monotonic() - interrupted < 3
    assert child.returncode != 0 and "Traceback" not in stderr
    assert all(process_ended(pid) for pid in workers)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_query_process_ends_with_the_command_that_started_it(store_path, sig):
    child, workers = _start_query_command(store_path)
    os.kill(child.pid, sig)
    child.communicate(timeout=10)
    assert all(process_ended(pid) for pid in workers)
