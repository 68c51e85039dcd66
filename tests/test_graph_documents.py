"""Reports and articles in the graph, joined to the statistics: facts read in ../shared."""
import hashlib

OK = "https://w3id.org/ofsted-kg/ontology#"
ID = "https://w3id.org/ofsted-kg/id/"
PREFIXES = f"""PREFIX ok: <{OK}>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def select(store, body):
    return store.query(PREFIXES + body).rows


def test_sc066400_registered_manager_is_monica_hertz_and_ri_grace_wyatt(kg_store):
    rows = select(kg_store, f"""
        SELECT DISTINCT ?name ?role ?date WHERE {{
          ?post org:organization <{ID}provider/SC066400> ; org:member/schema:name ?name ;
                ok:role/skos:notation ?role ; ok:asAt ?date }} ORDER BY ?role""")
    assert rows == [("Monica Hertz", "registered_manager", "2022-12-05"),
                    ("Grace Wyatt", "responsible_individual", "2022-12-05")]


def test_report_inspection_is_the_statistics_event_not_a_duplicate(kg_store):
    rows = select(kg_store, f"""
        SELECT DISTINCT ?inspection ?end ?children ?households WHERE {{
          ?inspection ok:inspected <{ID}provider/SC066400> ; ok:startDate "2022-12-05"^^<http://www.w3.org/2001/XMLSchema#date> .
          OPTIONAL {{ ?inspection ok:endDate ?end }}
          OPTIONAL {{ ?inspection ok:childrenCount ?children }}
          OPTIONAL {{ ?inspection ok:householdsCount ?households }} }}""")
    assert rows == [(f"{ID}inspection/10222195", "2022-12-09", 510, 360)]


def test_three_requirements_due_2023_02_01_cite_the_fostering_regulations(kg_store):
    rows = select(kg_store, f"""
        SELECT DISTINCT ?n ?due ?provision ?regulation WHERE {{
          <{ID}inspection/10222195> ok:finding ?finding .
          ?finding a ok:Requirement ; ok:position ?n ; ok:dueDate ?due ; ok:cites ?provision .
          ?provision dct:isPartOf* ?regulation . ?regulation ok:provisionNumber ?number }} ORDER BY ?n""")
    base = "http://www.legislation.gov.uk/id/uksi/2011/581/regulation/"
    assert [(n, due, provision) for n, due, provision, _ in rows] == [
        (1, "2023-02-01", base + "17/1"), (2, "2023-02-01", base + "27/5/b"), (3, "2023-02-01", base + "26/2/c/iii")]
    # each citation rolls up to its regulation
    assert [regulation for *_, regulation in rows] == [base + "17", base + "27", base + "26"]


def test_recommendations_cite_fostering_national_minimum_standards(kg_store):
    rows = select(kg_store, f"""
        SELECT DISTINCT ?n ?standard WHERE {{
          <{ID}inspection/10222195> ok:finding ?finding .
          ?finding a ok:Recommendation ; ok:position ?n ; ok:cites ?standard }} ORDER BY ?n""")
    assert rows == [(1, f"{ID}standard/fostering-nms-2011/26.2"), (2, f"{ID}standard/fostering-nms-2011/25.1")]


def test_four_inspectors_are_associated_with_the_nexus_inspection(kg_store):
    rows = select(kg_store, f"""
        SELECT DISTINCT ?name WHERE {{ <{ID}inspection/10222195> prov:wasAssociatedWith/schema:name ?name }}""")
    assert {r[0] for r in rows} == {"Sandra Jacobs-Walls", "Paula Edwards", "Claire Beckingham", "Tracey Coglan Greig"}


def test_grace_wyatt_in_article_and_report_is_one_person_with_evidence(kg_store):
    rows = select(kg_store, f"""
        SELECT DISTINCT ?role ?evidence WHERE {{
          <{ID}person/grace-wyatt> ok:identityEvidence ?evidence .
          ?post org:member <{ID}person/grace-wyatt> ; ok:role/skos:notation ?role }} ORDER BY ?role""")
    assert [r[0] for r in rows] == ["director", "responsible_individual"]
    assert "director of Nexus Fostering in the article" in rows[0][1]


def test_blackpool_ilacs_2022_judgements_and_lead_inspector(kg_store):
    # Inspection of Blackpool local authority children's services, 5 to 16 December 2022
    rows = select(kg_store, f"""
        SELECT DISTINCT ?framework ?area ?grade ?lead WHERE {{
          ?inspection ok:inspected <{ID}local-authority/E06000009> ;
             ok:startDate "2022-12-05"^^<http://www.w3.org/2001/XMLSchema#date> ;
             ok:framework/skos:notation ?framework ; ok:leadInspector/schema:name ?lead ;
             ok:judgement [ ok:area/skos:notation ?area ; ok:grade/skos:notation ?grade ] }}""")
    grades = {area: grade for _, area, grade, _ in rows}
    assert grades == {"overall_effectiveness": "requires_improvement", "leaders": "requires_improvement",
                      "help_and_protection": "requires_improvement", "in_care": "good"}
    assert {(framework, lead) for framework, _, _, lead in rows} == {("ilacs_standard", "Lisa Summers")}


def test_blackpool_2022_what_needs_to_improve_has_four_items(kg_store):
    rows = select(kg_store, f"""
        SELECT DISTINCT ?n ?text WHERE {{
          ?inspection ok:inspected <{ID}local-authority/E06000009> ;
             ok:startDate "2022-12-05"^^<http://www.w3.org/2001/XMLSchema#date> ; ok:finding ?f .
          ?f a ok:Recommendation ; ok:position ?n ; ok:text ?text }} ORDER BY ?n""")
    assert len(rows) == 4
    assert rows[2][1].startswith("Sufficient placements to meet children")


def test_news_claims_link_to_the_provider_and_the_inspection_they_describe(kg_store):
    rows = select(kg_store, """
        SELECT DISTINCT ?predicate ?value ?subject ?inspection WHERE {
          ?claim a ok:Claim ; ok:predicate ?predicate ; ok:value ?value ; ok:subject ?subject ;
                 ok:aboutInspection ?inspection ; ok:subjectName ?name .
          FILTER(?predicate IN ("rating", "children")) }""")
    found = {(p, str(v), s.rsplit("/", 1)[-1], i.rsplit("/", 1)[-1]) for p, v, s, i in rows}
    # 000: Nexus Fostering rated outstanding; 003: WCF Fostering requires improvement after September 2021
    assert ("rating", "outstanding", "SC066400", "10222195") in found
    assert ("rating", "requires_improvement", "2549696", "10183205") in found
    assert ("children", "420", "SC066400", "10222195") in found


def test_every_document_is_a_named_graph_with_its_kind(kg_store, shared):
    rows = select(kg_store, """
        SELECT ?kind (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc a ok:SourceDocument ; ok:documentKind ?kind }
        GROUP BY ?kind""")
    kinds = dict(rows)
    # every council PDF in ../shared is one document (a document is its content: copies are one)
    council_pdfs = {hashlib.sha256(path.read_bytes()).hexdigest()
                    for folder in ("ilacs", "focused_visits", "jtai") for path in (shared / "data" / folder).glob("*.pdf")}
    assert len(council_pdfs) >= 340
    assert kinds["la_report"] == len(council_pdfs) and kinds["news"] == 4 and kinds["provider_report"] == 1


def test_worcestershire_children_first_is_a_company_wholly_owned_by_the_council(kg_store):
    # seed 004: "...create Worcestershire Children First (WCF), a wholly owned council company."
    rows = select(kg_store, """
        SELECT DISTINCT ?company ?council WHERE {
          ?company a ok:CouncilOwnedCompany ; ok:whollyOwnedBy ?council }""")
    assert rows == [(f"{ID}organisation/worcestershire-children-first", f"{ID}local-authority/E10000034")]


def test_every_council_report_is_an_inspection_of_the_council_its_file_is_named_after(kg_store, shared):
    """The council index links each LA report to a council; the councils are the URNs leading the file names."""
    frameworks = ("ilacs_standard", "ilacs_short", "sif", "focused_visit", "jtai", "other")
    rows = select(kg_store, f"""
        SELECT DISTINCT ?inspection ?urn WHERE {{
          ?inspection a ok:Inspection ; ok:framework/skos:notation ?framework ; ok:inspected ?council .
          OPTIONAL {{ ?council a ok:LocalAuthority ; ok:ofstedLaUrn ?urn }}
          FILTER(?framework IN ({", ".join(f'"{f}"' for f in frameworks)})) }}""")
    assert rows and all(urn is not None for _, urn in rows)
    named = {path.name.split("_", 1)[0] for folder in ("ilacs", "focused_visits", "jtai")
             for path in (shared / "data" / folder).glob("*.pdf")}
    assert {str(urn) for _, urn in rows} == named
