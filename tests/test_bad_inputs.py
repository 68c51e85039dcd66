"""A corpus of bad inputs, written at test time, built together with one good real report.

Every bad file must be named in the build summary with its reason (a skipped file, or its rows
rejected), the good report's facts must still be in the graph, `ofsted-kg build` and `ofsted-kg
extract` must exit 1 without a traceback, rows after a bad row must be kept, and the 50 MB
single-line text file must not be read into memory.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ofsted_kg.build import build
from ofsted_kg.store import EmbeddedStore

OK = "https://w3id.org/ofsted-kg/ontology#"
REPORT = "seeds/002_9bcd3b87fa8e3cd2.txt"   # Nexus Fostering, December 2022
STATS_HEADER = "URN,Provision Type,LA,Sector,GOR,Max/Estimated Places"
STATS_ROWS = [f"SC9{n:05d},Children’s home,Bromley,Private,London,{n % 5 + 1}" for n in range(12)]
# 300 rows, the sixth with a 150,000-character field (over csv's field limit of 131,072)
LONG_FIELD_ROWS = [f"SC8{n:05d},Children’s home,Bromley,Private,London,{n % 5 + 1}" for n in range(300)]
LONG_FIELD_ROWS[5] = "SC899999,Children’s home,Bromley,Private," + "x" * 150_000 + ",2"
DEPTH = 1100
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
    # the same bytes read by two readers: an empty CSV beside the empty PDF, "hello" as CSV and as text
    (folder / "empty.csv").write_bytes(b"")
    (folder / "hello.csv").write_text("hello")
    (folder / "hello.txt").write_text("hello")
    (folder / "providers_places_at_31mar2035.csv").write_text(stats_csv(LONG_FIELD_ROWS), encoding="utf-8")
    (folder / "providers_places_at_31mar2036.csv").write_text(STATS_HEADER + "\n", encoding="utf-8")
    # UTF-16 with a byte-order mark, and without one (little-endian)
    (folder / "providers_places_at_31mar2037.csv").write_text(stats_csv(STATS_ROWS), encoding="utf-16")
    (folder / "providers_places_at_31mar2038.csv").write_bytes(stats_csv(STATS_ROWS).encode("utf-16-le"))
    os.symlink("self.txt", folder / "self.txt")
    os.symlink("nowhere.pdf", folder / "broken.pdf")
    os.mkfifo(folder / "pipe.csv")
    # the deep folders live outside pytest's temporary folders (its clean-up recurses, and would fail
    # on them), reached through a link
    outside = Path(tempfile.mkdtemp(prefix="deep-"))
    deep = outside
    for _ in range(DEPTH):   # made a level at a time: os.makedirs recurses, and would fail here
        deep = deep / "d"
        os.mkdir(deep)
    (deep / "providers_places_at_31mar2039.csv").write_text(stats_csv(STATS_ROWS), encoding="utf-8")
    os.symlink(outside / "d", folder / "d")
    shutil.copy(shared / REPORT, folder)
    yield folder
    remove_deep(outside / "d")
    outside.rmdir()


def remove_deep(top: Path) -> None:
    """Delete a deep chain of folders from the bottom up (shutil.rmtree recurses, and fails on 1,100 levels)."""
    levels = [top]
    while (levels[-1] / "d").is_dir():
        levels.append(levels[-1] / "d")
    for level in reversed(levels):
        shutil.rmtree(level)


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
    "empty.csv": "empty",
    "hello.csv": "no header row",
    "hello.txt": "not recognised",
    "providers_places_at_31mar2036.csv": "no data rows",
    "self.txt": "symbolic link loop",
    "broken.pdf": "symbolic link to nothing",
    "pipe.csv": "not a regular file",
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
    assert snapshots(store, name[-8:-4]) == len(STATS_ROWS)


@pytest.mark.parametrize("name", ["providers_places_at_31mar2037.csv",   # UTF-16 with a byte-order mark
                                  "providers_places_at_31mar2038.csv",   # UTF-16 without one
                                  "providers_places_at_31mar2039.csv"])  # 1,100 folders deep
def test_utf16_and_deeply_buried_statistics_keep_every_row(bad_build, name):
    summary, store = bad_build
    assert not [why for path, why in summary.rejects + summary.skipped if path.endswith(name)]
    assert snapshots(store, name[-8:-4]) == len(STATS_ROWS)


def test_rows_after_an_unreadable_row_are_kept(bad_build):
    summary, store = bad_build
    reasons = [why for path, why in summary.rejects if path.endswith("providers_places_at_31mar2035.csv")]
    assert reasons == ["row 7: unreadable CSV row: field larger than field limit (131072)"]
    assert snapshots(store, "2035") == len(LONG_FIELD_ROWS) - 1


def snapshots(store, year):
    """Provider snapshots with places on 31 March of ``year``."""
    [(count,)] = EmbeddedStore(store).query(
        f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s <{OK}snapshotDate> \"{year}-03-31\"^^<http://www.w3.org/2001/XMLSchema#date> ;"
        f" <{OK}places> ?places }}").rows
    return count


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
    # (copytree would block opening the pipe, and recurse too deep for Python in the 1,100 folders)
    shutil.copytree(bad_corpus, without, symlinks=True, ignore=shutil.ignore_patterns("one_line.txt", "pipe.csv", "d"))
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


# the size limit on text files is the build's, not the reader's
EXTRACT_REASONS = {name: reason for name, reason in SKIPPED.items()
                   if Path(name).suffix in (".pdf", ".txt") and name != "one_line.txt"}


def test_extract_command_names_each_bad_document_and_prints_the_good_one(bad_corpus):
    done = subprocess.run([sys.executable, "-m", "ofsted_kg", "extract", str(bad_corpus)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    warnings = " ".join(done.stderr.split()).split("warning: ")
    for name, reason in EXTRACT_REASONS.items():
        assert any(line.startswith(f"{bad_corpus / name}: ") and reason in line for line in warnings), name
    records = {Path(r["source"]["path"]).name: r for r in map(json.loads, done.stdout.splitlines())}
    assert records[Path(REPORT).name]["provider"]["urn"] == "SC066400"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_report_in_utf16_or_utf32_reads_as_in_utf8(shared, tmp_path, encoding):
    from ofsted_kg.ingest.extract import extract

    text = (shared / REPORT).read_text(encoding="utf-8")
    (tmp_path / "report.txt").write_text(text, encoding=encoding)
    original, converted = extract(shared / REPORT), extract(tmp_path / "report.txt")
    assert converted["errors"] == []
    for record in (original, converted):
        del record["source"]["path"], record["source"]["sha256"]
    assert converted == original


def test_unreadable_file_and_folder_are_named_and_the_rest_is_built(tmp_path):
    """Run without the right to read them: as root, with the capabilities that override file modes dropped."""
    folder = tmp_path / "sources"
    (folder / "locked").mkdir(parents=True)
    (folder / "providers_places_at_31mar2031.csv").write_text(stats_csv(STATS_ROWS), encoding="utf-8")
    (folder / "providers_places_at_31mar2032.csv").write_text(stats_csv(STATS_ROWS), encoding="utf-8")
    (folder / "locked" / "providers_places_at_31mar2033.csv").write_text(stats_csv(STATS_ROWS), encoding="utf-8")
    (folder / "providers_places_at_31mar2032.csv").chmod(0)
    (folder / "locked").chmod(0)
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: every file is readable")
        dropped = "-dac_override,-dac_read_search"
        prefix = ["setpriv", f"--inh-caps={dropped}", f"--bounding-set={dropped}"]
    store = tmp_path / "store"
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store", str(store), "-q"],
                              capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    finally:
        (folder / "locked").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    output = " ".join(done.stderr.split())
    assert f"FAILED {folder / 'providers_places_at_31mar2032.csv'}: cannot read (Permission denied)" in output
    assert f"FAILED {folder / 'locked'}: folder not read: cannot read (Permission denied)" in output
    assert snapshots(store, "2031") == len(STATS_ROWS)


def test_garbage_csv_without_a_header_is_refused_from_its_first_rows(tmp_path, monkeypatch):
    from ofsted_kg.ingest import stats

    path = tmp_path / "providers_places_at_31mar2040.csv"
    with open(path, "w", encoding="utf-8") as handle:   # 30 MB of rows, none a header
        for _ in range(30):
            handle.write("a,b,c\n" * (2**20 // 6))
    rows_read = []
    original = stats._rows_with_lines

    def counted(handle):
        for row in original(handle):
            rows_read.append(row[0])
            yield row

    monkeypatch.setattr(stats, "_rows_with_lines", counted)
    result = stats.read(path)
    assert result.errors == [f"{path.name}: no header row with a URN column in the first {stats.HEADER_SEARCH_ROWS} rows"]
    assert len(rows_read) == stats.HEADER_SEARCH_ROWS


def test_a_csv_far_larger_than_any_release_is_not_read(tmp_path, monkeypatch):
    from ofsted_kg.ingest import stats

    monkeypatch.setattr(stats, "MAX_CSV_BYTES", 2**20)
    path = tmp_path / "providers_places_at_31mar2041.csv"
    path.write_text(stats_csv(STATS_ROWS * 4000), encoding="utf-8")
    result = stats.read(path)
    assert result.errors == [f"{path.name}: CSV of 2 MB, far larger than any statistics release (limit 1 MB); not read"]
    assert result.records == []


def test_a_line_without_end_is_rejected_without_being_held_and_later_rows_kept(tmp_path, monkeypatch):
    from ofsted_kg.ingest import stats

    monkeypatch.setattr(stats, "MAX_LINE_CHARS", 10_000)
    rows = list(STATS_ROWS)
    rows[3] = "SC955555,Children’s home," + "y" * 50_000 + ",Private,London,2"
    path = tmp_path / "providers_places_at_31mar2042.csv"
    path.write_text(stats_csv(rows), encoding="utf-8")
    result = stats.read(path)
    assert result.rejects == [{"row": 5, "reason": "unreadable CSV row: line longer than 10,000 characters"}]
    assert sorted(r["urn"] for r in result.records if r["record"] == "provider") == \
        sorted(row.split(",")[0] for index, row in enumerate(rows) if index != 3)
