"""Network analysis: owner concentration checked against an independent SPARQL count, centrality, communities."""
from __future__ import annotations

import pytest
from test_export import fixture_store, owners, stats_store  # noqa: F401  (shared session fixtures)

from ofsted_kg.networks import analyse, views
from ofsted_kg.vocab import sparql_prefixes


@pytest.fixture(scope="module")
def concentration(stats_store):  # noqa: F811
    return {row["snapshot_date"]: row for row in analyse.owner_concentration(stats_store)}


def test_top_ten_share_of_places_matches_a_sparql_count(stats_store, concentration):  # noqa: F811
    # places per owner at 31 March 2025 counted by the SPARQL engine, each snapshot once
    rows = stats_store.query(sparql_prefixes() + """
        SELECT ?owner (SUM(?places) AS ?total) (COUNT(?s) AS ?providers) WHERE {
          SELECT DISTINCT ?s ?owner ?places WHERE {
            GRAPH ?g { ?s ok:snapshotDate "2025-03-31"^^xsd:date .
                       OPTIONAL { ?s ok:places ?p } BIND(COALESCE(?p, 0) AS ?places) }
            # the organisation a snapshot's owner resolves to is in the derived graph (docs/owners.md)
            GRAPH <https://w3id.org/ofsted-kg/graph/derived> { ?s ok:ownedBy ?owner }
          }
        } GROUP BY ?owner""").rows
    totals = sorted((int(total) for _, total, _ in rows), reverse=True)
    counts = sorted((int(n) for *_, n in rows), reverse=True)
    row = concentration["2025-03-31"]
    assert row["owners"] == len(rows)
    assert row["places"] == sum(totals)
    assert row["top10_places_share"] == round(sum(totals[:10]) / sum(totals), 4)
    assert row["top20_providers_share"] == round(sum(counts[:20]) / sum(counts), 4)


def test_concentration_has_a_row_per_snapshot(concentration):
    assert {"2024-03-31", "2025-03-31"} <= set(concentration)  # the releases the test store holds
    for row in concentration.values():
        assert 0 < row["top10_places_share"] <= row["top20_places_share"] <= 1


def test_centrality_ranks_the_person_linking_two_providers_first(fixture_store):  # noqa: F811
    ranked = analyse.centrality(views.people_view(fixture_store), ("Person",))
    assert ranked[0]["label"] == "Pat Owner"  # Sam Manager's paths to the rest pass beside Pat, not Jane
    assert {r["label"] for r in ranked} == {"Pat Owner", "Jane Inspector", "Sam Manager"}
    assert ranked[-1]["label"] == "Sam Manager" and ranked[-1]["betweenness"] == 0


def test_providers_sharing_a_regulation_form_one_community(fixture_store):  # noqa: F811
    rows = analyse.provision_communities(views.findings_view(fixture_store))
    assert len(rows) == 1
    assert rows[0]["providers"] == 2
    assert rows[0]["most_shared"].startswith("Fostering Services (England) Regulations 2011 17 (2)")


def test_owner_centrality_on_the_statistics(owners):  # noqa: F811
    ranked = analyse.centrality(owners, ("Organisation",), top=5)
    assert len(ranked) == 5 and all(r["type"] == "Organisation" for r in ranked)
    assert ranked[0]["degree"] >= 10


def test_analyse_command_writes_csv_tables(tmp_path):
    import gc

    import pyoxigraph as ox
    from test_export import FIXTURES
    from typer.testing import CliRunner

    from ofsted_kg.cli import app

    on_disk = ox.Store(str(tmp_path / "store"))
    on_disk.load(path=str(FIXTURES / "people_findings.trig"), format=ox.RdfFormat.TRIG)
    on_disk.flush()
    del on_disk
    gc.collect()
    result = CliRunner().invoke(app, ["analyse", "--store", str(tmp_path / "store"), "--csv", str(tmp_path / "tables")])
    assert result.exit_code == 0, result.output
    communities = (tmp_path / "tables" / "provision_communities.csv").read_text()
    assert communities.startswith("community,providers,members,most_shared") and "Alpha Fostering" in communities
    assert (tmp_path / "tables" / "people_centrality.csv").exists()


def test_concentration_within_one_provision_type_counts_only_that_type(stats_store, concentration):  # noqa: F811
    homes = {row["snapshot_date"]: row for row in analyse.owner_concentration(stats_store, provision_types=("childrens-home",))}
    assert 0 < homes["2025-03-31"]["providers"] < concentration["2025-03-31"]["providers"]
