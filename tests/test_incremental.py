"""Incremental builds: a second build over a store redoes only the files that were added, changed or deleted.

The corpus is a few real files copied into tmp_path (the statistics cut to their first rows to
keep the tests quick): the LA lookup, the September 2014 providers snapshot, one
joiners-and-leavers file and the Nexus Fostering report.
"""
import os
import shutil

import pytest
from corpus import copy_head

from ofsted_kg.build import build
from ofsted_kg.ingest.text import sha256_of
from ofsted_kg.store import EmbeddedStore

OK = "https://w3id.org/ofsted-kg/ontology#"
DOCUMENT = "https://w3id.org/ofsted-kg/id/document/"
DERIVED = "https://w3id.org/ofsted-kg/graph/derived"
SNAPSHOT_ROW = "SC006927,Boarding School,Bromley,Private,London,155"


@pytest.fixture
def corpus(shared, tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    for relative in ("data/la_lookup.csv", "data/ofsted_stats/providers_at_30sep2014.csv",
                     "data/ofsted_stats/joiners_leavers_2018-19.csv", "seeds/002_9bcd3b87fa8e3cd2.txt"):
        copy_head(shared / relative, folder)
    return folder


def graph_of(path):
    return DOCUMENT + sha256_of(path)[:16]


def places(store_path, graph=None):
    """The places of SC006927 in its snapshot (or, with graph=DERIVED, its current places)."""
    where = f"GRAPH <{graph}> {{ ?s <{OK}places> ?places }}" if graph else \
        f"?snapshot <{OK}snapshotOf> <https://w3id.org/ofsted-kg/id/provider/SC006927> ; <{OK}places> ?places"
    subject = "<https://w3id.org/ofsted-kg/id/provider/SC006927>" if graph else "?snapshot"
    sparql = f"SELECT ?places WHERE {{ {where.replace('?s ', subject + ' ')} }}"
    return sorted(row[0] for row in EmbeddedStore(store_path).query(sparql).rows)


def all_quads(store_path):
    return {str(quad) for quad in EmbeddedStore(store_path).store}


def test_second_build_of_an_unchanged_corpus_is_up_to_date_and_writes_nothing(corpus, tmp_path):
    store = tmp_path / "store"
    first = build([corpus], store)
    version = os.readlink(store)
    second = build([corpus], store)
    assert first.mode == "full" and second.mode == "up to date"
    assert second.triples == 0
    assert os.readlink(store) == version   # nothing published: the same version folder
    assert (second.rows, second.records, second.documents) == (first.rows, first.records, first.documents)
    assert second.rejects == first.rejects


def test_changed_csv_row_shows_the_new_places_value_and_not_the_old(corpus, tmp_path):
    store = tmp_path / "store"
    snapshot = corpus / "providers_at_30sep2014.csv"
    build([corpus], store)
    old_graph = graph_of(snapshot)
    assert places(store) == [155]
    snapshot.write_text(snapshot.read_text().replace(SNAPSHOT_ROW, SNAPSHOT_ROW[:-3] + "177"))
    summary = build([corpus], store)
    assert summary.mode == "incremental" and summary.changed == [str(snapshot.absolute())]
    assert places(store) == [177]
    assert places(store, DERIVED) == [177]   # the provider's current places, derived from the cached records
    graphs = EmbeddedStore(store).named_graphs()
    assert graph_of(snapshot) in graphs and old_graph not in graphs


def test_new_file_adds_its_graph_and_deleted_file_loses_it(shared, corpus, tmp_path):
    store = tmp_path / "store"
    build([corpus], store)
    before = set(EmbeddedStore(store).named_graphs())
    added = corpus / "inspections_2013-14_excl_childrens_homes.csv"
    copy_head(shared / "data/ofsted_stats" / added.name, corpus)
    summary = build([corpus], store)
    assert summary.mode == "incremental" and summary.added == [str(added.absolute())]
    assert set(EmbeddedStore(store).named_graphs()) == before | {graph_of(added)}

    deleted = corpus / "joiners_leavers_2018-19.csv"
    deleted_graph = graph_of(deleted)
    deleted.unlink()
    summary = build([corpus], store)
    assert summary.removed == [str(deleted.absolute())]
    assert set(EmbeddedStore(store).named_graphs()) == (before - {deleted_graph}) | {graph_of(added)}
    answer = EmbeddedStore(store).query(f"ASK {{ GRAPH <{deleted_graph}> {{ ?s ?p ?o }} }}")
    assert answer.rows == [(False,)]


def test_store_after_changes_holds_exactly_what_a_full_rebuild_holds(shared, corpus, tmp_path):
    store, rebuilt = tmp_path / "store", tmp_path / "rebuilt"
    build([corpus], store)
    snapshot = corpus / "providers_at_30sep2014.csv"
    snapshot.write_text(snapshot.read_text().replace(SNAPSHOT_ROW, SNAPSHOT_ROW[:-3] + "9"))
    shutil.copy(shared / "seeds/000_f7da0fee7ee110b9.txt", corpus)   # a news article
    (corpus / "joiners_leavers_2018-19.csv").unlink()
    assert build([corpus], store).mode == "incremental"
    assert build([corpus], rebuilt, rebuild=True).mode == "full"
    assert all_quads(store) == all_quads(rebuilt)


def test_rebuild_ignores_the_registry(corpus, tmp_path):
    store = tmp_path / "store"
    build([corpus], store)
    summary = build([corpus], store, rebuild=True)
    assert summary.mode == "full" and summary.triples > 0


def test_reports_added_changed_and_removed_give_what_a_full_rebuild_gives(shared, corpus, tmp_path):
    """With the statistics unchanged, an incremental build maps only the new and changed documents and
    every article, and changes the documents' half of the derived graph by difference: the store must
    still hold exactly what a build from nothing holds."""
    dev = shared / "dev/provider_reports"
    reports = sorted(dev.glob("*.txt"))
    for path in reports[:4]:
        shutil.copy(path, corpus)
    shutil.copy(shared / "data/ilacs/2532283_dorset__childrens_services_inspection_-_19_november_2021.pdf", corpus)
    store, rebuilt = tmp_path / "store", tmp_path / "rebuilt"
    build([corpus], store)

    for path in reports[4:]:                                    # two reports fetched later
        shutil.copy(path, corpus)
    shutil.copy(reports[0], corpus / "same-bytes-another-name.txt")   # shares a kept report's graph
    shutil.copy(shared / "data/ilacs/2532283_dorset__childrens_services_inspection_-_09_may_2025.pdf", corpus)
    shutil.copy(shared / "seeds/000_f7da0fee7ee110b9.txt", corpus)   # an article, linked to all of them
    changed = corpus / reports[1].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("Registered manager", "Registered Manager", 1),
                       encoding="utf-8")
    (corpus / reports[2].name).unlink()
    summary = build([corpus], store)
    assert summary.mode == "incremental"
    assert len(summary.added) == 5 and summary.changed == [str(changed.absolute())] and len(summary.removed) == 1
    assert build([corpus], rebuilt, rebuild=True).mode == "full"
    assert all_quads(store) == all_quads(rebuilt)

    (corpus / reports[3].name).unlink()                         # a removal alone
    assert build([corpus], store).mode == "incremental"
    assert build([corpus], rebuilt, rebuild=True).mode == "full"
    assert all_quads(store) == all_quads(rebuilt)


def test_adding_reports_writes_only_their_quads(shared, corpus, tmp_path):
    """An unchanged report keeps its graph as it was: the build writes the new report's quads (and
    the derived graph's and the counts' differences), not every document again."""
    reports = sorted((shared / "dev/provider_reports").glob("*.txt"))
    for path in reports[:5]:
        shutil.copy(path, corpus)
    store = tmp_path / "store"
    build([corpus], store)
    shutil.copy(reports[5], corpus)
    summary = build([corpus], store)
    graph = graph_of(corpus / reports[5].name)
    own = EmbeddedStore(store).query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows[0][0]
    assert summary.mode == "incremental" and own <= summary.triples - summary.summarised < own + 50
    # the counts its findings and people change, not the counts graph again
    assert 0 < summary.summarised < own


def test_record_cache_holds_the_records_of_the_published_sources_only(shared, corpus, tmp_path):
    store = tmp_path / "store"
    build([corpus], store)
    [folder] = (tmp_path / ".store-records").iterdir()      # one folder: the records of this code
    removed = corpus / "joiners_leavers_2018-19.csv"
    assert any(sha256_of(removed) in p.name for p in folder.iterdir())
    removed.unlink()
    build([corpus], store)
    names = sorted(p.name.split("-", 1)[1].removesuffix(".pickle") for p in folder.iterdir())
    assert names == sorted(sha256_of(p) for p in corpus.iterdir())
