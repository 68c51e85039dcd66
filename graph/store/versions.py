"""Atomic builds: each build writes a new version folder beside the store and swaps a link to it."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from pathlib import Path
from typing import Iterator


class BuildLocked(Exception):
    """Another build of the same store is running."""


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``target`` for the length of a build; refuse a second build at once.

    The lock file holds the build's process id and is removed when the build ends, however it ends
    short of being killed (a killed build's file is left unlocked, and the next build takes it).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    while True:
        handle = open(lock_path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise BuildLocked(f"another build of {target} is running (lock {lock_path}); wait for it to finish") from None
        # a build ending at this moment removes the file it locked: then this lock is on a file nobody else sees
        try:
            if os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino:
                break
        except FileNotFoundError:
            pass
        handle.close()
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock_path)   # before unlocking: whoever waits for it then opens a new file
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
