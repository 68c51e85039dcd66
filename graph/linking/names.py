"""Name resolution: one organisation for the many spellings of an owner's name, councils by place, people.

The rule (documented in docs/resolution.md): two names are one organisation when they are equal
after (1) Unicode folding and lower case, (2) "&" read as "and" and apostrophes dropped,
(3) punctuation read as spaces, (4) a leading "the" dropped, and (5) the legal-form suffix
written one way ("limited", "ltd." -> "ltd"; "public limited company" -> "plc";
"community interest company" -> "cic"; "limited liability partnership" -> "llp").
Nothing else is merged: "Cambian Childcare Ltd" and "Cambian Education Ltd" stay apart, and a
name without a legal suffix ("Nexus Fostering") is not merged with one that has it, because
a trading name and a company can differ.
"""
from __future__ import annotations

import re

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
