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
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "triples": summary.triples, "rows": summary.rows,
                      "files": summary.files, "peak_mb": own, "worker_peak_mb": workers}))


if __name__ == "__main__":
    main()
