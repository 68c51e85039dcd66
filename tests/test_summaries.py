"""The counts a build states (graph/summaries.py) give the rows of the grouping they replace.

A store is built from reports rendered as the benchmark renders them (bench/provider_scale.py): a
few owners' providers, each inspected five times over nine years, so that managers change, owners'
responsible individuals answer for several providers and regulations are cited again. Each stored
query that reads the counts must answer as a query grouping the graph's own facts does (the
queries below, written to count each fact once whichever report's graph states it).
"""
from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

import pytest

from ofsted_kg.build import build
from ofsted_kg.store import EmbeddedStore
from ofsted_kg.stored import load

REPO = Path(__file__).resolve().parents[1]
PREFIXES = """PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX role: <https://w3id.org/ofsted-kg/id/role/>
PREFIX schema: <https://schema.org/>
"""

# the questions as groupings of the facts each report states (posts, findings, citations, inspections)
GROUPED = {
    "repeat-citations": """
SELECT DISTINCT ?urn ?regulation ?label ?earlier_date ?later_date WHERE {
  { SELECT DISTINCT ?provider ?later_date ?regulation WHERE {
      ?later ok:finding ?r ; ok:inspected ?provider ; ok:startDate ?later_date .
      ?r a ok:Requirement ; ok:cites ?c . ?c dct:isPartOf* ?regulation .
      FILTER EXISTS { ?regulation ok:provisionNumber ?n } } }
  { SELECT DISTINCT ?provider ?earlier_date ?regulation WHERE {
      ?earlier ok:finding ?r ; ok:inspected ?provider ; ok:startDate ?earlier_date .
      ?r a ok:Requirement ; ok:cites ?c . ?c dct:isPartOf* ?regulation .
      FILTER EXISTS { ?regulation ok:provisionNumber ?n } } }
  FILTER(?earlier_date < ?later_date)
  FILTER NOT EXISTS { ?between ok:inspected ?provider ; ok:startDate ?between_date .
                      FILTER(?between_date > ?earlier_date && ?between_date < ?later_date) }
  { SELECT DISTINCT ?provider ?urn WHERE { ?provider ok:urn ?urn } }
  { SELECT DISTINCT ?regulation ?number WHERE { ?regulation ok:provisionNumber ?number } }
  OPTIONAL { SELECT DISTINCT ?regulation ?code WHERE { ?regulation ok:instrumentCode ?code } }
  BIND(CONCAT(COALESCE(?code, ""), " regulation ", ?number) AS ?label)
}""",
    "recurring-requirements": """
SELECT ?provision (SAMPLE(?label_) AS ?label) (COUNT(DISTINCT ?provider) AS ?providers)
       (COUNT(DISTINCT ?requirement) AS ?requirements) WHERE {
  { SELECT DISTINCT ?requirement ?provider ?provision WHERE {
      ?requirement a ok:Requirement ; ok:cites ?cited . ?inspection ok:finding ?requirement ; ok:inspected ?provider .
      ?cited dct:isPartOf* ?provision . ?provision a ok:Provision } }
  { SELECT DISTINCT ?provision ?instrument WHERE { ?provision ok:instrumentCode ?instrument } }
  OPTIONAL { SELECT DISTINCT ?provision ?path_ WHERE { ?provision ok:provisionPath ?path_ } }
  OPTIONAL { SELECT DISTINCT ?provision ?number_ WHERE { ?provision ok:provisionNumber ?number_ } }
  OPTIONAL { SELECT DISTINCT ?provision ?heading WHERE { ?provision dct:title ?heading } }
  BIND(CONCAT(?instrument, " ", COALESCE(?path_, ?number_, ""),
              IF(BOUND(?heading), CONCAT(" (", STR(?heading), ")"), "")) AS ?label_)
} GROUP BY ?provision""",
    "inspector-caseload": """
SELECT (MIN(?name) AS ?inspector) (COUNT(DISTINCT ?inspection) AS ?inspections) (COUNT(DISTINCT ?provider) AS ?providers) WHERE {
  ?inspection prov:wasAssociatedWith ?person ; ok:inspected ?subject .
  ?person schema:name ?name .
  OPTIONAL { ?subject a ok:Provider . BIND(?subject AS ?provider) }
} GROUP BY ?person""",
    "responsible-individuals-across-providers": """
SELECT (MIN(?name) AS ?person) (COUNT(DISTINCT ?provider) AS ?providers) (GROUP_CONCAT(DISTINCT ?urn; separator=" ") AS ?urns) WHERE {
  ?post ok:role role:responsible_individual ; org:member ?node ; org:organization ?provider .
  ?provider ok:urn ?urn .
  ?node schema:name ?name .
} GROUP BY ?node HAVING (COUNT(DISTINCT ?provider) > 1)""",
    "registered-manager-churn": """
SELECT ?urn (COUNT(DISTINCT ?person) AS ?managers) (MIN(?date) AS ?first_date) (MAX(?date) AS ?last_date) WHERE {
  ?post ok:role role:registered_manager ; org:organization ?provider ; org:member ?person .
  ?provider ok:urn ?urn .
  OPTIONAL { ?post ok:asAt ?date }
} GROUP BY ?urn HAVING (COUNT(DISTINCT ?person) > 1)""",
    "requirements-by-sector-year": """
SELECT ?sector ?year (COUNT(DISTINCT ?inspection) AS ?inspections) (COUNT(DISTINCT ?requirement) AS ?requirements) WHERE {
  ?inspection ok:finding ?requirement ; ok:inspected ?provider ; ok:startDate ?date .
  ?requirement a ok:Requirement .
  OPTIONAL { ?provider ok:sector ?sector_concept . ?sector_concept <http://www.w3.org/2004/02/skos/core#notation> ?sector_token }
  BIND(COALESCE(?sector_token, "unknown") AS ?sector)
  BIND(YEAR(?date) AS ?year)
} GROUP BY ?sector ?year""",
}


@pytest.fixture(scope="module")
def rendered_store(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO))
    from bench.provider_scale import SETTINGS, Event, render_reports

    owners = ["Harbour Lights Care Ltd", "Ní Mhaoláin Homes Ltd", "Łukasz & Co Care Limited"]
    events = [Event(urn=f"SC{700000 + n}", day=date(2015 + 2 * visit, 1 + n % 12, 3 + visit), setting=SETTINGS["childrens-home"],
                    name=f"Home number {n}", owner=owners[n % len(owners)], letter=visit == 2)
              for n in range(20) for visit in range(5)]
    folder = tmp_path_factory.mktemp("rendered")
    render_reports(events, folder, random.Random(5))
    store = tmp_path_factory.mktemp("store") / "store"
    build([folder], store)
    return store


def _rows(result, columns: list[str]) -> list[tuple]:
    """The result's rows on ``columns``, as sorted tuples of strings (a list of URNs in its own order)."""
    rows = []
    for values in result.rows:
        row = dict(zip(result.columns, values))
        if row.get("urns"):
            row["urns"] = " ".join(sorted(str(row["urns"]).split()))
        rows.append(tuple(str(row[c]) for c in columns))
    return sorted(rows)


@pytest.mark.parametrize("name", sorted(GROUPED))
def test_a_stored_count_answers_as_the_grouping_of_the_facts(rendered_store, name):
    store = EmbeddedStore(rendered_store)
    stored = store.query(load(name).bind())
    grouped = store.query(PREFIXES + GROUPED[name])
    columns = [c for c in grouped.columns if c in stored.columns]
    assert _rows(stored, columns) == _rows(grouped, columns)
    # the rendered reports give every question something to count
    assert len(stored.rows) > 0


def test_the_rendered_store_repeats_citations_and_changes_managers(rendered_store):
    store = EmbeddedStore(rendered_store)
    churn = store.query(load("registered-manager-churn").bind())
    # five visits over nine years, a manager about every three: each home names several
    assert len(churn.rows) >= 15
    shared = store.query(load("responsible-individuals-across-providers").bind())
    # one responsible individual per owner, answering for its six or seven homes
    assert max(row[1] for row in shared.rows) >= 6
