"""The extraction record (../shared/docs/EXTRACTION.md): one JSON-able dict per document.

``extract(path)`` reads a document, decides what kind it is (unless told) and hands it to the
reader for that kind. Every record carries ``source``, ``errors`` and ``people``; a reader's
exception becomes an error on the record, never a crash of the batch.
"""
from __future__ import annotations

import re
from pathlib import Path

from .text import Document, read_document

KINDS = ("provider-report", "la-report", "news")
_KIND_TOKEN = {"provider-report": "provider_report", "la-report": "la_report", "news": "news"}


_NEWS_CUES = re.compile(r"\b(?:said|says|told|added)\b[^.\n]{0,40}?[:,]\s*[\"“]|[”\"],?\s+(?:said|says|added)\b"
                        r"|\bread more\b|\bpublished:?\s+\d|\brated\s+(?:as\s+)?[‘'\"“]?(?:outstanding|good|inadequate|requires? improvement)")


def detect_kind(text: str) -> str:
    """Decide from the text whether a document is a provider report, an LA report or news ("unknown" if none)."""
    head = " ".join(text[:6000].split()).lower()  # titles wrap over lines
    # a provider's URN label or an addressee's role on a line of its own: no council's report or
    # letter prints these (none of the 340 in the corpus does), and a provider may be named
    # "... Children's Services", which the council cues below would otherwise take for a council
    if _PROVIDER_HEAD.search(text[:6000]):
        return "provider_report"
    if re.search(r"inspection of .{0,80}local authority\s+children.s services|children.s services focused visit"
                 r"|inspection of (local authority )?children.s (social care )?services"
                 r"|inspection of .{0,80}children.s services inspection dates?"
                 r"|monitoring visit (to|of) .{0,80}children.s services"
                 r"|focused visit to .{0,60}(children.s services|local authority)|joint targeted area inspection"
                 r"|area send|local area partnership|single inspection framework"
                 r"|inspection of services for children in need of help and protection"
                 r"|local safeguarding children board", head):
        return "la_report"
    # a report titled with the trust that runs a council's services: the ILACS title block and table
    if re.match(r"(?:.{0,40}? )?inspection of .{3,160}? inspection dates?:.{0,600}?"
                r"(?:judgement grade|experiences and progress of children who need help)", head):
        return "la_report"
    if re.search(r"social care common inspection framework|\bsccif\b|inspection dates?:.{0,40}\d{4}"
                 r"|unique reference number|registered provider:|responsible individual:", head):
        return "provider_report"
    # a news story may mention a monitoring visit: quotes, bylines and "rated good" mark it as news first
    if re.search(r"ofsted|oftsed", head) and _NEWS_CUES.search(head):
        return "news"
    if re.search(r"(monitoring|assurance) (visit|inspection)", head):
        return "provider_report"
    if re.search(r"ofsted|oftsed|inspect", head):
        return "news"
    return "unknown"


_PROVIDER_HEAD = re.compile(r"unique reference number|^[ \t]*(?:responsible individual|registered manager)[ \t]*$",
                            re.IGNORECASE | re.MULTILINE)


def _reader(kind: str):
    if kind == "provider_report":
        from . import provider_reports as module
    elif kind == "la_report":
        from . import la_reports as module
    else:
        from . import news as module
    return module.parse


def extract(path: str | Path, kind: str = "auto", document: Document | None = None, gazetteer=None) -> dict:
    """The extraction record for one document; ``kind`` is auto|provider-report|la-report|news.

    ``gazetteer`` (ofsted_kg.ingest.news.Gazetteer: organisation names from records already read)
    helps the news reader find organisations; the other readers do not use it."""
    doc = document or read_document(path)
    record: dict = {
        "source": {"path": str(path), "sha256": doc.sha256, "kind": "unknown",
                   "pages": doc.page_count, "chars": doc.chars},
        "errors": list(doc.errors),
        "people": [],
    }
    if doc.errors:
        return record
    token = _KIND_TOKEN[kind] if kind != "auto" else detect_kind(doc.text)
    record["source"]["kind"] = token
    if token == "unknown":
        record["errors"].append(f"{path}: not recognised as an Ofsted report or a news article about one")
        return record
    try:
        parsed = _reader(token)(doc, gazetteer) if token == "news" and gazetteer is not None else _reader(token)(doc)
    except Exception as exc:  # a reader bug on one document must not stop the batch
        record["errors"].append(f"{path}: could not parse as {token} ({type(exc).__name__}: {exc})")
        return record
    errors = parsed.pop("errors", [])
    record.update(parsed)
    record["errors"].extend(errors)
    return record
