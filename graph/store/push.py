"""Copy the graph to another SPARQL store through the SPARQL 1.1 Graph Store HTTP Protocol.

SPARQLWrapper speaks only the query and update protocols, so pushing uses plain HTTP: one
``PUT {endpoint}?graph=<iri>`` per named graph with an N-Triples body, which replaces that graph
on the target (Fuseki ``/ds/data``, GraphDB ``/repositories/x/rdf-graphs/service``, Oxigraph ``/store``).

>>> summary = push("data/store", "http://127.0.0.1:7878/store")   # doctest: +SKIP
>>> summary.graphs, summary.triples                                # doctest: +SKIP
(35, 1535938)
"""
from __future__ import annotations

import base64
import time
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
    seconds: float = 0.0


def graph_url(endpoint: str, graph: str) -> str:
    """``endpoint?graph=<iri>`` (indirect graph identification), the IRI percent-encoded."""
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}graph={urllib.parse.quote(graph, safe='')}"


class _Credentials:
    """Authorization headers for a user, computed before each request is sent.

    Virtuoso closes the connection when it answers 401 to a request whose body it has not read, so
    the usual dance (send, be challenged, send again) fails with "connection reset" on any graph of
    size. The challenge is fetched once with a bodiless request, and every PUT then carries its
    digest (or basic) answer from the start.
    """

    def __init__(self, endpoint: str, user: str, password: str, timeout: float) -> None:
        self.endpoint, self.timeout = endpoint, timeout
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, endpoint, user, password)
        self.digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self.basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.challenge: dict | None = None
        self.scheme: str | None = None

    def _fetch_challenge(self) -> None:
        try:
            with urllib.request.urlopen(urllib.request.Request(self.endpoint, method="HEAD"), timeout=self.timeout):
                self.scheme = "none"
                return
        except urllib.error.HTTPError as exc:
            header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        scheme, _, rest = header.partition(" ")
        self.scheme = scheme.lower() or "none"
        if self.scheme == "digest":
            self.challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))

    def sign(self, request: urllib.request.Request) -> None:
        if self.scheme is None:
            self._fetch_challenge()
        if self.scheme == "digest":
            request.add_unredirected_header("Authorization", "Digest " + self.digest.get_authorization(request, self.challenge))
        elif self.scheme == "basic":
            request.add_unredirected_header("Authorization", self.basic)


def push(store: str | Path, endpoint: str, progress: Callable[[str, int, int], None] | None = None,
         timeout: float = 300, user: str | None = None, password: str | None = None) -> PushSummary:
    """PUT every named graph of the embedded store at ``store`` to the Graph Store endpoint ``endpoint``.

    With ``user`` (and ``password``) the requests authenticate as the endpoint asks: Virtuoso's
    ``/sparql-graph-crud-auth`` wants digest authentication by a user with SPARQL_UPDATE. A PUT
    replaces the graph, so pushing again replaces rather than duplicates, and a push stopped half-way
    is completed by running it again.
    """
    started = time.perf_counter()
    source = EmbeddedStore(store)
    credentials = _Credentials(endpoint, user, password or "", timeout) if user else None
    summary = PushSummary()
    graphs = source.named_graphs()
    for number, graph in enumerate(graphs, start=1):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in source.quads(graph)]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        request = urllib.request.Request(graph_url(endpoint, graph), data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            if credentials:
                credentials.sign(request)
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            hint = " (check --user and the OFSTED_KG_PASSWORD environment variable)" if exc.code in (401, 403) else ""
            raise PushError(f"{endpoint} refused graph {graph}: HTTP {exc.code}{hint} "
                            f"{exc.read()[:300].decode(errors='replace')}; {summary.graphs} of {len(graphs)} graphs "
                            f"were pushed before it: run push again to complete") from exc
        except urllib.error.URLError as exc:
            raise PushError(f"cannot reach {endpoint}: {exc.reason}") from exc
        summary.graphs += 1
        summary.triples += len(triples)
        summary.pushed.append((graph, len(triples)))
        if progress:
            progress(graph, number, len(graphs))
    summary.seconds = time.perf_counter() - started
    return summary
