"""One name key for organisations, councils and people, whatever letters their names use.

A key folds case and accents (Siobhán -> siobhan, Łukasz -> lukasz), reads "&" as "and", drops
apostrophes and punctuation and a leading "The". Options say what else a comparison ignores.

>>> name_key("The Brook & Meadow Children's Home Ltd.")
'brook and meadow childrens home ltd'
>>> name_key("Nexus Fostering LIMITED") == name_key("Nexus Fostering Ltd")
True
>>> name_key("WORCESTERSHIRE'S Children’s Services", possessive=False, legal_suffix=False)
'worcestershire children services'
>>> name_key("Łukasz Nowak-Ní Mhaoláin")
'lukasz nowak ni mhaolain'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# letters that do not decompose into a base letter and an accent
_LATIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ß": "ss", "æ": "ae",
                        "œ": "oe", "þ": "th", "ð": "d"})
_APOSTROPHES = "'’‘`ʼ"
# the legal forms of a company, and their abbreviations
_SUFFIXES = [
    (r"\bpublic limited company$", "plc"),
    (r"\bcommunity interest company$", "cic"),
    (r"\blimited liability partnership$", "llp"),
    (r"\blimited$", "ltd"),
    (r"\bltd$", "ltd"),
    (r"\bp l c$", "plc"),
    (r"\bl t d$", "ltd"),
]
_LEGAL_WORDS = re.compile(r"\b(?:ltd|limited|plc|llp|cic|incorporated|inc|uk)\b")


def fold(text: str) -> str:
    """Lower case without accents; letters outside Latin scripts are kept as they are."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_LATIN))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def name_key(name: str, possessive: bool = True, legal_suffix: bool = True) -> str:
    """Words of ``name`` for comparison, space-separated.

    ``possessive=False`` drops a possessive "'s" ("Worcestershire's" -> "worcestershire");
    ``legal_suffix=False`` drops the legal forms (Ltd, Limited, plc, ...) wherever they stand, where
    by default a trailing one is kept in one spelling ("Limited" -> "ltd").
    """
    text = fold(name or "").replace("&", " and ")
    if not possessive:
        text = re.sub(rf"[{_APOSTROPHES}]s\b|s[{_APOSTROPHES}](?=\s|$)", "", text)
    text = re.sub(rf"[{_APOSTROPHES}]", "", text)
    if not legal_suffix:
        text = _LEGAL_WORDS.sub(" ", text)
    text = " ".join(re.sub(r"[\W_]+", " ", text).split())
    text = re.sub(r"^the\s+", "", text)
    if legal_suffix:
        for pattern, replacement in _SUFFIXES:
            text = re.sub(pattern, replacement, text)
    return text
