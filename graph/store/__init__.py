"""One store interface, two backends: an embedded on-disk Oxigraph store and any SPARQL 1.1 endpoint.

Both answer ``query(sparql) -> Result``. The default graph is the union of the named graphs
(one per source document), which is also how Fuseki (unionDefaultGraph), GraphDB and Virtuoso
are usually configured; ``oxigraph serve`` is started with ``--union-default-graph``.
"""
from __future__ import annotations

from pathlib import Path

from .base import DEFAULT_STORE, Result, StoreMissing, python_value
from .embedded import DEFAULT_TIMEOUT, EmbeddedStore, QueryLimitError, QueryProcessError
from .loader import BackgroundLoader
from .remote import RemoteStore
from .versions import BuildLocked, build_lock, current_version, new_version_dir, publish, remove_stale_versions

__all__ = ["DEFAULT_STORE", "Result", "StoreMissing", "python_value", "EmbeddedStore", "RemoteStore", "open_store",
           "DEFAULT_TIMEOUT", "QueryLimitError", "QueryProcessError",
           "BackgroundLoader", "BuildLocked", "build_lock", "current_version", "new_version_dir", "publish",
           "remove_stale_versions"]


def open_store(store: str | Path | None = None, endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT):
    """The embedded store at ``store`` or, with ``endpoint``, a remote SPARQL endpoint; ``timeout``
    (seconds) bounds each query of the embedded store."""
    if endpoint:
        return RemoteStore(endpoint)
    return EmbeddedStore(store or DEFAULT_STORE, timeout=timeout)
