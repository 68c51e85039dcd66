"""Linking news claims to the graph's providers, inspections and people (pure Python, small hand-made data)."""
import pytest

from ofsted_kg.linking.names import comparison_name as normalise_name
from ofsted_kg.linking.news import RecordIndex, pick_inspection, resolve_subject, same_person

GAZETTEER = [
    {"iri": "id/local-authority/E10000034", "name": "Worcestershire County Council", "kind": "local_authority",
     "alt_names": ["Worcestershire"]},
    {"iri": "id/organisation/worcestershire-children-first", "name": "Worcestershire Children First", "kind": "company",
     "alt_names": ["WCF"]},
    {"iri": "id/provider/2549696", "name": "Worcestershire Children First Fostering", "kind": "provider", "alt_names": []},
    {"iri": "id/provider/SC066400", "name": "Nexus Fostering", "kind": "provider", "alt_names": []},
    {"iri": "id/organisation/nexus-fostering", "name": "Nexus Fostering Ltd", "kind": "company", "alt_names": []},
    {"iri": "id/provider/1", "name": "Sunrise Fostering North", "kind": "provider", "alt_names": []},
    {"iri": "id/provider/2", "name": "Sunrise Fostering South", "kind": "provider", "alt_names": []},
]


@pytest.mark.parametrize("name, normalised", [
    ("Nexus Fostering LTD", "nexus fostering"),
    ("Nexus Fostering Limited", "nexus fostering"),
    ("WORCESTERSHIRE'S Children Services", "worcestershire children services"),
    ("Worcestershire’s children’s services", "worcestershire children services"),
    ("The Brook & Meadow Children's Home", "brook and meadow children home"),
])
def test_normalise_name(name, normalised):
    assert normalise_name(name) == normalised


@pytest.mark.parametrize("subject, iri", [
    ("Worcestershire Children First Fostering", "id/provider/2549696"),
    ("Worcestershire Children First Fostering service", "id/provider/2549696"),
    ("Worcestershire Children First Fostering agency", "id/provider/2549696"),
    ("Worcestershire Children First", "id/organisation/worcestershire-children-first"),
    ("WCF", "id/organisation/worcestershire-children-first"),
    ("Worcestershire's Children Services", "id/local-authority/E10000034"),
    ("WORCESTERSHIRE'S Children Services", "id/local-authority/E10000034"),
    ("Worcestershire County Council", "id/local-authority/E10000034"),
    ("Nexus Fostering", "id/provider/SC066400"),
    ("Nexus Fostering Ltd", "id/organisation/nexus-fostering"),
])
def test_resolve_subject(subject, iri):
    resolved = resolve_subject(subject, GAZETTEER)
    assert resolved["iri"] == iri
    assert 0 < resolved["score"] <= 1 and resolved["reason"]


def test_possessive_council_reason_names_the_council():
    resolved = resolve_subject("Worcestershire's Children Services", GAZETTEER)
    assert "children's services of 'Worcestershire County Council'" in resolved["reason"]


def test_the_more_specific_name_wins_over_the_company_that_runs_it():
    service = resolve_subject("Worcestershire Children First Fostering service", GAZETTEER)
    assert service["kind"] == "provider"


@pytest.mark.parametrize("subject", ["Sunrise Fostering", "Dudley Council", "Nexus", "children's home in Redditch", ""])
def test_ambiguous_or_unknown_subjects_stay_unresolved(subject):
    assert resolve_subject(subject, GAZETTEER) is None


NEXUS_INSPECTIONS = [
    {"iri": "id/inspection/SC066400/2018-10-08", "start_date": "2018-10-08", "publication_date": "2018-11-20",
     "overall": "outstanding", "judgements": {"overall_experiences_and_progress": "outstanding"}, "children": None, "households": None},
    {"iri": "id/inspection/SC066400/2022-12-05", "start_date": "2022-12-05", "publication_date": "2023-01-20",
     "overall": "outstanding", "judgements": {"overall_experiences_and_progress": "outstanding", "help_and_protection": "outstanding",
                                              "leadership_and_management": "outstanding"}, "children": 510, "households": 360},
]


def test_pick_inspection_latest_before_the_article_and_counts_disagreement_is_reported():
    claims = [{"predicate": "rating", "value": "outstanding", "area": None, "date": None},
              {"predicate": "children", "value": 420, "area": None, "date": None},
              {"predicate": "households", "value": 291, "area": None, "date": None}]
    picked = pick_inspection(claims, NEXUS_INSPECTIONS, None)
    assert picked["iri"] == "id/inspection/SC066400/2022-12-05"
    assert "420 children differ from this inspection's 510" in picked["reason"]
    assert "291 households differ from this inspection's 360" in picked["reason"]


def test_pick_inspection_ignores_inspections_published_after_the_article():
    picked = pick_inspection([{"predicate": "rating", "value": "outstanding"}], NEXUS_INSPECTIONS, "2019-01-10")
    assert picked["iri"] == "id/inspection/SC066400/2018-10-08"


WCFF_INSPECTIONS = [
    {"iri": "id/inspection/2549696/2021-09-13", "start_date": "2021-09-13", "publication_date": "2021-11-01",
     "overall": "requires_improvement", "judgements": {"leadership_and_management": "inadequate"}, "children": 356, "households": None},
    {"iri": "id/inspection/2549696/2023-02-06", "start_date": "2023-02-06", "publication_date": "2023-03-20",
     "overall": "good", "judgements": {"overall_experiences_and_progress": "good", "help_and_protection": "good"}, "children": None, "households": None},
]


def test_pick_inspection_follows_grade_and_date_evidence_to_an_earlier_inspection():
    claims = [{"predicate": "rating", "value": "requires_improvement", "area": None, "date": None},
              {"predicate": "area_rating", "value": "inadequate", "area": "leadership_and_management", "date": None},
              {"predicate": "inspection_date", "value": "2021-09", "area": None, "date": "2021-09"},
              {"predicate": "children", "value": 356, "area": None, "date": "2021-09"}]
    picked = pick_inspection(claims, WCFF_INSPECTIONS, None)
    assert picked["iri"] == "id/inspection/2549696/2021-09-13"
    assert "overall requires_improvement as the article says" in picked["reason"]


def test_pick_inspection_without_inspections_is_none():
    assert pick_inspection([], [], "2023-01-01") is None


REPORT_PEOPLE = [
    {"name": "Grace Wyatt", "role": "responsible_individual", "title": None, "organisation": "Nexus Fostering Ltd"},
    {"name": "Monica Hertz", "role": "registered_manager", "title": None, "organisation": "Nexus Fostering Ltd"},
]


def test_same_person_by_name_and_organisation_with_evidence():
    matched = same_person({"name": "Grace Wyatt", "role": "director", "title": "director", "organisation": "Nexus Fostering"},
                          REPORT_PEOPLE)
    assert matched["report_person"]["role"] == "responsible_individual"
    assert matched["evidence"] == ("Grace Wyatt: director of Nexus Fostering in the article; "
                                   "responsible individual of Nexus Fostering Ltd in the report")


@pytest.mark.parametrize("person", [
    {"name": "Grace Wyatt", "role": "director", "title": "director", "organisation": "Sunnyside Fostering"},
    {"name": "Grace Wyatt", "role": "director", "title": "director", "organisation": None},
    {"name": "Grace Wyat", "role": "director", "title": "director", "organisation": "Nexus Fostering"},
])
def test_same_person_needs_the_same_name_and_organisation(person):
    assert same_person(person, REPORT_PEOPLE) is None


def test_docstring_examples_run():
    import doctest

    from ofsted_kg.ingest import news
    from ofsted_kg.linking import news as news_linking

    for module in (news, news_linking):
        assert doctest.testmod(module).failed == 0


# --- linking from the records, without a store ---------------------------------------------------------

def _records():
    report = {"source": {"path": "reports/SC100001.txt", "kind": "provider_report"}, "errors": [],
              "provider": {"name": "Blue Harbour Fostering", "urn": "SC100001", "registered_provider": "Blue Harbour Care Ltd"},
              "inspection": {"start_date": "2023-09-11", "judgements": {"overall_experiences_and_progress": "good"},
                             "children": 12, "households": 8},
              "people": [{"name": "Jane Doe", "role": "responsible_individual", "title": None, "organisation": None}]}
    article = {"source": {"path": "news/a.txt", "kind": "news"}, "errors": [],
               "article": {"title": "Agency rated good", "published": "2023-11-20"},
               "organisations": [{"name": "Blue Harbour Fostering", "kind": "provider"}],
               "claims": [{"subject": "Blue Harbour Fostering", "predicate": "rating", "value": "good", "area": None,
                           "date": None, "quote": "Blue Harbour Fostering was rated good."},
                          {"subject": "Blue Harbour Fostering", "predicate": "children", "value": 12, "area": None,
                           "date": None, "quote": "It looks after 12 children."}],
               "people": [{"name": "Jane Doe", "role": "director", "title": "director", "organisation": "Blue Harbour Fostering"}]}
    return report, article


def _map(order):
    import pyoxigraph as ox

    from ofsted_kg.mapping.councils import CouncilIndex
    from ofsted_kg.mapping.documents import DocumentLinker, index_statistics

    index = RecordIndex()
    # the statistics' event for the same inspection, as the statistics reader gives it
    index_statistics(index, [{"record": "inspection", "urn": "SC100001", "event_number": "10000001",
                              "inspection_date": "2023-09-11", "publication_date": "2023-11-02",
                              "judgements": {"overall_experiences_and_progress": "good"}}])
    linker = DocumentLinker(CouncilIndex([]), index)
    records = _records()
    for record in records:
        linker.note(record)
    quads = []
    for position in order:
        record = records[position]
        quads += linker.map(record, ox.NamedNode(f"https://example.org/graph/{position}"))
    return {str(q) for q in quads}


def test_documents_link_the_same_whatever_order_they_are_mapped_in():
    assert _map([0, 1]) == _map([1, 0])


def test_a_claim_links_to_the_statistics_event_the_report_joined():
    quads = "\n".join(sorted(_map([1, 0])))
    assert "<https://w3id.org/ofsted-kg/id/inspection/10000001>" in quads
    assert 'ok:aboutInspection' not in quads  # full IRIs, not prefixes
    about = [q for q in quads.splitlines() if "ontology#aboutInspection>" in q]
    assert len(about) == 2 and all("inspection/10000001>" in q for q in about)


def test_the_index_keeps_facts_from_statistics_and_reports():
    index = RecordIndex()
    index.add_inspection("p/1", "i/1", "2023-09-11", "2023-11-02", {"overall_experiences_and_progress": "good"})
    index.add_inspection("p/1", "i/1", "2023-09-11", None, {"leadership_and_management": "good"}, children=12)
    [inspection] = index.inspections_of("p/1")
    assert inspection == {"iri": "i/1", "start_date": "2023-09-11", "publication_date": "2023-11-02", "overall": "good",
                          "judgements": {"overall_experiences_and_progress": "good", "leadership_and_management": "good"},
                          "children": 12, "households": None}


def test_the_news_gazetteer_holds_the_names_the_records_gave():
    from ofsted_kg.mapping.councils import CouncilIndex
    from ofsted_kg.mapping.documents import news_gazetteer

    index = RecordIndex()
    index.add_name("p/1", "Kestrel Family Partnership", "provider")
    index.provider_names.add("Kestrel Family Partnership")
    index.add_name("o/1", "Corvid Holdings Ltd", "company")
    councils = CouncilIndex([{"urn": "1", "ons_code": "E1", "name": "Northmoor", "names": ["Northmoor"]}])
    gazetteer = news_gazetteer(index, councils)
    text = "Kestrel Family Partnership, owned by Corvid Holdings Ltd, works with Northmoor County Council in Northmoor."
    assert [(text[s:e], kind) for s, e, kind in gazetteer.find(text)] == [
        ("Kestrel Family Partnership", "provider"), ("Corvid Holdings Ltd", "company"), ("Northmoor County Council", "local_authority")]


# --- in a build: articles linked from the records, including in a build that re-reads only the article --

def _fostering_agency_graded(path):
    """The first independent fostering agency in a statistics file with a name, an event and an overall grade."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header_at = next(i for i, row in enumerate(rows) if "URN" in row and "Name" in row)
    header = rows[header_at]
    for row in rows[header_at + 1:]:
        record = dict(zip(header, row))
        if record.get("Provision type") == "Independent Fostering Agency" and record.get("Name") \
                and record.get("Inspection event number") and record.get("Overall experiences and progress of children and young people"):
            return record
    raise AssertionError("no graded fostering agency")


def test_a_build_links_an_article_and_an_incremental_build_links_it_again(shared, tmp_path):
    from ofsted_kg import stored as queries
    from ofsted_kg.build import build
    from ofsted_kg.store import EmbeddedStore

    statistics = shared / "data" / "ofsted_stats" / "inspections_2022-23_all.csv"
    agency = _fostering_agency_graded(statistics)
    printed = agency["Overall experiences and progress of children and young people"].strip()
    grade = "requires_improvement" if printed.lower().startswith("requires improvement") else printed.lower()
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "la_lookup.csv").write_bytes((shared / "data" / "la_lookup.csv").read_bytes())
    (sources / statistics.name).write_bytes(statistics.read_bytes())
    article = sources / "article.txt"
    article.write_text(f"Fostering agency rated by Ofsted\n\n{agency['Name']} has been rated {printed.lower()} by Ofsted.\n", encoding="utf-8")
    store = tmp_path / "store"

    def rows():
        result = queries.run(EmbeddedStore(store), "news-vs-record")
        return [dict(zip(result.columns, row)) for row in result.rows]

    build([sources], store)
    [row] = rows()
    assert (row["predicate"], row["claimed"], row["recorded"], row["event_number"]) == (
        "rating", grade, grade, agency["Inspection event number"])
    assert row["verdict"] == "agrees"
    article.write_text(article.read_text(encoding="utf-8") + "\nIt looks after 12 children.\n", encoding="utf-8")
    summary = build([sources], store)
    assert summary.mode == "incremental"
    assert {(r["predicate"], r["event_number"]) for r in rows()} == {
        ("rating", agency["Inspection event number"]), ("children", agency["Inspection event number"])}
