"""SHACL validation of a built store against ontology/shapes.ttl (pyshacl)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import rdflib

from . import ontology


@dataclass
class ValidationReport:
    violations: int
    focus_nodes: int
    shapes: int
    seconds: float
    messages: list[str] = field(default_factory=list)


def shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=resources.files(ontology).joinpath("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return graph


def constrained_predicates(shapes: rdflib.Graph) -> set[str]:
    """Every predicate a shape constrains (its sh:path), plus rdf:type for targets and sh:class."""
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    paths = {str(p) for p in shapes.objects(None, sh.path) if isinstance(p, rdflib.URIRef)}
    return paths | {str(rdflib.RDF.type)}


def data_graph(store_path: str | Path, shapes: rdflib.Graph | None = None) -> rdflib.Graph:
    """The union of the store's named graphs as an in-memory rdflib Graph, for validation.

    Only triples a shape can judge are loaded: those whose predicate is some shape's sh:path, the
    rdf:type triples (targets and sh:class), and the ontology (rdfs:subClassOf for sh:class). A
    triple whose predicate no shape mentions cannot cause a violation, so leaving it out changes
    nothing in the report and makes validation of the full graph several times faster.
    """
    from .store import EmbeddedStore
    from .vocab import ONTOLOGY_GRAPH

    shapes = shapes if shapes is not None else shapes_graph()
    store = EmbeddedStore(store_path).store
    predicates = " ".join(f"<{p}>" for p in sorted(constrained_predicates(shapes)))
    query = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
        {{ VALUES ?p {{ {predicates} }} ?s ?p ?o }}
        UNION {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} }} }}"""
    graph = rdflib.Graph()
    term = _rdflib_terms()
    graph.addN((term(t.subject), term(t.predicate), term(t.object), graph)
               for t in store.query(query, use_default_graph_as_union=True))
    return graph


def _rdflib_terms():
    """A converter from pyoxigraph terms to rdflib's, remembering each distinct term (types, grades and
    dates recur thousands of times): twice as fast as writing N-Triples and parsing them back. Terms
    come out as rdflib's N-Triples parser makes them: an xsd:string literal is a plain literal."""
    import pyoxigraph as ox

    known: dict = {}

    def convert(term):
        found = known.get(term)
        if found is None:
            if isinstance(term, ox.NamedNode):
                found = rdflib.URIRef(term.value)
            elif isinstance(term, ox.BlankNode):
                found = rdflib.BNode(term.value)
            elif term.language:
                found = rdflib.Literal(term.value, lang=term.language)
            elif term.datatype.value == XSD_STRING:
                found = rdflib.Literal(term.value)
            else:
                found = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
            known[term] = found
        return found

    return convert


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def validate_graph(data: rdflib.Graph) -> ValidationReport:
    import pyshacl

    started = time.perf_counter()
    shapes = shapes_graph()
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                            allow_warnings=True, abort_on_first=False, inplace=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    messages = []
    violations = 0
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        violations += 1
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        message = results.value(result, sh.resultMessage)
        messages.append(f"{focus} {path}: {message}")
    focus_nodes = len({s for s in data.subjects(rdflib.RDF.type, None)})
    shape_count = len(set(shapes.subjects(rdflib.RDF.type, sh.NodeShape)))
    return ValidationReport(violations, focus_nodes, shape_count, time.perf_counter() - started, sorted(messages))


def validate_store(store_path: str | Path) -> ValidationReport:
    """Validate the whole built graph (every named graph together) against ontology/shapes.ttl."""
    return validate_graph(data_graph(store_path))
