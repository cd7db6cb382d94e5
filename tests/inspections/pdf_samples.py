"""Small PDFs written by hand for the tests: text placed where a test wants it (in Helvetica,
one of the fonts every PDF reader has), a page that is only an image (a scan), and a PDF that
needs a password."""

from __future__ import annotations

import zlib

A4_HEIGHT = 842


def _escape(text: str) -> str:
    # WinAnsi has "•" but not Ofsted's "◼".
    return text.replace("\u25fc", "\u2022").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """Objects 1..n (object 1 the catalogue) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def text_pdf(pages: list[list[tuple[float, float, float, str]]], trailer_extra: bytes = b"") -> bytes:
    """A PDF whose pages hold (x, y from the top, font size, text) runs, in WinAnsi Helvetica."""
    page_numbers = list(range(4, 4 + 2 * len(pages), 2))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % n for n in page_numbers), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for number, runs in zip(page_numbers, pages, strict=True):
        content = b"".join(
            b"BT /F1 %.1f Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, A4_HEIGHT - y, _escape(text).encode("cp1252"))
            for x, y, size, text in runs
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (number + 1)
        )
        objects.append(_stream(content))
    return _pdf(objects, trailer_extra)


def lines_pdf(text: str, *, size: float = 11, left: float = 56, leading: float = 14) -> bytes:
    """A text as a PDF, line for line: a blank line leaves a gap, a form feed starts a page, and
    a run of two or more spaces starts a column where it would in monospace."""
    pages: list[list[tuple[float, float, float, str]]] = []
    for page in text.split("\f"):
        pages.append([])
        for row, line in enumerate(page.split("\n")):
            for start, words in _columns(line):
                pages[-1].append((left + start * size * 0.5, 60 + row * leading, size, words))
    return text_pdf(pages)


def _columns(line: str) -> list[tuple[int, str]]:
    parts, index = [], 0
    for chunk in line.split("  "):
        if chunk.strip():
            parts.append((index + len(chunk) - len(chunk.lstrip()), chunk.strip()))
        index += len(chunk) + 2
    return parts


def scanned_pdf() -> bytes:
    """One page that is only a (tiny, grey) image, as a scanner makes: no text at all."""
    pixels = zlib.compress(bytes([128]) * 4)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        _stream(
            pixels,
            b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode ",
        ),
        _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
    ]
    return _pdf(objects)


def encrypted_pdf() -> bytes:
    """A PDF that declares the standard security handler with a user password (not empty)."""
    encrypt = b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >> /ID [<%s> <%s>] " % (
        b"11" * 32,
        b"22" * 32,
        b"33" * 16,
        b"33" * 16,
    )
    return text_pdf([[(56, 60, 11, "Focused visit to Eastmoor children's services")]], trailer_extra=encrypt)
