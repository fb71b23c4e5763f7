"""Assembling a letter from its cover and the shared pages keeps a coherent structure tree."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from PIL import Image

from submissions.letters.render import Branding, CoverData, LanguageRun, TemplateProblem, shared_pdf
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
