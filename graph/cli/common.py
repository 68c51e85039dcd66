"""What every command module shares: the consoles, the --store option and the way a command fails."""
from __future__ import annotations

import typer
from rich.console import Console

from ..store import DEFAULT_STORE

err = Console(stderr=True)
out = Console()

StoreOption = typer.Option(DEFAULT_STORE, "--store", help="Folder of the on-disk Oxigraph store.")


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as an error and leave with exit status ``code`` (2: the caller's mistake)."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)
