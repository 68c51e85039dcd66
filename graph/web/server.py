"""Serve the graph: the web app (graph/web/app.py) on uvicorn in front of a private Oxigraph.

``start_server`` starts ``oxigraph serve-read-only`` on a free loopback port (ofsted_kg.web.sparql.
Backend) and the app on ``host:port``; the app's ``/query`` is the public SPARQL endpoint, behind
the guard. Loopback only unless ``public``.

>>> handle = start_server("data/store")          # doctest: +SKIP
>>> handle.url, handle.sparql_url                # doctest: +SKIP
('http://127.0.0.1:7878/', 'http://127.0.0.1:7878/query')
>>> handle.stop()                                # doctest: +SKIP
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from .app import create_app
from .sparql import Backend, ServerError, free_port, oxigraph_binary

__all__ = ["ServerError", "ServerHandle", "free_port", "is_loopback", "oxigraph_binary", "start_server"]


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass
class ServerHandle:
    """A running server: ``url`` is the web app, ``sparql_url`` its guarded SPARQL endpoint."""

    url: str
    sparql_url: str
    backend: Backend
    server: uvicorn.Server
    _thread: threading.Thread = field(repr=False, default=None)

    @property
    def process(self):
        """The Oxigraph process serving the store's current version now."""
        return self.backend.process

    def stop(self) -> None:
        """Stop the app (open requests get a few seconds) and the Oxigraph process."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
            if self._thread.is_alive():
                self.server.force_exit = True
                self._thread.join(5)
        self.backend.stop()

    def wait(self, poll: float = 0.5) -> None:
        """Block until the app stops (in short waits, so signals reach the main thread)."""
        while self._thread.is_alive():
            self._thread.join(poll)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_server(store: str | Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30,
                 public: bool = False, allow_service: bool = False, ready_within: float = 30,
                 memory_limit_mb: int | None = None) -> ServerHandle:
    """Start Oxigraph on the store and the web app on ``host:port`` (0: any free port); returns when both answer.

    ``timeout`` is the limit on every query in seconds. A host other than loopback is refused
    unless ``public``; ``allow_service`` lets queries use SERVICE (the server then fetches the URLs
    they name).
    """
    if not public and not is_loopback(host):
        raise ServerError(f"refusing to listen on {host}: not a loopback address (pass public=True / --public to allow it)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise ServerError(f"cannot serve on {host}:{port}: {exc}") from exc
    listener.listen(2048)
    try:
        backend = Backend(store, timeout=timeout, allow_service=allow_service, ready_within=ready_within,
                          **({"memory_limit_mb": memory_limit_mb} if memory_limit_mb else {}))
    except BaseException:
        listener.close()
        raise
    config = uvicorn.Config(create_app(backend), log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=5, backlog=2048)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="ofsted-kg-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + ready_within
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            backend.stop()
            listener.close()
            raise ServerError(f"the web app did not start on {host}:{port}")
        time.sleep(0.05)
    bound = listener.getsockname()[1]
    url = f"http://{_url_host(host)}:{bound}/"
    return ServerHandle(url=url, sparql_url=url + "query", backend=backend, server=server, _thread=thread)
