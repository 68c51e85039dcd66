"""People an article names with a role: their printed title and the organisation it ties them to."""
from __future__ import annotations

import re

from ..common.dates import MONTHS
from .organisations import _GENERIC_WORDS, Organisations, Subjects
from .sentences import ACCENTED_UPPER, LOWER, UPPER, Sentence

# ---------------------------------------------------------------------------------------------
# People

_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Cllr\.?|Councillor|Coun\.?)"
_U, _L = f"[{UPPER}]", f"[{LOWER}]"
# a name word; a single capital outside ASCII is a word of its own in some names (the Irish patronymic "Ó")
_NAME_WORD = rf"(?:[{ACCENTED_UPPER}](?=\s+{_U})|{_U}{_L}+(?:[-'’]{_U}?{_L}+)*|Mc{_U}{_L}+|Mac{_U}{_L}+|O['’]{_U}{_L}+)"
_PERSON = rf"(?:(?P<honorific>{_HONORIFIC})\s+)?(?P<name>{_NAME_WORD}(?:\s+(?:[A-Z]\.\s+)?{_NAME_WORD}){{1,2}})"
_ROLE_WORDS = re.compile(r"\b(?:chief\s+executive|director|councillor|cabinet\s+member|portfolio\s+holder|lead\s+member|leader|mayor|registered\s+manager"
                         r"|responsible\s+individual|manager|head|chair|chairman|chairwoman|spokes(?:person|man|woman)|inspector|officer|ceo|founder"
                         r"|owner|mp|minister|secretary|deputy|assistant|executive|member|boss|commissioner)\b", re.I)
# a title before the name ("Director of children's services Jane Doe said"): the words between its role word and the name
_TITLE_WORD = r"(?:[a-z][\w'’-]*|Children['’]s|Children|Services|Social|Care|Families|Education|Young|People|Learning|Skills|&)"
_NOT_TITLE_WORD = r"(?!(?:Children|Services|Social|Care|Families|Education|Young|People|Learning|Skills)\b)"
_SAY = r"(?:said|says|added|explained|commented|told|stated|responded|welcomed)"
_PEOPLE_PATTERNS = [
    # title, name in apposition, speech verb: "Director of X, Jane Doe, said"
    re.compile(rf"(?P<title>(?:[A-Z][\w'’-]*|the|of|for|and|with|at|&|[a-z]+)(?:\s+(?:[\w'’&-]+)){{0,12}}?),\s+{_PERSON},?\s+(?:{_SAY}|who\b)"),
    # name, title in apposition: "Jane Doe, director of X, said" / "said Jane Doe, director of ..."
    re.compile(rf"{_PERSON}\s*,\s+(?:the\s+|its\s+|their\s+)?(?P<title>[^,.;:“”\"]{{3,140}}?)\s*(?:,|\bsaid\b|\bsays\b|:|\.|$)"),
    # title or honorific before the name: "Registered manager Jane Doe said" / "Cllr Jane Doe said"
    re.compile(rf"(?P<title>(?:[Tt]he\s+)?(?:home['’]s\s+|agency['’]s\s+|service['’]s\s+|council['’]s\s+)?(?:[A-Z]?[a-z]+\s+){{0,3}}(?:[Rr]egistered\s+[Mm]anager|[Rr]esponsible\s+[Ii]ndividual|[Dd]irector|[Cc]hief\s+[Ee]xecutive|[Mm]anager|[Cc]ouncillor|[Ll]eader|[Cc]abinet\s+[Mm]ember|[Ll]ead\s+[Ii]nspector)"
               rf"(?:\s+(?:of|for)(?:\s+{_TITLE_WORD}){{1,6}}?)?),?\s+{_NOT_TITLE_WORD}{_PERSON}\b"),
]


def _role_of(title: str, honorific: str | None) -> str:
    lowered = title.lower()
    if "responsible individual" in lowered:
        return "responsible_individual"
    if "registered manager" in lowered:
        return "registered_manager"
    if "chief executive" in lowered or re.search(r"\bceo\b", lowered):
        return "chief_executive"
    if re.search(r"\b(?:cabinet member|councillor|cllr|portfolio holder|lead member|leader of|council leader)\b", lowered) \
            or (honorific and honorific.lower().rstrip(".") in ("cllr", "councillor", "coun")):
        return "councillor"
    if re.search(r"\blead\s+inspector\b", lowered):
        return "lead_inspector"
    if re.search(r"\binspector\b", lowered):
        return "inspector"
    if re.search(r"\bdirector\b", lowered):
        return "director"
    return "other"


def _split_title(title: str, orgs: Organisations, subjects: Subjects) -> tuple[str, str | None]:
    """Separate "director of X" into the title and the organisation it names."""
    for org in orgs.all():
        for name in org.patterns():
            possessive = re.match(rf"^{re.escape(name)}['’]s\s+", title)
            if possessive:
                return title[possessive.end():], org.name  # "Ofsted's national director for social care"
            if title.startswith(name + " ") and _ROLE_WORDS.match(title[len(name) + 1:]):
                return title[len(name) + 1:], org.name  # "X County Council leader"
            match = re.search(rf"\s+(?:of|for|at|with)\s+(?:the\s+)?{re.escape(name)}(?:['’]s)?\s*$", title)
            if match:
                return title[:match.start()].strip(), org.name
            if title.endswith(" " + name) and re.search(r"\b(?:director|executive|manager|member|leader|chair)\b", title[:-len(name)], re.I):
                return title[:-len(name)].strip(), org.name
    council_word = re.match(r"^(?:the\s+)?(?:council|authority|local\s+authority)(?:['’]s)?\s+(?=[a-z])", title, re.I)
    if council_word and subjects.main_council is not None:
        return title[council_word.end():], subjects.main_council.name  # "Council chief executive Jane Doe"
    place = re.match(r"^([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})['’]s\s+(?=[a-z])", title)
    if place:
        councils = [o for o in orgs.of_kind("local_authority") if o.name.startswith(place.group(1) + " ") or o.name.startswith(place.group(1) + "'")]
        if len(councils) == 1:
            return title[place.end():], councils[0].name  # "X's director of children's services"
    council_end = re.search(r"\s+(?:of|at|for)\s+the\s+(?:council|local\s+authority)$", title, re.I)
    if council_end and subjects.main_council is not None:
        return title, subjects.main_council.name  # "leader of the council"
    if re.search(r"\b(?:children['’]?s?|people['’]s|families['’])\s+services\b", title, re.I) and subjects.main_council is not None:
        return title, subjects.main_council.name
    if re.search(r"\b(?:councillor|cabinet member|portfolio holder|lead member)\b", title, re.I) and len(orgs.of_kind("local_authority")) == 1:
        return title, orgs.of_kind("local_authority")[0].name
    return title, None


def find_people(sentences: list[Sentence], orgs: Organisations, subjects: Subjects) -> list[dict]:
    """People the article names with a role, in order of first appearance; one entry per role held."""
    people: list[dict] = []
    org_words = {w for o in orgs.all() for p in o.patterns() for w in p.split()}
    for sentence in sentences:
        # "Cllr Jane Doe (Party, Ward), portfolio holder ...": the party and ward are not the title
        text = _PARTY.sub("", sentence.text)
        for pattern in _PEOPLE_PATTERNS:
            for match in pattern.finditer(text):
                name, honorific = match.group("name"), match.group("honorific")
                if re.search(r"\b(?i:the)\s+$", text[:match.start("name")]):
                    continue  # "for the North West, Jane Doe": a region, not a person
                lead = re.match(rf"^({_HONORIFIC})\s+", name)
                if lead:
                    name, honorific = name[lead.end():], lead.group(1)
                title = " ".join(match.group("title").split()).strip(" ,")
                if set(name.split()) & (org_words | _GENERIC_WORDS | {"Ofsted", "Children", "Services"}):
                    continue
                if any(w in MONTHS for w in (x.lower() for x in name.split())):
                    continue
                if pattern is _PEOPLE_PATTERNS[0]:
                    title = re.sub(r"^(?:[\s\S]*?\b(?:said|says|added|and|but|while)\s+)", "", title)
                    title = re.sub(r"^(?:[A-Z][\w'’]*\s+)?(?=(?:the|The)\b)", "", title) if not _ROLE_WORDS.match(title) else title
                title = re.sub(r"^(?:who\s+is|who\s+was|who\s+has\s+been|as)\s+", "", title, flags=re.I)
                title = re.sub(r"^(?:the|its|their)\s+", "", title, flags=re.I)
                owner = re.match(r"^(home|agency|service|council|authority|trust|company|organisation|charity)['’]s\s+", title, re.I)
                owner_name = None
                if owner:
                    title = title[owner.end():]
                    target = subjects.mentions(f"the {owner.group(1).lower()}")
                    owner_name = target[0].subject if target else None
                # an indefinite appositive before a speech verb describes the speaker ("X, a foster carer with Y, said")
                described = re.match(r"^an?\s+(?P<what>[^,]{3,80})$", title, re.I)
                if described and pattern is _PEOPLE_PATTERNS[1] and len(described.group("what").split()) <= 8 \
                        and re.match(rf"\s*,?\s*(?:{_SAY})\b", text[match.end("title"):].lstrip(" ,")):
                    title = described.group("what")
                elif not _ROLE_WORDS.search(title):
                    if not (honorific and honorific.lower().startswith(("cllr", "coun"))):
                        continue
                    title = ""  # "Speaking after the report was published, Councillor Jane Doe said"
                if len(title.split()) > 16 or re.search(r"\b(?:said|says|told)\b", title):
                    continue
                for part in _split_roles(title):
                    role = _role_of(part, honorific)
                    printed, organisation = _split_title(part, orgs, subjects)
                    organisation = organisation or owner_name
                    providers = orgs.of_kind("provider")
                    if organisation is None and role in ("registered_manager", "responsible_individual") and len(providers) == 1:
                        organisation = providers[0].name  # a manager in a story about one home or agency is its manager
                    councils = orgs.of_kind("local_authority")
                    if organisation is None and role in ("director", "chief_executive") and len(councils) == 1 \
                            and not orgs.of_kind("provider", "company") and not re.search(r"\b(?:ofsted|inspect)", part, re.I):
                        organisation = councils[0].name  # in a story about one council and no provider, its officers

                    if printed and printed[0].isupper() and _is_sentence_start(text, part) \
                            and (_ROLE_WORDS.match(printed) or _TITLE_LEAD.match(printed)) and printed[1:2].islower():
                        printed = printed[0].lower() + printed[1:]
                    _add_person(people, name, role, printed or None, organisation)
        # "Councillor Jane Doe" with no printed title is still a councillor
        for match in re.finditer(rf"\b(?:Councillor|Cllr\.?)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})", text):
            _add_person(people, match.group("name"), "councillor", None, None)
    return people


_PARTY = re.compile(r"\s*\((?:Con|Conservative|Lab|Labour|Lib\s+Dem|Liberal\s+Democrats?|LD|Green|Ind|Independent|Reform(?:\s+UK)?"
                    r"|Plaid(?:\s+Cymru)?|SNP)\b[^)]{0,60}\)")
# words that start a printed title and are capitalised only because they start the sentence
_TITLE_LEAD = re.compile(r"(?:lead|corporate|strategic|executive|interim|acting|deputy|assistant|senior|regional|national|group"
                         r"|service|home|agency|council|county|operations|managing)\b", re.I)


def _is_sentence_start(text: str, part: str) -> bool:
    position = text.find(part)
    return position == 0 or bool(re.match(r"^[\"“‘']?$", text[:position].strip()))


def _split_roles(title: str) -> list[str]:
    """ "director for Children Services and chief executive for X" holds two posts."""
    parts = re.split(r"\s+and\s+(?=(?:the\s+)?(?:chief\s+executive|director|cabinet\s+member|registered\s+manager|responsible\s+individual|councillor|leader)\b)", title, flags=re.I)
    return [p.strip() for p in parts if p.strip()]


def _add_person(people: list[dict], name: str, role: str, title: str | None, organisation: str | None) -> None:
    surname = name.split()[-1]
    for person in people:
        same = person["name"] == name or (len(name.split()) == 1 and person["name"].split()[-1] == surname)
        if same and (person["role"] == role or role == "other"):
            person["title"] = person["title"] or title
            person["organisation"] = person["organisation"] or organisation
            return
    if len(name.split()) < 2:
        return
    people.append({"name": name, "role": role, "title": title, "organisation": organisation})


