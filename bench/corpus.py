"""Growth corpora: the statistics CSVs replicated N times, each copy with its own URNs and event numbers."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ofsted_kg.ingest.stats import HEADER_SEARCH_ROWS, decode

_DIGITS = re.compile(r"\d+")
_SC_URN = re.compile(r"SC(\d+)", re.IGNORECASE)
_NUMERIC_URN = re.compile(r"\d{6,7}")


def fresh_urn(value: str, copy: int) -> str:
    """The URN of a provider in copy ``copy``: SC066400 -> SC3066400; 1027076 -> 31027076 (copy 3)."""
    value = value.strip()
    if _SC_URN.fullmatch(value):
        return f"SC{copy}{_SC_URN.fullmatch(value).group(1)}"
    if _NUMERIC_URN.fullmatch(value):
        return str(int(value) + copy * 10_000_000)
    return value


def fresh_event(value: str, copy: int) -> str:
    value = value.strip()
    return str(int(value) + copy * 100_000_000) if _DIGITS.fullmatch(value) else value


def _header_index(rows: list[list[str]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(re.fullmatch(r"(provider )?urn", " ".join(cell.lower().split())) for cell in row):
            return index
    return None


def replicate_file(source: Path, target: Path, copy: int) -> None:
    """Write ``source`` to ``target`` with every URN and event-number cell made distinct for ``copy``."""
    text, encoding = decode(source.read_bytes())
    rows = list(csv.reader(io.StringIO(text)))
    header = _header_index(rows)
    if copy and header is not None:
        names = [" ".join(cell.lower().split()) for cell in rows[header]]
        urn_columns = [i for i, n in enumerate(names) if re.search(r"\burn\b", n) and "linked" not in n]
        event_columns = [i for i, n in enumerate(names) if "event number" in n or "inspection id" in n]
        for row in rows[header + 1:]:
            for i in urn_columns:
                if i < len(row):
                    row[i] = fresh_urn(row[i], copy)
            for i in event_columns:
                if i < len(row):
                    row[i] = fresh_event(row[i], copy)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buffer.getvalue(), encoding="utf-8")


def replicate_statistics(stats_folder: Path, la_lookup: Path, target: Path, copies: int) -> list[Path]:
    """``copies`` copies of every statistics CSV under ``target/copy{n}/`` plus the LA lookup; the sources to build."""
    target.mkdir(parents=True, exist_ok=True)
    (target / la_lookup.name).write_bytes(la_lookup.read_bytes())
    for copy in range(copies):
        for source in sorted(stats_folder.glob("*.csv")):
            replicate_file(source, target / f"copy{copy}" / source.name, copy)
    return [target]
