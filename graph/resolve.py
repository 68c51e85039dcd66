"""Entity resolution: one organisation for the many spellings of an owner's name.

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
import unicodedata
from functools import lru_cache

_SUFFIXES = [
    (r"\bpublic limited company$", "plc"),
    (r"\bcommunity interest company$", "cic"),
    (r"\blimited liability partnership$", "llp"),
    (r"\blimited$", "ltd"),
    (r"\bltd$", "ltd"),
    (r"\bp l c$", "plc"),
    (r"\bl t d$", "ltd"),
]

COUNCIL_WORDS = re.compile(
    r"\b(council|borough|county|city of|metropolitan|royal borough|corporation of london|council of the isles)\b", re.I)


@lru_cache(maxsize=65536)
def organisation_key(name: str) -> str:
    """The normalised key of an organisation name; equal keys are one organisation.

    >>> organisation_key("Nexus Fostering Ltd") == organisation_key("Nexus Fostering LTD")
    True
    >>> organisation_key("Cambian Childcare Limited") == organisation_key("Cambian Childcare Ltd.")
    True
    >>> organisation_key("Cambian Childcare Ltd") == organisation_key("Cambian Education Ltd")
    False
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^the\s+", "", text)
    for pattern, replacement in _SUFFIXES:
        text = re.sub(pattern, replacement, text)
    return text.replace(" ", "-")


def looks_like_council(name: str) -> bool:
    """True for owner names that are councils ("Worcestershire County Council")."""
    return bool(re.search(r"\bcouncil\b", name, re.I))


def council_place(name: str) -> str:
    """The place part of a council's name: "Stockton On Tees Borough Council" -> "stockton on tees"."""
    text = organisation_key(name).replace("-", " ")
    text = re.sub(r"\b(the|council|borough|county|city|metropolitan|district|royal|london|of|corporation|unitary|authority)\b", " ", text)
    return " ".join(text.split())
