"""The embedded store: an on-disk Oxigraph store in a folder, nothing to start.

Queries on a read-only store run in a query process of their own (``ofsted_kg.store.worker``):
pyoxigraph has no way to cancel a query, and while it evaluates one it neither returns nor lets
Python handle Ctrl-C. The process opens the store once and answers query after query; this
process waits for each answer while watching the clock and the process's memory, and kills it
when a query runs past its time limit or memory bound, or on Ctrl-C. The next query starts a
new one. A writable store cannot be opened by a second process, so its queries run here.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from .base import DEFAULT_STORE, Result, StoreMissing, python_value

# long enough for every stored query on the full corpus (the slowest takes a few seconds), short
# enough that a runaway query is noticed
DEFAULT_TIMEOUT = 60.0
# a worker holding the full store and a large answer stays under 1 GB; a cartesian product grows
# by hundreds of MB a second and is stopped here, long before the machine runs short
DEFAULT_MEMORY_MB = 2048
# how often a waiting query checks the clock and the worker's memory
_POLL_SECONDS = 0.05
_LENGTH = struct.Struct("=Q")


class QueryLimitError(RuntimeError):
    """A query ran past its time limit or memory bound and was stopped."""


class QueryProcessError(RuntimeError):
    """The query process ended without answering (killed from outside, or it crashed)."""


def answer_of(store: ox.Store, sparql: str) -> Result:
    """Run ``sparql`` on ``store`` (default graph = union of the named graphs) as plain Python values."""
    answer = store.query(sparql, use_default_graph_as_union=True)
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


class EmbeddedStore:
    """An on-disk Oxigraph store, opened read-only unless ``writable``.

    ``timeout`` (seconds) and ``memory_mb`` bound every query; ``query`` takes its own ``timeout``
    too. ``store`` is the pyoxigraph store opened in this process, for reading quads directly.
    """

    def __init__(self, path: str | Path = DEFAULT_STORE, writable: bool = False,
                 timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        self.path = Path(path)
        self.writable = writable
        if not writable and not self.path.exists():
            raise StoreMissing(f"no store at {self.path}: run `ofsted-kg build --store {self.path}` first")
        # the version a store link points at now: a later rebuild does not change what this object reads
        self._opened = str(self.path) if writable else str(self.path.resolve())
        self._store = ox.Store(self._opened) if writable else None
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _stop_all, self._idle)

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            self._store = ox.Store.read_only(self._opened)
        return self._store

    def query(self, sparql: str, timeout: float | None = None) -> Result:
        """The answer to ``sparql``; raises QueryLimitError past the time limit or memory bound."""
        if self.writable:
            return answer_of(self.store, sparql)
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None or not worker.alive():
            worker = _Worker(self._opened)
        try:
            result = worker.ask(sparql, self.timeout if timeout is None else timeout, self.memory_mb)
        except BaseException:
            worker.stop()   # stopped mid-query, or it failed: a fresh one serves the next query
            raise
        with self._lock:
            self._idle.append(worker)
        return result

    def close(self) -> None:
        """Stop the query processes (they also stop when this object is collected or this process ends)."""
        self._finalizer()

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        graph_name = ox.NamedNode(graph) if graph else None
        return self.store.quads_for_pattern(None, None, None, graph_name)

    def __len__(self) -> int:
        return len(self.store)


def _stop_all(workers: list[_Worker]) -> None:
    while workers:
        workers.pop().stop()


class _Worker:
    """One query process and its two pipes (see ofsted_kg.store.worker)."""

    def __init__(self, path: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "ofsted_kg.store.worker", path],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, sparql: str, timeout: float, memory_mb: int) -> Result:
        started = time.monotonic()
        try:
            send(self.process.stdin, sparql)
        except OSError:
            raise self._ended() from None
        readable = self.process.stdout.fileno()
        while not select.select([readable], [], [], _POLL_SECONDS)[0]:
            elapsed = time.monotonic() - started
            if elapsed > timeout:
                raise QueryLimitError(f"the query ran past its time limit of {timeout:g} s and was stopped")
            resident = _resident_mb(self.process.pid)
            if resident > memory_mb:
                raise QueryLimitError(f"the query grew past its memory bound of {memory_mb:,} MB "
                                      f"({resident:,.0f} MB after {elapsed:.1f} s) and was stopped")
        message = receive(self.process.stdout)
        if message is None:
            raise self._ended()
        status, payload = message
        if status == "error":
            raise payload
        return payload

    def _ended(self) -> QueryProcessError:
        code = self.process.wait()
        how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        if code == -signal.SIGKILL:
            how += ", perhaps by the system for lack of memory"
        return QueryProcessError(f"the query process ended without answering ({how})")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0   # not Linux, or the process has just ended: the clock still bounds the query


def send(stream, message) -> None:
    """Write one pickled message (length first) and flush it."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def receive(stream):
    """One message written by :func:`send`, or None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    data = stream.read(length)
    if len(data) < length:
        return None
    return pickle.loads(data)
