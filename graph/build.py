"""Build the graph: source files -> records -> quads -> a new on-disk store, published atomically.

A build never touches the published store until it is complete: it writes a new version folder
and swaps the store link in one step (graph.store.publish). A file that cannot be read is
skipped with a reason and the build goes on; two builds of one store at once are refused.
"""
from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from graph import iri
from graph.councils import CouncilIndex, map_lookup
from graph.map_stats import ProviderLedger, map_stats_file, reading_order
from graph.namespaces import DCT, OK, RDF
from graph.rdf import Quads, integer, ontology_quads, string
from graph.store import build_lock, new_version_dir, publish, write_quads
from ingest import la_lookup
from ingest.paths import display_path
from ingest.text import SUPPORTED_SUFFIXES, sha256_of

STATS_SUFFIXES = {".csv", ".ods"}
# folders whose documents are legislation and guidance, catalogued in ontology/regulations.ttl, not reports
REFERENCE_FOLDERS = {"regulations"}


@dataclass
class BuildSummary:
    """What a build read, made and skipped."""

    files: int = 0
    rows: int = 0
    records: int = 0
    triples: int = 0
    documents: dict[str, int] = field(default_factory=dict)
    rejects: list[tuple[str, str]] = field(default_factory=list)   # (file, reason) for rows
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (file, reason) for whole files
    seconds: float = 0.0
    store: str = ""

    @property
    def ok(self) -> bool:
        return not self.skipped


@dataclass
class SourceFile:
    path: Path
    role: str          # stats | la_lookup | document | skip
    reason: str = ""


def classify(path: Path) -> SourceFile:
    """What a source file is for the build."""
    suffix = path.suffix.lower()
    if path.name.startswith("_thirdparty"):
        return SourceFile(path, "skip", "third-party parse of the LA reports: used only as a cross-check in tests")
    if any(part in REFERENCE_FOLDERS for part in path.parts[:-1]):
        return SourceFile(path, "skip", "legislation or guidance text: catalogued in ontology/regulations.ttl, not a report")
    if suffix == ".csv" and la_lookup.is_la_lookup(path):
        return SourceFile(path, "la_lookup")
    if suffix in STATS_SUFFIXES:
        return SourceFile(path, "stats")
    if suffix in SUPPORTED_SUFFIXES:
        return SourceFile(path, "document")
    return SourceFile(path, "skip", f"unsupported file type {suffix or '(none)'}")


def collect_sources(sources: Iterable[str | Path]) -> list[SourceFile]:
    """Every file under the given files and folders, classified; symlink loops and duplicates ignored."""
    found: list[SourceFile] = []
    seen: set[Path] = set()
    for source in sources:
        source = Path(source)
        if not source.exists():
            found.append(SourceFile(source, "skip", "no such file or folder"))
            continue
        walk = [source] if source.is_file() else sorted(p for p in _walk(source) if p.is_file())
        for path in walk:
            real = path.resolve()
            if real in seen or path.name.startswith("."):
                continue
            seen.add(real)
            found.append(classify(path))
    return found


def _walk(folder: Path) -> Iterable[Path]:
    visited: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = Path(root).resolve()
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        for name in files:
            yield Path(root) / name


def document_quads(graph: ox.NamedNode, path: Path, sha: str, kind: str, **counts) -> list[ox.Quad]:
    """The source document's own description, in its graph."""
    quads = Quads(graph)
    quads.add(graph, RDF.type, OK.SourceDocument)
    quads.add(graph, OK.path, string(display_path(path)))
    quads.add(graph, DCT.title, string(path.name))
    quads.add(graph, OK.sha256, string(sha))
    quads.add(graph, OK.documentKind, string(kind))
    quads.add(graph, OK.pages, integer(counts.get("pages")))
    quads.add(graph, OK.rowsRead, integer(counts.get("rows_read")))
    quads.add(graph, OK.rowsRejected, integer(counts.get("rows_rejected")))
    return quads.items


def _extract(path: Path) -> dict:
    from ingest.extract import extract

    return extract(path)


def extract_documents(paths: list[Path], workers: int | None = None) -> Iterable[dict]:
    """Extraction records for ``paths`` in order, read on several cores."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1 or len(paths) < 4:
        yield from (_extract(p) for p in paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_extract, paths, chunksize=4)


def build(sources: Iterable[str | Path], store_dir: str | Path,
          progress: Callable[[str, int, int], None] | None = None) -> BuildSummary:
    """Build a new store at ``store_dir`` from ``sources`` (files or folders) and publish it atomically."""
    from ingest import stats

    started = time.perf_counter()
    target = Path(store_dir)
    summary = BuildSummary(store=str(target))
    files = collect_sources(sources)
    summary.files = len(files)
    for source in files:
        if source.role == "skip":
            summary.skipped.append((str(source.path), source.reason))
    note = progress or (lambda *_: None)
    with build_lock(target):
        version = new_version_dir(target)
        try:
            store = ox.Store(str(version))
            summary.triples += write_quads(store, ontology_quads())
            authorities: list[dict] = []
            for source in (f for f in files if f.role == "la_lookup"):
                sha = sha256_of(source.path)
                graph = iri.document(sha)
                authorities += la_lookup.read(source.path)
                quads = map_lookup(authorities, graph) + document_quads(graph, source.path, sha, "la_lookup", rows_read=len(authorities))
                summary.triples += write_quads(store, quads)
                summary.documents["la_lookup"] = summary.documents.get("la_lookup", 0) + 1
            councils = CouncilIndex(authorities)
            ledger = ProviderLedger()
            stats_files = sorted((f for f in files if f.role == "stats"), key=lambda f: reading_order(f.path))
            for number, source in enumerate(stats_files, start=1):
                note(f"statistics {source.path.name}", number, len(stats_files))
                result = stats.read(source.path)
                if result.errors or result.kind == "skipped":
                    reason = "; ".join(result.errors) or getattr(result, "skip_reason", None) or "skipped"
                    summary.skipped.append((str(source.path), reason))
                    continue
                sha = sha256_of(source.path)
                graph = iri.document(sha)
                quads = map_stats_file(result, graph, councils, ledger)
                quads += document_quads(graph, source.path, sha, f"statistics:{result.kind}",
                                        rows_read=result.rows_read, rows_rejected=len(result.rejects))
                summary.triples += write_quads(store, quads)
                summary.rows += result.rows_read
                summary.records += len(result.records)
                summary.rejects += [(str(source.path), f"row {r['row']}: {r['reason']}") for r in result.rejects]
                summary.documents["statistics"] = summary.documents.get("statistics", 0) + 1
            summary.triples += write_quads(store, ledger.derived_quads(councils))
            documents = [f for f in files if f.role == "document"]
            mapped = _map_documents(store, documents, councils, summary, note)
            summary.triples += mapped
            store.flush()
            del store
            publish(target, version)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise
    summary.seconds = time.perf_counter() - started
    return summary


def _map_documents(store: ox.Store, documents: list[SourceFile], councils: CouncilIndex,
                   summary: BuildSummary, note) -> int:
    """Extract every report and article and add its graph; returns the number of quads written."""
    from graph.map_documents import DocumentLinker

    linker = DocumentLinker(store, councils)
    written = 0
    readable: list[tuple[SourceFile, dict]] = []
    for number, (source, record) in enumerate(zip(documents, extract_documents([d.path for d in documents])), start=1):
        note(f"document {source.path.name}", number, len(documents))
        unusable = record["source"]["kind"] == "unknown" or not record["source"]["sha256"] or not _has_content(record)
        if record["errors"] and unusable:
            summary.skipped.append((str(source.path), "; ".join(record["errors"])))
        else:
            readable.append((source, record))
    # reports before articles: an article's subjects and people are resolved against what reports added
    readable.sort(key=lambda item: item[1]["source"]["kind"] == "news")
    for source, record in readable:
        graph = iri.document(record["source"]["sha256"])
        quads = linker.map(record, graph)
        quads += document_quads(graph, source.path, record["source"]["sha256"], record["source"]["kind"],
                                pages=record["source"].get("pages"))
        written += write_quads(store, quads)
        kind = record["source"]["kind"]
        summary.documents[kind] = summary.documents.get(kind, 0) + 1
        summary.records += 1
    written += write_quads(store, linker.derived_quads())
    return written


def _has_content(record: dict) -> bool:
    return bool(record.get("provider") or record.get("local_authority") or record.get("claims"))
