"""Run one build in its own process and print its figures as JSON (so peak memory is the build's own).

``python -m bench.child STORE SOURCE ...``
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM its peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def peak_mb() -> float:
    """This process's peak resident memory. Not ``ru_maxrss``: Linux carries that across fork and
    exec, so a child of a benchmark that had grown to 1 GB would report at least 1 GB."""
    peak = status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from ofsted_kg.build import build

    store, sources = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    summary = build(sources, store, rebuild=True)
    seconds = time.perf_counter() - started
    own_usage = resource.getrusage(resource.RUSAGE_SELF)
    worker_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own, workers = peak_mb(), worker_usage.ru_maxrss / 1024
    # CPU seconds do not grow when other jobs share the machine, unlike wall-clock seconds
    cpu = sum(u.ru_utime + u.ru_stime for u in (own_usage, worker_usage))
    print(json.dumps({"seconds": seconds, "triples": summary.triples, "rows": summary.rows,
                      "files": summary.files, "cpu_seconds": cpu, "peak_mb": own, "worker_peak_mb": workers}))


if __name__ == "__main__":
    main()
