"""People in news articles: printed titles, roles, and the organisation a title ties them to. Names invented for these tests."""
import pytest

from ofsted_kg.ingest.news import parse
from ofsted_kg.ingest.text import Document


def people(text: str) -> list[dict]:
    return parse(Document(path="article.txt", sha256="", suffix=".txt", pages=[text]))["people"]


@pytest.mark.parametrize("sentence, person", [
    ("Siobhán Ní Mhaoláin, a foster carer with Larchfield Fostering, said the visit had been welcoming.",
     {"name": "Siobhán Ní Mhaoláin", "role": "other", "title": "foster carer", "organisation": "Larchfield Fostering"}),
    ("Łukasz Nowak, the registered manager at Larchfield Fostering, said he was proud of the team.",
     {"name": "Łukasz Nowak", "role": "registered_manager", "title": "registered manager", "organisation": "Larchfield Fostering"}),
    ("Zoë Whitfield, an adopter, said: \"They were brilliant.\"",
     {"name": "Zoë Whitfield", "role": "other", "title": "adopter", "organisation": None}),
])
def test_speakers_described_by_an_appositive(sentence, person):
    found = people("Larchfield Fostering rated good\n\nLarchfield Fostering has been rated good by Ofsted.\n\n" + sentence)
    assert person in found


def test_an_appositive_without_a_speech_verb_is_not_a_speaker_description():
    found = people("Larchfield Fostering rated good\n\nLarchfield Fostering has been rated good by Ofsted.\n\n"
                   "Children placed with Mary Ellis, a carer for ten years, are settled.")
    assert found == []


def test_a_councillor_with_a_cabinet_title():
    found = people("Eastwick children's services good\n\nOfsted rated Eastwick County Council's children's services good.\n\n"
                   "Rhiannon Price, the cabinet member for children and families, said the result was welcome.")
    assert found == [{"name": "Rhiannon Price", "role": "councillor", "title": "cabinet member for children and families",
                      "organisation": "Eastwick County Council"}]


def test_a_person_whose_post_is_at_the_council_is_not_an_organisation():
    record = parse(Document(path="a.txt", sha256="", suffix=".txt", pages=[
        "Northmoor services good\n\nNorthmoor Council's children's services have been rated good by Ofsted.\n\n"
        "Sarah Conway, a social worker at the council, said staff were delighted.\n\n"
        "Its cabinet member, Tomás Ó Briain, said the council was proud."]))
    assert {o["name"] for o in record["organisations"]} == {"Northmoor Council", "Ofsted"}
    assert [(p["name"], p["role"], p["organisation"]) for p in record["people"]] == [
        ("Sarah Conway", "other", "Northmoor Council"), ("Tomás Ó Briain", "councillor", "Northmoor Council")]
