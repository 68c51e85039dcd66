"""Citation labels -> instrument and provision; provision IRIs; the legislation catalogue."""
from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ofsted_kg import vocab
from ofsted_kg.ingest import citations
from ofsted_kg.ingest.citations import instruments_for_setting, instruments_named, parse_citation_text, parse_label
from ofsted_kg.vocab import parent_provisions, provision_iri

OK = rdflib.Namespace("https://w3id.org/ofsted-kg/ontology#")
CATALOGUE = Path(__file__).resolve().parents[1] / "ontology" / "regulations.ttl"


def test_docstring_examples_hold():
    assert doctest.testmod(citations).failed == 0 and doctest.testmod(vocab).failed == 0


@pytest.mark.parametrize("label, default, instrument, provision", [
    ("Regulation 26 (2)(c)(iii)", "uksi/2011/581", "uksi/2011/581", ["26", "2", "c", "iii"]),
    ("Regulation 12 (1)(2)(a)(i)", "uksi/2015/541", "uksi/2015/541", ["12", "1", "2", "a", "i"]),
    ("Regulation 17(1)", "uksi/2011/581", "uksi/2011/581", ["17", "1"]),
    ("Regulation 10 (1) of the Voluntary Adoption Agencies and the Adoption Agencies (Miscellaneous Amendments) "
     "Regulations 2003", "uksi/2005/389", "uksi/2003/367", ["10", "1"]),
    ("Regulation 25 Adoption Agencies Regulations 2005", "uksi/2003/367", "uksi/2005/389", ["25"]),
    ("Regulation 12 (1) The Residential Family Centres Regulations 2002", None, "uksi/2002/3213", ["12", "1"]),
    ("Regulation 5 of the Adoption Support Agencies (England) and Adoption Agencies (Miscellaneous Amendments) "
     "Regulations 2005", None, "uksi/2005/2720", ["5"]),
    ("Regulation 3 of the Some Unknown Regulations 2019", "uksi/2011/581", None, ["3"]),
    ("'Fostering services: national minimum standards', 26.2", None, "nms/fostering-2011", ["26", "2"]),
    ("'Guide to the Children's Homes Regulations, including the quality standards', page 49, paragraph 9.59",
     "uksi/2015/541", "qs/childrens-homes-2015", ["9", "59"]),
    ("'Adoption: national minimum standards', 10.4", None, "nms/adoption-2014", ["10", "4"]),
    ("'Residential family centres: national minimum standards', 12.3", None,
     "nms/residential-family-centres-2013", ["12", "3"]),
])
def test_labels_name_an_instrument_and_provision(label, default, instrument, provision):
    citation = parse_label(label, default_instrument=default)
    assert citation == {"label": label, "instrument": instrument, "provision": provision}


def test_one_parenthesis_can_cite_several_provisions():
    citations = parse_citation_text("Regulation 12 (1)(2)(a)(i) and Regulation 13 (2)(h)", "uksi/2015/541")
    assert [(c["label"], c["provision"]) for c in citations] == [
        ("Regulation 12 (1)(2)(a)(i)", ["12", "1", "2", "a", "i"]), ("Regulation 13 (2)(h)", ["13", "2", "h"])]
    assert [c["provision"] for c in parse_citation_text("Regulations 12 and 13", "uksi/2015/541")] == [["12"], ["13"]]
    guide = parse_citation_text("'Guide to the Children's Homes Regulations, including the quality standards', "
                                "page 49, paragraphs 9.59 and 9.60")
    assert [c["provision"] for c in guide] == [["9", "59"], ["9", "60"]]


@pytest.mark.parametrize("setting, regulations, standards", [
    ("independent fostering agency", "uksi/2011/581", "nms/fostering-2011"),
    ("children's home", "uksi/2015/541", "qs/childrens-homes-2015"),
    ("secure children's home", "uksi/2015/541", "qs/childrens-homes-2015"),
    ("voluntary adoption agency", "uksi/2003/367", "nms/adoption-2014"),
    ("adoption support agency", "uksi/2005/2720", "nms/adoption-2014"),
    ("residential family centre", "uksi/2002/3213", "nms/residential-family-centres-2013"),
    (None, None, None),
])
def test_a_setting_type_implies_its_regulations(setting, regulations, standards):
    assert instruments_for_setting(setting) == (regulations, standards)


def test_the_requirements_preamble_names_the_regulations():
    preamble = ("This section sets out the actions that the registered person(s) must take to meet the Care Standards "
                "Act 2000, Children's Homes (England) Regulations 2015 and the 'Guide to the Children's Homes "
                "Regulations, including the quality standards'.")
    assert instruments_named(preamble) == ["uksi/2015/541"]
    adoption = ("meet the Care Standards Act 2000, the Voluntary Adoption Agencies and the Adoption Agencies "
                "(Miscellaneous Amendments) Regulations 2003, the Adoption Agencies Regulations 2005 and the "
                "national minimum standards")
    assert instruments_named(adoption) == ["uksi/2003/367", "uksi/2005/389"]


def test_provision_iris():
    assert provision_iri("uksi/2011/581", ["26", "2", "c", "iii"]) == \
        "http://www.legislation.gov.uk/id/uksi/2011/581/regulation/26/2/c/iii"
    assert provision_iri("ukpga/2000/14", ["22"]) == "http://www.legislation.gov.uk/id/ukpga/2000/14/section/22"
    assert provision_iri("nms/fostering-2011", ["26", "2"]) == \
        "https://w3id.org/ofsted-kg/id/standard/fostering-nms-2011/26.2"
    assert provision_iri("qs/childrens-homes-2015", ["9", "59"]) == \
        "https://w3id.org/ofsted-kg/id/standard/childrens-homes-guide-2015/9.59"
    assert parent_provisions("uksi/2015/541", ["12", "1", "2", "a", "i"]) == [
        "http://www.legislation.gov.uk/id/uksi/2015/541/regulation/12",
        "http://www.legislation.gov.uk/id/uksi/2015/541/regulation/12/1",
        "http://www.legislation.gov.uk/id/uksi/2015/541/regulation/12/1/2",
        "http://www.legislation.gov.uk/id/uksi/2015/541/regulation/12/1/2/a",
    ]
    assert parent_provisions("nms/fostering-2011", ["26", "2"]) == [
        "https://w3id.org/ofsted-kg/id/standard/fostering-nms-2011/26"]
    with pytest.raises(ValueError):
        provision_iri("made/up", ["1"])


# ---------------------------------------------------------------- ontology/regulations.ttl

@pytest.fixture(scope="module")
def catalogue():
    graph = rdflib.Graph()
    graph.parse(CATALOGUE, format="turtle")
    return graph


@pytest.mark.parametrize("code, title", [
    ("ukpga/2000/14", "Care Standards Act 2000"),
    ("uksi/2011/581", "The Fostering Services (England) Regulations 2011"),
    ("uksi/2015/541", "The Children's Homes (England) Regulations 2015"),
    ("uksi/2005/389", "The Adoption Agencies Regulations 2005"),
    ("uksi/2003/367", "The Voluntary Adoption Agencies and the Adoption Agencies (Miscellaneous Amendments) Regulations 2003"),
    ("uksi/2005/2720", "The Adoption Support Agencies (England) and Adoption Agencies (Miscellaneous Amendments) Regulations 2005"),
    ("uksi/2002/3213", "The Residential Family Centres Regulations 2002"),
    ("nms/fostering-2011", "Fostering services: national minimum standards"),
    ("nms/adoption-2014", "Adoption: national minimum standards"),
    ("nms/residential-family-centres-2013", "Residential family centres: national minimum standards"),
    ("qs/childrens-homes-2015", "Guide to the Children's Homes Regulations, including the quality standards"),
    ("qs/supported-accommodation-2023", "Guide to the Supported Accommodation Regulations including the Quality Standards"),
])
def test_catalogue_holds_each_instrument(catalogue, code, title):
    iri = rdflib.URIRef(vocab.instrument_iri(code))
    assert (iri, RDF.type, OK.Instrument) in catalogue
    assert str(catalogue.value(iri, DCTERMS.title)) == title
    assert str(catalogue.value(iri, SKOS.notation)) == code
    year = re.search(r"(\d{4})", code).group(1)
    assert str(catalogue.value(iri, DCTERMS.issued)) == year


def test_catalogue_provisions_are_regulations_of_their_instrument(catalogue):
    provisions = list(catalogue.subjects(RDF.type, OK.Provision))
    assert len(provisions) > 150
    for provision in provisions:
        instrument = catalogue.value(provision, DCTERMS.isPartOf)
        number = str(catalogue.value(provision, OK.provisionNumber))
        code = str(catalogue.value(instrument, SKOS.notation))
        assert str(provision) == provision_iri(code, [number])
        assert str(catalogue.value(provision, RDFS.label)) == f"Regulation {number}"


QUALITY_STANDARDS = {
    6: "The quality and purpose of care standard", 7: "The children's views, wishes and feelings standard",
    8: "The education standard", 9: "The enjoyment and achievement standard",
    10: "The health and well-being standard", 11: "The positive relationships standard",
    12: "The protection of children standard", 13: "The leadership and management standard",
    14: "The care planning standard",
}


def test_catalogue_names_the_nine_quality_standards(catalogue):
    collection = rdflib.URIRef("https://w3id.org/ofsted-kg/id/collection/childrens-homes-quality-standards")
    members = {str(catalogue.value(m, OK.provisionNumber)): str(catalogue.value(m, DCTERMS.title))
               for m in catalogue.objects(collection, SKOS.member)}
    assert members == {str(number): title for number, title in QUALITY_STANDARDS.items()}


def test_quality_standard_titles_match_the_regulations_text(shared):
    text = (shared / "data" / "regulations" / "uksi_2015_541_flattened_text_thirdparty.txt").read_text(encoding="utf-8")
    for number, title in QUALITY_STANDARDS.items():
        body = text.split(f"\nRegulation {number}\n", 1)[1]
        assert body.startswith(f"1{title}"), number


def test_other_guidance_is_cited_by_paragraph_without_an_instrument():
    citation = parse_label("'The Children Act 1989 guidance and regulations volume 4: fostering services', "
                           "page 33, paragraph 5.51", default_instrument="uksi/2011/581")
    assert (citation["instrument"], citation["provision"]) == (None, ["5", "51"])


def test_older_regulations_of_the_same_name_are_not_the_current_ones():
    assert instruments_named("the Care Standards Act 2000, Children's Homes Regulations 2001 and the national "
                             "minimum standards") == ["uksi/2001/3967"]
    assert instruments_named("the Fostering Services Regulations 2002") == []
    assert instruments_named("the Fostering Services (England) Regulations 2011") == ["uksi/2011/581"]


def test_supported_accommodation_and_care_planning_regulations():
    assert instruments_for_setting("supported accommodation undertaking") == ("uksi/2023/416", "qs/supported-accommodation-2023")
    guide = parse_label("'Guide to the Supported Accommodation Regulations including the Quality Standards', page 31, paragraph 5.12")
    assert (guide["instrument"], guide["provision"]) == ("qs/supported-accommodation-2023", ["5", "12"])
    assert parse_label("Regulation 9 (1) of the Care Planning, Placement and Case Review (England) Regulations 2010",
                       "uksi/2015/541")["instrument"] == "uksi/2010/959"


def test_an_instrument_named_in_the_parenthesis_stays_with_its_regulation():
    citations = parse_citation_text("Regulation 9 (1) of the Care Planning, Placement and Case Review (England) "
                                    "Regulations 2010", "uksi/2015/541")
    assert [(c["instrument"], c["provision"]) for c in citations] == [("uksi/2010/959", ["9", "1"])]
    both = parse_citation_text("Regulation 10 (1) and Regulation 11 of the Voluntary Adoption Agencies and the "
                               "Adoption Agencies (Miscellaneous Amendments) Regulations 2003", "uksi/2005/389")
    assert [(c["instrument"], c["provision"]) for c in both] == [("uksi/2003/367", ["10", "1"]), ("uksi/2003/367", ["11"])]
