"""Network analysis of the views: owner concentration, centrality, communities of shared failings."""
from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from . import views

# above this many nodes betweenness is estimated from a sample of sources (networkx's k), seeded
BETWEENNESS_EXACT_LIMIT = 2500
BETWEENNESS_SAMPLE = 200


def snapshot_holdings(store, since: str | None = None,
                      provision_types: tuple[str, ...] = ()) -> dict[str, dict[str, list[int]]]:
    """Snapshot date -> owner -> places of each provider it held at that snapshot (None places count as 0).

    ``provision_types`` (keys such as ``childrens-home``) keeps only those types: releases differ in
    which types they cover (31 March 2025 adds boarding schools and colleges), so comparisons over
    time are fairer within one type.
    """
    from .panel import OK, _pivot

    holdings: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for facts in _pivot(store, "snapshot-owners").values():
        first = {predicate: values[0] for predicate, values in facts.items()}
        date, owner, provider = (first.get(OK + p) for p in ("snapshotDate", "ownedBy", "snapshotOf"))
        kind = str(first.get(OK + "provisionType", "")).rsplit("/", 1)[-1]
        if provision_types and kind not in provision_types:
            continue
        if date and owner and provider and views._kept(str(date), since):
            holdings[str(date)][owner][provider] = int(first.get(OK + "places") or 0)
    return {d: {o: list(p.values()) for o, p in by_owner.items()} for d, by_owner in sorted(holdings.items())}


def owner_concentration(store, tops: tuple[int, ...] = (10, 20), since: str | None = None,
                        provision_types: tuple[str, ...] = ()) -> list[dict]:
    """Per snapshot: the share of places and of providers held by the largest ``tops`` owners.

    Owners are ranked by places for the places share and by number of providers for the
    providers share. Providers without an owner in a snapshot are left out of that snapshot.
    """
    rows = []
    for date, by_owner in snapshot_holdings(store, since, provision_types).items():
        places = sorted((sum(p) for p in by_owner.values()), reverse=True)
        providers = sorted((len(p) for p in by_owner.values()), reverse=True)
        row = {"snapshot_date": date, "owners": len(by_owner), "providers": sum(providers), "places": sum(places)}
        for top in tops:
            row[f"top{top}_places_share"] = round(sum(places[:top]) / row["places"], 4) if row["places"] else 0.0
            row[f"top{top}_providers_share"] = round(sum(providers[:top]) / row["providers"], 4) if row["providers"] else 0.0
        rows.append(row)
    return rows


def largest_owners(store, date: str, top: int = 10, provision_types: tuple[str, ...] = ()) -> list[dict]:
    """The owners with most places at one snapshot."""
    holdings = snapshot_holdings(store, None, provision_types).get(date, {})
    labels = views.organisation_labels(store)
    ranked = sorted(holdings.items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:top]
    return [{"owner": labels.get(o, {}).get("label", o), "providers": len(p), "places": sum(p)} for o, p in ranked]


def centrality(graph: nx.Graph, types: tuple[str, ...], top: int = 15, rank_by: str = "betweenness") -> list[dict]:
    """Degree and betweenness centrality of the nodes of ``types``, ranked by ``rank_by`` (betweenness or degree) then the other."""
    simple = nx.Graph(graph)
    if simple.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(simple)
    sample = None if simple.number_of_nodes() <= BETWEENNESS_EXACT_LIMIT else BETWEENNESS_SAMPLE
    betweenness = nx.betweenness_centrality(simple, k=sample, seed=7 if sample else None)
    chosen = [n for n, a in graph.nodes(data=True) if a.get("type") in types]
    if rank_by == "degree":
        chosen.sort(key=lambda n: (-degree[n], -betweenness[n], n))
    else:
        chosen.sort(key=lambda n: (-betweenness[n], -degree[n], n))
    return [{"node": n, "label": graph.nodes[n].get("label", n), "type": graph.nodes[n].get("type"),
             "degree": simple.degree(n), "degree_centrality": round(degree[n], 6),
             "betweenness": round(betweenness[n], 6), "estimated": sample is not None} for n in chosen[:top]]


def provision_communities(findings: nx.Graph, top: int = 10) -> list[dict]:
    """Communities of providers that share cited regulations (greedy modularity on the weighted provider projection)."""
    providers = [n for n, a in findings.nodes(data=True) if a.get("bipartite") == 0]
    if not providers:
        return []
    projected = nx.bipartite.weighted_projected_graph(nx.Graph(findings), providers)
    projected.remove_nodes_from([n for n in list(projected) if projected.degree(n) == 0])
    if projected.number_of_edges() == 0:
        return []
    communities = nx.community.greedy_modularity_communities(projected, weight="weight")
    rows = []
    for number, members in enumerate(communities, start=1):
        shared = Counter()
        for member in members:
            for regulation in findings.successors(member):
                shared[findings.nodes[regulation].get("label", regulation)] += 1
        rows.append({"community": number, "providers": len(members),
                     "members": " | ".join(sorted(findings.nodes[m].get("label", m) for m in members)[:8]),
                     "most_shared": " | ".join(f"{label} ({n})" for label, n in shared.most_common(3))})
    return rows[:top]


def analyse(store, since: str | None = None, top: int = 15, provision_types: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """Every table of ``ofsted-kg analyse``: name -> rows (``provision_types`` narrows the concentration tables)."""
    owners = views.owners_view(store, since)
    people = views.people_view(store, since)
    findings = views.findings_view(store, since)
    concentration = owner_concentration(store, since=since, provision_types=provision_types)
    tables = {"owner_concentration": concentration}
    if concentration:
        tables["largest_owners"] = largest_owners(store, concentration[-1]["snapshot_date"], top, provision_types)
    # owners and their providers form near-separate stars: the number of providers says more than betweenness
    tables["owner_centrality"] = centrality(owners, ("Organisation",), top, rank_by="degree")
    tables["people_centrality"] = centrality(people, ("Person",), top)
    tables["provision_communities"] = provision_communities(findings, top)
    return tables
