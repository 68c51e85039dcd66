"""Values in running text: dates in any printed form, read against the article's date, and numbers in digits or words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..common.dates import month_number

# ---------------------------------------------------------------------------------------------
# Dates

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
    # a season without a year ("in early spring"): only its year is known, from the article's date
    ("season", re.compile(r"\b(?:in|during|over)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?P<s>spring|summer|autumn|winter)\b"
                          rf"(?!\s*(?:of\s+)?{_YEAR})", re.I)),
]


@dataclass
class DateMention:
    """A date expression in a sentence: ``value`` is ISO (possibly YYYY-MM or YYYY) or None if unresolvable."""

    start: int
    end: int
    value: str | None
    printed: str


def valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(sentence: str, published: str | None) -> list[DateMention]:
    """Date expressions in ``sentence``, partial dates resolved against ``published`` when it is known.

    >>> [d.value for d in find_dates("The inspection in September 2021 and the visit on 5 May 2022.", None)]
    ['2021-09', '2022-05-05']
    >>> [d.value for d in find_dates("It was inspected in early spring.", "2024-05-20")]
    ['2024']
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
                month = int(groups["m"]) if groups["m"].isdigit() else month_number(groups["m"])
                year = int(groups["y"])
                if groups.get("m2") and month_number(groups["m2"]) < month:
                    year -= 1  # "28 December to 2 January 2023" began in 2022
                value = valid_date(year, month, int(re.sub(r"\D", "", groups["d"])))
            elif style in ("md", "dm", "range_md"):
                month, day = month_number(groups["m"]), int(re.sub(r"\D", "", groups["d"]))
                value = None
                if pub:
                    value = valid_date(pub.year, month, day)
                    if value and value > pub.isoformat():
                        value = valid_date(pub.year - 1, month, day)
            elif style == "my":
                value = f"{int(groups['y']):04d}-{month_number(groups['m']):02d}"
            elif style == "m":
                month = month_number(groups["m"])
                value = None
                if pub:
                    year = pub.year if month <= pub.month else pub.year - 1
                    value = f"{year:04d}-{month:02d}"
                start = match.start("m")
            elif style == "season":
                # the season's first month; a winter is dated by the year of its December
                first = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}[groups["s"].lower()]
                value = None
                if pub:
                    value = str(pub.year if first <= pub.month else pub.year - 1)
                start = match.start("s")
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


