"""The server (its SPARQL endpoint), push to a writable Oxigraph over the Graph Store Protocol, remote queries and the Python API.

One small store is built per session from a subset of the real statistics (../shared)."""
from __future__ import annotations

import functools
import json
import signal
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from ofsted_kg import KnowledgeGraph
from ofsted_kg import stored as queries
from ofsted_kg.build import build
from ofsted_kg.paths import shared_dir
from ofsted_kg.store import EmbeddedStore, RemoteStore
from ofsted_kg.store.push import push
from ofsted_kg.web.server import ServerError, free_port, oxigraph_binary, start_server

SHARED = shared_dir()
STATS = SHARED / "data" / "ofsted_stats" if SHARED else None


@functools.lru_cache(maxsize=1)
def small_store() -> Path:
    """A store built from la_lookup.csv, one inspections file and the head of a providers file (with SC066400)."""
    if SHARED is None:
        pytest.skip("../shared (real Ofsted data) is not beside this checkout")
    folder = Path(tempfile.mkdtemp(prefix="ofsted-kg-server-"))
    sources = folder / "sources"
    sources.mkdir()
    providers = (STATS / "providers_places_at_31mar2016.csv").read_text(encoding="utf-8-sig", errors="replace").splitlines()
    chosen = providers[:300] + [line for line in providers[300:] if "SC066400" in line]
    (sources / "providers_places_at_31mar2016.csv").write_text("\n".join(chosen) + "\n", encoding="utf-8")
    for source in (STATS / "inspections_2013-14_excl_childrens_homes.csv", SHARED / "data" / "la_lookup.csv"):
        (sources / source.name).write_bytes(source.read_bytes())
    build([sources], folder / "store")
    return folder / "store"


@pytest.fixture(scope="module")
def store() -> Path:
    return small_store()


@pytest.fixture(scope="module")
def served(store):
    handle = start_server(store, port=0)
    yield handle
    handle.stop()


def _params(query) -> dict:
    return dict(query.example)


def test_served_endpoint_answers_stored_queries(served):
    rows = queries.run(RemoteStore(served.sparql_url), "provider-profile", urn="SC066400").as_dicts()
    assert rows[0]["name"] == "Nexus Fostering"


def test_served_endpoint_is_read_only(served):
    request = urllib.request.Request(served.sparql_url.replace("/query", "/update"), method="POST",
                                     data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                     headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code in (403, 404, 405)


def test_endpoint_answers_get_and_form_posts(served):
    query = 'PREFIX ok: <https://w3id.org/ofsted-kg/ontology#> ASK { ?p ok:urn "SC066400" }'
    answer = json.load(urllib.request.urlopen(served.sparql_url + "?" + urllib.parse.urlencode({"query": query})))
    assert answer["boolean"] is True
    request = urllib.request.Request(served.sparql_url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert json.load(urllib.request.urlopen(request))["boolean"] is True


def test_non_loopback_host_is_refused_without_public(store):
    with pytest.raises(ServerError, match="loopback"):
        start_server(store, host="0.0.0.0", port=free_port())


def test_a_port_in_use_is_a_clear_error(store):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ServerError, match=f"cannot serve on 127.0.0.1:{taken.getsockname()[1]}"):
            start_server(store, port=taken.getsockname()[1])


def test_stop_leaves_no_process(store):
    handle = start_server(store, port=0)
    handle.stop()
    assert handle.process.poll() is not None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_command_stops_its_child_on_a_signal(store, signum):
    port = free_port()
    command = subprocess.Popen([str(Path(oxigraph_binary()).parent / "ofsted-kg"), "serve", "--store", str(store),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        children = [int(stat.split()[0]) for stat in _stats() if int(stat.rsplit(")", 1)[1].split()[1]) == command.pid]
        assert children, "serve started no Oxigraph"
        command.send_signal(signum)
        assert command.wait(15) == 0
        time.sleep(0.5)
        alive = [pid for pid in children if any(int(stat.split()[0]) == pid and stat.rsplit(")", 1)[1].split()[0] != "Z"
                                                for stat in _stats())]
        assert alive == []
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1)
    finally:
        if command.poll() is None:
            command.kill()


def _stats() -> list[str]:
    """/proc/<pid>/stat of every process (pid, name, state, parent ...)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append((entry / "stat").read_text())
            except OSError:
                pass
    return found


@pytest.fixture(scope="module")
def writable_endpoint(tmp_path_factory):
    """A real `oxigraph serve` (read-write, union default graph) on an empty folder."""
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path_factory.mktemp("target")),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


def test_push_copies_every_graph_and_every_query_agrees(store, writable_endpoint):
    summary = push(store, writable_endpoint + "/store")
    local = EmbeddedStore(store)
    assert summary.graphs == len(local.named_graphs())
    assert summary.triples == len(local)
    remote = RemoteStore(writable_endpoint + "/query")
    for name, query in queries.stored_queries().items():
        expected = queries.run(local, name, **_params(query))
        got = queries.run(remote, name, **_params(query))
        assert got.columns == expected.columns, name
        assert Counter(map(repr, got.rows)) == Counter(map(repr, expected.rows)), name


def test_cli_query_on_an_endpoint(served):
    from typer.testing import CliRunner

    from ofsted_kg.cli import app

    answer = CliRunner().invoke(app, ["query", "provider-profile", "-p", "urn=SC066400", "--endpoint",
                                      served.sparql_url, "--format", "json"])
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.stdout)[0]["name"] == "Nexus Fostering"


def test_cli_push_reports_graphs_and_triples(store, writable_endpoint):
    from typer.testing import CliRunner

    from ofsted_kg.cli import app

    answer = CliRunner().invoke(app, ["push", "--endpoint", writable_endpoint + "/store", "--store", str(store)],
                                env={"COLUMNS": "250"})
    assert answer.exit_code == 0, answer.output
    assert f"pushed {len(EmbeddedStore(store).named_graphs())} graphs" in answer.stdout


# ------------------------------------------------------------------ the Python API


def test_knowledge_graph_embedded_and_remote(store, served):
    embedded = KnowledgeGraph(store)
    assert embedded.query("provider-profile", urn="SC066400")[0]["name"] == "Nexus Fostering"
    assert "provider-profile" in embedded.queries()
    assert embedded.sparql("ASK { ?s ?p ?o }") == [{"answer": True}]
    remote = KnowledgeGraph(endpoint=served.sparql_url)
    assert remote.query("provider-profile", urn="SC066400") == embedded.query("provider-profile", urn="SC066400")


def test_knowledge_graph_as_frame(store):
    pytest.importorskip("pandas")
    frame = KnowledgeGraph(store).query("provider-profile", urn="SC066400", as_frame=True)
    assert list(frame.columns) == queries.load("provider-profile").columns
    assert frame.loc[0, "name"] == "Nexus Fostering"
