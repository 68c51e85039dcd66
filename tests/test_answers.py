"""Answers that explain themselves: errors of the query command, safe binding, the Python API's values."""
from __future__ import annotations

import datetime as dt
import doctest
import re
from pathlib import Path

import pytest
import rdflib
from test_queries_library import _cli, fixture_store  # noqa: F401  (the small fixture graph)
from test_server import served, store  # noqa: F401  (a real server on loopback)

from ofsted_kg import api
from ofsted_kg import stored as queries
from ofsted_kg.api import KnowledgeGraph

# ------------------------------------------------------------------ binding


def test_one_value_cannot_bind_another_parameter(fixture_store):  # noqa: F811
    query = queries.load("recurring-requirements")
    text = query.bind(instrument="VALUES ?sector { UNDEF }", sector="x")
    # the sector's own place took "x"; the instrument's text stays inside its literal
    assert 'VALUES ?sector { "x" }' in text
    assert 'VALUES ?instrument { "VALUES ?sector { UNDEF }" }' in text
    assert text.count("UNDEF") == 2   # the literal's, and provision_type's own place, left open
    assert queries.run(fixture_store, "recurring-requirements", instrument="VALUES ?sector { UNDEF }", sector="x").rows == []


def _iri_query(tmp_path):
    path = tmp_path / "by-class.rq"
    path.write_text("# title: Things of a class\n# question: Which things have this class?\n"
                    "# param: class (required, iri): a class IRI\n# columns: thing\n"
                    "SELECT ?thing WHERE { VALUES ?class { UNDEF } ?thing a ?class }\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["https://w3id.org/ofsted-kg/ontology#Provider> . ?x ?y ?z . #",
                                   "https://example.org/a b", "https://example.org/\udcff"])
def test_a_bad_iri_is_refused_with_a_message(tmp_path, fixture_store, value):  # noqa: F811
    path = _iri_query(tmp_path)
    with pytest.raises(queries.QueryError, match="class"):
        queries.run(fixture_store, str(path), {"class": value})
    result = _cli("query", str(path), "--store", str(fixture_store.path), "--param", f"class={value}")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "error:" in result.output


def test_a_good_iri_is_bound(tmp_path, fixture_store):  # noqa: F811
    path = _iri_query(tmp_path)
    rows = queries.run(fixture_store, str(path), {"class": "https://w3id.org/ofsted-kg/ontology#Provider"}).rows
    # the providers the fixture file states, read with rdflib
    fixture = rdflib.Dataset(default_union=True)
    fixture.parse(Path(__file__).parent / "fixtures" / "queries" / "small.trig", format="trig")
    stated = {str(s) for s in fixture.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/ofsted-kg/ontology#Provider"))}
    assert stated and {row[0] for row in rows} == stated


def test_invalid_utf8_is_refused(fixture_store):  # noqa: F811
    with pytest.raises(queries.QueryError, match="not valid UTF-8"):
        queries.run(fixture_store, "providers-by-person", name=b"Rita \xff")
    assert queries.run(fixture_store, "providers-by-person", name="Rita Responsible".encode()).rows
    # an undecodable command-line argument reaches Python as a lone surrogate
    result = _cli("query", "providers-by-person", "--store", str(fixture_store.path), "--param", "name=Rita \udcff")
    assert result.exit_code == 2 and "not valid UTF-8" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------ the query command's errors


def test_a_syntax_error_is_one_line_with_a_caret(tmp_path, fixture_store):  # noqa: F811
    path = tmp_path / "mine.rq"
    path.write_text("PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>\nSELECT ?s WHERE { ?s foo:bar ?o }\n", encoding="utf-8")
    result = _cli("query", str(path), "--store", str(fixture_store.path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {path} is not valid SPARQL at line 2, column 22")
    assert "foo:" in lines[0] and "Traceback" not in result.output
    # the caret sits under the first character of the undeclared name
    assert lines[1] == "SELECT ?s WHERE { ?s foo:bar ?o }"
    assert lines[2].index("^") == lines[1].index("foo:bar")
    assert "--debug" in lines[3]
    debug = _cli("query", str(path), "--store", str(fixture_store.path), "--debug")
    assert isinstance(debug.exception, queries.SparqlSyntaxError)


def test_a_syntax_error_on_an_endpoint_points_at_the_files_own_line(served, tmp_path):  # noqa: F811
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# question: Which?\n# columns: s\n"
                    "PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>\nSELECT ?s WHERE { ?s foo:bar ?o }\n", encoding="utf-8")
    result = _cli("query", str(path), "--endpoint", served.sparql_url)
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {path} is not valid SPARQL at line 5, column 22")
    assert lines[1] == "SELECT ?s WHERE { ?s foo:bar ?o }" and lines[2].index("^") == lines[1].index("foo:bar")


def test_the_caret_counts_characters_not_bytes():
    text = 'SELECT * WHERE { ?s ?p "Zoë" . ?s ?p ?o } LIMIT -1'
    at = text.index("-1")
    # Oxigraph counts the column in bytes of UTF-8: "ë" is two
    error = queries.syntax_error(f"error at 1:{len(text[:at].encode()) + 1}: expected a number", text)
    assert (error.line, error.column) == (1, at + 1)
    assert error.excerpt().splitlines()[1].index("^") == text.index("-1")


def test_a_negative_limit_is_refused(fixture_store):  # noqa: F811
    result = _cli("query", "rating-trajectories", "--store", str(fixture_store.path), "--limit", "-1")
    assert result.exit_code == 2 and "--limit" in result.output and "Traceback" not in result.output
    with pytest.raises(queries.QueryError, match="limit"):
        queries.run(fixture_store, "rating-trajectories", limit=-1)


def test_an_unknown_urn_is_named_with_the_closest(fixture_store):  # noqa: F811
    result = _cli("query", "provider-profile", "--store", str(fixture_store.path), "--param", "urn=SC000009")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "no provider with URN 'SC000009' in the store" in message
    assert re.search(r"did you mean (SC00000[1-6], ){2,4}SC00000[1-6]\?", message)   # URNs the fixture holds
    assert "ofsted-kg export --view panel" in message


def test_a_urn_in_lower_case_is_read_in_capitals(fixture_store):  # noqa: F811
    result = _cli("query", "provider-profile", "--store", str(fixture_store.path), "--param", "urn= sc000001 ",
                  "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines()[1].startswith("SC000001,Acme House,")


def test_a_known_value_that_matches_nothing_is_not_an_error(fixture_store):  # noqa: F811
    # SC000003 is in the store but has no requirements: no rows, exit 0
    result = _cli("query", "requirements-by-provider", "--store", str(fixture_store.path), "--param", "urn=SC000003")
    assert result.exit_code == 0, result.output


def test_an_unknown_person_gets_the_nearest_names(fixture_store):  # noqa: F811
    with pytest.raises(queries.UnknownValue) as caught:
        queries.run(fixture_store, "providers-by-person", name="rita responsable", check=True)
    assert caught.value.suggestions == ["Rita Responsible"]


def test_a_mistyped_query_name_gets_did_you_mean(fixture_store):  # noqa: F811
    result = _cli("query", "provider-profle", "--store", str(fixture_store.path))
    assert result.exit_code == 2
    assert "did you mean provider-profile" in " ".join(result.stderr.split())


# ------------------------------------------------------------------ the Python API


@pytest.fixture(scope="module")
def kg(fixture_store):  # noqa: F811
    return KnowledgeGraph(fixture_store.path)


def test_a_query_parameter_may_share_a_name_with_the_method(kg):
    rows = kg.query("providers-by-person", name="rita RESPONSIBLE")
    assert [(r["urn"], r["date"]) for r in rows] == [("SC000001", dt.date(2021, 6, 1)), ("SC000002", dt.date(2022, 1, 10))]
    assert kg.query("providers-by-person", {"name": "Rita Responsible"}) == rows


def test_values_are_typed(kg):
    # the fixture's children's homes at 31 March 2022: three owners with 4, 4 and 2 places
    [row] = [r for r in kg.query("place-concentration", provision_type="childrens-home")
             if r["snapshot_date"] == dt.date(2022, 3, 31)]
    assert row == {"snapshot_date": dt.date(2022, 3, 31), "provision_type": "childrens-home", "owners": 3, "places": 10,
                   "largest_owner_places": 4, "largest_owner_share": 40.0, "hhi": 3600.0, "note": None}
    assert type(row["owners"]) is int and type(row["hhi"]) is float


def test_frames_have_a_dtype_per_column(kg):
    pytest.importorskip("pandas")
    frame = kg.query("rating-trajectories", as_frame=True)
    assert str(frame["from_date"].dtype).startswith("datetime64")
    assert str(frame["urn"].dtype) == "string"
    counts = kg.query("inspector-caseload", as_frame=True)
    assert str(counts["inspections"].dtype) == "Int64" and list(counts["inspections"]) == [3, 2]


def test_the_api_doctests_run():
    assert doctest.testmod(api, optionflags=doctest.ELLIPSIS).failed == 0
