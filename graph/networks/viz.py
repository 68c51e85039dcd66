"""Pictures: a provider's profile (interactive HTML or PNG) and charts of headline analyses (PNG).

A profile keeps to the provider's own facts: its inspections and grades, the owners each release
named, the regulations its findings cited and the people named, each read through SPARQL (stored
queries and the profile-*.rq files here). Charts print their scope and n in the title and mark
groups too small to read as shares.

The HTML page inlines the vendored cytoscape.js (graph/networks/static/vendor), so it opens without a
network. PNGs are drawn with matplotlib's Agg backend (no display needed).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx

from . import views
from .export import GRADE_COLOURS, TYPE_COLOURS, cytoscape_elements

CHARTS = ("grades-by-sector", "grades-over-time", "owner-concentration")
GRADE_ORDER = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")
# a group with fewer than this many providers or inspections is marked on a chart as too small to read
SMALL_GROUP = 10
_HERE = Path(__file__).parent


# ------------------------------------------------------------------ a provider's profile


@dataclass
class Profile:
    """What the graph says of one provider, read through SPARQL: who it is, its inspections and their
    grades, its owners release by release, the regulations its findings cited, and the people named."""

    urn: str
    facts: dict
    inspections: list[dict]
    owners: list[dict]
    findings: list[dict]
    people: list[dict]

    @property
    def title(self) -> str:
        name = self.facts.get("name")
        return f"{name} ({self.urn})" if name and str(name).upper() != "REDACTED" else self.urn

    @property
    def description(self) -> str:
        parts = [self.facts.get(k) for k in ("provision_type", "sector", "local_authority")]
        status = self.facts.get("status")
        return ", ".join(str(p) for p in parts if p) + (f"; {status}" if status else "")


def provider_profile(store, urn: str, since: str | None = None) -> Profile:
    """The profile of ``urn``; an unknown URN raises :class:`ofsted_kg.stored.UnknownValue` naming the closest."""
    from .. import stored

    def rows(name: str) -> list[dict]:
        source = str(_HERE / name) if name.endswith(".rq") else name
        return stored.run(store, source, {"urn": urn}).as_dicts()

    [facts] = rows("provider-profile") or [None]
    if facts is None:
        stored.run(store, "provider-profile", {"urn": urn}, check=True)   # raises UnknownValue with the closest
        raise KeyError(f"no provider {urn} in the store")

    def kept(day) -> bool:
        return since is None or (day is not None and str(day) >= since)

    return Profile(
        urn=str(facts["urn"]), facts=facts,
        inspections=[r for r in rows("inspection-history") if kept(r["inspection_date"])],
        owners=[r for r in rows("profile-owners.rq") if kept(r["release"])],
        findings=[r for r in rows("profile-findings.rq") if kept(r["inspection_date"])],
        people=[r for r in rows("people-by-provider") if kept(r["date"])])


def owner_spells(owners: list[dict]) -> list[tuple[str, str, str]]:
    """(owner, first release, last release) for each unbroken run of releases naming one owner."""
    releases = sorted({str(r["release"]) for r in owners})
    by_release: dict[str, set[str]] = defaultdict(set)
    for row in owners:
        by_release[str(row["release"])].add(row["owner"])
    spells: list[list] = []
    open_spells: dict[str, list] = {}
    for release in releases:
        for owner in sorted(by_release[release]):
            spell = open_spells.get(owner)
            if spell is not None and spell[2] == _previous(releases, release):
                spell[2] = release
            else:
                spell = open_spells[owner] = [owner, release, release]
                spells.append(spell)
    return [tuple(s) for s in spells]


def _previous(releases: list[str], release: str) -> str | None:
    at = releases.index(release)
    return releases[at - 1] if at else None


def profile_graph(profile: Profile) -> nx.MultiDiGraph:
    """The profile as a small star: the provider, its inspections (named by date, type and grade), its
    owners (with the releases that named them), the regulations its findings cited and the people named."""
    centre = views.provider_iri(profile.urn)
    graph = nx.MultiDiGraph(view="profile", centre=centre)
    graph.add_node(centre, type="Provider", label=profile.title, centre=True,
                   **{k: v for k, v in profile.facts.items() if v is not None and k != "urn"}, urn=profile.urn)
    for row in profile.inspections:
        node = f"{centre}/inspection/{row['event_number'] or row['inspection_date']}"
        grade = row.get("overall")
        label = f"{row['inspection_date']} {row.get('inspection_type') or 'inspection'}" + (
            f": {str(grade).replace('_', ' ')}" if grade else "")
        attrs = {k: v for k, v in row.items() if v is not None}
        graph.add_node(node, type="Inspection", label=label, **({"grade": grade} if grade else {}),
                       **{k: v for k, v in attrs.items() if k != "overall"})
        graph.add_edge(node, centre, key="inspected", relation="inspected", date=str(row["inspection_date"]))
    for owner, first, last in owner_spells(profile.owners):
        node = next(r["organisation"] for r in profile.owners if r["owner"] == owner)
        graph.add_node(node, type="Organisation", label=owner)
        graph.add_edge(node, centre, key=f"owns {first}", relation=f"owner {first[:4]}–{last[:4]}",
                       first_seen=first, last_seen=last)
    if not profile.owners and profile.facts.get("owner"):
        # no release names an owner (a provider known from inspections only): the graph's current one
        node = f"{centre}/owner"
        graph.add_node(node, type="Organisation", label=profile.facts["owner"])
        graph.add_edge(node, centre, key="owns", relation="owner (current)")
    for regulation, rows in _by(profile.findings, "regulation").items():
        counts = Counter()
        for row in rows:
            counts[row["kind"]] += int(row["findings"])
        graph.add_node(regulation, type="Provision", label=rows[0]["label"] or regulation,
                       requirements=counts["requirement"], recommendations=counts["recommendation"])
        dates = sorted({str(r["inspection_date"]) for r in rows})
        relation = " + ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(counts.items()))
        graph.add_edge(centre, regulation, key="cites", relation=relation, dates=" | ".join(dates),
                       weight=sum(counts.values()))
    for name, rows in _by(profile.people, "name").items():
        node = f"{centre}/person/{name}"
        graph.add_node(node, type="Person", label=name)
        for role, held in _by(rows, "role").items():
            dates = sorted(str(r["date"]) for r in held if r["date"])
            graph.add_edge(node, centre, key=role, relation=role.replace("_", " "),
                           **({"first_seen": dates[0], "last_seen": dates[-1]} if dates else {}))
    return graph


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        found[row[key]].append(row)
    return dict(found)


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


def draw_profile_png(profile: Profile, path: Path, since: str | None = None) -> None:
    """Four panels: overall grades over time, owners over time, findings by regulation, people named."""
    plt = _pyplot()
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    figure, axes = plt.subplots(2, 2, figsize=(15, 9), dpi=110)
    grades, owners, findings, people = axes.flat
    figure.suptitle(f"{profile.title}: {profile.description}" + (f" (since {since})" if since else ""), fontsize=13)

    dated = [r for r in profile.inspections if r["inspection_date"]]
    kinds = sorted({r.get("inspection_type") or "other" for r in dated})
    for row in dated:
        grade = row.get("overall")
        grades.scatter(_day(row["inspection_date"]), kinds.index(row.get("inspection_type") or "other"), s=140,
                       color=GRADE_COLOURS.get(grade, "#bbbbbb"), edgecolors="#333333", zorder=3)
        grades.annotate(str(grade or "no grade").replace("_", " "), (_day(row["inspection_date"]),
                        kinds.index(row.get("inspection_type") or "other")), textcoords="offset points",
                        xytext=(0, 10), ha="center", fontsize=7)
    grades.set_yticks(range(len(kinds)), kinds)
    grades.set_ylim(-0.7, max(len(kinds) - 0.3, 0.7))
    grades.set_title(f"Inspections and overall grades (n={len(dated)})")
    _empty(grades, not dated, "no inspections in the graph")

    spells = owner_spells(profile.owners)
    names = list(dict.fromkeys(owner for owner, _, _ in spells))
    for owner, first, last in spells:
        start, end = _day(first), _day(last)
        owners.barh(names.index(owner), max((end - start).days, 60), left=start, height=0.4, color="#ff7f0e")
    owners.set_yticks(range(len(names)), [_short_label(n, 40) for n in names])
    owners.set_ylim(-0.7, max(len(names) - 0.3, 0.7))
    owners.set_title(f"Owner named by each statistics release ({len({str(r['release']) for r in profile.owners})} "
                     "releases)")
    _empty(owners, not spells, "no release names an owner")
    for panel in (grades, owners):
        panel.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))

    counts: dict[str, Counter] = defaultdict(Counter)
    for row in profile.findings:
        counts[row["label"] or row["regulation"]][row["kind"]] += int(row["findings"])
    labels = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))[:15]
    left = [0] * len(labels)
    for kind, colour in (("requirement", "#d62728"), ("recommendation", "#e377c2")):
        values = [counts[label][kind] for label in labels]
        if any(values):
            findings.barh(range(len(labels)), values, left=left, color=colour, label=f"{kind}s")
            left = [a + b for a, b in zip(left, values)]
    findings.set_yticks(range(len(labels)), [_short_label(label, 48) for label in labels], fontsize=8)
    findings.invert_yaxis()
    findings.xaxis.set_major_locator(MaxNLocator(integer=True))
    findings.set_title(f"Findings by regulation or standard (n={sum(sum(c.values()) for c in counts.values())})")
    if labels:
        findings.legend(fontsize=8)
    _empty(findings, not labels, "no findings: no report of this provider was read")

    people.axis("off")
    people.set_title(f"People named ({len({r['name'] for r in profile.people})})")
    lines = []
    for name, rows in sorted(_by(profile.people, "name").items()):
        roles = sorted({str(r["role"]).replace("_", " ") for r in rows})
        dates = sorted(str(r["date"]) for r in rows if r["date"])
        lines.append(f"{name}: {', '.join(roles)}" + (f" ({dates[0]}" + (f" to {dates[-1]})" if dates[-1] != dates[0]
                                                                        else ")") if dates else ""))
    people.text(0, 1, "\n".join(lines[:24]) or "no people in the graph", va="top", fontsize=9,
                transform=people.transAxes, family="monospace" if lines else None)
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)


def _day(value):
    import datetime as dt

    return dt.date.fromisoformat(str(value)[:10])


def _empty(axes, empty: bool, message: str) -> None:
    if empty:
        axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#777777")
        axes.set_xticks([])
        axes.set_yticks([])


def _short_label(label: str, width: int = 36) -> str:
    label = str(label)
    return label if len(label) <= width else label[: width - 1] + "…"


def provider_picture(store, urn: str, out: Path, since: str | None = None) -> nx.MultiDiGraph:
    """Write the profile of ``urn`` to ``out`` (.html: an interactive star; .png: four panels); returns its graph."""
    out = Path(out)
    if out.suffix.lower() not in (".png", ".html", ".htm"):
        raise ValueError(f"--out must end in .html or .png, not {out.suffix or 'nothing'}")
    profile = provider_profile(store, urn, since)
    graph = profile_graph(profile)
    if out.suffix.lower() == ".png":
        draw_profile_png(profile, out, since)
    else:
        counts = Counter(a["type"] for _, a in graph.nodes(data=True))
        subtitle = (f"{profile.description}. " + ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
                    + (f"; since {since}." if since else "."))
        out.write_text(html_page(graph, f"{profile.title}: profile", subtitle), encoding="utf-8")
    return graph


# ------------------------------------------------------------------ charts


@dataclass
class Scope:
    """Which providers a chart counts: ``provision_types`` (tokens such as childrens-home; empty for all),
    ``current_only`` (registered, active or suspended, in the latest statistics release) and ``since``."""

    provision_types: tuple[str, ...] = ()
    current_only: bool = False
    since: str | None = None

    def describe(self) -> str:
        kinds = ", ".join(t.replace("-", " ") for t in self.provision_types) or "all provision types"
        who = "providers registered at the latest release" if self.current_only else "every provider in the releases"
        return f"{kinds}; {who}" + (f"; inspections since {self.since}" if self.since else "")


CURRENT_STATUSES = {"Active", "Suspended"}


def chart(store, name: str, out: Path, since: str | None = None, provision_types: tuple[str, ...] = (),
          current_only: bool = False) -> None:
    """Draw one of CHARTS to a PNG, counting the providers ``provision_types`` and ``current_only`` choose."""
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}: choose one of {', '.join(CHARTS)}")
    scope = Scope(tuple(provision_types), current_only, since)
    if name == "owner-concentration" and current_only:
        raise ValueError("--current-only does not apply to owner-concentration: each release counts the providers "
                         "it lists; choose --provision-type to narrow it")
    {"grades-by-sector": _grades_by_sector, "grades-over-time": _grades_over_time,
     "owner-concentration": _owner_concentration}[name](store, Path(out), scope)


def _providers(store, scope: Scope) -> dict[str, dict]:
    """URN -> the provider's row in the latest release that lists it (from the panel), within ``scope``."""
    from .panel import panel_rows

    latest: dict[str, dict] = {}
    rows = panel_rows(store)
    last_release = max((str(r["release_date"]) for r in rows), default=None)
    for row in rows:
        latest[row["urn"]] = row   # rows come sorted by URN and release: the last one stays
    known_types = {str(r["provision_type"]) for r in latest.values()}
    unknown = [t for t in scope.provision_types if t not in known_types]
    if unknown:
        from ..stored import closest

        near = closest(unknown[0], sorted(known_types))
        raise ValueError(f"no provision type {unknown[0]!r} in the store" + (f": did you mean {', '.join(near)}?" if near
                         else f"; the types are {', '.join(sorted(known_types))}"))
    return {urn: row for urn, row in latest.items()
            if (not scope.provision_types or row["provision_type"] in scope.provision_types)
            and (not scope.current_only or (str(row["release_date"]) == last_release
                                            and row["registration_status"] in CURRENT_STATUSES))}


def _stacked_bars(axes, categories: list[str], counts: dict[str, Counter]) -> None:
    """Bars of each grade's share; a category with fewer than SMALL_GROUP is drawn faint and hatched."""
    bottom = [0.0] * len(categories)
    small = [sum(counts[c].values()) < SMALL_GROUP for c in categories]
    for grade in GRADE_ORDER:
        values = [counts[c][grade] / (sum(counts[c].values()) or 1) * 100 for c in categories]
        if any(values):
            bars = axes.bar(categories, values, bottom=bottom, color=GRADE_COLOURS[grade], label=grade.replace("_", " "))
            for bar, is_small in zip(bars, small):
                if is_small:
                    bar.set_alpha(0.3)
                    bar.set_hatch("//")
            bottom = [b + v for b, v in zip(bottom, values)]
    for n, category in enumerate(categories):
        total = sum(counts[category].values())
        axes.text(n, 101, f"n={total:,}" + ("\ntoo few" if small[n] else ""), ha="center", va="bottom", fontsize=7,
                  color="#b00000" if small[n] else "black")


def _finish(plt, figure, axes, out: Path, title: str, counts: dict[str, Counter]) -> None:
    total = sum(sum(c.values()) for c in counts.values())
    small = [c for c in counts if sum(counts[c].values()) < SMALL_GROUP]
    axes.set_title(f"{title} (n={total:,})", fontsize=11)
    note = f"faint, hatched bars: fewer than {SMALL_GROUP}, too few to read as shares" if small else ""
    if note:
        figure.text(0.01, 0.01, note, fontsize=8, color="#b00000")
    axes.set_ylim(0, 112)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(out, format="png")
    plt.close(figure)


def _grades_by_sector(store, out: Path, scope: Scope) -> None:
    from .panel import full_inspections_by_urn

    plt = _pyplot()
    providers = _providers(store, scope)
    inspections = full_inspections_by_urn(store)
    counts: dict[str, Counter] = defaultdict(Counter)
    for urn, row in providers.items():
        graded = [i for i in inspections.get(urn, []) if i.grade in GRADE_ORDER
                  and (scope.since is None or i.start >= scope.since)]
        if graded and row["sector"]:
            counts[str(row["sector"]).replace("-", " ")][graded[-1].grade] += 1
    sectors = sorted(counts, key=lambda s: -sum(counts[s].values()))
    figure, axes = plt.subplots(figsize=(10, 6), dpi=110)
    _stacked_bars(axes, sectors, counts)
    axes.set_ylabel("% of providers (overall grade at the latest full inspection)")
    _finish(plt, figure, axes, out, f"Latest full-inspection grade by sector\n{scope.describe()}", counts)


def _grades_over_time(store, out: Path, scope: Scope) -> None:
    from .panel import full_inspections_by_urn

    plt = _pyplot()
    providers = _providers(store, scope)
    counts: dict[str, Counter] = defaultdict(Counter)
    for urn, inspections in full_inspections_by_urn(store).items():
        if urn not in providers:
            continue
        for inspection in inspections:
            if inspection.grade in GRADE_ORDER and (scope.since is None or inspection.start >= scope.since):
                counts[_financial_year(inspection.start)][inspection.grade] += 1
    years = sorted(counts)
    figure, axes = plt.subplots(figsize=(11, 6), dpi=110)
    _stacked_bars(axes, years, counts)
    axes.set_ylabel("% of full inspections")
    axes.set_xlabel("inspection year (April to March)")
    axes.tick_params(axis="x", rotation=45)
    _finish(plt, figure, axes, out, f"Overall grades of full inspections by year\n{scope.describe()}", counts)


def _financial_year(date: str) -> str:
    year, month = int(date[:4]), int(date[5:7])
    first = year if month >= 4 else year - 1
    return f"{first}-{str(first + 1)[2:]}"


def _owner_concentration(store, out: Path, scope: Scope) -> None:
    from .analyse import owner_concentration

    plt = _pyplot()
    rows = owner_concentration(store, since=scope.since, provision_types=scope.provision_types)
    dates = [r["snapshot_date"] for r in rows]
    figure, axes = plt.subplots(figsize=(10, 6), dpi=110)
    for key, style in (("top10_places_share", "-o"), ("top20_places_share", "-s"),
                       ("top10_providers_share", "--o"), ("top20_providers_share", "--s")):
        axes.plot(dates, [r[key] * 100 for r in rows], style, label=key.replace("_", " ").replace("top", "largest "))
    for date, row in zip(dates, rows):
        axes.annotate(f"n={row['providers']:,}", (date, 0), textcoords="offset points", xytext=(0, 4), ha="center",
                      fontsize=7, color="#b00000" if row["providers"] < SMALL_GROUP else "black")
    kinds = ", ".join(t.replace("-", " ") for t in scope.provision_types) or "all provision types"
    axes.set_ylabel("% held by the largest owners")
    axes.set_title(f"Owner concentration at each statistics release (owners ranked by places)\n{kinds}; providers "
                   f"with an owner in each release (n at the foot)" + (f"; since {scope.since}" if scope.since else ""),
                   fontsize=11)
    axes.tick_params(axis="x", rotation=45)
    axes.legend(fontsize=8)
    axes.set_ylim(bottom=0)
    figure.tight_layout()
    figure.savefig(out, format="png")
    plt.close(figure)
