"""Extraction records (EXTRACTION.md) of reports and articles -> quads, linked to what the graph already holds.

A provider report joins the statistics' provider with the same URN, and its inspection is the
statistics' event with the same URN and start date (not a duplicate). An LA report joins the local
authority from la_lookup.csv. A news article's claims are resolved to providers and councils by name
and to the inspection they most likely describe. The names and inspections come from a RecordIndex
(ofsted_kg.linking.news) that the build fills from the records it has read (``index_statistics``,
``index_councils``, ``DocumentLinker.note``), never from the store being built: documents can be
mapped in any order, and their quads loaded in the background.
People are one node per name (id/person/{name-slug}); when one name is tied to different
organisations the node says so (ok:identityEvidence), so ambiguity is recorded, not hidden.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from .. import vocab
from ..linking.names import comparison_name, organisation_key
from ..linking.news import RecordIndex
from ..paths import display_path
from ..rdf import Quads, date, integer, string
from ..vocab import DCT, DERIVED_GRAPH, OK, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from .councils import CouncilIndex
from .stats import map_judgements

OFSTED = vocab.organisation("ofsted")
INSPECTOR_ROLES = ("inspector", "lead_inspector")
FINDING_KINDS = (("requirements", "requirement", OK.Requirement), ("recommendations", "recommendation", OK.Recommendation))


def index_statistics(index: RecordIndex, records: list[dict]) -> None:
    """The inspections of one statistics file's records, as map_stats_file maps them (in reading order:
    a snapshot's repeat of an event an earlier file gave is left out)."""
    for record in records:
        if record["record"] != "inspection":
            continue
        event = record.get("event_number")
        if (record.get("latest_full") or record.get("previous_full")) and event in index.events_seen:
            continue
        if not (event or record.get("inspection_date")):
            continue
        urn = record["urn"].strip().upper()
        node = vocab.inspection(event, record["urn"], record.get("inspection_date"))
        index.add_inspection(vocab.provider(urn).value, node.value, record.get("inspection_date"),
                             record.get("publication_date"), record.get("judgements"))
        if event:
            index.events_seen.add(event)


def index_ledger(index: RecordIndex, ledger) -> None:
    """Each provider's current name and every spelling of every owner (a mapping.stats.ProviderLedger)."""
    for urn, (_rank, provider) in ledger.latest.items():
        index.add_name(vocab.provider(urn).value, provider.get("name"), "provider")
        if provider.get("name"):
            index.provider_names.add(provider["name"])
    for key, spellings in ledger.spellings.items():
        for spelling in spellings:
            index.add_name(vocab.organisation(key).value, spelling, "company")
            index.owner_names.add(spelling)


def index_councils(index: RecordIndex, councils: CouncilIndex) -> None:
    """Each local authority by its preferred name and every other spelling the lookup gives."""
    for authority in councils.authorities:
        node = vocab.local_authority(authority["ons_code"]).value
        index.add_name(node, authority["name"], "local_authority")
        for name in authority["names"]:
            index.add_name(node, name, "local_authority")


def news_gazetteer(index: RecordIndex, councils: CouncilIndex):
    """The news reader's gazetteer (ofsted_kg.ingest.news.Gazetteer) from what the index holds."""
    from ..ingest.news import Gazetteer

    organisations = [e["name"] for e in index.entries.values() if e["kind"] == "company"]
    return Gazetteer.from_records(providers=[{"name": n} for n in sorted(index.provider_names)],
                                  owners=sorted(set(organisations) | index.owner_names),
                                  authorities=councils.authorities,
                                  councils=[e["name"] for e in index.entries.values() if e["kind"] == "local_authority"])



def _report_subject(record: dict) -> tuple[dict, dict, str | None]:
    """A provider report's provider and inspection parts, and the provider's URN (None when it prints none)."""
    provider = record.get("provider") or {}
    return provider, record.get("inspection") or {}, (provider.get("urn") or "").strip().upper() or None

class DocumentLinker:
    """Maps each extraction record to quads, joining the entities the record index knows.

    ``note`` every record first (reports add their providers, inspections and people to the index),
    then ``map`` them, in any order."""

    def __init__(self, councils: CouncilIndex, index: RecordIndex | None = None) -> None:
        self.index = index if index is not None else RecordIndex()
        self.councils = councils
        # person IRI -> {(organisation label, role, document)} to record shared names
        self.person_contexts: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.report_people: list[dict] = []
        # council IRI -> [(start date, inspection IRI)] of inspections with an overall grade
        self.graded_council_inspections: dict[str, list[tuple[str, str]]] = defaultdict(list)
        # what the last mapped document added to the two above, kept so that an incremental build can
        # count a document it does not map again (``replay``)
        self.added: dict[str, list] = {"contexts": [], "graded": []}

    # ------------------------------------------------------------ dispatch

    def map(self, record: dict, graph: ox.NamedNode) -> list[ox.Quad]:
        """The document's quads, in ``graph``; ``self.added`` then holds what it adds to ``derived_quads``."""
        quads = Quads(graph)
        self.added = {"contexts": [], "graded": []}
        kind = record["source"]["kind"]
        if kind == "provider_report":
            self._provider_report(record, quads)
        elif kind == "la_report":
            self._la_report(record, quads)
        elif kind == "news":
            self._news(record, quads)
        return quads.items

    def note(self, record: dict) -> None:
        """Add what a report tells about providers, councils, inspections and people to the index."""
        kind = record["source"]["kind"]
        if kind == "provider_report":
            provider, inspection, urn = _report_subject(record)
            if not urn:
                return
            provider_node = vocab.provider(urn)
            self.index.add_name(provider_node.value, provider.get("name"), "provider")
            if provider.get("registered_provider"):
                self.index.add_name(vocab.organisation(organisation_key(provider["registered_provider"])).value,
                                    provider["registered_provider"], "company")
            start = inspection.get("start_date")
            if start:
                node = self._existing_inspection(provider_node, start) or vocab.inspection(None, urn, start)
                self.index.add_inspection(provider_node.value, node.value, start, None, inspection.get("judgements"),
                                          inspection.get("children"), inspection.get("households"))
            label = provider.get("registered_provider") or provider.get("name") or urn
            for person in record.get("people") or []:
                if person.get("role") not in INSPECTOR_ROLES:
                    self.report_people.append(dict(person, organisation=person.get("organisation") or label,
                                                   iri=vocab.person(person["name"]).value))
        elif kind == "la_report":
            subject, key, name = self._la_subject(record)
            inspection = record.get("inspection") or {}
            if subject is None or not inspection.get("start_date"):
                return
            if name:
                self.index.add_name(subject.value, name, "company")
            self.index.add_inspection(subject.value, vocab.inspection(None, key, inspection["start_date"]).value,
                                      inspection["start_date"], inspection.get("publication_date"), inspection.get("judgements"))

    def _la_subject(self, record: dict) -> tuple[ox.NamedNode | None, str | None, str | None]:
        """The council an LA report is about (its node, the key of its inspections' IRIs), and the name of an
        organisation minted for an authority the lookup does not know."""
        authority_record = record.get("local_authority") or {}
        authority = self.councils.for_report(authority_record.get("urn"), authority_record.get("name"))
        if authority:
            return vocab.local_authority(authority["ons_code"]), authority["urn"], None
        if authority_record.get("name"):
            name = authority_record["name"]
            return vocab.organisation(organisation_key(name)), vocab.slug(name), name
        return None, None, None

    # ------------------------------------------------------------ helpers

    def _existing_inspection(self, subject: ox.NamedNode, start: str | None) -> ox.NamedNode | None:
        """The inspection of ``subject`` starting on ``start`` the index knows (from the statistics or a report)."""
        found = self.index.inspection_at(subject.value, start)
        return ox.NamedNode(found) if found else None

    def _organisation(self, quads: Quads, name: str | None) -> ox.NamedNode | None:
        if not name:
            return None
        council = self.councils.find(name) if "council" in name.lower() else None
        node = vocab.organisation(organisation_key(name))
        quads.add(node, RDF.type, ORG.Organization)
        quads.add(node, SKOS.altLabel, string(name))
        quads.add(node, RDFS.label, string(name))
        if council:
            quads.add(node, OK.councilOf, vocab.local_authority(council["ons_code"]))
        return node

    def _person(self, quads: Quads, person: dict, organisation: ox.NamedNode | None, as_at: str | None,
                context_label: str, document: str) -> ox.NamedNode:
        node = vocab.person(person["name"])
        role = person.get("role") or "other"
        quads.add(node, RDF.type, SCHEMA.Person)
        quads.add(node, RDF.type, PROV.Agent)
        quads.add(node, SCHEMA.name, string(person["name"]))
        quads.add(node, RDFS.label, string(person["name"]))
        if organisation is not None:
            post = vocab.post(node, role, organisation, as_at)
            quads.add(post, RDF.type, OK.Post)
            quads.add(post, ORG.member, node)
            quads.add(post, ORG.organization, organisation)
            quads.add(post, OK.role, quads.concept("role", role))
            quads.add(post, OK.title, string(person.get("title")))
            quads.add(post, OK.asAt, date(as_at))
            if role not in INSPECTOR_ROLES:
                context = (comparison_name(context_label or ""), f"{role} of {context_label} ({document})")
                self.person_contexts[node.value].add(context)
                self.added["contexts"].append((node.value, context))
        return node

    def _provisions(self, quads: Quads, citation: dict) -> ox.NamedNode | None:
        """The cited provision and its parents up to the instrument (dct:isPartOf)."""
        from ..vocab import provision_iri

        instrument, provision = citation.get("instrument"), citation.get("provision") or []
        if not instrument or not provision:
            return None
        chain = [provision[:n] for n in range(len(provision), 0, -1)]
        node = ox.NamedNode(provision_iri(instrument, provision))
        for parts in chain:
            current = ox.NamedNode(provision_iri(instrument, parts))
            quads.add(current, RDF.type, OK.Provision)
            quads.add(current, OK.provisionPath, string("/".join(parts)))
            quads.add(current, OK.instrumentCode, string(instrument))
            quads.add(current, OK.instrument, instrument_node(instrument))
            if len(parts) > 1:
                quads.add(current, DCT.isPartOf, ox.NamedNode(provision_iri(instrument, parts[:-1])))
            else:
                quads.add(current, DCT.isPartOf, instrument_node(instrument))
                quads.add(current, OK.provisionNumber, string(parts[0]))
        return node

    def _findings(self, quads: Quads, record: dict, inspection: ox.NamedNode) -> None:
        for key, kind, cls in FINDING_KINDS:
            for number, item in enumerate(record.get(key) or [], start=1):
                node = vocab.finding(inspection, kind, number)
                quads.add(inspection, OK.finding, node)
                quads.add(node, RDF.type, cls)
                quads.add(node, OK.text, string(item.get("text")))
                quads.add(node, OK.position, integer(number))
                quads.add(node, OK.dueDate, date(item.get("due_date")))
                quads.add(node, OK.page, integer(item.get("page")))
                for citation in item.get("citations") or []:
                    quads.add(node, OK.citationLabel, string(citation.get("label")))
                    quads.add(node, OK.cites, self._provisions(quads, citation))

    # ------------------------------------------------------------ provider reports

    def _provider_report(self, record: dict, quads: Quads) -> None:
        provider, inspection, urn = _report_subject(record)
        if not urn:
            return
        provider_node = vocab.provider(urn)
        quads.add(provider_node, RDF.type, OK.Provider)
        quads.add(provider_node, OK.urn, string(urn))
        quads.add(provider_node, SCHEMA.name, string(provider.get("name")))
        operator = self._organisation(quads, provider.get("registered_provider"))
        quads.add(provider_node, OK.operatedBy, operator)
        if operator is not None:
            quads.add(operator, SCHEMA.address, string(provider.get("registered_provider_address")))
        start = inspection.get("start_date")
        node = self._existing_inspection(provider_node, start) or (
            vocab.inspection(None, urn, start) if start else None)
        if node is None:
            return
        quads.add(node, RDF.type, OK.Inspection)
        quads.add(node, OK.inspected, provider_node)
        quads.add(node, OK.startDate, date(start))
        quads.add(node, OK.endDate, date(inspection.get("end_date")))
        quads.add(node, OK.framework, quads.concept("framework", "sccif"))
        quads.add(node, OK.inspectionType, quads.concept("inspection-type", inspection.get("type")))
        map_judgements(quads, node, inspection.get("judgements") or {})
        previous = inspection.get("previous") or {}
        quads.add(node, OK.previousInspectionDate, date(previous.get("date")))
        quads.add(node, OK.previousOverallGrade, quads.concept("grade", previous.get("overall")))
        quads.add(node, OK.enforcementSinceLast, string(inspection.get("enforcement_since_last")))
        quads.add(node, OK.childrenCount, integer(inspection.get("children")))
        quads.add(node, OK.householdsCount, integer(inspection.get("households")))
        self._findings(quads, record, node)
        label = provider.get("registered_provider") or provider.get("name") or urn
        document = display_path(Path(record["source"]["path"]))
        for person in record.get("people") or []:
            if person.get("role") in INSPECTOR_ROLES:
                person_node = self._person(quads, person, OFSTED, start, "Ofsted", document)
                quads.add(node, PROV.wasAssociatedWith, person_node)
                if person["role"] == "lead_inspector":
                    quads.add(node, OK.leadInspector, person_node)
            else:
                self._person(quads, person, provider_node, start, label, document)
        self._declare_ofsted(quads)

    def _declare_ofsted(self, quads: Quads) -> None:
        quads.add(OFSTED, RDF.type, ORG.FormalOrganization)
        quads.add(OFSTED, RDFS.label, string("Ofsted"))
        quads.add(OFSTED, SKOS.prefLabel, string("Ofsted"))

    # ------------------------------------------------------------ LA reports

    def _la_report(self, record: dict, quads: Quads) -> None:
        authority_record = record.get("local_authority") or {}
        inspection = record.get("inspection") or {}
        subject, key, minted = self._la_subject(record)
        if subject is None:
            return
        if minted:
            self._organisation(quads, minted)
        start = inspection.get("start_date")
        if not start:
            return
        node = vocab.inspection(None, key, start)
        quads.add(node, RDF.type, OK.Inspection)
        quads.add(node, OK.inspected, subject)
        quads.add(node, OK.startDate, date(start))
        quads.add(node, OK.endDate, date(inspection.get("end_date")))
        quads.add(node, OK.publicationDate, date(inspection.get("publication_date")))
        quads.add(node, OK.framework, quads.concept("framework", inspection.get("framework")))
        map_judgements(quads, node, inspection.get("judgements") or {})
        if (inspection.get("judgements") or {}).get("overall_effectiveness"):
            self.graded_council_inspections[subject.value].append((start, node.value))
            self.added["graded"].append((subject.value, (start, node.value)))
        self._findings(quads, record, node)
        document = display_path(Path(record["source"]["path"]))
        for person in record.get("people") or []:
            if person.get("role") in INSPECTOR_ROLES or _is_ofsted(person.get("organisation")):
                # the inspection team, including analysts and quality assurance staff named in it
                person_node = self._person(quads, person, OFSTED, start, "Ofsted", document)
                quads.add(node, PROV.wasAssociatedWith, person_node)
                if person["role"] == "lead_inspector":
                    quads.add(node, OK.leadInspector, person_node)
            else:
                self._person(quads, person, subject, start, authority_record.get("name") or "", document)
        self._declare_ofsted(quads)

    # ------------------------------------------------------------ news

    def _news(self, record: dict, quads: Quads) -> None:
        from ..linking.news import pick_inspection, resolve_subject, same_person

        article = record.get("article") or {}
        document = quads.graph
        quads.add(document, DCT.title, string(article.get("title")))
        quads.add(document, DCT.issued, date(article.get("published")))
        gazetteer = self.index.gazetteer()
        resolved: dict[str, dict | None] = {}

        def resolve(name: str | None) -> dict | None:
            if not name:
                return None
            if name not in resolved:
                resolved[name] = resolve_subject(name, gazetteer)
            return resolved[name]

        for organisation in record.get("organisations") or []:
            match = resolve(organisation.get("name"))
            if match:
                quads.add(document, OK.mentions, ox.NamedNode(match["iri"]))
            owner = resolve(organisation.get("owned_by"))
            if owner and owner["kind"] == "local_authority":
                # "a wholly owned council company": the article is the evidence (this graph is its)
                company = ox.NamedNode(match["iri"]) if match else self._organisation(quads, organisation["name"])
                quads.add(company, RDF.type, OK.CouncilOwnedCompany)
                quads.add(company, OK.whollyOwnedBy, ox.NamedNode(owner["iri"]))
        claims_by_subject: dict[str, list[dict]] = defaultdict(list)
        for claim in record.get("claims") or []:
            match = resolve(claim.get("subject"))
            if match:
                claims_by_subject[match["iri"]].append(claim)
        linked: dict[str, dict | None] = {
            subject: pick_inspection(claims, self.index.inspections_of(subject), article.get("published"))
            for subject, claims in claims_by_subject.items()}
        for number, claim in enumerate(record.get("claims") or [], start=1):
            node = vocab.claim(document, number)
            quads.add(node, RDF.type, OK.Claim)
            quads.add(node, PROV.wasDerivedFrom, document)
            quads.add(node, OK.subjectName, string(claim.get("subject")))
            quads.add(node, OK.predicate, string(claim.get("predicate")))
            value = claim.get("value")
            quads.add(node, OK.value, integer(value) if isinstance(value, int) else string(value))
            quads.add(node, OK.area, quads.concept("area", claim.get("area")) if claim.get("area") else None)
            quads.add(node, OK.claimDate, date(claim.get("date")))
            quads.add(node, OK.quote, string(claim.get("quote")))
            match = resolve(claim.get("subject"))
            if match:
                quads.add(node, OK.subject, ox.NamedNode(match["iri"]))
                reason = f"subject: {match.get('reason')}"
                link = linked.get(match["iri"])
                if link:
                    quads.add(node, OK.aboutInspection, ox.NamedNode(link["iri"]))
                    reason += f"; inspection: {link.get('reason')}"
                quads.add(node, OK.linkReason, string(reason))
            else:
                quads.add(node, OK.linkReason, string("subject not resolved to a provider or council in the graph"))
        path = display_path(Path(record["source"]["path"]))
        for person in record.get("people") or []:
            match = resolve(person.get("organisation"))
            organisation = ox.NamedNode(match["iri"]) if match else self._organisation(quads, person.get("organisation"))
            node = self._person(quads, person, organisation, article.get("published"), person.get("organisation") or "", path)
            same = same_person(person, self.report_people)
            if same:
                quads.add(node, OK.identityEvidence, string(same.get("evidence") or same.get("reason")))

    def replay(self, added: dict[str, list]) -> None:
        """Count again what an earlier ``map`` of an unchanged document added (its ``self.added``)."""
        for person, context in added["contexts"]:
            self.person_contexts[person].add(tuple(context))
        for subject, item in added["graded"]:
            self.graded_council_inspections[subject].append(tuple(item))

    # ------------------------------------------------------------ across documents

    def derived_quads(self, collect: type[Quads] = Quads) -> list:
        """Each council's previous graded inspection, and names tied to more than one organisation
        (recorded on the person node, not hidden); ``collect`` as for map_stats.map_stats_file."""
        quads = collect(DERIVED_GRAPH)
        for inspections in self.graded_council_inspections.values():
            ordered = sorted(set(inspections))
            for (_, earlier), (_, later) in zip(ordered, ordered[1:]):
                quads.add(ox.NamedNode(later), OK.previousInspection, ox.NamedNode(earlier))
        for person, contexts in self.person_contexts.items():
            organisations = {org for org, _ in contexts}
            if len(organisations) > 1:
                described = "; ".join(sorted(text for _, text in contexts))
                quads.add(ox.NamedNode(person), OK.identityEvidence, string(
                    f"one name, several organisations: {described}. These may be different people; "
                    "the graph keeps one node per name and these posts as evidence."))
        return quads.items


def note_view(record: dict) -> dict:
    """What ``DocumentLinker.note`` reads of a record: its kind, the provider's URN and names, the
    inspection's dates, grades and counts, the council, and the people. An incremental build keeps this
    of every document, to note the documents it does not map again without reading their cached
    records: tens of thousands of them, so no more than ``note`` reads."""
    provider, inspection = record.get("provider") or {}, record.get("inspection") or {}
    return {
        "source": {"kind": record["source"]["kind"]},
        "provider": {key: provider.get(key) for key in ("urn", "name", "registered_provider")},
        "inspection": {key: inspection.get(key) for key in NOTED_INSPECTION},
        "local_authority": record.get("local_authority"),
        "people": record.get("people") or [],
    }


NOTED_INSPECTION = ("start_date", "publication_date", "judgements", "children", "households")


def _is_ofsted(name: str | None) -> bool:
    return bool(name) and comparison_name(name) == "ofsted"


def instrument_node(code: str) -> ox.NamedNode:
    """The instrument's IRI: legislation.gov.uk for Acts and SIs, id/standard/... for standards and guides."""
    from ..vocab import instrument_iri

    return ox.NamedNode(instrument_iri(code))
