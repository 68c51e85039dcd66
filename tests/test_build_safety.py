"""Crash safety: a build killed or interrupted leaves the previous store as it was and no process
behind; builds of one store never overlap.

A small store is built first; a second build over a larger corpus runs in a child process and is
killed (SIGKILL) or interrupted (SIGINT, SIGTERM) while it reads statistics in a worker or
documents in a pool. The old store must answer as before; an interrupted build removes its
version folder and its lock file and says so, a killed one leaves them to the next build, which
clears them; the build's worker processes end with it either way.
"""
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import process_ended
from corpus import copy_head

from ofsted_kg.build import build
from ofsted_kg.store import BuildLocked, EmbeddedStore, build_lock

OK = "https://w3id.org/ofsted-kg/ontology#"
# the child prints each progress step, so the test knows how far it got before killing it
CHILD = """
import sys
from ofsted_kg.build import BuildInterrupted, build

def note(label, done, total):
    print(label, flush=True)

try:
    build(sys.argv[3:], sys.argv[1], progress=note, rebuild=sys.argv[2] == "rebuild")
except BuildInterrupted as exc:
    print(exc, file=sys.stderr)
    sys.exit(128 + exc.signal)
"""


LARGER = ("inspections_2023-24_all.csv", "providers_places_at_31mar2025.csv", "inspections_2022-23_all.csv")


@pytest.fixture
def corpora(shared, tmp_path):
    small, large, reports = tmp_path / "small", tmp_path / "large", tmp_path / "reports"
    for folder in (small, large, reports):
        folder.mkdir()
        copy_head(shared / "data/la_lookup.csv", folder)
        copy_head(shared / "data/ofsted_stats/providers_at_30sep2014.csv", folder)
    for name in LARGER:
        copy_head(shared / "data/ofsted_stats" / name, large, lines=10**9)
    copy_head(shared / "seeds/002_9bcd3b87fa8e3cd2.txt", large)
    for report in sorted((shared / "seeds").glob("*.txt"))[:4]:   # four documents: read in a pool of workers
        copy_head(report, reports)
    return small, large, reports


def answers(store_path):
    """What the store says: its size, graphs and the places of one provider in 2014."""
    store = EmbeddedStore(store_path)
    places = store.query(f"SELECT ?n WHERE {{ ?s <{OK}snapshotOf> <https://w3id.org/ofsted-kg/id/provider/SC006927> ;"
                         f" <{OK}places> ?n }}").rows
    return len(store), store.named_graphs(), places


def versions(store_path):
    return sorted(p.name for p in store_path.parent.glob(f".{store_path.name}.*") if p.is_dir() and not p.is_symlink())


def start_child(store_path, mode, sources):
    return subprocess.Popen([sys.executable, "-c", CHILD, str(store_path), mode, *map(str, sources)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=os.path.dirname(os.path.dirname(__file__)))


def wait_for(child, prefix, count=1, timeout=120):
    """Read the child's progress until ``count`` lines start with ``prefix``."""
    seen = 0
    deadline = time.monotonic() + timeout
    for line in child.stdout:
        if line.startswith(prefix):
            seen += 1
            if seen >= count:
                return line
        assert time.monotonic() < deadline, "the child build made no progress"
    pytest.fail(f"the child build ended before printing {prefix!r}: {child.stderr.read()[-2000:]}")


def descendants(pid):
    """The process ids of ``pid``'s children, theirs, and so on."""
    found, pending = [], [pid]
    while pending:
        children = subprocess.run(["pgrep", "-P", str(pending.pop())], capture_output=True, text=True).stdout.split()
        found += map(int, children)
        pending += map(int, children)
    return found


@pytest.mark.parametrize("mode, kill_at, count, sig", [
    ("rebuild", "statistics", 2, signal.SIGKILL),      # a full build, its reading-ahead worker busy
    ("incremental", "document", 1, signal.SIGKILL),    # an incremental build adding reports, its document pool busy
    ("rebuild", "statistics", 2, signal.SIGTERM),
    ("incremental", "document", 1, signal.SIGINT),
])
def test_build_stopped_midway_leaves_the_previous_store_answering_the_same(corpora, tmp_path, mode, kill_at, count, sig):
    small, large, reports = corpora
    store = tmp_path / "store"
    lock = tmp_path / f".{store.name}.lock"
    build([small], store)
    before = answers(store)
    published = os.readlink(store)
    assert not lock.exists()
    child = start_child(store, mode, [large if mode == "rebuild" else reports])
    try:
        wait_for(child, kill_at, count)
        helpers = descendants(child.pid)
        assert helpers, "the build should be running worker processes at this point"
        stopped = time.monotonic()
        os.kill(child.pid, sig)
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait(timeout=60)
    assert time.monotonic() - stopped < 10
    assert all(process_ended(pid) for pid in helpers), "a worker outlived the build"
    assert os.readlink(store) == published
    assert answers(store) == before
    if sig == signal.SIGKILL:
        assert child.returncode == -signal.SIGKILL
        assert len(versions(store)) == 2, "the killed build should have left its unfinished version folder"
    else:
        assert child.returncode == 128 + sig
        assert "interrupted; the store is unchanged" in stderr and "Traceback" not in stderr
        assert versions(store) == [published]
        assert not lock.exists()
    # the next build clears what a killed one left
    assert build([small], store).mode == "up to date"
    assert versions(store) == [published]
    assert answers(store) == before
    assert not lock.exists()


def test_build_command_interrupted_says_so_and_leaves_no_trace(corpora, tmp_path):
    small, large, _ = corpora
    store = tmp_path / "store"
    build([small], store)
    before = answers(store)
    published = os.readlink(store)
    child = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "build", str(large), "--store", str(store), "--rebuild"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=os.path.dirname(os.path.dirname(__file__)))
    try:
        deadline = time.monotonic() + 60
        while len(versions(store)) < 2:   # the new version folder: the build is writing
            assert child.poll() is None and time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=20)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 130
    assert "interrupted; the store is unchanged" in stderr and "Traceback" not in stderr
    assert versions(store) == [published] and not (tmp_path / f".{store.name}.lock").exists()
    assert answers(store) == before


def test_second_build_of_one_store_at_once_is_refused_naming_the_lock(corpora, tmp_path):
    small, large, _ = corpora
    store = tmp_path / "store"
    build([small], store)
    before = answers(store)
    child = start_child(store, "rebuild", [large])
    try:
        wait_for(child, "statistics")
        second = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(small), "--store", str(store), "-q"],
                                capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__)))
        assert second.returncode == 3
        message = " ".join(second.stderr.split())
        assert "another build" in message and f".{store.name}.lock" in message
        with pytest.raises(BuildLocked):
            build([small], store)
    finally:
        child.kill()
        child.wait(timeout=60)
    assert answers(store) == before


def test_lock_is_free_again_after_a_build(tmp_path):
    target = tmp_path / "store"
    with build_lock(target):
        pass
    with build_lock(target):   # would raise BuildLocked if the first lock were still held
        pass
