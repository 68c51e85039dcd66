"""What every store answers with: rows as plain Python values."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

DEFAULT_STORE = Path("data/store")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD_NS + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_DECIMAL_TYPES = {XSD_NS + t for t in ("decimal", "double", "float")}


@dataclass
class Result:
    """Rows of a SELECT query: ``columns`` and ``rows`` (tuples of Python values, None when unbound)."""

    columns: list[str]
    rows: list[tuple]

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame of the rows (pandas must be installed)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def python_value(term) -> object:
    """A pyoxigraph term as a plain Python value: IRIs and strings as str, integers as int, decimals as float."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGER_TYPES:
            return int(term.value)
        if datatype in _DECIMAL_TYPES:
            return float(term.value)
        if datatype == XSD_NS + "boolean":
            return term.value == "true"
        if datatype == XSD_NS + "date":
            return DateText(term.value)
        if datatype == XSD_NS + "dateTime":
            return DateTimeText(term.value)
        return term.value
    return term.value


class DateText(str):
    """An xsd:date value: reads, compares and serialises as its ISO text (``"2016-04-11"``), as every
    caller written for strings expects; :meth:`typed` gives the ``datetime.date`` (the Python API's rows)."""

    __slots__ = ()

    def typed(self):
        import datetime as dt

        try:
            return dt.date.fromisoformat(self[:10])
        except ValueError:     # a date with a time zone or beyond year 9999 stays text
            return str(self)


class DateTimeText(str):
    """An xsd:dateTime value as its ISO text; :meth:`typed` gives the ``datetime.datetime``."""

    __slots__ = ()

    def typed(self):
        import datetime as dt

        try:
            return dt.datetime.fromisoformat(self)
        except ValueError:
            return str(self)


class StoreMissing(Exception):
    """Raised when a store folder does not exist (build it first)."""
