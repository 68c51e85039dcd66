"""Name resolution: one organisation for the many spellings of an owner's name, councils by place, people.

Two names are one organisation when they are equal after (1) Unicode folding and lower case,
(2) "&" read as "and" and apostrophes dropped, (3) punctuation read as spaces, (4) a leading "the"
dropped, and (5) the legal-form suffix written one way ("limited", "ltd." -> "ltd"; "public limited
company" -> "plc"; "community interest company" -> "cic"; "limited liability partnership" ->
"llp"): :func:`organisation_key`. Owner columns are read first by :func:`owner_name` (company
numbers and "(The)", placeholders). Anything more ("Nexus Fostering" and "Nexus Fostering Ltd",
a trading name and a company that can differ) is joined only on the releases' evidence, one
provider listed under both in consecutive releases, with :func:`spelling_match`, or by a user's
alias file: :func:`resolve_owners`. docs/owners.md describes the rules for users.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from ..ingest.common.names import name_key

# words that say what kind of council it is, not which one ("Stockton-on-Tees Borough Council")
_COUNCIL_NOISE = re.compile(
    r"\b(the|council|borough|county|city|metropolitan|district|royal|corporation|unitary|authority|"
    r"local|childrens|services|of|london|mbc|cc|bc)\b")
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|cllr|councillor)\.?\s+")


def organisation_key(name: str) -> str:
    """The key of an organisation name (ASCII, hyphenated: it names the organisation's IRI).

    >>> organisation_key("Nexus Fostering Ltd") == organisation_key("Nexus Fostering LTD")
    True
    >>> organisation_key("Cambian Childcare Limited") == organisation_key("Cambian Childcare Ltd.")
    True
    >>> organisation_key("Cambian Childcare Ltd") == organisation_key("Cambian Education Ltd")
    False
    """
    return "-".join(re.sub(r"[^a-z0-9 ]", "", name_key(name)).split())


def looks_like_council(name: str) -> bool:
    """True for owner names that are councils ("Worcestershire County Council")."""
    return bool(re.search(r"\bcouncil\b", name, re.I))


def place_key(name: str) -> str:
    """A council's place name reduced for matching: "Stockton On Tees Borough Council" -> "stockton on tees"."""
    text = name_key(name).replace(" upon ", " on ")
    return " ".join(_COUNCIL_NOISE.sub(" ", text).split())


def comparison_name(name: str) -> str:
    """A name reduced for comparing mentions: no possessive, legal form or leading "the".

    >>> comparison_name("Nexus Fostering LTD")
    'nexus fostering'
    >>> comparison_name("WORCESTERSHIRE'S Children’s Services")
    'worcestershire children services'
    >>> comparison_name("The Brook & Meadow Children's Home")
    'brook and meadow children home'
    """
    return name_key(name or "", possessive=False, legal_suffix=False)


def person_key(name: str) -> str:
    """A person's name without an honorific, for comparing mentions ("Dr Siobhán O'Neill" -> "siobhan oneill")."""
    return _HONORIFIC.sub("", name_key(name or ""))


# ------------------------------------------------------------------ owners in the statistics

# values an owner column holds where no owner is named: no letters at all ("0", "-", "3.13") or a
# phrase that describes instead of naming
_NOT_A_NAME = re.compile(r"(?:owned by an? )?(?:private )?individual|unknown|not known|not applicable|n/?a|none|nil|tbc",
                         re.I)
# a company or charity number written after the name, with or without words and brackets:
# "... Limited 06244880", "(Co Number 08016114)", "- company number 02978546", "04300724, 1095134"
_REGISTRATION_NUMBER = re.compile(
    r"[\s,;:-]*\(?\s*(?:(?:registered|company|charity|comp|co|reg)\.?\s+)?(?:number|no)?\.?\s*:?\s*"
    r"\b(?:[a-z]{2})?\d{6,8}\b\s*\)?\s*$", re.I)
# "National Autistic Society (The)": the article written after the name, in brackets
_BRACKETED_THE = re.compile(r"\s*\(\s*the\s*\)", re.I)


def owner_name(raw: str | None) -> str | None:
    """An owner column's value as a name, or None where it names no owner.

    Company and charity numbers after the name are dropped and a bracketed "(The)" is read as a
    leading "The"; a value without letters or one that only describes ("Owned by an individual")
    is no owner.

    >>> owner_name("Priory Education Services Limited 06244880")
    'Priory Education Services Limited'
    >>> owner_name("Birtenshaw - company number 02978546")
    'Birtenshaw'
    >>> owner_name("National Autistic Society (The)")
    'The National Autistic Society'
    >>> [owner_name(v) for v in ("0", "-", " ", "Owned by an individual")]
    [None, None, None, None]
    >>> owner_name("1848 Ltd")
    '1848 Ltd'
    """
    text = " ".join((raw or "").split())
    if not re.search(r"[^\W\d_]", text) or _NOT_A_NAME.fullmatch(text):
        return None
    while True:
        shorter = _REGISTRATION_NUMBER.sub("", text)
        if shorter == text or not re.search(r"[^\W\d_]", shorter):
            break
        text = shorter
    if _BRACKETED_THE.search(text):
        text = "The " + " ".join(_BRACKETED_THE.sub(" ", text).split())
    return text


@lru_cache(maxsize=65536)
def owner_key(raw: str | None) -> str | None:
    """The organisation key of an owner column's value (None where it names no owner)."""
    name = owner_name(raw)
    return organisation_key(name) if name else None


def _words(name: str) -> list[str]:
    return name_key(name, legal_suffix=False).split()


def spelling_match(a: str, b: str) -> tuple[str, float] | None:
    """Why two owner names can be spellings of one name, or None.

    For names that one provider carried in consecutive releases (the evidence that they may be one
    owner): the same letters once spaces, punctuation, case and legal form are set aside
    ("Homes2inspire Limited" / "Homes 2 inspire"); the same words in another order; or a slip of
    one or two letters inside words (rapidfuzz: Levenshtein distance at most 2 and similarity at
    least 90 of 100). A whole word more or less is never a slip: "Protea Care 2 Limited" and
    "Protea Care Limited", "Keys Care" and "Keys Childcare" stay apart.
    """
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return None
    compact_a, compact_b = "".join(words_a), "".join(words_b)
    if compact_a == compact_b:
        return "same letters", 100.0
    if sorted(words_a) == sorted(words_b):
        return "same words", 100.0
    set_a, set_b = set(words_a), set(words_b)
    if set_a < set_b or set_b < set_a or re.sub(r"\D", "", compact_a) != re.sub(r"\D", "", compact_b):
        return None
    score = fuzz.ratio(compact_a, compact_b)
    if Levenshtein.distance(compact_a, compact_b) <= 2 and score >= 90:
        return "similar spelling", round(score, 1)
    return None


SAME_KEY = "same name once case, punctuation, legal form, company number and (The) are set aside"


@dataclass
class OwnerAlias:
    """A line of a user's alias file: the owner ``spelling`` is ``canonical`` (itself: never merged)."""

    spelling: str
    canonical: str
    reason: str = ""


def read_owner_aliases(path) -> tuple[list[OwnerAlias], list[str]]:
    """A CSV of owner aliases (columns spelling, canonical name, reason; a header row is optional),
    and a message naming the file and row for each row that cannot be used."""
    aliases: list[OwnerAlias] = []
    problems: list[str] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], [f"{path}: cannot read the owner alias file ({exc})"]
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and [c.lower() for c in cells[:1]] == ["spelling"]):
            continue
        if len(cells) < 2 or not owner_key(cells[0]) or not owner_key(cells[1]):
            problems.append(f"{path}: row {number}: expected a spelling and a canonical name that are names, "
                            f"got {row!r}; row ignored")
            continue
        aliases.append(OwnerAlias(cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    return aliases, problems


@dataclass
class OwnerMerge:
    """One spelling joined to an owner, and why: a line of the merges file."""

    key: str
    owner: str
    spelling: str
    rule: str
    evidence: str = ""
    similarity: float | None = None

    COLUMNS = ("organisation_key", "owner", "spelling", "rule", "evidence", "similarity")

    def row(self) -> tuple:
        return (self.key, self.owner, self.spelling, self.rule, self.evidence,
                "" if self.similarity is None else self.similarity)


@dataclass
class OwnerResolution:
    """Which organisation each owner spelling names: ``key_of`` maps an organisation key (of one
    spelling, see :func:`owner_key`) to the key of the organisation it joins; ``label`` gives each
    organisation's preferred name; ``merges`` says why each spelling joined its organisation."""

    key_of: dict[str, str] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)
    merges: list[OwnerMerge] = field(default_factory=list)

    def organisation(self, raw: str | None) -> str | None:
        """The key of the organisation an owner column's value names (None where it names none)."""
        key = owner_key(raw)
        return self.key_of.get(key, key) if key else None


def resolve_owners(spellings: dict[str, Counter], sightings: dict[str, list[tuple[str, str]]],
                   aliases: list[OwnerAlias] = (), same_body=None) -> OwnerResolution:
    """One organisation for the spellings of one owner.

    ``spellings``: organisation key -> Counter of the values written for it (:func:`owner_key`);
    ``sightings``: provider -> (release date, owner key) per release that names its owner.
    Two keys join when one provider was listed under them in consecutive releases (the evidence)
    and the names pass :func:`spelling_match`, or ``same_body(a, b)`` says they are one body (a
    council by two of its names). ``aliases`` override both ways: a spelling given a canonical
    name joins that name's organisation; given itself, it stands alone.
    """
    spellings = {key: Counter(counter) for key, counter in spellings.items()}   # aliases may add to it
    parent = {key: key for key in spellings}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    name_of = {key: owner_name(counter.most_common(1)[0][0]) for key, counter in spellings.items()}
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for urn, seen in sightings.items():
        ordered = sorted(seen)
        for (date_a, a), (date_b, b) in pairwise(ordered):
            if a != b and a in parent and b in parent:
                evidence[tuple(sorted((a, b)))].append(f"{urn} {date_a} -> {date_b}")
    joined: dict[str, tuple[str, str, float | None]] = {}   # key -> (rule, evidence, score)
    for (a, b), seen_at in sorted(evidence.items()):
        match = spelling_match(name_of[a], name_of[b])
        if match is None and same_body is not None and same_body(name_of[a], name_of[b]):
            match = ("same council", None)
        if match is None:
            continue
        shown = "; ".join(seen_at[:3]) + (f"; and {len(seen_at) - 3} more" if len(seen_at) > 3 else "")
        for key, other in ((a, b), (b, a)):
            why = f"one provider listed under it and under {name_of[other]!r} in consecutive releases: {shown}"
            joined.setdefault(key, (match[0], why, match[1]))
        parent[root(a)] = root(b)
    groups: dict[str, set[str]] = defaultdict(set)
    for key in parent:
        groups[root(key)].add(key)
    members = {key: groups[root(key)] for key in parent}
    forced: dict[int, str] = {}   # id of a group -> the canonical name an alias gives it
    for alias in aliases:
        key, target = owner_key(alias.spelling), owner_key(alias.canonical)
        if key not in members:
            members[key] = {key}
            spellings.setdefault(key, Counter({alias.spelling: 0}))
        members[key].discard(key)
        group = members[target] if target != key and target in members else {key}
        group.add(key)
        for member in group:
            members[member] = group
        forced[id(group)] = owner_name(alias.canonical)
        joined[key] = ("alias: " + ("own organisation" if target == key else "merge"),
                       f"alias file: {alias.reason}" if alias.reason else "alias file", None)
    resolution = OwnerResolution()
    seen_groups: set[int] = set()
    for group in members.values():
        if id(group) in seen_groups or not group:
            continue
        seen_groups.add(id(group))
        counts: Counter = Counter()
        for key in group:
            counts.update(spellings.get(key, Counter()))
        preferred = forced.get(id(group)) or owner_name(min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0])
        target = organisation_key(preferred)
        resolution.label[target] = preferred
        for key in group:
            resolution.key_of[key] = target
            if len(group) > 1 or len(spellings.get(key, ())) > 1 or key in joined:
                rule, why, score = joined.get(key, (SAME_KEY, "", None))
                for spelling in sorted(spellings.get(key, Counter())):
                    resolution.merges.append(OwnerMerge(target, preferred, spelling, rule, why, score))
    resolution.merges.sort(key=lambda m: (m.key, m.spelling))
    return resolution
