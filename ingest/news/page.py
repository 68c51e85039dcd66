"""Page text: the story's text, headline and publication date, without a web page's furniture."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .values import find_dates, valid_date

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
        if match and valid_date(*map(int, match.group(1).split("-"))):
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



def _page_headline(parts: _HtmlParts) -> str | None:
    """The story's <h1> (inside <article> first), unless it is only the site's name; else og:title, else <title>."""
    site = re.split(r"\s+[|–—-]\s+", " ".join(parts.title.split()))[-1].strip().lower() if parts.title else ""
    for candidate in (parts.article_h1, parts.h1):
        candidate = " ".join(candidate.split())
        if candidate and candidate.lower() != site:
            return candidate
    return " ".join((parts.og_title or _strip_site_name(parts.title)).split()) or None


def _strip_site_name(title: str) -> str:
    """ "Headline | Site Name" -> the headline part."""
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
