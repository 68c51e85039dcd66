"""Crash safety: a build killed with SIGKILL leaves the previous store as it was; builds of one store never overlap.

A small store is built first; a second build over a larger corpus runs in a child process and is
killed while it writes. The old store must answer as before, and the next build must clear the
half-written version folder the killed one left.
"""
import os
import signal
import subprocess
import sys
import time

import pytest
from corpus import copy_head

from ofsted_kg.build import build
from ofsted_kg.store import BuildLocked, EmbeddedStore, build_lock

OK = "https://w3id.org/ofsted-kg/ontology#"
# the child prints each progress step, so the test knows how far it got before killing it
CHILD = """
import sys
from ofsted_kg.build import build

def note(label, done, total):
    print(label, flush=True)

build(sys.argv[3:], sys.argv[1], progress=note, rebuild=sys.argv[2] == "rebuild")
"""


LARGER = ("inspections_2023-24_all.csv", "providers_places_at_31mar2025.csv", "inspections_2022-23_all.csv")


@pytest.fixture
def corpora(shared, tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir(), large.mkdir()
    for folder in (small, large):
        copy_head(shared / "data/la_lookup.csv", folder)
        copy_head(shared / "data/ofsted_stats/providers_at_30sep2014.csv", folder)
    for name in LARGER:
        copy_head(shared / "data/ofsted_stats" / name, large, lines=10**9)
    copy_head(shared / "seeds/002_9bcd3b87fa8e3cd2.txt", large)
    return small, large


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


@pytest.mark.parametrize("mode, kill_at, count", [
    ("rebuild", "statistics", 2),      # a full build, writing a fresh version folder
    ("incremental", "document", 1),    # an incremental build, writing into a backup copy
])
def test_build_killed_midway_leaves_the_previous_store_answering_the_same(corpora, tmp_path, mode, kill_at, count):
    small, large = corpora
    store = tmp_path / "store"
    build([small], store)
    before = answers(store)
    published = os.readlink(store)
    child = start_child(store, mode, [large])
    try:
        wait_for(child, kill_at, count)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert os.readlink(store) == published
    assert answers(store) == before
    assert len(versions(store)) == 2, "the killed build should have left its unfinished version folder"
    # the next build clears what the killed one left
    assert build([small], store).mode == "up to date"
    assert versions(store) == [published]
    assert answers(store) == before


def test_second_build_of_one_store_at_once_is_refused_naming_the_lock(corpora, tmp_path):
    small, large = corpora
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
