"""Turn an Ofsted letter or report about children's services (its text, or the PDF) into a
structured draft.

Standard library only, except pdfminer.six for reading PDFs (``pdf.py``); see
docs/letter-import.md.
"""

from .draft import GRADES, KINDS, LetterDraft, NotALetterError
from .extract import extract_letter, extract_letter_bytes, read_document
from .text import decode_bytes

__all__ = [
    "GRADES",
    "KINDS",
    "LetterDraft",
    "NotALetterError",
    "decode_bytes",
    "extract_letter",
    "extract_letter_bytes",
    "read_document",
]
