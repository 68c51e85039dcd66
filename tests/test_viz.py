"""Pictures: a provider's profile (its own facts only) as a page and a PNG, and charts with their scope."""
from __future__ import annotations

import csv
import re

import pytest
from test_export import ID, chrome_driver, fixture_store, stats_store, stats_store_path  # noqa: F401  (shared fixtures)
from typer.testing import CliRunner

from ofsted_kg.cli import app
from ofsted_kg.networks import viz
from ofsted_kg.paths import shared_dir

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STATS = "data/ofsted_stats/"


def _release(name: str) -> list[dict]:
    """The rows of a statistics CSV, its table found at the header row naming URN."""
    with open(shared_dir() / STATS / name, encoding="cp1252", newline="") as handle:
        lines = list(csv.reader(handle))
    start = next(n for n, line in enumerate(lines) if "URN" in line)
    header = [name.strip() for name in lines[start]]   # 2025 breaks some headers over two lines
    return [dict(zip(header, row)) for row in lines[start + 1:] if any(row)]


def _iso(day: str) -> str:
    d, m, y = day.strip().split("/")
    return f"{y}-{m}-{d}"


@pytest.fixture(scope="module")
def nexus(stats_store):  # noqa: F811
    return viz.provider_profile(stats_store, "SC066400")


def test_profile_holds_the_inspections_the_csvs_print(nexus):
    printed = set()
    for name, columns in (("providers_places_at_31mar2024.csv", ("Latest full inspection date", "Previous full inspection event date")),
                          ("providers_places_at_31mar2025.csv", ("Latest full inspection date", "Previous full inspection event date")),
                          ("inspections_2022-23_all.csv", ("Inspection date",))):
        for row in _release(name):
            if row["URN"].strip() == "SC066400":
                printed |= {_iso(row[c]) for c in columns if row.get(c, "").strip()}
    assert printed and printed <= {str(r["inspection_date"]) for r in nexus.inspections}
    latest = max(nexus.inspections, key=lambda r: str(r["inspection_date"]))
    assert (str(latest["inspection_date"]), latest["overall"]) == ("2022-12-05", "outstanding")


def test_profile_owners_are_the_releases_owners(nexus):
    printed = {r["Organisation which owns the provider"].strip()
               for name in ("providers_places_at_31mar2024.csv", "providers_places_at_31mar2025.csv")
               for r in _release(name) if r["URN"].strip() == "SC066400"}
    [(owner, first, last)] = viz.owner_spells(nexus.owners)
    # the two releases spell it "Ltd" and "LTD"; the graph names it one way
    assert {owner.casefold()} == {name.casefold() for name in printed} and (first, last) == ("2024-03-31", "2025-03-31")


def test_profile_graph_keeps_to_the_provider_and_reads_as_labels(stats_store, nexus):  # noqa: F811
    graph = viz.profile_graph(nexus)
    centre = ID + "provider/SC066400"
    assert all(u == centre or v == centre for u, v in graph.edges())
    assert not [n for n, a in graph.nodes(data=True) if a["type"] == "Provider" and n != centre]
    for _, attrs in graph.nodes(data=True):
        assert not re.search(r"https?://|/id/", attrs["label"]), attrs["label"]
    assert {a["label"] for _, a in graph.nodes(data=True)} >= {"Nexus Fostering (SC066400)", "2022-12-05 full: outstanding"}


def test_profile_of_the_fixture_has_findings_people_and_nothing_of_the_other_provider(fixture_store):  # noqa: F811
    profile = viz.provider_profile(fixture_store, "SC000001")
    # SC000002's inspection cites regulation 20; this provider's two requirements cite 17(1) and 17(2)
    assert [(r["label"], r["kind"], r["findings"]) for r in profile.findings] == [("uksi/2011/581 17", "requirement", 2)]
    assert {(r["name"], r["role"]) for r in profile.people} == {
        ("Jane Inspector", "lead_inspector"), ("Sam Manager", "registered_manager"), ("Pat Owner", "responsible_individual")}
    graph = viz.profile_graph(profile)
    labels = {a["label"] for _, a in graph.nodes(data=True)}
    assert "Acme Care Ltd" in labels and not any("Beta" in label for label in labels)


def test_unknown_urn_names_the_closest(stats_store, tmp_path):  # noqa: F811
    result = CliRunner().invoke(app, ["viz", "--urn", "SC066401", "--out", str(tmp_path / "x.png"),
                                      "--store", str(stats_store_path())])
    assert result.exit_code == 1 and "SC066400" in result.output and "Traceback" not in result.output


def test_html_page_is_self_contained(stats_store, tmp_path):  # noqa: F811
    page = tmp_path / "nexus.html"
    viz.provider_picture(stats_store, "SC066400", page)
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text) and not re.search(r"<link[^>]+href=", text)
    assert "cytoscape" in text and "2022-12-05 full: outstanding" in text


def test_html_page_draws_in_chromium(stats_store, tmp_path):  # noqa: F811
    page = tmp_path / "nexus.html"
    graph = viz.provider_picture(stats_store, "SC066400", page)
    driver = chrome_driver(tmp_path / "profile")
    if driver is None:
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    try:
        driver.get(page.as_uri())
        count = driver.execute_script("return window.ofstedKgReady ? cy.elements().length : -1;")
    finally:
        driver.quit()
    assert count == graph.number_of_nodes() + graph.number_of_edges()


def _is_png(path, smallest: int) -> bool:
    data = path.read_bytes()
    return data[:8] == PNG_SIGNATURE and len(data) > smallest


def test_profile_png_is_a_real_picture(stats_store, tmp_path):  # noqa: F811
    viz.provider_picture(stats_store, "SC066400", tmp_path / "nexus.png")
    assert _is_png(tmp_path / "nexus.png", 20_000)


@pytest.mark.parametrize("name", viz.CHARTS)
def test_charts_are_real_pictures(stats_store, tmp_path, name):  # noqa: F811
    viz.chart(stats_store, name, tmp_path / f"{name}.png", provision_types=("childrens-home",))
    assert _is_png(tmp_path / f"{name}.png", 15_000)


def test_current_only_counts_the_latest_releases_registered_providers(stats_store):  # noqa: F811
    rows = _release("providers_places_at_31mar2025.csv")
    expected = {r["URN"].strip() for r in rows if r["Provision type"].strip().lower() == "children's home"
                and r["Registration status"].strip() in ("Active", "Suspended")}
    chosen = viz._providers(stats_store, viz.Scope(("childrens-home",), current_only=True))
    assert set(chosen) == expected


def test_small_groups_are_marked(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from collections import Counter

    import matplotlib.pyplot as plt

    figure, axes = plt.subplots()
    viz._stacked_bars(axes, ["big", "small"], {"big": Counter(good=30), "small": Counter(good=viz.SMALL_GROUP - 1)})
    marks = [t.get_text() for t in axes.texts]
    plt.close(figure)
    assert marks == ["n=30", f"n={viz.SMALL_GROUP - 1}\ntoo few"]


def test_chart_options_are_checked(stats_store, tmp_path):  # noqa: F811
    with pytest.raises(ValueError, match="did you mean childrens-home"):
        viz.chart(stats_store, "grades-by-sector", tmp_path / "x.png", provision_types=("childrens-hom",))
    with pytest.raises(ValueError, match="current-only"):
        viz.chart(stats_store, "owner-concentration", tmp_path / "x.png", current_only=True)


def test_unknown_output_suffix_is_refused(stats_store, tmp_path):  # noqa: F811
    with pytest.raises(ValueError):
        viz.provider_picture(stats_store, "SC066400", tmp_path / "nexus.svg")
