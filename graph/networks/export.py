"""Write the store or a view (ofsted_kg.networks.views) in formats that graph tools open.

* RDF: ``turtle`` (the union graph), ``trig`` and ``nquads`` (named graphs kept), ``jsonld``.
* Networks: ``graphml`` (typed keys, with yEd's node labels and colours), ``gexf`` (1.3, dynamic:
  grades and owners over time play on Gephi's timeline), ``cytoscape`` (Cytoscape.js elements JSON),
  ``csv`` (a node table and an edge table).

Network attributes follow one rule in every format: ``None`` is left out, lists are joined with
`` | ``, dates are ISO strings, and keys starting with ``_`` (time spells) only feed GEXF.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Iterable, Iterator

import networkx as nx
import pyoxigraph as ox

from .views import cyclic_gc_paused

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
               "jsonld": ox.RdfFormat.JSON_LD}
NETWORK_FORMATS = ("graphml", "gexf", "cytoscape", "csv")
FORMATS = NETWORK_FORMATS + tuple(RDF_FORMATS)

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
YED_NS = "http://www.yworks.com/xml/graphml"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"

# node colours by type, shared by yEd, GEXF and the pictures
TYPE_COLOURS = {
    "Provider": "#1f77b4", "Organisation": "#ff7f0e", "Person": "#2ca02c", "Inspection": "#9467bd",
    "Requirement": "#d62728", "Recommendation": "#e377c2", "Provision": "#8c564b", "Instrument": "#7f7f7f",
    "LocalAuthority": "#17becf", "ProviderSnapshot": "#c7c7c7", "Judgement": "#dbdb8d", "Post": "#98df8a",
    "Claim": "#bcbd22",
}
GRADE_COLOURS = {"outstanding": "#1a9850", "good": "#91cf60", "requires_improvement": "#fc8d59",
                 "adequate": "#fee08b", "inadequate": "#d73027"}
DEFAULT_COLOUR = "#aaaaaa"


def colour_of(attrs: dict) -> str:
    return TYPE_COLOURS.get(attrs.get("type"), DEFAULT_COLOUR)


# ------------------------------------------------------------------ attribute values


_PLAIN_TYPES = (str, int, float, bool)


def plain(value):
    """A value fit for any format: str, int, float or bool; None when there is nothing to write."""
    if value is None:
        return None
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [str(plain(v)) for v in value if plain(v) is not None]
        return " | ".join(sorted(items) if isinstance(value, (set, frozenset)) else items) or None
    return str(value)


def public_items(attrs: dict) -> Iterable[tuple[str, object]]:
    """(key, plain value) pairs of the attributes every format writes."""
    for key, value in attrs.items():
        if key[0] == "_":
            continue
        if type(value) not in _PLAIN_TYPES:
            value = plain(value)
        if value is not None:
            yield key, value


_INT32_MAX = 2**31 - 1


def attribute_types(items: Iterable[dict], wide_ints: bool = False) -> dict[str, str]:
    """One type per attribute key: boolean, int, double or string (mixed kinds fall back to string).

    With ``wide_ints``, an int key holding a value beyond 32 bits is ``long`` (GraphML's int is 32-bit);
    it is found in the same pass, the costly part with a few hundred thousand elements.
    """
    kinds: dict[str, set] = {}
    wide: set[str] = set()
    for attrs in items:
        for key, value in attrs.items():
            if key[0] == "_" or value is None:
                continue
            kind = type(value)
            if kind not in _PLAIN_TYPES:
                value = plain(value)
                if value is None:
                    continue
                kind = type(value)
            found = kinds.get(key)
            if found is None:
                kinds[key] = {kind}
            else:
                found.add(kind)
            if kind is int and abs(value) > _INT32_MAX:
                wide.add(key)
    chosen = {}
    for key, found in kinds.items():
        if found == {bool}:
            chosen[key] = "boolean"
        elif found <= {int}:
            chosen[key] = "long" if wide_ints and key in wide else "int"
        elif found <= {int, float}:
            chosen[key] = "double"
        else:
            chosen[key] = "string"
    return chosen


def _text(value, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "string":
        return str(value)
    if kind == "double":
        return repr(float(value))
    return str(int(value))


def _edge_list(graph: nx.Graph) -> list[tuple[str, str, str, dict]]:
    """(id, source, target, attrs) for every edge, ids stable within one export."""
    if graph.is_multigraph():
        edges = graph.edges(keys=True, data=True)
        return [(f"e{n}", u, v, a) for n, (u, v, _, a) in enumerate(edges)]
    return [(f"e{n}", u, v, a) for n, (u, v, a) in enumerate(graph.edges(data=True))]


def _node_label(node: str, attrs: dict) -> str:
    return str(attrs.get("label") or node.rstrip("/").rsplit("/", 1)[-1])


def _labelled(node: str, attrs: dict) -> dict:
    """``attrs`` with its ``label`` as the writers give it: the same dict when it already has that label."""
    label = attrs.get("label")
    return attrs if type(label) is str and label else dict(attrs, label=_node_label(node, attrs))


def _edge_quads(graph: nx.Graph) -> Iterable[tuple[str, str, object, dict]]:
    """(source, target, key, attrs) of every edge in :func:`_edge_list`'s order, without building a list
    (a :class:`ofsted_kg.networks.views.Network` hands over its own)."""
    if graph.is_multigraph():
        return graph.edges(keys=True, data=True)
    return ((u, v, None, a) for u, v, a in graph.edges(data=True))


# ------------------------------------------------------------------ XML text
# The writers emit XML text line by line: for a graph of a few hundred thousand elements this is
# several times faster than building element trees, and the declarations stay at the root.

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_ESCAPE = re.compile("[&<>\"\x00-\x1f\ufffe\uffff]")


def _xml(value) -> str:
    """Text safe inside an XML attribute value or element."""
    text = str(value)
    if not _NEEDS_ESCAPE.search(text):
        return text  # most IRIs, numbers and names: nothing to do
    text = _INVALID_XML.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


# ------------------------------------------------------------------ GraphML with yEd graphics


def write_graphml(graph: nx.Graph, path: Path) -> None:
    """GraphML with one declared type per key, a ``label`` on every node, and yEd ShapeNode labels and colours.

    ``graph`` is a networkx graph or a :class:`ofsted_kg.networks.views.Network`. The full view has hundreds of
    thousands of elements, so nothing per element is done twice: node ids are escaped once (most
    need nothing), an element's values are checked for characters to escape in one go, and edges
    sharing one attrs dict (or equal attributes) share one rendered body.
    """
    with cyclic_gc_paused():
        _write_graphml(graph, path)


def _write_graphml(graph: nx.Graph, path: Path) -> None:
    nodes = [(n, _labelled(n, a)) for n, a in graph.nodes(data=True)]
    node_types = attribute_types((a for _, a in nodes), wide_ints=True)
    edge_types = attribute_types({id(a): a for _, _, _, a in _edge_quads(graph)}.values(), wide_ints=True)
    node_ids = {key: f"n{i}" for i, key in enumerate(node_types)}
    edge_ids = {key: f"e{i}" for i, key in enumerate(edge_types)}
    directed = "directed" if graph.is_directed() else "undirected"
    with open(path, "w", encoding="utf-8") as handle:
        write = handle.write
        write('<?xml version="1.0" encoding="UTF-8"?>\n')
        write(f'<graphml xmlns="{GRAPHML_NS}" xmlns:y="{YED_NS}" xmlns:xsi="{XSI_NS}" '
              f'xsi:schemaLocation="{GRAPHML_NS} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">\n')
        for domain, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
            for key, kind in types.items():
                write(f'  <key id="{ids[key]}" for="{domain}" attr.name="{_xml(key)}" attr.type="{kind}"/>\n')
        write('  <key id="yn" for="node" yfiles.type="nodegraphics"/>\n')
        write('  <key id="ye" for="edge" yfiles.type="edgegraphics"/>\n')
        write(f'  <graph id="{_xml(graph.graph.get("view") or "G")}" edgedefault="{directed}">\n')
        escaped = {}  # the few node ids that change when escaped
        for block in _blocks(_graphml_nodes(nodes, _DataWriter(node_types, node_ids), escaped)):
            write(block)
        for block in _blocks(_graphml_edges(_edge_quads(graph), _DataWriter(edge_types, edge_ids), escaped)):
            write(block)
        write("  </graph>\n</graphml>\n")


def _blocks(lines: Iterable[str], size: int = 5000) -> Iterator[str]:
    """Lines joined ``size`` at a time: far fewer writes than lines, and never the whole file in memory."""
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) >= size:
            yield "".join(block)
            block.clear()
    yield "".join(block)


def _graphml_nodes(nodes: list[tuple[str, dict]], data: _DataWriter, escaped: dict[str, str]) -> Iterator[str]:
    """One ``<node>`` line per node; node ids that escaping changes are noted in ``escaped`` for the edges."""
    for node, attrs in nodes:
        node_id = _xml(node)
        if node_id != node:
            escaped[node] = node_id
        yield f'    <node id="{node_id}">{data.render(attrs)}{_yed_node(attrs)}</node>\n'


def _graphml_edges(edges: Iterable[tuple], data: _DataWriter, escaped: dict[str, str]) -> Iterator[str]:
    """One ``<edge>`` line per edge, ids ``e0``, ``e1`` ... in order."""
    by_dict: dict[int, tuple[dict, str]] = {}  # id(attrs) -> (attrs, body): the full view shares one dict per relation
    by_value: dict[tuple, str] = {}
    escape = escaped.get
    for number, (source, target, _, attrs) in enumerate(edges):
        known = by_dict.get(id(attrs))
        if known is not None and known[0] is attrs:
            body = known[1]
        else:
            body = _shared_body(attrs, data, by_value)
            by_dict[id(attrs)] = (attrs, body)
        yield (f'    <edge id="e{number}" source="{escape(source, source)}" target="{escape(target, target)}">'
               f'{body}</edge>\n')


def _shared_body(attrs: dict, data: _DataWriter, by_value: dict[tuple, str]) -> str:
    """An edge's ``<data>`` elements, rendered once for all edges with equal attributes (when they are hashable)."""
    try:
        same = tuple(attrs.items())
        body = by_value.get(same)
    except TypeError:  # a list among the values: nothing to share
        same = body = None
    if body is None:
        body = data.render(attrs) + _yed_edge(attrs)
        if same is not None:
            by_value[same] = body
    return body


class _DataWriter:
    """``<data>`` elements of one element's attributes, keys and types fixed for the whole file."""

    def __init__(self, types: dict[str, str], ids: dict[str, str]) -> None:
        self.keys = {key: (f'<data key="{ids[key]}">', kind) for key, kind in types.items()}

    def render(self, attrs: dict) -> str:
        parts, texts = [], []
        keys = self.keys
        for key, value in attrs.items():
            if key[0] == "_" or value is None:
                continue
            if type(value) not in _PLAIN_TYPES:
                value = plain(value)
                if value is None:
                    continue
            opening, kind = keys[key]
            text = value if kind == "string" and type(value) is str else _text(value, kind)
            texts.append(text)
            parts += (opening, text, "</data>")
        if _NEEDS_ESCAPE.search("".join(texts)):  # rare: escape each text (every third part)
            parts[1::3] = [_xml(text) for text in texts]
        return "".join(parts)


@functools.lru_cache(maxsize=None)
def _yed_node_start(length: int, node_type) -> str:
    """The yEd ShapeNode up to its label, for a label of ``length`` characters (the width follows it) and a type."""
    width = max(40, min(240, 7 * length))
    return (f'<data key="yn"><y:ShapeNode><y:Geometry height="30.0" width="{width}.0"/>'
            f'<y:Fill color="{colour_of({"type": node_type})}" transparent="false"/>'
            '<y:BorderStyle color="#000000" type="line" width="1.0"/><y:NodeLabel>')


_YED_NODE_END = '</y:NodeLabel><y:Shape type="roundrectangle"/></y:ShapeNode></data>'


def _yed_node(attrs: dict) -> str:
    label = str(attrs["label"])
    return f"{_yed_node_start(min(len(label), 35), attrs.get('type'))}{_xml(label)}{_YED_NODE_END}"


def _yed_edge(attrs: dict) -> str:
    name = attrs.get("role") or attrs.get("relation")
    label = f"<y:EdgeLabel>{_xml(name)}</y:EdgeLabel>" if name else ""
    return ('<data key="ye"><y:PolyLineEdge><y:LineStyle color="#666666" type="line" width="1.0"/>'
            f'<y:Arrows source="none" target="standard"/>{label}</y:PolyLineEdge></data>')


# ------------------------------------------------------------------ GEXF 1.3, dynamic


GEXF_TYPES = {"boolean": "boolean", "int": "integer", "long": "long", "double": "double", "string": "string"}


def write_gexf(graph: nx.Graph, path: Path) -> None:
    """GEXF 1.3 with time: ``_dynamic`` node values become attvalues with start/end, ``_spells`` become spells.

    Gephi reads the dates (timeformat="date") and plays grades and owners on its timeline.
    """
    nodes = [(n, dict(a, label=_node_label(n, a))) for n, a in graph.nodes(data=True)]
    edges = _edge_list(graph)
    node_types = {k: v for k, v in attribute_types(a for _, a in nodes).items() if k != "label"}
    edge_types = attribute_types(a for *_, a in edges)
    edge_types.pop("weight", None)  # weight is an attribute of GEXF's edge element itself
    dynamic_keys: dict[str, str] = {}
    for _, attrs in nodes:
        for key, spells in (attrs.get("_dynamic") or {}).items():
            kinds = {type(v) for v, *_ in spells} | ({str} if dynamic_keys.get(key) == "string" else set())
            dynamic_keys[key] = "integer" if kinds <= {int} else "double" if kinds <= {int, float} else "string"
    directed = "directed" if graph.is_directed() else "undirected"
    since = graph.graph.get("since")
    description = f"ofsted-kg {graph.graph.get('view', '')} view" + (f" since {since}" if since else "")
    with open(path, "w", encoding="utf-8") as handle:
        write = handle.write
        write('<?xml version="1.0" encoding="UTF-8"?>\n')
        write(f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{GEXF_VIZ_NS}" version="1.3">\n')
        write(f'  <meta lastmodifieddate="{dt.date.today().isoformat()}"><creator>ofsted-kg</creator>'
              f'<description>{_xml(description)}</description></meta>\n')
        write(f'  <graph mode="dynamic" defaultedgetype="{directed}" timeformat="date" timerepresentation="interval">\n')
        write(_gexf_attributes("node", "static", {k: GEXF_TYPES[v] for k, v in node_types.items()}))
        if dynamic_keys:
            write(_gexf_attributes("node", "dynamic", dynamic_keys, "dyn_"))
        write(_gexf_attributes("edge", "static", {k: GEXF_TYPES[v] for k, v in edge_types.items()}))
        write("    <nodes>\n")
        for node, attrs in nodes:
            write(_gexf_node(node, attrs, node_types))
        write("    </nodes>\n    <edges>\n")
        for edge_id, source, target, attrs in edges:
            write(_gexf_edge(edge_id, source, target, attrs, edge_types))
        write("    </edges>\n  </graph>\n</gexf>\n")


def _gexf_attributes(domain: str, mode: str, types: dict[str, str], prefix: str = "") -> str:
    inner = "".join(f'<attribute id="{_xml(prefix + k)}" title="{_xml(k)}" type="{v}"/>' for k, v in types.items())
    return f'    <attributes class="{domain}" mode="{mode}">{inner}</attributes>\n'


def _spell_text(start: str | None, end: str | None) -> str:
    return (f' start="{start[:10]}"' if start else "") + (f' end="{end[:10]}"' if end else "")


def _gexf_values(attrs: dict, types: dict[str, str]) -> list[str]:
    return [f'<attvalue for="{_xml(k)}" value="{_xml(_text(v, types[k]))}"/>' for k, v in public_items(attrs) if k in types]


def _gexf_spells(spells) -> str:
    spells = [s for s in spells or [] if s[0] or s[1]]
    if not spells:
        return ""
    return "<spells>" + "".join(f"<spell{_spell_text(start, end)}/>" for start, end in spells) + "</spells>"


def _gexf_node(node: str, attrs: dict, types: dict[str, str]) -> str:
    values = _gexf_values(attrs, types)
    for key, spells in (attrs.get("_dynamic") or {}).items():
        values += [f'<attvalue for="dyn_{_xml(key)}" value="{_xml(value)}"{_spell_text(start, end)}/>'
                   for value, start, end in spells]
    colour = colour_of(attrs).lstrip("#")
    rgb = f'r="{int(colour[0:2], 16)}" g="{int(colour[2:4], 16)}" b="{int(colour[4:6], 16)}"'
    body = (f"<attvalues>{''.join(values)}</attvalues>" if values else "") + _gexf_spells(attrs.get("_spells"))
    return f'      <node id="{_xml(node)}" label="{_xml(attrs["label"])}">{body}<viz:color {rgb}/></node>\n'


def _gexf_edge(edge_id: str, source: str, target: str, attrs: dict, types: dict[str, str]) -> str:
    extra = ""
    weight = attrs.get("weight")
    if isinstance(weight, (int, float)) and not isinstance(weight, bool):
        extra += f' weight="{float(weight)!r}"'
    if attrs.get("role") or attrs.get("relation"):
        extra += f' label="{_xml(attrs.get("role") or attrs["relation"])}"'
    values = _gexf_values(attrs, types)
    body = (f"<attvalues>{''.join(values)}</attvalues>" if values else "") + _gexf_spells(attrs.get("_spells"))
    return f'      <edge id="{edge_id}" source="{_xml(source)}" target="{_xml(target)}"{extra}>{body}</edge>\n'


# ------------------------------------------------------------------ Cytoscape.js and CSV


def cytoscape_elements(graph: nx.Graph) -> dict:
    """``{"elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}`` as Cytoscape.js and Cytoscape desktop read it.

    The same document is what ``networkx.cytoscape_graph`` reads: ``directed`` and ``multigraph``
    at the top, each node's ``value`` (its id) and ``name`` (its own name, else its label), each
    edge's ``key`` (the relation that tells two edges between one pair apart).
    """
    nodes = []
    for node, attrs in graph.nodes(data=True):
        data = {**dict(public_items(attrs)), "id": str(node), "label": _node_label(node, attrs), "value": str(node)}
        data.setdefault("name", data["label"])
        nodes.append({"data": data})
    multigraph = graph.is_multigraph()
    edges = []
    for number, (u, v, key, attrs) in enumerate(_edge_quads(graph)):
        data = {**dict(public_items(attrs)), "id": f"e{number}", "source": str(u), "target": str(v)}
        if multigraph:
            data["key"] = str(key)
        edges.append({"data": data})
    return {"data": {"name": f"ofsted-kg {graph.graph.get('view', '')}".strip()},
            "directed": graph.is_directed(), "multigraph": multigraph,
            "elements": {"nodes": nodes, "edges": edges}}


def write_cytoscape(graph: nx.Graph, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(cytoscape_elements(graph), handle, ensure_ascii=False)


def csv_paths(path: Path) -> tuple[Path, Path]:
    """A folder (an existing one, or a name without a suffix) gets nodes.csv and edges.csv; PATH.csv gets PATH_nodes.csv and PATH_edges.csv."""
    if path.is_dir() or not path.suffix:
        path.mkdir(parents=True, exist_ok=True)
        return path / "nodes.csv", path / "edges.csv"
    stem = path.with_suffix("") if path.suffix == ".csv" else path
    return stem.with_name(stem.name + "_nodes.csv"), stem.with_name(stem.name + "_edges.csv")


def write_csv(graph: nx.Graph, path: Path) -> tuple[Path, Path]:
    """A node table (id, label, type, ...) and an edge table (id, source, target, ...), as Gephi's spreadsheet import reads them."""
    nodes_path, edges_path = csv_paths(path)
    node_rows = [{"id": str(n), "label": _node_label(n, a), **{k: v for k, v in public_items(a) if k != "label"}}
                 for n, a in graph.nodes(data=True)]
    edge_rows = [{"id": i, "source": str(u), "target": str(v), **dict(public_items(a))} for i, u, v, a in _edge_list(graph)]
    for rows, target, first in ((node_rows, nodes_path, ["id", "label", "type"]), (edge_rows, edges_path, ["id", "source", "target"])):
        columns = list(first)
        for row in rows:
            columns += [k for k in row if k not in columns]
        with open(target, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in row.items()})
    return nodes_path, edges_path


WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "cytoscape": write_cytoscape, "csv": write_csv}


def write_network(graph: nx.Graph, fmt: str, path: Path):
    """Write a view in one of NETWORK_FORMATS."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown network format {fmt!r}: choose one of {', '.join(NETWORK_FORMATS)}")
    return WRITERS[fmt](graph, Path(path))


# ------------------------------------------------------------------ RDF


def write_rdf(store, fmt: str, path: Path) -> None:
    """Dump the store: trig and nquads keep the named graphs; turtle and jsonld write the union graph."""
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}: choose one of {', '.join(RDF_FORMATS)}")
    from ..vocab import PREFIXES

    oxstore = store.store
    if fmt in ("trig", "nquads"):
        options = {"prefixes": PREFIXES} if fmt == "trig" else {}
        oxstore.dump(str(path), format=RDF_FORMATS[fmt], **options)
        return
    # the union of the named graphs, each triple once
    triples = oxstore.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                            use_default_graph_as_union=True)
    if fmt == "turtle":
        ox.serialize(triples, str(path), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return
    try:
        ox.serialize(triples, str(path), format=ox.RdfFormat.JSON_LD)
    except (ValueError, OSError, NotImplementedError):
        _jsonld_with_rdflib(oxstore, path)


def _jsonld_with_rdflib(oxstore, path: Path) -> None:
    import rdflib

    graph = rdflib.Graph()
    data = oxstore.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    graph.parse(data=ox.serialize(data, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    graph.serialize(str(path), format="json-ld")
