"""Commands that run stored queries: query, queries."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ..store.embedded import DEFAULT_TIMEOUT
from .common import StoreOption, err, fail, out


def _format_rows(result, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.as_dicts(), ensure_ascii=False, indent=1, default=str)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows)
        return buffer.getvalue()
    raise ValueError(fmt)


def query(
    name: str = typer.Argument(..., help="A stored query's name (see `ofsted-kg queries`) or a .rq file."),
    param: List[str] = typer.Option([], "--param", "-p", help="KEY=VALUE, repeatable."),
    store: Path = StoreOption,
    endpoint: Optional[str] = typer.Option(None, help="Query a SPARQL 1.1 endpoint instead of the embedded store."),
    fmt: str = typer.Option("table", "--format", "-f", help="table|csv|json"),
    limit: Optional[int] = typer.Option(None, min=0, help="At most this many rows (0 or more)."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, help="Seconds a query on the embedded store may run before it is stopped."),
    debug: bool = typer.Option(False, "--debug", help="On an error, show Python's traceback too."),
) -> None:
    """Run a stored query (or a .rq file) and print its rows.

    Exits 2 when the query or its parameters are wrong (the message says where), 1 when a parameter
    names something the store does not hold (a URN, a person, a council: the closest are offered).
    """
    from .. import stored as queries
    from ..store import QueryLimitError, QueryProcessError, StoreMissing, open_store

    if fmt not in ("table", "csv", "json"):
        fail(f"--format must be table, csv or json, not {fmt!r}", 2)
    params = {}
    for item in param:
        if "=" not in item:
            fail(f"--param takes KEY=VALUE (e.g. --param urn=SC066400), not {item!r}", 2)
        key, value = item.split("=", 1)
        params[key.strip()] = value
    try:
        opened = open_store(store, endpoint, timeout=timeout)
        result = queries.run(opened, name, params, limit=limit, check=True)
    except queries.SparqlSyntaxError as exc:
        if debug:
            raise
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        excerpt = exc.excerpt()
        if excerpt:
            err.print(excerpt, highlight=False, markup=False, soft_wrap=True)
        err.print("Correct the query at the caret and run it again (--debug shows the traceback).", highlight=False)
        raise typer.Exit(2)
    except queries.UnknownValue as exc:
        if debug:
            raise
        fail(str(exc), 1)
    except (queries.QueryError, StoreMissing) as exc:
        if debug:
            raise
        fail(str(exc), 2)
    except (QueryLimitError, QueryProcessError) as exc:
        if debug:
            raise
        fail(f"{name}: {exc}", 1)
    if fmt == "table":
        table = Table(title=name)
        for column in result.columns:
            table.add_column(column)
        for row in result.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)
        err.print(f"{len(result.rows)} rows")
    else:
        sys.stdout.write(_format_rows(result, fmt))
    if not result.rows and _REPORT_LAYER.search(queries.load(name).text):
        err.print(_why_empty(opened), highlight=False)


# findings (a report's requirements) and people (responsible individuals, managers, inspectors)
# come only from provider reports, which the statistics do not hold; so do the counts of them in
# the summaries graph
_REPORT_LAYER = re.compile(r"\bok:(?:finding|role)\b|/graph/summaries>")


def _why_empty(store) -> str:
    count = store.query('PREFIX ok: <https://w3id.org/ofsted-kg/ontology#> SELECT (COUNT(DISTINCT ?d) AS ?n) '
                        'WHERE { ?d ok:documentKind "provider_report" }').rows[0][0]
    return (f"No rows. Findings and people come from provider reports, and this store holds {int(count or 0):,}. "
            "Fetch more with `ofsted-kg fetch reports --from-store --type childrens-home` (one provision type) or "
            "`ofsted-kg fetch reports --urn URN ...`, at one request a second, then build again with the reports "
            "folder beside the statistics (README: the demo).")


def list_queries() -> None:
    """List the stored queries: name, title and parameters."""
    from ..stored import stored_queries

    table = Table()
    for column in ("name", "title", "parameters"):
        table.add_column(column)
    for stored in stored_queries().values():
        params = ", ".join(f"{p.name}{'' if p.required else '?'}" for p in stored.parameters)
        table.add_row(stored.name, stored.title, params)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(query)
    app.command("queries")(list_queries)
