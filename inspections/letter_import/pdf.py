"""The text of a PDF, laid out as ``pdftotext -layout`` lays it out, for the importer.

The importer's rules were written against ``pdftotext -layout`` output: one text line per
line of print, a blank line where the print leaves a gap, columns (a judgement table's grades)
kept apart by runs of spaces, indentation kept, and a form feed between pages. This module
makes the same from the characters pdfminer.six finds on each page, so that reading the PDF
gives the importer the same fields as reading its text. Nothing here knows about Ofsted.

A PDF that needs a password, cannot be parsed, or has no text (a scan) is refused with a
``NotALetterError`` that says so.
"""

from __future__ import annotations

import io
import logging
import statistics
from dataclasses import dataclass, field

from .draft import NotALetterError

PDF_MAGIC = b"%PDF-"
# Fewer letters than this in the whole document means there is no text layer to read.
MIN_LETTERS = 40

# Gaps, as fractions of the font size: wider than WORD_GAP is a space between words, wider
# than COLUMN_GAP is a gap between columns (written as two or more spaces, as pdftotext does).
WORD_GAP = 0.12
COLUMN_GAP = 1.6
# A vertical gap between two lines wider than this fraction of the line's height is a blank line.
BLANK_LINE_GAP = 0.55


def is_pdf(data: bytes) -> bool:
    """A PDF starts with "%PDF-" (a few bytes of junk before it are allowed)."""
    return PDF_MAGIC in data[:1024]


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float


@dataclass
class _Line:
    chars: list[_Char] = field(default_factory=list)
    y0: float = 0.0
    y1: float = 0.0

    def add(self, char: _Char) -> None:
        # The line's band is its first character's: it does not grow, so one tall glyph (a
        # page number set large) cannot join two lines of small print.
        if not self.chars:
            self.y0, self.y1 = char.y0, char.y1  # never a space: see _lines
        self.chars.append(char)

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars if not c.text.isspace())


def pdf_text(data: bytes, source: str = "The file") -> str:
    """The PDF's text in ``pdftotext -layout`` form. Raises NotALetterError if it has none."""
    pages = _pages(data, source)
    chars = [c for page in pages for line in page for c in line.chars if not c.text.isspace()]
    letters = sum(1 for c in chars if c.text.isalpha())
    if letters < MIN_LETTERS:
        raise NotALetterError(
            f"{source} is a PDF with no text to read (it may be a scanned image of the letter): "
            "run it through text recognition (OCR) first, or paste the letter's text."
        )
    # One character pitch and one left margin for the whole document, so that indentation
    # means the same on every page.
    pitch = statistics.median(c.x1 - c.x0 for c in chars if c.text.isalpha()) or 5.0
    left = min((line.x0 for page in pages for line in page), default=0.0)
    return "\f".join(_render(page, pitch, left) for page in pages) + "\f"


def _pages(data: bytes, source: str) -> list[list[_Line]]:
    # pdfminer is imported here so that the rest of the importer never needs it.
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTFigure
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise NotALetterError(
            f"{source} is an encrypted PDF that needs a password to open, so its text cannot be read: "
            "save an unprotected copy, or paste the letter's text."
        ) from error
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds of error on a broken file
        raise NotALetterError(
            f"{source} could not be read as a PDF ({_reason(error)}): is the file complete?"
        ) from error

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)  # no layout analysis: the characters as placed
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[list[_Line]] = []
    try:
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            found: list[_Char] = []
            stack = list(device.get_result())
            while stack:
                item = stack.pop()
                if isinstance(item, LTFigure):
                    stack.extend(item)
                elif isinstance(item, LTChar) and item.upright:
                    found.append(_Char(item.get_text(), item.x0, item.x1, item.y0, item.y1, item.size))
            pages.append(_lines(found))
    except Exception as error:  # noqa: BLE001 - as above
        raise NotALetterError(
            f"{source} could not be read as a PDF ({_reason(error)}): is the file complete?"
        ) from error
    if not pages:
        raise NotALetterError(f"{source} is a PDF with no pages.")
    return pages


def _reason(error: Exception) -> str:
    return str(error).strip() or type(error).__name__


def _lines(chars: list[_Char]) -> list[_Line]:
    """Characters grouped into lines of print, top to bottom.

    A character belongs to a line when it overlaps the line's band by more than half of the
    smaller of the two heights, so a footnote marker raised above the line stays on it. Space
    glyphs only join lines that printed characters made.
    """
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (-(c.y0 + c.y1) / 2, c.x0)):
        line = next((line for line in reversed(lines[-4:]) if _on(line, char)), None)
        if line is None:
            if char.text.isspace():
                continue
            line = _Line()
            lines.append(line)
        line.add(char)
    lines.sort(key=lambda line: -line.y1)
    return lines


def _on(line: _Line, char: _Char) -> bool:
    overlap = min(line.y1, char.y1) - max(line.y0, char.y0)
    return overlap > 0.5 * min(line.height, max(char.y1 - char.y0, 1.0))


def _render(lines: list[_Line], pitch: float, left: float) -> str:
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None and previous.y0 - line.y1 > BLANK_LINE_GAP * min(previous.height, line.height):
            out.append("")
        out.append(_line_text(line, pitch, left))
        previous = line
    return "\n".join(out) + "\n"


def _line_text(line: _Line, pitch: float, left: float) -> str:
    chars: list[_Char] = []
    spaced: set[int] = set()  # indexes of characters that a space glyph comes before
    for char in sorted(line.chars, key=lambda c: c.x0):
        if char.text.isspace():
            # A space glyph counts only where it lies after the last character, not under it.
            if chars and char.x0 >= chars[-1].x1 - 0.5:
                spaced.add(len(chars))
            continue
        last = chars[-1] if chars else None
        if last and char.text == last.text and abs(char.x0 - last.x0) < 0.3 * (last.x1 - last.x0 + 0.1):
            continue  # the same glyph printed twice, as some PDFs do to make text bold
        chars.append(char)
    if not chars:
        return ""
    gaps = [b.x0 - a.x1 for a, b in zip(chars, chars[1:], strict=False)]
    sizes = [max(min(a.size, b.size), 1.0) for a, b in zip(chars, chars[1:], strict=False)]
    # The line's usual space between words: a gap much wider than that is between columns,
    # even when it is narrower than COLUMN_GAP (a long label close to its grade).
    spaces = [gap for gap, size in zip(gaps, sizes, strict=True) if WORD_GAP * size < gap <= 0.6 * size]
    usual = statistics.median(spaces) if spaces else None
    text = " " * max(0, round((chars[0].x0 - left) / pitch)) + chars[0].text
    for index, (char, gap, size) in enumerate(zip(chars[1:], gaps, sizes, strict=True), start=1):
        column = gap > COLUMN_GAP * size or (usual is not None and gap > 0.6 * size and gap > 2.5 * usual)
        if column:
            text += " " * max(2, round(gap / pitch))
        elif gap > WORD_GAP * size or index in spaced:
            text += " "
        text += char.text
    return text.rstrip()
