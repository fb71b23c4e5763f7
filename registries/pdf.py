"""HTML to tagged, deterministic PDF for the documents sponsors upload (CTIS summary of results, lay
summaries, participant letters).

WeasyPrint renders; the HTML comes from our own builders, which escape every value from the record
(``html.escape``), so no record text can add markup, scripts or links to remote resources. WeasyPrint's
URL fetcher is replaced by one that refuses every fetch but a ``data:`` URL (a sponsor's logo, whose bytes
are in the document): the documents are self-contained.

PDF/UA-1 (ISO 14289-1) makes the file tagged, so screen readers follow headings and tables, which the
EU Accessibility Act asks of documents meant for the public. Fonts are embedded (subset) by WeasyPrint.
The creation and modification dates and the file identifier are fixed, so the same record gives the same
bytes and the approval's SHA-256 can be checked again later.
"""

from __future__ import annotations

import hashlib
import html
from typing import Any

from registries.findings import RegistryError

PDF_MEDIA_TYPE = "application/pdf"
PDF_VARIANT = "pdf/ua-1"
# A fixed date in the metadata: the document's content, not the moment of rendering, decides its bytes.
FIXED_METADATA_DATE = "2000-01-01T00:00:00Z"
PAGE_SIZES = ("A4", "letter")

BASE_CSS = """
@page { size: %(page_size)s; margin: 20mm 18mm 22mm 18mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #444; } }
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt; line-height: 1.4;
       color: #111; }
h1 { font-size: 16pt; margin: 0 0 6mm 0; color: %(accent)s; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm 0; color: %(accent)s; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm 0; break-after: avoid; }
p { margin: 0 0 2mm 0; }
table { border-collapse: collapse; width: 100%%; margin: 1mm 0 3mm 0; font-size: 9pt; }
th, td { border: 0.4pt solid #888; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.number { text-align: right; }
img.logo { display: block; max-height: 18mm; max-width: 60mm; margin: 0 0 3mm 0; }
.branding { font-size: 9pt; color: #444; margin-bottom: 4mm; }
dl { margin: 0 0 3mm 0; } dt { font-weight: bold; } dd { margin: 0 0 1.5mm 6mm; }
"""


def escape(value: Any) -> str:
    """Any value as HTML text; None as an empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


def text_blocks(text: Any) -> list[str]:
    """The paragraphs of plain text: blank lines separate them; none for anything but text."""
    if not isinstance(text, str):
        return []
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def paragraphs(text: Any) -> str:
    """Plain text as HTML paragraphs: blank lines separate paragraphs, single newlines break lines.
    Markdown markup is shown as written, never interpreted, so a summary cannot smuggle in HTML."""
    blocks = text_blocks(text)
    return "".join("<p>" + "<br>".join(map(escape, block.split("\n"))) + "</p>" for block in blocks)


def css(page_size: str, accent: str = "#1f3b73") -> str:
    if page_size not in PAGE_SIZES:
        raise RegistryError(
            "pdf.page_size_unknown", f"Unknown page size {page_size!r}; sizes: {', '.join(PAGE_SIZES)}."
        )
    return BASE_CSS % {"page_size": page_size, "accent": accent}


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    if url.startswith("data:"):
        from weasyprint.urls import URLFetcher

        return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)(url)
    raise RegistryError("pdf.fetch_refused", f"The PDF renderer fetches nothing ({url!r} was asked for).")


def document(*, title: str, language: str, body: str, style: str) -> str:
    """A complete HTML document; ``body`` and ``style`` are trusted HTML/CSS built by our own code."""
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{style}</style></head><body>{body}</body></html>"
    )


def render_pdf(html_document: str) -> bytes:
    """The HTML rendered as a tagged PDF/UA-1 file with fixed metadata dates and identifier."""
    # Imported here: WeasyPrint loads Pango and fonts, a cost only renderers should pay.
    import weasyprint

    rendered = weasyprint.HTML(string=html_document, url_fetcher=_refuse_fetch).render()
    rendered.metadata.created = FIXED_METADATA_DATE
    rendered.metadata.modified = FIXED_METADATA_DATE
    identifier = hashlib.sha256(html_document.encode("utf-8")).hexdigest()[:32].encode("ascii")
    content: bytes = rendered.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
    return content
