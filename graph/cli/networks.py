"""Commands for exports, pictures and network analysis: export, viz, analyse."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import List, Optional

import typer

from .common import StoreOption, err, fail, out


def _open(store: Path):
    from ..store import EmbeddedStore, StoreMissing

    try:
        return EmbeddedStore(store)
    except StoreMissing as exc:
        fail(str(exc), 2)


def _check_since(since: Optional[str]) -> Optional[str]:
    if since is None:
        return None
    try:
        return dt.date.fromisoformat(since).isoformat()
    except ValueError:
        fail(f"--since takes a date as YYYY-MM-DD, not {since!r}", 2)


def export(
    out_path: Path = typer.Option(..., "--out", "-o", help="File to write; for csv, NAME.csv gives NAME_nodes.csv and NAME_edges.csv, a folder gives nodes.csv and edges.csv."),
    fmt: str = typer.Option("graphml", "--format", "-f", help="graphml|gexf|cytoscape|csv (networks), turtle|trig|nquads|jsonld (the RDF itself), csv|parquet (the panel)."),
    view: str = typer.Option("owners", help="full|owners|people|findings|councils (networks), or panel: one row per provider per statistics release (docs/panel.md)."),
    urn: Optional[str] = typer.Option(None, help="Keep only the neighbourhood of this provider."),
    hops: int = typer.Option(1, help="With --urn: how many links away from the provider to go."),
    since: Optional[str] = typer.Option(None, help="Keep inspections, posts and snapshots on or after this date (YYYY-MM-DD)."),
    store: Path = StoreOption,
) -> None:
    """Export the graph for Gephi, Cytoscape, yEd or any RDF tool."""
    from ..networks import export as exporting
    from ..networks import views

    if view == "panel":
        _export_panel(fmt, out_path, urn, since, store)
        return
    if fmt not in exporting.FORMATS:
        fail(f"--format must be one of {', '.join(exporting.FORMATS)}", 2)
    if view not in views.VIEWS:
        fail(f"--view must be one of {', '.join(views.VIEWS)} or panel, not {view!r}", 2)
    since = _check_since(since)
    opened = _open(store)
    started = time.perf_counter()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in exporting.RDF_FORMATS:
        if urn or since:
            fail("--urn and --since apply to network formats; RDF formats dump the whole store", 2)
        exporting.write_rdf(opened, fmt, out_path)
        err.print(f"wrote {out_path} ({fmt}) in {time.perf_counter() - started:.1f} s")
        return
    if urn:
        from ..stored import UnknownValue, run

        try:
            run(opened, "provider-profile", {"urn": urn}, check=True)
        except UnknownValue as exc:
            fail(str(exc), 1)
        urn = urn.strip().upper()
    try:
        graph = views.build_view(opened, view, urn=urn, hops=hops, since=since)
    except KeyError as exc:
        fail(str(exc.args[0]), 1)
    if graph.number_of_nodes() == 0:
        err.print(f"[yellow]note:[/yellow] the {view} view is empty in this store (people and findings come from "
                  "parsed reports)", highlight=False)
    written = exporting.write_network(graph, fmt, out_path)
    where = ", ".join(str(p) for p in written) if isinstance(written, tuple) else str(out_path)
    err.print(f"{view} view: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges -> {where} "
              f"({fmt}, {time.perf_counter() - started:.1f} s)")
    if graph.graph.get("truncated"):
        err.print(f"[yellow]note:[/yellow] links capped at busy nodes: {graph.graph['truncated']}", highlight=False)


def _export_panel(fmt: str, out_path: Path, urn: Optional[str], since: Optional[str], store: Path) -> None:
    from ..networks import panel

    if fmt not in panel.FORMATS:
        fail(f"the panel is written as csv or parquet (--format csv|parquet), not {fmt!r}", 2)
    if urn or since:
        fail("--urn and --since apply to networks; the panel holds every provider in every release "
             "(filter the file by urn or release_date)", 2)
    opened = _open(store)
    started = time.perf_counter()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        package, rows = panel.write_panel(opened, fmt, out_path)
    except ValueError as exc:
        fail(str(exc), 2)
    err.print(f"panel: {rows:,} rows (one per provider per release) -> {out_path}, dictionary in {package} "
              f"({time.perf_counter() - started:.1f} s)", highlight=False)


def viz(
    out_path: Path = typer.Option(..., "--out", "-o", help="FILE.html (interactive) or FILE.png."),
    urn: Optional[str] = typer.Option(None, help="Draw this provider's profile: grades and owners over time, findings by regulation, people."),
    chart: Optional[str] = typer.Option(None, help="grades-by-sector|grades-over-time|owner-concentration (PNG)."),
    provision_type: List[str] = typer.Option([], "--provision-type", help="Charts: count only these provision types (e.g. childrens-home); repeatable."),
    current_only: bool = typer.Option(False, "--current-only", help="Charts: count only providers registered at the latest statistics release."),
    since: Optional[str] = typer.Option(None, help="Keep inspections, posts and snapshots on or after this date (YYYY-MM-DD)."),
    store: Path = StoreOption,
) -> None:
    """Draw a provider's profile (HTML or PNG) or a chart of a headline analysis (PNG)."""
    from ..networks import viz as pictures
    from ..stored import UnknownValue

    if bool(urn) == bool(chart):
        fail("give either --urn URN (a provider's profile) or --chart NAME (one of "
             f"{', '.join(pictures.CHARTS)})", 2)
    if urn and (provision_type or current_only):
        fail("--provision-type and --current-only choose what a chart counts; a profile is one provider's", 2)
    since = _check_since(since)
    opened = _open(store)
    started = time.perf_counter()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if chart:
            if out_path.suffix.lower() != ".png":
                fail("charts are written as PNG: --out must end in .png", 2)
            pictures.chart(opened, chart, out_path, since, tuple(provision_type), current_only)
            err.print(f"wrote {out_path} ({chart}, {time.perf_counter() - started:.1f} s)")
            return
        graph = pictures.provider_picture(opened, urn, out_path, since)
    except UnknownValue as exc:
        fail(str(exc), 1)
    except (KeyError, ValueError) as exc:
        fail(str(exc.args[0]), 1)
    err.print(f"wrote {out_path}: the profile of {urn.strip().upper()}, {graph.number_of_nodes()} nodes "
              f"({time.perf_counter() - started:.1f} s)")


def analyse(
    csv_dir: Optional[Path] = typer.Option(None, "--csv", help="Also write each table as a CSV file in this folder."),
    since: Optional[str] = typer.Option(None, help="Keep inspections, posts and snapshots on or after this date (YYYY-MM-DD)."),
    top: int = typer.Option(15, help="Rows per ranking."),
    provision_type: List[str] = typer.Option([], "--provision-type", help="Concentration within these provision types only (e.g. childrens-home); repeatable."),
    store: Path = StoreOption,
) -> None:
    """Owner concentration per snapshot, centrality of organisations and people, communities of shared failings."""
    import csv

    from rich.table import Table

    from ..networks.analyse import analyse as run_analysis

    since = _check_since(since)
    tables = run_analysis(_open(store), since=since, top=top, provision_types=tuple(provision_type))
    for name, rows in tables.items():
        table = Table(title=name.replace("_", " "))
        columns = [c for c in (rows[0].keys() if rows else ["(no rows)"]) if c != "node"]
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        out.print(table)
        if csv_dir is not None:
            csv_dir.mkdir(parents=True, exist_ok=True)
            with open(csv_dir / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()) if rows else ["(no rows)"], lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
    if csv_dir is not None:
        err.print(f"wrote {len(tables)} CSV files to {csv_dir}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value <= 1:
        return f"{value:.4f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(export)
    app.command()(viz)
    app.command()(analyse)
