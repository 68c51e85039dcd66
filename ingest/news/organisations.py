"""Organisations an article names, and which of them each part of a sentence is about."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from ..common.names import name_key
from .sentences import LOWER, UPPER, Sentence

# ---------------------------------------------------------------------------------------------
# Organisations

@dataclass
class Organisation:
    """An organisation named in the article, with the other names it goes by there."""

    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    first_seen: tuple[int, int] = (10**9, 0)  # (sentence, character) where it is first named
    operator: bool = False  # named as the organisation that runs a service the article describes

    def patterns(self) -> list[str]:
        return sorted({self.name, *self.aliases}, key=len, reverse=True)


_CAP = rf"(?:[{UPPER}][{LOWER}'’&-]*[{LOWER}]|[{UPPER}]{{2,}}|[{UPPER}](?=\s))(?:['’]s)?"
_CAP_RUN = rf"{_CAP}(?:\s+(?:and\s+|&\s+)?{_CAP})*"
# Words that start a capitalised run but not a name: a name is not preceded, inside its run, by
# a function word (determiner, pronoun, preposition, conjunction), a sentence adverb, a title or
# role word, or an adjective that describes rather than names ("Neighbouring X Council").
_FUNCTION_WORDS = {"The", "A", "An", "This", "That", "Its", "Our", "Their", "His", "Her", "Some", "Both", "Neither", "Either",
                   "At", "In", "On", "For", "Following", "During", "After", "Across", "Under", "Since", "Unlike", "Like",
                   "But", "And", "While", "When", "Whereas", "Although", "However"}
_SENTENCE_ADVERBS = {"Now", "Meanwhile", "Elsewhere", "Last", "Earlier", "Today", "Yesterday", "Overall", "Instead",
                     "Currently", "Previously", "Additionally", "Also"}
_TITLE_WORDS = {"Director", "Chief", "Executive", "Manager", "Head", "Councillor", "Cllr", "Mr", "Mrs", "Ms", "Dr",
                "Registered", "Responsible", "Inspectors", "Report", "Ofsted"}
_DESCRIBING_WORDS = {"Independent", "New", "Local", "Council", "Neighbouring", "Neighboring", "Nearby", "Fellow", "Parts"}
_LEAD_STOP = _FUNCTION_WORDS | _SENTENCE_ADVERBS | _TITLE_WORDS | _DESCRIBING_WORDS
_PROVIDER_HEAD = re.compile(rf"\b({_CAP_RUN})\s+(Fostering(?:\s+(?:Services?|Agency))?|Foster\s+Care|Adoption(?:\s+(?:Agency|Service|Services))?"
                            r"|Children['’]?s\s+Home|Childrens\s+Home|Residential\s+(?:Family\s+Centre|Home)|Family\s+Centre)\b")
# "X children's home": a name before a lower-case kind of service (the name may also be a place)
_NAMED_SERVICE = re.compile(rf"\b({_CAP_RUN})\s+(?:children['’]s\s+home|residential\s+home|care\s+home|fostering\s+(?:agency|service)"
                            r"|adoption\s+(?:agency|service))\b")
# a provider named in apposition after the noun for it: "The home, X, was rated ..."
_NAMED_BY_APPOSITION = re.compile(rf"\b(?i:the|this|a)\s+(?:(?i:children['’]s)\s+)?(?i:home|fostering\s+agency|agency|adoption\s+agency)"
                                  rf",\s+(?:(?i:called|named|known\s+as)\s+)?({_CAP_RUN}),")
_HOUSE_HEAD = re.compile(rf"\b({_CAP_RUN})\s+(House|Lodge|Cottage|Grange|Farm|Hall|Place|View|Villa|Barn|Close)\b")
_COUNCIL = re.compile(r"\b((?:(?:London|Royal)\s+Borough\s+of\s+[A-Z][\w'’-]+(?:\s+(?:and|upon|on)\s+[A-Z][\w'’-]+)*(?:\s+Council)?)"
                      rf"|(?:City\s+of\s+[A-Z][\w'’-]+\s+Council)|(?:{_CAP_RUN}\s+(?:County\s+|City\s+|Borough\s+|District\s+|Metropolitan\s+(?:Borough\s+|District\s+)?|Town\s+)?Council))\b")
_CHILDREN_SERVICES = re.compile(rf"\b({_CAP_RUN}(?:['’]s)?)\s+((?:[Cc]hildren['’]?s?\s+(?:[Ss]ocial\s+[Cc]are|[Ss]ervices))|(?:[Cc]hildren\s+[Ss]ervices))\b")
_COMPANY = re.compile(rf"\b({_CAP_RUN}\s+(?:Ltd|Limited|LTD|plc|PLC|LLP|CIC|Holdings|Group|Children['’]s\s+Trust))\b\.?")
# an appositive saying what an organisation is; its head noun is the kind, so no preposition comes between
# the article and the head ("a social worker at the council" is a person's post, not an organisation)
_APPOSITIVE = re.compile(rf"\b({_CAP_RUN})(?:\s+\((?P<abbr>[A-Z]{{2,6}})\))?,\s+(?:a|an|the)\s+(?P<what>(?:(?!(?:at|of|for|with|in|on|by|from)\s)[\w'’-]+\s+){{0,5}}"
                         r"(?:company|council|authority|agency|home|service|provider|charity|trust|centre|firm|business|organisation))\b(?!['’]|\s+(?:agreed|said|has|had|was|is|will|would))")
# the subject of a rating verb is a provider (or a council): "X has been rated good"
_RATED_NAME = re.compile(rf"\b({_CAP_RUN})(?:\s+\([A-Z]{{2,6}}\))?\s+(?:has\s+|have\s+|had\s+)?(?:been\s+|was\s+|were\s+|is\s+|are\s+)(?:[a-z]+\s+){{0,2}}?"
                         r"(?:rated|judged|graded|given|awarded|branded|found|told)\b[^.]{0,40}?"
                         r"\b(?i:outstanding|good|inadequate|requir\w+\s+improvement|top\s+rating)\b")
# the organisation that runs a service, named in a participle phrase or relative clause ("..., which is run by X and ...")
_OPERATOR = re.compile(rf"\b(?:run|operated|owned|managed|provided)\s+by\s+(?:the\s+)?({_CAP_RUN})")
_LEGAL_SUFFIX = re.compile(r"\b(?:Ltd|Limited|LTD|plc|PLC|LLP|CIC)\.?$")
_OWNER_OF = re.compile(rf"\b({_CAP}(?:\s+{_CAP})+)['’]s\s+(?:independent\s+|own\s+|in-house\s+)?(?:fostering|adoption|children['’]s home|residential)\b")
_REGULATOR = re.compile(r"\b(Ofsted|OFSTED|Oftsed|Office for Standards in Education|Care Quality Commission|CQC)\b")
_OTHER_BODIES = re.compile(r"\b(Department for Education|DfE|Local Government Association|NSPCC|Barnardo['’]s|NHS(?: [A-Z]\w+)*|"
                           r"(?:[A-Z]\w+\s+)+Police|Children['’]s Commissioner)\b")
_GENERIC_WORDS = {"Children", "Childrens", "Children's", "Children’s", "Services", "Service", "Social", "Care", "The",
                  "Foster", "Fostering", "Agency", "Council", "County", "Local", "Authority", "Good", "Outstanding",
                  "Inadequate", "Requires", "Improvement"}


def _strip_lead(name: str) -> str:
    words = name.split()
    while words and (words[0] in _LEAD_STOP or words[0].upper() == words[0] and words[0] in {w.upper() for w in _LEAD_STOP}):
        words.pop(0)
    return " ".join(words)


def _strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name)


class Organisations:
    """The organisations named in an article, found by name patterns and appositives."""

    def __init__(self) -> None:
        self.by_key: dict[str, Organisation] = {}

    def add(self, name: str, kind: str, index: tuple[int, int], alias: str | None = None) -> Organisation | None:
        name = " ".join(name.split()).strip(" ,.;:'’")
        if not name or name in _GENERIC_WORDS or len(name) < 3:
            return None
        key = _org_key(name)
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = Organisation(name, kind)
        elif _KIND_RANK[kind] > _KIND_RANK[found.kind]:
            found.kind = kind
        found.first_seen = min(found.first_seen, index)
        if alias:
            found.aliases.add(alias)
        return found

    def all(self) -> list[Organisation]:
        return sorted(self.by_key.values(), key=lambda o: o.first_seen)

    def of_kind(self, *kinds: str) -> list[Organisation]:
        return [o for o in self.all() if o.kind in kinds]


_KIND_RANK = {"other": 0, "company": 1, "provider": 2, "local_authority": 2, "regulator": 3}


def _org_key(name: str) -> str:
    return name_key(name, possessive=False, legal_suffix=False)


# words that say what kind of body or service a name is, not which one: a name of these words alone names nothing
_KIND_WORDS = {"the", "and", "of", "for", "children", "childrens", "child", "young", "people", "family", "families",
               "services", "service", "social", "care", "foster", "fostering", "adoption", "agency", "home", "homes",
               "residential", "council", "county", "city", "borough", "district", "metropolitan", "local", "authority",
               "trust", "ltd", "limited", "plc", "group", "independent", "centre", "support", "house", "uk", "england"}
# the forms in which a local authority's place name names the council
_COUNCIL_FORMS = ("{} Council", "{} County Council", "{} City Council", "{} Borough Council", "{} District Council",
                  "{} Metropolitan Borough Council", "London Borough of {}", "Royal Borough of {}", "City of {} Council")
_GAZETTEER_KINDS = ("company", "provider", "local_authority")
# words printed in lower case inside a name ("London Borough of X", "Brighton and Hove")
_NAME_JOINERS = {"of", "and", "the", "for", "upon", "on", "in", "by", "de", "la", "le", "under", "with"}


def _fold_text(text: str) -> str:
    """Lower case with one apostrophe, character for character (so offsets in the folded text are offsets in the text)."""
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text).replace("’", "'").replace("‘", "'")


class Gazetteer:
    """Names of organisations the graph's records know, found in running text with an Aho-Corasick automaton.

    Built by the graph build from the records it has read (``from_records``); the reader never
    reads them itself. A name counts only as printed like a name (capitalised, whole words), and
    names made only of words that say what kind of body something is ("Fostering Services") or
    of a single word (most are places) are left out: a place is not an organisation.

    >>> gazetteer = Gazetteer([("Blue Harbour Fostering", "provider"), ("Eastwick Council", "local_authority")])
    >>> gazetteer.find("Blue Harbour Fostering, an agency in Eastwick, was rated good by eastwick council.")
    [(0, 22, 'provider')]
    """

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        import ahocorasick

        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for name, kind in names:
            name = " ".join((name or "").split())
            words = [w for w in re.findall(r"[^\W_]+", _fold_text(name))]
            if len(words) < 2 or all(w in _KIND_WORDS for w in words) or kind not in _GAZETTEER_KINDS:
                continue
            key = _fold_text(name)
            known = self._automaton.get(key, None)
            # one name, several kinds: a council outranks a provider, a provider a company
            if known is None or _GAZETTEER_KINDS.index(kind) > _GAZETTEER_KINDS.index(known[1]):
                self._automaton.add_word(key, (len(key), kind))
                self.size += known is None
        if self.size:
            self._automaton.make_automaton()

    @classmethod
    def from_records(cls, providers: Iterable[dict] = (), owners: Iterable[str] = (), authorities: Iterable[dict] = (),
                     councils: Iterable[str] = ()) -> "Gazetteer":
        """From provider records (``name``, ``owner``), owner names, la_lookup records (``names``) and council names."""
        authorities = list(authorities)
        # a place is not an organisation, even where a record uses its name for one (an owner "X" for X Council)
        places = {_fold_text(place) for authority in authorities for place in authority.get("names") or []}
        names: list[tuple[str, str]] = []
        for provider in providers:
            names.append((provider.get("name") or "", "provider"))
            names.append((provider.get("owner") or "", "company"))
        names += [(owner, "local_authority" if re.search(r"\bcouncil\b", owner, re.I) else "company") for owner in owners]
        for authority in authorities:
            for place in authority.get("names") or []:
                if "," not in place and not place.isupper():
                    names += [(form.format(place), "local_authority") for form in _COUNCIL_FORMS]
        names += [(council, "local_authority") for council in councils]
        return cls((name, kind) for name, kind in names if _fold_text(" ".join((name or "").split())) not in places)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, kind) of each name in ``text``: the longest at each place, whole words, printed capitalised."""
        if not self.size:
            return []
        hits = []
        for end, (length, kind) in self._automaton.iter(_fold_text(text)):
            start, stop = end - length + 1, end + 1
            if (start > 0 and (text[start - 1].isalnum())) or (stop < len(text) and text[stop].isalnum()):
                continue
            # printed as a name: every word capitalised but the short function words inside a name
            if any(not word[0].isupper() and word.lower() not in _NAME_JOINERS
                   for word in re.findall(r"[^\W\d_][\w'’-]*", text[start:stop])) or not text[start].isupper():
                continue
            hits.append((start, stop, kind))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, str]] = []
        for hit in hits:
            if not kept or hit[0] >= kept[-1][1]:
                kept.append(hit)
        return kept


def find_organisations(sentences: list[Sentence], has_homes: bool, gazetteer: Gazetteer | None = None) -> Organisations:
    """The organisations named in the sentences, each with a kind: those the gazetteer knows, then
    those the article's own grammar shows (a name with a provider's or council's head word, an
    appositive saying what it is, a company's legal suffix, the operator of a service)."""
    orgs = Organisations()
    for sentence in sentences:
        probe, index = sentence.probe, sentence.index
        for start, end, kind in (gazetteer.find(probe) if gazetteer is not None else ()):
            orgs.add(_strip_possessive(sentence.text[start:end]), kind, (index, start))
        for match in _REGULATOR.finditer(probe):
            token = match.group(1)
            name = "Ofsted" if token.lower() in ("ofsted", "oftsed") or token.startswith("Office for") else token
            if name == "CQC":
                name = "Care Quality Commission"
            orgs.add(name, "regulator", (index, match.start()), alias=token)
        for match in _OTHER_BODIES.finditer(probe):
            orgs.add(match.group(1), "other", (index, match.start()))
        for match in _COUNCIL.finditer(probe):
            name = _strip_possessive(_strip_lead(match.group(1)))
            # "X Council and Y Council" are two councils; "X and Y City Council" is one
            for part in re.split(r"\s+(?:and|&)\s+(?=(?:[A-Z][\w'’-]*\s+)+Council$)", name) if re.search(r"Council\s+(?:and|&)\s", name) else [name]:
                part = _strip_lead(part)
                if len(part.split()) >= 2 or part.startswith(("London", "Royal", "City")):
                    orgs.add(part, "local_authority", (index, match.start() + match.group(1).find(part)))
        for match in _CHILDREN_SERVICES.finditer(probe):
            place = _strip_lead(match.group(1))
            if _strip_possessive(place).endswith("Council"):
                orgs.add(_strip_possessive(place), "local_authority", (index, match.start()), alias=f"{place} {match.group(2)}")
            elif place and _strip_possessive(place) not in _GENERIC_WORDS:
                orgs.add(f"{place} {match.group(2)}", "local_authority", (index, match.start()))
        for match in _COMPANY.finditer(probe):
            name = _strip_lead(match.group(1))
            if len(name.split()) >= 2:
                orgs.add(name, "company", (index, match.start()))
        for match in _PROVIDER_HEAD.finditer(probe):
            name = _strip_lead(f"{match.group(1)} {match.group(2)}")
            name = re.sub(r"^[A-Z][\w-]*['’]s\s+(?=[A-Z])", "", name)  # a place's possessive before the name: "Town's X Fostering"
            if len(name.split()) >= 2 and _strip_possessive(name.split()[0]) not in _GENERIC_WORDS:
                orgs.add(_strip_possessive(name), "provider", (index, match.start()))
        for match in _NAMED_BY_APPOSITION.finditer(probe):
            name = _strip_lead(match.group(1))
            if name and _strip_possessive(name.split()[0]) not in _GENERIC_WORDS:
                orgs.add(name, "provider", (index, match.start(1)))
        if has_homes:
            for match in _HOUSE_HEAD.finditer(probe):
                name = _strip_lead(f"{match.group(1)} {match.group(2)}")
                if len(name.split()) >= 2:
                    orgs.add(name, "provider", (index, match.start()))
        for match in _APPOSITIVE.finditer(probe):
            name, what = _strip_lead(match.group(1)), match.group("what").lower()
            if not name or len(name) < 3 or any(o.name.endswith(" " + name) for o in orgs.all()):
                continue
            if "company" in what or re.search(r"\b(ltd|limited|firm|business|trust)\b", what):
                kind = "company"
            elif re.search(r"\b(council|local authority)\b", what):
                kind = "local_authority"
            elif re.search(r"\b(fostering|adoption|children's home|children’s home|home|agency|provider|service|centre|residential)\b", what):
                kind = "provider"
            else:
                continue
            orgs.add(name, kind, (index, match.start()), alias=match.group("abbr"))
        for match in (_RATED_NAME.finditer(probe) if re.search(r"(?i:ofsted|inspect|watchdog|regulator)", probe) else ()):
            name = _strip_possessive(_strip_lead(match.group(1)))
            words = name.split()
            # a name that starts the clause, of two words or more ("an agency in <town> has been rated" names a place)
            starts_clause = re.search(r"(?:^|[.,;:(\"“‘']\s*|\band\s+|\bbut\s+)$", probe[:match.start()])
            if len(words) >= 2 and starts_clause and not all(_strip_possessive(w) in _GENERIC_WORDS or w.islower() for w in words) \
                    and not _OUT_OF_SCOPE.search(name) and name[:1].isupper() and _org_key(name) not in orgs.by_key:
                orgs.add(name, "local_authority" if re.search(r"\bCouncil\b", name) else "provider", (index, match.start()))
        for match in _OWNER_OF.finditer(probe):
            name = _strip_lead(match.group(1))
            if len(name.split()) >= 2 and name not in _GENERIC_WORDS:
                orgs.add(name, "company", (index, match.start()))
        for match in _OPERATOR.finditer(probe):
            name = _strip_possessive(_strip_lead(match.group(1)))
            if len(name.split()) >= 2 and not _OUT_OF_SCOPE.search(name):
                found = orgs.by_key.get(_org_key(name)) or orgs.add(
                    name, "company" if _LEGAL_SUFFIX.search(name) else "provider", (index, match.start(1)))
                if found is not None:
                    found.operator = True
    _add_named_services(sentences, orgs)
    _drop_cut_names(sentences, orgs)
    _merge_services_into_councils(orgs)
    # a name that is the start of a provider's name and also printed on its own (in a speaker's
    # title, say) is the organisation that runs the service
    _add_bare_parents(sentences, orgs)
    return orgs


def _drop_cut_names(sentences: list[Sentence], orgs: Organisations) -> None:
    """A provider's name found only inside a longer provider's name ("X Fostering" in "X Fostering North") is not a second provider."""
    for short in orgs.of_kind("provider"):
        longer = [o for o in orgs.all() if o is not short and o.name.startswith(short.name + " ")]
        if not longer:
            continue
        alone = re.compile(rf"\b{re.escape(short.name)}\b(?!\s+(?:{'|'.join(re.escape(o.name[len(short.name) + 1:]) for o in longer)})\b)")
        if not any(alone.search(s.probe) for s in sentences):
            for other in longer:
                other.first_seen = min(other.first_seen, short.first_seen)
            del orgs.by_key[_org_key(short.name)]


def _add_named_services(sentences: list[Sentence], orgs: Organisations) -> None:
    """ "X children's home" names a provider unless the article shows the name is a place
    ("a children's home in X", "X Council")."""
    text = "\n".join(s.probe for s in sentences)
    for sentence in sentences:
        for match in _NAMED_SERVICE.finditer(sentence.probe):
            name = _strip_possessive(_strip_lead(match.group(1)))
            if not name or any(_strip_possessive(w) in _GENERIC_WORDS for w in name.split()) or _OUT_OF_SCOPE.search(name):
                continue
            escaped = re.escape(name)
            place = re.search(rf"\b(?:in|at|near|across|around|from|of|for|outside|throughout)\s+(?:the\s+)?{escaped}\b"
                              rf"|\b{escaped}(?:['’]s)?\s+(?:(?:County|City|Borough|District|Metropolitan)\s+)*Council\b"
                              rf"|\b{escaped}['’]s\s+(?:council|children|mayor|director)", text)
            if place or any(o.kind == "local_authority" and o.name.startswith(name + " ") for o in orgs.all()):
                continue
            orgs.add(name, "provider", (sentence.index, match.start()))


def _merge_services_into_councils(orgs: Organisations) -> None:
    """ "X children's services" is the children's services of "X Council": one organisation."""
    for services in orgs.of_kind("local_authority"):
        match = re.match(r"^(.+?)(?:['’]s)?\s+[Cc]hildren", services.name)
        if not match:
            continue
        place = match.group(1)
        councils = [o for o in orgs.of_kind("local_authority") if o is not services and re.match(
            rf"^(?:{re.escape(place)}\s+(?:(?:County|City|Borough|District|Metropolitan)\s+)*Council"
            rf"|(?:(?:London|Royal)\s+Borough|City)\s+of\s+{re.escape(place)}(?:\s+Council)?)$", o.name)]
        if len(councils) == 1:
            council = councils[0]
            council.aliases |= {services.name} | services.aliases
            council.first_seen = min(council.first_seen, services.first_seen)
            del orgs.by_key[_org_key(services.name)]


def _add_bare_parents(sentences: list[Sentence], orgs: Organisations) -> None:
    for provider in orgs.of_kind("provider"):
        words = provider.name.split()
        for cut in range(len(words) - 1, 1, -1):
            parent = " ".join(words[:cut])
            if _org_key(parent) in orgs.by_key or parent.split()[-1] in _GENERIC_WORDS:
                continue
            bare = re.compile(rf"\b{re.escape(parent)}\b(?!\s+{re.escape(words[cut])})")
            # a longer name that continues differently ("X Care Group Ltd") is another organisation, not a bare "X"
            others = [re.escape(n) for o in orgs.all() if o is not provider for n in o.patterns() if n.startswith(parent + " ")]
            hits = [(s.index, m.start()) for s in sentences for m in bare.finditer(s.probe)
                    if not any(re.match(other, s.probe[m.start():]) for other in others)]
            if hits:
                orgs.add(parent, "company", hits[0])
                break


# ---------------------------------------------------------------------------------------------
# Mentions of organisations in a sentence

@dataclass
class Mention:
    start: int
    end: int
    subject: str | None
    kind: str
    named: bool = True  # False for a description ("the agency") resolved to an organisation


# schools and nurseries are Ofsted's too, but not this graph's: their grades are not claims
OUT_OF_SCOPE = "(out of scope)"
_OUT_OF_SCOPE = re.compile(r"\b(?:(?i:a|an|the|this|its)\s+(?:(?!residential)[\w'’-]+\s+){0,3}?(?:nursery|school|academy|college|pre-school|preschool|childminder|university|hospital)"
                           r"|(?:[A-Z][\w'’-]+\s+){1,4}(?:Nursery|Academy|Primary\s+School|High\s+School|Junior\s+School|Infant\s+School|College|Pre-School))\b")
_ANAPHOR = re.compile(r"\b(?:the|this|a|an|its|our|their)\s+(?:[\w'’-]+\s+){0,3}?(agency|service|home|council|authority|provider|organisation|company|trust)\b", re.I)


class Subjects:
    """Finds which organisation a part of a sentence is about."""

    def __init__(self, orgs: Organisations, sentences: list[Sentence]) -> None:
        self.orgs = orgs
        # a children's trust runs a council's children's services: its grades are the story's subject too
        # and the operator of a service the article does not name stands for it
        candidates = [o for o in orgs.all() if o.kind in ("provider", "local_authority") or o.operator or _is_trust(o.name)]
        self.main_trust = next((o for o in orgs.all() if _is_trust(o.name)), None)
        # "early" is the headline and the story's first three sentences; bylines and datelines do not count
        body = [s.index for s in sentences[1:] if len(s.text.split()) >= 6]
        horizon = body[2] if len(body) > 2 else (sentences[-1].index if sentences else 3)
        early = [o for o in candidates if o.first_seen[0] <= horizon]
        if early:
            self.main = early[0]
        elif candidates:
            counts = {o.name: sum(len(re.findall(re.escape(o.name), s.probe)) for s in sentences) for o in candidates}
            self.main = max(candidates, key=lambda o: (counts[o.name], -o.first_seen[0], -o.first_seen[1]))
        else:
            self.main = None
        self.main_provider = next(iter(orgs.of_kind("provider")), None)
        self.main_council = next(iter(orgs.of_kind("local_authority")), None)
        self.main_company = next(iter(orgs.of_kind("company")), None)
        self.fallback = self.main.name if self.main else _unnamed_subject(sentences)
        self.focus: Organisation | None = None
        self._patterns = [(re.compile(rf"\b{re.escape(p)}(?:['’]s)?(?![\w])" if p[-1].isalnum() else re.escape(p)), o)
                          for o in orgs.all() for p in o.patterns()]
        self._patterns.sort(key=lambda item: -len(item[0].pattern))
        self._short_forms = _short_forms(orgs, sentences)

    def mentions(self, probe: str) -> list[Mention]:
        """Named and anaphoric mentions of organisations, left to right, regulators and others excluded."""
        found: list[Mention] = []

        def free(start: int, end: int) -> bool:
            return not any(start < m.end and end > m.start for m in found)

        for pattern, org in self._patterns:
            for match in pattern.finditer(probe):
                if free(*match.span()):
                    found.append(Mention(match.start(), match.end(), org.name, org.kind))
        for pattern, org in self._short_forms:
            for match in pattern.finditer(probe):
                if free(*match.span()):
                    found.append(Mention(match.start(), match.end(), org.name, org.kind))
        for match in _ANAPHOR.finditer(probe):
            if not free(*match.span()):
                continue
            noun = match.group(1).lower()
            # a description names the organisation in focus when it fits the noun, else the article's main one
            focus = self.focus
            if noun in ("council", "authority"):
                target = (focus if focus and focus.kind == "local_authority" else None) or self.main_council or (
                    self.main if self.main and self.main.kind == "local_authority" else None)
            elif noun == "company":
                target = self.main_company
            elif noun == "trust":
                target = self.main_trust
            elif noun == "service":
                target = focus or self.main
            else:
                target = (focus if focus and (focus.kind == "provider" or focus.operator) else None) or self.main_provider or self.main
            if target is not None:
                found.append(Mention(match.start(), match.end(), target.name, target.kind, named=False))
            elif self.main is None:
                found.append(Mention(match.start(), match.end(), None, "provider"))
        for match in _OUT_OF_SCOPE.finditer(probe):
            if free(*match.span()):
                found.append(Mention(match.start(), match.end(), OUT_OF_SCOPE, "out_of_scope"))
        return sorted((m for m in found if m.kind not in ("regulator", "other")), key=lambda m: m.start)

    def advance(self, probe: str, mentions: list[Mention]) -> None:
        """After a sentence, the organisation that later descriptions ("the agency") refer to.

        The article's main subject is in focus until another provider or council is introduced
        as a subject of its own: named with an appositive that says what or where it is
        ("X, an agency in ...,", "X, based in ...,"). Naming the main subject again brings the
        focus back to it; a name in a speaker's title or inside another's aside moves nothing."""
        asides = [match.span() for match in _ASIDE.finditer(probe)]
        named = [m for m in mentions if m.named and m.subject and m.kind != "out_of_scope" and not _in_title(probe, m)
                 and not any(a_start < m.start and m.end <= a_end for a_start, a_end in asides)]
        by_name = {o.name: o for o in self.orgs.all()}
        for mention in reversed(named):
            org = by_name.get(mention.subject)
            if org is None or not (org.kind in ("provider", "local_authority") or org.operator or _is_trust(org.name)):
                continue
            if org is self.main or _INTRODUCED.match(probe, mention.end):
                self.focus = org
                return

    def subject_at(self, probe: str, position: int, mentions: list[Mention] | None = None) -> str | None:
        """The provider or council named nearest before ``position`` in the sentence, else just after it, else the main one.

        An organisation named in a speaker's title ("chief executive for X") is not what the
        claim is about.
        """
        mentions = self.mentions(probe) if mentions is None else mentions
        asides = [match.span() for match in _ASIDE.finditer(probe) if match.end() <= position]
        mentions = [m for m in mentions if not _in_title(probe, m)
                    and not any(a_start < m.start and m.end <= a_end for a_start, a_end in asides)]
        before = [m for m in mentions if m.end <= position and m.subject]
        if before:
            return before[-1].subject
        after = [m for m in mentions if m.start >= position and m.subject
                 and not re.search(r";|,\s*(?:while|whereas|but|and)\b|\bwhile\b|\bwhereas\b", probe[position:m.start])]
        if after:
            return after[0].subject
        return self.focus.name if self.focus is not None else self.fallback


# an appositive introducing an organisation: what it is or where it is based
_INTRODUCED = re.compile(r"(?:\s+\([A-Z]{2,6}\))?,\s+(?:an?\s|the\s|based\s|which\s|run\s|owned\s)", re.I)
# an aside (", which runs ... on behalf of Y Council,") names someone else
_ASIDE = re.compile(r",\s+(?:which|who|whose|run\s+by|owned\s+by|operated\s+by|part\s+of|formerly|once|an?|the)\b[^,]{0,150},")


def _short_forms(orgs: Organisations, sentences: list[Sentence]) -> list[tuple[re.Pattern, Organisation]]:
    """Short forms of providers' names: the words before the first word that says what kind of body it is
    ("X Y Fostering" -> "X Y"), counted as a mention where they stand as the subject of a verb.

    Only a short form that no other organisation's name starts with, and that the article never uses
    as a place ("in X", "X Council", "X's children"), since a place is not an organisation."""
    text = "\n".join(s.probe for s in sentences)
    found = []
    for org in orgs.all():
        if not (org.kind == "provider" or org.operator):
            continue
        words = org.name.split()
        cut = next((i for i, w in enumerate(words) if _fold_text(_strip_possessive(w)) in _KIND_WORDS), len(words))
        short = " ".join(words[:cut])
        if not short or cut == len(words) or len(short) < 4 or any(
                o is not org and (o.name == short or o.name.startswith(short + " ")) for o in orgs.all()):
            continue
        escaped = re.escape(short)
        if re.search(rf"\b(?i:in|at|near|across|around|from|of|for|outside|throughout)\s+(?:the\s+)?{escaped}\b"
                     rf"|\b{escaped}(?:['’]s)?\s+(?:(?:County|City|Borough|District|Metropolitan)\s+)*Council\b"
                     rf"|\b{escaped}['’]s\b", text):
            continue
        # the short form as a clause's subject: not after a preposition, followed by a lower-case word (its verb)
        found.append((re.compile(rf"(?<![\w'’-])(?<!\bin )(?<!\bat )(?<!\bof )(?<!\bto ){escaped}(?=\s+[a-z])"), org))
    return found


def _in_title(probe: str, mention: Mention) -> bool:
    """Whether a mention is part of a speaker's title ("chief executive for X")."""
    return bool(re.search(r"\b(?:executive|director|manager|chair|chairman|head|leader|member|spokes\w+|officer|founder|owner|individual)\s+"
                          r"(?:of|for|at|with)\s+(?:the\s+)?$|\b(?:run|owned|operated|managed|provided)\s+by\s+(?:the\s+)?$"
                          r"|\bon\s+behalf\s+of\s+(?:the\s+)?$|\bpart\s+of\s+(?:the\s+)?$", probe[:mention.start], re.I))


def _is_trust(name: str) -> bool:
    return bool(re.search(r"\bChildren['’]?s\s+Trust\b", name))


def _unnamed_subject(sentences: list[Sentence]) -> str | None:
    """For an article that names no provider or council: its first description of one ("a children's home in <town>")."""
    pattern = re.compile(r"\b(?i:an?|the)\s+(?P<what>(?:[\w'’-]+\s+){0,2}?(?i:children['’]s home|fostering (?:agency|service)|adoption (?:agency|service)"
                         r"|residential (?:home|school|family centre)|care home))(?P<where>\s+(?:in|near|for|at)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?")
    for sentence in sentences:
        match = pattern.search(sentence.probe)
        if match:
            return match.group("what").lower() + (match.group("where") or "")
    return None



_COUNCIL_OWNED = re.compile(
    r"wholly[- ]owned\s+(?:by\s+(?P<owner>(?:the\s+)?[A-Z][\w' ]*?[Cc]ouncil)|(?:council|local authority)\s+company)"
    r"|(?:council|local authority)[- ]owned\s+company")


def with_council_owners(organisations: list[dict], sentences) -> list[dict]:
    """Add ``owned_by`` (and the sentence saying so) to a company the article calls council-owned.

    "create X (ABC), a wholly owned council company" names no council,
    so the owner is the council the article is about (its one local-authority organisation); with
    none or several, or a company the sentence does not name, nothing is added.
    """
    councils = [o["name"] for o in organisations if o["kind"] == "local_authority"]
    for organisation in organisations:
        if organisation["kind"] != "company":
            continue
        for sentence in sentences:
            text = " ".join(sentence.text.split())
            match = _COUNCIL_OWNED.search(text)
            if not match or organisation["name"] not in text:
                continue
            owner = match.group("owner") or (councils[0] if len(councils) == 1 else None)
            if owner:
                organisation["owned_by"] = re.sub(r"^the\s+", "", owner)
                organisation["owned_by_quote"] = text
                break
    return organisations


