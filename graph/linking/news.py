"""Linking what a news article says to what the graph already knows (pure Python, no RDF, no store).

Three questions, each answered with the evidence so a reader can check it:

- ``resolve_subject``: which provider, council or organisation is a claim's subject?
- ``pick_inspection``: which inspection is the article about?
- ``same_person``: is a person the article quotes the same as one a report names?

Anything unsure comes back as ``None``: an unresolved subject stays visible as a plain name
rather than being attached to the wrong node.
"""
from __future__ import annotations

import re

from .names import comparison_name, person_key

# Words that say what kind of body something is, not which one ("Eastwick's Children Services").
_SERVICE_WORDS = ("children services", "children social care", "children social services", "social services",
                  "services for children", "children and families services", "local authority", "county council",
                  "city council", "borough council", "district council", "metropolitan borough council", "council",
                  "fostering service", "fostering agency", "independent fostering agency", "service", "agency")
_COUNCIL_WORDS = r"\b(?:county|city|borough|district|metropolitan|council|london borough of|royal borough of|city of)\b"
_COUNCIL_KINDS = {"local_authority", "council", "la"}


def _cores(normalised: str) -> list[str]:
    """The name without a trailing service word, longest first ("x fostering service" -> "x fostering", "x")."""
    cores = {normalised[: -len(words) - 1].strip() for words in _SERVICE_WORDS if normalised.endswith(" " + words)}
    return sorted((c for c in cores if c), key=len, reverse=True)


def _place_of(normalised: str) -> str:
    """ "eastwick county council" -> "eastwick"."""
    return " ".join(re.sub(_COUNCIL_WORDS, " ", normalised).split())


def _contains(outer: list[str], inner: list[str]) -> bool:
    if not inner or len(inner) > len(outer):
        return False
    return any(outer[i:i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


def _names(entry: dict) -> list[str]:
    return [n for n in {comparison_name(entry.get("name") or ""), *(comparison_name(a) for a in entry.get("alt_names") or [])} if n]


def resolve_subject(subject: str, gazetteer: list[dict]) -> dict | None:
    """The gazetteer entry a claim's subject names, with ``score`` (0-1) and ``reason``; None if unknown or ambiguous.

    Entries are ``{"iri", "name", "kind", "alt_names"}``. An exact name wins; then a council
    named by its place ("Eastwick's Children Services"); then the entry whose whole name
    covers most of the subject ("Eastwick Futures Fostering service" is the
    fostering service, not the company "Eastwick Futures" that runs it).

    >>> gazetteer = [{"iri": "p/1", "name": "Blue Harbour Fostering", "kind": "provider", "alt_names": []}]
    >>> resolve_subject("Blue Harbour Fostering Ltd", gazetteer)["reason"]
    "same normalised name as 'Blue Harbour Fostering'"
    >>> resolve_subject("Blue Harbour Fostering", gazetteer)["score"]
    1.0
    """
    target = comparison_name(subject)
    if not target:
        return None
    printed = " ".join(subject.lower().split())
    cores = _cores(target)
    candidates: list[tuple[float, str, dict]] = []
    for entry in gazetteer:
        names = _names(entry)
        if printed in {" ".join(n.lower().split()) for n in [entry.get("name") or "", *(entry.get("alt_names") or [])]}:
            candidates.append((1.0, f"same name as {entry.get('name')!r}", entry))
            continue
        if target in names:
            candidates.append((0.95, f"same normalised name as {entry.get('name')!r}", entry))
            continue
        if entry.get("kind") in _COUNCIL_KINDS:
            places = {_place_of(n) for n in names} - {""}
            place = next((c for c in cores if c in places and re.search(r"\b(?:children|social|council|local authority)\b", target[len(c):])), None)
            if place:
                candidates.append((0.85, f"{subject!r} names the children's services of {entry.get('name')!r} by place", entry))
                continue
        core = next((c for c in cores if c in names), None)
        if core:
            # the longer the name left after dropping the service word, the more specific the match
            candidates.append((round(0.7 + 0.2 * len(core) / len(target), 3), f"{subject!r} is {entry.get('name')!r} with a service word added", entry))
            continue
        best = 0.0
        for name in names:
            name_tokens, target_tokens = name.split(), target.split()
            if _contains(target_tokens, name_tokens):
                best = max(best, 0.8 * len(name_tokens) / len(target_tokens))
            elif _contains(name_tokens, target_tokens):
                best = max(best, 0.7 * len(target_tokens) / len(name_tokens))
        if best:
            candidates.append((round(best, 3), f"{subject!r} and {entry.get('name')!r} share a run of words (the longer the share, the higher the score)", entry))
    if not candidates:
        return None
    candidates.sort(key=lambda c: -c[0])
    top_score, reason, entry = candidates[0]
    # rivals in the same tier make the subject ambiguous
    rivals = [c for c in candidates[1:] if c[2].get("iri") != entry.get("iri") and top_score - c[0] < 0.02]
    if rivals or top_score < 0.5:
        return None
    return {"iri": entry.get("iri"), "name": entry.get("name"), "kind": entry.get("kind"), "score": top_score, "reason": reason}


def pick_inspection(claims: list[dict], inspections: list[dict], published: str | None) -> dict | None:
    """The inspection an article most likely reports on, as ``{"iri", "reason"}`` (None if there are none).

    ``claims`` are the article's claims about one provider or council (those whose subject
    resolved to it); ``inspections`` are that provider's or council's inspections.

    Inspections are ``{"iri", "start_date", "publication_date", "overall", "judgements", "children",
    "households"}``. The latest inspection published on or before the article is the starting
    guess; grades, inspection dates and counts in the claims are evidence for or against each
    one. When the article's counts differ from the chosen inspection's, the reason says so.
    """
    if not inspections:
        return None

    def when(inspection: dict) -> str:
        return inspection.get("publication_date") or inspection.get("start_date") or ""

    pool = [i for i in inspections if not published or not when(i) or when(i) <= published] or list(inspections)
    pool.sort(key=when)
    latest = pool[-1]
    scored = []
    for inspection in pool:
        score, notes = 0.0, []
        if inspection is latest:
            score += 1
            notes.append("latest inspection published on or before the article" if published else "latest inspection")
        judgements = inspection.get("judgements") or {}
        for claim in claims:
            predicate, value = claim.get("predicate"), claim.get("value")
            if predicate == "rating" and inspection.get("overall"):
                if value == inspection["overall"]:
                    score += 2
                    notes.append(f"overall {value} as the article says")
                else:
                    score -= 2
                    notes.append(f"overall {inspection['overall']}, the article says {value}")
            elif predicate == "area_rating" and claim.get("area") in judgements:
                same = judgements[claim["area"]] == value
                score += 1 if same else -1
                notes.append(f"{claim['area']} {judgements[claim['area']]}" + ("" if same else f", the article says {value}"))
            elif predicate == "inspection_date" and claim.get("date"):
                start = inspection.get("start_date") or ""
                if start.startswith(claim["date"]):
                    score += 3
                    notes.append(f"started {start}, the article's inspection date {claim['date']}")
                elif start:
                    score -= 1
            elif predicate in ("rating", "area_rating") and claim.get("date") and (inspection.get("start_date") or "").startswith(claim["date"]):
                score += 1
            elif predicate in ("children", "households") and isinstance(value, int) and inspection.get(predicate) is not None:
                if inspection[predicate] == value:
                    score += 2
                    notes.append(f"{value} {predicate} as the article says")
        scored.append((score, when(inspection), inspection, notes))
    scored.sort(key=lambda s: (s[0], s[1]))
    score, _, chosen, notes = scored[-1]
    disagreements = [f"the article's {c['value']} {c['predicate']} differ from this inspection's {chosen[c['predicate']]}"
                     for c in claims if c.get("predicate") in ("children", "households") and isinstance(c.get("value"), int)
                     and chosen.get(c["predicate"]) is not None and chosen[c["predicate"]] != c["value"]]
    if disagreements:
        notes.append("; ".join(dict.fromkeys(disagreements)) + " (the article may describe an earlier inspection)")
    return {"iri": chosen.get("iri"), "reason": "; ".join(dict.fromkeys(notes)) or "only candidate"}


def _post(person: dict) -> str:
    return person.get("title") or (person.get("role") or "").replace("_", " ") or "named"


def same_person(article_person: dict, report_people: list[dict]) -> dict | None:
    """The report person who is the article's person: same normalised name and same organisation, with evidence.

    >>> same_person({"name": "Jane Doe", "role": "director", "title": "director", "organisation": "Blue Harbour Fostering"},
    ...             [{"name": "Jane Doe", "role": "responsible_individual", "organisation": "Blue Harbour Fostering Ltd"}])["evidence"]
    'Jane Doe: director of Blue Harbour Fostering in the article; responsible individual of Blue Harbour Fostering Ltd in the report'
    """
    name = person_key(article_person.get("name", ""))
    organisation = comparison_name(article_person.get("organisation") or "")
    if not name or not organisation:
        return None
    matches = []
    for person in report_people:
        if person_key(person.get("name", "")) != name:
            continue
        theirs = comparison_name(person.get("organisation") or "")
        if not theirs:
            continue
        same = theirs == organisation or _contains(theirs.split(), organisation.split()) or _contains(organisation.split(), theirs.split())
        if same:
            matches.append(person)
    if len(matches) != 1 and len({_post(m) for m in matches}) != 1:
        return None
    person = matches[0]
    evidence = (f"{article_person['name']}: {_post(article_person)} of {article_person['organisation']} in the article; "
                f"{_post(person)} of {person['organisation']} in the report")
    return {"name": person.get("name"), "report_person": person, "evidence": evidence,
            "score": 1.0 if comparison_name(person["organisation"]) == organisation else 0.9}


OVERALL_AREAS = ("overall_experiences_and_progress", "overall_effectiveness")


class RecordIndex:
    """What the build has read, for linking documents: names of providers, councils and organisations,
    and each subject's inspections with their dates, grades and counts.

    The build fills it from the records (statistics, the LA lookup, reports), so linking an article
    never queries the store being built, and the order in which documents are mapped does not matter.
    Subjects and inspections are IRIs as strings (the mapping mints them).

    >>> index = RecordIndex()
    >>> index.add_name("p/1", "Blue Harbour Fostering", "provider")
    >>> index.add_inspection("p/1", "i/1", "2023-05-02", judgements={"overall_experiences_and_progress": "good"})
    >>> index.inspections_of("p/1")[0]["overall"], index.inspection_at("p/1", "2023-05-02")
    ('good', 'i/1')
    """

    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}
        self.inspections: dict[str, dict[str, dict]] = {}
        self.starts: dict[tuple[str, str], str] = {}
        self.events_seen: set[str] = set()
        self.provider_names: set[str] = set()
        self.owner_names: set[str] = set()

    def add_name(self, iri: str, name: str | None, kind: str) -> None:
        """A name of ``iri``; the first name given is the entry's name, later ones its other names."""
        if not name:
            return
        entry = self.entries.setdefault(iri, {"iri": iri, "name": name, "kind": kind, "alt_names": []})
        if name != entry["name"] and name not in entry["alt_names"]:
            entry["alt_names"].append(name)

    def add_inspection(self, subject: str, iri: str, start: str | None, published: str | None = None,
                       judgements: dict | None = None, children: int | None = None, households: int | None = None) -> None:
        """Facts of an inspection of ``subject``; facts already known for the same inspection are kept."""
        if not start:
            return
        item = self.inspections.setdefault(subject, {}).setdefault(iri, {
            "iri": iri, "start_date": start, "publication_date": None, "overall": None, "judgements": {},
            "children": None, "households": None})
        item["publication_date"] = item["publication_date"] or published
        for area, grade in (judgements or {}).items():
            if grade:
                item["judgements"].setdefault(area, grade)
                if area in OVERALL_AREAS:
                    item["overall"] = item["overall"] or grade
        item["children"] = item["children"] if item["children"] is not None else children
        item["households"] = item["households"] if item["households"] is not None else households
        self.starts.setdefault((subject, start), iri)

    def inspection_at(self, subject: str, start: str | None) -> str | None:
        """The inspection of ``subject`` starting on ``start``, if one is known."""
        return self.starts.get((subject, start)) if start else None

    def inspections_of(self, subject: str) -> list[dict]:
        """The subject's inspections, earliest first (the form pick_inspection reads)."""
        return sorted(self.inspections.get(subject, {}).values(), key=lambda i: i["start_date"])

    def gazetteer(self) -> list[dict]:
        """Entries for resolve_subject: providers first, then councils, then other organisations."""
        order = {"provider": 0, "local_authority": 1}
        return sorted(self.entries.values(), key=lambda e: order.get(e["kind"], 2))
