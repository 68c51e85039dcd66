"""Reader for la_lookup.csv: Ofsted LA URN -> ONS code, DfE code, names, region, statistical neighbours."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from .text import decode_bytes


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\[\]]", cell or "") if part.strip()]


def read(path: str | Path) -> list[dict]:
    """One record per local authority: ``urn``, ``ons_code``, ``la_code``, ``name``, ``names`` (every
    spelling the file gives), ``region``, ``region_code``, ``la_type``, ``population_0_25``, ``neighbours``
    (ONS codes of the statistical neighbours, in order)."""
    text = decode_bytes(Path(path).read_bytes())
    authorities = []
    for row in csv.DictReader(text.splitlines()):
        if not (row.get("urn") or "").strip() or not (row.get("la_code_new") or "").strip():
            continue
        names = [row.get("local_authority_ons_name", ""), row.get("utla23nm", ""), row.get("ltla23nm", "")]
        names += _split(row.get("also_known_as", ""))
        population = (row.get("ons_population_0-25") or "").strip()
        authorities.append({
            "urn": row["urn"].strip(),
            "ons_code": row["la_code_new"].strip(),
            "la_code": (row.get("la_code") or "").strip() or None,
            "name": row["local_authority_ons_name"].strip(),
            "names": sorted({n.strip() for n in names if n and n.strip()}),
            "region": (row.get("region_name") or row.get("rgn22nm") or "").strip() or None,
            "region_code": (row.get("rgn22cd") or "").strip() or None,
            "la_type": (row.get("ons_la_type") or "").strip() or None,
            "population_0_25": int(population) if population.isdigit() else None,
            "neighbours": _split(row.get("stat_neighbours_la_code", "")),
        })
    return authorities


def is_la_lookup(path: str | Path) -> bool:
    """True when a CSV's header is la_lookup.csv's."""
    with open(path, "rb") as handle:
        head = decode_bytes(handle.read(400))
    return head.startswith("urn,la_code,la_code_new")
