"""Golden fixtures, one folder per source and case: a small input written by us and the N-Quads it gives.

tests/golden/<source>/<case>/ holds the input file(s) and ``expected.nq``. The inputs are ours, with
made-up providers and councils, and named unlike ../shared's files: the build tells a release, a
year's inspections and an LA lookup by their columns and the date or year in the name. Each case is built on its
own into a fresh store, and every named graph but the ontology's must be isomorphic to the expected
one (rdflib.compare). After a deliberate change to a reader or a mapping, rewrite the expectations
with ``OFSTED_KG_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and read the diff before committing.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from ofsted_kg.build import build
from ofsted_kg.vocab import ONTOLOGY_GRAPH

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("*/*") if p.is_dir())


def _built_quads(case: Path, store_dir: Path) -> str:
    summary = build([Path(".")], store_dir)
    assert summary.ok, summary.skipped
    store = ox.Store.read_only(str(store_dir.resolve()))
    quads = [q for q in store if q.graph_name != ONTOLOGY_GRAPH]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")


def _graphs(nquads: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case_gives_the_expected_quads(case, tmp_path, monkeypatch):
    # paths are recorded relative to the working directory: build from inside the case
    monkeypatch.delenv("OFSTED_KG_SHARED", raising=False)
    monkeypatch.chdir(case)
    got = _built_quads(case, tmp_path / "store")
    expected_path = case / "expected.nq"
    if os.environ.get("OFSTED_KG_UPDATE_GOLDEN"):
        expected_path.write_text("".join(sorted(got.splitlines(keepends=True))), encoding="utf-8")
    assert expected_path.exists(), f"no {expected_path}: run with OFSTED_KG_UPDATE_GOLDEN=1 and read what it wrote"
    got_graphs, expected_graphs = _graphs(got), _graphs(expected_path.read_text(encoding="utf-8"))
    assert sorted(got_graphs) == sorted(expected_graphs)
    for name, graph in expected_graphs.items():
        if not isomorphic(got_graphs[name], graph):
            missing = sorted(str(t) for t in set(graph) - set(got_graphs[name]))[:5]
            extra = sorted(str(t) for t in set(got_graphs[name]) - set(graph))[:5]
            pytest.fail(f"graph {name} differs; missing {missing}; unexpected {extra}")
