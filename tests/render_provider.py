"""Render a provider-report record into each layout family Ofsted has used, as text and as PDF.

The records are invented (providers, people, places) and the documents are for tests and
benchmarks only, never for the demo's graph. ``record_strategy(family)`` draws a record with
hypothesis; ``render_text`` and ``render_pdf`` lay it out with varied wrapping, blank lines or
none, page breaks (inside tables too) and running headers and footers; ``project`` takes from an
extraction record the fields a rendering determines, so that a test can assert
``project(extract(render(record))) == record``. The families are listed in docs/provider_reports.md.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

FAMILIES = ("sccif", "pre2017_pairs", "pre2017_block", "pre2017_interim", "letter")

FIRST = ["Siobhán", "Zoë", "José", "Łukasz", "Aoife", "Chiamaka", "Mehmet", "Ngozi", "Bartłomiej", "Anaïs",
         "Søren", "Hannah", "Peter", "Priya", "Tomás", "Eilidh"]
LAST = ["Ní Mhaoláin", "O'Neill", "Álvarez-Ruiz", "Wróblewski", "Adébáyọ̀", "Nwosu-Ferreira", "Østergaard",
        "de la Cruz", "Hughes", "Mac Giolla Phádraig", "Kowalczyk", "Brennan-Öztürk", "Shah", "Clarke"]
PLACES = ["Harbourlight", "Kestrel Vale", "Fellside", "Oakhurst", "Brackenfield", "Heronsgate", "Greywell", "Millbrook"]
TOWNS = [("Bakewell", "Derbyshire", "DE45 1HA"), ("Hexham", "Northumberland", "NE46 3PQ"), ("Kendal", "Cumbria", "LA9 4QP"),
         ("Leek", "Staffordshire", "ST13 5PL"), ("Ripon", "North Yorkshire", "HG4 1AB")]
STREETS = ["Mill Lane", "Station Approach", "Canal Wharf", "Church Street", "Orchard Road"]
GRADES = {"outstanding": "Outstanding", "good": "Good", "requires_improvement": "Requires improvement to be good",
          "inadequate": "Inadequate"}
OLD_GRADES = {"outstanding": "Outstanding", "good": "Good", "requires_improvement": "Requires improvement",
              "inadequate": "Inadequate"}
# setting -> (regulations, standards, how a recommendation cites the standards: title, paragraph style)
SETTINGS = {
    "children's home": ("uksi/2015/541", "qs/childrens-homes-2015",
                        "'Guide to the Children's Homes Regulations, including the quality standards'"),
    "independent fostering agency": ("uksi/2011/581", "nms/fostering-2011", "'Fostering services: national minimum standards'"),
    "voluntary adoption agency": ("uksi/2003/367", "nms/adoption-2014", "'Adoption: national minimum standards'"),
    "residential family centre": ("uksi/2002/3213", "nms/residential-family-centres-2013",
                                  "'Residential family centres: national minimum standards'"),
    "secure children's home": ("uksi/2015/541", "qs/childrens-homes-2015",
                               "'Guide to the Children's Homes Regulations, including the quality standards'"),
}
# the grades a secure children's home has besides the three of every setting
SECURE_GRADES = {"education_and_learning": "Outcomes in education and related learning activities",
                 "health": "Health service provision"}
PEOPLE_IN_CARE = {"children's home": "children and young people", "secure children's home": "children and young people", "independent fostering agency": "children and young people",
                  "voluntary adoption agency": "children, young people and adults", "residential family centre": "parents and children"}
DUTIES = ["ensure that each child's placement plan sets out the support they need to keep safe",
          "ensure that staff receive regular supervision from a suitably qualified manager",
          "ensure that records of each restriction on a child's contact are kept up to date",
          "review the arrangements for the administration of medicines at least monthly",
          "make sure that notifications of serious events are sent to the placing authority without delay",
          "ensure that the recruitment checks on every member of staff are completed before they start work",
          "ensure that risk assessments are updated promptly after each significant event",
          "provide foster carers with the training, advice and support that they need"]


@dataclass
class Person:
    name: str
    role: str


@dataclass
class Finding:
    text: str
    due: date | None
    provision: list[str]
    instrument: str | None


@dataclass
class Report:
    """What a rendering prints; ``expected()`` is the record the reader should give back."""

    family: str
    setting: str
    name: str | None
    urn: str
    company: str
    company_address: list[str]
    start: date
    end: date
    judgements: dict[str, str]
    previous: date
    previous_grade: str
    interim_outcome: str | None
    children: int | None
    households: int | None
    counts_reversed: bool
    people: list[Person]
    requirements: list[Finding] = field(default_factory=list)
    recommendations: list[Finding] = field(default_factory=list)
    letter_kind: str = "monitoring"
    variant: int = 0  # how the family prints what it may print in several ways (grades, addressee)

    def expected(self) -> dict:
        letter = self.family == "letter"
        return {
            "provider": {"name": self.name, "urn": self.urn, "registered_provider": self.company,
                         "registered_provider_address": _address_value(self.company_address)},
            "inspection": {
                "start_date": self.start.isoformat(), "end_date": self.end.isoformat(),
                "type": self.letter_kind if letter else ("interim" if self.interim_outcome else "full"),
                "judgements": {} if letter or self.interim_outcome else dict(self.judgements),
                "previous": {"date": self.previous.isoformat(), "overall": self.previous_grade},
                "enforcement_since_last": None if letter else "none",
                "children": self.children, "households": self.households,
            },
            "people": [(p.name, p.role) for p in self.people],
            "requirements": [{"text": f.text, "due_date": f.due.isoformat() if f.due else None,
                              "citations": [(f.instrument, f.provision)]} for f in self.requirements],
            "recommendations": [{"text": f.text, "citations": [(f.instrument, f.provision)]} for f in self.recommendations],
        }


def project(record: dict) -> dict:
    """The fields of an extraction record that a rendering determines, in ``Report.expected``'s form."""
    provider, inspection = record.get("provider") or {}, record.get("inspection") or {}
    return {
        "provider": {key: provider.get(key) for key in ("name", "urn", "registered_provider", "registered_provider_address")},
        "inspection": {key: inspection.get(key) for key in ("start_date", "end_date", "type", "judgements", "previous",
                                                            "enforcement_since_last", "children", "households")},
        "people": [(p["name"], p["role"]) for p in record.get("people") or []],
        "requirements": [{"text": f["text"], "due_date": f["due_date"],
                          "citations": [(c["instrument"], c["provision"]) for c in f["citations"]]}
                         for f in record.get("requirements") or []],
        "recommendations": [{"text": f["text"], "citations": [(c["instrument"], c["provision"]) for c in f["citations"]]}
                            for f in record.get("recommendations") or []],
    }


def _address_value(lines: list[str]) -> str:
    value = lines[0]
    for line in lines[1:]:
        value += (" " if value.endswith(",") or line == lines[-1] else ", ") + line
    return value


# ---------------------------------------------------------------- drawing records

names = st.builds(lambda first, last: f"{first} {last}", st.sampled_from(FIRST), st.sampled_from(LAST))
grades = st.sampled_from(list(GRADES))


@st.composite
def _findings(draw, setting: str, start: date, old: bool) -> tuple[list[Finding], list[Finding]]:
    regulations, standards, _ = SETTINGS[setting]
    duties = draw(st.lists(st.sampled_from(DUTIES), max_size=4, unique=True))
    requirements = []
    for duty in duties:
        parts = draw(st.lists(st.sampled_from(["1", "2", "a", "b", "c", "i", "ii"]), max_size=3))
        provision = [str(draw(st.integers(5, 40)))] + parts
        due = start + timedelta(days=draw(st.integers(14, 120)))
        text = duty if old else f"The registered person must {duty}."
        requirements.append(Finding(text, due, provision, regulations))
    recommendations = []
    for duty in draw(st.lists(st.sampled_from([d for d in DUTIES if d not in duties]), max_size=3, unique=True)):
        provision = [str(draw(st.integers(1, 30))), str(draw(st.integers(1, 20)))]
        recommendations.append(Finding(f"The registered person should {duty}.", None, provision, standards))
    return requirements, recommendations


@st.composite
def record_strategy(draw, family: str, setting: str | None = None) -> Report:
    """A record of ``family``; ``setting`` (a key of SETTINGS) fixes the kind of provider."""
    old = family.startswith("pre2017")
    setting = "children's home" if old else setting or draw(st.sampled_from(sorted(SETTINGS)))
    first_day = date(2014, 4, 1) if old else date(2018, 1, 8)
    last_day = date(2017, 3, 31) if old else date(2025, 3, 28)
    start = draw(st.dates(first_day, last_day))
    if old:
        start = max(start, date(2015, 4, 1))  # the 2015 regulations and guide, which these reports cite
    end = start + timedelta(days=draw(st.integers(0, 4)))
    place = draw(st.sampled_from(PLACES))
    town, county, postcode = draw(st.sampled_from(TOWNS))
    company = f"{place} {draw(st.sampled_from(['Care', 'Family Services', 'Homes']))} Limited"
    company_address = [f"{draw(st.integers(1, 99))} {draw(st.sampled_from(STREETS))}", town, county, postcode]
    anonymised = setting in ("children's home", "secure children's home")
    name = None if anonymised else f"{place} {draw(st.sampled_from(['Fostering', 'Adoption', 'Family Centre']))}"
    if family == "letter" and anonymised:
        name = f"{place} House"
    fostering = setting == "independent fostering agency"
    children = draw(st.integers(2, 400)) if fostering else None
    households = draw(st.integers(1, 300)) if fostering else None
    people = [Person(draw(names), "responsible_individual"), Person(draw(names), "registered_manager")]
    # a letter is addressed to its responsible individual, who is never one of the inspectors signing it
    inspectors = draw(st.lists(names.filter(lambda name: family != "letter" or name != people[0].name),
                               min_size=1, max_size=2, unique=True))
    people = [p for p in people if p.name not in inspectors]
    if family == "letter":
        people = people[:1]
    people += [Person(inspector, "inspector") for inspector in inspectors[: 1 if old or family == "letter" else 2]]
    if len({p.name for p in people}) != len(people):
        people = [people[0]] + [p for p in people[1:] if p.name != people[0].name]
    interim = family == "pre2017_interim"
    requirements, recommendations = ([], []) if family == "letter" or interim else draw(_findings(setting, start, old))
    return Report(
        family=family, setting=setting, name=name, urn=f"SC{draw(st.integers(100000, 999999))}", company=company,
        company_address=company_address, start=start, end=start if old else end,
        judgements={"overall_experiences_and_progress": draw(grades), "help_and_protection": draw(grades),
                    "leadership_and_management": draw(grades)}
        | ({key: draw(grades) for key in SECURE_GRADES} if setting == "secure children's home" else {}),
        previous=start - timedelta(days=draw(st.integers(120, 700))), previous_grade=draw(grades),
        interim_outcome=draw(st.sampled_from(["Improved effectiveness", "Sustained effectiveness", "Declined in effectiveness"]))
        if interim else None,
        children=children, households=households, counts_reversed=draw(st.booleans()), people=people,
        requirements=requirements, recommendations=recommendations,
        letter_kind=draw(st.sampled_from(["monitoring", "assurance"])), variant=draw(st.integers(0, 3)))


# ---------------------------------------------------------------- layout: blocks a writer lays out

@dataclass
class Block:
    """A paragraph to wrap (``kind`` "text"), lines to keep as they are ("lines"), or a findings table ("table")."""

    kind: str
    lines: list[str]
    rows: list[tuple[str, str]] = field(default_factory=list)  # (text, due date) of a table
    head: str = ""  # a table's header
    keep: bool = False  # no page break inside (the head of a report)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _numeric(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _range(start: date, end: date) -> str:
    if start == end:
        return _long(start)
    if start.month == end.month:
        return f"{start.day} to {end.day} {end:%B %Y}" if (end - start).days > 1 else f"{start.day} and {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B} to {_long(end)}"


def _citation(report: Report, finding: Finding, recommendation: bool) -> str:
    if recommendation:
        title = SETTINGS[report.setting][2]
        if report.setting in ("children's home", "secure children's home"):
            return f"({title}, page {int(finding.provision[0]) + 10}, paragraph {'.'.join(finding.provision)})"
        return f"({title}, {'.'.join(finding.provision)})"
    number, *parts = finding.provision
    return f"(Regulation {number}{' ' if parts else ''}{''.join(f'({p})' for p in parts)})"


def _person(report: Report, role: str) -> str | None:
    return next((p.name for p in report.people if p.role == role), None)


def _counts(report: Report) -> str:
    if report.children is None:
        return ""
    if report.counts_reversed:
        return f" At the time of the inspection, {report.households} fostering households were caring for {report.children} children."
    return f" At the time of the inspection, {report.children} children were living in {report.households} fostering households."


def blocks(report: Report) -> list[Block]:
    return {"sccif": _sccif, "pre2017_pairs": _pre2017, "pre2017_block": _pre2017, "pre2017_interim": _pre2017,
            "letter": _letter}[report.family](report)


def _sccif(report: Report) -> list[Block]:
    setting = report.setting
    head = [report.name, report.company] if report.name else []  # an anonymised children's home prints neither
    out = [Block("lines", head + ["Inspected under the social care common inspection framework"], keep=True)]
    out.append(Block("lines", [f"Information about this {setting}"], keep=True))
    out.append(Block("text", [f"The {setting} is run by a private company.{_counts(report)}"], keep=True))
    out.append(Block("lines", [f"Inspection dates: {_range(report.start, report.end)}"], keep=True))
    people = PEOPLE_IN_CARE[setting]
    labels = {"overall_experiences_and_progress": f"Overall experiences and progress of {people}",
              "help_and_protection": f"How well {people} are helped and protected",
              "leadership_and_management": "The effectiveness of leaders and managers"}
    labels |= SECURE_GRADES
    printed = [(labels[key], GRADES[grade].lower() if i % 2 else GRADES[grade]) for i, (key, grade) in enumerate(report.judgements.items())]
    if report.variant == 0:  # "Label: grade"
        table = [f"{label}: {grade}" for label, grade in printed]
    elif report.variant == 1:  # a two-column table as text: label, a tab, grade
        table = [f"{label}\t{grade}" for label, grade in printed]
    elif report.variant == 2:  # the grade on the line after its label
        table = [line for label, grade in printed for line in (label, grade)]
    else:  # the three labels, then the three grades
        table = [label for label, _ in printed] + [grade for _, grade in printed]
    out.append(Block("lines", table, keep=True))
    out.append(Block("lines", [f"Date of last inspection: {_long(report.previous)}",
                               f"Overall judgement at last inspection: {GRADES[report.previous_grade].lower()}",
                               "Enforcement action since last inspection: none"], keep=True))
    out.append(Block("text", ["The service is well run, and the people who use it are positive about the care they receive."]))
    out += _findings_blocks(report, f"What does the {setting} need to do to improve?")
    out.append(Block("lines", ["Information about this inspection"]))
    out.append(Block("text", ["Inspectors have looked closely at the experiences and progress of children using the social "
                              "care common inspection framework."]))
    details = [f"{setting[0].upper()}{setting[1:]} details", f"Unique reference number: {report.urn}",
               f"Registered provider: {report.company}",
               f"Registered provider address: {_address_value(report.company_address)}"]
    details += [f"Responsible individual: {_person(report, 'responsible_individual')}"] if _person(report, "responsible_individual") else []
    details += [f"Registered manager: {_person(report, 'registered_manager')}"] if _person(report, "registered_manager") else []
    out.append(Block("lines", details))
    inspectors = [p.name for p in report.people if p.role == "inspector"]
    out.append(Block("lines", ["Inspectors" if len(inspectors) > 1 else "Inspector"]
                     + [f"{name}, Social Care Inspector" for name in inspectors]))
    return out


def _findings_blocks(report: Report, heading: str) -> list[Block]:
    if not report.requirements and not report.recommendations:
        return []
    old = report.family.startswith("pre2017")
    out = [Block("lines", [heading])]
    if report.requirements:
        out.append(Block("lines", ["Statutory requirements"]))
        out.append(Block("text", ["This section sets out the actions that the registered person(s) must take to meet the Care "
                                  "Standards Act 2000, " + {"uksi/2015/541": "Children's Homes (England) Regulations 2015",
                                                            "uksi/2011/581": "Fostering Services (England) Regulations 2011",
                                                            "uksi/2003/367": "Voluntary Adoption Agencies and the Adoption Agencies "
                                                                             "(Miscellaneous Amendments) Regulations 2003",
                                                            "uksi/2002/3213": "Residential Family Centres Regulations 2002"}[
                                      SETTINGS[report.setting][0]] + ". The registered person(s) must comply within the "
                                  "timescales."]))
        if old:
            rows = [(f"{f.provision[0]} {''.join(f'({p})' for p in f.provision[1:])}".strip() + "\t" + f.text, _numeric(f.due))
                    for f in report.requirements]
            out.append(Block("table", [], rows=rows, head="Reg.\tRequirement\tDue date"))
        else:
            rows = [(f"{f.text} {_citation(report, f, False)}", _long(f.due)) for f in report.requirements]
            out.append(Block("table", [], rows=rows, head="Requirement\tDue date"))
    if report.recommendations:
        out.append(Block("lines", ["Recommendations"]))
        out += [Block("text", [f"{f.text} {_citation(report, f, True)}"]) for f in report.recommendations]
    return out


def _pre2017(report: Report) -> list[Block]:
    interim = report.interim_outcome is not None
    labels = [("Inspection date", _numeric(report.start)), ("Unique reference number", report.urn),
              ("Type of inspection", "Interim" if interim else "Full"), ("Provision subtype", "Children's home"),
              ("Registered person", report.company), ("Registered person address", None)]
    labels += [("Responsible individual", name) for name in [_person(report, "responsible_individual")] if name]
    labels += [("Registered manager", name) for name in [_person(report, "registered_manager")] if name]
    labels += [("Inspector", _person(report, "inspector"))]
    address = [f"{report.company_address[0]},", f"{report.company_address[1]}, {report.company_address[2]}",
               report.company_address[3]]
    values = [line for _, value in labels for line in (address if value is None else [value])]
    if report.family == "pre2017_pairs":
        head = [line for label, value in labels for line in [label] + (address if value is None else [value])]
    else:
        head = [label for label, _ in labels] + values
    title = f"Children's homes inspection - {'Interim' if interim else 'Full'}"
    out = [Block("lines", [title], keep=True), Block("lines", head, keep=True)]
    second = ["Inspection date", _numeric(report.start), "Previous inspection judgement", OLD_GRADES[report.previous_grade],
              "Enforcement action since last", "inspection", "None", "This inspection"]
    if interim:
        out.append(Block("lines", second + [report.interim_outcome], keep=True))
        out.append(Block("text", [f"The children's home has {report.interim_outcome.lower()} since the last inspection."]))
    else:
        grade = {key: OLD_GRADES[value] for key, value in report.judgements.items()}
        out.append(Block("lines", second + [
            "The overall experiences and", "progress of children and", grade["overall_experiences_and_progress"],
            "young people living in the", "home are",
            "How well children and", "young people are helped", grade["help_and_protection"], "and protected",
            "The impact and", f"effectiveness of leaders and {grade['leadership_and_management']}", "managers"], keep=True))
        out.append(Block("lines", ["Summary of findings"]))
        out.append(Block("text", ["Young people build close and trusting relationships with staff."]))
        out += _findings_blocks(report, "What does the children's home need to do to improve?")
    out.append(Block("lines", ["Recent inspection history", "Inspection date", "Inspection type", "Inspection judgement",
                               _numeric(report.previous), "Full", OLD_GRADES[report.previous_grade]]))
    return out


def _letter(report: Report) -> list[Block]:
    individual = next(p for p in report.people if p.role != "inspector")
    role = {"responsible_individual": "Responsible individual", "registered_manager": "Registered manager"}[individual.role]
    kind = report.letter_kind
    honorific = ["", "Ms ", "Mr ", "Dr "][report.variant]
    out = [Block("lines", ["Ofsted", "Piccadilly Gate", "Store Street", "Manchester", "M1 2WD"], keep=True),
           Block("lines", [_long(report.end + timedelta(days=14))], keep=True),
           Block("lines", [honorific + individual.name, role, report.company] + report.company_address, keep=True),
           Block("lines", [f"Dear {honorific or individual.name.split()[0] + ' '}{individual.name.split()[-1]}"], keep=True),
           Block("lines", [f"{kind.capitalize()} visit to {report.name} ({report.setting})"], keep=True),
           Block("lines", [f"Unique reference number: {report.urn}"], keep=True),
           Block("text", [f"This letter sets out the findings of the {kind} visit to {report.name} on "
                          f"{_range(report.start, report.end)}.{_counts(report)}"]),
           Block("text", [f"The {report.setting} was judged {GRADES[report.previous_grade].lower()} overall at its full "
                          f"inspection, which ended on {_long(report.previous)}."]),
           Block("lines", ["Findings"]),
           Block("text", ["Leaders have made some progress since the inspection, and an action plan is in place."]),
           Block("lines", ["Yours sincerely"]),
           Block("lines", [p.name for p in report.people if p.role == "inspector"] + ["Social Care Inspector"])]
    return out


# ---------------------------------------------------------------- writers

@dataclass
class Style:
    """How a writer lays a report out: wrapping width (0: none), blank lines between blocks, lines a
    page, which running furniture, the due date on a row's first or last line."""

    width: int = 0
    blank: bool = True
    page_lines: int = 40
    furniture: int = 0
    date_on_last: bool = False


def _furniture(report: Report, style: Style, page: int) -> list[str]:
    if style.furniture == 0:
        return [f"{report.urn}", str(page)]
    if style.furniture == 1:
        return [f"Inspection report for {report.setting}: {report.urn}", str(page)]
    return [f"{report.urn}   {_range(report.start, report.end)}   Page {page} of 9"]


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) if width else [text]


def render_text(report: Report, style: Style) -> str:
    """The report as a text extraction of its PDF would give it, page furniture and all."""
    lines: list[str] = []
    page = 1
    since_break = 0

    def emit(line: str, breakable: bool) -> None:
        nonlocal page, since_break
        if breakable and since_break >= style.page_lines:
            lines.extend(_furniture(report, style, page))
            page += 1
            since_break = 0
        lines.append(line)
        since_break += 1

    for block in blocks(report):
        breakable = not block.keep
        if block.kind == "text":
            for line in _wrap(" ".join(block.lines), style.width):
                emit(line, breakable)
        elif block.kind == "lines":
            for line in block.lines:
                emit(line, breakable and not line.startswith(("Inspector", "Recent")))
        else:
            emit(block.head, False)
            for body, due in block.rows:
                pieces = _wrap(body, style.width) if style.width else [body]
                for n, piece in enumerate(pieces):
                    on_this = n == (len(pieces) - 1 if style.date_on_last else 0)
                    emit(f"{piece}\t{due}" if on_this else piece, breakable)
        if style.blank:
            lines.append("")
    return "\n".join(lines) + "\n"


def render_pdf(report: Report, style: Style, path: Path) -> None:
    """The report as a PDF: wrapped paragraphs, the findings table in two columns (breaking across
    pages, its header repeated), a running header with the URN and a footer with the page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = _unicode_font()
    pdfmetrics.registerFont(TTFont("Body", font))
    width, height = A4
    left, right, top, bottom, leading = 56, 56, 70, 72 + (style.page_lines % 7) * 40, 13
    pdf = canvas.Canvas(str(path), pagesize=A4)
    state = {"page": 1, "y": height - top}

    def furniture():
        pdf.setFont("Body", 8)
        pdf.drawString(left, height - 40, f"{report.urn}   {_range(report.start, report.end)}")
        pdf.drawRightString(width - right, 40, f"Page {state['page']} of 9" if style.furniture == 2 else str(state["page"]))
        pdf.setFont("Body", 10)

    def new_page():
        pdf.showPage()
        state["page"] += 1
        state["y"] = height - top
        furniture()

    def write(text, x=left, keep=False):
        if state["y"] < bottom and not keep:
            new_page()
        pdf.drawString(x, state["y"], text)
        state["y"] -= leading

    furniture()
    text_width = width - left - right - (style.width % 5) * 30
    for block in blocks(report):
        if block.kind == "table":
            cells = block.head.split("\t")

            def table_header():
                if state["y"] < bottom + leading:
                    new_page()  # a header row is never left alone at the foot of a page
                pdf.drawString(430, state["y"], cells[-1])
                write("    ".join(cells[:-1]))

            table_header()
            for body, due in block.rows:
                pieces = simpleSplit(body.replace("\t", "    "), "Body", 10, 360)
                for n, piece in enumerate(pieces):
                    if state["y"] < bottom:
                        new_page()
                        table_header()
                    if n == (len(pieces) - 1 if style.date_on_last else 0):
                        pdf.drawString(430, state["y"], due)
                    write(piece)
        elif block.kind == "text":
            for piece in simpleSplit(" ".join(block.lines), "Body", 10, text_width):
                write(piece, keep=block.keep)
        else:
            for line in block.lines:
                first, _, second = line.partition("\t")
                if second:  # a two-column row: the second cell in its own column
                    pdf.drawString(max(400, left + pdfmetrics.stringWidth(first, "Body", 10) + 24), state["y"], second)
                write(first, keep=block.keep)
        if style.blank:
            state["y"] -= leading
    pdf.save()


def _unicode_font() -> str:
    """A TrueType font with the accents of the names (reportlab's built-in fonts have Latin-1 only)."""
    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
                      "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"):
        if Path(candidate).exists():
            return candidate
    import matplotlib  # a dependency of the project, which ships DejaVu Sans

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


styles = st.builds(Style, width=st.sampled_from([0, 64, 78, 95, 120]), blank=st.booleans(),
                   page_lines=st.integers(8, 45), furniture=st.integers(0, 2), date_on_last=st.booleans())
