"""The narrative by heading, for what the record's fields do not hold."""
from __future__ import annotations

import re

from .lines import GRADE_WORDS, squash

_KNOWN_HEADINGS = re.compile(
    r"^\s*(?:information\s+about\s+this\s+.{3,80}|inspection\s+judgements|overall\s+experiences\s+and\s+progress\s+of\s+children.*?"
    r"|how\s+well\s+children.*?helped\s+and\s+protected.*?|the\s+effectiveness\s+of\s+leaders\s+and\s+managers.*?"
    r"|summary\s+of\s+findings|what\s+does\s+the\s+.+?need\s+to\s+do\s+to\s+improve\??.*|statutory\s+requirements"
    r"|recommendations|recent\s+inspection\s+history|[a-z' ]{3,60}\s+details|inspectors?|evaluation\s+of\s+progress"
    r"|findings(?:\s+from\s+(?:the|this)\s+(?:assurance\s+|monitoring\s+)?visit)?|areas?\s+for\s+improvement|compliance\s+notices?"
    r"|interim\s+inspection)\s*:?\s*$", re.I)


def read_sections(text: str) -> dict[str, str]:
    """The narrative by heading (judgement headings lose their grade), for what the record's fields do not hold."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        stripped = squash(line)
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
