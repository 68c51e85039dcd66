"""Benchmark: the whole graph pushed to a real Virtuoso, every stored query timed there beside the embedded store.

Also checks that both engines give the same rows (numbers compared by value), so the timing compares
like with like.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench import virtuoso


def bench_virtuoso(store: Path, texts: dict[str, str], repeats: int) -> dict:
    """Push time, and p50/p95 per stored query on Virtuoso, with whether its rows equal the embedded store's."""
    from bench.run import time_queries
    from ofsted_kg.store import EmbeddedStore, RemoteStore
    from ofsted_kg.store.push import push

    with tempfile.TemporaryDirectory(prefix="ofsted-kg-virtuoso-") as scratch:
        server = virtuoso.start(Path(scratch))
        try:
            started = time.perf_counter()
            summary = push(store, server.graph_store_url, user="dba", password=server.password)
            pushed = {"seconds": time.perf_counter() - started, "graphs": summary.graphs, "triples": summary.triples}
            embedded, remote = EmbeddedStore(store), RemoteStore(server.sparql_url, timeout=600)
            same = {}
            for name, text in texts.items():
                mine = embedded.query(text)
                lists = virtuoso.concatenated_columns(text, mine.columns)
                same[name] = virtuoso.comparable_rows(mine.rows, lists) == virtuoso.comparable_rows(remote.query(text).rows, lists)
            timings = time_queries(lambda q: len(remote.query(q).rows), texts, repeats, budget=120.0)
        finally:
            server.stop()
    for name, timing in timings.items():
        timing["same_rows"] = same[name]
    return {"push": pushed, "queries": timings}


def report_lines(results: dict, embedded: dict[str, dict] | None) -> list[str]:
    push = results["push"]
    lines = ["", f"virtuoso: push {push['graphs']} graphs, {push['triples']:,} triples in {push['seconds']:.1f} s",
             f"{'query (p50 / p95 ms)':40} {'embedded':>10} {'virtuoso':>17} {'virt/emb':>9} {'same rows':>9}"]
    for name, timing in results["queries"].items():
        emb = (embedded or {}).get(name, {}).get("p50_ms", float("nan"))
        lines.append(f"{name:40} {emb:10.1f} {timing['p50_ms']:8.1f} /{timing['p95_ms']:7.1f} "
                     f"{timing['p50_ms'] / emb:8.1f}x {'yes' if timing['same_rows'] else 'NO':>9}")
    return lines
