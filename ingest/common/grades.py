"""Grades as printed -> grade tokens: one table for the statistics, the reports and the press.

The statistics keep every grade Ofsted has given, "adequate" (before 2014) and the interim
outcomes among them; the extraction record (EXTRACTION.md) has tokens only for the current scale,
so the readers of reports ask for ``scale=REPORT_SCALE``.

>>> grade_token("Requires improvement to be good"), grade_token("ADEQUATE")
('requires_improvement', 'adequate')
>>> grade_token("adequate", scale=REPORT_SCALE) is None
True
"""
from __future__ import annotations

import re

#: the tokens of the extraction record
REPORT_SCALE = frozenset({"outstanding", "good", "requires_improvement", "inadequate", "not_judged"})

#: printed grade (lower case, spaces collapsed) -> token; the statistics' headers and cells use the same words
GRADES: dict[str, str] = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "requires improvement to be good": "requires_improvement",
    "require improvement": "requires_improvement",
    "adequate": "adequate",
    "satisfactory": "satisfactory",
    "inadequate": "inadequate",
    "improved effectiveness": "improved_effectiveness",
    "sustained effectiveness": "sustained_effectiveness",
    "declined effectiveness": "declined_effectiveness",
    "declined in effectiveness": "declined_effectiveness",
    "met": "met",
    "not met": "not_met",
    "nms met": "met",
    "nms not met": "not_met",
    "good progress": "good_progress",
    "satisfactory progress": "satisfactory_progress",
    "inadequate progress": "inadequate_progress",
    "not judged": "not_judged",
    "consistently strong service delivery": "consistently_strong_service_delivery",
    "inconsistent quality of service delivery": "inconsistent_quality_of_service_delivery",
    "serious or widespread weaknesses": "serious_or_widespread_weaknesses",
}
# 2013-14 children's homes: numeric grades; 0 means the area was not judged (left out).
GRADE_NUMBERS: dict[str, str | None] = {
    "0": None, "1": "outstanding", "2": "good", "3": "adequate", "4": "inadequate",
}
# Interim inspections in the same files use the numbers for the interim outcome. Checked against
# the 2014-15 file, which repeats 25 of these events in words: 2 = improved (10 of 10),
# 3 = sustained (8 of 8), 4 = declined (6 of 6), 5 = not judged (1 of 1).
INTERIM_GRADE_NUMBERS: dict[str, str | None] = {
    "0": None, "2": "improved_effectiveness", "3": "sustained_effectiveness",
    "4": "declined_effectiveness", "5": "not_judged",
}


#: a printed grade inside running text; use with re.I
GRADE_WORDS = (r"requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate|not\s+judged"
               r"|adequate")


def grade_token(printed: str | None, scale: frozenset[str] | None = None) -> str | None:
    """The token of a printed grade, or None; with ``scale``, None for a token outside it."""
    if not printed:
        return None
    key = " ".join(re.sub(r"[^\w\s]", " ", printed.lower()).split())
    token = GRADES.get(key)
    if token is None and key.startswith(("requires improvement", "require improvement")):
        token = "requires_improvement"
    if token is not None and scale is not None and token not in scale:
        return None
    return token
