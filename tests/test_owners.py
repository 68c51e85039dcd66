"""Owners: one organisation per owner, the owner at each inspection, and the owner queries on real data.

Expected values on the real data are computed here from the statistics CSVs with the csv module.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ofsted_kg import stored
from ofsted_kg.linking.names import OwnerAlias, owner_name, read_owner_aliases, resolve_owners, spelling_match

# ------------------------------------------------------------------ names, no data needed


@pytest.mark.parametrize("raw, name", [
    ("Brightwater Care Limited 01234567", "Brightwater Care Limited"),
    ("Brightwater Care Ltd (Co Number 01234567)", "Brightwater Care Ltd"),
    ("Brightwater Care - company number 01234567", "Brightwater Care"),
    ("Brightwater Trust 01234567, 1123456", "Brightwater Trust"),
    ("Brightwater Care Limited company number 01234567", "Brightwater Care Limited"),
    ("Society for Zoë and Łukasz (The)", "The Society for Zoë and Łukasz"),
    ("1848 Ltd", "1848 Ltd"),
    ("Ní Mhaoláin Homes", "Ní Mhaoláin Homes"),
])
def test_owner_names_lose_company_numbers_and_read_the_bracketed_the(raw, name):
    assert owner_name(raw) == name


@pytest.mark.parametrize("raw", ["", " ", "0", "-", "3.13", "N/A", "Owned by an individual", "unknown"])
def test_placeholders_name_no_owner(raw):
    assert owner_name(raw) is None


@pytest.mark.parametrize("a, b, rule", [
    ("Brightwater 2 Care Limited", "Brightwater2care Ltd", "same letters"),
    ("Brightwater Care Group", "Brightwater Care Group Ltd", "same letters"),
    ("Brightwater (North) Fostering and Adoption", "Brightwater North Adoption and Fostering", "same words"),
    ("Brightwatter Care Limited", "Brightwater Care Limited", "similar spelling"),
])
def test_spellings_of_one_name_match(a, b, rule):
    assert spelling_match(a, b)[0] == rule


@pytest.mark.parametrize("a, b", [
    ("Brightwater Care 2 Limited", "Brightwater Care Limited"),        # a numbered company of its own
    ("Brightwater Care II Ltd", "Brightwater Care Ltd"),
    ("Brightwater Care Ltd", "Brightwater Childcare Ltd"),
    ("Brightwater Care (Midlands) Ltd", "Brightwater Care Ltd"),
    ("Brightwater Fostering Eastern", "Brightwater Fostering South East"),
])
def test_names_a_word_apart_do_not_match(a, b):
    assert spelling_match(a, b) is None


def _resolve(rows, aliases=()):
    """rows: (provider, date, spelling) as releases list them."""
    from ofsted_kg.linking.names import owner_key

    spellings: dict[str, Counter] = defaultdict(Counter)
    sightings: dict[str, list] = defaultdict(list)
    for urn, day, spelling in rows:
        spellings[owner_key(spelling)][spelling] += 1
        sightings[urn].append((day, owner_key(spelling)))
    return resolve_owners(spellings, sightings, list(aliases))


def test_spellings_join_only_on_consecutive_release_evidence():
    resolution = _resolve([("P1", "2023-03-31", "Brightwater Care"), ("P1", "2024-03-31", "Brightwater Care Ltd"),
                           ("P2", "2024-03-31", "Riverside Homes"), ("P3", "2024-03-31", "Riverside Homes Ltd")])
    assert resolution.organisation("Brightwater Care") == resolution.organisation("Brightwater Care Ltd")
    # a trading name and a company with no provider listed under both stay apart
    assert resolution.organisation("Riverside Homes") != resolution.organisation("Riverside Homes Ltd")
    [merge] = [m for m in resolution.merges if m.spelling == "Brightwater Care"]
    assert merge.rule == "same letters" and "P1 2023-03-31 -> 2024-03-31" in merge.evidence
    # a sale to another company between releases is evidence, but the names do not match
    sold = _resolve([("P1", "2023-03-31", "Brightwater Care Ltd"), ("P1", "2024-03-31", "Harbour Group Ltd")])
    assert sold.organisation("Brightwater Care Ltd") != sold.organisation("Harbour Group Ltd")


def test_an_alias_file_forces_a_merge_or_a_split(tmp_path):
    rows = [("P1", "2023-03-31", "Brightwater Care"), ("P1", "2024-03-31", "Brightwater Care Ltd"),
            ("P2", "2024-03-31", "BWC Homes"), ("P3", "2024-03-31", "Harbour Group Ltd")]
    path = tmp_path / "aliases.csv"
    path.write_text("spelling,canonical name,reason\n"
                    "Brightwater Care,Brightwater Care,a trading name of another company\n"
                    "BWC Homes,Harbour Group Ltd,the same company by its initials\n"
                    "only one cell\n", encoding="utf-8")
    aliases, problems = read_owner_aliases(path)
    assert len(aliases) == 2 and len(problems) == 1 and str(path) in problems[0] and "row 4" in problems[0]
    resolution = _resolve(rows, aliases)
    assert resolution.organisation("Brightwater Care") != resolution.organisation("Brightwater Care Ltd")
    assert resolution.organisation("BWC Homes") == resolution.organisation("Harbour Group Ltd")
    assert {m.rule for m in resolution.merges if m.spelling in ("Brightwater Care", "BWC Homes")} == {
        "alias: own organisation", "alias: merge"}
    assert resolution.label[resolution.organisation("BWC Homes")] == "Harbour Group Ltd"
    # a spelling given a name no release wrote joins an organisation of that name
    renamed = _resolve(rows, [OwnerAlias("Brightwater Care Ltd", "Brightwater Group")])
    assert renamed.label[renamed.organisation("Brightwater Care Ltd")] == "Brightwater Group"


# ------------------------------------------------------------------ the real statistics, read with csv

MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
OWNER_COLUMNS = ("organisation which owns the provider", "organisation name", "organisation")


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header (lower case, spaces collapsed) and rows of one statistics CSV."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        rows = list(csv.reader(handle))
    at = next(i for i, row in enumerate(rows[:25]) if any(c.strip() in ("URN", "Provider URN") for c in row))
    return [" ".join(c.split()).lower() for c in rows[at]], rows[at + 1:]


def _iso(value: str) -> str | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else None


def _release_date(path: Path) -> str:
    day, month, year = re.search(r"at_(\d+)([a-z]{3})(\d{4})", path.name).groups()
    return f"{year}-{MONTHS[month]:02d}-{int(day):02d}"


class Releases:
    """What the CSVs say about owners, types, places and inadequate judgements."""

    def __init__(self, folder: Path) -> None:
        self.owners: dict[str, dict[str, str]] = defaultdict(dict)      # urn -> release date -> owner as written
        self.named: dict[str, dict[str, str]] = defaultdict(dict)       # the same, and inspection date -> owner
        self.rows: dict[str, list[dict]] = defaultdict(list)            # release date -> rows as dicts
        self.dates_without_owner: set[str] = set()
        self.inadequate: set[tuple[str, str]] = set()                   # (urn, inspection date)
        for path in sorted(folder.glob("*.csv")):
            if path.name.startswith(("joiners", "closed")):
                continue
            header, rows = _table(path)
            urn = header.index("urn") if "urn" in header else header.index("provider urn")
            owner = next((header.index(c) for c in OWNER_COLUMNS if c in header), None)
            if "achieving economic wellbeing" in header:   # there "Organisation" is a judgement
                owner = None
            release = _release_date(path) if path.name.startswith("providers") else None
            if release and owner is None:
                self.dates_without_owner.add(release)
            # each inspection's date column, paired with the first overall grade column after it
            dates = [i for i, h in enumerate(header) if re.search(r"\bdate$", h) and "publication" not in h
                     and "registration" not in h]
            pairs = []
            for n, i in enumerate(dates):
                end = dates[n + 1] if n + 1 < len(dates) else len(header)
                grade = next((j for j in range(i + 1, end) if header[j].split(" overall ")[-1].startswith(
                    ("overall effectiveness", "experiences and progress")) or header[j].startswith("overall")), None)
                if grade is not None:
                    pairs.append((i, grade))
            for row in rows:
                if len(row) <= urn or not row[urn].strip():
                    continue
                key = row[urn].strip()
                for day, grade in pairs:
                    if grade < len(row) and row[grade].strip().lower() == "inadequate" and _iso(row[day]):
                        self.inadequate.add((key, _iso(row[day])))
                name = " ".join(row[owner].split()) if owner is not None and owner < len(row) else ""
                if not re.search(r"[^\W\d_]", name):
                    name = ""
                if release:
                    self.rows[release].append(dict(zip(header, row)))
                    if name:
                        self.owners[key][release] = self.named[key][release] = name
                elif name and pairs and _iso(row[pairs[0][0]]):
                    # an in-year inspections file: the owner as at the inspection
                    self.named[key].setdefault(_iso(row[pairs[0][0]]), name)

    def owner_at(self, urn: str, day: str) -> str | None:
        """The owner named by the latest release on or before ``day`` that names one."""
        seen = [d for d in sorted(self.owners.get(urn, {})) if d <= day]
        return self.owners[urn][seen[-1]] if seen else None

    def owner_now(self, urn: str) -> str | None:
        """The owner named by the latest record that names one: a release, or an inspections file's row."""
        seen = sorted(self.named.get(urn, {}))
        return self.named[urn][seen[-1]] if seen else None


def letters(name: str | None) -> str:
    """A name's letters and digits, for comparing spellings here, without a trailing company number or legal form."""
    text = re.sub(r"[\s(]*\d{6,8}\)?$", "", (name or "").lower())
    return re.sub(r"(limited|ltd)$", "", re.sub(r"[^a-z0-9]", "", text))


@pytest.fixture(scope="module")
def releases(shared) -> Releases:
    return Releases(shared / "data" / "ofsted_stats")


@pytest.fixture(scope="module")
def store(kg_store):
    return kg_store


def _owner_at_inspection(store, urns: set[str]) -> dict[tuple[str, str], set[str]]:
    rows = store.query("""
        PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?urn ?day ?owner WHERE {
          ?inspection ok:inspected ?provider ; ok:startDate ?day ;
                      ok:overallGrade <https://w3id.org/ofsted-kg/id/grade/inadequate> .
          GRAPH <https://w3id.org/ofsted-kg/graph/derived> { ?provider ok:urn ?urn }
          OPTIONAL { GRAPH <https://w3id.org/ofsted-kg/graph/derived> { ?inspection ok:ownerAtInspection/skos:prefLabel ?owner } }
        }""").rows
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for urn, day, owner in rows:
        if urn in urns:
            found[(urn, str(day))].add(letters(owner) if owner else None)
    return found


def test_inadequate_judgements_are_credited_to_the_owner_at_the_time(store, releases):
    # the providers that one company owns now, some of them bought from another before
    now = {urn: releases.owner_now(urn) for urn in releases.owners}
    aspris = {urn for urn, owner in now.items() if letters(owner) == letters("Aspris Children's Services Limited")}
    judged = {(u, d) for u, d in releases.inadequate if u in aspris}
    expected = {(u, d): {letters(releases.owner_at(u, d)) if releases.owner_at(u, d) else None} for u, d in judged}
    assert len(judged) >= 10
    at_the_time = Counter(owner for owners in expected.values() for owner in owners)
    assert at_the_time[letters("Priory Education Services Limited")] >= 5   # bought from another owner
    assert _owner_at_inspection(store, aspris) == expected


def test_owners_by_inadequate_counts_each_owner_at_the_time(store, releases):
    rows = {letters(owner): (providers, count) for owner, providers, count in stored.run(store, "owners-by-inadequate").rows}
    for owner in ("Priory Education Services Limited", "Aspris Children's Services Limited"):
        mine = {(u, d) for u, d in releases.inadequate if letters(releases.owner_at(u, d)) == letters(owner)}
        assert rows[letters(owner)] == (len({u for u, _ in mine}), len(mine)), owner


def _organisation_of(store, spelling: str) -> set[str]:
    return {str(o) for (o,) in store.query(f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?o WHERE {{ GRAPH <https://w3id.org/ofsted-kg/graph/derived> {{
          ?o skos:altLabel {stored.rdf_term(spelling)} }} }}""").rows}


def test_one_owner_spelled_several_ways_is_one_organisation(store, releases):
    spellings = {o for seen in releases.owners.values() for o in seen.values()}
    family = {s for s in spellings if re.sub(r"[^a-z0-9]", "", s.lower()) in ("homes2inspirelimited", "homes2inspire")}
    assert len(family) >= 3
    assert len(set().union(*(_organisation_of(store, s) for s in family))) == 1
    numbered = {s for s in spellings if re.search(r"\d{8}$", s)}
    assert numbered
    for spelling in numbered:   # the same company without its number is the same organisation
        plain = spelling.rsplit(" ", 1)[0]
        if plain in spellings:
            assert _organisation_of(store, spelling) == _organisation_of(store, plain), spelling
    the = {s for s in spellings if s.lower().endswith("(the)")}
    for spelling in the:
        plain = spelling[: -len("(The)")].strip()
        if plain in spellings:
            assert _organisation_of(store, spelling) == _organisation_of(store, plain), spelling


def test_placeholders_are_no_organisation(store, shared):
    placeholders = set()
    for path in (shared / "data" / "ofsted_stats").glob("providers_*.csv"):
        header, rows = _table(path)
        column = next((header.index(c) for c in OWNER_COLUMNS if c in header), None)
        placeholders |= {row[column].strip() for row in rows
                         if column is not None and column < len(row) and not re.search(r"[^\W\d_]", row[column])}
    assert {"", "0"} <= placeholders
    rows = store.query("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE { GRAPH <https://w3id.org/ofsted-kg/graph/derived> { ?o skos:altLabel ?label } }""").rows
    labels = {label for (label,) in rows}
    assert labels and not labels & (placeholders | {"0", "-", ""})


def test_build_writes_the_merges_and_their_evidence(built_store):
    from ofsted_kg.build import OWNER_MERGES
    from ofsted_kg.registry import FOLDER
    from ofsted_kg.store import current_version

    with open(current_version(built_store) / FOLDER / OWNER_MERGES, encoding="utf-8", newline="") as handle:
        merges = list(csv.DictReader(handle))
    evidence = [m for m in merges if m["rule"] in ("same letters", "similar spelling", "same words", "same council")]
    assert evidence and all("consecutive releases" in m["evidence"] for m in evidence)
    by_spelling = {m["spelling"]: m["organisation_key"] for m in merges}
    assert by_spelling["Homes2inspire Limited"] == by_spelling["Homes 2 inspire"]


# ------------------------------------------------------------------ the owner queries on real data


def _type(row: dict) -> str:
    return re.sub(r"[^a-z0-9]+", "-", row.get("provision type", "").lower().replace("'", "")).strip("-")


def _places(row: dict) -> int:
    value = (row.get("places") or "").strip()
    return int(value) if value.isdigit() else 0


def _owner_of(row: dict) -> str | None:
    name = " ".join((row.get("organisation which owns the provider") or "").split())
    return name if re.search(r"[^\W\d_]", name) else None


def test_top_owners_match_the_latest_release(store, releases):
    latest = max(releases.rows)
    held: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in releases.rows[latest]:
        if _type(row) == "childrens-home" and _owner_of(row):
            held[letters(_owner_of(row))][0] += 1
            held[letters(_owner_of(row))][1] += _places(row)
    total = sum(places for _, places in held.values())
    expected = sorted(((owner, n, places) for owner, (n, places) in held.items()), key=lambda t: (-t[2], -t[1]))[:5]
    rows = stored.run(store, "top-owners", provision_type="childrens-home", n="5").rows
    assert [(letters(o), n, p) for o, n, p, _ in rows] == expected
    assert [share for *_, share in rows] == [round(p / total, 4) for _, _, p in expected]


def test_place_concentration_per_type_and_releases_without_owners(store, releases):
    rows = stored.run(store, "place-concentration", provision_type="childrens-home").rows
    by_date = {r[0]: r for r in rows}
    for release in sorted(releases.dates_without_owner):
        assert by_date[release][1:7] == (None,) * 6 and "no owner column" in by_date[release][7]
    latest = max(releases.rows)
    places, spellings = Counter(), set()
    for row in releases.rows[latest]:
        if _type(row) == "childrens-home" and _owner_of(row):
            places[letters(_owner_of(row))] += _places(row)
            spellings.add(_owner_of(row))
    held = [p for p in places.values() if p]
    _, provision_type, owners, total, largest, *_ = by_date[latest]
    assert (provision_type, total, largest) == ("childrens-home", sum(held), max(held))
    # spellings that differ only in case, spaces or legal form are one owner only where a provider's
    # releases show it; so the owners lie between the letter-for-letter names and the spellings
    assert len(places) <= owners <= len(spellings)


def test_find_provider_by_any_spelling_of_the_owner(store, releases):
    expected = sorted(u for u in releases.named if letters(releases.owner_now(u)) == "homes2inspire")
    rows = stored.run(store, "find-provider", owner="homes2inspire").rows
    assert expected and [r[0] for r in rows] == expected
    assert {r[4] for r in rows} == {"Homes 2 Inspire Limited"}


def test_a_graded_monitoring_visit_is_the_latest_grade_where_the_release_says_so(store, releases):
    latest = max(releases.rows)
    graded = {}
    for row in releases.rows[latest]:
        kind = next((v for k, v in row.items() if k.endswith("event type")), "")
        grade = row.get("overall experiences and progress of children and young people", "").strip()
        if "monitoring" in kind.lower() and grade:
            # "Requires improvement to be good" is the grade the graph calls requires_improvement
            graded[row["urn"].strip()] = re.sub(r"^requires improvement.*", "requires improvement", grade.lower()).replace(" ", "_")
    assert graded
    rows = dict(store.query("""
        PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
        SELECT ?urn ?grade WHERE { GRAPH <https://w3id.org/ofsted-kg/graph/derived> {
          ?p ok:urn ?urn ; ok:latestOverallGrade ?g } BIND(STRAFTER(STR(?g), "/grade/") AS ?grade) }""").rows)
    assert {urn: rows.get(urn) for urn in graded} == graded


def test_one_person_one_row_whatever_the_case_of_the_name(store):
    for name in ("inspector-caseload", "lead-inspectors", "responsible-individuals-across-providers"):
        names = [row[0] for row in stored.run(store, name).rows]
        assert len({n.casefold() for n in names}) == len(names), name


def test_grades_by_owner_match_the_latest_release(store, releases):
    # one owner's current providers: those its latest release lists as Active, graded as that release
    # gives their latest inspection (a graded monitoring visit where the release gives one)
    latest = max(releases.rows)
    grades = Counter()
    for row in releases.rows[latest]:
        if letters(_owner_of(row)) == "homes2inspire" and row.get("registration status", "").strip() == "Active":
            grade = row.get("overall experiences and progress of children and young people", "").strip().lower()
            grades[re.sub(r"^requires improvement.*", "requires improvement", grade) or "not graded"] += 1
    graded = sum(grades.values()) - grades["not graded"]
    expected = ("Homes 2 Inspire Limited", sum(grades.values()), grades["not graded"], grades["outstanding"],
                grades["good"], grades["requires improvement"], grades["inadequate"], graded,
                *(round(grades[g] / graded, 4) for g in ("outstanding", "good", "requires improvement", "inadequate")))
    rows = {row[0]: row for row in stored.run(store, "grades-by", by="owner").rows}
    assert graded and rows["Homes 2 Inspire Limited"] == expected


# ------------------------------------------------------------------ a build with an alias file

HEADER = ["URN", "Provision type", "Registration status", "Name", "Local authority", "Sector", "Places",
          "Organisation which owns the provider"]


def _release(folder: Path, name: str, rows: list[list[str]]) -> None:
    with open(folder / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def test_a_build_resolves_owners_reads_aliases_and_writes_the_merges(tmp_path):
    from typer.testing import CliRunner

    from ofsted_kg.build import build
    from ofsted_kg.cli import app
    from ofsted_kg.store import EmbeddedStore

    data = tmp_path / "data"
    data.mkdir()
    _release(data, "providers_places_at_31mar2024.csv", [
        ["SC900001", "Children's home", "Active", "Rowan House", "Leeds", "Private", "4", "Brightwater 2 Care Limited"],
        ["SC900002", "Children's home", "Active", "Ash House", "Leeds", "Private", "3", "Harbour Homes (The)"],
        ["SC900003", "Children's home", "Active", "Elm House", "Leeds", "Private", "2", "0"],
        ["SC900004", "Children's home", "Active", "Oak House", "Leeds", "Private", "5", "BWC Homes"]])
    _release(data, "providers_places_at_31mar2025.csv", [
        ["SC900001", "Children's home", "Active", "Rowan House", "Leeds", "Private", "4", "Brightwater2care Ltd 01234567"],
        ["SC900002", "Children's home", "Active", "Ash House", "Leeds", "Private", "3", "The Harbour Homes"],
        ["SC900003", "Children's home", "Active", "Elm House", "Leeds", "Private", "2", "-"],
        ["SC900004", "Children's home", "Active", "Oak House", "Leeds", "Private", "5", "BWC Homes"]])
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("BWC Homes,Brightwater 2 Care Limited,the same company by its initials\n", encoding="utf-8")
    target = tmp_path / "store"
    summary = build([data], target, owner_aliases=aliases)
    assert summary.ok, summary.failed
    store = EmbeddedStore(target)
    rows = stored.run(store, "top-owners", provision_type="childrens-home").rows
    # the company number, "(The)", a placeholder and the alias: two owners; Elm House has none
    assert rows == [("Brightwater 2 Care Limited", 2, 9, 0.75), ("The Harbour Homes", 1, 3, 0.25)]
    found = stored.run(store, "find-provider", owner="bwc").rows
    assert [r[0] for r in found] == ["SC900001", "SC900004"]
    out = tmp_path / "merges.csv"
    result = CliRunner().invoke(app, ["owners", "--store", str(target), "--merges", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as handle:
        merges = {m["spelling"]: m for m in csv.DictReader(handle)}
    assert merges["BWC Homes"]["rule"] == "alias: merge" and "initials" in merges["BWC Homes"]["evidence"]
    assert merges["Brightwater2care Ltd 01234567"]["rule"] == "same letters"
    assert "SC900001 2024-03-31 -> 2025-03-31" in merges["Brightwater2care Ltd 01234567"]["evidence"]
    # the alias file changed: the next build redoes the owners though no statistics file changed
    aliases.write_text("BWC Homes,BWC Homes,a company of its own\n", encoding="utf-8")
    again = build([data], target, owner_aliases=aliases)
    assert again.mode == "incremental"
    rows = stored.run(EmbeddedStore(target), "top-owners", provision_type="childrens-home").rows
    assert [r[0] for r in rows] == ["BWC Homes", "Brightwater 2 Care Limited", "The Harbour Homes"]
