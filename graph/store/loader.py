"""Bulk loading on background threads while the build maps the next file."""
from __future__ import annotations

import queue
import threading
from typing import Iterable

import pyoxigraph as ox


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
        """Queue quads given as N-Quads lines (ofsted_kg.rdf.QuadLines); returns how many.

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
