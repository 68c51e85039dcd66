"""One store interface, two backends: an embedded on-disk Oxigraph store and any SPARQL 1.1 endpoint.

Both answer ``query(sparql) -> Result``. The default graph is the union of the named graphs
(one per source document), which is also how Fuseki (unionDefaultGraph), GraphDB and Virtuoso
are usually configured; ``oxigraph serve`` is started with ``--union-default-graph``.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

DEFAULT_STORE = Path("data/store")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD_NS + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_DECIMAL_TYPES = {XSD_NS + t for t in ("decimal", "double", "float")}


@dataclass
class Result:
    """Rows of a SELECT query: ``columns`` and ``rows`` (tuples of Python values, None when unbound)."""

    columns: list[str]
    rows: list[tuple]

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame of the rows (pandas must be installed)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def python_value(term) -> object:
    """A pyoxigraph term as a plain Python value: IRIs and strings as str, integers as int, decimals as float."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGER_TYPES:
            return int(term.value)
        if datatype in _DECIMAL_TYPES:
            return float(term.value)
        if datatype == XSD_NS + "boolean":
            return term.value == "true"
        return term.value
    return term.value


class StoreMissing(Exception):
    """Raised when a store folder does not exist (build it first)."""


class EmbeddedStore:
    """An on-disk Oxigraph store, opened read-only unless ``writable``."""

    def __init__(self, path: str | Path = DEFAULT_STORE, writable: bool = False) -> None:
        self.path = Path(path)
        self.writable = writable
        if not writable and not self.path.exists():
            raise StoreMissing(f"no store at {self.path}: run `ofsted-kg build --store {self.path}` first")
        self.store = ox.Store(str(self.path)) if writable else ox.Store.read_only(str(self.path.resolve()))

    def query(self, sparql: str) -> Result:
        answer = self.store.query(sparql, use_default_graph_as_union=True)
        if isinstance(answer, (bool, ox.QueryBoolean)):
            return Result(["answer"], [(bool(answer),)])
        if isinstance(answer, ox.QuerySolutions):
            columns = [v.value for v in answer.variables]
            # a solution iterates its values in column order (None when unbound); most values recur
            # (grades, types, dates), so each distinct term is converted once: about a fifth of the
            # time of a 4,000-row answer went on conversion by column name
            converted: dict = {None: None}

            def value(term):
                found = converted.get(term, converted)
                if found is converted:
                    found = converted[term] = python_value(term)
                return found

            rows = [tuple(map(value, solution)) for solution in answer]
            return Result(columns, rows)
        triples = [tuple(python_value(t) for t in (q.subject, q.predicate, q.object)) for q in answer]
        return Result(["subject", "predicate", "object"], triples)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        graph_name = ox.NamedNode(graph) if graph else None
        return self.store.quads_for_pattern(None, None, None, graph_name)

    def __len__(self) -> int:
        return len(self.store)


class RemoteStore:
    """Any SPARQL 1.1 Protocol endpoint, queried through SPARQLWrapper."""

    def __init__(self, endpoint: str, timeout: int = 60) -> None:
        from SPARQLWrapper import JSON, SPARQLWrapper

        self.endpoint = endpoint
        self._client = SPARQLWrapper(endpoint)
        self._client.setReturnFormat(JSON)
        self._client.setTimeout(timeout)
        self._client.setMethod("POST")

    def query(self, sparql: str) -> Result:
        # SPARQLWrapper guesses the query type from the first keyword-like word, comments included
        # ("move" in a header comment reads as MOVE): send the query without its leading comment block
        lines = sparql.splitlines()
        while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
            lines.pop(0)
        self._client.setQuery("\n".join(lines))
        answer = self._client.queryAndConvert()
        if "boolean" in answer:
            return Result(["answer"], [(answer["boolean"],)])
        columns = answer["head"]["vars"]
        rows = [tuple(_json_value(b.get(c)) for c in columns) for b in answer["results"]["bindings"]]
        return Result(columns, rows)


def _json_value(binding: dict | None) -> object:
    if binding is None:
        return None
    if binding["type"] == "literal" and "datatype" in binding:
        datatype = binding["datatype"]
        if datatype in _INTEGER_TYPES:
            return int(binding["value"])
        if datatype in _DECIMAL_TYPES:
            return float(binding["value"])
        if datatype == XSD_NS + "boolean":
            return binding["value"] == "true"
    return binding["value"]


def open_store(store: str | Path | None = None, endpoint: str | None = None):
    """The embedded store at ``store`` or, with ``endpoint``, a remote SPARQL endpoint."""
    if endpoint:
        return RemoteStore(endpoint)
    return EmbeddedStore(store or DEFAULT_STORE)


# ---------------------------------------------------------------- atomic builds


class BuildLocked(Exception):
    """Another build of the same store is running."""


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``target`` for the length of a build; refuse a second build at once."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    handle = open(lock_path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise BuildLocked(f"another build of {target} is running (lock {lock_path}); wait for it to finish") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def new_version_dir(target: Path, create: bool = True) -> Path:
    """A fresh folder beside ``target`` for a build to write into (only named, not made, unless ``create``)."""
    stamp = time.strftime('%Y%m%dT%H%M%S')
    version = target.parent / f".{target.name}.{stamp}.{os.getpid()}"
    number = 1
    while version.exists() or version.is_symlink():
        number += 1
        version = target.parent / f".{target.name}.{stamp}.{os.getpid()}.{number}"
    if create:
        version.mkdir(parents=True)
    return version


def current_version(target: Path) -> Path | None:
    """The version folder the store link points at (or the store folder itself if it is not a link)."""
    if target.is_symlink():
        version = (target.parent / os.readlink(target)).resolve()
        return version if version.is_dir() else None
    return target if target.is_dir() else None


def publish(target: Path, version: Path) -> None:
    """Make ``version`` the store at ``target`` in one atomic step (a symlink swap), then tidy old versions.

    ``target`` is a symbolic link to the current version folder; readers opening ``target`` see either
    the old store or the new one, never a half-written one.
    """
    link_tmp = target.parent / f".{target.name}.link.{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(version.name, link_tmp)
    if target.exists() and not target.is_symlink():
        # a store written by something else as a plain folder: move it aside first
        os.replace(target, target.parent / f".{target.name}.legacy.{os.getpid()}")
    os.replace(link_tmp, target)
    remove_stale_versions(target)


def remove_stale_versions(target: Path) -> None:
    """Delete version folders that the link no longer points at (left by finished or killed builds)."""
    current = (target.parent / os.readlink(target)).resolve() if target.is_symlink() else None
    for candidate in target.parent.glob(f".{target.name}.*"):
        if candidate.is_symlink():
            if candidate.name.startswith(f".{target.name}.link."):
                candidate.unlink()   # a link a killed build made but never swapped in
        elif candidate.is_dir() and candidate.resolve() != current:
            shutil.rmtree(candidate, ignore_errors=True)


class BackgroundLoader:
    """Bulk-loads quads into a store on threads of their own, batches taken in turn.

    ``Store.bulk_extend`` holds the GIL for the whole load, so a build that loads each file's quads
    before mapping the next one keeps a core idle; ``Store.bulk_load`` of N-Quads bytes releases it.
    ``add`` serialises a batch (quick) and queues it; the load runs while the caller maps the next
    file. At most ``depth`` batches wait, which bounds the memory held in serialised quads.

    ``loaders`` loads run at once. One is as fast as two while the store is small, but as it grows
    each load waits longer on RocksDB merging its files, and a second load keeps the cores busy
    meanwhile: with two, ten copies of the statistics (bench/corpus.py) built in 194 s instead of
    247 s, one copy in 18 to 20 s either way (interleaved A/B builds; the stores held the same quads).

    A failed load is raised from the next ``add``, ``wait`` or ``close``. ``cancel`` drops what is
    queued and stops the threads, so a failed build can delete its version folder knowing nothing
    still writes there.
    """

    def __init__(self, store: ox.Store, depth: int = 2, loaders: int = 2) -> None:
        self.store = store
        self.error: BaseException | None = None
        self.cancelled = False
        self.batches: queue.Queue = queue.Queue(maxsize=depth)
        self.threads = [threading.Thread(target=self._run, name=f"bulk-loader-{number}", daemon=True)
                        for number in range(loaders)]
        for thread in self.threads:
            thread.start()

    def add(self, quads: Iterable[ox.Quad]) -> int:
        """Queue ``quads`` for loading; returns how many were given."""
        self._raise()
        items = quads if isinstance(quads, list) else list(quads)
        if items:
            self.batches.put(ox.serialize(items, format=ox.RdfFormat.N_QUADS))
        return len(items)

    def add_lines(self, lines: list[str], batch: int = 200_000) -> int:
        """Queue quads given as N-Quads lines (graph.rdf.QuadLines); returns how many.

        Long lists go in batches of ``batch`` lines: Oxigraph's bulk loader holds a whole batch in
        memory while it sorts it (a million-quad batch peaked at several hundred MB)."""
        self._raise()
        for start in range(0, len(lines), batch):
            self.batches.put("".join(lines[start:start + batch]).encode("utf-8"))
        return len(lines)

    def wait(self) -> None:
        """Return when every queued batch is in the store (before querying or changing it directly)."""
        self.batches.join()
        self._raise()

    def close(self) -> None:
        """Load what is queued and stop the thread."""
        self._stop()
        self._raise()

    def cancel(self) -> None:
        """Stop the thread after the load under way, dropping the batches still queued."""
        self.cancelled = True
        self._stop()

    def _stop(self) -> None:
        # one stop mark per thread: each thread ends at the first it takes
        for thread in self.threads:
            if thread.is_alive():
                self.batches.put(None)
        for thread in self.threads:
            thread.join()

    def _run(self) -> None:
        while True:
            data = self.batches.get()
            try:
                if data is None:
                    return
                if self.error is None and not self.cancelled:
                    self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            except BaseException as exc:   # handed to the building thread, which decides
                self.error = exc
            finally:
                self.batches.task_done()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error
