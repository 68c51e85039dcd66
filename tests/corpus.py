"""Small corpora for build tests, made from real files in ../shared."""
import shutil

ROWS_KEPT = 250


def copy_head(source, folder, lines=ROWS_KEPT):
    """Copy the first ``lines`` lines of a real statistics CSV (all of any other file) into ``folder``."""
    target = folder / source.name
    if source.suffix == ".csv" and source.name != "la_lookup.csv":
        target.write_bytes(b"".join(source.read_bytes().splitlines(keepends=True)[:lines]))
    else:
        shutil.copy(source, target)
    return target
