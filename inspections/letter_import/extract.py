"""The orchestrator: text of an Ofsted letter or report -> ``LetterDraft``.

Pipeline: decode (``text.decode_bytes``, for files; ``pdf.pdf_text`` for PDFs) -> clean
(characters, lines, bullets, numbered paragraphs) -> locate the document -> remove footnotes
and page furniture -> read the judgement table at the front -> paragraphs -> segment into
preamble / sections / close -> one step per field, each walking its table in ``rules.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from . import rules
from .dates import find_date, parse_standalone_date
from .draft import INSPECTION_KINDS, VISIT_KINDS, LetterDraft, NotALetterError
from .pdf import is_pdf, pdf_text
from .text import (
    Block,
    Line,
    Vocabulary,
    build_blocks,
    check_is_text,
    decode_bytes,
    mark_bullets,
    remove_footnotes,
    remove_furniture,
    split_lines,
    straighten,
)

# Most lines a title or heading is wrapped over.
MAX_HEADING_LINES = 4

# --------------------------------------------------------------------------------------------
# Line tests built from the rules


def without_grade_cell(text: str) -> str:
    """A line with a grade in a right-hand column (or a grade alone) left out; a grade after a
    colon ("... families is: good") stays, as part of the heading."""
    m = rules.GRADE_CELL.search(text)
    return text[: m.start()].strip() if m and ":" not in m.group() else text.strip()


def heading_section(text: str) -> tuple[str, str] | None:
    """(section, rule name) if the text is a known section heading."""
    candidate = re.sub(r"(?<=[A-Za-z?:.])\d$", "", text.strip())  # a footnote marker
    candidate = candidate.rstrip(":?.").strip()
    if not candidate or len(candidate) > 200 or not candidate[:1].isupper():
        return None
    for rule in rules.SECTION_RULES:
        if rule.regex.fullmatch(candidate):
            return rule.value, rule.name
    return None


def title_rule(text: str) -> tuple[rules.Rule, re.Match] | None:
    if len(text) > 300:
        return None
    for rule in rules.TITLE_RULES:
        m = rule.regex.fullmatch(straighten(text).rstrip("."))
        if m:
            return rule, m
    return None


def stands_alone(text: str) -> bool:
    """Lines that are never part of a paragraph."""
    return bool(
        heading_section(text)
        or title_rule(text)
        or rules.SALUTATION.fullmatch(text)
        or rules.VALEDICTION.fullmatch(text)
    )


def _span_texts(lines: list[Line], i: int) -> list[tuple[int, str]]:
    """(lines used, joined text) for the heading candidates starting at ``lines[i]``: one line,
    then the next ones up to MAX_HEADING_LINES, leaving out grades in a right-hand column. One
    blank line is crossed where the text so far does not end a sentence (a title set in large
    type has more space between its lines)."""
    out: list[tuple[int, str]] = []
    parts: list[str] = []
    used = 0
    for line in lines[i:]:
        used += 1
        if not line.text:
            if (
                not parts
                or not lines[i + used - 2].text
                or re.search(r"[.!?]$", parts[-1])
                or any(title_rule(text) for _, text in out)
            ):
                break  # two blank lines, the end of a sentence, or a title complete already
            continue
        if line.bullet or line.table or (used > 1 and line.numbered):
            break
        part = without_grade_cell(line.raw or line.text)
        part = re.sub(r"\s+", " ", part)
        if parts and part and heading_section(part):
            break  # the next heading ("Section 1: the local authority" / "Summary of key findings")
        if part:
            parts.append(part)
            out.append((used, " ".join(parts)))
        if len(parts) == MAX_HEADING_LINES:
            break
    return out


def heading_at(lines: list[Line], i: int) -> tuple[int, str] | None:
    """(lines used, text) of the heading or title that starts at ``lines[i]``, if one does.

    A title or heading may run over several lines ("The experiences and progress of children
    who need help and" / "protection: inadequate"); the longest reading that is one wins.
    """
    candidates = _span_texts(lines, i)
    if not candidates:
        return None
    for used, text in reversed(candidates):
        if title_rule(text):
            return used, text
    for used, text in reversed(candidates):
        if heading_section(text):
            return used, text  # the longest: "... children who need help and protection" / "are good"
    used, first = candidates[0]
    if rules.SALUTATION.fullmatch(first) or rules.VALEDICTION.fullmatch(first):
        return used, first
    return None


def is_section_heading(lines: list[Line], i: int) -> bool:
    """Is ``lines[i]`` the start of a section heading (not a title)?"""
    found = heading_at(lines, i)
    return bool(found and heading_section(found[1]))


def heading_span(lines: list[Line], i: int) -> int:
    """How many lines from ``lines[i]`` make one heading or title (0 if they do not)."""
    found = heading_at(lines, i)
    return found[0] if found else 0


def heading_text(block: Block) -> str:
    """The text a heading block is matched on: its lines without grades in a column."""
    parts = [without_grade_cell(line.raw or line.text) for line in block.lines]
    return re.sub(r"\s+", " ", " ".join(part for part in parts if part)).strip()


def _matches_any(text: str, patterns) -> bool:
    return any(p.fullmatch(text) for p in patterns)


def closing_rule(text: str) -> rules.Rule | None:
    for rule in rules.CLOSING_RULES:
        if rule.regex.match(text):
            return rule
    return None


def closing_split(text: str) -> int | None:
    """Where a closing formula starts a sentence inside a paragraph, if it does."""
    best = None
    for rule in rules.CLOSING_RULES:
        for m in re.finditer(r"(?<=[.!?]) (?=\S)", text):
            if rule.regex.match(text, m.end()):
                best = m.end() if best is None else min(best, m.end())
                break
    return best


def is_boilerplate(text: str) -> bool:
    return any(rule.regex.match(text) for rule in rules.BOILERPLATE_RULES)


# --------------------------------------------------------------------------------------------
# Locating the letter in the document


@dataclass
class Region:
    start: int
    end: int
    anchor: int
    letterhead: bool
    title_lines: int = 0  # how many lines from the anchor make the title (0: no title)


def _opening(lines: list[Line], i: int) -> int | None:
    """Lines of the title at ``lines[i]``, 0 for an opening sentence, None if neither."""
    text = lines[i].text
    if not text or lines[i].bullet:
        return None
    for used, candidate in reversed(_span_texts(lines, i)):
        if title_rule(candidate):
            return used
    if rules.OPENING_RULES[0].regex.fullmatch(text):
        return 0
    return None


def find_region(lines: list[Line], source: str) -> Region:
    anchor, title_lines = None, 0
    for i in range(len(lines)):
        found = _opening(lines, i)
        if found is not None:
            anchor, title_lines = i, found
            break
    if anchor is None:
        anchor = next(
            (i for i in range(len(lines)) if lines[i].text and rules.SALUTATION.fullmatch(lines[i].text)),
            None,
        )
    if anchor is None:
        raise NotALetterError(
            f"{source} does not look like an Ofsted letter or report: no subject line or title (such as "
            "'Monitoring visit to ... children's services' or 'Inspection of ... children's services'), "
            "opening sentence or salutation."
        )
    window = range(anchor - 1, max(-1, anchor - 60), -1)
    start, letterhead = anchor, False
    strong = next((i for i in window if _matches_any(lines[i].text, rules.LETTERHEAD_STRONG)), None)
    if strong is not None:
        start, letterhead = strong, True
        for i in range(strong - 1, -1, -1):
            text = lines[i].text
            if not text:
                continue
            if _matches_any(text, rules.LETTERHEAD_STRONG + rules.LETTERHEAD_WEAK):
                start = i
            else:
                break
    else:
        dated = next((i for i in window if parse_standalone_date(lines[i].text)), None)
        greeting = next(
            (i for i in window if lines[i].text and rules.SALUTATION.fullmatch(lines[i].text)),
            None,
        )
        start = dated if dated is not None else greeting if greeting is not None else anchor
    end = len(lines)
    for i in range(anchor, len(lines)):
        if not rules.VALEDICTION.fullmatch(lines[i].text):
            continue
        end, seen = i + 1, 0
        for j in range(i + 1, len(lines)):
            if not lines[j].text:
                continue
            seen += 1
            if seen > 8:
                break
            if rules.SIGNATURE_TITLE.search(lines[j].text):
                end = j + 1
                break
            if seen <= 4:
                end = j + 1
        break
    return Region(start, end, anchor, letterhead, title_lines)


# --------------------------------------------------------------------------------------------
# The front of a report and its judgement table


def front_end(lines: list[Line]) -> int:
    """Index of the first line of the body: the first heading of a body section. A judgement
    table's row labels ("Overall effectiveness") never end the front."""
    for i, line in enumerate(lines):
        if not line.text or line.bullet:
            continue
        heading = heading_at(lines, i)
        found = heading_section(heading[1]) if heading else None
        if found and found[0] in rules.BODY_SECTIONS and found[1] not in rules.TABLE_ROW_HEADINGS:
            return i
    return len(lines)


@dataclass
class _Cell:
    line: int  # index in the front's lines
    text: str


@dataclass
class TableRow:
    name: str  # as written
    grade: str  # as written, wrapped parts joined
    lines: list[int]
    known: bool  # the name is one of rules.JUDGEMENT_NAMES


def read_table(lines: list[Line]) -> list[TableRow]:
    """The judgement table in ``lines`` (the front of a report); marks its lines as ``table``.

    Each line is split into its label part and a grade at its end (after a column gap, a colon
    or alone). The labels, joined in order, are searched for known judgement names; each grade
    (its wrapped parts joined) goes with the name whose lines it sits beside. A grade one space
    after a known name ("Overall effectiveness Inadequate") is a cell too.
    """
    labels: list[_Cell] = []
    grades: list[_Cell] = []
    for i, line in enumerate(lines):
        if not line.text or line.bullet:
            continue
        raw = line.raw or line.text
        m = rules.GRADE_CELL.search(raw)
        if m and not raw[: m.start()].strip() and m.start("grade") < rules.GRADE_COLUMN:
            m = None  # a grade alone at the left margin ends a sentence ("... require improvement to be" / "good")
        if not m:
            m = _grade_after_name(raw, [cell.text for cell in labels if cell.line >= i - 2])
        if m:
            grades.append(_Cell(i, m.group("grade")))
            raw = raw[: m.start()]
        label = re.sub(r"^\s*\d{1,2}(?:\.\d{1,2})?\.?\s+", "", raw).strip()  # "2.1 Adoption performance"
        if label:
            labels.append(_Cell(i, re.sub(r"\s+", " ", label)))
    merged = _merge_grades(grades)
    names = _label_names(labels)
    rows: list[TableRow] = []
    used: set[int] = set()
    for grade_text, grade_lines in merged:
        best = None
        for index, (_, name_lines) in enumerate(names):
            if index in used:
                continue
            near = min(abs(g - n) for g in grade_lines for n in name_lines)
            if near <= 1 and (best is None or near < best[0]):
                best = (near, index)
        if best is not None:
            used.add(best[1])
            name, name_lines = names[best[1]]
            rows.append(TableRow(name, grade_text, sorted(set(name_lines + grade_lines)), True))
        else:
            rows.append(_unknown_row(labels, grade_text, grade_lines))
    for row in rows:
        for i in row.lines:
            lines[i].table = True
    if rows:
        for line in lines:
            if line.text and rules.TABLE_HEADER.fullmatch(line.text):
                line.table = True
    rows.sort(key=lambda row: row.lines[0])
    return rows


def _grade_after_name(raw: str, labels_above: list[str]) -> re.Match | None:
    """A grade one space after a known judgement name that ends on this line ("children and
    families Requires improvement to be good"), as text copied without columns gives it."""
    m = re.search(rf"\s(?P<grade>{rules.GRADE_PATTERN})\s*$", raw, re.IGNORECASE)
    if not m:
        return None
    before = " ".join([*labels_above, raw[: m.start()].strip()])
    return m if re.search(rf"(?:{rules.NAMES_PATTERN})\s*[:|\u2013\u2014-]?$", before, re.IGNORECASE) else None


def _merge_grades(grades: list[_Cell]) -> list[tuple[str, list[int]]]:
    """ "Requires improvement" and "to be good" in the lines below it are one grade."""
    merged: list[tuple[str, list[int]]] = []
    for cell in grades:
        if (
            cell.text.lower() == "to be good"
            and merged
            and merged[-1][0].lower().startswith("requires improvement")
            and not merged[-1][0].lower().endswith("good")
            and cell.line - merged[-1][1][-1] <= 2
        ):
            text, at = merged[-1]
            merged[-1] = (f"{text} {cell.text}", [*at, cell.line])
        elif cell.text.lower() != "to be good":
            merged.append((cell.text, [cell.line]))
    return merged


def _label_names(labels: list[_Cell]) -> list[tuple[str, list[int]]]:
    """Known judgement names in the labels joined in order, with the lines each runs over."""
    text, owners = "", []
    for cell in labels:
        if text:
            text += " "
            owners.append(cell.line)
        text += cell.text
        owners.extend([cell.line] * len(cell.text))
    found = []
    for m in rules.JUDGEMENT_NAME.finditer(text):
        found.append((m.group(), sorted(set(owners[m.start() : m.end()]))))
    return found


def _unknown_row(labels: list[_Cell], grade: str, grade_lines: list[int]) -> TableRow:
    """A grade beside no known judgement name: the label written on the grade's own lines."""
    label = " ".join(cell.text for cell in labels if cell.line in grade_lines)
    return TableRow(label, grade, grade_lines, False)


# --------------------------------------------------------------------------------------------
# Segmenting the letter


@dataclass
class Letter:
    lines: list[Line]
    blocks: list[Block]
    preamble: list[Block] = field(default_factory=list)
    sections: dict[str, list[Block]] = field(default_factory=dict)
    headings: list[tuple[str, str]] = field(default_factory=list)  # (section, rule name)
    closing: list[Block] = field(default_factory=list)
    table: list[TableRow] = field(default_factory=list)
    front: list[Block] = field(default_factory=list)  # the front's blocks (before the body)
    # Items of the required action lists, in order, with the timescale heading they came under.
    required: list[tuple[Block, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # where the letter was, what was removed

    def preamble_text(self) -> list[str]:
        return [b.text for b in self.preamble]


def segment(lines: list[Line], blocks: list[Block], front_lines: int) -> Letter:
    letter = Letter(lines, blocks)
    front_ids = {id(line) for line in lines[:front_lines]}
    state, timescale = "preamble", ""
    for block in blocks:
        if id(block.lines[0]) in front_ids:
            letter.front.append(block)
        if state == "closing":
            letter.closing.append(block)
            continue
        found = heading_section(heading_text(block)) if block.kind == "line" else None
        if found:
            state, timescale = found[0], ""
            if state.startswith("timescale:"):
                state, timescale = "required_actions", state.partition(":")[2]
            elif state == "priority_actions":
                timescale = "immediately" if "immediate" in heading_text(block).lower() else ""
            letter.sections.setdefault(state, [])
            letter.headings.append(found)
            continue
        if closing_rule(block.text):
            state = "closing"
            letter.closing.append(block)
            continue
        split = closing_split(block.text) if block.kind != "line" else None
        if split is not None:
            head = Block(block.kind, block.lines, block.text[:split].strip())
            tail = Block("para", block.lines, block.text[split:].strip())
            _add(letter, state, head, timescale)
            state = "closing"
            letter.closing.append(tail)
            continue
        _add(letter, state, block, timescale)
    return letter


def _add(letter: Letter, state: str, block: Block, timescale: str) -> None:
    if state == "preamble":
        letter.preamble.append(block)
    else:
        letter.sections[state].append(block)
        if state in ("priority_actions", "required_actions"):
            letter.required.append((block, timescale))


# --------------------------------------------------------------------------------------------
# Field steps. Each takes the segmented letter and fills part of the draft.


def clean_authority(value: str) -> str:
    """An authority as letters name it: "the London Borough of Barking and Dagenham" ->
    "Barking and Dagenham", "Kent county council" -> "Kent", "Durham's" -> "Durham"."""
    value = straighten(value).strip(" ,-")
    value = rules.AUTHORITY_PREFIXES.sub("", value)
    previous = None
    while previous != value:
        previous, value = value, rules.AUTHORITY_SUFFIXES.sub("", value).strip(" ,-")
    return value


def _titles(letter: Letter) -> list[tuple[Block, rules.Rule, re.Match]]:
    found = []
    for block in letter.preamble:
        text = heading_text(block) if block.kind == "line" else block.text
        hit = title_rule(text)
        if hit:
            found.append((block, *hit))
    return found


def step_kind_and_authority(letter: Letter, draft: LetterDraft) -> None:
    found: list[tuple[str, str, str]] = []  # (source, kind, authority)
    for block, rule, m in _titles(letter):
        groups = m.groupdict()
        found.append((rule.name, rule.value, groups.get("authority") or groups.get("authority_after") or ""))
        draft.title = draft.title or heading_text(block).rstrip(".")
    for block in letter.preamble:
        for rule in rules.INTRO_RULES:
            m = rule.regex.search(block.text)
            if m:
                found.append((rule.name, rule.value, m.group("authority")))
    if found:
        name, kind = found[0][0], found[0][1]
        draft.kind = kind
        draft.notes.append(f"kind from rule {name}")
        others = {k for _, k, _ in found[1:]} - {kind}
        if others:
            draft.warn(
                f"kind: the document's title and opening disagree ({kind} vs {', '.join(sorted(others))}); using {kind}"
            )
        if kind == "other":
            draft.warn("kind: a type of inspection this importer does not record; set to 'other'")
    else:
        draft.warn("kind: could not tell which kind of letter or report this is; set to 'other'")

    if found and not found[0][2] and _titles(letter):
        # A title without the authority ("Inspection of children's social care services") has
        # the council's name on the line above it, or the authority alone on the line below.
        title = _titles(letter)[0][0]
        authority = _council_above(letter, title) or _authority_below(letter, title)
        if authority:
            found[0] = (found[0][0], found[0][1], authority)
    names = []
    for source, _, authority in found:
        authority = clean_authority(authority)
        if authority and not rules.NOT_AN_AUTHORITY.search(authority):
            names.append((source, authority))
    if names:
        draft.authority = names[0][1]
        draft.notes.append(f"authority from rule {names[0][0]}")
        differing = {a for _, a in names if a.casefold() != draft.authority.casefold()}
        if differing:
            draft.warn(f"authority: the letter also names {', '.join(sorted(differing))}; using {draft.authority!r}")
        return
    for line_text in _address_lines(letter):
        for rule in rules.ADDRESS_AUTHORITY_RULES:
            m = rule.regex.fullmatch(line_text)
            if m and not rules.NOT_AN_AUTHORITY.search(line_text):
                draft.authority = clean_authority(m.group("authority"))
                draft.warn(
                    f"authority: not named in a title or the opening sentence; taken from the "
                    f"recipient's address ({line_text!r})"
                )
                return


def step_council(letter: Letter, draft: LetterDraft) -> None:
    """The council's full name: from the recipient's address, else as the title or opening
    write it with the authority ("the London Borough of Barking and Dagenham", "Kent county
    council", "on behalf of Sunderland Council")."""
    for line_text in _address_lines(letter):
        council = any(r.regex.fullmatch(line_text) for r in rules.ADDRESS_AUTHORITY_RULES)
        if council and not rules.NOT_AN_AUTHORITY.search(line_text):
            draft.recipient_council = line_text
            return
    if not draft.authority:
        return
    named = re.compile(
        rf"(?:(?:London|Royal) Borough of {re.escape(draft.authority)}|"
        rf"{re.escape(draft.authority)} {rules.COUNCIL_WORDS})\b",
        re.IGNORECASE,
    )
    for block in letter.preamble:
        m = named.search(heading_text(block) if block.kind == "line" else block.text)
        if m:
            draft.recipient_council = re.sub(rules.COUNCIL_WORD, lambda w: w.group().title(), m.group())
            return
    draft.warn(
        f"authority: the document does not give the council's full name; the fixture names it "
        f"{draft.authority!r} (correct it if you know the council's name)"
    )


def _council_above(letter: Letter, title: Block) -> str:
    """The council named on the line above a title block, if it is one."""
    index = next((i for i, line in enumerate(letter.lines) if line is title.lines[0]), 0)
    above = next((line.text for line in reversed(letter.lines[:index]) if line.text), "")
    for rule in rules.ADDRESS_AUTHORITY_RULES:
        m = rule.regex.fullmatch(above)
        if m and not rules.NOT_AN_AUTHORITY.search(above):
            return m.group("authority")
    return ""


def _authority_below(letter: Letter, title: Block) -> str:
    """An authority's name alone on the line below a title block ("Eastmoor"), if it is one."""
    index = next((i for i, line in enumerate(letter.lines) if line is title.lines[-1]), len(letter.lines))
    below = next((line.text for line in letter.lines[index + 1 :] if line.text), "")
    if re.fullmatch(rules.AUTH, below) and not heading_section(below) and not title_rule(below):
        return below
    return ""


def _preamble_lines(letter: Letter) -> list[Line]:
    """Lines before the salutation (or before the first heading of the opening)."""
    stop = None
    for i, line in enumerate(letter.lines):
        if line.text and (rules.SALUTATION.fullmatch(line.text) or heading_section(line.text)):
            stop = i
            break
    return [line for line in letter.lines[:stop] if line.text]


def _address_lines(letter: Letter) -> list[str]:
    lines = _preamble_lines(letter)
    dated = [i for i, line in enumerate(lines) if parse_standalone_date(line.text)]
    if dated:
        lines = lines[dated[-1] + 1 :]
    return [line.text for line in lines]


def step_letter_date(letter: Letter, draft: LetterDraft) -> None:
    dates: list[date] = []
    previous = None
    for line in _preamble_lines(letter):
        value = parse_standalone_date(line.text)
        carried_on = previous is not None and previous.number == line.number - 1 and rules.RUNS_ON.search(previous.text)
        if value and not carried_on:
            dates.append(value)
        previous = line
    if dates:
        draft.letter_date = dates[-1]
        if len(set(dates)) > 1:
            draft.warn(f"letter date: several dates before the salutation; using the last, {dates[-1].isoformat()}")
        return
    for rule in rules.LETTER_DATE_RULES:
        for text in letter.preamble_text():
            for m in rule.regex.finditer(text):
                found = find_date(text[m.end() :], at_start=True)
                if found and found.has_year:
                    try:
                        draft.letter_date = found.resolve()[0]
                    except ValueError:
                        continue
                    draft.notes.append(f"letter date from rule {rule.name}")
                    return


def step_visit_dates(letter: Letter, draft: LetterDraft) -> None:
    # Only the opening: dates of earlier visits mentioned in the findings are never taken.
    texts = [b.text for b in letter.preamble if b.kind != "line"] + [
        line.text for block in letter.preamble for line in block.lines if len(line.text) < 120
    ]
    for rule in rules.VISIT_DATE_RULES:
        for text in texts:
            for m in rule.regex.finditer(text):
                found = find_date(text[m.end() :], at_start=True)
                if not found:
                    continue
                year = None
                later = _further_periods(text[m.end() + found.end :], None)
                if not found.has_year and later:
                    # "4 to 8 March and 18 to 22 March 2024": the year is the later period's.
                    year = later.year - ((found.end_month, found.end_day) > (later.month, later.day))
                elif not found.has_year:
                    if draft.letter_date is None:
                        draft.warn(
                            f"visit dates: {found.text!r} has no year and there is no letter date to take it from"
                        )
                        return
                    year = draft.letter_date.year
                    if (found.end_month, found.end_day) > (
                        draft.letter_date.month,
                        draft.letter_date.day,
                    ):
                        year -= 1
                try:
                    start, end = found.resolve(year)
                except ValueError as exc:
                    draft.warn(f"visit dates: could not read {found.text!r} ({exc})")
                    return
                end = max(end, later or end)
                draft.visit_start, draft.visit_end = start, end
                draft.notes.append(f"visit dates from rule {rule.name} ({found.pattern})")
                if year is not None and not later:
                    draft.warn(f"visit dates: {found.text!r} gives no year; {year} was taken from the letter date")
                if draft.letter_date and end > draft.letter_date:
                    draft.warn("visit dates: the visit ends after the letter date; please check")
                return


def _further_periods(rest: str, end: date | None) -> date | None:
    """The end of the last of further fieldwork periods after the first ("... and 7 August 2019
    to 8 August 2019"), or ``end`` if none follows."""
    while True:
        m = rules.FURTHER_PERIOD.match(rest)
        found = find_date(rest[m.end() :], at_start=True) if m else None
        if not found or not found.has_year:
            return end
        try:
            later = found.resolve()[1]
        except ValueError:
            return end
        if end is not None and later < end:
            return end
        end, rest = later, rest[m.end() + found.end :]


def _role(text: str) -> str:
    """The inspectors' title as written, in the singular: "Her Majesty's Inspector"."""
    m = rules.SIGNATURE_TITLE.search(text)
    if not m:
        return ""
    role = re.sub(r"(?i)inspectors\b", "Inspector", m.group())
    return role[:1].upper() + role[1:].replace(" inspector", " Inspector")


@dataclass
class _Named:
    name: str
    role: str = ""
    lead: bool = False


def _split_names(names: str) -> list[_Named]:
    """Names and their own titles: "Ann Lee HMI and Bob Roe, Ofsted Inspector" gives
    Ann Lee (HMI) and Bob Roe (Ofsted Inspector).

    A piece that names no one ("Her Majesty's Inspector", "lead inspector", "who observed the
    visit") belongs to the name before it; "lead" in it, or before the name, marks the lead.
    """
    result: list[_Named] = []
    text = re.sub(r"(?<=[a-z])- (?=[A-Z])", "-", straighten(names))  # "Porter- Moore"
    for piece in re.split(r",|;|\band\b|&|\bwith\b", text):
        piece = piece.strip()
        role = _role(piece)
        lead = bool(re.search(r"\blead\b", piece, re.IGNORECASE))
        name = piece
        for pattern in rules.INSPECTOR_TITLES:
            name = pattern.sub(" ", name)
        name = re.sub(r"\s+", " ", name).strip(" .,:;()-")
        if name and not rules.ROLE_ONLY.fullmatch(name):
            result.append(_Named(name, role, lead and not name.lower().startswith("lead")))
        elif result:
            if role and not result[-1].role:
                result[-1].role = role
            result[-1].lead = result[-1].lead or (lead and "deputy" not in piece.lower())
    return result


def _add_inspectors(draft: LetterDraft, names: str, source: str, role: str = "", lead: bool = False) -> list[str]:
    """Add the names, titles removed; ``role`` is for names given no title of their own."""
    added = []
    for named in _split_names(names):
        if not rules.PERSON_NAME.fullmatch(named.name):
            draft.warn(f"inspectors: {named.name!r} ({source}) does not look like a name; left out")
            continue
        known = {n.casefold(): n for n in draft.inspectors}
        name = known.get(named.name.casefold(), named.name)
        if name not in draft.inspectors:
            draft.inspectors.append(name)
        if named.role or role:
            draft.inspector_roles.setdefault(name, named.role or role)
        if (named.lead or lead) and not draft.lead_inspector:
            draft.lead_inspector = name
        added.append(name)
    return added


def _label_lines(lines: list[Line]) -> str:
    """A label's names over several lines: a line break is a comma where both sides are
    whole names ("Judith Nelson" / "Robert Pyner"), a space where a name is broken ("Rachel" /
    "Griffiths")."""
    out = ""
    for line in lines:
        text = line.text
        if not out:
            out = text
            continue
        before = re.split(r",|\band\b|;", out)[-1].split()
        after = re.split(r",|\band\b|;", text)[0].split()
        whole = len(before) >= 2 and len(after) >= 2 and not re.search(r"(?:,|\band|&)$", out)
        out = f"{out}, {text}" if whole else f"{out} {text}"
    return out


def step_inspectors(letter: Letter, draft: LetterDraft) -> None:
    # The first sentence that names inspectors ("two inspectors were on site" names no one).
    for rule in rules.INSPECTOR_RULES:
        for text in letter.preamble_text():
            m = rule.regex.search(text)
            if m and any(rules.PERSON_NAME.fullmatch(named.name) for named in _split_names(m.group("names"))):
                before = text[max(0, m.start() - 40) : m.start("names")]
                _add_inspectors(draft, m.group("names"), rule.name, _role(before))
                break
    # Labels, anywhere: "Lead inspector: Ann Lee", "Team inspectors: ..." (a report's last page).
    for block in letter.blocks:
        for start, line in enumerate(block.lines):
            m = rules.INSPECTOR_LABEL.fullmatch(line.text)
            if not m:
                continue
            following = []
            for other in block.lines[start + 1 :]:
                if rules.INSPECTOR_LABEL.fullmatch(other.text) or re.match(r"[A-Z][\w ]{2,40}:", other.text):
                    break
                following.append(other)
            first = Line(m.group("names"), line.number)
            names = _label_lines([first, *following])
            _add_inspectors(draft, names, "inspector_label", lead=bool(m.group("lead")))
    # The signature: the name above "Her Majesty's Inspector" after "Yours sincerely".
    closing_lines = [line.text for line in letter.lines if line.text]
    for i, text in enumerate(closing_lines):
        if not rules.VALEDICTION.fullmatch(text):
            continue
        for j in range(i + 1, min(i + 6, len(closing_lines))):
            title = closing_lines[j]
            own = rules.SIGNATURE_TITLE.sub("", title).strip(" ,") if rules.SIGNATURE_TITLE.search(title) else None
            if own is None:
                continue
            if rules.SIGNATURE_LINE.fullmatch(title) and j - 1 > i:
                signed = _add_inspectors(draft, closing_lines[j - 1], "signature", _role(title))
                draft.signed_by = signed[0] if signed else ""
            elif own and rules.PERSON_NAME.fullmatch(own):
                signed = _add_inspectors(draft, own, "signature", _role(title))
                draft.signed_by = signed[0] if signed else ""
            break
        break
    lead = draft.lead_inspector or draft.signed_by
    if lead in draft.inspectors:
        draft.inspectors.remove(lead)
        draft.inspectors.insert(0, lead)


def _items(blocks: list[Block]) -> list[Block]:
    """A section's paragraphs and bullets; not its boilerplate, a grade left alone, or a sub-heading
    of its own ("Practice study: effective practice": one short line that is no sentence)."""
    return [
        block
        for block in blocks
        if block.kind != "line"
        and not is_boilerplate(block.text)
        and not rules.GRADE_ONLY.fullmatch(block.text)
        and not _is_subheading(block)
    ]


def _is_subheading(block: Block) -> bool:
    return (
        block.kind == "para"
        and len(block.lines) == 1
        and not block.lines[0].numbered
        and len(block.text.split()) <= rules.SUBHEADING_WORDS
        and not re.search(r"[.;!?,]$", block.text)
    )


def _section_items(letter: Letter, section: str) -> list[Block]:
    return _items(letter.sections.get(section, []))


def _statement(text: str) -> str | None:
    """The statement of what a visit looked at that opens ``text``, with the sentences that
    carry it on; None if ``text`` does not open with one."""
    if not any(rule.regex.match(text) for rule in rules.AREAS_STATEMENT_RULES):
        return None
    sentences = re.split(r"(?<=[.!?:])\s+(?=[A-Z])", text)
    kept = [sentences[0]]
    for sentence in sentences[1:]:
        if not rules.AREAS_CONTINUATION.match(sentence) or kept[-1].endswith(":"):
            break
        kept.append(sentence)
    return " ".join(kept)


def step_areas(letter: Letter, draft: LetterDraft) -> None:
    if draft.kind in INSPECTION_KINDS:
        return  # an inspection report covers every area; it has no areas covered
    blocks = _section_items(letter, "areas_covered")
    bullets = [b.text for b in blocks if b.kind == "bullet"]
    if bullets:
        draft.areas_covered = bullets
        return
    prose = [b.text for b in blocks if not b.text.endswith(":")]
    if prose:
        draft.areas_covered = prose
        draft.warn("areas covered: no bulleted list under the heading; its paragraphs were taken as written")
        return
    if "areas_covered" in letter.sections:
        return
    candidates = letter.preamble + letter.sections.get("context", [])
    for index, block in enumerate(candidates):
        if block.kind == "line":
            continue
        statement = _statement(block.text)
        if statement is None:
            continue
        draft.areas_covered = [statement]
        if statement.endswith(":"):
            for following in candidates[index + 1 :]:
                if following.kind != "bullet":
                    break
                draft.areas_covered.append(following.text)
        draft.warn(
            "areas covered: no 'Areas covered' heading; taken from the statement "
            f"'{' '.join(statement.split()[:3])} ...' as written"
        )
        return


def step_framework(letter: Letter, draft: LetterDraft) -> None:
    for blocks in [letter.preamble, *letter.sections.values()]:
        for block in blocks:
            m = rules.FRAMEWORK_RULE.search(block.text)
            if m:
                draft.framework = m.group("framework")
                return


def step_paragraphs(letter: Letter, draft: LetterDraft) -> None:
    draft.headline_findings = [b.text for b in _section_items(letter, "headline_findings")]
    if not draft.headline_findings and draft.kind in INSPECTION_KINDS and letter.table:
        # An ILACS report's summary has no heading: the paragraphs under its judgement table.
        below = letter.lines[max(i for row in letter.table for i in row.lines)].number
        draft.headline_findings = [b.text for b in _items(letter.front) if b.lines[0].number > below]
    draft.findings = [b.text for b in _section_items(letter, "findings")]
    draft.areas_for_improvement = [b.text for b in _section_items(letter, "improvements") if not b.text.endswith(":")]
    for block, timescale in letter.required:
        if block.kind != "line" and not is_boilerplate(block.text) and not block.text.endswith(":"):
            draft.required_actions.append((block.text, timescale))


def step_judgements(letter: Letter, draft: LetterDraft) -> None:
    if draft.kind in VISIT_KINDS:
        return  # a visit gives no graded judgement
    for row in letter.table:
        grade_text = row.grade.lower()
        name = canonical_judgement(row.name) if row.known else straighten(row.name)
        if not name:
            draft.warn(f"judgements: a grade ({row.grade!r}) in the judgement table with no judgement beside it")
            continue
        if not row.known and len(name) > rules.JUDGEMENT_NAME_LENGTH:
            draft.warn(f"judgements: a grade ({row.grade!r}) beside {name[:60]!r}…, too long for a judgement's name")
            continue
        if not row.known:
            draft.warn(f"judgements: {name!r} is not a judgement this importer knows; check it")
        _record_judgement(draft, name, grade_text)
    front_text = " ".join(block.text for block in letter.front if block.kind != "bullet")
    for rule in rules.SENTENCE_JUDGEMENT_RULES:
        m = rule.regex.search(front_text)
        if m and rule.value not in draft.judgements:
            _record_judgement(draft, rule.value, m.group("grade").lower())
            draft.notes.append(f"judgement {rule.value!r} from rule {rule.name}")
    if not draft.judgements and draft.kind in INSPECTION_KINDS:
        draft.warn("judgements: an inspection report, but no judgement and grade were found")


def _record_judgement(draft: LetterDraft, name: str, grade_text: str) -> None:
    if grade_text in rules.OLD_GRADES:
        draft.warn(
            f"judgements: {name!r} is graded {grade_text!r}, which is not one of Ofsted's current grades; left out"
        )
        return
    grade = rules.GRADES[re.sub(r"\s+", " ", grade_text)]
    known = draft.judgements.get(name)
    if known and known != grade:
        draft.warn(f"judgements: {name!r} is given as both {known!r} and {grade!r}; using {known!r}")
    elif not known:
        draft.judgements[name] = grade


def canonical_judgement(written: str) -> str:
    """A judgement name as ``rules.JUDGEMENT_NAMES`` spells it: "the experiences and progress
    of care leavers" -> "The experiences and progress of care leavers"."""

    def key(text: str) -> str:
        return re.sub(r"\s+", " ", straighten(text).replace(",", "")).strip().casefold()

    names = {key(name): name for name in rules.JUDGEMENT_NAMES}
    written_key = key(written)
    for candidate in (written_key, f"the {written_key}", written_key.removeprefix("the ")):
        if candidate in names:
            return names[candidate]
    return straighten(written)


FIELD_STEPS = [
    step_kind_and_authority,
    step_council,
    step_letter_date,
    step_visit_dates,  # after the letter date: a missing year is taken from it
    step_inspectors,
    step_areas,
    step_framework,
    step_paragraphs,
    step_judgements,
]

MISSING = [
    ("authority", "authority: not found"),
    ("letter_date", "letter date: not found (left empty)"),
    ("visit_start", "visit dates: not found (left empty)"),
    ("inspectors", "inspectors: no names found"),
    ("areas_covered", "areas covered: not found"),
    ("headline_findings", "headline findings: not found"),
    ("findings", "findings: no body paragraphs found"),
]
# Fields a kind of document does not have, so their absence is no warning.
NOT_EXPECTED = dict.fromkeys(INSPECTION_KINDS, ("areas_covered",))


# --------------------------------------------------------------------------------------------
# Entry points


def read_letter(text: str, source: str = "The text") -> Letter:
    """The text segmented into a ``Letter``. Raises NotALetterError."""
    check_is_text(text, source)
    lines = split_lines(text)
    mark_bullets(lines)
    region = find_region(lines, source)
    letter_lines = lines[region.start : region.end]
    as_printed = [replace(line) for line in lines]  # running footers are counted before footnotes go
    footnotes = remove_footnotes(letter_lines)
    title = lines[region.anchor : region.anchor + region.title_lines]
    removed = remove_furniture(
        letter_lines, rules.FURNITURE_RULES, keep=title, document=as_printed, protect=is_section_heading
    )
    region_text = " ".join(line.text for line in letter_lines)
    if not rules.LETTER_KEYWORDS.search(region_text):
        raise NotALetterError(
            f"{source} does not look like an Ofsted letter or report: it does not mention Ofsted, "
            "inspectors or children's services."
        )
    front = front_end(letter_lines)
    table = read_table(letter_lines[:front])
    vocab = Vocabulary.from_lines(letter_lines)
    blocks = build_blocks(letter_lines, stands_alone, vocab, heading_span)
    letter = segment(letter_lines, blocks, front)
    letter.table = table

    signals = {
        "letterhead": region.letterhead,
        "title": bool(_titles(letter)),
        "opening": any(r.regex.search(b.text) for b in letter.preamble for r in rules.INTRO_RULES),
        "salutation": any(rules.SALUTATION.fullmatch(ln.text) for ln in letter_lines if ln.text),
        "valediction": any(rules.VALEDICTION.fullmatch(ln.text) for ln in letter_lines if ln.text),
        "headings": bool(letter.headings),
    }
    if sum(signals.values()) < 2:
        raise NotALetterError(
            f"{source} does not look like an Ofsted letter or report: it lacks the usual structure "
            "(subject line or title, opening sentence, section headings, salutation and sign-off)."
        )
    first = next((ln.number for ln in letter_lines if ln.text), 0)
    last = max((ln.number for ln in letter_lines if ln.text), default=0)
    all_numbers = [ln.number for ln in lines if ln.text]
    if all_numbers and (first > all_numbers[0] or last < all_numbers[-1]):
        letter.notes.append(f"the letter is lines {first}-{last} of the input; the rest was ignored")
    if removed:
        letter.notes.append(f"removed {len(removed)} page number/header/footer line(s)")
    if footnotes:
        letter.notes.append(f"removed {len(footnotes)} footnote line(s)")
    letter.notes.append("structure: " + ", ".join(k for k, v in signals.items() if v))
    return letter


def extract_letter(text: str, *, source: str = "The text") -> LetterDraft:
    """Turn the plain text of an Ofsted letter or report into a draft. Raises NotALetterError."""
    if not isinstance(text, str):
        raise TypeError("extract_letter() takes text (str); use extract_letter_bytes() for bytes")
    letter = read_letter(text, source)
    draft = LetterDraft(notes=list(letter.notes))
    for step in FIELD_STEPS:
        step(letter, draft)
    for attribute, message in MISSING:
        field_name = message.split(":")[0]
        said = any(w.startswith(field_name + ":") for w in draft.warnings)
        if attribute in NOT_EXPECTED.get(draft.kind, ()):
            continue
        if not getattr(draft, attribute) and not said:
            draft.warn(message)
    return draft


def extract_letter_bytes(data: bytes, *, source: str = "The file") -> LetterDraft:
    """A file's bytes: a PDF is read as laid-out text (``pdf.pdf_text``); other bytes are
    decoded as text (UTF-8, else cp1252 with a warning). Then extract."""
    text, warnings = read_document(data, source)
    draft = extract_letter(text, source=source)
    draft.warnings[:0] = warnings
    return draft


def read_document(data: bytes, source: str = "The file") -> tuple[str, list[str]]:
    """The text of a file (a PDF or a text file) and any warnings about reading it."""
    if is_pdf(data):
        return pdf_text(data, source), []
    return decode_bytes(data, source)
