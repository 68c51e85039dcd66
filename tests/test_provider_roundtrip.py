"""Round trips: a record rendered into each layout family, as text and as PDF, reads back as itself."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_provider import FAMILIES, project, record_strategy, render_pdf, render_text, styles

from ofsted_kg.ingest.extract import extract

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
