"""SHACL (ontology/shapes.ttl) over built graphs, with pyshacl."""
import rdflib

from ofsted_kg.validate import shapes_graph, validate_graph

BAD = """
@prefix ok: <https://w3id.org/ofsted-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ofsted-kg/id/provider/NOT-A-URN> a ok:Provider ; ok:urn "NOT-A-URN" ; ok:places "many" .
<https://w3id.org/ofsted-kg/id/inspection/1> a ok:Inspection ; ok:startDate "5 December 2022" .
"""


def test_shapes_catch_a_bad_urn_places_that_are_not_a_number_and_an_inspection_of_nothing():
    report = validate_graph(rdflib.Graph().parse(data=BAD, format="turtle"))
    text = "\n".join(report.messages)
    assert report.violations >= 4
    assert "NOT-A-URN" in text and "ontology#places" in text and "ontology#inspected" in text


def test_every_class_in_the_ontology_with_instances_has_a_shape():
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targeted = {str(c) for c in shapes_graph().objects(None, sh.targetClass)}
    ok = "https://w3id.org/ofsted-kg/ontology#"
    for name in ("Provider", "ProviderSnapshot", "LocalAuthority", "Inspection", "Judgement", "Requirement",
                 "Recommendation", "Provision", "Instrument", "SourceDocument", "Claim", "Post", "RegistrationChange",
                 "Grade", "InspectionArea", "ProvisionType", "Sector", "InspectionType", "Framework", "Role",
                 "CouncilOwnedCompany"):
        assert ok + name in targeted, name


def test_the_full_built_graph_has_no_violations(built_store):
    from ofsted_kg.validate import validate_store

    report = validate_store(built_store)
    assert report.focus_nodes > 100_000
    assert report.violations == 0, "\n".join(report.messages[:20])



def test_data_graph_holds_what_n_triples_would_give(tmp_path):
    """graph.validate converts terms directly: the same triples as writing N-Triples and parsing them back."""
    from pathlib import Path

    import pyoxigraph as ox

    from ofsted_kg.rdf import ontology_quads
    from ofsted_kg.validate import constrained_predicates, data_graph

    extra = ('<https://w3id.org/ofsted-kg/id/provider/X1> <https://w3id.org/ofsted-kg/ontology#places> "many" <urn:g> .\n'
             '<https://w3id.org/ofsted-kg/id/provider/X1> <https://schema.org/name> "Hôme"@en <urn:g> .\n'
             '<https://w3id.org/ofsted-kg/id/provider/X1> <https://w3id.org/ofsted-kg/ontology#urn> "X1" <urn:g> .\n'
             '<https://w3id.org/ofsted-kg/id/provider/X1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
             '<https://w3id.org/ofsted-kg/ontology#Provider> <urn:g> .\n')
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_extend(ontology_quads())
    store.bulk_extend(list(ox.parse(path=str(Path(__file__).parent / "fixtures" / "queries" / "small.trig"),
                                    format=ox.RdfFormat.TRIG)))
    store.bulk_extend(list(ox.parse(extra, format=ox.RdfFormat.N_QUADS)))
    store.flush()
    judged = {ox.NamedNode(p) for p in constrained_predicates(shapes_graph())}
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store
               if q.predicate in judged or q.graph_name.value.endswith("/graph/ontology")}
    del store
    parsed = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    converted = data_graph(tmp_path / "store")
    assert len(converted) > 1000 and set(converted) == set(parsed)
    assert (rdflib.URIRef("https://w3id.org/ofsted-kg/id/provider/X1"),
            rdflib.URIRef("https://w3id.org/ofsted-kg/ontology#urn"), rdflib.Literal("X1")) in converted
    assert "ontology#places" in "\n".join(validate_graph(converted).messages)   # "many" is no number
