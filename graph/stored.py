"""Stored SPARQL queries (queries/*.rq): headers, parameter binding and running.

Each .rq file starts with a comment header::

    # title: Inspection history of a provider
    # question: What inspections has this provider had, and with what grades?
    # param: urn (required): the provider's URN, e.g. SC066400
    # columns: event_number, inspection_date, ...

and may say what the answer counts and what the data cannot answer (``# counts:``, ``# limits:``,
shown in docs/queries.md).

A parameter appears in the query as ``VALUES ?urn { UNDEF }``. Binding replaces ``UNDEF`` with one
RDF term serialised by pyoxigraph (quotes, braces and backslashes escaped), so a value can never
change the query's structure; an optional parameter left out stays UNDEF, which matches anything.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from . import queries as queries_package
from .vocab import XSD

_HEADER = re.compile(r"^#\s*(title|question|param|columns|example|counts|limits)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\(([^)]*)\)\s*:?\s*(.*)$")
_TYPES = {"string": None, "date": XSD.date, "integer": XSD.integer, "iri": "iri"}


class QueryError(Exception):
    """A stored query was asked for wrongly (unknown name, missing or unknown parameter, bad value)."""


@dataclass
class Parameter:
    name: str
    required: bool
    type: str = "string"
    choices: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class StoredQuery:
    """A stored query: its name, header fields and SPARQL text."""

    name: str
    path: Path
    title: str
    question: str
    columns: list[str]
    parameters: list[Parameter]
    text: str
    example: dict[str, str] = field(default_factory=dict)
    counts: str = ""    # what a row's figures count
    limits: str = ""    # what the data cannot answer

    def bind(self, **values: object) -> str:
        """The SPARQL text with parameters bound; unknown or missing parameters raise QueryError."""
        known = {p.name: p for p in self.parameters}
        unknown = set(values) - set(known)
        if unknown:
            raise QueryError(f"{self.name} takes no parameter {', '.join(sorted(unknown))}"
                             f" (it takes: {', '.join(known) or 'none'})")
        text = self.text
        for parameter in self.parameters:
            value = values.get(parameter.name)
            if value is None or value == "":
                if parameter.required:
                    raise QueryError(f"{self.name} needs --param {parameter.name}=VALUE ({parameter.description})")
                continue
            if parameter.choices and str(value) not in parameter.choices:
                raise QueryError(f"{parameter.name} must be one of {', '.join(parameter.choices)}, not {value!r}")
            term = rdf_term(str(value), parameter.type)
            pattern = re.compile(r"VALUES\s+\?" + parameter.name + r"\s*\{\s*UNDEF\s*\}")
            text, count = pattern.subn(lambda _: f"VALUES ?{parameter.name} {{ {term} }}", text)
            if count == 0:
                raise QueryError(f"{self.path}: parameter {parameter.name} has no 'VALUES ?{parameter.name} {{ UNDEF }}'")
        return text


def rdf_term(value: str, kind: str = "string") -> str:
    """One RDF term in SPARQL syntax, escaped by pyoxigraph's serialiser."""
    if kind == "iri":
        return str(ox.NamedNode(value))
    if kind == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise QueryError(f"expected a date YYYY-MM-DD, not {value!r}")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        raise QueryError(f"expected an integer, not {value!r}")
    datatype = _TYPES.get(kind)
    return str(ox.Literal(value, datatype=datatype) if datatype else ox.Literal(value))


def parse_header(path: Path, text: str) -> StoredQuery:
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    example: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            parameters.append(_parse_param(path, value))
        elif key == "example":
            # key=value pairs; a value may hold spaces ("name=Grace Wyatt"): it runs to the next key=
            example.update(re.findall(r"(\w+)=(.*?)\s*(?=\s\w+=|$)", value))
        else:
            fields[key] = value
    missing = [k for k in ("title", "question", "columns") if not fields.get(k)]
    if missing:
        raise QueryError(f"{path}: header lacks {', '.join(missing)}")
    return StoredQuery(name=path.stem, path=path, title=fields["title"], question=fields["question"],
                       columns=[c.strip() for c in fields["columns"].split(",")], parameters=parameters,
                       text=text, example=example, counts=fields.get("counts", ""), limits=fields.get("limits", ""))


def _parse_param(path: Path, value: str) -> Parameter:
    match = _PARAM.match(value)
    if not match:
        raise QueryError(f"{path}: cannot read parameter line {value!r}")
    name, options, description = match.groups()
    words = [w.strip() for w in options.split(",") if w.strip()]
    parameter = Parameter(name=name, required="required" in words, description=description.strip())
    for word in words:
        if word in _TYPES:
            parameter.type = word
        elif "|" in word:
            parameter.choices = word.split("|")
    return parameter


def query_dir() -> Path:
    return Path(str(resources.files(queries_package)))


def stored_queries() -> dict[str, StoredQuery]:
    """Every stored query by name."""
    found = {}
    for path in sorted(query_dir().glob("*.rq")):
        found[path.stem] = parse_header(path, path.read_text(encoding="utf-8"))
    return found


def load(name_or_path: str) -> StoredQuery:
    """A stored query by name, or any .rq file by path (which then needs a header too)."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        text = path.read_text(encoding="utf-8")
        try:
            return parse_header(path, text)
        except QueryError:
            return StoredQuery(path.stem, path, path.stem, "", [], [], text)
    queries = stored_queries()
    if name_or_path not in queries:
        raise QueryError(f"no stored query {name_or_path!r}; `ofsted-kg queries` lists them")
    return queries[name_or_path]


def apply_limit(sparql: str, limit: int | None) -> str:
    """Add LIMIT to a query that has none at its end."""
    if limit is None or re.search(r"\bLIMIT\s+\d+\s*$", sparql.strip(), re.I):
        return sparql
    return sparql.rstrip() + f"\nLIMIT {int(limit)}\n"


def run(store, name_or_path: str, limit: int | None = None, **params):
    """Run a stored query on an embedded or remote store; returns ofsted_kg.store.Result."""
    query = load(name_or_path)
    result = store.query(apply_limit(query.bind(**params), limit))
    if limit is not None:
        result.rows = result.rows[:limit]
    return result
