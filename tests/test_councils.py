"""The council index (graph/mapping/councils.py): which council a report record is about, from ../shared's la_lookup.csv."""
from __future__ import annotations

import csv

import pytest

from ofsted_kg.ingest import la_lookup
from ofsted_kg.mapping.councils import CouncilIndex


@pytest.fixture(scope="module")
def lookup(shared):
    path = shared / "data" / "la_lookup.csv"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = {row["urn"].strip(): row for row in csv.DictReader(handle) if (row.get("la_code_new") or "").strip()}
    return CouncilIndex(la_lookup.read(path)), rows


def test_a_report_urn_is_kept_when_the_lookup_names_the_printed_council(lookup):
    index, rows = lookup
    row = rows["80431"]
    assert row["local_authority_ons_name"].strip() == "Blackpool"
    authority = index.for_report("80431", "Blackpool Borough Council")
    assert authority["ons_code"] == row["la_code_new"].strip()


def test_a_report_urn_of_another_council_falls_back_to_the_printed_name(lookup):
    index, rows = lookup
    authority = index.for_report("80432", "Blackpool")   # the URN of another council, the text's Blackpool
    assert authority["urn"] == "80431" and authority["ons_code"] == rows["80431"]["la_code_new"].strip()


def test_a_report_without_urn_or_known_name_is_no_council(lookup):
    index, _rows = lookup
    assert index.for_report(None, "Nowhere-in-particular") is None
    assert index.for_report("99999999", None) is None
