"""Monitoring and assurance letters: the addressee block, visit dates in prose, the previous grade in a sentence.

A letter's head is Ofsted's address, the date, then the addressee block: the person's name (with or
without an honorific), their role, the company and its address down to the postcode, then "Dear ...".
Its facts are in sentences: "the monitoring visit to X on 8 and 9 July 2024", "The agency was judged
inadequate overall at its full inspection, which ended on 9 February 2024".
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .lines import ANY_DATE, DAY, GRADE_WORDS, HONORIFIC, MONTH, NAME, POSTCODE, RANGE_JOIN, normalise_grade, parse_date, squash


class Addressee(NamedTuple):
    name: str
    role: str
    title: str | None
    organisation: str | None
    address: str | None


_ROLES = ((r"registered\s+manager", "registered_manager"), (r"responsible\s+individual", "responsible_individual"),
          (r"registered\s+person|registered\s+provider|(?:acting\s+|interim\s+)?manager|headteacher|principal", "other"),
          (r"chief\s+executive(?:\s+officer)?", "chief_executive"), (r"director\b.*", "director"))
# words of a company's or charity's name, which an address line lacks: what tells a company line when
# the block prints no postcode to end an address
_ORGANISATION = re.compile(r"\b(?:ltd|limited|plc|llp|cic|trust|council|society|services?|care|group|agency|charity"
                           r"|foundation|fostering|adoption|homes?|partnership|association|school|college|famil(?:y|ies)"
                           r"|children|centre|support|solutions|healthcare|education|uk)\b", re.I)


def _letter_head(text: str) -> list[str]:
    salutation = re.search(r"^\s*dear\s", text[:4000], re.I | re.M)
    if not salutation:
        return []
    return [squash(line) for line in text[: salutation.start()].split("\n") if line.strip()]


def addressee(text: str) -> Addressee | None:
    """The person a letter is addressed to, with their role and the company and address printed below them."""
    lines = _letter_head(text)
    for i in range(len(lines) - 1):
        name = HONORIFIC.sub("", lines[i])
        if not re.fullmatch(NAME, name) or len(name.split()) > 5:
            continue
        role = next((token for pattern, token in _ROLES if re.fullmatch(pattern, lines[i + 1], re.I)), None)
        if role is None:
            continue
        rest = lines[i + 2:i + 9]
        # The company is the line after the role, whatever its words ("... Community Interest Company",
        # "Institute of ..."), when its address follows it down to a postcode; a postcode on that line
        # itself means the block is an address with no company line.
        ending = next((n for n, line in enumerate(rest) if POSTCODE.search(line)), None)
        organisation = address = None
        if ending is not None and ending >= 1:
            organisation, address = rest[0], _join_address(rest[1:ending + 1])
        elif ending is None and rest and _ORGANISATION.search(rest[0]):
            organisation = rest[0]  # no address printed: only a company's words tell the line from an address
        return Addressee(name, role, lines[i + 1] if role == "other" else None, organisation, address)
    return None


def _join_address(lines: list[str]) -> str:
    """Address lines as one value: "2 Canal Wharf, Leek, Staffordshire ST13 5PL" (the postcode after a space)."""
    value = lines[0]
    for line in lines[1:]:
        value += (" " if value.endswith(",") or POSTCODE.fullmatch(line) else ", ") + line
    return value


# "14 March 2023", "8 and 9 July 2024", "8, 9 and 10 July 2024", "30 June to 2 July 2024"
_RANGE = rf"(?:{DAY}(?:\s+{MONTH})?(?:\s+\d{{4}})?(?:\s*,\s*|\s+{RANGE_JOIN}\s+))*{ANY_DATE}"


# a full stop, ! or ? before a space ends a sentence, unless it closes an initial or a short capitalised
# abbreviation inside a name ("St. Christopher's", "J. Smith", "Dr. Ahmed")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b[A-Z][a-z]\.)\s+")


def _sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace collapsed; a paragraph break ends a sentence too (a heading has no full stop)."""
    return [sentence for paragraph in re.split(r"\n[ \t]*\n", text)
            for sentence in _SENTENCE_END.split(squash(paragraph))]


def visit_dates_in_prose(text: str) -> str | None:
    """The printed dates of the visit a letter reports ("... the monitoring visit to X on 8 and 9 July 2024").

    The sentence must speak of this visit or inspection, not of the last one ("which ended on ...")."""
    for sentence in _sentences(text):
        if re.search(r"\b(?:last|previous|earlier)\s+(?:full\s+)?inspection\b|\bended\s+on\b", sentence, re.I):
            continue
        # within the sentence, anything may come between (a name may hold a full stop: "Familyplacement.com")
        match = re.search(rf"\b(?:visit(?:ed)?|inspect(?:ed|ion))\b.{{0,150}}?\b(?:on|between|from)\s+({_RANGE})",
                          sentence, re.I)
        if match:
            return match.group(1)
    return None


def previous_in_prose(text: str) -> dict | None:
    """{"date", "overall"} of the last full inspection as a letter's sentence gives them, or None.

    "The agency was judged inadequate overall at its full inspection, which ended on 9 February 2024";
    "At its last full inspection on 3 May 2023, the home was judged to be good"."""
    for sentence in _sentences(text):
        if not re.search(r"\b(?:last|previous|full)\s+(?:full\s+)?inspection\b", sentence, re.I):
            continue
        grade = re.search(rf"\b(?:judged|rated|graded|found)\s+(?:to\s+be\s+|as\s+)?({GRADE_WORDS})\b"
                          rf"|\b(?:overall\s+effectiveness|judgement)\s+(?:of|was)\s+({GRADE_WORDS})\b", sentence, re.I)
        dates = [parse_date(found) for found in re.findall(ANY_DATE, sentence, re.I)]
        dates = [date for date in dates if date]
        if grade:  # a sentence without the date still gives the grade
            return {"date": dates[-1] if dates else None, "overall": normalise_grade(grade.group(1) or grade.group(2))}
    return None
