"""The people a report names: responsible individual, registered manager, inspectors."""
from __future__ import annotations

import re

from .letters import addressee
from .lines import HONORIFIC, NAME, labelled, squash

_TITLE_WORDS = (r"(?:(?:Senior|Lead|Principal|Regulatory|Assistant)\s+)*"
                r"(?:Social\s+Care\s+(?:Regulatory\s+)?(?:Inspector|Inspection\s+Manager)|Regulatory\s+Inspector"
                r"|Regulatory\s+Inspection\s+Manager|(?:His|Her)\s+Majesty['\u2019]s\s+Inspector(?:\s+\([^)]*\))?"
                r"|HMI|Ofsted\s+Inspector|Inspector|Officer(?:\s+\([^)]*\))?|Manager(?:\s+\([^)]*\))?)")
_INSPECTOR_PAIR = re.compile(rf"({NAME})\s*[,\u2013\-:]\s*({_TITLE_WORDS})(?!\w)(\s*\((?i:lead(?:\s+inspector)?)\))?")

_VACANT = re.compile(r"^\W*(?:.*\bvacant\b.*|none|nil|not\s+applicable|n/?a|to\s+be\s+confirmed|not\s+known|no\s+(?:registered\s+)?manager.*)\W*$", re.I)


def _split_inspectors(block: str) -> list[tuple[str, str | None, bool]]:
    """(name, title, marked lead) for each "Name, Title" in a block of inspectors."""
    lines = [squash(line) for line in block.split("\n") if line.strip()]
    one_per_line = [re.fullmatch(rf"({NAME})\s*[,:\u2013]\s*([^,]*?(?:inspector|HMI|manager|officer)\b.*?)", line, re.I)
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
    flat = squash(block)
    pairs = [(m.group(1).strip(), squash(m.group(2)), bool(m.group(3))) for m in _INSPECTOR_PAIR.finditer(flat)]
    if pairs:
        return pairs
    names = [squash(line) for line in block.split("\n") if line.strip()]
    return [(name, None, False) for name in names if re.fullmatch(NAME, name) and len(name.split()) <= 5]


def _signatories(text: str) -> list[tuple[str, str | None, bool]]:
    """(name, title, False) for each "Name / Title" pair signing a letter after "Yours sincerely"."""
    signature = re.search(r"yours\s+sincerely\s*,?\s*\n", text, re.I)
    if not signature:
        return []
    lines = [squash(line) for line in text[signature.end():].split("\n")[:12]]
    found = []
    for i in range(len(lines) - 1):
        name, title = lines[i], lines[i + 1]
        if re.fullmatch(NAME, name) and len(name.split()) <= 5 and re.search(r"inspector|HMI|manager|director", title, re.I) \
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
        if not re.fullmatch(rf"{NAME}(?:\s*[,\u2013:-]\s*\S.*)?", squash(line)):
            break  # the block is a run of "Name" or "Name, Title" lines; a label or a sentence ends it
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


def labelled_people(text: str) -> list[tuple[str, str | None, str | None]]:
    people = []
    for role, title, label in _LABELLED_ROLES:
        if title is not None:  # the title as printed: "Headteacher/Principal"
            printed = re.search(rf"^[ \t]*({label})[ \t]*:", text, re.I | re.M)
            title = squash(printed.group(1)) if printed else title
        people.append((role, title, labelled(text, label, loose=role != "other")))
    return people



def read_people(labelled: list[tuple[str, str | None, str | None]], organisation: str | None, text: str) -> list[dict]:
    people = []
    for role, title, value in labelled:
        if value and not _VACANT.match(value):
            name = HONORIFIC.sub("", value)
            if not re.fullmatch(NAME, name):
                continue  # "Acting manager: yes", a sentence, ... are not names
            people.append({"name": name, "role": role, "title": title, "organisation": organisation})
    letter = addressee(text)
    if letter and letter.name.lower() not in {p["name"].lower() for p in people}:
        people.append({"name": letter.name, "role": letter.role, "title": letter.title,
                       "organisation": letter.organisation or organisation})
    inspectors: list[tuple[str, str | None, bool]] = []
    block = _inspector_block(text)
    if block:
        heading_lead = bool(re.search(r"^\s*lead\s+inspector\s*:?\s*$", text, re.I | re.M))
        inspectors += [(name, title, heading_lead or lead) for name, title, lead in _split_inspectors(block)]
    for role_label, lead in ((r"lead\s+inspector", True), (r"inspectors?", False)):
        for match in re.finditer(rf"^[ \t]*(?i:{role_label})(?:[ \t]*(?::|\t)[ \t]*|[ ](?={NAME}\s*$))(\S.*)$", text, re.M):
            for name, title, marked in _split_inspectors(match.group(1)) or [(squash(match.group(1)), None, False)]:
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

