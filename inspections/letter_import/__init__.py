"""Turn the plain text of an Ofsted letter about children's services into a structured draft.

Standard library only; see docs/letter-import.md.
"""

from .draft import GRADES, KINDS, LetterDraft, NotALetterError
from .extract import extract_letter, extract_letter_bytes
from .text import decode_bytes

__all__ = [
    "GRADES",
    "KINDS",
    "LetterDraft",
    "NotALetterError",
    "decode_bytes",
    "extract_letter",
    "extract_letter_bytes",
]
