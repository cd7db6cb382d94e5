"""The extraction rules: one table per question the parser asks of a letter.

Each rule is a ``Rule``: a name (shown in notes and used by tests), a compiled regular
expression, and the value it stands for (a section, a kind...). The parser in ``extract.py``
walks these tables in order and the first rule that fires wins, so a new letter layout is
handled by adding a row here (a new heading wording, a new title, a new date label), not by
changing the parser. Patterns are matched against text whose quotes are already straight
(' and ") and whose white space is single spaces.
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
AUTH = r"(?P<authority>[A-Za-z][A-Za-z'&,() -]*?)"
LA = r"(?: local authority)?"

# --------------------------------------------------------------------------------------------
# What kind of letter it is (and the authority it names). ``TITLE_RULES`` must match a whole
# line or paragraph (the letter's subject line or the report's title); ``INTRO_RULES`` are
# searched for in the opening paragraphs. Order matters: titles first, then the opening.

TITLE_RULES = [
    Rule(
        "monitoring_visit_title",
        rx(
            rf"(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth) )?monitoring visit "
            rf"(?:to|of) {AUTH}{LA} {CS}"
        ),
        "monitoring_visit",
    ),
    Rule("focused_visit_title", rx(rf"focused visit (?:to|of) {AUTH}{LA} {CS}"), "focused_visit"),
    Rule(
        "protection_inspection_title",
        rx(
            r"inspection of local authority arrangements for the protection of children"
            rf"(?:\s*[-\u2013\u2014:,]\s*{AUTH})?"
        ),
        "protection_inspection",
    ),
    Rule(
        # The single inspection framework (2013-2017) is not one of the kinds we record.
        "sif_inspection_title",
        rx(
            r"(?:.{0,80}?)inspection of services for children in need of help and protection,? "
            r"children looked after and care leavers.{0,200}"
        ),
        "other",
    ),
    Rule("ilacs_inspection_title", rx(rf"inspection of {AUTH}{LA} {CS}"), "ilacs_inspection"),
    Rule("jtai_title", rx(r"joint targeted area inspection .{0,200}"), "other"),
]

INTRO_RULES = [
    Rule(
        "monitoring_visit_opening",
        rx(rf"findings of (?:the|a|this) (?:\w+ )?monitoring visit (?:to|of) {AUTH}{LA} {CS}"),
        "monitoring_visit",
    ),
    Rule(
        "focused_visit_opening",
        rx(rf"findings of (?:the|a|this) focused visit (?:to|of) {AUTH}{LA} {CS}"),
        "focused_visit",
    ),
]

# Lines that open a letter in a longer document (searched for in this order).
OPENING_RULES = [
    Rule("opening_sentence", rx(r"This letter summarises the findings\b.*")),
    Rule("salutation", rx(r"Dear [A-Z][\w'. -]{0,60}")),
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
NOT_AN_AUTHORITY = rx(r"committee|scrutiny|agenda|department for education|ofsted")

# --------------------------------------------------------------------------------------------
# Section headings. Matched against a whole line with trailing ":", "?" or "." removed.

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
        rx(r"headline findings|summary of (?:the )?(?:main |key )?findings|key findings|overview"),
        "headline_findings",
    ),
    Rule(
        "findings_heading",
        rx(
            r"(?:main )?findings(?: and evaluation(?: of progress)?)?|evaluation of progress|"
            r"findings (?:of|from) (?:the|this) (?:visit|inspection)"
        ),
        "findings",
    ),
    Rule(
        "improvements_heading",
        rx(
            r"what needs to improve(?: in this area)?|"
            r"areas for (?:priority )?(?:action|improvement)|priority actions?"
        ),
        "improvements",
    ),
    Rule("judgements_heading", rx(r"judgements?(?: and grades?| grades?| summary)?"), "judgements"),
]
# Inspection reports head their narrative with the judgement it supports, sometimes with the
# grade after a colon ("The experiences and progress of children in care: good"). A judgement
# table row ("Overall effectiveness Good", no colon) is not a heading. Added at the end of
# this module, once JUDGEMENT_NAMES is defined.

# The sections whose paragraphs become fields of the draft.
OUTPUT_SECTIONS = ("areas_covered", "headline_findings", "findings")

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
    Rule("alternative_format", rx(r"If you would like a copy of this document in a different")),
    Rule("crown_copyright", rx(r"(?:\u00a9|\(c\)) Crown copyright")),
]

# Paragraphs that are notes about the visit, not content (dropped from every section).
BOILERPLATE_RULES = [
    Rule(
        "framework_note",
        rx(
            r"This (?:visit|inspection) was (?:carried out|conducted|undertaken) (?:in line with|"
            r"under|using|in accordance with)\b"
        ),
    ),
    Rule("framework_mention", rx(r"This (?:monitoring |focused )?visit\b[^.]{0,120}\bframework\b")),
]

# Where a letter has no "Areas covered" section, the opening may say what inspectors looked at
# (older focused visit letters). Taken as written, with a warning.
AREAS_SENTENCE_RULES = [
    Rule(
        "inspectors_looked_at",
        rx(r"\bInspectors (?:looked at|evaluated|considered|reviewed) (?P<area>[^.:]{10,400})\."),
    ),
]

# The framework a visit was carried out under, from the framework note (kept for the fixture).
FRAMEWORK_RULE = rx(r"\b(?:in line with|under|in accordance with) (?P<framework>the [^.]{5,150}?framework)")

# --------------------------------------------------------------------------------------------
# Dates. The date expression must follow the prefix immediately (see dates.py for shapes).
# Visit dates are only looked for in the opening (before the first section heading), so the
# dates of earlier visits mentioned in the findings are not taken.

VISIT_DATE_RULES = [
    Rule(
        "findings_of_visit_on",
        rx(r"findings of (?:the|a|this) [^.]*?(?:visit|inspection)[^.]*? on "),
    ),
    Rule("dates_label", rx(r"(?:inspection|visit|fieldwork) dates?\s*:?\s*")),
    Rule("dates_of_visit_label", rx(r"dates? of (?:the )?(?:visit|inspection)\s*:?\s*")),
    Rule(
        "visit_took_place",
        rx(
            r"(?:visit|inspection) (?:took place|was carried out|was undertaken|was conducted)"
            r"[^.]*? (?:on|between|from) "
        ),
    ),
    Rule("inspectors_visited", rx(r"\binspectors visited\b[^.]*? (?:on|between|from) ")),
]

# The letter date is first the last line before the salutation that is only a date; failing
# that, one of these labels.
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
# Inspectors. ``scope`` "text": searched for in the opening paragraphs; labels are matched
# against single lines (reports print "Lead inspector: Jane Smith, Her Majesty's Inspector").

NAMES = r"(?P<names>[^.]{1,200}?)"
INSPECTOR_RULES = [
    Rule(
        "inspectors_for_this_visit",
        rx(
            rf"inspectors? for this (?:\w+ )?(?:visit|inspection) (?:were|was|are|is):? {NAMES}"
            r"\.(?:\s|$)"
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
    Rule("lead_inspector_label", rx(rf"lead (?:social care )?inspector\s*:\s*{NAMES}\.?"), "line"),
    Rule("inspectors_label", rx(rf"(?:team )?inspectors?\s*:\s*{NAMES}\.?"), "line"),
]

# Titles written after or around inspectors' names; removed from names.
INSPECTOR_TITLES = [
    rx(r"\b(?:Her|His) Majesty's (?:Senior |Lead |Regional )?Inspectors?\b"),
    rx(r"\((?:lead |senior )?(?:inspector|HMI|OI)\)"),
    rx(r"\b(?:Senior |Lead |Social care )?HMI\b"),
    rx(r"\bOfsted (?:Senior |Lead )?Inspectors?\b"),
    re.compile(r"\bOI\b"),
    rx(r"\b(?:lead|senior|social care|team) inspectors?\b"),
    rx(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+"),
]
# A signature's title line, under the inspector's name after "Yours sincerely".
SIGNATURE_TITLE = rx(
    r"(?:(?:Her|His) Majesty's (?:Senior |Lead |Regional )?Inspector|(?:Senior |Lead )?HMI|"
    r"Ofsted (?:Senior |Lead )?Inspector)"
)
PERSON_NAME = re.compile(r"[A-Z][A-Za-z'-]+(?: (?:[A-Z][A-Za-z'.-]*|de|da|di|du|van|von|der|den|la|le|bin|al|ap)){1,4}")

# --------------------------------------------------------------------------------------------
# Judgements: "<judgement name>" followed directly (only ":", "-", "|" or spaces between) by a
# grade. A sentence such as "judged inadequate in January 2020" has no judgement name before
# the grade, so it is never read as a judgement of this letter.

JUDGEMENT_NAMES = [
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care and care leavers",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
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
    "inadequate": "inadequate",
}
# Grades of older frameworks that are not Ofsted's current scale: reported, never recorded.
OLD_GRADES = ("adequate",)


def _name_pattern(name: str) -> str:
    words = [re.escape(word.strip(",")) for word in name.split()]
    body = r",?\s+".join(words)
    if name.lower().startswith("the "):
        body = r"(?:the\s+)?" + r",?\s+".join(words[1:])
    return body


JUDGEMENT_RULE = re.compile(
    r"(?<![\w-])(?P<name>"
    + "|".join(_name_pattern(n) for n in sorted(JUDGEMENT_NAMES, key=len, reverse=True))
    + r")\s*[:|\u2013\u2014-]?\s*(?P<grade>requires improvement(?: to be good)?|outstanding|"
    + r"good|inadequate|adequate)\b",
    re.IGNORECASE,
)

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

# Words that any Ofsted letter about children's services contains.
LETTER_KEYWORDS = rx(r"\bofsted\b|\binspectors?\b|\bHMI\b|children's (?:social care )?services")

GRADE_PATTERN = r"(?:requires improvement(?: to be good)?|outstanding|good|inadequate|adequate)"
# A paragraph that is only a grade: the other half of a judgement table row or heading.
GRADE_ONLY = rx(rf"{GRADE_PATTERN}[.:]?")

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
            + rf")(?::\s*{GRADE_PATTERN})?"
        ),
        "findings",
    ),
]
