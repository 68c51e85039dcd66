"""The provider report reader on the layouts beyond the first: names in any alphabet, the pre-2017
label blocks, letters, page furniture inside findings, counts in either order."""
from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg.ingest.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "provider_reports"
HOME = FIXTURES / "childrens_home_2023.txt"
AGENCY = FIXTURES / "inadequate_fostering_agency.txt"


def record_of(tmp_path: Path, text: str, name: str = "report.txt") -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    record = extract(path)
    assert record["errors"] == [], record["errors"]
    assert record["source"]["kind"] == "provider_report"
    return record


def roles(record: dict) -> list[tuple[str, str]]:
    return [(p["name"], p["role"]) for p in record["people"]]


@pytest.mark.parametrize("manager, individual, inspector", [
    ("Siobhán Ní Mhaoláin", "Łukasz Wróblewski", "Zoë O'Neill"),
    ("José Álvarez-Ruiz", "Ó Súilleabháin Éamon", "Aoife ní Bhriain"),
    ("Émile de la Tour", "Dvořák Šárka", "Ngozi Adébáyọ̀"),
])
def test_names_in_any_alphabet_are_kept_whole(tmp_path, manager, individual, inspector):
    text = HOME.read_text(encoding="utf-8").replace("Rebecca Lindqvist", manager).replace("Daniel Okafor", individual)
    record = record_of(tmp_path, text.replace("Martin Hale", inspector))
    assert roles(record) == [(individual, "responsible_individual"), (manager, "registered_manager"),
                             (inspector, "inspector")]


def test_pre2017_block_of_labels_then_block_of_values():
    record = extract(FIXTURES / "pre2017_label_block.txt")
    assert record["errors"] == []
    assert record["provider"] | {"type": None} == {
        "name": None, "urn": "SC512340", "type": None, "address": None,
        "registered_provider": "Kestrel Vale Care Limited",
        "registered_provider_address": "Unit 4, Riverside Court, Hexham, Northumberland NE46 3PQ"}
    assert roles(record) == [("Siobhán Ní Mhaoláin", "responsible_individual"),
                             ("Łukasz Wróblewski", "registered_manager"), ("Zoë Castellano", "inspector")]
    inspection = record["inspection"]
    assert (inspection["start_date"], inspection["end_date"], inspection["type"]) == ("2016-03-08", "2016-03-08", "full")
    # grades printed level with the middle line of a label that wraps, or closing its line
    assert inspection["judgements"] == {"overall_experiences_and_progress": "requires_improvement",
                                        "help_and_protection": "good", "leadership_and_management": "requires_improvement"}
    assert inspection["previous"] == {"date": "2015-07-14", "overall": "requires_improvement"}
    assert inspection["enforcement_since_last"] == "none"
    # the requirements table with each cell on a line of its own
    assert [(r["text"], r["due_date"], r["citations"][0]["provision"]) for r in record["requirements"]] == [
        ("ensure that staff record each restriction on a child's contact, with the reasons for it", "2016-04-15",
         ["34", "1", "a"])]


def test_pre2017_interim_outcome_is_not_a_grade_and_the_previous_judgement_is():
    record = extract(FIXTURES / "pre2017_interim.txt")
    inspection = record["inspection"]
    assert inspection["type"] == "interim"
    assert inspection["judgements"] == {}
    assert inspection["interim_judgement"] == "declined_in_effectiveness"
    assert inspection["previous"] == {"date": "2015-03-02", "overall": "good"}
    assert record["provider"]["registered_provider_address"] == "2 Quarry Road, Kendal LA9 4QP"
    assert roles(record) == [("José Álvarez-Ruiz", "responsible_individual"), ("Aoife ní Bhriain", "registered_manager"),
                             ("Tomás O'Neill", "inspector")]


def test_label_lines_in_a_letter_address_block_are_not_a_label_block(tmp_path):
    letter = (FIXTURES / "monitoring_letter.txt").read_text(encoding="utf-8")
    record = record_of(tmp_path, letter)
    assert all(p["name"] != p["organisation"] for p in record["people"])


ASSURANCE_LETTER = """Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD

3 April 2023

Bartłomiej Ó Briain
Registered manager
Heronsgate Homes Limited
Flat 2, 14 Station Approach
Ripon
North Yorkshire
HG4 1AB

Dear Mr Ó Briain

Assurance visit to Heronsgate House (children's home)

Unique reference number: SC623001

This letter sets out what inspectors found during the assurance visit to the home
on 14 March 2023. At its last full inspection, which ended on
21 September 2022, the home was judged to be requires improvement to be good.

Findings

Staff now record each restriction on children's contact with friends.

Yours sincerely

Chiamaka Nwosu-Ferreira
Social Care Inspector
"""


def test_assurance_letter_reads_the_addressee_block_and_its_sentences(tmp_path):
    record = record_of(tmp_path, ASSURANCE_LETTER)
    provider = record["provider"]
    assert (provider["name"], provider["urn"]) == ("Heronsgate House", "SC623001")
    assert provider["registered_provider"] == "Heronsgate Homes Limited"
    assert provider["registered_provider_address"] == "Flat 2, 14 Station Approach, Ripon, North Yorkshire HG4 1AB"
    inspection = record["inspection"]
    assert (inspection["type"], inspection["start_date"], inspection["end_date"]) == ("assurance", "2023-03-14", "2023-03-14")
    assert inspection["judgements"] == {}
    assert inspection["previous"] == {"date": "2022-09-21", "overall": "requires_improvement"}
    assert [(p["name"], p["role"], p["organisation"]) for p in record["people"]] == [
        ("Bartłomiej Ó Briain", "registered_manager", "Heronsgate Homes Limited"),
        ("Chiamaka Nwosu-Ferreira", "inspector", None)]


@pytest.mark.parametrize("printed, dates", [
    ("on 8 and\n9 March 2023.", ("2023-03-08", "2023-03-09")),
    ("on 7, 8 and 9 March 2023.", ("2023-03-07", "2023-03-09")),
    ("between 28 February and 2 March 2023.", ("2023-02-28", "2023-03-02")),
])
def test_visit_dates_in_prose(tmp_path, printed, dates):
    text = ASSURANCE_LETTER.replace("on 14 March 2023.", printed).replace("Assurance visit", "Monitoring visit")
    inspection = record_of(tmp_path, text)["inspection"]
    assert (inspection["type"], inspection["start_date"], inspection["end_date"]) == ("monitoring", *dates)


def test_previous_judgement_in_a_sentence_without_its_date(tmp_path):
    text = ASSURANCE_LETTER.replace(
        "At its last full inspection, which ended on\n21 September 2022, the home was judged to be requires improvement to be good.",
        "The home received a judgement of inadequate at its last full inspection.")
    assert record_of(tmp_path, text)["inspection"]["previous"] == {"date": None, "overall": "inadequate"}


FOOTERS = [
    "SC123456\n4",
    "Inspection report: Harbour Lights Fostering\nSC123456 12 January 2023\n",
    "\nSC123456   9 to 13 January 2023   Page 4 of 9\n",
    "Page 4 of 9\n\nSC123456",
    "Harbour Lights Fostering   9 to 13 January 2023   4",
]


@pytest.mark.parametrize("footer", FOOTERS)
def test_page_furniture_inside_a_requirement_and_between_recommendations(tmp_path, footer):
    text = AGENCY.read_text(encoding="utf-8")
    plain = record_of(tmp_path, text, "plain.txt")
    # a page break inside the first requirement's text, and one between the two recommendations
    broken = text.replace("safeguard children placed with foster parents from abuse or neglect,",
                          f"safeguard children placed with foster\n{footer}\nparents from abuse or neglect,", 1)
    broken = broken.replace("\n\nThe registered person should ensure that there are clear",
                            f"\n\n{footer}\n\nThe registered person should ensure that there are clear", 1)
    assert broken.count(footer) == 2
    record = record_of(tmp_path, broken, "broken.txt")
    strip = lambda findings: [{k: v for k, v in f.items() if k != "page"} for f in findings]  # noqa: E731
    assert strip(record["requirements"]) == strip(plain["requirements"])
    assert strip(record["recommendations"]) == strip(plain["recommendations"])
    assert record["provider"] == plain["provider"]


@pytest.mark.parametrize("sentence, counts", [
    ("At the time of this inspection, 35 fostering households were caring for 52 children.", (52, 35)),
    ("At the time of this inspection, 52 children were living in 35 fostering households.", (52, 35)),
    ("Twelve foster carer households are providing homes for 17 children and young people.", (17, 12)),
    ("The agency has 8 approved households looking after eleven children.", (11, 8)),
])
def test_counts_in_either_order(tmp_path, sentence, counts):
    printed = "At the time of this inspection, the agency had 38 children in 27 fostering households."
    text = AGENCY.read_text(encoding="utf-8")
    assert printed in text
    text = text.replace(printed, sentence)
    inspection = record_of(tmp_path, text)["inspection"]
    assert (inspection["children"], inspection["households"]) == counts


def test_instruments_beyond_the_first_catalogue_and_the_day_they_came_into_force():
    from ofsted_kg import vocab
    from ofsted_kg.ingest.citations import instruments_for_setting, instruments_named, parse_citation_text

    assert instruments_named("the Supported Accommodation (England) Regulations 2023") == ["uksi/2023/416"]
    assert instruments_named("the Children's Homes Regulations 2001 and the national minimum standards") == ["uksi/2001/3967"]
    # a children's home inspected before the 2015 regulations came into force on 1 April 2015
    assert instruments_for_setting("children's home", "2014-10-06") == ("uksi/2001/3967", None)
    assert instruments_for_setting("children's home", "2015-04-01") == ("uksi/2015/541", "qs/childrens-homes-2015")
    # the 2022 standards for schools, from 5 September 2022; the 2015 editions before them are not catalogued
    assert instruments_for_setting("residential special school", "2023-01-10") == (None, "nms/residential-special-schools-2022")
    assert instruments_for_setting("boarding school", "2022-06-01") == (None, None)
    [cited] = parse_citation_text("'Boarding schools: national minimum standards', 12.3", on="2024-02-01")
    assert (cited["instrument"], cited["provision"]) == ("nms/boarding-schools-2022", ["12", "3"])
    [earlier] = parse_citation_text("'Boarding schools: national minimum standards', 12.3", on="2019-02-01")
    assert earlier["instrument"] is None
    assert vocab.instrument_iri("nms/boarding-schools-2022").endswith("/standard/boarding-schools-nms-2022")
    assert vocab.instrument_iri("uksi/2001/3967") == "http://www.legislation.gov.uk/id/uksi/2001/3967"


@pytest.mark.parametrize("code, title", [
    ("uksi/2001/3967", "The Children's Homes Regulations 2001"),
    ("uksi/2023/416", "The Supported Accommodation (England) Regulations 2023"),
    ("nms/residential-special-schools-2022", "Residential special schools: national minimum standards"),
    ("nms/boarding-schools-2022", "Boarding schools: national minimum standards"),
])
def test_regulations_catalogue_holds_the_new_instruments(code, title):
    import rdflib
    from rdflib.namespace import DCTERMS, SKOS

    from ofsted_kg import vocab

    catalogue = rdflib.Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "regulations.ttl")
    iri = rdflib.URIRef(vocab.instrument_iri(code))
    assert str(catalogue.value(iri, DCTERMS.title)) == title
    assert str(catalogue.value(iri, SKOS.notation)) == code


@pytest.fixture(scope="module")
def two_report_store(tmp_path_factory):
    """A store built from two provider reports of our own and nothing else."""
    import shutil

    from ofsted_kg.build import build

    folder = tmp_path_factory.mktemp("reports")
    for name in ("inadequate_fostering_agency.txt", "childrens_home_2023.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    target = tmp_path_factory.mktemp("store") / "store"
    build([folder], target)
    return target


def _query(store: Path, *args: str):
    from typer.testing import CliRunner

    from ofsted_kg.cli import app

    return CliRunner().invoke(app, ["query", *args, "--store", str(store)], env={"COLUMNS": "250"})


def test_an_empty_findings_or_people_answer_says_how_many_reports_the_store_holds(two_report_store):
    for args in (("repeat-citations",), ("responsible-individuals-across-providers",)):
        answer = _query(two_report_store, *args, "--format", "csv")
        assert answer.exit_code == 0, answer.output
        assert answer.stdout.count("\n") == 1  # the header row alone
        assert "this store holds 2" in " ".join(answer.stderr.split())
        assert "ofsted-kg fetch reports" in answer.stderr
    found = _query(two_report_store, "requirements-by-provider", "--param", "urn=SC412345", "--format", "csv")
    assert found.stdout.count("\n") > 1 and "this store holds" not in found.stderr
    other = _query(two_report_store, "providers-by-type", "--format", "csv")  # the statistics' layer: no such note
    assert "this store holds" not in other.stderr
