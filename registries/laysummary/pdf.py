"""The Annex V lay summary of one language as a PDF (CTR 536/2014 Art. 37(4) and Annex V).

Used for the CTIS lay-summary upload and, by the letters feature, for participants' copies. Pure
Python: reads the record, builds escaped HTML, renders it through ``registries.pdf``.

    render_lay_summary_pdf(record, "en") -> bytes
    render_lay_summary_pdf(record, "de", page_size="letter", branding=Branding("Sponsor", "#005a9c"))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from registries.enums import LAY_SUMMARY_SECTIONS
from registries.findings import RegistryError
from registries.pdf import css, document, escape, paragraphs, render_pdf

# Annex V items 1 to 10, as the Annex words them (Regulation (EU) No 536/2014, Annex V).
ANNEX_V_HEADINGS: dict[str, str] = {
    "trialIdentification": "1. Clinical trial identification",
    "sponsorContact": "2. Name and contact details of the sponsor",
    "generalInformation": "3. General information about the clinical trial",
    "population": "4. Population of subjects",
    "investigationalProducts": "5. Investigational medicinal products used",
    "adverseReactions": "6. Description of adverse reactions and their frequency",
    "overallResults": "7. Overall results of the clinical trial",
    "commentsOnOutcome": "8. Comments on the outcome of the clinical trial",
    "followUpTrials": "9. Indication if follow up clinical trials are foreseen",
    "moreInformation": "10. Indication where additional information could be found",
}
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True, slots=True)
class Branding:
    """How a sponsor's copy looks: its name above the title and an accent colour (#RRGGBB)."""

    organisation_name: str = ""
    accent_colour: str = "#1f3b73"

    def __post_init__(self) -> None:
        if not _COLOUR.match(self.accent_colour):
            raise RegistryError(
                "pdf.colour_invalid", f"Accent colour {self.accent_colour!r} is not of the form #RRGGBB."
            )


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
    record: dict[str, Any], language: str, *, page_size: str = "A4", branding: Branding | None = None
) -> str:
    """The HTML document the PDF is rendered from (exposed for tests and previews)."""
    summary = find_lay_summary(record, language)
    branding = branding or Branding()
    identification = (record.get("protocolSection") or {}).get("identificationModule") or {}
    title = summary.get("title") or identification.get("briefTitle") or "Summary of the trial results"
    sections = summary.get("sections") or {}
    body = []
    if branding.organisation_name:
        body.append(f'<p class="branding">{escape(branding.organisation_name)}</p>')
    body.append(f"<h1>{escape(title)}</h1>")
    eu_ct = (record.get("euSection") or {}).get("euCtNumber")
    if eu_ct:
        body.append(f"<p>EU trial number: {escape(eu_ct)}</p>")
    for key in LAY_SUMMARY_SECTIONS:
        text = sections.get(key)
        if isinstance(text, str) and text.strip():
            body.append(f"<h2>{escape(ANNEX_V_HEADINGS[key])}</h2>{paragraphs(text)}")
    return document(
        title=str(title),
        language=str(summary.get("language") or language),
        body="".join(body),
        style=css(page_size, branding.accent_colour),
    )


def render_lay_summary_pdf(
    record: dict[str, Any], language: str, *, page_size: str = "A4", branding: Branding | None = None
) -> bytes:
    """The Annex V lay summary in ``language`` as a tagged PDF (PDF/UA-1, fonts embedded, fixed
    metadata: same record, same bytes). Sections left empty are left out; headings are Annex V's
    English wording. Raises ``lay_summary.language_missing`` when the record has no such summary and
    ``pdf.page_size_unknown`` for a page size other than A4 or letter."""
    return render_pdf(lay_summary_html(record, language, page_size=page_size, branding=branding))
