"""The Annex V lay-summary PDF: tagged, self-contained, deterministic, and escaping record text."""

from __future__ import annotations

import pytest

from registries.findings import RegistryError
from registries.laysummary.pdf import Branding, lay_summary_html, render_lay_summary_pdf
from tests.registries.pdfinspect import accessibility_markers
from tests.registries.records import complete_record


@pytest.fixture(scope="module")
def english_pdf() -> bytes:
    return render_lay_summary_pdf(complete_record(), "en")


def test_lay_summary_pdf_is_tagged_pdfua_with_embedded_fonts(english_pdf: bytes) -> None:
    markers = accessibility_markers(english_pdf)

    assert markers == {
        "pdf": True,
        "structure_tree": True,
        "marked": True,
        "language": True,
        "pdfua_identification": True,
        "embedded_fonts": True,
    }


def test_same_record_renders_to_same_bytes(english_pdf: bytes) -> None:
    again = render_lay_summary_pdf(complete_record(), "EN")

    assert again == english_pdf


def test_lay_summary_html_has_annex_v_headings_in_order() -> None:
    html = lay_summary_html(complete_record(), "en")

    positions = [html.index(f"<h2>{number}. ") for number in range(1, 11)]
    assert positions == sorted(positions)


def test_record_text_is_escaped_not_interpreted() -> None:
    record = complete_record()
    record["laySummaries"][0]["title"] = "<script>alert(1)</script>"
    record["laySummaries"][0]["sections"]["population"] = 'Ages <18 & "older"\n\n<img src="http://x">'

    html = lay_summary_html(record, "en")

    assert "<script>" not in html
    assert "<img" not in html
    assert "<p>Ages &lt;18 &amp; &quot;older&quot;</p><p>&lt;img src=&quot;http://x&quot;&gt;</p>" in html


def test_branding_puts_organisation_name_above_title_and_sets_colour() -> None:
    html = lay_summary_html(complete_record(), "en", branding=Branding("Norwell & Co", "#005a9c"))

    assert '<p class="branding">Norwell &amp; Co</p><h1>' in html
    assert "color: #005a9c" in html


def test_missing_language_is_a_coded_error() -> None:
    with pytest.raises(RegistryError) as raised:
        render_lay_summary_pdf(complete_record(), "fi")

    assert (raised.value.code, raised.value.pointer) == ("lay_summary.language_missing", "/laySummaries")


def test_unknown_page_size_and_bad_colour_are_coded_errors() -> None:
    with pytest.raises(RegistryError) as size:
        lay_summary_html(complete_record(), "en", page_size="A5")
    with pytest.raises(RegistryError) as colour:
        Branding("x", "red; } body { display:none")

    assert (size.value.code, colour.value.code) == ("pdf.page_size_unknown", "pdf.colour_invalid")
