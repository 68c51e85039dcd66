"""Sentences of an article body: wrapped lines joined, bullets kept apart, abbreviations not taken as ends."""
from ofsted_kg.ingest.news import split_sentences


def texts(text: str, headline: str | None = None) -> list[str]:
    return [s.text for s in split_sentences(text, headline)]


def test_a_sentence_wrapped_over_lines_is_one_sentence():
    assert texts("The agency was rated good\nby Ofsted in May. It cares for 12 children.") == [
        "The agency was rated good by Ofsted in May.", "It cares for 12 children."]


def test_bullets_are_sentences_of_their_own():
    assert texts("The judgements were:\n• Leaders: good\n• Care leavers: outstanding") == [
        "The judgements were:", "Leaders: good", "Care leavers: outstanding"]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    assert texts("Cllr. Jane Doe said Dr. R. Okafor agreed. The council welcomed it.") == [
        "Cllr. Jane Doe said Dr. R. Okafor agreed.", "The council welcomed it."]


def test_the_headline_is_the_first_sentence_and_not_repeated():
    assert texts("Agency rated good\nIt was rated good by Ofsted.", "Agency rated good") == [
        "Agency rated good", "It was rated good by Ofsted."]


def test_a_capitalised_lead_is_recased_for_matching_only():
    sentence = split_sentences("A FOSTERING agency has been rated good.", None)[0]
    assert sentence.text == "A FOSTERING agency has been rated good." and sentence.probe == "A Fostering agency has been rated good."
