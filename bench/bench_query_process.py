"""What answering in a query process of its own costs the stored queries (ofsted_kg.store.embedded).

Each stored query runs with its example parameters on a built store, in this process on the
pyoxigraph store (as before the query process) and through ``EmbeddedStore.query``; the median of
``--repeat`` runs of each, and the start of a query process, are printed.

    python -m bench.bench_query_process --store /tmp/store
"""
from __future__ import annotations

import argparse
import statistics
import time

import pyoxigraph as ox

from ofsted_kg.store.embedded import EmbeddedStore, _Worker, answer_of
from ofsted_kg.stored import stored_queries


def _median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    store = EmbeddedStore(args.store)
    here = ox.Store.read_only(str(store.path.resolve()))
    starts = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        worker = _Worker(str(store.path.resolve()))
        worker.ask("ASK {}", 60, 10_000)
        starts.append(time.perf_counter() - started)
        worker.stop()
    print(f"query process start and first answer: median {statistics.median(starts) * 1000:.0f} ms")
    total_here = total_process = 0.0
    print(f"{'query':<45} {'here ms':>9} {'process ms':>11} {'rows':>6}")
    for name, stored in sorted(stored_queries().items()):
        if any(p.required and p.name not in stored.example for p in stored.parameters):
            continue
        sparql = stored.bind(**stored.example)
        rows = len(store.query(sparql).rows)   # also warms both caches
        answer_of(here, sparql)
        in_process = _median_seconds(lambda: answer_of(here, sparql), args.repeat)
        through = _median_seconds(lambda: store.query(sparql), args.repeat)
        total_here += in_process
        total_process += through
        print(f"{name:<45} {in_process * 1000:>9.1f} {through * 1000:>11.1f} {rows:>6}")
    print(f"{'total':<45} {total_here * 1000:>9.1f} {total_process * 1000:>11.1f}")
    store.close()


if __name__ == "__main__":
    main()
