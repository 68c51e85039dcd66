"""Tests for ofsted_kg.ingest.stats: facts checked by reading Ofsted's statistics CSVs, and small
fixtures written here for the ways a file can go wrong."""
from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ofsted_kg.ingest import stats
from ofsted_kg.paths import shared_dir

SHARED = shared_dir()
STATS_DIR = SHARED / "data" / "ofsted_stats" if SHARED else None
REAL_FILES = sorted(p.name for p in STATS_DIR.iterdir()) if STATS_DIR and STATS_DIR.is_dir() else []


@functools.lru_cache(maxsize=None)
def real(name: str) -> stats.StatsFile:
    """Each real file is read once per test session."""
    return stats.read(STATS_DIR / name)


def rows_with_records(stats_file: stats.StatsFile) -> int:
    return len({record["source_row"] for record in stats_file.records})


def find(stats_file, **wanted):
    return [r for r in stats_file.records if all(r.get(k) == v for k, v in wanted.items())]


# --- the real files ---------------------------------------------------------------------


def test_reading_every_file_is_quick(shared):
    started = time.perf_counter()
    files = [real(name) for name in REAL_FILES]
    elapsed = time.perf_counter() - started
    records = sum(len(f.records) for f in files)
    print(f"\nread {len(files)} statistics files, {records} records, in {elapsed:.2f} s")


@pytest.mark.parametrize("name", REAL_FILES)
def test_every_data_row_gives_records_or_a_reject(shared, name):
    stats_file = real(name)
    assert not stats_file.errors
    assert stats_file.rows_read == rows_with_records(stats_file) + len(stats_file.rejects)
    if stats_file.kind != "skipped":
        assert stats_file.rows_read > 0
        json.dumps(stats_file.records)  # records are plain JSON


@pytest.mark.parametrize("name", REAL_FILES)
def test_each_row_has_exactly_one_primary_record(shared, name):
    primary = {"providers": "provider", "inspections": "inspection",
               "joiners_leavers": "registration_change", "closures": "closure"}
    stats_file = real(name)
    if stats_file.kind == "skipped":
        pytest.skip("skipped file")
    kind = primary[stats_file.kind]
    firsts = [r for r in stats_file.records
              if r["record"] == kind and not r.get("latest_full") and not r.get("previous_full")]
    assert len(firsts) == rows_with_records(stats_file)


def test_kinds_dates_and_years_come_from_file_names(shared):
    assert real("providers_places_at_31mar2025.csv").snapshot_date == "2025-03-31"
    assert real("providers_at_30sep2014.csv").snapshot_date == "2014-09-30"
    assert real("inspections_2023-24_all.csv").year == "2023-24"
    assert real("joiners_leavers_2016-17.csv").kind == "joiners_leavers"
    assert real("closed_providers.csv").kind == "closures"


def test_the_ods_workbook_is_skipped_with_a_reason(shared):
    ods = real("providers_places_at_31mar2025.ods")
    assert ods.kind == "skipped"
    assert ods.records == [] and ods.rows_read == 0 and ods.errors == []
    assert "providers_places_at_31mar2025.csv" in ods.skip_reason


def test_nexus_fostering_full_inspection_of_december_2022(shared):
    inspections = find(real("inspections_2022-23_all.csv"), urn="SC066400")
    assert len(inspections) == 1
    inspection = inspections[0]
    assert inspection["event_number"] == "10222195"
    assert inspection["event_type"] == "full"
    assert inspection["event_type_label"] == "Full inspection"
    assert inspection["inspection_date"] == "2022-12-05"
    assert inspection["publication_date"] == "2023-02-15"
    assert inspection["judgements"] == {
        "overall_experiences_and_progress": "outstanding",
        "help_and_protection": "outstanding",
        "leadership_and_management": "outstanding",
    }
    assert inspection["latest_full"] is False
    provider = inspection["provider"]
    assert provider["provision_type"] == "Independent Fostering Agency"
    assert provider["provision_type_key"] == "independent-fostering-agency"
    assert provider["owner"] == "Nexus Fostering Ltd"
    assert provider["name"] == "Nexus Fostering"
    assert provider["postcode"] == "HA1 3EX"
    assert provider["local_authority"] == "Harrow"


def test_nexus_fostering_in_the_2025_snapshot(shared):
    snapshot = real("providers_places_at_31mar2025.csv")
    provider, latest = find(snapshot, urn="SC066400")
    assert provider["record"] == "provider"
    assert provider["snapshot_date"] == "2025-03-31"
    # 2018-2024 files print "Nexus Fostering Ltd"; the 2025 file prints "Nexus Fostering LTD".
    assert provider["owner"] == "Nexus Fostering LTD"
    assert provider["registration_date"] == "2006-03-31"
    assert provider["sector_key"] == "private"
    assert provider["address"] == "4 Jardine House, Harrovian Business Village, Bessborough Road, Harrow"
    assert latest["record"] == "inspection" and latest["latest_full"] is True
    assert latest["event_number"] == "10222195"
    assert latest["publication_date"] == "2023-02-15"
    assert latest["source_row"] == provider["source_row"]


@pytest.mark.parametrize("name, column", [
    ("providers_places_at_31mar2018.csv", "Organisation"),
    ("providers_places_at_31mar2018_part2.csv", "Organisation name"),
    ("providers_places_at_31mar2021.csv", "Organisation which owns the provider"),
])
def test_owner_columns_of_every_spelling(shared, name, column):
    provider, *_ = find(real(name), urn="SC066400", record="provider")
    assert provider["owner"] == "Nexus Fostering Ltd", column


def test_the_2024_snapshot_also_gives_the_previous_full_inspection(shared):
    records = find(real("providers_places_at_31mar2024.csv"), urn="SC066400")
    previous = [r for r in records if r.get("previous_full")]
    assert [(r["event_number"], r["inspection_date"], r["publication_date"]) for r in previous] == [
        ("10045666", "2018-10-08", "2018-11-13")]
    assert previous[0]["latest_full"] is False


def test_2013_14_childrens_home_numeric_grades(shared):
    inspection, = find(real("inspections_2013-14_childrens_homes_part2.csv"), urn="SC000678")
    assert inspection["event_number"] == "295257"
    assert inspection["event_type"] == "full"
    assert inspection["inspection_date"] == "2014-04-29"
    # 3,0,2,2,3,3: education was not judged (0) and is left out
    assert inspection["judgements"] == {
        "overall_effectiveness": "adequate",
        "outcomes_for_children": "good",
        "quality_of_care": "good",
        "safeguarding": "adequate",
        "leadership_and_management": "adequate",
    }
    assert inspection["provider"]["name"] is None  # "Redacted"
    assert inspection["provider"]["provision_type_key"] == "childrens-home"
    assert inspection["provider"]["region"] == "North East"


def test_2013_14_interim_with_only_an_overall_grade(shared):
    inspection, = find(real("inspections_2013-14_childrens_homes_part1.csv"), event_number="290444")
    assert inspection["urn"] == "SC409730"
    assert inspection["event_type"] == "interim"
    assert inspection["judgements"] == {"overall_effectiveness": "sustained_effectiveness"}


def test_2013_14_interim_numbers_read_as_interim_outcomes(shared):
    # event 294502 is "4" in the 2013-14 file and "Declined in Effectiveness" in the 2014-15 file
    numeric, = find(real("inspections_2013-14_childrens_homes_part2.csv"), event_number="294502")
    worded, = find(real("inspections_2014-15_all.csv"), event_number="294502")
    assert numeric["judgements"] == worded["judgements"] == {"overall_effectiveness": "declined_effectiveness"}


def test_2013_14_interim_sub_area_grade_1_is_rejected_not_guessed(shared):
    part1 = real("inspections_2013-14_childrens_homes_part1.csv")
    assert [r["row"] for r in part1.rejects][:2] == [392, 1261]
    assert all("unrecognised grade '1' for an interim inspection" in r["reason"] for r in part1.rejects)


def test_2013_14_excluding_childrens_homes_word_grades(shared):
    inspection, = find(real("inspections_2013-14_excl_childrens_homes.csv"), urn="SC067198")
    assert inspection["judgements"] == {
        "overall_effectiveness": "good",
        "quality_of_service": "good",
        "safeguarding": "good",
        "leadership_and_management": "adequate",
        "outcomes_for_service_users": "good",
    }
    assert inspection["provider"]["name"] == "The Children's Society"


def test_2016_17_row_with_overall_effectiveness(shared):
    inspection, = find(real("inspections_2016-17_all.csv"), event_number="10010317")
    assert inspection["urn"] == "1027077"
    assert inspection["inspection_date"] == "2017-01-20"
    assert inspection["judgements"] == {
        "overall_effectiveness": "requires_improvement",
        "outcomes_for_children": "good",
        "quality_of_care": "requires_improvement",
        "safeguarding": "requires_improvement",
        "leadership_and_management": "requires_improvement",
    }
    assert inspection["provider"]["provision_type_key"] == "secure-training-centre"
    assert inspection["provider"]["address"] == "Chalgrove Field Oakhill, Milton Keynes"


def test_2016_17_cp1252_emergency_inspections(shared):
    stats_file = real("inspections_2016-17_all.csv")
    assert stats_file.encoding == "cp1252"
    emergencies = find(stats_file, event_type="emergency")
    assert [r["event_type_label"] for r in emergencies] == ["SC \u2013 Emergency inspection"] * 2


def test_spreadsheet_mangled_event_numbers_are_dropped_with_a_warning(shared):
    stats_file = real("inspections_2022-23_all.csv")
    row_610, = [r for r in stats_file.records if r["source_row"] == 610]
    assert row_610["urn"] == "1027077" and row_610["event_number"] is None
    assert any(w["row"] == 610 and "1.02E+07" in w["message"] for w in stats_file.warnings)


def test_joiners_and_leavers(shared):
    change, = find(real("joiners_leavers_2022-23.csv"), urn="1027084")
    assert change["change"] == "leaver"
    assert change["year"] == "2022-23"
    assert change["active_date"] == "2014-04-25"
    assert change["resigned_date"] == change["closed_date"] == "2022-03-31"
    assert (change["status_start"], change["status_end"]) == ("Active", "Resigned")
    assert change["name"] == "Action Breaks"
    both = [r for r in real("joiners_leavers_2022-23.csv").records if r["joiner"] and r["leaver"]]
    assert len(both) == 3 and {r["change"] for r in both} == {"leaver"}


def test_closed_providers(shared):
    closures = real("closed_providers.csv")
    first = closures.records[0]
    assert first == {"record": "closure", "urn": "SC035296", "status": "Resigned",
                     "close_date": "2014-02-04", "source_row": 2}
    assert closures.rows_read == 1328  # 95 blank rows at the end are not data


def test_2025_header_cells_with_newlines_are_recognised(shared):
    stats_file = real("providers_places_at_31mar2025.csv")
    assert stats_file.header_row == 4
    latest = [r for r in stats_file.records if r["record"] == "inspection"]
    assert len(latest) == 4343
    assert all(r["latest_full"] for r in latest)


def test_2014_snapshot_fractional_places_is_rejected(shared):
    rejects = real("providers_at_30sep2014.csv").rejects
    assert rejects == [{"row": 2762, "reason": "Max/Estimated Places: '110.8' is not a whole number"}]


# --- fixtures written here ---------------------------------------------------------------

HEADER_2016 = ("Web link,URN,Provision type,Registration Status,Address 1,Address 2,Town,County,"
               "Postcode,Ofsted Region,Government Office Region,Local authority,Sector,Places,"
               "Linked Education URN,Short breaks only,Event type,Inspection date,Event number,"
               "Overall effectiveness,Outcomes for children and young people,Quality of care,"
               "Safeguarding children and young people,Leadership and management")


def row_2016(urn: str, places: str = "4", event: str = "10000001") -> list[str]:
    return ["Ofsted Social Care Provider Webpage", urn, "Children's home", "Active", "REDACTED",
            "REDACTED", "REDACTED", "REDACTED", "REDACTED", "North West", "North West",
            "Bolton", "Private", places, "", "Long term care only", "Full inspection",
            "01/02/2017", event, "Good", "", "", "Good", "Requires improvement"]


def write(path: Path, rows: list, encoding="utf-8", line_end="\r\n") -> Path:
    text = line_end.join(r if isinstance(r, str) else ",".join(r) for r in rows) + line_end
    path.write_bytes(text.encode(encoding))
    return path


def test_a_row_with_a_missing_cell_is_rejected_by_name(tmp_path):
    shifted = row_2016("SC000003", event="10000003")
    del shifted[13]  # the Places cell goes missing: every later cell moves one left
    path = write(tmp_path / "inspections_2016-17_all.csv",
                 [HEADER_2016, row_2016("SC000002"), shifted, row_2016("SC000004")])
    result = stats.read(path)
    assert result.errors == []
    assert [r["urn"] for r in result.records] == ["SC000002", "SC000004"]
    assert result.rows_read == 3
    reject, = result.rejects
    assert reject["row"] == 3
    assert "missing: Leadership and management" in reject["reason"]
    assert "Inspection date: '10000003' is not a date" in reject["reason"]
    assert result.records[0]["judgements"] == {
        "overall_effectiveness": "good", "safeguarding": "good",
        "leadership_and_management": "requires_improvement"}
    assert result.records[0]["provider"]["short_breaks_only"] is False


def test_a_grade_in_the_wrong_column_is_rejected(tmp_path):
    bad = row_2016("SC000005")
    bad[19] = "Bolton"
    result = stats.read(write(tmp_path / "inspections_2016-17_all.csv", [HEADER_2016, bad]))
    assert result.records == []
    assert result.rejects == [{"row": 2, "reason": "Overall effectiveness: unrecognised grade 'Bolton'"}]


def test_bad_urns_dates_and_places_are_named(tmp_path):
    bad_urn, bad_places, bad_date = row_2016("XX123"), row_2016("SC000006", places="four"), row_2016("SC000007")
    bad_date[17] = "31/02/2017"
    result = stats.read(write(tmp_path / "inspections_2016-17_all.csv",
                              [HEADER_2016, bad_urn, bad_places, bad_date]))
    reasons = [r["reason"] for r in result.rejects]
    assert reasons == ["URN 'XX123' does not look like a URN (SC + digits, or 6-8 digits)",
                       "Places: 'four' is not a whole number",
                       "Inspection date: '31/02/2017' is not a date"]
    assert result.rows_read == 3 and result.records == []


def test_a_truncated_file_reads_what_it_can(tmp_path):
    full = write(tmp_path / "full.csv", [HEADER_2016] + [row_2016(f"SC00001{i}") for i in range(3)])
    data = full.read_bytes()
    cut = tmp_path / "inspections_2016-17_all.csv"
    cut.write_bytes(data[: len(data) - 40])  # mid-way through the last row
    result = stats.read(cut)
    assert [r["urn"] for r in result.records] == ["SC000010", "SC000011"]
    reject, = result.rejects
    assert reject["row"] == 4
    assert "missing" in reject["reason"]
    assert result.rows_read == 3


def test_a_file_cut_inside_a_quoted_cell(tmp_path):
    path = tmp_path / "providers_at_30sep2014.csv"
    path.write_text('URN,Provision Type,LA,Sector,GOR,Max/Estimated Places\r\n'
                    'SC000020,Children\'s Home,Bolton,Private,North West,4\r\n'
                    'SC000021,"Children\'s Ho', encoding="utf-8")
    result = stats.read(path)
    assert len(result.records) == 1
    assert result.rejects[0]["row"] == 3
    assert result.rows_read == 2


def test_a_cp1252_file_with_curly_quotes_and_pounds(tmp_path):
    path = write(tmp_path / "providers_places_at_31mar2016.csv", [
        "URN,Provision type,Name,Sector,Places",
        "SC000030,Children\u2019s Home,\u00a3 Homes Ltd,Local Authority,3",
    ], encoding="cp1252")
    result = stats.read(path)
    assert result.encoding == "cp1252"
    provider, = result.records
    assert provider["provision_type"] == "Children\u2019s Home"
    assert provider["provision_type_key"] == "childrens-home"
    assert provider["name"] == "\u00a3 Homes Ltd"
    assert provider["sector_key"] == "local-authority"
    assert provider["places"] == 3


def test_an_empty_file_is_a_file_level_error(tmp_path):
    path = tmp_path / "inspections_2019-20_all.csv"
    path.write_bytes(b"")
    result = stats.read(path)
    assert result.records == [] and result.rows_read == 0
    assert result.errors == ["inspections_2019-20_all.csv: file is empty"]


def test_a_file_without_a_urn_column_is_a_file_level_error(tmp_path):
    path = write(tmp_path / "providers_places_at_31mar2019.csv", ["Name,Places", "A home,3"])
    result = stats.read(path)
    assert result.records == []
    assert result.errors and "providers_places_at_31mar2019.csv" in result.errors[0]


def test_an_unreadable_path_gives_an_error_not_an_exception(tmp_path):
    result = stats.read(tmp_path / "providers_places_at_31mar2030.csv")
    assert result.records == [] and result.errors


def test_a_bom_preamble_band_row_and_a_footnote(tmp_path):
    band = "Provider information,,,,,Latest Full Inspection,,,"
    header = ("Web link,URN,Provision type,Sector,Places,Event type,Inspection date,Event number,"
              "The effectiveness of leaders and managers")
    path = write(tmp_path / "providers_places_at_31mar2021.csv", [
        "Children's social care data in England 2021,,,,,,,,",
        "This worksheet contains one table.,,,,,,,,",
        band, header,
        "x,2549696,Independent Fostering Agency,Private,,Full inspection,05/12/2022,10222195,Good",
        ",,,,,,,,",
        "Source: Ofsted,,,,,,,,",
        ",,,,,,,,",
    ], encoding="utf-8-sig")
    result = stats.read(path)
    assert result.header_row == 4
    assert result.rows_read == 1 and result.rejects == []
    provider, latest = result.records
    assert provider["urn"] == "2549696" and provider["snapshot_date"] == "2021-03-31"
    assert latest["latest_full"] is True
    assert latest["judgements"] == {"leadership_and_management": "good"}
    assert [w["row"] for w in result.warnings] == [7]


def test_read_all_reads_csv_and_ods_in_order(tmp_path):
    write(tmp_path / "providers_at_30sep2014.csv", ["URN,Sector", "SC000040,Private"])
    (tmp_path / "providers_at_30sep2014.ods").write_bytes(b"PK")
    (tmp_path / "notes.txt").write_text("not data")
    results = stats.read_all(tmp_path)
    assert [Path(r.path).name for r in results] == ["providers_at_30sep2014.csv",
                                                   "providers_at_30sep2014.ods"]
    assert [r.kind for r in results] == ["providers", "skipped"]


# --- vocabularies ---------------------------------------------------------------------------


@pytest.mark.parametrize("label, area", [
    ("\nLatest Full inspection event type", None),
    ("Latest full inspectio health services", "health"),
    ("Inspection the effectiveness of leaders and managers", "leadership_and_management"),
    ("Previous effectiveness of leaders and managers", "leadership_and_management"),
    ("The safety of children and young people", "safeguarding"),
    ("How well children and young people are helped and protected", "help_and_protection"),
    ("Experiences and progress of, and outcomes for, children and young people",
     "experiences_and_progress"),
    ("Supported Accommodation outcome", "supported_accommodation"),
])
def test_grade_columns_map_to_areas(label, area):
    column, = stats.map_columns([label])
    assert column.target == ("area:" + area if area else "event_type")


def test_organisation_is_an_owner_except_among_the_2013_outcome_areas():
    owner, = stats.map_columns(["Organisation"])
    assert owner.target == "owner"
    targets = [c.target for c in stats.map_columns(["Achieving economic wellbeing", "Organisation"])]
    assert targets == ["area:economic_wellbeing", "area:organisation"]


@pytest.mark.parametrize("printed, token", [
    ("Requires improvement to be good", "requires_improvement"),
    ("Requires Improvement to be good", "requires_improvement"),
    ("Adequate", "adequate"),
    ("Improved effectiveness", "improved_effectiveness"),
    ("Sustained Effectiveness", "sustained_effectiveness"),
    ("Declined in effectiveness", "declined_effectiveness"),
    ("Declined effectiveness", "declined_effectiveness"),
    ("NMS Not Met", "not_met"),
    ("Not judged", "not_judged"),
    ("Bolton", None),
])
def test_grade_words(printed, token):
    assert stats.grade_token(printed) == token


@pytest.mark.parametrize("label, token", [
    ("Full inspection", "full"), ("Full Inspection", "full"), ("SC Interim", "interim"),
    ("Interim inspection", "interim"), ("SC Monitoring Inspection", "monitoring"),
    ("Monitoring Visit", "monitoring"), ("Assurance visit", "assurance"),
    ("SC \u2013 Emergency inspection", "emergency"), ("Emergency visit", "emergency"),
    ("Something new", "other"),
])
def test_event_types(label, token):
    assert stats.event_type_token(label) == token


@given(st.dates())
def test_dates_read_back_as_iso(day):
    assert stats.parse_date(day.strftime("%d/%m/") + f"{day.year:04d}") == day.isoformat()


@pytest.mark.parametrize("printed, status", [("Active", "Active"), ("ACTIVE", "Active"), (" active ", "Active"),
                                             ("Resigned", "Resigned"), ("", None), (None, None)])
def test_registration_status_has_one_spelling(printed, status):
    # the stored queries select active providers by the literal "Active"
    assert stats.status_label(printed) == status


def test_a_row_without_a_provision_type_is_typed_not_recorded():
    # every provider, snapshot and owner holding has a type: the stored queries pick one by joining on it
    from ofsted_kg.mapping.stats import provision_type_key
    from ofsted_kg.rdf import known_concepts
    assert provision_type_key({"provision_type_key": None}) == "not-recorded"
    assert provision_type_key({"provision_type_key": "independent-fostering-provider"}) == "independent-fostering-agency"
    assert "https://w3id.org/ofsted-kg/id/provision-type/not-recorded" in known_concepts()
