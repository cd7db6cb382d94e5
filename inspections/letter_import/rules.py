"""The extraction rules: one table per question the parser asks of a letter or report.

Each rule is a ``Rule``: a name (shown in notes and used by tests), a compiled regular
expression, and the value it stands for (a section, a kind...). The parser in ``extract.py``
walks these tables in order and the first rule that fires wins, so a new layout is handled by
adding a row here (a new heading wording, a new title, a new date label), not by changing the
parser. Patterns are matched against text whose quotes are already straight (' and ") and
whose white space is single spaces. docs/letter-import.md lists the layouts they cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    regex: re.Pattern
    value: str = ""


def rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# Shared fragments.
CS = r"children'?s (?:social care )?services"
# An authority as named in a title or the opening sentence: no sentence punctuation.
AUTH = r"(?P<authority>[A-Za-z][A-Za-z'&,() -]{0,59}?)"
LA = r"(?: local authority)?"
ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))"
# A council's name as a report's first line gives it: "Derbyshire County Council".
COUNCIL_WORDS = (
    r"(?:(?:county|city|borough|district|metropolitan borough|metropolitan district|unitary|county borough) )?council"
)
COUNCIL_WORD = rx(r"\b(?:county|city|borough|district|metropolitan|unitary|council)\b")
SIF_SERVICES = r"services for children in need of help and protection,? children looked after and care leavers"
SIF_LSCB = r"(?: and review of the effectiveness of the local safeguarding children board)?"

# --------------------------------------------------------------------------------------------
# What kind of document it is (and the authority it names). ``TITLE_RULES`` must match a
# whole title: a subject line or a report's title, which may be wrapped over up to four lines
# (the longest span that matches wins). ``INTRO_RULES`` are searched for in the opening
# paragraphs. Order matters: the first rule that matches wins.

TITLE_RULES = [
    Rule(
        "monitoring_visit_title",
        rx(rf"(?:{ORDINAL} )?monitoring visit (?:to|of|in) {AUTH}{LA}:? {CS}"),
        "monitoring_visit",
    ),
    Rule("focused_visit_title", rx(rf"focused visit (?:to|of|in) {AUTH}{LA}:? {CS}"), "focused_visit"),
    Rule(
        # 2012-2013: "Inspection of local authority arrangements for the protection of children",
        # the authority before or after it.
        "protection_inspection_title",
        rx(
            rf"(?:{AUTH} {COUNCIL_WORDS} )?inspection of local authority arrangements for the protection of "
            rf"children(?:\s*[-\u2013\u2014:,]?\s*(?P<authority_after>[A-Za-z][A-Za-z'&,() -]{{0,59}}?))?"
        ),
        "protection_inspection",
    ),
    Rule(
        # The single inspection framework (2013-2017), first inspections and re-inspections.
        "sif_inspection_title",
        rx(rf"(?:{AUTH} {COUNCIL_WORDS} )?(?:re-?)?inspection of {SIF_SERVICES}{SIF_LSCB}"),
        "sif_inspection",
    ),
    # ILACS reports: "Inspection of Knowsley local authority children's services" (2019 on), and
    # the first layout (2018), the council's name above "Inspection of children's social care services".
    Rule("ilacs_inspection_title", rx(rf"inspection of {AUTH}{LA} {CS}"), "ilacs_inspection"),
    Rule("ilacs_council_title", rx(rf"(?:{AUTH} {COUNCIL_WORDS} )?inspection of {CS}"), "ilacs_inspection"),
    # "... of London Borough of Merton", "... of the multi-agency response to abuse and neglect in Bexley".
    Rule("jtai_title", rx(rf"joint targeted area inspection (?:of|in) (?:the [^.]{{0,150}}? in )?{AUTH}"), "other"),
]

INTRO_RULES = [
    Rule(
        "monitoring_visit_opening",
        rx(rf"findings of (?:the|a|this) (?:{ORDINAL} )?monitoring visit (?:to|of) {AUTH}{LA} {CS}"),
        "monitoring_visit",
    ),
    Rule(
        "focused_visit_opening",
        rx(rf"findings of (?:the|a|this) focused visit (?:to|of) {AUTH}{LA} {CS}"),
        "focused_visit",
    ),
    Rule(
        "jtai_opening",
        rx(r"findings of (?:the|a|this) joint targeted area inspection\b[^.]*? in (?P<authority>[A-Z][A-Za-z' -]+?)\."),
        "other",
    ),
]

# Lines that open a letter in a longer document (searched for in this order).
OPENING_RULES = [
    Rule("opening_sentence", rx(r"This letter summarises the findings\b.*")),
    Rule("salutation", rx(r"Dear [A-Z][\w'., -]{0,60}")),
]
SALUTATION = OPENING_RULES[1].regex
VALEDICTION = rx(r"Yours (?:sincerely|faithfully),?")

# The authority from the recipient's address, when neither title nor opening names it.
ADDRESS_AUTHORITY_RULES = [
    Rule(
        "named_council",
        rx(
            r"(?:The )?(?P<authority>[A-Za-z][\w'& -]*?) (?:County|City|Borough|District|"
            r"Metropolitan Borough|Metropolitan District|Unitary) Council"
        ),
    ),
    Rule("london_borough", rx(r"(?P<authority>(?:London|Royal) Borough of [\w'& -]+?)(?: Council)?")),
    Rule("council", rx(r"(?:The )?(?P<authority>[A-Za-z][\w'& -]*?) Council")),
]
NOT_AN_AUTHORITY = rx(r"committee|scrutiny|agenda|department for education|ofsted|local safeguarding|partnership")
# Words around an authority's name that are not part of the name as letters use it:
# "the London Borough of Barking and Dagenham", "Kent county council", "Durham's".
AUTHORITY_PREFIXES = rx(r"^(?:the\s+)?(?:(?:London|Royal)\s+Borough\s+of\s+)?")
AUTHORITY_SUFFIXES = rx(rf"(?:'s|\s+local authority|\s+{COUNCIL_WORDS})$")

# --------------------------------------------------------------------------------------------
# Section headings. Matched against a whole heading (up to four lines joined, grades in a
# right-hand column left out) with a trailing ":", "?", "." or footnote number removed.
# Values: the section the heading opens. "ignore" sections hold nothing the draft needs
# (contents, information about the area, what the grades mean); "timescale:<value>" opens a
# list of required actions with that timescale.

SECTION_RULES = [
    Rule(
        "areas_covered_heading",
        rx(r"areas? covered(?: (?:by|during|in|on) (?:the|this) (?:visit|inspection))?"),
        "areas_covered",
    ),
    Rule(
        "areas_reviewed_heading",
        rx(
            r"areas (?:of (?:concern|focus) )?(?:reviewed|considered|looked at|evaluated)"
            r"(?: (?:by|during|in|on) (?:the|this) visit)?"
        ),
        "areas_covered",
    ),
    Rule(
        "headline_findings_heading",
        rx(r"headline findings|summary of (?:the )?(?:main |key )?findings|key findings|overview|executive summary"),
        "headline_findings",
    ),
    Rule(
        "findings_heading",
        rx(
            r"(?:main )?findings(?: and evaluation(?: of progress)?)?|evaluation of progress|"
            r"findings (?:of|from) (?:the|this) (?:visit|inspection)|progress since the last (?:visit|inspection)|"
            r"(?:key )?strengths(?: and (?:weaknesses|areas for development))?(?: of the [\w ]{2,60})?|"
            r"inspection judgements about the local authority|the graded judge?ment for .{5,200}"
        ),
        "findings",
    ),
    Rule(
        "priority_actions_heading",
        rx(r"areas for priority action|priority (?:and immediate )?actions?|areas for immediate action"),
        "priority_actions",
    ),
    Rule(
        "improvements_heading",
        rx(
            r"what needs to improve(?: in this area(?: of social work practice)?)?|"
            r"what does the local authority(?: and its partners)? need to improve|"
            r"what the local authority(?: and its partners)? needs? to improve|"
            r"areas for (?:improvement|development)|recommendations"
        ),
        "improvements",
    ),
    Rule("immediately_heading", rx(r"immediately"), "timescale:immediately"),
    Rule("within_three_months_heading", rx(r"within (?:three|3) months"), "timescale:within_three_months"),
    Rule("within_six_months_heading", rx(r"within (?:six|6) months"), "timescale:within_six_months"),
    Rule(
        "judgements_heading",
        rx(r"judgements?(?: and grades?| grades?| summary)?|(?:the )?inspection judgements(?: and what they mean)?"),
        "judgements",
    ),
    Rule("context_heading", rx(r"context|scope of (?:the|this) (?:visit|inspection)"), "context"),
    Rule(
        "ignored_heading",
        rx(
            r"contents|information about (?:this|the) (?:local authority(?: area)?|area|inspection)|"
            r"summary for children and young people|what the inspection judge?ments mean.{0,40}|"
            r"next steps|(?:the )?inspection team|section \d+:.{0,80}"
        ),
        "ignore",
    ),
]
# Inspection reports head their narrative with the judgement it supports, often with the grade
# ("The experiences and progress of children in care: good", "... are good"). Added at the end
# of this module, once JUDGEMENT_NAMES is defined.

# Where the front of a report ends: the first heading of one of these sections. The front
# holds the title, dates, lead inspector, the judgement table and (ILACS) the summary under it.
BODY_SECTIONS = (
    "areas_covered",
    "headline_findings",
    "findings",
    "priority_actions",
    "improvements",
    "context",
    "ignore",
)
# Heading rules that can also be the label of a judgement table row, so never end the front.
TABLE_ROW_HEADINGS = ("overall_effectiveness_heading", "judgement_area_heading")

# Where the body ends: what follows one of these (at the start of a paragraph or a sentence)
# is the letter's close, not findings.
CLOSING_RULES = [
    Rule("copying_letter", rx(r"I am copying this letter\b")),
    Rule("valediction", rx(r"Yours (?:sincerely|faithfully)\b")),
    Rule("ofsted_will_take_findings", rx(r"Ofsted will take the findings\b")),
    Rule(
        "ofsted_back_page",
        rx(
            r"The Office for Standards in Education, Children's Services and Skills \(Ofsted\) "
            r"regulates"
        ),
    ),
    Rule("complaints", rx(r"Any complaints about the inspection or the report\b")),
    Rule("alternative_format", rx(r"If you would like a copy of this document in a different")),
    Rule("crown_copyright", rx(r"(?:\u00a9|\(c\)) Crown copyright")),
]

# A paragraph of one line of at most this many words, not ending as a sentence does, is a
# sub-heading the rules do not know ("Practice study: effective practice"), not content.
SUBHEADING_WORDS = 8

# Paragraphs that are notes about the visit, not content (dropped from every section).
BOILERPLATE_RULES = [
    Rule(
        "framework_note",
        rx(
            r"(?:This|The) (?:visit|inspection) was (?:carried out|conducted|undertaken) (?:in line with|"
            r"under|using|in accordance with)\b"
        ),
    ),
    Rule("framework_mention", rx(r"This (?:monitoring |focused )?visit\b[^.]{0,120}\bframework\b")),
    # "17. The inspection did not find any areas for priority and immediate action."
    Rule("nothing_to_list", rx(r"(?:\d{1,3}\.\s+)?The (?:inspection|visit) did not (?:find|identify) any\b")),
]

# --------------------------------------------------------------------------------------------
# Areas covered. With an "Areas covered" heading, its bullets (or its paragraphs). Without
# one, the statement of what the visit looked at, as written: a sentence that opens with one of
# ``AREAS_STATEMENT_RULES``, with the sentences after it that carry it on
# (``AREAS_CONTINUATION``), and the bullets after it when it ends with a colon. A sentence about
# the evidence ("Inspectors looked at a range of evidence") is not a statement of scope.

AREAS_STATEMENT_RULES = [
    Rule(
        "inspectors_looked_at",
        rx(
            r"Inspectors (?:looked at|reviewed|considered|evaluated|focused on|examined) "
            r"(?!(?:a|an|evidence|case|children's case|records|files|information)\b)"
        ),
    ),
    Rule(
        "visit_focused_on",
        rx(r"(?:This|The) (?:visit|inspection) (?:focused on|looked at|evaluated|considered|reviewed) "),
    ),
    Rule("findings_evaluate", rx(r"The findings (?:in|of) (?:the|this) (?:report|letter|inspection) evaluate ")),
]
AREAS_CONTINUATION = rx(
    r"(?:The|This) (?:visit|inspection) (?:also )?(?:focused on|looked at|considered|reviewed|evaluated) |"
    r"They also (?:looked at|considered|reviewed|evaluated) |This included |"
    r"Inspectors also (?:looked at|considered|reviewed|evaluated) the "
)

# The framework a visit was carried out under, from the framework note (kept for the fixture).
FRAMEWORK_RULE = rx(r"\b(?:in line with|under|in accordance with) (?P<framework>the [^.]{5,150}?framework)")

# --------------------------------------------------------------------------------------------
# Dates. The date expression must follow the prefix immediately (see dates.py for shapes).
# Visit dates are only looked for in the opening (before the first section heading), so the
# dates of earlier visits mentioned in the findings are not taken. A second period after
# "and" ("8 to 12 July 2019 and 7 to 8 August 2019") extends the end.

VISIT_DATE_RULES = [
    Rule(
        "findings_of_visit_on",
        rx(r"findings of (?:the|a|this) [^.]*?(?:visit|inspection)[^.]*? (?:on|between|from) "),
    ),
    Rule("dates_label", rx(r"(?:inspection|visit|fieldwork) dates?\s*:?\s*")),
    Rule("dates_of_visit_label", rx(r"dates? of (?:the )?(?:visit|inspection)\s*:?\s*")),
    Rule(
        "visit_took_place",
        rx(
            r"(?:visit|inspection|fieldwork) (?:took place|was carried out|was undertaken|was conducted)"
            r"[^.]*? (?:on|between|from) "
        ),
    ),
    Rule("inspectors_visited", rx(r"\binspectors visited\b[^.]*? (?:on|between|from) ")),
]
# A second period of fieldwork after the first: "... and 7 August 2019 to 8 August 2019".
FURTHER_PERIOD = re.compile(r"\s*(?:,\s*)?and\s+")

# The letter date is first the last line before the salutation that is only a date (and does
# not finish a phrase on the line above that ends with one of ``RUNS_ON``); failing that, one of
# these labels.
RUNS_ON = rx(r"(?:\b(?:to|and|from|until|between|on)|[,\u2013\u2014-])$")
LETTER_DATE_RULES = [
    Rule(
        "published_label",
        rx(
            r"(?:report )?(?:published|publication date|date of publication|date of letter|"
            r"letter date)\s*:?\s*"
        ),
    ),
]

# --------------------------------------------------------------------------------------------
# Inspectors. Sentences (``scope`` "text") are searched for in the opening paragraphs; labels
# ("Lead inspector: Jane Smith, Her Majesty's Inspector", "Team inspectors: ...") anywhere, a
# label's names running on over the lines below it. Then the signature.

NAMES = r"(?P<names>[^.]{1,400}?)"
INSPECTOR_RULES = [
    Rule(
        "inspectors_for_this_visit",
        rx(
            r"inspectors?(?: \(HMI\))? (?:for (?:this|the) (?:\w+ )?(?:visit|inspection) )?(?:were|was|are|is):? "
            rf"{NAMES}\.(?:\s|$)"
        ),
        "text",
    ),
    Rule(
        "visit_carried_out_by",
        rx(
            r"(?:visit|inspection) was (?:carried out|undertaken|conducted|led) by "
            rf"(?:(?:Her|His) Majesty's Inspectors? )?{NAMES}\.(?:\s|$)"
        ),
        "text",
    ),
]
# "Lead inspector:", "Deputy lead inspector:", "Team inspectors:", "Inspectors:" (not
# "Senior data analyst:"). ``lead`` marks the lead inspector.
INSPECTOR_LABEL = rx(
    r"(?P<label>(?P<lead>lead (?:social care )?inspector)|(?:deputy lead|team|social care|additional)? ?inspectors?)"
    r"\s*:\s*(?P<names>.+)"
)

# Titles written after or around inspectors' names; removed from names.
INSPECTOR_TITLES = [
    rx(
        r"(?:\bSenior )?\b(?:Her|His) Majesty's (?:Senior |Lead |Regional )?Inspectors?\b(?: \(HMI\))?"
        r"(?:,? (?:for )?Social Care\b)?"
    ),
    rx(r"\((?:lead |senior )?(?:inspector|HMI|OI)\)"),
    rx(r"\b(?:Senior |Lead |Social care )?HMI\b(?: designate\b)?"),
    rx(r"\bOfsted (?:Senior |Lead )?Inspectors?\b"),
    re.compile(r"\bOI\b"),
    rx(r"\b(?:lead|senior|social care|team|deputy lead) inspectors?\b"),
    rx(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+"),
]
# What a piece of an inspectors' sentence says about the name before it, when it names no one:
# "lead inspector", "who observed the visit".
ROLE_ONLY = rx(r"(?:who|with|as) .*|(?:the )?(?:lead|team|senior|deputy lead) inspector|designate|observer")
# An inspector's title where it is written: in a sentence, or a signature's title line.
SIGNATURE_TITLE = rx(
    r"(?:(?:Senior )?(?:Her|His) Majesty's (?:Senior |Lead |Regional )?Inspector|(?:Senior |Lead )?HMI|"
    r"Ofsted (?:Senior |Lead )?Inspector)"
)
# A signature's title line is only that title: "His Majesty's Inspector of Constabulary" signs
# for another inspectorate.
SIGNATURE_LINE = rx(rf"{SIGNATURE_TITLE.pattern}(?: \(HMI\))?(?:,? Social Care)?,?")
PERSON_NAME = re.compile(r"[A-Z][A-Za-z'-]+(?: (?:[A-Z][A-Za-z'.-]*|de|da|di|du|van|von|der|den|la|le|bin|al|ap)){1,4}")

# --------------------------------------------------------------------------------------------
# Judgements: the judgement table at the front of a report (a known judgement name and, in its
# column, a grade), grades given as sentences (``SENTENCE_JUDGEMENT_RULES``), both read only in
# the front of the report. So "judged inadequate in January 2020" in a letter, or a report's
# account of the previous inspection's judgements, is never read as this document's judgement.

JUDGEMENT_NAMES = [
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care and care leavers",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
    "The experiences and progress of children looked after and achieving permanence",
    "Children who need help and protection",
    "Children looked after and achieving permanence",
    "Adoption performance",
    "Experiences and progress of care leavers",
    "Leadership, management and governance",
    "The effectiveness of the Local Safeguarding Children Board",
    "The effectiveness of the help and protection provided to children, young people, families and carers",
    "The quality of practice",
    "Leadership and governance",
]
GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement to be good": "requires improvement to be good",
    "requires improvement": "requires improvement to be good",
    "require improvement to be good": "requires improvement to be good",
    "require improvement": "requires improvement to be good",
    "inadequate": "inadequate",
}
# The longest a judgement's name can be (``Judgement.name``).
JUDGEMENT_NAME_LENGTH = 200
# Grades of older frameworks that are not Ofsted's current scale: reported, never recorded.
OLD_GRADES = ("adequate",)

GRADE_PATTERN = r"(?:requires? improvement(?: to be good)?|outstanding|good|inadequate|adequate)"
# A grade, or the part of one that a table's narrow column wraps ("Requires improvement" /
# "to be good"), at the end of a line after a column gap, a colon or a bar, or alone.
GRADE_CELL = re.compile(
    rf"(?:^\s*|\s{{2,}}|\s*[:|]\s*)(?P<grade>{GRADE_PATTERN}|to be good)\s*$",
    re.IGNORECASE,
)
# A grade alone on its line is a table cell only this far right (in characters); at the left
# margin it is the end of a sentence wrapped onto the line.
GRADE_COLUMN = 12
# A table's header row.
TABLE_HEADER = rx(r"judge?ments?\s+grades?")
# A paragraph that is only a grade: the other half of a judgement table row or heading.
GRADE_ONLY = rx(rf"{GRADE_PATTERN}[.:]?")


def _name_pattern(name: str) -> str:
    words = [re.escape(word.strip(",")) for word in name.split()]
    body = r",?\s+".join(words)
    if name.lower().startswith("the "):
        body = r"(?:the\s+)?" + r",?\s+".join(words[1:])
    return body


NAMES_PATTERN = "|".join(_name_pattern(n) for n in sorted(JUDGEMENT_NAMES, key=len, reverse=True))
JUDGEMENT_NAME = re.compile(rf"(?<![\w-])(?:{NAMES_PATTERN})(?![\w-])", re.IGNORECASE)
# A known judgement name followed directly (only ":", "-", "|" or spaces between) by a grade.
JUDGEMENT_RULE = re.compile(
    rf"(?<![\w-])(?P<name>{NAMES_PATTERN})\s*[:|\u2013\u2014-]?\s*(?P<grade>{GRADE_PATTERN})\b",
    re.IGNORECASE,
)

# A place's name in a sentence: capitalised words ("Kingston upon Hull", "Barking and Dagenham").
PLACE = r"(?-i:[A-Z][\w'-]*(?: (?:[A-Z][\w'-]*|and|upon|on|of|the|le|in)){0,5})"
# Grades given as sentences in the front of older reports; the rule's value is the judgement.
SENTENCE_JUDGEMENT_RULES = [
    Rule(
        "overall_judgement_is",
        rx(rf"\bthe overall judgement is:? (?P<grade>{GRADE_PATTERN})\b"),
        "Overall effectiveness",
    ),
    Rule(
        "childrens_services_are",
        rx(rf"\bchildren's services in {PLACE} (?:(?:are|is) )?(?P<grade>{GRADE_PATTERN})\b"),
        "Overall effectiveness",
    ),
    Rule(
        "overall_effectiveness_of_arrangements_is",
        rx(rf"\bthe overall effectiveness of [^.]{{5,120}}? is (?P<grade>{GRADE_PATTERN})\b"),
        "Overall effectiveness",
    ),
    Rule(
        "lscb_effectiveness_is",
        rx(
            r"\bthe effectiveness of the local safeguarding children board(?: \(LSCB\))? (?:is:? )?"
            rf"(?P<grade>{GRADE_PATTERN})\b"
        ),
        "The effectiveness of the Local Safeguarding Children Board",
    ),
]

# --------------------------------------------------------------------------------------------
# Page furniture: lines removed wherever they occur (full-line matches).

FURNITURE_RULES = [
    ("page_number", re.compile(r"\d{1,3}")),
    ("page_x_of_y", rx(r"page\s+\d{1,3}(?:\s+of\s+\d{1,3})?")),
    ("x_of_y", rx(r"\d{1,3}\s+of\s+\d{1,3}")),
    ("dashed_page_number", re.compile(r"[-\u2013\u2014]\s*\d{1,3}\s*[-\u2013\u2014]")),
]

# Ofsted's letterhead: a strong marker locates it, then the letter starts at the first of the
# contiguous letterhead lines (strong or weak) before the opening.
LETTERHEAD_STRONG = [
    rx(r"ofsted"),
    rx(r"piccadilly gate"),
    rx(r"aviation house"),
    rx(r"agora"),
    rx(r".*@ofsted\.gov\.uk"),
    rx(r"(?:https?://)?www\.gov\.uk/ofsted"),
    rx(r"(?:https?://)?www\.ofsted\.gov\.uk"),
    rx(r"(?:t|tel|telephone)\.?:?\s*0300 ?123 ?1231"),
]
LETTERHEAD_WEAK = [
    rx(r"store street|125 kingsway|6 cumberland place|manchester|london|nottingham"),
    rx(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"),  # a postcode
    rx(r"(?:t|tel|telephone|textphone|minicom|f|fax)\.?:?\s*[\d ]{8,}"),
    rx(r"(?:e-?mail:?\s*)?\S+@\S+"),
    rx(r"(?:https?://)?www\.\S+"),
]

# Words that any Ofsted letter or report about children's services contains.
LETTER_KEYWORDS = rx(r"\bofsted\b|\binspectors?\b|\bHMI\b|children's (?:social care )?services")

SECTION_RULES += [
    Rule(
        "overall_effectiveness_heading",
        rx(rf"overall effectiveness(?::\s*{GRADE_PATTERN})?"),
        "headline_findings",
    ),
    Rule(
        "judgement_area_heading",
        rx(
            "(?:"
            + "|".join(_name_pattern(n) for n in JUDGEMENT_NAMES if n != "Overall effectiveness")
            + rf")(?:(?:\s*:|\s+is:?|\s+are:?)\s*{GRADE_PATTERN})?"
        ),
        "findings",
    ),
]
