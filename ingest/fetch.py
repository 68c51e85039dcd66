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

import contextlib
import email.utils
import functools
import hashlib
import http.client
import json
import os
import socket
import threading
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


class _Watch:
    """The sockets of the request under way, shut when its deadline passes (see Client.deadline)."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False

    def start(self) -> None:
        self.sockets, self.expired = [], False

    def expire(self) -> None:
        self.expired = True
        for sock in list(self.sockets):
            self.shut(sock)

    def connected(self, sock: socket.socket) -> None:
        self.sockets.append(sock)
        if self.expired:
            self.shut(sock)

    @staticmethod
    def shut(sock: socket.socket) -> None:
        # a read blocked on this socket returns at once; a server sending a byte at a time cannot hold it
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _Watched:
    """A connection that hands its socket to a watch as soon as it is connected."""

    def __init__(self, *args, watch: _Watch, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.watch = watch

    def connect(self) -> None:
        super().connect()
        self.watch.connected(self.sock)


class _WatchedHTTP(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, http.client.HTTPSConnection):
    pass


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req):
        return self.do_open(functools.partial(_WatchedHTTP, watch=self.watch), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def https_open(self, req):
        return self.do_open(functools.partial(_WatchedHTTPS, watch=self.watch), req, context=self._context)


class _Expired(Exception):
    """The request's deadline passed before its answer was complete."""


class _CutShort(Exception):
    """The connection closed before the body's Content-Length had arrived."""


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
    """HTTP with an identifying User-Agent, a rate limit, retries with backoff and recorded redirects.

    ``timeout`` bounds each wait for the server (connecting, or any one read); ``deadline`` bounds a
    whole request, answer included, however slowly the server sends it. A request that fails on
    the network, is cut short, runs past its deadline or is answered 429 or 5xx is tried again up
    to ``retries`` times, waiting the server's Retry-After or an exponential backoff.
    """

    def __init__(self, rate: float = 1.0, retries: int = 4, backoff: float = 2.0, max_wait: float = 120.0,
                 timeout: float = 60.0, deadline: float = 600.0, user_agent: str = USER_AGENT,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.limiter = RateLimiter(rate, clock=clock, sleep=sleep)
        self.retries, self.backoff, self.max_wait, self.timeout = retries, backoff, max_wait, timeout
        self.deadline = deadline
        self.user_agent, self.sleep = user_agent, sleep
        self.watch = _Watch()
        self.opener = urllib.request.build_opener(_NoRedirect, _WatchedHTTPHandler(self.watch),
                                                  _WatchedHTTPSHandler(self.watch))
        self.requests = 0

    def get(self, url: str, accept: str = "*/*") -> Response:
        """The response for ``url`` after following redirects; raises FetchError when it cannot be had."""
        redirects: list[tuple[int, str]] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, body = self.request(current, headers={"Accept": accept})
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

    def request(self, url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
        """(status, headers, body) of one request, retrying 429, 5xx and network errors with backoff;
        a redirect is returned as it is; any other error status raises FetchError."""
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            self.requests += 1
            request = urllib.request.Request(url, data=data, method=method,
                                             headers={"User-Agent": self.user_agent, **(headers or {})})
            wait = None
            try:
                status, phrase, answer_headers, body = self._exchange(request)
                if status < 400:
                    return status, answer_headers, body
                if status not in RETRY_STATUSES:
                    raise FetchError(url, f"HTTP {status} {phrase}", status)
                reason, status_seen = f"HTTP {status} {phrase}", status
                wait = retry_after_seconds(answer_headers.get("Retry-After"))
            except _Expired:
                reason, status_seen = f"no complete answer within {self.deadline:g} s", None
            except _CutShort as error:
                reason, status_seen = f"connection closed early: {error}", None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                reason, status_seen = f"network error: {_describe(error)}", None
            if attempt == self.retries:
                raise FetchError(url, f"{reason} (after {self.retries + 1} attempts)", status_seen)
            # the server's Retry-After when it gave one, else exponential backoff; both capped
            self.sleep(min(self.max_wait, wait if wait is not None else self.backoff * 2 ** attempt))
        raise AssertionError("unreachable")

    def _exchange(self, request: urllib.request.Request):
        """(status, reason phrase, headers, body) of one request within the deadline."""
        self.watch.start()
        timer = threading.Timer(self.deadline, self.watch.expire)
        timer.daemon = True
        timer.start()
        try:
            try:
                answer = self.opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as error:
                answer = error   # an error status: its body is read the same way
            with answer:
                body = _read_body(answer)
                status = answer.status if hasattr(answer, "status") else answer.code
                return status, answer.reason, answer.headers, body
        except BaseException:
            if self.watch.expired:
                raise _Expired() from None
            raise
        finally:
            timer.cancel()
            if self.watch.expired:
                raise _Expired()


def _read_body(answer) -> bytes:
    """The whole body, a read at a time (one blocked read ends when the deadline shuts the socket);
    raises _CutShort when fewer bytes came than the Content-Length announced."""
    chunks = []
    read = getattr(answer, "read1", None) or answer.read
    while chunk := read(1 << 16):
        chunks.append(chunk)
    body = b"".join(chunks)
    declared = answer.headers.get("Content-Length", "")
    if declared.strip().isdigit() and len(body) < int(declared):
        raise _CutShort(f"{len(body):,} of {int(declared):,} bytes")
    return body


def _describe(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, http.client.IncompleteRead):
        return f"answer cut short ({len(reason.partial):,} bytes read)"
    return str(reason) or type(reason).__name__


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


def inside(folder: Path, path: str) -> bool:
    """Whether ``path`` (relative) stays inside ``folder`` once ``..`` and links are followed."""
    root = os.path.realpath(folder)
    return os.path.commonpath([root, os.path.realpath(os.path.join(root, path))]) == root


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
        if not self._inside(url, f"{PAGES}/{name}", "page", about):
            return None
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
        if not self._inside(url, path, "file", about):
            return None
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
        # a PDF ends with %%EOF (perhaps a line break after it): without it the connection closed early,
        # which a server that sends no Content-Length leaves no other way to see
        if expect_pdf and b"%%EOF" not in response.body[-1024:]:
            self._fail(url, f"truncated PDF: {len(response.body):,} bytes without the closing %%EOF",
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

    def _inside(self, url: str, path: str, role: str, about: dict) -> bool:
        """Whether ``path`` stays inside the output folder; a failure of ``url`` when it does not."""
        if inside(self.out, path):
            return True
        self._fail(url, f"{path} would be written outside the output folder {self.out}; not fetched", role=role, **about)
        return False

    def _fail(self, url: str, reason: str, role: str, **about) -> None:
        self.summary.failed.append((url, reason))
        self.manifest.add(ManifestEntry(url=url, role=role, fetched_at=now_iso(), error=reason, **about))
