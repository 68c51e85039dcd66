"""Exports: the views hold what the graph says, and independent readers open every file the same way."""
from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from lxml import etree

from ofsted_kg.networks import export, views
from ofsted_kg.paths import shared_dir
from ofsted_kg.store import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures" / "export"
STATS_FILES = ("providers_places_at_31mar2024.csv", "providers_places_at_31mar2025.csv", "inspections_2022-23_all.csv")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
VENDOR = Path(__file__).parents[1] / "graph" / "networks" / "static" / "vendor" / "cytoscape.min.js"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"
YED = "{http://www.yworks.com/xml/graphml}"
ID = "https://w3id.org/ofsted-kg/id/"


# ------------------------------------------------------------------ shared stores (imported by test_viz, test_analyse)


@functools.lru_cache(maxsize=1)
def stats_store_path() -> Path:
    """A store of a few statistics files and la_lookup.csv, built once per test run (or OFSTED_KG_TEST_STORE)."""
    if os.environ.get("OFSTED_KG_TEST_STORE"):
        return Path(os.environ["OFSTED_KG_TEST_STORE"])
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared (real Ofsted data) is not beside this checkout")
    from ofsted_kg.build import build

    data = shared / "data"
    target = Path(tempfile.mkdtemp(prefix="ofsted-kg-export-tests-")) / "store"
    build([data / "ofsted_stats" / name for name in STATS_FILES] + [data / "la_lookup.csv"], target)
    return target


@pytest.fixture(scope="session")
def stats_store():
    return EmbeddedStore(stats_store_path())


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory):
    """A writable store holding tests/fixtures/export/people_findings.trig."""
    store = EmbeddedStore(tmp_path_factory.mktemp("fixture") / "store", writable=True)
    store.store.load(path=str(FIXTURES / "people_findings.trig"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="session")
def owners(stats_store):
    return views.owners_view(stats_store)


def chrome_driver(profile: Path):
    """A headless Chromium driven through chromedriver, or None when either is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    if not chromium or not driver_path:
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(driver_path), options=options)


# ------------------------------------------------------------------ views


def test_people_view_links_post_holders_to_providers_and_inspectors_to_inspections(fixture_store):
    graph = views.people_view(fixture_store)
    edges = {(u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1], a["relation"], a.get("role")) for u, v, a in graph.edges(data=True)}
    assert edges == {
        ("sam-manager", "SC000001", "post", "registered_manager"),
        ("pat-owner", "SC000001", "post", "responsible_individual"),
        ("pat-owner", "SC000002", "post", "responsible_individual"),
        ("jane-inspector", "9000001", "inspected", "lead_inspector"),
        ("jane-inspector", "9000002", "inspected", "lead_inspector"),
        ("9000001", "SC000001", "inspection_of", None),
        ("9000002", "SC000002", "inspection_of", None),
    }
    assert graph.nodes[ID + "person/sam-manager"]["label"] == "Sam Manager"
    assert graph.nodes[ID + "inspection/9000002"]["grade"] == "inadequate"


def test_since_drops_posts_and_inspections_before_the_date(fixture_store):
    graph = views.people_view(fixture_store, since="2023-01-01")
    assert ID + "inspection/9000001" not in graph
    assert ID + "person/sam-manager" not in graph
    assert graph.has_edge(ID + "person/pat-owner", ID + "provider/SC000002")


def test_findings_view_rolls_citations_up_to_the_regulation(fixture_store):
    graph = views.findings_view(fixture_store)
    regulation = "http://www.legislation.gov.uk/id/uksi/2011/581/regulation/"
    weights = {(u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1]): a["weight"] for u, v, a in graph.edges(data=True)}
    assert weights == {("SC000001", "17"): 2, ("SC000002", "17"): 1, ("SC000002", "20"): 1}
    assert graph.nodes[regulation + "17"]["bipartite"] == 1
    assert graph.nodes[regulation + "17"]["providers"] == 2
    assert graph.nodes[regulation + "17"]["label"] == "Fostering Services (England) Regulations 2011 17"


def test_owners_view_weights_edges_by_places_and_keeps_owner_history(owners):
    edge = owners.get_edge_data(ID + "organisation/nexus-fostering-ltd", ID + "provider/SC066400")
    assert edge is not None
    attrs = next(iter(edge.values()))
    assert attrs["weight"] == attrs.get("places", 0)
    assert attrs["last_seen"] == "2025-03-31"
    provider = owners.nodes[ID + "provider/SC066400"]
    assert provider["latest_grade"] == "outstanding"
    # the preferred spelling depends on which releases are loaded (Ltd or LTD)
    assert provider["_dynamic"]["owner"][0][0].lower() == "nexus fostering ltd"


def test_councils_view_has_both_edge_types(stats_store):
    graph = views.councils_view(stats_store)
    relations = {a["relation"] for _, _, a in graph.edges(data=True)}
    assert relations == {"owns", "area"}
    harrow = graph.nodes[ID + "local-authority/E09000015"]
    assert harrow["label"] == "Harrow" and harrow["providers_in_area"] > 0


def test_full_neighbourhood_of_sc066400_holds_owner_and_inspection(stats_store):
    graph = views.build_view(stats_store, "full", urn="SC066400", hops=1)
    assert graph.nodes[ID + "organisation/nexus-fostering-ltd"]["label"].lower() == "nexus fostering ltd"
    assert graph.nodes[ID + "inspection/10222195"]["type"] == "Inspection"
    assert graph.nodes[ID + "inspection/10222195"]["startDate"] == "2022-12-05"


def test_full_view_types_every_node_and_keeps_literals_as_attributes(fixture_store):
    graph = views.full_view(fixture_store)
    assert all(a["type"] and a["label"] for _, a in graph.nodes(data=True))
    assert graph.nodes[ID + "inspection/9000001"]["startDate"] == "2022-12-05"
    assert graph.nodes[ID + "provider/SC000001"]["type"] == "Provider"


def test_full_network_holds_every_data_iri_and_each_link_once(fixture_store):
    """The per-predicate reading gives what a plain scan of the data graphs gives: its IRIs and distinct links."""
    from ofsted_kg.vocab import ONTOLOGY_GRAPH

    data = [q for q in fixture_store.store if q.graph_name != ONTOLOGY_GRAPH and isinstance(q.subject, ox.NamedNode)]
    links = {(q.subject.value, q.predicate.value, q.object.value) for q in data
             if isinstance(q.object, ox.NamedNode) and q.predicate.value != views.RDF.type.value}
    iris = {q.subject.value for q in data} | {o for _, _, o in links}
    network = views.full_network(fixture_store)
    assert set(network.nodes()) == iris
    assert network.number_of_edges() == len(links)
    assert views.full_view(fixture_store).number_of_edges() == len(links)


@pytest.fixture(scope="session")
def read_only_fixture_store(tmp_path_factory):
    """The fixture_store's data in a store opened read-only, as the export command opens one."""
    path = tmp_path_factory.mktemp("read-only") / "store"
    writable = ox.Store(str(path))
    writable.load(path=str(FIXTURES / "people_findings.trig"), format=ox.RdfFormat.TRIG)
    writable.flush()
    del writable
    return EmbeddedStore(path)


def _full_data(store, since=None, processes=1) -> tuple:
    """The full view's nodes (attributes in order), edges and attribute predicates, read in ``processes`` processes."""
    builder = views._TypedGraphBuilder()
    views._read_data(store, builder, since, processes=processes)
    network = builder.network(view="full")
    nodes = {node: list(attrs.items()) for node, attrs in network.nodes(data=True)}
    return nodes, [(u, v, k, dict(a)) for u, v, k, a in network.edges(keys=True, data=True)], list(builder._literal_predicates)


@pytest.mark.parametrize("since", [None, "2023-01-01"])
def test_full_view_read_in_two_processes_is_the_one_read_in_one(read_only_fixture_store, since):
    """The helper process takes turns at the predicates; its part is added in the order one process adds it."""
    one = _full_data(read_only_fixture_store, since, processes=1)
    assert one[0] and one[1]
    assert _full_data(read_only_fixture_store, since, processes=2) == one


def test_what_a_failed_helper_process_took_is_read_here(read_only_fixture_store, tmp_path):
    reader = views._PredicateReader(read_only_fixture_store.store, None)
    predicates = [views.RDF.type.value, views.OK.inspected.value, views.SKOS.prefLabel.value]
    with pytest.warns(UserWarning, match="second reading process failed"):
        found = views._ReadingHelper(tmp_path / "no-store", None).read(reader, predicates)
    assert [data.predicate for data in found] == predicates
    assert found[0].types and found[1].links


def test_graphml_of_the_full_network_and_of_its_networkx_graph_agree(fixture_store, tmp_path):
    network = views.full_network(fixture_store)
    export.write_graphml(network, tmp_path / "network.graphml")
    export.write_graphml(network.to_networkx(), tmp_path / "networkx.graphml")

    def content(path):
        root = etree.parse(str(path)).getroot()
        names = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML}key")}
        nodes = {n.get("id"): sorted((names[d.get("key")], d.text) for d in n.findall(f"{GRAPHML}data")
                                     if names[d.get("key")][1]) for n in root.iter(f"{GRAPHML}node")}
        edges = sorted((e.get("source"), e.get("target"), tuple(d.text for d in e.findall(f"{GRAPHML}data")
                                                                 if names[d.get("key")][1]))
                       for e in root.iter(f"{GRAPHML}edge"))
        return sorted(names.values(), key=str), nodes, edges

    assert content(tmp_path / "network.graphml") == content(tmp_path / "networkx.graphml")
    assert len(content(tmp_path / "network.graphml")[1]) == network.number_of_nodes()


def test_ego_graph_of_a_view_keeps_the_provider_and_its_owner(owners):
    ego = views.ego(owners, "SC066400", 1)
    assert set(ego) == {ID + "provider/SC066400", ID + "organisation/nexus-fostering-ltd"}


# ------------------------------------------------------------------ GraphML


@pytest.fixture(scope="session")
def owners_graphml(owners, tmp_path_factory):
    path = tmp_path_factory.mktemp("graphml") / "owners.graphml"
    export.write_graphml(owners, path)
    return path


def test_igraph_reads_the_graphml_with_the_same_counts(owners, owners_graphml):
    import igraph

    read = igraph.Graph.Read_GraphML(str(owners_graphml))
    assert (read.vcount(), read.ecount()) == (owners.number_of_nodes(), owners.number_of_edges())
    assert "label" in read.vs.attributes()


def test_graphml_declares_a_valid_type_for_every_data_key(owners_graphml):
    root = etree.parse(str(owners_graphml)).getroot()
    keys = {k.get("id"): k for k in root.iter(f"{GRAPHML}key")}
    for key in keys.values():
        assert key.get("attr.type") in (None, "boolean", "int", "long", "float", "double", "string")
        assert key.get("attr.type") or key.get("yfiles.type") in ("nodegraphics", "edgegraphics")
    used = {d.get("key") for d in root.iter(f"{GRAPHML}data")}
    assert used <= set(keys)
    ints = {k for k, e in keys.items() if e.get("attr.type") in ("int", "long")}
    for data in root.iter(f"{GRAPHML}data"):
        if data.get("key") in ints:
            int(data.text)
        assert data.text != "None"


def test_graphml_gives_every_node_a_label_and_a_yed_label(owners_graphml):
    root = etree.parse(str(owners_graphml)).getroot()
    label_key = next(k.get("id") for k in root.iter(f"{GRAPHML}key") if k.get("attr.name") == "label" and k.get("for") == "node")
    for node in root.iter(f"{GRAPHML}node"):
        assert node.find(f"{GRAPHML}data[@key='{label_key}']").text
        assert node.find(f".//{YED}ShapeNode/{YED}NodeLabel").text


def test_networkx_reads_graphml_back_with_the_same_counts(fixture_store, tmp_path):
    graph = views.people_view(fixture_store)
    export.write_graphml(graph, tmp_path / "people.graphml")
    read = nx.read_graphml(tmp_path / "people.graphml", force_multigraph=True)
    assert (read.number_of_nodes(), read.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())


# ------------------------------------------------------------------ GEXF


@pytest.fixture(scope="session")
def owners_gexf(owners, tmp_path_factory):
    path = tmp_path_factory.mktemp("gexf") / "owners.gexf"
    export.write_gexf(owners, path)
    return path


def test_gexf_is_dynamic_and_its_time_values_are_well_formed(owners_gexf):
    root = etree.parse(str(owners_gexf)).getroot()
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{GEXF}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    declared = {a.get("id"): block.get("mode") for block in graph.findall(f"{GEXF}attributes")
                for a in block.findall(f"{GEXF}attribute")}
    assert declared.get("dyn_grade") == "dynamic" and declared.get("dyn_owner") == "dynamic"
    timed = 0
    for node in graph.iter(f"{GEXF}node"):
        spells: dict[str, list] = {}
        for value in node.iter(f"{GEXF}attvalue"):
            assert value.get("for") in declared
            if declared[value.get("for")] == "dynamic":
                start, end = value.get("start"), value.get("end")
                assert start is None or len(start) == 10 and start[4] == "-"
                assert start is None or end is None or start < end
                spells.setdefault(value.get("for"), []).append((start or "", end or "9999-12-31"))
        for intervals in spells.values():
            intervals.sort()
            timed += 1
            assert all(a[1] <= b[0] for a, b in zip(intervals, intervals[1:])), intervals
    assert timed > 1000


def test_networkx_reads_gexf_back_with_the_same_counts(owners, owners_gexf):
    read = nx.read_gexf(owners_gexf)
    assert (read.number_of_nodes(), read.number_of_edges()) == (owners.number_of_nodes(), owners.number_of_edges())


# ------------------------------------------------------------------ Cytoscape.js, CSV, RDF


def test_cytoscape_js_in_chromium_loads_every_element(owners, tmp_path):
    document = export.cytoscape_elements(owners)
    driver = chrome_driver(tmp_path / "profile")
    if driver is None:
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    page = tmp_path / "load.html"
    page.write_text(
        "<html><body><div id='cy' style='width:400px;height:400px'></div>"
        f"<script>{VENDOR.read_text(encoding='utf-8')}</script>"
        f"<script>const doc = {json.dumps(document).replace('</', '<' + chr(92) + '/')};"
        "const cy = cytoscape({container: document.getElementById('cy'), elements: doc.elements, headless: true});"
        "window.count = cy.elements().length;</script></body></html>", encoding="utf-8")
    try:
        driver.get(page.as_uri())
        count = driver.execute_script("return window.count;")
    finally:
        driver.quit()
    assert count == owners.number_of_nodes() + owners.number_of_edges()


def test_neighbourhood_names_unlabelled_nodes_by_their_facts(fixture_store):
    graph = views.neighbourhood(fixture_store, "SC000001", hops=1)
    labels = {n: a["label"] for n, a in graph.nodes(data=True)}
    assert labels[ID + "inspection/9000001/requirement/1"] == "requirement 1 (2022-12-05)"
    assert labels[ID + "inspection/9000001"] == "inspection 9000001: good (2022-12-05)"
    assert labels[ID + "post/sam-manager/registered_manager/provider-SC000001/2022-12-05"] == "registered manager (2022-12-05)"
    # no node is named by its IRI's path
    assert not [label for node, label in labels.items() if label == views.fallback_label(node)]


def test_one_hop_keeps_to_the_providers_own_facts(fixture_store):
    graph = views.neighbourhood(fixture_store, "SC000001", hops=1)
    # the inspector and the responsible individual are named, but their work elsewhere is not walked
    assert graph.nodes[ID + "person/jane-inspector"]["label"] == "Jane Inspector"
    assert graph.nodes[ID + "person/pat-owner"]["label"] == "Pat Owner"
    assert ID + "inspection/9000002" not in graph
    assert not [n for n in graph if "SC000002" in n]
    assert ID + "inspection/9000002" in views.neighbourhood(fixture_store, "SC000001", hops=2)


def test_networkx_reads_the_cytoscape_json_back(fixture_store, tmp_path):
    graph = views.people_view(fixture_store)
    export.write_cytoscape(graph, tmp_path / "people.json")
    read = nx.cytoscape_graph(json.loads((tmp_path / "people.json").read_text(encoding="utf-8")))
    assert read.is_directed() and read.is_multigraph()
    assert set(read.nodes) == set(graph.nodes)
    assert sorted((u, v, k) for u, v, k in read.edges(keys=True)) == sorted((u, v, k) for u, v, k in graph.edges(keys=True))
    for node, attrs in graph.nodes(data=True):
        assert read.nodes[node]["label"] == attrs["label"]
        assert read.nodes[node]["type"] == attrs["type"]


def test_csv_tables_have_one_row_per_node_and_edge(fixture_store, tmp_path):
    import csv

    graph = views.people_view(fixture_store)
    nodes_path, edges_path = export.write_csv(graph, tmp_path / "people.csv")
    assert (nodes_path.name, edges_path.name) == ("people_nodes.csv", "people_edges.csv")
    nodes = list(csv.DictReader(open(nodes_path, encoding="utf-8")))
    edges = list(csv.DictReader(open(edges_path, encoding="utf-8")))
    assert (len(nodes), len(edges)) == (graph.number_of_nodes(), graph.number_of_edges())
    assert all(row["label"] for row in nodes)
    assert {row["source"] for row in edges} <= {row["id"] for row in nodes}
    folder = export.write_csv(graph, tmp_path / "tables")
    assert [p.name for p in folder] == ["nodes.csv", "edges.csv"]


def test_rdf_exports_keep_named_graphs_and_parse(fixture_store, tmp_path):
    for fmt in ("trig", "nquads", "turtle", "jsonld"):
        export.write_rdf(fixture_store, fmt, tmp_path / f"dump.{fmt}")
    quads = list(ox.parse(path=str(tmp_path / "dump.trig"), format=ox.RdfFormat.TRIG))
    assert len({q.graph_name for q in quads}) == len(fixture_store.named_graphs())
    assert len(quads) == len(fixture_store)
    union = {(q.subject, q.predicate, q.object) for q in quads}
    turtle = {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(tmp_path / "dump.turtle"), format=ox.RdfFormat.TURTLE)}
    assert turtle == union
    import rdflib

    assert len(rdflib.Graph().parse(tmp_path / "dump.jsonld", format="json-ld")) == len(union)


def test_export_command_writes_gexf_for_an_ego_graph(tmp_path):
    from typer.testing import CliRunner

    from ofsted_kg.cli import app

    result = CliRunner().invoke(app, ["export", "--store", str(stats_store_path()), "--view", "owners", "--format", "gexf",
                                      "--urn", "SC066400", "--hops", "2", "--out", str(tmp_path / "ego.gexf")])
    assert result.exit_code == 0, result.output
    read = nx.read_gexf(tmp_path / "ego.gexf")
    assert {read.nodes[n]["label"].lower() for n in read} >= {"nexus fostering ltd", "nexus fostering (sc066400)"}
