"""SHACL (ontology/shapes.ttl) over built graphs, with pyshacl."""
import rdflib

from graph.validate import shapes_graph, validate_graph

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
    from graph.validate import validate_store

    report = validate_store(built_store)
    assert report.focus_nodes > 100_000
    assert report.violations == 0, "\n".join(report.messages[:20])
