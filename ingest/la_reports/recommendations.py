"""Recommendations: the items listed under "What needs to improve?" and the other frameworks' headings."""
from __future__ import annotations

import re

from .layout import BULLET, FOOTNOTE, FULL_DATE, NUMBERED, TERMINAL

_STOP_HEADING = re.compile(
    r"^((The )?[Ee]xperiences and progress|(The )?[Ii]mpact of leaders|Headline findings|Main findings|Findings\b"
    r"|Overview\b|Summary\b|Key (strengths|findings)|Strengths\b|The local authority.s strengths"
    r"|The LSCB.s strengths|Information about|Inspection (findings|judgements?)\b|Progress since"
    r"|Executive summary|What the inspection|Next steps|Case study|Ofsted will|Yours sincerely"
    r"|Your sincerely|Section \d+(?::|\s+The\b)|The Local Safeguarding Children Board|The effectiveness of the LSCB"
    r"|Review of the|Local leadership|Children living in this area"
    r"|Inspection outcome|Information\b|Local area partnership details|[A-Z][\w ’']{0,60} [Ss]trengths:?$)")

_NONE_ITEM = re.compile(r"^(none\b|there are no (further )?(areas|recommendations)|no (areas|recommendations)\b"
                        r"|(the )?(inspection|inspectors?|visit) (did not (find|identify)|found no|identified no)\b)", re.I)
# a footnote marker the PDF put on a line of its own under a heading ("What needs to improve?" / "1")
_MARKER_LINE = re.compile(r"^\d{1,2}$")
# the private-use glyphs Wingdings sub-bullets become inside an item ("... by: \uf0a7 targeting ...")
_GLYPH = re.compile(r"\s*[\uf000-\uf8ff]\s*")
_INTRO_ITEM = re.compile(r"should take the following action|following (areas|actions?)\s*[:.]?$", re.I)


_SECTION_STARTS = {
    "ilacs": [r"What needs to improve\b.*"],
    "focused_visit": [r"What needs to improve\b.*", r"Areas? for priority action\b.*"],
    "sif": [r"What does the (?:local authority|LSCB|Local Safeguarding Children Board) need to improve\b.*",
            r"Recommendations:?", r"Priority and immediate action:?", r"Priority actions:?", r"Areas for improvement:?"],
    "jtai": [r"What needs to improve\b.*", r"Areas for priority action\b.*"],
    "other": [r"Areas for improvement:?", r"Recommendations:?", r"Areas for priority action:?"],
}


def _is_heading_start(line: str, patterns: list[str]) -> bool:
    if re.search(r"\s\d+$", line):  # a contents line: "Recommendations 7"
        return False
    if not line[:1].isupper() or line.endswith((".", ",")):  # a sentence that happens to start alike
        return False
    return any(re.fullmatch(p, line, re.I) for p in patterns)


def _item_start(line: str) -> tuple[str, str, int | None] | None:
    m = NUMBERED.match(line)
    if m:
        return "numbered", line[m.end():], int(m.group(1))
    m = BULLET.match(line)
    if m and line[m.end():][:1].strip():
        return "bullet", line[m.end():], None
    return None


def _heading_like(line: str, longest: int = 90) -> bool:
    return bool(line) and len(line) < longest and not TERMINAL.search(line) and line[0].isupper()


def _section_items(lines: list[str], start: int, patterns: list[str]) -> tuple[list[tuple[int, str]], int]:
    """Items listed after the heading at ``start``: [(line index, text)], and the index where the section ended."""
    items: list[list] = []
    i = start + 1
    skip_page = False
    crossed_heading = False
    while i < len(lines):
        line = lines[i]
        if not line:
            skip_page = False
            i += 1
            continue
        if skip_page or _MARKER_LINE.match(line):
            i += 1
            continue
        if items and _is_heading_start(line, patterns):
            break  # the next list's heading ("What needs to improve in this area ...?" after the priority actions)
        if FOOTNOTE.match(line) and not FULL_DATE.match(line) and items:
            skip_page = True  # a footnote at the foot of the page
            i += 1
            continue
        started = _item_start(line)
        if started and _INTRO_ITEM.search(" ".join([line] + lines[i + 1:i + 3])):
            i += 1  # "20. ... the local authority should take the following action." introduces the list
            continue
        if started:
            kind, text, number = started
            if items and crossed_heading and kind != items[-1][2] and not items[-1][1].rstrip().endswith(":"):
                break  # after a heading, a list of another kind is a new part of the report
            if items and items[-1][2] == "numbered" and kind == "numbered" and items[-1][3] is not None \
                    and number is not None and number != items[-1][3] + 1 and number <= items[-1][3]:
                break
            if kind == "bullet" and items and items[-1][2] == "numbered" \
                    and (re.search(r":\s*(\([^)]*\))?\s*$", items[-1][1]) or items[-1][4]):
                items[-1][1] += " " + line  # a bullet point inside a numbered item ("Ensure that: • ... • ...")
                items[-1][4] = True
            else:
                items.append([i, text, kind, number, False])
            crossed_heading = False
            i += 1
            continue
        if _STOP_HEADING.match(line) and not _is_heading_start(line, patterns) \
                and not (items and line[0].islower()):
            break
        after_page_break = i > 0 and not lines[i - 1]
        if items and (not TERMINAL.search(items[-1][1]) or line[0].islower() or line[0] == "(") \
                and not _is_heading_start(line, patterns) \
                and not (after_page_break and _heading_like(line) and len(line) < 60):
            items[-1][1] += " " + line
            i += 1
            continue
        # running text or headings up to the next item: a numbered item's further sentences,
        # sub-headings ("Care leavers", "Within three months:"), or the end of the list
        run_end, upcoming = _run_to_next_item(lines, i, 12)
        if upcoming is None:
            if not items and i - start < 4:
                i += 1  # a line of lead-in text under the heading
                continue
            break
        run = [l for l in lines[i:run_end] if l]
        continuation, headings = _split_run(run)
        if not items:
            if continuation and i - start >= 4:
                break
            crossed_heading = crossed_heading or bool(headings)
            i = run_end
            continue
        expected = upcoming[0] == items[-1][2] and (upcoming[0] == "bullet" or upcoming[2] == items[-1][3] + 1)
        if continuation and not expected:
            break
        if continuation:
            items[-1][1] += " " + " ".join(continuation)
        crossed_heading = crossed_heading or bool(headings)
        i = run_end
        continue
    kept = []
    for index, text, _kind, _number, _nested in items:
        text = " ".join(_GLYPH.sub(" ", text).split())
        if _NONE_ITEM.match(text) or _INTRO_ITEM.search(text):
            continue
        kept.append((index, text))
    return kept, i


def _run_to_next_item(lines: list[str], i: int, span: int):
    """(index of the next item's line, its start) within ``span`` lines of ``i``; (index, None) if a heading or nothing comes first.

    A footnote at the foot of a page is passed over with the rest of that page.
    """
    j = i
    while j < len(lines) and j < i + span:
        line = lines[j]
        if line:
            started = _item_start(line)
            if started:
                return j, started
            if j > i and _STOP_HEADING.match(line):
                return j, None
            if FOOTNOTE.match(line) and not FULL_DATE.match(line):
                while j < len(lines) and lines[j]:
                    j += 1
                continue
        j += 1
    return j, None


def _split_run(run: list[str]) -> tuple[list[str], list[str]]:
    """Split the lines between two items into the first item's further text and the sub-headings that end the run."""
    k = len(run)
    while k > 0:
        line = run[k - 1]
        before = run[k - 2] if k > 1 else None
        # a group's sub-heading can be long ("Improved outcomes for children through effective systems and
        # processes"); right before the next item, an unpunctuated line after a finished sentence is one
        longest = 100 if k == len(run) else 70
        short_heading = (_heading_like(line, longest) or line.endswith(":")) and len(line) < longest
        if short_heading and (before is None or TERMINAL.search(before) or before.endswith(":")
                              or (_heading_like(before) and len(before) < 70)):
            k -= 1
        else:
            break
    return run[:k], run[k:]


_SEND_SECTION_END = re.compile(r"(Areas for (priority action|improvement)|Local area partnership details.*"
                               r"|Information about .*|Inspection team|Responsible body.*)$", re.I)


def _send_items(lines: list[str]) -> list[str]:
    """An area SEND report's areas for priority action and for improvement, one item per table row or paragraph.

    The 2023 framework prints priority actions as a "Responsible body | Areas for priority action"
    table (the body's name repeats on every row) and areas for improvement as plain paragraphs,
    each opening a new line after a sentence's end; bullets inside a paragraph belong to it.
    """
    items: list[str] = []
    i = 0
    while i < len(lines):
        if not re.fullmatch(r"Areas for (priority action|improvement)", lines[i], re.I):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (not lines[j] or re.fullmatch(r"Areas for (priority action|improvement)", lines[j], re.I)):
            j += 1
        table = j < len(lines) and lines[j].lower().startswith("responsible body")
        if table:
            j += 1
        body: list[str] = []
        while table and j < len(lines) and lines[j] and not re.search(r"\b(should|must)\b", lines[j]) \
                and not re.match(r"(Area |Strategic |Health |Local area |Senior )?(Leaders|The local area)\b", lines[j]) \
                and not (body and TERMINAL.search(body[-1])):
            body.append(lines[j])
            j += 1
        collected: list[str] = []
        while j < len(lines) and not _SEND_SECTION_END.fullmatch(lines[j]):
            if lines[j]:
                collected.append(lines[j])
            j += 1
        if table:
            # a new row starts where the responsible body's lines come again
            current: list[str] = []
            k = 0
            while k < len(collected):
                if body and collected[k:k + len(body)] == body:
                    if current:
                        items.append(" ".join(current))
                    current = []
                    k += len(body)
                    continue
                current.append(collected[k])
                k += 1
            if current:
                items.append(" ".join(current))
        elif collected and _item_start(collected[0]):
            items += [text for _index, text in _section_items(lines, i, _SECTION_STARTS["other"])[0]]
        elif collected:
            width = max(len(line) for line in collected)
            opener = collected[0].split()[0]
            current: list[str] = []
            for k, line in enumerate(collected):
                previous = collected[k - 1] if k else ""
                if BULLET.fullmatch(line + " ") or not line.strip("◼•"):
                    continue  # a stray bullet glyph
                opens_action = re.match(r"(?!(They|These|This|It|We)\b)[A-Z][\w’'-]*(\s+[\w’'(),-]+){0,8}?\s+(should|must)\b", line)
                new_paragraph = (current and TERMINAL.search(previous) and not BULLET.match(line)
                                 and (line.split()[0] == opener or len(previous) < 0.8 * width or opens_action))
                if new_paragraph:
                    items.append(" ".join(current))
                    current = []
                current.append(line)
            if current:
                items.append(" ".join(current))
        i = max(j, i + 1)
    return [" ".join(item.split()) for item in items]


def read_recommendations(framework: str, lines: list[str]) -> list[dict]:
    if framework == "other":
        send_items = _send_items(lines) if re.search(r"Area SEND|Local Area Partnership", " ".join(lines[:10]), re.I) else []
        if send_items:
            return [{"text": text, "citations": []} for text in send_items]
    patterns = _SECTION_STARTS.get(framework, [])
    lines = _without_heading_markers(lines, patterns)
    found: dict[int, str] = {}
    i = 0
    while i < len(lines):
        if _is_heading_start(lines[i], patterns):
            items, end = _section_items(lines, i, patterns)
            if not items:
                items, end = _cross_referenced_items(lines, i)
            for index, text in items:
                found.setdefault(index, text)
            i = max(end, i + 1)
        else:
            i += 1
    return [{"text": found[k], "citations": []} for k in sorted(found)]



# a 2026 item's cross-reference to the Children's Social Care: National Framework, which ends the item
_CROSS_REFERENCE = re.compile(r"\((?:outcome|enabler|principle)\b[^()]*national framework\)[.;]?$", re.I)
_CONTENTS_LINE = re.compile(r"\s\d{1,3}$")


def _without_heading_markers(lines: list[str], patterns: list[str]) -> list[str]:
    """Headings without a footnote marker ("What needs to improve? 1" -> "What needs to improve?").

    A contents page prints headings with page numbers too ("Recommendations 7"); there the line
    before or after is another numbered entry, so such a heading keeps its number.
    """
    out = list(lines)
    for i, line in enumerate(lines):
        if not _CONTENTS_LINE.search(line):
            continue
        bare = _CONTENTS_LINE.sub("", line)
        following = next((l for l in lines[i + 1:i + 3] if l), "")
        preceding = next((l for l in reversed(lines[max(i - 2, 0):i]) if l), "")
        if _is_heading_start(bare, patterns) and bare.endswith("?") \
                and not _CONTENTS_LINE.search(following) and not _CONTENTS_LINE.search(preceding):
            out[i] = bare
    return out


def _cross_referenced_items(lines: list[str], start: int) -> tuple[list[tuple[int, str]], int]:
    """Items printed without bullets or numbers, each ending in a cross-reference "(outcome 1, national framework)"."""
    items: list[tuple[int, str]] = []
    current: list[str] = []
    first = None
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if not line or _MARKER_LINE.match(line) or (FOOTNOTE.match(line) and not current):
            if FOOTNOTE.match(line or "x"):
                while i < len(lines) and lines[i]:
                    i += 1   # a footnote runs to the foot of the page
            i += 1
            continue
        if not current:
            first = i
        current.append(line)
        if _CROSS_REFERENCE.search(line):
            items.append((first, " ".join(" ".join(current).split())))
            current = []
        elif len(current) > 6 or (not current[1:] and _STOP_HEADING.match(line)):
            break
        i += 1
    if not items:
        return [], start + 1   # no such list: the lines after the heading are read as usual
    return items, (first if current else i)
