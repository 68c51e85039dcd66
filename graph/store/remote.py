"""A remote store: any SPARQL 1.1 Protocol endpoint (Oxigraph, Fuseki, GraphDB, Virtuoso, ...)."""
from __future__ import annotations

from .base import _DECIMAL_TYPES, _INTEGER_TYPES, XSD_NS, DateText, DateTimeText, Result


class RemoteStore:
    """Any SPARQL 1.1 Protocol endpoint, queried through SPARQLWrapper."""

    def __init__(self, endpoint: str, timeout: int = 60) -> None:
        from SPARQLWrapper import JSON, SPARQLWrapper

        self.endpoint = endpoint
        self._client = SPARQLWrapper(endpoint)
        self._client.setReturnFormat(JSON)
        self._client.setTimeout(timeout)
        self._client.setMethod("POST")

    def query(self, sparql: str) -> Result:
        # SPARQLWrapper guesses the query type from the first keyword-like word, and its comment pattern
        # misses every second line of a comment block ("move" or "dropped" in a comment reads as MOVE or
        # DROP, sent as an update): send every comment line blank, and none of the blank lines before the query
        lines = ["" if line.lstrip().startswith("#") else line for line in sparql.splitlines()]
        while lines and not lines[0].strip():
            lines.pop(0)
        self._client.setQuery("\n".join(lines))
        answer = self._client.queryAndConvert()
        if "boolean" in answer:
            return Result(["answer"], [(answer["boolean"],)])
        columns = answer["head"]["vars"]
        rows = [tuple(_json_value(b.get(c)) for c in columns) for b in answer["results"]["bindings"]]
        return Result(columns, rows)


def _json_value(binding: dict | None) -> object:
    if binding is None:
        return None
    # "typed-literal" is the SPARQL JSON results' first draft, which Virtuoso still writes
    if binding["type"] in ("literal", "typed-literal") and "datatype" in binding:
        datatype = binding["datatype"]
        if datatype in _INTEGER_TYPES:
            return int(binding["value"])
        if datatype in _DECIMAL_TYPES:
            return float(binding["value"])
        if datatype == XSD_NS + "boolean":
            return binding["value"] in ("true", "1")   # Virtuoso writes xsd:boolean as 1 and 0
        if datatype == XSD_NS + "date":
            return DateText(binding["value"])
        if datatype == XSD_NS + "dateTime":
            return DateTimeText(binding["value"])
    return binding["value"]
