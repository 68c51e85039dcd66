"""The head of a report: the provider, its setting, the inspection's type, dates and history, the counts."""
from __future__ import annotations

import re

from .judgements import interim_token
from .letters import previous_in_prose, visit_dates_in_prose
from .lines import (
    LONG_DATE,
    NUMBER_WORDS,
    NUMERIC_DATE,
    POSTCODE,
    labelled,
    normalise_grade,
    parse_date,
    parse_date_range,
    squash,
)


def setting_type(text: str) -> str | None:
    match = re.search(r"^\s*information\s+about\s+this\s+(.{3,80}?)\s*:?\s*$", text, re.I | re.M)
    if match and not re.match(r"inspection\b", match.group(1), re.I):
        return squash(match.group(1)).lower()
    match = re.search(r"^\s*((?:independent|voluntary|local\s+authority|secure)?[ a-z'\-]*?"
                      r"(?:fostering\s+(?:agency|service)|children's\s+home|adoption\s+(?:support\s+)?agency"
                      r"|residential\s+family\s+centre|adoption\s+service|holiday\s+scheme[ a-z]*))\s+details\s*$",
                      text, re.I | re.M)
    if match:
        return squash(match.group(1)).lower()
    subtype = labelled(text, r"provision\s+sub-?\s?type", loose=True)
    if subtype:
        return subtype.lower()
    match = re.search(r"inspection\s+report\s+for\s+(?:an?\s+)?((?:independent|voluntary|local\s+authority)?[ a-z']*?"
                      r"(?:fostering\s+agency|children's\s+home|adoption\s+(?:support\s+)?agency|residential\s+family\s+centre))",
                      text[:3000], re.I)
    if match:
        return squash(match.group(1)).lower()
    match = re.search(r"\b(independent\s+fostering\s+agency|voluntary\s+adoption\s+agency|adoption\s+support\s+agency"
                      r"|residential\s+family\s+centre|secure\s+children's\s+home|children's\s+home)\b", text[:4000], re.I)
    return squash(match.group(1)).lower() if match else None


def read_urn(text: str) -> str | None:
    value = labelled(text, r"(?:unique\s+reference\s+number|URN)", loose=True)
    if value:
        match = re.match(r"([A-Z]{1,3}\d{5,8}|\d{6,8})\b", value)
        if match:
            return match.group(1)
    match = re.search(r"^\s*(SC\d{6}|\d{7})\s*$", text[:1500], re.M)
    if match:
        return match.group(1)
    match = re.search(r"\b(SC\d{6})\b", text)
    return match.group(1) if match else None


_SETTING_LINE = re.compile(r"^\s*(?:independent\s+|voluntary\s+|local\s+authority\s+|secure\s+|non-maintained\s+)?"
                           r"(?:residential\s+special\s+school|boarding\s+school|residential\s+provision.*|fostering\s+agency"
                           r"|children's\s+home|adoption\s+(?:support\s+)?agency|residential\s+family\s+centre"
                           r"|residential\s+holiday\s+scheme.*|further\s+education\s+college.*|supported\s+accommodation.*"
                           r"|(?:special|independent|academy|free)\s+school|school)\s*$", re.I)
_HEAD_STOP = re.compile(r"^\s*(?:inspected\s+under|information\s+about|inspection\s+dates?|inspection\s+report"
                        r"|unique\s+reference|dear\b|monitoring|assurance|interim|full\s+inspection|[\w\s']*inspection\s*$)", re.I)
_GENERIC_HEAD = re.compile(r"^\s*(?:ofsted|inspection\s+report|children's\s+homes?\s+inspection.*|report\s+for.*"
                           r"|social\s+care\s+common\s+inspection\s+framework|.*inspection\s*-\s*full|full\s+inspection"
                           r"|piccadilly\s+gate|store\s+street|manchester.*|t:?\s*0300.*|www\..*|\d{1,2}\s+\w+\s+\d{4}"
                           r"|registered\s+provider:.*|registered\s+person:.*|SC\d{6}|\d{7}|URN.*|inspection\s+dates?.*)\s*$", re.I)


def _head_lines(lines: list[str]) -> list[str]:
    head = []
    for line in lines[:25]:
        if _HEAD_STOP.match(line):
            break
        if line.strip():
            head.append(squash(line))
    return head


def provider_name(lines: list[str], text: str, registered_provider: str | None) -> str | None:
    found = labelled(text, r"(?:name\s+of\s+(?:setting|agency|provider|service)|setting\s+name|agency\s+name)")
    if found:
        return found
    # a letter's title line: "Monitoring visit to X (independent fostering agency)", "Assurance visit to X,
    # SC487654". The name is all the line up to the URN after a comma and the setting in the line's last
    # parenthesis, so a name with commas, colons or a parenthesis of its own ("X (North West)") stays whole.
    title = re.search(r"^[ \t]*(?:monitoring|assurance)[ \t]+(?:visit|inspection)[ \t]+(?:to|of|at)[ \t]+(\S.{2,200}?)"
                      r"(?:[ \t]*,[ \t]*(?:SC|EY)?\d{6,7})?(?:[ \t]+\([^()\n]*\))?[ \t]*$", text[:3000], re.I | re.M)
    # else the visit in a sentence, up to a comma, a parenthesis or the line's end
    visit = title or re.search(r"(?:monitoring|assurance)\s+(?:visit|inspection)\s+(?:to|of|at)\s+(.{3,100}?)(?:,|\s+\(|\s*$)",
                                text[:3000], re.I | re.M)
    # not a name: "the above", "a children's home", the URN, a date ("the monitoring visit of 14 March 2023")
    if visit and not re.match(rf"(?:the\s+above|a\s+|an\s+|children's\s+home|(?:SC|EY)?\d{{6,7}}\b|{LONG_DATE}|{NUMERIC_DATE})",
                              visit.group(1), re.I):
        return squash(visit.group(1))
    if re.search(r"^\s*dear\s", text[:3000], re.I | re.M):
        return None  # a letter's head is Ofsted's address and the addressee, not the provider
    head = _head_lines(lines)
    for n, line in enumerate(head[:2]):
        if _GENERIC_HEAD.match(line) or POSTCODE.search(line) or len(line.split()) > 10 or line.endswith((".", ":")) \
                or re.search(r"\b(?:SC\d{6}|\d{7})\b", line):
            continue  # a name is a short line, not a sentence
        # A head line printing the registered provider is the company, not a name, unless the head goes on
        # to an address, or prints the company again on the line below it: an agency named as its company
        # prints its name and its company as two identical lines, and the first is the name.
        if registered_provider and line == registered_provider and not POSTCODE.search(" ".join(lines[:6])) \
                and head[n + 1:n + 2] != [registered_provider]:
            continue
        return line
    return None


def top_registered_provider(lines: list[str]) -> str | None:
    """The second head line of a fostering/adoption report ("Nexus Fostering" / "Nexus Fostering Ltd" / address)."""
    head = [line for line in _head_lines(lines) if not _GENERIC_HEAD.match(line)]
    if len(head) >= 3 and POSTCODE.search(head[2]) and not POSTCODE.search(head[1]) and not _SETTING_LINE.match(head[1]):
        return head[1]
    return None


def setting_address(lines: list[str], text: str) -> str | None:
    found = labelled(text, r"(?:setting\s+address|address\s+of\s+(?:setting|agency)|agency\s+address|address)")
    if found:
        return found
    if re.search(r"^\s*dear\s", text[:3000], re.I | re.M):
        return None
    for line in _head_lines(lines)[:4]:
        if POSTCODE.search(line) and not _GENERIC_HEAD.match(line):
            return line
    return None



def inspection_type(text: str, judgements: dict) -> str | None:
    """full|monitoring|assurance|interim from the report's own words; a graded report without them is full."""
    head = text[:4000]
    printed = labelled(head, r"type\s+of\s+inspection|inspection\s+type", loose=True)
    if printed:
        for token in ("full", "monitoring", "assurance", "interim"):
            if token in printed.lower():
                return token
    # a title line ("Monitoring inspection", "Assurance visit to X") or the letter's own description
    title = re.search(r"^\s*(full|monitoring|assurance|interim)\s+(?:inspection|visit)\b"
                      r"|\bthis\s+(monitoring|assurance|interim)\s+(?:inspection|visit)\s+was"
                      r"|\binspection\s*-\s*(full|interim)\b", head, re.I | re.M)
    if title:
        return next(group for group in title.groups() if group).lower()
    if judgements:
        return "full"
    mention = re.search(r"\b(monitoring|assurance)\s+(?:visit|inspection)", head[:1500], re.I)
    return mention.group(1).lower() if mention else None


def inspection_dates(text: str) -> tuple[str | None, str | None]:
    value = labelled(text, r"(?:inspection|visit|monitoring\s+visit|assurance\s+visit)\s+dates?", loose=True)
    if value:
        start, end = parse_date_range(value)
        if start:
            return start, end
    printed = visit_dates_in_prose(text)
    return parse_date_range(printed) if printed else (None, None)


def read_previous(text: str, history: list[dict], start_date: str | None) -> dict:
    """The last inspection's date and overall grade as the head prints them ("Date of last (full)
    inspection", "Date of previous inspection"), else the latest earlier row of the inspection history."""
    when = labelled(text, r"(?:date\s+of\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection|(?:last|previous)(?:\s+full)?"
                        r"\s+inspection\s+date)", loose=True)
    grade = labelled(text, r"(?:overall\s+judgement\s+at\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection"
                         r"|previous\s+inspection\s+judgement|previous\s+(?:overall\s+)?judgement)", loose=True)
    previous = {"date": parse_date_range(when)[0] if when else None,
                "overall": normalise_grade(grade) if grade else None}
    if when is None and grade is None and (sentence := previous_in_prose(text)):
        return sentence
    if when is None:
        # the head names no date: the latest earlier row of the history table, whose judgement
        # stands in for the head's only when the head prints none (an interim outcome is no grade)
        earlier = [row for row in history if row["date"] and (start_date is None or row["date"] < start_date)]
        if earlier:
            latest = max(earlier, key=lambda row: row["date"])
            previous["date"] = latest["date"]
            if grade is None:
                previous["overall"] = normalise_grade(latest["judgement_printed"])
    return previous


_HISTORY_HEADING = re.compile(r"^\s*recent\s+inspection\s+history\s*:?\s*$", re.I)
_HISTORY_TYPES = r"full|interim|monitoring(?:\s+visit)?|assurance(?:\s+visit)?|additional|short-notice"
_HISTORY_JUDGEMENTS = (r"improved\s+effectiveness|sustained\s+effectiveness|declined\s+in\s+effectiveness"
                       r"|requires\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate|adequate|not\s+judged"
                       r"|met|not\s+met|no\s+judgement|none")
_HISTORY_ROW = re.compile(rf"({NUMERIC_DATE}|{LONG_DATE})\s+({_HISTORY_TYPES})(?:\s+inspection)?\s+({_HISTORY_JUDGEMENTS})\b", re.I)


def read_history(text: str) -> list[dict]:
    """The "Recent inspection history" table: one {"date", "type", "judgement"} per row, newest first as printed.

    A row's cells may be a tab, two spaces or a line break apart; the judgement is a grade token,
    an interim finding (improved_effectiveness, sustained_effectiveness, declined_in_effectiveness)
    or null for anything else.
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if _HISTORY_HEADING.match(line)), None)
    if start is None:
        return []
    cell = re.compile(rf"^\s*(?:(?:inspection\s+)?(?:date|type|judgement)|{NUMERIC_DATE}|{LONG_DATE}|{_HISTORY_TYPES}"
                      rf"|{_HISTORY_JUDGEMENTS}|inspection|[\t ]+)*\s*$", re.I)
    body = []
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        if not cell.match(line):
            break
        body.append(line)
    rows = []
    for match in _HISTORY_ROW.finditer(squash(" ".join(body))):
        printed = squash(match.group(3))
        judgement = normalise_grade(printed) or interim_token(printed)
        rows.append({"date": parse_date(match.group(1)), "type": squash(match.group(2)).lower().split()[0],
                     "judgement": judgement, "judgement_printed": printed})
    return rows



_ENFORCEMENT_LABEL = r"enforcement\s+action(?:\s+since\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection)?"


def read_enforcement(text: str) -> str | None:
    """"none", the action as printed (a wrapped description whole), or null (not printed, or not applicable)."""
    value = labelled(text, _ENFORCEMENT_LABEL, loose=True)
    if value is None:
        return None
    if re.fullmatch(r"(?:none|no|nil)\.?", value.strip(), re.I):
        return "none"
    if re.fullmatch(r"(?:not\s+applicable|n/?a)\.?", value.strip(), re.I):
        return None  # a first inspection: there is no last one to have acted since
    # the description may wrap onto the following lines, up to a blank line
    start = re.search(rf"^[ \t]*{_ENFORCEMENT_LABEL}[ \t]*(?::|\t|[ ]{{2,}}|[ ])", text, re.I | re.M)
    if start:
        paragraph = text[start.end():].lstrip(" \t").lstrip("\n")
        paragraph = re.split(r"\n[ \t]*\n", paragraph, 1)[0]
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if len(lines) <= 4 and lines and squash(lines[0]) == value[: len(squash(lines[0]))] \
                and not any(_HISTORY_HEADING.match(line) for line in lines):
            value = squash(" ".join(lines))
    return value


def _number(token: str) -> int | None:
    token = token.lower().replace(",", "")
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def read_counts(text: str) -> tuple[int | None, int | None]:
    flat = squash(text)
    number = r"(\d[\d,]*|" + "|".join(NUMBER_WORDS) + r")"
    match = re.search(rf"\b{number}\s+(?:children|young\s+people)(?:\s+and\s+young\s+people)?"
                      rf"(?:\s+(?:were|are))?(?:\s+(?:placed|living|being\s+cared\s+for))?\s+(?:in|within|across|with|by)\s+"
                      rf"{number}\s+(?:approved\s+)?(?:fostering\s+|foster\s+)?(?:households|families|carers?\s+households)",
                      flat, re.I)
    if match:
        return _number(match.group(1)), _number(match.group(2))
    # the other order: "35 fostering households were caring for 52 children"
    match = re.search(rf"\b{number}\s+(?:approved\s+)?(?:fostering\s+|foster\s+)?(?:households|families|(?:foster\s+)?carers?\s+households)"
                      rf"(?:\s+(?:were|are|was))?\s+(?:caring\s+for|looking\s+after|providing\s+(?:care|homes|placements)\s+for"
                      rf"|offering\s+(?:care|homes|placements)\s+(?:to|for)|(?:home|homes)\s+(?:to|for))\s+{number}\s+"
                      rf"(?:children|young\s+people)", flat, re.I)
    if match:
        return _number(match.group(2)), _number(match.group(1))
    children = households = None
    kids = re.search(rf"\b(?:providing|provides|provided)\s+(?:foster\s+care\s+)?(?:placements|care|homes)\s+for\s+{number}\s+children",
                     flat, re.I)
    if kids:
        children = _number(kids.group(1))
    homes = re.search(rf"\b{number}\s+(?:approved\s+)?(?:fostering|foster\s+carer|foster)\s+households", flat, re.I)
    if homes:
        households = _number(homes.group(1))
    return children, households

