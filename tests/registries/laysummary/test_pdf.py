"""The Annex V lay-summary PDF: tagged, self-contained, deterministic, and escaping record text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

import pikepdf
import pytest

from registries.enums import LAY_SUMMARY_SECTIONS
from registries.findings import RegistryError
from registries.laysummary.headings import HEADINGS
from registries.laysummary.pdf import Branding, lay_summary_html, render_lay_summary_pdf
from tests.registries.pdfinspect import accessibility_markers, pdf_structure
from tests.registries.records import complete_record


def pdf_text(pdf: bytes) -> str:
    """The text of the PDF as poppler's pdftotext reads it (what copy and paste and search see)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


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


# The sponsor's branding (issue 12: "the sponsor's logo and colours from organization settings").


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


LOGO = _png(40, 20)
BRANDING = Branding("Norwell & Co", "#005a9c", LOGO, "letter")


@pytest.fixture(scope="module")
def branded_pdf() -> bytes:
    return render_lay_summary_pdf(complete_record(), "en", branding=BRANDING)


def _page_facts(pdf: bytes) -> dict[str, Any]:
    """What a reader sees of the first page: its size in points, its images' pixel sizes and the fill
    colours its text is drawn in."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        contents = page.obj.Contents
        streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents)
        drawn = b"".join(stream.read_bytes() for stream in streams)
        return {
            "size": [float(v) for v in page.mediabox],
            "images": sorted((int(image.Width), int(image.Height)) for image in page.get_images().values()),
            "fills": set(re.findall(rb"([\d.]+ [\d.]+ [\d.]+) rg", drawn)),
        }


def test_branded_pdf_is_tagged_and_shows_logo_name_and_text_on_letter_paper(branded_pdf: bytes) -> None:
    facts = _page_facts(branded_pdf)
    text = pdf_text(branded_pdf)

    assert accessibility_markers(branded_pdf) == {
        "pdf": True,
        "structure_tree": True,
        "marked": True,
        "language": True,
        "pdfua_identification": True,
        "embedded_fonts": True,
    }
    assert (facts["size"], facts["images"]) == ([0.0, 0.0, 612.0, 792.0], [(40, 20)])
    assert text.startswith("Norwell & Co\n\nA study of Drug X in adults with mild asthma\n")
    assert "7. Overall results of the clinical trial\nText for overallResults." in text


def test_branded_pdf_draws_headings_in_the_brand_colour(branded_pdf: bytes) -> None:
    # #005a9c = (0, 90, 156) / 255, as WeasyPrint writes a fill colour.
    assert b"0 0.352941 0.611765" in _page_facts(branded_pdf)["fills"]


def test_logo_is_a_tagged_figure_with_alternative_text(branded_pdf: bytes) -> None:
    html = lay_summary_html(complete_record(), "en", branding=BRANDING)
    structure = pdf_structure(branded_pdf)

    assert '<img class="logo" src="data:image/png;base64,' in html
    assert 'alt="Logo of Norwell &amp; Co">' in html
    assert (b"/Figure" in structure, re.findall(rb"/Alt \(([^)]*)\)", structure)) == (
        True,
        [b"Logo of Norwell & Co"],
    )


def test_same_record_and_branding_give_same_bytes_and_another_logo_others(branded_pdf: bytes) -> None:
    again = render_lay_summary_pdf(complete_record(), "en", branding=BRANDING)
    other = render_lay_summary_pdf(
        complete_record(), "en", branding=Branding("Norwell & Co", "#005a9c", _png(30, 30), "letter")
    )

    assert (again == branded_pdf, other == branded_pdf) == (True, False)


def test_a_logo_that_is_not_png_and_an_unknown_page_size_are_coded_errors() -> None:
    with pytest.raises(RegistryError) as logo:
        Branding("x", "#005a9c", b"GIF89a...")
    with pytest.raises(RegistryError) as size:
        Branding("x", "#005a9c", b"", "A5")

    assert (logo.value.code, size.value.code) == ("pdf.logo_not_png", "pdf.page_size_unknown")


# Headings in the summary's language (the languages the letters support), English otherwise.


def _summary_in(language: str) -> dict[str, Any]:
    record = complete_record()
    record["laySummaries"][0]["language"] = language
    return record


@pytest.mark.parametrize(
    ("language", "first", "last"),
    [
        (
            "en",
            "1. Clinical trial identification",
            "10. Indication where additional information could be found",
        ),
        (
            "de",
            "1. Identifizierung der klinischen Prüfung",
            "10. Angabe, wo weitere Informationen zu finden sind",
        ),
        (
            "fr",
            "1. Identification de l&#x27;essai clinique",
            "10. Où trouver des informations complémentaires",
        ),
        ("es", "1. Identificación del ensayo clínico", "10. Dónde encontrar información adicional"),
        ("it", "1. Identificazione della sperimentazione clinica", "10. Dove trovare ulteriori informazioni"),
        ("nl-BE", "1. Identificatie van de klinische proef", "10. Waar meer informatie te vinden is"),
    ],
)
def test_headings_are_in_the_summary_language(language: str, first: str, last: str) -> None:
    html = lay_summary_html(_summary_in(language), language)

    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert (len(headings), headings[0], headings[-1]) == (10, first, last)
    assert f'<html lang="{language}">' in html


def test_every_language_names_all_ten_annex_v_items() -> None:
    assert {language: sorted(h.sections) for language, h in HEADINGS.items()} == {
        language: sorted(LAY_SUMMARY_SECTIONS) for language in ("en", "de", "fr", "es", "it", "nl")
    }


def test_a_language_without_headings_keeps_english_ones_marked_as_english() -> None:
    record = _summary_in("fi")
    record["euSection"] = {"euCtNumber": "2022-501234-18-00"}

    html = lay_summary_html(record, "fi", branding=BRANDING)

    assert '<html lang="fi">' in html
    assert re.findall(r"<h2[^>]*>", html) == ['<h2 lang="en">'] * 10
    assert '<span lang="en">EU trial number</span>: ' in html
    assert '<img class="logo" lang="en" src="data:image/png;base64,' in html
    assert 'alt="Logo of Norwell &amp; Co">' in html


def test_german_pdf_shows_german_headings_and_label() -> None:
    record = _summary_in("de")
    record["euSection"] = {"euCtNumber": "2022-501234-18-00"}

    text = pdf_text(render_lay_summary_pdf(record, "de"))

    assert "EU-Prüfungsnummer: 2022-501234-18-00\n" in text
    assert "2. Name und Kontaktdaten des Sponsors\nText for sponsorContact." in text
