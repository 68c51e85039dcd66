"""The research panel against the statistics CSVs it comes from, read here with the csv module."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pytest
from test_export import STATS_FILES, stats_store, stats_store_path  # noqa: F401  (shared session store)
from typer.testing import CliRunner

from ofsted_kg.cli import app
from ofsted_kg.networks import panel
from ofsted_kg.paths import shared_dir

RELEASE_FILE = "providers_places_at_31mar2024.csv"
RELEASE = "2024-03-31"
# the overall grades the 2024 release prints (SCCIF), as the panel's tokens
GRADES = {"Outstanding": "outstanding", "Good": "good", "Requires improvement to be good": "requires_improvement",
          "Inadequate": "inadequate"}


def _token(text: str) -> str:
    """A printed label as a lower-case hyphenated token ("Children's Home" -> childrens-home)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("\u2019", "")).strip("-")


def _iso(day: str) -> str:
    return dt.datetime.strptime(day.strip(), "%d/%m/%Y").date().isoformat() if day.strip() else ""


@pytest.fixture(scope="module")
def release_rows():
    """URN -> the row of the 31 March 2024 release, read from the CSV (its table starts at the 'URN' header)."""
    if RELEASE_FILE not in STATS_FILES:
        pytest.skip("the shared test store does not hold the 2024 release")
    path = shared_dir() / "data" / "ofsted_stats" / RELEASE_FILE
    with open(path, encoding="cp1252", newline="") as handle:
        lines = list(csv.reader(handle))
    start = next(n for n, line in enumerate(lines) if "URN" in line)
    header = lines[start]
    return {row[header.index("URN")].strip(): dict(zip(header, row)) for row in lines[start + 1:] if any(row)}


@pytest.fixture(scope="module")
def written(stats_store, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("panel")
    result = CliRunner().invoke(app, ["export", "--view", "panel", "--format", "csv", "--out", str(folder / "panel.csv"),
                                      "--store", str(stats_store_path())])
    assert result.exit_code == 0, result.output
    with open(folder / "panel.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return folder, rows


def test_one_row_per_provider_in_the_release(written, release_rows):
    _, rows = written
    urns = [r["urn"] for r in rows if r["release_date"] == RELEASE]
    assert len(urns) == len(set(urns)) and set(urns) == set(release_rows)
    keys = [(r["urn"], r["release_date"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_each_row_says_what_the_release_printed(written, release_rows):
    _, rows = written
    for row in (r for r in rows if r["release_date"] == RELEASE):
        printed = release_rows[row["urn"]]
        assert row["provision_type"] == _token(printed["Provision type"]), row["urn"]
        assert row["sector"] == _token(printed["Sector"]), row["urn"]
        assert row["local_authority"] == printed["Local authority"].strip(), row["urn"]
        assert row["region"] == printed["Government Office Region"].strip(), row["urn"]
        assert row["registration_status"] == printed["Registration status"].strip(), row["urn"]
        assert row["places"] == printed["Places"].strip(), row["urn"]
        assert row["registration_date"] == _iso(printed["Registration date"]), row["urn"]


def test_owner_at_the_release_is_the_printed_owner(written, release_rows, stats_store):  # noqa: F811
    _, rows = written
    # the graph names each owner by one preferred spelling across releases, and keeps every spelling
    # a release wrote as an alternative label (docs/owners.md)
    spellings: dict[str, set[str]] = {}
    for organisation, label in stats_store.query(
            "SELECT ?o ?l WHERE { ?o <http://www.w3.org/2004/02/skos/core#altLabel> ?l }").rows:
        spellings.setdefault(str(organisation), set()).add(_organisation_key(label))
    same = differ = 0
    for row in (r for r in rows if r["release_date"] == RELEASE):
        printed = " ".join(release_rows[row["urn"]]["Organisation which owns the provider"].split())
        if not printed:
            assert row["owner"] == "", row["urn"]
            continue
        if _organisation_key(printed) in spellings.get(row["owner_id"], set()) | {_organisation_key(row["owner"])}:
            same += 1
        else:
            differ += 1
    assert same > 2000 and differ <= same // 200
    owners = {}
    for row in rows:
        if row["owner_id"]:
            owners.setdefault(row["owner_id"], set()).add(row["owner"])
    assert all(len(names) == 1 for names in owners.values())


def _organisation_key(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.casefold().replace("&", " and "))
    return re.sub(r"\W+", "", re.sub(r"\blimited\b", "ltd", name))


def test_latest_full_inspection_as_at_the_release(written, release_rows):
    _, rows = written
    agree = newer = 0
    for row in (r for r in rows if r["release_date"] == RELEASE):
        printed = release_rows[row["urn"]]
        day = _iso(printed["Latest full inspection date"])
        # the release's "latest full inspection" columns sometimes hold a monitoring inspection: its type says so
        if not day or printed["Latest full inspection event type"].strip().lower() != "full inspection":
            continue
        assert row["latest_full_inspection_date"] >= day, row["urn"]
        assert row["latest_full_inspection_date"] <= RELEASE
        if row["latest_full_inspection_date"] == day:
            agree += 1
            assert row["latest_full_inspection_event"] == printed["Latest full inspection event number"].strip()
            grade = printed["Overall experiences and progress of children and young people"].strip()
            assert row["latest_full_grade"] == GRADES[grade], row["urn"]
        else:
            # an inspection started by the release but published after it, known from a later file
            newer += 1
    assert agree > 2000 and newer < agree // 10


def test_the_datapackage_describes_the_file(written):
    folder, rows = written
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    [resource] = package["resources"]
    assert resource["path"] == "panel.csv" and resource["format"] == "csv"
    assert [f["name"] for f in resource["schema"]["fields"]] == list(rows[0].keys())
    assert resource["schema"]["primaryKey"] == ["urn", "release_date"]
    types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    for row in rows:
        for name, value in row.items():
            if value and types[name] == "integer":
                int(value)
            elif value and types[name] == "date":
                dt.date.fromisoformat(value)


def test_arrow_reads_the_csv_with_the_datapackages_types(written):
    pa = pytest.importorskip("pyarrow")
    from pyarrow import csv as arrow_csv

    folder, rows = written
    fields = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]["schema"]["fields"]
    kinds = {"string": pa.string(), "integer": pa.int64(), "date": pa.date32()}
    table = arrow_csv.read_csv(folder / "panel.csv", convert_options=arrow_csv.ConvertOptions(
        column_types={f["name"]: kinds[f["type"]] for f in fields}, strings_can_be_null=True))
    assert table.num_rows == len(rows)
    # URNs of digits only stay text, as the dictionary says
    assert table.column("urn").to_pylist() == [r["urn"] for r in rows]
    assert table.column("places").to_pylist() == [int(r["places"]) if r["places"] else None for r in rows]


def test_parquet_keeps_the_types(stats_store, tmp_path):  # noqa: F811
    pq = pytest.importorskip("pyarrow.parquet")
    package, count = panel.write_panel(stats_store, "parquet", tmp_path / "panel.parquet")
    table = pq.read_table(tmp_path / "panel.parquet")
    assert table.num_rows == count and table.column_names == list(panel.COLUMNS)
    assert str(table.schema.field("release_date").type) == "date32[day]"
    assert str(table.schema.field("places").type) == "int64"
    assert json.loads(package.read_text(encoding="utf-8"))["resources"][0]["format"] == "parquet"


def test_docs_hold_the_dictionary():
    from ofsted_kg.docs import DOCS

    assert (DOCS / "panel.md").read_text(encoding="utf-8") == panel.dictionary_markdown()


def test_the_panel_takes_csv_or_parquet_only(tmp_path):
    result = CliRunner().invoke(app, ["export", "--view", "panel", "--format", "graphml", "--out", str(tmp_path / "p.xml"),
                                      "--store", str(tmp_path)])
    assert result.exit_code == 2 and "csv or parquet" in result.output
