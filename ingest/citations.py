"""Citations in Ofsted findings: which instrument a label names, and which provision of it.

Ofsted's requirements end with a regulation reference such as "(Regulation 26 (2)(c)(iii))"
and its recommendations with a standards reference such as "('Fostering services: national
minimum standards', 26.2)". This module turns such a label into the record's citation form
(see EXTRACTION.md): an instrument code and a provision, which graph/vocab.py turns into IRIs::

    >>> parse_label("Regulation 26 (2)(c)(iii)", default_instrument="uksi/2011/581")
    {'label': 'Regulation 26 (2)(c)(iii)', 'instrument': 'uksi/2011/581', 'provision': ['26', '2', 'c', 'iii']}
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Instrument:
    """An instrument findings cite: its record code, title and the words that name it in a report."""

    code: str
    title: str
    pattern: str  # case-insensitive regex matching the instrument's name as reports print it
    # the day it came into force (ISO) and the catalogued instrument it replaced: a report on an
    # inspection before that day cites the earlier one (or one this catalogue does not hold)
    in_force: str | None = None
    replaces: str | None = None


# Most specific names first: "Adoption Agencies Regulations 2005" is also part of two longer titles.
INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("uksi/2005/2720", "The Adoption Support Agencies (England) and Adoption Agencies "
               "(Miscellaneous Amendments) Regulations 2005",
               r"adoption\s+support\s+agencies\s*\(england\)"),
    Instrument("uksi/2003/367", "The Voluntary Adoption Agencies and the Adoption Agencies "
               "(Miscellaneous Amendments) Regulations 2003",
               r"voluntary\s+adoption\s+agencies\s+(?:and\s+the\s+adoption\s+agencies\s*\(miscellaneous"
               r"\s+amendments\)\s+)?regulations(?:\s+2003)?(?!\s*(?:19|20)\d\d)"),
    Instrument("uksi/2005/389", "The Adoption Agencies Regulations 2005",
               r"(?<!voluntary\s)adoption\s+agencies\s+regulations\s+2005"),
    Instrument("uksi/2011/581", "The Fostering Services (England) Regulations 2011",
               r"fostering\s+services\s*(?:\(england\)\s*)?regulations(?:\s+2011)?(?!\s*(?:19|20)\d\d)"),
    Instrument("uksi/2001/3967", "The Children's Homes Regulations 2001",
               r"children.s\s+homes\s+regulations\s+2001"),
    Instrument("uksi/2015/541", "The Children's Homes (England) Regulations 2015",
               r"children.s\s+homes\s*(?:\(england\)\s*)?regulations(?:\s+2015)?(?!,?\s+including|\s*(?:19|20)\d\d)",
               in_force="2015-04-01", replaces="uksi/2001/3967"),
    Instrument("uksi/2002/3213", "The Residential Family Centres Regulations 2002",
               r"residential\s+family\s+centres?\s+regulations(?:\s+2002)?(?!\s*(?:19|20)\d\d)"),
    Instrument("uksi/2023/416", "The Supported Accommodation (England) Regulations 2023",
               r"supported\s+accommodation\s*(?:\(england\)\s*)?regulations(?:\s+2023)?(?!\s*(?:19|20)\d\d)",
               in_force="2023-04-28"),
    Instrument("uksi/2010/959", "The Care Planning, Placement and Case Review (England) Regulations 2010",
               r"care\s+planning,?\s+placement\s+and\s+case\s+review"),
    Instrument("ukpga/2000/14", "Care Standards Act 2000", r"care\s+standards\s+act(?:\s+2000)?"),
)

STANDARD_DOCUMENTS: tuple[Instrument, ...] = (
    Instrument("qs/childrens-homes-2015", "Guide to the Children's Homes Regulations, including the quality standards",
               r"guide\s+to\s+the\s+children.s\s+homes\s+regulations", in_force="2015-04-01"),
    Instrument("nms/fostering-2011", "Fostering services: national minimum standards",
               r"fostering\s+services:?\s+national\s+minimum\s+standards|fostering\s+national\s+minimum\s+standards"),
    Instrument("nms/adoption-2014", "Adoption: national minimum standards",
               r"adoption:?\s+national\s+minimum\s+standards|national\s+minimum\s+standards\s+for\s+adoption"),
    Instrument("nms/residential-family-centres-2013", "Residential family centres: national minimum standards",
               r"residential\s+family\s+centres?:?\s+national\s+minimum\s+standards"),
    # the 2022 editions for schools, in force from 5 September 2022; the 2015 editions before them are not catalogued
    Instrument("nms/residential-special-schools-2022", "Residential special schools: national minimum standards",
               r"residential\s+special\s+schools?:?\s+national\s+minimum\s+standards"
               r"|national\s+minimum\s+standards\s+for\s+residential\s+special\s+schools", in_force="2022-09-05"),
    Instrument("nms/boarding-schools-2022", "Boarding schools: national minimum standards",
               r"boarding\s+schools?:?\s+national\s+minimum\s+standards"
               r"|national\s+minimum\s+standards\s+for\s+boarding\s+schools", in_force="2022-09-05"),
    # not in EXTRACTION.md's list: the code follows its children's homes pattern (docs/provider_reports.md)
    Instrument("qs/supported-accommodation-2023", "Guide to the Supported Accommodation Regulations including the Quality Standards",
               r"guide\s+to\s+the\s+supported\s+accommodation\s+regulations"),
)

# The regulations and standards that govern each kind of setting, as reports name the setting.
_SETTING_RULES: tuple[tuple[str, str, str | None], ...] = (
    (r"adoption support agency", "uksi/2005/2720", "nms/adoption-2014"),
    (r"adoption agency|adoption society|adoption service", "uksi/2003/367", "nms/adoption-2014"),
    (r"fostering", "uksi/2011/581", "nms/fostering-2011"),
    (r"residential family centre", "uksi/2002/3213", "nms/residential-family-centres-2013"),
    (r"children.s home", "uksi/2015/541", "qs/childrens-homes-2015"),
    (r"supported accommodation", "uksi/2023/416", "qs/supported-accommodation-2023"),
    (r"residential special school", None, "nms/residential-special-schools-2022"),
    (r"boarding school", None, "nms/boarding-schools-2022"),
)
_CATALOGUE = {instrument.code: instrument for instrument in INSTRUMENTS + STANDARD_DOCUMENTS}


def in_force(code: str | None, on: str | None) -> str | None:
    """``code``, or the catalogued instrument it replaced when ``on`` (an ISO date) is before it came
    into force (None when that one is not catalogued); ``code`` itself when the date is unknown.

    >>> in_force("uksi/2015/541", "2014-11-05"), in_force("nms/boarding-schools-2022", "2019-03-01")
    ('uksi/2001/3967', None)
    """
    instrument = _CATALOGUE.get(code) if code else None
    if instrument is None or not on or not instrument.in_force or on >= instrument.in_force:
        return code
    return in_force(instrument.replaces, on)


def instruments_for_setting(setting_type: str | None, on: str | None = None) -> tuple[str | None, str | None]:
    """The (regulations, standards) codes for a setting type such as "independent fostering agency",
    as they stood on ``on`` (the inspection's ISO date) when it is known."""
    if not setting_type:
        return None, None
    for pattern, regulations, standards in _SETTING_RULES:
        if re.search(pattern, setting_type, re.I):
            return in_force(regulations, on), in_force(standards, on)
    return None, None


def instruments_named(text: str) -> list[str]:
    """Codes of the regulations (not the Act) named in text, in order of first mention."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for instrument in INSTRUMENTS:
        if instrument.code.startswith("ukpga"):
            continue
        for match in re.finditer(instrument.pattern, text, re.I):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            found.append((match.start(), instrument.code))
    seen: list[str] = []
    for _, code in sorted(found):
        if code not in seen:
            seen.append(code)
    return seen


def _instrument_in(text: str, catalogue: tuple[Instrument, ...]) -> str | None:
    for instrument in catalogue:
        if re.search(instrument.pattern, text, re.I):
            return instrument.code
    return None


_REGULATION = re.compile(
    r"\b(?P<word>Regulations?|Reg\.?|Section|Schedule|Paragraph)\s*(?P<number>\d{1,3}[A-Z]{0,2})(?![\d/])"
    r"(?P<parts>(?:\s*\(\s*[0-9A-Za-z]{1,6}\s*\))*)", re.I)
_PART = re.compile(r"\(\s*([0-9A-Za-z]{1,6})\s*\)")
_STANDARD_NUMBER = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,3})(?:\.(\d{1,3}))?(?![\d.])")


def split_provision(label: str) -> list[str]:
    """A printed provision split into parts: "Regulation 12 (1)(2)(a)(i)" -> ['12', '1', '2', 'a', 'i'].

    >>> split_provision("Regulation 17(1)")
    ['17', '1']
    >>> split_provision("standard 26.2")
    ['26', '2']
    """
    match = _REGULATION.search(label) or re.match(r"\s*(?P<number>\d+[A-Z]{0,2})(?P<parts>(?:\s*\(\s*[0-9A-Za-z]{1,6}\s*\))*)", label)
    if match:
        return [match.group("number")] + _PART.findall(match.group("parts"))
    standard = _STANDARD_NUMBER.search(label)
    if standard:
        return [part for part in standard.groups() if part]
    return []


def parse_label(label: str, default_instrument: str | None = None, default_standard: str | None = None,
                on: str | None = None) -> dict:
    """One citation from a printed label; a bare "Regulation N" takes ``default_instrument``.

    >>> parse_label("'Fostering services: national minimum standards', 26.2")["instrument"]
    'nms/fostering-2011'
    >>> parse_label("'Guide to the Children's Homes Regulations, including the quality standards', page 49, paragraph 9.59")["provision"]
    ['9', '59']
    """
    label = " ".join(label.split())
    standard = _instrument_in(label, STANDARD_DOCUMENTS)
    if standard:
        return {"label": label, "instrument": in_force(standard, on), "provision": _standard_provision(label)}
    if re.match(r"['\u2018\u2019]", label):
        # another published document cited by its quoted title (statutory guidance and the like)
        return {"label": label, "instrument": None, "provision": _standard_provision(label)}
    if re.search(r"\bnational minimum standards?\b|\bNMS\b|^\s*standard\s+\d", label, re.I):
        return {"label": label, "instrument": default_standard, "provision": _standard_provision(label)}
    named = in_force(_instrument_in(label, INSTRUMENTS), on)
    names_other_law = re.search(r"\b(?:act|regulations)\s+(?:19|20)\d\d\b", label, re.I)
    if named is None and not names_other_law and (
            re.search(r"\b(?:regulation|reg\.?)\s*\d", label, re.I) or re.match(r"\s*\d", label)):
        named = default_instrument  # a bare "Regulation N", or a number in a "Reg." column
    return {"label": label, "instrument": named, "provision": split_provision(label)}


def _standard_provision(label: str) -> list[str]:
    paragraph = re.search(r"paragraphs?\s+(\d+(?:\.\d+)*)", label, re.I)
    if paragraph:
        return paragraph.group(1).split(".")
    numbers = _STANDARD_NUMBER.findall(label)
    if numbers:
        return [part for part in numbers[-1] if part]
    single = re.search(r"standard\s+(\d+)\b", label, re.I)
    return [single.group(1)] if single else []


def split_labels(inner: str) -> list[str]:
    """Split the inside of a citation parenthesis that cites several provisions into one label each.

    >>> split_labels("Regulation 12 (1)(2)(a)(i) and Regulation 13 (2)(h)")
    ['Regulation 12 (1)(2)(a)(i)', 'Regulation 13 (2)(h)']
    >>> split_labels("'Fostering services: national minimum standards', 26.2 and 26.5")
    ["'Fostering services: national minimum standards', 26.2", "'Fostering services: national minimum standards', 26.5"]
    """
    inner = " ".join(inner.split())
    if _instrument_in(inner, STANDARD_DOCUMENTS) or re.search(r"national minimum standards?|\bNMS\b", inner, re.I):
        head_end = max(inner.rfind("'"), inner.rfind("\u2019"))
        head, tail = (inner[: head_end + 1], inner[head_end + 1:]) if head_end > 0 else ("", inner)
        if re.search(r"paragraph", tail, re.I):
            paragraphs = re.findall(r"\d+\.\d+(?:\.\d+)?", tail)
            if len(paragraphs) > 1:
                prefix = tail[: tail.lower().rfind("paragraph")]
                return [f"{head}{prefix}paragraph {p}" for p in paragraphs]
            return [inner]
        numbers = _STANDARD_NUMBER.findall(tail)
        if len(numbers) > 1:
            return [f"{head}, {'.'.join(p for p in n if p)}" if head else ".".join(p for p in n if p)
                    for n in numbers]
        return [inner]
    matches = list(_REGULATION.finditer(inner))
    if len(matches) <= 1:
        # "Regulations 12 and 13": the later numbers are bare
        bare = re.match(r"\s*Regulations\s+(\d+[A-Z]?(?:\s*\([^)]*\))*)((?:\s*(?:,|and)\s*\d+[A-Z]?(?:\s*\([^)]*\))*)+)(.*)$", inner, re.I)
        if bare:
            tail = bare.group(3)
            rest = re.findall(r"\d+[A-Z]?(?:\s*\([^)]*\))*", bare.group(2))
            return [f"Regulation {bare.group(1).strip()}{tail}"] + [f"Regulation {r.strip()}{tail}" for r in rest]
        return [inner]
    labels = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(inner)
        piece = inner[match.start():end]
        piece = re.sub(r"[\s,;]*(?:and|&)?[\s,;]*$", "", piece)
        labels.append(piece.strip())
    # "Regulation 5 of the X Regulations 2003": keep the instrument's name with every piece
    return labels


def parse_citation_text(inner: str, default_instrument: str | None = None,
                        default_standard: str | None = None, on: str | None = None) -> list[dict]:
    """All citations in the text of one citation parenthesis.

    Regulations listed before an instrument's name ("Regulation 10 and Regulation 11 of the ...
    Regulations 2003") belong to that instrument, not to the report's default.
    """
    named = instruments_named(inner)
    default = named[-1] if named else default_instrument
    return [parse_label(label, default, default_standard, on) for label in split_labels(inner)]


def looks_like_citation(inner: str) -> bool:
    """Whether the inside of a parenthesis is a regulation or standards reference (not an aside)."""
    inner = " ".join(inner.split())
    if len(inner) > 300:
        return False
    if re.match(r"(?:the\s+)?(?:regulations?|reg\.?)\s*\d", inner, re.I):
        return True
    if re.match(r"(?:section|schedule)\s+\d+.*\b(act|regulations)\b", inner, re.I):
        return True
    if _instrument_in(inner, STANDARD_DOCUMENTS) and re.search(r"\d", inner):
        return True
    if re.search(r"national minimum standards?|\bNMS\b|^standards?\s+\d", inner, re.I) and re.search(r"\d", inner):
        return True
    if re.match(r"['\u2018\u2019].{3,200}['\u2019],?\s*(?:page\s+\d+,?\s*)?(?:paragraphs?\s+)?\d+(?:\.\d+)*", inner, re.I):
        return True
    return False
