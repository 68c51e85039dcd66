"""The reader for Ofsted's reports on local-authority children's services (ingest/la_reports/).

Real reports are read from ../shared/data (skipped without it), each extracted once per session;
the hand-checked values are in tests/fixtures/la_truth.json.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ofsted_kg.ingest.extract import extract
from ofsted_kg.ingest.la_reports import extract_many, parse_date_range, urn_from_filename
from ofsted_kg.ingest.text import read_document

TRUTH = json.loads((Path(__file__).parent / "fixtures" / "la_truth.json").read_text(encoding="utf-8"))["reports"]
LA_FOLDERS = ("ilacs", "focused_visits", "jtai")
GRADES = {"outstanding", "good", "requires_improvement", "inadequate", "not_judged"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="session")
def documents(shared) -> dict[str, object]:
    """Every local-authority PDF in ../shared/data, read once (in two processes): {"ilacs/<file>.pdf": Document}."""
    from concurrent.futures import ProcessPoolExecutor

    paths = sorted(p for folder in LA_FOLDERS for p in (shared / "data" / folder).glob("*.pdf"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        read = list(pool.map(read_document, paths, chunksize=8))
    return {f"{p.parent.name}/{p.name}": doc for p, doc in zip(paths, read)}


@pytest.fixture(scope="session")
def records(documents) -> dict[str, dict]:
    """The extraction record of every report, from the documents read once."""
    return {rel: extract(doc.path, "la-report", document=doc) for rel, doc in documents.items()}


@pytest.fixture(scope="session")
def texts(documents) -> dict[str, str]:
    """Each report's text with whitespace collapsed (for checks independent of the reader)."""
    return {rel: " ".join(doc.text.split()) for rel, doc in documents.items()}


# --------------------------------------------------------------------------- hand-checked truth

@pytest.mark.parametrize("truth", TRUTH, ids=[t["file"].split("/")[-1][:60] for t in TRUTH])
def test_record_matches_the_hand_checked_values(records, truth):
    record = records[truth["file"]]
    inspection = record["inspection"]
    assert record["errors"] == []
    assert record["local_authority"]["name"] == truth["local_authority"]
    assert inspection["framework"] == truth["framework"]
    assert inspection["start_date"] == truth["start_date"]
    assert inspection["end_date"] == truth["end_date"]
    assert inspection["publication_date"] == truth["publication_date"]
    assert [p["name"] for p in record["people"] if p["role"] == "lead_inspector"] == truth["lead_inspectors"]
    assert inspection["judgements"] == truth["judgements"]
    assert len(record["recommendations"]) == truth["recommendation_count"]
    first = record["recommendations"][0]["text"] if record["recommendations"] else None
    assert first == truth["first_recommendation"]
    if "team" in truth:   # the whole inspection team, where its block was checked name by name
        assert [[p["name"], p["role"]] for p in record["people"]] == truth["team"]


def test_truth_covers_every_framework():
    frameworks = {t["framework"] for t in TRUTH}
    assert {"ilacs_standard", "ilacs_short", "sif", "focused_visit", "jtai", "other"} <= frameworks
    assert len(TRUTH) >= 40
    assert sum(t["file"].endswith("2026.pdf") for t in TRUTH) >= 3   # the 2026 framework
    assert sum(t["framework"] == "sif" and "_2014" in t["file"] for t in TRUTH) >= 5   # the first SIF reports


# --------------------------------------------------------------------------- whole corpus

def test_every_report_is_read_without_errors(records):
    assert len(records) >= 200
    assert {path: r["errors"] for path, r in records.items() if r["errors"]} == {}
    assert all(r["source"]["kind"] == "la_report" for r in records.values())


def test_ilacs_and_sif_reports_get_a_framework_and_the_printed_overall_grade(records, texts):
    for path, record in records.items():
        if not path.startswith("ilacs/"):
            continue
        head = texts[path][:2500]
        if head.lower().startswith("inspection of looked after children services"):
            assert record["inspection"]["framework"] == "other"  # a 2013 framework, before SIF
            continue
        assert record["inspection"]["framework"] in ("ilacs_standard", "ilacs_short", "sif"), path
        prints_overall = re.search(r"Overall effectiveness (Outstanding|Good|Requires|Inadequate)"
                                   r"|Children.s services in .{0,120}? (are|is|require)"
                                   r"|overall judgement is", head)
        has_overall = "overall_effectiveness" in record["inspection"]["judgements"]
        assert has_overall == bool(prints_overall), path


def test_time_on_site_is_plausible_for_each_framework(records):
    from datetime import date

    longest = {"ilacs_short": 60, "ilacs_standard": 250, "sif": 90, "focused_visit": 4, "jtai": 7, "other": 7}
    for path, record in records.items():
        inspection = record["inspection"]
        assert inspection["start_date"] and inspection["end_date"], path
        span = (date.fromisoformat(inspection["end_date"]) - date.fromisoformat(inspection["start_date"])).days + 1
        assert 1 <= span <= longest[inspection["framework"]], (path, span)
        if inspection["framework"] == "sif":
            assert span >= 3, path  # an LSCB review alone takes three days; an inspection about four weeks


def test_ilacs_short_and_standard_follow_the_days_on_site(records):
    for path, record in records.items():
        inspection = record["inspection"]
        if inspection["framework"] in ("ilacs_standard", "ilacs_short"):
            assert (inspection["days_on_site"] <= 7) == (inspection["framework"] == "ilacs_short"), path


def test_no_record_carries_an_invented_value(records, texts):
    for path, record in records.items():
        inspection = record["inspection"]
        judgements = inspection["judgements"]
        text = texts[path]
        if inspection["framework"] in ("focused_visit", "jtai", "other"):
            assert judgements == {}, path
        if inspection["framework"] in ("ilacs_standard", "ilacs_short"):
            assert not {"adoption", "lscb"} & set(judgements), path
            # care leavers have their own grade only where the table gives them a row
            has_row = re.search(r"progress of (children )?care leavers (Outstanding|Good|Requires|Inadequate)", text[:2500])
            assert ("care_leavers" in judgements) == bool(has_row), path
        assert set(judgements.values()) <= GRADES, path
        for key in ("start_date", "end_date", "publication_date"):
            assert inspection[key] is None or ISO_DATE.match(inspection[key]), path
        if inspection["framework"] in ("ilacs_standard", "ilacs_short"):
            assert inspection["publication_date"] is None, path  # ILACS reports do not print it
        for person in record["people"]:
            assert person["name"] in text, (path, person["name"])
        for item in record["recommendations"]:
            assert item["text"] and item["citations"] == []


def test_urn_is_kept_only_when_the_file_names_the_same_council(records):
    for path, record in records.items():
        urn = record["local_authority"]["urn"]
        if urn is not None:
            assert Path(path).name.startswith(urn + "_"), path
    assert sum(r["local_authority"]["urn"] is not None for r in records.values()) >= 0.95 * len(records)


def test_a_urn_from_another_councils_file_name_is_dropped(shared, tmp_path):
    source = shared / "data" / "ilacs" / "80431_blackpool__childrens_services_inspection_-_01_february_2023.pdf"
    renamed = tmp_path / "80432_bolton__childrens_services_inspection_-_01_february_2023.pdf"
    shutil.copy(source, renamed)
    record = extract(renamed, "la-report")
    assert record["local_authority"] == {"name": "Blackpool", "urn": None}


def test_the_record_depends_only_on_the_document(shared, tmp_path):
    """Ingest never reads ../shared: the same file gives the same record from a folder with no data beside it."""
    import os
    import subprocess
    import sys

    source = shared / "data" / "ilacs" / "80431_blackpool__childrens_services_inspection_-_01_february_2023.pdf"
    copy = tmp_path / "far" / "away" / source.name
    copy.parent.mkdir(parents=True)
    shutil.copy(source, copy)
    script = ("import json, sys; from ofsted_kg.ingest.extract import extract; "
              "r = extract(sys.argv[1], 'la-report'); r['source'].pop('path'); print(json.dumps(r, sort_keys=True))")
    env = {k: v for k, v in os.environ.items() if k != "OFSTED_KG_SHARED"}
    here = subprocess.run([sys.executable, "-c", script, str(copy)], cwd=shared,
                          capture_output=True, text=True, check=True, env={**env, "OFSTED_KG_SHARED": str(shared)}).stdout
    away = subprocess.run([sys.executable, "-c", script, str(copy)], cwd=copy.parent,
                          capture_output=True, text=True, check=True, env=env).stdout
    assert here == away
    assert json.loads(away)["local_authority"] == {"name": "Blackpool", "urn": "80431"}


# --------------------------------------------------------------------------- bad input

def _render_pdf(path: Path, lines: list[str]) -> None:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    y = 800
    for line in lines:
        page.drawString(72, y, line)
        y -= 16
    page.save()


def test_a_pdf_that_is_not_an_inspection_report_gets_an_error(tmp_path):
    path = tmp_path / "minutes.pdf"
    _render_pdf(path, ["Minutes of the parish council", "Item 1: the village hall roof", "Item 2: any other business"])
    record = extract(path, "la-report")
    assert record["errors"] and "not recognised" in record["errors"][0]
    assert record["inspection"]["framework"] is None and record["recommendations"] == []


def test_an_html_error_page_saved_as_pdf_gets_an_error(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not found</body></html>")
    record = extract(path, "la-report")
    assert record["errors"] and "HTML" in record["errors"][0]


def test_a_truncated_pdf_gets_an_error_and_the_batch_goes_on(shared, tmp_path):
    source = shared / "data" / "ilacs" / "80431_blackpool__childrens_services_inspection_-_01_february_2023.pdf"
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(source.read_bytes()[:4000])
    html = tmp_path / "error.pdf"
    html.write_text("<html><body>Service unavailable</body></html>")
    good = tmp_path / "80431_blackpool__childrens_services_inspection_-_01_february_2023.pdf"
    shutil.copy(source, good)
    results = extract_many([truncated, html, good], workers=2)
    assert results[0]["errors"] and results[1]["errors"]
    assert results[2]["errors"] == [] and results[2]["inspection"]["framework"] == "ilacs_standard"


def test_a_rendered_ilacs_page_is_read(tmp_path):
    path = tmp_path / "80431_blackpool__report.pdf"
    _render_pdf(path, [
        "Inspection of Blackpool local authority children's services",
        "Inspection dates: 20 to 24 February 2023",
        "Lead inspector: Ann Example, His Majesty's Inspector",
        "Judgement Grade",
        "The impact of leaders on social work practice with children and families Good",
        "The experiences and progress of children who need help and protection Good",
        "The experiences and progress of children in care Outstanding",
        "The experiences and progress of care leavers Requires improvement to be good",
        "Overall effectiveness Good",
        "What needs to improve?",
        "- The timeliness of return home interviews.",
        "The experiences and progress of children who need help and protection: good",
    ])
    record = extract(path, "la-report")
    assert record["inspection"]["framework"] == "ilacs_short"
    assert record["inspection"]["judgements"] == {
        "leaders": "good", "help_and_protection": "good", "in_care": "outstanding",
        "care_leavers": "requires_improvement", "overall_effectiveness": "good"}
    assert record["people"][0] == {"name": "Ann Example", "role": "lead_inspector",
                                   "title": "His Majesty's Inspector", "organisation": "Ofsted"}
    assert [r["text"] for r in record["recommendations"]] == ["The timeliness of return home interviews."]


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("printed, start, end, days", [
    ("5 to 16 December 2022", "2022-12-05", "2022-12-16", 12),
    ("30 September to 11 October 2024 and 13 to 16 January 2025", "2024-09-30", "2025-01-16", 16),
    ("8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019", "2019-07-08", "2019-08-08", 7),
    ("14 January – 5 February 2014", "2014-01-14", "2014-02-05", 23),
    ("1/06/2015 – 25/06/2015", "2015-06-01", "2015-06-25", 25),
    ("26 and 27 February 2019", "2019-02-26", "2019-02-27", 2),
    ("29 and 30 September, and 1 October 2020", "2020-09-29", "2020-10-01", 3),
    ("19 November–30 November 2018", "2018-11-19", "2018-11-30", 12),
    ("20 June 2017 \u2500 13 July 2017", "2017-06-20", "2017-07-13", 24),
    ("19 November-11 December 2013 and 28 – 30 January 2014", "2013-11-19", "2014-01-30", 26),
])
def test_printed_date_ranges_are_read(printed, start, end, days):
    first, last, on_site = parse_date_range(printed)
    assert (first.isoformat(), last.isoformat(), on_site) == (start, end, days)


def test_the_readers_examples_hold():
    import doctest

    from ofsted_kg.ingest.la_reports import head

    assert doctest.testmod(head).attempted >= 2 and doctest.testmod(head).failed == 0


def test_a_file_name_without_a_urn_gives_none():
    assert urn_from_filename("report.pdf", "Blackpool") is None
    assert urn_from_filename("80431_x.pdf", None) is None
    assert urn_from_filename("80431_x.pdf", "Blackpool") is None


@pytest.mark.parametrize("file_name, printed", [
    ("80564_stoke-on-trent__childrens_services_inspection.pdf", "Stoke-on-Trent City Council"),
    ("2532287_bournemouth_christchurch__poole__childrens_services_inspection.pdf", "Bournemouth, Christchurch and Poole"),
    ("80449_bradford__childrens_services_inspection.pdf", "City of Bradford Metropolitan District Council"),
    ("80477_kingston_upon_hull__childrens_services_inspection.pdf", "Kingston upon Hull"),
])
def test_a_file_name_naming_the_printed_council_gives_its_urn(file_name, printed):
    assert urn_from_filename(file_name, printed) == file_name.split("_")[0]


def test_a_monitoring_visit_letter_is_other_with_its_dates_and_inspector(tmp_path):
    path = tmp_path / "letter.pdf"
    _render_pdf(path, [
        "14 March 2024",
        "Jane Example",
        "Director of Children's Services",
        "Dear Ms Example",
        "Monitoring visit to Exampleshire children's services",
        "This letter summarises the findings of the monitoring visit to Exampleshire children's",
        "services on 13 and 14 February 2024. This was the second monitoring visit.",
        "Yours sincerely",
        "Sam Sample",
        "His Majesty's Inspector",
    ])
    record = extract(path, "la-report")
    inspection = record["inspection"]
    assert record["errors"] == []
    assert (inspection["framework"], inspection["report_type"]) == ("other", "monitoring_visit")
    assert (inspection["start_date"], inspection["end_date"], inspection["publication_date"]) == (
        "2024-02-13", "2024-02-14", "2024-03-14")
    assert inspection["judgements"] == {} and record["recommendations"] == []
    assert record["local_authority"]["name"] == "Exampleshire"
    assert [(p["name"], p["role"]) for p in record["people"]] == [("Sam Sample", "lead_inspector")]


def test_every_la_report_is_recognised_without_being_told_its_kind(documents):
    from ofsted_kg.ingest.extract import detect_kind

    assert {rel for rel, doc in documents.items() if detect_kind(doc.text) != "la_report"} == set()


def test_ilacs_table_grades_match_the_graded_section_headings(records, texts):
    """ILACS reports repeat each grade in a section heading ("... help and protection: good"): a check from elsewhere in the text."""
    grade = r"(requires improvement to be good|outstanding|good|inadequate)"
    headings = {"help_and_protection": r"children who need help and protection: " + grade,
                "in_care": r"progress of children in care(?: and care leavers)?: " + grade,
                "care_leavers": r"progress of care leavers: " + grade,
                "leaders": r"children and families: " + grade}
    tokens = {"requires improvement to be good": "requires_improvement"}
    checked = 0
    for path, record in records.items():
        if record["inspection"]["framework"] not in ("ilacs_standard", "ilacs_short"):
            continue
        for key, pattern in headings.items():
            m = re.search(pattern, texts[path], re.I)
            if m:
                checked += 1
                printed = m.group(1).lower()
                assert record["inspection"]["judgements"].get(key) == tokens.get(printed, printed), (path, key)
    assert checked >= 300


def test_sif_grades_match_the_graded_judgement_sentences(records, texts):
    """SIF reports restate the adoption and care-leaver grades ("The graded judgement about ... is that it is good")."""
    grade = r"(requires? improvement(?: to be good)?|outstanding|good|inadequate)"
    sentences = {"adoption": r"graded judgement about adoption performance is that it (?:is )?" + grade,
                 "care_leavers": r"graded judgement about the experiences? and progress of care leavers is that it (?:is )?" + grade}
    checked = 0
    for path, record in records.items():
        if record["inspection"]["framework"] != "sif":
            continue
        for key, pattern in sentences.items():
            m = re.search(pattern, texts[path], re.I)
            if m:
                checked += 1
                printed = m.group(1).lower()
                expected = "requires_improvement" if printed.startswith("require") else printed
                assert record["inspection"]["judgements"].get(key) == expected, (path, key)
    assert checked >= 30


# --------------------------------------------------------------------------- the 2026 framework

TRUST_REPORT = [
    "Inspection of Exampleshire Children’s Trust",
    "Inspection dates: 9 to 20 March 2026",
    "Lead inspector: Máire Ellender-Gelé, His Majesty’s Inspector",
    "Judgement Grade",
    "The impact of leaders on practice with children and families Good",
    "The experiences and progress of children who need help and protection",
    "Requires improvement to be good",
    "The experiences and progress of children in care Good",
    "The experiences and progress of care leavers Outstanding",
    "Exampleshire Children’s Trust delivers children’s social care services on behalf of",
    "Exampleshire County Council. Since the last inspection, services have improved.",
    "What needs to improve?1",
    "• The quality of plans for children in need. (outcome 1, national framework)",
    "• The timeliness of assessments of care leavers’ needs. (outcome 4,",
    "national framework)",
    "The experiences and progress of children who need help and protection:",
    "requires improvement to be good",
    "1. Children receive help when they need it.",
]


def test_a_2026_report_on_a_childrens_trust_is_read_in_full(tmp_path):
    path = tmp_path / "80999_exampleshire__childrens_services_inspection_-_01_june_2026.pdf"
    _render_pdf(path, TRUST_REPORT)
    record = extract(path)   # the kind is decided from the text, as `ofsted-kg extract` does
    inspection = record["inspection"]
    assert record["errors"] == [] and record["source"]["kind"] == "la_report"
    assert record["local_authority"] == {"name": "Exampleshire County Council", "urn": "80999",
                                         "trust": "Exampleshire Children’s Trust"}
    assert (inspection["framework"], inspection["start_date"], inspection["end_date"]) == (
        "ilacs_standard", "2026-03-09", "2026-03-20")
    assert inspection["judgements"] == {"leaders": "good", "help_and_protection": "requires_improvement",
                                        "in_care": "good", "care_leavers": "outstanding"}
    assert [(p["name"], p["role"]) for p in record["people"]] == [("Máire Ellender-Gelé", "lead_inspector")]
    assert [r["text"] for r in record["recommendations"]] == [
        "The quality of plans for children in need. (outcome 1, national framework)",
        "The timeliness of assessments of care leavers’ needs. (outcome 4, national framework)"]


def test_a_trust_named_before_childrens_services_in_the_title_is_a_trust_too(tmp_path):
    path = tmp_path / "report.pdf"
    _render_pdf(path, [TRUST_REPORT[0] + " children’s services"] + TRUST_REPORT[1:])
    authority = extract(path)["local_authority"]
    assert (authority["name"], authority["trust"]) == ("Exampleshire County Council", "Exampleshire Children’s Trust")


def test_a_page_header_above_the_title_is_not_the_councils_name(tmp_path):
    path = tmp_path / "report.pdf"
    _render_pdf(path, ["11 July 2022"] + [line.replace("Exampleshire Children’s Trust", "Exampleshire local authority children’s services")
                                          for line in TRUST_REPORT[:9]])
    record = extract(path)
    assert record["local_authority"]["name"] == "Exampleshire"
    assert "trust" not in record["local_authority"]


# --------------------------------------------------------------------------- publication dates from the fetch manifest

def test_an_ilacs_publication_date_comes_from_the_fetch_manifest_and_says_so(shared, tmp_path):
    from ofsted_kg.ingest.fetch import Manifest, ManifestEntry

    folder = tmp_path / "reports" / "80431"   # where `ofsted-kg fetch reports` puts them
    folder.mkdir(parents=True)
    ilacs = shared / "data" / "ilacs" / "80431_blackpool__childrens_services_inspection_-_01_february_2023.pdf"
    sif = shared / "data" / "ilacs" / "80431_blackpool__childrens_services_inspection_-_08_september_2014.pdf"
    for source in (ilacs, sif):
        shutil.copy(source, folder / source.name)
    manifest = Manifest(tmp_path)   # the fetch's output folder
    manifest.add(ManifestEntry(url="https://files.example/1", path=f"reports/80431/{ilacs.name}", report_date="2023-02-01"))
    manifest.add(ManifestEntry(url="https://files.example/2", path=f"reports/80431/{sif.name}", report_date="2014-09-09"))
    fetched_ilacs, fetched_sif = (extract(folder / p.name, "la-report")["inspection"] for p in (ilacs, sif))
    assert (fetched_ilacs["publication_date"], fetched_ilacs["publication_date_source"]) == ("2023-02-01", "fetch_manifest")
    # a date the report prints wins over the listing's
    assert (fetched_sif["publication_date"], fetched_sif["publication_date_source"]) == ("2014-09-08", "report")
    unfetched = extract(ilacs, "la-report")["inspection"]
    assert (unfetched["publication_date"], unfetched["publication_date_source"]) == (None, None)


def test_unbulleted_items_end_at_their_national_framework_cross_reference(tmp_path):
    path = tmp_path / "report.pdf"
    lines = TRUST_REPORT[:11] + [
        "What needs to improve? 1",
        "The quality of plans for children in need, including disabled children",
        "(outcome 1, national framework)",
        "Management oversight of supervision (enabler: the workforce is equipped and effective, national framework)",
        "The experiences and progress of children who need help and protection:",
        "requires improvement to be good",
        "1. Children receive help when they need it.",
    ]
    _render_pdf(path, lines)
    assert [r["text"] for r in extract(path)["recommendations"]] == [
        "The quality of plans for children in need, including disabled children (outcome 1, national framework)",
        "Management oversight of supervision (enabler: the workforce is equipped and effective, national framework)"]


# --------------------------------------------------------------------------- early SIF layouts

EARLY_SIF = [
    "Exampleshire County Council",
    "Inspection of services for children in need of help and protection, children",
    "looked after and care leavers",
    "Inspection date: 18 Feb 2014 – 12 March 2014",
    "Report published: 9 May 2014",
    "The overall judgement is requires improvement",
    "1. Children who need help and protection Requires improvement",
    "What does the local authority need to improve?",
    "Priority and immediate action",
    "1. The inspection did not find any areas for priority and immediate action.",
    "Areas for improvement",
    "2. Improve the timeliness of assessments.",
    "Improved outcomes for children looked after through effective plans and reviews",
    "3. Improve the quality of care plans.",
    "Summary for children and young people",
    "Section 2: The effectiveness of the Local Safeguarding Children Board",
    "The effectiveness of the LSCB requires improvement",
    "Priority actions",
    "90. Ensure that the board evaluates multi-agency training.",
    "Key strengths and weaknesses of the LSCB",
    "91. The board meets its statutory duties.",
    "",
    "The inspection team",
    "Lead inspector Siobhán Ní Bhriain",
    "Deputy lead inspector: Ruud van der Berg/Zoë Adèle Marsh",
    "Team inspectors: Ann Oakes, Bea Pine (HMIs) and Cy Rowan, Dee Ash Seconded",
    "Inspector",
    "Supernumerary inspector: Eli Birch",
]


def test_an_early_sif_report_is_read_by_its_headings_numbering_and_team_labels(tmp_path):
    path = tmp_path / "report.pdf"
    _render_pdf(path, EARLY_SIF)
    record = extract(path)
    inspection = record["inspection"]
    assert record["errors"] == []
    assert (inspection["framework"], inspection["start_date"], inspection["end_date"]) == ("sif", "2014-02-18", "2014-03-12")
    assert (inspection["publication_date"], inspection["publication_date_source"]) == ("2014-05-09", "report")
    assert inspection["judgements"] == {"overall_effectiveness": "requires_improvement",
                                        "help_and_protection": "requires_improvement", "lscb": "requires_improvement"}
    assert [r["text"] for r in record["recommendations"]] == [
        "Improve the timeliness of assessments.", "Improve the quality of care plans.",
        "Ensure that the board evaluates multi-agency training."]
    assert [(p["name"], p["role"], p["title"]) for p in record["people"]] == [
        ("Siobhán Ní Bhriain", "lead_inspector", None),
        ("Ruud van der Berg", "inspector", None), ("Zoë Adèle Marsh", "inspector", None),
        ("Ann Oakes", "inspector", "HMIs"), ("Bea Pine", "inspector", "HMIs"),
        ("Cy Rowan", "inspector", None), ("Dee Ash", "inspector", "Seconded Inspector"),
        ("Eli Birch", "inspector", None)]


def test_a_trust_report_without_the_table_header_is_still_an_ilacs_report(tmp_path):
    path = tmp_path / "report.pdf"
    _render_pdf(path, [line for line in TRUST_REPORT if line != "Judgement Grade"])
    record = extract(path)
    assert record["source"]["kind"] == "la_report" and record["inspection"]["framework"] == "ilacs_standard"
    assert record["local_authority"]["trust"] == "Exampleshire Children’s Trust"
