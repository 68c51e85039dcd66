"""The graph from Python: stored queries and SPARQL on an embedded store or a remote endpoint.

>>> from ofsted_kg import KnowledgeGraph
>>> kg = KnowledgeGraph("data/store")                              # doctest: +SKIP
>>> kg.query("provider-profile", urn="SC066400")[0]["name"]        # doctest: +SKIP
'Nexus Fostering'
>>> kg.query("providers-by-type", as_frame=True).head()           # doctest: +SKIP
>>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")        # doctest: +SKIP
[{'n': 1535938}]
>>> remote = KnowledgeGraph(endpoint="http://127.0.0.1:7878/query")  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from . import stored
from .store import DEFAULT_STORE, Result, open_store


class KnowledgeGraph:
    """One graph, embedded (a store folder) or remote (any SPARQL 1.1 query endpoint)."""

    def __init__(self, store: str | Path = DEFAULT_STORE, endpoint: str | None = None) -> None:
        self.store = open_store(store, endpoint)

    def query(self, name: str, as_frame: bool = False, limit: int | None = None, **params):
        """Run a stored query (by name, or a .rq path): a list of dicts, or a pandas DataFrame with ``as_frame``."""
        return self._shape(stored.run(self.store, name, limit=limit, **params), as_frame)

    def sparql(self, text: str, as_frame: bool = False):
        """Run any SPARQL SELECT or ASK: a list of dicts, or a pandas DataFrame with ``as_frame``."""
        return self._shape(self.store.query(text), as_frame)

    def queries(self) -> dict[str, str]:
        """The stored queries: name -> title."""
        return {name: query.title for name, query in stored.stored_queries().items()}

    @staticmethod
    def _shape(result: Result, as_frame: bool):
        return result.to_dataframe() if as_frame else result.as_dicts()
