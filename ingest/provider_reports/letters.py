"""Monitoring and assurance letters: the addressee block, visit dates in prose, the previous grade in a sentence."""
from __future__ import annotations

import re

from .lines import HONORIFIC, NAME, POSTCODE, squash


def addressee(text: str) -> tuple[str, str, str | None, str | None] | None:
    """(name, role, title, organisation) of a letter's addressee: name, role and organisation lines above "Dear"."""
    head = text[: text.lower().find("dear ")] if re.search(r"^\s*dear\s", text[:3000], re.I | re.M) else ""
    lines = [squash(line) for line in head.split("\n") if line.strip()]
    roles = {r"registered\s+manager": "registered_manager", r"responsible\s+individual": "responsible_individual",
             r"registered\s+person|registered\s+provider|manager": "other", r"chief\s+executive(?:\s+officer)?": "chief_executive",
             r"director\b.*": "director"}
    for i in range(len(lines) - 1):
        name = HONORIFIC.sub("", lines[i])
        if not HONORIFIC.match(lines[i]) or not re.fullmatch(NAME, name):
            continue
        for pattern, role in roles.items():
            if re.fullmatch(pattern, lines[i + 1], re.I):
                organisation = lines[i + 2] if i + 2 < len(lines) and not POSTCODE.search(lines[i + 2]) \
                    and re.search(r"\b(?:ltd|limited|plc|llp|cic|trust|council|society|services?|care|group|agency|charity)\b",
                                  lines[i + 2], re.I) else None
                return name, role, (lines[i + 1] if role == "other" else None), organisation
    return None


