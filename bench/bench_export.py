"""Benchmark: full-graph GraphML export (target < 20 s) and one provider's picture (target < 2 s).

    python -m bench.bench_export [--store data/store] [--runs 3] [--urn SC066400]

Prints the median of a few runs of each step; not a test. ``python -m bench`` runs the same steps
as its ``export`` section. Each run opens the store afresh, so nothing read by an earlier run is reused.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ofsted_kg.networks import export, views, viz
from ofsted_kg.store import EmbeddedStore

TARGETS = {"full_graphml_seconds": 20.0, "provider_html_seconds": 2.0, "provider_png_seconds": 2.0}


def timed(step, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return times, result


def bench_export(store: Path, runs: int = 3, urn: str = "SC066400") -> dict:
    """Seconds per run (store opened each time) of the full view to GraphML and of ``urn``'s picture."""
    folder = Path(tempfile.mkdtemp(prefix="ofsted-kg-bench-export-"))

    def full_graphml():
        graph = views.build_view(EmbeddedStore(store), "full")   # what `ofsted-kg export --view full` does
        export.write_graphml(graph, folder / "full.graphml")
        return graph

    def provider_html():
        return viz.provider_picture(EmbeddedStore(store), urn, folder / "provider.html")

    def provider_png():
        return viz.provider_picture(EmbeddedStore(store), urn, folder / "provider.png")

    results = {"urn": urn}
    for name, step in (("full_graphml", full_graphml), ("provider_html", provider_html), ("provider_png", provider_png)):
        times, graph = timed(step, runs)
        results[name] = {"seconds": statistics.median(times), "runs": [round(t, 2) for t in times],
                         "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    return results


def report_lines(results: dict) -> list[str]:
    """Lines for the benchmark table: each step's median against its target."""
    lines = []
    for name, title in (("full_graphml", "full graph -> GraphML"), ("provider_html", f"{results['urn']} profile -> HTML"),
                        ("provider_png", f"{results['urn']} profile -> PNG")):
        row, target = results[name], TARGETS[f"{name}_seconds"]
        verdict = "ok  " if row["seconds"] < target else "MISS"
        lines.append(f"{title:34} {row['seconds']:8.2f} s   target < {target:g} s   {verdict}  "
                     f"(runs {row['runs']}; {row['nodes']:,} nodes, {row['edges']:,} edges)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="data/store")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--urn", default="SC066400")
    args = parser.parse_args()
    print("\n".join(report_lines(bench_export(Path(args.store), args.runs, args.urn))))


if __name__ == "__main__":
    main()
