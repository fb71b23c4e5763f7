"""Assembling a letter from its cover and the shared pages keeps a coherent structure tree; letters made
from a model letter carry their own reference and look like the naive render; site packs stay tagged."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from PIL import Image

from submissions.errors import DomainError
from submissions.letters.render import (
    Branding,
    CoverData,
    LanguageRun,
    PackWriter,
    TemplateProblem,
    naive_letter_pdf,
    shared_pdf,
)
from tests.submissions.letters.factories import letters_record

COVERS = [
    CoverData("P-001", "en", "", "Leeds Clinic", "0113 000 0000"),
    CoverData("P-002", "en", "Placebo", "Leeds Clinic", "0113 000 0000"),
]


def elements(node: Any) -> list[Any]:
    found = []
    if isinstance(node, pikepdf.Dictionary):
        found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            found.extend(elements(kid))
    return found


@pytest.mark.parametrize(("page_size", "media_box"), [("A4", [0, 0, 595, 841]), ("letter", [0, 0, 612, 792])])
def test_assembled_letter_is_tagged_coherently_on_each_page_size(page_size, media_box):
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), "#005a9c").save(logo, format="PNG")
    branding = Branding(sponsor="Sponsor A", colour="#005a9c", page_size=page_size, logo_png=logo.getvalue())
    run = LanguageRun(letters_record(), "en", COVERS, branding, "LET-1")

    made = dict(run.chunk(COVERS))[COVERS[1]]
    assert isinstance(made, bytes)

    letter = pikepdf.Pdf.open(io.BytesIO(made))

    pages = {page.obj.objgen for page in letter.pages}
    nums = letter.Root.StructTreeRoot.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    tree = elements(letter.Root.StructTreeRoot.K[0])
    assert [int(v) for v in letter.pages[0].mediabox] == media_box
    assert len(set(keys)) == len(keys)
    assert {int(page.obj.StructParents) for page in letter.pages} <= set(keys)
    assert {e.Pg.objgen for e in tree if "/Pg" in e} == pages
    # every marked content on a page has its own id, owned by an element of that page (no orphans)
    for page in letter.pages:
        entry = nums[keys.index(int(page.obj.StructParents)) * 2 + 1]
        bdc = [i.operands for i in pikepdf.parse_content_stream(page, "BDC")]
        mcids = [int(o[1].MCID) for o in bdc if isinstance(o[1], pikepdf.Dictionary) and "/MCID" in o[1]]
        assert sorted(mcids) == list(range(len(entry)))
        assert {entry[k].Pg.objgen for k in mcids} == {page.obj.objgen}
    assert str(letter.Root.Lang) == "en"
    assert bool(letter.Root.MarkInfo.Marked)


def test_a_colour_that_is_not_hex_is_refused_before_rendering():
    with pytest.raises(TemplateProblem) as raised:
        shared_pdf(letters_record(), "en", Branding(colour="red;}"), "LET-1")

    assert raised.value.code == "letters.colour_invalid"


# ---------------------------------------------------------------- letters made from a model letter

# Sixty participants with the same site and arm: the first letter is the model, the others replace
# only its reference stream; past the fortieth or so their reference lines are on the references
# document's second page.
SAME_COVER = [CoverData(f"P-{n:03}", "en", "Placebo", "Leeds Clinic", "0113 000 0000") for n in range(60)]


def made_letters(run: LanguageRun, covers: list[CoverData]) -> dict[CoverData, bytes]:
    made: dict[CoverData, bytes] = {}
    for cover, content in run.chunk(covers):
        assert isinstance(content, bytes), content
        made[cover] = content
    return made


def marked_text_owners(letter: pikepdf.Pdf, page: pikepdf.Page) -> list[Any]:
    """The structure elements that own the marked content of the page's last stream (the one that
    draws the reference line)."""
    nums = letter.Root.StructTreeRoot.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    entry = nums[keys.index(int(page.obj.StructParents)) * 2 + 1]
    stream = page.obj.Contents[-1]
    bdc = [i.operands for i in pikepdf.parse_content_stream(stream, "BDC")]
    return [entry[int(o[1].MCID)] for o in bdc if isinstance(o[1], pikepdf.Dictionary) and "/MCID" in o[1]]


def test_a_letter_made_from_the_model_carries_its_own_reference_in_text_and_structure():
    run = LanguageRun(letters_record(), "en", SAME_COVER, Branding(), "LET-1")

    made = made_letters(run, SAME_COVER)

    letter_bytes = made[SAME_COVER[52]]
    letter = pikepdf.Pdf.open(io.BytesIO(letter_bytes))
    assert letter.check_pdf_syntax() == []
    text = pypdf.PdfReader(io.BytesIO(letter_bytes)).pages[0].extract_text()
    assert "Your participant reference: P-052" in text
    assert "P-000" not in text
    owners = marked_text_owners(letter, letter.pages[0])
    cover = next(kid for kid in letter.Root.StructTreeRoot.K[0].K if kid.S == "/Sect")
    assert [(str(o.S), str(o.P.S), o.P.P.objgen) for o in owners] == [("/Span", "/P", cover.objgen)]
    # every letter of the chunk differs from the others (reference and file identifier)
    assert len({hashlib.sha256(content).digest() for content in made.values()}) == len(SAME_COVER)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_letters_made_from_the_model_look_like_the_naive_render(tmp_path):
    record = letters_record()
    run = LanguageRun(record, "en", SAME_COVER, Branding(), "LET-1")
    made = made_letters(run, SAME_COVER)

    for cover in (SAME_COVER[0], SAME_COVER[7], SAME_COVER[59]):
        ours = raster_pages(made[cover], tmp_path / f"ours-{cover.subject_id}")
        naive = raster_pages(
            naive_letter_pdf(record, cover, Branding(), "LET-1"), tmp_path / f"naive-{cover.subject_id}"
        )
        assert ours == naive, cover.subject_id


def raster_pages(content: Any, stem: Path) -> list[bytes]:
    pdf = stem.with_suffix(".pdf")
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(stem)], check=True)
    return [
        Image.open(page).convert("RGB").tobytes() for page in sorted(stem.parent.glob(f"{stem.name}-*.png"))
    ]


def test_a_reference_that_wraps_is_laid_out_a_paragraph_each_and_still_made():
    long_id = "-".join(["ABCDEFGH"] * 7)
    covers = [CoverData(long_id, "en", "", "Leeds Clinic", "0113 000 0000"), *SAME_COVER[:3]]
    run = LanguageRun(letters_record(), "en", covers, Branding(), "LET-1")

    made = made_letters(run, covers)

    text = " ".join(pypdf.PdfReader(io.BytesIO(made[covers[0]])).pages[0].extract_text().split())
    assert long_id in text.replace("- ", "-").replace(" -", "-")
    assert (
        "Your participant reference: P-002"
        in pypdf.PdfReader(io.BytesIO(made[covers[3]])).pages[0].extract_text()
    )


# ---------------------------------------------------------------- site packs


def test_a_site_pack_holds_every_letter_tagged_and_in_order():
    run = LanguageRun(letters_record(), "en", SAME_COVER[:5], Branding(), "LET-1")
    letters = list(made_letters(run, SAME_COVER[:5]).values())
    out = io.BytesIO()
    writer = PackWriter(out)

    for content in letters:
        writer.add(content)
    count = writer.close()

    pack = pikepdf.Pdf.open(io.BytesIO(out.getvalue()))
    assert count == 5
    assert pack.check_pdf_syntax() == []
    assert bool(pack.Root.MarkInfo.Marked)
    assert str(pack.Root.Lang) == "en"
    pages_per_letter = len(pikepdf.Pdf.open(io.BytesIO(letters[0])).pages)
    assert len(pack.pages) == 5 * pages_per_letter
    reader = pypdf.PdfReader(io.BytesIO(out.getvalue()))
    firsts = [reader.pages[n * pages_per_letter].extract_text() for n in range(5)]
    assert [f"Your participant reference: P-00{n}" in firsts[n] for n in range(5)] == [True] * 5
    # the parent tree: one key per page, each page's marked content owned by elements of that page
    nums = pack.Root.StructTreeRoot.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert len(set(keys)) == len(keys) == int(pack.Root.StructTreeRoot.ParentTreeNextKey)
    for page in pack.pages:
        entry = nums[keys.index(int(page.obj.StructParents)) * 2 + 1]
        assert {element.Pg.objgen for element in entry} == {page.obj.objgen}
    document = pack.Root.StructTreeRoot.K[0]
    tree = elements(document)
    assert {e.Pg.objgen for e in tree if "/Pg" in e} == {page.obj.objgen for page in pack.pages}
    assert all(kid.P.objgen == document.objgen for kid in document.K)


def test_a_pack_without_letters_is_refused():
    with pytest.raises(DomainError) as raised:
        PackWriter(io.BytesIO()).close()

    assert raised.value.code == "letters.nothing_to_merge"
