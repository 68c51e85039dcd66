"""Round trips: a record rendered into each layout family, as text and as PDF, reads back as itself."""
from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_provider import FAMILIES, project, record_strategy, render_pdf, render_text, styles

from ofsted_kg.ingest.extract import extract

FIXTURE_AGENCY = Path(__file__).parent / "fixtures" / "provider_reports" / "inadequate_fostering_agency.txt"

# modest counts: every family, text and PDF, stays within a few seconds each
TEXT_EXAMPLES = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PDF_EXAMPLES = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_back(path: Path) -> dict:
    record = extract(path)
    assert record["errors"] == [], record["errors"]
    assert record["source"]["kind"] == "provider_report"
    return project(record)


@pytest.mark.parametrize("family", FAMILIES)
@TEXT_EXAMPLES
@given(data=st.data())
def test_text_rendering_reads_back_as_the_record(family, data):
    report = data.draw(record_strategy(family))
    style = data.draw(styles)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.txt"
        path.write_text(render_text(report, style), encoding="utf-8")
        assert read_back(path) == report.expected()


@pytest.mark.parametrize("family", FAMILIES)
@PDF_EXAMPLES
@given(data=st.data())
def test_pdf_rendering_reads_back_as_the_record(family, data):
    report = data.draw(record_strategy(family))
    style = data.draw(styles)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        render_pdf(report, style, path)
        assert read_back(path) == report.expected()


# Names and companies printed as the sector prints them (made up here): a company line without a
# "Limited"-style suffix, an agency named exactly as its company, names with commas, colons, a
# parenthesis, a leading number or a full stop inside.
FEW_EXAMPLES = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rendered(report, style, folder: str, pdf: bool = False) -> Path:
    path = Path(folder) / ("report.pdf" if pdf else "report.txt")
    if pdf:
        render_pdf(report, style, path)
    else:
        path.write_text(render_text(report, style), encoding="utf-8")
    return path


@pytest.mark.parametrize("company", ["Kestrel Vale Community Interest Company", "Institute of Fellside Systemic Therapy",
                                     "Heronsgate Fellowship", "Royal Borough of Millbrook"])
@FEW_EXAMPLES
@given(data=st.data())
def test_a_letters_company_is_the_line_after_the_role_whatever_its_words(company, data):
    report = replace(data.draw(record_strategy("letter")), company=company)
    with tempfile.TemporaryDirectory() as folder:
        record = extract(rendered(report, data.draw(styles), folder))
    assert project(record)["provider"] == report.expected()["provider"]
    assert record["people"][0]["organisation"] == company  # the addressee, beside their company


@pytest.mark.parametrize("setting", ["independent fostering agency", "voluntary adoption agency", "residential family centre"])
@pytest.mark.parametrize("company", ["Oakhurst Fostering Agency Limited", "Greywell Family Care"])
@FEW_EXAMPLES
@given(data=st.data())
def test_an_agency_named_as_its_company_keeps_the_name_its_head_prints(setting, company, data):
    # the head prints the name and the company as two identical lines
    report = replace(data.draw(record_strategy("sccif", setting)), name=company, company=company)
    with tempfile.TemporaryDirectory() as folder:
        assert read_back(rendered(report, data.draw(styles), folder)) == report.expected()


def test_a_lone_company_line_in_the_head_is_no_name(tmp_path):
    # a head printing only the company and no address names no setting: nothing is guessed
    text = FIXTURE_AGENCY.read_text(encoding="utf-8")
    rest = text.split("Inspected under", 1)[1]
    path = tmp_path / "report.txt"
    path.write_text("Harbour Lights Fostering Limited\n\nInspected under" + rest, encoding="utf-8")
    record = extract(path)
    assert (record["provider"]["name"], record["provider"]["registered_provider"]) == (None, "Harbour Lights Fostering Limited")


@pytest.mark.parametrize("name", ["Harbourlight Fostering (North West)", "Kestrel Vale Fostering, East and West Office",
                                  "Fellside Fostering: Midlands", "24 Seven Heronsgate Fostering", "St. Oakhurst's Fostering",
                                  "Millbrook.org Fostering"])
@FEW_EXAMPLES
@given(data=st.data())
def test_a_letters_title_gives_the_whole_name(name, data):
    report = replace(data.draw(record_strategy("letter", "independent fostering agency")), name=name)
    with tempfile.TemporaryDirectory() as folder:
        assert read_back(rendered(report, data.draw(styles), folder)) == report.expected()


@pytest.mark.parametrize("name", ["Harbourlight Fostering (North West)", "St. Oakhurst's Fostering"])
@pytest.mark.parametrize("company", ["Kestrel Vale Community Interest Company"])
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_letters_of_these_names_as_pdf(name, company, data):
    report = replace(data.draw(record_strategy("letter", "independent fostering agency")), name=name, company=company)
    with tempfile.TemporaryDirectory() as folder:
        assert read_back(rendered(report, data.draw(styles), folder, pdf=True)) == report.expected()


@pytest.mark.parametrize("setting", ["children's home", "independent fostering agency"])
@FEW_EXAMPLES
@given(data=st.data())
def test_a_letter_to_a_provider_named_childrens_services_is_a_provider_report(setting, data):
    # a council's letter says "monitoring visit to <council> children's services" too: the provider's
    # URN label and the addressee's role line tell the letter apart
    report = replace(data.draw(record_strategy("letter", setting)), name="Brackenfield Children's Services")
    with tempfile.TemporaryDirectory() as folder:
        assert read_back(rendered(report, data.draw(styles), folder)) == report.expected()
