"""The grades of a report: the judgement table in its layouts, interim outcomes, supported-accommodation outcomes."""
from __future__ import annotations

import re

from .lines import GRADE_WORDS, normalise_grade, squash

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

def _judgement_columns(text: str) -> dict:
    """Grades of a judgement table whose text extraction put the labels first and the grades after.

    "Overall experiences ... / How well ... / The effectiveness ..." (and a secure children's home's
    education and health rows) then "Good / Requires improvement to be good / Good / ...": the n-th
    grade line belongs to the n-th label line.
    """
    lines = [line for line in text[:8000].split("\n") if line.strip()]

    def key_of(line: str) -> str | None:
        if re.search(rf"\s{GRADE_WORDS}\s*$", line, re.I):
            return None
        return next((key for key, label in JUDGEMENTS if re.match(rf"^\s*{label}[^:\n]*$", line, re.I)), None)

    i = 0
    while i < len(lines):
        keys = []
        while i + len(keys) < len(lines) and (key := key_of(lines[i + len(keys)])):
            keys.append(key)
        if len(keys) >= 3:
            grades = [normalise_grade(line) for line in lines[i + len(keys):i + 2 * len(keys)]]
            if len(grades) == len(keys) and all(grades):
                return dict(zip(keys, grades))
        i += max(len(keys), 1)
    return {}


# Supported accommodation is not graded: a report gives one of three outcomes, by its words.
_SA_OUTCOMES = ((1, r"consistently\s+strong\s+service\s+delivery"), (2, r"inconsistent\s+quality\s+of\s+service\s+delivery"),
                (3, r"serious\s+(?:or|and/or)\s+widespread\s+weaknesses"))


def supported_accommodation_outcome(text: str, setting_type: str | None) -> int | None:
    if not setting_type or "supported accommodation" not in setting_type:
        return None
    head = text[:8000]
    end = re.search(r"^\s*(?:inspection\s+judgements|findings|what\s+does\s+the)", head, re.I | re.M)
    head = head[: end.start()] if end else head
    for number, words in _SA_OUTCOMES:
        if re.search(words, squash(head), re.I):
            return number
    return None


# a grade standing on a line of its own, or closing a wrapped line of a label (capitalised: "leaders and Good")
_GRADE_LINE = re.compile(rf"^\s*({GRADE_WORDS})\s*$", re.I)
_GRADE_CLOSING = re.compile(r"(?<=[a-z,])\s+(Requires\s+improvement(?:\s+to\s+be\s+good)?|Outstanding|Good|Inadequate)\s*$")


def _grades_inside_wrapped_labels(text: str) -> dict:
    """Grades of a table whose label cells wrap over lines, with the grade printed level with one of
    them: "How well children and / young people are helped / Outstanding / and protected".

    The lines are joined without their grades, each grade remembered at its place in the joined
    text; a label owns the first grade that falls inside it or in the lower-case words closing it.
    """
    flat, marks = "", []
    for line in text.split("\n"):
        whole, closing = _GRADE_LINE.match(line), _GRADE_CLOSING.search(line)
        if whole:
            marks.append((len(flat), normalise_grade(whole.group(1))))
            continue
        words = squash(line[: closing.start()] if closing else line)
        if words:
            flat += words + " "
        if closing:
            marks.append((len(flat), normalise_grade(closing.group(1))))
    found: dict[str, str] = {}
    for key, label in JUDGEMENTS:
        if key in found:
            continue
        for match in re.finditer(label, flat, re.I):
            tail = re.match(r"[a-z ,']{0,40}", flat[match.end():])
            inside = [grade for at, grade in marks if match.start() < at <= match.end() + len(tail.group(0)) and grade]
            if inside:
                found[key] = inside[0]
                break
    return found


def read_judgements(text: str) -> dict:
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
    for key, grade in _grades_inside_wrapped_labels(text).items():
        found.setdefault(key, grade)
    return found


def interim_token(printed: str) -> str | None:
    match = re.fullmatch(r"(improved|sustained|declined)\s+(?:in\s+)?effectiveness", printed.strip(), re.I)
    if not match:
        return None
    kind = match.group(1).lower()
    return "declined_in_effectiveness" if kind == "declined" else f"{kind}_effectiveness"


def interim_judgement(text: str) -> str | None:
    """An interim inspection's finding: improved_effectiveness, sustained_effectiveness or declined_in_effectiveness."""
    match = re.search(r"(?:interim\s+inspection\s+judgement|judgement\s+(?:at|from)\s+(?:this\s+)?interim\s+inspection"
                      r"|outcome\s+of\s+(?:the\s+|this\s+)?interim\s+inspection"
                      # before 2017: the outcome in the "This inspection" cell, beside the previous judgement
                      r"|^[ \t]*this\s+inspection)[ \t]*:?\s*(improved|sustained|declined)"
                      r"\s+(in\s+)?effectiveness", text, re.I | re.M)
    if not match:
        return None
    return interim_token(f"{match.group(1)} effectiveness")


