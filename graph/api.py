"""The graph from Python: stored queries and SPARQL on an embedded store or a remote endpoint.

Rows come as dicts of Python values: dates as ``datetime.date``, whole numbers as ``int``,
decimals as ``float``, IRIs and text as ``str``, ``None`` where the query left a column unbound.
Query parameters are keywords, or a mapping given after the query's name (any name works, even
one the method itself uses, such as ``limit``).

>>> import datetime, tempfile, pyoxigraph as ox
>>> folder = tempfile.mkdtemp() + "/store"
>>> demo = ox.Store(folder)
>>> ok = "https://w3id.org/ofsted-kg/ontology#"
>>> provider = ox.NamedNode("https://w3id.org/ofsted-kg/id/provider/SC000001")
>>> rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
>>> demo.add(ox.Quad(provider, rdf_type, ox.NamedNode(ok + "Provider"), ox.NamedNode("urn:g")))
>>> demo.add(ox.Quad(provider, ox.NamedNode(ok + "urn"), ox.Literal("SC000001"), ox.NamedNode("urn:g")))
>>> demo.add(ox.Quad(provider, ox.NamedNode(ok + "registrationDate"),
...                  ox.Literal("2019-05-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
...                  ox.NamedNode("urn:g")))
>>> demo.flush(); del demo
>>> kg = KnowledgeGraph(folder)
>>> kg.sparql(f"SELECT ?urn ?registered WHERE {{ ?p <{ok}urn> ?urn ; <{ok}registrationDate> ?registered }}")
[{'urn': 'SC000001', 'registered': datetime.date(2019, 5, 1)}]
>>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
[{'n': 3}]
>>> kg.query("provider-profile", urn="sc000001")[0]["registration_date"]
datetime.date(2019, 5, 1)
>>> kg.query("provider-profile", {"urn": "SC000002"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ofsted_kg.stored.UnknownValue: no provider with URN 'SC000002' in the store: did you mean SC000001? ...
>>> kg.close()

On the built store (``ofsted-kg build``), for example::

    kg = KnowledgeGraph("data/store")
    kg.query("providers-by-person", name="Grace Wyatt")
    kg.query("recurring-requirements", {"instrument": "uksi/2011/581"}, as_frame=True)
    remote = KnowledgeGraph(endpoint="http://127.0.0.1:7878/query")
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from . import stored
from .store import DEFAULT_STORE, Result, open_store


class KnowledgeGraph:
    """One graph, embedded (a store folder) or remote (any SPARQL 1.1 query endpoint)."""

    def __init__(self, store: str | Path = DEFAULT_STORE, endpoint: str | None = None) -> None:
        self.store = open_store(store, endpoint)

    def query(self, name: str, params: Mapping[str, object] | None = None, /, *, as_frame: bool = False,
              limit: int | None = None, **more: object):
        """Run a stored query (by name, or a .rq path): a list of dicts, or a pandas DataFrame with ``as_frame``.

        Parameters come as keywords (``urn="SC066400"``), as the mapping ``params``, or both. A value the
        store does not hold (a URN, a person's name, a council) raises :class:`ofsted_kg.stored.UnknownValue`
        naming the closest it does; SPARQL that does not parse raises :class:`ofsted_kg.stored.SparqlSyntaxError`.
        """
        result = stored.run(self.store, name, {**(params or {}), **more}, limit=limit, check=True)
        return self._shape(result, as_frame)

    def sparql(self, text: str, as_frame: bool = False):
        """Run any SPARQL SELECT or ASK: a list of dicts, or a pandas DataFrame with ``as_frame``."""
        return self._shape(stored.execute(self.store, text), as_frame)

    def queries(self) -> dict[str, str]:
        """The stored queries: name -> title."""
        return {name: query.title for name, query in stored.stored_queries().items()}

    def close(self) -> None:
        """Let go of the store (an embedded store's files can then be opened for writing again)."""
        closer = getattr(self.store, "close", None)
        if closer is not None:
            closer()
        self.store = None

    @staticmethod
    def _shape(result: Result, as_frame: bool):
        rows = [tuple(typed(v) for v in row) for row in result.rows]
        if as_frame:
            return frame(result.columns, rows)
        return [dict(zip(result.columns, row)) for row in rows]


def typed(value: object) -> object:
    """A store's value as the Python type it stands for: xsd:date text -> datetime.date, and so on."""
    convert = getattr(value, "typed", None)
    return convert() if convert is not None else value


def frame(columns: list[str], rows: list[tuple]):
    """A pandas DataFrame with a dtype per column: nullable Int64 for whole numbers, float64,
    datetime64 for dates, boolean, and pandas' string dtype for text and IRIs."""
    import datetime as dt

    import pandas as pd

    data = pd.DataFrame.from_records(rows, columns=columns)
    for column in columns:
        values = [v for v in data[column] if not pd.isna(v)]
        kinds = {type(v) for v in values}
        if not kinds:
            continue
        if kinds <= {dt.date}:
            data[column] = pd.to_datetime(data[column])
        elif kinds <= {dt.datetime}:
            data[column] = pd.to_datetime(data[column], format="ISO8601")
        elif kinds <= {bool}:
            data[column] = data[column].astype("boolean")
        elif kinds <= {int}:
            data[column] = data[column].astype("Int64")
        elif kinds <= {int, float}:
            data[column] = data[column].astype("float64")
        elif kinds <= {str}:
            data[column] = data[column].astype("string")
    return data
