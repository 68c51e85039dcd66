"""Run one build in its own process and print its figures as JSON (so peak memory is the build's own).

``python -m bench.child STORE SOURCE ...``
"""
from __future__ import annotations

import json
import resource
import sys
import time


def main() -> None:
    from graph.build import build

    store, sources = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    summary = build(sources, store, rebuild=True)
    seconds = time.perf_counter() - started
    own_usage = resource.getrusage(resource.RUSAGE_SELF)
    worker_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own, workers = own_usage.ru_maxrss / 1024, worker_usage.ru_maxrss / 1024
    # CPU seconds do not grow when other jobs share the machine, unlike wall-clock seconds
    cpu = sum(u.ru_utime + u.ru_stime for u in (own_usage, worker_usage))
    print(json.dumps({"seconds": seconds, "triples": summary.triples, "rows": summary.rows,
                      "files": summary.files, "cpu_seconds": cpu, "peak_mb": own, "worker_peak_mb": workers}))


if __name__ == "__main__":
    main()
