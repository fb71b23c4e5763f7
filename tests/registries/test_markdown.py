"""API v2 Markdown back to the plain text PRS takes: golden cases from real ClinicalTrials.gov records
(samples-bulk), and the list of Markdown fields against the API's own field tree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registries.ctgov.importers.api_v2 import MARKUP_FIELDS
from registries.markdown import has_markdown_escape, markdown_to_plain

# (Markdown as API v2 serves it, the plain text PRS holds), from real records.
GOLDEN = [
    ("titers of \\&lt;0.1 IU/ml", "titers of &lt;0.1 IU/ml"),
    (
        "Measured in hours\\*nanomoles per liter (h\\*nmol/L).",
        "Measured in hours*nanomoles per liter (h*nmol/L).",
    ),
    ("Measured in centimeter square (cm\\^2)", "Measured in centimeter square (cm^2)"),
    (
        "(Systemic juvenile idiopathic arthritis \\[SJIA\\] and Adult-onset Still's disease",
        "(Systemic juvenile idiopathic arthritis [SJIA] and Adult-onset Still's disease",
    ),
    ("Schooling (\\>=8 years and \\<8 years)", "Schooling (>=8 years and <8 years)"),
    (
        "Pain Score - Visual Analog Scale (VAS) -\\> minimum value=0 and maximum value=10,",
        "Pain Score - Visual Analog Scale (VAS) -> minimum value=0 and maximum value=10,",
    ),
    (
        "Inclusion Criteria:\n\n* Age \\>= 18 years\n* HbA1c \\< 7\\.5%\n\n"
        "Exclusion Criteria:\n\n1. If \\< 16 years of age at disease onset\n2. Prior therapy",
        "Inclusion Criteria:\n\n* Age >= 18 years\n* HbA1c < 7.5%\n\n"
        "Exclusion Criteria:\n\n1. If < 16 years of age at disease onset\n2. Prior therapy",
    ),
]


@pytest.mark.parametrize(("markdown", "plain"), GOLDEN, ids=range(len(GOLDEN)))
def test_real_api_v2_text_becomes_the_plain_text_prs_holds(markdown: str, plain: str) -> None:
    assert markdown_to_plain(markdown) == plain


def test_list_markers_indentation_and_emphasis_stay_where_prs_shows_them() -> None:
    text = "Arms:\n\n  * **Arm A**: dose \\< 5 mg\n      - nested \\[note\\]\n  * *Arm B*\n\nDone\\."

    assert markdown_to_plain(text) == (
        "Arms:\n\n  * **Arm A**: dose < 5 mg\n      - nested [note]\n  * *Arm B*\n\nDone."
    )


def test_deeply_indented_lines_are_text_not_code() -> None:
    # PRS text has no code blocks: an eligibility line indented eight spaces is still text to unescape.
    assert (
        markdown_to_plain("Criteria:\n\n        * weight \\> 50 kg")
        == "Criteria:\n\n        * weight > 50 kg"
    )


def test_a_backslash_markdown_keeps_stays() -> None:
    # Before a letter, or inside a code span, a backslash is text in CommonMark: it was typed.
    assert markdown_to_plain("C:\\data\\n and `a\\*b` and \\\\") == "C:\\data\\n and `a\\*b` and \\"


def test_text_without_a_backslash_is_returned_unchanged() -> None:
    text = "Plain *text* with <angle> & ampersand\n\n1. item"

    assert markdown_to_plain(text) is text


def test_escape_detection() -> None:
    assert (has_markdown_escape("a \\< b"), has_markdown_escape("a < b"), has_markdown_escape("C:\\x")) == (
        True,
        False,
        False,
    )


def _markup_fields(nodes: list[dict[str, Any]], path: tuple[str, ...] = ()) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        here = (*path, node["name"])
        if node.get("type") == "markup":
            found.add(".".join(here))
        found |= _markup_fields(node.get("children") or [], here)
    return found


def test_markdown_fields_are_exactly_the_api_field_trees_markup_fields(registry_specs: Path) -> None:
    tree = json.loads((registry_specs / "ctgov-api-v2" / "studies-metadata.json").read_text(encoding="utf-8"))

    assert _markup_fields(tree) == MARKUP_FIELDS
