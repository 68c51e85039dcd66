"""Copy the graph to another SPARQL store through the SPARQL 1.1 Graph Store HTTP Protocol.

SPARQLWrapper speaks only the query and update protocols, so pushing uses plain HTTP: one
``PUT {endpoint}?graph=<iri>`` per named graph with an N-Triples body, which replaces that graph
on the target (Fuseki ``/ds/data``, GraphDB ``/repositories/x/rdf-graphs/service``, Oxigraph ``/store``).

>>> summary = push("data/store", "http://127.0.0.1:7878/store")   # doctest: +SKIP
>>> summary.graphs, summary.triples                                # doctest: +SKIP
(35, 1535938)
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from . import EmbeddedStore


class PushError(Exception):
    """The endpoint refused a graph."""


@dataclass
class PushSummary:
    graphs: int = 0
    triples: int = 0
    pushed: list[tuple[str, int]] = field(default_factory=list)   # (graph IRI, triples)


def graph_url(endpoint: str, graph: str) -> str:
    """``endpoint?graph=<iri>`` (indirect graph identification), the IRI percent-encoded."""
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}graph={urllib.parse.quote(graph, safe='')}"


def push(store: str | Path, endpoint: str, progress: Callable[[str, int, int], None] | None = None,
         timeout: float = 300) -> PushSummary:
    """PUT every named graph of the embedded store at ``store`` to the Graph Store endpoint ``endpoint``."""
    source = EmbeddedStore(store)
    summary = PushSummary()
    graphs = source.named_graphs()
    for number, graph in enumerate(graphs, start=1):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in source.quads(graph)]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        request = urllib.request.Request(graph_url(endpoint, graph), data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            raise PushError(f"{endpoint} refused graph {graph}: HTTP {exc.code} {exc.read()[:300].decode(errors='replace')}") from exc
        except urllib.error.URLError as exc:
            raise PushError(f"cannot reach {endpoint}: {exc.reason}") from exc
        summary.graphs += 1
        summary.triples += len(triples)
        summary.pushed.append((graph, len(triples)))
        if progress:
            progress(graph, number, len(graphs))
    return summary
