"""Stored SPARQL queries (queries/*.rq): headers, parameter binding and running.

Each .rq file starts with a comment header::

    # title: Inspection history of a provider
    # question: What inspections has this provider had, and with what grades?
    # param: urn (required): the provider's URN, e.g. SC066400
    # columns: event_number, inspection_date, ...
    # counts: what one row stands for and what is counted (optional; indented lines
    #   below go on with it)
    # limits: what the data cannot answer (optional, likewise)

and may say what the answer counts and what the data cannot answer (``# counts:``, ``# limits:``,
shown in docs/queries.md).

A parameter appears in the query as ``VALUES ?urn { UNDEF }``. Binding replaces ``UNDEF`` with one
RDF term serialised by pyoxigraph (quotes, braces and backslashes escaped), so a value can never
change the query's structure; an optional parameter left out stays UNDEF, which matches anything.
A parameter of type ``person`` (a name) is bound as the IRI the build mints for that name.
Every parameter is bound in one pass over the stored text, so the text of one value (which may read
``VALUES ?sector { UNDEF }``) is never searched for another parameter's place.

When a query answers no rows, :func:`unknown_values` tells a value the store has never heard of
(a mistyped URN or name) from one that simply matches nothing, and offers the closest it knows.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

from . import queries as queries_package
from . import vocab
from .vocab import XSD

_HEADER = re.compile(r"^#\s*(title|question|param|columns|example|counts|limits)\s*:\s*(.*)$")
_PROSE_FIELDS = ("counts", "limits")  # repeated lines join into one paragraph
_PARAM = re.compile(r"^(\w+)\s*\(([^)]*)\)\s*:?\s*(.*)$")
_TYPES = {"string": None, "date": XSD.date, "integer": XSD.integer, "iri": "iri", "person": "person"}


class QueryError(Exception):
    """A stored query was asked for wrongly (unknown name, missing or unknown parameter, bad value)."""


class UnknownValue(QueryError):
    """A parameter's value names nothing in the store (``suggestions``: the closest values it holds)."""

    def __init__(self, parameter: str, value: str, suggestions: list[str]) -> None:
        self.parameter, self.value, self.suggestions = parameter, value, suggestions
        hint = (f"did you mean {', '.join(suggestions)}?" if suggestions
                else "nothing in the store is close; check the spelling")
        super().__init__(f"no {_NOUNS.get(parameter, parameter)} {value!r} in the store: {hint} "
                         f"({_LISTING.get(parameter, 'ofsted-kg queries')} shows what there is)")


class SparqlSyntaxError(QueryError):
    """SPARQL that does not parse: where (1-based line and column, in characters) and why."""

    def __init__(self, message: str, text: str, line: int | None, column: int | None, source: str = "the query") -> None:
        self.reason, self.text, self.line, self.column, self.source = message, text, line, column, source
        where = f" at line {line}, column {column}" if line else ""
        super().__init__(f"{source} is not valid SPARQL{where}: {message}")

    def excerpt(self, width: int = 100) -> str:
        """The offending line of the query with a caret under the column (cut to ``width`` around it)."""
        lines = self.text.splitlines()
        if not self.line or self.line > len(lines):
            return ""
        line = lines[self.line - 1].expandtabs(1)
        caret = min(max(self.column or 1, 1), len(line) + 1) - 1
        start = max(0, min(caret - width // 2, len(line) - width))
        shown = line[start:start + width]
        return f"{shown}\n{' ' * (caret - start)}^"


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
    counts: str = ""
    limits: str = ""

    def bind(self, values: Mapping[str, object] | None = None, /, **more: object) -> str:
        """The SPARQL text with parameters bound; unknown or missing parameters raise QueryError.

        Values come as a mapping, as keywords, or both (the keywords win).
        """
        values = {**(values or {}), **more}
        known = {p.name: p for p in self.parameters}
        unknown = set(values) - set(known)
        if unknown:
            raise QueryError(f"{self.name} takes no parameter {', '.join(sorted(unknown))}"
                             f" (it takes: {', '.join(known) or 'none'})")
        terms: dict[str, str] = {}
        for parameter in self.parameters:
            value = normalise(parameter.name, values.get(parameter.name))
            if value is None or value == "":
                if parameter.required:
                    raise QueryError(f"{self.name} needs --param {parameter.name}=VALUE ({parameter.description})")
                continue
            if parameter.choices and value not in parameter.choices:
                raise QueryError(f"{parameter.name} must be one of {', '.join(parameter.choices)}, not {value!r}")
            terms[parameter.name] = rdf_term(value, parameter.type, parameter.name)
        seen: set[str] = set()

        def place(match: re.Match) -> str:
            name = match.group(1)
            if name not in terms:
                return match.group(0)
            seen.add(name)
            return f"VALUES ?{name} {{ {terms[name]} }}"

        # one pass over the stored text: a bound value is never read again for another parameter's place
        text = _PLACE.sub(place, self.text)
        for name in terms.keys() - seen:
            raise QueryError(f"{self.path}: parameter {name} has no 'VALUES ?{name} {{ UNDEF }}'")
        return text


_PLACE = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}")


def normalise(name: str, value: object) -> str | None:
    """A parameter value as text: dates and numbers written as SPARQL writes them.

    Bytes must be UTF-8; text that cannot be written as UTF-8 (an undecodable command-line argument
    arrives as lone surrogates) is refused here rather than by the store.
    """
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError(f"{name}: the value is not valid UTF-8 (byte {exc.start}); give it as UTF-8 text") from None
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise QueryError(f"{name}: give a text, number or date, not {type(value).__name__}")
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryError(f"{name}: the value is not valid UTF-8 (character {exc.start + 1} cannot be read); "
                         "give it as UTF-8 text") from None
    return text


def tidy(name: str, value: object) -> object:
    """A value as a person types it, made the form the store holds: spaces around it dropped, and a
    URN in capitals (Ofsted prints every URN so: SC066400, EY123456), so ``sc066400`` finds the provider."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    return value.upper() if name == "urn" else value


def rdf_term(value: str, kind: str = "string", name: str = "value") -> str:
    """One RDF term in SPARQL syntax, escaped by pyoxigraph's serialiser; a value the kind cannot hold raises QueryError.

    A ``person`` is a name as printed, bound as the node the build mints for it (vocab.person: one
    node per name whatever its case), so a query finds the person without comparing every name.
    """
    if kind == "person":
        return str(vocab.person(value))
    if kind == "iri":
        try:
            return str(ox.NamedNode(value))
        except ValueError as exc:
            raise QueryError(f"{name} must be an IRI without spaces or <>\"{{}}|^`\\ ({exc}), not {value!r}") from None
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        raise QueryError(f"{name} must be a whole number, not {value!r}")
    datatype = _TYPES.get(kind)
    return str(ox.Literal(value, datatype=datatype) if datatype else ox.Literal(value))


def parse_header(path: Path, text: str) -> StoredQuery:
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    example: dict[str, str] = {}
    last = None  # the header key of the line before
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            # an indented comment line goes on with the prose field above it
            if last in _PROSE_FIELDS and re.match(r"#\s{2,}\S", line):
                fields[last] += " " + line[1:].strip()
            else:
                last = None
            continue
        key, value = match.group(1), match.group(2).strip()
        last = key
        if key == "param":
            parameters.append(_parse_param(path, value))
        elif key == "example":
            # key=value pairs; a value may hold spaces ("name=Grace Wyatt"): it runs to the next key=
            example.update(re.findall(r"(\w+)=(.*?)\s*(?=\s\w+=|$)", value))
        elif key in _PROSE_FIELDS and fields.get(key):
            fields[key] += " " + value
        else:
            fields[key] = value
    missing = [k for k in ("title", "question", "columns") if not fields.get(k)]
    if missing:
        raise QueryError(f"{path}: header lacks {', '.join(missing)}")
    return StoredQuery(name=path.stem, path=path, title=fields["title"], question=fields["question"],
                       columns=[c.strip() for c in fields["columns"].split(",")], parameters=parameters,
                       text=text, example=example, counts=fields.get("counts", ""),
                       limits=fields.get("limits", ""))


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
    if path.suffix == ".rq":
        raise QueryError(f"no file {path}; give a stored query's name or the path of a .rq file")
    queries = stored_queries()
    if name_or_path not in queries:
        close = closest(name_or_path.lower(), list(queries), n=3)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise QueryError(f"no stored query {name_or_path!r}; {hint}`ofsted-kg queries` lists them all")
    return queries[name_or_path]


def apply_limit(sparql: str, limit: int | None) -> str:
    """Add LIMIT to a query that has none at its end; a negative limit raises QueryError."""
    if limit is None:
        return sparql
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise QueryError(f"limit must be a whole number of rows, 0 or more, not {limit!r}")
    if re.search(r"\bLIMIT\s+\d+\s*$", sparql.strip(), re.I):
        return sparql
    return sparql.rstrip() + f"\nLIMIT {limit}\n"


def execute(store, sparql: str, source: str = "the query"):
    """``store.query(sparql)``, a syntax error raised as :class:`SparqlSyntaxError` with its line and column."""
    try:
        return store.query(sparql)
    except SyntaxError as exc:           # the embedded store (pyoxigraph)
        raise syntax_error(str(exc), sparql, source) from exc
    except Exception as exc:             # a remote endpoint: SPARQLWrapper's QueryBadFormed carries the server's reason
        if type(exc).__name__ == "QueryBadFormed":
            # RemoteStore sends the text without its leading comment block, so the server counts lines after it
            skipped = _leading_comment_lines(sparql)
            error = syntax_error(str(exc), "\n".join(sparql.splitlines()[skipped:]), source)
            if error.line:
                error = SparqlSyntaxError(error.reason, sparql, error.line + skipped, error.column, source)
            raise error from exc
        raise


def _leading_comment_lines(sparql: str) -> int:
    """How many lines open the text before its first line of SPARQL (blank or comment lines)."""
    lines = sparql.splitlines()
    count = 0
    while count < len(lines) and (not lines[count].strip() or lines[count].lstrip().startswith("#")):
        count += 1
    return count


_POSITION = re.compile(r"(?:error )?at (\d+):(\d+):?\s*")


def syntax_error(message: str, sparql: str, source: str = "the query") -> SparqlSyntaxError:
    """A parser's message read into a :class:`SparqlSyntaxError`.

    Oxigraph writes ``error at LINE:COLUMN: expected one of ...`` with the column counted in bytes
    of UTF-8; it is turned into characters so the caret sits under the right one.
    """
    found = _POSITION.search(message)
    lines = sparql.splitlines()
    line = column = None
    reason = message
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        reason = message[found.end():]
        if 0 < line <= len(lines):
            column = len(lines[line - 1].encode("utf-8")[:column - 1].decode("utf-8", errors="ignore")) + 1
    reason = " ".join(reason.split())
    if "Prefix not found" in reason:
        # Oxigraph points just past the prefixed name; the caret goes under its first character
        if line and column and 0 < line <= len(lines):
            text = lines[line - 1]
            start = column - 1
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-.:"):
                start -= 1
            name = text[start:column - 1]
            column = start + 1
            reason = f"the prefix {name.split(':', 1)[0]}: is not declared (add a PREFIX line for it)"
        else:
            reason = "a prefix is used that no PREFIX line declares"
    elif len(reason) > 160:
        reason = reason[:157].rstrip(", ") + "..."
    return SparqlSyntaxError(reason, sparql, line, column, source)


def run(store, name_or_path: str, params: Mapping[str, object] | None = None, /, *, limit: int | None = None,
        check: bool = False, **more: object):
    """Run a stored query on an embedded or remote store; returns ofsted_kg.store.Result.

    Parameters come as the mapping ``params``, as keywords, or both. With ``check``, an answer of
    no rows is looked into: a value the store does not hold raises :class:`UnknownValue`.
    """
    query = load(name_or_path)
    values = {name: tidy(name, value) for name, value in {**(params or {}), **more}.items()}
    source = str(query.path) if query.path.parent != query_dir() else f"stored query {query.name}"
    result = execute(store, apply_limit(query.bind(values), limit), source)
    if limit is not None:
        result.rows = result.rows[:limit]
    if check and not result.rows:
        for parameter, value, suggestions in unknown_values(store, query, values):
            raise UnknownValue(parameter, value, suggestions)
    return result


# ------------------------------------------------------------------ values the store holds

# parameter name -> the values it may take in the store (one column ``v``) and how they compare;
# the same name means the same thing in every stored query
_KNOWN = {
    "urn": ("SELECT DISTINCT ?v WHERE { ?p a ok:Provider ; ok:urn ?v }", str.upper),
    "name": ("SELECT DISTINCT ?v WHERE { ?p a schema:Person ; schema:name ?v }", str.casefold),
    "la": ("SELECT DISTINCT ?v WHERE { ?a a ok:LocalAuthority . { ?a skos:prefLabel ?v } UNION { ?a ok:onsCode ?v } }",
           str.casefold),
    "provision_type": ("SELECT DISTINCT ?v WHERE { ?c a ok:ProvisionType ; skos:notation ?v }", str),
    "sector": ("SELECT DISTINCT ?v WHERE { ?c a ok:Sector ; skos:notation ?v }", str),
    "instrument": ("SELECT DISTINCT ?v WHERE { ?p ok:instrumentCode ?v }", str),
}
_NOUNS = {"urn": "provider with URN", "name": "person named", "la": "local authority",
          "provision_type": "provision type", "sector": "sector", "instrument": "instrument"}
# where a user finds the values the store holds
_LISTING = {"urn": "`ofsted-kg export --view panel --format csv`", "la": "`ofsted-kg query la-judgements`",
            "name": "`ofsted-kg query people-by-provider --param urn=URN`",
            "provision_type": "`ofsted-kg query providers-by-type`", "sector": "`ofsted-kg query new-registrations`",
            "instrument": "`ofsted-kg query recurring-requirements`"}
_PREFIXES = ("PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>\nPREFIX schema: <https://schema.org/>\n"
             "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")


def known_values(store, parameter: str) -> list[str]:
    """The values a parameter of this name may take in ``store`` (empty for parameters not listed in _KNOWN)."""
    if parameter not in _KNOWN:
        return []
    return sorted({str(v) for (v,) in store.query(_PREFIXES + _KNOWN[parameter][0]).rows if v is not None})


def unknown_values(store, query: StoredQuery, values: Mapping[str, object]) -> list[tuple[str, str, list[str]]]:
    """(parameter, value, closest known values) for each value given to ``query`` that ``store`` does not hold."""
    found = []
    for parameter in query.parameters:
        value = normalise(parameter.name, values.get(parameter.name))
        if not value or parameter.name not in _KNOWN:
            continue
        key = _KNOWN[parameter.name][1]
        known = known_values(store, parameter.name)
        if key(value) in {key(v) for v in known}:
            continue
        found.append((parameter.name, value, closest(value, known, key)))
    return found


def closest(value: str, candidates: list[str], key=str, n: int = 5) -> list[str]:
    """Up to ``n`` candidates nearest ``value`` (rapidfuzz's similarity of the compared forms, 60 or
    more of 100), nearest first; ties in the order given."""
    from rapidfuzz import fuzz, process

    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(key(candidate), candidate)
    found = process.extract(key(value), list(by_key), scorer=fuzz.ratio, limit=n, score_cutoff=60)
    return [by_key[match] for match, _, _ in found]
