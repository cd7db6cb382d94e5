"""Clean-up of text as it comes out of PDFs: decoding, characters, lines, paragraphs.

Nothing here knows about Ofsted; the letter-specific knowledge lives in ``rules.py`` and is
passed in (for example which lines must stand alone as headings).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .draft import NotALetterError

# --------------------------------------------------------------------------------------------
# Decoding


def decode_bytes(data: bytes, name: str = "input") -> tuple[str, list[str]]:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252.

    Returns the text and warnings. Raises NotALetterError for empty or binary input.
    """
    warnings: list[str] = []
    if not data or not data.strip():
        raise NotALetterError(f"{name} is empty: not an Ofsted letter.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ["text: file was UTF-16 encoded"]
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise NotALetterError(f"{name} is a binary file (it contains NUL bytes): not a letter.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise NotALetterError(f"{name} could not be decoded as UTF-8 or cp1252 text: not a letter.") from exc
        warnings.append(
            "text: the file is not valid UTF-8; it was read as Windows-1252 (cp1252), so check "
            "accented letters and punctuation"
        )
    return text, warnings


def check_is_text(text: str, name: str = "input") -> None:
    """Reject text that is empty or looks binary (NUL bytes, many control characters)."""
    if not text or not text.strip():
        raise NotALetterError(f"{name} is empty: not an Ofsted letter.")
    if "\x00" in text:
        raise NotALetterError(f"{name} is binary (it contains NUL bytes): not a letter.")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise NotALetterError(f"{name} looks binary (many control characters): not a letter.")


# --------------------------------------------------------------------------------------------
# Characters

SOFT_HYPHEN = "\u00ad"

CHARACTER_MAP = {
    # Curly and other quotes become straight ones.
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    # Hyphen look-alikes become "-" (en and em dashes are kept as written).
    "\u2010": "-",
    "\u2011": "-",
    # Odd spaces become spaces; zero-width characters go.
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\t": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    # Ligatures from PDF fonts.
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "ft",
    "\ufb06": "st",
}
_TRANSLATION = str.maketrans(CHARACTER_MAP)


def normalise_characters(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_TRANSLATION)


def straighten(text: str) -> str:
    """Straight quotes and single spaces for a value taken from the text."""
    return re.sub(r"\s+", " ", text.translate(_TRANSLATION)).strip()


# --------------------------------------------------------------------------------------------
# Lines

# Bullet characters PDFs produce, including Wingdings/Symbol private-use code points.
BULLET_CHARS = (
    "\u25fc\u25fb\u25a0\u25a1\u25aa\u25ab\u25cf\u2022\u25e6\u2023\u2043\u2219\u00b7\u25cb"
    "\u27a2\u2713\u2714\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf06e\uf02d*"
)
BULLET_SYMBOL = re.compile(rf"^[{re.escape(BULLET_CHARS)}]\s*")
BULLET_DASH = re.compile(r"^[-\u2013\u2014\u2212]\s+")
SENTENCE_END = re.compile(r"[.!?:;][\"')\]]*$")
# A numbered paragraph or list item: "12. Children are seen..." (a number, a full stop, a space).
NUMBERED = re.compile(r"(?P<number>\d{1,3})\.\s+(?=\S)")


@dataclass
class Line:
    text: str  # single-spaced, stripped; bullet marker removed when ``bullet``
    number: int  # 1-based line number in the input
    indented: bool = False  # indented more than most lines of the text
    bullet: bool = False
    after_page_break: bool = False  # page furniture (a page number, a header) was removed before
    raw: str = ""  # as laid out: spaces kept (columns of a table are runs of spaces apart)
    page: int = 0  # 0-based; a form feed starts the next page
    numbered: bool = False  # starts a numbered paragraph or item ("12. Children...")
    table: bool = False  # part of a table (read separately), never of a paragraph

    def ends_sentence(self) -> bool:
        return bool(SENTENCE_END.search(self.text))

    def blank_out(self) -> None:
        self.text, self.raw, self.bullet, self.numbered = "", "", False, False


def split_lines(text: str) -> list[Line]:
    """Normalised text to lines; a form feed marks the next line as after a page break.

    A line is ``indented`` when it starts with more spaces than most lines do, so text that
    is indented throughout (pdftotext -layout) has no indented lines.
    """
    lines: list[Line] = []
    indents: list[int] = []
    page_break = False
    page = 0
    for number, raw in enumerate(normalise_characters(text).split("\n"), start=1):
        if "\f" in raw:
            page_break = True
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        content = re.sub(r" +", " ", raw).strip()
        # A soft hyphen is invisible unless it ends the line (a hyphenation point).
        if content.endswith(SOFT_HYPHEN):
            content = content.rstrip(SOFT_HYPHEN).replace(SOFT_HYPHEN, "") + SOFT_HYPHEN
        else:
            content = content.replace(SOFT_HYPHEN, "")
        line = Line(content, number, raw=raw.replace(SOFT_HYPHEN, "").rstrip(), page=page)
        indents.append(len(raw) - len(raw.lstrip(" ")))
        if content:
            line.after_page_break = page_break
            page_break = False
        lines.append(line)
    usual = Counter(n for n, line in zip(indents, lines, strict=True) if line.text)
    baseline = usual.most_common(1)[0][0] if usual else 0
    for n, line in zip(indents, lines, strict=True):
        line.indented = bool(line.text) and n > baseline
    return lines


def mark_bullets(lines: list[Line]) -> None:
    """Recognise bullet lines (◼ • ▪ … always; - – — − only where a list item is plausible)
    and numbered paragraphs (after a line that ends a sentence, or next in sequence)."""
    previous: Line | None = None
    last_number = 0
    dash_indent = None  # where the dashes of the list being read stand
    for line in lines:
        if not line.text:
            previous = None
            continue
        indent = len(line.raw) - len(line.raw.lstrip(" ")) if line.raw else 0
        symbol = BULLET_SYMBOL.match(line.text)
        dash = BULLET_DASH.match(line.text)
        numbered = NUMBERED.match(line.text)
        if dash_indent is not None and indent <= dash_indent and not dash:
            dash_indent = None  # the list has ended
        if symbol and len(line.text) > symbol.end():
            line.bullet, line.text = True, line.text[symbol.end() :]
        elif dash:
            rest = line.text[dash.end() :]
            # A dash that starts a wrapped line mid-sentence is punctuation, not a bullet, unless
            # it stands where the list's other dashes stand.
            in_list = dash_indent is not None and indent == dash_indent
            if previous is None or previous.bullet or previous.ends_sentence() or rest[:1].isupper() or in_list:
                line.bullet, line.text = True, rest
                dash_indent = indent
        elif numbered:
            # "2. Children..." on a wrapped line is a new paragraph only where one can start.
            value = int(numbered.group("number"))
            if previous is None or previous.ends_sentence() or value == last_number + 1:
                line.numbered, last_number = True, value
        previous = line


def remove_footnotes(lines: list[Line]) -> list[str]:
    """Blank out footnotes at the foot of a page, and their markers in the text above.

    A footnote starts, after a blank line in the lower half of a page, with a line that is its
    number (alone, or followed by its text, but not a date such as "1 July 2022"), and runs over
    at most ``FOOTNOTE_LINES`` lines to the end of the page. The same number must be written as a
    marker higher on that page: after a word ("area2", "improve?1") or at the end of a short
    line that is not a sentence ("... safeguarding children board 1"). Returns what was removed.
    """
    removed: list[str] = []
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    for page in pages.values():
        for index, line in enumerate(page):
            start = FOOTNOTE_START.fullmatch(line.text)
            if not start or index < len(page) // 2 or page[index - 1].text:
                continue
            after = [other for other in page[index + 1 :] if other.text]
            if not (start.group("text") or after) or len(after) > FOOTNOTE_LINES:
                continue  # a number alone at the end of the page is its page number
            number = start.group("number")
            marker = _footnote_marker(number)
            above = [other for other in page[:index] if other.text]
            if not any(marker.search(other.text) or _line_end_marker(other, number) for other in above):
                continue
            for other in above:
                if _line_end_marker(other, number):
                    other.text = other.text[: -len(number)].rstrip()
                    other.raw = other.raw.rstrip()[: -len(number)].rstrip()
                else:
                    other.text, other.raw = marker.sub("", other.text), marker.sub("", other.raw)
            for other in page[index:]:
                if other.text:
                    removed.append(other.text)
                other.blank_out()
            break
    return removed


FOOTNOTE_LINES = 8
MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
FOOTNOTE_START = re.compile(rf"(?P<number>\d{{1,2}})(?:\s+(?!(?:{MONTH_NAMES})\b)(?P<text>\S.*))?", re.IGNORECASE)


def _footnote_marker(number: str) -> re.Pattern:
    # After a word in lower case or punctuation; never a postcode's "M1".
    return re.compile(rf"(?:(?<=[a-z][a-z])|(?<=[?:.,;)'\"])){number}(?!\d)")


def _line_end_marker(line: Line, number: str) -> bool:
    return (
        len(line.text) < 100
        and line.text.endswith(f" {number}")
        and not SENTENCE_END.search(line.text[: -len(number)].rstrip())
    )


# A page number written before or after a running header or footer ("18 to 29 July 2022 2").
PAGE_NUMBER_AT_END = re.compile(r"\s+\d{1,3}$")
PAGE_NUMBER_AT_START = re.compile(r"^\d{1,3}\s+")


def _furniture_key(text: str) -> str:
    key = PAGE_NUMBER_AT_END.sub("", text)
    return key if key != text else PAGE_NUMBER_AT_START.sub("", text)


def remove_furniture(
    lines: list[Line],
    rules: Iterable[tuple[str, re.Pattern]],
    keep: Iterable[Line] = (),
    document: list[Line] | None = None,
    protect: Callable[[list[Line], int], bool] = lambda lines, index: False,
) -> list[str]:
    """Blank out page numbers, running headers and footers in ``lines``; return what went.

    A line goes if it matches one of ``rules`` (name, full-line regex: page numbers), or if
    the same non-bullet line occurs 3 times or more in ``document`` (default: ``lines``), or
    twice when one occurrence is next to a page number (a running header or footer). A page
    number written on the header or footer's own line does not make it a different line.
    The lines in ``keep`` (a report's title, repeated as its running header) stay, and so do
    those ``protect(lines, index)`` accepts (a section heading, also listed in the contents).
    """
    rules = list(rules)
    document = lines if document is None else document
    kept = {id(line) for line in keep}

    def by_rule(text: str) -> bool:
        return bool(text) and any(regex.fullmatch(text) for _, regex in rules)

    counts = Counter(_furniture_key(line.text) for line in document if line.text and not line.bullet)
    near_page_number: set[str] = set()
    filled = [line for line in document if line.text]
    for i, line in enumerate(filled):
        if by_rule(line.text):
            for j in (i - 1, i + 1):
                if 0 <= j < len(filled) and not by_rule(filled[j].text):
                    near_page_number.add(_furniture_key(filled[j].text))

    def repeated(text: str) -> bool:
        key = _furniture_key(text)
        if len(key) > 120:
            return False
        return counts[key] >= 3 or (counts[key] >= 2 and key in near_page_number)

    removed: list[str] = []
    for index, line in enumerate(lines):
        if not line.text or line.bullet or id(line) in kept:
            continue
        if by_rule(line.text) or (repeated(line.text) and not protect(lines, index)):
            removed.append(line.text)
            line.blank_out()
            for following in lines[index + 1 :]:
                if following.text:
                    following.after_page_break = True
                    break
    return removed


# --------------------------------------------------------------------------------------------
# Hyphenation

# First parts that make a real compound when a word is broken at its hyphen.
COMPOUND_PREFIXES = frozenset(
    [
        "under",
        "over",
        "multi",
        "re",
        "co",
        "non",
        "pre",
        "post",
        "well",
        "self",
        "long",
        "short",
        "cross",
        "anti",
        "inter",
        "intra",
        "sub",
        "semi",
        "mid",
        "ex",
        "part",
        "full",
        "half",
        "high",
        "low",
        "far",
        "wide",
        "first",
        "second",
        "third",
        "one",
        "two",
        "three",
        "single",
        "double",
        "child",
        "family",
        "decision",
    ]
)

WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")


@dataclass
class Vocabulary:
    """Words of the whole document, to decide how to mend a word broken at a line end."""

    words: set[str] = field(default_factory=set)
    hyphenated: set[str] = field(default_factory=set)

    @classmethod
    def from_lines(cls, lines: Iterable[Line]) -> Vocabulary:
        vocab = cls()
        for line in lines:
            for token in WORD.findall(line.text):
                token = token.lower()
                if "-" in token:
                    vocab.hyphenated.add(token)
                else:
                    vocab.words.add(token)
        return vocab


def hyphen_decision(first: str, second: str, vocab: Vocabulary) -> tuple[bool, str]:
    """Should "first-" at a line end + "second" keep its hyphen? Returns (keep, rule name).

    1. "first-second" is written with a hyphen elsewhere in the text  -> keep;
    2. "firstsecond" is written as one word elsewhere in the text      -> join;
    3. "first" is a compound prefix (under, multi, re, co, non, ...)   -> keep;
    4. "second" starts with a capital ("non-English")                  -> keep;
    5. otherwise it is typesetting hyphenation ("assess-ment")         -> join.
    """
    a, b = first.lower(), second.lower()
    if f"{a}-{b}" in vocab.hyphenated:
        return True, "hyphenated_elsewhere"
    if a + b in vocab.words:
        return False, "joined_elsewhere"
    if a in COMPOUND_PREFIXES:
        return True, "compound_prefix"
    if second[:1].isupper():
        return True, "capitalised_second_part"
    return False, "line_break_hyphenation"


def join_lines(texts: list[str], vocab: Vocabulary) -> str:
    """Join the lines of one paragraph: spaces between lines, broken words mended."""
    out = ""
    for text in texts:
        if not out:
            out = text
            continue
        if out.endswith(SOFT_HYPHEN):
            out = out[:-1] + text
            continue
        head = re.search(r"([A-Za-z]+)-$", out)
        tail = re.match(r"[A-Za-z]+", text)
        if head and tail and not re.search(r"\s-$", out):
            keep, _ = hyphen_decision(head.group(1), tail.group(), vocab)
            out = out + text if keep else out[:-1] + text
        else:
            out = f"{out} {text}"
    return re.sub(r" +", " ", out.replace(SOFT_HYPHEN, "")).strip()


# --------------------------------------------------------------------------------------------
# Paragraphs

# A paragraph carries on across a blank line (or a removed page number) when the text before
# does not end a sentence and the next line starts in lower case, or the text before ends in
# one of these words.
CONNECTIVES = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "that",
        "which",
        "who",
        "whose",
        "whom",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "as",
        "or",
        "but",
        "nor",
        "than",
        "their",
        "its",
        "his",
        "her",
        "our",
        "your",
        "this",
        "these",
        "those",
        "into",
        "onto",
        "upon",
        "about",
        "between",
        "within",
        "without",
        "through",
        "including",
        "such",
        "not",
        "also",
        "has",
        "have",
        "had",
    ]
)


@dataclass
class Block:
    """A paragraph, a bullet item or a line that stands alone (a heading, a date...)."""

    kind: str  # "para", "bullet" or "line"
    lines: list[Line]
    text: str = ""

    @property
    def first_line(self) -> int:
        return self.lines[0].number


def _continues(previous: Line, line: Line, after_gap: bool) -> bool:
    """Is ``line`` the continuation of the paragraph whose last line is ``previous``?"""
    starts_lower = line.text[:1].islower()
    if after_gap:
        if previous.ends_sentence():
            return False
        last_word = (re.findall(r"[A-Za-z]+$", previous.text) or [""])[0]
        return starts_lower or last_word in CONNECTIVES
    # No gap. An indented line after a full stop starting with a capital opens a new
    # paragraph (PDF text marks a new page's first paragraph this way).
    new_page_paragraph = (
        line.indented and not previous.indented and previous.ends_sentence() and line.text[:1].isupper()
    )
    return not new_page_paragraph


def build_blocks(
    lines: list[Line],
    stands_alone: Callable[[str], bool],
    vocab: Vocabulary,
    span: Callable[[list[Line], int], int] | None = None,
) -> list[Block]:
    """Lines to blocks: paragraphs, bullet items and lines that stand alone.

    ``stands_alone(text)`` says whether one line stands alone (a heading, a title);
    ``span(lines, i)``, if given, how many lines from ``lines[i]`` make one heading wrapped
    over several lines (0 if none). Table lines are left out, like blank lines.
    """
    blocks: list[Block] = []
    current: Block | None = None
    gap = False
    skip = 0
    for index, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        if not line.text or line.table:
            gap = True
            continue
        after_gap = gap or line.after_page_break
        real_gap = gap
        gap = False
        wrapped = span(lines, index) if span and not line.bullet else 0
        if wrapped > 1:
            current = None
            block_lines = [other for other in lines[index : index + wrapped] if other.text and not other.table]
            blocks.append(Block("line", block_lines))
            skip = wrapped - 1
            continue
        if not line.bullet and (wrapped == 1 or stands_alone(line.text)):
            current = None
            blocks.append(Block("line", [line]))
            continue
        if line.bullet or line.numbered:
            current = Block("bullet" if line.bullet else "para", [line])
            blocks.append(current)
            continue
        if current is not None:
            previous = current.lines[-1]
            if current.kind == "bullet" and not real_gap and not after_gap:
                # Lines under a bullet continue it unless a new sentence starts a new block.
                joins = not (previous.ends_sentence() and line.text[:1].isupper())
            elif current.lines[0].numbered and not after_gap:
                joins = True  # a numbered paragraph's hanging indent is not a new paragraph
            else:
                joins = _continues(previous, line, after_gap)
            if joins:
                current.lines.append(line)
                continue
        current = Block("para", [line])
        blocks.append(current)
    for block in blocks:
        block.text = join_lines([line.text for line in block.lines], vocab)
    return blocks
