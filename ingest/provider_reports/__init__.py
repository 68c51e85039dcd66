"""Reader for Ofsted's inspection reports on registered providers (SCCIF and the layouts before it).

Fostering agencies, children's homes, adoption agencies, residential family centres and the
monitoring or assurance letters about them share one structure: a head (name, URN, registered
provider), an "Information about this <setting>" paragraph, the inspection dates and grades,
the narrative, "What does the <setting> need to do to improve?" with a table of statutory
requirements (text, citation, due date) and a list of recommendations, and a details block
(URN, registered provider, responsible individual, registered manager, inspectors).

The reader is split by concern: ``lines`` (normalised text, page furniture, labelled values),
``head`` (provider, setting, inspection type, dates, history, counts), ``judgements``,
``findings`` (requirements, recommendations, citations), ``people``, ``letters`` (monitoring and
assurance letters) and ``sections`` (the narrative by heading).

``parse(doc)`` returns the provider_report part of the extraction record (EXTRACTION.md).
Nothing is guessed: what a report does not say is null or absent.
"""
from __future__ import annotations

import re

from ..text import Document
from .findings import default_instruments, read_findings
from .head import (
    inspection_dates,
    inspection_type,
    provider_name,
    read_counts,
    read_enforcement,
    read_history,
    read_previous,
    read_urn,
    setting_address,
    setting_type,
    top_registered_provider,
)
from .judgements import interim_judgement, read_judgements, supported_accommodation_outcome
from .letters import addressee
from .lines import labelled, normalise, normalise_grade, parse_date, parse_date_range
from .people import labelled_people, read_people
from .sections import read_sections

__all__ = ["parse", "normalise_grade", "parse_date", "parse_date_range"]


def parse(doc: Document) -> dict:
    """The provider_report part of the extraction record for ``doc`` (see the module docstring)."""
    text = normalise(doc.text)
    lines = text.split("\n")
    errors: list[str] = []
    kind = setting_type(text)
    people_labels = labelled_people(text)
    letter = addressee(text)
    registered_provider = labelled(text, r"registered\s+(?:provider|person)(?:\s*\(s\))?", loose=True) \
        or top_registered_provider(lines) or (letter.organisation if letter else None)
    provider = {
        "name": provider_name(lines, text, registered_provider),
        "urn": read_urn(text),
        "type": kind,
        "address": setting_address(lines, text),
        "registered_provider": registered_provider,
        "registered_provider_address": labelled(text, r"registered\s+(?:provider|person)(?:\s*\(s\))?\s+address", loose=True)
        or (letter.address if letter and letter.organisation == registered_provider else None),
    }
    judgements = read_judgements(text)
    outcome = supported_accommodation_outcome(text, kind)
    printed_type = inspection_type(text, judgements) or ("full" if outcome else None)
    start, end = inspection_dates(text)
    children, households = read_counts(text)
    history = read_history(text)
    inspection = {
        "start_date": start,
        "end_date": end,
        "framework": "SCCIF",
        "type": printed_type,
        "judgements": judgements,
        "previous": read_previous(text, history, start),
        "enforcement_since_last": read_enforcement(text),
        "children": children,
        "households": households,
    }
    if outcome:
        inspection["outcome"] = outcome
    if history:
        inspection["history"] = [{k: v for k, v in row.items() if k != "judgement_printed"} for row in history]
    interim = interim_judgement(text)
    if interim:
        inspection["interim_judgement"] = interim
    regulations, standards = default_instruments(text, kind, start)
    requirements, recommendations = read_findings(doc, text, regulations, standards, start)
    if re.search(r"^\s*statutory\s+requirements?\b", text, re.I | re.M) and not requirements \
            and not re.search(r"no\s+(?:statutory\s+)?requirements|there\s+are\s+no\s+requirements", text, re.I):
        errors.append(f"{doc.path}: a statutory requirements section was found but no requirement could be read from it")
    named = read_people(people_labels, registered_provider, text)
    return {
        "people": named,
        "provider": provider,
        "inspection": inspection,
        "requirements": requirements,
        "recommendations": recommendations,
        "sections": read_sections(text),
        "errors": errors,
    }


