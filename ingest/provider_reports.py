"""Reader for Ofsted's inspection reports on registered providers (SCCIF and the layouts before it).

Fostering agencies, children's homes, adoption agencies, residential family centres and the
monitoring or assurance letters about them share one structure: a head (name, URN, registered
provider), an "Information about this <setting>" paragraph, the inspection dates and grades,
the narrative, "What does the <setting> need to do to improve?" with a table of statutory
requirements (text, citation, due date) and a list of recommendations, and a details block
(URN, registered provider, responsible individual, registered manager, inspectors).

``parse(doc)`` returns the provider_report part of the extraction record (EXTRACTION.md).
Nothing is guessed: what a report does not say is null or absent.
"""
from __future__ import annotations

import re

from .citations import instruments_for_setting, instruments_named, looks_like_citation, parse_citation_text
from .common import dates as common_dates
from .common.dates import MONTH
from .common.grades import GRADE_WORDS as PRINTED_GRADE
from .common.grades import REPORT_SCALE, grade_token
from .text import Document

_MONTH = MONTH
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_LONG_DATE = rf"{_DAY}\s+{_MONTH}\s+\d{{4}}"
_NUMERIC_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
_ANY_DATE = rf"(?:{_LONG_DATE}|{_NUMERIC_DATE})"
_DASH = r"(?:to|until|and|-|\u2013|\u2014)"

GRADE_WORDS = rf"(?:{PRINTED_GRADE})"

_NUMBER_WORDS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}

# The judgement rows of SCCIF reports and of the frameworks before April 2017.
JUDGEMENTS: tuple[tuple[str, str], ...] = (
    # the people named vary with the setting: children and young people, service users, parents and children
    ("overall_experiences_and_progress", r"overall\s+experiences\s+and\s+progress\s+of\s+(?:children(?:\s+and\s+young\s+people)?|[a-z',\s]{3,50}?)"),
    ("help_and_protection", r"how\s+well\s+(?:children(?:\s+and\s+young\s+people)?|[a-z',\s]{3,50}?)\s+are\s+helped\s+and\s+protected"),
    ("leadership_and_management", r"(?:the\s+)?effectiveness\s+of\s+leaders\s+and\s+managers"),
    ("education_and_learning", r"outcomes\s+in\s+education\s+and\s+related\s+learning\s+activities"),
    ("health", r"(?:health(?:\s+service)?\s+provision|health\s+(?:care|services))"),  # secure children's homes
    ("overall_effectiveness", r"overall\s+effectiveness"),
    ("outcomes", r"outcomes\s+for\s+children(?:\s+and\s+young\s+people)?"),
    ("quality_of_care", r"quality\s+of\s+(?:care|service)"),
    ("help_and_protection", r"(?:keeping\s+children(?:\s+and\s+young\s+people)?\s+safe|safeguarding\s+children(?:\s+and\s+young\s+people)?)"),
    ("leadership_and_management", r"(?:leadership\s+and\s+management|the\s+leadership\s+and\s+management)"),
)

_SECTION_END = re.compile(
    r"^\s*(?:information\s+about\s+this\s+inspection|what\s+the\s+inspection\s+judgements\s+mean"
    r"|[a-z' \u2019]{3,60}\s+details|inspectors?\s*:?$|full\s+report\s*$|inspection\s+judgements\s*$"
    r"|summary\s+of\s+findings|yours\s+sincerely|any\s+complaints\s+about\s+the\s+inspection"
    r"|complaints\s+about\s+this\s+inspection|the\s+office\s+for\s+standards\s+in\s+education"
    r"|recent\s+inspection\s+history|about\s+this\s+inspection)", re.I)

_TITLE_WORDS = (r"(?:(?:Senior|Lead|Principal|Regulatory|Assistant)\s+)*"
                r"(?:Social\s+Care\s+(?:Regulatory\s+)?(?:Inspector|Inspection\s+Manager)|Regulatory\s+Inspector"
                r"|Regulatory\s+Inspection\s+Manager|(?:His|Her)\s+Majesty['\u2019]s\s+Inspector(?:\s+\([^)]*\))?"
                r"|HMI|Ofsted\s+Inspector|Inspector|Officer(?:\s+\([^)]*\))?|Manager(?:\s+\([^)]*\))?)")
_NAME = r"[A-Z][A-Za-z'\u2019.\-]+(?:\s+(?:[A-Z][A-Za-z'\u2019.\-]+|de|van|von|der|da|le|la|du|al|bin))*"
_INSPECTOR_PAIR = re.compile(rf"({_NAME})\s*[,\u2013\-:]\s*({_TITLE_WORDS})(?![A-Za-z])(\s*\((?i:lead(?:\s+inspector)?)\))?")

_VACANT = re.compile(r"^\W*(?:.*\bvacant\b.*|none|nil|not\s+applicable|n/?a|to\s+be\s+confirmed|not\s+known|no\s+(?:registered\s+)?manager.*)\W*$", re.I)


def parse(doc: Document) -> dict:
    """The provider_report part of the extraction record for ``doc`` (see the module docstring)."""
    text = _normalise(doc.text)
    lines = text.split("\n")
    errors: list[str] = []
    setting_type = _setting_type(text)
    people_labels = _labelled_people(text)
    registered_provider = _label(text, r"registered\s+(?:provider|person)(?:\s*\(s\))?", loose=True) or _top_registered_provider(lines)
    provider = {
        "name": _provider_name(lines, text, registered_provider),
        "urn": _urn(text),
        "type": setting_type,
        "address": _setting_address(lines, text),
        "registered_provider": registered_provider,
        "registered_provider_address": _label(text, r"registered\s+(?:provider|person)(?:\s*\(s\))?\s+address", loose=True),
    }
    judgements = _judgements(text)
    outcome = _supported_accommodation_outcome(text, setting_type)
    inspection_type = _inspection_type(text, judgements) or ("full" if outcome else None)
    start, end = _inspection_dates(text)
    children, households = _counts(text)
    history = _history(text)
    inspection = {
        "start_date": start,
        "end_date": end,
        "framework": "SCCIF",
        "type": inspection_type,
        "judgements": judgements,
        "previous": _previous(text, history, start),
        "enforcement_since_last": _enforcement(text),
        "children": children,
        "households": households,
    }
    if outcome:
        inspection["outcome"] = outcome
    if history:
        inspection["history"] = [{k: v for k, v in row.items() if k != "judgement_printed"} for row in history]
    interim = _interim_judgement(text)
    if interim:
        inspection["interim_judgement"] = interim
    regulations, standards = _default_instruments(text, setting_type)
    requirements, recommendations = _findings(doc, text, regulations, standards)
    if re.search(r"^\s*statutory\s+requirements?\b", text, re.I | re.M) and not requirements \
            and not re.search(r"no\s+(?:statutory\s+)?requirements|there\s+are\s+no\s+requirements", text, re.I):
        errors.append(f"{doc.path}: a statutory requirements section was found but no requirement could be read from it")
    people = _people(people_labels, registered_provider, text)
    return {
        "people": people,
        "provider": provider,
        "inspection": inspection,
        "requirements": requirements,
        "recommendations": recommendations,
        "sections": _sections(text),
        "errors": errors,
    }


# ---------------------------------------------------------------- text helpers

# Running headers and footers of Ofsted's PDFs, as text extraction leaves them inside the flow:
# "Inspection report for children's home: SC474747", "Inspection report for independent fostering
# agency: Nexus Fostering", "Page 4 of 10", "3 of 12".
_RUNNING_HEAD = re.compile(r"^\s*inspection\s+report\s+(?:for\s+)?(?:an?\s+)?[a-z' ]{3,60}:\s*\S.{0,100}$", re.I)
_PAGE_OF = re.compile(r"^\s*(?:page\s+)?\d{1,3}\s+of\s+\d{1,3}\s*$", re.I)
_BARE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}\s*$", re.I)
BULLETS = "\u2022\u25cf\u25a0\u25aa\u25e6\u2023\u2043\uf0b7\uf0a7"


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\u00a0", " ")
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\u00ad", "").replace("\ufffe", "-")
    text = re.sub(r"[\uf0b7\uf0a7]", "\u2022", text)  # bullets in the Symbol font's private code points
    lines = _drop_running_furniture([line.rstrip() for line in text.split("\n")])
    text = "\n".join(lines)
    # a word broken at a line end ("arrange-" / "ments"): one word, hyphen kept, as for PDFs (ofsted_kg.ingest.text)
    return re.sub(r"(?<=[a-z])-\n[ \t]*(?=[a-z])", "-", text)


def _drop_running_furniture(lines: list[str]) -> list[str]:
    """Lines without the page furniture a text extraction of a PDF leaves between paragraphs.

    A running header or "Page 4 of 10" goes wherever it is; a bare page number ("3") only next
    to one of those (blank lines aside), since a lone number elsewhere may be content.
    """
    furniture = {i for i, line in enumerate(lines) if _RUNNING_HEAD.match(line) or _PAGE_OF.match(line)}
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    for position, i in enumerate(nonblank):
        if _BARE_NUMBER.match(lines[i]):
            neighbours = nonblank[max(0, position - 1):position] + nonblank[position + 1:position + 2]
            if any(n in furniture for n in neighbours):
                furniture.add(i)
    return [line for i, line in enumerate(lines) if i not in furniture]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _label(text: str, label: str, loose: bool = False) -> str | None:
    """The value of a "Label: value" line.

    The value follows a colon, a tab or a run of spaces on the same line, or stands on the next
    line after a label ending in a colon. ``loose`` also accepts one space (pdfium's join of a
    two-column table row), for short lines whose value starts with a capital or a digit.
    """
    pattern = re.compile(rf"^[ \t]*(?:{label})[ \t]*(:|\t|[ ]{{2,}})[ \t]*(.*)$", re.I | re.M)
    for match in pattern.finditer(text):
        value = match.group(2).strip()
        if not value and match.group(1) == ":":
            following = text[match.end():].lstrip("\n").split("\n", 1)[0].strip()
            if following and not re.match(r"^[A-Z][a-z ]{2,40}(?::|\t)", following) and len(following) < 200:
                value = following
        value = _squash(value)
        if value:
            return value
    if loose:
        pattern = re.compile(rf"^[ \t]*(?:{label})[ ]([A-Z0-9][^\n]{{1,100}})$", re.I | re.M)
        for match in pattern.finditer(text):
            value = _squash(match.group(1))
            if (value[0].isupper() or value[0].isdigit()) and not value.endswith(".") \
                    and not re.match(r"(?:Is|Was|Has|Have|Will|And|Of)\b", value):
                return value
    return None


def parse_date(value: str) -> str | None:
    """An ISO date from "5 December 2022", "5th Dec 2022" or "05/12/2022" (day first)."""
    found = common_dates.parse_date(value)
    return found.isoformat() if found else None


def parse_date_range(value: str) -> tuple[str | None, str | None]:
    """(start, end) from "5 to 9 December 2022", "28 February to 2 March 2023", "30 December 2022 to 3 January 2023"."""
    start, end, _ = common_dates.parse_date_range(_squash(value))
    return (start.isoformat() if start else None, end.isoformat() if end else None)


def normalise_grade(value: str | None) -> str | None:
    """A grade token from a printed grade ("Requires improvement to be good" -> requires_improvement).

    "adequate" (the scale before 2014) has no token: left out rather than guessed."""
    return grade_token(_squash(value).strip(" .:") if value else None, scale=REPORT_SCALE)


# ---------------------------------------------------------------- the provider

def _setting_type(text: str) -> str | None:
    match = re.search(r"^\s*information\s+about\s+this\s+(.{3,80}?)\s*:?\s*$", text, re.I | re.M)
    if match and not re.match(r"inspection\b", match.group(1), re.I):
        return _squash(match.group(1)).lower()
    match = re.search(r"^\s*((?:independent|voluntary|local\s+authority|secure)?[ a-z'\-]*?"
                      r"(?:fostering\s+(?:agency|service)|children's\s+home|adoption\s+(?:support\s+)?agency"
                      r"|residential\s+family\s+centre|adoption\s+service|holiday\s+scheme[ a-z]*))\s+details\s*$",
                      text, re.I | re.M)
    if match:
        return _squash(match.group(1)).lower()
    subtype = _label(text, r"provision\s+sub-?\s?type", loose=True)
    if subtype:
        return subtype.lower()
    match = re.search(r"inspection\s+report\s+for\s+(?:an?\s+)?((?:independent|voluntary|local\s+authority)?[ a-z']*?"
                      r"(?:fostering\s+agency|children's\s+home|adoption\s+(?:support\s+)?agency|residential\s+family\s+centre))",
                      text[:3000], re.I)
    if match:
        return _squash(match.group(1)).lower()
    match = re.search(r"\b(independent\s+fostering\s+agency|voluntary\s+adoption\s+agency|adoption\s+support\s+agency"
                      r"|residential\s+family\s+centre|secure\s+children's\s+home|children's\s+home)\b", text[:4000], re.I)
    return _squash(match.group(1)).lower() if match else None


def _urn(text: str) -> str | None:
    value = _label(text, r"(?:unique\s+reference\s+number|URN)", loose=True)
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
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
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
            head.append(_squash(line))
    return head


def _provider_name(lines: list[str], text: str, registered_provider: str | None) -> str | None:
    labelled = _label(text, r"(?:name\s+of\s+(?:setting|agency|provider|service)|setting\s+name|agency\s+name)")
    if labelled:
        return labelled
    visit = re.search(r"(?:monitoring|assurance)\s+(?:visit|inspection)\s+(?:to|of|at)\s+(.{3,100}?)(?:,|\s+\(|\s*$)",
                      text[:3000], re.I | re.M)
    if visit and not re.match(r"(?:the\s+above|a\s+|an\s+|children's\s+home|SC\d|\d)", visit.group(1), re.I):
        return _squash(visit.group(1))
    if re.search(r"^\s*dear\s", text[:3000], re.I | re.M):
        return None  # a letter's head is Ofsted's address and the addressee, not the provider
    for line in _head_lines(lines)[:2]:
        if _GENERIC_HEAD.match(line) or _POSTCODE.search(line) or len(line.split()) > 10 or line.endswith((".", ":")) \
                or re.search(r"\b(?:SC\d{6}|\d{7})\b", line):
            continue  # a name is a short line, not a sentence
        if registered_provider and line == registered_provider and not _POSTCODE.search(" ".join(lines[:6])):
            continue
        return line
    return None


def _top_registered_provider(lines: list[str]) -> str | None:
    """The second head line of a fostering/adoption report ("Nexus Fostering" / "Nexus Fostering Ltd" / address)."""
    head = [line for line in _head_lines(lines) if not _GENERIC_HEAD.match(line)]
    if len(head) >= 3 and _POSTCODE.search(head[2]) and not _POSTCODE.search(head[1]) and not _SETTING_LINE.match(head[1]):
        return head[1]
    return None


def _setting_address(lines: list[str], text: str) -> str | None:
    labelled = _label(text, r"(?:setting\s+address|address\s+of\s+(?:setting|agency)|agency\s+address|address)")
    if labelled:
        return labelled
    if re.search(r"^\s*dear\s", text[:3000], re.I | re.M):
        return None
    for line in _head_lines(lines)[:4]:
        if _POSTCODE.search(line) and not _GENERIC_HEAD.match(line):
            return line
    return None


# ---------------------------------------------------------------- the inspection

def _inspection_type(text: str, judgements: dict) -> str | None:
    """full|monitoring|assurance|interim from the report's own words; a graded report without them is full."""
    head = text[:4000]
    printed = _label(head, r"type\s+of\s+inspection|inspection\s+type", loose=True)
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


def _judgement_columns(text: str) -> dict:
    """Grades of a judgement table whose text extraction put the labels first and the grades after.

    "Overall experiences ... / How well ... / The effectiveness ..." then "Good / Requires improvement
    to be good / Good": the n-th grade line belongs to the n-th label line.
    """
    lines = [line for line in text[:8000].split("\n") if line.strip()]
    main = [(key, label) for key, label in JUDGEMENTS[:3]]
    for i in range(len(lines) - 5):
        keys = []
        for line, (key, label) in zip(lines[i:i + 3], main):
            if re.match(rf"^\s*{label}[^:\n]*$", line, re.I) and not re.search(rf"\s{GRADE_WORDS}\s*$", line, re.I):
                keys.append(key)
        if len(keys) != 3:
            continue
        grades = [normalise_grade(line) for line in lines[i + 3:i + 6]]
        if all(grades):
            return dict(zip(keys, grades))
    return {}


# Supported accommodation is not graded: a report gives one of three outcomes, by its words.
_SA_OUTCOMES = ((1, r"consistently\s+strong\s+service\s+delivery"), (2, r"inconsistent\s+quality\s+of\s+service\s+delivery"),
                (3, r"serious\s+(?:or|and/or)\s+widespread\s+weaknesses"))


def _supported_accommodation_outcome(text: str, setting_type: str | None) -> int | None:
    if not setting_type or "supported accommodation" not in setting_type:
        return None
    head = text[:8000]
    end = re.search(r"^\s*(?:inspection\s+judgements|findings|what\s+does\s+the)", head, re.I | re.M)
    head = head[: end.start()] if end else head
    for number, words in _SA_OUTCOMES:
        if re.search(words, _squash(head), re.I):
            return number
    return None


def _judgements(text: str) -> dict:
    found: dict[str, str] = _judgement_columns(text)
    for key, label in JUDGEMENTS:
        if key in found:
            continue
        patterns = (
            rf"^\s*{label}\s*:\s*({GRADE_WORDS})\s*$",
            rf"^\s*{label}[^\n:]{{0,60}}?(?:\t|\s{{2,}}|,\s*taking\s+into\s+account\s+|\s)\s*({GRADE_WORDS})\s*$",
            rf"^\s*{label}[^\n:]{{0,60}}?\s*\n\s*({GRADE_WORDS})\s*$",
        )
        for pattern in patterns:
            match = re.search(pattern, text, re.I | re.M)
            if match:
                grade = normalise_grade(match.group(1))
                if grade:
                    found[key] = grade
                break
    return found


def _inspection_dates(text: str) -> tuple[str | None, str | None]:
    value = _label(text, r"(?:inspection|visit|monitoring\s+visit|assurance\s+visit)\s+dates?", loose=True)
    if value:
        start, end = parse_date_range(value)
        if start:
            return start, end
    match = re.search(rf"(?:visit(?:ed)?|inspect(?:ed|ion))\s+(?:to\s+(?:the\s+)?above\s+(?:service|home|agency)\s+)?on\s+"
                      rf"((?:{_DAY}\s+(?:{_MONTH}\s+)?(?:\d{{4}}\s+)?{_DASH}\s*)?{_ANY_DATE})", text, re.I)
    if match:
        return parse_date_range(match.group(1))
    return None, None


def _previous(text: str, history: list[dict], start_date: str | None) -> dict:
    """The last inspection's date and overall grade as the head prints them ("Date of last (full)
    inspection", "Date of previous inspection"), else the latest earlier row of the inspection history."""
    when = _label(text, r"(?:date\s+of\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection|(?:last|previous)(?:\s+full)?"
                        r"\s+inspection\s+date)", loose=True)
    grade = _label(text, r"(?:overall\s+judgement\s+at\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection"
                         r"|previous\s+inspection\s+judgement|previous\s+(?:overall\s+)?judgement)", loose=True)
    previous = {"date": parse_date_range(when)[0] if when else None,
                "overall": normalise_grade(grade) if grade else None}
    if previous["date"] is None and when is None and grade is None:
        earlier = [row for row in history if row["date"] and (start_date is None or row["date"] < start_date)]
        if earlier:
            latest = max(earlier, key=lambda row: row["date"])
            previous = {"date": latest["date"], "overall": normalise_grade(latest["judgement_printed"])}
    return previous


_HISTORY_HEADING = re.compile(r"^\s*recent\s+inspection\s+history\s*:?\s*$", re.I)
_HISTORY_TYPES = r"full|interim|monitoring(?:\s+visit)?|assurance(?:\s+visit)?|additional|short-notice"
_HISTORY_JUDGEMENTS = (r"improved\s+effectiveness|sustained\s+effectiveness|declined\s+in\s+effectiveness"
                       r"|requires\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate|adequate|not\s+judged"
                       r"|met|not\s+met|no\s+judgement|none")
_HISTORY_ROW = re.compile(rf"({_NUMERIC_DATE}|{_LONG_DATE})\s+({_HISTORY_TYPES})(?:\s+inspection)?\s+({_HISTORY_JUDGEMENTS})\b", re.I)


def _history(text: str) -> list[dict]:
    """The "Recent inspection history" table: one {"date", "type", "judgement"} per row, newest first as printed.

    A row's cells may be a tab, two spaces or a line break apart; the judgement is a grade token,
    an interim finding (improved_effectiveness, sustained_effectiveness, declined_in_effectiveness)
    or null for anything else.
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if _HISTORY_HEADING.match(line)), None)
    if start is None:
        return []
    cell = re.compile(rf"^\s*(?:(?:inspection\s+)?(?:date|type|judgement)|{_NUMERIC_DATE}|{_LONG_DATE}|{_HISTORY_TYPES}"
                      rf"|{_HISTORY_JUDGEMENTS}|inspection|[\t ]+)*\s*$", re.I)
    body = []
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        if not cell.match(line):
            break
        body.append(line)
    rows = []
    for match in _HISTORY_ROW.finditer(_squash(" ".join(body))):
        printed = _squash(match.group(3))
        judgement = normalise_grade(printed) or _interim_token(printed)
        rows.append({"date": parse_date(match.group(1)), "type": _squash(match.group(2)).lower().split()[0],
                     "judgement": judgement, "judgement_printed": printed})
    return rows


def _interim_token(printed: str) -> str | None:
    match = re.fullmatch(r"(improved|sustained|declined)\s+(?:in\s+)?effectiveness", printed.strip(), re.I)
    if not match:
        return None
    kind = match.group(1).lower()
    return "declined_in_effectiveness" if kind == "declined" else f"{kind}_effectiveness"


def _interim_judgement(text: str) -> str | None:
    """An interim inspection's finding: improved_effectiveness, sustained_effectiveness or declined_in_effectiveness."""
    match = re.search(r"(?:interim\s+inspection\s+judgement|judgement\s+(?:at|from)\s+(?:this\s+)?interim\s+inspection"
                      r"|outcome\s+of\s+(?:the\s+|this\s+)?interim\s+inspection)\s*:?\s*(improved|sustained|declined)"
                      r"\s+(in\s+)?effectiveness", text, re.I)
    if not match:
        return None
    return _interim_token(f"{match.group(1)} effectiveness")


_ENFORCEMENT_LABEL = r"enforcement\s+action(?:\s+since\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection)?"


def _enforcement(text: str) -> str | None:
    """"none", the action as printed (a wrapped description whole), or null (not printed, or not applicable)."""
    value = _label(text, _ENFORCEMENT_LABEL, loose=True)
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
        if len(lines) <= 4 and lines and _squash(lines[0]) == value[: len(_squash(lines[0]))] \
                and not any(_HISTORY_HEADING.match(line) for line in lines):
            value = _squash(" ".join(lines))
    return value


def _number(token: str) -> int | None:
    token = token.lower().replace(",", "")
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token)


def _counts(text: str) -> tuple[int | None, int | None]:
    flat = _squash(text)
    number = r"(\d[\d,]*|" + "|".join(_NUMBER_WORDS) + r")"
    match = re.search(rf"\b{number}\s+(?:children|young\s+people)(?:\s+and\s+young\s+people)?"
                      rf"(?:\s+(?:were|are))?(?:\s+(?:placed|living|being\s+cared\s+for))?\s+(?:in|within|across|with|by)\s+"
                      rf"{number}\s+(?:approved\s+)?(?:fostering\s+|foster\s+)?(?:households|families|carers?\s+households)",
                      flat, re.I)
    if match:
        return _number(match.group(1)), _number(match.group(2))
    children = households = None
    kids = re.search(rf"\b(?:providing|provides|provided)\s+(?:foster\s+care\s+)?(?:placements|care|homes)\s+for\s+{number}\s+children",
                     flat, re.I)
    if kids:
        children = _number(kids.group(1))
    homes = re.search(rf"\b{number}\s+(?:approved\s+)?(?:fostering|foster\s+carer|foster)\s+households", flat, re.I)
    if homes:
        households = _number(homes.group(1))
    return children, households


# ---------------------------------------------------------------- people

def _split_inspectors(block: str) -> list[tuple[str, str | None, bool]]:
    """(name, title, marked lead) for each "Name, Title" in a block of inspectors."""
    lines = [_squash(line) for line in block.split("\n") if line.strip()]
    one_per_line = [re.fullmatch(rf"({_NAME})\s*[,:\u2013]\s*([^,]*?(?:inspector|HMI|manager|officer)\b.*?)", line, re.I)
                    for line in lines]
    if lines and all(one_per_line) and all(len(_INSPECTOR_PAIR.findall(line)) <= 1 for line in lines):
        # one "Name, Title" a line: the title is all the rest ("Ofsted Inspector (education)")
        pairs = []
        for match in one_per_line:
            title = match.group(2)
            lead = re.search(r"\s*\((?:lead(?:\s+inspector)?)\)\s*$", title, re.I)
            if lead:
                title = title[: lead.start()]
            pairs.append((match.group(1).strip(), title.strip(), bool(lead)))
        return pairs
    flat = _squash(block)
    pairs = [(m.group(1).strip(), _squash(m.group(2)), bool(m.group(3))) for m in _INSPECTOR_PAIR.finditer(flat)]
    if pairs:
        return pairs
    names = [_squash(line) for line in block.split("\n") if line.strip()]
    return [(name, None, False) for name in names if re.fullmatch(_NAME, name) and len(name.split()) <= 5]


def _signatories(text: str) -> list[tuple[str, str | None, bool]]:
    """(name, title, False) for each "Name / Title" pair signing a letter after "Yours sincerely"."""
    signature = re.search(r"yours\s+sincerely\s*,?\s*\n", text, re.I)
    if not signature:
        return []
    lines = [_squash(line) for line in text[signature.end():].split("\n")[:12]]
    found = []
    for i in range(len(lines) - 1):
        name, title = lines[i], lines[i + 1]
        if re.fullmatch(_NAME, name) and len(name.split()) <= 5 and re.search(r"inspector|HMI|manager|director", title, re.I) \
                and len(title) < 80:
            found.append((name, title, bool(re.search(r"\blead\b", title, re.I))))
    return found


def _inspector_block(text: str) -> str | None:
    match = re.search(r"^\s*(?:lead\s+)?inspectors?\s*:?\s*$\n((?:.*\S.*\n?){1,8})", text, re.I | re.M)
    if not match:
        return None
    block_lines = []
    for line in match.group(1).split("\n"):
        if not line.strip():
            if block_lines:
                break
            continue
        if re.match(r"^\s*(?:the\s+office|if\s+you\s+would|you\s+may|this\s+publication|interested|ofsted|©)", line, re.I):
            break
        block_lines.append(line)
    return "\n".join(block_lines)


# (role, printed title or None, label) of the people a details block names; the title is kept
# where the role is "other" (an acting manager is not the registered manager).
_LABELLED_ROLES: tuple[tuple[str, str | None, str], ...] = (
    ("responsible_individual", None, r"responsible\s+individual|nominated\s+individual"),
    ("registered_manager", None, r"registered\s+(?:service\s+)?manager"),
    ("other", "Acting manager", r"acting\s+manager"),
    ("other", "Interim manager", r"interim\s+manager"),
    ("other", "Headteacher/principal", r"headteacher\s*/\s*principal|head\s*teacher"),
    ("other", "Head of care", r"head\s+of\s+care"),
)
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof(?:essor)?|Rev(?:erend)?)\.?\s+")


def _labelled_people(text: str) -> list[tuple[str, str | None, str | None]]:
    people = []
    for role, title, label in _LABELLED_ROLES:
        if title is not None:  # the title as printed: "Headteacher/Principal"
            printed = re.search(rf"^[ \t]*({label})[ \t]*:", text, re.I | re.M)
            title = _squash(printed.group(1)) if printed else title
        people.append((role, title, _label(text, label, loose=role != "other")))
    return people


def _addressee(text: str) -> tuple[str, str, str | None, str | None] | None:
    """(name, role, title, organisation) of a letter's addressee: name, role and organisation lines above "Dear"."""
    head = text[: text.lower().find("dear ")] if re.search(r"^\s*dear\s", text[:3000], re.I | re.M) else ""
    lines = [_squash(line) for line in head.split("\n") if line.strip()]
    roles = {r"registered\s+manager": "registered_manager", r"responsible\s+individual": "responsible_individual",
             r"registered\s+person|registered\s+provider|manager": "other", r"chief\s+executive(?:\s+officer)?": "chief_executive",
             r"director\b.*": "director"}
    for i in range(len(lines) - 1):
        name = _HONORIFIC.sub("", lines[i])
        if not _HONORIFIC.match(lines[i]) or not re.fullmatch(_NAME, name):
            continue
        for pattern, role in roles.items():
            if re.fullmatch(pattern, lines[i + 1], re.I):
                organisation = lines[i + 2] if i + 2 < len(lines) and not _POSTCODE.search(lines[i + 2]) \
                    and re.search(r"\b(?:ltd|limited|plc|llp|cic|trust|council|society|services?|care|group|agency|charity)\b",
                                  lines[i + 2], re.I) else None
                return name, role, (lines[i + 1] if role == "other" else None), organisation
    return None


def _people(labelled: list[tuple[str, str | None, str | None]], organisation: str | None, text: str) -> list[dict]:
    people = []
    for role, title, value in labelled:
        if value and not _VACANT.match(value):
            name = _HONORIFIC.sub("", value)
            if not re.fullmatch(_NAME, name):
                continue  # "Acting manager: yes", a sentence, ... are not names
            people.append({"name": name, "role": role, "title": title, "organisation": organisation})
    addressee = _addressee(text)
    if addressee and addressee[0].lower() not in {p["name"].lower() for p in people}:
        name, role, title, letter_organisation = addressee
        people.append({"name": name, "role": role, "title": title, "organisation": letter_organisation or organisation})
    inspectors: list[tuple[str, str | None, bool]] = []
    block = _inspector_block(text)
    if block:
        heading_lead = bool(re.search(r"^\s*lead\s+inspector\s*:?\s*$", text, re.I | re.M))
        inspectors += [(name, title, heading_lead or lead) for name, title, lead in _split_inspectors(block)]
    for role_label, lead in ((r"lead\s+inspector", True), (r"inspectors?", False)):
        for match in re.finditer(rf"^[ \t]*(?i:{role_label})(?:[ \t]*(?::|\t)[ \t]*|[ ](?={_NAME}\s*$))(\S.*)$", text, re.M):
            for name, title, marked in _split_inspectors(match.group(1)) or [(_squash(match.group(1)), None, False)]:
                inspectors.append((name, title, lead or marked))
    if not inspectors:
        inspectors += _signatories(text)
    seen = set()
    for name, title, lead in inspectors:
        if name.lower() in seen or re.search(r"\b(inspectors?|report|details)\b", name, re.I):
            continue
        seen.add(name.lower())
        is_lead = lead or bool(title and re.search(r"\blead\b", title, re.I))
        people.append({"name": name, "role": "lead_inspector" if is_lead else "inspector",
                       "title": title, "organisation": None})
    return people


# ---------------------------------------------------------------- requirements and recommendations

def _default_instruments(text: str, setting_type: str | None) -> tuple[str | None, str | None]:
    """The instruments a bare "Regulation N" and a bare standard number belong to.

    The setting type gives a first answer; the requirements preamble ("This section sets out the
    actions ... to meet the Care Standards Act 2000, <regulations> and <standards>") confirms or
    overrides it, and one naming only regulations this catalogue lacks (older ones) clears it.
    """
    regulations, standards = instruments_for_setting(setting_type)
    preamble = re.search(r"this\s+section\s+sets\s+out\s+the\s+actions?.{0,600}?(?:timescales?|\n\s*\n)", text, re.I | re.S) \
        or re.search(r"how\s+well\s+it\s+complies\s+with.{0,300}?\.", text, re.I | re.S)
    if not preamble:
        return regulations, standards
    words = preamble.group(0)
    named = instruments_named(words)
    if named and regulations not in named:
        regulations = named[0]
    elif not named and re.search(r"regulations\s+(?:19|20)\d\d", words, re.I):
        regulations = None
    if preamble.group(0).lower().startswith("this") and standards == "qs/childrens-homes-2015" and re.search(r"national\s+minimum\s+standards", words, re.I) \
            and not re.search(r"guide\s+to\s+the\s+children", words, re.I):
        standards = None  # the children's homes standards of 2011, which the 2015 guide replaced
    return regulations, standards


def _improvement_region(text: str) -> str | None:
    start = re.search(r"^\s*(?:what\s+does\s+the\s+.{3,80}?need\s+to\s+do\s+to\s+improve\??.*|statutory\s+requirements?\s*:?"
                      r"|requirements?\s+and\s+recommendations\s*:?|recommendations?\s*:?|points\s+for\s+improvement\s*:?"
                      r"|compliance\s+with\s+(?:the\s+)?national\s+minimum\s+standards.*"
                      r"|this\s+section\s+sets\s+out\s+the\s+actions?.*)\s*$", text, re.I | re.M)
    if not start:
        return None
    lines = text[start.start():].split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        if _SECTION_END.match(line):
            break
        kept.append(line)
    return "\n".join(kept)


_DATE_AT_END = re.compile(rf"(?:^|\t|\s+)({_ANY_DATE})\s*$", re.I)
_IMMEDIATE_AT_END = re.compile(r"(?:\t|\s{2,})(?:immediately|immediate|with\s+immediate\s+effect)\s*$", re.I)
_IMMEDIATE_LINE = re.compile(r"^\s*(?:immediately|immediate|with\s+immediate\s+effect)\.?\s*$", re.I)
# "Regulation 13 (1)(a)(b) (the leadership and management standard)" closing a row, no outer parentheses
_BARE_CITATION_AT_END = re.compile(
    r"(^|[.;:\s])(Regulations?\s+\d{1,3}[A-Z]?(?:\s*\(\s*[0-9A-Za-z]{1,6}\s*\))*"
    r"(?:\s*(?:,|and)\s*(?:Regulation\s+)?\d{1,3}[A-Z]?(?:\s*\(\s*[0-9A-Za-z]{1,6}\s*\))*)*"
    r"(?:\s*\((?:the\s+)?[a-z ,'\-]{3,80}?standards?\))?)\s*$")
# headings and introductions inside the requirements part, never a requirement's words; a school's
# unmet national minimum standards stand where other settings print their requirements table
_REQUIREMENTS_FURNITURE = re.compile(
    r"^\s*(?:statutory\s+requirements?|what\s+does\s+the\s+.{3,80}?need\s+to\s+do\s+to\s+improve\??"
    r"|compliance\s+with\s+(?:the\s+)?national\s+minimum\s+standards.*"
    r"|the\s+(?:school|college|provider|setting|service)\s+does\s+not\s+meet\s+the\s+following.*"
    r"|the\s+(?:school|college|provider|setting|service)\s+meets\s+(?:all\s+)?the\s+national\s+minimum\s+standards.*)\s*$", re.I)
_TABLE_HEADER = re.compile(r"^\s*(?:reg(?:ulation)?\.?\s*(?:\t|\s{2,}|\s))?\s*requirements?\s*(?:\t|\s)+due\s+dates?\s*$", re.I)


def _findings(doc: Document, text: str, regulations: str | None, standards: str | None) -> tuple[list, list]:
    region = _improvement_region(text)
    if region is None:
        return [], []
    recs_heading = re.search(r"^\s*(?:recommendations?|points\s+for\s+improvement)\s*:?\s*$", region, re.I | re.M)
    req_part = region[: recs_heading.start()] if recs_heading else region
    rec_part = region[recs_heading.end():] if recs_heading else ""
    requirements = _requirements(doc, req_part, regulations, standards)
    recommendations = _recommendations(doc, rec_part, regulations, standards)
    return requirements, recommendations


def _requirement_lines(part: str) -> tuple[list[str], bool, bool]:
    """The table's body lines (header, preamble and repeated headers dropped), whether a "Reg." column
    leads, and whether a table header was found at all."""
    lines = part.split("\n")
    header_at = next((i for i, line in enumerate(lines) if _TABLE_HEADER.match(line)), None)
    reg_column = header_at is not None and bool(re.match(r"\s*reg", lines[header_at], re.I))
    if header_at is not None:
        body = lines[header_at + 1:]
    else:
        preamble_end = 0
        for i, line in enumerate(lines):
            if re.search(r"timescales?\.?\s*$|must\s+comply", line, re.I):
                preamble_end = i + 1
        body = lines[preamble_end:] if preamble_end else lines[1:]
    body = [line for line in body if not _TABLE_HEADER.match(line) and not _REQUIREMENTS_FURNITURE.match(line)]
    return body, reg_column, header_at is not None


def _citation_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inside) of each balanced parenthesis in text that is a citation."""
    spans = []
    depth = 0
    start = None
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                inner = text[start + 1:index]
                if looks_like_citation(inner):
                    spans.append((start, index + 1, inner))
    return spans


def _requirements(doc: Document, part: str, regulations: str | None, standards: str | None) -> list[dict]:
    body, reg_column, has_header = _requirement_lines(part)
    if not any(line.strip() for line in body):
        return []
    if reg_column:
        return _requirements_with_reg_column(doc, body, regulations, standards)
    # Take each line's trailing due date out, remembering which line it was on.
    cleaned: list[str] = []
    dates: list[str | None] = []
    for line in body:
        match = _DATE_AT_END.search(line)
        immediate = _IMMEDIATE_AT_END.search(line)
        if match and parse_date(match.group(1)):
            cleaned.append(line[: match.start()].rstrip())
            dates.append(parse_date(match.group(1)))
        elif immediate:
            cleaned.append(line[: immediate.start()].rstrip())
            dates.append(None)
        elif _IMMEDIATE_LINE.match(line):
            cleaned.append("")
            dates.append(None)
        else:
            cleaned.append(line.rstrip())
            dates.append(None)
    # A citation printed without its parentheses at a row's end is bracketed like the others.
    cleaned = [_BARE_CITATION_AT_END.sub(r"\1(\2)", line) for line in cleaned]
    # Join into one string with a map from character offsets back to line numbers.
    joined = ""
    line_starts = []
    for line in cleaned:
        line_starts.append(len(joined))
        joined += _squash(line) + "\n"
    spans = _citation_spans(joined)
    if not spans:
        return _requirements_by_date(doc, cleaned, dates) if has_header else []

    def line_of(offset: int) -> int:
        number = 0
        for i, start in enumerate(line_starts):
            if start <= offset:
                number = i
        return number

    findings = []
    cursor = 0
    for index, (start, end, inner) in enumerate(spans):
        text_part = joined[cursor:start]
        if not text_part.strip():
            # a second citation directly after the first: it belongs to the previous finding
            if findings:
                findings[-1]["citations"] += parse_citation_text(inner, regulations, standards)
                findings[-1]["_last_line"] = line_of(end - 1)
                cursor = end
            continue
        note_end = _note_end(joined, end, spans[index + 1][0] if index + 1 < len(spans) else len(joined))
        finding_text = _squash(text_part)
        note = _squash(joined[end:note_end])
        if note:
            finding_text = f"{finding_text} {note}"
        first_line = line_of(cursor + len(text_part) - len(text_part.lstrip()))
        findings.append({
            "text": finding_text,
            "due_date": None,
            "citations": parse_citation_text(inner, regulations, standards),
            "page": _page(doc, cleaned[first_line]),
            "_first_line": first_line,
            "_last_line": line_of(max(note_end - 1, end - 1)),
        })
        cursor = note_end
    _assign_due_dates(findings, dates)
    for finding in findings:
        finding.pop("_first_line")
        finding.pop("_last_line")
    return findings


def _note_end(joined: str, citation_end: int, limit: int) -> int:
    """Where a trailing note after a citation ("This relates to ...") ends: the end of its sentence."""
    rest = joined[citation_end:limit]
    same_line = rest.split("\n", 1)[0]
    if same_line.strip():
        note_start = 0
    else:
        after = rest.lstrip("\n")
        if not re.match(r"(?:this\s+(?:relates|is\s+(?:in\s+relation|with\s+regard|in\s+respect))|in\s+relation\s+to|"
                        r"with\s+regard\s+to|specifically|in\s+particular,?\s+(?:this|in\s+relation))", after, re.I):
            return citation_end
        note_start = len(rest) - len(after)
    sentence = re.search(r"[.!?](?=\s*(?:\n|$))", rest[note_start:])
    if sentence:
        return citation_end + note_start + sentence.end()
    return limit


def _assign_due_dates(findings: list[dict], dates: list[str | None]) -> None:
    """Give each finding the due date printed on one of its lines (first or last), or on a line of its own next to it."""
    used: set[int] = set()
    for finding in findings:
        span = range(finding["_first_line"], finding["_last_line"] + 1)
        candidates = [i for i in span if dates[i] and i not in used]
        if candidates:
            chosen = candidates[-1] if finding["_last_line"] in candidates else candidates[0]
            finding["due_date"] = dates[chosen]
            used.add(chosen)
    # dates on lines of their own, between findings
    for i, due in enumerate(dates):
        if not due or i in used:
            continue
        before = [f for f in findings if f["_last_line"] < i]
        after = [f for f in findings if f["_first_line"] > i]
        target = None
        if before and before[-1]["due_date"] is None:
            target = before[-1]
        elif after and after[0]["due_date"] is None:
            target = after[0]
        if target is not None:
            target["due_date"] = due
            used.add(i)


def _requirements_by_date(doc: Document, cleaned: list[str], dates: list[str | None]) -> list[dict]:
    """Rows without citations: each row ends at the line carrying its due date."""
    findings, current = [], []
    for line, due in zip(cleaned, dates):
        if line.strip():
            current.append(line)
        if due and current:
            findings.append({"text": _squash(" ".join(current)), "due_date": due, "citations": [],
                             "page": _page(doc, current[0])})
            current = []
    if current and _squash(" ".join(current)):
        findings.append({"text": _squash(" ".join(current)), "due_date": None, "citations": [],
                         "page": _page(doc, current[0])})
    return findings


def _requirements_with_reg_column(doc: Document, body: list[str], regulations: str | None, standards: str | None) -> list[dict]:
    """The pre-2017 table: "Reg. | Requirement | Due date", the regulation printed first on the row."""
    rows: list[list[str]] = []
    labels: list[str] = []
    row_start = re.compile(r"^\s*(\d{1,2}[A-Z]?(?:\s*\(\s*[0-9A-Za-z]{1,5}\s*\))*(?:\s*\(\d{4}\))?)(?:\t|\s{2,}|\s+(?=[a-zA-Z]))(.*)$")
    for line in body:
        match = row_start.match(line)
        if match:
            labels.append(_squash(match.group(1)))
            rows.append([match.group(2)])
        elif rows and line.strip():
            rows[-1].append(line)
    findings = []
    for label, row in zip(labels, rows):
        due = None
        text_lines = []
        for line in row:
            match = _DATE_AT_END.search(line)
            if match and parse_date(match.group(1)) and due is None:
                due = parse_date(match.group(1))
                line = line[: match.start()]
            text_lines.append(line)
        finding_text = _squash(" ".join(text_lines))
        inline = _citation_spans(finding_text)
        citations = []
        if inline and inline[-1][1] >= len(finding_text) - 1:
            citations = parse_citation_text(inline[-1][2], regulations, standards)
            finding_text = finding_text[: inline[-1][0]].rstrip()
        if not citations:
            printed = re.sub(r"\s*\(\d{4}\)$", "", label)
            citations = parse_citation_text(f"Regulation {printed}", regulations, standards)
            for citation in citations:
                citation["label"] = label
        findings.append({"text": finding_text, "due_date": due, "citations": citations, "page": _page(doc, row[0])})
    return findings


_REC_INTRO = re.compile(r"^\s*(?:to\s+improve.{0,120}?(?:following|recommendations?\(?s?\)?)\s*:?\s*$|the\s+registered\s+person"
                        r"(?:\(s\))?\s+should\s+take\s+account\s+of\s+the\s+following.*|recommendations?\s*:?)\s*$", re.I)


def _recommendations(doc: Document, part: str, regulations: str | None, standards: str | None) -> list[dict]:
    lines = [line for line in part.split("\n") if not _REC_INTRO.match(line)]
    # an introduction that wraps over lines ("To improve ... the following recommendation(s):")
    joined = re.sub(r"^\s*(?:in\s+order\s+)?to\s+improve\b[^:]{0,250}:\s*", "", "\n".join(lines), flags=re.I)
    spans = _citation_spans(joined)
    findings = []
    if spans:
        cursor = 0
        for index, (start, end, inner) in enumerate(spans):
            chunk = joined[cursor:start]
            if not chunk.strip() and findings:
                findings[-1]["citations"] += parse_citation_text(inner, regulations, standards)
                cursor = end
                continue
            note_end = _note_end(joined, end, spans[index + 1][0] if index + 1 < len(spans) else len(joined))
            text_part = _squash(f"{_strip_bullet(chunk)} {joined[end:note_end]}")
            findings.append({"text": text_part, "citations": parse_citation_text(inner, regulations, standards),
                             "page": _page(doc, _squash(chunk.strip().split("\n")[0]))})
            cursor = note_end
        tail = _squash(joined[cursor:])
        if tail and re.match(r"[A-Z]", tail) and len(tail) > 20:
            findings.append({"text": tail, "citations": [], "page": _page(doc, tail)})
        return findings
    # no citations: one recommendation per paragraph or bullet
    paragraphs = re.split(rf"\n\s*\n|\n\s*(?=[{BULLETS}\-\*]\s)", joined)
    for paragraph in paragraphs:
        item = _squash(_strip_bullet(paragraph))
        if item and len(item) > 15 and not re.fullmatch(r"none\.?", item, re.I):
            findings.append({"text": item, "citations": [], "page": _page(doc, item)})
    return findings


def _strip_bullet(text: str) -> str:
    return re.sub(rf"^\s*(?:[{BULLETS}\*\-]|\d{{1,2}}[.)])\s+", "", text)


def _page(doc: Document, snippet: str) -> int | None:
    if not doc.page_count:
        return None
    snippet = _squash(snippet)
    for length in (60, 40, 25):
        page = doc.page_of(snippet[:length])
        if page:
            return page
    return None


# ---------------------------------------------------------------- narrative sections

_KNOWN_HEADINGS = re.compile(
    r"^\s*(?:information\s+about\s+this\s+.{3,80}|inspection\s+judgements|overall\s+experiences\s+and\s+progress\s+of\s+children.*?"
    r"|how\s+well\s+children.*?helped\s+and\s+protected.*?|the\s+effectiveness\s+of\s+leaders\s+and\s+managers.*?"
    r"|summary\s+of\s+findings|what\s+does\s+the\s+.+?need\s+to\s+do\s+to\s+improve\??.*|statutory\s+requirements"
    r"|recommendations|recent\s+inspection\s+history|[a-z' ]{3,60}\s+details|inspectors?|evaluation\s+of\s+progress"
    r"|findings(?:\s+from\s+(?:the|this)\s+(?:assurance\s+|monitoring\s+)?visit)?|areas?\s+for\s+improvement|compliance\s+notices?"
    r"|interim\s+inspection)\s*:?\s*$", re.I)


def _sections(text: str) -> dict[str, str]:
    """The narrative by heading (judgement headings lose their grade), for what the record's fields do not hold."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        stripped = _squash(line)
        heading = _KNOWN_HEADINGS.match(line) and len(stripped) < 140
        if re.match(r"^\s*(?:inspection\s+dates?|date\s+of\s+last\s+inspection|overall\s+judgement\s+at\s+last"
                    r"|enforcement\s+action)\b", line, re.I):
            current = None  # the head's labelled facts, held in the record's fields
            continue
        if heading and ":" not in line and re.search(rf"\s{GRADE_WORDS}\s*$", line, re.I):
            current = "Summary"  # a row of the judgements table, not a heading
            sections.setdefault(current, [])
        elif heading:
            current = re.sub(rf"\s*:\s*{GRADE_WORDS}\s*$", "", stripped, flags=re.I)
            sections.setdefault(current, [])
            continue
        if current is not None:
            sections[current].append(line)
    skip = re.compile(r"statutory\s+requirements|recommendations|details$|inspectors?$|what\s+does\s+the", re.I)
    result = {}
    for heading, body in sections.items():
        if skip.search(heading):
            continue
        content = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
        if content:
            result[heading] = content
    return result
