"""The head of a report: which framework it is, the council it is about, its dates."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..common.dates import DASH, MONTH, parse_date, parse_date_range
from ..common.names import name_key
from ..fetch import MANIFEST, read_manifest
from .layout import FULL_DATE, flat

# --------------------------------------------------------------------------- framework

def detect_framework(text: str) -> str | None:
    """The framework family of a report's text ("ilacs" for both ILACS kinds), or None when it is not a local-authority report."""
    head = flat(text[:4000]).lower()
    title = head[:300]  # the title block: later text may mention other kinds of inspection
    if re.search(r"area send inspection|local area partnership|local area send|joint local area send", title):
        return "other"
    if re.search(r"inspection of services for children in need of help and protection"
                 r"|review of the effectiveness of the local safeguarding children board", title):
        return "sif"
    if re.search(r"inspection of (?:.{0,120}? )?(local authority )?children.s (social care )?services\b.{0,80}inspection dates?", title):
        return "ilacs"
    if re.match(r"(?:.{0,40}? )?inspection of .{3,120}? inspection dates?:", title) \
            and re.search(r"judgement grade (?:the )?impact of leaders"
                          r"|experiences and progress of children who need help and protection", head):
        return "ilacs"  # the title names the body that runs the services (a children's trust), the table is ILACS's
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

# words that say what kind of council (or which of its boards) a name is, not which place
_COUNCIL_WORDS = frozenset({"council", "borough", "city", "of", "county", "metropolitan", "district", "london",
                            "royal", "local", "authority", "unitary", "mbc", "and", "area", "partnership",
                            "children", "childrens", "services", "safeguarding", "board"})


def place_words(name: str) -> frozenset[str]:
    """The words of a council's name that name its place ("City of York Council" -> {"york"}), by the common name key."""
    return frozenset(name_key(name, possessive=False).split()) - _COUNCIL_WORDS


def urn_from_filename(path: str | Path, la_name: str | None) -> str | None:
    """The Ofsted LA URN that leads the file name ("80431_blackpool__...pdf"), kept only when the words after it name
    the council the text names.

    Files fetched from Ofsted's site are named "<URN>_<council>__<title>"; a file renamed, or named after another
    council, gives no URN. Whether that URN is a council Ofsted knows is for the graph's council index to check.

    >>> urn_from_filename("80431_blackpool__childrens_services_inspection.pdf", "Blackpool Borough Council")
    '80431'
    >>> urn_from_filename("80432_bolton__childrens_services_inspection.pdf", "Blackpool") is None
    True
    """
    match = re.match(r"(\d{5,8})_(.+?)(?:__|$)", Path(path).stem)
    if not match or not la_name:
        return None
    named, printed = place_words(match.group(2).replace("_", " ")), place_words(la_name)
    if named and printed and (named <= printed or printed <= named):
        return match.group(1)
    return None


_LEADING_DATES = re.compile(rf"^(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\s+\d{{4}}|Page \d+ of \d+|\d{{1,3}})\s+)+", re.I)
_PLACE = r"[A-Z][\w’'\-]+(?: (?:and |upon |on |of |with |in )?[A-Z][\w’'\-]+)*"
_COUNCIL = rf"(?:(?:Royal |London )?Borough of |City of |County of )?{_PLACE} Council"
_NOT_A_PLACE = re.compile(r"^(?:The|This|That|These|Each|Every|Its|Their|Our|Children|Leaders|Inspectors|England)\b")


def without_page_header(head: str) -> str:
    """The head without a page header printed above the title ("11 July 2022 Inspection of ...")."""
    return _LEADING_DATES.sub("", head)


def delivering_body(framework: str, head: str) -> str | None:
    """The body an ILACS report's title names when it is not a council ("Inspection of X Children's Trust").

    From 2026 a report on a children's trust (or another company running a council's children's
    services) is titled with the trust's name; the council is the local authority it serves.
    """
    head = without_page_header(head)
    if framework != "ilacs":
        return None
    m = re.match(r"Inspection of (?:the )?((?:(?!Inspection dates?\b).){1,120}?)(?: local authority)?"
                 r" children.s (?:social care )?services\b", head)
    if m:
        # "Inspection of X Children's Trust children's services": a trust, whatever the title's tail
        return m.group(1).strip(" ,.") if re.search(r"\bTrust$", m.group(1)) else None
    m = re.match(r"Inspection of (?:the )?(.+?) Inspection dates?\b", head)
    if not m or re.search(r"\bCouncil$", m.group(1)):
        return None
    return m.group(1).strip(" ,.")


def council_served(head: str, body: str) -> str | None:
    """The council whose children's services ``body`` runs, as the report's first pages name it.

    Read in order of how directly the text says it: "on behalf of / commissioned by / owned by X Council";
    "children and families in X"; the first council the text names.
    """
    body_words = set(body.split())
    candidates = [m.group(1) for m in re.finditer(
        rf"\b(?:on behalf of|commissioned by|(?:wholly )?owned by|delegated by|for|serving|serves) (?:the )?({_COUNCIL})", head)]
    candidates += [m.group(1) for m in re.finditer(
        rf"\b(?:children|families|young people|care leavers)(?: and (?:their )?(?:families|young people|carers))?"
        rf" (?:living |who live )?in (?:the )?({_PLACE})", head)]
    candidates += [m.group(1) for m in re.finditer(rf"\b(?:the )?({_COUNCIL})", head)]
    for candidate in candidates:
        # a name may start a sentence ("Leaders in X"): keep from the first word that can open a place name
        words = candidate.split()
        while words and _NOT_A_PLACE.match(words[0]):
            words = words[1:]
            while words and words[0] in ("and", "upon", "on", "of", "with", "in"):
                words = words[1:]
        name = " ".join(words)
        if name and name != "Council" and not set(words) <= body_words:
            return name
    return None


def la_name(framework: str, lines: list[str], head: str) -> str | None:
    name = None
    if framework not in _LETTERS:
        head = without_page_header(head)
        lines = [line for line in lines if _LEADING_DATES.sub("", line + " ").strip()]  # no page header lines
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

def inspection_dates(framework: str, head: str) -> tuple[date | None, date | None, int | None]:
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
_DATE_TAIL = rf"{MONTH}\s+\d{{4}}(?:\s*(?:and|to|{DASH})\s*\d{{1,2}}[^.]{{0,40}}?{MONTH}\s+\d{{4}})*"


def publication_date(framework: str, lines: list[str], head: str) -> date | None:
    m = re.search(rf"(?:Report published:?|Published:)\s*(\d{{1,2}}\s+{MONTH}\s+\d{{4}})", head)
    if m:
        return parse_date_range(m.group(1))[0]
    if framework in _LETTERS:
        # a letter is dated above its salutation
        for line in lines[:40]:
            if line.startswith("Dear"):
                break
            if FULL_DATE.fullmatch(line.strip()):
                return parse_date(line)
    return None



def report_type(family: str, head: str) -> str:
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



def listed_publication_date(path: str | Path) -> date | None:
    """The report date Ofsted's listing gave the file, from the fetch manifest of the folder it was fetched into.

    ``ofsted-kg fetch reports`` writes ``OUT/reports/{URN}/{file}.pdf`` and ``OUT/fetch-manifest.jsonl``,
    so the manifest is looked for in the file's folder and up to three folders above it.

    ILACS reports print no publication date; the page a fetch found the PDF on dates each report,
    and ``ofsted-kg fetch`` records that date in ``fetch-manifest.jsonl``. A file that was not
    fetched (no manifest lists it) gives None.
    """
    target = Path(path).resolve()
    for folder in list(target.parents)[:4]:
        manifest = folder / MANIFEST
        if manifest.is_file():
            listed = _listed_dates(manifest, manifest.stat().st_mtime_ns).get(target)
            if listed:
                return listed
    return None


@lru_cache(maxsize=8)
def _listed_dates(manifest: Path, _mtime_ns: int) -> dict[Path, date]:
    """File -> report date over one manifest (later lines win); cached while the manifest is unchanged."""
    dates: dict[Path, date] = {}
    for entry in read_manifest(manifest):
        if entry.path and not entry.error and entry.role == "file":
            try:
                dates[(manifest.parent / entry.path).resolve()] = date.fromisoformat(entry.report_date)
            except ValueError:
                dates.pop((manifest.parent / entry.path).resolve(), None)
    return dates
