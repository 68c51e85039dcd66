"""Build the graph: source files -> records -> quads -> a new on-disk store, published atomically.

A build never touches the published store until it is complete: it writes a new version folder
and swaps the store link in one step (ofsted_kg.store.publish). A file that cannot be read is
skipped with a reason and the build goes on; two builds of one store at once are refused.

Builds are incremental: the store's registry (graph.registry) lists every source file by content
hash with its parsed records. A build over an existing store copies it (``Store.backup``, hard
links), drops the graphs of deleted files, writes the graphs of new and changed files, recomputes
the derived graph from the cached records, and publishes the copy. An unchanged corpus is
reported "up to date" and nothing is written. ``rebuild=True`` ignores the registry.
"""
from __future__ import annotations

import contextlib
import copy
import csv
import errno
import functools
import hashlib
import multiprocessing
import multiprocessing.pool
import os
import pickle
import shutil
import signal
import stat
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from . import vocab
from .ingest import la_lookup
from .ingest.fetch import MANIFEST, source_urls
from .ingest.text import SUPPORTED_SUFFIXES, sha256_of, unreadable, walk_files
from .linking.news import RecordIndex
from .linking.names import OwnerMerge, read_owner_aliases
from .mapping.councils import CouncilIndex, map_lookup
from .mapping.documents import index_ledger, index_statistics
from .mapping.stats import ProviderLedger, map_stats_file, reading_order
from .paths import display_path
from .rdf import QuadLines, Quads, integer, nquad_lines, ontology_quads, string
from .registry import FOLDER, Entry, RecordCache, Registry, code_version, load_lines, records_folder, save_lines
from .store import BackgroundLoader, build_lock, current_version, new_version_dir, publish, remove_stale_versions
from .store.lifetime import die_with_parent
from .summaries import replace_summaries
from .vocab import DCT, DERIVED_GRAPH, OK, RDF

STATS_SUFFIXES = {".csv", ".ods"}
# folders whose documents are legislation and guidance, catalogued in ontology/regulations.ttl, not reports
REFERENCE_FOLDERS = {"regulations"}
# the longest report or article text in the corpus is under 200 kB: a text file far larger is not one,
# and reading it whole would cost memory for nothing
MAX_TEXT_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".html", ".htm"}
STATS_DERIVED = "derived-statistics.nq"
# what the statistics tell the document linker (names, inspections), kept for builds that do not re-read them
STATS_INDEX = "statistics-index.pickle"
# each owner spelling joined to an organisation and why (linking.names.OwnerMerge), for review
OWNER_MERGES = "owner-merges.csv"
DOCUMENTS_DERIVED = "derived-documents.nq"
# per document: what DocumentLinker.note reads of it and what its mapping added to the derived graph,
# so that an incremental build need not read every unchanged document's record (build._documents)
LINKING = "documents-linking.pickle"
# documents' quads are loaded in batches of about this many (see _documents)
DOCUMENT_BATCH = 100_000
# the counts graph (summaries.py) as the version holds it
SUMMARIES = "summaries.nq"
# an incremental build that wrote more quads than this compacts the store before publishing it
COMPACT_AFTER = 250_000


@dataclass
class BuildSummary:
    """What a build read, made and skipped.

    ``skipped`` names every file that added nothing, with its reason; ``failed`` is the part of it
    that could not be read (a skip by design, such as the ODS workbook, is not a failure), and
    ``document_errors`` the problems met in documents that were still read.
    """

    files: int = 0
    rows: int = 0
    records: int = 0
    triples: int = 0
    summarised: int = 0    # of ``triples``: the counts graph's quads added or removed (summaries.py)
    documents: dict[str, int] = field(default_factory=dict)
    rejects: list[tuple[str, str]] = field(default_factory=list)   # (file, reason) for rows
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (file, reason) for whole files
    failed: list[tuple[str, str]] = field(default_factory=list)    # (file, reason): skipped, not by design
    document_errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    store: str = ""
    mode: str = "full"     # full | incremental | up to date
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file was read (skips by design aside) and no document had errors."""
        return not self.failed and not self.document_errors


@dataclass
class SourceFile:
    path: Path
    role: str          # stats | la_lookup | document | skip
    reason: str = ""
    by_design: bool = True   # for a skip: the build leaves such files out on purpose
    info: os.stat_result | None = None   # as collect_sources found it (one stat per file for the build)


def classify(path: Path, info: os.stat_result | None = None) -> SourceFile:
    """What a source file is for the build (``info``: its stat, when already read)."""
    source = _classify(path, info)
    source.info = info
    return source


def _classify(path: Path, info: os.stat_result | None) -> SourceFile:
    suffix = path.suffix.lower()
    if path.name == MANIFEST:
        return SourceFile(path, "skip", "fetch manifest: read for the source URL of each file it lists")
    if path.name.startswith("_thirdparty"):
        return SourceFile(path, "skip", "third-party parse of the LA reports: used only as a cross-check in tests")
    if any(part in REFERENCE_FOLDERS for part in path.parts[:-1]):
        return SourceFile(path, "skip", "legislation or guidance text: catalogued in ontology/regulations.ttl, not a report")
    if suffix == ".csv" and la_lookup.is_la_lookup(path):
        return SourceFile(path, "la_lookup")
    if suffix in STATS_SUFFIXES:
        return SourceFile(path, "stats")
    size = info.st_size if info else _size(path)
    if suffix in TEXT_SUFFIXES and size > MAX_TEXT_BYTES:
        return SourceFile(path, "skip", f"text file of {size / 2**20:.0f} MB: far larger than any report or "
                          f"article (limit {MAX_TEXT_BYTES // 2**20} MB), not read", by_design=False)
    if suffix in SUPPORTED_SUFFIXES:
        return SourceFile(path, "document")
    return SourceFile(path, "skip", f"unsupported file type {suffix or '(none)'}")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def collect_sources(sources: Iterable[str | Path]) -> list[SourceFile]:
    """Every file under the given files and folders, classified; what cannot be read (a folder, a
    pipe, a broken link) named as a failure, symbolic link loops named and left out, duplicates dropped."""
    found: list[SourceFile] = []
    seen: set[str] = set()

    def unread(path: Path, reason: str) -> None:
        found.append(SourceFile(path, "skip", reason, by_design=False))

    def loop(path: Path) -> None:
        found.append(SourceFile(path, "skip", "symbolic link loop: a folder already visited, not read twice"))

    for source in sources:
        source = Path(source)
        try:
            os.stat(source)
        except OSError as exc:
            unread(source, "no such file or folder" if exc.errno == errno.ENOENT and not source.is_symlink()
                   else unreadable(source, exc))
            continue
        walk = [source] if not source.is_dir() else sorted(walk_files(source, unread, loop))
        for path in walk:
            real = resolved(path)
            if real in seen or (path.name.startswith(".") and path != source):
                continue
            seen.add(real)
            try:
                info = os.stat(path)
                if not stat.S_ISREG(info.st_mode):
                    unread(path, "not a regular file (a pipe, socket or device), not read")
                    continue
                found.append(classify(path, info))   # which may look at the first bytes
            except OSError as exc:
                unread(path, unreadable(path, exc))
    return found


@functools.lru_cache(maxsize=4096)
def _resolved_folder(folder: str) -> str:
    return os.path.realpath(folder)


def resolved(path: Path) -> str:
    """``os.path.realpath(path)``, resolving each folder once: tens of thousands of reports sit in a
    few folders, and resolving every path afresh took seconds of an incremental build."""
    if os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_resolved_folder(os.path.dirname(os.path.abspath(path))), os.path.basename(path))


def document_quads(graph: ox.NamedNode, path: Path, sha: str, kind: str, source: str = "", **counts) -> list[ox.Quad]:
    """The source document's own description, in its graph; ``source`` is the URL it was downloaded from, if known."""
    quads = Quads(graph)
    quads.add(graph, RDF.type, OK.SourceDocument)
    quads.add(graph, OK.path, string(display_path(path)))
    quads.add(graph, DCT.title, string(path.name))
    quads.add(graph, OK.sha256, string(sha))
    quads.add(graph, OK.documentKind, string(kind))
    quads.add(graph, OK.pages, integer(counts.get("pages")))
    quads.add(graph, OK.rowsRead, integer(counts.get("rows_read")))
    quads.add(graph, OK.rowsRejected, integer(counts.get("rows_rejected")))
    quads.add(graph, DCT.source, ox.NamedNode(source) if source else None)
    return quads.items


def fetched_sources(sources: Iterable[str | Path], files: list[SourceFile]) -> dict[Path, str]:
    """Resolved path -> source URL for the files that a fetch manifest (ofsted_kg.ingest.fetch) lists.

    Manifests are looked for among the files and in the folders above each source, so building
    OUT/reports alone still finds OUT/fetch-manifest.jsonl.
    """
    manifests = {Path(os.path.realpath(f.path)) for f in files if f.path.name == MANIFEST and f.by_design}
    for source in sources:
        for folder in Path(os.path.realpath(source)).parents:
            if (folder / MANIFEST).is_file():
                manifests.add(folder / MANIFEST)
    return {path: entry.final_url or entry.url for path, entry in source_urls(sorted(manifests)).items()}


def _extract(path: Path) -> dict:
    from .ingest.extract import extract

    return extract(path)


def _worker_started() -> None:
    # the build decides about Ctrl-C (it stops the pool); a worker dies with the build, however the build ends
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """Worker processes started fresh (spawn), not forked from the build: a forked worker would inherit
    the build lock's descriptor. They are the build's own children, so they end with it (see
    ofsted_kg.store.lifetime); on any error or interrupt they are stopped at once, not waited for."""
    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_started)
    try:
        yield pool
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def extract_documents(paths: list[Path], workers: int | None = None) -> Iterable[dict]:
    """Extraction records for ``paths`` in order, read on several cores."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1 or len(paths) < 4:
        yield from (_extract(p) for p in paths)
        return
    with worker_pool(workers) as pool:
        yield from pool.imap(_extract, paths, chunksize=4)


def read_statistics(path: Path) -> bytes:
    """A statistics file read and pickled, in the worker that reads ahead: the build unpickles it once
    and caches these same bytes, rather than pickling the records a second time to cache them."""
    from .ingest import stats

    return pickle.dumps(stats.read(path), protocol=pickle.HIGHEST_PROTOCOL)


def read_ahead(read: Callable, paths: list[Path], ahead: int = 2) -> Iterator:
    """``read(path)`` for each path in order, computed in another process up to ``ahead`` files in
    advance, so that parsing the next files overlaps mapping and writing this one."""
    if len(paths) < 2 or (os.cpu_count() or 1) < 2:
        yield from map(read, paths)
        return
    with worker_pool(1) as pool:
        pending = deque(pool.apply_async(read, (path,)) for path in paths[:ahead])
        for path in paths[ahead:] + [None] * ahead:
            result = pending.popleft().get()
            if path is not None:
                pending.append(pool.apply_async(read, (path,)))
            yield result


def build(sources: Iterable[str | Path], store_dir: str | Path,
          progress: Callable[[str, int, int], None] | None = None, rebuild: bool = False,
          owner_aliases: str | Path | None = None) -> BuildSummary:
    """Build the store at ``store_dir`` from ``sources`` (files or folders) and publish it atomically.

    Over an existing store only what changed is redone (see the module docstring); ``rebuild``
    builds everything from the files. ``owner_aliases`` is a CSV of owner spellings and the
    organisation each names (linking.names.read_owner_aliases), overriding the automatic merges.
    """
    started = time.perf_counter()
    _resolved_folder.cache_clear()   # links may have changed since an earlier build in this process
    target = Path(store_dir)
    summary = BuildSummary(store=str(target))
    job = None
    try:
        with _terminate_as_interrupt():
            files = collect_sources(sources)
            if owner_aliases:
                path = Path(owner_aliases)
                files.append(SourceFile(path, "owner_aliases") if path.is_file()
                             else SourceFile(path, "skip", "owner alias file not found", by_design=False))
            summary.files = len(files)
            with build_lock(target):
                # versions left by a build that was killed: nobody reads them, the lock says nobody writes them
                remove_stale_versions(target)
                current = current_version(target)
                previous = None if rebuild or current is None else Registry.load(current)
                job = _Build(files, target, current, previous, summary, progress or (lambda *_: None))
                job.origins = fetched_sources(sources, files)
                job.run()
    except KeyboardInterrupt as exc:
        published = job is not None and job.published
        raise BuildInterrupted(getattr(exc, "signal", signal.SIGINT), published) from None
    summary.seconds = time.perf_counter() - started
    return summary


class BuildInterrupted(KeyboardInterrupt):
    """A build stopped by Ctrl-C (SIGINT) or SIGTERM; ``published`` says whether the new store had
    already replaced the old one when it came (else the store is as it was)."""

    def __init__(self, signal_number: int, published: bool) -> None:
        self.signal = signal_number
        self.published = published
        super().__init__("interrupted after the new store was published" if published
                         else "interrupted; the store is unchanged")


class _Terminated(KeyboardInterrupt):
    signal = signal.SIGTERM


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM handled like Ctrl-C for the length of the build, so that it too removes what the build
    wrote and its lock (without this, Python ends at once and leaves them)."""
    if threading.current_thread() is not threading.main_thread():
        yield   # only the main thread can set a handler
        return

    def stop(signal_number, frame):
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Build:
    """One build: decides what changed against the previous registry, writes it, publishes."""

    def __init__(self, files: list[SourceFile], target: Path, current: Path | None, previous: Registry | None,
                 summary: BuildSummary, note) -> None:
        self.files = files
        self.target = target
        self.current = current
        self.summary = summary
        self.note = note
        self.registry = Registry(code_version=code_version())
        if previous is not None and previous.code_version != self.registry.code_version:
            previous = None   # made by other code: what it wrote may differ from what this code writes
        self.previous = previous
        self.old = previous.entries if previous else {}
        self.origins: dict[Path, str] = {}
        self.published = False

    # ------------------------------------------------------------ plan

    def _fingerprint(self) -> None:
        for source in self.files:
            key = str(source.path.absolute())
            if source.role == "skip":
                self.registry.entries[key] = Entry(key, "skip", 0, 0, skipped=source.reason,
                                                   by_design=source.by_design)
                continue
            try:
                info = source.info or source.path.stat()
                sha = (self.previous.known_sha(Path(key), info) if self.previous else None) or sha256_of(source.path)
            except OSError as exc:   # unreadable, or gone since it was listed
                self.registry.entries[key] = Entry(key, "skip", 0, 0, skipped=unreadable(source.path, exc),
                                                   by_design=False)
                continue
            self.registry.entries[key] = Entry(key, source.role, info.st_size, info.st_mtime_ns, sha256=sha,
                                               graph=vocab.document(sha).value,
                                               source=self.origins.get(Path(resolved(source.path)), "") if self.origins else "")

    def _changes(self, role: str) -> tuple[list[str], list[str], list[str]]:
        new = {k: e for k, e in self.registry.entries.items() if e.role == role}
        old = {k: e for k, e in self.old.items() if e.role == role}
        added = sorted(k for k in new if k not in old)
        # a file whose fetch manifest now names another source URL is redone to record it
        changed = sorted(k for k in new if k in old and (new[k].sha256, new[k].source) != (old[k].sha256, old[k].source))
        removed = sorted(k for k in old if k not in new)
        return added, changed, removed

    # ------------------------------------------------------------ run

    def run(self) -> None:
        self._fingerprint()
        changes = {role: self._changes(role) for role in ("la_lookup", "stats", "owner_aliases", "document")}
        for added, changed, removed in changes.values():
            self.summary.added += added
            self.summary.changed += changed
            self.summary.removed += removed
        if self.previous is not None and not any(any(c) for c in changes.values()):
            self.summary.mode = "up to date"
            for key, entry in self.registry.entries.items():
                if entry.role != "skip":
                    self.registry.entries[key] = self.old[key]
            self._summarise()
            return
        incremental = self.previous is not None and not any(changes["la_lookup"])
        self.summary.mode = "incremental" if incremental else "full"
        if incremental:
            version = new_version_dir(self.target, create=False)
        else:
            version = new_version_dir(self.target)
            self.summary.added, self.summary.changed, self.summary.removed = [], [], []
        store = None
        try:
            if incremental:
                ox.Store.read_only(str(self.current)).backup(str(version))
            store = ox.Store(str(version))
            self.store, self.version = store, version
            self.loader = BackgroundLoader(store)
            self.cache = RecordCache(records_folder(self.target, self.registry.code_version), reuse=incremental)
            if not incremental:
                self._write(ontology_quads())
            councils = self._lookup(incremental)
            stats_changed = not incremental or any(changes["stats"]) or any(changes["owner_aliases"])
            if incremental:
                self._remove_graphs()
            self.index = None if stats_changed else _load_index(self.current)
            old_documents_derived = None if stats_changed else load_lines(self.current, DOCUMENTS_DERIVED)
            if self.index is None or old_documents_derived is None or not _has_lines(self.current, STATS_DERIVED):
                stats_changed = True
            if stats_changed:
                # the statistics decide how every document links: all is mapped again
                if incremental:
                    store.clear_graph(DERIVED_GRAPH)
                self.index = RecordIndex()
                statistics_derived = self._statistics(councils, incremental)
                _save_index(version, self.index)
                save_lines(version, STATS_DERIVED, statistics_derived)
                self._write_lines(statistics_derived)
                del statistics_derived
                documents_derived = self._documents(councils, incremental)
                save_lines(version, DOCUMENTS_DERIVED, documents_derived)
                self._write_lines(documents_derived)
            else:
                # the statistics' half of the derived graph stays in the store as it is; the documents'
                # half changes by the difference, so that adding a few reports to a store of tens of
                # thousands writes a few thousand quads, not the store again
                self._carry("stats")
                self._carry("owner_aliases")
                for name in (OWNER_MERGES, STATS_INDEX, STATS_DERIVED):
                    _link_or_copy(self.current / FOLDER / name, version / FOLDER / name)
                # (something changed, and it was not the lookup or the statistics: documents did)
                documents_derived = self._documents(councils, incremental, unchanged_kept=True)
                self._replace_derived(old_documents_derived, documents_derived)
                save_lines(version, DOCUMENTS_DERIVED, documents_derived)
            self.loader.close()
            store.flush()
            # the counts the findings and people questions read, stated again from what the store now
            # holds; an incremental build changes them by difference (a few reports change a few counts)
            held = _load_summaries(self.current) if incremental else set()
            self.summary.summarised, summaries = replace_summaries(store, held)
            self.summary.triples += self.summary.summarised
            _save_summaries(version, summaries)
            del summaries, held
            # compact before publishing: a store of many bulk-loaded files answers joins about
            # twice as slowly until RocksDB has merged them (measured in bench/). A few thousand
            # quads added to a compacted store are a file or two, which RocksDB merges by itself;
            # compacting the whole store for them took longer than the rest of such a build
            if not incremental or self.summary.triples > COMPACT_AFTER:
                store.optimize()
            self.registry.save(version)
            del self.store, self.loader, store
            publish(self.target, version)
            self.published = True
            self.cache.prune(self.registry)
        except BaseException as exc:
            if hasattr(self, "loader"):
                self.loader.cancel()   # nothing may still write into the folder being deleted
            # nor RocksDB's own threads: the store closes when the last reference goes, and the failed
            # calls' frames (the document linker's among them) hold references until they are cleared
            traceback.clear_frames(exc.__traceback__)
            self.store = self.loader = store = None
            self.published = current_version(self.target) == version.resolve()
            if not self.published:   # an interrupt can come just after the swap, while old versions are tidied
                shutil.rmtree(version, ignore_errors=True)
            raise
        self._summarise()

    def _write(self, quads: Iterable[ox.Quad]) -> None:
        """Queue quads for the background loader: the store has them once ``self.loader.wait()`` returns."""
        self.summary.triples += self.loader.add(quads)

    def _write_lines(self, lines: list[str]) -> None:
        """Like ``_write`` for N-Quads lines (ofsted_kg.rdf.QuadLines)."""
        self.summary.triples += self.loader.add_lines(lines)

    def _remove_graphs(self) -> None:
        """Drop the graphs of files that are gone or changed (a changed file has a new graph: its sha256 differs)."""
        wanted = {e.graph for e in self.registry.entries.values() if e.graph}
        for entry in self.old.values():
            if entry.graph and entry.graph not in wanted:
                self.store.remove_graph(ox.NamedNode(entry.graph))

    def _carry(self, role: str) -> None:
        """Keep unchanged files' registry entries and cached records as they were."""
        for key, entry in self.registry.entries.items():
            if entry.role == role and key in self.old:
                self.registry.entries[key] = self.old[key]
                self.cache.keep(entry.sha256, entry.role)

    def _cached(self, entry: Entry, read: Callable[[], object]):
        records = self.cache.get(entry.sha256, entry.role)
        if records is None:
            records = read()
            self.cache.put(entry.sha256, entry.role, records)
        else:
            self.cache.keep(entry.sha256, entry.role)
        return records

    def _cached_pickle(self, entry: Entry, read_pickled: Callable[[], bytes]):
        """Like ``_cached`` for a reader that returns its records pickled, as they are cached."""
        records = self.cache.get(entry.sha256, entry.role)
        if records is None:
            data = read_pickled()
            self.cache.put_pickled(entry.sha256, entry.role, data)
            records = pickle.loads(data)
        else:
            self.cache.keep(entry.sha256, entry.role)
        return records

    # ------------------------------------------------------------ sources

    def _lookup(self, incremental: bool) -> CouncilIndex:
        authorities: list[dict] = []
        for key, entry in self._entries("la_lookup"):
            rows = self._cached(entry, lambda: la_lookup.read(Path(key)))
            authorities += rows
            if not incremental:
                graph = ox.NamedNode(entry.graph)
                self._write(map_lookup(authorities, graph)
                            + document_quads(graph, Path(key), entry.sha256, "la_lookup", entry.source,
                                             rows_read=len(authorities)))
            else:
                self.registry.entries[key] = self.old[key]
            entry.kind, entry.rows = "la_lookup", len(rows)
        return CouncilIndex(authorities)

    def _entries(self, role: str) -> list[tuple[str, Entry]]:
        return [(k, e) for k, e in self.registry.entries.items() if e.role == role]

    def _statistics(self, councils: CouncilIndex, incremental: bool) -> list[str]:
        """Map every statistics file (new ones read, the others from cache); write the graphs that differ."""
        ledger = ProviderLedger()
        for key, entry in self._entries("owner_aliases"):
            ledger.owner_aliases, problems = read_owner_aliases(key)
            entry.kind, entry.records = "owner_aliases", len(ledger.owner_aliases)
            entry.rejects = [[key, problem] for problem in problems]
        ordered = sorted(self._entries("stats"), key=lambda item: reading_order(Path(item[0])))
        # one read per content: a second file with the same bytes finds the first one's records cached
        first = {e.sha256: k for k, e in reversed(ordered)}
        fresh = [Path(k) for k, e in ordered if first[e.sha256] == k and not self.cache.has(e.sha256, e.role)]
        # closed on the way out of an error or interrupt, which stops its worker at once
        with contextlib.closing(read_ahead(read_statistics, fresh)) as parsed:
            for number, (key, entry) in enumerate(ordered, start=1):
                path = Path(key)
                self.note(f"statistics {path.name}", number, len(ordered))
                # files not cached come parsed from read_ahead, in this same order
                result = self._cached_pickle(entry, lambda: next(parsed) if path in fresh else read_statistics(path))
                index_statistics(self.index, result.records)
                if result.errors or result.kind == "skipped":
                    entry.skipped = "; ".join(result.errors) or result.skip_reason or "skipped"
                    entry.by_design = not result.errors
                    entry.graph = ""
                    continue
                graph = ox.NamedNode(entry.graph)
                lines = map_stats_file(result, graph, councils, ledger, collect=QuadLines)
                # a file's quads depend on its records and on what earlier files described (the visits it
                # gave again, the event numbers other providers were given first)
                digest = hashlib.blake2b(("\n".join([entry.sha256, entry.source] + sorted(ledger.visits.decisions))).encode(),
                                         digest_size=16).hexdigest()
                entry.kind = f"statistics:{result.kind}"
                entry.rows, entry.records, entry.digest = result.rows_read, len(result.records), digest
                entry.rejects = [[key, f"row {r['row']}: {r['reason']}"] for r in result.rejects]
                old = self.old.get(key)
                if incremental and old is not None and old.sha256 == entry.sha256 and old.digest == digest:
                    continue
                if incremental:
                    self.loader.wait()   # a direct change to the store waits for the loads under way
                    self.store.clear_graph(graph)
                lines += nquad_lines(document_quads(graph, path, entry.sha256, entry.kind, entry.source,
                                                    rows_read=result.rows_read, rows_rejected=len(result.rejects)))
                self._write_lines(lines)
        index_ledger(self.index, ledger)
        derived = ledger.derived_quads(councils, collect=QuadLines)
        write_owner_merges(self.version / FOLDER / OWNER_MERGES, ledger.resolution.merges)
        return derived

    def _documents(self, councils: CouncilIndex, incremental: bool, unchanged_kept: bool = False) -> list[str]:
        """Map the reports and articles; returns the documents' half of the derived graph.

        Documents join what the statistics and the other reports hold, so all are noted (their
        providers, inspections and people go into the index) before any is mapped. With
        ``unchanged_kept`` (the statistics and the lookup are as before) a report that is unchanged
        keeps its graph: its quads depend only on its record, the statistics and the lookup
        (mapping.documents), so it is noted from what the last build kept of it (LINKING) and not
        mapped again. Articles are always mapped again: their links depend on every other document.
        """
        from .ingest.extract import extract
        from .mapping.documents import DocumentLinker, index_councils, news_gazetteer, note_view

        documents = self._entries("document")
        saved = _load_linking(self.current) if unchanged_kept else {}
        kept = set()
        for key, entry in documents:
            old, known = self.old.get(key), saved.get(key)
            if old is not None and known is not None and known["sha256"] == entry.sha256 \
                    and (old.sha256, old.source) == (entry.sha256, entry.source) and old.kind != "news":
                kept.add(key)
        if incremental:
            self.loader.wait()   # a direct change to the store waits for the loads under way
            # graphs mapped again (two files with the same bytes share a graph: one kept keeps it)
            keep_graphs = {self.registry.entries[key].graph for key in kept}
            had = {e.graph for e in self.old.values() if e.graph}
            for graph in sorted({e.graph for k, e in documents if k not in kept and e.graph} & had - keep_graphs):
                self.store.clear_graph(ox.NamedNode(graph))
        fresh = [(k, e) for k, e in documents if k not in kept and not self.cache.has(e.sha256, e.role)]
        extracted = dict(zip((k for k, _ in fresh), extract_documents([Path(k) for k, _ in fresh])))
        index_councils(self.index, councils)
        linker = DocumentLinker(councils, self.index)
        linking: dict[str, dict] = {}
        readable: list[tuple[str, Entry, dict, bool]] = []
        for number, (key, entry) in enumerate(documents, start=1):
            self.note(f"document {os.path.basename(key)}", number, len(documents))
            if key in kept:
                # as last time, with the file's size and time as now (a touched file is not hashed again);
                # its cached records stay where they are (RecordCache), and are not read
                kept_entry = copy.copy(self.old[key])
                kept_entry.size, kept_entry.mtime_ns = entry.size, entry.mtime_ns
                self.registry.entries[key] = entry = kept_entry
                linking[key] = saved[key]
                if saved[key]["note"] is not None:
                    readable.append((key, entry, saved[key]["note"], True))
                continue
            # (a cached record that cannot be read is read from the file again)
            record = self._cached(entry, lambda: extracted[key] if key in extracted else _extract(Path(key)))
            record["source"]["path"] = key
            entry.kind = record["source"]["kind"]
            entry.errors = list(record["errors"])
            unusable = entry.kind == "unknown" or not record["source"]["sha256"] or not _has_content(record)
            linking[key] = {"sha256": entry.sha256, "note": None, "added": None}
            if record["errors"] and unusable:
                entry.skipped, entry.by_design, entry.graph = "; ".join(record["errors"]), False, ""
                entry.errors = []
            else:
                readable.append((key, entry, record, False))
        for _, _, record, _ in readable:
            linker.note(record)
        # an article is read again with the names the statistics, the lookup and the reports gave
        # (the cached record was read without them: the names change when those files do)
        gazetteer = None
        for number, (key, entry, record, was_kept) in enumerate(readable):
            if record["source"]["kind"] == "news" and not was_kept:
                gazetteer = gazetteer or news_gazetteer(self.index, councils)
                reread = extract(Path(key), "news", gazetteer=gazetteer)
                if not reread["errors"]:
                    reread["source"]["path"] = key
                    readable[number] = (key, entry, reread, False)
        # documents' quads go to the store in loads of many documents: each bulk load writes files
        # RocksDB must then merge, and one load per report (a few hundred quads) made tens of
        # thousands of them
        batch: list[ox.Quad] = []
        for key, entry, record, was_kept in readable:
            if was_kept:
                linker.replay(linking[key]["added"])
                continue
            graph = ox.NamedNode(entry.graph)
            batch += linker.map(record, graph)
            batch += document_quads(graph, Path(key), entry.sha256, entry.kind, entry.source,
                                    pages=record["source"].get("pages"))
            if len(batch) >= DOCUMENT_BATCH:
                self._write(batch)
                batch = []
            entry.records = 1
            linking[key] = {"sha256": entry.sha256, "note": note_view(record), "added": linker.added}
        self._write(batch)
        _save_linking(self.version, linking)
        return linker.derived_quads(collect=QuadLines)

    def _replace_derived(self, old_lines: list[str], new_lines: list[str]) -> None:
        """Change the documents' half of the derived graph from ``old_lines`` to ``new_lines`` (N-Quads),
        leaving the quads the statistics' half also holds."""
        old, new = set(old_lines), set(new_lines)
        gone = old - new
        # of the documents' derived quads only a previous inspection could also be a statistics' one
        # (names' evidence is the documents' own): read the statistics' half only for those
        shared = {line for line in gone if f"<{OK.previousInspection.value}>" in line}
        if shared:
            gone -= shared & set(load_lines(self.current, STATS_DERIVED) or [])
        if gone:
            self.loader.wait()   # a direct change to the store waits for the loads under way
            for quad in ox.parse("".join(sorted(gone)).encode("utf-8"), format=ox.RdfFormat.N_QUADS):
                self.store.remove(quad)
        self._write_lines([line for line in new_lines if line not in old])

    # ------------------------------------------------------------ summary

    def _summarise(self) -> None:
        summary = self.summary
        for key, entry in self.registry.entries.items():
            if entry.skipped:
                summary.skipped.append((key, entry.skipped))
                if not entry.by_design:
                    summary.failed.append((key, entry.skipped))
                continue
            summary.rejects += [(path, reason) for path, reason in entry.rejects]
            summary.document_errors += [(key, message) for message in entry.errors]
            if entry.role == "stats":
                summary.rows += entry.rows
                summary.records += entry.records
                summary.documents["statistics"] = summary.documents.get("statistics", 0) + 1
            elif entry.role == "document":
                summary.records += entry.records
                summary.documents[entry.kind] = summary.documents.get(entry.kind, 0) + 1
            elif entry.role == "la_lookup":
                summary.documents["la_lookup"] = summary.documents.get("la_lookup", 0) + 1


def write_owner_merges(path: Path, merges: list[OwnerMerge]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OwnerMerge.COLUMNS)
        writer.writerows(merge.row() for merge in merges)



def _save_linking(version: Path, linking: dict[str, dict]) -> None:
    (version / FOLDER).mkdir(parents=True, exist_ok=True)
    (version / FOLDER / LINKING).write_bytes(pickle.dumps(linking, protocol=pickle.HIGHEST_PROTOCOL))


def _load_linking(version: Path | None) -> dict[str, dict]:
    """What the build of ``version`` kept of each document for linking (empty when it kept nothing)."""
    try:
        return pickle.loads((version / FOLDER / LINKING).read_bytes()) if version else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return {}


def _has_lines(version: Path | None, name: str) -> bool:
    return version is not None and (version / FOLDER / name).is_file()


def _save_summaries(version: Path, quads: list[ox.Quad]) -> None:
    """The counts graph as N-Quads in the version folder: the next incremental build changes it by
    difference from these instead of reading the graph back from the store."""
    (version / FOLDER).mkdir(parents=True, exist_ok=True)
    ox.serialize(quads, str(version / FOLDER / SUMMARIES), format=ox.RdfFormat.N_QUADS)


def _load_summaries(version: Path | None) -> set[ox.Quad] | None:
    """The counts graph the version holds, or None when it kept no copy (then the store is read)."""
    path = version / FOLDER / SUMMARIES if version is not None else None
    if path is None or not path.is_file():
        return None
    return set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def _link_or_copy(source: Path, target: Path) -> None:
    """``source`` into the new version folder: a hard link (both versions keep it, read-only), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _save_index(version: Path, index: RecordIndex) -> None:
    (version / FOLDER).mkdir(parents=True, exist_ok=True)
    (version / FOLDER / STATS_INDEX).write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))


def _load_index(version: Path | None) -> RecordIndex | None:
    try:
        return pickle.loads((version / FOLDER / STATS_INDEX).read_bytes()) if version else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def _has_content(record: dict) -> bool:
    return bool(record.get("provider") or record.get("local_authority") or record.get("claims"))
