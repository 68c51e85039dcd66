import os
from pathlib import Path

import pytest

from ofsted_kg.paths import shared_dir

SHARED = shared_dir()
QUERY_FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "small.trig"


def process_ended(pid: int, within: float = 5.0) -> bool:
    """Whether process ``pid`` is gone (or a zombie awaiting its reaper) within ``within`` seconds."""
    import time

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


def store_from_trig(path: Path, trig: Path = QUERY_FIXTURE) -> Path:
    """An on-disk store at ``path`` holding the ontology and schemes plus the named graphs of ``trig``."""
    import pyoxigraph as ox

    from ofsted_kg.rdf import ontology_quads
    from ofsted_kg.summaries import summary_quads

    store = ox.Store(str(path))
    store.bulk_extend(ontology_quads())
    store.bulk_extend(list(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)))
    store.flush()
    # the counts a build states from the graph's facts (findings and people questions read them)
    store.bulk_extend(summary_quads(store))
    store.flush()
    del store   # closed, so that a read-only opening sees everything
    return path


@pytest.fixture(scope="session")
def shared():
    """The ../shared folder with the real Ofsted data; tests that need it skip without it."""
    if SHARED is None:
        pytest.skip("../shared (real Ofsted data) is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def built_store(shared, tmp_path_factory) -> Path:
    """The whole default corpus (../shared/data and ../shared/seeds) built once per session.

    Set OFSTED_KG_TEST_STORE to a store built by `ofsted-kg build` to reuse it instead.
    """
    if os.environ.get("OFSTED_KG_TEST_STORE"):
        return Path(os.environ["OFSTED_KG_TEST_STORE"])
    from ofsted_kg.build import build
    from ofsted_kg.paths import default_sources

    target = tmp_path_factory.mktemp("store") / "store"
    summary = build(default_sources(), target)
    assert summary.triples > 0
    pytest.built_summary = summary
    return target


@pytest.fixture(scope="session")
def kg_store(built_store):
    from ofsted_kg.store import EmbeddedStore

    return EmbeddedStore(built_store)
