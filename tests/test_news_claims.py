"""News claims, clause by clause: areas in coordinated lists, counts, dates against the article's date,
previous grades, and two organisations in one article keeping their own claims. Articles written for these tests."""
import pytest

from ofsted_kg.ingest.news import parse
from ofsted_kg.ingest.news.claims import _areas_after, _areas_before
from ofsted_kg.ingest.text import Document


def article(text: str, gazetteer=None) -> dict:
    return parse(Document(path="article.txt", sha256="", suffix=".txt", pages=[text]), gazetteer)


def claims_of(record: dict) -> list[tuple]:
    return [(c["subject"], c["predicate"], c["value"], c["area"], c["date"]) for c in record["claims"]]


def test_each_item_of_a_list_of_areas_after_the_grade_is_a_claim():
    record = article("Kestrel Fostering rated inadequate\n\nKestrel Fostering was rated inadequate by Ofsted for children's "
                     "overall experiences and progress, for how well they are helped and protected, and for the "
                     "effectiveness of its leaders and managers.")
    areas = [c["area"] for c in record["claims"] if c["predicate"] == "area_rating"]
    assert areas == ["overall_experiences_and_progress", "help_and_protection", "leadership_and_management"]


def test_areas_coordinated_in_the_subject_before_the_grade():
    text = "Both the overall experiences and progress of children and the way the agency helps and protects them were judged good."
    assert _areas_before(text, text.index("good")) == [
        ("overall_experiences_and_progress", "overall_effectiveness"), ("help_and_protection", "help_and_protection")]


def test_a_list_stops_at_a_clause_of_its_own():
    text = "It was rated good for how well children are helped and protected, but leadership was judged inadequate."
    assert _areas_after(text, text.index("good") + 4) == [("help_and_protection", "help_and_protection")]


def test_council_areas_given_to_with_a_superlative_grade():
    record = article("Ofsted has rated Eastwick County Council's children's services good overall.\n\nInspectors gave the top "
                     "grade to the experiences and progress of children in care and to the impact of leaders on social "
                     "work practice.")
    assert {(c["area"], c["value"]) for c in record["claims"] if c["predicate"] == "area_rating"} == {
        ("in_care", "outstanding"), ("leaders", "outstanding")}


def test_bulleted_judgements_each_give_an_area():
    record = article("Eastwick children's services rated requires improvement\n\nOfsted judged Eastwick Council's children's "
                     "services as requires improvement to be good. The judgements were:\n\n"
                     "• The impact of leaders on social work practice: requires improvement\n"
                     "• The experiences and progress of children in care: good\n"
                     "• The experiences and progress of care leavers: inadequate\n")
    assert {(c["area"], c["value"]) for c in record["claims"] if c["predicate"] == "area_rating"} == {
        ("leaders", "requires_improvement"), ("in_care", "good"), ("care_leavers", "inadequate")}


def test_two_agencies_keep_their_own_claims():
    record = article("Two agencies inspected\n\nRiverbend Fostering, based in Halsey, has been rated outstanding. It was "
                     "looking after thirty-one children.\n\nMoorland Foster Care, an agency in Tenby Cross, was rated "
                     "requires improvement, up from inadequate at its last inspection in 2021. The agency cares for almost "
                     "40 households.")
    assert claims_of(record) == [
        ("Riverbend Fostering", "rating", "outstanding", None, None),
        ("Riverbend Fostering", "children", 31, None, None),
        ("Moorland Foster Care", "rating", "requires_improvement", None, None),
        ("Moorland Foster Care", "previous_rating", "inadequate", None, "2021"),
        ("Moorland Foster Care", "other", "previous inspection", None, "2021"),
        ("Moorland Foster Care", "households", 40, None, None),
    ]


def test_a_place_in_an_appositive_is_not_the_rated_subject():
    record = article("Agency rated good\n\nAcorn Lane Fostering, an agency based in Station Road, Eastwick, has been rated "
                     "good by Ofsted.")
    assert claims_of(record) == [("Acorn Lane Fostering", "rating", "good", None, None)]
    assert "Eastwick" not in {o["name"] for o in record["organisations"]}


def test_counts_of_a_possessive_share_of_households():
    record = article("Agency praised\n\nAt the time of the inspection, 181 children were living with 126 of the agency's "
                     "fostering households at Larchfield Fostering, which Ofsted rated good.")
    assert ("Larchfield Fostering", "households", 126, None, None) in claims_of(record)


def test_an_inspection_date_range_read_against_the_article_date():
    record = article("Agency rated inadequate\n\nWednesday 22 January 2025\n\nLarchfield Fostering has been rated inadequate "
                     "by Ofsted.\n\nInspectors spent five days looking at the agency's work, from October 14 to 18 last year.")
    assert ("Larchfield Fostering", "inspection_date", "2024-10-14", None, "2024-10-14") in claims_of(record)


def test_a_grade_named_as_a_grade_after_the_word_area():
    record = article("Adoption agency inadequate\n\nWillowmere Adoption has been judged inadequate overall by Ofsted.\n\n"
                     "The one area to receive a good grade covered the experiences and progress of, and outcomes for, "
                     "children and young people.")
    assert ("Willowmere Adoption", "area_rating", "good", "overall_experiences_and_progress", None) in claims_of(record)


@pytest.mark.parametrize("sentence", [
    "Managers said areas that require improvement were being tackled.",
    "Inspectors said good progress had been made.",
    "The home could be rated inadequate if nothing changes.",
])
def test_grade_words_that_are_not_grades_give_no_claim(sentence):
    record = article("Larchfield Fostering inspected by Ofsted\n\n" + sentence)
    assert [c for c in record["claims"] if c["predicate"] in ("rating", "area_rating")] == []


def test_areas_coordinated_before_a_grade_that_is_the_verb():
    record = article("Agency told to improve\n\nStarling Foster Care has been inspected by Ofsted. Ofsted judged the "
                     "effectiveness of leaders and managers to be inadequate, while children's overall experiences and "
                     "progress and how well they are helped and protected both require improvement.")
    assert {(c["area"], c["value"]) for c in record["claims"] if c["predicate"] == "area_rating"} == {
        ("leadership_and_management", "inadequate"), ("overall_experiences_and_progress", "requires_improvement"),
        ("help_and_protection", "requires_improvement")}


def test_a_count_that_is_the_object_of_a_verb_of_caring_belongs_to_the_service():
    record = article("Agency told to improve\n\nAn independent fostering agency that looks after 54 children has been told "
                     "by Ofsted it requires improvement to be good.\n\nStarling Foster Care is based in Upton Heath.")
    assert [c["value"] for c in record["claims"] if c["predicate"] == "children"] == [54]


def test_a_previous_grade_is_not_dated_by_an_aside_about_the_visit():
    record = article("Northmoor services good\n\nThursday, 7 March 2024\n\nNorthmoor Council's children's services have been "
                     "rated good by Ofsted.\n\nInspectors, who visited in January, said the council had improved from "
                     "inadequate to good.")
    assert ("Northmoor Council", "previous_rating", "inadequate", None, None) in claims_of(record)
    assert ("Northmoor Council", "inspection_date", "2024-01", None, "2024-01") in claims_of(record)


def test_an_elliptical_clause_gives_the_same_grade_to_another_area():
    record = article("Eastwick services good\n\nEastwick Borough Council's children's services were rated good by Ofsted. The "
                     "experiences and progress of children who need help and protection were rated outstanding, as was the "
                     "impact of leaders on social work practice.")
    assert {(c["area"], c["value"]) for c in record["claims"] if c["predicate"] == "area_rating"} == {
        ("help_and_protection", "outstanding"), ("leaders", "outstanding")}


def test_a_change_of_grade_for_an_area_gives_the_previous_and_the_current_grade():
    record = article("Eastwick services improve\n\nEastwick Borough Council's children's services were rated good by Ofsted. "
                     "Services for care leavers improved from requires improvement to good for care leavers.")
    assert ("Eastwick Borough Council", "area_rating", "good", "care_leavers", None) in claims_of(record)
    assert ("Eastwick Borough Council", "previous_rating", "requires_improvement", None, None) in claims_of(record)
