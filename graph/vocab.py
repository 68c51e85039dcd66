"""The project's vocabulary: namespaces as objects (``OK.Provider``) and the IRIs it mints.

Every ``OK.<name>`` used in the code must be defined in ontology/ofsted.ttl; a test checks it.
IRIs (DESIGN.md) are stable across rebuilds, derived only from identifiers in the sources; this is
the one module that writes the base IRI.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from pyoxigraph import NamedNode

BASE = "https://w3id.org/ofsted-kg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
LEGISLATION = "http://www.legislation.gov.uk/id/"
STANDARDS = ID + "standard/"
DERIVED_GRAPH = NamedNode(GRAPH + "derived")
ONTOLOGY_GRAPH = NamedNode(GRAPH + "ontology")


class Namespace:
    """Attribute or item access gives the IRI ``base + name`` as a pyoxigraph NamedNode."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = NamedNode(self._base + name)
        setattr(self, name, node)  # later lookups are plain attribute reads
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return getattr(self, name)

    def __str__(self) -> str:
        return self._base


OK = Namespace(BASE + "ontology#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "ok": str(OK), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
    "skos": str(SKOS), "org": str(ORG), "prov": str(PROV), "dct": str(DCT), "foaf": str(FOAF),
    "schema": str(SCHEMA),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


# ---------------------------------------------------------------- minted IRIs


@functools.lru_cache(maxsize=65536)   # people's and places' names recur in thousands of reports
def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Children's Home" -> "childrens-home"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’`]", "", text.lower()).replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def provider(urn: str) -> NamedNode:
    return NamedNode(f"{ID}provider/{urn.strip().upper()}")


def provider_snapshot(urn: str, date: str) -> NamedNode:
    return NamedNode(f"{ID}provider/{urn.strip().upper()}/snapshot/{date}")


def holding(owner_key: str, date: str, type_key: str | None) -> NamedNode:
    """An owner's places of one provision type at one snapshot date (``any`` when the type is missing)."""
    return NamedNode(f"{ID}organisation/{owner_key}/holding/{date}/{type_key or 'any'}")


def grade_change(later_inspection: NamedNode, urn: str) -> NamedNode:
    """The change of a provider's overall grade at ``later_inspection`` (one event can cover several providers)."""
    return NamedNode(f"{later_inspection.value}/grade-change/{urn.strip().upper()}")


def local_authority(ons_code: str) -> NamedNode:
    return NamedNode(f"{ID}local-authority/{ons_code}")


def organisation(key: str) -> NamedNode:
    """``key`` is an organisation key from linking.names.organisation_key."""
    return NamedNode(f"{ID}organisation/{key}")


def person(name: str) -> NamedNode:
    return NamedNode(f"{ID}person/{slug(name)}")


def inspection(event_number: str | None = None, urn: str | None = None, start_date: str | None = None,
               shared: bool = False) -> NamedNode:
    """By Ofsted event number where known, else by URN (or LA) and start date. ``shared``: the event
    number was first given to another provider (one visit to several homes), so this provider's
    inspection is its own node, the number followed by the URN."""
    if event_number and shared and urn:
        return NamedNode(f"{ID}inspection/{event_number.strip()}/{urn.strip().upper()}")
    if event_number:
        return NamedNode(f"{ID}inspection/{event_number.strip()}")
    if not (urn and start_date):
        raise ValueError("an inspection IRI needs an event number, or a URN and a start date")
    return NamedNode(f"{ID}inspection/{slug(urn) if not urn.strip().isalnum() else urn.strip().upper()}/{start_date}")


def finding(inspection_iri: NamedNode, kind: str, number: int) -> NamedNode:
    """kind is "requirement" or "recommendation"; number counts from 1 in document order."""
    return NamedNode(f"{inspection_iri.value}/{kind}/{number}")


def judgement(inspection_iri: NamedNode, area: str) -> NamedNode:
    return NamedNode(f"{inspection_iri.value}/judgement/{area}")


def post(holder: NamedNode, role: str, organisation_iri: NamedNode, date: str | None) -> NamedNode:
    holder_key = holder.value.rsplit("/", 1)[-1]
    org_key = organisation_iri.value.split("/id/", 1)[-1].replace("/", "-")
    return NamedNode(f"{ID}post/{holder_key}/{role}/{org_key}/{date or 'undated'}")


def registration_change(urn: str, change: str, year_or_date: str) -> NamedNode:
    return NamedNode(f"{ID}provider/{urn.strip().upper()}/{change}/{year_or_date}")


def departure(urn: str, date: str | None, source: str) -> NamedNode:
    """A provider's leaving the register as one source records it (a file, or a release it is missing from)."""
    return NamedNode(f"{ID}provider/{urn.strip().upper()}/departure/{date or 'undated'}/{slug(source)}")


def registration(urn: str) -> NamedNode:
    """A provider's joining the register (a URN is registered once)."""
    return NamedNode(f"{ID}provider/{urn.strip().upper()}/registration")


def claim(document_iri: NamedNode, number: int) -> NamedNode:
    return NamedNode(f"{document_iri.value}/claim/{number}")


def document(sha256: str) -> NamedNode:
    return NamedNode(f"{ID}document/{sha256[:16]}")


def concept(scheme: str, key: str) -> NamedNode:
    """A SKOS concept of ontology/schemes.ttl: scheme is grade, area, provision-type, sector, inspection-type, framework or role."""
    return NamedNode(f"{ID}{scheme}/{key}")



# ---------------------------------------------------------------- what findings cite

# Where a standards code's documents live under the project's own IRIs (codes: ingest/citations.py).
_STANDARD_SLUGS = {
    "nms/fostering-2011": "fostering-nms-2011",
    "nms/adoption-2014": "adoption-nms-2014",
    "nms/residential-family-centres-2013": "residential-family-centres-nms-2013",
    "qs/childrens-homes-2015": "childrens-homes-guide-2015",
    "qs/supported-accommodation-2023": "supported-accommodation-guide-2023",
    "nms/residential-special-schools-2022": "residential-special-schools-nms-2022",
    "nms/boarding-schools-2022": "boarding-schools-nms-2022",
}


def instrument_iri(instrument: str) -> str:
    """The IRI of an instrument code: legislation.gov.uk's for legislation, the project's for standards.

    >>> instrument_iri("nms/fostering-2011")
    'https://w3id.org/ofsted-kg/id/standard/fostering-nms-2011'
    """
    if instrument in _STANDARD_SLUGS:
        return STANDARDS + _STANDARD_SLUGS[instrument]
    if re.match(r"^(uksi|ukpga|ukla|asp|nisi|wsi)/\d{4}/\d+$", instrument):
        return LEGISLATION + instrument
    raise ValueError(f"unknown instrument code: {instrument!r}")


def provision_iri(instrument: str, provision: list[str]) -> str:
    """The IRI of a provision: regulation (section for Acts) path on legislation.gov.uk, dotted for standards.

    >>> provision_iri("ukpga/2000/14", ["22", "1"])
    'http://www.legislation.gov.uk/id/ukpga/2000/14/section/22/1'
    >>> provision_iri("nms/fostering-2011", ["26", "2"])
    'https://w3id.org/ofsted-kg/id/standard/fostering-nms-2011/26.2'
    """
    if not provision:
        return instrument_iri(instrument)
    if instrument in _STANDARD_SLUGS:
        return f"{instrument_iri(instrument)}/{'.'.join(provision)}"
    unit = "section" if instrument.startswith("ukpga/") else "regulation"
    return f"{instrument_iri(instrument)}/{unit}/{'/'.join(provision)}"


def parent_provisions(instrument: str, provision: list[str]) -> list[str]:
    """IRIs of the provisions that contain this one, from the regulation (or standard) down to its parent.

    >>> parent_provisions("uksi/2011/581", ["26", "2", "c"])
    ['http://www.legislation.gov.uk/id/uksi/2011/581/regulation/26', 'http://www.legislation.gov.uk/id/uksi/2011/581/regulation/26/2']
    """
    return [provision_iri(instrument, provision[:depth]) for depth in range(1, len(provision))]
