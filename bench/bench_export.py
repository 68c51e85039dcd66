"""Benchmark: full-graph GraphML export (target < 20 s) and one provider's picture (target < 2 s).

    python bench/bench_export.py [--store data/store] [--runs 3] [--urn SC066400]

Prints the median of a few runs of each step; not a test.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from graph import export, views, viz
from graph.store import EmbeddedStore


def timed(step, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="data/store")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--urn", default="SC066400")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ofsted-kg-bench-"))

    def full_graphml():
        # a fresh store handle each run, so nothing read by an earlier run is reused
        graph = views.full_view(EmbeddedStore(args.store))
        export.write_graphml(graph, folder / "full.graphml")
        return graph

    def one_provider_html():
        return viz.provider_picture(EmbeddedStore(args.store), args.urn, folder / "provider.html", hops=2)

    def one_provider_png():
        return viz.provider_picture(EmbeddedStore(args.store), args.urn, folder / "provider.png", hops=2)

    for name, step, target in (("full graph -> GraphML", full_graphml, 20.0),
                               (f"{args.urn} neighbourhood -> HTML", one_provider_html, 2.0),
                               (f"{args.urn} neighbourhood -> PNG", one_provider_png, 2.0)):
        median, graph = timed(step, args.runs)
        verdict = "within" if median < target else "OVER"
        print(f"{name:<40} median {median:6.2f} s over {args.runs} runs ({verdict} the {target:g} s target); "
              f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges")


if __name__ == "__main__":
    main()
