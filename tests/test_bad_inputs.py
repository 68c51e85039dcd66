"""A corpus of bad inputs, written at test time, built together with one good real report.

Every bad file must be named in the build summary with its reason (a skipped file, or its rows
rejected), the good report's facts must still be in the graph, `ofsted-kg build` must exit 1,
and the 50 MB single-line text file must not be read into memory.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ofsted_kg.build import build
from ofsted_kg.store import EmbeddedStore

OK = "https://w3id.org/ofsted-kg/ontology#"
REPORT = "seeds/002_9bcd3b87fa8e3cd2.txt"   # Nexus Fostering, December 2022
STATS_HEADER = "URN,Provision Type,LA,Sector,GOR,Max/Estimated Places"
STATS_ROWS = [f"SC9{n:05d},Children’s home,Bromley,Private,London,{n % 5 + 1}" for n in range(12)]
# the child runs the real command and reports its own peak memory
CHILD = """
import json, resource, sys
from ofsted_kg.cli import main
sys.argv = ["ofsted-kg", "build", sys.argv[1], "--store", sys.argv[2], "-q"]
try:
    main()
finally:
    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
"""


def pdf(path, text=None, encrypt=None, shape=False):
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), encrypt=encrypt)
    if text:
        page.drawString(72, 720, text)
    if shape:
        page.rect(100, 100, 200, 200, fill=1)
    page.showPage()
    page.save()


def stats_csv(rows, before=(), prefix=""):
    return "\n".join([*before, STATS_HEADER, *(prefix + row for row in rows)]) + "\n"


@pytest.fixture(scope="module")
def bad_corpus(shared, tmp_path_factory):
    """The bad files (name -> what is wrong), the good report, and a folder with both."""
    folder = tmp_path_factory.mktemp("bad") / "sources"
    folder.mkdir()
    (folder / "html_saved_as.pdf").write_text("<!DOCTYPE html><html><body><h1>Inspection report</h1></body></html>")
    pdf(folder / "encrypted.pdf", "Social care common inspection framework", encrypt="pw")
    pdf(folder / "whole.pdf", "Social care common inspection framework " * 3)
    whole = (folder / "whole.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    (folder / "whole.pdf").unlink()
    (folder / "zero_bytes.pdf").write_bytes(b"")
    (folder / "random_bytes.pdf").write_bytes(os.urandom(20_000))
    pdf(folder / "image_only.pdf", shape=True)
    # statistics: one file with every row shifted a cell right; three readable despite their quirks
    (folder / "providers_places_at_31mar2031.csv").write_text(stats_csv(STATS_ROWS, prefix=","), encoding="utf-8")
    (folder / "providers_places_at_31mar2032.csv").write_text(
        stats_csv(STATS_ROWS, before=("Ofsted official statistics", "Providers and places", "")), encoding="utf-8")
    (folder / "providers_places_at_31mar2033.csv").write_text(stats_csv(STATS_ROWS), encoding="utf-8-sig")
    (folder / "providers_places_at_31mar2034.csv").write_text(stats_csv(STATS_ROWS), encoding="cp1252")
    with open(folder / "one_line.txt", "w") as handle:
        for _ in range(50):
            handle.write("x" * 2**20)
    (folder / "nested").mkdir()
    os.symlink("..", folder / "nested" / "loop")
    shutil.copy(shared / REPORT, folder)
    return folder


@pytest.fixture(scope="module")
def bad_build(bad_corpus, tmp_path_factory):
    store = tmp_path_factory.mktemp("bad-store") / "store"
    return build([bad_corpus], store), store


SKIPPED = {
    "html_saved_as.pdf": "HTML page",
    "encrypted.pdf": "encrypted",
    "truncated.pdf": "truncated",
    "zero_bytes.pdf": "empty",
    "random_bytes.pdf": "not a PDF",
    "image_only.pdf": "no text layer",
    "one_line.txt": "50 MB",
}


@pytest.mark.parametrize("name, reason", SKIPPED.items())
def test_bad_file_is_named_as_failed_with_its_reason(bad_build, name, reason):
    summary, _ = bad_build
    reasons = {Path(path).name: why for path, why in summary.failed}
    assert name in reasons and reason in reasons[name]


def test_symlink_loop_is_named_but_not_a_failure(bad_build):
    summary, _ = bad_build
    assert any(path.endswith("nested/loop") and "loop" in why for path, why in summary.skipped)
    assert not any(path.endswith("nested/loop") for path, _ in summary.failed)


def test_shifted_columns_reject_every_row_with_the_reason(bad_build):
    summary, _ = bad_build
    reasons = [why for path, why in summary.rejects if path.endswith("providers_places_at_31mar2031.csv")]
    assert len(reasons) == len(STATS_ROWS)
    assert all("shifted" in why for why in reasons)


@pytest.mark.parametrize("name", ["providers_places_at_31mar2032.csv",   # title rows above the header
                                  "providers_places_at_31mar2033.csv",   # a byte-order mark
                                  "providers_places_at_31mar2034.csv"])  # Windows-1252 text
def test_quirky_but_readable_statistics_keep_every_row(bad_build, name):
    summary, store = bad_build
    assert not [why for path, why in summary.rejects if path.endswith(name)]
    year = name[-8:-4]
    count = EmbeddedStore(store).query(
        f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s <{OK}snapshotDate> \"{year}-03-31\"^^<http://www.w3.org/2001/XMLSchema#date> ;"
        f" <{OK}places> ?places }}").rows
    assert count == [(len(STATS_ROWS),)]


def test_good_report_facts_survive_the_bad_company(bad_build):
    _, store = bad_build
    rows = EmbeddedStore(store).query(f"""
        SELECT ?name (COUNT(DISTINCT ?requirement) AS ?requirements) WHERE {{
          <https://w3id.org/ofsted-kg/id/provider/SC066400> <https://schema.org/name> ?name .
          ?inspection <{OK}inspected> <https://w3id.org/ofsted-kg/id/provider/SC066400> ;
                      ?has ?requirement . ?requirement a <{OK}Requirement> .
        }} GROUP BY ?name""").rows
    assert rows == [("Nexus Fostering", 3)]


def _build_peak(corpus, store):
    done = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(store)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    return done, json.loads(done.stdout.strip().splitlines()[-1])["peak_mb"]


def test_build_command_exits_1_names_the_files_and_stays_small_on_the_50_mb_line(bad_corpus, tmp_path):
    done, peak = _build_peak(bad_corpus, tmp_path / "store")
    assert done.returncode == 1
    output = " ".join(done.stderr.split())
    for name in SKIPPED:
        assert f"FAILED {bad_corpus / name}" in output
    # the same corpus without the 50 MB line: the line must add next to nothing to the peak
    # (reading it whole would add its 50 MB at least twice, as bytes and as text)
    without = tmp_path / "without"
    shutil.copytree(bad_corpus, without, symlinks=True, ignore=shutil.ignore_patterns("one_line.txt"))
    _, baseline = _build_peak(without, tmp_path / "store-without")
    assert peak - baseline < 40, f"peak {peak:.0f} MB against {baseline:.0f} MB without the 50 MB line"


def test_corpus_with_only_skips_by_design_exits_0(shared, tmp_path):
    folder = tmp_path / "sources"
    (folder / "regulations").mkdir(parents=True)
    (folder / "regulations" / "guidance.txt").write_text("Guide to the Children's Homes Regulations")
    (folder / "_thirdparty_parsed_index.csv").write_text("a,b\n1,2\n")
    shutil.copy(shared / REPORT, folder)
    done = subprocess.run([sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store", str(tmp_path / "store"), "-q"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
