"""Copy the graph to another SPARQL store through the SPARQL 1.1 Graph Store HTTP Protocol.

SPARQLWrapper speaks only the query and update protocols, so pushing uses plain HTTP: one
``PUT {endpoint}?graph=<iri>`` per named graph with an N-Triples body, which replaces that graph
on the target (Fuseki ``/ds/data``, GraphDB ``/repositories/x/rdf-graphs/service``, Oxigraph ``/store``).

Each PUT has a timeout and an overall deadline and is retried (network errors, 429, 5xx) with
backoff. When a graph still fails the push stops, and the graphs already sent are remembered in
the store's version folder (``ofsted-kg/pushed-{endpoint digest}.txt``): the next push to that
endpoint sends only the rest. A push that completes forgets them, so the one after sends all.

>>> summary = push("data/store", "http://127.0.0.1:7878/store")   # doctest: +SKIP
>>> summary.graphs, summary.triples                                # doctest: +SKIP
(35, 1535938)
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from ..ingest.fetch import Client, FetchError
from . import EmbeddedStore


class PushError(Exception):
    """The endpoint refused a graph, or could not be reached after the retries."""


@dataclass
class PushSummary:
    graphs: int = 0
    triples: int = 0
    pushed: list[tuple[str, int]] = field(default_factory=list)   # (graph IRI, triples)
    seconds: float = 0.0
    already: int = 0    # graphs an earlier, unfinished push to this endpoint had sent


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

    def headers(self, url: str, method: str) -> dict[str, str]:
        """The Authorization header for ``method`` on ``url`` (none when the endpoint asks for nothing)."""
        if self.scheme is None:
            self._fetch_challenge()
        if self.scheme == "digest":
            answer = self.digest.get_authorization(urllib.request.Request(url, method=method), self.challenge)
            return {"Authorization": "Digest " + answer}
        if self.scheme == "basic":
            return {"Authorization": self.basic}
        return {}


def progress_file(store: str | Path, endpoint: str) -> Path:
    """Where the graphs sent to ``endpoint`` by an unfinished push are listed, inside the store's version."""
    digest = hashlib.blake2b(endpoint.encode("utf-8"), digest_size=8).hexdigest()
    return Path(store).resolve() / "ofsted-kg" / f"pushed-{digest}.txt"


def push(store: str | Path, endpoint: str, progress: Callable[[str, int, int], None] | None = None,
         timeout: float = 60, deadline: float = 900, retries: int = 3, client: Client | None = None,
         user: str | None = None, password: str | None = None) -> PushSummary:
    """PUT every named graph of the embedded store at ``store`` to the Graph Store endpoint ``endpoint``.

    ``timeout`` bounds each wait for the endpoint, ``deadline`` each whole PUT (the largest graph
    is some 100 MB of N-Triples). Raises PushError naming the graph, the reason and what was sent.
    With ``user`` (and ``password``) the requests authenticate as the endpoint asks: Virtuoso's
    ``/sparql-graph-crud-auth`` wants digest authentication by a user with SPARQL_UPDATE.
    """
    started = time.perf_counter()
    source = EmbeddedStore(store)
    credentials = _Credentials(endpoint, user, password or "", timeout) if user else None
    client = client or Client(rate=1000.0, retries=retries, timeout=timeout, deadline=deadline)
    summary = PushSummary()
    graphs = source.named_graphs()
    sent_file = progress_file(store, endpoint)
    sent = set(sent_file.read_text(encoding="utf-8").split()) if sent_file.exists() else set()
    for number, graph in enumerate(graphs, start=1):
        if graph in sent:
            summary.already += 1
            continue
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in source.quads(graph)]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        url = graph_url(endpoint, graph)
        try:
            signed = credentials.headers(url, "PUT") if credentials else {}
            client.request(url, method="PUT", data=body, headers={"Content-Type": "application/n-triples", **signed})
        except FetchError as exc:
            done = summary.graphs + summary.already
            hint = " (check --user and the OFSTED_KG_PASSWORD environment variable)" if exc.status in (401, 403) else ""
            raise PushError(f"{endpoint}: graph {graph} not pushed: {exc.reason}{hint}. {done} of {len(graphs)} graphs "
                            f"are there; push again to send the other {len(graphs) - done}") from None
        except urllib.error.URLError as exc:   # the endpoint's challenge could not be fetched
            raise PushError(f"cannot reach {endpoint}: {exc.reason}") from None
        _remember(sent_file, graph)
        summary.graphs += 1
        summary.triples += len(triples)
        summary.pushed.append((graph, len(triples)))
        if progress:
            progress(graph, number, len(graphs))
    with contextlib.suppress(FileNotFoundError):
        sent_file.unlink()
    summary.seconds = time.perf_counter() - started
    return summary


def _remember(sent_file: Path, graph: str) -> None:
    sent_file.parent.mkdir(parents=True, exist_ok=True)
    with open(sent_file, "a", encoding="utf-8") as handle:
        handle.write(graph + "\n")
        handle.flush()
        os.fsync(handle.fileno())
