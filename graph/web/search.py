"""Search by name, URN, owner, council or person, forgiving spelling (rapidfuzz over the graph's labels).

The labels are read once by SPARQL when the server starts (and again when the store's version
changes): providers' names and URNs, organisations' preferred and alternative spellings, councils'
names and people's names, about 25,000 strings on the full store. Each query is then a fuzzy match
in memory (WRatio on accent-folded, lower-cased text), a few milliseconds, so "Siobhan" finds
"Siobhán", "nexus fostring" finds "Nexus Fostering" and "sc066400" finds the provider.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import anyio
from rapidfuzz import fuzz, process, utils

LABELS = """PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?thing ?label ?kind ?code WHERE {
  { ?thing a ok:Provider . { ?thing schema:name ?label } UNION { ?thing ok:urn ?label BIND(true AS ?code) } BIND("provider" AS ?kind) }
  UNION
  { ?thing a ok:LocalAuthority . { ?thing skos:prefLabel ?label } UNION { ?thing ok:onsCode ?label BIND(true AS ?code) }
    BIND("local authority" AS ?kind) }
  UNION
  { ?thing a org:Organization . { ?thing skos:prefLabel ?label } UNION { ?thing skos:altLabel ?label } BIND("organisation" AS ?kind) }
  UNION
  { ?thing a schema:Person ; schema:name ?label . BIND("person" AS ?kind) }
}"""

# a hit scores at least MIN_SCORE (WRatio, 0-100) and at most SPREAD below the best hit
MIN_SCORE = 70
SPREAD = 20

# what a hit shows beside its name: a provider's URN, council and owner
DETAILS = """PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?thing (SAMPLE(?urn_) AS ?urn) (SAMPLE(?la_) AS ?la) (SAMPLE(?owner_) AS ?owner) WHERE {
  ?thing a ok:Provider ; ok:urn ?urn_ .
  OPTIONAL { ?thing ok:localAuthorityName ?la_ }
  OPTIONAL { ?thing ok:ownedBy/skos:prefLabel ?owner_ }
} GROUP BY ?thing"""


def fold(text: str) -> str:
    """Lower-case text without accents: Siobhán -> siobhan, Łukasz -> lukasz."""
    # NFKD splits é into e + accent; Ł and Ø have no decomposition, so they are mapped by name
    decomposed = unicodedata.normalize("NFKD", text)
    plain = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if ord(char) > 127:
            name = unicodedata.name(char, "")
            if "LETTER" in name and " WITH " in name:
                base = name.split(" WITH ")[0].split("LETTER ")[-1]
                if len(base) == 1:
                    char = base
        plain.append(char)
    return utils.default_process("".join(plain))


@dataclass
class Hit:
    iri: str
    label: str
    kind: str
    score: float
    detail: str = ""
    matched: str = ""

    def as_dict(self) -> dict:
        return {"iri": self.iri, "label": self.label, "kind": self.kind, "score": round(self.score, 1),
                "detail": self.detail, "matched": self.matched}


@dataclass
class SearchIndex:
    backend: object
    ready: bool = False
    _choices: list[str] = field(default_factory=list)
    _owners: list[int] = field(default_factory=list)
    _raw: list[str] = field(default_factory=list)
    _things: list[tuple[str, str, str]] = field(default_factory=list)   # iri, label, kind
    _details: dict[str, str] = field(default_factory=dict)
    _generation: int = -1
    _lock: anyio.Lock | None = None

    async def load(self) -> None:
        """Read the labels from the store (again, when its version changed); one reader at a time."""
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:
            if self.ready and self._generation == self.backend.generation:
                return
            await self._read()

    async def _read(self) -> None:
        generation = self.backend.generation
        _, rows = await self.backend.select(LABELS)
        _, detail_rows = await self.backend.select(DETAILS)
        things: dict[str, int] = {}
        listed: list[tuple[str, str, str]] = []
        choices, owners, raw = [], [], []
        # names before codes (URNs, ONS codes), so that a thing is shown by its name
        for row in sorted(rows, key=lambda row: "code" in row):
            iri, label, kind = row["thing"]["value"], row["label"]["value"], row["kind"]["value"]
            if iri not in things:
                things[iri] = len(listed)
                listed.append((iri, label, kind))
            choices.append(fold(label))
            owners.append(things[iri])
            raw.append(label)
        details = {}
        for row in detail_rows:
            parts = [row[k]["value"] for k in ("urn", "la", "owner") if k in row]
            details[row["thing"]["value"]] = " · ".join(parts)
        self._things, self._choices, self._owners, self._raw, self._details = listed, choices, owners, raw, details
        self._generation = generation
        self.ready = True

    async def find(self, text: str, limit: int = 25) -> list[Hit]:
        """The best matches for ``text``, one per thing, best first."""
        if not self.ready or self._generation != self.backend.generation:
            await self.load()
        return await anyio.to_thread.run_sync(self._match, text, limit)

    def _match(self, text: str, limit: int) -> list[Hit]:
        query = fold(text)
        if not query:
            return []
        best: dict[int, tuple[float, str]] = {}
        for choice, score, index in process.extract(query, self._choices, scorer=fuzz.WRatio, limit=limit * 4,
                                                    score_cutoff=MIN_SCORE, processor=None):
            owner = self._owners[index]
            # an exact match (a URN, a whole name) goes first whatever WRatio says of longer names
            score = 101.0 if choice == query else score
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, self._raw[index])
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], self._things[item[0]][1]))[:limit]
        # WRatio gives 60-70 to names that share a few letters with the query ("Ambient" for "cambian"):
        # keep those only when nothing matches better
        if ranked:
            floor = max(MIN_SCORE, ranked[0][1][0] - SPREAD)
            ranked = [item for item in ranked if item[1][0] >= floor]
        hits = []
        for owner, (score, matched) in ranked:
            iri, label, kind = self._things[owner]
            hits.append(Hit(iri, label, kind, min(score, 100.0), self._details.get(iri, ""), matched))
        return hits
