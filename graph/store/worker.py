"""The query process of an embedded store (ofsted_kg.store.embedded): ``python -m ofsted_kg.store.worker STORE``.

It opens the store read-only, then answers each query it reads on stdin with ("ok", Result) or
("error", exception) on stdout, until stdin closes. The process that started it enforces the time
limit and memory bound by killing it; it dies with that process too.
"""
from __future__ import annotations

import signal
import sys

import pyoxigraph as ox

from .embedded import answer_of, receive, send
from .lifetime import die_with_parent


def main(path: str) -> None:
    die_with_parent()
    # Ctrl-C in a terminal reaches the whole process group: the parent decides, and kills this process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr   # nothing printed by accident may corrupt the answers
    store = ox.Store.read_only(path)
    while (sparql := receive(requests)) is not None:
        try:
            answer = ("ok", answer_of(store, sparql))
        except Exception as exc:   # the asker raises it
            answer = ("error", exc)
        try:
            send(answers, answer)
        except (TypeError, AttributeError, ValueError, RuntimeError):   # an exception that does not pickle
            send(answers, ("error", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}")))


if __name__ == "__main__":
    main(sys.argv[1])
