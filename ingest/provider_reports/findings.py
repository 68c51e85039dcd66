"""Findings: the statutory requirements table and the recommendations, with their citations."""
from __future__ import annotations

import re

from ..citations import instruments_for_setting, instruments_named, looks_like_citation, parse_citation_text
from ..text import Document
from .lines import ANY_DATE, BULLETS, parse_date, squash

_SECTION_END = re.compile(
    r"^\s*(?:information\s+about\s+this\s+inspection|what\s+the\s+inspection\s+judgements\s+mean"
    r"|[a-z' \u2019]{3,60}\s+details|inspectors?\s*:?$|full\s+report\s*$|inspection\s+judgements\s*$"
    r"|summary\s+of\s+findings|yours\s+sincerely|any\s+complaints\s+about\s+the\s+inspection"
    r"|complaints\s+about\s+this\s+inspection|the\s+office\s+for\s+standards\s+in\s+education"
    r"|recent\s+inspection\s+history|about\s+this\s+inspection)", re.I)



def default_instruments(text: str, setting_type: str | None, on: str | None = None) -> tuple[str | None, str | None]:
    """The instruments a bare "Regulation N" and a bare standard number belong to.

    The setting type gives a first answer; the requirements preamble ("This section sets out the
    actions ... to meet the Care Standards Act 2000, <regulations> and <standards>") confirms or
    overrides it, and one naming only regulations this catalogue lacks (older ones) clears it.
    """
    regulations, standards = instruments_for_setting(setting_type, on)
    preamble = re.search(r"this\s+section\s+sets\s+out\s+the\s+actions?.{0,600}?(?:timescales?|\n\s*\n)", text, re.I | re.S) \
        or re.search(r"how\s+well\s+it\s+complies\s+with.{0,300}?\.", text, re.I | re.S)
    if not preamble:
        return regulations, standards
    words = preamble.group(0)
    named = instruments_named(words)
    if named and regulations not in named:
        regulations = named[0]
    elif not named and re.search(r"regulations\s+(?:19|20)\d\d", words, re.I):
        regulations = None
    if preamble.group(0).lower().startswith("this") and standards == "qs/childrens-homes-2015" and re.search(r"national\s+minimum\s+standards", words, re.I) \
            and not re.search(r"guide\s+to\s+the\s+children", words, re.I):
        standards = None  # the children's homes standards of 2011, which the 2015 guide replaced
    return regulations, standards


def _improvement_region(text: str) -> str | None:
    start = re.search(r"^\s*(?:what\s+does\s+the\s+.{3,80}?need\s+to\s+do\s+to\s+improve\??.*|statutory\s+requirements?\s*:?"
                      r"|requirements?\s+and\s+recommendations\s*:?|recommendations?\s*:?|points\s+for\s+improvement\s*:?"
                      r"|compliance\s+with\s+(?:the\s+)?national\s+minimum\s+standards.*"
                      r"|this\s+section\s+sets\s+out\s+the\s+actions?.*)\s*$", text, re.I | re.M)
    if not start:
        return None
    lines = text[start.start():].split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        if _SECTION_END.match(line):
            break
        kept.append(line)
    return "\n".join(kept)


DATE_AT_END = re.compile(rf"(?:^|\t|\s+)({ANY_DATE})\s*$", re.I)
_IMMEDIATE_AT_END = re.compile(r"(?:\t|\s{2,})(?:immediately|immediate|with\s+immediate\s+effect)\s*$", re.I)
_IMMEDIATE_LINE = re.compile(r"^\s*(?:immediately|immediate|with\s+immediate\s+effect)\.?\s*$", re.I)
# "Regulation 13 (1)(a)(b) (the leadership and management standard)" closing a row, no outer parentheses
_BARE_CITATION_AT_END = re.compile(
    r"(^|[.;:\s])(Regulations?\s+\d{1,3}[A-Z]?(?:\s*\(\s*[0-9A-Za-z]{1,6}\s*\))*"
    r"(?:\s*(?:,|and)\s*(?:Regulation\s+)?\d{1,3}[A-Z]?(?:\s*\(\s*[0-9A-Za-z]{1,6}\s*\))*)*"
    r"(?:\s*\((?:the\s+)?[a-z ,'\-]{3,80}?standards?\))?)\s*$")
# headings and introductions inside the requirements part, never a requirement's words; a school's
# unmet national minimum standards stand where other settings print their requirements table
_REQUIREMENTS_FURNITURE = re.compile(
    r"^\s*(?:statutory\s+requirements?|what\s+does\s+the\s+.{3,80}?need\s+to\s+do\s+to\s+improve\??"
    r"|compliance\s+with\s+(?:the\s+)?national\s+minimum\s+standards.*"
    r"|the\s+(?:school|college|provider|setting|service)\s+does\s+not\s+meet\s+the\s+following.*"
    r"|the\s+(?:school|college|provider|setting|service)\s+meets\s+(?:all\s+)?the\s+national\s+minimum\s+standards.*)\s*$", re.I)
_TABLE_HEADER = re.compile(r"^\s*(?:reg(?:ulation)?\.?\s*(?:\t|\s{2,}|\s))?\s*requirements?\s*(?:\t|\s)+due\s+dates?\s*$", re.I)


def read_findings(doc: Document, text: str, regulations: str | None, standards: str | None, on: str | None = None) -> tuple[list, list]:
    region = _improvement_region(text)
    if region is None:
        return [], []
    recs_heading = re.search(r"^\s*(?:recommendations?|points\s+for\s+improvement)\s*:?\s*$", region, re.I | re.M)
    req_part = region[: recs_heading.start()] if recs_heading else region
    rec_part = region[recs_heading.end():] if recs_heading else ""
    requirements = _requirements(doc, req_part, regulations, standards, on)
    recommendations = _recommendations(doc, rec_part, regulations, standards, on)
    return requirements, recommendations


def _join_header_cells(lines: list[str]) -> list[str]:
    """``lines`` with a table header whose cells stand on lines of their own ("Reg." / "Requirement" /
    "Due date") joined into one line, as the other layouts print it."""
    out, i = [], 0
    while i < len(lines):
        for width in (3, 2):
            cells = lines[i:i + width]
            if len(cells) == width and all(cell.strip() for cell in cells) and _TABLE_HEADER.match("\t".join(cells)):
                out.append("\t".join(cell.strip() for cell in cells))
                i += width
                break
        else:
            out.append(lines[i])
            i += 1
    return out


def _requirement_lines(part: str) -> tuple[list[str], bool, bool]:
    """The table's body lines (header, preamble and repeated headers dropped), whether a "Reg." column
    leads, and whether a table header was found at all."""
    lines = _join_header_cells(part.split("\n"))
    header_at = next((i for i, line in enumerate(lines) if _TABLE_HEADER.match(line)), None)
    reg_column = header_at is not None and bool(re.match(r"\s*reg", lines[header_at], re.I))
    if header_at is not None:
        body = lines[header_at + 1:]
    else:
        preamble_end = 0
        for i, line in enumerate(lines):
            if re.search(r"timescales?\.?\s*$|must\s+comply", line, re.I):
                preamble_end = i + 1
        body = lines[preamble_end:] if preamble_end else lines[1:]
    body = [line for line in body if not _TABLE_HEADER.match(line) and not _REQUIREMENTS_FURNITURE.match(line)]
    return body, reg_column, header_at is not None


def _citation_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inside) of each balanced parenthesis in text that is a citation."""
    spans = []
    depth = 0
    start = None
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                inner = text[start + 1:index]
                if looks_like_citation(inner):
                    spans.append((start, index + 1, inner))
    return spans


def _requirements(doc: Document, part: str, regulations: str | None, standards: str | None, on: str | None = None) -> list[dict]:
    body, reg_column, has_header = _requirement_lines(part)
    if not any(line.strip() for line in body):
        return []
    if reg_column:
        return _requirements_with_reg_column(doc, body, regulations, standards, on)
    # Take each line's trailing due date out, remembering which line it was on.
    cleaned: list[str] = []
    dates: list[str | None] = []
    for line in body:
        match = DATE_AT_END.search(line)
        immediate = _IMMEDIATE_AT_END.search(line)
        if match and parse_date(match.group(1)):
            cleaned.append(line[: match.start()].rstrip())
            dates.append(parse_date(match.group(1)))
        elif immediate:
            cleaned.append(line[: immediate.start()].rstrip())
            dates.append(None)
        elif _IMMEDIATE_LINE.match(line):
            cleaned.append("")
            dates.append(None)
        else:
            cleaned.append(line.rstrip())
            dates.append(None)
    # A citation printed without its parentheses at a row's end is bracketed like the others.
    cleaned = [_BARE_CITATION_AT_END.sub(r"\1(\2)", line) for line in cleaned]
    # Join into one string with a map from character offsets back to line numbers.
    joined = ""
    line_starts = []
    for line in cleaned:
        line_starts.append(len(joined))
        joined += squash(line) + "\n"
    spans = _citation_spans(joined)
    if not spans:
        return _requirements_by_date(doc, cleaned, dates) if has_header else []

    def line_of(offset: int) -> int:
        number = 0
        for i, start in enumerate(line_starts):
            if start <= offset:
                number = i
        return number

    findings = []
    cursor = 0
    for index, (start, end, inner) in enumerate(spans):
        text_part = joined[cursor:start]
        if not text_part.strip():
            # a second citation directly after the first: it belongs to the previous finding
            if findings:
                findings[-1]["citations"] += parse_citation_text(inner, regulations, standards, on)
                findings[-1]["_last_line"] = line_of(end - 1)
                cursor = end
            continue
        note_end = _note_end(joined, end, spans[index + 1][0] if index + 1 < len(spans) else len(joined))
        finding_text = squash(text_part)
        note = squash(joined[end:note_end])
        if note:
            finding_text = f"{finding_text} {note}"
        first_line = line_of(cursor + len(text_part) - len(text_part.lstrip()))
        findings.append({
            "text": finding_text,
            "due_date": None,
            "citations": parse_citation_text(inner, regulations, standards, on),
            "page": _page(doc, cleaned[first_line]),
            "_first_line": first_line,
            "_last_line": line_of(max(note_end - 1, end - 1)),
        })
        cursor = note_end
    _assign_due_dates(findings, dates)
    for finding in findings:
        finding.pop("_first_line")
        finding.pop("_last_line")
    return findings


def _note_end(joined: str, citation_end: int, limit: int) -> int:
    """Where a trailing note after a citation ("This relates to ...") ends: the end of its sentence."""
    rest = joined[citation_end:limit]
    same_line = rest.split("\n", 1)[0]
    if same_line.strip():
        note_start = 0
    else:
        after = rest.lstrip("\n")
        if not re.match(r"(?:this\s+(?:relates|is\s+(?:in\s+relation|with\s+regard|in\s+respect))|in\s+relation\s+to|"
                        r"with\s+regard\s+to|specifically|in\s+particular,?\s+(?:this|in\s+relation))", after, re.I):
            return citation_end
        note_start = len(rest) - len(after)
    sentence = re.search(r"[.!?](?=\s*(?:\n|$))", rest[note_start:])
    if sentence:
        return citation_end + note_start + sentence.end()
    return limit


def _assign_due_dates(findings: list[dict], dates: list[str | None]) -> None:
    """Give each finding the due date printed on one of its lines (first or last), or on a line of its own next to it."""
    used: set[int] = set()
    for finding in findings:
        span = range(finding["_first_line"], finding["_last_line"] + 1)
        candidates = [i for i in span if dates[i] and i not in used]
        if candidates:
            chosen = candidates[-1] if finding["_last_line"] in candidates else candidates[0]
            finding["due_date"] = dates[chosen]
            used.add(chosen)
    # dates on lines of their own, between findings
    for i, due in enumerate(dates):
        if not due or i in used:
            continue
        before = [f for f in findings if f["_last_line"] < i]
        after = [f for f in findings if f["_first_line"] > i]
        target = None
        if before and before[-1]["due_date"] is None:
            target = before[-1]
        elif after and after[0]["due_date"] is None:
            target = after[0]
        if target is not None:
            target["due_date"] = due
            used.add(i)


def _requirements_by_date(doc: Document, cleaned: list[str], dates: list[str | None]) -> list[dict]:
    """Rows without citations: each row ends at the line carrying its due date."""
    findings, current = [], []
    for line, due in zip(cleaned, dates):
        if line.strip():
            current.append(line)
        if due and current:
            findings.append({"text": squash(" ".join(current)), "due_date": due, "citations": [],
                             "page": _page(doc, current[0])})
            current = []
    if current and squash(" ".join(current)):
        findings.append({"text": squash(" ".join(current)), "due_date": None, "citations": [],
                         "page": _page(doc, current[0])})
    return findings


def _requirements_with_reg_column(doc: Document, body: list[str], regulations: str | None, standards: str | None, on: str | None = None) -> list[dict]:
    """The pre-2017 table: "Reg. | Requirement | Due date", the regulation printed first on the row."""
    rows: list[list[str]] = []
    labels: list[str] = []
    # the regulation, then the requirement after a tab or spaces, or on the next line (cells of a row on lines of their own)
    row_start = re.compile(r"^\s*(\d{1,2}[A-Z]?(?:\s*\(\s*[0-9A-Za-z]{1,5}\s*\))*(?:\s*\(\d{4}\))?)"
                           r"(?:(?:\t|\s{2,}|\s+(?=[a-zA-Z]))(.*)|\s*())$")
    for line in body:
        match = row_start.match(line)
        if match:
            labels.append(squash(match.group(1)))
            rows.append([match.group(2) or ""])
        elif rows and line.strip():
            rows[-1].append(line)
    findings = []
    for label, row in zip(labels, rows):
        due = None
        text_lines = []
        for line in row:
            match = DATE_AT_END.search(line)
            if match and parse_date(match.group(1)) and due is None:
                due = parse_date(match.group(1))
                line = line[: match.start()]
            text_lines.append(line)
        finding_text = squash(" ".join(text_lines))
        inline = _citation_spans(finding_text)
        citations = []
        if inline and inline[-1][1] >= len(finding_text) - 1:
            citations = parse_citation_text(inline[-1][2], regulations, standards, on)
            finding_text = finding_text[: inline[-1][0]].rstrip()
        if not citations:
            printed = re.sub(r"\s*\(\d{4}\)$", "", label)
            citations = parse_citation_text(f"Regulation {printed}", regulations, standards, on)
            for citation in citations:
                citation["label"] = label
        findings.append({"text": finding_text, "due_date": due, "citations": citations, "page": _page(doc, row[0])})
    return findings


_REC_INTRO = re.compile(r"^\s*(?:to\s+improve.{0,120}?(?:following|recommendations?\(?s?\)?)\s*:?\s*$|the\s+registered\s+person"
                        r"(?:\(s\))?\s+should\s+take\s+account\s+of\s+the\s+following.*|recommendations?\s*:?)\s*$", re.I)


def _recommendations(doc: Document, part: str, regulations: str | None, standards: str | None, on: str | None = None) -> list[dict]:
    lines = [line for line in part.split("\n") if not _REC_INTRO.match(line)]
    # an introduction that wraps over lines ("To improve ... the following recommendation(s):")
    joined = re.sub(r"^\s*(?:in\s+order\s+)?to\s+improve\b[^:]{0,250}:\s*", "", "\n".join(lines), flags=re.I)
    spans = _citation_spans(joined)
    findings = []
    if spans:
        cursor = 0
        for index, (start, end, inner) in enumerate(spans):
            chunk = joined[cursor:start]
            if not chunk.strip() and findings:
                findings[-1]["citations"] += parse_citation_text(inner, regulations, standards, on)
                cursor = end
                continue
            note_end = _note_end(joined, end, spans[index + 1][0] if index + 1 < len(spans) else len(joined))
            text_part = squash(f"{_strip_bullet(chunk)} {joined[end:note_end]}")
            findings.append({"text": text_part, "citations": parse_citation_text(inner, regulations, standards, on),
                             "page": _page(doc, squash(chunk.strip().split("\n")[0]))})
            cursor = note_end
        tail = squash(joined[cursor:])
        if tail and tail[0].isupper() and len(tail) > 20:
            findings.append({"text": tail, "citations": [], "page": _page(doc, tail)})
        return findings
    # no citations: one recommendation per paragraph or bullet
    paragraphs = re.split(rf"\n\s*\n|\n\s*(?=[{BULLETS}\-\*]\s)", joined)
    for paragraph in paragraphs:
        item = squash(_strip_bullet(paragraph))
        if item and len(item) > 15 and not re.fullmatch(r"none\.?", item, re.I):
            findings.append({"text": item, "citations": [], "page": _page(doc, item)})
    return findings


def _strip_bullet(text: str) -> str:
    return re.sub(rf"^\s*(?:[{BULLETS}\*\-]|\d{{1,2}}[.)])\s+", "", text)


def _page(doc: Document, snippet: str) -> int | None:
    if not doc.page_count:
        return None
    snippet = squash(snippet)
    for length in (60, 40, 25):
        page = doc.page_of(snippet[:length])
        if page:
            return page
    return None


