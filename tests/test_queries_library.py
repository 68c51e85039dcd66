"""The stored queries: headers, expected rows on a small fixture graph, safe parameter binding, CLI output."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import store_from_trig
from typer.testing import CliRunner

from ofsted_kg import stored as queries
from ofsted_kg import vocab
from ofsted_kg.store import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "small.trig"
REQUIRED_NAMES = {
    "recurring-requirements": ["provision", "label", "providers", "requirements"],
    "requirements-by-provider": ["inspection_date", "label", "provision", "due_date", "text"],
    "people-by-provider": ["name", "role", "date"],
    "providers-by-person": ["urn", "provider", "role", "date"],
    "inspector-caseload": ["inspector", "inspections", "providers"],
    "la-judgements": ["local_authority", "framework", "start_date", "overall_effectiveness", "leaders",
                      "help_and_protection", "in_care", "care_leavers"],
    "la-trajectories": ["local_authority", "from_grade", "to_grade", "from_date", "to_date"],
    "lead-inspectors": ["inspector", "inspections", "local_authorities"],
    "news-vs-record": ["article", "subject", "predicate", "claimed", "recorded", "agrees", "area", "verdict",
                       "inspection_date", "event_number", "quote"],
}
REG = "http://www.legislation.gov.uk/id/uksi/2015/541/regulation/"

# query, params -> the rows expected on tests/fixtures/queries/small.trig (in order)
EXPECTED = {
    ("requirements-by-provider", ("urn", "SC000001")): [
        ("2021-06-01", "Regulation 12 (1)", REG + "12/1", "2021-07-01", "Keep children safe."),
        ("2021-06-01", "Regulation 33 (4)(a)", REG + "33/4/a", None, "Train staff."),
        ("2023-03-01", "Regulation 12 (2)(a)", REG + "12/2/a", None, "Protect children {really}."),
    ],
    ("people-by-provider", ("urn", "SC000001")): [
        ("Mary Manager", "registered_manager", "2019-05-01"),
        ("Tom Checker", "lead_inspector", "2021-06-01"),
        ("Nina Newman", "registered_manager", "2021-06-01"),
        ("Rita Responsible", "responsible_individual", "2021-06-01"),
    ],
    ("providers-by-person", ("name", "rita RESPONSIBLE")): [
        ("SC000001", "Acme House", "responsible_individual", "2021-06-01"),
        ("SC000002", "Acme Fostering", "responsible_individual", "2022-01-10"),
    ],
    ("inspector-caseload", None): [("Jane Inspector", 3, 0), ("Tom Checker", 2, 1)],
    ("la-judgements", None): [
        ("Alphaville", "sif", "2017-03-01", "inadequate", "inadequate", None, None, None),
        ("Alphaville", "ilacs_standard", "2022-05-10", "good", None, "good", None, "requires_improvement"),
        ("Betaton", "ilacs_standard", "2019-07-01", None, None, None, None, None),
    ],
    ("la-judgements", ("la", "E00000002")): [("Betaton", "ilacs_standard", "2019-07-01", None, None, None, None, None)],
    ("la-trajectories", None): [("Alphaville", "inadequate", "good", "2017-03-01", "2022-05-10")],
    ("la-trajectories", ("direction", "down")): [],
    ("lead-inspectors", None): [("Jane Inspector", 3, 2)],
    ("la-provider-outcomes", None): [("Alphaville", "good", "2022-05-10", 1, 0, 1, 0, 0, 0)],
    ("news-vs-record", None): [
        ("Alphaville children's services now good", "Acme Fostering", "children", 40, 40, True, "", "agrees", "2022-01-10", "", ""),
        ("Alphaville children's services now good", "Alphaville Council", "area_rating", "inadequate", "good", False,
         "help_and_protection", "disagrees", "2022-05-10", "", ""),
        ("Alphaville children's services now good", "Alphaville Council", "rating", "good", "good", True, "", "agrees",
         "2022-05-10", "", ""),
        ("Alphaville children's services now good", "Betaton", "rating", "good", None, None, "", "not linked", "", "", ""),
    ],
    ("recurring-requirements", ("instrument", "uksi/2015/541")): [
        (REG + "12", "uksi/2015/541 12 (The protection of children standard)", 1, 2),
        (REG + "12/1", "uksi/2015/541 12/1", 1, 1),
        (REG + "12/2", "uksi/2015/541 12/2", 1, 1),
        (REG + "12/2/a", "uksi/2015/541 12/2/a", 1, 1),
        (REG + "33", "uksi/2015/541 33 (Employment of staff)", 1, 1),
        (REG + "33/4", "uksi/2015/541 33/4", 1, 1),
        (REG + "33/4/a", "uksi/2015/541 33/4/a", 1, 1),
    ],
    ("recurring-requirements", ("provision_type", "independent-fostering-agency")): [
        ("http://www.legislation.gov.uk/id/uksi/2011/581/regulation/17", "uksi/2011/581 17 (Support, training and information for foster parents)", 1, 1),
        ("http://www.legislation.gov.uk/id/uksi/2011/581/regulation/17/1", "uksi/2011/581 17/1", 1, 1),
    ],
    ("recurring-requirements", ("sector", "local-authority")): [],
    ("requirements-by-sector-year", None): [("private", 2021, 1, 2, 2.0), ("private", 2022, 1, 1, 1.0),
                                            ("private", 2023, 1, 1, 1.0)],
    ("owner-portfolio-grades", None): [("Acme Care Ltd", 2, 5, 2, 1, 0, 0, 1, 0.5)],
    # counted by the sector and type at joining, from joiner flags and registration dates
    ("new-registrations", None): [("2019-20", "private", "childrens-home", 2, 1, 1),
                                  ("2021-22", "private", "independent-fostering-agency", 1, 1, 0)],
    ("new-registrations", ("sector", "local-authority")): [],
    # one row per provider (two sources give SC000004's departure); SC000005's departure is inferred, and it
    # was last listed within a year of the judgement; SC000006 left more than a year after it
    ("closed-after-inadequate", None): [
        ("SC000004", "childrens-home", "Acme Care Ltd", "2018-01-15", "2018-09-30", None, "resigned",
         "closed_providers.csv; joiners_leavers_2018-19.csv"),
        ("SC000005", "childrens-home", None, "2020-06-01", "2022-03-31", "2021-03-31", None,
         "inferred from release 2022-03-31"),
    ],
    # per type, never all types together; the fostering agency's holding has no places, so no row;
    # the 2017 release has no owner column and says so
    ("place-concentration", None): [
        ("2017-03-31", None, None, None, None, None, None, "this release has no owner column: concentration cannot be measured"),
        ("2021-03-31", "childrens-home", 1, 3, 3, 100.0, 10000.0, None),
        ("2022-03-31", "childrens-home", 3, 10, 4, 40.0, 3600.0, None),
    ],
    ("place-concentration", ("provision_type", "independent-fostering-agency")): [
        ("2017-03-31", None, None, None, None, None, None, "this release has no owner column: concentration cannot be measured"),
    ],
    # the newest holding date; Acme and the council tie for first place, so n=1 shows both
    ("top-owners", ("provision_type", "childrens-home")): [
        ("Acme Care Ltd", 1, 4, 0.4), ("Alphaville Council", 1, 4, 0.4), ("Old Owner Ltd", 1, 2, 0.2)],
    ("top-owners", (("provision_type", "childrens-home"), ("n", "1"))): [
        ("Acme Care Ltd", 1, 4, 0.4), ("Alphaville Council", 1, 4, 0.4)],
    ("top-owners", (("provision_type", "childrens-home"), ("date", "2021-03-31"))): [("Acme Care Ltd", 1, 3, 1.0)],
    # no places: the share is of providers
    ("top-owners", ("provision_type", "independent-fostering-agency")): [("Acme Care Ltd", 1, 0, 1.0)],
    ("grades-by", ("by", "owner")): [("Acme Care Ltd", 2, 0, 1, 0, 0, 1, 2, 0.5, 0.0, 0.0, 0.5),
                                     ("Alphaville Council", 1, 0, 0, 1, 0, 0, 1, 0.0, 1.0, 0.0, 0.0)],
    ("grades-by", (("by", "owner"), ("scope", "all"))): [("Acme Care Ltd", 3, 0, 1, 0, 0, 2, 3, 0.3333, 0.0, 0.0, 0.6667),
                                                         ("Alphaville Council", 1, 0, 0, 1, 0, 0, 1, 0.0, 1.0, 0.0, 0.0)],
    # every provider ever listed, by current sector: SC000001 and SC000004 last graded inadequate, SC000005
    # never graded, SC000006 without a sector; a registration record (with its own type and sector) is
    # not a provider
    ("grades-by", (("by", "sector"), ("provision_type", "childrens-home"), ("scope", "all"))): [
        ("Private", 3, 1, 0, 0, 0, 2, 2, 0.0, 0.0, 0.0, 1.0), ("Local authority", 1, 0, 0, 1, 0, 0, 1, 0.0, 1.0, 0.0, 0.0)],
    ("grades-by", (("by", "region"), ("provision_type", "childrens-home"))): [
        ("North West", 2, 0, 0, 1, 0, 1, 2, 0.0, 0.5, 0.0, 0.5)],
    ("find-provider", ("owner", "acme care limited")): [
        ("SC000001", "Acme House", "childrens-home", "Active", "Acme Care Ltd", "2022-03-31"),
        ("SC000002", "Acme Fostering", "independent-fostering-agency", "Active", "Acme Care Ltd", ""),
        ("SC000004", "Closed House", "childrens-home", "Resigned", "Acme Care Ltd", "")],
    ("find-provider", (("name", "HOUSE"), ("owner", "acme"))): [
        ("SC000001", "Acme House", "childrens-home", "Active", "Acme Care Ltd", "2022-03-31"),
        ("SC000004", "Closed House", "childrens-home", "Resigned", "Acme Care Ltd", "")],
    ("find-provider", ("council", "alpha")): [
        ("SC000003", "Council Home", "childrens-home", "Active", "Alphaville Council", "2022-03-31")],
    ("regional-latest-grades", None): [("London", 1, 1, 0, 0, 0, 0), ("North West", 2, 0, 1, 0, 1, 0)],
    ("registered-manager-churn", None): [("SC000001", "Acme House", 2, "2019-05-01", "2021-06-01")],
    ("repeat-citations", None): [("SC000001", REG + "12", "uksi/2015/541 regulation 12", "2021-06-01", "2023-03-01")],
    ("rating-trajectories", ("direction", "down")): [
        ("SC000001", "good", "requires_improvement", "2019-05-01", "2021-06-01"),
        ("SC000001", "requires_improvement", "inadequate", "2021-06-01", "2023-03-01"),
    ],
}


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> EmbeddedStore:
    """The ontology and schemes plus tests/fixtures/queries/small.trig, in an on-disk store."""
    return EmbeddedStore(store_from_trig(tmp_path_factory.mktemp("queries") / "store", FIXTURE))


def test_every_stored_query_has_a_full_header():
    found = queries.stored_queries()
    assert len(found) >= 20
    for name, query in found.items():
        assert query.title and query.question and query.columns, name
        for parameter in query.parameters:
            assert re.search(r"VALUES\s+\?" + parameter.name + r"\s*\{\s*UNDEF\s*\}", query.text), (name, parameter.name)
        assert set(query.example) <= {p.name for p in query.parameters}, name


def test_a_query_without_a_header_is_refused(tmp_path):
    with pytest.raises(queries.QueryError, match="header lacks"):
        queries.parse_header(tmp_path / "bare.rq", "SELECT * WHERE { ?s ?p ?o }\n")


@pytest.mark.parametrize("name", sorted(REQUIRED_NAMES))
def test_queries_other_issues_name_have_their_columns(name):
    assert queries.load(name).columns == REQUIRED_NAMES[name]


@pytest.mark.parametrize("name", sorted(queries.stored_queries()))
def test_each_query_returns_its_header_columns(fixture_store, name):
    query = queries.load(name)
    params = {p.name: query.example.get(p.name, "SC000001") for p in query.parameters if p.required}
    assert queries.run(fixture_store, name, **params).columns == query.columns


def _params(param) -> dict:
    """None, one (name, value) pair or a tuple of them."""
    if not param:
        return {}
    return dict([param]) if isinstance(param[0], str) else dict(param)


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: f"{k[0]}-{'-'.join(_params(k[1]).values()) or 'all'}")
def test_query_gives_the_expected_rows_on_the_fixture(fixture_store, key):
    name, param = key
    params = _params(param)
    assert queries.run(fixture_store, name, **params).rows == EXPECTED[key]


def test_responsible_individual_spanning_providers(fixture_store):
    rows = queries.run(fixture_store, "responsible-individuals-across-providers").rows
    assert [(person, count, set(urns.split())) for person, count, urns in rows] == [
        ("Rita Responsible", 2, {"SC000001", "SC000002"})]


def test_grades_counted_once_when_two_graphs_state_them(fixture_store):
    rows = queries.run(fixture_store, "owners-by-inadequate").rows
    # I3 (SC000001, inadequate, stated by the statistics and a report) counts once, under Acme, its owner
    # then; I9 (SC000002, now Acme's) under the owner at the time; I6 (2018) has no owner at the time
    assert rows == [("Acme Care Ltd", 1, 1), ("Old Owner Ltd", 1, 1)]


HOSTILE = ['SC000001" } UNION { ?provider ?p ?o', "SC000001'", "}", "{", "SC000001\n#", "SC000001\\",
           '\\" } UNION { ?x ?y ?z } #', "} UNION {", "SC000001\"\"\"", ">", "\u0000"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_bound_as_one_literal(fixture_store, value):
    unknown = queries.run(fixture_store, "provider-profile", urn="NO-SUCH-URN").rows
    assert queries.run(fixture_store, "provider-profile", urn=value).rows == unknown == []
    assert queries.run(fixture_store, "requirements-by-provider", urn=value).rows == []
    assert queries.run(fixture_store, "providers-by-person", name=value).rows == []
    query = queries.load("requirements-by-provider")
    term = queries.rdf_term(value)
    # the text changes only where UNDEF was, and what goes there reads back as one literal: the value itself
    assert query.bind(urn=value) == query.text.replace("VALUES ?urn { UNDEF }", f"VALUES ?urn {{ {term} }}")
    [triple] = ox.parse(f"<urn:s> <urn:p> {term} .", format=ox.RdfFormat.N_TRIPLES)
    assert triple.object.value == value
    # a person's name goes there as one IRI: the node the build would mint for that name
    person = queries.rdf_term(value, "person")
    [triple] = ox.parse(f"<urn:s> <urn:p> {person} .", format=ox.RdfFormat.N_TRIPLES)
    assert triple.object == vocab.person(value)


def test_a_person_is_bound_as_the_node_minted_for_the_name(fixture_store):
    query = queries.load("providers-by-person")
    node = "<https://w3id.org/ofsted-kg/id/person/rita-responsible>"
    assert query.bind(name="rita RESPONSIBLE") == query.text.replace("VALUES ?name { UNDEF }", f"VALUES ?name {{ {node} }}")
    rows = queries.run(fixture_store, "providers-by-person", name="Rita Responsible").rows
    assert len(rows) == 2
    # one node per name whatever its case, spacing or punctuation
    assert queries.run(fixture_store, "providers-by-person", name="RITA  responsible.").rows == rows


def test_hostile_value_cannot_widen_provider_profile(fixture_store):
    rows = queries.run(fixture_store, "provider-profile", urn='SC000001" } UNION { ?provider ok:urn ?urn').rows
    assert len(rows) <= 1
    assert len(queries.run(fixture_store, "provider-profile", urn="SC000001").rows) == 1


def test_unknown_and_missing_parameters_are_errors():
    with pytest.raises(queries.QueryError, match="takes no parameter"):
        queries.load("provider-profile").bind(urn="SC000001", colour="red")
    with pytest.raises(queries.QueryError, match="needs --param urn"):
        queries.load("provider-profile").bind()
    with pytest.raises(queries.QueryError, match="must be one of"):
        queries.load("la-trajectories").bind(direction="sideways")


# ------------------------------------------------------------------ the CLI's output formats


def _cli(*args):
    from ofsted_kg.cli import app

    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})


def test_cli_formats_and_limit(fixture_store):
    store = str(fixture_store.path)
    as_csv = _cli("query", "rating-trajectories", "--store", store, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == queries.load("rating-trajectories").columns and len(rows) == 3
    as_json = _cli("query", "rating-trajectories", "--store", store, "--format", "json", "--limit", "1")
    assert json.loads(as_json.stdout) == [{"urn": "SC000001", "from_grade": "good", "to_grade": "requires_improvement",
                                           "from_date": "2019-05-01", "to_date": "2021-06-01"}]
    as_table = _cli("query", "provider-profile", "--store", store, "-p", "urn=SC000001", "--format", "table")
    assert as_table.exit_code == 0 and "Acme House" in as_table.stdout
    bad = _cli("query", "provider-profile", "--store", store, "--format", "xml")
    assert bad.exit_code == 2


def test_query_docs_describe_every_query_as_the_headers_do():
    from ofsted_kg.querydocs import QUERY_DOCS, is_current

    assert QUERY_DOCS.exists(), "docs/queries.md missing: run `ofsted-kg querydocs --store DIR`"
    assert is_current(), "docs/queries.md is stale: run `ofsted-kg querydocs --store DIR`"
    text = QUERY_DOCS.read_text(encoding="utf-8")
    for name in queries.stored_queries():
        assert f"## {name}" in text


def test_counts_and_limits_run_over_indented_lines_and_stop_at_the_next_line():
    text = ("# title: T\n# question: Q?\n# columns: a\n# counts: one row per provider,\n#   once each.\n"
            "# limits: no owners before 2018.\n#   Places are estimates.\n# not part of it\nSELECT ?a WHERE {}\n")
    query = queries.parse_header(Path("t.rq"), text)
    assert (query.counts, query.limits) == ("one row per provider, once each.",
                                            "no owners before 2018. Places are estimates.")
