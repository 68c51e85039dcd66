"""Commands that regenerate the reference docs: docs, querydocs."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import fail, out


def docs(check: bool = typer.Option(False, help="Fail if the generated docs differ from those on disk.")) -> None:
    """Regenerate docs/ontology.md and docs/cli.md from the ontology and the command help."""
    from ..docs import write_docs

    stale = write_docs(check=check)
    if check and stale:
        fail("stale: " + ", ".join(stale) + " (run `ofsted-kg docs`)")
    out.print("up to date" if check else "written")


def querydocs(
    store: Optional[Path] = typer.Option(None, "--store", help="Store to take example results from (default: data/store if built)."),
    check: bool = typer.Option(False, help="Fail if the query descriptions in docs/queries.md are stale (results not compared)."),
) -> None:
    """Write docs/queries.md from the stored queries' headers, with the first rows of each on the store."""
    from ..querydocs import QUERY_DOCS, is_current, write
    from ..store import DEFAULT_STORE

    if check:
        if not is_current():
            fail(f"{QUERY_DOCS} is stale: run `ofsted-kg querydocs`")
        out.print("up to date")
        return
    chosen = store or (DEFAULT_STORE if DEFAULT_STORE.exists() else None)
    write(chosen)
    out.print(f"written {QUERY_DOCS}" + ("" if chosen else " (no store: results left out)"))


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(docs)
    app.command()(querydocs)
