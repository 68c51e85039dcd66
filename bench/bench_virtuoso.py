"""Benchmark: the whole graph pushed to a real Virtuoso, every stored query timed there beside the embedded store.

Also checks that both engines give the same rows (numbers compared by value), so the timing compares
like with like.
"""
from __future__ import annotations

import tempfile
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bench import virtuoso


def _normalised(rows) -> list[tuple]:
    def cell(value):
        try:
            return Decimal(str(value)).normalize() if not isinstance(value, bool) and value is not None else value
        except InvalidOperation:
            return value
    return sorted((tuple(cell(v) for v in row) for row in rows), key=repr)


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
            same = {name: _normalised(embedded.query(text).rows) == _normalised(remote.query(text).rows)
                    for name, text in texts.items()}
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
