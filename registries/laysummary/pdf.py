"""The Annex V lay summary of one language as a PDF (CTR 536/2014 Art. 37(4) and Annex V).

A payload of the lay-summary stage (issue 12): uploaded to CTIS (with the results and at the lay-summary
stage), to ISRCTN with the results, and kept with the canonical record for the trial sites. Pure Python:
reads the record, builds escaped HTML, renders it through ``registries.pdf``. The sponsor's branding
(name, logo, colour, page size) arrives as a plain ``Branding`` value the caller takes from its settings.

    render_lay_summary_pdf(record, "en") -> bytes
    render_lay_summary_pdf(record, "de", branding=Branding("Sponsor", "#005a9c", logo_png, "letter"))
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from registries.enums import LAY_SUMMARY_SECTIONS
from registries.findings import RegistryError
from registries.laysummary.headings import HEADINGS, headings_for
from registries.pdf import PAGE_SIZES, css, document, escape, paragraphs, render_pdf

# Annex V items 1 to 10 as the Annex words them in English (Regulation (EU) No 536/2014, Annex V); the
# other languages' headings are in registries.laysummary.headings.
ANNEX_V_HEADINGS: dict[str, str] = HEADINGS["en"].sections
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
# The eight bytes every PNG file starts with (PNG specification, ISO/IEC 15948, section 5.2).
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class Branding:
    """How a sponsor's copy looks: its name and logo (PNG bytes) above the title, an accent colour
    (#RRGGBB) for the headings, and the page size (A4 or letter). A plain value, so the same branding
    gives the same bytes."""

    organisation_name: str = ""
    accent_colour: str = "#1f3b73"
    logo_png: bytes = b""
    page_size: str = "A4"

    def __post_init__(self) -> None:
        if not _COLOUR.match(self.accent_colour):
            raise RegistryError(
                "pdf.colour_invalid", f"Accent colour {self.accent_colour!r} is not of the form #RRGGBB."
            )
        if self.logo_png and not self.logo_png.startswith(PNG_SIGNATURE):
            raise RegistryError(
                "pdf.logo_not_png", "The logo is not a PNG image; upload the logo as a PNG file."
            )
        if self.page_size not in PAGE_SIZES:
            raise RegistryError(
                "pdf.page_size_unknown",
                f"Unknown page size {self.page_size!r}; sizes: {', '.join(PAGE_SIZES)}.",
            )


def _logo_html(branding: Branding, alt_template: str, marked: str) -> str:
    """The logo as an image carried in the document (a data URL: the renderer fetches nothing), with the
    alternative text PDF/UA-1 asks of every figure (ISO 14289-1, 7.3), in the headings' language."""
    alt = alt_template.format(sponsor=branding.organisation_name) if branding.organisation_name else "Logo"
    data = base64.b64encode(branding.logo_png).decode("ascii")
    return f'<img class="logo"{marked} src="data:image/png;base64,{data}" alt="{escape(alt)}">'


def find_lay_summary(record: dict[str, Any], language: str) -> dict[str, Any]:
    """The record's lay summary in ``language`` (BCP 47 tags compare case-insensitively)."""
    for summary in record.get("laySummaries") or []:
        if isinstance(summary, dict) and str(summary.get("language", "")).lower() == language.lower():
            return summary
    raise RegistryError(
        "lay_summary.language_missing",
        f"The record has no lay summary in {language!r}; add one under laySummaries first.",
        "/laySummaries",
    )


def lay_summary_html(
    record: dict[str, Any], language: str, *, page_size: str | None = None, branding: Branding | None = None
) -> str:
    """The HTML document the PDF is rendered from (exposed for tests and previews). ``page_size``, when
    given, overrides the branding's."""
    summary = find_lay_summary(record, language)
    branding = branding or Branding()
    page_size = page_size or branding.page_size
    identification = (record.get("protocolSection") or {}).get("identificationModule") or {}
    summary_language = str(summary.get("language") or language)
    words = headings_for(summary_language)
    # Headings in another language than the summary's are marked as such (PDF/UA-1, 7.2).
    marked = (
        "" if words.language == summary_language.split("-", 1)[0].lower() else f' lang="{words.language}"'
    )
    title = summary.get("title") or identification.get("briefTitle")
    sections = summary.get("sections") or {}
    body = []
    if branding.logo_png:
        body.append(_logo_html(branding, words.logo_alt, marked))
    if branding.organisation_name:
        body.append(f'<p class="branding">{escape(branding.organisation_name)}</p>')
    body.append(f"<h1>{escape(title)}</h1>" if title else f"<h1{marked}>{escape(words.untitled)}</h1>")
    eu_ct = (record.get("euSection") or {}).get("euCtNumber")
    if eu_ct:
        body.append(f"<p><span{marked}>{escape(words.eu_trial_number)}</span>: {escape(eu_ct)}</p>")
    for key in LAY_SUMMARY_SECTIONS:
        text = sections.get(key)
        if isinstance(text, str) and text.strip():
            body.append(f"<h2{marked}>{escape(words.sections[key])}</h2>{paragraphs(text)}")
    return document(
        title=str(title or words.untitled),
        language=summary_language,
        body="".join(body),
        style=css(page_size, branding.accent_colour),
    )


def render_lay_summary_pdf(
    record: dict[str, Any], language: str, *, page_size: str | None = None, branding: Branding | None = None
) -> bytes:
    """The Annex V lay summary in ``language`` as a tagged PDF (PDF/UA-1, fonts embedded, fixed
    metadata: same record, same bytes). Sections left empty are left out; headings are the Annex V
    items in the summary's language (``registries.laysummary.headings``), English where it has none.
    Raises ``lay_summary.language_missing`` when the record has no such summary and
    ``pdf.page_size_unknown`` for a page size other than A4 or letter."""
    return render_pdf(lay_summary_html(record, language, page_size=page_size, branding=branding))
