"""Vocabulary namespaces as objects (``OK.Provider``), producing pyoxigraph terms.

Every ``OK.<name>`` used in the code must be defined in ontology/ofsted.ttl; a test checks it.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

BASE = "https://w3id.org/ofsted-kg/"
ID = BASE + "id/"


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
