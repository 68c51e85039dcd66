"""The ``ofsted-kg`` command line: thin wrappers over the library functions.

Each module here is one group of commands with a ``register(app)``; ``make_app`` registers them in
the order the reference (docs/cli.md) lists them.
"""
from __future__ import annotations

import typer

from . import data, docs, fetch, networks, query, server

GROUPS = (data, query, docs, server, networks, fetch)


def make_app() -> typer.Typer:
    """The ``ofsted-kg`` application with every group's commands."""
    app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                      help="A knowledge graph of England's children's social care from Ofsted's published material.")

    @app.callback()
    def _commands() -> None:
        """Keep `ofsted-kg extract ...` a subcommand even with one command."""

    for group in GROUPS:
        group.register(app)
    return app


app = make_app()


def main() -> None:
    app()
