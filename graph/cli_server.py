"""Commands for serving and sharing the graph: serve, push, querydocs (registered on graph.cli.app)."""
from __future__ import annotations

import signal
from pathlib import Path
from typing import Optional

import typer

from graph.cli import StoreOption, _fail, app, err, out


@app.command()
def serve(
    store: Path = StoreOption,
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback unless --public)."),
    port: int = typer.Option(7878, help="Port of the SPARQL endpoint; the query page uses the next one."),
    timeout: int = typer.Option(30, help="Longest a query may run, in seconds."),
    public: bool = typer.Option(False, "--public", help="Allow a non-loopback --host (anyone who can reach it can query)."),
) -> None:
    """Serve the store read-only: Oxigraph's SPARQL endpoint at /query and our query page; Ctrl-C stops both."""
    from graph.server import ServerError, start_server
    from graph.store import StoreMissing

    stopping: list[int] = []
    started: list = []

    def stop(signum, frame) -> None:
        # only ask the child to end here: the main thread is inside wait() and finishes the clean-up;
        # a signal during start-up (Oxigraph may already answer) is remembered and acted on below
        stopping.append(signum)
        if started:
            started[0].process.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        handle = start_server(store, host=host, port=port, timeout=timeout, public=public)
    except (ServerError, StoreMissing) as exc:
        _fail(str(exc), 2)
    started.append(handle)
    if stopping:
        handle.process.terminate()
    out.print(f"query page:      {handle.url}")
    out.print(f"SPARQL endpoint: {handle.sparql_url}  (read-only, union default graph, {timeout} s per query)")
    out.print("Ctrl-C to stop")
    code = handle.wait()
    handle.stop()
    if code and not stopping:
        _fail(f"oxigraph stopped with exit code {code}")


@app.command()
def push(
    endpoint: str = typer.Option(..., help="Graph Store Protocol URL, e.g. http://host:7878/store (Oxigraph) or http://host:3030/ds/data (Fuseki)."),
    store: Path = StoreOption,
) -> None:
    """Copy every named graph of the store to a SPARQL 1.1 Graph Store endpoint (HTTP PUT per graph)."""
    from graph.remote import PushError, push as push_graphs
    from graph.store import StoreMissing

    def note(graph: str, done: int, total: int) -> None:
        err.print(f"  {done}/{total} {graph}", highlight=False)

    try:
        summary = push_graphs(store, endpoint, progress=note)
    except (PushError, StoreMissing) as exc:
        _fail(str(exc), 2)
    out.print(f"pushed {summary.graphs} graphs, {summary.triples:,} triples to {endpoint}")


@app.command()
def querydocs(
    store: Optional[Path] = typer.Option(None, "--store", help="Store to take example results from (default: data/store if built)."),
    check: bool = typer.Option(False, help="Fail if the query descriptions in docs/queries.md are stale (results not compared)."),
) -> None:
    """Write docs/queries.md from the stored queries' headers, with the first rows of each on the store."""
    from graph.querydocs import QUERY_DOCS, is_current, write
    from graph.store import DEFAULT_STORE

    if check:
        if not is_current():
            _fail(f"{QUERY_DOCS} is stale: run `ofsted-kg querydocs`")
        out.print("up to date")
        return
    chosen = store or (DEFAULT_STORE if DEFAULT_STORE.exists() else None)
    write(chosen)
    out.print(f"written {QUERY_DOCS}" + ("" if chosen else " (no store: results left out)"))
