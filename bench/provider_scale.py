"""``python -m bench.provider_scale``: provider reports at the scale of the sector.

The statistics list about 42,000 inspection events from 2014 to 2025; about 32,000 of them are of
providers the renderer draws (children's homes, secure children's homes, fostering and adoption
agencies, residential family centres) from April 2015. This benchmark renders one report for each of
``--reports`` of them (default 40,000; past the events it adds monitoring and assurance letters on
days the statistics do not list), with tests/render_provider.py: each in the layout family of its
date and type, with the provider's real URN, date, type, name and owner, so that the reports join
the statistics; people and findings invented but distributed as in the sector (a few hundred
inspectors, one responsible individual per owner, a registered manager per home for some years,
0 to 10 requirements citing the catalogue's provisions, a few provisions cited far more than the
rest). A sample is read back to check that the reader gives each record exactly. Then it

1. builds the statistics and the reports from nothing in a child process (bench.child): seconds
   and peak memory, against 15 minutes and 4 GB;
2. adds 100 more reports to that store (an incremental build): seconds, against 15 s;
3. times every stored query with its example parameters: p50, against 100 ms.

Rendered reports go to a scratch folder (``--work``, default a temporary one), never to the
demo's sources. Text only: rendering 40,000 PDFs would time reportlab, not the graph.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import sys
import tempfile
import time
import warnings
import zlib
from dataclasses import dataclass, replace
from datetime import date, timedelta
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
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?urn ?day ?type ?name ?owner WHERE {
  ?inspection ok:inspected ?provider ; ok:startDate ?day .
  ?provider ok:urn ?urn ; ok:provisionType/skos:notation ?type .
  OPTIONAL { GRAPH <https://w3id.org/ofsted-kg/graph/derived> { ?provider schema:name ?name } }
  OPTIONAL { GRAPH <https://w3id.org/ofsted-kg/graph/derived> { ?provider ok:ownedBy ?organisation .
                                                                ?organisation skos:prefLabel ?owner } }
}"""
PROVISIONS = """PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?number WHERE { ?provision a ok:Provision ; dct:isPartOf ?instrument .
  ?instrument skos:notation ?code . BIND(REPLACE(STR(?provision), "^.*/", "") AS ?number) }"""
# how many requirements an inspection gives, 0 to 10: most give none or a few, a failing one many
REQUIREMENT_WEIGHTS = [40, 14, 11, 9, 7, 5, 4, 3, 3, 2, 2]
RECOMMENDATION_WEIGHTS = [35, 20, 18, 12, 9, 6]
INSPECTORS = 350       # social care inspectors working at once, about: each leads hundreds of visits
MANAGER_YEARS = 3      # a registered manager stays about this long before a home names another


@dataclass
class Event:
    urn: str
    day: date
    setting: str
    name: str | None
    owner: str | None
    letter: bool = False   # a visit the statistics do not list (visits_between)


def inspection_events(stats_sources: list[Path], scratch: Path) -> list[Event]:
    """Every statistics inspection of a provider the renderer can draw, with the provider's name and owner."""
    from ofsted_kg.build import build
    from ofsted_kg.store import EmbeddedStore

    store = scratch / "statistics-store"
    build(stats_sources, store, rebuild=True)
    events: dict[tuple[str, date], Event] = {}
    for urn, day, notation, name, owner in EmbeddedStore(store).query(EVENTS).rows:
        if notation in SETTINGS and str(day) >= "2015-04-01":  # the 2015 regulations the renderer cites
            key = (str(urn), date.fromisoformat(str(day)[:10]))
            events.setdefault(key, Event(*key, SETTINGS[notation], _plain(name), _plain(owner)))
    shutil.rmtree(store, ignore_errors=True)
    return [events[key] for key in sorted(events)]


def _plain(value) -> str | None:
    text = str(value) if value is not None else ""
    return text if text and text.upper() != "REDACTED" else None


def catalogue_provisions() -> dict[str, list[str]]:
    """Instrument code -> the numbers of its top-level provisions in ontology/regulations.ttl."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(REPO / "ontology" / "regulations.ttl"), format=ox.RdfFormat.TURTLE)
    found: dict[str, list[str]] = {}
    for solution in store.query(PROVISIONS):
        number = solution["number"].value
        if number.isdigit():
            found.setdefault(solution["code"].value, []).append(number)
    return {code: sorted(numbers, key=int) for code, numbers in found.items()}


class People:
    """Names that recur as they do in the sector: a few hundred inspectors visit many providers, a
    responsible individual answers for every provider of one owner, a registered manager for one
    provider for some years. Names are built from the renderer's accented first and family names."""

    def __init__(self, chance: random.Random, first: list[str], last: list[str]) -> None:
        combos = [f"{a} {b}" for a in first for b in last]
        combos += [f"{a} {m} {b}" for a in first for m in first if m != a for b in last]
        chance.shuffle(combos)
        self.inspectors = combos[:INSPECTORS]
        self.others = combos[INSPECTORS:]
        self.chance = chance

    def _pick(self, key: str) -> str:
        return self.others[zlib.crc32(key.encode("utf-8")) % len(self.others)]

    def inspector(self) -> str:
        return self.chance.choice(self.inspectors)

    def responsible_individual(self, event: Event) -> str:
        return self._pick("ri " + (event.owner or event.urn))

    def registered_manager(self, event: Event) -> str:
        return self._pick(f"rm {event.urn} {event.day.year // MANAGER_YEARS}")


def findings(template, event: Event, provisions: dict[str, list[str]], chance: random.Random, duties: list[str]):
    """0 to 10 requirements and 0 to 5 recommendations citing the catalogue's provisions of the
    setting's instruments; within an instrument a few provisions are cited far more than the rest."""
    from render_provider import SETTINGS as INSTRUMENTS, Finding

    regulations, standards, _ = INSTRUMENTS[event.setting]
    old = template.family.startswith("pre2017")
    if template.family == "letter" or template.interim_outcome:
        return [], []

    def provision(code: str, fallback: int) -> list[str]:
        numbers = provisions.get(code) or [str(n) for n in range(1, fallback + 1)]
        # Zipf-like: the k-th provision of a fixed shuffled order is cited about 1/k as often
        order = sorted(numbers, key=lambda n: zlib.crc32(f"{code} {n}".encode()))
        return [chance.choices(order, weights=[1 / k for k in range(1, len(order) + 1)])[0]]

    requirements = []
    for _ in range(chance.choices(range(len(REQUIREMENT_WEIGHTS)), weights=REQUIREMENT_WEIGHTS)[0]):
        duty = chance.choice(duties)
        text = duty if old else f"The registered person must {duty}."
        cited = provision(regulations, 40) + chance.choice([[], ["1"], ["2"], ["1", "a"], ["2", "b"]])
        requirements.append(Finding(text, event.day + timedelta(days=chance.randint(14, 120)), cited, regulations))
    recommendations = []
    for _ in range(chance.choices(range(len(RECOMMENDATION_WEIGHTS)), weights=RECOMMENDATION_WEIGHTS)[0]):
        duty = chance.choice(duties)
        cited = provision(standards, 30) + [str(chance.randint(1, 12))]
        recommendations.append(Finding(f"The registered person should {duty}.", None, cited, standards))
    return requirements, recommendations


def visits_between(events: list[Event], count: int, chance: random.Random) -> list[Event]:
    """``count`` monitoring or assurance visits some weeks after an inspection the statistics list: the
    statistics hold fewer inspections of the renderer's settings than the sector has reports, and
    such visits are the reports the releases leave out (each a letter, and a new inspection node)."""
    taken = {(e.urn, e.day) for e in events}
    visits = []
    while len(visits) < count:
        event = chance.choice(events)
        day = event.day + timedelta(days=chance.randint(30, 150))
        if (event.urn, day) not in taken and day < date(2025, 4, 1):
            taken.add((event.urn, day))
            visits.append(replace(event, day=day, letter=True))
    return visits


def family_of(day: date, setting: str, chance: random.Random) -> str:
    if day < date(2017, 4, 1) and setting == "children's home":
        return chance.choice(["pre2017_pairs", "pre2017_block", "pre2017_interim"])
    return "letter" if chance.random() < 0.1 else "sccif"


def render_reports(events: list[Event], folder: Path, chance: random.Random) -> list:
    """One text report for each event, written to ``folder``; returns the rendered records (render_provider.Report)."""
    sys.path.insert(0, str(REPO / "tests"))  # the renderer lives beside the round-trip tests that prove it
    from hypothesis.errors import NonInteractiveExampleWarning
    from render_provider import DUTIES, FIRST, LAST, Person, record_strategy, render_text, styles

    warnings.simplefilter("ignore", NonInteractiveExampleWarning)  # .example() draws outside a test, as meant here
    strategies: dict = {}
    people = People(random.Random(19), FIRST, LAST)
    provisions = catalogue_provisions()
    folder.mkdir(parents=True, exist_ok=True)
    rendered = []
    for event in events:
        family = "letter" if event.letter else family_of(event.day, event.setting, chance)
        key = (family, event.setting)
        strategies.setdefault(key, record_strategy(family, event.setting))
        report = strategies[key].example()
        shift = event.day - report.start
        inspectors = sorted({people.inspector() for _ in range(1 if family != "sccif" else chance.choice([1, 1, 2]))})
        named = [Person(people.responsible_individual(event), "responsible_individual"),
                 Person(people.registered_manager(event), "registered_manager")]
        named = [p for p in named if p.name not in inspectors][: 1 if family == "letter" else 2]
        if len(named) == 2 and named[0].name == named[1].name:
            named = named[:1]
        requirements, recommendations = findings(report, event, provisions, chance, DUTIES)
        report = replace(report, urn=event.urn, start=event.day, end=report.end + shift,
                         previous=report.previous + shift,
                         name=event.name if report.name is not None and event.name else report.name,
                         company=event.owner or report.company,
                         people=named + [Person(name, "inspector") for name in inspectors],
                         requirements=requirements, recommendations=recommendations)
        (folder / f"{event.urn}_{event.day.isoformat()}.txt").write_text(render_text(report, styles.example()),
                                                                         encoding="utf-8")
        rendered.append(report)
    return rendered


def check_sample(rendered: list, folder: Path, size: int = 200) -> tuple[int, int]:
    """How many of a sample of the rendered reports the reader gives back exactly (render_provider.project)."""
    from ofsted_kg.ingest.extract import extract
    from render_provider import project

    sample = random.Random(7).sample(rendered, min(size, len(rendered)))
    right = sum(project(extract(folder / f"{r.urn}_{r.start.isoformat()}.txt")) == r.expected() for r in sample)
    return right, len(sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=40_000, help="how many reports to render (default 40,000)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--keep", type=Path, help="keep the reports and the store in this folder, to query afterwards")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the data folder (default ../shared)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each stored query")
    args = parser.parse_args()
    chance = random.Random(19)
    with contextlib.ExitStack() as stack:
        if args.keep:
            scratch = args.keep
            scratch.mkdir(parents=True, exist_ok=True)
        else:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=args.work)))
        stats = [args.shared / "data" / "ofsted_stats", args.shared / "data" / "la_lookup.csv"]
        print("reading the statistics' inspection events ...", file=sys.stderr)
        events = inspection_events(stats, scratch)
        chosen = chance.sample(events, min(args.reports + 100, len(events)))
        chosen += visits_between(events, args.reports + 100 - len(chosen), chance)
        later, chosen = chosen[:100], chosen[100:]
        reports = scratch / "reports"
        shutil.rmtree(reports, ignore_errors=True)
        started = time.perf_counter()
        rendered = render_reports(chosen, reports, chance)
        render_seconds = time.perf_counter() - started
        right, sampled = check_sample(rendered, reports)
        print(f"rendered {len(rendered):,} reports in {render_seconds:.0f} s ({right} of {sampled} sampled read back "
              "exactly); building ...", file=sys.stderr)
        store = scratch / "store"
        shutil.rmtree(store, ignore_errors=True)
        built = run_build(store, [*stats, reports])

        from ofsted_kg.build import build
        from ofsted_kg.store import EmbeddedStore
        from ofsted_kg.store.embedded import QueryLimitError

        print(f"built in {built['seconds']:.0f} s; adding 100 reports ...", file=sys.stderr)
        render_reports(later, reports, chance)
        started = time.perf_counter()
        added = build([*stats, reports], store)
        add_seconds = time.perf_counter() - started
        print(f"added {len(added.added)} files ({added.mode}) in {add_seconds:.1f} s; timing the stored queries ...",
              file=sys.stderr)
        embedded = EmbeddedStore(store)

        def run(sparql: str):
            try:
                return len(embedded.query(sparql).rows)
            except QueryLimitError as exc:   # timed at its limit; the other queries still run
                return f"stopped: {exc}"

        queries = time_queries(run, stored_query_texts(), args.repeats)
    results = {"reports": len(rendered), "read_back": [right, sampled], "render_seconds": render_seconds,
               "build": built, "add_100_seconds": add_seconds, "add_mode": added.mode, "queries": queries}
    print(f"reports {len(rendered):,} (+100 added); a sample of {sampled} read back exactly: {right}")
    print(f"build, statistics and reports: {built['seconds']:.0f} s (target < {TARGETS['build_seconds']} s), "
          f"peak {built['peak_mb']:.0f} MB, workers {built['worker_peak_mb']:.0f} MB (target < {TARGETS['build_peak_mb']} MB), "
          f"{built['triples']:,} triples")
    print(f"adding 100 reports: {add_seconds:.1f} s, {added.mode} (target < {TARGETS['add_100_seconds']} s)")
    for name, timing in sorted(queries.items()):
        flag = "" if timing["p50_ms"] < TARGETS["query_p50_ms"] else "  over target"
        print(f"  {name:45} p50 {timing['p50_ms']:8.1f} ms  rows {timing['rows']}{flag}")
    print(json.dumps(results, default=str), file=sys.stderr)


if __name__ == "__main__":
    main()
