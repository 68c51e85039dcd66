"""People: the lead inspector and the team (ILACS label, SIF team block, a letter's signatory, older layouts)."""
from __future__ import annotations

import re

_TITLE_WORDS = (r"(?:Senior\s+)?(?:Her|His)\s+Majesty.s\s+Inspectors?|Senior\s+HMI|SHMI|HMI(?:\s+designate)?|HMIs"
                r"|Ofsted\s+Inspectors?|OI|AI|SCRI|Social\s+Care\s+Regulatory\s+Inspector|Regulatory\s+Inspector"
                r"|Associate\s+Inspectors?|Additional\s+Inspectors?|Contracted\s+Inspector|Seconded\s+Inspector"
                r"|Supernumerary\s+Inspector|associate\s+inspectors")
_TITLE_ONLY = re.compile(rf"^\(?(?:{_TITLE_WORDS})\)?(?:\s*\((?:HMIs?|SHMI)\))?$", re.I)
_TRAILING_TITLE = re.compile(rf"^(.*?)[\s,]*\(?((?:{_TITLE_WORDS}))\)?$", re.I)


def _person(name: str, role: str, title: str | None, organisation: str | None = "Ofsted", **extra) -> dict:
    record = {"name": " ".join(name.split()).strip(" ,.;"), "role": role,
              "title": " ".join(title.split()) if title else None, "organisation": organisation}
    record.update(extra)
    return record


def _split_name_title(item: str) -> tuple[str, str | None]:
    item = item.strip(" ,.;")
    m = _TRAILING_TITLE.match(item)
    if m and m.group(1).strip():
        return m.group(1).strip(" ,"), m.group(2)
    return item, None


_NOT_A_NAME = re.compile(r"Majesty|Inspector|\bHMI\b|Ofsted|Commission|Council|Inspection|Director", re.I)
# words that stand in lower case inside a name ("Ruud van der Berg", "Ana de la Cruz")
_PARTICLES = frozenset({"van", "de", "der", "den", "von", "du", "le", "la", "da", "di", "del", "dos", "ten", "bin", "al"})
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_’'\-.]*(?:[’'\-.][^\W\d_]*)*")


def _is_name(text: str) -> bool:
    """Two or more words of letters in any script (Máire, Ellender-Gelé, O’Neill), each capitalised but for particles."""
    words = text.split()
    return len(words) >= 2 and all(
        _NAME_WORD.fullmatch(word) and (word[0].isupper() or (k and word in _PARTICLES)) for k, word in enumerate(words))


def _names_with_titles(text: str) -> list[tuple[str, str | None]]:
    """Split "A, HMI, B HMI and C (OI)" into (name, title) pairs; a title on its own belongs to the name before it."""
    people: list[tuple[str, str | None]] = []
    text = re.sub(r"\((?:all HMI unless otherwise stated)\)", "", text, flags=re.I)
    for piece in re.split(r",|\band\b|;|/", text):  # "Cath McEvoy/Ian Young": two people sharing a role
        piece = piece.strip(" .")
        if not piece:
            continue
        if _TITLE_ONLY.match(piece):
            if people and people[-1][1] is None:
                title = re.sub(r"\s*\((?:HMIs?|SHMI)\)$", "", piece).strip("()")
                people[-1] = (people[-1][0], title)
            continue
        name, title = _split_name_title(piece)
        if _is_name(name) and not _NOT_A_NAME.search(name):
            people.append((name, title))
    return people


_TEAM_LABEL = re.compile(
    # the lead's label may be printed with a dash or nothing for its colon ("Lead inspector Sue Myers"); the
    # others always have one
    r"(?<!deputy )(?:(Lead inspector on site|Lead inspector)(?:\s*[:\u2013\u2014-]|(?=\s+[^\W\d_]+\s+[^\W\d_])))"
    r"|(Deputy lead inspector|Report author|Team inspectors?(?:\s*\([^)]*\))?"
    r"|Shadow inspectors?|Additional inspectors?|Regulatory inspectors?|Associate inspectors?"
    r"|Supernumerary\s+inspectors?|Seconded\s+inspectors?|Contracted\s+inspectors?"
    r"|Senior data analysts?|Data analysts?|Senior analytical officers?|Quality assurance managers?)\s*:", re.I)


def _sif_team(lines: list[str]) -> list[dict]:
    start = None
    for i, line in enumerate(lines):
        if re.fullmatch(r"(The )?inspection team:?", line, re.I):
            start = i + 1
    if start is None:
        return []
    block: list[str] = []
    for line in lines[start:start + 20]:
        if not line:
            break
        block.append(line)
    text = " ".join(block)
    people: list[dict] = []
    labels = list(_TEAM_LABEL.finditer(text))
    for k, label in enumerate(labels):
        body = text[label.end(): labels[k + 1].start() if k + 1 < len(labels) else len(text)]
        printed_label = label.group(1) or label.group(2)
        label_text = " ".join(printed_label.split()).lower()
        if label_text.startswith(("senior data", "data analyst", "senior analytical", "quality assurance")):
            role = "other"
        elif label_text in ("lead inspector", "lead inspector on site"):
            role = "lead_inspector"
        else:
            role = "inspector"
        team_title = re.sub(r"\s*\(.*", "", printed_label).strip()
        if re.search(r"\(associate inspectors?\)|\(HMIs?\)", body, re.I):
            # "A, B (HMIs) and C and D (associate inspectors)": a plural title covers the names before it
            found = []
            groups = list(re.finditer(r"(.*?)\((HMIs?|associate inspectors?)\)", body, re.I))
            for group in groups:
                found += [(n, t or group.group(2)) for n, t in _names_with_titles(group.group(1))]
            # names after the last "(HMI)" have their own titles, or none
            pairs = found + _names_with_titles(body[groups[-1].end():])
        else:
            pairs = _names_with_titles(body)
        for name, title in pairs:
            people.append(_person(name, role, title, team_role=team_title))
        if role == "lead_inspector" and len(pairs) > 1:
            for extra in people[len(people) - len(pairs) + 1:]:
                extra["role"] = "inspector"
    unique: dict[str, dict] = {}
    for person in people:  # a report author may be listed again among the team
        unique.setdefault(person["name"], person)
    people = list(unique.values())
    # the lead inspector on site leads; a separate report author is an inspector
    leads = [p for p in people if p["role"] == "lead_inspector"]
    for extra in leads[1:]:
        extra["role"] = "inspector"
    return people


def _title_after(text: str) -> str | None:
    m = re.match(rf"[\s,]*\(?((?:{_TITLE_WORDS}))\)?", text, re.I)
    return m.group(1) if m else None


def read_people(framework: str, lines: list[str], head: str) -> list[dict]:
    """The inspectors a report names, the lead first (JTAI letters name none)."""
    if framework == "ilacs":
        m = re.search(r"Lead inspectors?:\s*(.+?)(?=\s+Judgement\b|\s+The impact\b|\s+Inspection\b|$)", head[:1500])
        if not m:
            return []
        return [_person(name, "lead_inspector", title) for name, title in _names_with_titles(m.group(1))]
    if framework == "sif":
        return _sif_team(lines)
    if framework in ("focused_visit", "monitoring_visit"):
        return _letter_people(lines, head)
    if framework == "other":
        m = re.search(r"Reporting inspector:?\s+(.+?)(?=\s+HMI\b|\s+Age group|\s+Published|,|$)(.{0,20})", head)
        if m:
            return [_person(m.group(1), "lead_inspector", _title_after(m.group(2)))]
        # area SEND: "Rebecca Sharples, Ofsted HMI lead inspector" / "Adam Sproston HMI, Ofsted lead inspector"
        for line in lines:
            m = re.match(r"([^\W\d_][\w’'\-]+(?: [^\W\d_][\w’'\-]+)+?)(?:,? (HMI))?,? Ofsted (?:(HMI),? )?lead\b", line, re.I)
            if m:
                return [_person(m.group(1), "lead_inspector", m.group(2) or m.group(3))]
    return []


def _letter_people(lines: list[str], head: str) -> list[dict]:
    """A letter's signatory (the lead inspector), then the other inspectors its opening names."""
    people: list[dict] = []
    for i, line in enumerate(lines):
        if re.match(r"Your?s? sincerely", line, re.I):
            after = [l for l in lines[i + 1:i + 6] if l]
            if after and _is_name(after[0].rstrip(",")):
                title = after[1] if len(after) > 1 and re.search(r"Inspector|HMI", after[1]) else None
                people.append(_person(after[0], "lead_inspector", title))
            break
    m = re.search(r"(?:The )?(?:lead )?[Ii]nspectors? (?:were|was) (.+?)\.(?:\s|$)", head) \
        or re.search(r"carried out by (?:(?:Her|His) Majesty.s Inspectors )?(.+?)\.(?:\s|$)", head)
    if m:
        shared = re.search(r"((?:Her|His) Majesty.s Inspector)s\b", m.group(1))
        names = re.sub(r",?\s*(?:two of|both|all of whom are)\s+(?:Her|His) Majesty.s Inspectors(?: \(HMIs?\))?", "", m.group(1))
        names = re.sub(r",\s*(?:Her|His) Majesty.s Inspectors(?: \(HMIs?\))?$", "", names)
        if m.re.pattern.startswith("carried") and re.match(r"carried out by (?:Her|His) Majesty", m.group(0)):
            shared = re.match(r"carried out by ((?:Her|His) Majesty.s Inspector)", m.group(0))
        for name, title in _names_with_titles(names):
            title = title or (shared.group(1) if shared else None)
            if not any(p["name"] == name for p in people):
                people.append(_person(name, "inspector" if people else "lead_inspector", title))
    return people

