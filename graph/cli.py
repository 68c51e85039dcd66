"""The ``ofsted-kg`` command line: thin wrappers over the library functions."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="A knowledge graph of England's children's social care from Ofsted's published material.")
err = Console(stderr=True)


@app.callback()
def _commands() -> None:
    """Keep `ofsted-kg extract ...` a subcommand while extract is the only command."""


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Documents (PDF, .txt, .html) or folders of them."),
    kind: str = typer.Option("auto", help="auto|provider-report|la-report|news"),
) -> None:
    """Print one JSON extraction record per document (JSON Lines), in input order."""
    from ingest.extract import KINDS, extract as extract_record
    from ingest.text import iter_document_paths

    if kind != "auto" and kind not in KINDS:
        err.print(f"[red]--kind must be auto or one of {', '.join(KINDS)}[/red]")
        raise typer.Exit(2)
    failed = 0
    for path in iter_document_paths(paths):
        record = extract_record(path, kind)
        if record["errors"]:
            failed += 1
            for message in record["errors"]:
                err.print(f"[yellow]warning:[/yellow] {message}", highlight=False)
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app()
