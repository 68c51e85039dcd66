"""Dates as Ofsted and newspapers print them: one month table, one date grammar, one range reader.

>>> parse_date("5th Dec. 2022"), parse_date("05/12/2022"), parse_date("December 5, 2022")
(datetime.date(2022, 12, 5), datetime.date(2022, 12, 5), datetime.date(2022, 12, 5))
>>> parse_date_range("18 Feb 2014 – 12 March 2014")
DateRange(start=datetime.date(2014, 2, 18), end=datetime.date(2014, 3, 12), days=23)
>>> parse_date_range("30 December 2019 to 10 January 2020").start
datetime.date(2019, 12, 30)
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from typing import NamedTuple

#: month names, their three-letter abbreviations and "sept", lower case -> month number
MONTHS: dict[str, int] = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

#: a month as printed, full or abbreviated (with an optional full stop); use with re.I
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?")
#: a day of the month, perhaps with an ordinal suffix
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
#: the characters that join the ends of a printed range: hyphen, the dashes, minus, a box-drawing line
DASH = "[-\u2010-\u2015\u2212\u2500]"

_LONG = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH})\s*,?\s+(\d{{4}})", re.I)
_AMERICAN = re.compile(rf"({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I)
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# one date-ish token of a range: a day, maybe a month, maybe a year ("14 January", "5 Feb 2014", "30");
# a year may be printed with a space inside it ("2 014") by some PDFs
_TOKEN = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*({MONTH}))?(?:\s*(\d{{4}}|\d\s\d{{3}}))?(?!\d)", re.I)


class DateRange(NamedTuple):
    """The first and last day of a printed range, and the days on site (summed over ranges joined by "and")."""

    start: date | None
    end: date | None
    days: int | None


def month_number(token: str) -> int | None:
    """1-12 for a month name or abbreviation ("Sept.", "february"), None for anything else."""
    return MONTHS.get(token.lower().rstrip("."))


def _make(year: int | str, month: int | str | None, day: int | str) -> date | None:
    number = month if isinstance(month, int) else (month_number(month) if month else None)
    try:
        return date(int(str(year).replace(" ", "")), number, int(day)) if number else None
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The date printed in ``text`` (the whole of it, bar spaces and a trailing full stop or comma), or None.

    Reads "5 December 2022", "5th Dec 2022", "5 of December, 2022", "December 5, 2022", "05/12/2022"
    (day first, as in England) and "2022-12-05".
    """
    value = " ".join(text.split()).rstrip(".,")
    if match := _LONG.fullmatch(value):
        return _make(match.group(3), match.group(2), match.group(1))
    if match := _AMERICAN.fullmatch(value):
        return _make(match.group(3), match.group(1), match.group(2))
    if match := _NUMERIC.fullmatch(value):
        return _make(match.group(3), int(match.group(2)), match.group(1))
    if match := _ISO.fullmatch(value):
        return _make(match.group(1), int(match.group(2)), match.group(3))
    return None


def spell_numeric_dates(text: str) -> str:
    """"1/06/2015" -> "1 June 2015", so that one grammar reads every printed date."""
    def spell(match: re.Match) -> str:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return match.group(0)
        return f"{int(match.group(1))} {calendar.month_name[month]} {match.group(3)}"
    return re.sub(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", spell, text)


def _tokens(text: str) -> list[list]:
    tokens = [[m.group(1), m.group(2), m.group(3)] for m in _TOKEN.finditer(text)]
    tokens = [t for t in tokens if t[1] or t[2] or 1 <= int(t[0]) <= 31]
    # a day without a month (or year) takes the next token's month (and year): "14 to 25 May 2018"
    for i in range(len(tokens) - 2, -1, -1):
        if not tokens[i][1]:
            tokens[i][1] = tokens[i + 1][1]
        if not tokens[i][2] and tokens[i][1]:
            tokens[i][2] = tokens[i + 1][2]
    return tokens


def parse_date_range(text: str) -> DateRange:
    """The first and last date of a printed range and the days it covers.

    Reads "5 to 9 December 2022", "28 February to 2 March 2023", "18 Feb 2014 – 12 March 2014",
    "30 December 2022 to 3 January 2023", "8 and 9 July 2024", "12/04/2016", and ranges joined by
    "and" ("5 to 9 June and 3 to 7 July 2023": days on site counted per range).
    """
    text = spell_numeric_dates(text)
    parts = [p for p in re.split(r",?\s+and\s+", text) if _TOKEN.search(p)]
    multi = len(parts) > 1 and all(re.search(rf"\bto\b|{DASH}", p) and re.search(MONTH, p, re.I) for p in parts)
    chunks = parts if multi else [text]
    for i in range(len(chunks) - 2, -1, -1):
        # "5 to 9 June and 3 to 7 July 2023": a range without a year takes the next one's
        if not re.search(r"\d{4}", chunks[i]) and (year := re.search(r"\d{4}", chunks[i + 1])):
            chunks[i] = f"{chunks[i]} {year.group(0)}"
    spans = []
    for chunk in chunks:
        dates = [d for d in (_make(year, month, day) for day, month, year in _tokens(chunk) if month and year) if d]
        if not dates:
            continue
        start, end = dates[0], dates[-1]
        if start > end and start.replace(year=start.year - 1) <= end:
            start = start.replace(year=start.year - 1)  # "30 December to 10 January 2020"
        spans.append((start, end))
    if not spans:
        return DateRange(None, None, None)
    days = sum((end - start).days + 1 for start, end in spans)
    return DateRange(spans[0][0], spans[-1][1], days)
