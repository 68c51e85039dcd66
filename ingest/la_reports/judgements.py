"""Graded judgements: the ILACS table, the SIF headline and table, the LSCB sentence, pre-2013 grades."""
from __future__ import annotations

import re

from ..common.grades import REPORT_SCALE, grade_token

GRADE = (r"(requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate"
         r"|not\s+judged|adequate)")


def grade(word: str | None) -> str | None:
    # 'adequate' (frameworks before 2013) has no token in the contract
    return grade_token(word, scale=REPORT_SCALE)


_ILACS_ROWS = [
    # "... on social work practice with ..." until 2025; "The impact of leaders on practice with children and families" from 2026
    ("leaders", r"impact of leaders on (?:social work )?practice with children and families"),
    ("help_and_protection", r"children who need help and protection"),
    ("in_care", r"children in care and care leavers"),
    ("in_care", r"children in care(?! and care leavers)"),
    ("care_leavers", r"progress of (?:children )?care leavers"),
    ("overall_effectiveness", r"overall effectiveness"),
]
_SIF_ROWS = [
    ("help_and_protection", r"1\.?\s*Children who need help and protection"),
    ("in_care", r"2\.?\s*Children looked after and achieving permanence"),
    ("adoption", r"2\.1\.?\s*Adoption performance"),
    ("care_leavers", r"2\.2\.?\s*Experiences and progress of care leavers"),
    ("leaders", r"3\.?\s*Leadership,? management and governance"),
]


def _table_grades(block: str, rows: list[tuple[str, str]]) -> dict:
    grades: dict = {}
    for key, label in rows:
        if key in grades:
            continue
        m = re.search(rf"{label}\s*[.:]?\s*{GRADE}\b", block, re.I)
        if m and grade(m.group(1)):
            grades[key] = grade(m.group(1))
    return grades


def ilacs_judgements(head: str) -> dict:
    start = head.find("Judgement")
    block = head[start:start + 900] if start >= 0 else head[:1500]
    return _table_grades(block, _ILACS_ROWS)


def sif_judgements(head: str, full: str) -> dict:
    grades: dict = {}
    headline = head[:1500]
    m = (re.search(rf"Children.s services in .{{0,150}}? (?:(?:are|is)(?: of a consistently)? )?{GRADE}", headline, re.I)
         or re.search(rf"overall judgement is (?:that )?(?:children.s services )?(?:are |is )?{GRADE}", headline, re.I))
    if m and grade(m.group(1)):
        grades["overall_effectiveness"] = grade(m.group(1))
    grades.update(_table_grades(headline, _SIF_ROWS))
    m = re.search(rf"(?:The Local Safeguarding Children Board|effectiveness of the (?:Local Safeguarding Children Board|LSCB))"
                  rf"(?: \(LSCB\))?(?: is)? {GRADE}", full, re.I)
    if m and grade(m.group(1)):
        grades["lscb"] = grade(m.group(1))
    return grades


def printed_grades_pre_2013(full: str) -> dict:
    grades = {}
    for key, label in (("overall_effectiveness", r"Overall effectiveness(?: of services for looked after children and young people)?"),
                       ("capacity_to_improve", r"Capacity to improve")):
        m = re.search(rf"{label}\s*:?\s*(?:is\s+)?{GRADE}\b", full, re.I)
        if m:
            grades[key] = " ".join(m.group(1).lower().split())
    return grades

