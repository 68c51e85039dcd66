"""Where Ofsted's public files are and how their pages list them (see docs/sources.md, checked 2026-11-23).

Two sites:

- **GOV.UK** publishes the official statistics "Children's social care data in England {year}"
  at ``/government/statistics/childrens-social-care-data-in-england-{year}``, all releases in the
  collection ``/government/collections/childrens-social-care-statistics``. The Content API
  (``/api/content{path}``) gives each page as JSON: a collection's releases under
  ``links.documents``, a release's files under ``details.attachments`` (``title``, ``url``,
  ``filename``, ``content_type``).
- **Ofsted's reports site** has a page per provider, ``/provider/{category}/{URN}`` (category 2
  for a social care provider, 44 for a local authority's children's services), whose timeline
  lists the published reports: ``a.publication-link`` to ``https://files.ofsted.gov.uk/v1/file/{id}``
  with a hidden ``span.nonvisual`` reading "{kind}, pdf - {dd Month yyyy}".

Every base URL can be changed (``Sites``; environment variables ``OFSTED_KG_GOVUK_BASE``,
``OFSTED_KG_REPORTS_BASE``, ``OFSTED_KG_FILES_BASE``), which is how the tests serve these pages
from 127.0.0.1.
"""
from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

import lxml.html

from .fetch import Fetcher, FetchSummary

GOVUK_BASE = "https://www.gov.uk"
REPORTS_BASE = "https://reports.ofsted.gov.uk"
FILES_BASE = "https://files.ofsted.gov.uk"
COLLECTION_PATH = "/government/collections/childrens-social-care-statistics"
RELEASE_PATH = "/government/statistics/childrens-social-care-data-in-england-{year}"
RELEASE_RE = re.compile(r"/childrens-social-care-data-in-england-(\d{4})$")
SOCIAL_CARE_CATEGORY = "2"
LOCAL_AUTHORITY_CATEGORY = "44"
# Ofsted's unique reference numbers: SC123456, 80427, 1234567, EY123456
URN_RE = re.compile(r"[A-Z0-9]+")
STATS_FORMATS = {".csv": "text/csv", ".ods": "application/vnd.oasis.opendocument.spreadsheet"}
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december"]
_DATE_RE = re.compile(r"(\d{1,2})\s+(" + "|".join(MONTH_NAMES) + r")\s+(\d{4})", re.I)


@dataclass
class Sites:
    """The three base URLs (no trailing slash)."""

    govuk: str = GOVUK_BASE
    reports: str = REPORTS_BASE
    files: str = FILES_BASE

    @classmethod
    def from_environment(cls, govuk: str | None = None, reports: str | None = None, files: str | None = None) -> "Sites":
        """Bases given here, else from OFSTED_KG_*_BASE, else the real sites."""
        return cls(
            govuk=(govuk or os.environ.get("OFSTED_KG_GOVUK_BASE") or GOVUK_BASE).rstrip("/"),
            reports=(reports or os.environ.get("OFSTED_KG_REPORTS_BASE") or REPORTS_BASE).rstrip("/"),
            files=(files or os.environ.get("OFSTED_KG_FILES_BASE") or FILES_BASE).rstrip("/"),
        )

    def content_api(self, path: str) -> str:
        """The Content API URL of a GOV.UK page path."""
        return f"{self.govuk}/api/content{path}"

    def provider_page(self, urn: str, category: str = SOCIAL_CARE_CATEGORY) -> str:
        return f"{self.reports}/provider/{category}/{urn}"

    def rebase_file(self, url: str) -> str:
        """A files.ofsted.gov.uk link moved onto the configured files base (the same URL on the real sites)."""
        if url.startswith(FILES_BASE):
            return self.files + url[len(FILES_BASE):]
        return url


# ---------------------------------------------------------------- GOV.UK statistics

@dataclass
class Attachment:
    title: str
    url: str
    filename: str
    content_type: str


def release_paths(collection: dict) -> dict[str, str]:
    """Release year -> page path, from the collection's Content API JSON.

    >>> release_paths({"links": {"documents": [{"base_path": "/government/statistics/childrens-social-care-data-in-england-2024"},
    ...                                        {"base_path": "/government/statistics/something-else"}]}})
    {'2024': '/government/statistics/childrens-social-care-data-in-england-2024'}
    """
    found = {}
    for document in (collection.get("links") or {}).get("documents") or []:
        match = RELEASE_RE.search(document.get("base_path") or "")
        if match:
            found[match.group(1)] = document["base_path"]
    return dict(sorted(found.items()))


def attachments(release: dict) -> list[Attachment]:
    """The file attachments of a release's Content API JSON."""
    found = []
    for item in (release.get("details") or {}).get("attachments") or []:
        if item.get("url") and item.get("attachment_type", "file") == "file":
            found.append(Attachment(item.get("title") or "", item["url"],
                                    item.get("filename") or item["url"].rsplit("/", 1)[-1],
                                    item.get("content_type") or ""))
    return found


def is_provider_level(attachment: Attachment) -> bool:
    """A provider-level data file (CSV or ODS), as opposed to the tables of national figures or the guidance."""
    words = re.sub(r"[-_]+", " ", f"{attachment.title} {attachment.filename}").lower()
    suffix = Path(urllib.parse.urlparse(attachment.url).path).suffix.lower()
    spreadsheet = suffix in STATS_FORMATS or attachment.content_type in STATS_FORMATS.values()
    return spreadsheet and "provider level" in words


def stats_file_name(attachment: Attachment) -> str:
    """A file name the build reads the kind, snapshot date or year from (ingest/stats.py), like ../shared's.

    >>> def name(title): return stats_file_name(Attachment(title, "https://x/a.csv", "a.csv", "text/csv"))
    >>> name("Children's social care data in England 2025: provider level data as at 31 March 2025")
    'providers_places_at_31mar2025.csv'
    >>> name("Provider level data in year 2023-24")
    'inspections_2023-24_all.csv'
    >>> name("Provider level data: joiners and leavers 1 April 2022 to 31 March 2023")
    'joiners_leavers_2022-23.csv'
    """
    suffix = Path(urllib.parse.urlparse(attachment.url).path).suffix.lower() or Path(attachment.filename).suffix.lower()
    title = attachment.title.lower().replace("\u2013", "-")
    years = _financial_year(title)
    if "joiner" in title or "leaver" in title:
        return f"joiners_leavers_{years or 'unknown'}{suffix}"
    if "closed" in title or "closure" in title:
        return f"closed_providers{'_' + years if years else ''}{suffix}"
    if "as at" in title or "at 3" in title:
        match = _DATE_RE.search(title)
        if match:
            day, month, year = match.groups()
            return f"providers_places_at_{int(day)}{month[:3].lower()}{year}{suffix}"
    if years and ("in year" in title or "inspection" in title):
        return f"inspections_{years}_all{suffix}"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", attachment.filename) or f"attachment{suffix}"


def _financial_year(text: str) -> str | None:
    for match in re.finditer(r"(20\d\d)\s*(?:-|to)\s*(?:20)?(\d\d)\b", text):
        if int(match.group(2)) == (int(match.group(1)) + 1) % 100:   # "2023-24", "2023 to 2024"
            return f"{match.group(1)}-{match.group(2)}"
    dates = _DATE_RE.findall(text)
    if len(dates) >= 2:   # "1 April 2022 to 31 March 2023"
        return f"{dates[0][2]}-{dates[-1][2][2:]}"
    return None


def fetch_stats(out: Path, years: Iterable[str] | None = None, sites: Sites | None = None,
                fetcher: Fetcher | None = None, refresh: bool = False,
                progress: Callable[[str, int, int], None] | None = None) -> FetchSummary:
    """Download the provider-level files of the given releases (default: every release the collection lists)."""
    started = time.monotonic()
    sites = sites or Sites.from_environment()
    fetcher = fetcher or Fetcher(out)
    note = progress or (lambda *_: None)
    wanted = sorted(set(years or []))
    if wanted:
        releases = {year: RELEASE_PATH.format(year=year) for year in wanted}
    else:
        page = fetcher.page(sites.content_api(COLLECTION_PATH), "govuk/childrens-social-care-statistics.json",
                            accept="application/json", refresh=refresh, kind="statistics collection")
        releases = release_paths(_json(page, fetcher, sites.content_api(COLLECTION_PATH))) if page else {}
    for number, (year, path) in enumerate(releases.items(), start=1):
        note(f"statistics {year}", number - 1, len(releases))
        url = sites.content_api(path)
        page = fetcher.page(url, f"govuk/childrens-social-care-data-in-england-{year}.json", accept="application/json",
                            refresh=refresh, kind="statistics release")
        release = _json(page, fetcher, url) if page else None
        if release is None:
            continue
        files = [a for a in attachments(release) if is_provider_level(a)]
        if not files:
            fetcher.summary.failed.append((url, "no provider-level CSV or ODS among the release's attachments"))
        for attachment in files:
            fetcher.file(attachment.url, f"ofsted_stats/{year}/{stats_file_name(attachment)}",
                         kind="statistics", title=attachment.title)
        note(f"statistics {year}", number, len(releases))
    return fetcher.finish(started)


def _json(page: tuple[bytes, str], fetcher: Fetcher, url: str) -> dict | None:
    try:
        return json.loads(page[0])
    except ValueError:
        fetcher.summary.failed.append((url, "the Content API answer is not JSON"))
        return None


# ---------------------------------------------------------------- Ofsted reports

@dataclass
class ReportLink:
    url: str
    kind: str                      # as the page words it, e.g. "Children's home full inspection"
    date: str = ""                 # YYYY-MM-DD, the date the page gives the report
    file_id: str = ""


@dataclass
class ProviderPage:
    urn: str
    name: str = ""
    reports: list[ReportLink] = field(default_factory=list)


def parse_provider_page(html: bytes | str, page_url: str, urn: str) -> ProviderPage:
    """The provider's name and the reports its page links to (files.ofsted.gov.uk/v1/file/{id})."""
    root = lxml.html.fromstring(html)
    heading = root.xpath("//h1")
    page = ProviderPage(urn=urn, name=_clean(heading[0].text_content()) if heading else "")
    seen = set()
    for link in root.xpath("//a[@href]"):
        href = urllib.parse.urljoin(page_url, link.get("href"))
        match = re.search(r"/v1/file/(\d+)", urllib.parse.urlparse(href).path)
        if not match or href in seen:
            continue
        seen.add(href)
        hidden = " ".join(_clean(s.text_content()) for s in link.xpath(".//span[contains(@class,'nonvisual')]"))
        visible = _clean("".join(link.xpath("text()")))
        kind, date = _kind_and_date(hidden or visible)
        if not date:
            day = link.xpath("ancestor::li[contains(@class,'timeline__day')][1]//time")
            date = _iso_date(day[0].text_content()) if day else ""
        page.reports.append(ReportLink(href, kind or visible or "report", date, match.group(1)))
    return page


def _kind_and_date(text: str) -> tuple[str, str]:
    """("Children's home full inspection", "2024-08-01") from "Children's home full inspection, pdf - 01 August 2024"."""
    kind, _, rest = text.partition(", pdf")
    return _clean(kind), _iso_date(rest)


def _iso_date(text: str) -> str:
    match = _DATE_RE.search(text or "")
    if not match:
        return ""
    day, month, year = match.groups()
    return datetime(int(year), MONTH_NAMES.index(month.lower()) + 1, int(day)).date().isoformat()


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _slug(text: str) -> str:
    text = text.lower().replace("\u2019", "").replace("'", "").replace("&", " ")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def report_file_name(urn: str, provider: str, report: ReportLink) -> str:
    """``{URN}_{provider}__{kind}_-_{dd_month_yyyy}.pdf``, the naming of ../shared/data/ilacs (the URN first).

    >>> report_file_name("80427", "Bath and North East Somerset",
    ...                  ReportLink("u", "Children's services inspection", "2017-07-07", "1"))
    '80427_bath_and_north_east_somerset__childrens_services_inspection_-_07_july_2017.pdf'
    """
    when = ""
    if report.date:
        year, month, day = report.date.split("-")
        when = f"_-_{day}_{MONTH_NAMES[int(month) - 1]}_{year}"
    name = f"{urn}_{_slug(provider) or 'provider'}__{_slug(report.kind) or 'report'}{when}"
    return name[:180] + ".pdf"


def local_authority_urns(lookup: Path | None) -> set[str]:
    """The Ofsted URNs of local authorities in an LA lookup file (la_lookup.csv); none without one."""
    from . import la_lookup

    if lookup is None or not lookup.exists():
        return set()
    return {authority["urn"] for authority in la_lookup.read(lookup)}


def fetch_reports(out: Path, urns: Iterable[str], sites: Sites | None = None, fetcher: Fetcher | None = None,
                  la_urns: set[str] | None = None, refresh: bool = False,
                  progress: Callable[[str, int, int], None] | None = None) -> FetchSummary:
    """For each URN: its page on the reports site, then every report PDF the page lists."""
    started = time.monotonic()
    sites = sites or Sites.from_environment()
    fetcher = fetcher or Fetcher(out)
    note = progress or (lambda *_: None)
    la_urns = la_urns or set()
    chosen = list(dict.fromkeys(u.strip().upper() for u in urns if u.strip()))
    for number, urn in enumerate(chosen, start=1):
        if not URN_RE.fullmatch(urn):   # it names folders and files: "../x" would write outside the output folder
            fetcher.summary.failed.append((urn, "not an Ofsted URN (letters and digits only); nothing fetched"))
            continue
        category = LOCAL_AUTHORITY_CATEGORY if urn in la_urns else SOCIAL_CARE_CATEGORY
        url = sites.provider_page(urn, category)
        page = fetcher.page(url, f"provider-{urn}.html", refresh=refresh, urn=urn, kind="provider page")
        if page is not None:
            listing = parse_provider_page(page[0], page[1], urn)
            if not listing.reports:
                note(f"{urn}: no reports listed", number, len(chosen))
            used: set[str] = set()
            for report in listing.reports:
                name = report_file_name(urn, listing.name, report)
                if name in used:   # two reports of one kind on one day
                    name = name[:-4] + f"_{report.file_id}.pdf"
                used.add(name)
                fetcher.file(sites.rebase_file(report.url), f"reports/{urn}/{name}", expect_pdf=True,
                             urn=urn, report_date=report.date, kind=report.kind, title=listing.name)
        note(f"provider {urn}", number, len(chosen))
    return fetcher.finish(started)
