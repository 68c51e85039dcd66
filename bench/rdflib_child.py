"""Time the stored queries on rdflib's in-memory Dataset, in its own process so a slow query can be cut off.

``python -m bench.rdflib_child QUADS.nq QUERIES.json REPEATS BUDGET``: prints one JSON line for the
load, then one per query as it finishes. The named graphs are kept and the default graph is their
union, as on the embedded store: some stored queries read ``GRAPH <.../graph/derived>``.
"""
from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

from bench.child import status_mb


def rss_mb() -> float:
    return status_mb("VmRSS") or 0.0


def main() -> None:
    import rdflib

    from bench.run import time_queries

    quads, queries, repeats, budget = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    texts = json.loads(Path(queries).read_text())
    before = rss_mb()
    started = time.perf_counter()
    graph = rdflib.Dataset(default_union=True)
    graph.parse(quads, format="nquads")
    count = sum(1 for _ in graph.quads((None, None, None, None)))
    print(json.dumps({"load": {"seconds": time.perf_counter() - started, "triples": count,
                               "rss_mb": rss_mb() - before}}), flush=True)
    for name, sparql in texts.items():
        # one run may take far longer than the budget: cut it off there (rdflib is pure Python, so the
        # alarm's exception lands between bytecodes) and report the budget as a lower bound
        signal.signal(signal.SIGALRM, _cut)
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            timing = time_queries(lambda q: len(list(graph.query(q))), {name: sparql}, repeats, budget)[name]
        except CutOff:
            timing = {"p50_ms": float("nan"), "p95_ms": float("nan"), "runs": 0, "rows": None,
                      "timed_out": True, "cut_ms": budget * 1000}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({"query": name, **timing}), flush=True)


class CutOff(Exception):
    """A query ran past the budget."""


def _cut(signum, frame):
    raise CutOff


if __name__ == "__main__":
    main()
