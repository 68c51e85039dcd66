"""Local authorities: the councils from la_lookup.csv, found by any of the names sources give them."""
from __future__ import annotations

import re

import pyoxigraph as ox
from rapidfuzz import fuzz

from .. import vocab
from ..linking.names import place_key
from ..rdf import Quads, integer, string
from ..vocab import DCT, OK, ORG, RDF, RDFS, SKOS


# what a council's name may carry after it: "(Social Care)", " - Children's Services"
_QUALIFIER = re.compile(r"\s*\([^)]*\)|\s+[-\u2013\u2014]\s+.*$")


def _contains(outer: list[str], inner: list[str]) -> bool:
    """Whether the words ``inner`` stand together, in order, inside ``outer``."""
    return bool(inner) and any(outer[i:i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


class CouncilIndex:
    """Look up a local authority by Ofsted LA URN or by any spelling of its name."""

    def __init__(self, authorities: list[dict]) -> None:
        self.authorities = authorities
        self.by_urn = {a["urn"]: a for a in authorities}
        self.by_ons = {a["ons_code"]: a for a in authorities}
        self._by_key: dict[str, dict] = {}
        self._near: dict[str, dict | None] = {}
        for authority in authorities:
            for name in authority["names"]:
                self._by_key.setdefault(place_key(name), authority)

    def find(self, name: str | None) -> dict | None:
        """The authority whose name matches ``name`` (a statistics LA column, a council owner, a report's LA).

        A name that is not one of the lookup's spellings is read, in turn, without a qualifier after
        the council ("X Council (Social Care)", "X Council - Social Care"), as a short form or a longer
        phrase holding exactly one authority's whole name ("Newcastle City Council" for Newcastle upon
        Tyne, "My Options Telford & Wrekin Council"), and with a slip of a letter or two in a long
        place name; each only when it points at one authority.
        """
        if not name:
            return None
        key = place_key(name)
        if key in self._by_key:
            return self._by_key[key]
        if name not in self._near:   # the statistics ask for the same few names thousands of times
            self._near[name] = self._closest(key, place_key(_QUALIFIER.sub("", name)))
        return self._near[name]

    def _closest(self, key: str, bare: str) -> dict | None:
        if bare in self._by_key:
            return self._by_key[bare]
        words = bare.split()
        if not words:
            return None
        inside = {id(a): a for k, a in self._by_key.items() if _contains(words, k.split()) or _contains(k.split(), words)}
        if len(inside) == 1:
            return next(iter(inside.values()))
        scored = [(fuzz.ratio(bare, k), id(a), a) for k, a in self._by_key.items() if len(k) >= 8]
        best = [s for s in scored if s[0] >= 90]
        if best and len({s[1] for s in best}) == 1:
            return best[0][2]
        return None

    def for_report(self, urn: str | None, name: str | None) -> dict | None:
        """The authority a report on a council's children's services is about.

        The URN a report record takes from its file name is trusted when the lookup knows it and one of that
        council's names shares its place words with the name the report prints (a file named after another
        council, or a URN the lookup lacks, falls back to the printed name).
        """
        authority = self.by_urn.get(urn or "")
        if authority and name:
            printed = set(place_key(name).split())
            if not any(printed and (printed <= set(place_key(n).split()) or set(place_key(n).split()) <= printed)
                       for n in authority["names"]):
                authority = None
        return authority or self.find(name)

    def iri_for(self, name: str | None) -> ox.NamedNode | None:
        authority = self.find(name)
        return vocab.local_authority(authority["ons_code"]) if authority else None


def map_lookup(authorities: list[dict], graph: ox.NamedNode) -> list[ox.Quad]:
    """Each local authority as a council organisation with codes, region and statistical neighbours."""
    quads = Quads(graph)
    for authority in authorities:
        node = vocab.local_authority(authority["ons_code"])
        quads.add(node, RDF.type, OK.LocalAuthority)
        quads.add(node, RDF.type, ORG.FormalOrganization)
        quads.add(node, SKOS.prefLabel, ox.Literal(authority["name"], language="en"))
        quads.add(node, RDFS.label, ox.Literal(authority["name"], language="en"))
        for name in authority["names"]:
            if name != authority["name"]:
                quads.add(node, SKOS.altLabel, ox.Literal(name, language="en"))
        quads.add(node, OK.onsCode, string(authority["ons_code"]))
        quads.add(node, OK.ofstedLaUrn, string(authority["urn"]))
        quads.add(node, OK.urn, string(authority["urn"]))
        quads.add(node, OK.laCode, string(authority["la_code"]))
        quads.add(node, OK.region, string(authority["region"]))
        quads.add(node, DCT.type, string(authority["la_type"]))
        quads.add(node, OK.populationAged0To25, integer(authority["population_0_25"]))
        for neighbour in authority["neighbours"]:
            quads.add(node, OK.statisticalNeighbour, vocab.local_authority(neighbour))
    return quads.items
