"""The research panel: one row per provider per statistics release, as R, Stata and arrow read it.

Each row is a provider as one release printed it (type, sector, council, region, owner, places,
registration status), with the latest full inspection that had started by the release date (its
date, event number and overall grade) and, where that inspection's report was read, the
requirements and recommendations it made. :data:`FIELDS` is the data dictionary: the CSV's
``datapackage.json`` (Frictionless Table Schema) and docs/panel.md are written from it.

The facts are read through SPARQL (the ``panel-*.rq`` files beside this module) and joined here.
Each query is one triple pattern over a list of predicates, turned into columns in Python: on the
full corpus an OPTIONAL per column cost Oxigraph 90 s of CPU for the snapshots alone (and a
GROUP BY with the labels joined in over 500 s on a busy machine), the single pattern 11 s. The
"as at the release" step (the latest inspection on or before each release date) is a sorted
search per provider rather than a SPARQL sub-select for the same reason.
"""
from __future__ import annotations

import bisect
import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .views import sparql_file

OK = "https://w3id.org/ofsted-kg/ontology#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class Field:
    name: str
    type: str           # a Frictionless Table Schema type: string, integer, date
    description: str


FIELDS = (
    Field("urn", "string", "Ofsted's unique reference number of the provider (SC066400, or digits only such as "
          "1253501: read it as text, never as a number)."),
    Field("release_date", "date", "The date the statistics release describes (31 March each year; 30 September "
          "in 2014)."),
    Field("name", "string", "The provider's name as the release printed it; empty where Ofsted withheld it "
          "(children's homes print REDACTED)."),
    Field("provision_type", "string", "The kind of provision, as a token (childrens-home, "
          "independent-fostering-agency, ...)."),
    Field("sector", "string", "The sector as a token (private, local-authority, voluntary, health-authority)."),
    Field("local_authority", "string", "The council area the release placed the provider in, as printed."),
    Field("la_code", "string", "The ONS code of that council area (E06000014 ...), where the name was matched "
          "to one."),
    Field("region", "string", "The government office region the release gave."),
    Field("owner", "string", "The organisation the release said owned the provider, by its preferred name in "
          "the graph; empty where the release names none."),
    Field("owner_id", "string", "The owner's identifier in the graph (an IRI), the same in every release whatever "
          "the spelling printed: follow an owner over time by this."),
    Field("places", "integer", "Registered places at the release; empty where the release gives none (agencies "
          "have none)."),
    Field("registration_status", "string", "The registration status the release printed (Active, Suspended, "
          "...)."),
    Field("registration_date", "date", "The date the provider was registered, where the release gives it."),
    Field("latest_full_inspection_date", "date", "The start of the latest full inspection that had started on "
          "or before the release date, from any source in the graph; empty if none is known."),
    Field("latest_full_inspection_event", "string", "That inspection's event number."),
    Field("latest_full_grade", "string", "That inspection's overall grade as a token (outstanding, good, "
          "requires_improvement, inadequate; adequate and others under older frameworks)."),
    Field("requirements", "integer", "Requirements that inspection's report made; empty where the report was "
          "not read (the statistics do not count them)."),
    Field("recommendations", "integer", "Recommendations that inspection's report made; empty where the report "
          "was not read."),
)
COLUMNS = tuple(f.name for f in FIELDS)
PRIMARY_KEY = ("urn", "release_date")

_SNAPSHOT_COLUMNS = {
    OK + "snapshotOf": "provider", OK + "snapshotDate": "release_date", SCHEMA + "name": "name",
    OK + "provisionType": "provision_type", OK + "sector": "sector", OK + "localAuthorityName": "local_authority",
    OK + "localAuthority": "la_code", OK + "region": "region", OK + "ownedBy": "owner", OK + "places": "places",
    OK + "registrationStatus": "registration_status", OK + "registrationDate": "registration_date",
}
# columns whose value is an IRI, printed by another node's fact
_NAMED_BY = {"provider": OK + "urn", "provision_type": SKOS + "notation", "sector": SKOS + "notation",
             "la_code": OK + "onsCode", "owner": SKOS + "prefLabel"}


def _pivot(store, name: str) -> dict[str, dict[str, list]]:
    """Subject -> predicate -> its distinct values from a ``?s ?p ?o`` query, smallest (as text) first.

    A column takes the first value, so a provider listed twice in one release gives the same row on
    every run; a predicate with many values (one agency inspection covers several URNs) keeps them all.
    """
    found: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for subject, predicate, value in store.query(sparql_file(name)).rows:
        found[subject][predicate].add(value)
    return {subject: {p: sorted(v, key=str) for p, v in held.items()} for subject, held in found.items()}


def _names(store) -> dict[str, dict[str, str]]:
    """Predicate -> node -> the value printed for it (the smallest where a node has several)."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for node, predicate, value in store.query(sparql_file("panel-names")).rows:
        table = found[predicate]
        value = str(value)
        if node not in table or value < table[node]:
            table[node] = value
    return found


@dataclass
class _Inspection:
    start: str
    event: str | None
    grade: str | None
    iri: str


def _full_inspections(store, names: dict[str, dict[str, str]]) -> dict[str, list[_Inspection]]:
    """Provider IRI -> its full inspections, oldest first."""
    notation = names[SKOS + "notation"]
    by_provider: dict[str, list[_Inspection]] = defaultdict(list)
    for iri, facts in _pivot(store, "panel-inspections").items():
        start, grade, event = (facts.get(OK + p, [None])[0] for p in ("startDate", "overallGrade", "eventNumber"))
        if not start or "full" not in {notation.get(str(t)) for t in facts.get(OK + "inspectionType", [])}:
            continue
        inspection = _Inspection(str(start), str(event) if event is not None else None,
                                 notation.get(str(grade)) if grade else None, iri)
        for provider in facts.get(OK + "inspected", []):
            by_provider[str(provider)].append(inspection)
    for items in by_provider.values():
        items.sort(key=lambda i: (i.start, i.event or "", i.iri))
    return by_provider


def full_inspections_by_urn(store) -> dict[str, list[_Inspection]]:
    """URN -> the provider's full inspections, oldest first (start, event number, overall grade)."""
    names = _names(store)
    urns = names[OK + "urn"]
    return {urns.get(p) or p.rsplit("/", 1)[-1]: items for p, items in _full_inspections(store, names).items()}


def panel_rows(store) -> list[dict[str, object]]:
    """The panel's rows, sorted by URN and release date; missing values are None."""
    names = _names(store)
    inspections = _full_inspections(store, names)
    findings = {inspection: (requirements, recommendations)
                for inspection, requirements, recommendations in store.query(sparql_file("panel-findings")).rows}
    rows = []
    for facts in _pivot(store, "panel-snapshots").values():
        row: dict[str, object] = {column: None for column in COLUMNS}
        provider = None
        for predicate, values in facts.items():
            column, value = _SNAPSHOT_COLUMNS[predicate], values[0]
            if column == "provider":
                provider = str(value)
                row["urn"] = names[_NAMED_BY["provider"]].get(provider) or provider.rsplit("/", 1)[-1]
            elif column in _NAMED_BY:
                row[column] = names[_NAMED_BY[column]].get(str(value))
                if column == "owner":
                    row["owner_id"] = str(value)
            else:
                row[column] = value
        if provider is None or row["release_date"] is None:
            continue
        if row["name"] is not None and str(row["name"]).upper() == "REDACTED":
            row["name"] = None
        release = str(row["release_date"])
        known = inspections.get(provider, [])
        at = bisect.bisect_right([i.start for i in known], release)
        if at:
            latest = known[at - 1]
            row["latest_full_inspection_date"] = latest.start
            row["latest_full_inspection_event"] = latest.event
            row["latest_full_grade"] = latest.grade
            if latest.iri in findings:
                row["requirements"], row["recommendations"] = findings[latest.iri]
        rows.append({k: (str(v) if isinstance(v, str) else v) for k, v in row.items()})
    rows.sort(key=lambda r: (str(r["urn"]), str(r["release_date"])))
    return rows


# ------------------------------------------------------------------ writing


def write_panel(store, fmt: str, path: Path) -> tuple[Path, int]:
    """Write the panel as ``fmt`` (csv or parquet) to ``path`` and its datapackage.json beside it; returns
    (the datapackage path, rows written)."""
    if fmt not in FORMATS:
        raise ValueError(f"the panel is written as {' or '.join(FORMATS)}, not {fmt!r}")
    path = Path(path)
    rows = panel_rows(store)
    if fmt == "csv":
        _write_csv(rows, path)
    else:
        _write_parquet(rows, path)
    package = path.with_name("datapackage.json")
    package.write_text(json.dumps(datapackage(path.name, fmt, len(rows)), indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    return package, len(rows)


def _write_csv(rows: list[dict], path: Path) -> None:
    # UTF-8 without a byte-order mark, comma-separated, every empty value an empty field
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})


def _write_parquet(rows: list[dict], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ValueError("writing Parquet needs pyarrow: pip install 'ofsted-kg[parquet]'") from None
    import datetime as dt

    kinds = {"string": pa.string(), "integer": pa.int64(), "date": pa.date32()}
    schema = pa.schema([pa.field(f.name, kinds[f.type], metadata={"description": f.description}) for f in FIELDS])

    def value(field: Field, raw):
        if raw is None:
            return None
        return dt.date.fromisoformat(str(raw)[:10]) if field.type == "date" else raw

    columns = [[value(f, row[f.name]) for row in rows] for f in FIELDS]
    pq.write_table(pa.table(columns, schema=schema), path)


def datapackage(resource_path: str, fmt: str, rows: int) -> dict:
    """A Frictionless Data Package descriptor of the panel file."""
    resource = {
        "name": "panel", "path": resource_path, "profile": "tabular-data-resource", "format": fmt,
        "title": "Children's social care providers, one row per provider per Ofsted statistics release",
        "description": f"{rows:,} rows. Built by `ofsted-kg export --view panel` from the knowledge graph of "
                       "Ofsted's published statistics and reports.",
        "schema": {"fields": [{"name": f.name, "type": f.type, "description": f.description} for f in FIELDS],
                   "primaryKey": list(PRIMARY_KEY), "missingValues": [""]},
    }
    if fmt == "csv":
        resource.update(mediatype="text/csv", encoding="utf-8",
                        dialect={"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n"})
    else:
        resource["mediatype"] = "application/vnd.apache.parquet"
    return {"name": "ofsted-kg-panel", "profile": "tabular-data-package", "resources": [resource]}


def dictionary_markdown() -> str:
    """docs/panel.md: the data dictionary and how R, Stata and arrow read the files."""
    lines = [
        "# The research panel", "",
        "Generated from `ofsted_kg.networks.panel.FIELDS` by `ofsted-kg docs`; do not edit by hand.", "",
        "`ofsted-kg export --view panel --format csv --out panel.csv` (or `--format parquet --out panel.parquet`,",
        "which needs pyarrow: `pip install 'ofsted-kg[parquet]'`) writes one row per provider per statistics",
        "release, and a Frictionless `datapackage.json` beside it with the same dictionary. The key is",
        "(`urn`, `release_date`). Empty fields are missing values. Inspections count as at a release when they",
        "had started by its date, whichever file of the graph they came from, so a grade published after the",
        "release can appear in it; requirements and recommendations are known only where the inspection's",
        "report was read.", "",
        "| column | type | meaning |", "|---|---|---|",
    ]
    lines += [f"| `{f.name}` | {f.type} | {f.description} |" for f in FIELDS]
    lines += [
        "", "Reading it:", "",
        "```r",
        "panel <- read.csv(\"panel.csv\", colClasses = c(urn = \"character\", latest_full_inspection_event = \"character\"),",
        "                  na.strings = \"\", encoding = \"UTF-8\")",
        "panel$release_date <- as.Date(panel$release_date)",
        "panel <- arrow::read_parquet(\"panel.parquet\")   # types kept: dates as Date, places as integer",
        "```", "",
        "```stata",
        "import delimited using panel.csv, varnames(1) stringcols(1 15) encoding(utf-8) clear",
        "generate release = date(release_date, \"YMD\")",
        "```", "",
        "```python",
        "import pandas as pd",
        "panel = pd.read_parquet(\"panel.parquet\")",
        "```", "",
    ]
    return "\n".join(lines)
