"""Commands that download the sources from GOV.UK and Ofsted: fetch stats, fetch reports."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from .common import StoreOption, err, fail, out

fetch_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="Download the public sources (statistics from GOV.UK, reports from Ofsted) politely and resumably.")

OutOption = typer.Option(..., "--out", help="Folder to download into (made if missing); build it with `ofsted-kg build DIR`.")
RateOption = typer.Option(1.0, "--rate", help="Most requests per second.")
RetriesOption = typer.Option(4, "--retries", help="Retries of a request answered 429 or 5xx, with exponential backoff.")
RefreshOption = typer.Option(False, "--refresh", help="Read the listing pages again (files already downloaded are still not).")
QuietOption = typer.Option(False, "--quiet", "-q", help="No progress bar.")


def _client(rate: float, retries: int):
    from ..ingest.fetch import Client

    if rate <= 0:
        fail("--rate must be positive", 2)
    return Client(rate=rate, retries=retries)


def _run(job, quiet: bool):
    """Run ``job(progress)`` under a progress bar; print the summary; exit 1 when anything failed."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description:<40}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err, disable=quiet, transient=True)
    task = progress.add_task("starting", total=None)

    def note(label: str, done: int, total: int) -> None:
        progress.update(task, description=label[:40], completed=done, total=total)

    with progress:
        summary = job(note)
    table = Table(title="Fetch summary", show_header=False)
    table.add_row("files downloaded", str(len(summary.downloaded)))
    table.add_row("files already there", str(len(summary.cached)))
    table.add_row("pages read", str(summary.pages))
    table.add_row("moved (redirects followed)", str(len(summary.redirected)))
    table.add_row("failed", str(len(summary.failed)))
    table.add_row("requests", str(summary.requests))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    err.print(table)
    for url, final in summary.redirected:
        err.print(f"  moved: {url} -> {final}", highlight=False, soft_wrap=True)
    if summary.failed:
        err.print("[yellow]Failed[/yellow] (recorded in the manifest; the next run tries them again):")
        for url, reason in summary.failed:
            err.print(f"  {url}: {reason}", highlight=False, soft_wrap=True)
    raise typer.Exit(0 if summary.ok else 1)


@fetch_app.command("stats")
def fetch_stats(
    out_dir: Path = OutOption,
    year: List[str] = typer.Option([], "--year", help="A release year (repeatable); default every release in the collection."),
    rate: float = RateOption,
    retries: int = RetriesOption,
    refresh: bool = RefreshOption,
    govuk_base: Optional[str] = typer.Option(None, "--govuk-base", envvar="OFSTED_KG_GOVUK_BASE", help="Base URL of GOV.UK."),
    quiet: bool = QuietOption,
) -> None:
    """Download the provider-level files of "Children's social care data in England" from GOV.UK.

    Files go to OUT/ofsted_stats/{year}/ named as the build expects (providers_places_at_31mar2025.csv,
    inspections_2023-24_all.csv, ...); fetch-manifest.jsonl records each file's URL and sha256.
    """
    from ..ingest.fetch import Fetcher
    from ..ingest.ofsted_sites import Sites
    from ..ingest.ofsted_sites import fetch_stats as run

    bad = [y for y in year if not re.fullmatch(r"20\d\d", y)]
    if bad:
        fail(f"--year takes a four-digit year, not {bad[0]!r}", 2)
    fetcher = Fetcher(out_dir, _client(rate, retries))
    sites = Sites.from_environment(govuk=govuk_base)
    _run(lambda note: run(out_dir, year or None, sites, fetcher, refresh=refresh, progress=note), quiet)


@fetch_app.command("reports")
def fetch_reports(
    out_dir: Path = OutOption,
    urn: List[str] = typer.Option([], "--urn", help="A provider's or local authority's URN (repeatable)."),
    from_store: bool = typer.Option(False, "--from-store", help="Take the URNs from the built store."),
    provision_type: Optional[str] = typer.Option(None, "--type", help="With --from-store: a provision type, by label or "
                                                 "notation (\"Children's home\", childrens-home), or local-authority."),
    since: Optional[str] = typer.Option(None, "--since", help="With --from-store: registered or inspected on or after YYYY-MM-DD."),
    store: Path = StoreOption,
    rate: float = RateOption,
    retries: int = RetriesOption,
    refresh: bool = RefreshOption,
    reports_base: Optional[str] = typer.Option(None, "--reports-base", envvar="OFSTED_KG_REPORTS_BASE",
                                               help="Base URL of Ofsted's reports site."),
    files_base: Optional[str] = typer.Option(None, "--files-base", envvar="OFSTED_KG_FILES_BASE",
                                             help="Base URL of Ofsted's file server."),
    quiet: bool = QuietOption,
) -> None:
    """Download each provider's page on Ofsted's reports site and every report PDF it lists.

    PDFs go to OUT/reports/{URN}/{URN}_{name}__{kind}_-_{date}.pdf; local authorities (URNs in
    la_lookup.csv) are looked up as local-authority children's services. A file already downloaded
    is never requested again; an HTML page served as a PDF is a failure, not a file.
    """
    from ..ingest.fetch import Fetcher
    from ..ingest.ofsted_sites import Sites
    from ..ingest.ofsted_sites import fetch_reports as run
    from ..store import StoreMissing

    if bool(urn) == from_store:
        fail("give --urn URN ... or --from-store, not both", 2)
    if (provision_type or since) and not from_store:
        fail("--type and --since go with --from-store", 2)
    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            fail(f"--since takes YYYY-MM-DD, not {since!r}", 2)
    from ..ingest.ofsted_sites import local_authority_urns as lookup_urns
    from ..paths import shared_dir

    # which URNs are councils (their reports are listed elsewhere): the LA lookup in ../shared, if there
    shared = shared_dir()
    chosen, la_urns = list(urn), lookup_urns(shared / "data" / "la_lookup.csv" if shared else None)
    if from_store:
        from ..store.urns import local_authority_urns, provider_urns

        try:
            chosen = provider_urns(store, provision_type, since)
            la_urns |= local_authority_urns(store)
        except StoreMissing as exc:
            fail(str(exc), 2)
        if not chosen:
            fail("no provider in the store matches --type/--since", 2)
        out.print(f"{len(chosen):,} URNs from {store}")
    fetcher = Fetcher(out_dir, _client(rate, retries))
    sites = Sites.from_environment(reports=reports_base, files=files_base)
    _run(lambda note: run(out_dir, chosen, sites, fetcher, la_urns=la_urns, refresh=refresh, progress=note), quiet)


def register(app: typer.Typer) -> None:
    """Add ``fetch stats`` and ``fetch reports`` to ``app``."""
    app.add_typer(fetch_app, name="fetch")
