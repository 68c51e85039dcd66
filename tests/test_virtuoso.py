"""The same graph and the same stored queries on a second engine: OpenLink Virtuoso, started by the tests.

The graph of tests/fixtures/queries/small.trig (with the ontology) is pushed to a real Virtuoso
through its Graph Store endpoint with digest authentication, and every stored query is run there
with `ofsted-kg query NAME --endpoint URL` (SPARQLWrapper) and compared, row for row, with the
embedded store. `make bench` does the same on the whole graph and times both.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import store_from_trig

from ofsted_kg import stored
from ofsted_kg.store import EmbeddedStore, RemoteStore
from ofsted_kg.store.push import PushError, push

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import virtuoso  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "small.trig"
pytestmark = pytest.mark.skipif(not (virtuoso.VIRTUOSO and virtuoso.ISQL),
                                reason="Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does)")


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> Path:
    return store_from_trig(tmp_path_factory.mktemp("virtuoso-source") / "store", FIXTURE)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = virtuoso.start(tmp_path_factory.mktemp("virtuoso"), buffers=20000)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def pushed(server, fixture_store):
    summary = push(fixture_store, server.graph_store_url, user="dba", password=server.password)
    return summary


def _count(server, graph_prefix: str = "https://w3id.org/ofsted-kg/") -> int:
    result = RemoteStore(server.sparql_url).query(
        f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{graph_prefix}")) }}')
    return int(result.rows[0][0])


def test_push_sends_every_named_graph_and_its_triples(server, pushed, fixture_store):
    source = EmbeddedStore(fixture_store)
    assert pushed.graphs == len(source.named_graphs())
    assert pushed.triples == len(source)
    assert _count(server) == len(source)


def test_a_second_push_replaces_rather_than_duplicates(server, pushed, fixture_store):
    again = push(fixture_store, server.graph_store_url, user="dba", password=server.password)
    assert again.triples == pushed.triples
    assert _count(server) == pushed.triples


def test_an_interrupted_push_is_completed_by_running_it_again(server, pushed, fixture_store):
    graphs = EmbeddedStore(fixture_store).named_graphs()
    first = graphs[0]
    server.isql(f"SPARQL CLEAR GRAPH <{first}>;")
    assert _count(server) < pushed.triples

    def stop_after_one(graph, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(fixture_store, server.graph_store_url, user="dba", password=server.password, progress=stop_after_one)
    push(fixture_store, server.graph_store_url, user="dba", password=server.password)
    assert _count(server) == pushed.triples


def test_a_wrong_password_is_refused_with_a_message_that_says_where_the_password_comes_from(server, fixture_store):
    with pytest.raises(PushError, match="OFSTED_KG_PASSWORD"):
        push(fixture_store, server.graph_store_url, user="dba", password="wrong")


def test_the_cli_push_reads_the_password_from_the_environment_only(server, pushed, fixture_store, tmp_path):
    command = [sys.executable, "-m", "ofsted_kg", "push", "--endpoint", server.graph_store_url, "--user", "dba",
               "--store", str(fixture_store), "-q"]
    without = subprocess.run(command, capture_output=True, text=True, env={k: v for k, v in os.environ.items()
                                                                            if k != "OFSTED_KG_PASSWORD"})
    assert without.returncode == 2 and "OFSTED_KG_PASSWORD" in without.stderr
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, OFSTED_KG_PASSWORD=server.password))
    assert done.returncode == 0, done.stderr
    assert f"{pushed.graphs} graphs, {pushed.triples:,} triples" in done.stdout


@pytest.mark.parametrize("name", sorted(stored.stored_queries()))
def test_every_stored_query_gives_the_same_rows_on_virtuoso(server, pushed, fixture_store, name):
    query = stored.stored_queries()[name]
    embedded = stored.run(EmbeddedStore(fixture_store), name, **query.example)
    remote = stored.run(RemoteStore(server.sparql_url), name, **query.example)
    assert remote.columns == embedded.columns
    lists = virtuoso.concatenated_columns(query.text, embedded.columns)
    assert virtuoso.comparable_rows(remote.rows, lists) == virtuoso.comparable_rows(embedded.rows, lists)


def test_a_stored_query_through_the_command_line_on_virtuoso(server, pushed):
    done = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "requirements-by-provider", "--param", "urn=SC000001",
                           "--endpoint", server.sparql_url, "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    # tests/fixtures/queries/small.trig: SC000001's inspection of 1 June 2021 cites regulation 12(1), due 1 July 2021
    assert {"inspection_date": "2021-06-01", "label": "Regulation 12 (1)", "due_date": "2021-07-01"}.items() \
        <= rows[0].items()
