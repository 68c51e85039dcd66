"""Official statistics records (ofsted_kg.ingest.stats) -> quads.

Per file, each row's facts go in that file's named graph: the provider as the release recorded it
(a :class:`ok:ProviderSnapshot` at the snapshot date), its inspections and judgements, registration
changes and closures. A visit an earlier file described under another identifier is not described
again (:class:`Visits`). Facts that need every file at once (a provider's current owner, places and
status, its departures and registration; the inspection before each inspection; which organisation
each owner spelling names, and so each snapshot's owner and the owner at each inspection) are
derived at the end by :class:`ProviderLedger` into the derived graph. A snapshot keeps the owner as
its release wrote it (ok:ownerName); its ok:ownedBy, resolved over every release, is in the derived graph.

The column -> property mappings are tables (``SNAPSHOT_FIELDS``, ``INSPECTION_FIELDS``, ...), not code.
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

import pyoxigraph as ox

from .. import vocab
from ..linking.names import OwnerAlias, OwnerResolution, looks_like_council, owner_key, resolve_owners
from ..rdf import Quads, boolean, date, grade_ranks, integer, string
from ..vocab import DERIVED_GRAPH, OK, ORG, RDF, RDFS, SCHEMA, SKOS
from .councils import CouncilIndex

# record field -> (property, literal maker): facts of the provider as a release recorded it
SNAPSHOT_FIELDS = [
    ("name", SCHEMA.name, string),
    ("address", SCHEMA.address, string),
    ("postcode", OK.postcode, string),
    ("registration_date", OK.registrationDate, date),
    ("status", OK.registrationStatus, string),
    ("places", OK.places, integer),
    ("local_authority", OK.localAuthorityName, string),
    ("ofsted_region", OK.ofstedRegion, string),
    ("region", OK.region, string),
    ("constituency", OK.constituency, string),
    ("short_breaks_only", OK.shortBreaksOnly, boolean),
    ("multi_building", OK.multiBuilding, boolean),
    ("linked_education_urn", OK.linkedEducationUrn, string),
]

INSPECTION_FIELDS = [
    ("event_number", OK.eventNumber, string),
    ("event_type_label", OK.inspectionTypeLabel, string),
    ("inspection_date", OK.startDate, date),
    ("publication_date", OK.publicationDate, date),
]

CHANGE_FIELDS = [
    ("change", OK.change, string),
    ("year", OK.statisticsYear, string),
    ("active_date", OK.registrationDate, date),
    ("closed_date", OK.closeDate, date),
    ("status_start", OK.statusAtStart, string),
    ("status_end", OK.statusAtEnd, string),
    ("reason", OK.reason, string),
]

# the provider's current facts, derived from its latest record: record field -> property
# (the status is derived from every release, closure and leaver: ProviderLedger.status)
CURRENT_FIELDS = [f for f in SNAPSHOT_FIELDS if f[0] not in ("local_authority", "status")]

OVERALL_AREAS = ("overall_experiences_and_progress", "overall_effectiveness")
PROVISION_TYPE_ALIASES = {"independent-fostering-provider": "independent-fostering-agency"}
SCCIF_START = "2017-04-01"


NOT_RECORDED = "not-recorded"

# Two full inspections of one provider, given by different files under different identifiers (or one
# without), are one visit when their start dates are this close and their overall grades share a rank
# (or one is ungraded); on the same day whatever the grades.
VISIT_WINDOW_DAYS = 14
# How a departure is named where a file says it: a status (Resigned, Cancelled), else which of the
# kind's own date columns is filled; the date is the first of LEAVING_DATES filled.
DEPARTURE_KINDS = ("resigned", "cancelled", "closed")
KIND_DATES = (("cancelled_date", "cancelled"), ("resigned_date", "resigned"), ("closed_date", "closed"))
LEAVING_DATES = ("leaving_date", "cancelled_date", "resigned_date", "closed_date")
# status of a provider that left without a file saying how, and of one no release lists
LEFT, NOT_LISTED = "Left", "Not listed"


def provision_type_key(record: dict) -> str:
    """The record's provision-type token; a row without one gets "not-recorded", so every provider,
    snapshot and holding has a type (the stored queries pick a type by joining on it)."""
    key = record.get("provision_type_key")
    return PROVISION_TYPE_ALIASES.get(key, key) or NOT_RECORDED


def statistics_year(day: str) -> str:
    """The April-March year Ofsted's statistics use: "2019-20" for 2019-04-01 to 2020-03-31."""
    year, month = int(day[:4]), int(day[5:7])
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass
class Visit:
    start: str
    rank: int | None
    node: ox.NamedNode
    source: str
    numbers: set[str]


@dataclass
class Visits:
    """The full inspections mapped so far, per provider, so that a visit a later file gives again under
    another identifier (an older file's inspection ID beside a later release's event number, or a row
    without a number beside one with it) is described once, with the other identifier as an alternative."""

    by_urn: dict[str, list[Visit]] = field(default_factory=lambda: defaultdict(list))
    mapped: set[tuple[str, str]] = field(default_factory=set)  # (urn, event number) already described
    holders: dict[str, str] = field(default_factory=dict)  # event number -> the first provider given it
    decisions: list[str] = field(default_factory=list)  # what one file's mapping took from earlier files

    def same_visit(self, urn: str, number: str | None, start: str | None, event_type: str | None,
                   overall: str | None, source: str) -> Visit | None:
        if event_type != "full" or not start:
            return None
        rank = grade_ranks().get(overall) if overall else None
        day = Date.fromisoformat(start)
        for visit in self.by_urn.get(urn, ()):
            if visit.source == source or (number and number in visit.numbers):
                continue  # one file's rows are separate events; one number is one node already
            gap = abs((Date.fromisoformat(visit.start) - day).days)
            if gap == 0 or (gap <= VISIT_WINDOW_DAYS and (rank is None or visit.rank is None or rank == visit.rank)):
                return visit
        return None

    def node_for(self, urn: str, number: str | None, start: str | None) -> ox.NamedNode:
        """The inspection's IRI; a number first given to another provider gets one node per provider."""
        shared = bool(number) and self.holders.setdefault(number, urn) != urn
        if shared:
            self.decisions.append(f"shared {number} {urn}")
        return vocab.inspection(number, urn, start, shared=shared)

    def register(self, urn: str, number: str | None, start: str | None, event_type: str | None,
                 overall: str | None, node: ox.NamedNode, source: str) -> None:
        if number:
            self.mapped.add((urn, number))
        if event_type == "full" and start and not any(v.node == node for v in self.by_urn.get(urn, ())):
            rank = grade_ranks().get(overall) if overall else None
            self.by_urn[urn].append(Visit(start, rank, node, source, {number} if number else set()))


@dataclass
class ProviderLedger:
    """Everything the statistics say about each provider over time, to derive current facts at the end."""

    latest: dict[str, tuple[tuple, dict]] = field(default_factory=dict)
    owners_seen: dict[str, tuple[str, str]] = field(default_factory=dict)  # urn -> (date, owner key)
    # urn -> event IRI -> (start date, event type, overall grade)
    inspections: dict[str, dict[str, tuple[str, str, str | None]]] = field(default_factory=lambda: defaultdict(dict))
    spellings: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    urns: set[str] = field(default_factory=set)
    # (urn, snapshot date) -> (owner keys, places, provision type keys) the releases give that snapshot
    snapshot_facts: dict[tuple[str, str], tuple[set, set, set]] = field(default_factory=dict)
    # (urn, snapshot date) -> the registration status that release prints (None where it has no column)
    listed_status: dict[tuple[str, str], str | None] = field(default_factory=dict)
    # urn -> (snapshot date, record) of the earliest release listing it: its type and sector on joining
    first_listing: dict[str, tuple[str, dict]] = field(default_factory=dict)
    departures: dict[str, set[tuple[str | None, str | None, str]]] = field(default_factory=lambda: defaultdict(set))
    # urn -> [(statistics year, date, record, file)] for each row flagging the provider a joiner
    joiner_flags: dict[str, list[tuple[str, str | None, dict, str]]] = field(default_factory=lambda: defaultdict(list))
    visits: Visits = field(default_factory=Visits)
    # urn -> (inspection date, status, file): the registration status the latest in-year inspections row prints
    printed_status: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    owner_aliases: list[OwnerAlias] = field(default_factory=list)   # a user's overrides (linking.names)
    resolution: OwnerResolution | None = None   # set by derived_quads

    def note_provider(self, provider: dict, as_at: str, priority: int) -> None:
        urn = provider["urn"]
        rank = (as_at or "", priority)
        if urn not in self.latest or rank >= self.latest[urn][0]:
            merged = dict(self.latest[urn][1]) if urn in self.latest else {}
            merged.update({k: v for k, v in provider.items() if v is not None})
            self.latest[urn] = (rank, merged)
        elif urn in self.latest:
            # an older record fills only what the newer ones lack
            current = self.latest[urn][1]
            for key, value in provider.items():
                if current.get(key) is None and value is not None:
                    current[key] = value
        owner = owner_key(provider.get("owner"))
        if owner and owner not in self.spellings:
            # a kind of record whose owner was not noted as it was mapped: its spelling is one too
            self.note_owner_spelling(provider["owner"])
        if owner and (urn not in self.owners_seen or (as_at or "") >= self.owners_seen[urn][0]):
            self.owners_seen[urn] = (as_at or "", owner)

    def note_snapshot(self, record: dict) -> None:
        """Owner, places and type of one snapshot, for the owners' holdings (as sets: a snapshot two
        files repeat counts once, as it does in the union of their graphs)."""
        key = (record["urn"], record["snapshot_date"])
        self.listed_status[key] = record.get("status") or self.listed_status.get(key)
        earliest = self.first_listing.get(record["urn"])
        if earliest is None or record["snapshot_date"] < earliest[0]:
            self.first_listing[record["urn"]] = (record["snapshot_date"], record)
        owners, places, types = self.snapshot_facts.setdefault(key, (set(), set(), set()))
        owner = owner_key(record.get("owner"))
        if owner:
            owners.add(owner)
        if record.get("places") not in (None, ""):
            places.add(int(record["places"]))
        types.add(provision_type_key(record))

    def note_owner_spelling(self, owner: str) -> None:
        key = owner_key(owner)
        if key:
            self.spellings[key][" ".join(owner.split())] += 1

    def resolve_owners(self, councils: CouncilIndex) -> OwnerResolution:
        """Which organisation each owner spelling names (linking.names.resolve_owners), with the
        releases' evidence: each provider's owner key per snapshot date."""
        sightings: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for (urn, snapshot_date), (owners, _places, _types) in self.snapshot_facts.items():
            if len(owners) == 1:   # two owners for one snapshot (two files of a release disagree): no evidence
                sightings[urn].append((snapshot_date, next(iter(owners))))

        def same_council(a: str, b: str) -> bool:
            found = councils.find(a) if looks_like_council(a) and looks_like_council(b) else None
            return bool(found) and found is councils.find(b)

        return resolve_owners(self.spellings, sightings, self.owner_aliases, same_council)

    def note_inspection(self, urn: str, node: ox.NamedNode, start: str | None, event_type: str | None,
                        overall: str | None) -> None:
        if start:
            self.inspections[urn][node.value] = (start, event_type or "other", overall)

    def note_departure(self, record: dict, source: str) -> None:
        """A closure row, or a joiners-and-leavers row flagging a leaver: its date, kind where the file
        says it (a status, or which of its date columns is filled), and the file."""
        if record["record"] == "closure":
            day, stated = record.get("close_date"), record.get("status")
        else:
            day = next((record[k] for k in LEAVING_DATES if record.get(k)), None)
            stated = record.get("status_end")
        kind = (stated or "").lower()
        if kind not in DEPARTURE_KINDS:
            kind = next((name for key, name in KIND_DATES if record.get(key)), None)
        self.departures[record["urn"]].add((day, kind, source))

    def note_printed_status(self, urn: str, status: str | None, as_at: str, source: str) -> None:
        if status and (urn not in self.printed_status or as_at >= self.printed_status[urn][0]):
            self.printed_status[urn] = (as_at, status, source)

    def note_joiner(self, record: dict, source: str) -> None:
        year = record.get("year") or (statistics_year(record["active_date"]) if record.get("active_date") else None)
        if year:
            self.joiner_flags[record["urn"]].append(
                (year, record.get("active_date") or record.get("registration_date"), record, source))

    def status(self, urn: str, releases: list[str], last: str | None) -> tuple[str, str | None, list[tuple]]:
        """The provider's registration status at the newest release, the date it holds from, and its
        departures as (date, kind, source, last listed before an inferred departure).

        Listed in the newest release: the status that release prints, unless a closure or leaver dated
        after the release says otherwise. Not listed there: how it left, from the closures and leavers
        files (the latest record; releases go on listing some providers a year after they left), or,
        where no file records its leaving, a departure inferred from the first release after its last
        listing. Never listed and never recorded leaving: the status an inspections file last printed
        if it is one of leaving (a departure without a date), else "Not listed".
        """
        recorded = sorted(((day, kind, source, None) for day, kind, source in self.departures.get(urn, ())),
                          key=lambda d: (d[0] or "", d[2]))
        newest = releases[-1] if releases else None
        if newest is not None and last == newest:
            after = [d for d in recorded if d[0] and d[0] > newest]
            if not after:
                return self.listed_status.get((urn, newest)) or "Listed", newest, recorded
        if recorded:
            day, kind = recorded[-1][:2]
            return (kind.capitalize() if kind else LEFT), day, recorded
        if last is not None:
            missing_from = next(r for r in releases if r > last)
            return LEFT, missing_from, [(missing_from, None, f"inferred from release {missing_from}", last)]
        # never listed: an inspections file printing a status of leaving says it left, though not when
        _as_at, printed, source = self.printed_status.get(urn, ("", "", ""))
        if printed.lower() in DEPARTURE_KINDS:
            return printed.capitalize(), None, [(None, printed.lower(), f"registration status in {source}", None)]
        return NOT_LISTED, newest, []

    def registrations(self, releases: list[str]) -> dict[str, tuple[str, str | None, dict, str, str]]:
        """Per provider that joined the register: (statistics year, date, record giving its type and
        sector at joining, basis, source).

        A joiners-and-leavers file's joiner flag gives the year, type and sector (this counts providers
        that joined and left in one year). Other providers count by their registration date, from the
        statistics year of the first release on (earlier years would count only those still registered
        in 2014), with the type and sector of the first release listing them.
        """
        registered: dict[str, tuple[str, str | None, dict, str, str]] = {}
        start = f"{statistics_year(releases[0])[:4]}-04-01" if releases else None
        for urn in self.urns:
            flags = self.joiner_flags.get(urn)
            if flags:
                year, day, record, source = min(flags, key=lambda flag: flag[0])
                registered[urn] = (year, day, record, "joiner flag", source)
                continue
            latest = self.latest.get(urn)
            day = latest[1].get("registration_date") if latest else None
            if start is None or not day or day < start:
                continue
            listing = self.first_listing.get(urn)
            record = listing[1] if listing else latest[1]
            source = f"release {listing[0]}" if listing else "inspection records"
            registered[urn] = (statistics_year(day), day, record, "registration date", source)
        return registered

    def derived_quads(self, councils: CouncilIndex, collect: type[Quads] = Quads) -> list:
        """Current facts per provider, preferred owner labels, and each inspection's previous inspection.

        ``collect`` as for :func:`map_stats_file` (the build takes N-Quads lines: a million Quad
        objects at 10x the statistics cost about half a gigabyte)."""
        quads = collect(DERIVED_GRAPH)
        resolution = self.resolution = self.resolve_owners(councils)
        last_listed: dict[str, str] = {}  # urn -> the latest snapshot date listing it
        for urn, snapshot_date in self.snapshot_facts:
            last_listed[urn] = max(snapshot_date, last_listed.get(urn, ""))
        for urn in self.urns:
            quads.add(vocab.provider(urn), RDF.type, OK.Provider)
            quads.add(vocab.provider(urn), OK.urn, string(urn))
        releases = sorted({snapshot_date for _urn, snapshot_date in self.snapshot_facts})
        statuses = {urn: self.status(urn, releases, last_listed.get(urn)) for urn in self.urns}
        for urn, (status, as_at, departures) in statuses.items():
            node = vocab.provider(urn)
            quads.add(node, OK.registrationStatus, string(status))
            quads.add(node, OK.statusDate, date(as_at))
            for departure in departures:
                add_departure(quads, urn, departure)
        for urn, registration in self.registrations(releases).items():
            add_registration(quads, urn, registration)
        for urn, (rank, provider) in self.latest.items():
            node = vocab.provider(urn)
            for key, predicate, make in CURRENT_FIELDS:
                quads.add(node, predicate, make(provider.get(key)))
            if provider.get("name"):
                quads.add(node, RDFS.label, string(provider["name"]))
            quads.add(node, OK.provisionType, quads.concept("provision-type", provision_type_key(provider), provider.get("provision_type")))
            quads.add(node, OK.sector, quads.concept("sector", provider.get("sector_key"), provider.get("sector")))
            quads.add(node, OK.localAuthorityName, string(provider.get("local_authority")))
            quads.add(node, OK.localAuthority, councils.iri_for(provider.get("local_authority")))
            if urn in self.owners_seen:
                quads.add(node, OK.ownedBy, vocab.organisation(resolution.key_of[self.owners_seen[urn][1]]))
            if urn in last_listed:
                quads.add(node, OK.lastListed, date(last_listed[urn]))
        for key, best in resolution.label.items():
            node = vocab.organisation(key)
            quads.add(node, RDF.type, ORG.Organization)
            quads.add(node, SKOS.prefLabel, string(best))
            quads.add(node, RDFS.label, string(best))
            if looks_like_council(best):
                quads.add(node, OK.councilOf, councils.iri_for(best))
        for key, counter in self.spellings.items():
            # every spelling a release wrote stays an alternative label of the organisation it names
            for spelling in counter:
                quads.add(vocab.organisation(resolution.key_of[key]), SKOS.altLabel, string(spelling))
        owners_by_date: dict[str, list[tuple[str, set]]] = defaultdict(list)   # urn -> (date, organisation keys)
        for (urn, snapshot_date), (owners, _places, _types) in self.snapshot_facts.items():
            resolved = {resolution.key_of[o] for o in owners}
            for owner in resolved:
                quads.add(vocab.provider_snapshot(urn, snapshot_date), OK.ownedBy, vocab.organisation(owner))
            if resolved:
                owners_by_date[urn].append((snapshot_date, resolved))
        for seen in owners_by_date.values():
            seen.sort()
        ranks = grade_ranks()
        for urn, events in self.inspections.items():
            ordered = sorted(events.items(), key=lambda kv: (kv[1][0], kv[0]))
            last_full = last_graded = None
            for event_iri, (start, event_type, overall) in ordered:
                for owner in owners_on(owners_by_date.get(urn, ()), start):
                    quads.add(ox.NamedNode(event_iri), OK.ownerAtInspection, vocab.organisation(owner))
                if last_full is not None:
                    quads.add(ox.NamedNode(event_iri), OK.previousInspection, ox.NamedNode(last_full))
                if event_type == "full":
                    last_full = event_iri
                # a visit of another type that a release grades on the full inspections' scale (a
                # monitoring visit the release gives as the latest full inspection, graded good) counts
                # where the release counts it
                if overall and (event_type == "full" or overall in ranks):
                    last_graded = (event_iri, overall)
            add_grade_changes(quads, urn, ordered)
            # shortcuts for the many questions about "the provider's latest grade"
            provider = vocab.provider(urn)
            if last_full:
                quads.add(provider, OK.latestFullInspection, ox.NamedNode(last_full))
            if last_graded:
                quads.add(provider, OK.latestOverallGrade, vocab.concept("grade", last_graded[1]))
        add_holdings(quads, self.snapshot_facts, resolution)
        return quads.items


def owners_on(seen: list[tuple[str, set]], day: str) -> set:
    """The owners named by the latest of ``seen`` (date-ordered) dated on or before ``day``."""
    position = bisect.bisect_right([date for date, _ in seen], day)
    return seen[position - 1][1] if position else set()


def add_grade_changes(quads: Quads, urn: str, ordered: list[tuple[str, tuple[str, str, str | None]]]) -> None:
    """An ok:GradeChange for each pair of consecutive full inspections of the provider whose overall
    grades differ in rank (requires improvement and adequate share a rank), with its direction:
    the rating-trajectories question then reads a few thousand changes instead of every inspection's
    type, grade, date and provider (measured: about 0.5 s on the full graph, 0.07 s this way)."""
    ranks = grade_ranks()
    provider = vocab.provider(urn)
    earlier = None
    for event_iri, (start, event_type, overall) in ordered:
        if event_type != "full":
            continue
        if earlier is not None and ranks.get(earlier[2]) and ranks.get(overall) and ranks[earlier[2]] != ranks[overall]:
            change = vocab.grade_change(ox.NamedNode(event_iri), urn)
            quads.add(change, RDF.type, OK.GradeChange)
            quads.add(change, OK.gradeChangeOf, provider)
            quads.add(change, OK.direction, string("down" if ranks[overall] > ranks[earlier[2]] else "up"))
            quads.add(change, OK.fromInspection, ox.NamedNode(earlier[0]))
            quads.add(change, OK.toInspection, ox.NamedNode(event_iri))
            quads.add(change, OK.fromGrade, vocab.concept("grade", earlier[2]))
            quads.add(change, OK.toGrade, vocab.concept("grade", overall))
            quads.add(change, OK.fromDate, date(earlier[1]))
            quads.add(change, OK.toDate, date(start))
        earlier = (event_iri, start, overall)


def add_departure(quads: Quads, urn: str, departure: tuple) -> None:
    day, kind, source, last_listed = departure
    node = vocab.departure(urn, day, source)
    quads.add(node, RDF.type, OK.Departure)
    quads.add(node, OK.departureOf, vocab.provider(urn))
    quads.add(node, OK.departureDate, date(day))
    quads.add(node, OK.departureKind, string(kind))
    quads.add(node, OK.recordedIn, string(source))
    quads.add(node, OK.departedAfter, date(last_listed))


def add_registration(quads: Quads, urn: str, registration: tuple) -> None:
    year, day, record, basis, source = registration
    node = vocab.registration(urn)
    quads.add(node, RDF.type, OK.Registration)
    quads.add(node, OK.registrationOf, vocab.provider(urn))
    quads.add(node, OK.statisticsYear, string(year))
    quads.add(node, OK.registrationDate, date(day))
    quads.add(node, OK.provisionType, quads.concept("provision-type", provision_type_key(record), record.get("provision_type")))
    quads.add(node, OK.sector, quads.concept("sector", record.get("sector_key"), record.get("sector")))
    quads.add(node, OK.basis, string(basis))
    quads.add(node, OK.recordedIn, string(source))


def add_holdings(quads: Quads, snapshot_facts: dict[tuple[str, str], tuple[set, set, set]],
                 resolution: OwnerResolution) -> None:
    """An ok:OwnerHolding per owner, snapshot date and provision type: how many of its providers the
    releases list and the places they were registered for (0 where none has places, as fostering
    agencies). Concentration questions read these (about twenty thousand) instead of joining owner,
    places, type and date over every snapshot."""
    totals: Counter = Counter()
    providers: Counter = Counter()
    for (_urn, snapshot_date), (owners, places, types) in snapshot_facts.items():
        for owner in {resolution.key_of[o] for o in owners}:
            for type_key in types:
                totals[(owner, snapshot_date, type_key)] += sum(places)
                providers[(owner, snapshot_date, type_key)] += 1
    # each holding's rank among the owners of its type at its date, by places then providers (owners
    # tied share a rank): "the largest owners" reads the ranks instead of comparing every pair
    ranks: dict[tuple, int] = {}
    by_market: dict[tuple, list] = defaultdict(list)
    for (owner, snapshot_date, type_key), places in totals.items():
        by_market[(snapshot_date, type_key)].append(((places, providers[(owner, snapshot_date, type_key)]), owner))
    for (snapshot_date, type_key), holdings in by_market.items():
        holdings.sort(reverse=True)
        for position, (size, owner) in enumerate(holdings):
            ahead = ranks[(holdings[position - 1][1], snapshot_date, type_key)] if position and holdings[position - 1][0] == size else position + 1
            ranks[(owner, snapshot_date, type_key)] = ahead
    for (owner, snapshot_date, type_key), places in totals.items():
        node = vocab.holding(owner, snapshot_date, type_key)
        quads.add(node, RDF.type, OK.OwnerHolding)
        quads.add(node, OK.holder, vocab.organisation(owner))
        quads.add(node, OK.holdingDate, date(snapshot_date))
        quads.add(node, OK.provisionType, vocab.concept("provision-type", type_key))
        quads.add(node, OK.holdingPlaces, integer(places))
        quads.add(node, OK.holdingProviders, integer(providers[(owner, snapshot_date, type_key)]))
        quads.add(node, OK.holdingRank, integer(ranks[(owner, snapshot_date, type_key)]))


def reading_order(path) -> tuple[int, str]:
    """Inspections files first, then everything else, each in name order."""
    return (0 if path.name.startswith("inspections") else 1, path.name)


def map_provider_facts(quads: Quads, subject: ox.NamedNode, provider: dict, councils: CouncilIndex,
                       ledger: ProviderLedger) -> None:
    """The fields of SNAPSHOT_FIELDS plus type, sector, owner and local authority on ``subject``."""
    for key, predicate, make in SNAPSHOT_FIELDS:
        quads.add(subject, predicate, make(provider.get(key)))
    quads.add(subject, OK.provisionType, quads.concept("provision-type", provision_type_key(provider), provider.get("provision_type")))
    quads.add(subject, OK.sector, quads.concept("sector", provider.get("sector_key"), provider.get("sector")))
    quads.add(subject, OK.localAuthority, councils.iri_for(provider.get("local_authority")))
    if owner_key(provider.get("owner")):
        # the organisation it names is resolved over every release, in the derived graph
        quads.add(subject, OK.ownerName, string(" ".join(provider["owner"].split())))
        ledger.note_owner_spelling(provider["owner"])


def map_provider(provider: dict, ledger: ProviderLedger) -> ox.NamedNode:
    """The provider's IRI; its type and URN are stated once, in the derived graph, not in every file's graph."""
    urn = provider["urn"].strip().upper()
    ledger.urns.add(urn)
    return vocab.provider(urn)


def overall_grade(record: dict) -> str | None:
    judgements = record.get("judgements") or {}
    return next((judgements[a] for a in OVERALL_AREAS if judgements.get(a)), None)


def map_inspection(quads: Quads, record: dict, provider_node: ox.NamedNode, ledger: ProviderLedger,
                   source: str = "") -> ox.NamedNode:
    node = ledger.visits.node_for(record["urn"], record.get("event_number"), record.get("inspection_date"))
    quads.add(node, RDF.type, OK.Inspection)
    quads.add(node, OK.inspected, provider_node)
    for key, predicate, make in INSPECTION_FIELDS:
        quads.add(node, predicate, make(record.get(key)))
    quads.add(node, OK.inspectionType, quads.concept("inspection-type", record.get("event_type")))
    if (record.get("inspection_date") or "") >= SCCIF_START:
        quads.add(node, OK.framework, quads.concept("framework", "sccif"))
    map_judgements(quads, node, record.get("judgements") or {})
    overall = overall_grade(record)
    ledger.note_inspection(record["urn"], node, record.get("inspection_date"), record.get("event_type"), overall)
    ledger.visits.register(record["urn"], record.get("event_number"), record.get("inspection_date"),
                           record.get("event_type"), overall, node, source)
    return node


def map_judgements(quads: Quads, inspection_node: ox.NamedNode, judgements: dict) -> None:
    """One ok:Judgement per graded area, and the overall grade as a shortcut on the inspection."""
    for area, grade in judgements.items():
        if not grade:
            continue
        judgement = vocab.judgement(inspection_node, area)
        grade_node = quads.concept("grade", grade)
        quads.add(inspection_node, OK.judgement, judgement)
        quads.add(judgement, RDF.type, OK.Judgement)
        quads.add(judgement, OK.area, quads.concept("area", area))
        quads.add(judgement, OK.grade, grade_node)
        if area in OVERALL_AREAS:
            quads.add(inspection_node, OK.overallGrade, grade_node)


def map_stats_file(stats_file, graph: ox.NamedNode, councils: CouncilIndex, ledger: ProviderLedger,
                   collect: type[Quads] = Quads) -> list:
    """All quads of one statistics file, in ``graph``; feeds ``ledger`` for the derived facts.

    ``collect`` is the quad collector: ofsted_kg.rdf.QuadLines gives N-Quads lines for bulk loading.

    Read the in-year inspections files before the snapshots (see ``reading_order``): a snapshot's
    "latest full inspection" columns repeat events those files describe, and such an event is
    described once, in the graph of the file that first gives it.
    """
    quads = collect(graph)
    source = Path(stats_file.path).name
    ledger.visits.decisions = []
    for record in stats_file.records:
        kind = record["record"]
        if kind == "provider":
            provider_node = map_provider(record, ledger)
            snapshot = vocab.provider_snapshot(record["urn"], record["snapshot_date"])
            quads.add(snapshot, RDF.type, OK.ProviderSnapshot)
            quads.add(snapshot, OK.snapshotOf, provider_node)
            quads.add(snapshot, OK.snapshotDate, date(record["snapshot_date"]))
            map_provider_facts(quads, snapshot, record, councils, ledger)
            ledger.note_provider(record, record["snapshot_date"], 2)
            ledger.note_snapshot(record)
        elif kind == "inspection":
            map_inspection_record(quads, record, source, councils, ledger)
        elif kind == "registration_change":
            provider_node = map_provider(record, ledger)
            change = vocab.registration_change(record["urn"], record.get("change") or "change", record.get("year") or "unknown")
            quads.add(provider_node, OK.registrationChange, change)
            quads.add(change, RDF.type, OK.RegistrationChange)
            for key, predicate, make in CHANGE_FIELDS:
                quads.add(change, predicate, make(record.get(key)))
            ledger.note_provider(record, record.get("active_date") or "", 0)
            if record.get("leaver"):
                ledger.note_departure(record, source)
            if record.get("joiner"):
                ledger.note_joiner(record, source)
        elif kind == "closure":
            provider_node = map_provider(record, ledger)
            change = vocab.registration_change(record["urn"], "closure", record.get("close_date") or "unknown")
            quads.add(provider_node, OK.registrationChange, change)
            quads.add(change, RDF.type, OK.RegistrationChange)
            quads.add(change, OK.change, string("closure"))
            quads.add(change, OK.closeDate, date(record.get("close_date")))
            quads.add(change, OK.statusAtEnd, string(record.get("status")))
            ledger.note_departure(record, source)
    return quads.items


def map_inspection_record(quads: Quads, record: dict, source: str, councils: CouncilIndex,
                          ledger: ProviderLedger) -> None:
    """One inspection row, unless an earlier file described the same visit: then at most its event
    number, as an alternative identifier of the inspection already there."""
    urn, number = record["urn"], record.get("event_number")
    from_snapshot = record.get("latest_full") or record.get("previous_full")
    visits = ledger.visits
    if from_snapshot and number and (urn, number) in visits.mapped:
        # an event an earlier file (the in-year inspections file, read first) already describes
        visits.decisions.append(f"described {urn} {number}")
        return
    provider = dict(record.get("provider") or {}, urn=urn)
    provider_node = map_provider(provider, ledger)
    same = visits.same_visit(urn, number, record.get("inspection_date"), record.get("event_type"),
                             overall_grade(record), source)
    if same is not None:
        if number:
            quads.add(same.node, OK.alternativeEventNumber, string(number))
            same.numbers.add(number)
            visits.mapped.add((urn, number))
        visits.decisions.append(f"same visit {urn} {number or record.get('inspection_date')} {same.node.value}")
    else:
        map_inspection(quads, record, provider_node, ledger, source)
    if not from_snapshot:
        if provider.get("owner"):
            ledger.note_owner_spelling(provider["owner"])
        ledger.note_provider(provider, record.get("inspection_date") or "", 1)
        ledger.note_printed_status(urn, provider.get("status"), record.get("inspection_date") or "", source)
