"""Pictures: a provider's neighbourhood (interactive HTML or PNG) and charts of headline analyses (PNG).

The HTML page inlines the vendored cytoscape.js (graph/networks/static/vendor), so it opens without a
network. PNGs are drawn with matplotlib's Agg backend (no display needed).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import networkx as nx

from . import views
from .export import GRADE_COLOURS, TYPE_COLOURS, colour_of, cytoscape_elements

CHARTS = ("grades-by-sector", "grades-over-time", "owner-concentration")
GRADE_ORDER = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")
# vocabulary nodes the picture shows as attributes of the node that points at them
FOLDED_TYPES = {"Grade", "InspectionArea", "ProvisionType", "Sector", "Role", "Framework", "InspectionType",
                "SourceDocument"}


def provider_picture_graph(store, urn: str, hops: int = 1, since: str | None = None) -> nx.MultiDiGraph:
    """The neighbourhood of a provider, made legible: judgements, snapshots and posts become attributes and edges.

    Inspections carry their overall grade (``grade``) and each area's grade; a post becomes a
    person -> organisation edge named by its role; a snapshot's owner becomes a provider ->
    organisation ``owned by`` edge with the snapshot dates; grades, types and sectors become
    attributes of the nodes that point at them.
    """
    raw = views.neighbourhood(store, urn, hops, since)
    picture = nx.MultiDiGraph(**raw.graph)
    keep = {n for n, a in raw.nodes(data=True)
            if a["type"] not in FOLDED_TYPES | {"Judgement", "ProviderSnapshot", "Post"}}
    for node in keep:
        picture.add_node(node, **raw.nodes[node])
    owned: dict[tuple[str, str], list[str]] = defaultdict(list)
    for source, target, attrs in raw.edges(data=True):
        relation = attrs["relation"]
        source_type, target_type = raw.nodes[source]["type"], raw.nodes[target]["type"]
        if source in keep and target in keep:
            picture.add_edge(source, target, key=relation, relation=relation.split(":", 1)[-1])
        elif source in keep and target_type in FOLDED_TYPES:
            key = "grade" if relation == "ok:overallGrade" else relation.split(":", 1)[-1]
            picture.nodes[source][key] = _notation_or_label(raw, target)
        elif source_type == "Judgement" and relation == "ok:grade":
            inspection = next((u for u, _, a in raw.in_edges(source, data=True) if a["relation"] == "ok:judgement"), None)
            area = next((v for _, v, a in raw.out_edges(source, data=True) if a["relation"] == "ok:area"), None)
            if inspection in keep and area:
                picture.nodes[inspection][f"grade_{_notation_or_label(raw, area)}"] = _notation_or_label(raw, target)
        elif source_type == "ProviderSnapshot" and relation == "ok:ownedBy" and target in keep:
            provider = next((v for _, v, a in raw.out_edges(source, data=True) if a["relation"] == "ok:snapshotOf"), None)
            date = raw.nodes[source].get("snapshotDate")
            if provider in keep:
                owned[(provider, target)].append(str(date or ""))
        elif source_type == "Post" and relation == "org:member" and target in keep:
            post = raw.nodes[source]
            for _, where, link in raw.out_edges(source, data=True):
                if link["relation"] == "org:organization" and where in keep:
                    role = next((_notation_or_label(raw, v) for _, v, a in raw.out_edges(source, data=True)
                                 if a["relation"] == "ok:role"), "post")
                    picture.add_edge(target, where, key=f"{role}-{post.get('asAt', '')}", relation=role,
                                     date=str(post.get("asAt") or ""))
    for (provider, owner), dates in owned.items():
        known = sorted(d for d in dates if d)
        seen = {"first_seen": known[0], "last_seen": known[-1]} if known else {}
        if picture.has_edge(provider, owner, key="ok:ownedBy"):
            picture.edges[provider, owner, "ok:ownedBy"].update(seen)  # the current owner: dates on its edge
        else:
            picture.add_edge(provider, owner, key="owned by (snapshots)", relation="owned by (earlier)", **seen)
    if raw.graph.get("centre") in picture:
        picture.nodes[raw.graph["centre"]]["centre"] = True
    for node, attrs in picture.nodes(data=True):
        if attrs["type"] == "Inspection":
            grade = str(attrs.get("grade", "")).replace("_", " ")
            attrs["label"] = f"inspection {attrs.get('startDate') or attrs['label'].split('/')[-1]} {grade}".strip()
    return picture


def _notation_or_label(graph: nx.MultiDiGraph, node: str) -> str:
    attrs = graph.nodes[node]
    return str(attrs.get("notation") or attrs.get("label") or node.rsplit("/", 1)[-1])


# ------------------------------------------------------------------ HTML


def _vendored(name: str) -> str:
    return resources.files(__package__).joinpath("static", "vendor", name).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Text that cannot close the <script> element it sits in."""
    return text.replace("</", "<\\/")


def html_page(graph: nx.MultiDiGraph, title: str, subtitle: str = "") -> str:
    """A self-contained page: cytoscape.js and the elements inlined, no network needed."""
    template = resources.files(__package__).joinpath("static", "viz_template.html").read_text(encoding="utf-8")
    elements = cytoscape_elements(graph)
    escape = lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    replacements = {
        "__TITLE__": escape(title), "__SUBTITLE__": escape(subtitle),
        "__ELEMENTS__": _script_safe(json.dumps(elements, ensure_ascii=False)),
        "__COLOURS__": json.dumps(TYPE_COLOURS), "__GRADE_COLOURS__": json.dumps(GRADE_COLOURS),
        "__CYTOSCAPE__": _script_safe(_vendored("cytoscape.min.js")),
    }
    # replace the library last so that nothing inside it is taken for a placeholder
    for placeholder in ("__TITLE__", "__SUBTITLE__", "__ELEMENTS__", "__COLOURS__", "__GRADE_COLOURS__"):
        template = template.replace(placeholder, replacements[placeholder])
    return template.replace("__CYTOSCAPE__", replacements["__CYTOSCAPE__"], 1)


# ------------------------------------------------------------------ PNG


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def draw_png(graph: nx.MultiDiGraph, path: Path, title: str) -> None:
    """The graph drawn with a spring layout, nodes coloured by type and ringed by grade."""
    plt = _pyplot()
    from matplotlib.lines import Line2D

    simple = nx.Graph(graph)
    layout = nx.spring_layout(simple, seed=7, k=1.6 / max(1, len(simple)) ** 0.5, iterations=200)
    size = min(18, 7 + len(simple) / 12)
    figure, axes = plt.subplots(figsize=(size, size * 0.75), dpi=110)
    nx.draw_networkx_edges(simple, layout, ax=axes, edge_color="#bbbbbb", width=0.8, alpha=0.9)
    nodes = list(simple.nodes)
    centre = graph.graph.get("centre")
    nx.draw_networkx_nodes(simple, layout, ax=axes, nodelist=nodes,
                           node_color=[colour_of(graph.nodes[n]) for n in nodes],
                           edgecolors=[GRADE_COLOURS.get(graph.nodes[n].get("grade"), "#333333") for n in nodes],
                           linewidths=[3 if graph.nodes[n].get("grade") else 0.5 for n in nodes],
                           node_size=[500 if n == centre else 180 for n in nodes])
    labels = {n: _short_label(graph.nodes[n].get("label", "")) for n in nodes}
    nx.draw_networkx_labels(simple, layout, labels=labels, ax=axes, font_size=7)
    seen_types = sorted({graph.nodes[n]["type"] for n in nodes})
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, color=colour_of({"type": t}), label=t)
               for t in seen_types]
    handles += [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor="white", markeredgewidth=3,
                       markeredgecolor=c, label=f"grade: {g.replace('_', ' ')}")
                for g, c in GRADE_COLOURS.items() if any(graph.nodes[n].get("grade") == g for n in nodes)]
    axes.legend(handles=handles, loc="lower left", fontsize=8, frameon=True)
    axes.margins(0.18)
    axes.set_title(title)
    axes.axis("off")
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)


def _short_label(label: str, width: int = 36) -> str:
    label = str(label)
    return label if len(label) <= width else label[: width - 1] + "…"


def provider_picture(store, urn: str, out: Path, hops: int = 1, since: str | None = None) -> nx.MultiDiGraph:
    """Write the neighbourhood of ``urn`` to ``out`` (.html or .png); returns the graph drawn."""
    graph = provider_picture_graph(store, urn, hops, since)
    centre = graph.nodes[views.provider_iri(urn)]
    title = f"{centre.get('label')} — neighbourhood ({hops} hop{'s' if hops != 1 else ''})"
    counts = Counter(a["type"] for _, a in graph.nodes(data=True))
    subtitle = ", ".join(f"{n} {t}" for t, n in sorted(counts.items())) + (f"; since {since}." if since else ".")
    out = Path(out)
    if out.suffix.lower() == ".png":
        draw_png(graph, out, title)
    elif out.suffix.lower() in (".html", ".htm"):
        out.write_text(html_page(graph, title, subtitle), encoding="utf-8")
    else:
        raise ValueError(f"--out must end in .html or .png, not {out.suffix or 'nothing'}")
    return graph


# ------------------------------------------------------------------ charts


def chart(store, name: str, out: Path, since: str | None = None) -> None:
    """Draw one of CHARTS to a PNG."""
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}: choose one of {', '.join(CHARTS)}")
    {"grades-by-sector": _grades_by_sector, "grades-over-time": _grades_over_time,
     "owner-concentration": _owner_concentration}[name](store, Path(out), since)


def _latest_grades(store, since: str | None) -> dict[str, str]:
    return {p: h[-1][1] for p, h in views.grade_history(store, since).items() if h and p.startswith(views.PROVIDER)}


def _stacked_bars(plt, axes, categories: list[str], counts: dict[str, Counter], share: bool) -> None:
    bottom = [0.0] * len(categories)
    for grade in GRADE_ORDER:
        values = []
        for category in categories:
            total = sum(counts[category].values()) or 1
            values.append(counts[category][grade] / total * 100 if share else counts[category][grade])
        if any(values):
            axes.bar(categories, values, bottom=bottom, color=GRADE_COLOURS[grade], label=grade.replace("_", " "))
            bottom = [b + v for b, v in zip(bottom, values)]


def _grades_by_sector(store, out: Path, since: str | None) -> None:
    plt = _pyplot()
    providers = views.provider_facts(store)
    counts: dict[str, Counter] = defaultdict(Counter)
    for provider, grade in _latest_grades(store, since).items():
        sector = providers.get(provider, {}).get("sector")
        if sector and grade in GRADE_ORDER:
            counts[sector][grade] += 1
    sectors = sorted(counts, key=lambda s: -sum(counts[s].values()))
    figure, axes = plt.subplots(figsize=(9, 5.5), dpi=110)
    _stacked_bars(plt, axes, sectors, counts, share=True)
    for n, sector in enumerate(sectors):
        axes.text(n, 101, f"n={sum(counts[sector].values()):,}", ha="center", fontsize=8)
    axes.set_ylabel("% of providers (latest overall grade)")
    axes.set_ylim(0, 108)
    axes.set_title("Latest overall grade by sector" + (f" (inspections since {since})" if since else ""))
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    figure.tight_layout()
    figure.savefig(out, format="png")
    plt.close(figure)


def _grades_over_time(store, out: Path, since: str | None) -> None:
    plt = _pyplot()
    counts: dict[str, Counter] = defaultdict(Counter)
    for provider, history in views.grade_history(store, since).items():
        if provider.startswith(views.PROVIDER):
            for start, grade, _ in history:
                if grade in GRADE_ORDER:
                    counts[_financial_year(start)][grade] += 1
    years = sorted(counts)
    figure, axes = plt.subplots(figsize=(10, 5.5), dpi=110)
    _stacked_bars(plt, axes, years, counts, share=True)
    for n, year in enumerate(years):
        axes.text(n, 101, f"n={sum(counts[year].values()):,}", ha="center", fontsize=7)
    axes.set_ylim(0, 108)
    axes.set_ylabel("% of graded inspections")
    axes.set_xlabel("inspection year (April to March)")
    axes.set_title("Overall grades of provider inspections by year")
    axes.tick_params(axis="x", rotation=45)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    figure.tight_layout()
    figure.savefig(out, format="png")
    plt.close(figure)


def _financial_year(date: str) -> str:
    year, month = int(date[:4]), int(date[5:7])
    first = year if month >= 4 else year - 1
    return f"{first}-{str(first + 1)[2:]}"


def _owner_concentration(store, out: Path, since: str | None) -> None:
    from .analyse import owner_concentration

    plt = _pyplot()
    rows = owner_concentration(store, since=since)
    dates = [r["snapshot_date"] for r in rows]
    figure, axes = plt.subplots(figsize=(9, 5.5), dpi=110)
    for key, style in (("top10_places_share", "-o"), ("top20_places_share", "-s"),
                       ("top10_providers_share", "--o"), ("top20_providers_share", "--s")):
        axes.plot(dates, [r[key] * 100 for r in rows], style, label=key.replace("_", " ").replace("top", "largest "))
    axes.set_ylabel("% held by the largest owners")
    axes.set_title("Owner concentration at each statistics snapshot (owners ranked by places)")
    axes.tick_params(axis="x", rotation=45)
    axes.legend(fontsize=8)
    axes.set_ylim(bottom=0)
    figure.tight_layout()
    figure.savefig(out, format="png")
    plt.close(figure)
