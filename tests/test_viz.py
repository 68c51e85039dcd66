"""Pictures: the SC066400 neighbourhood as a self-contained page and a PNG, and the headline charts."""
from __future__ import annotations

import re

import pytest
from test_export import ID, chrome_driver, fixture_store, stats_store  # noqa: F401  (shared session fixtures)

from ofsted_kg.networks import viz

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def nexus(stats_store):  # noqa: F811
    return viz.provider_picture_graph(stats_store, "SC066400", hops=2)


def test_sc066400_neighbourhood_shows_its_owner_and_inspections(nexus):
    labels = {a["label"].lower() for _, a in nexus.nodes(data=True)}
    assert "nexus fostering ltd" in labels
    inspection = nexus.nodes[ID + "inspection/10222195"]
    assert inspection["type"] == "Inspection"
    assert inspection["grade"] == "outstanding"
    assert inspection["label"] == "inspection 2022-12-05 outstanding"
    assert nexus.has_edge(ID + "inspection/10222195", ID + "provider/SC066400")


def test_picture_folds_posts_findings_and_grades_of_the_fixture(fixture_store):  # noqa: F811
    graph = viz.provider_picture_graph(fixture_store, "SC000001", hops=1)
    types = {a["type"] for _, a in graph.nodes(data=True)}
    assert {"Provider", "Organisation", "Person", "Inspection", "Requirement", "Provision", "Instrument"} <= types
    assert not types & {"Post", "Judgement", "Grade", "Role"}
    roles = {a["relation"] for u, v, a in graph.edges(data=True) if v == ID + "provider/SC000001"}
    assert {"registered_manager", "responsible_individual", "inspected"} <= roles


def test_html_page_is_self_contained(stats_store, tmp_path):  # noqa: F811
    page = tmp_path / "nexus.html"
    viz.provider_picture(stats_store, "SC066400", page, hops=2)
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text) and not re.search(r"<link[^>]+href=", text)
    assert "cytoscape" in text and "10222195" in text


def test_html_page_draws_in_chromium(stats_store, tmp_path):  # noqa: F811
    page = tmp_path / "nexus.html"
    graph = viz.provider_picture(stats_store, "SC066400", page, hops=2)
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


def test_neighbourhood_png_is_a_real_picture(stats_store, tmp_path):  # noqa: F811
    viz.provider_picture(stats_store, "SC066400", tmp_path / "nexus.png", hops=2)
    assert _is_png(tmp_path / "nexus.png", 20_000)


@pytest.mark.parametrize("name", viz.CHARTS)
def test_charts_are_real_pictures(stats_store, tmp_path, name):  # noqa: F811
    viz.chart(stats_store, name, tmp_path / f"{name}.png")
    assert _is_png(tmp_path / f"{name}.png", 15_000)


def test_unknown_output_suffix_is_refused(stats_store, tmp_path):  # noqa: F811
    with pytest.raises(ValueError):
        viz.provider_picture(stats_store, "SC066400", tmp_path / "nexus.svg")
