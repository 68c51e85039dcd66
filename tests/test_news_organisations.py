"""News organisations: the gazetteer of names from records, the organisations an article's grammar shows,
and which organisation descriptions and pronouns refer to. Articles and names written for these tests."""
from ofsted_kg.ingest.news import Gazetteer, parse
from ofsted_kg.ingest.text import Document


def article(text: str, gazetteer=None) -> dict:
    return parse(Document(path="article.txt", sha256="", suffix=".txt", pages=[text]), gazetteer)


def names(record: dict) -> dict:
    return {o["name"]: o["kind"] for o in record["organisations"]}


GAZETTEER = Gazetteer.from_records(
    providers=[{"name": "Kestrel Family Partnership", "owner": "Kestrel Holdings Ltd"}, {"name": "Fostering Services"}],
    authorities=[{"names": ["Eastwick", "Northmoor"]}])


def test_the_gazetteer_finds_names_the_grammar_cannot():
    text = "Inspectors praised Kestrel Family Partnership for its support to carers, Ofsted said."
    assert "Kestrel Family Partnership" not in names(article("Ofsted visit\n\n" + text))
    assert names(article("Ofsted visit\n\n" + text, GAZETTEER))["Kestrel Family Partnership"] == "provider"


def test_councils_are_known_by_their_printed_forms_not_by_the_place_alone():
    record = article("Ofsted visit\n\nNorthmoor County Council was rated good by Ofsted. A home in Eastwick was praised.", GAZETTEER)
    assert names(record).get("Northmoor County Council") == "local_authority"
    assert "Eastwick" not in names(record)


def test_gazetteer_matches_whole_capitalised_words_only():
    assert GAZETTEER.find("kestrel family partnership") == []
    assert GAZETTEER.find("Kestrel Family Partnerships") == []
    assert GAZETTEER.find("the Kestrel Family Partnership's carers") == [(4, 30, "provider")]


def test_names_of_kind_words_alone_and_single_words_are_not_in_the_gazetteer():
    assert Gazetteer([("Fostering Services", "provider"), ("Eastwick", "local_authority")]).size == 0


def test_a_council_outranks_a_company_of_the_same_name():
    gazetteer = Gazetteer([("Eastwick Council", "company"), ("Eastwick Council", "local_authority")])
    assert gazetteer.find("Eastwick Council said") == [(0, len("Eastwick Council"), "local_authority")]


def test_the_operator_in_a_relative_clause_is_found_and_stands_for_an_unnamed_home():
    record = article("Children's home rated inadequate\n\nA children's home in Halsey has been judged inadequate by Ofsted.\n\n"
                     "The home, which is run by Amberline Residential Care and cannot be named, was inspected in June.\n\n"
                     "It was rated outstanding at its previous inspection.")
    assert names(record)["Amberline Residential Care"] == "provider"
    assert {c["subject"] for c in record["claims"]} == {"Amberline Residential Care"}


def test_a_company_with_a_legal_suffix_is_a_company():
    record = article("Agency rated good\n\nLarchfield Fostering, owned by Corvid Care Group Ltd, has been rated good by Ofsted.")
    assert names(record) == {"Larchfield Fostering": "provider", "Corvid Care Group Ltd": "company", "Ofsted": "regulator"}


def test_a_description_refers_to_the_organisation_in_focus_and_returns_to_the_main_one():
    record = article("Two agencies inspected\n\nRiverbend Fostering has been rated good by Ofsted.\n\nMoorland Foster Care, "
                     "an agency in Tenby Cross, was rated inadequate. The agency looks after 12 children.\n\n"
                     "Riverbend Fostering looks after 30 children. The agency also has 20 fostering households.")
    counts = {(c["subject"], c["predicate"], c["value"]) for c in record["claims"] if c["predicate"] in ("children", "households")}
    assert counts == {("Moorland Foster Care", "children", 12), ("Riverbend Fostering", "children", 30),
                      ("Riverbend Fostering", "households", 20)}


def test_an_organisation_named_in_passing_does_not_take_the_focus():
    record = article("Home to close\n\nBirchwood House, in Halsey, was rated inadequate by Ofsted.\n\nThe home is run by "
                     "Corvid Care Ltd, which also runs Hollin View children's home. Hollin View is rated outstanding.\n\n"
                     "The report said the home was caring for three children at the time of the inspection.")
    assert ("Birchwood House", "children", 3) in {(c["subject"], c["predicate"], c["value"]) for c in record["claims"]}


def test_a_place_a_record_uses_as_a_name_is_not_an_organisation():
    gazetteer = Gazetteer.from_records(owners=["Northmoor and Westdale"], authorities=[{"names": ["Northmoor and Westdale"]}])
    text = "Children in Northmoor and Westdale are served by Northmoor and Westdale Council."
    assert [text[s:e] for s, e, _ in gazetteer.find(text)] == ["Northmoor and Westdale Council"]


def test_a_gazetteer_name_printed_in_lower_case_words_is_not_a_mention():
    gazetteer = Gazetteer([("Care Leavers Hub", "provider")])
    assert gazetteer.find("Care leavers hub sessions") == []
    assert gazetteer.find("Care Leavers Hub sessions") == [(0, 16, "provider")]


def test_a_short_form_of_a_name_as_a_subject_refers_to_the_organisation():
    record = article("Agency rated good\n\nKingfisher Family Fostering has been rated good by Ofsted.\n\nMoorland Foster Care, "
                     "an agency in Tenby, was rated inadequate.\n\nKingfisher looks after 40 children, Ofsted found.")
    assert ("Kingfisher Family Fostering", "children", 40) in {
        (c["subject"], c["predicate"], c["value"]) for c in record["claims"]}


def test_a_short_form_the_article_uses_as_a_place_is_not_the_organisation():
    record = article("Agency rated good\n\nHalsey Family Fostering has been rated good by Ofsted.\n\nMoorland Foster Care, "
                     "an agency in Tenby, was rated inadequate. It looks after 40 children in Halsey.\n\n"
                     "Halsey welcomed the news.")
    assert ("Moorland Foster Care", "children", 40) in {(c["subject"], c["predicate"], c["value"]) for c in record["claims"]}
