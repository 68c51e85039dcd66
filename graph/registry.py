"""The registry of a built store: which source files went into it, by content hash, and their parsed records.

A store version folder holds, beside Oxigraph's own files, a folder ``ofsted-kg/`` with

- ``registry.json``: per source file its path, size and modification time (to skip re-hashing
  files that have not been touched), sha256, role, named graph, counts, rejected rows, skip
  reason and a digest of the quads written to its graph;
- ``derived-statistics.nq`` and ``derived-documents.nq``: the two halves of the derived graph;
- ``documents-linking.pickle``: per document what linking needs of it, for incremental builds.

Beside the store, ``.{name}-records/{code version}/{reader}-{sha256}.pickle`` holds the records read from each
statistics file and the extraction record of each document (RecordCache), so a later build can map
them again without re-reading the file.

An incremental build (ofsted_kg.build) compares the sources with the registry, copies the store with
``Store.backup`` into a new version folder, rewrites only what changed and publishes the copy.
The registry is written inside the new version before it is published, so the store and its
registry always change together.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

FOLDER = "ofsted-kg"
FORMAT = 1
# code whose change alters what a build writes: a registry made by other code is not trusted
_PACKAGE = Path(__file__).resolve().parent
# what does not decide what a build writes: the command line, pages, networks, docs, validation, and
# the stores' query and push code
_NOT_MAPPING = {"__main__.py", "docs.py", "querydocs.py", "validate.py", "api.py", "stored.py",
                "embedded.py", "remote.py", "worker.py", "push.py", "urns.py"}
_NOT_MAPPING_FOLDERS = {"cli", "web", "networks", "queries", "__pycache__"}


@dataclass
class Entry:
    """One source file as the registry remembers it."""

    path: str
    role: str                      # stats | la_lookup | document | owner_aliases
    size: int
    mtime_ns: int
    sha256: str = ""
    graph: str = ""                # the named graph IRI, empty when the file was skipped
    kind: str = ""                 # statistics:providers, provider_report, news, ...
    rows: int = 0
    records: int = 0
    rejects: list[list[str]] = field(default_factory=list)   # [file, reason] per rejected row
    skipped: str = ""              # why the file added nothing, when it did not
    by_design: bool = True         # for a skipped file: left out on purpose, not a failure
    errors: list[str] = field(default_factory=list)          # a document's extraction errors
    digest: str = ""               # of the quads written to ``graph``
    source: str = ""               # the URL a fetch manifest says the file came from


@dataclass
class Registry:
    """The sources of one store version."""

    code_version: str
    entries: dict[str, Entry] = field(default_factory=dict)   # absolute path -> entry

    @classmethod
    def load(cls, version: Path) -> "Registry | None":
        """The registry inside a version folder, or None when there is none or it cannot be read."""
        try:
            data = json.loads((version / FOLDER / "registry.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("format") != FORMAT:
            return None
        entries = {path: Entry(**item) for path, item in data.get("entries", {}).items()}
        return cls(code_version=data.get("code_version", ""), entries=entries)

    def save(self, version: Path) -> None:
        folder = version / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        # an entry's fields are strings, numbers and lists of strings: its __dict__ is already what
        # JSON holds (dataclasses.asdict copies recursively, seconds for tens of thousands of entries)
        payload = {"format": FORMAT, "code_version": self.code_version,
                   "entries": {path: vars(entry) for path, entry in sorted(self.entries.items())}}
        # one line: json's C encoder writes no indentation, and the Python one took seconds here
        _write_atomic(folder / "registry.json", json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def known_sha(self, path: Path, info: os.stat_result | None = None) -> str | None:
        """The recorded sha256 of ``path`` if its size and modification time (``info``, else read) are unchanged."""
        entry = self.entries.get(str(path))
        if entry is None or not entry.sha256:
            return None
        try:
            info = info or path.stat()
        except OSError:
            return None
        if info.st_size == entry.size and info.st_mtime_ns == entry.mtime_ns:
            return entry.sha256
        return None


class RecordCache:
    """Parsed records by content hash and reader, in one folder beside the store that its versions share.

    The reader (an entry's role: ``stats``, ``la_lookup``, ``document``) is part of the key: two files
    with the same bytes read by different readers (an empty .csv and an empty .pdf) have different records.
    A file's records never change (its name is its content's hash), so a new version need not copy or
    link them: with tens of thousands of reports, linking each into every version and deleting the
    links with the old version cost more than the rest of an incremental build. ``reuse`` False (a
    full build) reads only what this build wrote; ``prune`` removes what the published registry no
    longer names, and what a stopped build left half-written.
    """

    def __init__(self, folder: Path, reuse: bool = True) -> None:
        self.folder = folder
        self.reuse = reuse
        self.written: set[str] = set()
        self.folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _name(sha: str, reader: str) -> str:
        return f"{reader}-{sha}.pickle"

    def _usable(self, name: str) -> bool:
        return self.reuse or name in self.written

    def get(self, sha: str, reader: str):
        """The cached records of the file with this sha256 as ``reader`` read it, or None."""
        name = self._name(sha, reader)
        if not self._usable(name):
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError):
            return None

    def has(self, sha: str, reader: str) -> bool:
        """Whether records of this sha256 and reader are cached (without reading them)."""
        name = self._name(sha, reader)
        return self._usable(name) and (self.folder / name).exists()

    def put(self, sha: str, reader: str, records) -> None:
        self.put_pickled(sha, reader, pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, sha: str, reader: str, data: bytes) -> None:
        """Cache records already pickled (by the worker that read them)."""
        name = self._name(sha, reader)
        _write_atomic(self.folder / name, data)
        self.written.add(name)

    def keep(self, sha: str, reader: str) -> bool:
        """Whether the records of ``sha`` stay cached for the version being built (they stay where they are)."""
        return self.has(sha, reader)

    def prune(self, registry: "Registry") -> None:
        """Remove the records no entry of ``registry`` (the version just published) reads."""
        wanted = {self._name(e.sha256, e.role) for e in registry.entries.values() if e.sha256 and e.role != "skip"}
        with os.scandir(self.folder) as found:
            for item in found:
                if item.name not in wanted:
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)
        # the records other code read (a folder per code version): no version of the store reads them now
        for other in self.folder.parent.iterdir():
            if other != self.folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)


def records_folder(target: Path, code: str) -> Path:
    """The record cache of the store at ``target`` as code of version ``code`` reads files: beside the
    store, and not named like its version folders (``.{name}.*``, which a build removes when they are
    not the current one)."""
    return target.parent / f".{target.name}-records" / code


def save_lines(version: Path, name: str, lines: list[str]) -> None:
    """Keep N-Quads lines (a half of the derived graph, as ofsted_kg.rdf.QuadLines makes them) inside the version folder."""
    folder = version / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with _replacing(folder / name, "w") as handle:
        handle.writelines(lines)   # not one joined string: at 10x the statistics that is ~800 MB at once


def load_lines(version: Path, name: str) -> list[str] | None:
    """The lines saved by :func:`save_lines`, or None when the file is missing."""
    path = version / FOLDER / name
    if not path.exists():
        return None
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def code_version() -> str:
    """A hash of the code and ontology that decide what a build writes."""
    digest = hashlib.blake2b(digest_size=12)
    from . import ingest, ontology

    # ingest/ and ontology/ sit inside the package when installed, beside it in a source checkout
    roots = dict.fromkeys([_PACKAGE, Path(ingest.__file__).resolve().parent, Path(ontology.__file__).resolve().parent])
    for root in roots:
        for path in sorted(root.rglob("*")):
            inside = path.relative_to(root).parts
            if path.suffix in (".py", ".ttl") and path.is_file() and path.name not in _NOT_MAPPING \
                    and not _NOT_MAPPING_FOLDERS.intersection(inside[:-1]):
                digest.update("/".join(inside).encode())
                digest.update(path.read_bytes())
    digest.update(str(FORMAT).encode())
    return digest.hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    with _replacing(path, "wb") as handle:
        handle.write(data)


@contextlib.contextmanager
def _replacing(path: Path, mode: str) -> Iterator[IO]:
    """A file handle whose contents replace ``path`` in one step when the block ends without error."""
    temporary = path.with_name(path.name + f".tmp.{os.getpid()}")
    with open(temporary, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as handle:
        yield handle
    os.replace(temporary, path)
