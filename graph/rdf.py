"""Small helpers for building quads: typed literals and a per-graph quad collector."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pyoxigraph as ox

from . import ontology, vocab
from .vocab import ID, OK, ONTOLOGY_GRAPH, RDF, SKOS, XSD

ONTOLOGY_FILES = ("ofsted.ttl", "schemes.ttl", "regulations.ttl")

_CONCEPT_CLASS = {
    "grade": OK.Grade, "area": OK.InspectionArea, "provision-type": OK.ProvisionType, "sector": OK.Sector,
    "inspection-type": OK.InspectionType, "framework": OK.Framework, "role": OK.Role,
}


def string(value: object) -> ox.Literal | None:
    if value is None or value == "":
        return None
    return ox.Literal(str(value))


def integer(value: object) -> ox.Literal | None:
    if value is None or value == "":
        return None
    return ox.Literal(str(int(value)), datatype=XSD.integer)


def date(value: str | None) -> ox.Literal | None:
    """xsd:date for YYYY-MM-DD; xsd:gYearMonth / xsd:gYear for the partial dates news gives."""
    if not value:
        return None
    if len(value) == 10:
        return ox.Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return ox.Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4:
        return ox.Literal(value, datatype=XSD.gYear)
    return ox.Literal(value)


def boolean(value: bool | None) -> ox.Literal | None:
    if value is None:
        return None
    return ox.Literal("true" if value else "false", datatype=XSD.boolean)


@lru_cache(maxsize=1)
def scheme_triples() -> tuple[ox.Quad, ...]:
    """ontology/schemes.ttl, parsed once for everything that looks concepts up."""
    text = resources.files(ontology).joinpath("schemes.ttl").read_text(encoding="utf-8")
    return tuple(ox.parse(text, format=ox.RdfFormat.TURTLE))


@lru_cache(maxsize=1)
def known_concepts() -> frozenset[str]:
    """IRIs of the SKOS concepts ontology/schemes.ttl defines."""
    return frozenset(t.subject.value for t in scheme_triples() if t.predicate == SKOS.inScheme)


@lru_cache(maxsize=1)
def grade_ranks() -> dict[str, int]:
    """Grade token -> ok:rank in ontology/schemes.ttl (1 outstanding ... 4 inadequate); unranked grades are left out."""
    prefix = vocab.concept("grade", "").value
    return {t.subject.value[len(prefix):]: int(t.object.value)
            for t in scheme_triples() if t.predicate == OK.rank and t.subject.value.startswith(prefix)}


def ontology_quads() -> list[ox.Quad]:
    """The ontology, schemes and legislation catalogue, in the ontology graph."""
    quads = []
    for name in ONTOLOGY_FILES:
        source = resources.files(ontology).joinpath(name)
        if source.is_file():
            text = source.read_text(encoding="utf-8")
            quads += [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                      for t in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    return quads


class Quads:
    """Collects the quads of one named graph; ``add`` ignores a None object so optional fields need no ifs."""

    def __init__(self, graph: ox.NamedNode) -> None:
        self.graph = graph
        self.items: list[ox.Quad] = []

    def add(self, subject, predicate, obj) -> None:
        if obj is not None:
            self.items.append(ox.Quad(subject, predicate, obj, self.graph))

    def concept(self, scheme: str, key: str | None, label: str | None = None) -> ox.NamedNode | None:
        """The concept IRI for ``key`` in ``scheme``; a key the schemes lack is declared here, in this graph."""
        if not key:
            return None
        node = vocab.concept(scheme, key)
        if node.value not in known_concepts():
            self.add(node, RDF.type, _CONCEPT_CLASS[scheme])
            self.add(node, SKOS.inScheme, ox.NamedNode(f"{ID}{scheme}"))
            self.add(node, SKOS.notation, string(key))
            self.add(node, SKOS.prefLabel, ox.Literal(label or key.replace("-", " ").replace("_", " "), language="en"))
        return node


class QuadLines(Quads):
    """A :class:`Quads` whose ``items`` are N-Quads lines instead of Quad objects, for graphs that are
    only bulk-loaded: a line costs about a third of making a pyoxigraph Quad and serialising it
    later, and the statistics alone give some 1.5 million quads."""

    def __init__(self, graph: ox.NamedNode) -> None:
        super().__init__(graph)
        self.items: list[str] = []
        self._ending = f" {graph} .\n"

    def add(self, subject, predicate, obj) -> None:
        if obj is not None:
            # %-formatting calls str() directly; an f-string goes through __format__, about 1.7x slower here
            self.items.append("%s %s %s%s" % (subject, predicate, obj, self._ending))


def nquad_lines(quads: list[ox.Quad]) -> list[str]:
    """Quads as the N-Quads lines :class:`QuadLines` collects."""
    return [f"{quad} .\n" for quad in quads]
