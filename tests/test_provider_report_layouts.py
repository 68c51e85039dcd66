"""The provider report reader on the layouts beyond the first: names in any alphabet, the pre-2017
label blocks, letters, page furniture inside findings, counts in either order."""
from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg.ingest.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "provider_reports"
HOME = FIXTURES / "childrens_home_2023.txt"
AGENCY = FIXTURES / "inadequate_fostering_agency.txt"


def record_of(tmp_path: Path, text: str, name: str = "report.txt") -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    record = extract(path)
    assert record["errors"] == [], record["errors"]
    assert record["source"]["kind"] == "provider_report"
    return record


def roles(record: dict) -> list[tuple[str, str]]:
    return [(p["name"], p["role"]) for p in record["people"]]


@pytest.mark.parametrize("manager, individual, inspector", [
    ("Siobhán Ní Mhaoláin", "Łukasz Wróblewski", "Zoë O'Neill"),
    ("José Álvarez-Ruiz", "Ó Súilleabháin Éamon", "Aoife ní Bhriain"),
    ("Émile de la Tour", "Dvořák Šárka", "Ngozi Adébáyọ̀"),
])
def test_names_in_any_alphabet_are_kept_whole(tmp_path, manager, individual, inspector):
    text = HOME.read_text(encoding="utf-8").replace("Rebecca Lindqvist", manager).replace("Daniel Okafor", individual)
    record = record_of(tmp_path, text.replace("Martin Hale", inspector))
    assert roles(record) == [(individual, "responsible_individual"), (manager, "registered_manager"),
                             (inspector, "inspector")]
