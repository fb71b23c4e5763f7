"""The lay-summary stage's PDFs carry the sponsor's branding from its letter settings (issue 12): the
sites' copies with the canonical record, one per language, signed with the approval."""

from __future__ import annotations

import io

from PIL import Image

from registries.laysummary.headings import HEADINGS
from registries.laysummary.pdf import Branding, render_lay_summary_pdf
from submissions.domain import letters as domain_letters
from submissions.enums import Role, Stage
from submissions.letters.wording import letter_languages
from submissions.models import Filing, Payload
from tests.submissions import factories
from tests.submissions.letters.factories import disclose, letters_record


def _disclose(trial, people) -> Filing:
    """Every stage accepted by the record registry; the lay-summary filing."""
    disclose(trial, people)
    return Filing.objects.get(trial=trial, stage=Stage.LAY_SUMMARY)


def _logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 12), (0, 90, 156)).save(buffer, "PNG")
    return buffer.getvalue()


def test_approved_lay_summary_filing_keeps_a_branded_pdf_per_language_for_the_sites(org, people):
    logo = _logo()
    domain_letters.set_letter_settings(
        org, actor=people[Role.ADMIN], brand_colour="#005a9c", logo_png=logo, page_size="letter"
    )
    trial = factories.make_trial(org, people[Role.AUTHOR], letters_record(), reference="LET-1")

    filing = _disclose(trial, people)

    stored = Payload.objects.filter(filing=filing).order_by("pk")
    assert filing.pinned_version is not None
    assert filing.signature is not None
    record = filing.pinned_version.content
    branding = Branding(org.name, "#005a9c", logo, "letter")
    assert [(p.registry, p.media_type) for p in stored] == [
        ("record", "application/json"),
        ("record", "application/pdf"),
        ("record", "application/pdf"),
    ]
    assert [bytes(p.content) for p in stored[1:]] == [
        render_lay_summary_pdf(record, "en", branding=branding),
        render_lay_summary_pdf(record, "de", branding=branding),
    ]
    assert sorted(filing.signature.payload_sha256s) == sorted(
        ["record", *(f"record/{p.file_name}" for p in stored[1:])]
    )


def test_without_letter_settings_the_pdfs_carry_the_organization_name_and_defaults(org, people):
    trial = factories.make_trial(org, people[Role.AUTHOR], letters_record(), reference="LET-1")

    filing = _disclose(trial, people)

    english = Payload.objects.filter(filing=filing, media_type="application/pdf").order_by("pk").first()
    assert english is not None
    assert filing.pinned_version is not None
    assert bytes(english.content) == render_lay_summary_pdf(
        filing.pinned_version.content, "en", branding=domain_letters.pdf_branding(org)
    )
    assert domain_letters.pdf_branding(org) == Branding(org.name, "#1f4e79", b"", "A4")


def test_every_letter_language_has_lay_summary_pdf_headings():
    # The participant's letter and the sites' PDF of the same summary speak the same language.
    assert sorted(HEADINGS) == sorted(letter_languages())
