"""Networks cut from the knowledge graph for Gephi, Cytoscape, yEd and network analysis.

Each view is a :class:`networkx.MultiDiGraph` whose node ids are IRIs. Every node has ``label``
and ``type``; the other attributes are plain strings, integers, floats or booleans (dates as ISO
strings). Two attributes carry time for the GEXF writer and are dropped by the static formats:
``_spells`` (a list of ``(start, end)`` ISO dates, ``None`` for open) on nodes and edges, and
``_dynamic`` on nodes (attribute name -> list of ``(value, start, end)``).

Views:

* ``owners``: organisations -> providers they own (weight = places), owner history per snapshot.
* ``people``: people <-> providers and organisations through their posts; inspectors <-> inspections.
* ``findings``: providers <-> the regulations their requirements cite (bipartite).
* ``councils``: councils <-> providers they own, and <-> providers in their area.
* ``full``: every IRI node of the data with its type; literal values as attributes.

``ego(view, urn, hops)`` keeps the part of a view within ``hops`` of a provider; for the full
graph, :func:`neighbourhood` walks the store itself (see there for how hops are counted).
"""
from __future__ import annotations

import contextlib
import gc
import os
import pickle
import re
import struct
import subprocess
import sys
import warnings
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx
import pyoxigraph as ox

from ..vocab import DCT, DERIVED_GRAPH, ID, OK, ONTOLOGY_GRAPH, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS

VIEWS = ("full", "owners", "people", "findings", "councils")
INSPECTOR_ROLES = ("inspector", "lead_inspector")
PROVIDER = ID + "provider/"


def provider_iri(urn: str) -> str:
    return PROVIDER + urn.strip().upper()


def _kept(date: str | None, since: str | None) -> bool:
    """True when there is no ``since`` or the date is on or after it (undated facts go when ``since`` is set)."""
    return since is None or (date is not None and date[:10] >= since)


# ------------------------------------------------------------------ shared facts
# Single-pattern SPARQL lookups, through the store interface, joined in Python: on the union
# default graph Oxigraph answers a join of several patterns an order of magnitude slower than it
# answers each pattern alone. Measured on the full corpus (47,902 snapshots, December 2026): one
# OPTIONAL per snapshot column took 90 s of CPU; one pattern over a VALUES list of predicates
# (snapshot-owners.rq, read by owner concentration) 6.7 s; the single patterns here 3.6 s. The
# research panel, the profile pictures and the charts read their facts through the SPARQL files
# beside this module; the full view and neighbourhoods read quads (see there for why).


class Facts:
    """Per-predicate tables of the store (subject -> values), read once and shared by the views."""

    def __init__(self, store) -> None:
        self.store = store
        self._tables: dict[tuple, dict[str, list]] = {}

    def _pairs(self, predicate: str, obj: str | None, graph: str | None) -> Iterable[tuple[str, object]]:
        # through the store interface (embedded or remote alike): for the owners and people views
        # this took 7.6 s of CPU on the full corpus against 8.6 s reading the quads from pyoxigraph
        pattern = f"?s <{predicate}> {f'<{obj}>' if obj else '?o'}"
        if graph:
            pattern = f"GRAPH <{graph}> {{ {pattern} }}"
        for subject, *value in self.store.query(f"SELECT DISTINCT ?s {'' if obj else '?o'} WHERE {{ {pattern} "
                                                f"FILTER(isIRI(?s)) }}").rows:
            yield subject, value[0] if value else obj

    def table(self, predicate, obj=None, graph: str | None = None) -> dict[str, list]:
        """Subject -> sorted distinct values of ``predicate`` (only objects equal to ``obj`` when given).

        ``graph`` reads one named graph only: the derived graph holds each provider's current facts,
        and reading it alone skips the same predicates on tens of thousands of snapshots.
        """
        key = (getattr(predicate, "value", predicate), getattr(obj, "value", obj), graph)
        if key not in self._tables:
            found: dict[str, set] = defaultdict(set)
            for subject, value in self._pairs(*key):
                found[subject].add(value)
            self._tables[key] = {s: sorted(v, key=str) for s, v in found.items()}
        return self._tables[key]

    def one(self, predicate, graph: str | None = None) -> dict[str, object]:
        """Subject -> one value of ``predicate`` (the smallest, so the choice is stable)."""
        return {s: v[0] for s, v in self.table(predicate, None, graph).items()}

    def instances(self, cls) -> set[str]:
        return set(self.table(RDF.type, cls))

    def label_of(self, iri: str) -> str:
        for predicate in (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCT.title):
            values = self.table(predicate).get(iri)
            if values:
                return str(values[0])
        return iri.rstrip("/").rsplit("/", 1)[-1]


def _facts(store) -> Facts:
    if not hasattr(store, "_export_facts"):
        store._export_facts = Facts(store)
    return store._export_facts


def provider_facts(store) -> dict[str, dict]:
    """Provider IRI -> label, urn, provision type, sector, local authority, places and status."""
    facts = _facts(store)
    current = DERIVED_GRAPH.value
    urns, names = facts.one(OK.urn, current), facts.table(SCHEMA.name, None, current)
    types, sectors = facts.one(OK.provisionType, current), facts.one(OK.sector, current)
    authorities, authority_names = facts.one(OK.localAuthority, current), facts.one(OK.localAuthorityName, current)
    places, status = facts.one(OK.places, current), facts.one(OK.registrationStatus, current)
    found: dict[str, dict] = {}
    for provider in facts.instances(OK.Provider):
        urn = urns.get(provider) or provider.rsplit("/", 1)[-1]
        # children's homes' names read REDACTED in the statistics; a report may give the real one
        name = next((n for n in names.get(provider, []) if str(n).upper() != "REDACTED"), None)
        item = {"type": "Provider", "urn": urn, "name": name,
                "label": f"{name} ({urn})" if name else urn,
                "provision_type": facts.label_of(types[provider]) if provider in types else None,
                "sector": facts.label_of(sectors[provider]) if provider in sectors else None,
                "local_authority": facts.label_of(authorities[provider]) if provider in authorities
                else authority_names.get(provider),
                "places": places.get(provider), "status": status.get(provider)}
        found[provider] = {k: v for k, v in item.items() if v is not None}
    return found


def grade_history(store, since: str | None = None) -> dict[str, list[tuple[str, str, str]]]:
    """Provider (or council) IRI -> [(start date, grade notation, inspection IRI)], oldest first, graded inspections only.

    Read through grade-history.rq; an inspection stated with two starts or grades (two sources
    disagreeing) keeps the smallest of each, so the history is the same on every run.
    """
    start_of: dict[str, str] = {}
    grade_of: dict[str, str] = {}
    subjects: dict[str, set[str]] = defaultdict(set)
    for subject, start, grade, inspection in store.query(sparql_file("grade-history")).rows:
        start, grade = str(start), str(grade)
        start_of[inspection] = min(start, start_of.get(inspection, start))
        grade_of[inspection] = min(grade, grade_of.get(inspection, grade))
        subjects[inspection].add(subject)
    history: dict[str, list] = defaultdict(list)
    for inspection, inspected in subjects.items():
        if _kept(start_of[inspection], since):
            for subject in inspected:
                history[subject].append((start_of[inspection], grade_of[inspection], inspection))
    return {p: sorted(items) for p, items in history.items()}


def sparql_file(name: str) -> str:
    """The text of ``name``.rq beside this module."""
    return resources.files(__package__).joinpath(f"{name}.rq").read_text(encoding="utf-8")


def grade_spells(history: list[tuple[str, str, str]]) -> list[tuple[str, str, str | None]]:
    """Each grade holds from its inspection's start until the next graded inspection: [(grade, start, end)]."""
    spells = []
    for n, (start, grade, _) in enumerate(history):
        end = history[n + 1][0] if n + 1 < len(history) else None
        if end == start:
            continue  # two graded events on one day: the later in order stands
        if spells and spells[-1][0] == grade:
            spells[-1] = (grade, spells[-1][1], end)  # the same grade again: one longer spell
        else:
            spells.append((grade, start, end))
    return spells


def organisation_labels(store) -> dict[str, dict]:
    """Organisation IRI -> label and, for councils, the local authority it is."""
    facts = _facts(store)
    councils = facts.one(OK.councilOf)
    found = {}
    for organisation in facts.instances(ORG.Organization) | facts.instances(ORG.FormalOrganization):
        item = {"type": "Organisation", "label": facts.label_of(organisation)}
        if organisation in councils:
            item["council_of"] = councils[organisation]
        found[organisation] = item
    return found


def local_authorities(store) -> dict[str, dict]:
    """Local authority IRI -> label, ONS code, region."""
    facts = _facts(store)
    ons, region = facts.one(OK.onsCode), facts.one(OK.region)
    return {la: {k: v for k, v in {"type": "LocalAuthority", "label": facts.label_of(la), "ons_code": ons.get(la),
                                   "region": region.get(la)}.items() if v is not None}
            for la in facts.instances(OK.LocalAuthority)}


def _add_node(graph: nx.MultiDiGraph, node: str, attrs: dict) -> None:
    if node in graph:
        graph.nodes[node].update({k: v for k, v in attrs.items() if v is not None})
    else:
        graph.add_node(node, **{k: v for k, v in attrs.items() if v is not None})


def _provider_node(graph, node: str, providers: dict, grades: dict) -> None:
    attrs = dict(providers.get(node) or {"type": "Provider", "label": node.rsplit("/", 1)[-1]})
    history = grades.get(node) or []
    if history:
        attrs["latest_grade"] = history[-1][1]
        attrs["latest_inspection"] = history[-1][0]
        attrs["_dynamic"] = {"grade": grade_spells(history)}
    _add_node(graph, node, attrs)


# ------------------------------------------------------------------ owners


def ownership_runs(store, since: str | None = None) -> tuple[dict[tuple[str, str], dict], list[str]]:
    """(owner, provider) -> first and last snapshot, places at the last one and spells; and the snapshot dates.

    A spell runs from the first snapshot of an unbroken run of one owner to the snapshot where the
    provider shows another owner or has left the releases (open when it is in the latest release).
    """
    facts = _facts(store)
    of, when, owners, places = (facts.one(OK.snapshotOf), facts.one(OK.snapshotDate), facts.one(OK.ownedBy),
                                facts.one(OK.places))
    by_provider: dict[str, dict[str, tuple[str, int | None]]] = defaultdict(dict)
    dates: set[str] = set()
    for snapshot in facts.instances(OK.ProviderSnapshot):
        if snapshot not in when or snapshot not in of:
            continue
        dates.add(when[snapshot])
        if snapshot in owners and _kept(when[snapshot], since):
            by_provider[of[snapshot]][when[snapshot]] = (owners[snapshot], places.get(snapshot))
    release_dates = sorted(dates)
    latest_release = release_dates[-1] if release_dates else None

    def next_release(date: str) -> str | None:
        later = [d for d in release_dates if d > date]
        return later[0] if later else None

    runs: dict[tuple[str, str], dict] = {}
    for provider, seen in by_provider.items():
        ordered = sorted(seen.items())
        for n, (date, (owner, places)) in enumerate(ordered):
            run = runs.setdefault((owner, provider), {"first_seen": date, "spells": [], "snapshots": 0})
            run["last_seen"], run["places"] = date, places
            run["snapshots"] += 1
            previous_owner = ordered[n - 1][1][0] if n else None
            if previous_owner != owner:
                run["spells"].append([date, None])
            following = ordered[n + 1] if n + 1 < len(ordered) else None
            if following is None:
                run["spells"][-1][1] = None if date == latest_release else next_release(date)
            elif following[1][0] != owner:
                run["spells"][-1][1] = following[0]
    for run in runs.values():
        run["spells"] = [tuple(s) for s in run["spells"]]
    return runs, release_dates


def owners_view(store, since: str | None = None) -> nx.MultiDiGraph:
    """Organisations -> the providers they own or owned, one edge per pair (weight = places at the last snapshot)."""
    graph = nx.MultiDiGraph(view="owners", since=since or "")
    providers, grades = provider_facts(store), grade_history(store, since)
    organisations = organisation_labels(store)
    runs, _ = ownership_runs(store, since)
    if since is None:
        # a provider known only from inspections files has an owner but no snapshot
        owned_by = _facts(store).table(OK.ownedBy, None, DERIVED_GRAPH.value)
        for provider in providers:
            for owner in owned_by.get(provider, []):
                runs.setdefault((owner, provider), {"places": providers[provider].get("places"), "snapshots": 0})
    for (owner, provider), run in runs.items():
        _add_node(graph, owner, organisations.get(owner) or {"type": "Organisation", "label": owner.rsplit("/", 1)[-1]})
        _provider_node(graph, provider, providers, grades)
        places = run.get("places")
        graph.add_edge(owner, provider, key="owns", relation="owns", weight=int(places or 0),
                       places=places, first_seen=run.get("first_seen"), last_seen=run.get("last_seen"),
                       snapshots=run["snapshots"], _spells=run.get("spells") or [])
        owner_label = graph.nodes[owner]["label"]
        history = graph.nodes[provider].setdefault("_dynamic", {}).setdefault("owner", [])
        history += [(owner_label, start, end) for start, end in run.get("spells") or []]
    for node, attrs in graph.nodes(data=True):
        dynamic = attrs.get("_dynamic") or {}
        if "owner" in dynamic:
            dynamic["owner"].sort(key=lambda spell: spell[1] or "")
            if not dynamic["owner"]:
                del dynamic["owner"]
        if attrs["type"] == "Organisation":
            owned = list(graph.successors(node))
            attrs["providers"] = len(owned)
            attrs["places"] = sum(int(graph.nodes[p].get("places") or 0) for p in owned)
    _drop_none_edges(graph)
    return graph


def _drop_none_edges(graph: nx.MultiDiGraph) -> None:
    for _, _, attrs in graph.edges(data=True):
        for key in [k for k, v in attrs.items() if v is None]:
            del attrs[key]


# ------------------------------------------------------------------ people


def people_view(store, since: str | None = None) -> nx.MultiDiGraph:
    """People -> the providers and organisations they hold posts at (role, dates); inspectors -> inspections -> providers."""
    graph = nx.MultiDiGraph(view="people", since=since or "")
    providers, grades = provider_facts(store), grade_history(store, since)
    organisations, authorities = organisation_labels(store), local_authorities(store)

    def place(node: str) -> None:
        if node in providers:
            _provider_node(graph, node, providers, grades)
        elif node in authorities:
            _add_node(graph, node, authorities[node])
        else:
            _add_node(graph, node, organisations.get(node) or {"type": "Organisation", "label": node.rsplit("/", 1)[-1]})

    facts = _facts(store)
    members, places_of, roles = facts.table(ORG.member), facts.table(ORG.organization), facts.one(OK.role)
    as_at, notations = facts.one(OK.asAt), facts.one(SKOS.notation)
    posts: dict[tuple[str, str, str], list[str | None]] = defaultdict(list)
    for post in facts.instances(OK.Post):
        role = str(notations.get(roles.get(post)) or "other")
        if role in INSPECTOR_ROLES or not _kept(as_at.get(post), since):
            continue
        for person in members.get(post, []):
            for where in places_of.get(post, []):
                posts[(person, where, role)].append(as_at.get(post))
    for (person, where, role), dates in posts.items():
        _add_node(graph, person, {"type": "Person", "label": facts.label_of(person)})
        place(where)
        known = sorted(d for d in dates if d)
        graph.add_edge(person, where, key=role, relation="post", role=role, first_seen=known[0] if known else None,
                       last_seen=known[-1] if known else None, mentions=len(dates),
                       _spells=[(known[0], None)] if known else [])
    starts, inspected, grades = facts.one(OK.startDate), facts.table(OK.inspected), facts.one(OK.overallGrade)
    leads = facts.table(OK.leadInspector)
    for inspection, inspectors in facts.table(PROV.wasAssociatedWith).items():
        start = starts.get(inspection)
        if not _kept(start, since):
            continue
        grade = notations.get(grades.get(inspection))
        label = f"inspection {start or ''}".strip() + (f" ({grade})" if grade else "")
        _add_node(graph, inspection, {"type": "Inspection", "label": label, "start_date": start, "grade": grade})
        spells = [(start, None)] if start else []
        for person in inspectors:
            _add_node(graph, person, {"type": "Person", "label": facts.label_of(person), "inspector": True})
            role = "lead_inspector" if person in leads.get(inspection, []) else "inspector"
            graph.add_edge(person, inspection, key=role, relation="inspected", role=role, date=start, _spells=spells)
        for subject in inspected.get(inspection, []):
            place(subject)
            graph.add_edge(inspection, subject, key="inspection_of", relation="inspection_of", date=start,
                           _spells=spells)
    _drop_none_edges(graph)
    return graph


# ------------------------------------------------------------------ findings


def regulation_of(store) -> dict[str, dict]:
    """Each cited provision -> the regulation (or standard) it belongs to: the top of its dct:isPartOf chain below the instrument."""
    facts = _facts(store)
    part_of, numbers = facts.one(DCT.isPartOf), facts.one(OK.provisionNumber)
    codes, instruments = facts.one(OK.instrumentCode), facts.one(OK.instrument)
    found: dict[str, dict] = {}
    for provisions in facts.table(OK.cites).values():
        for provision in provisions:
            top, steps = provision, 0
            while top not in numbers and top in part_of and steps < 12:
                top, steps = part_of[top], steps + 1
            if top not in numbers:
                continue
            instrument = instruments.get(top)
            found[provision] = {"regulation": top, "number": str(numbers[top]), "code": codes.get(top),
                                "title": facts.label_of(instrument) if instrument else None}
    return found


def findings_view(store, since: str | None = None) -> nx.MultiDiGraph:
    """Providers <-> the regulations their requirements cite; edge weight = requirements citing it (bipartite)."""
    graph = nx.MultiDiGraph(view="findings", since=since or "")
    providers, grades = provider_facts(store), grade_history(store, since)
    regulations = regulation_of(store)
    facts = _facts(store)
    requirements, cites = facts.instances(OK.Requirement), facts.table(OK.cites)
    starts, inspected = facts.one(OK.startDate), facts.table(OK.inspected)
    citing: dict[tuple[str, str], dict] = {}
    for inspection, findings in facts.table(OK.finding).items():
        start = starts.get(inspection)
        if not _kept(start, since):
            continue
        for requirement in findings:
            if requirement not in requirements:
                continue
            for provision in cites.get(requirement, []):
                if provision not in regulations:
                    continue
                for provider in inspected.get(inspection, []):
                    link = citing.setdefault((provider, regulations[provision]["regulation"]), {
                        "requirements": set(), "inspections": set(), "dates": set(), "provisions": set()})
                    link["requirements"].add(requirement)
                    link["inspections"].add(inspection)
                    link["provisions"].add(provision)
                    if start:
                        link["dates"].add(start)
    for (provider, regulation), link in citing.items():
        _provider_node(graph, provider, providers, grades)
        graph.nodes[provider]["bipartite"] = 0
        details = next(r for r in regulations.values() if r["regulation"] == regulation)
        code = details.get("code") or ""
        _add_node(graph, regulation, {"type": "Provision", "bipartite": 1, "instrument_code": code,
                                      "instrument": details.get("title"), "number": details["number"],
                                      "label": f"{details.get('title') or code} {details['number']}".strip()})
        dates = sorted(link["dates"]) or [None]
        graph.add_edge(provider, regulation, key="cites", relation="cites", weight=len(link["requirements"]),
                       requirements=len(link["requirements"]), inspections=len(link["inspections"]),
                       first_seen=dates[0], last_seen=dates[-1],
                       provisions=" | ".join(sorted(p.split("/id/", 1)[-1] for p in link["provisions"])),
                       _spells=[(dates[0], None)] if dates[0] else [])
    for node, attrs in graph.nodes(data=True):
        if attrs.get("bipartite") == 1:
            attrs["providers"] = graph.in_degree(node)
            attrs["requirements"] = sum(a["requirements"] for _, _, a in graph.in_edges(node, data=True))
    return graph


# ------------------------------------------------------------------ councils


def councils_view(store, since: str | None = None) -> nx.MultiDiGraph:
    """Councils -> providers they own (``owns``) and -> providers in their area (``area``)."""
    graph = nx.MultiDiGraph(view="councils", since=since or "")
    providers, grades = provider_facts(store), grade_history(store, since)
    authorities = local_authorities(store)
    facts = _facts(store)
    of, when = facts.one(OK.snapshotOf), facts.one(OK.snapshotDate)
    areas, owners, council_of = facts.table(OK.localAuthority), facts.table(OK.ownedBy), facts.one(OK.councilOf)
    links: dict[tuple[str, str, str], set] = defaultdict(set)

    def note(subject: str, provider: str, date: str | None) -> None:
        for area in areas.get(subject, []):
            links[(area, provider, "area")].update([date] if date else [])
        for owner in owners.get(subject, []):
            if owner in council_of:
                links[(council_of[owner], provider, "owns")].update([date] if date else [])

    for snapshot in facts.instances(OK.ProviderSnapshot):
        if snapshot in of and _kept(when.get(snapshot), since):
            note(snapshot, of[snapshot], when.get(snapshot))
    if since is None:
        for provider in providers:
            note(provider, provider, None)
    for (council, provider, relation), dates in links.items():
        if council not in authorities:
            continue
        _add_node(graph, council, authorities[council])
        _provider_node(graph, provider, providers, grades)
        known = sorted(dates)
        graph.add_edge(council, provider, key=relation, relation=relation,
                       first_seen=known[0] if known else None, last_seen=known[-1] if known else None,
                       snapshots=len(known), _spells=[(known[0], None)] if known else [])
    for node, attrs in graph.nodes(data=True):
        if attrs["type"] == "LocalAuthority":
            relations = [a["relation"] for _, _, a in graph.out_edges(node, data=True)]
            attrs["providers_owned"] = relations.count("owns")
            attrs["providers_in_area"] = relations.count("area")
    _drop_none_edges(graph)
    return graph


# ------------------------------------------------------------------ the full typed graph


def fallback_label(iri: str) -> str:
    """A readable name for an unlabelled IRI: its path below /id/ (inspection/10222195/requirement/1)."""
    if "/id/" in iri:
        return iri.split("/id/", 1)[1]
    return _short(iri)[1]


def _short(iri: str) -> tuple[str, str]:
    """(prefix, local name) of an IRI, using the project's prefixes."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return prefix, iri[len(base):]
    return "", iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class Network:
    """A directed multigraph as plain lists, for writers that need no graph algorithms.

    It answers the few questions the writers in :mod:`ofsted_kg.networks.export` ask of a networkx graph
    (``nodes(data=True)``, ``edges(keys=True, data=True)``, ``graph``, ``is_directed()``,
    ``is_multigraph()``) without networkx's cost per edge. Edges may share one attrs dict (the full
    view gives every edge of one relation the same dict), so readers must not change them.
    :meth:`to_networkx` gives the :class:`networkx.MultiDiGraph` the other views are.
    """

    def __init__(self, nodes: list[tuple[str, dict]], edges: list[tuple[str, str, str, dict]], graph: dict) -> None:
        self.node_list, self.edge_list, self.graph = nodes, edges, graph

    def nodes(self, data: bool = False) -> list:
        return self.node_list if data else [n for n, _ in self.node_list]

    def edges(self, keys: bool = False, data: bool = False) -> list:
        if keys and data:
            return self.edge_list
        return [(u, v) + ((k,) if keys else ()) + ((a,) if data else ()) for u, v, k, a in self.edge_list]

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return True

    def number_of_nodes(self) -> int:
        return len(self.node_list)

    def number_of_edges(self) -> int:
        return len(self.edge_list)

    def to_networkx(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph(**self.graph)
        graph.add_nodes_from(self.node_list)
        graph.add_edges_from(self.edge_list)
        return graph


class _TypedGraphBuilder:
    """Turns triples into a typed network: IRIs become nodes, literals become node attributes.

    Types and labels found among the triples are used; ``labels`` and ``types`` given up front
    (for nodes whose own triples are not read) fill the gaps. A literal's attribute is named by its
    predicate's local name, prefixed when another predicate took that name first (``dct:title`` is
    ``title``, a later ``ok:title`` is ``ok_title``); names are given in the order predicates were
    first added unless :meth:`attribute_key` was called earlier.
    """

    LABELS = (SKOS.prefLabel.value, RDFS.label.value, SCHEMA.name.value, DCT.title.value)
    _LABEL_ORDER = LABELS + ("given",)

    def __init__(self, labels: dict[str, str] | None = None, types: dict[str, list[str]] | None = None) -> None:
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        for node, label in (labels or {}).items():
            self.labels[node]["given"] = label
        self.types: dict[str, set] = defaultdict(set)
        for node, classes in (types or {}).items():
            self.types[node].update(classes)
        self.edges: list[tuple[str, str, str, dict]] = []  # (subject, object, relation, attrs shared by the relation)
        # subject -> predicate -> values; predicates become attribute names when the network is made
        self.literals: dict[str, dict[str, list]] = defaultdict(dict)
        self.notations: dict[str, str] = {}
        self.nodes: set[str] = set()
        self._keys: dict[str, str] = {}
        self._literal_predicates: dict[str, None] = {}
        self._edge_attrs: dict[str, dict] = {}

    def attribute_key(self, predicate: str) -> str:
        key = self._keys.get(predicate)
        if key is None:
            prefix, local = _short(predicate)
            key = local if local not in self._keys.values() else f"{prefix}_{local}"
            if key in ("type", "label"):
                key = f"{prefix}_{key}"
            self._keys[predicate] = key
        return key

    def edge_attrs(self, predicate: str) -> dict:
        """``{"relation": "prefix:name"}``, one dict shared by every edge of ``predicate``."""
        attrs = self._edge_attrs.get(predicate)
        if attrs is None:
            attrs = self._edge_attrs[predicate] = {"relation": "{}:{}".format(*_short(predicate))}
        return attrs

    def add(self, subject: str, predicate: str, obj, is_literal: bool) -> None:
        self.nodes.add(subject)
        if predicate == _RDF_TYPE:
            self.types[subject].add(obj)
            return
        if is_literal:
            if predicate in self.LABELS:
                self.labels[subject].setdefault(predicate, str(obj))
            if predicate not in self._literal_predicates:
                self._literal_predicates[predicate] = None
            values = self.literals[subject].setdefault(predicate, [])
            if obj not in values:
                values.append(obj)
            return
        self.nodes.add(obj)
        attrs = self.edge_attrs(predicate)
        self.edges.append((subject, obj, attrs["relation"], attrs))

    def label(self, node: str) -> str:
        found = self.labels.get(node)
        if found:
            for predicate in self._LABEL_ORDER:
                if predicate in found:
                    return found[predicate]
        return fallback_label(node)

    def network(self, **graph_attributes) -> Network:
        """The nodes with their attributes, and the edges. Names are looked up once per node: there are
        two hundred thousand in the full view, most with neither label nor literals of their own."""
        keys = {predicate: self.attribute_key(predicate) for predicate in self._literal_predicates}
        type_names: dict[frozenset, str] = {}
        types, literals, notations, label = self.types, self.literals, self.notations, self.label
        no_classes: frozenset = frozenset()
        nodes = []
        for node in self.nodes:
            classes = types.get(node)
            classes = frozenset(classes) if classes else no_classes
            type_name = type_names.get(classes)
            if type_name is None:
                type_name = type_names[classes] = node_type(sorted(classes))
            attrs = {"type": type_name, "label": label(node)}
            held = literals.get(node)
            if held:
                for predicate, items in held.items():
                    if len(items) == 1:
                        attrs[keys[predicate]] = items[0]
                    else:
                        attrs[keys[predicate]] = " | ".join(str(v) for v in sorted(items, key=str))
            if node in notations:
                attrs["notation"] = notations[node]
            nodes.append((node, attrs))
        return Network(nodes, self.edges, graph_attributes)

    def finish(self) -> nx.MultiDiGraph:
        graph = self.network().to_networkx()
        return graph


_RDF_TYPE = RDF.type.value


TYPE_PREFERENCE = (OK.Inspection.value, OK.Requirement.value, OK.Recommendation.value, OK.LocalAuthority.value)


def node_type(classes: list[str]) -> str:
    """A readable type: an ok: class first (the most specific the data states), then W3C ones."""
    if not classes:
        return "Resource"
    ranked = sorted(classes, key=lambda c: (c not in TYPE_PREFERENCE, not c.startswith(str(OK)), c))
    local = _short(ranked[0])[1]
    return "Organisation" if local in ("Organization", "FormalOrganization") else local


def _literal_value(term: ox.Literal):
    from ..store import python_value

    return python_value(term)


def _dropped_by_since(store, since: str) -> Callable[[str], bool]:
    """A test for IRIs that ``since`` removes: inspections, posts and snapshots before it, and what hangs under them."""
    dropped: set[str] = set()
    for predicate in (OK.startDate, OK.asAt, OK.snapshotDate):
        for quad in store.store.quads_for_pattern(None, predicate, None, None):
            if quad.object.value[:10] < since and (predicate != OK.startDate or _is_inspection(store, quad.subject)):
                dropped.add(quad.subject.value)
    prefixes = tuple(d + "/" for d in dropped if "/inspection/" in d)

    def is_dropped(iri: str) -> bool:
        return iri in dropped or (bool(prefixes) and iri.startswith(prefixes))
    return is_dropped


def _is_inspection(store, subject) -> bool:
    return any(True for _ in store.store.quads_for_pattern(subject, RDF.type, OK.Inspection, None))


# Reading the data for the full view. Oxigraph spends most of a full scan turning stored ids back
# into strings (four per quad), so the data graphs are read one predicate at a time with SPARQL,
# which gives subject and object only. The few things that depend on the order of a full scan
# (graph by graph, in the store's order) are read in that order: which label a node with several
# takes, and which of two predicates with one local name takes the plain attribute name.


def _data_graphs(oxstore) -> list:
    """The default graph and the named graphs other than the ontology's, in the store's order."""
    return [ox.DefaultGraph()] + [g for g in oxstore.named_graphs() if g != ONTOLOGY_GRAPH]


def _ontology_only(oxstore) -> set[tuple]:
    """(subject, predicate, object term) of the ontology graph's triples that no data graph holds."""
    found = set()
    for quad in oxstore.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH):
        if type(quad.subject) is ox.NamedNode and not any(
                other.graph_name != ONTOLOGY_GRAPH
                for other in oxstore.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)):
            found.add((quad.subject.value, quad.predicate.value, quad.object))
    return found


# a predicate with fewer distinct objects than this is read one object at a time: the object is
# then turned into a string once rather than once per row
FEW_OBJECTS = 200


def _read_data(store, builder: _TypedGraphBuilder, since: str | None = None, processes: int | None = None) -> None:
    """Every data triple with an IRI subject and an IRI or literal object, each once, into ``builder``.

    Predicates are read one at a time, in two processes when :func:`_reading_processes` allows
    (``processes`` overrides it): Oxigraph holds the GIL while it decodes, so threads would not help.
    Each predicate's data is added in the order the single-process read used, so the network (its
    attribute names and orders, its edge order) does not depend on who read what.
    """
    oxstore = store.store
    if processes is None:
        processes = _reading_processes(store)
    helper = _ReadingHelper(store.path, since) if processes > 1 else None
    try:
        reader = _PredicateReader(oxstore, _dropped_by_since(store, since) if since else None)
        predicates = [row[0].value for row in reader.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")]
        # labels last and graph by graph (see _PredicateReader.read)
        predicates = [p for p in predicates if p not in builder.LABELS] + list(builder.LABELS)
        found = helper.read(reader, predicates) if helper else [reader.read(predicate) for predicate in predicates]
    finally:
        if helper:
            helper.close()
    for data in found:
        _add_predicate_data(builder, data)
    _name_attributes_in_scan_order(oxstore, builder, reader.graphs, reader.is_dropped)


@dataclass
class _PredicateData:
    """What one predicate gives the full view, kept apart from the builder so another process can read it.

    ``types`` (rdf:type only) and ``links`` are (subject, object) pairs, links each once;
    ``literals`` maps a subject to its distinct literal values. All in the order they were met.
    """

    predicate: str
    types: list[tuple[str, object]]
    literals: dict[str, list]
    links: list[tuple[str, str]]


class _PredicateReader:
    """Reads the data graphs' triples one predicate at a time, leaving out what only the ontology graph states."""

    def __init__(self, oxstore, is_dropped: Callable[[str], bool] | None) -> None:
        self.oxstore = oxstore
        self.is_dropped = is_dropped
        self.ontology_only = _ontology_only(oxstore)
        self.ontology_subjects = {s for s, _, _ in self.ontology_only}
        self.graphs = _data_graphs(oxstore)

    def select(self, sparql: str):
        return self.oxstore.query(sparql, use_default_graph_as_union=True)

    def read(self, predicate: str) -> _PredicateData:
        data = _PredicateData(predicate, [], {}, [])
        seen: set = set()
        named, literal = ox.NamedNode, ox.Literal
        if predicate in _TypedGraphBuilder.LABELS:
            # graph by graph: a node with several labels keeps the first a full scan meets
            term = ox.NamedNode(predicate)
            for graph in self.graphs:
                self._take([(q.subject, q.object) for q in self.oxstore.quads_for_pattern(None, term, None, graph)],
                           data, seen)
            return data
        objects = [row[0] for row in self.select(f"SELECT DISTINCT ?o WHERE {{ ?s <{predicate}> ?o }} LIMIT {FEW_OBJECTS}")]
        if len(objects) < FEW_OBJECTS:
            for obj in objects:
                if type(obj) in (named, literal):
                    self._take(self.select(f"SELECT ?s WHERE {{ ?s <{predicate}> {obj} }}"), data, seen, obj)
        else:
            self._take(self.select(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"), data, seen)
        return data

    def _take(self, rows: Iterable, data: _PredicateData, seen: set, fixed=None) -> None:
        """Rows of (subject, object), or of (subject,) when every row has the object ``fixed``.

        Written out as one loop rather than a call per row: there are a million and a half.
        """
        from ..store import python_value

        named, literal = ox.NamedNode, ox.Literal
        predicate, is_dropped = data.predicate, self.is_dropped
        ontology_only, ontology_subjects = self.ontology_only, self.ontology_subjects
        is_type = predicate == _RDF_TYPE
        types, literals, links = data.types, data.literals, data.links
        object_term = fixed
        if fixed is not None:
            kind = type(fixed)
            if kind is literal:
                value, is_literal = python_value(fixed), True
            elif kind is named:
                value, is_literal = fixed.value, False
            else:
                return
        for row in rows:
            subject_term = row[0]
            if type(subject_term) is not named:
                continue
            subject = subject_term.value
            if fixed is None:
                object_term = row[1]
                kind = type(object_term)
                if kind is literal:
                    value, is_literal = python_value(object_term), True
                elif kind is named:
                    value, is_literal = object_term.value, False
                else:
                    continue
            if subject in ontology_subjects and (subject, predicate, object_term) in ontology_only:
                continue
            if is_dropped and (is_dropped(subject) or (not is_literal and is_dropped(value))):
                continue
            if is_type:
                types.append((subject, value))
            elif is_literal:
                values = literals.get(subject)
                if values is None:
                    literals[subject] = [value]
                elif value not in values:
                    values.append(value)
            else:
                pair = (subject, value)
                if pair not in seen:
                    seen.add(pair)
                    links.append(pair)


def _add_predicate_data(builder: _TypedGraphBuilder, data: _PredicateData) -> None:
    """One predicate's data into the builder: types, literal attributes (and labels), nodes and edges."""
    predicate = data.predicate
    nodes, types = builder.nodes, builder.types
    for subject, value in data.types:
        types[subject].add(value)
    nodes.update(subject for subject, _ in data.types)
    if data.literals:
        builder._literal_predicates.setdefault(predicate)
        literals = builder.literals
        for subject, values in data.literals.items():
            literals[subject][predicate] = values
        if predicate in builder.LABELS:
            labels = builder.labels
            for subject, values in data.literals.items():
                labels[subject].setdefault(predicate, str(values[0]))
        nodes.update(data.literals)
    if data.links:
        attrs = builder.edge_attrs(predicate)
        relation = attrs["relation"]
        builder.edges += [(subject, obj, relation, attrs) for subject, obj in data.links]
        nodes.update(chain.from_iterable(data.links))


# ------------------------------------------------------------------ reading in two processes

# a store smaller than this on disk is read faster in one process than a second one takes to start
TWO_PROCESSES_FROM_BYTES = 50_000_000
# a predicate's number as the helper and this process take it from the pipe of turns
_TURN = struct.Struct("=I")
# more predicates than this and the helper gets no turns (see _ReadingHelper.read)
_MOST_TURNS = 4096


def _reading_processes(store) -> int:
    """2 for a large store opened read-only on a machine with two or more cores, else 1.

    The second process opens the store by its path, which is only safe when nobody writes to it.
    """
    if (os.cpu_count() or 1) < 2 or getattr(store, "writable", True) or getattr(store, "path", None) is None:
        return 1
    size = sum(entry.stat().st_size for entry in os.scandir(Path(store.path).resolve()) if entry.is_file())
    return 2 if size >= TWO_PROCESSES_FROM_BYTES else 1


class _ReadingHelper:
    """A second process reading predicates of the same store, taking turns with this one.

    The turns are the predicates' numbers written to a pipe both processes read from: a four-byte
    read from a pipe is atomic, so each predicate is read once, and taking turns rather than halves
    keeps both busy to the end whatever the predicates' sizes. The helper is a fresh interpreter
    (not a fork: Oxigraph's threads are running here). It is started before the predicates are
    known: while this process lists them (a second or so), it starts Python, opens the store and
    reads ``head_start`` (rdf:type, the largest), whose data is dropped if the list lacks it.
    Whatever it fails to send is read here.
    """

    def __init__(self, path, since: str | None, head_start: str = _RDF_TYPE) -> None:
        self.head_start = head_start
        self.turns, self.filling = os.pipe()
        self._open_fds = {self.turns, self.filling}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from ofsted_kg.networks.views import _read_as_helper; _read_as_helper()", str(self.turns)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, pass_fds=(self.turns,))
        self._send((str(path), since, head_start))

    def _send(self, message) -> None:
        try:
            pickle.dump(message, self.process.stdin)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # it has stopped: read() finds out and reads its part here

    def read(self, reader: _PredicateReader, predicates: list[str]) -> list[_PredicateData]:
        """Each predicate's data, read here and by the helper."""
        head = predicates.index(self.head_start) if self.head_start in predicates else None
        try:
            # the pipe is filled before anyone reads it, so it holds at most a pipe buffer (64 KiB on Linux)
            if len(predicates) <= _MOST_TURNS:
                os.write(self.filling, b"".join(_TURN.pack(index) for index in range(len(predicates)) if index != head))
            self._close_fd(self.filling)
            self._send(predicates)
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            found = {index: reader.read(predicates[index]) for index in _turns_taken(self.turns)}
        finally:
            self._close_fd(self.turns)
        with contextlib.suppress(EOFError, pickle.UnpicklingError):
            head_data, theirs = pickle.load(self.process.stdout)
            found.update(theirs)
            if head is not None:
                found[head] = head_data
        if self.process.wait() != 0:
            warnings.warn(f"the second reading process failed (exit code {self.process.returncode}); reading its part here")
        return [found[index] if index in found else reader.read(predicate) for index, predicate in enumerate(predicates)]

    def _close_fd(self, fd: int) -> None:
        if fd in self._open_fds:
            self._open_fds.discard(fd)
            os.close(fd)

    def close(self) -> None:
        """Stop the helper if it is still running (this process failed before its part was read) and free the pipes."""
        for fd in list(self._open_fds):
            self._close_fd(fd)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def _turns_taken(turns: int) -> Iterator[int]:
    """Numbers read from the pipe of turns until it is empty."""
    while len(record := os.read(turns, _TURN.size)) == _TURN.size:
        yield _TURN.unpack(record)[0]


def _read_as_helper() -> None:
    """The helper process: (store path, since, head start) then the predicates come on stdin, the pipe
    of turns as argument; it sends the head start's data and {number: data} of its turns on stdout."""
    from ..store import EmbeddedStore

    gc.disable()  # a short-lived process making a few million objects, none in cycles (see cyclic_gc_paused)
    turns = int(sys.argv[1])
    path, since, head_start = pickle.load(sys.stdin.buffer)
    store = EmbeddedStore(path)
    reader = _PredicateReader(store.store, _dropped_by_since(store, since) if since else None)
    head_data = reader.read(head_start)
    predicates = pickle.load(sys.stdin.buffer)
    found = {index: reader.read(predicates[index]) for index in _turns_taken(turns)}
    pickle.dump((head_data, found), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


def _name_attributes_in_scan_order(oxstore, builder: _TypedGraphBuilder, graphs: list,
                                   is_dropped: Callable[[str], bool] | None) -> None:
    """Of predicates sharing a local name, give the plain name to the one a full scan meets first."""
    by_local: dict[str, list[str]] = defaultdict(list)
    for predicate in builder._literal_predicates:
        by_local[_short(predicate)[1]].append(predicate)

    def counts(quad) -> bool:
        return (type(quad.subject) is ox.NamedNode and type(quad.object) is ox.Literal
                and not (is_dropped and is_dropped(quad.subject.value)))

    for members in (m for m in by_local.values() if len(m) > 1):
        for graph in graphs:
            present = [p for p in members
                       if any(counts(q) for q in oxstore.quads_for_pattern(None, ox.NamedNode(p), None, graph))]
            if len(present) > 1:
                present = [next(q.predicate.value for q in oxstore.quads_for_pattern(None, None, None, graph)
                                if q.predicate.value in present and counts(q))]
            if present:
                builder.attribute_key(present[0])
                break


def full_network(store, since: str | None = None) -> Network:
    """The full view as a :class:`Network`: what :func:`full_view` holds, without building a networkx graph."""
    with cyclic_gc_paused():
        builder = _TypedGraphBuilder()
        _read_data(store, builder, since)
        # vocabulary nodes the data points at take their type and label from the ontology graph
        for quad in store.store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH):
            subject, predicate, value = quad.subject.value, quad.predicate.value, quad.object
            if type(quad.subject) is ox.NamedNode and subject in builder.nodes:
                if predicate == _RDF_TYPE:
                    builder.types[subject].add(value.value)
                elif predicate in builder.LABELS and type(value) is ox.Literal:
                    builder.labels[subject].setdefault(predicate, value.value)
                elif predicate == SKOS.notation.value:
                    builder.notations[subject] = value.value
        return builder.network(view="full", since=since or "")


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while millions of tuples, dicts and lists are made.

    Each collection walks every live container, so building the full view set off hundreds that
    found nothing (the structures hold no cycles; reference counting frees them): a third of the
    time spent adding edges, for one. Nested uses leave it paused until the outermost ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def full_view(store, since: str | None = None) -> nx.MultiDiGraph:
    """Every IRI of the data (not the ontology graph) as a node typed by its class; literals as attributes.

    Types and labels of vocabulary nodes (grades, areas ...) come from the ontology graph.
    """
    return full_network(store, since).to_networkx()


# ------------------------------------------------------------------ around one provider


# classes whose nodes are reached but never walked through: shared by thousands of others
HUB_CLASSES = {OK.LocalAuthority.value, OK.Instrument.value, OK.SourceDocument.value, OK.Grade.value,
               OK.InspectionArea.value, OK.ProvisionType.value, OK.Sector.value, OK.Role.value,
               OK.Framework.value, OK.InspectionType.value, SKOS.Concept.value, "http://www.w3.org/2002/07/owl#Class"}
# classes that are details of the thing they hang from: reaching them costs no hop
DETAIL_CLASSES = {OK.Judgement.value, OK.ProviderSnapshot.value, OK.Post.value, OK.Requirement.value,
                  OK.Recommendation.value, OK.Finding.value, OK.Provision.value, OK.RegistrationChange.value,
                  OK.Claim.value}
# classes walked only along their own links: a provision leads up to its instrument, but not across
# to every other finding that cites it
FORWARD_ONLY_CLASSES = {OK.Provision.value}
# classes shown with their own literals but not walked from at the edge of a neighbourhood: an
# inspector's or owner's other posts and holdings are their facts, not the centre's
CLOSED_AT_EDGE_CLASSES = {SCHEMA.Person.value, PROV.Agent.value, ORG.Organization.value, ORG.FormalOrganization.value}
# (from class, predicate): steps that also cost no hop (an inspection's inspectors belong to it)
FREE_STEPS = {(OK.Inspection.value, PROV.wasAssociatedWith.value), (OK.Inspection.value, OK.leadInspector.value)}


@dataclass
class Neighbourhood:
    """Triples around one node, found by walking the store; ``truncated`` lists nodes whose links were capped."""

    triples: set[tuple]
    hops: dict[str, int]
    truncated: list[str]


def walk(store, start: str, hops: int = 1, since: str | None = None, cap: int = 60) -> Neighbourhood:
    """Triples within ``hops`` of ``start``, walking links in both directions.

    A hop is a step between entities (providers, organisations, people, inspections); the details
    of an entity (its judgements, snapshots, posts, findings and the provisions they cite, an
    inspection's inspectors) come with it at no cost. Vocabulary and widely shared nodes (grades,
    types, local authorities, instruments, documents) are included but never walked through. At
    most ``cap`` links per node and predicate are followed, newest IRIs first.
    """
    is_dropped = _dropped_by_since(store, since) if since else (lambda iri: False)
    types: dict[str, set[str]] = {}

    def classes(iri: str) -> set[str]:
        if iri not in types:
            types[iri] = {q.object.value for q in store.store.quads_for_pattern(ox.NamedNode(iri), RDF.type, None, None)}
        return types[iri]

    distance = {start: 0}
    frontier = [start]
    triples: set[tuple] = set()
    truncated: list[str] = []
    # 0-1 breadth first: nodes reached at no cost are walked in the same round
    while frontier:
        node = frontier.pop(0)
        if classes(node) & HUB_CLASSES or node.startswith(ID + "organisation/ofsted"):
            continue
        node_term = ox.NamedNode(node)
        links: dict[tuple[str, bool], list[tuple]] = defaultdict(list)
        for quad in store.store.quads_for_pattern(node_term, None, None, None):
            if quad.graph_name == ONTOLOGY_GRAPH:
                continue
            if isinstance(quad.object, ox.Literal) or quad.predicate == RDF.type:
                triples.add((quad.subject.value, quad.predicate.value, quad.object))
            elif isinstance(quad.object, ox.NamedNode):
                links[(quad.predicate.value, True)].append((node, quad.predicate.value, quad.object.value))
        if distance[node] >= hops and classes(node) & CLOSED_AT_EDGE_CLASSES:
            continue   # a person or organisation at the edge: its name, not its posts elsewhere
        backward = () if classes(node) & FORWARD_ONLY_CLASSES else store.store.quads_for_pattern(None, None, node_term, None)
        for quad in backward:
            if isinstance(quad.subject, ox.NamedNode) and quad.graph_name != ONTOLOGY_GRAPH:
                links[(quad.predicate.value, False)].append((quad.subject.value, quad.predicate.value, node))
        for (predicate, forward), found in links.items():
            unique = sorted(set(found), reverse=True)
            if len(unique) > cap:
                truncated.append(node)
                unique = unique[:cap]
            for triple in unique:
                other = triple[2] if forward else triple[0]
                if is_dropped(other):
                    continue
                free = (bool(classes(other) & (DETAIL_CLASSES | HUB_CLASSES))
                        or any((c, predicate) in FREE_STEPS for c in classes(node)))
                reached = distance[node] + (0 if free else 1)
                if reached > hops:
                    continue
                triples.add(triple)
                if other not in distance or reached < distance[other]:
                    distance[other] = reached
                    if free:
                        frontier.insert(0, other)
                    else:
                        frontier.append(other)
    for node in distance:
        for rdf_type in classes(node):
            triples.add((node, RDF.type.value, ox.NamedNode(rdf_type)))
    return Neighbourhood(triples, distance, sorted(set(truncated)))


def neighbourhood(store, urn: str, hops: int = 1, since: str | None = None) -> nx.MultiDiGraph:
    """The full typed graph around one provider (see :func:`walk` for how hops are counted)."""
    start = provider_iri(urn)
    found = walk(store, start, hops, since)
    if len(found.hops) == 1 and not found.triples:
        raise KeyError(f"no provider {urn} in the store")
    labels, types = {}, defaultdict(list)
    label_predicates = {SKOS.prefLabel.value, RDFS.label.value, SCHEMA.name.value, DCT.title.value}
    for subject, predicate, obj in found.triples:
        if predicate in label_predicates and subject not in labels:
            labels[subject] = obj.value
        if predicate == RDF.type.value:
            types[subject].append(obj.value)
    # labels and notations of the hub nodes reached (grades, authorities ...), which the walk does not open
    for node in found.hops:
        if any(t[0] == node and t[1] == SKOS.notation.value for t in found.triples):
            pass
        elif set(types.get(node) or ()) & HUB_CLASSES or node not in types:
            for quad in store.store.quads_for_pattern(ox.NamedNode(node), SKOS.notation, None, None):
                found.triples.add((node, SKOS.notation.value, quad.object))
        if node not in labels:
            for predicate in (SKOS.prefLabel, RDFS.label, DCT.title):
                label = next(iter(store.store.quads_for_pattern(ox.NamedNode(node), predicate, None, None)), None)
                if label is not None:
                    labels[node] = label.object.value
                    break
        if node not in types:
            types[node] = [q.object.value for q in store.store.quads_for_pattern(ox.NamedNode(node), RDF.type, None, None)]
    builder = _TypedGraphBuilder(labels, {k: sorted(set(v)) for k, v in types.items()})
    for subject, predicate, obj in sorted(found.triples, key=lambda t: (t[0], t[1], str(t[2]))):
        if isinstance(obj, ox.Literal):
            builder.add(subject, predicate, _literal_value(obj), True)
        elif isinstance(obj, ox.NamedNode):
            builder.add(subject, predicate, obj.value, False)
        else:
            builder.add(subject, predicate, obj, False)
    graph = builder.finish()
    for node, distance in found.hops.items():
        if node in graph:
            graph.nodes[node]["hops"] = distance
    for node, attrs in graph.nodes(data=True):
        if attrs["label"] == fallback_label(node):
            attrs["label"] = readable_label(graph, node)
    graph.graph.update(view="full", centre=start, hops=hops, since=since or "",
                       truncated=" ".join(found.truncated))
    return graph


_DATES = ("startDate", "snapshotDate", "asAt", "date")
_NAMED_BY_LINK = ("ok:role", "ok:area", "ok:instrument")
_GRADED_BY_LINK = ("ok:grade", "ok:overallGrade")


def readable_label(graph: nx.MultiDiGraph, node: str) -> str:
    """A name for a node the data gives none, from its type and its own facts, never its IRI's path:
    "requirement 2 (2022-12-05)", "judgement help and protection: good (2018-10-08)", "inspector 2022-12-05".

    What it is comes from the vocabulary it links to (a post's role, a judgement's area), else its
    type; its number is the last step of its IRI when that is a number; its date is its own, else
    that of the node it hangs from (a finding's or judgement's inspection).
    """
    attrs = graph.nodes[node]
    if attrs.get("instrumentCode") and attrs.get("provisionPath"):
        return f"{attrs['instrumentCode']} {attrs['provisionPath']}"
    kind = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(attrs.get("type") or "resource")).lower()
    words, grade = [kind], None
    for _, target, link in graph.out_edges(node, data=True):
        target_attrs = graph.nodes[target]
        name = str(target_attrs.get("notation") or target_attrs.get("label") or "").replace("_", " ")
        if link["relation"] in _NAMED_BY_LINK and name:
            words = [kind, name] if kind in ("judgement",) else [name]
        elif link["relation"] in _GRADED_BY_LINK and name:
            grade = name
    tail = node.rstrip("/").rsplit("/", 1)[-1]
    if tail.isdigit():
        words.append(tail)
    date = next((str(attrs[k])[:10] for k in _DATES if attrs.get(k)), None)
    if date is None:
        date = next((str(graph.nodes[source].get("startDate"))[:10] for source, _ in graph.in_edges(node)
                     if graph.nodes[source].get("startDate")), None)
    return " ".join(words) + (f": {grade}" if grade else "") + (f" ({date})" if date else "")


def ego(view: nx.MultiDiGraph, urn: str, hops: int) -> nx.MultiDiGraph:
    """The part of a view within ``hops`` links (either direction) of the provider ``urn``."""
    centre = provider_iri(urn)
    if centre not in view:
        raise KeyError(f"provider {urn} is not in the {view.graph.get('view')} view (nothing links it there); "
                       "--view full shows all it has")
    kept = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), centre, cutoff=hops)
    sub = view.subgraph(kept).copy()
    for node, distance in kept.items():
        sub.nodes[node]["hops"] = distance
    sub.graph.update(centre=centre, hops=hops)
    return sub


BUILDERS: dict[str, Callable] = {"owners": owners_view, "people": people_view, "findings": findings_view,
                                 "councils": councils_view, "full": full_view}


def build_view(store, name: str, urn: str | None = None, hops: int = 1,
               since: str | None = None) -> nx.MultiDiGraph | Network:
    """The named view, cut to the neighbourhood of ``urn`` when given.

    The full view of the whole store comes as a :class:`Network`, which every writer in
    :mod:`ofsted_kg.networks.export` takes (``.to_networkx()`` gives the graph for algorithms): building a networkx
    graph of three quarters of a million edges costs more than writing them.
    """
    if name not in BUILDERS:
        raise ValueError(f"unknown view {name!r}: choose one of {', '.join(VIEWS)}")
    if urn and name == "full":
        return neighbourhood(store, urn, hops, since)
    if name == "full":
        return full_network(store, since)
    graph = BUILDERS[name](store, since)
    return ego(graph, urn, hops) if urn else graph
