"""The SPARQL side of the web app: a private ``oxigraph serve-read-only`` and the guard in front of it.

Oxigraph listens on a free port of 127.0.0.1 that only this process is told; everything the web
reaches (pages, stored queries, the raw ``/query`` endpoint) goes through :class:`Backend`, which

- refuses queries with ``SERVICE`` (Oxigraph would fetch the URL it names) unless the server was
  started with ``allow_service``, judged on the query's algebra as rdflib parses it (a query whose
  text cannot spell the keyword is passed without parsing);
- holds every query to a time limit: Oxigraph's own ``--timeout-s``, and a deadline of its own a
  little later, after which the Oxigraph process is replaced (a query that ignores the first limit
  still ends, and its memory is returned);
- follows the store: the store path is a link that each build swaps to a new version folder
  (ofsted_kg.store.versions), and when it points somewhere new a new Oxigraph is started on the
  new version, swapped in, and the old one stopped, so the old files are let go.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import httpx

from ..store.versions import current_version

# how much longer than Oxigraph's own limit we wait before replacing the process
GRACE_S = 3.0
# the largest answer the web passes on (a runaway CONSTRUCT or SELECT * is cut off with an error)
MAX_ANSWER_BYTES = 64 * 1024 * 1024
# Oxigraph streams its answers: when its limit strikes mid-answer the status (200) has been sent
# already, and it ends the body with this sentence instead
CANCELLED = b"The SPARQL operation has been cancelled"
# how often (at most) a request checks where the store link points
VERSION_CHECK_S = 1.0
# the memory an Oxigraph process may hold; a query that takes it past this is stopped (a sort over a
# cartesian product grew the server by gigabytes in seconds, long before any time limit)
MEMORY_LIMIT_MB = 2048
MEMORY_CHECK_S = 0.2


class ServerError(Exception):
    """The server could not start (no oxigraph binary, port taken, store missing, host refused)."""


class QueryRefused(Exception):
    """A query the guard will not pass on (SERVICE without opt-in, not a query, unparsable)."""


class QueryFailed(Exception):
    """Oxigraph answered with an error, ran past the time limit or the answer grew too large."""

    def __init__(self, message: str, status: int = 502) -> None:
        super().__init__(message)
        self.status = status


def oxigraph_binary() -> str:
    """The ``oxigraph`` program installed by the PyPI package beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ServerError("the oxigraph server program is not installed (pip install oxigraph)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def may_hold_service(sparql: str) -> bool:
    """False when the text cannot hold a SERVICE clause: the keyword is not in it, even escaped.

    SPARQL expands \\u escapes before it parses, so a query with one is read in full too. Most
    queries are cleared here; rdflib's parser takes 0.1 to 1 s of CPU on a stored query.
    """
    lowered = sparql.lower()
    return "service" in lowered or "\\u" in lowered


async def guard(sparql: str, allow_service: bool = False) -> None:
    """Refuse (QueryRefused) a query with SERVICE unless ``allow_service``; see check_query."""
    if allow_service or not may_hold_service(sparql):
        return
    import anyio

    await anyio.to_thread.run_sync(check_query, sparql, allow_service)


@functools.lru_cache(maxsize=256)
def check_query(sparql: str, allow_service: bool = False) -> str:
    """The query form (SELECT, CONSTRUCT, ASK, DESCRIBE) of ``sparql``; QueryRefused if it may not run.

    Parsed with rdflib and judged on the algebra, so ``SERVICE`` in a comment or a string is no
    reason to refuse, and one hidden in a sub-select or OPTIONAL is still found.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = translateQuery(parseQuery(sparql))
    except ParseException as exc:
        raise QueryRefused(f"not a SPARQL query (updates are not accepted here): {exc}") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain Exceptions for e.g. an unknown prefix
        raise QueryRefused(f"cannot read the query: {exc}") from None
    services: list[str] = []

    def visit(node):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            services.append(str(node.get("term")))

    traverse(parsed.algebra, visitPre=visit)
    if services and not allow_service:
        raise QueryRefused(f"SERVICE {services[0]} refused: this server does not fetch from other addresses "
                           "(start it with --allow-service to permit federated queries)")
    form = parsed.algebra.name
    return {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK",
            "DescribeQuery": "DESCRIBE"}.get(form, form)


@dataclass
class _Process:
    process: subprocess.Popen
    url: str
    version: Path


class Backend:
    """The Oxigraph process serving the store's current version, and the way queries reach it."""

    def __init__(self, store: str | Path, timeout: float = 30, allow_service: bool = False,
                 ready_within: float = 30, memory_limit_mb: int = MEMORY_LIMIT_MB) -> None:
        self.store = Path(store)
        if not self.store.exists():
            from ..store import StoreMissing

            raise StoreMissing(f"no store at {self.store}: run `ofsted-kg build --store {self.store}` first")
        self.timeout = timeout
        self.allow_service = allow_service
        self.ready_within = ready_within
        self._lock = threading.Lock()
        self._stopped = False
        self._checked = 0.0
        self.memory_limit_mb = memory_limit_mb
        self._over_memory: set[int] = set()   # pids stopped for their memory, so their queries can say why
        self._current = self._start(self._version())
        threading.Thread(target=self._watch_memory, name="oxigraph-memory", daemon=True).start()
        self.generation = 0   # counts version changes: the search index is read again after one
        self.client: httpx.AsyncClient | None = None

    # ------------------------------------------------------------------ the process

    def _version(self) -> Path:
        version = current_version(self.store)
        if version is None:
            raise ServerError(f"the store link {self.store} points at no folder")
        return version.resolve()

    def _start(self, version: Path) -> _Process:
        port = free_port()
        command = [oxigraph_binary(), "serve-read-only", "--location", str(version),
                   "--bind", f"127.0.0.1:{port}", "--union-default-graph",
                   "--timeout-s", str(int(max(1, self.timeout)))]
        # its messages go to a file, not a pipe nobody reads (a full pipe would stall it)
        log = tempfile.TemporaryFile()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        process.log = log
        url = f"http://127.0.0.1:{port}/query"
        try:
            _wait_until_ready(process, url + "?query=ASK%7B%7D", self.ready_within)
        except BaseException:
            _end(process)
            raise
        return _Process(process, url, version)

    @property
    def process(self) -> subprocess.Popen:
        return self._current.process

    @property
    def version(self) -> Path:
        return self._current.version

    def follow_store(self) -> bool:
        """Start Oxigraph on the store's current version if the link moved; True when it did."""
        now = time.monotonic()
        if now - self._checked < VERSION_CHECK_S:
            return False
        self._checked = now
        try:
            version = self._version()
        except ServerError:
            return False   # mid-swap or removed: keep serving what we have
        if version == self._current.version:
            return False
        with self._lock:
            if version == self._current.version or self._stopped:
                return False
            self._replace(version)
        return True

    def _watch_memory(self) -> None:
        """Kill the Oxigraph process when it holds more than ``memory_limit_mb``; the request that
        finds it gone starts another and answers that its query needed too much memory."""
        while not self._stopped:
            process = self._current.process
            if process.poll() is None and _resident_mb(process.pid) > self.memory_limit_mb:
                self._over_memory.add(process.pid)
                process.kill()
            time.sleep(MEMORY_CHECK_S)

    def restart(self, target: _Process) -> None:
        """Replace ``target`` with a fresh Oxigraph on the same version (after a runaway query), unless
        another request already has: several queries can run past the limit together."""
        with self._lock:
            if self._current is target and not self._stopped:
                self._replace(target.version)

    def _replace(self, version: Path) -> None:
        old = self._current
        self._current = self._start(version)
        if version != old.version:
            self.generation += 1
        # queries already running on the old process get a moment to finish before it goes
        threading.Timer(GRACE_S, _end, args=(old.process,)).start()

    def stop(self) -> None:
        # under the lock: a replacement being started now is finished first, then stopped with the rest
        with self._lock:
            self._stopped = True
            _end(self._current.process)

    # ------------------------------------------------------------------ queries

    async def _post(self, sparql: str, accept: str) -> tuple[bytes, str]:
        import anyio

        if self.follow_store_due():
            await anyio.to_thread.run_sync(self.follow_store)
        if self.client is None:
            self.client = httpx.AsyncClient(limits=httpx.Limits(max_connections=32, max_keepalive_connections=32))
        target = self._current
        chunks: list[bytes] = []
        size = 0
        try:
            with anyio.fail_after(self.timeout + GRACE_S):
                async with self.client.stream("POST", target.url, content=sparql.encode(),
                                              headers={"Content-Type": "application/sparql-query", "Accept": accept},
                                              timeout=self.timeout + GRACE_S) as answer:
                    async for chunk in answer.aiter_bytes():
                        size += len(chunk)
                        if size > MAX_ANSWER_BYTES:
                            raise QueryFailed(f"the answer grew past {MAX_ANSWER_BYTES // 2**20} MB; "
                                              "narrow the query or add a LIMIT", 413)
                        chunks.append(chunk)
                    status, media = answer.status_code, answer.headers.get("content-type", "")
        except (TimeoutError, httpx.TimeoutException):
            await anyio.to_thread.run_sync(self.restart, target)
            raise QueryFailed(f"the query ran past the time limit of {self.timeout:g} s", 504) from None
        except httpx.HTTPError as exc:
            if target.process.pid in self._over_memory:
                # killed by the memory watch a moment ago: let it be reaped before it is replaced
                await anyio.to_thread.run_sync(functools.partial(_reaped, target.process))
            if target.process.poll() is not None:
                # Oxigraph ended (killed, or out of memory): start it again for the next request
                await anyio.to_thread.run_sync(self.restart, target)
                if target.process.pid in self._over_memory:
                    raise QueryFailed(f"the query needed more than {self.memory_limit_mb:,} MB of memory and was "
                                      "stopped; narrow it (fewer unbound patterns, a LIMIT without ORDER BY)", 507) from None
                raise QueryFailed("the SPARQL store had stopped and has been started again; try again", 503) from None
            raise QueryFailed(f"the SPARQL store did not answer: {exc}", 502) from None
        body = b"".join(chunks)
        if status == 200 and body.rstrip().endswith(CANCELLED):
            raise QueryFailed(f"the query ran past the time limit of {self.timeout:g} s", 504)
        if status != 200:
            text = body.decode(errors="replace").strip()
            if "timeout" in text.lower() or status in (408, 504):
                raise QueryFailed(f"the query ran past the time limit of {self.timeout:g} s", 504)
            if 400 <= status < 500:
                raise QueryFailed(f"the query could not be run: {text or f'HTTP {status}'} (only queries are accepted: "
                                  "SELECT, CONSTRUCT, ASK, DESCRIBE; the store is read-only)", 400)
            raise QueryFailed(text or f"the SPARQL store answered HTTP {status}", 502)
        return body, media

    def follow_store_due(self) -> bool:
        return time.monotonic() - self._checked >= VERSION_CHECK_S

    async def select(self, sparql: str) -> tuple[list[str], list[dict]]:
        """Columns and rows (dicts of SPARQL JSON terms: type, value, datatype, xml:lang) of a SELECT."""
        import json

        body, _ = await self._post(sparql, "application/sparql-results+json")
        try:
            answer = json.loads(body)
        except ValueError:
            # Oxigraph streams its answer: a limit hit mid-way ends the body with an error, not JSON
            raise QueryFailed("the answer was cut off (the query ran past the time limit "
                              f"of {self.timeout:g} s)", 504) from None
        if "boolean" in answer:
            return ["answer"], [{"answer": {"type": "literal", "value": str(answer["boolean"]).lower(),
                                            "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}]
        return answer["head"]["vars"], answer["results"]["bindings"]

    async def raw(self, sparql: str, accept: str) -> tuple[bytes, str]:
        """The answer as Oxigraph serialises it in ``accept`` (after check_query has passed it)."""
        return await self._post(sparql, accept)

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None


def _reaped(process: subprocess.Popen, within: float = 5.0) -> None:
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        pass


def _resident_mb(pid: int) -> float:
    """The resident memory of process ``pid`` in MB (0 where /proc cannot say, as off Linux)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _wait_until_ready(process: subprocess.Popen, probe: str, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            process.log.seek(0)
            message = process.log.read().decode(errors="replace").strip()
            raise ServerError(f"oxigraph exited with code {process.returncode}: {message[-500:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServerError(f"oxigraph did not answer at {probe} within {within:.0f} s")


def _end(process: subprocess.Popen, grace: float = 5.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()
