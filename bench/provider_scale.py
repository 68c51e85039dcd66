"""``python -m bench.provider_scale``: provider reports at the scale of the sector.

The statistics list about 42,000 inspection events from 2014 to 2025. This benchmark renders one
report for each of ``--reports`` of them (default 40,000), in the layout family of its date and
provision type, with tests/render_provider.py (invented findings and people; the real URN, date
and type, so the reports join the statistics' providers), then:

1. builds the statistics and the reports from nothing in a child process (bench.child): seconds
   and peak memory, against 15 minutes and 4 GB;
2. adds 100 more reports to that store (an incremental build): seconds, against 15 s;
3. times every stored query with its example parameters: p50, against 100 ms.

Rendered reports go to a scratch folder (``--work``, default a temporary one), never to the
demo's sources. Text only: rendering 40,000 PDFs would time reportlab, not the graph.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from datetime import date
from pathlib import Path

from bench.run import REPO, run_build, stored_query_texts, time_queries

TARGETS = {"build_seconds": 900, "build_peak_mb": 4096, "add_100_seconds": 15, "query_p50_ms": 100}
# provision type notation (ontology/schemes.ttl) -> the renderer's setting
SETTINGS = {"childrens-home": "children's home", "secure-childrens-home": "secure children's home",
            "independent-fostering-agency": "independent fostering agency",
            "voluntary-adoption-agency": "voluntary adoption agency",
            "residential-family-centre": "residential family centre"}
EVENTS = """PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?urn ?day ?type WHERE {
  ?inspection ok:inspected ?provider ; ok:startDate ?day .
  ?provider ok:urn ?urn ; ok:provisionType/skos:notation ?type .
}"""


def inspection_events(stats_sources: list[Path], scratch: Path) -> list[tuple[str, date, str]]:
    """(URN, start date, setting) of every statistics inspection of a provider the renderer can draw."""
    from ofsted_kg.build import build
    from ofsted_kg.store import EmbeddedStore

    store = scratch / "statistics-store"
    build(stats_sources, store, rebuild=True)
    events = []
    for urn, day, notation in EmbeddedStore(store).query(EVENTS).rows:
        if notation in SETTINGS and str(day) >= "2015-04-01":  # the 2015 regulations the renderer cites
            events.append((str(urn), date.fromisoformat(str(day)[:10]), SETTINGS[notation]))
    return sorted(events)


def family_of(day: date, setting: str, chance: random.Random) -> str:
    if day < date(2017, 4, 1) and setting == "children's home":
        return chance.choice(["pre2017_pairs", "pre2017_block", "pre2017_interim"])
    return "letter" if chance.random() < 0.1 else "sccif"


def render_reports(events: list[tuple[str, date, str]], folder: Path, chance: random.Random) -> int:
    """One text report for each event, written to ``folder``; returns how many."""
    sys.path.insert(0, str(REPO / "tests"))  # the renderer lives beside the round-trip tests that prove it
    from hypothesis.errors import NonInteractiveExampleWarning
    from render_provider import record_strategy, render_text, styles

    warnings.simplefilter("ignore", NonInteractiveExampleWarning)  # .example() draws outside a test, as meant here
    strategies: dict = {}
    folder.mkdir(parents=True, exist_ok=True)
    for urn, day, setting in events:
        family = family_of(day, setting, chance)
        key = (family, setting)
        strategies.setdefault(key, record_strategy(family, setting))
        report = strategies[key].example()
        shift = day - report.start
        report = replace(report, urn=urn, start=day, end=report.end + shift, previous=report.previous + shift,
                         requirements=[replace(f, due=f.due + shift if f.due else None) for f in report.requirements])
        (folder / f"{urn}_{day.isoformat()}.txt").write_text(render_text(report, styles.example()), encoding="utf-8")
    return len(events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=40_000, help="how many reports to render (default 40,000)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the data folder (default ../shared)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each stored query")
    args = parser.parse_args()
    chance = random.Random(19)
    with tempfile.TemporaryDirectory(dir=args.work) as folder:
        scratch = Path(folder)
        stats = [args.shared / "data" / "ofsted_stats", args.shared / "data" / "la_lookup.csv"]
        print("reading the statistics' inspection events ...", file=sys.stderr)
        events = inspection_events(stats, scratch)
        chosen = chance.sample(events, min(args.reports + 100, len(events)))
        later, chosen = chosen[:100], chosen[100:]
        reports = scratch / "reports"
        started = time.perf_counter()
        rendered = render_reports(chosen, reports, chance)
        render_seconds = time.perf_counter() - started
        print(f"rendered {rendered:,} reports in {render_seconds:.0f} s; building ...", file=sys.stderr)
        store = scratch / "store"
        built = run_build(store, [*stats, reports])

        from ofsted_kg.build import build
        from ofsted_kg.store import EmbeddedStore

        print(f"built in {built['seconds']:.0f} s; adding 100 reports ...", file=sys.stderr)
        render_reports(later, reports, chance)
        started = time.perf_counter()
        build([*stats, reports], store)
        add_seconds = time.perf_counter() - started
        print(f"added in {add_seconds:.1f} s; timing the stored queries ...", file=sys.stderr)
        embedded = EmbeddedStore(store)
        queries = time_queries(lambda sparql: len(embedded.query(sparql).rows), stored_query_texts(), args.repeats)
    results = {"reports": rendered, "render_seconds": render_seconds, "build": built, "add_100_seconds": add_seconds,
               "queries": queries}
    print(f"reports {rendered:,} (+100 added)")
    print(f"build, statistics and reports: {built['seconds']:.0f} s (target < {TARGETS['build_seconds']} s), "
          f"peak {built['peak_mb']:.0f} MB, workers {built['worker_peak_mb']:.0f} MB (target < {TARGETS['build_peak_mb']} MB), "
          f"{built['triples']:,} triples")
    print(f"adding 100 reports: {add_seconds:.1f} s (target < {TARGETS['add_100_seconds']} s)")
    for name, timing in sorted(queries.items()):
        flag = "" if timing["p50_ms"] < TARGETS["query_p50_ms"] else "  over target"
        print(f"  {name:45} p50 {timing['p50_ms']:8.1f} ms  rows {timing['rows']}{flag}")
    print(json.dumps(results, default=str), file=sys.stderr)


if __name__ == "__main__":
    main()
