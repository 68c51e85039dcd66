"""Sentences of an article body: lines joined where a sentence wraps, bullets kept apart, link-bait lines dropped."""
from __future__ import annotations

import re
from dataclasses import dataclass

# upper- and lower-case letters of the Latin scripts (names are printed in any of them: Siobhán, Łukasz, Zoë),
# as character-class bodies for the name patterns
_LATIN_RANGES = [(0x41, 0x24F), (0x1E00, 0x1EFF)]
UPPER = "".join(chr(c) for start, end in _LATIN_RANGES for c in range(start, end + 1) if chr(c).isupper())
LOWER = "".join(chr(c) for start, end in _LATIN_RANGES for c in range(start, end + 1) if chr(c).islower())
ACCENTED_UPPER = "".join(c for c in UPPER if ord(c) > 0x7F)

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
    """Recase a news-style capitalised lead ("COUNTYSHIRE'S Children", "A FOSTERING agency") and OFSTED, keeping the length."""
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
# Clauses and coordinated lists

# where a new clause starts inside a sentence: a semicolon or colon, or a subordinating or
# contrasting conjunction ("but", "while", "whereas", "although"); a relative pronoun opens a
# clause of its own too
_CLAUSE_OPENER = re.compile(r"[;:](?:\s|$)|\b(?:but|while|whereas|although|though|however)\b", re.I)
_RELATIVE = re.compile(r"\b(?:which|who|whose)\b", re.I)
# where one item of a coordinated list ends: a comma, or "and"/"or" before the next item's
# preposition or determiner ("for A, for B and for C"; "to A and to B"; "A, and of B")
_LIST_SEPARATOR = re.compile(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+(?=(?:for|in|on|to|of|the|how)\b)", re.I)


def clause_start(text: str, position: int, relative: bool = False) -> int:
    """Where the clause holding ``position`` starts (0 for the sentence's first clause).

    >>> text = "It was rated good for help, but leadership was judged weak."
    >>> text[clause_start(text, text.index("judged")):]
    ' leadership was judged weak.'
    """
    pattern = re.compile(f"{_CLAUSE_OPENER.pattern}|{_RELATIVE.pattern}", re.I) if relative else _CLAUSE_OPENER
    return max((m.end() for m in pattern.finditer(text, 0, position)), default=0)


def clause_end(text: str, position: int) -> int:
    """Where the clause holding ``position`` ends: the next clause opener, a relative pronoun or the sentence's end.

    >>> text = "It was rated good for help, but leadership was judged weak."
    >>> text[:clause_end(text, 0)]
    'It was rated good for help, '
    """
    for match in re.finditer(f"{_CLAUSE_OPENER.pattern}|{_RELATIVE.pattern}|[.!?](?:\\s|$)", text[position:], re.I):
        return position + match.start()
    return len(text)


def list_items(text: str) -> list[str]:
    """The items of a coordinated list, in order.

    >>> list_items("for A, for B, and for C")
    ['for A', 'for B', 'for C']
    >>> list_items("to the care of children and to the impact of leaders")
    ['to the care of children', 'to the impact of leaders']
    """
    return [item for item in _LIST_SEPARATOR.split(text) if item.strip()]
