"""Reader for Ofsted's reports on local-authority children's services.

Recognises, from the text alone:

* ILACS reports (2018 on): "Inspection of X local authority children's services" or, in
  2018-2020, "X / Inspection of children's social care services", with "Inspection dates:",
  a lead inspector and a "Judgement / Grade" table. Two weeks on site is ``ilacs_standard``,
  one week (7 days or fewer) ``ilacs_short``. From 2026 the title may name the children's
  trust that runs the council's services ("Inspection of X Children's Trust"): the record's
  local authority is the council it serves, the trust an added key.
* SIF reports (2013-2018): "Inspection of services for children in need of help and
  protection, children looked after and care leavers" (also re-inspections and reviews of a
  Local Safeguarding Children Board on their own): ``sif``.
* focused-visit letters ("Focused visit to X children's services"): ``focused_visit``.
* joint targeted area inspections (letters to the area's partners): ``jtai``.
* area SEND inspections and the frameworks before 2013 (e.g. "Inspection of looked after
  children services"): ``other``; their grades are not forced onto ILACS keys.

The record depends on the document only: its text, its file name's leading URN and, for a
file ``ofsted-kg fetch`` downloaded, the report date its fetch manifest recorded. Which council
a URN is, and its ONS code, is the graph's business (``mapping/councils.py``).

``parse(doc)`` returns the la_report part of the extraction record (see EXTRACTION.md);
``extract_many(paths)`` extracts many documents in a process pool.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..common.dates import parse_date_range, spell_numeric_dates
from ..text import Document
from .head import (council_served, delivering_body, detect_framework, inspection_dates, la_name, listed_publication_date,
                   publication_date, report_type, urn_from_filename)
from .judgements import ilacs_judgements, printed_grades_pre_2013, sif_judgements
from .layout import flat, page_lines
from .people import read_people
from .recommendations import read_recommendations

__all__ = ["detect_framework", "extract_many", "parse", "parse_date_range", "urn_from_filename"]


def parse(doc: Document) -> dict:
    """The la_report part of the extraction record for ``doc`` (keys as in EXTRACTION.md)."""
    errors: list[str] = []
    lines = page_lines(doc)
    full = flat(doc.text)
    head = spell_numeric_dates(flat("\n".join(doc.pages[:3]))[:6000])
    family = detect_framework(doc.text)
    record: dict = {
        "people": [],
        "local_authority": {"name": None, "urn": None},
        "inspection": {"start_date": None, "end_date": None, "publication_date": None,
                       "framework": None, "judgements": {}},
        "recommendations": [],
        "errors": errors,
    }
    if family is None:
        errors.append(f"{doc.path}: not recognised as an Ofsted report on local-authority children's services")
        return record

    start, end, days = inspection_dates(family, head)
    framework = "other" if family == "monitoring_visit" else family
    if family == "ilacs":
        framework = "ilacs_short" if days is not None and days <= 7 else "ilacs_standard" if days else "ilacs_standard"
        if days is None:
            errors.append(f"{doc.path}: ILACS report without readable inspection dates; 'standard' assumed")
    inspection = record["inspection"]
    inspection["report_type"] = report_type(family, head)
    inspection.update(framework=framework,
                      start_date=start.isoformat() if start else None,
                      end_date=end.isoformat() if end else None,
                      days_on_site=days if family == "ilacs" else None)
    publication, source = publication_date(family, lines, head), "report"
    if publication is None and doc.path:
        publication, source = listed_publication_date(doc.path), "fetch_manifest"
    inspection["publication_date"] = publication.isoformat() if publication else None
    inspection["publication_date_source"] = source if publication else None

    if family == "ilacs":
        inspection["judgements"] = ilacs_judgements(head)
    elif family == "sif":
        inspection["judgements"] = sif_judgements(head, full)
    elif family == "other" and re.search(r"Inspection of (looked after|safeguarding)", head, re.I):
        inspection["grades_as_printed"] = printed_grades_pre_2013(full)
    if family == "other":
        m = re.search(r"Inspection outcome (.+?[.])(?= [A-Z])", head)
        if m:
            inspection["outcome"] = m.group(1)
    table = head[max(head.find("Judgement"), 0):][:900] if family == "ilacs" else head[:1500]
    if family in ("ilacs", "sif") and "overall_effectiveness" not in inspection["judgements"] \
            and re.search(r"Overall effectiveness|Children.s services in .{0,120} (are|is|require)|overall judgement is", table):
        errors.append(f"{doc.path}: an overall effectiveness grade is printed but could not be read")

    name = la_name(family, lines, head)
    body = delivering_body(family, head)
    if body:
        name = council_served(head, body)
        if name is None:
            errors.append(f"{doc.path}: the report is on {body}; the council it serves is not named in its first pages")
    urn = urn_from_filename(doc.path, name)
    record["local_authority"] = {"name": name, "urn": urn}
    if body:
        record["local_authority"]["trust"] = body
    record["people"] = read_people(family, lines, head)
    record["recommendations"] = read_recommendations(family, lines)
    return record


def extract_many(paths: list[str | Path], workers: int = 2, kind: str = "la-report") -> list[dict]:
    """Extraction records for many documents, in input order, read in a pool of ``workers`` processes."""
    from concurrent.futures import ProcessPoolExecutor

    from ..extract import extract

    paths = [str(p) for p in paths]
    if workers <= 1 or len(paths) < 2:
        return [extract(p, kind) for p in paths]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(extract, paths, [kind] * len(paths), chunksize=4))
