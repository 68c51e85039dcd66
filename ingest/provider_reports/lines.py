"""Text helpers of the provider-report reader: normalised text without page furniture, labelled values,
the printed forms of dates, grades and counts."""
from __future__ import annotations

import re

from ..common import dates as common_dates
from ..common.dates import DASH as DASH_CHARACTER
from ..common.dates import DAY, MONTH
from ..common.grades import GRADE_WORDS as PRINTED_GRADE
from ..common.grades import REPORT_SCALE, grade_token

# the printed dates of the common grammar (ofsted_kg.ingest.common.dates), as patterns to find them in running text
LONG_DATE = rf"{DAY}\s+{MONTH}\s+\d{{4}}"
NUMERIC_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
ANY_DATE = rf"(?:{LONG_DATE}|{NUMERIC_DATE})"
#: what joins the two ends of a printed range
RANGE_JOIN = rf"(?:to|until|and|{DASH_CHARACTER})"

GRADE_WORDS = rf"(?:{PRINTED_GRADE})"

NUMBER_WORDS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}


# Running headers and footers of Ofsted's PDFs, as text extraction leaves them inside the flow:
# "Inspection report for children's home: SC474747", "Inspection report for independent fostering
# agency: Nexus Fostering", "Page 4 of 10", "3 of 12".
_RUNNING_HEAD = re.compile(r"^\s*inspection\s+report\s+(?:for\s+)?(?:an?\s+)?[a-z' ]{3,60}:\s*\S.{0,100}$", re.I)
_PAGE_OF = re.compile(r"^\s*(?:page\s+)?\d{1,3}\s+of\s+\d{1,3}\s*$", re.I)
def _capitals() -> str:
    """Every capital letter Unicode knows in the basic plane, as the ranges of a character class.

    A person's name starts with a capital of any alphabet (Łukasz, Ó Súilleabháin, Zoë), so the
    class comes from the Unicode database rather than from A-Z.
    """
    runs: list[list[int]] = []
    for point in range(0x10000):
        character = chr(point)
        if character.isupper() or character.istitle():
            if runs and runs[-1][1] == point - 1:
                runs[-1][1] = point
            else:
                runs.append([point, point])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs)


#: a capital letter of any alphabet, and a letter of any case with any accents printed after it as
#: combining marks (Adébáyọ̀ keeps a grave accent that has no precomposed letter)
CAPITAL = f"[{_capitals()}]"
LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
# one word of a name: a capital, then letters, apostrophes (O'Neill), hyphens (Bradwell-Ortiz) and full stops (J.)
_NAME_WORD = rf"{CAPITAL}(?:{LETTER}|['\u2019.\-])*"
# lower-case particles inside a name (Ursula von der Leyen, Aoife ní Bhriain)
_PARTICLE = r"(?:de|del|della|di|da|das|dos|du|van|von|der|den|ter|le|la|al|el|bin|ibn|ap|ní|nic|mac|ó|ua)"
#: a person's name as printed: words of any alphabet, each starting with a capital
NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_PARTICLE}(?=(?:\s+{_PARTICLE})*\s+{CAPITAL})))*"
HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof(?:essor)?|Rev(?:erend)?)\.?\s+")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
BULLETS = "\u2022\u25cf\u25a0\u25aa\u25e6\u2023\u2043\uf0b7\uf0a7"


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\u00a0", " ")
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\u00ad", "").replace("\ufffe", "-")
    text = re.sub(r"[\uf0b7\uf0a7]", "\u2022", text)  # bullets in the Symbol font's private code points
    lines = unfold_label_blocks([line.rstrip() for line in text.split("\n")])
    text = "\n".join(_drop_running_furniture(lines))
    # a word broken at a line end ("arrange-" / "ments"): one word, hyphen kept, as for PDFs (ofsted_kg.ingest.text)
    return re.sub(r"(?<=[a-z])-\n[ \t]*(?=[a-z])", "-", text)


# the pieces of a running header or footer: "Inspection report: ...", the URN, the inspection dates,
# a page number ("Page 3 of 9", "3"), and the separators between them
_URN_TOKEN = r"\b(?:SC|EY)?\d{6,7}\b"
_FURNITURE_PIECE = re.compile(
    rf"inspection\s+report(?:\s+for\s+[a-z' ]{{3,60}})?\s*:?|{_URN_TOKEN}"
    rf"|(?:{DAY}\s+(?:{MONTH}\s+)?(?:\d{{4}}\s+)?{RANGE_JOIN}\s+)?{ANY_DATE}"
    rf"|page\s+\d{{1,3}}(?:\s+of\s+\d{{1,3}})?|\d{{1,3}}\s+of\s+\d{{1,3}}|\b\d{{1,3}}\b|[|,:\-\u2013\u2014]", re.I)
_PAGE_NUMBER_AT_END = re.compile(r"\s+(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
_REPORT_TITLE = re.compile(r"^\s*inspection\s+report\s*:\s*\S.{0,100}$", re.I)


def _furniture_kind(line: str) -> str | None:
    """"strong" for a line that can only be page furniture, "weak" for one that is furniture beside
    other furniture or when it repeats (a lone number, date or URN), None for content."""
    if _RUNNING_HEAD.match(line) or _PAGE_OF.match(line) or _REPORT_TITLE.match(line):
        return "strong"
    if not line.strip() or _FURNITURE_PIECE.sub(" ", line).strip():
        return None
    pieces = [piece for piece in _FURNITURE_PIECE.findall(line) if piece.strip(" |,:-\u2013\u2014")]
    has_urn = any(re.fullmatch(_URN_TOKEN, piece) for piece in pieces)
    return "strong" if has_urn and len(pieces) > 1 else "weak"


def _drop_running_furniture(lines: list[str]) -> list[str]:
    """Lines without the page furniture a text extraction of a PDF leaves between paragraphs.

    A running header or footer (the URN with the dates or a page number, "Inspection report for
    ...: ...", "Page 4 of 10") goes wherever it is; a lone URN when the document prints it elsewhere too; a
    bare page number, or the inspection's dates, only next to other furniture (blank lines aside),
    since a lone number or date elsewhere may be content. A lone URN among the first lines is the title and stays.
    Where the furniture interrupts a sentence, the blank lines around it go too, so that a
    requirement or recommendation crossing a page is one paragraph again.
    """
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    kinds = {i: _furniture_kind(lines[i]) for i in nonblank}
    title = set(nonblank[:3])  # a URN standing alone among them is the report's heading, not a running header
    # a lone date is furniture only when it is the inspection's own (a running footer prints that),
    # never another date, such as a row of the inspection history that a page break lands beside
    printed = {squash(match.group(1)) for line in lines
               if (match := re.match(r"\s*(?:inspection|visit)\s+dates?\s*:\s*(\S.*)$", line, re.I))}
    for i, kind in kinds.items():
        if kind == "weak" and re.search(ANY_DATE, lines[i], re.I) and squash(lines[i]) not in printed:
            kinds[i] = None
    # how often each URN is printed anywhere (a running header repeats the one the head labels)
    repeats: dict[str, int] = {}
    for line in lines:
        for urn in re.findall(_URN_TOKEN, line):
            repeats[urn] = repeats.get(urn, 0) + 1
    furniture = {i for i, kind in kinds.items()
                 if kind == "strong" or (kind == "weak" and i not in title and repeats.get(lines[i].strip(), 0) > 1)}
    # a running header of other words with the inspection's dates ("Harbour Lights Fostering 9 to 13
    # January 2023", perhaps with the page number): the same line on several pages, never a label or a sentence
    running: dict[str, list[int]] = {}
    for i in nonblank:
        key = squash(_PAGE_NUMBER_AT_END.sub("", lines[i]))
        words = _FURNITURE_PIECE.sub(" ", key).split()
        # the other words are a title (a provider's name), not the start of a sentence or a table row
        titled = bool(words) and all(word[0].isupper() or word in {"of", "and", "for", "the", "&", "-"} for word in words)
        if re.search(ANY_DATE, key, re.I) and titled and ":" not in key and "\t" not in lines[i] and len(key) < 120:
            running.setdefault(key, []).append(i)
    furniture |= {i for found in running.values() if len(found) > 1 for i in found}
    changed = True
    while changed:
        changed = False
        for position, i in enumerate(nonblank):
            if kinds.get(i) == "weak" and i not in furniture:
                neighbours = nonblank[max(0, position - 1):position] + nonblank[position + 1:position + 2]
                if any(n in furniture for n in neighbours):
                    furniture.add(i)
                    changed = True
    kept: list[str] = []
    i = 0
    while i < len(lines):
        if i not in furniture:
            kept.append(lines[i])
            i += 1
            continue
        while i < len(lines) and (i in furniture or not lines[i].strip()):
            i += 1  # the run of furniture and the blank lines in and after it
        while kept and not kept[-1].strip():
            kept.pop()
        if kept and i < len(lines) and not re.search(r"[.:;!?)]\s*$", kept[-1]):
            continue  # a sentence broken by the page: its halves meet again
        if kept and i < len(lines):
            kept.append("")
    return kept


def squash(text: str) -> str:
    return " ".join(text.split())


def labelled(text: str, label: str, loose: bool = False) -> str | None:
    """The value of a "Label: value" line.

    The value follows a colon, a tab or a run of spaces on the same line, or stands on the next
    line after a label ending in a colon. ``loose`` also accepts one space (pdfium's join of a
    two-column table row), for short lines whose value starts with a capital or a digit.
    """
    pattern = re.compile(rf"^[ \t]*(?:{label})[ \t]*(:|\t|[ ]{{2,}})[ \t]*(.*)$", re.I | re.M)
    for match in pattern.finditer(text):
        value = match.group(2).strip()
        if not value and match.group(1) == ":":
            following = text[match.end():].lstrip("\n").split("\n", 1)[0].strip()
            if following and not re.match(r"^[^\W\d_][^\W\d]{2,40}(?::|\t)", following) and len(following) < 200:
                value = following
        value = squash(value)
        if value:
            return value
    if loose:
        pattern = re.compile(rf"^[ \t]*(?:{label})[ ]([^\W_][^\n]{{1,100}})$", re.I | re.M)
        for match in pattern.finditer(text):
            value = squash(match.group(1))
            if (value[0].isupper() or value[0].isdigit()) and not value.endswith(".") \
                    and not re.match(r"(?:Is|Was|Has|Have|Will|And|Of)\b", value):
                return value
    return None


def parse_date(value: str) -> str | None:
    """An ISO date from "5 December 2022", "5th Dec 2022" or "05/12/2022" (day first)."""
    found = common_dates.parse_date(value)
    return found.isoformat() if found else None


def parse_date_range(value: str) -> tuple[str | None, str | None]:
    """(start, end) from "5 to 9 December 2022", "28 February to 2 March 2023", "30 December 2022 to 3 January 2023"."""
    start, end, _ = common_dates.parse_date_range(squash(value))
    return (start.isoformat() if start else None, end.isoformat() if end else None)


def normalise_grade(value: str | None) -> str | None:
    """A grade token from a printed grade ("Requires improvement to be good" -> requires_improvement).

    "adequate" (the scale before 2014) has no token: left out rather than guessed."""
    return grade_token(squash(value).strip(" .:") if value else None, scale=REPORT_SCALE)



# The labels of the head of reports before 2017, printed on lines of their own with their values on
# the lines after them: each label followed by its value, or the whole run of labels followed by the
# run of values in the same order. The kind says what a value looks like.
_BLOCK_LABELS: tuple[tuple[str, str], ...] = (
    ("date", r"inspection\s+dates?|date\s+of\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection"
             r"|(?:last|previous)(?:\s+full)?\s+inspection\s+date"),
    ("urn", r"unique\s+reference\s+number|URN"),
    ("address", r"registered\s+(?:person|provider)(?:\s*\(s\))?\s+address|setting\s+address"),
    ("text", r"type\s+of\s+inspection|provision\s+sub-?\s?type|registered\s+(?:person|provider)(?:\s*\(s\))?"
             r"|responsible\s+individual|registered\s+manager|previous\s+inspection\s+judgement"
             r"|enforcement\s+action(?:\s+since\s+(?:the\s+)?(?:last|previous)(?:\s+full)?\s+inspection)?"),
    ("people", r"(?:lead\s+)?inspectors?"),
)
_URN_VALUE = re.compile(r"[A-Z]{1,3}\d{5,8}|\d{6,8}")


def _block_label(line: str) -> str | None:
    """The kind of a label standing alone on ``line`` (a colon after it allowed), or None."""
    printed = squash(line).rstrip(":").strip()
    return next((kind for kind, pattern in _BLOCK_LABELS if re.fullmatch(pattern, printed, re.I)), None)


def _label_at(lines: list[str], i: int) -> tuple[str, str, int] | None:
    """(label, kind, lines used) of a label starting at line ``i``; a label may wrap over three lines."""
    for width in (3, 2, 1):
        chunk = lines[i:i + width]
        if len(chunk) == width and all(line.strip() for line in chunk):
            kind = _block_label(" ".join(chunk))
            if kind:
                return squash(" ".join(chunk)).rstrip(":").strip(), kind, width
    return None


def _block_value(lines: list[str], k: int, kind: str) -> tuple[str | None, int]:
    """The value of a label of ``kind`` starting at line ``k`` and the line after it: one line, or an
    address's lines up to the one with its postcode."""
    while k < len(lines) and not lines[k].strip():
        k += 1
    if k >= len(lines) or _label_at(lines, k) or _furniture_kind(lines[k]) == "strong":
        return None, k  # a running header after a table's header cell is no value
    taken = [squash(lines[k])]
    if kind == "people":
        # one name a line ("Name" or "Name, Title"), as many as follow
        person = rf"{NAME}(?:\s*,\s*[^,]{{3,80}})?"
        if not re.fullmatch(person, taken[0]):
            return None, k
        while k + len(taken) < len(lines) and re.fullmatch(person, squash(lines[k + len(taken)])) \
                and not _label_at(lines, k + len(taken)):
            taken.append(squash(lines[k + len(taken)]))
        return "\n".join(taken), k + len(taken)
    if kind == "address" and not POSTCODE.search(taken[0]):
        for extra in range(1, 5):
            following = lines[k + extra] if k + extra < len(lines) else ""
            if not following.strip() or _label_at(lines, k + extra):
                break
            if POSTCODE.search(following):
                taken += [squash(line) for line in lines[k + 1:k + extra + 1]]
                break
    value = taken[0]
    for line in taken[1:]:
        value += (" " if value.endswith(",") or POSTCODE.match(line) else ", ") + line
    if kind == "date" and parse_date_range(value)[0] is None:
        return None, k
    if kind == "urn" and not _URN_VALUE.fullmatch(value):
        return None, k
    return value, k + len(taken)


def unfold_label_blocks(lines: list[str]) -> list[str]:
    """``lines`` with each run of labels on lines of their own, and the values after them, written
    as "Label: value" lines, the form every other layout prints and the readers read.

    >>> unfold_label_blocks(["Inspection date", "Unique reference number", "12/04/2016", "SC471052"])
    ['Inspection date: 12/04/2016', 'Unique reference number: SC471052']
    >>> unfold_label_blocks(["Enforcement action since last", "inspection", "None", "Summary"])
    ['Enforcement action since last inspection: None', 'Summary']
    """
    # a letter's address block ("Name / Responsible individual / Company" above "Dear ...") is not a label block
    salutation = next((n for n, line in enumerate(lines) if re.match(r"\s*dear\s", line, re.I)), None)
    out: list[str] = list(lines[:salutation]) if salutation is not None else []
    i = len(out)
    while i < len(lines):
        labels: list[tuple[str, str]] = []
        j = i
        while j < len(lines):
            found = _label_at(lines, j)
            if not found:
                break
            labels.append(found[:2])
            j += found[2]
        if not labels:
            out.append(lines[i])
            i += 1
            continue
        values, k = [], j
        for _, kind in labels:
            value, k = _block_value(lines, k, kind)
            if value is None:
                break
            values.append(value)
        if len(values) != len(labels):
            out.extend(lines[i:j])  # not a block of values after all: left as printed
            i = j
            continue
        for (label, kind), value in zip(labels, values):
            # inspectors keep the heading-and-lines form the details block of every layout prints
            out.extend([label, value] if kind == "people" else [f"{label}: {value}"])
        i = k
    return out
