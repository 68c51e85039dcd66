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

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from .text import Document, clean_text, decode_bytes, html_to_text

GRADES = ("outstanding", "good", "requires_improvement", "inadequate")

# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+"
_DAY = r"(?:[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[89][0-9]|20[0-9][0-9])"

_DATE_PATTERNS = [
    # 5 to 9 December 2022 / 5-9 December 2022: the range's first day
    ("range", re.compile(rf"\b(?P<d>{_DAY})\s*(?:to|and|-|–)\s*{_DAY}\s+(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b", re.I)),
    # 28 November to 2 December 2022
    ("range", re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s*(?:to|and|-|–)\s*{_DAY}\s+(?P<m2>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b", re.I)),
    # 14 July 2023 / Friday, 14th July 2023
    ("dmy", re.compile(rf"(?:{_WEEKDAY})?\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b", re.I)),
    # July 14, 2023 / July 29 2019
    ("mdy", re.compile(rf"(?:{_WEEKDAY})?\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b", re.I)),
    # between 5 and 9 February / 22 January to 2 February (year from the publication date)
    ("range_md", re.compile(rf"\b(?P<d>{_DAY})\s*(?:to|and|-|–)\s*{_DAY}\s+(?P<m>{_MONTH})\b(?!\s*,?\s*(?:19|20)\d\d)", re.I)),
    ("range_md", re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s*(?:to|and|-|–)\s*{_DAY}\s+(?P<m2>{_MONTH})\b(?!\s*,?\s*(?:19|20)\d\d)", re.I)),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")),
    ("num", re.compile(rf"\b(?P<d>0?[1-9]|[12]\d|3[01])[/.](?P<m>0?[1-9]|1[0-2])[/.](?P<y>{_YEAR})\b")),
    # Friday, July 14 / 14 July (year from the publication date)
    ("md", re.compile(rf"(?:{_WEEKDAY})?\b(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b(?!\s*,?\s*(?:19|20)\d\d)(?!\s*(?:children|households|carers|people))", re.I)),
    ("dm", re.compile(rf"(?:{_WEEKDAY})?\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})\b(?!\s*,?\s*(?:19|20)\d\d)", re.I)),
    ("my", re.compile(rf"\b(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b", re.I)),
    ("m", re.compile(r"\b(?:in|during|since|from|until|last|this|earlier this|early|late|mid|mid-)\s+(?P<m>January|February|March|April|June|July|August|September|October|November|December)\b(?!\s*,?\s*(?:19|20)\d\d)")),
    ("y", re.compile(rf"\b(?:in|since|from|during|of|until|before|after)\s+(?P<y>{_YEAR})\b(?!\s*(?:children|households|carers))")),
]


@dataclass
class DateMention:
    """A date expression in a sentence: ``value`` is ISO (possibly YYYY-MM or YYYY) or None if unresolvable."""

    start: int
    end: int
    value: str | None
    printed: str


def _month_number(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(sentence: str, published: str | None) -> list[DateMention]:
    """Date expressions in ``sentence``, partial dates resolved against ``published`` when it is known.

    >>> [d.value for d in find_dates("The inspection in September 2021 and the visit on 5 May 2022.", None)]
    ['2021-09', '2022-05-05']
    >>> [d.value for d in find_dates("During the inspection in February, inspectors...", "2023-04-02")]
    ['2023-02']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    pub = date.fromisoformat(published) if published else None
    for style, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                continue
            groups = match.groupdict()
            value: str | None
            if style in ("range", "dmy", "mdy", "iso", "num"):
                month = int(groups["m"]) if groups["m"].isdigit() else _month_number(groups["m"])
                year = int(groups["y"])
                if groups.get("m2") and _month_number(groups["m2"]) < month:
                    year -= 1  # "28 December to 2 January 2023" began in 2022
                value = _valid(year, month, int(re.sub(r"\D", "", groups["d"])))
            elif style in ("md", "dm", "range_md"):
                month, day = _month_number(groups["m"]), int(re.sub(r"\D", "", groups["d"]))
                value = None
                if pub:
                    value = _valid(pub.year, month, day)
                    if value and value > pub.isoformat():
                        value = _valid(pub.year - 1, month, day)
            elif style == "my":
                value = f"{int(groups['y']):04d}-{_month_number(groups['m']):02d}"
            elif style == "m":
                month = _month_number(groups["m"])
                value = None
                if pub:
                    year = pub.year if month <= pub.month else pub.year - 1
                    value = f"{year:04d}-{month:02d}"
                start = match.start("m")
            else:
                value = groups["y"]
                start = match.start("y")
            taken.append((start, end))
            found.append(DateMention(start, end, value, sentence[start:end]))
    return sorted(found, key=lambda d: d.start)


# ---------------------------------------------------------------------------------------------
# Numbers written as digits or words

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_NUMBER_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen" \
               r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety" \
               r"|hundred|thousand|a)"
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_NUMBER_WORD}(?:(?:\s+and\s+|[\s-]+){_NUMBER_WORD})*)"


def words_to_int(text: str) -> int | None:
    """An integer written in digits or English words ("three hundred and twelve"), else None.

    >>> words_to_int("forty-five"), words_to_int("1,204"), words_to_int("a hundred and six")
    (45, 1204, 106)
    """
    text = text.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text):
        return int(text.replace(",", ""))
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", text):
        if word in ("and", ""):
            continue
        if word == "a":
            current = current or 1
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


# ---------------------------------------------------------------------------------------------
# Text preparation: HTML parts, lines, sentences


_CHROME_TAGS = {"nav", "aside", "footer", "form", "script", "style", "noscript", "template", "svg", "figure"}
_CHROME_CLASS = re.compile(r"related|most-?read|popular|trending|promo|newsletter|share|comments?\b|comment-|sidebar|advert|\bad-|cookie"
                           r"|consent|onetrust|qc-cmp|\bcmp\b|gdpr|privacy|social|site-logo|\blogo\b|masthead"
                           r"|breadcrumb|menu|subscribe|recommend|more-stories|read-more|readmore|teaser|outbrain|taboola", re.I)
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _HtmlParts(HTMLParser):
    """The headline (<h1>, og:title, <title>), published-date metadata and the story text of a page.

    Navigation, asides, footers and boxes whose class or id says they are related links,
    promotions or comments are left out: their headlines rate other places.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self._h1_done = False
        self.article_h1 = ""
        self._article_h1_done = False
        self.article_time_dates: list[str] = []
        self._json_ld = False
        self.og_title = ""
        self.meta_dates: list[str] = []
        self.time_dates: list[str] = []
        self._open: list[str] = []
        self._article_depth = 0
        self._chrome: tuple[str, int] | None = None  # (tag, nesting) of the chrome element we are inside
        self.article_markup: list[str] = []
        self.body_markup: list[str] = []

    def _keep(self, piece: str) -> None:
        if self._chrome is None:
            self.body_markup.append(piece)
            if self._article_depth:
                self.article_markup.append(piece)

    def handle_starttag(self, tag, attrs):
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").lower()
            if key in ("article:published_time", "datepublished", "date", "dc.date", "dcterms.created", "pubdate",
                       "publish-date", "og:published_time", "sailthru.date", "parsely-pub-date"):
                self.meta_dates.append(attributes.get("content", ""))
            elif key == "og:title":
                self.og_title = attributes.get("content", "")
            return
        if tag == "script" and "ld+json" in attributes.get("type", "").lower():
            self._json_ld = True
        if self._chrome is not None:
            if tag == self._chrome[0]:
                self._chrome = (tag, self._chrome[1] + 1)
            return
        if tag not in _VOID_TAGS and (tag in _CHROME_TAGS or _CHROME_CLASS.search(attributes.get("class", "") + " " + attributes.get("id", ""))):
            self._chrome = (tag, 1)
            return
        if tag == "time" and attributes.get("datetime"):
            self.time_dates.append(attributes["datetime"])
            if self._article_depth or "pub" in (attributes.get("itemprop", "") + attributes.get("class", "") + " ".join(attributes)).lower():
                self.article_time_dates.append(attributes["datetime"])
        if tag in ("title", "h1"):
            self._open.append(tag)
        if tag == "article":
            self._article_depth += 1
        self._keep(self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._json_ld = False
        if self._chrome is not None:
            if tag == self._chrome[0]:
                self._chrome = None if self._chrome[1] == 1 else (tag, self._chrome[1] - 1)
            return
        self._keep(f"</{tag}>")
        if tag == "article" and self._article_depth:
            self._article_depth -= 1
        if self._open and self._open[-1] == tag:
            self._open.pop()
            if tag == "h1" and self.h1.strip():
                self._h1_done = True
            if tag == "h1" and self.article_h1.strip():
                self._article_h1_done = True

    def handle_data(self, data):
        if self._json_ld:
            # schema.org NewsArticle metadata: its datePublished is the article's
            self.meta_dates.extend(re.findall(r'"datePublished"\s*:\s*"([^"]+)"', data))
            return
        if self._chrome is not None:
            return
        if self._open:
            if self._open[-1] == "title":
                self.title += data
            else:
                if not self._h1_done:
                    self.h1 += data
                if self._article_depth and not self._article_h1_done:
                    self.article_h1 += data
        self._keep(html.escape(data, quote=False))


def _html_parts(markup: str) -> _HtmlParts:
    parts = _HtmlParts()
    parts.feed(markup)
    parts.close()
    return parts


_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙\-–*]|\d{1,2}[.)])\s+")
_SKIP_LINE = re.compile(r"^\s*(?:read more|more:|related|see also|also read|most read|sign up|share this|follow us"
                        r"|advertisement|subscribe|click here|you may also like|trending)\b", re.I)
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Cllr|Prof|St|No|Rev|Sir|Co|Ltd|Inc|vs|etc|e\.g|i\.e|approx|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec)\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']*(?=\s+[\"“‘'(]*[A-Z0-9])|(?<=[.!?][\"”’'])(?=\s+[A-Za-z\"“‘'])")


@dataclass
class Sentence:
    """One sentence (or bullet, or headline) with its text as printed (whitespace collapsed)."""

    text: str
    index: int
    probe: str = ""  # same length as text, with news-style capitalised lead words recased for matching

    def __post_init__(self) -> None:
        self.probe = self.probe or _recase_lead(self.text)


def _recase_lead(text: str) -> str:
    """Recase a news-style capitalised lead ("WORCESTERSHIRE'S Children", "A FOSTERING agency") and OFSTED, keeping the length."""
    def recase(match: re.Match) -> str:
        return re.sub(r"\b([A-Z])([A-Z'’-]+)", lambda w: w.group(1) + w.group(2).lower(), match.group(0))

    out = re.sub(r"^[\"“‘']?(?:[A-Z][A-Z'’-]*\s+){0,3}[A-Z][A-Z'’-]{3,}(?=\s+[a-z]|\s+[A-Z][a-z])", recase, text)
    return re.sub(r"\b(?:OFSTED|OFTSED)\b", lambda m: m.group(0)[0] + m.group(0)[1:].lower(), out)


def _split_line(line: str) -> list[str]:
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        end = match.end()
        candidate = line[start:end].strip()
        if _ABBREVIATIONS.search(line[start:match.start()].rstrip("\"”’'")) or re.search(r"\b[A-Z]\.$", line[start:match.start()]):
            continue
        if candidate:
            pieces.append(candidate)
        start = end
    rest = line[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def split_sentences(text: str, headline: str | None) -> list[Sentence]:
    """Sentences of an article body; bullets are sentences of their own and link-bait lines are dropped."""
    sentences: list[Sentence] = []
    if headline:
        sentences.append(Sentence(" ".join(headline.split()), 0))
    logical: list[tuple[str, bool]] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            logical.append(("", False))
            continue
        if _SKIP_LINE.match(line):
            continue
        bullet = bool(_BULLET.match(line))
        if bullet:
            line = _BULLET.sub("", line, count=1)
        previous = logical[-1] if logical else ("", False)
        # a line ending without punctuation and a next line starting in lower case is one wrapped sentence
        if previous[0] and not bullet and not previous[1] and re.search(r"[a-z,;–-]$", previous[0]) and line[:1].islower():
            logical[-1] = (previous[0] + " " + line, False)
        else:
            logical.append((line, bullet))
    for line, bullet in logical:
        if not line:
            continue
        for piece in ([line] if bullet else _split_line(line)):
            if headline and not sentences[1:] and " ".join(piece.split()) == sentences[0].text:
                continue
            sentences.append(Sentence(piece, len(sentences)))
    return sentences


# ---------------------------------------------------------------------------------------------
# Page furniture in a text copy of a web page

_FURNITURE_LINE = re.compile(r"^(?:skip\s+to\s+(?:main\s+)?content|menu|search|home|news|sport|sign\s+in|log\s*in|sign\s+up|register"
                             r"|subscribe|close|share|share\s+this(?:\s+article)?|bookmark|save|print|email|facebook|twitter|x|whatsapp"
                             r"|linkedin|copy\s+link|listen(?:\s+to\s+this\s+article)?|advertisement|\d+\s+comments?|comments?(?:\s*\(\d+\))?"
                             r"|accept(?:\s+all)?(?:\s+cookies)?|reject\s+all|manage\s+(?:cookies|preferences)|show\s+more|image\s*:.*|\(image:.*\))\s*$", re.I)
_LINK_LIST_HEAD = re.compile(r"^(?:related(?:\s+(?:articles|stories|content|news|links))?|read\s+more|more\s+(?:on\s+this\s+story|stories|news|from\s+.{1,40})"
                             r"|you\s+(?:may|might)\s+also\s+like|most\s+(?:read|popular)|top\s+stories|trending(?:\s+now)?|recommended(?:\s+for\s+you)?"
                             r"|latest\s+news|in\s+other\s+news)\s*:?\s*$", re.I)
_COMMENTS_HEAD = re.compile(r"^(?:comments?(?:\s*\(\d+\))?|\d+\s+comments?|join\s+the\s+(?:conversation|discussion)|have\s+your\s+say"
                            r"|leave\s+a\s+(?:comment|reply))\s*:?\s*$", re.I)


def strip_page_furniture(text: str) -> str:
    r"""A text copy of a web page without its menus, share buttons, link lists and comments.

    Lines that are only furniture ("Skip to main content", "Share", "Comments (3)") go; a
    "Related articles" or "Read more" heading takes the headlines listed under it with it (they
    rate other places); a comments heading in the second half of the page ends the story.

    >>> strip_page_furniture("Menu\nHome rated good\nShare\nIt was rated good.\nRelated\nOther home rated inadequate\n\nEnd.")
    'Home rated good\nIt was rated good.\n\nEnd.'
    """
    lines = text.split("\n")
    kept: list[str] = []
    in_list = False
    for number, raw in enumerate(lines):
        line = " ".join(raw.split())
        if in_list:
            # listed headlines carry no full stop; the story resumes at a sentence
            if not line or (len(line) < 160 and not re.search(r"[.!?][\"”’']?$", line)):
                if not line and kept and kept[-1] == "":
                    continue
                if not line:
                    kept.append("")
                continue
            in_list = False
        if _COMMENTS_HEAD.match(line) and number > len(lines) / 2:
            break
        if _LINK_LIST_HEAD.match(line):
            in_list = True
            continue
        if _FURNITURE_LINE.match(line):
            continue
        kept.append(raw)
    return "\n".join(kept).strip("\n") if kept != lines else text


# ---------------------------------------------------------------------------------------------
# Headline and publication date

_BYLINE_LABEL = re.compile(r"^(?:published(?:\s+(?:date|on))?|posted(?:\s+on)?|first\s+published|date\s+published|updated|last\s+updated)\b[:\s]*", re.I)


def _looks_like_headline(line: str) -> bool:
    line = line.strip()
    words = line.split()
    if not (2 <= len(words) <= 25) or len(line) > 200:
        return False
    if line.endswith((".", ",", ";", ":")) and not line.endswith("..."):
        return False
    return line[:1].isupper() or line[:1] in "'‘\"“"


def _first_date_in(line: str) -> str | None:
    for mention in find_dates(line, None):
        if mention.value and len(mention.value) == 10:
            return mention.value
    return None


def find_published(lines: list[str], meta_dates: list[str]) -> str | None:
    """The publication date printed in a byline or dateline, else in the page's metadata; None rather than a guess.

    Looked for in order: a "Published: ..." label (its line or the next), the page's
    article:published_time, then a byline or a line that is only a date among the first lines.
    An "Updated" date alone is not the publication date.
    """
    nonblank = [" ".join(l.split()) for l in lines if l.strip()]
    for number, text in enumerate(nonblank):
        label = _BYLINE_LABEL.match(text)
        if not label or len(text) >= 120 or label.group(0).lower().startswith(("updated", "last updated")):
            continue
        found = _first_date_in(text[label.end():])
        if not found and not text[label.end():].strip() and number + 1 < len(nonblank) and len(nonblank[number + 1]) < 60:
            found = _first_date_in(nonblank[number + 1])
        if found:
            return found
    for meta in meta_dates:
        match = re.match(r"\s*((?:19|20)\d\d-\d\d-\d\d)", meta)
        if match and _valid(*map(int, match.group(1).split("-"))):
            return match.group(1)
    for text in nonblank[:12]:
        if re.match(r"^(?:last\s+)?updated\b", text, re.I):
            continue
        # a byline ("By Jane Doe | 14 March 2024") or a line that is only a date (and perhaps a time)
        rest = re.sub(r"^(?i:by)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*[|,•·–-]?\s*", "", text)
        found = _first_date_in(rest)
        if found and len(rest) < 60 and (rest != text or len(re.sub(r"[\d\W]|(?i:am|pm|bst|gmt)", "", rest)) <= 20):
            return found
    return None


# ---------------------------------------------------------------------------------------------
# Organisations

@dataclass
class Organisation:
    """An organisation named in the article, with the other names it goes by there."""

    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    first_seen: tuple[int, int] = (10**9, 0)  # (sentence, character) where it is first named

    def patterns(self) -> list[str]:
        return sorted({self.name, *self.aliases}, key=len, reverse=True)


_CAP = r"(?:[A-Z][a-z'’&-]*[a-z]|[A-Z]{2,}|[A-Z](?=\s))(?:['’]s)?"
_CAP_RUN = rf"{_CAP}(?:\s+(?:and\s+|&\s+)?{_CAP})*"
_LEAD_STOP = {"The", "A", "An", "This", "That", "Its", "At", "In", "On", "For", "Following", "During", "After",
              "Director", "Chief", "Executive", "Manager", "Head", "Councillor", "Cllr", "Ofsted", "But", "And",
              "While", "When", "Our", "Their", "His", "Her", "Inspectors", "Report", "Both", "Now", "Meanwhile",
              "Independent", "New", "Local", "Council", "Mr", "Mrs", "Ms", "Dr", "Registered", "Responsible",
              "Unlike", "Like", "Neighbouring", "Neighboring", "Nearby", "Fellow", "Neither", "Either", "Whereas", "Although",
              "However", "Elsewhere", "Across", "Under", "Since", "Last", "Earlier", "Today", "Yesterday", "Parts", "Some",
              "Overall", "Instead", "Currently", "Previously", "Now", "Additionally", "Also"}
_PROVIDER_HEAD = re.compile(rf"\b({_CAP_RUN})\s+(Fostering(?:\s+(?:Services?|Agency))?|Foster\s+Care|Adoption(?:\s+(?:Agency|Service|Services))?"
                            r"|Children['’]?s\s+Home|Childrens\s+Home|Residential\s+(?:Family\s+Centre|Home)|Family\s+Centre)\b")
# "Meadowbank children's home": a name before a lower-case kind of service (the name may also be a place)
_NAMED_SERVICE = re.compile(rf"\b({_CAP_RUN})\s+(?:children['’]s\s+home|residential\s+home|care\s+home|fostering\s+(?:agency|service)"
                            r"|adoption\s+(?:agency|service))\b")
# "The home, Oak Lodge, was rated ...": a provider named after the noun for it
_NAMED_BY_APPOSITION = re.compile(rf"\b(?i:the|this|a)\s+(?:(?i:children['’]s)\s+)?(?i:home|fostering\s+agency|agency|adoption\s+agency)"
                                  rf",\s+(?:(?i:called|named|known\s+as)\s+)?({_CAP_RUN}),")
_HOUSE_HEAD = re.compile(rf"\b({_CAP_RUN})\s+(House|Lodge|Cottage|Grange|Farm|Hall|Place|View|Villa|Barn|Close)\b")
_COUNCIL = re.compile(r"\b((?:(?:London|Royal)\s+Borough\s+of\s+[A-Z][\w'’-]+(?:\s+(?:and|upon|on)\s+[A-Z][\w'’-]+)*(?:\s+Council)?)"
                      rf"|(?:City\s+of\s+[A-Z][\w'’-]+\s+Council)|(?:{_CAP_RUN}\s+(?:County\s+|City\s+|Borough\s+|District\s+|Metropolitan\s+(?:Borough\s+|District\s+)?|Town\s+)?Council))\b")
_CHILDREN_SERVICES = re.compile(rf"\b({_CAP_RUN}(?:['’]s)?)\s+((?:[Cc]hildren['’]?s?\s+(?:[Ss]ocial\s+[Cc]are|[Ss]ervices))|(?:[Cc]hildren\s+[Ss]ervices))\b")
_COMPANY = re.compile(rf"\b({_CAP_RUN}\s+(?:Ltd|Limited|LTD|plc|PLC|LLP|CIC|Holdings|Group|Children['’]s\s+Trust))\b\.?")
_APPOSITIVE = re.compile(rf"\b({_CAP_RUN})(?:\s+\((?P<abbr>[A-Z]{{2,6}})\))?,\s+(?:a|an|the)\s+(?P<what>(?:[\w'’-]+\s+){{0,5}}"
                         r"(?:company|council|authority|agency|home|service|provider|charity|trust|centre|firm|business|organisation))\b(?!['’]|\s+(?:agreed|said|has|had|was|is|will|would))")
# "Five Rivers Child Care has been rated good": whatever is rated is a provider (or a council)
_RATED_NAME = re.compile(rf"\b({_CAP_RUN})(?:\s+\([A-Z]{{2,6}}\))?\s+(?:has\s+|have\s+|had\s+)?(?:been\s+|was\s+|were\s+|is\s+|are\s+)(?:[a-z]+\s+){{0,2}}?"
                         r"(?:rated|judged|graded|given|awarded|branded|found|told)\b[^.]{0,40}?"
                         r"\b(?i:outstanding|good|inadequate|requir\w+\s+improvement|top\s+rating)\b")
_OWNER_OF = re.compile(rf"\b({_CAP}(?:\s+{_CAP})+)['’]s\s+(?:independent\s+|own\s+|in-house\s+)?(?:fostering|adoption|children['’]s home|residential)\b")
_REGULATOR = re.compile(r"\b(Ofsted|OFSTED|Oftsed|Office for Standards in Education|Care Quality Commission|CQC)\b")
_OTHER_BODIES = re.compile(r"\b(Department for Education|DfE|Local Government Association|NSPCC|Barnardo['’]s|NHS(?: [A-Z]\w+)*|"
                           r"(?:[A-Z]\w+\s+)+Police|Children['’]s Commissioner)\b")
_GENERIC_WORDS = {"Children", "Childrens", "Children's", "Children’s", "Services", "Service", "Social", "Care", "The",
                  "Foster", "Fostering", "Agency", "Council", "County", "Local", "Authority", "Good", "Outstanding",
                  "Inadequate", "Requires", "Improvement"}


def _strip_lead(name: str) -> str:
    words = name.split()
    while words and (words[0] in _LEAD_STOP or words[0].upper() == words[0] and words[0] in {w.upper() for w in _LEAD_STOP}):
        words.pop(0)
    return " ".join(words)


def _strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name)


class Organisations:
    """The organisations named in an article, found by name patterns and appositives."""

    def __init__(self) -> None:
        self.by_key: dict[str, Organisation] = {}

    def add(self, name: str, kind: str, index: tuple[int, int], alias: str | None = None) -> Organisation | None:
        name = " ".join(name.split()).strip(" ,.;:'’")
        if not name or name in _GENERIC_WORDS or len(name) < 3:
            return None
        key = _org_key(name)
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = Organisation(name, kind)
        elif _KIND_RANK[kind] > _KIND_RANK[found.kind]:
            found.kind = kind
        found.first_seen = min(found.first_seen, index)
        if alias:
            found.aliases.add(alias)
        return found

    def all(self) -> list[Organisation]:
        return sorted(self.by_key.values(), key=lambda o: o.first_seen)

    def of_kind(self, *kinds: str) -> list[Organisation]:
        return [o for o in self.all() if o.kind in kinds]


_KIND_RANK = {"other": 0, "company": 1, "provider": 2, "local_authority": 2, "regulator": 3}


def _org_key(name: str) -> str:
    key = name.lower().replace("’", "'")
    key = re.sub(r"\b(ltd|limited|plc)\b\.?", "", key)
    key = re.sub(r"'s\b", "", key)
    return " ".join(re.sub(r"[^a-z0-9& ]", " ", key).split())


def find_organisations(sentences: list[Sentence], has_homes: bool) -> Organisations:
    """The organisations named in the sentences, each with a kind."""
    orgs = Organisations()
    for sentence in sentences:
        probe, index = sentence.probe, sentence.index
        for match in _REGULATOR.finditer(probe):
            token = match.group(1)
            name = "Ofsted" if token.lower() in ("ofsted", "oftsed") or token.startswith("Office for") else token
            if name == "CQC":
                name = "Care Quality Commission"
            orgs.add(name, "regulator", (index, match.start()), alias=token)
        for match in _OTHER_BODIES.finditer(probe):
            orgs.add(match.group(1), "other", (index, match.start()))
        for match in _COUNCIL.finditer(probe):
            name = _strip_possessive(_strip_lead(match.group(1)))
            # "Sandwell Council and Walsall Council" are two councils; "Brighton and Hove City Council" is one
            for part in re.split(r"\s+(?:and|&)\s+(?=(?:[A-Z][\w'’-]*\s+)+Council$)", name) if re.search(r"Council\s+(?:and|&)\s", name) else [name]:
                part = _strip_lead(part)
                if len(part.split()) >= 2 or part.startswith(("London", "Royal", "City")):
                    orgs.add(part, "local_authority", (index, match.start() + match.group(1).find(part)))
        for match in _CHILDREN_SERVICES.finditer(probe):
            place = _strip_lead(match.group(1))
            if _strip_possessive(place).endswith("Council"):
                orgs.add(_strip_possessive(place), "local_authority", (index, match.start()), alias=f"{place} {match.group(2)}")
            elif place and _strip_possessive(place) not in _GENERIC_WORDS:
                orgs.add(f"{place} {match.group(2)}", "local_authority", (index, match.start()))
        for match in _COMPANY.finditer(probe):
            name = _strip_lead(match.group(1))
            if len(name.split()) >= 2:
                orgs.add(name, "company", (index, match.start()))
        for match in _PROVIDER_HEAD.finditer(probe):
            name = _strip_lead(f"{match.group(1)} {match.group(2)}")
            name = re.sub(r"^[A-Z][\w-]*['’]s\s+(?=[A-Z])", "", name)  # "Stourport's Acorn Fostering"
            if len(name.split()) >= 2 and _strip_possessive(name.split()[0]) not in _GENERIC_WORDS:
                orgs.add(_strip_possessive(name), "provider", (index, match.start()))
        for match in _NAMED_BY_APPOSITION.finditer(probe):
            name = _strip_lead(match.group(1))
            if name and _strip_possessive(name.split()[0]) not in _GENERIC_WORDS:
                orgs.add(name, "provider", (index, match.start(1)))
        if has_homes:
            for match in _HOUSE_HEAD.finditer(probe):
                name = _strip_lead(f"{match.group(1)} {match.group(2)}")
                if len(name.split()) >= 2:
                    orgs.add(name, "provider", (index, match.start()))
        for match in _APPOSITIVE.finditer(probe):
            name, what = _strip_lead(match.group(1)), match.group("what").lower()
            if not name or len(name) < 3 or any(o.name.endswith(" " + name) for o in orgs.all()):
                continue
            if "company" in what or re.search(r"\b(ltd|limited|firm|business|trust)\b", what):
                kind = "company"
            elif re.search(r"\b(council|local authority)\b", what):
                kind = "local_authority"
            elif re.search(r"\b(fostering|adoption|children's home|children’s home|home|agency|provider|service|centre|residential)\b", what):
                kind = "provider"
            else:
                continue
            orgs.add(name, kind, (index, match.start()), alias=match.group("abbr"))
        for match in (_RATED_NAME.finditer(probe) if re.search(r"(?i:ofsted|inspect|watchdog|regulator)", probe) else ()):
            name = _strip_possessive(_strip_lead(match.group(1)))
            words = name.split()
            # a name that starts the clause, of two words or more ("an agency in Redditch has been rated" names a place)
            starts_clause = re.search(r"(?:^|[.,;:(\"“‘']\s*|\band\s+|\bbut\s+)$", probe[:match.start()])
            if len(words) >= 2 and starts_clause and not all(_strip_possessive(w) in _GENERIC_WORDS or w.islower() for w in words) \
                    and not _OUT_OF_SCOPE.search(name) and name[:1].isupper() and _org_key(name) not in orgs.by_key:
                orgs.add(name, "local_authority" if re.search(r"\bCouncil\b", name) else "provider", (index, match.start()))
        for match in _OWNER_OF.finditer(probe):
            name = _strip_lead(match.group(1))
            if len(name.split()) >= 2 and name not in _GENERIC_WORDS:
                orgs.add(name, "company", (index, match.start()))
    _add_named_services(sentences, orgs)
    _drop_cut_names(sentences, orgs)
    _merge_services_into_councils(orgs)
    # a name that is the start of a provider's name and also printed on its own ("Chief Executive
    # for Worcestershire Children First") is the organisation that runs the service
    _add_bare_parents(sentences, orgs)
    return orgs


def _drop_cut_names(sentences: list[Sentence], orgs: Organisations) -> None:
    """ "Compass Fostering" found inside every mention of "Compass Fostering North" is not a second provider."""
    for short in orgs.of_kind("provider"):
        longer = [o for o in orgs.all() if o is not short and o.name.startswith(short.name + " ")]
        if not longer:
            continue
        alone = re.compile(rf"\b{re.escape(short.name)}\b(?!\s+(?:{'|'.join(re.escape(o.name[len(short.name) + 1:]) for o in longer)})\b)")
        if not any(alone.search(s.probe) for s in sentences):
            for other in longer:
                other.first_seen = min(other.first_seen, short.first_seen)
            del orgs.by_key[_org_key(short.name)]


def _add_named_services(sentences: list[Sentence], orgs: Organisations) -> None:
    """ "Meadowbank children's home" names a provider unless the article shows the name is a place
    ("a children's home in Wigan", "Wigan Council")."""
    text = "\n".join(s.probe for s in sentences)
    for sentence in sentences:
        for match in _NAMED_SERVICE.finditer(sentence.probe):
            name = _strip_possessive(_strip_lead(match.group(1)))
            if not name or any(_strip_possessive(w) in _GENERIC_WORDS for w in name.split()) or _OUT_OF_SCOPE.search(name):
                continue
            escaped = re.escape(name)
            place = re.search(rf"\b(?:in|at|near|across|around|from|of|for|outside|throughout)\s+(?:the\s+)?{escaped}\b"
                              rf"|\b{escaped}(?:['’]s)?\s+(?:(?:County|City|Borough|District|Metropolitan)\s+)*Council\b"
                              rf"|\b{escaped}['’]s\s+(?:council|children|mayor|director)", text)
            if place or any(o.kind == "local_authority" and o.name.startswith(name + " ") for o in orgs.all()):
                continue
            orgs.add(name, "provider", (sentence.index, match.start()))


def _merge_services_into_councils(orgs: Organisations) -> None:
    """ "Dudley children's services" is the children's services of "Dudley Council": one organisation."""
    for services in orgs.of_kind("local_authority"):
        match = re.match(r"^(.+?)(?:['’]s)?\s+[Cc]hildren", services.name)
        if not match:
            continue
        place = match.group(1)
        councils = [o for o in orgs.of_kind("local_authority") if o is not services and re.match(
            rf"^(?:{re.escape(place)}\s+(?:(?:County|City|Borough|District|Metropolitan)\s+)*Council"
            rf"|(?:(?:London|Royal)\s+Borough|City)\s+of\s+{re.escape(place)}(?:\s+Council)?)$", o.name)]
        if len(councils) == 1:
            council = councils[0]
            council.aliases |= {services.name} | services.aliases
            council.first_seen = min(council.first_seen, services.first_seen)
            del orgs.by_key[_org_key(services.name)]


def _add_bare_parents(sentences: list[Sentence], orgs: Organisations) -> None:
    for provider in orgs.of_kind("provider"):
        words = provider.name.split()
        for cut in range(len(words) - 1, 1, -1):
            parent = " ".join(words[:cut])
            if _org_key(parent) in orgs.by_key or parent.split()[-1] in _GENERIC_WORDS:
                continue
            bare = re.compile(rf"\b{re.escape(parent)}\b(?!\s+{re.escape(words[cut])})")
            # "Harbour Lights Care Group Ltd" is another organisation, not a bare "Harbour Lights"
            others = [re.escape(n) for o in orgs.all() if o is not provider for n in o.patterns() if n.startswith(parent + " ")]
            hits = [(s.index, m.start()) for s in sentences for m in bare.finditer(s.probe)
                    if not any(re.match(other, s.probe[m.start():]) for other in others)]
            if hits:
                orgs.add(parent, "company", hits[0])
                break


# ---------------------------------------------------------------------------------------------
# Mentions of organisations in a sentence

@dataclass
class Mention:
    start: int
    end: int
    subject: str | None
    kind: str


# schools and nurseries are Ofsted's too, but not this graph's: their grades are not claims
OUT_OF_SCOPE = "(out of scope)"
_OUT_OF_SCOPE = re.compile(r"\b(?:(?i:a|an|the|this|its)\s+(?:(?!residential)[\w'’-]+\s+){0,3}?(?:nursery|school|academy|college|pre-school|preschool|childminder|university|hospital)"
                           r"|(?:[A-Z][\w'’-]+\s+){1,4}(?:Nursery|Academy|Primary\s+School|High\s+School|Junior\s+School|Infant\s+School|College|Pre-School))\b")
_ANAPHOR = re.compile(r"\b(?:the|this|a|an|its|our|their)\s+(?:[\w'’-]+\s+){0,3}?(agency|service|home|council|authority|provider|organisation|company|trust)\b", re.I)


class Subjects:
    """Finds which organisation a part of a sentence is about."""

    def __init__(self, orgs: Organisations, sentences: list[Sentence]) -> None:
        self.orgs = orgs
        # a children's trust runs a council's children's services: its grades are the story's subject too
        candidates = [o for o in orgs.all() if o.kind in ("provider", "local_authority") or _is_trust(o.name)]
        self.main_trust = next((o for o in orgs.all() if _is_trust(o.name)), None)
        # "early" is the headline and the story's first three sentences; bylines and datelines do not count
        body = [s.index for s in sentences[1:] if len(s.text.split()) >= 6]
        horizon = body[2] if len(body) > 2 else (sentences[-1].index if sentences else 3)
        early = [o for o in candidates if o.first_seen[0] <= horizon]
        if early:
            self.main = early[0]
        elif candidates:
            counts = {o.name: sum(len(re.findall(re.escape(o.name), s.probe)) for s in sentences) for o in candidates}
            self.main = max(candidates, key=lambda o: (counts[o.name], -o.first_seen[0], -o.first_seen[1]))
        else:
            self.main = None
        self.main_provider = next(iter(orgs.of_kind("provider")), None)
        self.main_council = next(iter(orgs.of_kind("local_authority")), None)
        self.main_company = next(iter(orgs.of_kind("company")), None)
        self.fallback = self.main.name if self.main else _unnamed_subject(sentences)
        self._patterns = [(re.compile(rf"\b{re.escape(p)}(?:['’]s)?(?![\w])" if p[-1].isalnum() else re.escape(p)), o)
                          for o in orgs.all() for p in o.patterns()]
        self._patterns.sort(key=lambda item: -len(item[0].pattern))

    def mentions(self, probe: str) -> list[Mention]:
        """Named and anaphoric mentions of organisations, left to right, regulators and others excluded."""
        found: list[Mention] = []

        def free(start: int, end: int) -> bool:
            return not any(start < m.end and end > m.start for m in found)

        for pattern, org in self._patterns:
            for match in pattern.finditer(probe):
                if free(*match.span()):
                    found.append(Mention(match.start(), match.end(), org.name, org.kind))
        for match in _ANAPHOR.finditer(probe):
            if not free(*match.span()):
                continue
            noun = match.group(1).lower()
            if noun in ("council", "authority"):
                target = self.main_council or (self.main if self.main and self.main.kind == "local_authority" else None)
            elif noun == "company":
                target = self.main_company
            elif noun == "trust":
                target = self.main_trust
            elif noun == "service":
                target = self.main
            else:
                target = self.main_provider or self.main
            if target is not None:
                found.append(Mention(match.start(), match.end(), target.name, target.kind))
            elif self.main is None:
                found.append(Mention(match.start(), match.end(), None, "provider"))
        for match in _OUT_OF_SCOPE.finditer(probe):
            if free(*match.span()):
                found.append(Mention(match.start(), match.end(), OUT_OF_SCOPE, "out_of_scope"))
        return sorted((m for m in found if m.kind not in ("regulator", "other")), key=lambda m: m.start)

    def subject_at(self, probe: str, position: int, mentions: list[Mention] | None = None) -> str | None:
        """The provider or council named nearest before ``position`` in the sentence, else just after it, else the main one.

        An organisation named in a speaker's title ("chief executive for X") is not what the
        claim is about.
        """
        mentions = self.mentions(probe) if mentions is None else mentions
        asides = [match.span() for match in _ASIDE.finditer(probe) if match.end() <= position]
        mentions = [m for m in mentions if not _in_title(probe, m)
                    and not any(a_start < m.start and m.end <= a_end for a_start, a_end in asides)]
        before = [m for m in mentions if m.end <= position and m.subject]
        if before:
            return before[-1].subject
        after = [m for m in mentions if m.start >= position and m.subject
                 and not re.search(r";|,\s*(?:while|whereas|but|and)\b|\bwhile\b|\bwhereas\b", probe[position:m.start])]
        if after:
            return after[0].subject
        return self.fallback


# ", which runs children's social care on behalf of Birmingham City Council," names someone else
_ASIDE = re.compile(r",\s+(?:which|who|whose|run\s+by|owned\s+by|operated\s+by|part\s+of|formerly|once|an?|the)\b[^,]{0,150},")


def _in_title(probe: str, mention: Mention) -> bool:
    """Whether a mention is part of a speaker's title ("chief executive for Worcestershire Children First")."""
    return bool(re.search(r"\b(?:executive|director|manager|chair|chairman|head|leader|member|spokes\w+|officer|founder|owner|individual)\s+"
                          r"(?:of|for|at|with)\s+(?:the\s+)?$|\b(?:run|owned|operated|managed|provided)\s+by\s+(?:the\s+)?$"
                          r"|\bon\s+behalf\s+of\s+(?:the\s+)?$|\bpart\s+of\s+(?:the\s+)?$", probe[:mention.start], re.I))


def _is_trust(name: str) -> bool:
    return bool(re.search(r"\bChildren['’]?s\s+Trust\b", name))


def _unnamed_subject(sentences: list[Sentence]) -> str | None:
    """For an article that names no provider or council: its first description of one ("a children's home in Redditch")."""
    pattern = re.compile(r"\b(?i:an?|the)\s+(?P<what>(?:[\w'’-]+\s+){0,2}?(?i:children['’]s home|fostering (?:agency|service)|adoption (?:agency|service)"
                         r"|residential (?:home|school|family centre)|care home))(?P<where>\s+(?:in|near|for|at)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?")
    for sentence in sentences:
        match = pattern.search(sentence.probe)
        if match:
            return match.group("what").lower() + (match.group("where") or "")
    return None


# ---------------------------------------------------------------------------------------------
# Grades, judgement areas, previous ratings

_GRADE = re.compile(r"\b(?P<ri_good>requir(?:es|ed|ing|e)\s+improvement\s+to\s+be\s+good)"
                    r"|\b(?P<ri>requir(?:es|ed|ing|e)\s+improvement|need(?:s|ing)\s+improvement)"
                    r"|\b(?P<top>(?:the\s+)?(?:top|highest|best)(?:\s+possible)?\s+(?:ofsted\s+)?(?:rating|grade|judgement|judgment))"
                    r"|\b(?P<bottom>(?:the\s+)?(?:lowest|worst|bottom)(?:\s+possible)?\s+(?:ofsted\s+)?(?:rating|grade|judgement|judgment))"
                    r"|\b(?P<word>outstanding|good|inadequate)\b", re.I)
_RATING_VERB = (r"rated|rating|ratings|rating\s+of|judged|judgement\s+of|graded|deemed|assessed|found|told|given|awarded|achieved|achieving"
                r"|received|receiving|receive|retained|retains|kept|keeps|maintained|maintains|remains|remain|remained|earned|secured"
                r"|gained|downgraded|upgraded|improved|moved|slipped|dropped|fell|rose|jumped|climbed|previously|from|named|declared|branded"
                r"|labelled|classed|classified|considered|get|gets|got|achieve|achieves|achieving")
_FILLER = r"(?:as|to|be|being|been|a|an|the|its|their|overall|again|once|now|still|also|previously|it|was|is|were|are|has|have|had|rated|judged|up|down|of|ofsted's|ofsted|an\s+overall|by\s+ofsted)"
_BEFORE_CONTEXT = re.compile(rf"\b(?:{_RATING_VERB})\b(?:\s+{_FILLER})*\s*[‘'\"“]?\s*$"
                             r"|\bfrom\s+[‘'\"“]?(?:outstanding|good|inadequate|requir\w+\s+improvement(?:\s+to\s+be\s+good)?)[’'\"”]?\s+(?:to|into)\s+[‘'\"“]?\s*$", re.I)
_AFTER_CONTEXT = re.compile(r"^\s*[’'\"”]?\s*,?\s*(?:overall\b|(?:overall\s+)?(?:ofsted\s+)?(?:rating|grade|judgement|judgment|verdict)\b"
                            r"|(?:rating\s+)?(?:by|from)\s+(?:ofsted|inspectors|the\s+(?:regulator|watchdog|education\s+watchdog))"
                            r"|in\s+(?:its|their|the|a|an)\s+(?:latest\s+|most\s+recent\s+|recent\s+|new\s+|first\s+|last\s+)?(?:ofsted\s+)?(?:inspection|report)"
                            r"|(?:following|after)\s+(?:an?|its|their|the)\s+(?:recent\s+|latest\s+)?(?:ofsted\s+)?(?:inspection|visit)"
                            r"|across\s+(?:all|every)|in\s+(?:all|every)\s+(?:areas|categories)|,?\s*(?:says|said|according\s+to)\s+(?:ofsted|inspectors))", re.I)
_AFTER_OK_WORDS = {"rating", "ratings", "grade", "judgement", "judgment", "overall", "by", "from", "in", "for", "at", "after",
                   "following", "across", "and", "or", "but", "with", "since", "when", "as", "on", "last", "this", "earlier",
                   "to", "under", "according", "says", "said", "say", "its", "the", "again", "despite", "while", "which",
                   "who", "before", "ofsted", "status", "verdict", "once", "too", "also", "now", "because", "with"}
_QUOTE_OPEN = "'‘\"“"
_QUOTE_CLOSE = "'’\"”"

_AREAS = [
    (re.compile(r"experiences and progress of children who need help and protection", re.I), (None, "help_and_protection")),
    (re.compile(r"experiences and progress of children in care(?: and care leavers)?", re.I), (None, "in_care")),
    (re.compile(r"experiences and progress of care leavers", re.I), (None, "care_leavers")),
    (re.compile(r"overall experiences and progress|experiences and progress|overall experiences", re.I),
     ("overall_experiences_and_progress", "overall_effectiveness")),
    (re.compile(r"overall effectiveness", re.I), ("overall_experiences_and_progress", "overall_effectiveness")),
    (re.compile(r"help(?:ed)?\s+and\s+protect(?:ed|ion)|how well (?:children|young people)[\w\s]{0,40}?\b(?:are|were|is|kept)\b[\w\s]{0,20}?(?:safe|protected)"
                r"|keeping children safe|protect(?:ed|ion|ing)(?: of)? children", re.I), ("help_and_protection", "help_and_protection")),
    (re.compile(r"(?:impact|effectiveness) of leaders(?: and manage(?:rs|ment))?(?: on social work practice(?: with children and families)?)?"
                r"|leadership(?:\s+and\s+management)?|management\s+and\s+leadership|leaders\s+and\s+managers|\bleaders\b|\bmanagement\b", re.I),
     ("leadership_and_management", "leaders")),
    (re.compile(r"children in care(?: and care leavers)?|looked[- ]after children|children looked after", re.I), (None, "in_care")),
    (re.compile(r"care leavers|leaving care", re.I), (None, "care_leavers")),
]
_AREA_LINK = re.compile(r"(?:\b(?:is|are|was|were|been|be|rated|judged|graded|deemed|found|assessed|remains?|remained|achieved|received|as|also|now|overall)\b"
                        r"(?:\s+to(?:\s+be)?)?|[:–—-])\s*[‘'\"“]?\s*$|^\s*[‘'\"“]\s*$", re.I)
# stricter than _AREA_LINK: "care leavers' participation also required improvement" is not a grade
_AREA_CONTEXT_LINK = re.compile(r"(?:\b(?:is|are|was|were|been|be|rated|judged|graded|deemed|found|assessed|remains?|remained|achieved|received|as)\b"
                                r"(?:\s+to(?:\s+be)?)?|[:–—-])\s*(?:also\s+|now\s+|still\s+)?[‘'\"“]?\s*$", re.I)
_PREVIOUS_CUE = re.compile(r"\b(?:previously|previous|formerly|no\s+longer|lost|loses|losing|stripped\s+of|had\s+(?:also\s+|previously\s+)?been|having\s+been|up\s+from|down\s+from"
                           r"|before\s+that|prior|earlier|used\s+to\s+be|was\s+once|in\s+the\s+past)\b", re.I)
# a grade hoped for, feared, denied or conditional is not a grade given ("could be rated inadequate if ...",
# "unlikely to be rated 'good'", "was not rated outstanding"); "no longer" is a previous grade, not a denial
_UNGIVEN = re.compile(r"(?-i:\b[Mm]ay\b(?!\s+(?:19|20)\d\d))|\b(?:could|would|might|should|shall|unlikely|likely|hop(?:e|es|ed|ing)|aim(?:s|ed|ing)?|want(?:s|ed)?"
                      r"|expect(?:s|ed|ing)?|if|unless|whether|bid|ambition|target|strive|striving|not|never|neither|nor|cannot"
                      r"|risk(?:s|ed)?\s+being|danger\s+of|fail(?:s|ed)?\s+to|aspire|aspires|aspiring|push\s+for|pushing\s+for|on\s+track\s+to)\b"
                      r"|n['’]t\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]|\b(?:but|while|whereas|although|though|however|and|after|when|which|who)\b", re.I)


def _is_ungiven(probe: str, start: int) -> bool:
    """Whether the grade at ``start`` is hypothetical or negated within its own clause."""
    before = probe[max(0, start - 70):start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    if re.search(r"\bno\s+longer\b", clause, re.I):
        return False
    return bool(_UNGIVEN.search(clause))


_LAST_CUE = re.compile(r"\b(?:last|previous)\s+(?:full\s+|standard\s+|ofsted\s+)?(?:inspection|report|visit)|\blast\s+time\b|\blast\s+inspected\b", re.I)


@dataclass
class GradeMention:
    start: int
    end: int
    grade: str
    quoted: bool


def _grade_token(match: re.Match) -> str:
    if match.group("ri_good") or match.group("ri"):
        return "requires_improvement"
    if match.group("top"):
        return "outstanding"
    if match.group("bottom"):
        return "inadequate"
    return match.group("word").lower()


def find_grades(probe: str, mentions: list[Mention]) -> list[GradeMention]:
    """Grade words used as ratings in the sentence (not "good progress" or "areas that require improvement")."""
    grades = []
    for match in _GRADE.finditer(probe):
        start, end = match.span()
        grade = _grade_token(match)
        before, after = probe[max(0, start - 60):start], probe[end:end + 60]
        opener = before.rstrip()[-1:] if before.rstrip() else ""
        closer = after.lstrip()[:1]
        quoted = opener in _QUOTE_OPEN and closer in _QUOTE_CLOSE and len(before) - len(before.rstrip()) <= 1
        if match.group("top") or match.group("bottom"):
            grades.append(GradeMention(start, end, grade, quoted))
            continue
        if re.search(r"\b(?:areas?|that|which|where|what|things|aspects)\s+(?:\w+\s+){0,3}$", before, re.I) and not quoted \
                and not re.search(r"\b(?:rated|judged|graded)\b", before[-25:], re.I):
            continue
        next_word = re.match(r"^[’'\"”]?\s*([A-Za-z]+)", after)
        if match.group("word") and next_word and next_word.group(1).lower() not in _AFTER_OK_WORDS and not quoted \
                and not (match.group("word")[0].isupper() and next_word.group(1).lower() in ("rating", "grade")):
            continue
        context = bool(quoted or match.group("ri_good") or _BEFORE_CONTEXT.search(before) or _AFTER_CONTEXT.match(after)
                       or _area_after(probe, end))
        if not context and match.group("ri") and match.group("ri").lower().startswith("need"):
            continue
        if not context:
            # "Ofsted rated Oak Fostering good", "judged the home to be inadequate"
            object_mention = [m for m in mentions if m.end <= start and re.fullmatch(r"\s*(?:to\s+be\s+|as\s+)?[‘'\"“]?\s*", probe[m.end:start])]
            context = bool(object_mention and re.search(r"\b(?:rated|rates|rate|judged|judges|graded|grades|deemed|found|declared|named)\s*$",
                                                        probe[:object_mention[-1].start], re.I))
        if not context:
            # "<organisation> is outstanding", "<area> ... are Good", "<Area>: Good"
            named = [m for m in mentions if m.end <= start and start - m.end <= 30]
            link = re.search(r"(?:\b(?:is|was|has\s+been|remains|are|were)\s+(?:now\s+|still\s+|also\s+)?|[:–—-]\s*)[‘'\"“]?\s*$", before, re.I)
            context = bool(link and named) or (_area_before(probe, start, mentions) is not None
                                               and bool(_AREA_CONTEXT_LINK.search(before) or _is_table_row(probe, end)
                                                        or _verb_grade(probe, start, before[-12:])))
        if context and not _is_ungiven(probe, start):
            grades.append(GradeMention(start, end, grade, quoted))
    return grades


def _is_table_row(probe: str, end: int) -> bool:
    """A judgement row copied from a report: an area phrase first, the grade last ("Overall experiences ... Good")."""
    if probe[end:].strip(" .’'\"”"):
        return False
    head = re.sub(r"^\s*(?:the\s+)", "", probe, flags=re.I)
    return len(probe) < 200 and any(pattern.match(head) for pattern, _ in _AREAS)


def _area_before(probe: str, position: int, mentions: list[Mention]) -> tuple[str | None, str | None] | None:
    """The judgement area a grade at ``position`` is given for, named before it ("leadership ... was judged")."""
    row = _is_table_row(probe, _GRADE.match(probe, position).end()) if _GRADE.match(probe, position) else False
    best = None
    for pattern, keys in _AREAS:
        for match in pattern.finditer(probe, 0, position):
            between = probe[match.end():position]
            if len(between) > 90 or re.search(r"[;.]\s|\b(?:outstanding|good|inadequate|requir\w+ improvement)\b", between, re.I):
                continue
            if any(match.end() <= m.start < position for m in mentions):
                continue
            if not _AREA_LINK.search(between) and not row and not _verb_grade(probe, position, between):
                continue
            if best is None or match.end() > best[0]:
                best = (match.end(), keys)
    return best[1] if best else None


def _verb_grade(probe: str, position: int, between: str) -> bool:
    """ "children in care require improvement": the grade is itself the verb of the area before it."""
    return bool(re.fullmatch(r"\s*(?:also\s+|still\s+|now\s+|all\s+|both\s+)?", between)
                and re.match(r"(?:requir(?:e|es|ed)|need(?:s|ed)?)\s+improvement", probe[position:], re.I))


def _area_after(probe: str, position: int) -> tuple[str | None, str | None] | None:
    after = probe[position:position + 90]
    lead = re.match(r"^\s*[’'\"”]?\s*(?:for|in|on|at)\s+(?:the\s+|its\s+|their\s+|terms\s+of\s+(?:the\s+)?)?", after, re.I)
    if not lead:
        return None
    rest = after[lead.end():]
    for pattern, keys in _AREAS:
        match = pattern.match(rest)
        if match:
            return keys
    return None


def _area_key(keys: tuple[str | None, str | None], subject_kind: str) -> str | None:
    provider_key, council_key = keys
    return council_key if subject_kind == "local_authority" else provider_key


# ---------------------------------------------------------------------------------------------
# Counts

_COUNT_CONTEXT = re.compile(r"\b(?:placement|placements|placed|caring\s+for|cares\s+for|care\s+for|looking\s+after|looked\s+after|looks\s+after"
                            r"|living|lived|lives|accommodat\w*|providing|provides|provided|support(?:s|ing|ed)?|at\s+the\s+time|in\s+(?:foster\s+)?care"
                            r"|there\s+(?:were|are)|had|has|with|approved|registered\s+with|fostering\s+for|home\s+to|services?\s+(?:for|to))\b", re.I)
_CAPACITY = re.compile(r"\b(?:up\s+to|maximum\s+of|max\.?|capacity|registered\s+(?:to|for)|places\s+for|beds?\s+for|aged|age|ages|under)\s*$", re.I)
_COUNTS = [
    ("households", re.compile(rf"\b(?P<n>{NUMBER})\s+(?:(?:approved|active|current|fostering|foster|registered)\s+){{0,2}}(?:households|(?<=foster )families|(?<=fostering )families)\b", re.I)),
    ("carers", re.compile(rf"\b(?P<n>{NUMBER})\s+(?:(?:approved|active|current|mainstream|connected[- ]persons?['’]?|kinship|family\s+and\s+friends|short[- ]breaks?|respite|specialist|fostering)\s+){{0,3}}(?:foster\s+)?carers\b", re.I)),
    ("children", re.compile(rf"\b(?P<n>{NUMBER})\s+(?:(?:looked[- ]after|fostered|vulnerable|disabled|more|other|unaccompanied|asylum[- ]seeking)\s+){{0,2}}(?:children|young\s+people|child|young\s+person)\b", re.I)),
]


def find_counts(probe: str) -> list[tuple[str, int, int]]:
    """(predicate, value, position) for numbers of children, households and carers the service was working with."""
    if not _COUNT_CONTEXT.search(probe):
        return []
    found = []
    for predicate, pattern in _COUNTS:
        for match in pattern.finditer(probe):
            value = words_to_int(match.group("n"))
            if value is None or value == 0 or re.fullmatch(r"a", match.group("n").strip(), re.I):
                continue
            before = probe[max(0, match.start() - 30):match.start()]
            if _CAPACITY.search(before) or re.search(r"%|per\s*cent", probe[match.end():match.end() + 10]):
                continue
            if match.group("n").lower() in ("one",) and predicate == "children":
                continue
            if predicate == "children" and _EVENT_AFTER.match(probe, match.end()):
                continue  # "two children had been placed there in an emergency" counts an event, not the service
            found.append((predicate, value, match.start()))
    if not any(f[0] == "children" for f in found) and re.search(r"\b(?:children|young\s+people)\b", probe, re.I):
        # "registered for up to four children and caring for three at the time"
        for match in re.finditer(rf"\b(?:caring\s+for|looking\s+after|supporting|accommodating)\s+(?P<n>{NUMBER})\s+"
                                 r"(?=at\s+the\s+time|when|during)", probe, re.I):
            value = words_to_int(match.group("n"))
            if value:
                found.append(("children", value, match.start("n")))
    return sorted(found, key=lambda item: item[2])


_EVENT_AFTER = re.compile(r"\s+(?:had|have|has)\b|\s+went\b|\s+were\s+(?!placed\s+with|living|being\s+(?:cared|looked|supported)"
                          r"|cared|looked|supported|fostered|in\s+(?:its|the|their)\s+care)", re.I)


# ---------------------------------------------------------------------------------------------
# People

_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Cllr\.?|Councillor|Coun\.?)"
_NAME_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O['’][A-Z][a-z]+)"
_PERSON = rf"(?:(?P<honorific>{_HONORIFIC})\s+)?(?P<name>{_NAME_WORD}(?:\s+(?:[A-Z]\.\s+)?{_NAME_WORD}){{1,2}})"
_ROLE_WORDS = re.compile(r"\b(?:chief\s+executive|director|councillor|cabinet\s+member|portfolio\s+holder|lead\s+member|leader|mayor|registered\s+manager"
                         r"|responsible\s+individual|manager|head|chair|chairman|chairwoman|spokes(?:person|man|woman)|inspector|officer|ceo|founder"
                         r"|owner|mp|minister|secretary|deputy|assistant|executive|member|boss|commissioner)\b", re.I)
# "Director of children's services Tom Price said": the words of a title between its role word and the name
_TITLE_WORD = r"(?:[a-z][\w'’-]*|Children['’]s|Children|Services|Social|Care|Families|Education|Young|People|Learning|Skills|&)"
_NOT_TITLE_WORD = r"(?!(?:Children|Services|Social|Care|Families|Education|Young|People|Learning|Skills)\b)"
_SAY = r"(?:said|says|added|explained|commented|told|stated|responded|welcomed)"
_PEOPLE_PATTERNS = [
    # "Director of Nexus Fostering, Grace Wyatt, said"
    re.compile(rf"(?P<title>(?:[A-Z][\w'’-]*|the|of|for|and|with|at|&|[a-z]+)(?:\s+(?:[\w'’&-]+)){{0,12}}?),\s+{_PERSON},?\s+(?:{_SAY}|who\b)"),
    # "Grace Wyatt, director of Nexus Fostering, said" / "said Grace Wyatt, director of ..."
    re.compile(rf"{_PERSON}\s*,\s+(?:the\s+|its\s+|their\s+)?(?P<title>[^,.;:“”\"]{{3,140}}?)\s*(?:,|\bsaid\b|\bsays\b|:|\.|$)"),
    # "Registered manager Jane Smith said" / "Cllr Andy Roberts said"
    re.compile(rf"(?P<title>(?:[Tt]he\s+)?(?:home['’]s\s+|agency['’]s\s+|service['’]s\s+|council['’]s\s+)?(?:[A-Z]?[a-z]+\s+){{0,3}}(?:[Rr]egistered\s+[Mm]anager|[Rr]esponsible\s+[Ii]ndividual|[Dd]irector|[Cc]hief\s+[Ee]xecutive|[Mm]anager|[Cc]ouncillor|[Ll]eader|[Cc]abinet\s+[Mm]ember|[Ll]ead\s+[Ii]nspector)"
               rf"(?:\s+(?:of|for)(?:\s+{_TITLE_WORD}){{1,6}}?)?),?\s+{_NOT_TITLE_WORD}{_PERSON}\b"),
]


def _role_of(title: str, honorific: str | None) -> str:
    lowered = title.lower()
    if "responsible individual" in lowered:
        return "responsible_individual"
    if "registered manager" in lowered:
        return "registered_manager"
    if "chief executive" in lowered or re.search(r"\bceo\b", lowered):
        return "chief_executive"
    if re.search(r"\b(?:cabinet member|councillor|cllr|portfolio holder|lead member|leader of|council leader)\b", lowered) \
            or (honorific and honorific.lower().rstrip(".") in ("cllr", "councillor", "coun")):
        return "councillor"
    if re.search(r"\blead\s+inspector\b", lowered):
        return "lead_inspector"
    if re.search(r"\binspector\b", lowered):
        return "inspector"
    if re.search(r"\bdirector\b", lowered):
        return "director"
    return "other"


def _split_title(title: str, orgs: Organisations, subjects: Subjects) -> tuple[str, str | None]:
    """Separate "director of Nexus Fostering" into the title and the organisation it names."""
    for org in orgs.all():
        for name in org.patterns():
            possessive = re.match(rf"^{re.escape(name)}['’]s\s+", title)
            if possessive:
                return title[possessive.end():], org.name  # "Ofsted's national director for social care"
            if title.startswith(name + " ") and _ROLE_WORDS.match(title[len(name) + 1:]):
                return title[len(name) + 1:], org.name  # "Norfolk County Council leader"
            match = re.search(rf"\s+(?:of|for|at|with)\s+(?:the\s+)?{re.escape(name)}(?:['’]s)?\s*$", title)
            if match:
                return title[:match.start()].strip(), org.name
            if title.endswith(" " + name) and re.search(r"\b(?:director|executive|manager|member|leader|chair)\b", title[:-len(name)], re.I):
                return title[:-len(name)].strip(), org.name
    council_word = re.match(r"^(?:the\s+)?(?:council|authority|local\s+authority)(?:['’]s)?\s+(?=[a-z])", title, re.I)
    if council_word and subjects.main_council is not None:
        return title[council_word.end():], subjects.main_council.name  # "Council chief executive Caroline Simms"
    place = re.match(r"^([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})['’]s\s+(?=[a-z])", title)
    if place:
        councils = [o for o in orgs.of_kind("local_authority") if o.name.startswith(place.group(1) + " ") or o.name.startswith(place.group(1) + "'")]
        if len(councils) == 1:
            return title[place.end():], councils[0].name  # "Solihull's director of children's services"
    council_end = re.search(r"\s+(?:of|at|for)\s+the\s+(?:council|local\s+authority)$", title, re.I)
    if council_end and subjects.main_council is not None:
        return title, subjects.main_council.name  # "leader of the council"
    if re.search(r"\b(?:children['’]?s?|people['’]s|families['’])\s+services\b", title, re.I) and subjects.main_council is not None:
        return title, subjects.main_council.name
    if re.search(r"\b(?:councillor|cabinet member|portfolio holder|lead member)\b", title, re.I) and len(orgs.of_kind("local_authority")) == 1:
        return title, orgs.of_kind("local_authority")[0].name
    return title, None


def find_people(sentences: list[Sentence], orgs: Organisations, subjects: Subjects) -> list[dict]:
    """People the article names with a role, in order of first appearance; one entry per role held."""
    people: list[dict] = []
    org_words = {w for o in orgs.all() for p in o.patterns() for w in p.split()}
    for sentence in sentences:
        # "Cllr Sarah Lee (Labour, Riverside), portfolio holder ...": the party and ward are not the title
        text = _PARTY.sub("", sentence.text)
        for pattern in _PEOPLE_PATTERNS:
            for match in pattern.finditer(text):
                name, honorific = match.group("name"), match.group("honorific")
                if re.search(r"\b(?i:the)\s+$", text[:match.start("name")]):
                    continue  # "for the North West, Helen Ward": a region, not a person
                lead = re.match(rf"^({_HONORIFIC})\s+", name)
                if lead:
                    name, honorific = name[lead.end():], lead.group(1)
                title = " ".join(match.group("title").split()).strip(" ,")
                if set(name.split()) & (org_words | _GENERIC_WORDS | {"Ofsted", "Children", "Services"}):
                    continue
                if any(w in _MONTHS for w in (x.lower() for x in name.split())):
                    continue
                if pattern is _PEOPLE_PATTERNS[0]:
                    title = re.sub(r"^(?:[\s\S]*?\b(?:said|says|added|and|but|while)\s+)", "", title)
                    title = re.sub(r"^(?:[A-Z][\w'’]*\s+)?(?=(?:the|The)\b)", "", title) if not _ROLE_WORDS.match(title) else title
                title = re.sub(r"^(?:who\s+is|who\s+was|who\s+has\s+been|as)\s+", "", title, flags=re.I)
                title = re.sub(r"^(?:the|its|their)\s+", "", title, flags=re.I)
                owner = re.match(r"^(home|agency|service|council|authority|trust|company|organisation|charity)['’]s\s+", title, re.I)
                owner_name = None
                if owner:
                    title = title[owner.end():]
                    target = subjects.mentions(f"the {owner.group(1).lower()}")
                    owner_name = target[0].subject if target else None
                if not _ROLE_WORDS.search(title):
                    if not (honorific and honorific.lower().startswith(("cllr", "coun"))):
                        continue
                    title = ""  # "Speaking after the report was published, Councillor Jane Doe said"
                if len(title.split()) > 16 or re.search(r"\b(?:said|says|told)\b", title):
                    continue
                for part in _split_roles(title):
                    role = _role_of(part, honorific)
                    printed, organisation = _split_title(part, orgs, subjects)
                    organisation = organisation or owner_name
                    providers = orgs.of_kind("provider")
                    if organisation is None and role in ("registered_manager", "responsible_individual") and len(providers) == 1:
                        organisation = providers[0].name  # a manager in a story about one home or agency is its manager
                    councils = orgs.of_kind("local_authority")
                    if organisation is None and role in ("director", "chief_executive") and len(councils) == 1 \
                            and not orgs.of_kind("provider", "company") and not re.search(r"\b(?:ofsted|inspect)", part, re.I):
                        organisation = councils[0].name  # in a story about one council and no provider, its officers

                    if printed and printed[0].isupper() and _is_sentence_start(text, part) \
                            and (_ROLE_WORDS.match(printed) or _TITLE_LEAD.match(printed)) and printed[1:2].islower():
                        printed = printed[0].lower() + printed[1:]
                    _add_person(people, name, role, printed or None, organisation)
        # "Councillor Andy Roberts" with no printed title is still a councillor
        for match in re.finditer(rf"\b(?:Councillor|Cllr\.?)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})", text):
            _add_person(people, match.group("name"), "councillor", None, None)
    return people


_PARTY = re.compile(r"\s*\((?:Con|Conservative|Lab|Labour|Lib\s+Dem|Liberal\s+Democrats?|LD|Green|Ind|Independent|Reform(?:\s+UK)?"
                    r"|Plaid(?:\s+Cymru)?|SNP)\b[^)]{0,60}\)")
# words that start a printed title and are capitalised only because they start the sentence
_TITLE_LEAD = re.compile(r"(?:lead|corporate|strategic|executive|interim|acting|deputy|assistant|senior|regional|national|group"
                         r"|service|home|agency|council|county|operations|managing)\b", re.I)


def _is_sentence_start(text: str, part: str) -> bool:
    position = text.find(part)
    return position == 0 or bool(re.match(r"^[\"“‘']?$", text[:position].strip()))


def _split_roles(title: str) -> list[str]:
    """ "director for Children Services and chief executive for X" holds two posts."""
    parts = re.split(r"\s+and\s+(?=(?:the\s+)?(?:chief\s+executive|director|cabinet\s+member|registered\s+manager|responsible\s+individual|councillor|leader)\b)", title, flags=re.I)
    return [p.strip() for p in parts if p.strip()]


def _add_person(people: list[dict], name: str, role: str, title: str | None, organisation: str | None) -> None:
    surname = name.split()[-1]
    for person in people:
        same = person["name"] == name or (len(name.split()) == 1 and person["name"].split()[-1] == surname)
        if same and (person["role"] == role or role == "other"):
            person["title"] = person["title"] or title
            person["organisation"] = person["organisation"] or organisation
            return
    if len(name.split()) < 2:
        return
    people.append({"name": name, "role": role, "title": title, "organisation": organisation})


# ---------------------------------------------------------------------------------------------
# Claims


def _claim(subject, predicate, value, area, when, sentence: Sentence) -> dict:
    return {"subject": subject, "predicate": predicate, "value": value, "area": area, "date": when, "quote": sentence.text}


def _nearest_date(dates: list[DateMention], position: int, end: int, blockers: list[int] = ()) -> DateMention | None:
    """The date nearest a claim's words that is not on the far side of another grade."""
    dates = [d for d in dates if not any(min(d.start, position) < b < max(d.end, end) for b in blockers)]
    if not dates:
        return None
    def distance(d: DateMention) -> int:
        return d.start - end if d.start >= end else position - d.end
    return min(dates, key=distance)


def _is_previous(probe: str, grade: GradeMention, grades: list[GradeMention]) -> tuple[bool, bool]:
    """(previous, only_if_another_current) for a grade, from cues in its clause."""
    earlier = [g for g in grades if g.end <= grade.start]
    clause_start = earlier[-1].end if earlier else 0
    before = probe[clause_start:grade.start]
    after = probe[grade.end:grade.end + 60]
    if earlier and re.fullmatch(r"\s*[’'\"”]?\s*(?:rating\s+|grade\s+)?(?:to|into)\s+(?:an?\s+)?[‘'\"“]?\s*", before, re.I):
        # the "Y" of "from X to Y" is current, unless the whole move is in the past ("having been downgraded from X to Y")
        first = earlier[-1]
        move_start = ([g.end for g in grades if g.end <= first.start] or [0])[-1]
        lead = re.sub(r"\b(?:up|down)?\s*from\s+[‘'\"“]?\s*$", "", probe[move_start:first.start], flags=re.I)
        return bool(_PREVIOUS_CUE.search(lead[-80:])), False
    if re.search(r"\bfrom\s+(?:an?\s+|its\s+|the\s+)?(?:previous\s+)?[‘'\"“]?\s*$", before, re.I) and re.match(r"^[’'\"”]?\s*(?:rating\s+|grade\s+)?(?:to|into)\b", after, re.I):
        return True, False
    if _PREVIOUS_CUE.search(before[-80:]) and not re.search(r"\b(?:now|latest|this\s+time|new|most\s+recent)\b", before[-40:], re.I):
        return True, False
    # "the last inspection" dates only the grade in its own clause ("told it requires improvement, down from
    # outstanding at its last inspection" makes the second grade previous, not the first)
    later = [g.start for g in grades if g.start >= grade.end]
    if _LAST_CUE.search(probe[clause_start:later[0] if later else len(probe)]):
        return True, True
    return False, False


def find_claims(sentences: list[Sentence], subjects: Subjects, published: str | None, orgs: Organisations) -> list[dict]:
    """Claims about grades, previous grades, areas, counts and inspection dates, sentence by sentence."""
    claims: list[dict] = []
    conditional: list[dict] = []
    for sentence in sentences:
        probe = sentence.probe
        mentions = subjects.mentions(probe)
        dates = find_dates(probe, published)
        grades = find_grades(probe, mentions)
        for grade in grades:
            subject = subjects.subject_at(probe, grade.start, mentions)
            subject_kind = next((o.kind for o in orgs.all() if o.name == subject), "provider")
            if subject and _is_trust(subject):
                subject_kind = "local_authority"  # a trust's grades are the council judgements it delivers
            keys = _area_after(probe, grade.end) or _area_before(probe, grade.start, mentions)
            overall_after = re.match(r"^[’'\"”]?\s*overall\b", probe[grade.end:], re.I)
            area = _area_key(keys, subject_kind) if keys and not overall_after else None
            previous, conditional_previous = _is_previous(probe, grade, grades)
            when = _nearest_date(dates, grade.start, grade.end, [g.start for g in grades if g is not grade])
            value_date = when.value if when else None
            predicate = "previous_rating" if previous else ("area_rating" if area else "rating")
            claim = _claim(subject, predicate, grade.grade, area, value_date, sentence)
            if conditional_previous:
                conditional.append(claim)
            claims.append(claim)
        for predicate, value, position in find_counts(probe):
            # a count's date comes before it ("at the time of the inspection in September 2021 there were ...")
            when = _nearest_date([d for d in dates if d.end <= position or (d.start - position <= 40 and "," not in probe[position:d.start])], position, position)
            claims.append(_claim(subjects.subject_at(probe, position, mentions), predicate, value, None,
                                 when.value if when else None, sentence))
        for mention in dates:
            kind = _inspection_date_kind(probe, mention)
            if kind is None:
                continue
            subject = subjects.subject_at(probe, mention.start, mentions)
            if kind == "inspection_date":
                claims.append(_claim(subject, "inspection_date", mention.value or mention.printed, None, mention.value, sentence))
            elif mention.value:
                claims.append(_claim(subject, "other", kind, None, mention.value, sentence))
    # "the last inspection" is the previous one only when the article also gives a current grade
    for claim in conditional:
        others = [c for c in claims if c["predicate"] in ("rating", "area_rating") and c not in conditional
                  and c["subject"] == claim["subject"]]
        if not others:
            claim["predicate"] = "area_rating" if claim["area"] else "rating"
    claims = [c for c in claims if c["subject"] != OUT_OF_SCOPE]
    _mark_dated_previous(claims, published)
    _add_overall_from_area(claims)
    return _dedupe(claims)


def _inspection_date_kind(probe: str, mention: DateMention) -> str | None:
    before = probe[max(0, mention.start - 60):mention.start]
    after = probe[mention.end:mention.end + 25]
    tied_before = re.search(r"\b(?:inspect(?:ion|ed)|visit(?:ed)?|inspectors\s+(?:visited|returned|came\s+back))\b,?(?:\s+[\w(),'’-]+){0,6}?\s+(?:in|on|during|between|from|carried\s+out\s+in|took\s+place\s+in|held\s+in)?\s*$", before, re.I)
    tied_after = re.match(r"^\s*(?:ofsted\s+)?inspection\b", after, re.I)
    published = re.search(r"\bpublished\b(?:\s+[\w,]+){0,3}?\s*$", before, re.I)
    if published and re.search(r"\b(?:report|inspection|it|was|were)\b", before, re.I):
        return "previous report published" if _LAST_CUE.search(probe) or _PREVIOUS_CUE.search(before) else "report published"
    if not (tied_before or tied_after):
        return None
    if re.search(r"\b(?:last|previous|earlier|prior)\b[\s()\w]{0,20}(?:inspection|visit)", before, re.I) or _LAST_CUE.search(before) \
            or _PREVIOUS_CUE.search(before[-40:]):
        return "previous inspection"
    return "inspection_date"


def _mark_dated_previous(claims: list[dict], published: str | None) -> None:
    """A past-tense grade dated before the article's current one is a previous grade.

    "Before" means: a year or more before the article's inspection date (or two before its
    publication), or earlier than another dated overall grade for the same subject, or dated
    while an undated overall grade for the same subject differs from it, or dated by a bare year
    in a "which was ..." clause.
    """
    current = [c["date"] for c in claims if c["predicate"] == "inspection_date" and c["date"]]
    if current:
        reference_year = max(int(d[:4]) for d in current)
    elif published:
        reference_year = int(published[:4]) - 1
    else:
        reference_year = None
    ratings = [c for c in claims if c["predicate"] == "rating"]
    for claim in claims:
        if claim["predicate"] not in ("rating", "area_rating") or not claim["date"] \
                or not re.search(r"\b(?:was|were|had|been)\b", claim["quote"]):
            continue
        same_subject = [c for c in ratings if c is not claim and c["subject"] == claim["subject"]]
        earlier_than_reference = reference_year is not None and int(claim["date"][:4]) < reference_year
        earlier_than_another = any(c["date"] and c["date"][:4] > claim["date"][:4] for c in same_subject)
        differs_from_undated = claim["predicate"] == "rating" and any(
            c["date"] is None and c["value"] != claim["value"] for c in same_subject)
        # "Bradford Council, which was also rated inadequate in 2018": a bare year in a relative clause is history
        year_in_aside = len(claim["date"]) == 4 and bool(re.search(r"\b(?:which|who|when)\s+(?:was|were|had)\b", claim["quote"]))
        if earlier_than_reference or earlier_than_another or differs_from_undated or year_in_aside:
            claim["predicate"] = "previous_rating"


def _add_overall_from_area(claims: list[dict]) -> None:
    """Ofsted's overall grade is the overall-experiences (providers) or overall-effectiveness (councils) judgement."""
    rated = {c["subject"] for c in claims if c["predicate"] == "rating"}
    for claim in list(claims):
        if claim["predicate"] == "area_rating" and claim["area"] in ("overall_experiences_and_progress", "overall_effectiveness") \
                and claim["subject"] not in rated and claim["quote"]:
            if re.match(r"^\s*overall\b", claim["quote"], re.I) or ":" in claim["quote"]:
                claims.insert(claims.index(claim), dict(claim, predicate="rating", area=None))
                rated.add(claim["subject"])


def _dedupe(claims: list[dict]) -> list[dict]:
    """One claim per fact: the first sentence that states it, or the first that dates it."""
    dated = {(c["subject"], c["predicate"], c["value"], c["area"]) for c in claims if c["date"]}
    seen, kept = set(), []
    for claim in claims:
        key = (claim["subject"], claim["predicate"], claim["value"], claim["area"], claim["date"])
        if key in seen or (claim["date"] is None and key[:4] in dated and claim["predicate"] != "inspection_date"):
            continue
        seen.add(key)
        kept.append(claim)
    return kept


# ---------------------------------------------------------------------------------------------
# The reader


def parse(doc: Document) -> dict:
    """The news part of the extraction record for ``doc`` (see EXTRACTION.md)."""
    text, headline, meta_dates = doc.text, None, []
    if doc.suffix in (".html", ".htm") and Path(doc.path).is_file():
        parts = _html_parts(decode_bytes(Path(doc.path).read_bytes()))
        headline = _page_headline(parts)
        meta_dates = parts.meta_dates + parts.article_time_dates + parts.time_dates
        markup = "".join(parts.article_markup or parts.body_markup)
        # a table row ("The experiences and progress of children in care | Outstanding") is one line
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
    orgs = find_organisations(sentences, has_homes)
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


_COUNCIL_OWNED = re.compile(
    r"wholly[- ]owned\s+(?:by\s+(?P<owner>(?:the\s+)?[A-Z][\w' ]*?[Cc]ouncil)|(?:council|local authority)\s+company)"
    r"|(?:council|local authority)[- ]owned\s+company")


def with_council_owners(organisations: list[dict], sentences) -> list[dict]:
    """Add ``owned_by`` (and the sentence saying so) to a company the article calls council-owned.

    "create Worcestershire Children First (WCF), a wholly owned council company" names no council,
    so the owner is the council the article is about (its one local-authority organisation); with
    none or several, or a company the sentence does not name, nothing is added.
    """
    councils = [o["name"] for o in organisations if o["kind"] == "local_authority"]
    for organisation in organisations:
        if organisation["kind"] != "company":
            continue
        for sentence in sentences:
            text = " ".join(sentence.text.split())
            match = _COUNCIL_OWNED.search(text)
            if not match or organisation["name"] not in text:
                continue
            owner = match.group("owner") or (councils[0] if len(councils) == 1 else None)
            if owner:
                organisation["owned_by"] = re.sub(r"^the\s+", "", owner)
                organisation["owned_by_quote"] = text
                break
    return organisations


def _page_headline(parts: _HtmlParts) -> str | None:
    """The story's <h1> (inside <article> first), unless it is only the site's name; else og:title, else <title>."""
    site = re.split(r"\s+[|–—-]\s+", " ".join(parts.title.split()))[-1].strip().lower() if parts.title else ""
    for candidate in (parts.article_h1, parts.h1):
        candidate = " ".join(candidate.split())
        if candidate and candidate.lower() != site:
            return candidate
    return " ".join((parts.og_title or _strip_site_name(parts.title)).split()) or None


def _strip_site_name(title: str) -> str:
    """ "Home rated good | Evesham Journal" -> the headline part."""
    parts = re.split(r"\s+[|–—-]\s+", " ".join(title.split()))
    return max(parts[:-1], key=len) if len(parts) > 1 else (parts[0] if parts else "")


def _drop_first_line_if(text: str, headline: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            if " ".join(line.split()) == headline or headline.startswith(" ".join(line.split())):
                return "\n".join(lines[i + 1:])
            return text
    return text
