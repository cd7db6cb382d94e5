"""The orchestrator: text of an Ofsted letter -> ``LetterDraft``.

Pipeline: decode (``text.decode_bytes``, for files) -> clean (characters, lines, bullets) ->
locate the letter in the document -> remove page furniture -> paragraphs -> segment into
preamble / sections / close -> one step per field, each walking its table in ``rules.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import rules
from .dates import find_date, parse_standalone_date
from .draft import INSPECTION_KINDS, LetterDraft, NotALetterError
from .text import (
    Block,
    Line,
    Vocabulary,
    build_blocks,
    check_is_text,
    decode_bytes,
    mark_bullets,
    remove_furniture,
    split_lines,
    straighten,
)

# --------------------------------------------------------------------------------------------
# Line tests built from the rules


def heading_section(text: str) -> tuple[str, str] | None:
    """(section, rule name) if the line is a known section heading."""
    candidate = text.strip().rstrip(":?.").strip()
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
        m = rule.regex.fullmatch(text.strip().rstrip("."))
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


def _is_opening(lines: list[Line], i: int) -> bool:
    text = lines[i].text
    if not text or lines[i].bullet:
        return False
    if title_rule(text) or rules.OPENING_RULES[0].regex.fullmatch(text):
        return True
    # A title wrapped over two lines.
    following = next((line for line in lines[i + 1 : i + 3] if line.text), None)
    return bool(following and not following.bullet and title_rule(f"{text} {following.text}"))


def find_region(lines: list[Line], source: str) -> Region:
    anchor = next((i for i in range(len(lines)) if _is_opening(lines, i)), None)
    if anchor is None:
        anchor = next(
            (i for i, ln in enumerate(lines) if ln.text and rules.SALUTATION.fullmatch(ln.text)),
            None,
        )
    if anchor is None:
        raise NotALetterError(
            f"{source} does not look like an Ofsted letter: no subject line (such as "
            "'Monitoring visit to ... children's services'), opening sentence or salutation."
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
    return Region(start, end, anchor, letterhead)


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

    def preamble_text(self) -> list[str]:
        return [b.text for b in self.preamble]


def segment(lines: list[Line], blocks: list[Block]) -> Letter:
    letter = Letter(lines, blocks)
    state = "preamble"
    for block in blocks:
        if state == "closing":
            letter.closing.append(block)
            continue
        found = heading_section(block.text) if block.kind == "line" else None
        if found:
            state = found[0]
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
            _add(letter, state, head)
            state = "closing"
            letter.closing.append(tail)
            continue
        _add(letter, state, block)
    return letter


def _add(letter: Letter, state: str, block: Block) -> None:
    if state == "preamble":
        letter.preamble.append(block)
    else:
        letter.sections[state].append(block)


# --------------------------------------------------------------------------------------------
# Field steps. Each takes the segmented letter and fills part of the draft.


def _clean_authority(value: str) -> str:
    value = straighten(value)
    value = re.sub(r"^the ", "", value, flags=re.IGNORECASE)
    return value.strip(" ,-")


def step_kind_and_authority(letter: Letter, draft: LetterDraft) -> None:
    found: list[tuple[str, str, str]] = []  # (source, kind, authority)
    for block in letter.preamble:
        hit = title_rule(block.text)
        if hit:
            rule, m = hit
            found.append((rule.name, rule.value, m.groupdict().get("authority") or ""))
            draft.title = draft.title or block.text.rstrip(".")
    for block in letter.preamble:
        for rule in rules.INTRO_RULES:
            m = rule.regex.search(block.text)
            if m:
                found.append((rule.name, rule.value, m.group("authority")))
    if found:
        name, kind, _ = found[0]
        draft.kind = kind
        draft.notes.append(f"kind from rule {name}")
        others = {k for _, k, _ in found[1:]} - {kind}
        if others:
            draft.warn(
                f"kind: the letter's title and opening disagree ({kind} vs {', '.join(sorted(others))}); using {kind}"
            )
        if name == "sif_inspection_title":
            draft.warn("kind: a single inspection framework (SIF) report, recorded as 'other'")
        elif kind == "other":
            draft.warn("kind: a type of inspection this importer does not record; set to 'other'")
    else:
        draft.warn("kind: could not tell which kind of letter this is; set to 'other'")

    for line_text in _address_lines(letter):
        council = any(r.regex.fullmatch(line_text) for r in rules.ADDRESS_AUTHORITY_RULES)
        if council and not rules.NOT_AN_AUTHORITY.search(line_text):
            draft.recipient_council = line_text
            break

    names = []
    for source, _, authority in found:
        authority = _clean_authority(authority)
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
                draft.authority = _clean_authority(m.group("authority"))
                draft.warn(
                    f"authority: not named in a title or the opening sentence; taken from the "
                    f"recipient's address ({line_text!r})"
                )
                return


def _preamble_lines(letter: Letter) -> list[Line]:
    """Lines before the salutation (or before the first paragraph of the opening)."""
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
    for line in _preamble_lines(letter):
        value = parse_standalone_date(line.text)
        if value:
            dates.append(value)
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
                if not found.has_year:
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
                draft.visit_start, draft.visit_end = start, end
                draft.notes.append(f"visit dates from rule {rule.name} ({found.pattern})")
                if year is not None:
                    draft.warn(f"visit dates: {found.text!r} gives no year; {year} was taken from the letter date")
                if draft.letter_date and end > draft.letter_date:
                    draft.warn("visit dates: the visit ends after the letter date; please check")
                return


def _role(text: str) -> str:
    """The inspectors' title as written, in the singular: "Her Majesty's Inspector"."""
    m = rules.SIGNATURE_TITLE.search(text)
    if not m:
        return ""
    role = re.sub(r"(?i)inspectors\b", "Inspector", m.group())
    return role[:1].upper() + role[1:].replace(" inspector", " Inspector")


def _split_names(names: str) -> list[tuple[str, str]]:
    """Names and their own titles: "Ann Lee HMI and Bob Roe, Ofsted Inspector" gives
    [("Ann Lee", "HMI"), ("Bob Roe", "Ofsted Inspector")].

    A piece that is only a title ("Her Majesty's Inspector") belongs to the name before it.
    """
    result: list[list[str]] = []
    for piece in re.split(r",|;|\band\b|&", straighten(names)):
        role = _role(piece)
        for pattern in rules.INSPECTOR_TITLES:
            piece = pattern.sub(" ", piece)
        piece = re.sub(r"\s+", " ", piece).strip(" .,:;()-")
        if piece:
            result.append([piece, role])
        elif role and result and not result[-1][1]:
            result[-1][1] = role
    return [(name, role) for name, role in result]


def _add_inspectors(draft: LetterDraft, names: str, source: str, role: str = "") -> list[str]:
    """Add the names, titles removed; ``role`` is for names given no title of their own."""
    added = []
    for name, own_role in _split_names(names):
        if not rules.PERSON_NAME.fullmatch(name):
            draft.warn(f"inspectors: {name!r} ({source}) does not look like a name; left out")
            continue
        known = {n.casefold(): n for n in draft.inspectors}
        name = known.get(name.casefold(), name)
        if name not in draft.inspectors:
            draft.inspectors.append(name)
        if own_role or role:
            draft.inspector_roles.setdefault(name, own_role or role)
        added.append(name)
    return added


def step_inspectors(letter: Letter, draft: LetterDraft) -> None:
    preamble_lines = [line.text for block in letter.preamble for line in block.lines]
    for rule in rules.INSPECTOR_RULES:
        texts = letter.preamble_text() if rule.value == "text" else preamble_lines
        for text in texts:
            m = rule.regex.search(text) if rule.value == "text" else rule.regex.fullmatch(text)
            if m:
                before = text[max(0, m.start() - 40) : m.start("names")]
                _add_inspectors(draft, m.group("names"), rule.name, _role(before))
    # The signature: the name above "Her Majesty's Inspector" after "Yours sincerely".
    closing_lines = [line.text for line in letter.lines if line.text]
    for i, text in enumerate(closing_lines):
        if not rules.VALEDICTION.fullmatch(text):
            continue
        for j in range(i + 1, min(i + 6, len(closing_lines))):
            if rules.SIGNATURE_TITLE.search(closing_lines[j]):
                own = rules.SIGNATURE_TITLE.sub("", closing_lines[j]).strip(" ,")
                name = own or closing_lines[j - 1]
                if j - 1 > i or own:
                    signed = _add_inspectors(draft, name, "signature", _role(closing_lines[j]))
                    draft.signed_by = signed[0] if signed else ""
                break
        break


def _section_items(letter: Letter, section: str) -> list[Block]:
    return [
        block
        for block in letter.sections.get(section, [])
        if block.kind != "line" and not is_boilerplate(block.text) and not rules.GRADE_ONLY.fullmatch(block.text)
    ]


def step_areas(letter: Letter, draft: LetterDraft) -> None:
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
    for rule in rules.AREAS_SENTENCE_RULES:
        for text in letter.preamble_text():
            m = rule.regex.search(text)
            if m:
                area = m.group("area").strip()
                draft.areas_covered = [area[:1].upper() + area[1:] + "."]
                draft.warn(
                    "areas covered: no 'Areas covered' section; taken from the opening "
                    f"sentence 'Inspectors {m.group().split(' ', 2)[1]} ...'"
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
    draft.findings = [b.text for b in _section_items(letter, "findings")]


def step_judgements(letter: Letter, draft: LetterDraft) -> None:
    # All the letter's lines joined, so a table row or heading wrapped over lines still reads
    # as "<name> <grade>". The close (Ofsted's back page) is left out.
    closing_lines = {id(line) for block in letter.closing for line in block.lines}
    body = [ln.text for ln in letter.lines if ln.text and id(ln) not in closing_lines]
    for text in [" ".join(body)]:
        for m in rules.JUDGEMENT_RULE.finditer(text):
            name = straighten(m.group("name"))
            name = name[:1].upper() + name[1:]
            grade_text = m.group("grade").lower()
            if grade_text in rules.OLD_GRADES:
                draft.warn(
                    f"judgements: {name!r} is graded {grade_text!r}, which is not one of "
                    "Ofsted's current grades; left out"
                )
                continue
            grade = rules.GRADES[grade_text]
            known = draft.judgements.get(name)
            if known and known != grade:
                draft.warn(f"judgements: {name!r} is given as both {known!r} and {grade!r}; using {known!r}")
            elif not known:
                draft.judgements[name] = grade
    if not draft.judgements and draft.kind in INSPECTION_KINDS:
        draft.warn("judgements: an inspection report, but no judgement and grade were found")


FIELD_STEPS = [
    step_kind_and_authority,
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


# --------------------------------------------------------------------------------------------
# Entry points


def extract_letter(text: str, *, source: str = "The text") -> LetterDraft:
    """Turn the plain text of an Ofsted letter into a draft. Raises NotALetterError."""
    if not isinstance(text, str):
        raise TypeError("extract_letter() takes text (str); use extract_letter_bytes() for bytes")
    check_is_text(text, source)
    lines = split_lines(text)
    mark_bullets(lines)
    region = find_region(lines, source)
    letter_lines = lines[region.start : region.end]
    removed = remove_furniture(
        letter_lines,
        rules.FURNITURE_RULES,
        keep_first=lambda t: bool(title_rule(t)),
        document=lines,
    )
    region_text = " ".join(line.text for line in letter_lines)
    if not rules.LETTER_KEYWORDS.search(region_text):
        raise NotALetterError(
            f"{source} does not look like an Ofsted letter: it does not mention Ofsted, "
            "inspectors or children's services."
        )
    vocab = Vocabulary.from_lines(letter_lines)
    blocks = build_blocks(letter_lines, stands_alone, vocab)
    letter = segment(letter_lines, blocks)

    signals = {
        "letterhead": region.letterhead,
        "title": any(title_rule(b.text) for b in letter.preamble),
        "opening": any(r.regex.search(b.text) for b in letter.preamble for r in rules.INTRO_RULES),
        "salutation": any(rules.SALUTATION.fullmatch(ln.text) for ln in letter_lines if ln.text),
        "valediction": any(rules.VALEDICTION.fullmatch(ln.text) for ln in letter_lines if ln.text),
        "headings": bool(letter.headings),
    }
    if sum(signals.values()) < 2:
        raise NotALetterError(
            f"{source} does not look like an Ofsted letter: it lacks the usual structure "
            "(subject line, opening sentence, section headings, salutation and sign-off)."
        )

    draft = LetterDraft()
    first = next((ln.number for ln in letter_lines if ln.text), 0)
    last = max((ln.number for ln in letter_lines if ln.text), default=0)
    all_numbers = [ln.number for ln in lines if ln.text]
    if all_numbers and (first > all_numbers[0] or last < all_numbers[-1]):
        draft.notes.append(f"the letter is lines {first}-{last} of the input; the rest was ignored")
    if removed:
        draft.notes.append(f"removed {len(removed)} page number/header/footer line(s)")
    draft.notes.append("structure: " + ", ".join(k for k, v in signals.items() if v))

    for step in FIELD_STEPS:
        step(letter, draft)
    for attribute, message in MISSING:
        field_name = message.split(":")[0]
        said = any(w.startswith(field_name + ":") for w in draft.warnings)
        if not getattr(draft, attribute) and not said:
            draft.warn(message)
    return draft


def extract_letter_bytes(data: bytes, *, source: str = "The file") -> LetterDraft:
    """Decode a file's bytes (UTF-8, else cp1252 with a warning) and extract."""
    text, warnings = decode_bytes(data, source)
    draft = extract_letter(text, source=source)
    draft.warnings[:0] = warnings
    return draft
