"""Helper processes that end when the process that started them ends, however it ends."""
from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Have the kernel send ``sig`` to this process when its parent dies (Linux; elsewhere nothing).

    A helper busy inside Rust or C code (a query, a PDF) runs no Python until it returns, so it
    could not notice a closed pipe in time; the kernel's signal reaches it anyway. The signal
    follows the parent *thread* that started this process: a parent starting helpers from a
    short-lived thread sees them end with that thread, and starts new ones.
    """
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os.kill(os.getpid(), sig)   # the parent died before the request was made
