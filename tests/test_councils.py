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


def test_council_owners_written_with_a_qualifier_a_short_form_or_a_slip_are_found(shared):
    from ofsted_kg.ingest import la_lookup
    from ofsted_kg.mapping.councils import CouncilIndex

    index = CouncilIndex(la_lookup.read(shared / "data" / "la_lookup.csv"))
    # owner spellings of this kind stand in providers_places_at_31mar2025.csv
    found = {name: (index.find(name) or {}).get("name") for name in (
        "Rotherham Metropolitan Borough Council (Social Care)", "West Berkshire Council - Social Care",
        "Newcastle City Council", "My Options Telford & Wrekin Council", "Norhtumberland County Council")}
    assert found == {"Rotherham Metropolitan Borough Council (Social Care)": "Rotherham",
                     "West Berkshire Council - Social Care": "West Berkshire",
                     "Newcastle City Council": "Newcastle upon Tyne",
                     "My Options Telford & Wrekin Council": "Telford and Wrekin",
                     "Norhtumberland County Council": "Northumberland"}
    # a name that fits two authorities, or none, finds neither
    assert index.find("Sussex County Council") is None and index.find("Acme Council") is None


def test_council_run_providers_are_those_the_newest_release_lists_under_a_council(kg_store, shared):
    from ofsted_kg import stored

    path = shared / "data" / "ofsted_stats" / "providers_places_at_31mar2025.csv"
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    header = next(r for r in rows if "URN" in r and "Registration status" in r)
    urn, status = header.index("URN"), header.index("Registration status")
    owner = header.index("Organisation which owns the provider")
    active = [r for r in rows[rows.index(header) + 1:] if len(r) > owner and r[status] == "Active"]
    under_council = {r[urn] for r in active if "council" in r[owner].lower()}
    no_owner = {r[urn] for r in active if not r[owner].strip()}
    counted = {row[0] for row in kg_store.query("""PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
        SELECT DISTINCT ?urn WHERE { GRAPH <https://w3id.org/ofsted-kg/graph/derived> {
          ?provider ok:registrationStatus "Active" ; ok:urn ?urn ; ok:ownedBy ?owner . ?owner ok:councilOf ?council } }""").rows}
    # every provider the release lists under a council counts; beside them only those the release lists
    # with no owner, whose owner an earlier release named (the query's limits say so)
    assert under_council <= counted <= under_council | no_owner
    result = stored.run(kg_store, "la-provider-outcomes")
    assert sum(row[result.columns.index("providers")] for row in result.rows) == len(counted)
