"""Figures researchers quote, each checked against a value computed here from the statistics CSVs in
../shared/data/ofsted_stats with the csv module (no project code reads them for the expected value):
who is registered now, who left and when, who joined, and one inspection per visit."""
import csv
import io
import re
from collections import Counter, defaultdict
from datetime import date

from ofsted_kg import stored as queries

OK = "https://w3id.org/ofsted-kg/ontology#"
ID = "https://w3id.org/ofsted-kg/id/"
DERIVED = "https://w3id.org/ofsted-kg/graph/derived"


def column(name: str) -> str:
    """A header cell as plain lower-case words (the files break lines and vary case in headers)."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().replace("'", "")).split())


def table(path) -> list[dict]:
    """The rows below the first row with a URN column, keyed by plain header words."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    at = next(i for i, row in enumerate(rows) if {"urn", "provider urn"} & {column(c) for c in row})
    header = ["urn" if column(c) == "provider urn" else column(c) for c in rows[at]]
    return [{h: cell.strip() for h, cell in zip(header, row) if h}
            for row in rows[at + 1:] if len(row) > 1 and row[header.index("urn")].strip()]


def iso(day: str) -> str:
    d, m, y = day.split("/")
    return date(int(y), int(m), int(d)).isoformat()


def slug(text: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "")).split())


def stats_dir(shared):
    return shared / "data" / "ofsted_stats"


def releases(shared) -> dict[str, list[dict]]:
    """Snapshot date -> rows, for the providers-at-31-March releases (the ones with a status column)."""
    months = {"mar": 3, "sep": 9}
    out: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(stats_dir(shared).glob("providers_*at_*.csv")):
        d, mon, y = re.search(r"at_(\d+)([a-z]{3})(\d{4})", path.name).groups()
        out[date(int(y), months[mon], int(d)).isoformat()] += table(path)
    return out


def derived(kg_store, variables: str, pattern: str) -> list[tuple]:
    return kg_store.query(f"SELECT {variables} WHERE {{ GRAPH <{DERIVED}> {{ {pattern} }} }}").rows


def status_of(kg_store, urn: str) -> tuple:
    rows = derived(kg_store, "?s ?d", f"<{ID}provider/{urn}> <{OK}registrationStatus> ?s ; <{OK}statusDate> ?d")
    assert len(rows) == 1, (urn, rows)
    return rows[0]


def test_active_providers_are_exactly_those_the_newest_release_lists_as_active(kg_store, shared):
    listed = releases(shared)
    newest = max(listed)
    active = {r["urn"] for r in listed[newest] if r.get("registration status") == "Active"}
    assert len(active) == 5586  # the release's own count of Active rows
    found = {r[0].rsplit("/", 1)[-1] for r in derived(kg_store, "?p", f'?p <{OK}registrationStatus> "Active"')}
    assert found == active


def test_current_provider_queries_count_the_newest_release(kg_store, shared):
    listed = releases(shared)
    rows = [r for r in listed[max(listed)] if r.get("registration status") == "Active"]
    by_region = Counter(r["government office region"] for r in rows if r.get("government office region"))
    grade = next(h for h in rows[0] if h.startswith("overall experiences and progress"))
    inadequate = Counter(r["government office region"] for r in rows if r[grade] == "Inadequate")
    regional = queries.run(kg_store, "regional-latest-grades").as_dicts()
    assert {r["region"]: r["providers"] for r in regional} == dict(by_region)
    assert {r["region"]: r["inadequate"] for r in regional if r["inadequate"]} == dict(inadequate)
    homes = sum(1 for r in rows if r["provision type"].lower() == "children's home" and r["sector"] == "Private")
    by_type = queries.run(kg_store, "providers-by-type").as_dicts()
    assert next(r["providers"] for r in by_type
                if (r["provision_type"], r["sector"]) == ("Children's home", "Private")) == homes
    # owners' portfolios hold only providers listed Active now (the stale status once counted 6,265)
    owned = sum(1 for r in rows if r.get("organisation which owns the provider"))
    portfolios = queries.run(kg_store, "owner-portfolio-grades").as_dicts()
    assert sum(r["providers"] for r in portfolios) <= owned


def test_a_provider_the_newest_release_no_longer_lists_has_left(kg_store, shared):
    listed = releases(shared)
    newest, before = sorted(listed)[-1], sorted(listed)[-2]
    recorded = {r["urn"] for path in stats_dir(shared).glob("joiners_leavers_*.csv") for r in table(path)
                if r.get("leaver status") == "Leaver"}
    recorded |= {r["urn"] for r in table(stats_dir(shared) / "closed_providers.csv")}
    gone = ({r["urn"] for r in listed[before]} - {r["urn"] for r in listed[newest]}) - recorded
    assert len(gone) > 100
    for urn in sorted(gone):
        assert status_of(kg_store, urn) == ("Left", newest)
    departures = derived(kg_store, "?d ?p ?after", f"""?d <{OK}recordedIn> "inferred from release {newest}" ;
                                          <{OK}departureOf> ?p ; <{OK}departedAfter> ?after""")
    assert {p.rsplit("/", 1)[-1] for _, p, _ in departures} == gone
    assert {after for *_, after in departures} == {before}


def test_medway_secure_training_centre_resigned_31_march_2020_after_an_inadequate_inspection(kg_store, shared):
    row = next(r for r in table(stats_dir(shared) / "joiners_leavers_2019-20.csv") if r["urn"] == "1027076")
    assert row["leaver status"] == "Leaver"
    left, kind = iso(row["cancelled or resigned date"]), row["registration status at 31 march 2020"].lower()
    assert (left, kind) == ("2020-03-31", "resigned")
    inadequate = sorted(iso(r["inspection date"]) for path in stats_dir(shared).glob("inspections_*.csv")
                        for r in table(path)
                        if r["urn"] == "1027076" and "full" in (r.get("event type") or r.get("inspection type") or "").lower()
                        and "Inadequate" in r.values() and iso(r["inspection date"]) <= left)
    profile, = queries.run(kg_store, "provider-profile", urn="1027076").as_dicts()
    assert (profile["status"], profile["status_date"]) == ("Resigned", left)
    assert f"{left} resigned (joiners_leavers_2019-20.csv)" in profile["departures"]
    closed = [r for r in queries.run(kg_store, "closed-after-inadequate").as_dicts() if r["urn"] == "1027076"]
    assert [(r["inadequate_date"], r["departure_date"], r["departure_kind"]) for r in closed] == \
        [(inadequate[-1], left, "resigned")]


def test_closed_after_inadequate_has_one_row_per_provider_none_of_them_registered(kg_store):
    result = queries.run(kg_store, "closed-after-inadequate").as_dicts()
    urns = [r["urn"] for r in result]
    assert len(urns) == len(set(urns)) > 250
    for row in result:
        assert row["inadequate_date"] <= row["departure_date"]
        assert status_of(kg_store, row["urn"])[0] not in ("Active", "Suspended")


def test_a_provider_that_joined_and_left_in_2019_20_counts_as_a_registration_that_year(kg_store, shared):
    row = next(r for r in table(stats_dir(shared) / "joiners_leavers_2019-20.csv") if r["urn"] == "2498466")
    assert (row["joiner status"], row["leaver status"]) == ("Joiner", "Leaver")
    registration = derived(kg_store, "?r ?year ?sector ?type ?basis", f"""?r <{OK}registrationOf> <{ID}provider/2498466> ; <{OK}statisticsYear> ?year ;
                                          <{OK}sector> ?sector ; <{OK}provisionType> ?type ; <{OK}basis> ?basis""")
    assert [(year, s.rsplit("/", 1)[-1], t.rsplit("/", 1)[-1], basis) for _, year, s, t, basis in registration] == \
        [("2019-20", slug(row["sector"]), slug(row["provision type"]), "joiner flag")]


def test_children_homes_joining_each_year_by_sector_at_joining(kg_store, shared):
    first: dict[str, tuple] = {}
    for path in sorted(stats_dir(shared).glob("joiners_leavers_*.csv")):
        year = re.search(r"(\d{4}-\d{2})", path.name).group(1)
        for r in table(path):
            if r.get("joiner status") == "Joiner" and r["urn"] not in first:
                first[r["urn"]] = (year, slug(r["sector"]), slug(r["provision type"]))
    expected = Counter((year, sector) for year, sector, kind in first.values() if kind == "childrens-home")
    result = queries.run(kg_store, "new-registrations").as_dicts()
    found = {(r["year"], r["sector"]): r["from_joiner_flags"] for r in result
             if r["provision_type"] == "childrens-home" and r["from_joiner_flags"]}
    assert found == dict(expected)
    # registration dates carry the count past the last joiners file, to the newest release
    years = {r["year"] for r in result}
    assert {"2023-24", "2024-25"} <= years


def full_events(shared, urn: str) -> set[tuple[str, str]]:
    """(identifier, start date) of every full inspection of ``urn`` any statistics CSV gives."""
    found = set()
    for path in stats_dir(shared).glob("*.csv"):
        for r in table(path):
            if r["urn"] != urn:
                continue
            for prefix in ("", "latest full inspection ", "previous full inspection "):
                number = r.get(prefix + "event number") or r.get(prefix + "inspection event number") or \
                    (r.get("inspection id") if not prefix else None)
                day = r.get(prefix + "inspection date") or r.get(prefix + "date")
                kind = (r.get(prefix + "event type") or r.get(prefix + "inspection event type")
                        or r.get(prefix + "inspection type") or r.get("latest full inspection event type") or "")
                if day and "full" in kind.lower():
                    found.add((number or "", iso(day)))
    return found


def store_full_inspections(kg_store, urn: str) -> list[tuple]:
    return kg_store.query(f"""
        SELECT ?i ?start (GROUP_CONCAT(DISTINCT ?id; separator=" ") AS ?ids) WHERE {{
          ?i <{OK}inspected> <{ID}provider/{urn}> ; <{OK}inspectionType> <{ID}inspection-type/full> ;
             <{OK}startDate> ?start .
          OPTIONAL {{ {{ ?i <{OK}eventNumber> ?id }} UNION {{ ?i <{OK}alternativeEventNumber> ?id }} }}
        }} GROUP BY ?i ?start ORDER BY ?start""").rows


def test_one_visit_given_two_identifiers_by_two_files_is_one_inspection(kg_store, shared):
    july = {(number, day) for number, day in full_events(shared, "SC470279") if day.startswith("2014-07")}
    assert {day for _, day in july} == {"2014-07-18", "2014-07-24"} and len({n for n, _ in july}) == 2
    stored = [row for row in store_full_inspections(kg_store, "SC470279") if row[1].startswith("2014-07")]
    assert len(stored) == 1
    assert set(stored[0][2].split()) == {number for number, _ in july}


def test_no_grade_changes_on_one_day(kg_store, shared):
    # the releases give SC002270's full inspection of 29 April 2015 twice, once without an event number
    days = Counter(day for _, day in full_events(shared, "SC002270"))
    assert len({n for n, d in full_events(shared, "SC002270") if d == "2015-04-29"}) == 2
    assert days["2015-04-29"] and [r[1] for r in store_full_inspections(kg_store, "SC002270")].count("2015-04-29") == 1
    same_day = kg_store.query(f"""SELECT ?c WHERE {{ GRAPH <{DERIVED}> {{
        ?c <{OK}fromDate> ?d ; <{OK}toDate> ?d }} }}""").rows
    assert same_day == []


def test_an_event_number_shared_by_several_providers_belongs_to_each(kg_store, shared):
    holders: dict[str, set[str]] = defaultdict(set)
    for path in stats_dir(shared).glob("*.csv"):
        for r in table(path):
            for key, value in r.items():
                if value.isdigit() and (key.endswith("event number") or key == "inspection id"):
                    holders[value].add(r["urn"])
    shared_numbers = {n: urns for n, urns in holders.items() if len(urns) > 1}
    assert "10046737" in shared_numbers
    for number, urns in shared_numbers.items():
        found = kg_store.query(f"""SELECT DISTINCT ?p WHERE {{
            {{ ?i <{OK}eventNumber> "{number}" }} UNION {{ ?i <{OK}alternativeEventNumber> "{number}" }}
            ?i <{OK}inspected> ?p }}""").rows
        assert {p.rsplit("/", 1)[-1] for p, in found} == urns, number
