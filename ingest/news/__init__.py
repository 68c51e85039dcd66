"""Reader for local news articles about Ofsted inspections (rules only, no language models).

``parse(doc)`` returns the ``news`` part of the extraction record (EXTRACTION.md): the
article's headline and printed publication date, the organisations it names, the people it
quotes with their printed titles, and *claims*: what the article says about an organisation's
Ofsted grades, previous grades, judgement areas, numbers of children, households and carers,
and inspection dates, each with the sentence it came from.

The rules work sentence by sentence. A grade word counts only in a rating context (a rating
verb before it, "rating"/"by Ofsted" after it, quotation marks round it, or a judgement area
with a copula before it), so "good progress" or "areas that require improvement" are not
ratings. A claim's subject is the organisation named nearest before the rating (or, failing
that, just after it); "the agency", "the council" and unnamed references fall back to the
article's main subject (the first provider or council it names).

Value forms beyond EXTRACTION.md:

- A month without a year ("in February") is resolved against the printed publication date;
  without one, an ``inspection_date`` claim keeps the printed words as its value ("February")
  and its ``date`` is null.
- ``other`` claims carry "previous inspection", "report published" or "previous report
  published" with the date they give.
- Several statements of the same fact make one claim: the first sentence that says it, or the
  first that dates it.
- Grades of schools and nurseries named alongside (a "Read more" line, a sentence comparing
  them) are left out.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..text import Document, clean_text, decode_bytes, html_to_text
from .claims import find_claims
from .organisations import Gazetteer, Subjects, find_organisations, with_council_owners
from .page import _drop_first_line_if, _html_parts, _looks_like_headline, _page_headline, find_published, strip_page_furniture
from .people import find_people
from .sentences import split_sentences
from .values import find_dates, words_to_int

__all__ = ["parse", "Gazetteer", "find_dates", "words_to_int", "split_sentences", "strip_page_furniture", "find_published"]

# ---------------------------------------------------------------------------------------------
# The reader


def parse(doc: Document, gazetteer: Gazetteer | None = None) -> dict:
    """The news part of the extraction record for ``doc`` (see EXTRACTION.md).

    ``gazetteer`` holds the organisation names the graph's records know; without one the
    organisations are those the article's grammar shows."""
    text, headline, meta_dates = doc.text, None, []
    if doc.suffix in (".html", ".htm") and Path(doc.path).is_file():
        parts = _html_parts(decode_bytes(Path(doc.path).read_bytes()))
        headline = _page_headline(parts)
        meta_dates = parts.meta_dates + parts.article_time_dates + parts.time_dates
        markup = "".join(parts.article_markup or parts.body_markup)
        # a table row (an area in one cell, its grade in the next) is one line
        markup = re.sub(r"</t[dh]>\s*<t[dh](?:\s[^>]*)?>", ": ", markup, flags=re.I)
        text = clean_text(html_to_text(markup))
        if headline:
            text = _drop_first_line_if(text, headline)
    text = strip_page_furniture(text)
    lines = text.split("\n")
    if headline is None:
        first = next((l for l in lines if l.strip()), "")
        if _looks_like_headline(first):
            headline = " ".join(first.split())
            text = _drop_first_line_if(text, headline)
    published = find_published(lines, meta_dates)
    # the byline and furniture lines near the top carry no claims
    sentences = split_sentences(text, headline)
    has_homes = bool(re.search(r"children['’]?s\s+home|residential", text, re.I))
    orgs = find_organisations(sentences, has_homes, gazetteer)
    subjects = Subjects(orgs, sentences)
    people = find_people(sentences, orgs, subjects)
    # grades mean Ofsted's grades only in an article about Ofsted or an inspection
    about_ofsted = any(re.search(r"(?i:ofsted|oftsed|inspect)", s.text) for s in sentences)
    claims = find_claims(sentences, subjects, published, orgs) if about_ofsted else []
    return {
        "people": people,
        "article": {"title": headline, "published": published},
        "organisations": with_council_owners([{"name": o.name, "kind": o.kind} for o in orgs.all()], sentences),
        "claims": claims,
        "errors": [],
    }


