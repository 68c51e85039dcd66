"""``python -m bench.load --store DIR``: 200 concurrent requests to ``ofsted-kg serve`` over loopback.

Starts the web app on the store, then releases every request at once (one thread each, held at a
barrier): provider pages, organisation pages, searches, a stored-query form, its CSV and raw
SPARQL at /query, in turn. Prints the share answered (HTTP 200 within the client's timeout), the
median and 95th-percentile latency, and what the others got instead; and first, for scale, the
median time of a search made on its own.
"""
from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from bench.run import percentile
from ofsted_kg.web.server import start_server

TARGET_SHARE = 1.0   # every request answered


def _sample(sparql_url: str, query: str, limit: int) -> list[str]:
    body = urllib.parse.urlencode({"query": query + f" LIMIT {limit}"}).encode()
    with urllib.request.urlopen(urllib.request.Request(sparql_url, data=body), timeout=60) as answer:
        rows = json.load(answer)["results"]["bindings"]
    return [row["x"]["value"] for row in rows]


def request_mix(base: str, sparql_url: str, count: int) -> list[str]:
    """``count`` URLs over the kinds of page people open, on things that exist in the store."""
    ok = "PREFIX ok: <https://w3id.org/ofsted-kg/ontology#> PREFIX org: <http://www.w3.org/ns/org#> "
    providers = _sample(sparql_url, ok + "SELECT ?x WHERE { ?p a ok:Provider ; ok:urn ?x }", 50)
    owners = _sample(sparql_url, ok + "SELECT ?x WHERE { ?x a org:Organization }", 20)
    names = _sample(sparql_url, ok + "SELECT ?x WHERE { ?p a ok:Provider ; <https://schema.org/name> ?x }", 20)
    if not providers:
        raise SystemExit("the store has no providers to ask for")
    kinds = [
        lambda i: f"{base}id/provider/{providers[i % len(providers)]}",
        lambda i: base + "id/" + owners[i % len(owners)].split("/id/", 1)[1] if owners else f"{base}queries",
        lambda i: f"{base}search?" + urllib.parse.urlencode({"q": names[i % len(names)][:-1] if names else "home"}),
        lambda i: f"{base}queries/provider-profile?" + urllib.parse.urlencode({"urn": providers[i % len(providers)], "run": "1"}),
        lambda i: f"{base}queries/provider-profile.csv?" + urllib.parse.urlencode({"urn": providers[i % len(providers)]}),
        lambda i: f"{sparql_url}?" + urllib.parse.urlencode({"query": ok + "SELECT ?p WHERE { ?p ok:urn "
                                                              f"\"{providers[i % len(providers)]}\" }}"}),
    ]
    return [kinds[i % len(kinds)](i) for i in range(count)]


def fire(urls: list[str], timeout: float) -> list[tuple[str, float]]:
    """Every URL at once, one thread each; (outcome, seconds) per request."""
    results: list[tuple[str, float]] = [("not run", 0.0)] * len(urls)
    barrier = threading.Barrier(len(urls))

    def one(index: int, url: str) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as answer:
                answer.read()
                outcome = str(answer.status)
        except urllib.error.HTTPError as exc:
            outcome = str(exc.code)
        except (OSError, urllib.error.URLError) as exc:
            outcome = type(getattr(exc, "reason", exc)).__name__
        results[index] = (outcome, time.perf_counter() - started)

    threads = [threading.Thread(target=one, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a store built by `ofsted-kg build`")
    parser.add_argument("--requests", type=int, default=200, help="requests released at once (default 200)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a client waits for its answer")
    args = parser.parse_args(argv)
    with start_server(args.store, port=0) as handle:
        urls = request_mix(handle.url, handle.sparql_url, args.requests)
        fire(urls[:6], args.timeout)   # warm: the search index and Oxigraph's caches
        searches = [url for url in urls if "/search?" in url][:30]
        alone = []
        for url in searches:   # one at a time: how long a search takes on this store without a crowd
            started = time.perf_counter()
            urllib.request.urlopen(url, timeout=args.timeout).read()
            alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        results = fire(urls, args.timeout)
        wall = time.perf_counter() - started
    answered = [seconds for outcome, seconds in results if outcome == "200"]
    summary = {
        "requests": len(results), "answered": len(answered), "share_answered": len(answered) / len(results),
        "p50_ms": round(1000 * statistics.median(answered)) if answered else None,
        "p95_ms": round(1000 * percentile(answered, 0.95)) if answered else None,
        "wall_seconds": round(wall, 2), "outcomes": dict(Counter(outcome for outcome, _ in results)),
        "search_alone_p50_ms": round(1000 * statistics.median(alone)) if alone else None,
    }
    mark = "ok" if summary["share_answered"] >= TARGET_SHARE else "MISSED"
    print(f"{summary['requests']} concurrent requests over loopback: {summary['share_answered']:.0%} answered [{mark}], "
          f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, all done in {summary['wall_seconds']} s")
    print(f"outcomes: {summary['outcomes']}")
    print(f"a search alone (no other requests): p50 {summary['search_alone_p50_ms']} ms")
    return summary


if __name__ == "__main__":
    main()
