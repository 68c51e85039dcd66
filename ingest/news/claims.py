"""Claims: what an article says about grades, previous grades, judgement areas, counts and inspection dates."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..common.grades import REPORT_SCALE, grade_token
from .organisations import OUT_OF_SCOPE, Mention, Organisations, Subjects, _is_trust
from .sentences import Sentence, clause_end, clause_start, list_items
from .values import NUMBER, DateMention, find_dates, words_to_int

# ---------------------------------------------------------------------------------------------
# Grades, judgement areas, previous ratings

_GRADE = re.compile(r"\b(?P<ri_good>requir(?:es|ed|ing|e)\s+improvement\s+to\s+be\s+good)"
                    r"|\b(?P<ri>requir(?:es|ed|ing|e)\s+improvement|need(?:s|ing)\s+improvement)"
                    r"|\b(?P<top>(?:the\s+)?(?:top|highest|best)(?:\s+possible)?\s+(?:ofsted\s+)?(?:rating|grade|judgement|judgment))"
                    r"|\b(?P<bottom>(?:the\s+)?(?:lowest|worst|bottom)(?:\s+possible)?\s+(?:ofsted\s+)?(?:rating|grade|judgement|judgment))"
                    r"|\b(?P<word>outstanding|good|inadequate)\b", re.I)
_RATING_VERB = (r"rated|rating|ratings|rating\s+of|judged|judgement\s+of|graded|deemed|assessed|found|told|given|awarded|achieved|achieving"
                r"|received|receiving|receive|retained|retains|kept|keeps|maintained|maintains|remains|remain|remained|earned|secured"
                r"|gained|downgraded|upgraded|improved|moved|slipped|dropped|fell|rose|jumped|climbed|previously|from|named|declared|branded"
                r"|labelled|classed|classified|considered|get|gets|got|achieve|achieves|achieving")
_FILLER = r"(?:as|to|be|being|been|a|an|the|its|their|overall|again|once|now|still|also|previously|it|was|is|were|are|has|have|had|rated|judged|up|down|of|ofsted's|ofsted|an\s+overall|by\s+ofsted)"
_BEFORE_CONTEXT = re.compile(rf"\b(?:{_RATING_VERB})\b(?:\s+{_FILLER})*\s*[‘'\"“]?\s*$"
                             r"|\bfrom\s+[‘'\"“]?(?:outstanding|good|inadequate|requir\w+\s+improvement(?:\s+to\s+be\s+good)?)[’'\"”]?\s+(?:to|into)\s+[‘'\"“]?\s*$", re.I)
_AFTER_CONTEXT = re.compile(r"^\s*[’'\"”]?\s*,?\s*(?:overall\b|(?:overall\s+)?(?:ofsted\s+)?(?:rating|grade|judgement|judgment|verdict)\b"
                            r"|(?:rating\s+)?(?:by|from)\s+(?:ofsted|inspectors|the\s+(?:regulator|watchdog|education\s+watchdog))"
                            r"|in\s+(?:its|their|the|a|an)\s+(?:latest\s+|most\s+recent\s+|recent\s+|new\s+|first\s+|last\s+)?(?:ofsted\s+)?(?:inspection|report)"
                            r"|(?:following|after)\s+(?:an?|its|their|the)\s+(?:recent\s+|latest\s+)?(?:ofsted\s+)?(?:inspection|visit)"
                            r"|across\s+(?:all|every)|in\s+(?:all|every)\s+(?:areas|categories)|,?\s*(?:says|said|according\s+to)\s+(?:ofsted|inspectors))", re.I)
_AFTER_OK_WORDS = {"rating", "ratings", "grade", "judgement", "judgment", "overall", "by", "from", "in", "for", "at", "after",
                   "following", "across", "and", "or", "but", "with", "since", "when", "as", "on", "last", "this", "earlier",
                   "to", "under", "according", "says", "said", "say", "its", "the", "again", "despite", "while", "which",
                   "who", "before", "ofsted", "status", "verdict", "once", "too", "also", "now", "because", "with"}
_QUOTE_OPEN = "'‘\"“"
_QUOTE_CLOSE = "'’\"”"

_AREAS = [
    (re.compile(r"experiences and progress of children who need help and protection", re.I), (None, "help_and_protection")),
    (re.compile(r"experiences and progress of children in care(?: and care leavers)?", re.I), (None, "in_care")),
    (re.compile(r"experiences and progress of care leavers", re.I), (None, "care_leavers")),
    (re.compile(r"overall experiences and progress|experiences and progress|overall experiences", re.I),
     ("overall_experiences_and_progress", "overall_effectiveness")),
    (re.compile(r"overall effectiveness", re.I), ("overall_experiences_and_progress", "overall_effectiveness")),
    (re.compile(r"help(?:s|ed|ing)?\s+and\s+protect(?:s|ed|ion|ing)?|how well (?:children|young people)[\w\s]{0,40}?\b(?:are|were|is|kept)\b[\w\s]{0,20}?(?:safe|protected)"
                r"|keeping children safe|protect(?:ed|ion|ing)(?: of)? children", re.I), ("help_and_protection", "help_and_protection")),
    (re.compile(r"(?:impact|effectiveness) of leaders(?: and manage(?:rs|ment))?(?: on social work practice(?: with children and families)?)?"
                r"|leadership(?:\s+and\s+management)?|management\s+and\s+leadership|leaders\s+and\s+managers|\bleaders\b|\bmanagement\b", re.I),
     ("leadership_and_management", "leaders")),
    (re.compile(r"children in care(?: and care leavers)?|looked[- ]after children|children looked after", re.I), (None, "in_care")),
    (re.compile(r"care leavers|leaving care", re.I), (None, "care_leavers")),
]
_AREA_LINK = re.compile(r"(?:\b(?:is|are|was|were|been|be|rated|judged|graded|deemed|found|assessed|remains?|remained|achieved|received|as|also|now|overall)\b"
                        r"(?:\s+to(?:\s+be)?)?|[:–—-])\s*[‘'\"“]?\s*$|^\s*[‘'\"“]\s*$", re.I)
# stricter than _AREA_LINK: "care leavers' participation also required improvement" is not a grade
_AREA_CONTEXT_LINK = re.compile(r"(?:\b(?:is|are|was|were|been|be|rated|judged|graded|deemed|found|assessed|remains?|remained|achieved|received|as)\b"
                                r"(?:\s+to(?:\s+be)?)?|[:–—-])\s*(?:also\s+|now\s+|still\s+)?[‘'\"“]?\s*$", re.I)
_PREVIOUS_CUE = re.compile(r"\b(?:previously|previous|formerly|no\s+longer|lost|loses|losing|stripped\s+of|had\s+(?:also\s+|previously\s+)?been|having\s+been|up\s+from|down\s+from"
                           r"|before\s+that|prior|earlier|used\s+to\s+be|was\s+once|in\s+the\s+past)\b", re.I)
# a grade hoped for, feared, denied or conditional is not a grade given ("could be rated inadequate if ...",
# "unlikely to be rated 'good'", "was not rated outstanding"); "no longer" is a previous grade, not a denial
_UNGIVEN = re.compile(r"(?-i:\b[Mm]ay\b(?!\s+(?:19|20)\d\d))|\b(?:could|would|might|should|shall|unlikely|likely|hop(?:e|es|ed|ing)|aim(?:s|ed|ing)?|want(?:s|ed)?"
                      r"|expect(?:s|ed|ing)?|if|unless|whether|bid|ambition|target|strive|striving|not|never|neither|nor|cannot"
                      r"|risk(?:s|ed)?\s+being|danger\s+of|fail(?:s|ed)?\s+to|aspire|aspires|aspiring|push\s+for|pushing\s+for|on\s+track\s+to)\b"
                      r"|n['’]t\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]|\b(?:but|while|whereas|although|though|however|and|after|when|which|who)\b", re.I)


def _is_ungiven(probe: str, start: int) -> bool:
    """Whether the grade at ``start`` is hypothetical or negated within its own clause."""
    before = probe[max(0, start - 70):start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    if re.search(r"\bno\s+longer\b", clause, re.I):
        return False
    return bool(_UNGIVEN.search(clause))


_LAST_CUE = re.compile(r"\b(?:last|previous)\s+(?:full\s+|standard\s+|ofsted\s+)?(?:inspection|report|visit)|\blast\s+time\b|\blast\s+inspected\b", re.I)


@dataclass
class GradeMention:
    start: int
    end: int
    grade: str
    quoted: bool


def _grade_token(match: re.Match) -> str:
    """The grade token of a printed grade: any form of "require improvement" is requires improvement,
    the top grade is outstanding and the lowest inadequate; a grade word reads through the common table."""
    if match.group("ri_good") or match.group("ri"):
        return "requires_improvement"
    if match.group("top"):
        return "outstanding"
    if match.group("bottom"):
        return "inadequate"
    return grade_token(match.group("word"), scale=REPORT_SCALE)


def find_grades(probe: str, mentions: list[Mention]) -> list[GradeMention]:
    """Grade words used as ratings in the sentence (not "good progress" or "areas that require improvement")."""
    grades = []
    for match in _GRADE.finditer(probe):
        start, end = match.span()
        grade = _grade_token(match)
        before, after = probe[max(0, start - 60):start], probe[end:end + 60]
        opener = before.rstrip()[-1:] if before.rstrip() else ""
        closer = after.lstrip()[:1]
        quoted = opener in _QUOTE_OPEN and closer in _QUOTE_CLOSE and len(before) - len(before.rstrip()) <= 1
        if match.group("top") or match.group("bottom"):
            grades.append(GradeMention(start, end, grade, quoted))
            continue
        names_a_grade = re.match(r"\s*(?:rating|grade)\b", after, re.I)
        if re.search(r"\b(?:areas?|that|which|where|what|things|aspects)\s+(?:\w+\s+){0,3}$", before, re.I) and not quoted and not names_a_grade \
                and not re.search(r"\b(?:rated|judged|graded)\b", before[-25:], re.I):
            continue
        next_word = re.match(r"^[’'\"”]?\s*([A-Za-z]+)", after)
        if match.group("word") and next_word and next_word.group(1).lower() not in _AFTER_OK_WORDS and not quoted \
                and not (match.group("word")[0].isupper() and next_word.group(1).lower() in ("rating", "grade")):
            continue
        context = bool(quoted or match.group("ri_good") or _BEFORE_CONTEXT.search(before) or _AFTER_CONTEXT.match(after)
                       or _area_after(probe, end))
        if not context and match.group("ri") and match.group("ri").lower().startswith("need"):
            continue
        if not context:
            # the organisation as the object of a rating verb: "rated X good", "judged the home to be inadequate"
            object_mention = [m for m in mentions if m.end <= start and re.fullmatch(r"\s*(?:to\s+be\s+|as\s+)?[‘'\"“]?\s*", probe[m.end:start])]
            context = bool(object_mention and re.search(r"\b(?:rated|rates|rate|judged|judges|graded|grades|deemed|found|declared|named)\s*$",
                                                        probe[:object_mention[-1].start], re.I))
        if not context:
            # "<organisation> is outstanding", "<area> ... are Good", "<Area>: Good"
            named = [m for m in mentions if m.end <= start and start - m.end <= 30]
            link = re.search(r"(?:\b(?:is|was|has\s+been|remains|are|were)\s+(?:now\s+|still\s+|also\s+)?|[:–—-]\s*)[‘'\"“]?\s*$", before, re.I)
            context = bool(link and named) or (_area_before(probe, start, mentions) is not None
                                               and bool(_AREA_CONTEXT_LINK.search(before) or _is_table_row(probe, end)
                                                        or _area_with_verb_grade(probe, start)))
        if context and not _is_ungiven(probe, start):
            grades.append(GradeMention(start, end, grade, quoted))
    return grades


def _is_table_row(probe: str, end: int) -> bool:
    """A judgement row copied from a report: an area phrase first, the grade last (the area's words, then its grade)."""
    if probe[end:].strip(" .’'\"”"):
        return False
    head = re.sub(r"^\s*(?:the\s+)", "", probe, flags=re.I)
    return len(probe) < 200 and any(pattern.match(head) for pattern, _ in _AREAS)


def _area_before(probe: str, position: int, mentions: list[Mention]) -> tuple[str | None, str | None] | None:
    """The judgement area a grade at ``position`` is given for, named before it ("leadership ... was judged")."""
    row = _is_table_row(probe, _GRADE.match(probe, position).end()) if _GRADE.match(probe, position) else False
    best = None
    for pattern, keys in _AREAS:
        for match in pattern.finditer(probe, 0, position):
            between = probe[match.end():position]
            if len(between) > 90 or re.search(r"[;.]\s|\b(?:outstanding|good|inadequate|requir\w+ improvement)\b", between, re.I):
                continue
            if any(match.end() <= m.start < position for m in mentions):
                continue
            if not _AREA_LINK.search(between) and not row and not _verb_grade(probe, position, between):
                continue
            if best is None or match.end() > best[0]:
                best = (match.end(), keys)
    return best[1] if best else None


def _area_with_verb_grade(probe: str, position: int) -> bool:
    """Whether an area phrase ends just before a grade that is itself the verb ("A and B both require improvement")."""
    for pattern, _ in _AREAS:
        for match in pattern.finditer(probe, 0, position):
            if _verb_grade(probe, position, probe[match.end():position]):
                return True
    return False


def _verb_grade(probe: str, position: int, between: str) -> bool:
    """ "children in care require improvement": the grade is itself the verb of the area before it."""
    return bool(re.fullmatch(r"\s*(?:also\s+|still\s+|now\s+|all\s+|both\s+)?", between)
                and re.match(r"(?:requir(?:e|es|ed)|need(?:s|ed)?)\s+improvement", probe[position:], re.I))


def _area_after(probe: str, position: int) -> tuple[str | None, str | None] | None:
    areas = _areas_after(probe, position)
    return areas[0] if areas else None


# the words that open a list of the areas a grade was given for: a preposition ("for", "in", "to") or
# the verb of a clause whose subject is the grade ("a good grade covered ...")
_AREA_LIST_LEAD = re.compile(r"\s*[’'\"”]?\s*(?:(?:grade|rating|judgement)\s+)?(?:by\s+(?:the\s+)?[\w'’]+\s+)?"
                             r"(?:for|in|on|at|to|covered|covering)\s", re.I)
def _first_area(item: str) -> tuple[str | None, str | None] | None:
    """The judgement area an item of a list names near its start (after its preposition and determiners)."""
    item = re.sub(r"^\s*(?:(?:for|in|on|at|to|of|covered|covering|the|its|their|both|terms\s+of)\s+)*", "", item, flags=re.I)
    for pattern, keys in _AREAS:
        match = pattern.search(item)
        if match and match.start() <= 25:
            return keys
    return None


def _areas_after(probe: str, position: int) -> list[tuple[str | None, str | None]]:
    """The areas of a coordinated list after a grade ("good for A, for B and for C"), in order.

    The list is read item by item up to the first item that names no area, the end of the clause
    (";", a full stop) or another grade."""
    lead = _AREA_LIST_LEAD.match(probe, position)
    if not lead:
        return []
    end = clause_end(probe, lead.end())
    # the list also ends at a "with" phrase or at another grade
    stop = re.search(r"\bwith\b|\b(?:outstanding|inadequate|requir\w+\s+improvement)\b|\bgood\b(?!\s+(?:grade|rating))",
                     probe[lead.end():end], re.I)
    tail = probe[lead.end():lead.end() + stop.start()] if stop else probe[lead.end():end]
    found: list[tuple[str | None, str | None]] = []
    for item in list_items(tail):
        keys = _first_area(item)
        if keys is None:
            break
        if keys not in found:
            found.append(keys)
    return found


# an elliptical clause giving the same grade to another area: ", as was the impact of leaders"
_ELLIPSIS = re.compile(r"\s*[’'\"”]?\s*,?\s*(?:as|and\s+so|and\s+neither)\s+(?:was|were|did|is|are)\s", re.I)


def _areas_in_ellipsis(probe: str, position: int) -> list[tuple[str | None, str | None]]:
    """The areas of an elliptical clause right after a grade, which share the grade."""
    lead = _ELLIPSIS.match(probe, position)
    if not lead:
        return []
    found: list[tuple[str | None, str | None]] = []
    for item in list_items(probe[lead.end():clause_end(probe, lead.end())]):
        keys = _first_area(item)
        if keys is None:
            break
        if keys not in found:
            found.append(keys)
    return found


def _areas_before(probe: str, position: int) -> list[tuple[str | None, str | None]]:
    """The areas of a coordinated subject before its grade ("A, and B, were both judged good"), in order.

    The subject runs from the start of the clause to a linking verb just before the grade; every
    area it names counts, a longer area phrase taking precedence over one inside it."""
    before = probe[:position]
    link = _AREA_LINK.search(before)
    if link:
        subject_end = link.start()
    elif re.match(r"(?:requir(?:e|es|ed)|need(?:s|ed)?)\s+improvement", probe[position:], re.I):
        # the grade is the verb: "A and B both require improvement"
        subject_end = re.search(r"(?:\s+(?:also|still|now|all|both))*\s*$", before).start()
    else:
        return []
    start = max([clause_start(probe, position)] + [m.end() for m in re.finditer(
        r"\b(?:outstanding|good|inadequate|requir\w+\s+improvement)\b", before, re.I)])
    subject = before[start:subject_end]
    if not subject.strip():
        return []
    taken: list[tuple[int, int, tuple]] = []
    for pattern, keys in _AREAS:
        for match in pattern.finditer(subject):
            if not any(match.start() < end and match.end() > begin for begin, end, _ in taken):
                taken.append((match.start(), match.end(), keys))
    taken.sort()
    if len(taken) < 2 or len(subject) - taken[-1][1] > 60:
        return []
    found: list[tuple[str | None, str | None]] = []
    for _, _, keys in taken:
        if keys not in found:
            found.append(keys)
    return found


def _area_key(keys: tuple[str | None, str | None], subject_kind: str) -> str | None:
    provider_key, council_key = keys
    return council_key if subject_kind == "local_authority" else provider_key


# ---------------------------------------------------------------------------------------------
# Counts

_COUNT_CONTEXT = re.compile(r"\b(?:placement|placements|placed|caring\s+for|cares\s+for|care\s+for|looking\s+after|looked\s+after|looks\s+after"
                            r"|living|lived|lives|accommodat\w*|providing|provides|provided|support(?:s|ing|ed)?|at\s+the\s+time|in\s+(?:foster\s+)?care"
                            r"|there\s+(?:were|are)|had|has|with|approved|registered\s+with|fostering\s+for|home\s+to|services?\s+(?:for|to))\b", re.I)
_CAPACITY = re.compile(r"\b(?:up\s+to|maximum\s+of|max\.?|capacity|registered\s+(?:to|for)|places\s+for|beds?\s+for|aged|age|ages|under)\s*$", re.I)
_COUNTS = [
    ("households", re.compile(rf"\b(?P<n>{NUMBER})\s+(?:of\s+(?:the\s+[\w'’]+['’]s|its|their|our)\s+)?(?:(?:approved|active|current|fostering|foster|registered)\s+){{0,2}}(?:households|(?<=foster )families|(?<=fostering )families)\b", re.I)),
    ("carers", re.compile(rf"\b(?P<n>{NUMBER})\s+(?:of\s+(?:the\s+[\w'’]+['’]s|its|their|our)\s+)?(?:(?:approved|active|current|mainstream|connected[- ]persons?['’]?|kinship|family\s+and\s+friends|short[- ]breaks?|respite|specialist|fostering)\s+){{0,3}}(?:foster\s+)?carers\b", re.I)),
    ("children", re.compile(rf"\b(?P<n>{NUMBER})\s+(?:of\s+(?:the\s+[\w'’]+['’]s|its|their|our)\s+)?(?:(?:looked[- ]after|fostered|vulnerable|disabled|more|other|unaccompanied|asylum[- ]seeking)\s+){{0,2}}(?:children|young\s+people|child|young\s+person)\b", re.I)),
]


def find_counts(probe: str) -> list[tuple[str, int, int]]:
    """(predicate, value, position) for numbers of children, households and carers the service was working with."""
    if not _COUNT_CONTEXT.search(probe):
        return []
    found = []
    for predicate, pattern in _COUNTS:
        for match in pattern.finditer(probe):
            value = words_to_int(match.group("n"))
            if value is None or value == 0 or re.fullmatch(r"a", match.group("n").strip(), re.I):
                continue
            before = probe[max(0, match.start() - 30):match.start()]
            if _CAPACITY.search(before) or re.search(r"%|per\s*cent", probe[match.end():match.end() + 10]):
                continue
            if match.group("n").lower() in ("one",) and predicate == "children":
                continue
            # a count that is the subject of its own verb ("two children had been placed there") counts an event,
            # not the service; one that is the object of a verb of caring belongs to the service whatever follows
            if predicate == "children" and _EVENT_AFTER.match(probe, match.end()) and not _CARING_VERB.search(probe, 0, match.start()):
                continue
            found.append((predicate, value, match.start()))
    if not any(f[0] == "children" for f in found) and re.search(r"\b(?:children|young\s+people)\b", probe, re.I):
        # "registered for up to four children and caring for three at the time"
        for match in re.finditer(rf"\b(?:caring\s+for|looking\s+after|supporting|accommodating)\s+(?P<n>{NUMBER})\s+"
                                 r"(?=at\s+the\s+time|when|during)", probe, re.I):
            value = words_to_int(match.group("n"))
            if value:
                found.append(("children", value, match.start("n")))
    return sorted(found, key=lambda item: item[2])


# a relative clause or participle phrase set off by commas
_ASIDE_CLAUSE = re.compile(r",\s+(?:who|which|whose|when|where|having|after|before)\b[^,]{0,120},", re.I)
_CARING_VERB = re.compile(r"\b(?:looks?|looking|looked)\s+after\s+$|\bcar(?:es|ing|ed)\s+for\s+$|\b(?:supports?|supporting|supported"
                          r"|accommodat\w+)\s+$|\bplacements\s+for\s+$|\bhomes\s+for\s+$", re.I)
_EVENT_AFTER = re.compile(r"\s+(?:had|have|has)\b|\s+went\b|\s+were\s+(?!placed\s+with|living|being\s+(?:cared|looked|supported)"
                          r"|cared|looked|supported|fostered|in\s+(?:its|the|their)\s+care)", re.I)



# ---------------------------------------------------------------------------------------------
# Claims


def _claim(subject, predicate, value, area, when, sentence: Sentence) -> dict:
    return {"subject": subject, "predicate": predicate, "value": value, "area": area, "date": when, "quote": sentence.text}


def _nearest_date(dates: list[DateMention], position: int, end: int, blockers: list[int] = (), probe: str = "") -> DateMention | None:
    """The date nearest a claim's words that is not on the far side of another grade, nor (given the
    sentence ``probe``) inside an aside (", who visited in <month>,") that the claim's words are outside."""
    asides = [m.span() for m in _ASIDE_CLAUSE.finditer(probe)]
    dates = [d for d in dates if not any(min(d.start, position) < b < max(d.end, end) for b in blockers)
             and not any(a <= d.start and d.end <= b and not a <= position < b for a, b in asides)]
    if not dates:
        return None
    def distance(d: DateMention) -> int:
        return d.start - end if d.start >= end else position - d.end
    return min(dates, key=distance)


def _is_previous(probe: str, grade: GradeMention, grades: list[GradeMention]) -> tuple[bool, bool]:
    """(previous, only_if_another_current) for a grade, from cues in its clause."""
    earlier = [g for g in grades if g.end <= grade.start]
    clause_start = earlier[-1].end if earlier else 0
    before = probe[clause_start:grade.start]
    after = probe[grade.end:grade.end + 60]
    if earlier and re.fullmatch(r"\s*[’'\"”]?\s*(?:rating\s+|grade\s+)?(?:to|into)\s+(?:an?\s+)?[‘'\"“]?\s*", before, re.I):
        # the "Y" of "from X to Y" is current, unless the whole move is in the past ("having been downgraded from X to Y")
        first = earlier[-1]
        move_start = ([g.end for g in grades if g.end <= first.start] or [0])[-1]
        lead = re.sub(r"\b(?:up|down)?\s*from\s+[‘'\"“]?\s*$", "", probe[move_start:first.start], flags=re.I)
        return bool(_PREVIOUS_CUE.search(lead[-80:])), False
    if re.search(r"\bfrom\s+(?:an?\s+|its\s+|the\s+)?(?:previous\s+)?[‘'\"“]?\s*$", before, re.I) and re.match(r"^[’'\"”]?\s*(?:rating\s+|grade\s+)?(?:to|into)\b", after, re.I):
        return True, False
    if _PREVIOUS_CUE.search(before[-80:]) and not re.search(r"\b(?:now|latest|this\s+time|new|most\s+recent)\b", before[-40:], re.I):
        return True, False
    # "the last inspection" dates only the grade in its own clause ("told it requires improvement, down from
    # outstanding at its last inspection" makes the second grade previous, not the first)
    later = [g.start for g in grades if g.start >= grade.end]
    if _LAST_CUE.search(probe[clause_start:later[0] if later else len(probe)]):
        return True, True
    return False, False


def find_claims(sentences: list[Sentence], subjects: Subjects, published: str | None, orgs: Organisations) -> list[dict]:
    """Claims about grades, previous grades, areas, counts and inspection dates, sentence by sentence."""
    claims: list[dict] = []
    conditional: list[dict] = []
    for sentence in sentences:
        probe = sentence.probe
        mentions = subjects.mentions(probe)
        dates = find_dates(probe, published)
        grades = find_grades(probe, mentions)
        for grade in grades:
            subject = subjects.subject_at(probe, grade.start, mentions)
            subject_kind = next((o.kind for o in orgs.all() if o.name == subject), "provider")
            if subject and _is_trust(subject):
                subject_kind = "local_authority"  # a trust's grades are the council judgements it delivers
            single = _area_before(probe, grade.start, mentions)
            listed = _areas_after(probe, grade.end) or _areas_before(probe, grade.start) or ([single] if single else [])
            listed += [keys for keys in _areas_in_ellipsis(probe, grade.end) if keys not in listed]
            overall_after = re.match(r"^[’'\"”]?\s*overall\b", probe[grade.end:], re.I)
            areas = [_area_key(keys, subject_kind) for keys in listed] if not overall_after else []
            areas = [a for a in areas if a] or [None]
            previous, conditional_previous = _is_previous(probe, grade, grades)
            # a previous grade is not dated by an aside about the visit that gave the current one
            when = _nearest_date(dates, grade.start, grade.end, [g.start for g in grades if g is not grade],
                                 probe if previous else "")
            value_date = when.value if when else None
            for area in areas:
                predicate = "previous_rating" if previous else ("area_rating" if area else "rating")
                claim = _claim(subject, predicate, grade.grade, area if predicate == "area_rating" else None, value_date, sentence)
                if conditional_previous:
                    conditional.append(claim)
                claims.append(claim)
        for predicate, value, position in find_counts(probe):
            # a count's date comes before it ("at the time of the inspection in September 2021 there were ...")
            when = _nearest_date([d for d in dates if d.end <= position or (d.start - position <= 40 and "," not in probe[position:d.start])], position, position)
            claims.append(_claim(subjects.subject_at(probe, position, mentions), predicate, value, None,
                                 when.value if when else None, sentence))
        for mention in dates:
            kind = _inspection_date_kind(probe, mention)
            if kind is None:
                continue
            subject = subjects.subject_at(probe, mention.start, mentions)
            if kind == "inspection_date":
                claims.append(_claim(subject, "inspection_date", mention.value or mention.printed, None, mention.value, sentence))
            elif mention.value:
                claims.append(_claim(subject, "other", kind, None, mention.value, sentence))
        subjects.advance(probe, mentions)
    # "the last inspection" is the previous one only when the article also gives a current grade
    for claim in conditional:
        others = [c for c in claims if c["predicate"] in ("rating", "area_rating") and c not in conditional
                  and c["subject"] == claim["subject"]]
        if not others:
            claim["predicate"] = "area_rating" if claim["area"] else "rating"
    claims = [c for c in claims if c["subject"] != OUT_OF_SCOPE]
    _mark_dated_previous(claims, published)
    _add_overall_from_area(claims)
    return _dedupe(claims)


def _inspection_date_kind(probe: str, mention: DateMention) -> str | None:
    before = probe[max(0, mention.start - 60):mention.start]
    after = probe[mention.end:mention.end + 25]
    tied_before = re.search(r"\b(?:inspect(?:ion|ed)|visit(?:ed)?|inspectors\s+(?:visited|returned|came\s+back))\b,?(?:\s+[\w(),'’-]+){0,6}?\s+(?:in|on|during|between|from|carried\s+out\s+in|took\s+place\s+in|held\s+in)?\s*$", before, re.I)
    # a date that opens a prepositional phrase in a sentence about the inspection or its inspectors
    tied_before = tied_before or (re.search(r"\b(?:in|on|during|between|from)\s*$", before, re.I)
                                  and re.search(r"\binspect(?:ion|ed|ors?)\b|\bvisit(?:ed)?\b", probe[:mention.start], re.I)
                                  and not re.search(r"\b(?:outstanding|good|inadequate|improvement)\b", before[-40:], re.I))
    tied_after = re.match(r"^\s*(?:ofsted\s+)?inspection\b", after, re.I)
    published = re.search(r"\bpublished\b(?:\s+[\w,]+){0,3}?\s*$", before, re.I)
    if published and re.search(r"\b(?:report|inspection|it|was|were)\b", before, re.I):
        return "previous report published" if _LAST_CUE.search(probe) or _PREVIOUS_CUE.search(before) else "report published"
    if not (tied_before or tied_after):
        return None
    if re.search(r"\b(?:last|previous|earlier|prior)\b[\s()\w]{0,20}(?:inspection|visit)", before, re.I) or _LAST_CUE.search(before) \
            or _PREVIOUS_CUE.search(before[-40:]):
        return "previous inspection"
    return "inspection_date"


def _mark_dated_previous(claims: list[dict], published: str | None) -> None:
    """A past-tense grade dated before the article's current one is a previous grade.

    "Before" means: a year or more before the article's inspection date (or two before its
    publication), or earlier than another dated overall grade for the same subject, or dated
    while an undated overall grade for the same subject differs from it, or dated by a bare year
    in a "which was ..." clause.
    """
    current = [c["date"] for c in claims if c["predicate"] == "inspection_date" and c["date"]]
    if current:
        reference_year = max(int(d[:4]) for d in current)
    elif published:
        reference_year = int(published[:4]) - 1
    else:
        reference_year = None
    ratings = [c for c in claims if c["predicate"] == "rating"]
    for claim in claims:
        if claim["predicate"] not in ("rating", "area_rating") or not claim["date"] \
                or not re.search(r"\b(?:was|were|had|been)\b", claim["quote"]):
            continue
        same_subject = [c for c in ratings if c is not claim and c["subject"] == claim["subject"]]
        earlier_than_reference = reference_year is not None and int(claim["date"][:4]) < reference_year
        earlier_than_another = any(c["date"] and c["date"][:4] > claim["date"][:4] for c in same_subject)
        differs_from_undated = claim["predicate"] == "rating" and any(
            c["date"] is None and c["value"] != claim["value"] for c in same_subject)
        # a bare year in a relative clause ("X, which was also rated inadequate in <year>") is history
        year_in_aside = len(claim["date"]) == 4 and bool(re.search(r"\b(?:which|who|when)\s+(?:was|were|had)\b", claim["quote"]))
        if earlier_than_reference or earlier_than_another or differs_from_undated or year_in_aside:
            claim["predicate"] = "previous_rating"


def _add_overall_from_area(claims: list[dict]) -> None:
    """Ofsted's overall grade is the overall-experiences (providers) or overall-effectiveness (councils) judgement."""
    rated = {c["subject"] for c in claims if c["predicate"] == "rating"}
    for claim in list(claims):
        if claim["predicate"] == "area_rating" and claim["area"] in ("overall_experiences_and_progress", "overall_effectiveness") \
                and claim["subject"] not in rated and claim["quote"]:
            if re.match(r"^\s*overall\b", claim["quote"], re.I) or ":" in claim["quote"]:
                claims.insert(claims.index(claim), dict(claim, predicate="rating", area=None))
                rated.add(claim["subject"])


def _dedupe(claims: list[dict]) -> list[dict]:
    """One claim per fact: the first sentence that states it, or the first that dates it."""
    dated = {(c["subject"], c["predicate"], c["value"], c["area"]) for c in claims if c["date"]}
    seen, kept = set(), []
    for claim in claims:
        key = (claim["subject"], claim["predicate"], claim["value"], claim["area"], claim["date"])
        if key in seen or (claim["date"] is None and key[:4] in dated and claim["predicate"] != "inspection_date"):
            continue
        seen.add(key)
        kept.append(claim)
    return kept


