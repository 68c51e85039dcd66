"""Reader for Ofsted's official statistics CSVs (children's social care, provider level).

Each file is read into a :class:`StatsFile`: plain JSON-able records, the rows that could
not be read (``rejects``, with their line numbers and reasons) and file-level ``errors``.
Nothing here raises for bad content, so a batch over every vintage always finishes.

Header rows differ by year, so the header is found by looking for a row with a URN column,
and columns are mapped to fields by normalised name patterns held as data
(:data:`FIELD_PATTERNS`, :data:`AREA_PATTERNS`), not by position.

>>> normalise_header("\\nLatest Full inspection event type")
'latest full inspection event type'
>>> grade_token("Requires Improvement to be good")
'requires_improvement'
>>> slug("Children's Home")
'childrens-home'
"""
from __future__ import annotations

import csv
import functools
import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .common.grades import GRADE_NUMBERS, GRADES, INTERIM_GRADE_NUMBERS
from .text import UndecodableText, file_encoding, text_encoding

URN_RE = re.compile(r"SC\d+|\d{6,8}")
EVENT_NUMBER_RE = re.compile(r"\d+")
# Excel turned a few event numbers into "1.02E+07"; the digits are lost, so the value is dropped.
SCIENTIFIC_RE = re.compile(r"\d(\.\d+)?E\+\d+", re.IGNORECASE)
DATE_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
SNAPSHOT_RE = re.compile(r"at_(\d{1,2})([a-z]{3})(\d{4})", re.IGNORECASE)
YEAR_RE = re.compile(r"(20\d\d)-(\d\d)")
MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}

HEADER_SEARCH_ROWS = 25
# the largest release is under 2 MB: a CSV fifty times that is not one, and is not read
MAX_CSV_BYTES = 100 * 2**20
# a physical line longer than this is rejected without being held whole (csv's own field limit is 131,072)
MAX_LINE_CHARS = 1 << 20
# encoding names as codecs gives them -> as reported (a byte-order mark is not a different encoding)
_ENCODING_NAMES = {"utf-8-sig": "utf-8", "utf_16_le": "utf-16", "utf_16_be": "utf-16", "utf_32_le": "utf-32",
                   "utf_32_be": "utf-32"}
GRADE_SAMPLE_ROWS = 500  # rows looked at to tell numeric grades from worded ones
NULL_VALUES = {"", "null", "n/a"}
REDACTED = "redacted"

PROVIDER_KEYS = (
    "urn", "provision_type", "provision_type_key", "sector", "sector_key", "name", "address",
    "postcode", "registration_date", "status", "places", "premises", "local_authority",
    "ofsted_region", "region", "constituency", "owner", "short_breaks_only", "multi_building",
    "linked_education_urn",
)
ADDRESS_PARTS = ("address_1", "address_2", "town", "county")

# Normalised column name (after any "latest full inspection"/"previous" prefix is taken off)
# -> field. First match wins, so the specific patterns come before the general ones.
FIELD_PATTERNS: list[tuple[str, str | None]] = [
    (r"(provider )?urn", "urn"),
    (r"linked (ed|education) urn", "linked_education_urn"),
    (r"web link", None),  # the label of a hyperlink the CSV export lost
    (r"provi(sion|der) type", "provision_type"),
    (r"registration date", "registration_date"),
    (r"registration status as at (startdate|1 april \d{4})", "status_start"),
    (r"registration status (as )?at (enddate|31 march \d{4})", "status_end"),
    (r"(provider |registration |reg )?status", "status"),
    (r"(provider |setting )?name", "name"),
    (r"(provider )?address ?1", "address_1"),
    (r"(provider )?address ?2", "address_2"),
    (r"(provider )?town", "town"),
    (r"county", "county"),
    (r"(provider )?postcode", "postcode"),
    (r"ofsted region", "ofsted_region"),
    (r"region", "ofsted_region"),  # 2014-15: "Region" holds Ofsted's regions
    (r"government office region( name)?|gor", "region"),
    (r"local authority|la", "local_authority"),
    (r"parliamentary constituency", "constituency"),
    (r"sector", "sector"),
    (r"(max estimated )?places", "places"),
    (r"(supported accommodation )?premises", "premises"),
    (r"short breaks? only( childrens home)?|short break only childrens home", "short_breaks_only"),
    (r"multi ?building childrens home", "multi_building"),
    (r"organisation( which owns the provider| name)?", "owner"),
    (r"(inspection )?event type( group)?|inspection type", "event_type"),
    (r"(inspection |event )?date", "inspection_date"),
    (r"(inspection )?publication date", "publication_date"),
    (r"(inspection )?event number|inspection id", "event_number"),
    (r"first effective date that the provider became active", "active_date"),
    (r"first effective date that the provider became resigned", "resigned_date"),
    (r"first effective date that the provider closed", "closed_date"),
    (r"first effective date that the provider became cancelled", "cancelled_date"),
    (r"date closed|close date", "closed_date"),
    (r"cancelled or resigned date|resigned closed date", "leaving_date"),
    (r"joiner status", "joiner"),
    (r"leaver status", "leaver"),
    (r"flag for appealed", "appealed"),
    (r"inspectorate as at (startdate|1 april \d{4})", "inspectorate_start"),
    (r"inspectorate as at (enddate|31 march \d{4})", "inspectorate_end"),
    (r"reason", "reason"),
    (r"notes", "notes"),
]

# Graded columns -> judgement area key. A leading "inspection " or "the " is allowed.
AREA_PATTERNS: list[tuple[str, str]] = [
    (r"overall effectiveness", "overall_effectiveness"),
    (r"overall experiences and progress of children and young people",
     "overall_experiences_and_progress"),
    (r"experiences and progress of and outcomes for children and young people",
     "experiences_and_progress"),
    (r"outcomes for children and young people", "outcomes_for_children"),
    (r"outcomes in education and related learning activities", "outcomes_in_education"),
    (r"quality of care", "quality_of_care"),
    (r"safeguarding children and young people|safety of children and young people|safeguarding",
     "safeguarding"),
    (r"leadership and management|effectiveness of leaders and managers",
     "leadership_and_management"),
    (r"how well children and young people are helped and protected", "help_and_protection"),
    (r"health services", "health"),
    (r"quality of service", "quality_of_service"),
    (r"outcomes for service users", "outcomes_for_service_users"),
    (r"helping children to be healthy", "being_healthy"),
    (r"protecting children from harm or neglect and helping them stay safe", "staying_safe"),
    (r"helping children to make a positive contribution", "positive_contribution"),
    (r"achieving economic wellbeing", "economic_wellbeing"),
    (r"quality of assessment", "quality_of_assessment"),
    (r"quality of care support and guidance", "quality_of_care_support_and_guidance"),
    (r"outcomes for residential pupils", "outcomes_for_residential_pupils"),
    (r"quality of residential provision and care", "quality_of_residential_provision"),
    (r"residential pupils safety", "residential_pupils_safety"),
    (r"leadership and management of residential provision",
     "leadership_of_residential_provision"),
    (r"outcomes for boarders", "outcomes_for_boarders"),
    (r"quality of boarding provision and care", "quality_of_boarding_provision"),
    (r"boarders safety", "boarders_safety"),
    (r"leadership and management of boarding", "leadership_of_boarding"),
    (r"outcomes for young people", "outcomes_for_young_people"),
    (r"supported accommodation outcome", "supported_accommodation"),
]

# Where a column name means something else beside certain other columns:
# (a column the header must also have, the column, its area). In 2013-14 "Organisation" sits
# among the older outcome areas (being healthy, staying safe, ...) and is a judgement, not an owner.
CONTEXT_AREAS: list[tuple[str, str, str]] = [
    ("achieving economic wellbeing", "organisation", "organisation"),
]

# Column-name prefixes that say which inspection the column belongs to.
GROUP_PREFIXES: list[tuple[str, str]] = [
    (r"previous (full inspection )?", "previous"),
    (r"latest full inspectio?n? ", ""),  # 2022 spells it "Latest full inspectio health services"
]

# Event type label -> token: first keyword found wins; anything else is "other".
EVENT_TYPES: list[tuple[str, str]] = [
    (r"\bfull\b", "full"),
    (r"\binterim\b", "interim"),
    (r"\bmonitoring\b", "monitoring"),
    (r"\bassurance\b", "assurance"),
    (r"\bemergency\b", "emergency"),
    (r"\badditional\b", "additional"),
]

FLAG_WORDS: dict[str, bool] = {
    "yes": True, "y": True, "true": True, "1": True,
    "no": False, "n": False, "false": False, "0": False,
    "short breaks only": True, "short break only childrens home": True,
    "long term care only": False, "short breaks and long term care": False,
}

# Provision-type slugs that name one type in different years' words.
PROVISION_TYPE_ALIASES: dict[str, str] = {
    "independent-fostering-provider": "independent-fostering-agency",
    "residential-special-school-295-days-year":
        "residential-special-school-registered-as-a-childrens-home",
    "further-education-college": "further-education-college-with-residential-accommodation",
}

DATE_FIELDS = {"registration_date", "inspection_date", "publication_date", "active_date",
               "resigned_date", "closed_date", "cancelled_date", "leaving_date"}
INT_FIELDS = {"places", "premises"}
FLAG_FIELDS = {"short_breaks_only", "multi_building"}


@dataclass
class StatsFile:
    """One statistics file as read: its records, rejected rows and file-level errors."""

    path: str
    kind: str  # "providers" | "inspections" | "joiners_leavers" | "closures" | "skipped"
    snapshot_date: str | None = None
    year: str | None = None
    rows_read: int = 0
    records: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skip_reason: str | None = None
    encoding: str | None = None
    header_row: int | None = None
    warnings: list[dict] = field(default_factory=list)  # {"row", "message"}: values kept or dropped


@functools.lru_cache(maxsize=4096)
def normalise_header(text: str) -> str:
    """Lower-case words of a column name: quotes, punctuation and newlines gone."""
    text = text.replace("\ufeff", "").replace("\u2019", "'").replace("'", "").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@functools.lru_cache(maxsize=1024)
def slug(text: str) -> str:
    """A lower-case hyphenated key: "Children's home" and "Children's Home" give one slug."""
    text = text.replace("\u2019", "'").replace("'", "").replace("&", " and ").lower()
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def status_label(value: object) -> str | None:
    """A registration status as one spelling: "ACTIVE" and " active" give "Active", as the stored
    queries ask for it."""
    if value is None:
        return None
    words = str(value).split()
    return " ".join(words).capitalize() if words else None


def grade_token(value: str) -> str | None:
    """The grade token for a worded grade, or None when the words are not a known grade."""
    return GRADES.get(normalise_header(value))


def event_type_token(label: str) -> str:
    """full, interim, monitoring, assurance, emergency, additional or other."""
    lowered = label.lower()
    for pattern, token in EVENT_TYPES:
        if re.search(pattern, lowered):
            return token
    return "other"


@functools.lru_cache(maxsize=16384)
def parse_date(value: str) -> str:
    """ISO date for dd/mm/yyyy (or ISO) text; raises ValueError for anything else."""
    match = DATE_RE.fullmatch(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = ISO_DATE_RE.fullmatch(value)
        if not match:
            raise ValueError(value)
        year, month, day = (int(g) for g in match.groups())
    return date(year, month, day).isoformat()


def _compile(patterns, prefix=""):
    return [(re.compile(prefix + "(?:" + p + ")"), target) for p, target in patterns]


_FIELDS = _compile(FIELD_PATTERNS)
_AREAS = _compile(AREA_PATTERNS, prefix=r"(?:inspection )?(?:the )?")
_GROUPS = [(re.compile(p), group) for p, group in GROUP_PREFIXES]


@dataclass
class Column:
    index: int
    label: str  # as printed, whitespace collapsed
    group: str  # "" for the row's own (or latest full) inspection, "previous" for the one before
    target: str  # a field name, or "area:<key>" for a graded column
    converter: str = field(init=False)  # how a cell is read: area, date, int, flag, event_number, text

    def __post_init__(self):
        self.converter = ("area" if self.target.startswith("area:") else
                          "date" if self.target in DATE_FIELDS else
                          "int" if self.target in INT_FIELDS else
                          "flag" if self.target in FLAG_FIELDS else
                          "event_number" if self.target == "event_number" else "text")


def map_columns(header: list[str]) -> list[Column]:
    """The columns of a header row that hold fields, with what each one holds."""
    names = [normalise_header(cell) for cell in header]
    present = set(names)
    columns = []
    for index, (cell, name) in enumerate(zip(header, names)):
        if not name:
            continue
        group = ""
        for pattern, group_name in _GROUPS:
            match = pattern.match(name)
            if match and match.end() < len(name):
                group, name = group_name, name[match.end():]
                break
        target = _match_column(name, present)
        if target:
            columns.append(Column(index, " ".join(cell.replace("\ufeff", "").split()), group, target))
    return columns


def _match_column(name: str, present: set[str]) -> str | None:
    for needed, column, area in CONTEXT_AREAS:
        if name == column and needed in present:
            return "area:" + area
    for pattern, area in _AREAS:
        if pattern.fullmatch(name):
            return "area:" + area
    for pattern, target in _FIELDS:
        if pattern.fullmatch(name):
            return target
    return None


FILE_KINDS = [("providers", "providers"), ("inspections", "inspections"),
              ("joiners_leavers", "joiners_leavers"), ("closed_providers", "closures")]


def kind_from_name(path: Path) -> str | None:
    """The kind of file its name says, or None for a name of no known vintage."""
    name = path.name.lower()
    return next((kind for prefix, kind in FILE_KINDS if name.startswith(prefix)), None)


def kind_from_columns(columns: list[Column]) -> str:
    """The kind of file its columns suggest (for files named otherwise)."""
    targets = {c.target for c in columns}
    if {"joiner", "leaver"} & targets:
        return "joiners_leavers"
    if "closed_date" in targets and "provision_type" not in targets:
        return "closures"
    if "event_type" in targets and "registration_date" not in targets and "places" not in targets:
        return "inspections"
    return "providers"


def snapshot_date_of(path: Path) -> str | None:
    """"2025-03-31" for providers_places_at_31mar2025.csv."""
    match = SNAPSHOT_RE.search(path.name)
    if not match or match.group(2).lower() not in MONTHS:
        return None
    day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
    return date(year, month, day).isoformat()


def year_of(path: Path) -> str | None:
    """"2023-24" for inspections_2023-24_all.csv."""
    match = YEAR_RE.search(path.name)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding name (see ofsted_kg.ingest.text.text_encoding); raises UndecodableText."""
    encoding = text_encoding([raw])
    return raw.decode(encoding), _ENCODING_NAMES.get(encoding, encoding)


def read(path) -> StatsFile:
    """Read one statistics file. Never raises for bad content: problems become values.

    The file is read as a stream: its encoding is found in one pass over its bytes, then its rows
    are read one at a time, so memory follows the records kept, not the size of the file.

    >>> read("no/such/file.csv").errors
    ['no/such/file.csv: cannot be read (FileNotFoundError)']
    """
    path_obj = Path(path)
    result = StatsFile(path=str(path), kind=kind_from_name(path_obj) or "unknown")
    suffix = path_obj.suffix.lower()
    if suffix != ".csv":
        result.kind = "skipped"
        sibling = path_obj.with_suffix(".csv")
        if suffix == ".ods" and sibling.exists():
            result.skip_reason = (f"{path_obj.name}: ODS workbook not read; {sibling.name} holds "
                                  "the same release and is read instead")
        else:
            result.skip_reason = f"{path_obj.name}: only CSV files are read (no {suffix or 'suffix'} reader)"
        return result
    try:
        size = path_obj.stat().st_size
        if size > MAX_CSV_BYTES:
            result.errors.append(f"{path_obj.name}: CSV of {size / 2**20:,.0f} MB, far larger than any statistics "
                                 f"release (limit {MAX_CSV_BYTES // 2**20} MB); not read")
            return result
        if size < 64 and not path_obj.read_bytes().strip(b"\xef\xbb\xbf \t\r\n"):
            result.errors.append(f"{path_obj.name}: file is empty")
            return result
        encoding = file_encoding(path_obj)
        with open(path_obj, encoding=encoding, newline="") as handle:
            result.encoding = _ENCODING_NAMES.get(encoding, encoding)
            _read_rows(handle, path_obj, result)
    except UndecodableText as exc:
        result.errors.append(f"{path_obj.name}: not a text CSV: {exc}")
    except OSError as exc:
        result.errors.append(f"{path}: cannot be read ({type(exc).__name__})")
    except UnicodeDecodeError as exc:   # the file changed between the two passes
        result.errors.append(f"{path_obj.name}: undecodable as {encoding} ({exc.reason})")
    return result


def read_all(folder) -> list[StatsFile]:
    """Every .csv and .ods file under folder, read, in sorted path order."""
    paths = sorted(p for p in Path(folder).rglob("*")
                   if p.is_file() and p.suffix.lower() in (".csv", ".ods"))
    return [read(p) for p in paths]


class _Lines:
    """The lines of a text file for csv.reader, each at most MAX_LINE_CHARS long.

    A longer line (a runaway quoted field, or no line breaks at all) is not held whole: it is
    read past in pieces and stands as an empty line, its number kept in ``overlong``.
    """

    def __init__(self, handle) -> None:
        self.handle = handle
        self.number = 0
        self.overlong: set[int] = set()

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.handle.readline(MAX_LINE_CHARS)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) == MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            self.overlong.add(self.number)
            while (rest := self.handle.readline(MAX_LINE_CHARS)) and not rest.endswith(("\n", "\r")):
                pass
            return "\n"
        return line


def _rows_with_lines(handle):
    """(first line number, cells, problem) for each CSV row; a row that cannot be read has cells None
    and the reason as problem, and reading goes on at the next line."""
    lines = _Lines(handle)
    reader = csv.reader(lines)
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line + 1, None, str(exc)
        else:
            if lines.number in lines.overlong:
                yield lines.number, None, f"line longer than {MAX_LINE_CHARS:,} characters"
            else:
                yield line + 1, cells, None
        line = lines.number


def _is_header(cells: list[str]) -> bool:
    return any(normalise_header(c) in ("urn", "provider urn") for c in cells)


def _read_rows(handle, path: Path, result: StatsFile) -> None:
    rows = _rows_with_lines(handle)
    # the header is looked for in the first rows only: a file without one is not read to its end
    for header_line, header, _ in itertools.islice(rows, HEADER_SEARCH_ROWS):
        if header is not None and _is_header(header):
            break
    else:
        result.errors.append(f"{path.name}: no header row with a URN column in the first "
                             f"{HEADER_SEARCH_ROWS} rows")
        return
    result.header_row = header_line
    columns = map_columns(header)
    if result.kind == "unknown":
        result.kind = kind_from_columns(columns)
    if result.kind == "providers":
        result.snapshot_date = snapshot_date_of(path)
    if result.kind in ("inspections", "joiners_leavers"):
        result.year = year_of(path)
    urn_column = next(c for c in columns if c.target == "urn")
    sample = list(itertools.islice(rows, GRADE_SAMPLE_ROWS))
    numeric = _numeric_grades(columns, sample)
    for line, cells, csv_error in itertools.chain(sample, rows):
        if csv_error is not None:
            result.rows_read += 1
            result.rejects.append({"row": line, "reason": f"unreadable CSV row: {csv_error}"})
            continue
        if not "".join(cells).strip():
            continue
        if _is_note(cells, urn_column.index):
            result.warnings.append({"row": line, "message": "note row skipped: "
                                    + next(c.strip() for c in cells if c.strip())[:80]})
            continue
        result.rows_read += 1
        row = _Row(cells, header, columns, numeric, line, result)
        records = row.records()
        if row.problems:
            result.rejects.append({"row": line, "reason": "; ".join(row.problems)})
        else:
            result.records.extend(records)
    if not result.rows_read and not result.rejects:
        result.errors.append(f"{path.name}: a header row (line {header_line}) and no data rows")


def _is_note(cells: list[str], urn_index: int) -> bool:
    """A single cell of text after the data (a footnote or source line), not a provider row."""
    filled = []
    for index, cell in enumerate(cells):
        if cell and not cell.isspace():
            filled.append((index, cell.strip()))
            if len(filled) > 1:
                return False
    index, value = filled[0]
    return index != urn_index or (" " in value and not URN_RE.fullmatch(value))


def _numeric_grades(columns: list[Column], data) -> bool:
    """True when the file's grade cells are numbers (2013-14 children's homes), not words."""
    areas = [c.index for c in columns if c.target.startswith("area:")]
    numbers = words = 0
    for _, cells, _ in data[:GRADE_SAMPLE_ROWS]:
        for index in areas:
            value = cells[index].strip() if cells and index < len(cells) else ""
            if value.lower() in NULL_VALUES:
                continue
            if value.isdigit():
                numbers += 1
            else:
                words += 1
    return numbers > words


class _Row:
    """One data row: its values by field and group, the problems found, and its records."""

    def __init__(self, cells, header, columns, numeric, line, result: StatsFile):
        self.line = line
        self.result = result
        self.problems: list[str] = []
        self.values: dict[str, dict[str, object]] = {"": {}, "previous": {}}
        self.judgements: dict[str, dict[str, str]] = {"": {}, "previous": {}}
        self._check_length(cells, header, columns)
        width = len(cells)
        for column in columns:
            raw = cells[column.index] if column.index < width else ""
            if not raw or raw.isspace():
                continue
            value = " ".join(raw.split())
            if len(value) <= 4 and value.lower() in NULL_VALUES:
                continue
            if column.converter == "text":
                self.values[column.group].setdefault(column.target, value)
            else:
                self._take(column, value, numeric)
        urn = self.values[""].get("urn")
        if urn is None:
            self.problems.insert(0, "URN is blank")
        elif not URN_RE.fullmatch(str(urn)):
            self.problems.insert(0, f"URN {urn!r} does not look like a URN (SC + digits, or 6-8 digits)")

    def _check_length(self, cells, header, columns):
        if len(cells) < len(header):
            missing = [c.label for c in columns if c.index >= len(cells)]
            if missing:
                self.problems.append(f"row has {len(cells)} cells, header has {len(header)}; "
                                     f"missing: {', '.join(missing)}")
        elif len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            self.problems.append(f"row has {len(cells)} cells, more than the header's "
                                 f"{len(header)}; cells shifted?")

    def _take(self, column: Column, value: str, numeric: bool) -> None:
        target, bucket, converter = column.target, self.values[column.group], column.converter
        if converter == "area":
            self._take_grade(column, value, numeric)
        elif converter == "date":
            try:
                bucket[target] = parse_date(value)
            except ValueError:
                self.problems.append(f"{column.label}: {value!r} is not a date")
        elif converter == "int":
            if value.isdigit():
                bucket[target] = int(value)
            else:
                self.problems.append(f"{column.label}: {value!r} is not a whole number")
        elif converter == "flag":
            flag = FLAG_WORDS.get(normalise_header(value))
            if flag is None:
                self.problems.append(f"{column.label}: {value!r} is not a recognised yes/no value")
            else:
                bucket[target] = flag
        elif converter == "event_number":
            if SCIENTIFIC_RE.fullmatch(value):
                self.result.warnings.append({"row": self.line, "message":
                                             f"{column.label}: {value!r} mangled by a spreadsheet; "
                                             "event number dropped"})
            elif EVENT_NUMBER_RE.fullmatch(value):
                bucket[target] = value
            else:
                self.problems.append(f"{column.label}: {value!r} is not an event number")

    def _take_grade(self, column: Column, value: str, numeric: bool) -> None:
        area = column.target[len("area:"):]
        if numeric:
            interim = "interim" in str(self.values[""].get("event_type", "")).lower()
            scale = INTERIM_GRADE_NUMBERS if interim else GRADE_NUMBERS
            if value not in scale:
                self.problems.append(f"{column.label}: unrecognised grade {value!r} for "
                                     f"{'an interim' if interim else 'a full'} inspection "
                                     f"(numeric codes are {', '.join(sorted(scale))})")
                return
            token = scale[value]
        else:
            token = grade_token(value)
            if token is None:
                self.problems.append(f"{column.label}: unrecognised grade {value!r}")
                return
        if token is not None:
            self.judgements[column.group].setdefault(area, token)

    def provider(self) -> dict:
        values = self.values[""]
        provider = {key: values.get(key) for key in PROVIDER_KEYS}
        provider["status"] = status_label(provider["status"])
        for key in ("provision_type", "sector"):
            if provider[key] is not None:
                key_slug = slug(str(provider[key]))
                if key == "provision_type":
                    key_slug = PROVISION_TYPE_ALIASES.get(key_slug, key_slug)
                provider[key + "_key"] = key_slug
        for key in ("name", "postcode"):
            if str(provider[key]).lower() == REDACTED:
                provider[key] = None
        parts = [str(values[p]) for p in ADDRESS_PARTS
                 if values.get(p) is not None and str(values[p]).lower() != REDACTED]
        provider["address"] = ", ".join(parts) or None
        return provider

    def inspection(self, group: str, provider: dict) -> dict:
        values = self.values[group]
        label = values.get("event_type")
        return {
            "record": "inspection",
            "urn": provider["urn"],
            "event_number": values.get("event_number"),
            "event_type": event_type_token(str(label)) if label is not None else None,
            "event_type_label": label,
            "inspection_date": values.get("inspection_date"),
            "publication_date": values.get("publication_date"),
            "judgements": dict(self.judgements[group]),
            "latest_full": False,
            "previous_full": False,
            "year": self.result.year,
            "snapshot_date": self.result.snapshot_date,
            "provider": provider,
            "source_row": self.line,
        }

    def _has_inspection(self, group: str) -> bool:
        values = self.values[group]
        return values.get("event_number") is not None or values.get("inspection_date") is not None

    def records(self) -> list[dict]:
        kind = self.result.kind
        if self.problems:
            return []
        if kind == "closures":
            values = self.values[""]
            return [{"record": "closure", "urn": values["urn"], "status": status_label(values.get("status")),
                     "close_date": values.get("closed_date"), "source_row": self.line}]
        provider = self.provider()
        if kind == "joiners_leavers":
            return [self._registration_change(provider)]
        records = []
        if kind == "providers":
            records.append({"record": "provider", **provider,
                            "snapshot_date": self.result.snapshot_date, "source_row": self.line})
            if self._has_inspection(""):
                latest = self.inspection("", provider)
                latest["latest_full"] = True
                records.append(latest)
        else:
            records.append(self.inspection("", provider))
        if self._has_inspection("previous"):
            previous = self.inspection("previous", provider)
            previous["previous_full"] = True
            records.append(previous)
        return records

    def _registration_change(self, provider: dict) -> dict:
        values = self.values[""]
        joiner = str(values.get("joiner", "")).lower() == "joiner"
        leaver = str(values.get("leaver", "")).lower() == "leaver"
        # A provider that joined and left in one year is recorded as a leaver (its end state);
        # the joiner and leaver flags keep both facts.
        change = "leaver" if leaver else "joiner" if joiner else None
        appealed = values.get("appealed")
        return {
            "record": "registration_change",
            "urn": provider["urn"],
            "change": change,
            "joiner": joiner,
            "leaver": leaver,
            "year": self.result.year,
            "active_date": values.get("active_date"),
            "resigned_date": values.get("resigned_date"),
            "closed_date": values.get("closed_date"),
            "cancelled_date": values.get("cancelled_date"),
            "leaving_date": values.get("leaving_date"),
            "status_start": values.get("status_start"),
            "status_end": values.get("status_end"),
            "reason": values.get("reason"),
            "notes": values.get("notes"),
            "appealed": None if appealed in (None, "???") else appealed,
            "inspectorate_start": values.get("inspectorate_start"),
            "inspectorate_end": values.get("inspectorate_end"),
            **{k: v for k, v in provider.items() if k != "urn"},
            "source_row": self.line,
        }
