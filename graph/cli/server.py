"""Commands for serving and sharing the graph: serve, push."""
from __future__ import annotations

import signal
from pathlib import Path
from typing import Optional

import typer

from .common import StoreOption, err, fail, out


def serve(
    store: Path = StoreOption,
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback unless --public)."),
    port: int = typer.Option(7878, help="Port of the web app; its SPARQL endpoint is /query on the same port."),
    timeout: int = typer.Option(30, help="Longest a query may run, in seconds."),
    max_memory: int = typer.Option(2048, "--max-memory", min=64, help="Most memory the SPARQL store may hold while answering, in MB; a query that needs more is stopped."),
    public: bool = typer.Option(False, "--public", help="Allow a non-loopback --host (anyone who can reach it can query)."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Let queries use SERVICE, which makes the server fetch the URLs they name."),
) -> None:
    """Serve the store read-only: entity pages, search, stored-query forms and SPARQL at /query; Ctrl-C stops it."""
    from ..store import StoreMissing
    from ..web.server import ServerError, start_server

    stopping: list[int] = []
    started: list = []

    def stop(signum, frame) -> None:
        # only ask the app to end here: the main thread is inside wait() and finishes the clean-up;
        # a signal during start-up is remembered and acted on once the server is up
        stopping.append(signum)
        if started:
            started[0].server.should_exit = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        handle = start_server(store, host=host, port=port, timeout=timeout, public=public, allow_service=allow_service,
                              memory_limit_mb=max_memory)
    except (ServerError, StoreMissing) as exc:
        fail(str(exc), 2)
    started.append(handle)
    if stopping:
        handle.server.should_exit = True
    out.print(f"web app:         {handle.url}")
    out.print(f"SPARQL endpoint: {handle.sparql_url}  (read-only, union default graph, {timeout} s per query"
              f"{', SERVICE allowed' if allow_service else ', no SERVICE'})")
    out.print("Ctrl-C to stop")
    handle.wait()
    handle.stop()


def push(
    endpoint: str = typer.Option(..., help="Graph Store Protocol URL, e.g. http://host:7878/store (Oxigraph), http://host:3030/ds/data (Fuseki), http://host:8890/sparql-graph-crud-auth (Virtuoso)."),
    store: Path = StoreOption,
    user: Optional[str] = typer.Option(None, "--user", help="User to authenticate as (digest or basic, as the endpoint asks); the password is read from the environment variable OFSTED_KG_PASSWORD."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No line per graph."),
) -> None:
    """Copy every named graph of the store to a SPARQL 1.1 Graph Store endpoint (HTTP PUT per graph).

    A PUT replaces the graph, so a second push replaces rather than duplicates, and a push that
    stopped half-way is completed by running it again.
    """
    import os

    from ..store import StoreMissing
    from ..store.push import PushError
    from ..store.push import push as push_graphs

    def note(graph: str, done: int, total: int) -> None:
        if not quiet:
            err.print(f"  {done}/{total} {graph}", highlight=False)

    password = os.environ.get("OFSTED_KG_PASSWORD")
    if user and password is None:
        fail(f"--user {user} needs the password in the environment variable OFSTED_KG_PASSWORD", 2)
    try:
        summary = push_graphs(store, endpoint, progress=note, user=user, password=password)
    except (PushError, StoreMissing) as exc:
        fail(str(exc), 2)
    except KeyboardInterrupt:
        fail("push interrupted: the graphs already sent are complete on the endpoint; run push again to send them all", 130)
    out.print(f"pushed {summary.graphs} graphs, {summary.triples:,} triples to {endpoint} in {summary.seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(serve)
    app.command()(push)
