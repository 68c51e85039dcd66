"""Serve the graph: Oxigraph's own read-only SPARQL server plus our query page.

``start_server`` runs ``oxigraph serve-read-only`` over a built store (default graph = union of the
named graphs) and a small Python web server for the page in graph/web/static/. The page server also
answers ``GET /queries.json`` (the stored queries), ``POST /bind`` (a stored query with its
parameters bound, by ofsted_kg.stored, never pasted) and passes ``POST /query`` on to Oxigraph, so the
page needs nothing from another origin and works offline.

>>> handle = start_server("data/store")          # doctest: +SKIP
>>> handle.url, handle.sparql_url                # doctest: +SKIP
('http://127.0.0.1:7879/', 'http://127.0.0.1:7878/query')
>>> handle.stop()                                # doctest: +SKIP
"""
from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from ..store import StoreMissing

STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8"}


class ServerError(Exception):
    """The server could not start (no oxigraph binary, port taken, store missing, host refused)."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` program installed by the PyPI package beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ServerError("the oxigraph server program is not installed (pip install oxigraph)")
    return found


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass
class ServerHandle:
    """A running server: ``url`` is the query page, ``sparql_url`` Oxigraph's SPARQL endpoint."""

    url: str
    sparql_url: str
    process: subprocess.Popen
    page_server: ThreadingHTTPServer
    _thread: threading.Thread = field(repr=False, default=None)

    def stop(self, grace: float = 5.0) -> None:
        """Stop the page server and the Oxigraph process (terminate, then kill if it lingers)."""
        self.page_server.shutdown()
        self.page_server.server_close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def wait(self) -> int:
        """Block until the Oxigraph process ends; returns its exit code."""
        return self.process.wait()

    def __enter__(self) -> "ServerHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_server(store: str | Path, host: str = "127.0.0.1", port: int = 7878, page_port: int | None = None,
                 timeout: float | None = 30, public: bool = False, ready_within: float = 30) -> ServerHandle:
    """Start ``oxigraph serve-read-only`` on ``host:port`` and the query page on ``host:page_port``.

    ``page_port`` defaults to ``port + 1``; pass 0 for any free port (tests). ``timeout`` is Oxigraph's
    per-query time limit in seconds. A host other than loopback is refused unless ``public``.
    """
    if not public and not is_loopback(host):
        raise ServerError(f"refusing to listen on {host}: not a loopback address (pass public=True / --public to allow it)")
    location = Path(store)
    if not location.exists():
        raise StoreMissing(f"no store at {location}: run `ofsted-kg build --store {location}` first")
    # the store path is a symlink to a version folder (atomic publish): Oxigraph gets the real folder
    location = location.resolve()
    command = [oxigraph_binary(), "serve-read-only", "--location", str(location),
               "--bind", f"{_url_host(host)}:{port}", "--union-default-graph"]
    if timeout:
        command += ["--timeout-s", str(int(max(1, timeout)))]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://{_url_host(host)}:{port}"
    try:
        _wait_until_ready(process, base + "/query?query=ASK%7B%7D", ready_within)
        page_server = _page_server(host, port + 1 if page_port is None else page_port, base + "/query")
    except BaseException:
        if process.poll() is None:
            process.terminate()
            process.wait()
        raise
    thread = threading.Thread(target=page_server.serve_forever, name="ofsted-kg-page", daemon=True)
    thread.start()
    page_url = f"http://{_url_host(host)}:{page_server.server_address[1]}/"
    return ServerHandle(url=page_url, sparql_url=base + "/query", process=process, page_server=page_server, _thread=thread)


def _wait_until_ready(process: subprocess.Popen, probe: str, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
            raise ServerError(f"oxigraph exited with code {process.returncode}: {message[-500:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServerError(f"oxigraph did not answer at {probe} within {within:.0f} s")


def stored_queries_json() -> list[dict]:
    """The stored queries as the page lists them."""
    from ..stored import stored_queries

    return [{"name": q.name, "title": q.title, "question": q.question, "columns": q.columns, "text": q.text,
             "example": q.example,
             "parameters": [{"name": p.name, "required": p.required, "type": p.type, "choices": p.choices,
                             "description": p.description} for p in q.parameters]}
            for q in stored_queries().values()]


def _page_server(host: str, port: int, sparql_url: str) -> ThreadingHTTPServer:
    static = resources.files(__package__).joinpath("static")

    class PageHandler(BaseHTTPRequestHandler):
        server_version = "ofsted-kg"

        def log_message(self, *args) -> None:  # quiet: the terminal shows Oxigraph's URL, not every request
            pass

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value) -> None:
            self._send(status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8")

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/queries.json":
                self._json(200, stored_queries_json())
                return
            name = "index.html" if path in ("/", "") else path.lstrip("/")
            if "/" in name or name.startswith("."):
                self._send(404, b"not found", "text/plain")
                return
            resource = static.joinpath(name)
            if not resource.is_file():
                self._send(404, b"not found", "text/plain")
                return
            self._send(200, resource.read_bytes(), STATIC_TYPES.get(Path(name).suffix, "application/octet-stream"))

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_POST(self) -> None:
            if self.path == "/bind":
                self._bind()
            elif self.path == "/query":
                self._query()
            else:
                self._send(404, b"not found", "text/plain")

        def _bind(self) -> None:
            from ..stored import QueryError, load

            try:
                request = json.loads(self._body() or b"{}")
                params = {k: v for k, v in (request.get("params") or {}).items() if v not in (None, "")}
                self._json(200, {"text": load(request["name"]).bind(**params)})
            except (QueryError, KeyError, ValueError) as exc:
                self._json(400, {"error": str(exc)})

        def _query(self) -> None:
            # read-only by construction: only the SPARQL Protocol query operation is passed on
            forward = urllib.request.Request(sparql_url, data=self._body(), method="POST", headers={
                "Content-Type": self.headers.get("Content-Type") or "application/sparql-query",
                "Accept": self.headers.get("Accept") or "application/sparql-results+json"})
            try:
                with urllib.request.urlopen(forward) as answer:
                    self._send(answer.status, answer.read(), answer.headers.get("Content-Type") or "application/octet-stream")
            except urllib.error.HTTPError as exc:
                self._send(exc.code, exc.read(), exc.headers.get("Content-Type") or "text/plain")
            except urllib.error.URLError as exc:
                self._send(502, str(exc.reason).encode(), "text/plain")

    server_class = ThreadingHTTPServer
    if ":" in host:
        class IPv6Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6
        server_class = IPv6Server
    server_class.daemon_threads = True
    try:
        return server_class((host, port), PageHandler)
    except OSError as exc:
        raise ServerError(f"cannot serve the query page on {host}:{port}: {exc}") from exc
