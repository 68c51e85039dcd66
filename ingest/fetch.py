"""A polite, resumable downloader: rate limit, retries with backoff, a cache and a manifest.

Everything a fetch writes goes under one output folder:

- the files themselves (statistics CSVs and ODS workbooks, report PDFs), each written to a
  temporary name and renamed when complete, so a killed fetch leaves no half file;
- ``fetch-manifest.jsonl``: one JSON object per line for every file and page fetched (its
  URL, the URL it was finally served from, path, sha256, bytes, content type, time, and the
  provider URN, report date and kind where they apply) and for every failure (``error``).
  Later lines win. ``ofsted-kg build`` reads it to record each file's source URL;
- ``.pages/``: the HTML and JSON pages the file lists were read from (the build does not read
  hidden folders).

A URL whose file is in the manifest and still on disk with the recorded sha256 is never
requested again; failures are not cached, so the next run tries them again.

>>> limiter = RateLimiter(rate=2.0, clock=iter([0.0, 0.1, 0.6]).__next__, sleep=print)
>>> limiter.wait(); limiter.wait()
0.4
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from .text import sha256_of

MANIFEST = "fetch-manifest.jsonl"
PAGES = ".pages"
PROJECT_URL = "https://w3id.org/ofsted-kg/"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 5


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("ofsted-kg")
    except Exception:   # not installed (a checkout on PYTHONPATH): the version is only for the User-Agent
        return "0.1.0"


USER_AGENT = f"ofsted-kg/{_version()} (+{PROJECT_URL}; research downloader of public Ofsted and GOV.UK files)"


class FetchError(Exception):
    """A URL that could not be fetched after the retries; ``reason`` says why in a few words."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


@dataclass
class Response:
    url: str                       # as asked for
    final_url: str                 # after redirects
    status: int
    content_type: str
    body: bytes
    redirects: list[tuple[int, str]] = field(default_factory=list)   # (status, location) per hop


class RateLimiter:
    """At most ``rate`` request starts per second (one every 1/rate seconds)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive (requests per second)")
        self.interval = 1.0 / rate
        self.clock, self.sleep = clock, sleep
        self.last: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self.last is not None and now - self.last < self.interval:
            self.sleep(round(self.interval - (now - self.last), 6))
            now = self.last + self.interval
        self.last = now


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as responses so each hop is rate-limited and recorded."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None when absent or unreadable.

    >>> retry_after_seconds("7")
    7.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Client:
    """HTTP GET with an identifying User-Agent, a rate limit, retries with backoff and recorded redirects."""

    def __init__(self, rate: float = 1.0, retries: int = 4, backoff: float = 2.0, max_wait: float = 120.0,
                 timeout: float = 60.0, user_agent: str = USER_AGENT,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.limiter = RateLimiter(rate, clock=clock, sleep=sleep)
        self.retries, self.backoff, self.max_wait, self.timeout = retries, backoff, max_wait, timeout
        self.user_agent, self.sleep = user_agent, sleep
        self.opener = urllib.request.build_opener(_NoRedirect)
        self.requests = 0

    def get(self, url: str, accept: str = "*/*") -> Response:
        """The response for ``url`` after following redirects; raises FetchError when it cannot be had."""
        redirects: list[tuple[int, str]] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, body = self._get_once(current, accept)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("Location")
                if not location:
                    raise FetchError(url, f"HTTP {status} without a Location", status)
                current = urllib.parse.urljoin(current, location)
                redirects.append((status, current))
                continue
            content_type = headers.get("Content-Type", "").split(";")[0].strip()
            return Response(url, current, status, content_type, body, redirects)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _get_once(self, url: str, accept: str):
        """(status, headers, body) of one URL, retrying 429, 5xx and network errors with backoff."""
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": accept})
            wait = None
            try:
                with self.opener.open(request, timeout=self.timeout) as answer:
                    return answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as error:
                if error.code in (301, 302, 303, 307, 308):
                    return error.code, error.headers, b""
                if error.code not in RETRY_STATUSES:
                    raise FetchError(url, f"HTTP {error.code} {error.reason}", error.code) from None
                reason, status = f"HTTP {error.code} {error.reason}", error.code
                wait = retry_after_seconds(error.headers.get("Retry-After"))
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
                reason, status = f"network error: {getattr(error, 'reason', error)}", None
            if attempt == self.retries:
                raise FetchError(url, f"{reason} (after {self.retries + 1} attempts)", status)
            # the server's Retry-After when it gave one, else exponential backoff; both capped
            self.sleep(min(self.max_wait, wait if wait is not None else self.backoff * 2 ** attempt))
        raise AssertionError("unreachable")


@dataclass
class ManifestEntry:
    """One line of the manifest: a file or page fetched, or a failure (``error`` set)."""

    url: str
    path: str = ""                 # relative to the output folder
    final_url: str = ""
    sha256: str = ""
    bytes: int = 0
    mtime_ns: int = 0              # of the file as written, to skip re-hashing an untouched file
    content_type: str = ""
    fetched_at: str = ""
    role: str = "file"             # file | page
    urn: str = ""
    report_date: str = ""
    kind: str = ""
    title: str = ""
    redirects: list = field(default_factory=list)
    error: str = ""


class Manifest:
    """The output folder's ``fetch-manifest.jsonl``: appended to, read with later lines winning."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / MANIFEST
        self.entries: dict[str, ManifestEntry] = {}
        if self.path.exists():
            for entry in read_manifest(self.path):
                self.entries[entry.url] = entry

    def done(self, url: str) -> ManifestEntry | None:
        """The entry of ``url`` when its file is on disk with the recorded sha256 (so it need not be fetched)."""
        entry = self.entries.get(url)
        if entry is None or entry.error or not entry.path:
            return None
        target = self.folder / entry.path
        try:
            stat = target.stat()
            if stat.st_size != entry.bytes:
                return None
            if stat.st_mtime_ns != entry.mtime_ns and sha256_of(target) != entry.sha256:
                return None
        except OSError:
            return None
        return entry

    def add(self, entry: ManifestEntry) -> None:
        self.entries[entry.url] = entry
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def read_manifest(path: Path) -> Iterable[ManifestEntry]:
    """The entries of one manifest file in order; a line cut short by a killed fetch is ignored."""
    known = set(ManifestEntry.__dataclass_fields__)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and item.get("url"):
                yield ManifestEntry(**{k: v for k, v in item.items() if k in known})


def source_urls(manifests: Iterable[Path]) -> dict[Path, ManifestEntry]:
    """Resolved file path -> its manifest entry, over the given manifest files (for the build's provenance)."""
    found: dict[Path, ManifestEntry] = {}
    for manifest in manifests:
        for entry in read_manifest(manifest):
            if entry.path and not entry.error and entry.role == "file":
                found[(manifest.parent / entry.path).resolve()] = entry
    return found


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class FetchSummary:
    """What a fetch did: files downloaded, files already there, pages read, moves followed, failures and why."""

    downloaded: list[str] = field(default_factory=list)     # paths relative to the output folder
    cached: list[str] = field(default_factory=list)
    pages: int = 0
    redirected: list[tuple[str, str]] = field(default_factory=list)   # (url, final url)
    failed: list[tuple[str, str]] = field(default_factory=list)       # (url, reason)
    requests: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


class Fetcher:
    """Downloads into an output folder through a :class:`Client`, keeping the manifest and a summary."""

    def __init__(self, out: Path, client: Client | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        self.out = Path(out)
        self.client = client or Client()
        self.manifest = Manifest(self.out)
        self.summary = FetchSummary()
        self.note = progress or (lambda *_: None)

    def page(self, url: str, name: str, accept: str = "text/html", refresh: bool = False, **about) -> tuple[bytes, str] | None:
        """A page's body and final URL, from ``.pages/{name}`` when fetched before (unless ``refresh``)."""
        if not refresh:
            entry = self.manifest.done(url)
            if entry is not None:
                return (self.out / entry.path).read_bytes(), entry.final_url or url
        response = self._get(url, accept, role="page", **about)
        if response is None:
            return None
        self._store(response, f"{PAGES}/{name}", role="page", **about)
        self.summary.pages += 1
        return response.body, response.final_url

    def file(self, url: str, path: str, expect_pdf: bool = False, **about) -> ManifestEntry | None:
        """Download ``url`` to ``path`` (relative to the output folder) unless already there; None on failure."""
        entry = self.manifest.done(url)
        if entry is not None:
            self.summary.cached.append(entry.path)
            return entry
        response = self._get(url, "application/pdf" if expect_pdf else "*/*", role="file", **about)
        if response is None:
            return None
        if expect_pdf and not response.body.startswith(b"%PDF"):
            start = response.body[:40].decode("latin-1").strip().replace("\n", " ")
            self._fail(url, f"not a PDF ({response.content_type or 'no content type'}, starts {start[:30]!r})",
                       role="file", final_url=response.final_url, **about)
            return None
        entry = self._store(response, path, role="file", **about)
        self.summary.downloaded.append(entry.path)
        return entry

    def finish(self, started: float) -> FetchSummary:
        self.summary.requests = self.client.requests
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _get(self, url: str, accept: str, role: str, **about) -> Response | None:
        try:
            response = self.client.get(url, accept)
        except FetchError as error:
            self._fail(url, error.reason, role=role, **about)
            return None
        if response.redirects:
            self.summary.redirected.append((url, response.final_url))
        return response

    def _store(self, response: Response, path: str, role: str, **about) -> ManifestEntry:
        write_atomic(self.out / path, response.body)
        entry = ManifestEntry(url=response.url, path=path, final_url=response.final_url,
                              sha256=hashlib.sha256(response.body).hexdigest(), bytes=len(response.body),
                              mtime_ns=(self.out / path).stat().st_mtime_ns,
                              content_type=response.content_type, fetched_at=now_iso(), role=role,
                              redirects=[[status, location] for status, location in response.redirects],
                              **about)
        self.manifest.add(entry)
        return entry

    def _fail(self, url: str, reason: str, role: str, **about) -> None:
        self.summary.failed.append((url, reason))
        self.manifest.add(ManifestEntry(url=url, role=role, fetched_at=now_iso(), error=reason, **about))
