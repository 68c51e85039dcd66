"""The news reader: the four seed articles field by field, our own articles in other styles, and single rules."""
import json
from pathlib import Path

import pytest

from ofsted_kg.ingest.extract import detect_kind, extract
from ofsted_kg.ingest.news import find_dates, parse, words_to_int
from ofsted_kg.ingest.text import Document

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "news_expected.json").read_text(encoding="utf-8"))


def article(text: str) -> dict:
    return parse(Document(path="article.txt", sha256="", suffix=".txt", pages=[text]))


def claims_of(record: dict) -> list[tuple]:
    return [(c["subject"], c["predicate"], c["value"], c["area"], c["date"]) for c in record["claims"]]


# --- the seed articles, against records read by hand ---------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("part", ["article", "people", "organisations", "claims"])
def test_seed_article_matches_hand_read_record(shared, name, part):
    record = extract(shared / "seeds" / name, "news")
    assert record["errors"] == []
    assert record[part] == EXPECTED[name][part]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_articles_are_detected_as_news(shared, name):
    assert extract(shared / "seeds" / name)["source"]["kind"] == "news"


def test_nexus_article_counts_are_the_article_numbers_not_the_report_numbers():
    nexus = EXPECTED["000_f7da0fee7ee110b9.txt"]["claims"]
    assert ("Nexus Fostering", "children", 420) in [(c["subject"], c["predicate"], c["value"]) for c in nexus]
    assert ("Nexus Fostering", "households", 291) in [(c["subject"], c["predicate"], c["value"]) for c in nexus]


def test_every_claim_quote_is_a_sentence_of_its_article(shared):
    for name, expected in EXPECTED.items():
        text = " ".join((shared / "seeds" / name).read_text(encoding="utf-8").split())
        for claim in expected["claims"]:
            assert claim["quote"] in text


# --- our own articles in other styles ------------------------------------------------------

def test_headline_only_rating_and_byline_date():
    record = extract(FIXTURES / "news" / "headline_only.txt", "news")
    assert record["article"] == {"title": "Sunnyside Fostering rated 'inadequate' by Ofsted", "published": "2024-03-14"}
    assert claims_of(record) == [
        ("Sunnyside Fostering", "rating", "inadequate", None, None),
        ("Sunnyside Fostering", "inspection_date", "2024-02", None, "2024-02"),  # "in February", before 14 March 2024
        ("Sunnyside Fostering", "children", 38, None, None),
        ("Sunnyside Fostering", "households", 25, None, None),
    ]
    assert record["claims"][0]["quote"] == "Sunnyside Fostering rated 'inadequate' by Ofsted"
    assert record["people"] == [{"name": "Mark Ellis", "role": "director", "title": "director", "organisation": "Sunnyside Fostering"}]


def test_quotes_first_article_with_dateline_at_the_end():
    record = extract(FIXTURES / "news" / "quotes_first.txt", "news")
    assert record["article"] == {"title": None, "published": "2023-06-02"}
    assert claims_of(record) == [
        ("Maple Lodge", "rating", "outstanding", None, "2023-05"),
        ("Maple Lodge", "inspection_date", "2023-05", None, "2023-05"),
        ("Maple Lodge", "previous_rating", "good", None, "2021"),
        ("Maple Lodge", "children", 4, None, None),  # "up to five" is capacity, not children
    ]
    assert record["people"] == [{"name": "Priya Shah", "role": "registered_manager", "title": "registered manager",
                                 "organisation": "Maple Lodge"}]
    assert {"name": "Maple Lodge", "kind": "provider"} in record["organisations"]


def test_ratings_in_a_bulleted_list_and_counts_in_words():
    record = extract(FIXTURES / "news" / "bulleted.txt", "news")
    assert record["article"] == {"title": "Ofsted report on Brightstart Fostering published", "published": "2023-11-08"}
    assert claims_of(record) == [
        ("Brightstart Fostering", "inspection_date", "2023-10", None, "2023-10"),
        ("Brightstart Fostering", "rating", "good", None, None),
        ("Brightstart Fostering", "area_rating", "good", "overall_experiences_and_progress", None),
        ("Brightstart Fostering", "area_rating", "good", "help_and_protection", None),
        ("Brightstart Fostering", "area_rating", "requires_improvement", "leadership_and_management", None),
        ("Brightstart Fostering", "children", 42, None, None),
        ("Brightstart Fostering", "households", 28, None, None),
    ]
    assert record["claims"][2]["quote"] == "Overall experiences and progress of children and young people: Good"


def test_html_page_title_byline_and_article_body_only():
    record = extract(FIXTURES / "news" / "council_page.html", "news")
    assert record["source"]["kind"] == "news"
    assert record["article"] == {"title": "Dudley children's services judged to require improvement", "published": "2023-10-03"}
    assert record["organisations"] == [{"name": "Dudley Council", "kind": "local_authority"}, {"name": "Ofsted", "kind": "regulator"}]
    assert claims_of(record) == [
        ("Dudley Council", "rating", "requires_improvement", None, None),
        ("Dudley Council", "previous_rating", "inadequate", None, "2019"),  # "up from inadequate in 2019"
        ("Dudley Council", "inspection_date", "2023-08", None, "2023-08"),
        ("Dudley Council", "area_rating", "good", "care_leavers", None),
        ("Dudley Council", "area_rating", "requires_improvement", "leaders", None),
    ]
    assert record["people"] == [{"name": "Ruth Buckley", "role": "councillor",
                                 "title": "cabinet member for children and young people", "organisation": "Dudley Council"}]
    # the "Most read" box outside <article> rates a school: not this article's claim
    assert all("Hill Top" not in c["quote"] for c in record["claims"])


def test_childrens_home_rated_inadequate_with_registered_manager():
    record = extract(FIXTURES / "news" / "childrens_home_inadequate.txt", "news")
    assert claims_of(record) == [
        ("children's home in Redditch", "rating", "inadequate", None, None),  # "lowest Ofsted rating"
        ("children's home in Redditch", "area_rating", "inadequate", "leadership_and_management", None),
        ("children's home in Redditch", "area_rating", "requires_improvement", "help_and_protection", None),
        ("children's home in Redditch", "inspection_date", "2023-09-12", None, "2023-09-12"),
    ]
    assert record["people"] == [{"name": "Karen Hollis", "role": "registered_manager", "title": "registered manager",
                                 "organisation": None}]


def test_article_without_ofsted_content_gives_no_claims_and_no_error():
    record = extract(FIXTURES / "news" / "no_ofsted.txt", "news")
    assert record["errors"] == []
    assert record["claims"] == []
    assert record["article"]["title"] == "New bin collection days start next month"


def test_fixture_articles_are_detected_as_news():
    for name in ("headline_only.txt", "quotes_first.txt", "bulleted.txt", "council_page.html", "childrens_home_inadequate.txt"):
        assert extract(FIXTURES / "news" / name)["source"]["kind"] == "news", name


def test_news_story_mentioning_a_monitoring_visit_is_still_news():
    text = ('Oak House has been rated inadequate after an Ofsted monitoring visit. '
            '"We are working hard to put this right," said the manager.')
    assert detect_kind(text) == "news"


# --- single rules ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Hilltop Fostering was judged to require improvement.", ("rating", "requires_improvement", None)),
    ("Hilltop Fostering was rated 'Good' in its latest report.", ("rating", "good", None)),
    ("Hilltop Fostering was given the top rating by Ofsted.", ("rating", "outstanding", None)),
    ("Hilltop Fostering is now good, up from requires improvement.", ("previous_rating", "requires_improvement", None)),
    ("Hilltop Fostering was found inadequate in leadership by Ofsted inspectors.", ("area_rating", "inadequate", "leadership_and_management")),
    ("At Hilltop Fostering, leadership and management was judged inadequate.", ("area_rating", "inadequate", "leadership_and_management")),
    ("Hilltop Fostering had been rated requires improvement in 2019.", ("previous_rating", "requires_improvement", None)),
    ("Hilltop Fostering was previously rated good.", ("previous_rating", "good", None)),
])
def test_rating_phrasings(sentence, expected):
    record = article("Ofsted report\n\n" + sentence)
    found = [(c["predicate"], c["value"], c["area"]) for c in record["claims"] if c["predicate"] != "inspection_date"]
    assert expected in found
    assert all(c["subject"] == "Hilltop Fostering" for c in record["claims"])


@pytest.mark.parametrize("sentence", [
    "Inspectors said good progress had been made by Hilltop Fostering.",
    "Hilltop Fostering has good oversight of education, Ofsted said.",
    "There are still areas that require improvement at Hilltop Fostering, Ofsted said.",
    "Leaving care work needed improvement, according to Ofsted.",
])
def test_grade_words_that_are_not_ratings(sentence):
    assert article(sentence)["claims"] == []


def test_previous_rating_with_a_year_has_that_year():
    record = article("Hilltop Fostering was rated outstanding by Ofsted. It had been rated good in 2019.")
    assert claims_of(record) == [("Hilltop Fostering", "rating", "outstanding", None, None),
                                 ("Hilltop Fostering", "previous_rating", "good", None, "2019")]


def test_two_services_in_one_sentence_keep_their_own_grades():
    record = article("Ofsted rated Oak Fostering good, while Elm Fostering was rated inadequate.")
    assert claims_of(record) == [("Oak Fostering", "rating", "good", None, None),
                                 ("Elm Fostering", "rating", "inadequate", None, None)]


def test_chief_executive_quoted_after_the_name():
    record = article("Rowan Fostering rated good\n\nJo Bloggs, chief executive of Rowan Fostering, said: \"We are pleased.\"")
    assert record["people"] == [{"name": "Jo Bloggs", "role": "chief_executive", "title": "chief executive",
                                 "organisation": "Rowan Fostering"}]


@pytest.mark.parametrize("text, published, value", [
    ("the inspection in September 2021", None, "2021-09"),
    ("published on July 29 2019", None, "2019-07-29"),
    ("on 5th March 2024", None, "2024-03-05"),
    ("inspectors visited in February", "2023-04-02", "2023-02"),
    ("inspectors visited in November", "2023-04-02", "2022-11"),
    ("inspectors visited in February", None, None),
    ("the last inspection in 2022", None, "2022"),
    ("in the report published on Friday, July 14", "2023-07-20", "2023-07-14"),
    ("inspected from 5 to 9 December 2022", None, "2022-12-05"),
    ("an inspection on 28 November to 2 December 2022", None, "2022-11-28"),
    ("visited from 28 December to 2 January 2023", None, "2022-12-28"),
])
def test_dates_are_resolved_only_against_a_printed_publication_date(text, published, value):
    assert [d.value for d in find_dates(text, published)] == [value]


@pytest.mark.parametrize("words, number", [("356", 356), ("1,204", 1204), ("forty-two", 42), ("twenty eight", 28),
                                           ("three hundred and twelve", 312), ("a hundred", 100), ("many", None)])
def test_numbers_in_digits_or_words(words, number):
    assert words_to_int(words) == number


def test_a_nursery_in_the_same_sentence_lends_its_grade_to_nobody():
    record = article("A Kidderminster nursery has been rated good by Ofsted, up from requires improvement, "
                     "while Stourport's Acorn Fostering kept its outstanding rating.")
    assert claims_of(record) == [("Acorn Fostering", "rating", "outstanding", None, None)]


def test_the_company_that_runs_an_unnamed_home_stands_for_it():
    record = article("A children's home run by Horizon Care Ltd has been judged inadequate after a visit by inspectors "
                     "in November 2023.\n\nOfsted had rated the home requires improvement to be good in May 2022.")
    assert claims_of(record) == [("Horizon Care Ltd", "rating", "inadequate", None, "2023-11"),
                                 ("Horizon Care Ltd", "inspection_date", "2023-11", None, "2023-11"),
                                 ("Horizon Care Ltd", "previous_rating", "requires_improvement", None, "2022-05")]
    assert {"name": "Horizon Care Ltd", "kind": "company"} in record["organisations"]


def test_a_named_home_keeps_its_claims_from_the_company_that_runs_it():
    record = article("Oak Lodge, a children's home run by Horizon Care Ltd, has been judged inadequate by Ofsted.")
    assert claims_of(record) == [("Oak Lodge", "rating", "inadequate", None, None)]


def test_a_childrens_trust_named_before_an_aside_is_the_subject():
    record = article("Birmingham Children's Trust, which runs children's social care on behalf of Birmingham City Council, "
                     "has been rated good by Ofsted for the first time.")
    assert claims_of(record) == [("Birmingham Children's Trust", "rating", "good", None, None)]


def test_last_time_it_was_inspected_is_the_previous_grade():
    record = article("Leeds City Council's fostering service has been graded outstanding across the board by Ofsted.\n\n"
                     "The last time it was inspected, in 2019, it was judged good.")
    assert claims_of(record) == [("Leeds City Council", "rating", "outstanding", None, None),
                                 ("Leeds City Council", "previous_rating", "good", None, "2019"),
                                 ("Leeds City Council", "other", "previous inspection", None, "2019")]


def test_council_ilacs_grades_listed_one_per_line():
    record = article("The Ofsted grades were:\nOverall effectiveness: Requires improvement to be good\n"
                     "The impact of leaders on social work practice with children and families: Good\n"
                     "The experiences and progress of children who need help and protection: Requires improvement to be good\n"
                     "The experiences and progress of children in care: Good\n"
                     "The experiences and progress of care leavers: Inadequate\n\n"
                     "Norfolk County Council leader Kay Mason Billig said the authority would act quickly.")
    assert claims_of(record) == [
        ("Norfolk County Council", "rating", "requires_improvement", None, None),
        ("Norfolk County Council", "area_rating", "requires_improvement", "overall_effectiveness", None),
        ("Norfolk County Council", "area_rating", "good", "leaders", None),
        ("Norfolk County Council", "area_rating", "requires_improvement", "help_and_protection", None),
        ("Norfolk County Council", "area_rating", "good", "in_care", None),
        ("Norfolk County Council", "area_rating", "inadequate", "care_leavers", None),
    ]
    assert record["people"] == [{"name": "Kay Mason Billig", "role": "councillor", "title": "leader",
                                 "organisation": "Norfolk County Council"}]


def test_a_move_in_the_past_makes_both_ends_previous():
    record = article("Hillside Fostering received a 'good' grade from Ofsted, having been downgraded from outstanding "
                     "to requires improvement in 2021.")
    assert claims_of(record) == [("Hillside Fostering", "rating", "good", None, None),
                                 ("Hillside Fostering", "previous_rating", "outstanding", None, None),
                                 ("Hillside Fostering", "previous_rating", "requires_improvement", None, "2021")]


def test_ofsted_officials_belong_to_ofsted():
    record = article("Ofsted's national director for social care, Yvette Stanley, said the sector faced pressure.")
    assert record["people"] == [{"name": "Yvette Stanley", "role": "director", "title": "national director for social care",
                                 "organisation": "Ofsted"}]


def test_place_possessive_title_ties_the_director_to_the_council():
    record = article("The Ofsted rating for Solihull Council's children's services remains 'inadequate' after inspectors "
                     "returned in September 2023.\n\nSolihull's director of children's services, Andy Tuckwell, said "
                     "improvements were under way.")
    assert claims_of(record) == [("Solihull Council", "rating", "inadequate", None, "2023-09"),
                                 ("Solihull Council", "inspection_date", "2023-09", None, "2023-09")]
    assert record["people"] == [{"name": "Andy Tuckwell", "role": "director", "title": "director of children's services",
                                 "organisation": "Solihull Council"}]


@pytest.mark.parametrize("text, expected", [
    ("Oak Fostering was rated good by Ofsted. It was rated inadequate in 2018.",
     [("Oak Fostering", "rating", "good", None, None), ("Oak Fostering", "previous_rating", "inadequate", None, "2018")]),
    ("Ash Fostering was rated good by Ofsted in March 2023. The agency was rated requires improvement in June 2020.",
     [("Ash Fostering", "rating", "good", None, "2023-03"), ("Ash Fostering", "previous_rating", "requires_improvement", None, "2020-06")]),
    ("Bradford children's services rated 'inadequate' again\n\nInspectors found failures at Bradford Council, "
     "which was also rated inadequate in 2018.",
     [("Bradford Council", "rating", "inadequate", None, None), ("Bradford Council", "previous_rating", "inadequate", None, "2018")]),
])
def test_dated_past_grades_are_previous(text, expected):
    assert claims_of(article(text)) == expected


@pytest.mark.parametrize("head, published", [
    ("Published date\n14 July 2023\n\n", "2023-07-14"),
    ("BY JANE DOE | 3 October 2023\n\n", "2023-10-03"),
    ("Thursday, 7 September 2023, 6:00 am\n\n", "2023-09-07"),
    ("Updated: 14:00, 21 June 2024\n\n", None),
    ("Published date\nNews category\n\n", None),
])
def test_publication_date_is_printed_or_null(head, published):
    record = article("Oak Fostering rated good\n\n" + head + "Oak Fostering was rated good by Ofsted, published on 1 May 2020.")
    assert record["article"]["published"] == published


def test_grade_words_in_an_article_not_about_ofsted_are_not_claims():
    record = article("Cafe praised\n\nThe Corner Cafe was rated good by diners, and Jane Smith was given a good rating by her staff.")
    assert record["claims"] == [] and record["errors"] == []


def test_a_provider_is_whatever_ofsted_rated():
    record = article("Five Rivers Child Care has been rated good by Ofsted.")
    assert record["organisations"] == [{"name": "Five Rivers Child Care", "kind": "provider"}, {"name": "Ofsted", "kind": "regulator"}]
    assert claims_of(record) == [("Five Rivers Child Care", "rating", "good", None, None)]


def test_judgement_rows_copied_from_a_report():
    record = article("Ofsted's judgements for Beacon Fostering\n\n"
                     "Overall experiences and progress of children and young people, taking into account Outstanding\n"
                     "How well children and young people are helped and protected Good\n"
                     "The effectiveness of leaders and managers Outstanding")
    assert [(c["predicate"], c["value"], c["area"]) for c in record["claims"]] == [
        ("rating", "outstanding", None),
        ("area_rating", "outstanding", "overall_experiences_and_progress"),
        ("area_rating", "good", "help_and_protection"),
        ("area_rating", "outstanding", "leadership_and_management"),
    ]
    assert {c["subject"] for c in record["claims"]} == {"Beacon Fostering"}


def test_html_page_without_article_element_leaves_out_menus_related_boxes_and_footer():
    record = extract(FIXTURES / "news" / "plain_page.html", "news")
    assert record["article"] == {"title": "Rowan Lodge children's home rated outstanding", "published": "2024-05-17"}
    assert claims_of(record) == [
        ("Rowan Lodge", "rating", "outstanding", None, None),
        ("Rowan Lodge", "children", 3, None, None),  # "registered for four children" is capacity
        ("Rowan Lodge", "inspection_date", "2024-04-23", None, "2024-04-23"),
        ("Rowan Lodge", "previous_rating", "good", None, "2022"),
        ("Rowan Lodge", "other", "previous inspection", None, "2022"),
    ]
    assert record["people"] == [{"name": "Dawn Pryce", "role": "registered_manager", "title": "registered manager",
                                 "organisation": "Rowan Lodge"}]
    assert all("Elm Tree" not in c["quote"] for c in record["claims"])


def test_council_area_grades_in_running_text():
    record = article("Ofsted has given Herefordshire Council's children's services a 'good' rating.\n\n"
                     "The authority's services for children in care were judged to require improvement.\n\n"
                     "Ofsted judged the effectiveness of leaders and managers to be inadequate.")
    assert claims_of(record) == [("Herefordshire Council", "rating", "good", None, None),
                                 ("Herefordshire Council", "area_rating", "requires_improvement", "in_care", None),
                                 ("Herefordshire Council", "area_rating", "inadequate", "leaders", None)]


def test_a_rated_name_with_its_abbreviation():
    record = article("Adoption Central England (ACE) has been rated outstanding by Ofsted.")
    assert claims_of(record) == [("Adoption Central England", "rating", "outstanding", None, None)]


# --- council stories ---------------------------------------------------------------------

def test_ldrs_council_story_with_area_grades_and_three_speakers():
    record = extract(FIXTURES / "news" / "ldrs_council_good.txt")
    assert record["source"]["kind"] == "news"
    assert record["article"] == {"title": "Stockport Council's children's services rated 'good' by Ofsted", "published": "2024-03-12"}
    assert record["organisations"] == [{"name": "Stockport Council", "kind": "local_authority"}, {"name": "Ofsted", "kind": "regulator"}]
    assert claims_of(record) == [
        ("Stockport Council", "rating", "good", None, None),
        ("Stockport Council", "inspection_date", "2024-01-22", None, "2024-01-22"),  # "between 22 January and 2 February"
        ("Stockport Council", "area_rating", "good", "leaders", None),
        ("Stockport Council", "area_rating", "outstanding", "in_care", None),
        ("Stockport Council", "area_rating", "good", "care_leavers", None),
        ("Stockport Council", "area_rating", "requires_improvement", "help_and_protection", None),
        ("Stockport Council", "previous_rating", "requires_improvement", None, "2019"),
        ("Stockport Council", "other", "previous inspection", None, "2019"),
    ]
    assert record["claims"][3]["quote"] == ("The experiences and progress of children in care were judged 'outstanding', while the "
                                            "experiences and progress of care leavers were rated 'good'.")
    assert record["people"] == [
        {"name": "Jane Smith", "role": "councillor", "title": "cabinet member for children and families", "organisation": "Stockport Council"},
        {"name": "Tom Price", "role": "director", "title": "director of children's services", "organisation": "Stockport Council"},
        {"name": "Caroline Simms", "role": "chief_executive", "title": "chief executive", "organisation": "Stockport Council"},
    ]


def test_html_council_page_leaves_out_cookie_banner_share_bar_related_links_and_comments():
    record = extract(FIXTURES / "news" / "council_remains_inadequate.html")
    assert record["source"]["kind"] == "news"
    assert record["article"] == {"title": "Kirklees children's services remain 'inadequate' after Ofsted visit", "published": "2024-02-20"}
    assert record["organisations"] == [{"name": "Kirklees Council", "kind": "local_authority"}, {"name": "Ofsted", "kind": "regulator"}]
    assert claims_of(record) == [
        ("Kirklees Council", "rating", "inadequate", None, None),
        ("Kirklees Council", "inspection_date", "2024-01-08", None, "2024-01-08"),
        ("Kirklees Council", "previous_rating", "inadequate", None, "2022-10"),
        ("Kirklees Council", "area_rating", "inadequate", "leaders", None),
        ("Kirklees Council", "area_rating", "inadequate", "help_and_protection", None),
        ("Kirklees Council", "area_rating", "requires_improvement", "in_care", None),  # "children in care require improvement"
    ]
    # "unlikely to be rated 'good'" is not a grade; Leeds and Calderdale are in the related box; the comment is a reader's
    quotes = " ".join(c["quote"] for c in record["claims"])
    assert "unlikely" not in quotes and "Leeds" not in quotes and "2010" not in quotes
    assert record["people"] == [
        {"name": "Amir Hussain", "role": "councillor", "title": "cabinet member for children's services", "organisation": "Kirklees Council"},
        {"name": "Sarah Whitlock", "role": "director", "title": "director of children's services", "organisation": "Kirklees Council"},
    ]


def test_council_judgements_as_a_list_and_a_no_longer_headline():
    record = extract(FIXTURES / "news" / "council_judgement_list.txt")
    assert record["article"] == {"title": "Torbay children's services no longer 'inadequate'", "published": "2024-03-12"}
    assert claims_of(record) == [
        ("Torbay Council", "rating", "requires_improvement", None, "2024-01"),
        ("Torbay Council", "inspection_date", "2024-01", None, "2024-01"),  # "in January", published 12/03/2024
        ("Torbay Council", "area_rating", "requires_improvement", "overall_effectiveness", None),
        ("Torbay Council", "area_rating", "good", "leaders", None),
        ("Torbay Council", "area_rating", "requires_improvement", "help_and_protection", None),
        ("Torbay Council", "area_rating", "requires_improvement", "in_care", None),
        ("Torbay Council", "area_rating", "good", "care_leavers", None),
        ("Torbay Council", "previous_rating", "inadequate", None, "2018"),  # "no longer 'inadequate'" dated by the 2018 sentence
        ("Torbay Council", "other", "previous inspection", None, "2018"),
    ]
    assert record["people"] == [
        {"name": "Rachel Penrose", "role": "councillor", "title": "cabinet member for children's services", "organisation": "Torbay Council"},
        {"name": "Hugh Farley", "role": "director", "title": "director of children's services", "organisation": "Torbay Council"},
    ]


def test_text_copy_of_a_page_without_its_menu_share_buttons_related_list_and_comments():
    record = extract(FIXTURES / "news" / "txt_copy_with_furniture.txt")
    assert record["article"] == {"title": "Hackney children's services rated 'requires improvement' by Ofsted", "published": "2024-03-14"}
    assert record["organisations"] == [{"name": "Hackney Council", "kind": "local_authority"}, {"name": "Ofsted", "kind": "regulator"}]
    assert claims_of(record) == [
        ("Hackney Council", "rating", "requires_improvement", None, None),
        ("Hackney Council", "previous_rating", "good", None, "2019"),
        ("Hackney Council", "area_rating", "good", "leaders", "2024-01"),
        ("Hackney Council", "inspection_date", "2024-01", None, "2024-01"),
        ("Hackney Council", "area_rating", "outstanding", "care_leavers", None),
    ]
    assert record["people"] == [{"name": "Anita Boateng", "role": "councillor", "title": "cabinet member for children and education",
                                 "organisation": "Hackney Council"}]


# --- provider stories --------------------------------------------------------------------

def test_unnamed_home_run_by_a_company_with_previous_grade_and_a_warning_that_is_not_a_grade():
    record = extract(FIXTURES / "news" / "home_run_by_company.txt")
    assert record["article"] == {"title": "Children's home run by private firm rated inadequate", "published": "2024-03-12"}
    assert record["organisations"] == [{"name": "Acme Care Ltd", "kind": "company"}, {"name": "Ofsted", "kind": "regulator"}]
    home = "Acme Care Ltd"  # the home is not named: the company that runs it stands for it
    assert claims_of(record) == [
        (home, "rating", "inadequate", None, None),
        (home, "inspection_date", "2024-02-06", None, "2024-02-06"),
        (home, "previous_rating", "good", None, None),
        (home, "area_rating", "inadequate", "overall_experiences_and_progress", None),
        (home, "area_rating", "inadequate", "help_and_protection", None),
        (home, "area_rating", "requires_improvement", "leadership_and_management", None),
    ]  # "could be rated inadequate again if ..." is a warning; "up to four children" is capacity
    assert record["people"] == [{"name": "Lorna Pike", "role": "registered_manager", "title": "registered manager",
                                 "organisation": "Acme Care Ltd"}]


def test_fostering_agency_counts_of_children_households_and_carers():
    record = extract(FIXTURES / "news" / "fostering_agency_counts.txt")
    assert record["article"] == {"title": "Foster agency drops to 'requires improvement' after Ofsted visit", "published": "2024-03-12"}
    assert record["organisations"] == [{"name": "Ofsted", "kind": "regulator"}, {"name": "Harbour Lights Fostering", "kind": "provider"},
                                       {"name": "Harbour Lights Care Group Ltd", "kind": "company"}]
    agency = "Harbour Lights Fostering"
    assert claims_of(record) == [
        (agency, "rating", "requires_improvement", None, None),
        (agency, "previous_rating", "outstanding", None, "2021"),  # "down from outstanding at its last inspection in 2021"
        (agency, "other", "previous inspection", None, "2021"),
        (agency, "inspection_date", "2024-02-05", None, "2024-02-05"),  # "between 5 and 9 February", published March 12, 2024
        (agency, "children", 120, None, None),
        (agency, "households", 85, None, None),
        (agency, "carers", 200, None, None),
        (agency, "area_rating", "good", "help_and_protection", None),
        (agency, "area_rating", "requires_improvement", "leadership_and_management", None),
    ]
    assert record["people"] == [
        {"name": "Gemma Hart", "role": "responsible_individual", "title": "responsible individual", "organisation": agency},
        {"name": "Katie Moss", "role": "registered_manager", "title": "registered manager", "organisation": agency},
    ]


def test_html_home_page_headline_grade_only_and_site_logo_h1_is_not_the_title():
    record = extract(FIXTURES / "news" / "home_outstanding_page.html")
    assert record["article"] == {"title": "Meadowbank children's home rated Outstanding by Ofsted", "published": "2024-05-03"}
    assert record["organisations"] == [{"name": "Meadowbank", "kind": "provider"}, {"name": "Ofsted", "kind": "regulator"},
                                       {"name": "Wigan Council", "kind": "local_authority"}]
    assert claims_of(record) == [
        ("Meadowbank", "rating", "outstanding", None, None),
        ("Meadowbank", "inspection_date", "2024-04-16", None, "2024-04-16"),
        ("Meadowbank", "previous_rating", "good", None, "2022"),
        ("Meadowbank", "other", "previous inspection", None, "2022"),
    ]
    assert record["claims"][0]["quote"] == "Meadowbank children's home rated Outstanding by Ofsted"
    assert record["people"] == [{"name": "Colette Byrne", "role": "registered_manager", "title": "registered manager",
                                 "organisation": "Meadowbank"}]


# --- single rules: grades that were not given, people's printed titles, printed dates ----------

@pytest.mark.parametrize("text, expected", [
    ("Ofsted warned the home could be rated inadequate if improvements are not made. Oak Fostering was rated good by Ofsted.",
     [("Oak Fostering", "rating", "good", None, None)]),
    ("Oak Fostering was not rated outstanding, despite its hopes, but Ofsted rated it good.",
     [("Oak Fostering", "rating", "good", None, None)]),
    ("Council bosses are aiming for an 'outstanding' rating at the next inspection. "
     "Ofsted rated Kent County Council's children's services 'good'.",
     [("Kent County Council", "rating", "good", None, None)]),
    ("Ofsted rated Oak Fostering good. Managers hope it will be judged outstanding next time.",
     [("Oak Fostering", "rating", "good", None, None)]),
    ("If the home is rated inadequate again, it could be closed, Ofsted said. The home, Oak Lodge, was rated requires "
     "improvement to be good by Ofsted.",
     [("Oak Lodge", "rating", "requires_improvement", None, None)]),
    ("Unlike Walsall Council, Dudley Council was rated good by Ofsted.", [("Dudley Council", "rating", "good", None, None)]),
    ("Dudley Council's children's services were rated 'good' by Ofsted. Neighbouring Sandwell Council and Walsall Council "
     "are also working to improve their services.",
     [("Dudley Council", "rating", "good", None, None)]),
])
def test_grades_hoped_for_warned_of_or_denied_and_councils_named_in_passing_are_not_claims(text, expected):
    assert claims_of(article(text)) == expected


def test_councils_named_together_are_two_organisations():
    record = article("Dudley Council was rated good by Ofsted. Sandwell Council and Walsall Council are also improving.")
    assert [o["name"] for o in record["organisations"]] == ["Dudley Council", "Ofsted", "Sandwell Council", "Walsall Council"]


@pytest.mark.parametrize("text, expected", [
    ("Birch House children's home has lost its 'Outstanding' rating and is now judged 'Good' by Ofsted.",
     [("Birch House", "previous_rating", "outstanding", None, None), ("Birch House", "rating", "good", None, None)]),
    ("The London Borough of Barnet's children's services have been judged outstanding by Ofsted.",
     [("London Borough of Barnet", "rating", "outstanding", None, None)]),
    ("Ofsted downgraded Sunrise Fostering from good to requires improvement.",
     [("Sunrise Fostering", "previous_rating", "good", None, None), ("Sunrise Fostering", "rating", "requires_improvement", None, None)]),
    ("Oakfield House children's home was rated good by Ofsted in 2022 but has now been rated inadequate after a visit in January 2024.",
     [("Oakfield House", "previous_rating", "good", None, "2022"), ("Oakfield House", "rating", "inadequate", None, "2024-01"),
      ("Oakfield House", "inspection_date", "2024-01", None, "2024-01")]),
    ("Elm Tree Children's Home was given an overall rating of 'Inadequate' by Ofsted inspectors, who visited in March 2024.",
     [("Elm Tree Children's Home", "rating", "inadequate", None, "2024-03"), ("Elm Tree Children's Home", "inspection_date", "2024-03", None, "2024-03")]),
])
def test_more_rating_phrasings(text, expected):
    assert claims_of(article(text)) == expected


@pytest.mark.parametrize("text, person", [
    ("Lucy Grant, executive director of children's services at Medway Council, said: \"We are delighted.\"",
     {"name": "Lucy Grant", "role": "director", "title": "executive director of children's services", "organisation": "Medway Council"}),
    ("Medway Council was rated good by Ofsted. Leader of the council, Cllr Paul Kent, said the result was deserved.",
     {"name": "Paul Kent", "role": "councillor", "title": "leader of the council", "organisation": "Medway Council"}),
    ("Medway Council was rated good by Ofsted. Cllr Sarah Lee (Labour, Riverside), portfolio holder for children and young people, said: \"Brilliant.\"",
     {"name": "Sarah Lee", "role": "councillor", "title": "portfolio holder for children and young people", "organisation": "Medway Council"}),
    ("Oak Fostering was rated good. Lead inspector Janet Fraser said children were safe.",
     {"name": "Janet Fraser", "role": "lead_inspector", "title": "lead inspector", "organisation": None}),
    ("Medway Council was rated good. Corporate director of children and young people's services Mark Hall said staff had worked hard.",
     {"name": "Mark Hall", "role": "director", "title": "corporate director of children and young people's services", "organisation": "Medway Council"}),
    ("Medway Council was rated good. Jane Doe, who is the council's director of children's services, said she was thrilled.",
     {"name": "Jane Doe", "role": "director", "title": "director of children's services", "organisation": "Medway Council"}),
    ("Oak Fostering was rated good. Ofsted's regional director for the North West, Helen Ward, said the agency had improved.",
     {"name": "Helen Ward", "role": "director", "title": "regional director for the North West", "organisation": "Ofsted"}),
])
def test_printed_titles_of_people(text, person):
    assert article(text)["people"] == [person]


@pytest.mark.parametrize("head", [
    "Published: 14:32 Tuesday 12 March 2024",
    "First published on Tue 12 Mar 2024 06.00 GMT",
    "Posted on 12th March 2024 by Newsdesk",
    "Tuesday 12 March 2024 13:05, UK",
    "By John Smith\nChief Reporter\n12/03/2024",
    "Last updated: 13 March 2024\nPublished: 12 March 2024",
    "Mar 12, 2024",
    "2024-03-12",
    "By Newsdesk - 12th March 2024 at 6:00am",
    "Jane Reporter\n@janereporter\n12 March 2024",
])
def test_printed_publication_dates_in_many_forms(head):
    record = article(f"Oakleaf Fostering rated inadequate by Ofsted\n\n{head}\n\nIt was rated inadequate by Ofsted after a visit on 5 February 2024.")
    assert record["article"] == {"title": "Oakleaf Fostering rated inadequate by Ofsted", "published": "2024-03-12"}


def test_council_press_release_with_judgements_in_a_table():
    record = extract(FIXTURES / "news" / "council_press_release.html")
    assert record["article"] == {"title": "Ofsted rates our children's services as good", "published": "2023-07-05"}  # not "Last updated"
    council = "Shropshire Council"
    assert claims_of(record) == [
        (council, "rating", "good", None, None),
        (council, "inspection_date", "2023-05-15", None, "2023-05-15"),  # "from 15 May to 2 June 2023"
        (council, "area_rating", "good", "leaders", None),
        (council, "area_rating", "good", "help_and_protection", None),
        (council, "area_rating", "outstanding", "in_care", None),
        (council, "area_rating", "requires_improvement", "care_leavers", None),
        (council, "area_rating", "good", "overall_effectiveness", None),
        (council, "previous_rating", "requires_improvement", None, "2018"),
        (council, "other", "previous inspection", None, "2018"),
    ]
    assert record["claims"][4]["quote"] == "The experiences and progress of children in care: Outstanding"
    assert record["people"] == [
        {"name": "Kirsty Wells", "role": "councillor", "title": "cabinet member for children and education", "organisation": council},
        {"name": "Imogen Carter", "role": "director", "title": "executive director of people", "organisation": council},
    ]


def test_home_closing_after_an_inadequate_grade_and_a_sister_home_rated_outstanding():
    record = extract(FIXTURES / "news" / "home_closure.txt")
    assert record["article"] == {"title": "Kidderminster children's home to close after 'Inadequate' Ofsted rating", "published": "2024-01-18"}
    assert record["organisations"] == [
        {"name": "Ofsted", "kind": "regulator"}, {"name": "Larkspur House", "kind": "provider"},
        {"name": "Brightwater Care Ltd", "kind": "company"}, {"name": "Cedar View", "kind": "provider"},
        {"name": "Worcestershire County Council", "kind": "local_authority"}]
    assert claims_of(record) == [
        ("Larkspur House", "rating", "inadequate", None, "2023-11-28"),
        ("Larkspur House", "inspection_date", "2023-11-28", None, "2023-11-28"),
        ("Larkspur House", "previous_rating", "good", None, "2022-03"),
        ("Larkspur House", "other", "previous inspection", None, "2022-03"),
        ("Cedar View", "rating", "outstanding", None, None),
        ("Larkspur House", "children", 3, None, None),  # "caring for three at the time"; "two children had been placed there" is an event
    ]
    assert record["people"] == [
        {"name": "Martin Oduya", "role": "responsible_individual", "title": "responsible individual", "organisation": "Brightwater Care Ltd"},
        {"name": "Sian Lloyd", "role": "registered_manager", "title": "registered manager", "organisation": None},  # two homes named
    ]


@pytest.mark.parametrize("name", [
    "ldrs_council_good.txt", "council_remains_inadequate.html", "council_judgement_list.txt", "txt_copy_with_furniture.txt",
    "home_run_by_company.txt", "fostering_agency_counts.txt", "home_outstanding_page.html", "council_press_release.html",
    "home_closure.txt"])
def test_new_fixture_articles_are_news_and_quote_their_own_sentences(name):
    record = extract(FIXTURES / "news" / name)
    assert record["source"]["kind"] == "news" and record["errors"] == []
    assert record["claims"]
    for claim in record["claims"]:
        assert claim["predicate"] in ("rating", "previous_rating", "area_rating", "children", "households", "carers", "inspection_date", "other")
        assert claim["quote"] and claim["subject"]
        if claim["predicate"] in ("children", "households", "carers"):
            assert isinstance(claim["value"], int)
        elif claim["predicate"] != "other" and claim["predicate"] != "inspection_date":
            assert claim["value"] in ("outstanding", "good", "requires_improvement", "inadequate")


@pytest.mark.parametrize("module", ["", ".page", ".sentences", ".values", ".organisations", ".people", ".claims"])
def test_news_module_examples_run(module):
    import doctest
    import importlib

    assert doctest.testmod(importlib.import_module("ofsted_kg.ingest.news" + module)).failed == 0


@pytest.mark.parametrize("text, expected", [
    ("Birmingham Children's Trust rated 'good' by Ofsted\n\nBirmingham Children's Trust, which runs children's social care on "
     "behalf of Birmingham City Council, has been rated 'good' by Ofsted for the first time. The trust was previously rated "
     "'requires improvement to be good' in 2018.",
     [("Birmingham Children's Trust", "rating", "good", None, None),
      ("Birmingham Children's Trust", "previous_rating", "requires_improvement", None, "2018")]),
    ("Sandwell Children's Trust 'requires improvement'\n\nOfsted has published its report on Sandwell Children's Trust. The "
     "trust's services for children in care were rated as requiring improvement to be good. Care leavers' services were rated good.",
     [("Sandwell Children's Trust", "rating", "requires_improvement", None, None),
      ("Sandwell Children's Trust", "area_rating", "requires_improvement", "in_care", None),
      ("Sandwell Children's Trust", "area_rating", "good", "care_leavers", None)]),
    ("Ofsted monitoring visit finds progress in Kent\n\nOfsted inspectors carried out a monitoring visit to Kent County "
     "Council's children's services on 4 and 5 March 2024.",
     [("Kent County Council", "inspection_date", "2024-03-04", None, "2024-03-04")]),
    ("Fostering agency praised\n\nCompass Fostering North was rated 'Outstanding' in its Ofsted inspection. The agency, "
     "which has 340 fostering households, provides homes for 410 children and young people.",
     [("Compass Fostering North", "rating", "outstanding", None, None), ("Compass Fostering North", "households", 340, None, None),
      ("Compass Fostering North", "children", 410, None, None)]),
    ("Oakwood children's home rated good\n\nOakwood, a children's home in Leyland run by Horizon Care, has been rated good in "
     "its latest Ofsted report. The home looks after four children aged between 11 and 17.",
     [("Oakwood", "rating", "good", None, None), ("Oakwood", "children", 4, None, None)]),
])
def test_trusts_monitoring_visits_and_longer_provider_names(text, expected):
    assert claims_of(article(text)) == expected
