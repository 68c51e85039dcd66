"""The news-vs-record query on a hand-written graph (tests/fixtures/news_vs_record.trig): which inspection
each claim was checked against, and the verdict. Expected rows are read off the fixture's triples."""
from pathlib import Path

import pytest
from conftest import store_from_trig

from ofsted_kg import stored as queries
from ofsted_kg.store import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "news_vs_record.trig"


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    path = store_from_trig(tmp_path_factory.mktemp("news-vs-record") / "store", FIXTURE)
    result = queries.run(EmbeddedStore(path), "news-vs-record")
    return [dict(zip(result.columns, row)) for row in result.rows]


def _row(rows, quote):
    found = [r for r in rows if r["quote"] == quote]
    assert len(found) == 1, quote
    return found[0]


@pytest.mark.parametrize("quote, recorded, verdict, inspection_date, event", [
    # E3 is linked and graded good
    ("It is now rated good.", "good", "agrees", "2023-09-11", "E3"),
    # a previous grade is compared with E3's previous inspection, E2
    ("It was rated requires improvement last time.", "requires_improvement", "agrees", "2021-06-07", "E2"),
    # dated 2018 while E2 started in 2021: the article speaks of an earlier inspection (E1)
    ("In 2018 it was inadequate.", "requires_improvement", "different inspection?", "2021-06-07", "E2"),
    # E3 graded leadership requires improvement
    ("Leadership was judged good.", "requires_improvement", "disagrees", "2023-09-11", "E3"),
    # E3 started on 2023-09-11
    ("Inspectors visited in September.", "2023-09-11", "agrees", "2023-09-11", "E3"),
    # E3 records no households
    ("It has nine households.", None, "not recorded", "2023-09-11", "E3"),
    ("It looks after 12 children.", 12, "agrees", "2023-09-11", "E3"),
    # E2 was requires improvement, but E1 was inadequate: another inspection of the subject has the grade
    ("It was rated inadequate.", "requires_improvement", "different inspection?", "2021-06-07", "E2"),
    ("Unknown Care was rated good.", None, "not linked", "", ""),
])
def test_each_claim_shows_the_inspection_it_was_checked_against_and_a_verdict(rows, quote, recorded, verdict, inspection_date, event):
    row = _row(rows, quote)
    assert (row["recorded"], row["verdict"], row["inspection_date"], row["event_number"]) == (recorded, verdict, inspection_date, event)


def test_area_and_article_columns(rows):
    row = _row(rows, "Leadership was judged good.")
    assert (row["article"], row["subject"], row["area"], row["agrees"]) == (
        "Agency now good", "Blue Harbour Fostering", "leadership_and_management", False)
