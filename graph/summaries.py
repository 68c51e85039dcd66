"""Counts over the findings and the people, stated once per build in their own graph (SUMMARY_GRAPH).

Questions such as "which regulations are cited across the most providers" or "who is responsible
individual for several providers" aggregate every requirement or every post in the graph: at the
scale of the sector (tens of thousands of reports) Oxigraph takes seconds to minutes to join and
group them at query time. The build reads the facts they rest on once (joined and grouped inside
Oxigraph where it can, the rest here) and states the counts; the stored queries read the counts. Each count is defined by the
query it answers (queries/*.rq), and the graph's own facts stay as they are, so a reader can check
a count against them.

The counts are read from the store, not from the mapping, so that they are the same however the
store was filled (a full build, an incremental one, a test's fixture) and are simply stated again
after every build. They assume what mapping.stats states: a provider has one current provision
type and one current sector.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from itertools import pairwise

import pyoxigraph as ox

from . import vocab
from .rdf import integer
from .vocab import DCT, GRAPH, ID, OK, RDF

SUMMARY_GRAPH = ox.NamedNode(GRAPH + "summaries")

RESPONSIBLE_INDIVIDUAL = vocab.concept("role", "responsible_individual")
REGISTERED_MANAGER = vocab.concept("role", "registered_manager")


def _pairs(store: ox.Store, predicate: ox.NamedNode) -> list[tuple]:
    """(subject, object) of every triple with ``predicate``, in any graph, each once: every report
    restates such facts as a provision's instrument or a provider's URN in its own graph."""
    return [tuple(solution) for solution in store.query(
        f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{predicate.value}> ?o }}", use_default_graph_as_union=True)]


PREFIXES = """PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX role: <https://w3id.org/ofsted-kg/id/role/>
PREFIX schema: <https://schema.org/>
"""


def _select(store: ox.Store, sparql: str) -> list[tuple]:
    """The rows of a SELECT over every graph. The queries below read each property with a sub-select
    of its own, which Oxigraph joins by hash on the ids it stores: turning a term back into its text
    is most of the cost of reading, so the joins and counts happen there and only their results
    come out."""
    return [tuple(solution) for solution in store.query(PREFIXES + sparql, use_default_graph_as_union=True)]


def _multimap(pairs: Iterable[tuple]) -> dict:
    found: dict = defaultdict(set)
    for key, value in pairs:
        found[key].add(value)
    return found


def summary_quads(store: ox.Store) -> list[ox.Quad]:
    """The counts of SUMMARY_GRAPH for what ``store`` holds (the graph itself is not read)."""
    out: list[ox.Quad] = []

    def add(subject, predicate, value) -> None:
        if value is not None:
            out.append(ox.Quad(subject, predicate, value, SUMMARY_GRAPH))

    facts = _Facts(store)
    _citations(facts, add)
    _requirements_by_year(facts, add)
    _repeat_citations(facts, add)
    _caseloads(facts, add)
    _posts(facts, add)
    _inadequate(facts, add)
    return out


def replace_summaries(store: ox.Store, held: set | None = None) -> tuple[int, list[ox.Quad]]:
    """Make SUMMARY_GRAPH what ``summary_quads`` says, changing it by difference from ``held`` (what it
    holds, read from the store when not given); the number of quads added and removed, and the graph."""
    wanted = set(summary_quads(store))
    if held is None:
        held = set(store.quads_for_pattern(None, None, None, SUMMARY_GRAPH))
    gone, new = held - wanted, wanted - held
    for quad in gone:
        store.remove(quad)
    store.bulk_extend(list(new))
    return len(gone) + len(new), list(wanted)


class _Facts:
    """The facts the counts rest on, read once for all of them."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        # inspection -> its requirements; requirement -> what it cites
        self.findings, self.cites = defaultdict(set), defaultdict(set)
        for inspection, requirement, cited in _select(store, """SELECT ?i ?r ?c WHERE {
                { SELECT ?r WHERE { ?r a ok:Requirement } }
                { SELECT ?i ?r WHERE { ?i ok:finding ?r } }
                OPTIONAL { SELECT ?r ?c WHERE { ?r ok:cites ?c } } }"""):
            self.findings[inspection].add(requirement)
            if cited is not None:
                self.cites[requirement].add(cited)
        # every inspection, with its start, of every subject of an inspection with requirements
        self.inspected, self.starts = defaultdict(set), defaultdict(set)
        for inspection, subject, start in _select(store, """SELECT DISTINCT ?i ?s ?d WHERE {
                { SELECT DISTINCT ?s WHERE { { SELECT ?r WHERE { ?r a ok:Requirement } }
                                             { SELECT ?x ?r WHERE { ?x ok:finding ?r } }
                                             { SELECT ?x ?s WHERE { ?x ok:inspected ?s } } } }
                { SELECT ?i ?s WHERE { ?i ok:inspected ?s } }
                OPTIONAL { SELECT ?i ?d WHERE { ?i ok:startDate ?d } } }"""):
            self.inspected[inspection].add(subject)
            if start is not None:
                self.starts[inspection].add(start)
        self.urns = _multimap(_pairs(store, OK.urn))
        self.parents = _multimap(_pairs(store, DCT.isPartOf))
        self.provisions = {row[0] for row in _select(store, "SELECT DISTINCT ?p WHERE { ?p a ok:Provision }")}
        self.codes = _multimap(_pairs(store, OK.instrumentCode))
        self.numbers = _multimap(_pairs(store, OK.provisionNumber))
        # each named node's first spelling (SPARQL's MIN of its schema:name), read once for every count
        # stating one
        self.names = dict(_select(store, "SELECT ?node (MIN(?name) AS ?first) WHERE { ?node schema:name ?name } GROUP BY ?node"))
        self._up: dict = {}

    @cached_property
    def subjects(self) -> set:
        """What the inspections with requirements inspected."""
        return {s for i in self.findings for s in self.inspected.get(i, ())}

    @cached_property
    def sectors(self) -> dict:
        """Each of ``subjects``' current sector concepts."""
        return self.of(self.subjects, OK.sector)

    def of(self, subjects: set, predicate: ox.NamedNode) -> dict:
        """Each subject's values of ``predicate`` (looked up one by one: a few thousand subjects)."""
        return {s: {q.object for q in self.store.quads_for_pattern(s, predicate, None)} for s in subjects}

    def up(self, node) -> set:
        """``node`` and every node above it by dct:isPartOf (SPARQL's dct:isPartOf*)."""
        if node not in self._up:
            seen, todo = {node}, [node]
            while todo:
                for parent in self.parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._up[node] = seen
        return self._up[node]

    def requirements(self):
        """(inspection, requirement, cited) for every requirement citing something."""
        for inspection, found in self.findings.items():
            for requirement in found:
                for cited in self.cites.get(requirement, ()):
                    yield inspection, requirement, cited


def _key(*terms) -> str:
    """A node's IRI part from the terms it counts for (IRIs of provisions slug alike: 26.2 and 26/2)."""
    text = "\n".join(term.value if term is not None else "" for term in terms)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def _notations(facts: _Facts, concepts: set) -> dict:
    return {c: {q.object.value for q in facts.store.quads_for_pattern(c, vocab.SKOS.notation, None)} for c in concepts}


def _urns(facts: _Facts, node, predicate, subject, add) -> None:
    for urn in facts.urns.get(subject, ()):
        add(node, predicate, urn)


def _citations(facts: _Facts, add) -> None:
    """recurring-requirements: per provision (a cited one or one above it) and per current type and
    sector of the providers, the requirements citing it and the providers given them. A provider has
    one type and one sector, so sums over types and sectors count each provider once."""
    types, sectors = facts.of(facts.subjects, OK.provisionType), facts.sectors
    requirements: dict[tuple, set] = defaultdict(set)
    providers: dict[tuple, set] = defaultdict(set)
    for inspection, requirement, cited in facts.requirements():
        for provision in facts.up(cited):
            if provision not in facts.provisions or provision not in facts.codes:
                continue
            for subject in facts.inspected.get(inspection, ()):
                for kind in types[subject] or {None}:
                    for sector in sectors[subject] or {None}:
                        requirements[(provision, kind, sector)].add(requirement)
                        providers[(provision, kind, sector)].add(subject)
    type_tokens = _notations(facts, {key[1] for key in requirements if key[1] is not None})
    sector_tokens = _notations(facts, {key[2] for key in requirements if key[2] is not None})
    labels = _provision_labels(facts, {provision for provision, _, _ in requirements})
    for (provision, kind, sector), found in requirements.items():
        node = ox.NamedNode(f"{ID}citation-tally/{_key(provision, kind, sector)}")
        add(node, RDF.type, OK.CitationTally)
        add(node, OK.tallyProvision, provision)
        add(node, OK.provisionType, kind)
        add(node, OK.sector, sector)
        for token in type_tokens.get(kind, ()):
            add(node, OK.tallyType, ox.Literal(token))
        for token in sector_tokens.get(sector, ()):
            add(node, OK.tallySector, ox.Literal(token))
        for code in facts.codes[provision]:
            add(node, OK.tallyInstrument, code)
        for label in labels[provision]:
            add(node, OK.tallyLabel, ox.Literal(label))
        add(node, OK.requirementCount, integer(len(found)))
        add(node, OK.providerCount, integer(len(providers[(provision, kind, sector)])))


def _provision_labels(facts: _Facts, provisions: set) -> dict:
    """"uksi/2015/541 12/1" plus the regulation's heading where the catalogue gives it."""
    paths = _multimap((s, o) for s, o in _pairs(facts.store, OK.provisionPath) if s in provisions)
    headings = facts.of(provisions, DCT.title)   # (every document has a title too: looked up, not read)
    labels: dict = {}
    for provision in provisions:
        middles = paths.get(provision) or facts.numbers.get(provision) or {ox.Literal("")}
        tails = {f" ({heading.value})" for heading in headings[provision]} or {""}
        labels[provision] = {f"{code.value} {middle.value}{tail}" for code in facts.codes.get(provision, ())
                             for middle in middles for tail in tails}
    return labels


def _requirements_by_year(facts: _Facts, add) -> None:
    """requirements-by-sector-year: per current sector (its notation, else "unknown") and year of the
    inspection's start, the inspections with requirements and the requirements."""
    sectors = facts.sectors
    tokens = _notations(facts, {c for found in sectors.values() for c in found})
    inspections: dict[tuple, set] = defaultdict(set)
    requirements: dict[tuple, set] = defaultdict(set)
    for inspection, found in facts.findings.items():
        for subject in facts.inspected.get(inspection, ()):
            names = {t for c in sectors[subject] for t in tokens[c]} or {"unknown"}
            for start in facts.starts.get(inspection, ()):
                for name in names:
                    key = (name, int(start.value[:4]))
                    inspections[key].add(inspection)
                    requirements[key] |= found
    for (name, year), found in inspections.items():
        node = ox.NamedNode(f"{ID}requirement-tally/{_key(ox.Literal(name))}/{year}")
        add(node, RDF.type, OK.RequirementTally)
        add(node, OK.tallySector, ox.Literal(name))
        add(node, OK.tallyYear, integer(year))
        add(node, OK.inspectionCount, integer(len(found)))
        add(node, OK.requirementCount, integer(len(requirements[(name, year)])))


def _repeat_citations(facts: _Facts, add) -> None:
    """repeat-citations: a regulation (a numbered provision at or above what a requirement cites)
    cited at two inspections of one provider with no inspection of it dated in between."""
    # subject -> start date -> regulations cited at its inspections starting then
    cited_at: dict = defaultdict(lambda: defaultdict(set))
    for inspection, _requirement, cited in facts.requirements():
        regulations = {p for p in facts.up(cited) if p in facts.numbers}
        for subject in facts.inspected.get(inspection, ()):
            for start in facts.starts.get(inspection, ()):
                cited_at[subject][start] |= regulations
    dates: dict = defaultdict(set)
    for inspection, subjects in facts.inspected.items():
        for subject in subjects & cited_at.keys():
            dates[subject] |= facts.starts.get(inspection, set())
    for subject, by_date in cited_at.items():
        if subject not in facts.urns:
            continue
        ordered = sorted(dates[subject], key=lambda d: d.value)
        for earlier, later in pairwise(ordered):
            for regulation in by_date.get(earlier, set()) & by_date.get(later, set()):
                node = ox.NamedNode(f"{ID}repeat-citation/{_key(subject, earlier, regulation)}")
                add(node, RDF.type, OK.RepeatCitation)
                add(node, OK.repeatAt, subject)
                add(node, OK.regulation, regulation)
                add(node, OK.earlierDate, earlier)
                add(node, OK.laterDate, later)
                _urns(facts, node, OK.providerUrn, subject, add)
                for code in facts.codes.get(regulation) or {ox.Literal("")}:
                    for number in facts.numbers[regulation]:
                        add(node, OK.regulationLabel, ox.Literal(f"{code.value} regulation {number.value}"))


def _caseloads(facts: _Facts, add) -> None:
    """inspector-caseload: per named person associated with inspections (of anything), how many, and
    how many distinct providers among the inspected."""
    for person, inspections, providers in _select(facts.store, """
            SELECT ?person (COUNT(DISTINCT ?i) AS ?inspections) (COUNT(DISTINCT ?provider) AS ?providers) WHERE {
              { SELECT DISTINCT ?i ?person WHERE { ?i prov:wasAssociatedWith ?person } }
              { SELECT DISTINCT ?i ?s WHERE { ?i ok:inspected ?s } }
              OPTIONAL { SELECT ?s ?provider WHERE { ?s a ok:Provider BIND(?s AS ?provider) } }
            } GROUP BY ?person"""):
        if person in facts.names:
            add(person, OK.inspectionCount, inspections)
            add(person, OK.providersInspected, providers)
            add(person, OK.displayName, facts.names[person])


# the posts of a role, each with its holder and organisation, for organisations with a URN
POSTS = """{ SELECT ?post WHERE { ?post ok:role role:%s } }
              { SELECT ?post ?person WHERE { ?post org:member ?person } }
              { SELECT ?post ?organisation WHERE { ?post org:organization ?organisation } }
              { SELECT DISTINCT ?organisation ?urn WHERE { ?organisation ok:urn ?urn } }"""


def _posts(facts: _Facts, add) -> None:
    """responsible-individuals-across-providers and registered-manager-churn, from the posts: the
    providers (organisations with a URN) each named person is responsible individual for, and per
    provider how many registered managers its documents name and the first and last dates naming one."""
    responsible: dict = defaultdict(set)
    for person, organisation, urn in _select(facts.store, f"""
            SELECT DISTINCT ?person ?organisation ?urn WHERE {{ {POSTS % "responsible_individual"} }}"""):
        if person in facts.names:
            responsible[person].add(organisation)
            add(person, OK.responsibleIndividualAt, organisation)
            add(person, OK.responsibleIndividualUrn, urn)
    for person, organisations in responsible.items():
        add(person, OK.responsibleIndividualProviders, integer(len(organisations)))
        add(person, OK.displayName, facts.names[person])
    for organisation, urn, managers, first, last in _select(facts.store, f"""
            SELECT ?organisation (SAMPLE(?urn) AS ?any_urn) (COUNT(DISTINCT ?person) AS ?managers)
                   (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {{
              {POSTS % "registered_manager"}
              OPTIONAL {{ SELECT ?post ?day WHERE {{ ?post ok:asAt ?day }} }} }}
            GROUP BY ?organisation"""):
        add(organisation, OK.registeredManagers, managers)
        add(organisation, OK.providerUrn, urn)
        add(organisation, OK.managersFirstNamed, first)
        add(organisation, OK.managersLastNamed, last)
        add(organisation, OK.displayName, facts.names.get(organisation))


def _inadequate(facts: _Facts, add) -> None:
    """closed-after-inadequate and owners-by-inadequate: the start of every full inspection graded
    inadequate overall, on its subject, and every inspection graded inadequate overall, each once (the
    statistics and a report can both state a grade, and the queries read every copy of it to find the
    few thousand they join with departures or owners)."""
    for subject, start in _select(facts.store, """SELECT DISTINCT ?s ?d WHERE {
            { SELECT DISTINCT ?i WHERE { ?i ok:overallGrade <https://w3id.org/ofsted-kg/id/grade/inadequate> } }
            { SELECT DISTINCT ?i WHERE { ?i ok:inspectionType <https://w3id.org/ofsted-kg/id/inspection-type/full> } }
            { SELECT ?i ?s WHERE { ?i ok:inspected ?s } }
            { SELECT ?i ?d WHERE { ?i ok:startDate ?d } } }"""):
        add(subject, OK.fullInadequateOn, start)
    # owners-by-inadequate: every inspection graded inadequate overall, of any type, each once
    for (inspection,) in _select(facts.store, """SELECT DISTINCT ?i WHERE {
            ?i ok:overallGrade <https://w3id.org/ofsted-kg/id/grade/inadequate> }"""):
        add(inspection, RDF.type, OK.InadequateInspection)
