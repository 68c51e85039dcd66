"""ofsted-kg fetch against a local server serving pages in the real sites' structure (no test touches the internet)."""
from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ofsted_kg.ingest.fetch import MANIFEST, Client, Fetcher, read_manifest
from ofsted_kg.ingest.ofsted_sites import Sites, fetch_reports, fetch_stats

FIXTURES = Path(__file__).parent / "fixtures"
REPORT_TEXT = FIXTURES / "provider_reports" / "childrens_home_2023.txt"
LA_URNS = {"80427"}


def pdf_bytes(lines: list[str]) -> bytes:
    """A small PDF with these lines of text, the same bytes every time (reportlab's invariant mode)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    y = A4[1] - 60
    for line in lines:
        if y < 60:
            pdf.showPage()
            y = A4[1] - 60
        pdf.setFont("Helvetica", 9)
        pdf.drawString(50, y, line.replace("\t", "   "))
        y -= 12
    pdf.save()
    return buffer.getvalue()


def provider_page(name: str, reports: list[tuple[str, str, str]]) -> bytes:
    """A provider page laid out as reports.ofsted.gov.uk's: a heading, details, and a timeline of
    publication links to files.ofsted.gov.uk whose hidden span reads "{kind}, pdf - {date}"."""
    items = "".join(f"""
      <li class="timeline__day">
        <p class="timeline__date"><time>{day}</time></p>
        <div class="event">
          <a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/{file_id}" target="_blank">
            {kind} <span class="nonvisual">{kind}, pdf - {day}</span></a>
          <p>Published <time>{day}</time></p>
        </div>
      </li>""" for file_id, kind, day in reports)
    return f"""<!DOCTYPE html><html lang="en"><head><title>{name} - Ofsted</title></head><body>
    <main id="main-content"><h1 class="heading--title">{name}</h1>
      <ul class="info-list"><li><span>URN:</span><span>...</span></li><li><span>Type:</span><span>Children's home</span></li></ul>
      <h2>Reports</h2><ol class="timeline">{items}
        <li class="timeline__day timeline__day--registered"><p class="timeline__date"><time>1 June 2021</time></p>Registered</li>
      </ol></main></body></html>""".encode()


class Site:
    """What the local server serves: path -> list of answers (status, headers, body), the last repeated.

    A ``BEHAVIOUR`` header (not sent) makes an answer misbehave: ``truncate`` announces the whole
    body's length and sends half, ``cut`` sends half with no Content-Length, ``drip`` sends a byte
    every 0.3 s, ``stall`` never answers, ``hang up`` closes the connection without an answer.
    PUT bodies are kept in ``puts`` by the ``graph`` parameter.
    """

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.hits: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self.puts: dict[str, bytes] = {}
        self.stop = threading.Event()

    def add(self, path: str, *answers: tuple[int, dict, bytes]) -> None:
        self.routes[path] = list(answers)


@pytest.fixture
def server():
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            site.hits[self.path] += 1
            site.user_agents.add(self.headers.get("User-Agent", ""))
            answers = site.routes.get(self.path)
            if not answers:
                status, headers, body = 404, {"Content-Type": "text/html"}, b"<html>Page not found</html>"
            else:
                status, headers, body = answers[min(site.hits[self.path], len(answers)) - 1]
            self.answer(status, headers, body)

        def do_PUT(self):
            route = self.path.split("?")[0]
            site.hits[route] += 1
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            answers = site.routes.get(route) or [(204, {}, b"")]
            status, headers, answer = answers[min(site.hits[route], len(answers)) - 1]
            if status < 300 and "BEHAVIOUR" not in headers:
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
                site.puts[graph] = body
            self.answer(status, headers, answer)

        def answer(self, status, headers, body):
            headers = dict(headers)
            behaviour = headers.pop("BEHAVIOUR", "")
            if behaviour == "stall":
                site.stop.wait(10)
                return
            if behaviour == "hang up":
                self.close_connection = True
                return
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if behaviour != "cut":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if behaviour in ("truncate", "cut"):
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
            elif behaviour == "drip":
                for byte in body[:40]:   # then stops: by now the client has given up
                    if site.stop.wait(0.3):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                self.close_connection = True
            else:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield site
    site.stop.set()
    httpd.shutdown()
    httpd.server_close()


def ok(body: bytes, content_type: str) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": content_type}, body


PDF = "application/pdf"
HTML = "text/html; charset=utf-8"
REPORT_PDF = pdf_bytes(REPORT_TEXT.read_text(encoding="utf-8").splitlines())
SMALL_PDF = pdf_bytes(["Children's services inspection", "Bath and North East Somerset"])
MONITORING_PDF = pdf_bytes(["Monitoring visit letter"])


def reports_site(site: Site) -> None:
    site.add("/provider/2/SC100001", ok(provider_page("Willowbrook House", [
        ("50000001", "Children's home full inspection", "2 March 2023"),
        ("50000002", "Children's home monitoring visit", "14 June 2022")]), HTML))
    site.add("/v1/file/50000001", ok(REPORT_PDF, PDF))
    # a broken PDF: the file server answers an HTML error page with status 200
    site.add("/v1/file/50000002", ok(b"<!DOCTYPE html><html><body>Service unavailable</body></html>", HTML))
    # a moved page: the old address answers 301 to the new one
    site.add("/provider/2/SC100002", (301, {"Location": "/provider/2/SC200002"}, b""))
    site.add("/provider/2/SC200002", ok(provider_page("Oak Lodge", [
        ("50000003", "Children's home interim inspection", "5 May 2024")]), HTML))
    site.add("/v1/file/50000003", ok(MONITORING_PDF, PDF))
    # a local authority: children's services, category 44; one report always fails with 500
    site.add("/provider/44/80427", ok(provider_page("Bath and North East Somerset", [
        ("50000004", "Children's services inspection", "07 July 2017"),
        ("50000005", "Children's services focused visit", "01 August 2024")]), HTML))
    site.add("/v1/file/50000004", ok(SMALL_PDF, PDF))
    site.add("/v1/file/50000005", (500, {"Content-Type": "text/plain"}, b"Internal Server Error"))
    # rate limited once, then served
    site.add("/provider/2/SC100003", (429, {"Retry-After": "7"}, b"Too Many Requests"),
             ok(provider_page("Elm Cottage", [("50000006", "Children's home full inspection", "9 January 2025")]), HTML))
    site.add("/v1/file/50000006", ok(MONITORING_PDF, PDF))


def fetcher_for(out: Path, sleeps: list[float]) -> Fetcher:
    # a fast rate and a recorded sleep keep the test quick while the waits asked for stay checkable
    return Fetcher(out, Client(rate=1000.0, retries=2, backoff=0.01, max_wait=30.0, sleep=sleeps.append))


def run_reports(site: Site, out: Path, sleeps: list[float]):
    sites = Sites(govuk=site.base, reports=site.base, files=site.base)
    urns = ["SC100001", "SC100002", "80427", "SC100003", "SC404"]
    return fetch_reports(out, urns, sites, fetcher_for(out, sleeps), la_urns=LA_URNS)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_reports_arrive_with_their_sha256_and_failures_are_recorded_with_reasons(server, tmp_path):
    reports_site(server)
    sleeps: list[float] = []
    summary = run_reports(server, tmp_path, sleeps)

    arrived = {path: sha((tmp_path / path).read_bytes()) for path in summary.downloaded}
    assert arrived == {
        "reports/SC100001/SC100001_willowbrook_house__childrens_home_full_inspection_-_02_march_2023.pdf": sha(REPORT_PDF),
        "reports/SC100002/SC100002_oak_lodge__childrens_home_interim_inspection_-_05_may_2024.pdf": sha(MONITORING_PDF),
        "reports/80427/80427_bath_and_north_east_somerset__childrens_services_inspection_-_07_july_2017.pdf": sha(SMALL_PDF),
        "reports/SC100003/SC100003_elm_cottage__childrens_home_full_inspection_-_09_january_2025.pdf": sha(MONITORING_PDF),
    }
    failed = dict(summary.failed)
    assert set(failed) == {f"{server.base}/v1/file/50000002", f"{server.base}/v1/file/50000005",
                           f"{server.base}/provider/2/SC404"}
    assert failed[f"{server.base}/v1/file/50000002"].startswith("not a PDF (text/html, starts '<!DOCTYPE html>")
    assert failed[f"{server.base}/v1/file/50000005"] == "HTTP 500 Internal Server Error (after 3 attempts)"
    assert failed[f"{server.base}/provider/2/SC404"] == "HTTP 404 Not Found"
    assert server.hits["/v1/file/50000005"] == 3            # one try and two retries, with backoff between
    assert summary.redirected == [(f"{server.base}/provider/2/SC100002", f"{server.base}/provider/2/SC200002")]
    assert 7.0 in sleeps                                      # the 429's Retry-After was honoured
    assert not list(tmp_path.rglob("*.part*"))              # files are renamed into place only when whole
    assert all(ua.startswith("ofsted-kg/") and "https://w3id.org/ofsted-kg/" in ua for ua in server.user_agents)


def test_the_manifest_records_url_hash_urn_date_and_kind_of_each_file_and_each_failure(server, tmp_path):
    reports_site(server)
    run_reports(server, tmp_path, [])
    entries = {e.url: e for e in read_manifest(tmp_path / MANIFEST)}
    report = entries[f"{server.base}/v1/file/50000001"]
    assert (report.urn, report.report_date, report.kind, report.role) == \
        ("SC100001", "2023-03-02", "Children's home full inspection", "file")
    assert (report.sha256, report.bytes, report.content_type) == (sha(REPORT_PDF), len(REPORT_PDF), PDF)
    moved = entries[f"{server.base}/provider/2/SC100002"]
    assert moved.final_url == f"{server.base}/provider/2/SC200002" and moved.redirects == [[301, moved.final_url]]
    assert moved.path == ".pages/provider-SC100002.html"
    broken = entries[f"{server.base}/v1/file/50000002"]
    assert broken.error.startswith("not a PDF") and broken.path == "" and broken.urn == "SC100001"


def test_a_second_run_downloads_nothing_new_and_retries_only_the_failures(server, tmp_path):
    reports_site(server)
    first = run_reports(server, tmp_path, [])
    before = Counter(server.hits)
    second = run_reports(server, tmp_path, [])
    assert second.downloaded == [] and sorted(second.cached) == sorted(first.downloaded)
    asked_again = {path for path in server.hits if server.hits[path] > before[path]}
    assert asked_again == {"/v1/file/50000002", "/v1/file/50000005", "/provider/2/SC404"}
    assert second.pages == 0


def test_a_file_changed_on_disk_is_fetched_again(server, tmp_path):
    reports_site(server)
    first = run_reports(server, tmp_path, [])
    damaged = tmp_path / first.downloaded[0]
    damaged.write_bytes(b"%PDF-1.4 truncated")     # a file changed after the fetch (size differs)
    second = run_reports(server, tmp_path, [])
    assert second.downloaded == [first.downloaded[0]]
    assert sha(damaged.read_bytes()) != sha(b"%PDF-1.4 truncated")


PROVIDERS_CSV = ("Children's social care data in England 2025 - Provider level as at 31 March 2025\n"
                 "URN,Provision type,Registration status,Registration date,Local authority,Sector,Places,"
                 "Organisation which owns the provider\n"
                 "SC100001,Children's home,Active,01/06/2021,Bath and North East Somerset,Private,3,"
                 "Willowbrook Residential Care Limited\n").encode()
INSPECTIONS_CSV = ("URN,Provision type,Local authority,Event number,Event type,Inspection date,Overall experiences and progress of children and young people\n"
                   "SC100001,Children's home,Bath and North East Somerset,10000001,Full inspection,28/02/2023,Good\n").encode()


def govuk_site(site: Site) -> None:
    collection = {"title": "Children's social care statistics", "links": {"documents": [
        {"base_path": "/government/statistics/childrens-social-care-data-in-england-2025", "title": "2025"},
        {"base_path": "/government/publications/inspecting-childrens-social-care", "title": "guidance"}]}}
    release = {"title": "Children's social care data in England 2025", "details": {"attachments": [
        {"attachment_type": "file", "title": "Children's social care data in England 2025: main tables",
         "url": f"{site.base}/media/aaa/main_tables.ods", "filename": "main_tables.ods",
         "content_type": "application/vnd.oasis.opendocument.spreadsheet"},
        {"attachment_type": "file", "title": "Children's social care data in England 2025: provider level data as at 31 March 2025",
         "url": f"{site.base}/media/bbb/Provider_level_31_March_2025.csv", "filename": "Provider_level_31_March_2025.csv",
         "content_type": "text/csv"},
        {"attachment_type": "file", "title": "Children's social care data in England 2025: provider level data in year 2023-24",
         "url": f"{site.base}/media/ccc/Provider_level_in_year_2023-24.csv", "filename": "Provider_level_in_year_2023-24.csv",
         "content_type": "text/csv"},
        {"attachment_type": "html", "title": "Main findings", "url": f"{site.base}/government/statistics/x/main-findings"}]}}
    site.add("/api/content/government/collections/childrens-social-care-statistics", ok(json.dumps(collection).encode(), "application/json"))
    site.add("/api/content/government/statistics/childrens-social-care-data-in-england-2025",
             ok(json.dumps(release).encode(), "application/json"))
    site.add("/media/bbb/Provider_level_31_March_2025.csv", ok(PROVIDERS_CSV, "text/csv"))
    site.add("/media/ccc/Provider_level_in_year_2023-24.csv", (503, {"Retry-After": "2"}, b""), ok(INSPECTIONS_CSV, "text/csv"))


def run_stats(site: Site, out: Path, sleeps: list[float], years=None):
    return fetch_stats(out, years, Sites(govuk=site.base, reports=site.base, files=site.base), fetcher_for(out, sleeps))


def test_stats_are_the_provider_level_files_of_each_release_named_as_the_build_reads_them(server, tmp_path):
    govuk_site(server)
    sleeps: list[float] = []
    summary = run_stats(server, tmp_path, sleeps)
    assert sorted(summary.downloaded) == ["ofsted_stats/2025/inspections_2023-24_all.csv",
                                          "ofsted_stats/2025/providers_places_at_31mar2025.csv"]
    assert (tmp_path / "ofsted_stats/2025/providers_places_at_31mar2025.csv").read_bytes() == PROVIDERS_CSV
    assert summary.failed == [] and 2.0 in sleeps and server.hits["/media/aaa/main_tables.ods"] == 0
    again = run_stats(server, tmp_path, sleeps)
    assert again.downloaded == [] and again.requests == 0


def test_stats_for_one_year_go_straight_to_that_release(server, tmp_path):
    govuk_site(server)
    summary = run_stats(server, tmp_path, [], years=["2025"])
    assert len(summary.downloaded) == 2
    assert server.hits["/api/content/government/collections/childrens-social-care-statistics"] == 0


def test_the_build_records_each_fetched_files_source_url(server, tmp_path):
    from ofsted_kg.build import build
    from ofsted_kg.store import EmbeddedStore

    govuk_site(server)
    reports_site(server)
    out = tmp_path / "out"
    run_stats(server, out, [], years=["2025"])
    fetcher = fetcher_for(out, [])
    fetch_reports(out, ["SC100001"], Sites(govuk=server.base, reports=server.base, files=server.base), fetcher,
                  la_urns=set())
    summary = build([out], tmp_path / "store")
    assert summary.triples > 0
    rows = EmbeddedStore(tmp_path / "store").query("""
        PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?title ?kind ?source WHERE { ?doc a ok:SourceDocument ; dct:title ?title ; ok:documentKind ?kind .
                                            OPTIONAL { ?doc dct:source ?source } } ORDER BY ?title""").as_dicts()
    assert {r["title"]: r["source"] for r in rows} == {
        "SC100001_willowbrook_house__childrens_home_full_inspection_-_02_march_2023.pdf": f"{server.base}/v1/file/50000001",
        "inspections_2023-24_all.csv": f"{server.base}/media/ccc/Provider_level_in_year_2023-24.csv",
        "providers_places_at_31mar2025.csv": f"{server.base}/media/bbb/Provider_level_31_March_2025.csv",
    }
    assert {r["kind"] for r in rows} == {"provider_report", "statistics:inspections", "statistics:providers"}
    skipped = dict(summary.skipped)
    assert skipped[str((out / MANIFEST).absolute())].startswith("fetch manifest")
    assert not any(".pages" in path for path in skipped)


def test_from_store_picks_providers_by_type_and_by_registration_or_inspection_date(tmp_path):
    from ofsted_kg.build import build
    from ofsted_kg.store.urns import provider_urns

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "providers_places_at_31mar2025.csv").write_bytes(PROVIDERS_CSV)
    (corpus / "inspections_2022-23_all.csv").write_bytes(INSPECTIONS_CSV)
    build([corpus], tmp_path / "store")
    store = tmp_path / "store"
    assert provider_urns(store) == ["SC100001"]
    assert provider_urns(store, "childrens-home") == provider_urns(store, "Children's home") == ["SC100001"]
    assert provider_urns(store, "Independent fostering agency") == []
    assert provider_urns(store, "local-authority") == []
    assert provider_urns(store, since="2023-02-28") == ["SC100001"]     # inspected that day
    assert provider_urns(store, since="2023-03-01") == []


def test_cli_fetch_reports_prints_what_failed_and_why_and_exits_1(server, tmp_path):
    from typer.testing import CliRunner

    from ofsted_kg.cli import app

    reports_site(server)
    result = CliRunner().invoke(app, ["fetch", "reports", "--urn", "SC100001", "--out", str(tmp_path), "--rate", "1000",
                                      "--reports-base", server.base, "--files-base", server.base, "--quiet"])
    assert result.exit_code == 1, result.output
    assert "files downloaded" in result.output and f"{server.base}/v1/file/50000002: not a PDF" in result.output
    assert (tmp_path / MANIFEST).exists()
    both = CliRunner().invoke(app, ["fetch", "reports", "--urn", "SC1", "--from-store", "--out", str(tmp_path)])
    assert both.exit_code == 2 and "not both" in both.output


def test_docstring_examples_of_the_fetch_modules_hold():
    import doctest

    from ofsted_kg.ingest import fetch, ofsted_sites

    for module in (fetch, ofsted_sites):
        assert doctest.testmod(module).failed == 0, module.__name__


# ------------------------------------------------------------------ broken connections


def hostile_site(site: Site) -> None:
    """One provider page listing five reports, each served badly in its own way, and one served well."""
    site.add("/provider/2/SC300001", ok(provider_page("Rowan House", [
        ("60000001", "Children's home full inspection", "1 March 2024"),
        ("60000002", "Children's home interim inspection", "2 March 2024"),
        ("60000003", "Children's home monitoring visit", "3 March 2024"),
        ("60000004", "Children's home full inspection", "4 March 2024"),
        ("60000005", "Children's home full inspection", "5 March 2024"),
        ("60000006", "Children's home full inspection", "6 March 2024")]), HTML))
    site.add("/v1/file/60000001", (200, {"Content-Type": PDF, "BEHAVIOUR": "truncate"}, REPORT_PDF))
    site.add("/v1/file/60000002", (200, {"Content-Type": PDF, "BEHAVIOUR": "cut"}, REPORT_PDF))
    site.add("/v1/file/60000003", (200, {"Content-Type": PDF, "BEHAVIOUR": "drip"}, REPORT_PDF))
    site.add("/v1/file/60000004", (200, {"BEHAVIOUR": "stall"}, b""))
    site.add("/v1/file/60000005", (200, {"BEHAVIOUR": "hang up"}, b""))
    site.add("/v1/file/60000006", ok(SMALL_PDF, PDF))


def hostile_fetch(site: Site, out: Path):
    # each request gives up after 2 s in all, or 1 s of silence; one retry
    client = Client(rate=1000.0, retries=1, backoff=0.01, timeout=1.0, deadline=2.0)
    return fetch_reports(out, ["SC300001"], Sites(govuk=site.base, reports=site.base, files=site.base),
                         Fetcher(out, client), la_urns=set())


def test_broken_connections_are_failures_with_reasons_and_the_rest_arrives(server, tmp_path):
    hostile_site(server)
    started = time.monotonic()
    summary = hostile_fetch(server, tmp_path)
    assert time.monotonic() - started < 20
    failed = {url.rsplit("/", 1)[1]: reason for url, reason in summary.failed}
    half = len(REPORT_PDF) // 2
    assert failed == {
        "60000001": f"connection closed early: {half:,} of {len(REPORT_PDF):,} bytes (after 2 attempts)",
        "60000002": f"truncated PDF: {half:,} bytes without the closing %%EOF",
        "60000003": "no complete answer within 2 s (after 2 attempts)",
        "60000004": "network error: timed out (after 2 attempts)",
        "60000005": "network error: Remote end closed connection without response (after 2 attempts)",
    }
    assert [Path(path).name for path in summary.downloaded] == \
        ["SC300001_rowan_house__childrens_home_full_inspection_-_06_march_2024.pdf"]
    # nothing cut short is kept, under its name or a temporary one
    assert sorted(p.name for p in (tmp_path / "reports" / "SC300001").iterdir()) == \
        ["SC300001_rowan_house__childrens_home_full_inspection_-_06_march_2024.pdf"]
    entries = {e.url.rsplit("/", 1)[1]: e for e in read_manifest(tmp_path / MANIFEST)}
    assert all(entries[number].error == reason for number, reason in failed.items())


def test_a_rerun_after_broken_connections_fetches_only_what_is_missing(server, tmp_path):
    hostile_site(server)
    hostile_fetch(server, tmp_path)
    for number in range(1, 6):   # the server mends
        server.add(f"/v1/file/6000000{number}", ok(REPORT_PDF, PDF))
    before = Counter(server.hits)
    again = hostile_fetch(server, tmp_path)
    assert again.failed == [] and len(again.downloaded) == 5 and len(again.cached) == 1
    assert {path for path in server.hits if server.hits[path] > before[path]} == \
        {f"/v1/file/6000000{number}" for number in range(1, 6)}


def test_cli_fetch_prints_the_summary_after_broken_connections(server, tmp_path):
    from typer.testing import CliRunner

    from ofsted_kg.cli import app

    server.add("/provider/2/SC300002", ok(provider_page("Ash Court", [("60000011", "Children's home full inspection",
                                                                       "1 May 2024")]), HTML))
    server.add("/v1/file/60000011", (200, {"Content-Type": PDF, "BEHAVIOUR": "truncate"}, REPORT_PDF))
    result = CliRunner().invoke(app, ["fetch", "reports", "--urn", "SC300002", "--out", str(tmp_path), "--rate", "1000",
                                      "--retries", "0", "--reports-base", server.base, "--files-base", server.base,
                                      "--quiet"], env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Fetch summary" in result.output
    assert f"{server.base}/v1/file/60000011: connection closed early" in result.output


def test_a_urn_that_is_a_path_writes_nothing_outside_the_output_folder(server, tmp_path):
    reports_site(server)
    out = tmp_path / "out"
    summary = fetch_reports(out, ["../../x", "SC100001/../../y"], Sites(govuk=server.base, reports=server.base,
                                                                         files=server.base), fetcher_for(out, []), la_urns=set())
    assert [reason for _, reason in summary.failed] == ["not an Ofsted URN (letters and digits only); nothing fetched"] * 2
    assert [p for p in tmp_path.rglob("*") if p != out] == [] and not server.hits


def test_fetcher_refuses_a_path_outside_its_folder(server, tmp_path):
    reports_site(server)
    fetcher = fetcher_for(tmp_path / "out", [])
    assert fetcher.file(f"{server.base}/v1/file/50000001", "../escaped.pdf", expect_pdf=True) is None
    assert "outside the output folder" in fetcher.summary.failed[0][1]
    assert not (tmp_path / "escaped.pdf").exists() and not server.hits


# ------------------------------------------------------------------ push to a failing endpoint


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    from ofsted_kg.build import build

    corpus = tmp_path_factory.mktemp("push-corpus")
    (corpus / "providers_places_at_31mar2025.csv").write_bytes(PROVIDERS_CSV)
    (corpus / "inspections_2022-23_all.csv").write_bytes(INSPECTIONS_CSV)
    store = tmp_path_factory.mktemp("push") / "store"
    build([corpus], store)
    return store


def push_client(sleeps=None):
    return Client(rate=1000.0, retries=2, backoff=0.01, timeout=1.0, deadline=3.0,
                  sleep=(sleeps.append if sleeps is not None else time.sleep))


def graph_names(store):
    from ofsted_kg.store import EmbeddedStore

    return EmbeddedStore(store).named_graphs()


def test_push_to_a_dead_endpoint_says_so_after_the_retries(small_store):
    import socket

    from ofsted_kg.store.push import PushError, progress_file, push

    with socket.socket() as probe:   # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}/store"
    with pytest.raises(PushError) as failure:
        push(small_store, endpoint, client=push_client())
    message = str(failure.value)
    assert "Connection refused (after 3 attempts)" in message
    assert f"0 of {len(graph_names(small_store))} graphs are there; push again" in message
    assert not progress_file(small_store, endpoint).exists()


def test_push_retries_a_503_and_a_hang_up_then_completes(server, small_store):
    from ofsted_kg.store.push import push

    server.add("/store", (503, {"Retry-After": "1"}, b"busy"), (200, {"BEHAVIOUR": "hang up"}, b""), (204, {}, b""))
    sleeps: list[float] = []
    summary = push(small_store, server.base + "/store", client=push_client(sleeps))
    graphs = graph_names(small_store)
    assert summary.graphs == len(graphs) and set(server.puts) == set(graphs)
    assert server.hits["/store"] == len(graphs) + 2 and 1.0 in sleeps


def test_push_to_an_endpoint_that_stops_answering_resumes_where_it_stopped(server, small_store):
    from ofsted_kg.store.push import PushError, progress_file, push

    graphs = graph_names(small_store)
    # two graphs taken, then the endpoint never answers again
    server.add("/store", (204, {}, b""), (204, {}, b""), (200, {"BEHAVIOUR": "stall"}, b""))
    endpoint = server.base + "/store"
    with pytest.raises(PushError, match=f"network error: timed out \\(after 3 attempts\\). 2 of {len(graphs)} graphs"):
        push(small_store, endpoint, client=push_client())
    assert progress_file(small_store, endpoint).read_text().split() == graphs[:2]
    server.add("/store", (204, {}, b""))
    server.hits.clear()
    server.puts.clear()
    summary = push(small_store, endpoint, client=push_client())
    assert summary.already == 2 and summary.graphs == len(graphs) - 2
    assert set(server.puts) == set(graphs[2:])
    assert not progress_file(small_store, endpoint).exists()   # complete: the next push sends everything
