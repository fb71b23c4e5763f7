"""Reading the structure of a PDF we rendered, for tests: WeasyPrint packs objects into compressed
object streams, so the dictionaries are inflated before they are searched."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def pdf_structure(pdf: bytes) -> bytes:
    """The file's bytes followed by every stream that inflates (object streams, XMP metadata)."""
    parts = [pdf]
    for match in _STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)


def accessibility_markers(pdf: bytes) -> dict[str, bool]:
    """What a tagged, self-contained PDF/UA-1 file shows: a structure tree, a marked-content flag, a
    document language, the PDF/UA identification in the XMP metadata and embedded font files."""
    structure = pdf_structure(pdf)
    return {
        "pdf": pdf.startswith(b"%PDF-"),
        "structure_tree": b"/StructTreeRoot" in structure,
        "marked": b"/Marked true" in structure,
        "language": b"/Lang" in structure,
        "pdfua_identification": b"pdfuaid:part" in structure,
        "embedded_fonts": b"/FontFile2" in structure or b"/FontFile3" in structure,
    }
