"""Every docstring example in the package runs (the doctests are part of the docs)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest


def _modules() -> list[str]:
    # ingest/, ontology/ and queries/ are subpackages that a source checkout keeps beside graph/, so
    # each package is walked from its own folder
    names = {"ofsted_kg"}
    pending = ["ofsted_kg", "ofsted_kg.ingest", "ofsted_kg.ontology", "ofsted_kg.queries"]
    while pending:
        package = importlib.import_module(pending.pop())
        names.add(package.__name__)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if info.name not in names:
                names.add(info.name)
                if info.ispkg:
                    pending.append(info.name)
    return sorted(n for n in names if not n.endswith("__main__"))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
