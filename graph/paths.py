"""Where the shared real data lives: OFSTED_KG_SHARED, else ../shared beside the working directory.

Never found from where the source files are: an installed package lives in site-packages.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path


def shared_dir() -> Path | None:
    """The folder holding ``data/`` and ``seeds/``, or None when it is not there."""
    candidates = []
    if os.environ.get("OFSTED_KG_SHARED"):
        candidates.append(Path(os.environ["OFSTED_KG_SHARED"]))
    candidates.append(Path.cwd().parent / "shared")
    for candidate in candidates:
        if (candidate / "data").is_dir():
            return candidate.resolve()
    return None


def default_sources() -> list[Path]:
    """The default build corpus: ../shared/data and ../shared/seeds when present."""
    shared = shared_dir()
    if shared is None:
        return []
    return [p for p in (shared / "data", shared / "seeds") if p.exists()]


def display_path(path: Path) -> str:
    """A path as recorded in the graph: relative to the shared folder or the working directory when possible."""
    real = path.resolve()
    for base in _bases(os.environ.get("OFSTED_KG_SHARED"), os.getcwd()):
        try:
            return str(real.relative_to(base))
        except ValueError:
            continue
    return str(path)


@functools.lru_cache(maxsize=8)
def _bases(shared_setting: str | None, cwd: str) -> tuple[Path, ...]:
    # once per setting and working directory: a build records the path of every one of tens of
    # thousands of documents, and finding the shared folder looks at the disk each time
    return tuple(base.resolve() for base in filter(None, (shared_dir(), Path(cwd))))
