"""Page text as the LA reader sees it: lines with page breaks, bullets, numbering, footnotes, Ofsted's letterhead."""
from __future__ import annotations

import re

from ..common.dates import MONTH
from ..text import Document

FULL_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH})\s+(\d{{4}})\b", re.I)
# characters that start a bullet point in Ofsted's PDFs (Wingdings glyphs land in the private use area)
BULLET = re.compile(r"^\s*[\uf000-\uf8ff◼◾■▪•●·\u2022\u25aa\u25a0\u2013-]\s*")
NUMBERED = re.compile(r"^\s*(\d{1,3})\.(?!\d)\s*(?=\S)")
FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-Z]")
TERMINAL = re.compile(r"[.;!?]['’”)]*\s*$")


def flat(text: str) -> str:
    return " ".join(text.split())



def page_lines(doc: Document) -> list[str]:
    """All lines of the document, with an empty line standing for each page break."""
    out: list[str] = []
    for page in doc.pages:
        page_lines = [line.strip() for line in page.split("\n")]
        out.extend(_without_letterhead(page_lines))
        out.append("")
    return out


def _without_letterhead(lines: list[str]) -> list[str]:
    """Drop Ofsted's address block (a letter's letterhead can land in the middle of the text)."""
    kept: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i] == "Ofsted" or lines[i].startswith("Piccadilly Gate"):
            end = next((j for j in range(i, min(i + 14, len(lines))) if "gov.uk/ofsted" in lines[j]), None)
            if end is not None:
                i = end + 1
                continue
        kept.append(lines[i])
        i += 1
    return kept

