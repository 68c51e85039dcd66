"""The provider report reader, on the real seed report and on reports we wrote in Ofsted's layouts."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from ofsted_kg.ingest.extract import extract
from ofsted_kg.ingest.provider_reports import normalise_grade, parse_date_range
from ofsted_kg.ingest.text import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "provider_reports"
SEED = "seeds/002_9bcd3b87fa8e3cd2.txt"


def record_for(path) -> dict:
    record = extract(path)
    assert record["errors"] == [], record["errors"]
    assert record["source"]["kind"] == "provider_report"
    return record


def without_pages(findings: list[dict]) -> list[dict]:
    return [{k: v for k, v in finding.items() if k != "page"} for finding in findings]


# ---------------------------------------------------------------- rendering reports as PDFs

def render_report_pdf(text: str, path: Path, header: str, break_in_row: tuple[int, int] | None = None,
                      date_on_last: frozenset[int] = frozenset()) -> None:
    """Lay a report's text out as Ofsted's PDFs do: wrapped paragraphs, a two-column requirements
    table, a running header, and a footer with the page number.

    ``break_in_row=(row, line)`` starts a new page inside that table row before that wrapped line
    (and repeats the table header there); rows in ``date_on_last`` carry their due date on their
    last line rather than their first.
    """
    width, height = A4
    left, right, top, bottom, leading = 56, 56, 70, 72, 13
    pdf = canvas.Canvas(str(path), pagesize=A4)
    state = {"page": 1, "y": height - top}

    def furniture():
        pdf.setFont("Helvetica", 8)
        pdf.drawString(left, height - 40, header)
        pdf.drawString(left, 40, "Inspection report for independent fostering agency")
        pdf.drawRightString(width - right, 40, str(state["page"]))
        pdf.setFont("Helvetica", 10)

    def new_page():
        pdf.showPage()
        state["page"] += 1
        state["y"] = height - top
        furniture()

    def write(text, x=left):
        if state["y"] < bottom:
            new_page()
        pdf.drawString(x, state["y"], text)
        state["y"] -= leading

    def table_header():
        pdf.drawString(430, state["y"], "Due date")
        write("Requirement")

    furniture()
    row_index = 0
    for paragraph in text.split("\n\n"):
        rows = paragraph.split("\n")
        if rows[0].startswith("Requirement\tDue date"):
            table_header()
            for row in rows[1:]:
                body, _, due = row.partition("\t")
                wrapped = simpleSplit(body, "Helvetica", 10, 360)
                for number, piece in enumerate(wrapped):
                    if break_in_row == (row_index, number):
                        new_page()
                        table_header()
                    last = number == len(wrapped) - 1
                    if due and (last if row_index in date_on_last else number == 0):
                        pdf.drawString(430, state["y"], due)
                    write(piece)
                row_index += 1
            state["y"] -= leading
            continue
        for raw in rows:
            for piece in simpleSplit(raw.replace("\t", "    "), "Helvetica", 10, width - left - right) or [""]:
                write(piece)
        state["y"] -= leading
    pdf.save()


# ---------------------------------------------------------------- the real seed report

@pytest.fixture(scope="module")
def seed_record(shared):
    return record_for(shared / SEED)


def test_seed_provider(seed_record):
    assert seed_record["provider"] == {
        "name": "Nexus Fostering",
        "urn": "SC066400",
        "type": "independent fostering agency",
        "address": "4 Jardine House, Bessborough Road, Harrow HA1 3EX",
        "registered_provider": "Nexus Fostering Ltd",
        "registered_provider_address": "4 Jardine House, Bessborough Road, Harrow HA1 3EX",
    }


def test_seed_inspection_dates_grades_and_counts(seed_record):
    inspection = seed_record["inspection"]
    assert inspection["start_date"] == "2022-12-05"
    assert inspection["end_date"] == "2022-12-09"
    assert inspection["framework"] == "SCCIF"
    assert inspection["type"] == "full"
    assert inspection["judgements"] == {
        "overall_experiences_and_progress": "outstanding",
        "help_and_protection": "outstanding",
        "leadership_and_management": "outstanding",
    }
    assert inspection["previous"] == {"date": "2018-10-08", "overall": "outstanding"}
    assert inspection["enforcement_since_last"] == "none"
    assert inspection["children"] == 510
    assert inspection["households"] == 360


def test_seed_people_keep_titles_and_organisation(seed_record):
    assert seed_record["people"] == [
        {"name": "Grace Wyatt", "role": "responsible_individual", "title": None, "organisation": "Nexus Fostering Ltd"},
        {"name": "Monica Hertz", "role": "registered_manager", "title": None, "organisation": "Nexus Fostering Ltd"},
        {"name": "Sandra Jacobs-Walls", "role": "inspector", "title": "Social Care Inspector", "organisation": None},
        {"name": "Paula Edwards", "role": "inspector", "title": "Social Care Inspector", "organisation": None},
        {"name": "Claire Beckingham", "role": "inspector", "title": "His Majesty's Inspector", "organisation": None},
        {"name": "Tracey Coglan Greig", "role": "inspector", "title": "Senior Officer (Adoption and Fostering)",
         "organisation": None},
    ]


def test_seed_requirements_cite_the_fostering_regulations(seed_record):
    requirements = seed_record["requirements"]
    assert [r["due_date"] for r in requirements] == ["2023-02-01"] * 3
    assert [r["citations"] for r in requirements] == [
        [{"label": "Regulation 17 (1)", "instrument": "uksi/2011/581", "provision": ["17", "1"]}],
        [{"label": "Regulation 27 (5)(b)", "instrument": "uksi/2011/581", "provision": ["27", "5", "b"]}],
        [{"label": "Regulation 26 (2)(c)(iii)", "instrument": "uksi/2011/581", "provision": ["26", "2", "c", "iii"]}],
    ]
    first, second, third = (r["text"] for r in requirements)
    assert first.startswith("The fostering service provider must provide foster parents with such training")
    assert first.endswith("This relates to parent and child training, first-aid and safeguarding training.")
    assert second.startswith("If a fostering provider decide to approve X")
    assert second.endswith("(the foster care agreement).")
    # the third row wraps onto a second line: one requirement, due date taken out
    assert third.startswith("Subject to paragraphs (2A) and (3)")
    assert third.endswith("the fostering service provider's proposals about any terms of approval.")
    for text in (first, second, third):
        assert "Regulation" not in text and "2023" not in text and "\t" not in text
    assert all(r["page"] is None for r in requirements)


def test_seed_recommendations_cite_fostering_standards(seed_record):
    recommendations = seed_record["recommendations"]
    assert [r["citations"] for r in recommendations] == [
        [{"label": "'Fostering services: national minimum standards', 26.2", "instrument": "nms/fostering-2011",
          "provision": ["26", "2"]}],
        [{"label": "'Fostering services: national minimum standards', 25.1", "instrument": "nms/fostering-2011",
          "provision": ["25", "1"]}],
    ]
    assert recommendations[0]["text"].startswith("The registered person should ensure that staff understand")
    assert recommendations[0]["text"].endswith("This relates to the quality of some risk assessments.")
    assert recommendations[1]["text"].endswith("up to three children aged 0-18 years.")


def test_seed_narrative_sections_are_kept_by_heading(seed_record):
    sections = seed_record["sections"]
    assert sections["How well children and young people are helped and protected"].startswith(
        "The fostering service staff team")
    assert "Information about this independent fostering agency" in sections


# ---------------------------------------------------------------- a children's home (anonymised)

def test_childrens_home_is_anonymised_and_graded():
    record = record_for(FIXTURES / "childrens_home_2023.txt")
    assert record["provider"] == {
        "name": None, "urn": "1234567", "type": "children's home", "address": None,
        "registered_provider": "Willowbrook Residential Care Limited",
        "registered_provider_address": "Unit 4, Canal Wharf, Leeds LS11 5QR",
    }
    inspection = record["inspection"]
    assert (inspection["start_date"], inspection["end_date"]) == ("2023-02-28", "2023-03-02")
    assert inspection["judgements"] == {"overall_experiences_and_progress": "good",
                                        "help_and_protection": "requires_improvement",
                                        "leadership_and_management": "good"}
    assert inspection["previous"] == {"date": "2022-06-14", "overall": "requires_improvement"}
    assert inspection["children"] is None and inspection["households"] is None
    assert [(p["name"], p["role"], p["title"]) for p in record["people"]] == [
        ("Daniel Okafor", "responsible_individual", None),
        ("Rebecca Lindqvist", "registered_manager", None),
        ("Martin Hale", "inspector", "Social Care Inspector"),
    ]


def test_childrens_home_requirements_are_quality_standards():
    requirements = record_for(FIXTURES / "childrens_home_2023.txt")["requirements"]
    assert [(r["due_date"], r["citations"]) for r in requirements] == [
        ("2023-03-31", [{"label": "Regulation 12 (1)(2)(a)(i)", "instrument": "uksi/2015/541",
                         "provision": ["12", "1", "2", "a", "i"]}]),
        ("2023-04-14", [{"label": "Regulation 13 (1)(a)(2)(h)", "instrument": "uksi/2015/541",
                         "provision": ["13", "1", "a", "2", "h"]}]),
    ]
    assert requirements[0]["text"].startswith("The protection of children standard is that children are protected")
    assert "In particular, the standard in paragraph (1) requires the registered person to ensure" in requirements[0]["text"]
    assert requirements[0]["text"].endswith("reduce the risk of any harm to the child.")
    assert "31 March 2023" not in requirements[0]["text"]


def test_childrens_home_recommendations_cite_the_guide_by_paragraph():
    recommendations = record_for(FIXTURES / "childrens_home_2023.txt")["recommendations"]
    assert [c["provision"] for r in recommendations for c in r["citations"]] == [["9", "59"], ["14", "4"]]
    assert {c["instrument"] for r in recommendations for c in r["citations"]} == {"qs/childrens-homes-2015"}
    assert recommendations[0]["text"].endswith("informs the child's plan.")


# ---------------------------------------------------------------- an inadequate fostering agency, as text and as PDF

INADEQUATE = FIXTURES / "inadequate_fostering_agency.txt"


def test_inadequate_agency_from_text():
    record = record_for(INADEQUATE)
    inspection = record["inspection"]
    assert (inspection["start_date"], inspection["end_date"]) == ("2022-12-30", "2023-01-03")
    assert set(inspection["judgements"].values()) == {"inadequate"}
    assert (inspection["children"], inspection["households"]) == (38, 27)
    assert "registered_manager" not in {p["role"] for p in record["people"]}  # "Post vacant"
    assert [r["due_date"] for r in record["requirements"]] == ["2023-01-31", "2023-01-31", "2023-02-28", "2023-02-28"]
    assert record["requirements"][0]["text"].endswith("This relates to referrals to the local authority designated officer.")
    assert [c["provision"] for c in record["recommendations"][1]["citations"]] == [["25", "1"], ["25", "2"]]


@pytest.fixture(scope="module")
def inadequate_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "inadequate_fostering_agency.pdf"
    render_report_pdf(INADEQUATE.read_text(encoding="utf-8"), path,
                      header="Harbour Lights Fostering: 30 December 2022 to 3 January 2023",
                      break_in_row=(2, 1), date_on_last=frozenset({1}))
    return path


def test_pdf_requirement_table_really_splits_across_a_page_break(inadequate_pdf):
    doc = read_document(inadequate_pdf)
    start = doc.page_of("The fostering service provider must provide foster parents with such training")
    end = doc.page_of("appears necessary in the interests of children placed with them. (Regulation 17")
    assert start is not None and end == start + 1


def test_pdf_gives_the_same_record_as_the_text(inadequate_pdf):
    from_pdf, from_text = record_for(inadequate_pdf), record_for(INADEQUATE)
    for key in ("people", "provider", "inspection"):
        assert from_pdf[key] == from_text[key], key
    assert without_pages(from_pdf["requirements"]) == without_pages(from_text["requirements"])
    assert without_pages(from_pdf["recommendations"]) == without_pages(from_text["recommendations"])
    assert from_pdf["source"]["pages"] >= 3


def test_pdf_findings_carry_the_page_they_start_on(inadequate_pdf):
    record = record_for(inadequate_pdf)
    doc = read_document(inadequate_pdf)
    pages = [r["page"] for r in record["requirements"]]
    assert all(isinstance(p, int) for p in pages)
    assert pages[2] == doc.page_of("The fostering service provider must provide foster parents with such training")
    assert pages == sorted(pages)
    assert "Harbour Lights Fostering: 30 December" not in " ".join(r["text"] for r in record["requirements"])


# ---------------------------------------------------------------- a monitoring letter and a pre-2017 report

def test_monitoring_letter_has_no_grades():
    record = record_for(FIXTURES / "monitoring_letter.txt")
    assert record["inspection"]["type"] == "monitoring"
    assert record["inspection"]["judgements"] == {}
    assert (record["inspection"]["start_date"], record["inspection"]["end_date"]) == ("2023-05-04", "2023-05-04")
    assert record["provider"]["name"] == "Greenacre Family Placements"
    assert record["provider"]["urn"] == "SC554433"
    assert record["people"] == [  # the addressee, then the inspector who signs
        {"name": "Alex Morgan", "role": "registered_manager", "title": None,
         "organisation": "Greenacre Family Placements Limited"},
        {"name": "Priya Shah", "role": "inspector", "title": "Social Care Regulatory Inspector", "organisation": None}]
    assert [(r["due_date"], r["citations"][0]["provision"]) for r in record["requirements"]] == [("2023-06-30", ["17", "1"])]
    assert record["recommendations"] == []


def test_pre_2017_report_reads_people_from_the_top():
    record = record_for(FIXTURES / "pre2017_childrens_home.txt")
    assert [(p["name"], p["role"], p["organisation"]) for p in record["people"]] == [
        ("Mark Turner", "responsible_individual", "Elmfield Care Limited"),
        ("Susan Price", "registered_manager", "Elmfield Care Limited"),
        ("Helen Clarke", "inspector", None),
    ]
    assert record["provider"]["urn"] == "SC998877"
    assert record["provider"]["name"] is None
    assert record["provider"]["registered_provider"] == "Elmfield Care Limited"
    inspection = record["inspection"]
    assert inspection["start_date"] == "2016-01-12"
    assert inspection["previous"] == {"date": "2015-05-20", "overall": "good"}
    assert inspection["enforcement_since_last"] == "none"
    assert inspection["judgements"]["help_and_protection"] == "requires_improvement"
    assert inspection["judgements"]["leadership_and_management"] == "requires_improvement"
    assert [(r["citations"][0]["label"], r["citations"][0]["provision"], r["due_date"]) for r in record["requirements"]] == [
        ("12 (2)(a)(i)", ["12", "2", "a", "i"], "2016-02-29"), ("36 (1)", ["36", "1"], "2016-03-31")]
    assert record["recommendations"][0]["citations"][0]["provision"] == ["7", "4"]


# ---------------------------------------------------------------- values

@pytest.mark.parametrize("printed, expected", [
    ("5 to 9 December 2022", ("2022-12-05", "2022-12-09")),
    ("28 February to 2 March 2023", ("2023-02-28", "2023-03-02")),
    ("30 December 2022 to 3 January 2023", ("2022-12-30", "2023-01-03")),
    ("4 May 2023", ("2023-05-04", "2023-05-04")),
    ("12/01/2016", ("2016-01-12", "2016-01-12")),
    ("5\u20139 December 2022", ("2022-12-05", "2022-12-09")),
])
def test_inspection_date_ranges(printed, expected):
    assert parse_date_range(printed) == expected


@pytest.mark.parametrize("printed, token", [
    ("Requires improvement to be good", "requires_improvement"), ("requires improvement", "requires_improvement"),
    ("Outstanding", "outstanding"), ("inadequate", "inadequate"), ("Not judged", "not_judged"), ("excellent", None)])
def test_grades_are_tokens(printed, token):
    assert normalise_grade(printed) == token


# ---------------------------------------------------------------- the requirement table, however it is laid out

REQUIREMENT_TEXTS = [
    "The registered person must ensure that each foster parent receives the training they need to care for the children placed with them.",
    "The fostering service provider must keep a record of each allegation against a foster parent and the action taken as a result.",
    "The registered person must review the quality of care at least once every six months and send the report to the Chief Inspector.",
    "The protection of children standard is that children are protected from harm. In particular, the standard requires the registered person to ensure that staff understand the roles of other agencies.",
]
BASE = INADEQUATE.read_text(encoding="utf-8")
TABLE = re.search(r"Requirement\tDue date\n.*?(?=\n\nRecommendations)", BASE, re.S)


@st.composite
def requirement_tables(draw):
    rows = []
    for text in draw(st.lists(st.sampled_from(REQUIREMENT_TEXTS), min_size=1, max_size=4)):
        parts = [str(draw(st.integers(1, 60)))] + draw(st.lists(st.sampled_from(["1", "2", "a", "b", "iii"]), max_size=3))
        label = f"Regulation {parts[0]} " + "".join(f"({p})" for p in parts[1:]) if len(parts) > 1 else f"Regulation {parts[0]}"
        note = draw(st.sampled_from(["", " This relates to training for new carers."]))
        due = draw(st.dates(min_value=date(2016, 1, 1), max_value=date(2026, 12, 31)))
        rows.append({"body": f"{text} ({label}){note}", "label": label.strip(), "provision": parts, "due": due})
    width = draw(st.integers(25, 140))
    date_place = draw(st.sampled_from(["first", "last", "own line"]))
    separator = draw(st.sampled_from(["\t", "  ", "     "]))
    indent = draw(st.sampled_from(["", " ", "  "]))
    blank = draw(st.sampled_from(["", "\n"]))
    gap = draw(st.sampled_from([" ", "  "]))  # the space between words
    lines = ["Requirement\tDue date"]
    for row in rows:
        wrapped = textwrap.wrap(row["body"], width, break_on_hyphens=False, break_long_words=False)
        printed_date = f"{row['due'].day} {row['due']:%B %Y}"
        if date_place == "own line":
            wrapped.append(printed_date)
        else:
            wrapped[-1 if date_place == "last" else 0] += separator + printed_date
        lines += [indent + line.replace(" ", gap) for line in wrapped]
        if blank:
            lines.append("")
    return rows, "\n".join(lines).rstrip("\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=requirement_tables())
def test_requirement_rows_survive_any_wrapping_and_spacing(tmp_path, table):
    rows, printed = table
    path = tmp_path / "report.txt"
    path.write_text(BASE.replace(TABLE.group(0), printed), encoding="utf-8")
    requirements = record_for(path)["requirements"]
    assert [r["due_date"] for r in requirements] == [row["due"].isoformat() for row in rows]
    assert [r["text"] for r in requirements] == [
        row["body"].replace(f" ({row['label']})", "") for row in rows]
    assert [r["citations"] for r in requirements] == [
        [{"label": row["label"], "instrument": "uksi/2011/581", "provision": row["provision"]}] for row in rows]


# ---------------------------------------------------------------- bad input

def write_bad_documents(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / "error_page.pdf"
    html.write_text("<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
                    "<body><h1>Page not found</h1></body></html>", encoding="utf-8")
    encrypted = folder / "encrypted.pdf"
    pdf = canvas.Canvas(str(encrypted), encrypt="pw")
    pdf.drawString(72, 720, "Inspection dates: 5 to 9 December 2022")
    pdf.save()
    no_text = folder / "scanned.pdf"
    pdf = canvas.Canvas(str(no_text))
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.save()
    empty = folder / "empty.pdf"
    empty.write_bytes(b"")
    return {"html": html, "encrypted": encrypted, "no_text": no_text, "empty": empty}


@pytest.mark.parametrize("which, message", [
    ("html", "HTML page"), ("encrypted", "encrypted"), ("no_text", "no text layer"), ("empty", "empty file")])
def test_bad_documents_give_records_with_errors(tmp_path, which, message):
    path = write_bad_documents(tmp_path)[which]
    record = extract(path)
    assert record["errors"] and message in record["errors"][0]
    assert record["source"]["path"] == str(path)
    assert record["people"] == []


def test_cli_extracts_the_good_documents_and_exits_1_for_the_bad(tmp_path):
    folder = tmp_path / "reports"
    bad = write_bad_documents(folder)
    shutil.copy(FIXTURES / "childrens_home_2023.txt", folder / "a_childrens_home.txt")
    shutil.copy(FIXTURES / "monitoring_letter.txt", folder / "z_monitoring_letter.txt")
    result = subprocess.run([sys.executable, "-m", "ofsted_kg", "extract", str(folder)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_name = {Path(r["source"]["path"]).name: r for r in records}
    assert set(by_name) == {p.name for p in bad.values()} | {"a_childrens_home.txt", "z_monitoring_letter.txt"}
    for path in bad.values():
        assert by_name[path.name]["errors"]
    assert by_name["a_childrens_home.txt"]["errors"] == []
    assert by_name["a_childrens_home.txt"]["inspection"]["judgements"]["help_and_protection"] == "requires_improvement"
    assert by_name["z_monitoring_letter.txt"]["inspection"]["type"] == "monitoring"


# ---------------------------------------------------------------- variations real reports show

def variant(tmp_path, old: str, new: str, source: Path = INADEQUATE) -> dict:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return record_for(path)


def test_narrative_mention_of_statutory_requirements_is_not_a_finding(tmp_path):
    record = variant(tmp_path, "Oversight of the agency has been weak",
                     "Leaders did not meet all statutory requirements\n\nOversight of the agency has been weak")
    assert len(record["requirements"]) == 4
    assert not any("Oversight" in r["text"] for r in record["requirements"])


def test_a_full_report_that_mentions_a_monitoring_visit_stays_full(tmp_path):
    record = variant(tmp_path, "Enforcement action since last inspection: none",
                     "Enforcement action since last inspection: none\n\nOfsted carried out a monitoring visit in May 2022.")
    assert record["inspection"]["type"] == "full"
    assert len(record["inspection"]["judgements"]) == 3


def test_lead_inspector_marked_after_the_title(tmp_path):
    record = variant(tmp_path, "Lucy Penrose, Social Care Inspector", "Lucy Penrose, Social Care Inspector (lead)")
    assert [(p["name"], p["role"]) for p in record["people"] if "inspector" in p["role"]] == [
        ("Lucy Penrose", "lead_inspector"), ("Arjun Mehta", "inspector")]


def test_immediate_due_date_is_taken_out_of_the_text(tmp_path):
    record = variant(tmp_path, "(Regulation 35 (1)(a)(b))\t28 February 2023", "(Regulation 35 (1)(a)(b))\tImmediately")
    last = record["requirements"][-1]
    assert last["due_date"] is None and "Immediately" not in last["text"]


def test_no_requirements_section_means_empty_lists(tmp_path):
    text = INADEQUATE.read_text(encoding="utf-8")
    cut = text[: text.index("What does the independent")] + text[text.index("Information about this inspection"):]
    path = tmp_path / "no_findings.txt"
    path.write_text(cut, encoding="utf-8")
    record = record_for(path)
    assert record["requirements"] == [] and record["recommendations"] == []


def test_residential_family_centre_judgements_name_other_people(tmp_path):
    home = FIXTURES / "childrens_home_2023.txt"
    text = home.read_text(encoding="utf-8").replace("children and young people", "parents and children")
    path = tmp_path / "family_centre.txt"
    path.write_text(text.replace("Information about this children's home", "Information about this residential family centre"),
                    encoding="utf-8")
    record = record_for(path)
    assert record["provider"]["type"] == "residential family centre"
    assert record["inspection"]["judgements"] == {"overall_experiences_and_progress": "good",
                                                  "help_and_protection": "requires_improvement",
                                                  "leadership_and_management": "good"}


def test_secure_home_education_grade_and_interim_outcome(tmp_path):
    record = variant(tmp_path, "The effectiveness of leaders and managers: good",
                     "The effectiveness of leaders and managers: good\n\nOutcomes in education and related learning "
                     "activities: outstanding", source=FIXTURES / "childrens_home_2023.txt")
    assert record["inspection"]["judgements"]["education_and_learning"] == "outstanding"
    interim = variant(tmp_path, "Full inspection", "Interim inspection\n\nInterim inspection judgement: "
                      "Sustained effectiveness", source=FIXTURES / "childrens_home_2023.txt")
    assert interim["inspection"]["type"] == "interim"
    assert interim["inspection"]["interim_judgement"] == "sustained_effectiveness"


@pytest.mark.parametrize("break_in_row, date_on_last", [((0, 1), frozenset()), ((1, 2), frozenset({0, 1, 2}))])
def test_seed_rendered_as_pdf_gives_the_same_record(shared, tmp_path, seed_record, break_in_row, date_on_last):
    path = tmp_path / "seed.pdf"
    render_report_pdf((shared / SEED).read_text(encoding="utf-8"), path, header="Nexus Fostering: SC066400",
                      break_in_row=break_in_row, date_on_last=date_on_last)
    record = record_for(path)
    for key in ("people", "provider", "inspection"):
        assert record[key] == seed_record[key], key
    assert without_pages(record["requirements"]) == without_pages(seed_record["requirements"])
    assert without_pages(record["recommendations"]) == without_pages(seed_record["recommendations"])


def test_recommendation_note_after_its_citation_and_a_wrapped_introduction(tmp_path):
    record = variant(tmp_path, "Recommendations\n\nThe registered person should ensure that children's plans",
                     "Recommendations\n\nTo improve the quality of care further, the registered person should take\n"
                     "account of the following recommendations:\n\nThe registered person should ensure that children's plans")
    assert record["recommendations"][0]["text"].startswith("The registered person should ensure that children's plans")
    noted = variant(tmp_path, "31.8)", "31.8) This relates to emergency placements.")
    assert noted["recommendations"][0]["text"].endswith("each placement. This relates to emergency placements.")
    assert noted["recommendations"][1]["text"].startswith("The registered person should ensure that there are clear")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(list("abcXYZ019 \t\n():.,'-") + [
    "Regulation ", "Requirement\tDue date\n", "Recommendations\n", "Statutory requirements\n", "Inspectors\n",
    "5 to 9 December 2022", "Registered manager: ", "(Regulation 12 (1))", "('Guide to the", "NMS 1.2",
    "Overall experiences and progress of children and young people: ", "good", "\n\n"]), max_size=120).map("".join))
def test_reader_never_raises_and_keeps_the_record_shape(text):
    from ofsted_kg.ingest.provider_reports import parse
    from ofsted_kg.ingest.text import Document

    record = parse(Document(path="fuzz.txt", sha256="", suffix=".txt", pages=[text]))
    assert set(record) >= {"people", "provider", "inspection", "requirements", "recommendations", "errors"}
    assert record["inspection"]["framework"] == "SCCIF"
    for finding in record["requirements"] + record["recommendations"]:
        assert isinstance(finding["text"], str) and isinstance(finding["citations"], list)


# ---------------------------------------------------------------- the variety of SCCIF reports (fixtures we wrote)

def fixture_record(name: str) -> dict:
    return record_for(FIXTURES / f"{name}.txt")


def test_childrens_home_2024_text_with_pdf_furniture_head():
    record = fixture_record("childrens_home_2024_pdf_text")
    assert record["provider"] == {
        "name": None, "urn": "SC474747", "type": "children's home", "address": None,
        "registered_provider": "Brackenfold Care Services Limited",
        "registered_provider_address": "2nd Floor, Tannery Court, Kendal LA9 4PQ",
    }
    inspection = record["inspection"]
    assert (inspection["start_date"], inspection["end_date"], inspection["type"]) == ("2024-05-14", "2024-05-16", "full")
    # label and grade on separate lines, the label itself wrapped
    assert inspection["judgements"] == {"overall_experiences_and_progress": "requires_improvement",
                                        "help_and_protection": "requires_improvement",
                                        "leadership_and_management": "inadequate"}
    assert inspection["previous"] == {"date": "2022-08-16", "overall": "good"}
    assert inspection["enforcement_since_last"] == ("Compliance notice issued on 3 April 2024 in relation to "
                                                    "regulation 13 (the leadership and management standard).")
    assert inspection["history"] == [
        {"date": "2022-08-16", "type": "full", "judgement": "good"},
        {"date": "2022-02-02", "type": "full", "judgement": "requires_improvement"},
        {"date": "2020-03-11", "type": "interim", "judgement": "declined_in_effectiveness"},
        {"date": "2019-09-24", "type": "full", "judgement": "good"},
    ]


def test_childrens_home_2024_people_vacant_post_and_acting_manager():
    record = fixture_record("childrens_home_2024_pdf_text")
    organisation = "Brackenfold Care Services Limited"
    assert record["people"] == [
        {"name": "Harriet Ashdown-Pike", "role": "responsible_individual", "title": None, "organisation": organisation},
        {"name": "Callum O'Rourke", "role": "other", "title": "Acting manager", "organisation": organisation},
        {"name": "Imogen Varley", "role": "inspector", "title": "Social Care Inspector", "organisation": None},
        {"name": "Terence Blyth", "role": "inspector", "title": "Social Care Regulatory Inspector", "organisation": None},
        {"name": "Nadia Quarshie", "role": "inspector", "title": "Senior HMI", "organisation": None},
    ]


def test_childrens_home_2024_requirements_numeric_immediate_and_missing_due_dates():
    requirements = fixture_record("childrens_home_2024_pdf_text")["requirements"]
    assert [(r["due_date"], r["citations"]) for r in requirements] == [
        ("2024-07-31", [{"label": "Regulation 13 (1)(a)(b) (the leadership and management standard)",
                         "instrument": "uksi/2015/541", "provision": ["13", "1", "a", "b"]}]),
        (None, [{"label": "Regulation 12 (1) (2)(a)(v)", "instrument": "uksi/2015/541",
                 "provision": ["12", "1", "2", "a", "v"]}]),
        ("2024-06-30", [{"label": "Regulation 31 (1)(2)(a)", "instrument": "uksi/2015/541",
                         "provision": ["31", "1", "2", "a"]}]),
        (None, [{"label": "Regulation 35 (3)(a)(iv)", "instrument": "uksi/2015/541",
                 "provision": ["35", "3", "a", "iv"]}]),
    ]
    first, second, third, fourth = (r["text"] for r in requirements)
    assert first.startswith("The leadership and management standard is that the registered person enables")
    assert first.endswith("meet the needs of each child.")  # the bare citation that closed the row is gone
    assert "Regulation" not in first and "31/07/2024" not in first
    assert second.endswith("make arrange-ments to reduce the risk of any harm to the child.")
    assert "Immediately" not in second
    # the row a page break split: one requirement, without the running footer or the repeated header
    assert third == ("The registered person must ensure that the home's workforce plan is reviewed and that there are "
                     "enough staff on duty at all times to meet the needs of the children. This includes making sure "
                     "that the staffing rota shows who is in charge of each shift.")
    assert fourth == ("The registered person must keep a record of each use of a measure of control, discipline or "
                      "restraint, completed within 24 hours.")


def test_childrens_home_2024_bulleted_recommendations_cite_the_guide():
    recommendations = fixture_record("childrens_home_2024_pdf_text")["recommendations"]
    assert [r["text"][:40] for r in recommendations] == ["The registered person should ensure that"] * 2
    assert recommendations[1]["text"].endswith("records of supervision show how practice has improved.")
    assert [(c["instrument"], c["provision"]) for r in recommendations for c in r["citations"]] == [
        ("qs/childrens-homes-2015", ["9", "59"]), ("qs/childrens-homes-2015", ["10", "4"])]
    assert "page 61, paragraph 10.4" in recommendations[1]["citations"][0]["label"]


def test_interim_inspection_has_no_grades_and_reads_the_last_full_inspection():
    record = fixture_record("childrens_home_interim_2019")
    inspection = record["inspection"]
    assert inspection["type"] == "interim"
    assert inspection["judgements"] == {}
    assert inspection["interim_judgement"] == "improved_effectiveness"
    assert (inspection["start_date"], inspection["end_date"]) == ("2019-06-12", "2019-06-12")
    assert inspection["previous"] == {"date": "2018-12-04", "overall": "requires_improvement"}
    assert inspection["enforcement_since_last"] == "none"
    assert [row["judgement"] for row in inspection["history"]] == [
        "requires_improvement", "sustained_effectiveness", "good"]
    assert record["provider"]["urn"] == "SC390011" and record["provider"]["name"] is None
    assert [(r["due_date"], r["citations"][0]["provision"]) for r in record["requirements"]] == [("2019-07-31", ["14", "1", "a"])]
    assert record["recommendations"][0]["citations"][0]["provision"] == ["3", "6"]
    assert [(p["name"], p["role"]) for p in record["people"]] == [
        ("Simon Fairbrother", "responsible_individual"), ("Janice Okonkwo-Reid", "registered_manager"),
        ("Gareth Linden", "inspector")]


def test_assurance_visit_report_is_ungraded():
    record = fixture_record("childrens_home_assurance_2020")
    inspection = record["inspection"]
    assert (inspection["type"], inspection["judgements"]) == ("assurance", {})
    assert (inspection["start_date"], inspection["end_date"]) == ("2020-11-10", "2020-11-10")
    assert inspection["previous"] == {"date": "2020-01-21", "overall": "good"}
    assert record["requirements"] == [] and record["recommendations"] == []
    assert [(p["name"], p["role"], p["title"]) for p in record["people"]] == [
        ("Deborah Penhaligon", "responsible_individual", None), ("Marcus Feld", "registered_manager", None),
        ("Olivia Stannard", "inspector", "Social Care Inspector"),
        ("Ravi Chandran", "inspector", "Social Care Regulatory Inspector")]


def test_assurance_letter_people_are_the_addressee_and_both_signatories():
    record = fixture_record("fostering_assurance_letter_2021")
    assert record["inspection"]["type"] == "assurance"
    assert record["inspection"]["judgements"] == {}
    assert (record["inspection"]["start_date"], record["inspection"]["end_date"]) == ("2021-02-16", "2021-02-17")
    assert (record["provider"]["name"], record["provider"]["urn"]) == ("Cobblestone Foster Care", "SC487654")
    assert record["people"] == [
        {"name": "Tobias Wren", "role": "responsible_individual", "title": None,
         "organisation": "Cobblestone Foster Care Limited"},
        {"name": "Helena Marsh", "role": "inspector", "title": "Social Care Regulatory Inspector", "organisation": None},
        {"name": "Fiona Achterberg", "role": "inspector", "title": "Senior HMI", "organisation": None},
    ]


def test_monitoring_visit_report_keeps_the_enforcement_description():
    record = fixture_record("childrens_home_monitoring_2022")
    inspection = record["inspection"]
    assert (inspection["type"], inspection["judgements"]) == ("monitoring", {})
    assert inspection["start_date"] == "2022-08-09"
    assert inspection["previous"] == {"date": "2022-05-17", "overall": "inadequate"}
    assert inspection["enforcement_since_last"] == ("Restriction of accommodation notice issued on 20 May 2022. "
                                                    "Compliance notices issued under regulations 12 and 13.")
    [requirement] = record["requirements"]
    assert requirement["due_date"] == "2022-09-30"
    assert [(c["label"], c["provision"]) for c in requirement["citations"]] == [
        ("Regulation 44 (4)(a)", ["44", "4", "a"]), ("Regulation 45 (2)(b)", ["45", "2", "b"])]
    assert record["people"][-1] == {"name": "Graham Saxby", "role": "inspector",
                                    "title": "Regulatory Inspection Manager", "organisation": None}


def test_voluntary_adoption_agency():
    record = fixture_record("voluntary_adoption_agency_2022")
    assert record["provider"]["type"] == "voluntary adoption agency"
    assert record["provider"]["urn"] == "SC056789"
    inspection = record["inspection"]
    assert (inspection["start_date"], inspection["end_date"]) == ("2022-03-07", "2022-03-08")
    assert inspection["judgements"] == {"overall_experiences_and_progress": "good", "help_and_protection": "good",
                                        "leadership_and_management": "requires_improvement"}
    assert inspection["previous"] == {"date": "2018-10-09", "overall": "outstanding"}
    assert [(r["due_date"], [(c["instrument"], c["provision"]) for c in r["citations"]]) for r in record["requirements"]] == [
        ("2022-06-30", [("uksi/2003/367", ["10", "1", "2"])]),
        ("2022-06-30", [("uksi/2005/389", ["22", "1"])]),  # the row names the 2005 regulations itself
    ]
    assert [[(c["instrument"], c["provision"]) for c in r["citations"]] for r in record["recommendations"]] == [
        [("nms/adoption-2014", ["17", "2"])], [("nms/adoption-2014", ["25", "2"]), ("nms/adoption-2014", ["25", "6"])]]
    assert [(p["name"], p["role"]) for p in record["people"]][2:] == [
        ("Philippa Gaunt", "inspector"), ("Marcus Ekwueme", "lead_inspector")]


def test_adoption_support_agency():
    record = fixture_record("adoption_support_agency_2019")
    assert record["provider"]["type"] == "adoption support agency"
    assert record["provider"]["registered_provider"] == "Bridgeway Family Support Ltd"
    assert record["inspection"]["judgements"] == {"overall_experiences_and_progress": "outstanding",
                                                  "help_and_protection": "good", "leadership_and_management": "outstanding"}
    assert (record["inspection"]["start_date"], record["inspection"]["end_date"]) == ("2019-09-30", "2019-10-02")
    assert [(r["due_date"], r["citations"]) for r in record["requirements"]] == [
        ("2019-12-31", [{"label": "Regulation 12 (3)(b)", "instrument": "uksi/2005/2720", "provision": ["12", "3", "b"]}])]
    assert record["recommendations"][0]["citations"][0]["instrument"] == "nms/adoption-2014"


def test_residential_family_centre():
    record = fixture_record("residential_family_centre_2023")
    assert record["provider"]["type"] == "residential family centre"
    assert set(record["inspection"]["judgements"].values()) == {"inadequate"}
    assert len(record["inspection"]["judgements"]) == 3
    assert [(r["due_date"], r["citations"][0]["instrument"], r["citations"][0]["provision"])
            for r in record["requirements"]] == [
        (None, "uksi/2002/3213", ["10", "1", "a"]),  # "Immediately"
        ("2023-12-15", "uksi/2002/3213", ["15", "2", "b"]),
        (None, "uksi/2002/3213", ["16", "1"]),  # no due date printed
    ]
    assert record["recommendations"][0]["citations"] == [{
        "label": "'Residential family centres: national minimum standards', 18.3",
        "instrument": "nms/residential-family-centres-2013", "provision": ["18", "3"]}]
    assert "registered_manager" not in {p["role"] for p in record["people"]}  # "Post vacant"


def test_secure_childrens_home_extra_grades_are_extra_keys():
    record = fixture_record("secure_childrens_home_2023")
    assert record["provider"]["type"] == "secure children's home"
    assert record["inspection"]["judgements"] == {
        "overall_experiences_and_progress": "good", "help_and_protection": "good",
        "leadership_and_management": "outstanding", "education_and_learning": "good", "health": "requires_improvement"}
    assert (record["inspection"]["start_date"], record["inspection"]["end_date"]) == ("2022-11-30", "2022-12-01")
    assert record["requirements"][0]["citations"][0]["provision"] == ["10", "1", "2", "b", "ii"]
    assert record["recommendations"] == []  # "None."
    assert [(p["name"], p["title"]) for p in record["people"] if p["role"] == "inspector"] == [
        ("Sian Pritchard", "Social Care Inspector"), ("Owain Roberts", "Social Care Inspector"),
        ("Deepa Raman", "Ofsted Inspector (education)"),
        ("Maureen Yates", "Health and Justice Inspector (Care Quality Commission)")]


def test_residential_special_school_unmet_standards_are_requirements_citing_the_2022_standards():
    record = fixture_record("residential_special_school_2023")
    assert record["provider"] == {"name": "Oakhurst School", "urn": "116789", "type": "residential special school",
                                  "address": "Oakhurst School, Church Lane, Ledbury HR8 1DP",
                                  "registered_provider": None, "registered_provider_address": None}
    assert record["inspection"]["previous"] == {"date": "2022-05-24", "overall": "good"}
    assert record["inspection"]["enforcement_since_last"] is None
    assert [(r["text"], r["due_date"], r["citations"]) for r in record["requirements"]] == [
        ("The school has and implements effectively appropriate policies for the care of children who are unwell.",
         None, [{"label": "NMS 7.1", "instrument": "nms/residential-special-schools-2022", "provision": ["7", "1"]}]),
        ("The school ensures that all records of the use of reasonable force are made within 24 hours and contain "
         "the information required.", None, [{"label": "NMS 20.5", "instrument": "nms/residential-special-schools-2022",
                                              "provision": ["20", "5"]}]),
    ]
    [recommendation] = record["recommendations"]
    assert recommendation["text"].startswith("The school should ensure")  # the bullet is not text
    assert recommendation["citations"][0]["instrument"] == "nms/residential-special-schools-2022"
    assert record["people"][0] == {"name": "Ingrid Sorensen", "role": "other", "title": "Headteacher/Principal",
                                   "organisation": None}


def test_boarding_school_social_care_report(tmp_path):
    record = variant(tmp_path, "residential special school", "boarding school",
                     source=FIXTURES / "residential_special_school_2023.txt")
    assert record["provider"]["type"] == "boarding school"
    assert record["provider"]["registered_provider"] is None
    assert [c["instrument"] for r in record["requirements"] for c in r["citations"]] == ["nms/boarding-schools-2022"] * 2


def test_supported_accommodation_has_an_outcome_not_grades():
    record = fixture_record("supported_accommodation_2024")
    inspection = record["inspection"]
    assert record["provider"]["type"] == "supported accommodation undertaking"
    assert record["provider"]["urn"] == "2000456"
    assert (inspection["type"], inspection["judgements"], inspection["outcome"]) == ("full", {}, 2)
    assert inspection["previous"] == {"date": None, "overall": None}  # a first inspection
    assert inspection["enforcement_since_last"] is None  # "Not applicable"
    assert [(r["due_date"], r["citations"]) for r in record["requirements"]] == [
        ("2024-12-31", [{"label": "Regulation 7 (1)(a)", "instrument": "uksi/2023/416", "provision": ["7", "1", "a"]}]),
        ("2025-01-31", [{"label": "Regulation 6 (2)(c)", "instrument": "uksi/2023/416", "provision": ["6", "2", "c"]}]),
    ]
    assert record["recommendations"][0]["citations"][0]["instrument"] == "qs/supported-accommodation-2023"
    assert [(p["name"], p["role"]) for p in record["people"]][:2] == [
        ("Amira Haddad", "responsible_individual"), ("Connor Blakey", "registered_manager")]


def test_fostering_agency_text_with_running_footers_and_grades_after_labels():
    record = fixture_record("fostering_agency_pdf_text")
    inspection = record["inspection"]
    assert inspection["judgements"] == {"overall_experiences_and_progress": "good",
                                        "help_and_protection": "requires_improvement",
                                        "leadership_and_management": "good"}
    assert (inspection["children"], inspection["households"]) == (74, 52)
    assert [(r["due_date"], r["citations"][0]["provision"]) for r in record["requirements"]] == [
        ("2023-02-28", ["12", "1"]), ("2023-03-31", ["17", "1"])]
    assert record["requirements"][0]["text"].endswith("This relates to updating each household's safer caring plan "
                                                      "when a new child is placed.")
    assert record["requirements"][1]["text"] == (
        "The fostering service provider must provide foster parents with such training, advice, information and "
        "support, including support outside office hours, as appears necessary in the interests of children placed "
        "with them.")
    assert [r["text"][:8] for r in record["recommendations"]] == ["The regi", "The regi"]
    assert "Inspection report for" not in json.dumps(record["sections"])


def test_grades_after_labels_win_over_narrative_headings(tmp_path):
    """With the narrative's graded headings gone, the head table alone gives the grades."""
    source = FIXTURES / "fostering_agency_pdf_text.txt"
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^(Overall experiences|How well|The effectiveness)(.*): (good|requires improvement to be good)$",
                  r"\1\2", text, flags=re.M)
    path = tmp_path / "grades_after_labels.txt"
    path.write_text(text, encoding="utf-8")
    assert record_for(path)["inspection"]["judgements"] == {
        "overall_experiences_and_progress": "good", "help_and_protection": "requires_improvement",
        "leadership_and_management": "good"}


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.txt")))
def test_every_fixture_gives_a_clean_record(name):
    record = fixture_record(name)
    assert record["inspection"]["framework"] == "SCCIF"
    for finding in record["requirements"] + record["recommendations"]:
        assert finding["text"] and not re.search(r"Inspection report for|\bPage \d+ of \d+|[\u25a0\u2022]", finding["text"])
        for citation in finding["citations"]:
            assert citation["provision"], citation
