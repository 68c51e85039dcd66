"""Commands for serving and sharing the graph: serve, push (registered on graph.cli.app)."""
from __future__ import annotations

from graph.cli import app  # noqa: F401  (commands are added to this app)
