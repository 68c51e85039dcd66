"""The package's shape: one import name, every folder packaged, every command and stored query documented."""
from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"ofsted_kg": "graph", "ofsted_kg.ingest": "ingest", "ofsted_kg.ontology": "ontology", "ofsted_kg.queries": "queries"}


def _packages_on_disk() -> set[str]:
    found = set()
    for name, folder in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            inside = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((name, *inside)))
    return found


def test_pyproject_lists_every_package_folder():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert set(config["packages"]) == _packages_on_disk()
    assert config["package-dir"] == FOLDERS


def test_the_wheel_installs_one_top_level_package(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("ofsted_kg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert top == {"ofsted_kg"}
    for resource in ("ofsted_kg/ontology/ofsted.ttl", "ofsted_kg/queries/provider-profile.rq",
                     "ofsted_kg/web/templates/entity.html", "ofsted_kg/web/queries/statements.rq", "ofsted_kg/networks/static/vendor/cytoscape.min.js"):
        assert resource in names


def test_old_top_level_names_are_not_importable_from_the_install():
    # run outside the checkout, so that the folders themselves are not on sys.path
    code = ("import importlib.util, sys; "
            "print([n for n in ('graph', 'ingest', 'queries', 'ontology') if importlib.util.find_spec(n)])")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=True).stdout.strip()
    assert found == "[]"
    assert subprocess.run([sys.executable, "-c", "from ofsted_kg import KnowledgeGraph"], cwd="/").returncode == 0


def test_every_command_and_stored_query_is_documented():
    from ofsted_kg.cli import app
    from ofsted_kg.stored import stored_queries

    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    commands += [g.name for g in app.registered_groups]
    for command in commands:
        assert f"ofsted-kg {command}" in reference, command
        assert f"ofsted-kg {command}" in readme, command
    queries_page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name in stored_queries():
        assert name in queries_page, name
