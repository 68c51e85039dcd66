"""Reader for Ofsted's reports on local-authority children's services.

Recognises, from the text alone:

* ILACS reports (2018 on): "Inspection of X local authority children's services" or, in
  2018-2020, "X / Inspection of children's social care services", with "Inspection dates:",
  a lead inspector and a "Judgement / Grade" table. Two weeks on site is ``ilacs_standard``,
  one week (7 days or fewer) ``ilacs_short``.
* SIF reports (2013-2018): "Inspection of services for children in need of help and
  protection, children looked after and care leavers" (also re-inspections and reviews of a
  Local Safeguarding Children Board on their own): ``sif``.
* focused-visit letters ("Focused visit to X children's services"): ``focused_visit``.
* joint targeted area inspections (letters to the area's partners): ``jtai``.
* area SEND inspections and the frameworks before 2013 (e.g. "Inspection of looked after
  children services"): ``other``; their grades are not forced onto ILACS keys.

``parse(doc)`` returns the la_report part of the extraction record (see EXTRACTION.md);
``extract_many(paths)`` extracts many documents in a process pool.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from .common.dates import DASH, MONTH, parse_date, parse_date_range, spell_numeric_dates
from .common.grades import REPORT_SCALE, grade_token
from .text import Document

_MONTH = MONTH
_DASH = DASH
_FULL_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s+(\d{{4}})\b", re.I)

GRADE = (r"(requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate"
         r"|not\s+judged|adequate)")

# characters that start a bullet point in Ofsted's PDFs (Wingdings glyphs land in the private use area)
_BULLET = re.compile(r"^\s*[\uf000-\uf8ff◼◾■▪•●·\u2022\u25aa\u25a0\u2013-]\s*")
_NUMBERED = re.compile(r"^\s*(\d{1,3})\.(?!\d)\s*(?=\S)")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-Z]")
_TERMINAL = re.compile(r"[.;!?]['’”)]*\s*$")

_STOP_HEADING = re.compile(
    r"^((The )?[Ee]xperiences and progress|(The )?[Ii]mpact of leaders|Headline findings|Main findings|Findings\b"
    r"|Overview\b|Summary\b|Key (strengths|findings)|Strengths\b|The local authority.s strengths"
    r"|The LSCB.s strengths|Information about|Inspection (findings|judgements?)\b|Progress since"
    r"|Executive summary|What the inspection|Next steps|Case study|Ofsted will|Yours sincerely"
    r"|Your sincerely|Section \d|The Local Safeguarding Children Board|The effectiveness of the LSCB"
    r"|Review of the|Local leadership|Children living in this area"
    r"|Inspection outcome|Information\b|Local area partnership details|[A-Z][\w ’']{0,40} [Ss]trengths$)")

_NONE_ITEM = re.compile(r"^(none\b|there are no (further )?(areas|recommendations)|no (areas|recommendations)\b)", re.I)
_INTRO_ITEM = re.compile(r"should take the following action|following (areas|actions?)\s*[:.]?$", re.I)

_TITLE_WORDS = (r"(?:Senior\s+)?(?:Her|His)\s+Majesty.s\s+Inspectors?|Senior\s+HMI|SHMI|HMI(?:\s+designate)?|HMIs"
                r"|Ofsted\s+Inspectors?|OI|AI|SCRI|Social\s+Care\s+Regulatory\s+Inspector|Regulatory\s+Inspector"
                r"|Associate\s+Inspectors?|Additional\s+Inspectors?|Contracted\s+Inspector|associate\s+inspectors")
_TITLE_ONLY = re.compile(rf"^\(?(?:{_TITLE_WORDS})\)?(?:\s*\((?:HMIs?|SHMI)\))?$", re.I)
_TRAILING_TITLE = re.compile(rf"^(.*?)[\s,]*\(?((?:{_TITLE_WORDS}))\)?$", re.I)


# --------------------------------------------------------------------------- helpers

def _flat(text: str) -> str:
    return " ".join(text.split())


def _grade(word: str | None) -> str | None:
    # 'adequate' (frameworks before 2013) has no token in the contract
    return grade_token(word, scale=REPORT_SCALE)


def _lines(doc: Document) -> list[str]:
    """All lines of the document, with an empty line standing for each page break."""
    out: list[str] = []
    for page in doc.pages:
        page_lines = [line.strip() for line in page.split("\n")]
        out.extend(_without_letterhead(page_lines))
        out.append("")
    return out


def _without_letterhead(lines: list[str]) -> list[str]:
    """Drop Ofsted's address block (a letter's letterhead can land in the middle of the text)."""
    kept: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i] == "Ofsted" or lines[i].startswith("Piccadilly Gate"):
            end = next((j for j in range(i, min(i + 14, len(lines))) if "gov.uk/ofsted" in lines[j]), None)
            if end is not None:
                i = end + 1
                continue
        kept.append(lines[i])
        i += 1
    return kept


# --------------------------------------------------------------------------- framework

def detect_framework(text: str) -> str | None:
    """The framework family of a report's text ("ilacs" for both ILACS kinds), or None when it is not a local-authority report."""
    head = _flat(text[:4000]).lower()
    title = head[:300]  # the title block: later text may mention other kinds of inspection
    if re.search(r"area send inspection|local area partnership|local area send|joint local area send", title):
        return "other"
    if re.search(r"inspection of services for children in need of help and protection"
                 r"|review of the effectiveness of the local safeguarding children board", title):
        return "sif"
    if re.search(r"inspection of (?:.{0,120}? )?(local authority )?children.s (social care )?services\b.{0,80}inspection dates?", title):
        return "ilacs"
    if re.search(r"inspection of (looked after children|safeguarding|local authority arrangements for the protection)", title):
        return "other"
    if re.search(r"focused visit to ", head[:1500]):
        return "focused_visit"
    if re.search(r"monitoring visit (to|of) .{0,120}?children.s services", head[:1500]):
        return "monitoring_visit"
    if "joint targeted area inspection" in head[:1500]:
        return "jtai"
    if re.search(r"special educational needs and/or disabilities.{0,40}inspection", head):
        return "other"
    return None


# --------------------------------------------------------------------------- local authority

_LA_STOPWORDS = {"council", "borough", "city", "of", "the", "county", "metropolitan", "district", "london",
                 "royal", "local", "authority", "unitary", "mbc", "and", "area", "partnership", "children",
                 "childrens", "services", "safeguarding", "board", "st"}


def _la_tokens(name: str) -> frozenset[str]:
    name = name.lower().replace("&", " and ").replace("’", "'").replace("'s", "s")
    words = re.findall(r"[a-z]+", name)
    return frozenset(w for w in words if w not in _LA_STOPWORDS)


@lru_cache(maxsize=1)
def _ons_codes() -> dict[str, str]:
    from ..paths import shared_dir

    shared = shared_dir()
    path = shared / "data" / "la_lookup.csv" if shared else None
    if not path or not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {row["urn"].strip(): (row.get("la_code_new") or "").strip() for row in csv.DictReader(handle) if row.get("urn")}


@lru_cache(maxsize=1)
def _la_lookup() -> dict[str, list[frozenset[str]]]:
    from ..paths import shared_dir

    shared = shared_dir()
    path = shared / "data" / "la_lookup.csv" if shared else None
    if not path or not path.exists():
        return {}
    names: dict[str, list[frozenset[str]]] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            urn = (row.get("urn") or "").strip()
            if not urn:
                continue
            for column in ("local_authority_ons_name", "also_known_as", "ltla23nm", "utla23nm"):
                tokens = _la_tokens(row.get(column) or "")
                if tokens:
                    names.setdefault(urn, []).append(tokens)
    return names


def urn_from_filename(path: str, la_name: str | None) -> str | None:
    """The Ofsted LA URN that leads the file name, kept only when la_lookup.csv names that LA as the text does."""
    match = re.match(r"(\d{5,8})_", Path(path).name)
    if not match or not la_name:
        return None
    urn = match.group(1)
    text_tokens = _la_tokens(la_name)
    if not text_tokens:
        return None
    for tokens in _la_lookup().get(urn, []):
        if tokens <= text_tokens or text_tokens <= tokens:
            return urn
    return None


def _la_name(framework: str, lines: list[str], head: str) -> str | None:
    name = None
    if framework in ("focused_visit", "monitoring_visit"):
        m = re.search(r"(?:Focused|Monitoring) visit (?:to|of) (?:the )?(.+?)(?: local authority)? children.s services", head, re.I)
        name = m and m.group(1)
    elif framework == "jtai":
        m = re.search(r"Joint targeted area inspection of (.+?)(?= Between\b| This\b| From\b| During\b| Ofsted\b)", head)
        title = m.group(1) if m else ""
        m = re.match(r"(?!the\b)([A-Z][\w’'\-,&. ]+)$", title) or re.search(r".* in (?:the )?([A-Z][\w’'\-&. ]+)$", title)
        if not m:
            # the title names no area: the first sentence does ("... missing ... in Greenwich.")
            m = re.search(r"(?:Between|From|During)\b.{0,400}? in (?:the )?((?:Royal |London )?(?:Borough of )?[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+)*)[.,1]", head) \
                or re.search(r"individual agencies in (?:the )?([A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+)*)", head)
        name = m and m.group(1)
    elif framework == "other" and re.search(r"area SEND|Local Area Partnership", head, re.I):
        m = re.search(r"(?:SEND inspection|inspection) (?:of|in) (?:the )?(.+?) Local Area Partnership", head, re.I) \
            or re.search(r"local area SEND inspection of (.+?)(?: Local Area| Inspection|$)", head, re.I)
        name = m and m.group(1)
    if not name:
        m = re.match(r"Inspection of (?!services\b|looked\b|children.s social|local authority children.s social"
                     r"|safeguarding\b)(?:the )?(.+?)(?: local authority)? children.s services\b", head)
        if m:
            name = m.group(1)
    if not name:
        # older layouts: the council's name, then the title ("Inspection of ...", "Re-inspection ...", "Review of ...")
        header: list[str] = []
        for line in lines[:8]:
            if re.match(r"(Re-)?inspection of|Review of|Inspection date", line, re.I):
                break
            if line:
                header.append(line)
        if header and len(header) <= 3:
            name = " ".join(header)
        else:
            m = re.search(r"Inspection of looked after children services (.+?) Inspection date", head)
            m = m or re.search(r"Inspection of safeguarding and looked after children services (.+?) Inspection date", head)
            name = m and m.group(1)
    if not name:
        return None
    name = re.sub(r"\s+Safeguarding Children Board$", "", " ".join(name.split()).strip(" ,."))
    return name or None


# --------------------------------------------------------------------------- dates

def _inspection_dates(framework: str, head: str) -> tuple[date | None, date | None, int | None]:
    m = re.search(rf"Inspection dates?:?\s*(.+?{_DATE_TAIL})", head)
    if framework in _LETTERS or not m:
        m2 = re.search(rf"\b(?:on|between|from|during)\s+(\d{{1,2}}(?:st|nd|rd|th)?\s[^.]{{0,80}}?{_DATE_TAIL})", head, re.I)
        if framework in _LETTERS and m2:
            m = m2
        elif not m:
            m = m2
    if not m:
        return None, None, None
    return parse_date_range(m.group(1))


_LETTERS = ("focused_visit", "monitoring_visit", "jtai")
_DATE_TAIL = rf"{_MONTH}\s+\d{{4}}(?:\s*(?:and|to|{_DASH})\s*\d{{1,2}}[^.]{{0,40}}?{_MONTH}\s+\d{{4}})*"


def _publication_date(framework: str, lines: list[str], head: str) -> date | None:
    m = re.search(rf"(?:Report published:?|Published:)\s*(\d{{1,2}}\s+{_MONTH}\s+\d{{4}})", head)
    if m:
        return parse_date_range(m.group(1))[0]
    if framework in _LETTERS:
        # a letter is dated above its salutation
        for line in lines[:40]:
            if line.startswith("Dear"):
                break
            if _FULL_DATE.fullmatch(line.strip()):
                return parse_date(line)
    return None


# --------------------------------------------------------------------------- people

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
_NAME = re.compile(r"^[A-Z][A-Za-z’'\-.]+(?:\s+(?:[A-Z][A-Za-z’'\-.]*|van|de|der|von|du|le|la))+$")


def _names_with_titles(text: str) -> list[tuple[str, str | None]]:
    """Split "A, HMI, B HMI and C (OI)" into (name, title) pairs; a title on its own belongs to the name before it."""
    people: list[tuple[str, str | None]] = []
    text = re.sub(r"\((?:all HMI unless otherwise stated)\)", "", text, flags=re.I)
    for piece in re.split(r",|\band\b|;", text):
        piece = piece.strip(" .")
        if not piece:
            continue
        if _TITLE_ONLY.match(piece):
            if people and people[-1][1] is None:
                title = re.sub(r"\s*\((?:HMIs?|SHMI)\)$", "", piece).strip("()")
                people[-1] = (people[-1][0], title)
            continue
        name, title = _split_name_title(piece)
        if _NAME.match(name) and not _NOT_A_NAME.search(name):
            people.append((name, title))
    return people


_TEAM_LABEL = re.compile(
    r"(Lead inspector on site|Lead inspector|Deputy lead inspector|Report author|Team inspectors?(?:\s*\([^)]*\))?"
    r"|Shadow inspectors?|Additional inspectors?|Regulatory inspectors?|Associate inspectors?"
    r"|Senior data analysts?|Data analysts?|Quality assurance managers?)\s*:", re.I)


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
        label_text = " ".join(label.group(1).split()).lower()
        if label_text.startswith(("senior data", "data analyst", "quality assurance")):
            role = "other"
        elif label_text in ("lead inspector", "lead inspector on site"):
            role = "lead_inspector"
        else:
            role = "inspector"
        team_title = re.sub(r"\s*\(.*", "", label.group(1)).strip()
        if re.search(r"\(associate inspectors?\)|\(HMIs?\)", body, re.I):
            # "A, B (HMIs) and C and D (associate inspectors)": a plural title covers the names before it
            found = []
            for group, plural in re.findall(r"(.*?)\((HMIs?|associate inspectors?)\)", body, re.I):
                found += [(n, t or plural) for n, t in _names_with_titles(group)]
            pairs = found
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


def _people(framework: str, lines: list[str], head: str) -> list[dict]:
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
            m = re.match(r"([A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+)+?)(?:,? (HMI))?,? Ofsted (?:(HMI),? )?lead\b", line, re.I)
            if m:
                return [_person(m.group(1), "lead_inspector", m.group(2) or m.group(3))]
    return []


def _letter_people(lines: list[str], head: str) -> list[dict]:
    """A letter's signatory (the lead inspector), then the other inspectors its opening names."""
    people: list[dict] = []
    for i, line in enumerate(lines):
        if re.match(r"Your?s? sincerely", line, re.I):
            after = [l for l in lines[i + 1:i + 6] if l]
            if after and _NAME.match(after[0].rstrip(",")):
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


# --------------------------------------------------------------------------- judgements

_ILACS_ROWS = [
    ("leaders", r"impact of leaders on social work practice with children and families"),
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
        if m and _grade(m.group(1)):
            grades[key] = _grade(m.group(1))
    return grades


def _ilacs_judgements(head: str) -> dict:
    start = head.find("Judgement")
    block = head[start:start + 900] if start >= 0 else head[:1500]
    return _table_grades(block, _ILACS_ROWS)


def _sif_judgements(head: str, full: str) -> dict:
    grades: dict = {}
    headline = head[:1500]
    m = (re.search(rf"Children.s services in .{{0,150}}? (?:(?:are|is)(?: of a consistently)? )?{GRADE}", headline, re.I)
         or re.search(rf"overall judgement is (?:that )?(?:children.s services )?(?:are |is )?{GRADE}", headline, re.I))
    if m and _grade(m.group(1)):
        grades["overall_effectiveness"] = _grade(m.group(1))
    grades.update(_table_grades(headline, _SIF_ROWS))
    m = re.search(rf"(?:The Local Safeguarding Children Board|effectiveness of the (?:Local Safeguarding Children Board|LSCB))"
                  rf"(?: \(LSCB\))?(?: is)? {GRADE}", full, re.I)
    if m and _grade(m.group(1)):
        grades["lscb"] = _grade(m.group(1))
    return grades


def _printed_grades_pre_2013(full: str) -> dict:
    grades = {}
    for key, label in (("overall_effectiveness", r"Overall effectiveness(?: of services for looked after children and young people)?"),
                       ("capacity_to_improve", r"Capacity to improve")):
        m = re.search(rf"{label}\s*:?\s*(?:is\s+)?{GRADE}\b", full, re.I)
        if m:
            grades[key] = " ".join(m.group(1).lower().split())
    return grades


# --------------------------------------------------------------------------- recommendations

_SECTION_STARTS = {
    "ilacs": [r"What needs to improve\b.*"],
    "focused_visit": [r"What needs to improve\b.*", r"Areas? for priority action\b.*"],
    "sif": [r"What does the (?:local authority|LSCB|Local Safeguarding Children Board) need to improve\b.*",
            r"Recommendations:?", r"Priority and immediate action:?", r"Areas for improvement:?"],
    "jtai": [r"What needs to improve\b.*", r"Areas for priority action\b.*"],
    "other": [r"Areas for improvement:?", r"Recommendations:?", r"Areas for priority action:?"],
}


def _is_heading_start(line: str, patterns: list[str]) -> bool:
    if re.search(r"\s\d+$", line):  # a contents line: "Recommendations 7"
        return False
    if not line[:1].isupper() or line.endswith((".", ",")):  # a sentence that happens to start alike
        return False
    return any(re.fullmatch(p, line, re.I) for p in patterns)


def _item_start(line: str) -> tuple[str, str, int | None] | None:
    m = _NUMBERED.match(line)
    if m:
        return "numbered", line[m.end():], int(m.group(1))
    m = _BULLET.match(line)
    if m and line[m.end():][:1].strip():
        return "bullet", line[m.end():], None
    return None


def _heading_like(line: str) -> bool:
    return bool(line) and len(line) < 90 and not _TERMINAL.search(line) and line[0].isupper()


def _section_items(lines: list[str], start: int, patterns: list[str]) -> tuple[list[tuple[int, str]], int]:
    """Items listed after the heading at ``start``: [(line index, text)], and the index where the section ended."""
    items: list[list] = []
    i = start + 1
    skip_page = False
    crossed_heading = False
    while i < len(lines):
        line = lines[i]
        if not line:
            skip_page = False
            i += 1
            continue
        if skip_page:
            i += 1
            continue
        if _FOOTNOTE.match(line) and not _FULL_DATE.match(line) and items:
            skip_page = True  # a footnote at the foot of the page
            i += 1
            continue
        started = _item_start(line)
        if started and _INTRO_ITEM.search(" ".join([line] + lines[i + 1:i + 3])):
            i += 1  # "20. ... the local authority should take the following action." introduces the list
            continue
        if started:
            kind, text, number = started
            if items and crossed_heading and kind != items[-1][2] and not items[-1][1].rstrip().endswith(":"):
                break  # after a heading, a list of another kind is a new part of the report
            if items and items[-1][2] == "numbered" and kind == "numbered" and items[-1][3] is not None \
                    and number is not None and number != items[-1][3] + 1 and number <= items[-1][3]:
                break
            if kind == "bullet" and items and items[-1][2] == "numbered" \
                    and (re.search(r":\s*(\([^)]*\))?\s*$", items[-1][1]) or items[-1][4]):
                items[-1][1] += " " + line  # a bullet point inside a numbered item ("Ensure that: • ... • ...")
                items[-1][4] = True
            else:
                items.append([i, text, kind, number, False])
            crossed_heading = False
            i += 1
            continue
        if _STOP_HEADING.match(line) and not _is_heading_start(line, patterns) \
                and not (items and line[0].islower()):
            break
        after_page_break = i > 0 and not lines[i - 1]
        if items and (not _TERMINAL.search(items[-1][1]) or line[0].islower() or line[0] == "(") \
                and not _is_heading_start(line, patterns) \
                and not (after_page_break and _heading_like(line) and len(line) < 60):
            items[-1][1] += " " + line
            i += 1
            continue
        # running text or headings up to the next item: a numbered item's further sentences,
        # sub-headings ("Care leavers", "Within three months:"), or the end of the list
        run_end, upcoming = _run_to_next_item(lines, i, 12)
        if upcoming is None:
            if not items and i - start < 4:
                i += 1  # a line of lead-in text under the heading
                continue
            break
        run = [l for l in lines[i:run_end] if l]
        continuation, headings = _split_run(run)
        if not items:
            if continuation and i - start >= 4:
                break
            crossed_heading = crossed_heading or bool(headings)
            i = run_end
            continue
        expected = upcoming[0] == items[-1][2] and (upcoming[0] == "bullet" or upcoming[2] == items[-1][3] + 1)
        if continuation and not expected:
            break
        if continuation:
            items[-1][1] += " " + " ".join(continuation)
        crossed_heading = crossed_heading or bool(headings)
        i = run_end
        continue
    kept = []
    for index, text, _kind, _number, _nested in items:
        text = " ".join(text.split())
        if _NONE_ITEM.match(text) or _INTRO_ITEM.search(text):
            continue
        kept.append((index, text))
    return kept, i


def _run_to_next_item(lines: list[str], i: int, span: int):
    """(index of the next item's line, its start) within ``span`` lines of ``i``; (index, None) if a heading or nothing comes first.

    A footnote at the foot of a page is passed over with the rest of that page.
    """
    j = i
    while j < len(lines) and j < i + span:
        line = lines[j]
        if line:
            started = _item_start(line)
            if started:
                return j, started
            if j > i and _STOP_HEADING.match(line):
                return j, None
            if _FOOTNOTE.match(line) and not _FULL_DATE.match(line):
                while j < len(lines) and lines[j]:
                    j += 1
                continue
        j += 1
    return j, None


def _split_run(run: list[str]) -> tuple[list[str], list[str]]:
    """Split the lines between two items into the first item's further text and the sub-headings that end the run."""
    k = len(run)
    while k > 0:
        line = run[k - 1]
        before = run[k - 2] if k > 1 else None
        short_heading = (_heading_like(line) or line.endswith(":")) and len(line) < 70
        if short_heading and (before is None or _TERMINAL.search(before) or before.endswith(":")
                              or (_heading_like(before) and len(before) < 70)):
            k -= 1
        else:
            break
    return run[:k], run[k:]


_SEND_SECTION_END = re.compile(r"(Areas for (priority action|improvement)|Local area partnership details.*"
                               r"|Information about .*|Inspection team|Responsible body.*)$", re.I)


def _send_items(lines: list[str]) -> list[str]:
    """An area SEND report's areas for priority action and for improvement, one item per table row or paragraph.

    The 2023 framework prints priority actions as a "Responsible body | Areas for priority action"
    table (the body's name repeats on every row) and areas for improvement as plain paragraphs,
    each opening a new line after a sentence's end; bullets inside a paragraph belong to it.
    """
    items: list[str] = []
    i = 0
    while i < len(lines):
        if not re.fullmatch(r"Areas for (priority action|improvement)", lines[i], re.I):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (not lines[j] or re.fullmatch(r"Areas for (priority action|improvement)", lines[j], re.I)):
            j += 1
        table = j < len(lines) and lines[j].lower().startswith("responsible body")
        if table:
            j += 1
        body: list[str] = []
        while table and j < len(lines) and lines[j] and not re.search(r"\b(should|must)\b", lines[j]) \
                and not re.match(r"(Area |Strategic |Health |Local area |Senior )?(Leaders|The local area)\b", lines[j]) \
                and not (body and _TERMINAL.search(body[-1])):
            body.append(lines[j])
            j += 1
        collected: list[str] = []
        while j < len(lines) and not _SEND_SECTION_END.fullmatch(lines[j]):
            if lines[j]:
                collected.append(lines[j])
            j += 1
        if table:
            # a new row starts where the responsible body's lines come again
            current: list[str] = []
            k = 0
            while k < len(collected):
                if body and collected[k:k + len(body)] == body:
                    if current:
                        items.append(" ".join(current))
                    current = []
                    k += len(body)
                    continue
                current.append(collected[k])
                k += 1
            if current:
                items.append(" ".join(current))
        elif collected and _item_start(collected[0]):
            items += [text for _index, text in _section_items(lines, i, _SECTION_STARTS["other"])[0]]
        elif collected:
            width = max(len(line) for line in collected)
            opener = collected[0].split()[0]
            current: list[str] = []
            for k, line in enumerate(collected):
                previous = collected[k - 1] if k else ""
                if _BULLET.fullmatch(line + " ") or not line.strip("◼•"):
                    continue  # a stray bullet glyph
                opens_action = re.match(r"(?!(They|These|This|It|We)\b)[A-Z][\w’'-]*(\s+[\w’'(),-]+){0,8}?\s+(should|must)\b", line)
                new_paragraph = (current and _TERMINAL.search(previous) and not _BULLET.match(line)
                                 and (line.split()[0] == opener or len(previous) < 0.8 * width or opens_action))
                if new_paragraph:
                    items.append(" ".join(current))
                    current = []
                current.append(line)
            if current:
                items.append(" ".join(current))
        i = max(j, i + 1)
    return [" ".join(item.split()) for item in items]


def _recommendations(framework: str, lines: list[str]) -> list[dict]:
    if framework == "other":
        send_items = _send_items(lines) if re.search(r"Area SEND|Local Area Partnership", " ".join(lines[:10]), re.I) else []
        if send_items:
            return [{"text": text, "citations": []} for text in send_items]
    patterns = _SECTION_STARTS.get(framework, [])
    found: dict[int, str] = {}
    i = 0
    while i < len(lines):
        if _is_heading_start(lines[i], patterns):
            items, end = _section_items(lines, i, patterns)
            for index, text in items:
                found.setdefault(index, text)
            i = max(end, i + 1)
        else:
            i += 1
    return [{"text": found[k], "citations": []} for k in sorted(found)]


# --------------------------------------------------------------------------- parse

def _report_type(family: str, head: str) -> str:
    """A finer name for the kind of report than the framework token (an added key)."""
    title = head[:400]
    if family == "sif":
        if re.search(r"Re-inspection of services", title):
            return "sif_reinspection"
        if not re.search(r"Inspection of services for children in need", title):
            return "lscb_review"
        return "sif_inspection"
    if family == "other":
        if re.search(r"area SEND|Local Area Partnership|local area SEND", title, re.I):
            return "area_send_inspection"
        return "inspection_before_2013"
    return {"ilacs": "ilacs_inspection", "jtai": "joint_targeted_area_inspection"}.get(family, family)


def parse(doc: Document) -> dict:
    """The la_report part of the extraction record for ``doc`` (keys as in EXTRACTION.md)."""
    errors: list[str] = []
    lines = _lines(doc)
    full = _flat(doc.text)
    head = spell_numeric_dates(_flat("\n".join(doc.pages[:3]))[:6000])
    family = detect_framework(doc.text)
    record: dict = {
        "people": [],
        "local_authority": {"name": None, "urn": None},
        "inspection": {"start_date": None, "end_date": None, "publication_date": None,
                       "framework": None, "judgements": {}},
        "recommendations": [],
        "errors": errors,
    }
    if family is None:
        errors.append(f"{doc.path}: not recognised as an Ofsted report on local-authority children's services")
        return record

    start, end, days = _inspection_dates(family, head)
    framework = "other" if family == "monitoring_visit" else family
    if family == "ilacs":
        framework = "ilacs_short" if days is not None and days <= 7 else "ilacs_standard" if days else "ilacs_standard"
        if days is None:
            errors.append(f"{doc.path}: ILACS report without readable inspection dates; 'standard' assumed")
    inspection = record["inspection"]
    inspection["report_type"] = _report_type(family, head)
    inspection.update(framework=framework,
                      start_date=start.isoformat() if start else None,
                      end_date=end.isoformat() if end else None,
                      days_on_site=days if family == "ilacs" else None)
    publication = _publication_date(family, lines, head)
    inspection["publication_date"] = publication.isoformat() if publication else None

    if family == "ilacs":
        inspection["judgements"] = _ilacs_judgements(head)
    elif family == "sif":
        inspection["judgements"] = _sif_judgements(head, full)
    elif family == "other" and re.search(r"Inspection of (looked after|safeguarding)", head, re.I):
        inspection["grades_as_printed"] = _printed_grades_pre_2013(full)
    if family == "other":
        m = re.search(r"Inspection outcome (.+?[.])(?= [A-Z])", head)
        if m:
            inspection["outcome"] = m.group(1)
    table = head[max(head.find("Judgement"), 0):][:900] if family == "ilacs" else head[:1500]
    if family in ("ilacs", "sif") and "overall_effectiveness" not in inspection["judgements"] \
            and re.search(r"Overall effectiveness|Children.s services in .{0,120} (are|is|require)|overall judgement is", table):
        errors.append(f"{doc.path}: an overall effectiveness grade is printed but could not be read")

    name = _la_name(family, lines, head)
    urn = urn_from_filename(doc.path, name)
    record["local_authority"] = {"name": name, "urn": urn, "ons_code": _ons_codes().get(urn) or None if urn else None}
    record["people"] = _people(family, lines, head)
    record["recommendations"] = _recommendations(family, lines)
    return record


def extract_many(paths: list[str | Path], workers: int = 2, kind: str = "la-report") -> list[dict]:
    """Extraction records for many documents, in input order, read in a pool of ``workers`` processes."""
    from concurrent.futures import ProcessPoolExecutor

    from .extract import extract

    paths = [str(p) for p in paths]
    if workers <= 1 or len(paths) < 2:
        return [extract(p, kind) for p in paths]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(extract, paths, [kind] * len(paths), chunksize=4))
