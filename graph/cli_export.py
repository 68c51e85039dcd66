"""Commands for exports, pictures and network analysis: export, viz, analyse (registered on graph.cli.app)."""
from __future__ import annotations

from graph.cli import app  # noqa: F401  (commands are added to this app)
