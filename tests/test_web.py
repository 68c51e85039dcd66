"""The web app over HTTP, against a real started server (uvicorn + oxigraph serve-read-only) on a small real store.

Expected values are read from the source CSVs with the csv module."""
from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import logging
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from ofsted_kg import stored
from ofsted_kg.build import build
from ofsted_kg.paths import shared_dir
from ofsted_kg.web.server import start_server

SHARED = shared_dir()
STATS = SHARED / "data" / "ofsted_stats" if SHARED else None
RELEASE = "providers_places_at_31mar2025.csv"
URN = "SC066400"
ID = "https://w3id.org/ofsted-kg/id/"
OK = "https://w3id.org/ofsted-kg/ontology#"


def release_rows() -> list[dict]:
    """The 2025 release's rows, read with the csv module (three lines of notes sit above the header)."""
    with open(STATS / RELEASE, encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("Web link,URN"))
    return list(csv.DictReader(lines[header_at:]))


def row_of(urn: str) -> dict:
    return next(row for row in release_rows() if row["URN"] == urn)


def _write_sources(folder: Path, with_urn: bool) -> None:
    """The head of the 2025 release (with or without the SC066400 row), the LA lookup and the seed documents."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (STATS / RELEASE).read_text(encoding="utf-8-sig").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("Web link,URN"))
    body = [line for line in lines[header_at + 1:header_at + 200] if URN not in line]
    if with_urn:
        body += [line for line in lines[header_at + 1:] if f",{URN}," in line]
    (folder / RELEASE).write_text("\n".join(lines[:header_at + 1] + body) + "\n", encoding="utf-8")
    (folder / "la_lookup.csv").write_bytes((SHARED / "data" / "la_lookup.csv").read_bytes())
    if with_urn:
        for seed in sorted((SHARED / "seeds").glob("*.txt")):
            (folder / seed.name).write_bytes(seed.read_bytes())


@functools.lru_cache(maxsize=1)
def web_store() -> Path:
    """A store of the 2025 release's head plus SC066400, the LA lookup, and the seed report and news."""
    if SHARED is None:
        pytest.skip("../shared (real Ofsted data) is not beside this checkout")
    folder = Path(tempfile.mkdtemp(prefix="ofsted-kg-web-"))
    _write_sources(folder / "sources", with_urn=True)
    build([folder / "sources"], folder / "store")
    return folder / "store"


@pytest.fixture(scope="module")
def served():
    handle = start_server(web_store(), port=0)
    yield handle
    handle.stop()


def get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def post_query(url: str, query: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# ------------------------------------------------------------------ entity pages


def test_provider_page_shows_the_release_and_links_to_owner_and_council(served):
    row = row_of(URN)
    status, media, body = get(served.url + f"id/provider/{URN}")
    assert status == 200 and media.startswith("text/html")
    page = body.decode()
    assert f'<h1 id="entity-title">{row["Name"]}</h1>' in page
    # the release's date, status and the council and owner as links to their own pages
    assert "2025-03-31" in page and row["Registration status"] in page
    assert f'>{row["Local authority"]}</a>' in page
    owner_links = [part.split('"')[0] for part in page.split('href="/id/organisation/')[1:]]
    assert owner_links, "no link to an organisation"
    status, _, owner_page = get(served.url + "id/organisation/" + owner_links[0])
    assert status == 200
    title = owner_page.decode().split('<h1 id="entity-title">')[1].split("<")[0]
    assert title.casefold() == row["Organisation which owns the provider"].casefold()
    # the owner's page lists this provider among its providers
    assert f'href="/id/provider/{URN}"' in owner_page.decode()


def test_provider_page_has_findings_with_provisions_people_and_news(served):
    seed = next(p for p in sorted((SHARED / "seeds").glob("*.txt")) if URN in p.read_text(encoding="utf-8"))
    report = seed.read_text(encoding="utf-8")
    page = get(served.url + f"id/provider/{URN}")[2].decode()
    findings = page.split('id="provider-findings"')[1].split("</section>")[0]
    # every requirement the report lists cites a regulation: the finding row links to the provision's page
    assert "/resource?iri=http%3A%2F%2Fwww.legislation.gov.uk%2Fid%2F" in findings
    assert "requirement" in findings
    people = page.split('id="provider-people"')[1].split("</section>")[0]
    named = [part.split("<")[0].split(">")[-1] for part in people.split('href="/id/person/')[1:]]
    assert named and all(name in report for name in named if "inspector" not in name)
    claims = page.split('id="provider-claims"')[1].split("</section>")[0]
    assert "agrees" in claims or "differs" in claims


def test_provision_page_rolls_up_and_links_to_legislation(served):
    page = get(served.url + f"id/provider/{URN}")[2].decode()
    findings = page.split('id="provider-findings"')[1].split("</section>")[0]
    cited = [urllib.parse.unquote(part.split('"')[0]) for part in findings.split('href="/resource?iri=')[1:]]
    # a paragraph of a regulation (…/regulation/17/1): its regulation is cited only through it
    paragraph = next(iri for iri in cited if iri.startswith("http://www.legislation.gov.uk/id/")
                     and len(iri.split("/regulation/")[-1].split("/")) > 1)
    regulation = paragraph.split("/regulation/")[0] + "/regulation/" + paragraph.split("/regulation/")[1].split("/")[0]
    status, _, body = get(served.url + "resource?" + urllib.parse.urlencode({"iri": regulation}))
    text = body.decode()
    assert status == 200
    assert 'id="legislation-link"' in text and "https://www.legislation.gov.uk/" in text
    # the regulation is cited through its paragraph: the roll-up finds the provider
    assert f'href="/id/provider/{URN}"' in text.split('id="provision-findings"')[1]
    # the hierarchy: the regulation itself once, the instrument above it, the cited paragraph below
    hierarchy = text.split('id="provision-hierarchy"')[1].split("</section>")[0]
    rows = hierarchy.split("<tr>")[2:]
    relations = [(urllib.parse.unquote(row.split("iri=")[1].split('"')[0]), row.split('<td data-sort="')[2].split('"')[0])
                 for row in rows]
    assert [iri for iri, relation in relations if relation == "this"] == [regulation]
    assert [iri for iri, relation in relations if relation == "contains this"] == [regulation.split("/regulation/")[0]]
    assert (paragraph, "part of this") in relations or any(
        paragraph.startswith(iri + "/") for iri, relation in relations if relation == "part of this")


def test_unknown_iri_is_404(served):
    assert get(served.url + "id/provider/NO-SUCH-URN")[0] == 404


# ------------------------------------------------------------------ linked data


@pytest.mark.parametrize("accept,suffix,fmt", [("text/turtle", None, ox.RdfFormat.TURTLE),
                                               ("application/n-triples", None, ox.RdfFormat.N_TRIPLES),
                                               ("application/ld+json", None, ox.RdfFormat.JSON_LD),
                                               (None, "ttl", ox.RdfFormat.TURTLE),
                                               (None, "jsonld", ox.RdfFormat.JSON_LD)])
def test_entity_answers_rdf_by_content_negotiation(served, accept, suffix, fmt):
    row = row_of(URN)
    url = served.url + f"id/provider/{URN}" + (f".{suffix}" if suffix else "")
    status, media, body = get(url, accept)
    assert status == 200
    assert media.startswith(fmt.media_type)
    triples = {(t.subject, t.predicate, t.object) for t in ox.parse(body, format=fmt)}
    subject = ox.NamedNode(ID + f"provider/{URN}")
    assert (subject, ox.NamedNode(OK + "urn"), ox.Literal(URN)) in triples
    assert (subject, ox.NamedNode("https://schema.org/name"), ox.Literal(row["Name"])) in triples


# ------------------------------------------------------------------ search


def _misspell(name: str) -> str:
    """Drop one letter from the middle of the longest word."""
    word = max(name.split(), key=len)
    middle = len(word) // 2
    return name.replace(word, word[:middle] + word[middle + 1:], 1)


def search(served, text: str) -> list[dict]:
    return json.loads(get(served.url + "search?" + urllib.parse.urlencode({"q": text}), "application/json")[2])


def test_search_finds_by_misspelt_name_urn_owner_and_council(served):
    row = row_of(URN)
    provider = ID + f"provider/{URN}"
    assert provider in [hit["iri"] for hit in search(served, _misspell(row["Name"]))[:3]]
    assert search(served, URN.lower())[0]["iri"] == provider
    owner_hits = search(served, row["Organisation which owns the provider"])
    assert owner_hits[0]["kind"] == "organisation"
    assert owner_hits[0]["label"].casefold() == row["Organisation which owns the provider"].casefold()
    council_hits = search(served, row["Local authority"])
    assert council_hits[0]["kind"] == "local authority" and council_hits[0]["label"] == row["Local authority"]


def test_search_finds_a_person_named_on_the_provider_page(served):
    page = get(served.url + f"id/provider/{URN}")[2].decode()
    people = page.split('id="provider-people"')[1].split("</section>")[0]
    key, name = people.split('href="/id/person/')[1].split('"')[0], people.split('href="/id/person/')[1].split(">")[1].split("<")[0]
    hits = search(served, _misspell(name))
    assert ID + f"person/{key}" in [hit["iri"] for hit in hits[:3]]
    assert hits[[hit["iri"] for hit in hits].index(ID + f"person/{key}")]["kind"] == "person"


def test_search_folds_accents(served):
    council = row_of(URN)["Local authority"]
    # an accent on every vowel, as a name typed with the wrong keyboard
    accented = council.translate(str.maketrans("aeiou", "áéíóú"))
    assert accented != council
    assert search(served, accented)[0]["label"] == council


# ------------------------------------------------------------------ stored-query forms


def test_stored_query_form_runs_and_downloads(served):
    row = row_of(URN)
    query = stored.load("provider-profile")
    status, _, body = get(served.url + f"queries/provider-profile?urn={URN}&run=1")
    page = body.decode()
    assert status == 200 and 'id="result-table"' in page and row["Name"] in page
    assert "VALUES ?urn { &#34;SC066400&#34; }" in page or 'VALUES ?urn { "SC066400" }' in page
    status, media, csv_body = get(served.url + f"queries/provider-profile.csv?urn={URN}")
    assert status == 200 and media.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_body.decode())))
    assert list(rows[0]) == query.columns
    assert rows[0]["urn"] == URN and rows[0]["name"] == row["Name"]
    assert rows[0]["local_authority"] == row["Local authority"]
    status, _, json_body = get(served.url + f"queries/provider-profile.json?urn={URN}")
    # the same rows, typed: the CSV's text is the JSON value's text
    as_json = json.loads(json_body)
    assert [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in as_json] == rows


def test_every_stored_query_form_opens_and_runs_its_example(served):
    for name, query in stored.stored_queries().items():
        params = urllib.parse.urlencode({**query.example, "run": "1"})
        status, _, body = get(served.url + f"queries/{name}?{params}")
        assert status == 200, (name, body[:300])
        assert "<pre id=\"sparql\">" in body.decode()


def test_a_value_cannot_change_the_query(served):
    hostile = 'x" } UNION { ?s ?p ?o'
    status, _, body = get(served.url + "queries/provider-profile?" + urllib.parse.urlencode({"urn": hostile, "run": "1"}))
    assert status == 200
    assert "Nothing recorded." in body.decode()


# ------------------------------------------------------------------ the guarded SPARQL endpoint


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def listener():
    """A local HTTP server that counts the requests it gets (a SERVICE clause's target)."""
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Counter.hits
    server.shutdown()
    server.server_close()


def test_service_is_refused_and_nothing_is_fetched(served, listener):
    target, hits = listener
    # SERVICE inside an OPTIONAL inside a sub-select still counts
    query = f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }} }}"
    status, body = post_query(served.sparql_url, query)
    assert status == 400 and b"SERVICE" in body and b"--allow-service" in body
    status, _, _ = get(served.url + "sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 400
    # SPARQL expands \\u escapes before parsing: an escaped keyword is still SERVICE
    escaped = f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}"
    status, body = post_query(served.sparql_url, escaped)
    assert status == 400 and b"SERVICE" in body
    assert hits == []
    # the word in a string or a comment is no SERVICE
    status, body = post_query(served.sparql_url, "# SERVICE <http://x/>\nASK { ?s ?p \"SERVICE <http://x/>\" }")
    assert status == 200 and json.loads(body)["boolean"] is False


def test_service_runs_when_allowed(listener):
    target, hits = listener
    with start_server(web_store(), port=0, allow_service=True) as handle:
        post_query(handle.sparql_url, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
    assert hits, "the opted-in server did not reach the SERVICE address"


def test_updates_are_refused(served):
    for update in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL"):
        status, body = post_query(served.sparql_url, update)
        assert status == 400 and b"read-only" in body, update
    assert json.loads(post_query(served.sparql_url, "ASK { <urn:a> <urn:b> <urn:c> }")[1])["boolean"] is False
    assert json.loads(post_query(served.sparql_url, "ASK { ?s ?p ?o }")[1])["boolean"] is True


def test_runaway_query_stops_at_the_time_limit():
    with start_server(web_store(), port=0, timeout=1) as handle:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        status, body = post_query(handle.sparql_url, runaway)
        assert status == 504 and b"time limit of 1 s" in body
        assert time.monotonic() - started < 20
        status, _, page = get(handle.url + "sparql?" + urllib.parse.urlencode({"query": runaway}))
        assert status == 504 and b"time limit" in page
        # a streamed answer cut off by Oxigraph's limit is an error, not a 200 with a partial table
        streamed = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
        for accept in ("text/csv", "application/sparql-results+json"):
            status, _, body = get(handle.sparql_url + "?" + urllib.parse.urlencode({"query": streamed}), accept)
            assert status == 504 and b"time limit" in body, accept
        # the server answers the next query
        assert json.loads(post_query(handle.sparql_url, "ASK { ?s ?p ?o }")[1])["boolean"] is True


def test_a_stopped_oxigraph_is_started_again(tmp_path):
    with start_server(web_store(), port=0) as handle:
        first = handle.process
        first.kill()
        first.wait()
        status, body = post_query(handle.sparql_url, "ASK { ?s ?p ?o }")
        assert status == 503 and b"started again" in body
        assert handle.process is not first and handle.process.poll() is None
        assert json.loads(post_query(handle.sparql_url, "ASK { ?s ?p ?o }")[1])["boolean"] is True


def _raw_post(url: str, length: str) -> bytes:
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall((f"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                            f"Content-Length: {length}\r\nConnection: close\r\n\r\nASK {{}}").encode())
        return connection.recv(100).split(b"\r\n")[0]


@pytest.mark.parametrize("length,expected", [("abc", b"400"), ("-1", b"400"), ("99999999999", b"413")])
def test_malformed_content_length_is_refused_without_a_traceback(served, caplog, length, expected):
    with caplog.at_level(logging.WARNING):
        assert expected in _raw_post(served.url, length)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert get(served.url + "queries")[0] == 200


# ------------------------------------------------------------------ following the store


def test_server_follows_a_rebuilt_store(tmp_path):
    if SHARED is None:
        pytest.skip("../shared (real Ofsted data) is not beside this checkout")
    _write_sources(tmp_path / "sources", with_urn=False)
    store = tmp_path / "store"
    build([tmp_path / "sources"], store)
    with start_server(store, port=0) as handle:
        assert get(handle.url + f"id/provider/{URN}")[0] == 404
        assert ID + f"provider/{URN}" not in [hit["iri"] for hit in search(handle, URN)]
        first = handle.process
        _write_sources(tmp_path / "sources", with_urn=True)
        build([tmp_path / "sources"], store)
        deadline = time.monotonic() + 30
        while get(handle.url + f"id/provider/{URN}")[0] != 200:
            assert time.monotonic() < deadline, "the server still serves the old store"
            time.sleep(0.5)
        assert handle.process is not first
        # the search index is read again from the new version
        assert search(handle, URN)[0]["iri"] == ID + f"provider/{URN}"
        first.wait(15)   # the old Oxigraph is stopped, letting go of the old version's files
        assert handle.backend.version.name in get(handle.url)[2].decode()


def test_a_query_that_needs_too_much_memory_is_stopped_with_a_message():
    from ofsted_kg.web.sparql import _resident_mb

    store = web_store()
    with start_server(store, port=0, timeout=120) as handle:
        idle = _resident_mb(handle.process.pid)
    # a limit a little above what the store holds at rest: a sort over a cartesian product passes it
    with start_server(store, port=0, timeout=120, memory_limit_mb=int(idle) + 150) as handle:
        first = handle.process
        started = time.monotonic()
        status, body = post_query(handle.sparql_url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1")
        assert status == 507 and b"more than" in body and b"MB of memory" in body, (status, body[:300])
        assert time.monotonic() - started < 60
        assert first.poll() is not None
        # a fresh Oxigraph answers the next query
        assert json.loads(post_query(handle.sparql_url, "ASK { ?s ?p ?o }")[1])["boolean"] is True
