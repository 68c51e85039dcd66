"""Commands that read sources and make the store: extract, build, stats, validate."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from .common import StoreOption, err, fail, out


def extract(
    paths: List[Path] = typer.Argument(..., help="Documents (PDF, .txt, .html) or folders of them."),
    kind: str = typer.Option("auto", help="auto|provider-report|la-report|news"),
) -> None:
    """Print one JSON extraction record per document (JSON Lines), in input order."""
    from ..ingest.extract import KINDS
    from ..ingest.extract import extract as extract_record
    from ..ingest.text import iter_document_paths

    if kind != "auto" and kind not in KINDS:
        fail(f"--kind must be auto or one of {', '.join(KINDS)}", 2)
    failed = 0

    def unread(path: Path, reason: str) -> None:
        nonlocal failed
        failed += 1
        err.print(f"[yellow]warning:[/yellow] {path}: {reason}", highlight=False)

    for path in iter_document_paths(paths, unread):
        record = extract_record(path, kind)
        if record["errors"]:
            failed += 1
            for message in record["errors"]:
                err.print(f"[yellow]warning:[/yellow] {message}", highlight=False)
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    raise typer.Exit(1 if failed else 0)


def build(
    sources: Optional[List[Path]] = typer.Argument(None, help="Files or folders; default ../shared/data and ../shared/seeds."),
    store: Path = StoreOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Ignore the store's registry and rebuild every file's graph."),
    owner_aliases: Optional[Path] = typer.Option(
        None, "--owner-aliases", help="CSV of owner spellings: spelling, canonical name, reason. A spelling given "
        "another name joins that owner; given itself, it is never merged. Overrides the automatic merges."),
) -> None:
    """Build the graph from the sources into a new store, replacing the old one only when complete.

    Owner spellings are resolved to one organisation each (docs/owners.md); the merges and their
    evidence are kept in the store (`ofsted-kg owners --merges OUT.csv` writes them out).

    Over an existing store only new, changed and deleted files are redone ("up to date" when none).
    Exits 1 when a file could not be read or a document had errors (files left out by design,
    such as the ODS workbook, do not count), 3 when another build of the store is running, 130
    (Ctrl-C) or 143 (SIGTERM) when interrupted, the store then unchanged.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ..build import BuildInterrupted
    from ..build import build as run_build
    from ..paths import default_sources
    from ..store import BuildLocked

    chosen = list(sources or default_sources())
    if not chosen:
        fail("no sources given and ../shared/data is not beside this checkout", 2)
    progress = Progress(TextColumn("{task.description:<60}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err, disable=quiet, transient=True)
    tasks: dict[str, int] = {}

    def note(label: str, done: int, total: int) -> None:
        stage = label.split(" ", 1)[0]
        if stage not in tasks:
            tasks[stage] = progress.add_task(label, total=total)
        progress.update(tasks[stage], completed=done, description=label[:60])

    try:
        with progress:
            summary = run_build(chosen, store, progress=note, rebuild=rebuild, owner_aliases=owner_aliases)
    except BuildLocked as exc:
        fail(str(exc), 3)
    except BuildInterrupted as exc:
        err.print(str(exc), highlight=False)
        raise typer.Exit(128 + exc.signal) from None
    if summary.mode == "up to date":
        err.print(f"{summary.store} is up to date: {summary.files} files unchanged since the last build "
                  f"({summary.seconds:.1f} s)", highlight=False)
    title = {"incremental": f"Built {summary.store} (incremental: {len(summary.added)} added, "
                            f"{len(summary.changed)} changed, {len(summary.removed)} removed)",
             "up to date": f"{summary.store} (up to date: nothing written)"}.get(summary.mode, f"Built {summary.store}")
    table = Table(title=title, show_header=False)
    table.add_row("files", str(summary.files))
    table.add_row("documents read", ", ".join(f"{k} {v}" for k, v in sorted(summary.documents.items())))
    table.add_row("statistics rows", f"{summary.rows:,}")
    table.add_row("records", f"{summary.records:,}")
    table.add_row("triples written", f"{summary.triples:,}")
    table.add_row("rows rejected", f"{len(summary.rejects):,}")
    table.add_row("files skipped", str(len(summary.skipped)))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    err.print(table)
    if summary.mode != "up to date":
        _print_entity_counts(store)
    if summary.rejects:
        reasons: dict[str, int] = {}
        for path, reason in summary.rejects:
            key = f"{Path(path).name}: {reason.split(': ', 1)[-1][:90]}"
            reasons[key] = reasons.get(key, 0) + 1
        err.print("[yellow]Rejected rows[/yellow] (file: reason x count):")
        for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])[:15]:
            err.print(f"  {reason} x{count}", highlight=False, soft_wrap=True)
        if len(reasons) > 15:
            err.print(f"  ... and {len(reasons) - 15} more kinds")
    if summary.skipped:
        err.print("[yellow]Skipped files[/yellow]:")
        failed = {path for path, _ in summary.failed}
        for path, reason in summary.skipped:
            mark = "FAILED " if path in failed else ""
            err.print(f"  {mark}{path}: {reason}", highlight=False, soft_wrap=True)
    if summary.document_errors:
        err.print("[yellow]Documents read with errors[/yellow]:")
        for path, message in summary.document_errors:
            err.print(f"  {path}: {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(0 if summary.ok else 1)


def _print_entity_counts(store_path: Path) -> None:
    from ..store import EmbeddedStore

    rows = class_counts(EmbeddedStore(store_path))
    err.print("entities: " + ", ".join(f"{label} {count:,}" for label, count in rows))


def class_counts(store) -> list[tuple[str, int]]:
    """Instances per ontology class (ok: classes, organisations and people)."""
    result = store.query("""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?s a ?class .
          FILTER(STRSTARTS(STR(?class), "https://w3id.org/ofsted-kg/ontology#")
                 || ?class IN (<http://www.w3.org/ns/org#Organization>, <https://schema.org/Person>))
          FILTER NOT EXISTS { ?s a <http://www.w3.org/2002/07/owl#Class> }
        } GROUP BY ?class ORDER BY DESC(?n)""")
    return [(c.rsplit("#", 1)[-1].rsplit("/", 1)[-1], n) for c, n in result.rows]


def stats(store: Path = StoreOption) -> None:
    """Count the entities of each class in the store."""
    from ..store import EmbeddedStore, StoreMissing

    try:
        opened = EmbeddedStore(store)
    except StoreMissing as exc:
        fail(str(exc), 2)
    table = Table(title=f"{store}: {len(opened):,} quads in {len(opened.named_graphs())} named graphs")
    table.add_column("class")
    table.add_column("instances", justify="right")
    for label, count in class_counts(opened):
        table.add_row(label, f"{count:,}")
    out.print(table)


def validate(
    store: Path = StoreOption,
    limit: int = typer.Option(20, help="Show at most this many violations."),
) -> None:
    """Check the built graph against ontology/shapes.ttl with pyshacl; exit 1 on any violation."""
    from ..store import StoreMissing
    from ..validate import validate_store

    try:
        report = validate_store(store)
    except StoreMissing as exc:
        fail(str(exc), 2)
    for line in report.messages[:limit]:
        err.print(line, highlight=False)
    out.print(f"{report.focus_nodes:,} focus nodes checked against {report.shapes} shapes: "
              f"{report.violations} violation(s) in {report.seconds:.1f} s")
    raise typer.Exit(0 if report.violations == 0 else 1)


def owners(
    store: Path = StoreOption,
    merges: Optional[Path] = typer.Option(None, "--merges", help="Write every owner merge and its evidence to this CSV."),
) -> None:
    """Say how the build resolved owner spellings: how many spellings joined how many organisations,
    by which rule; with --merges, each spelling, the organisation it joined, the rule and the evidence."""
    import csv
    import shutil
    from collections import Counter

    from ..build import OWNER_MERGES
    from ..registry import FOLDER
    from ..store import current_version

    version = current_version(store)
    source = version / FOLDER / OWNER_MERGES if version else None
    if source is None or not source.is_file():
        fail(f"{store} has no owner merges: build it with `ofsted-kg build --store {store}`", 2)
    with open(source, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rules = Counter(row["rule"] for row in rows)
    out.print(f"{len(rows):,} spellings in {len({r['organisation_key'] for r in rows}):,} organisations with "
              "more than one spelling or an alias", highlight=False)
    for rule, count in rules.most_common():
        out.print(f"  {count:>6,}  {rule}", highlight=False)
    if merges:
        shutil.copyfile(source, merges)
        out.print(f"wrote {merges}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command()(extract)
    app.command()(build)
    app.command()(owners)
    app.command()(stats)
    app.command()(validate)
