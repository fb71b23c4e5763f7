"""The CTIS payloads: JSON golden files, schema verification, and the files of each stage.

A builder change that alters the JSON fails here; when intended, regenerate with

    UPDATE_GOLDEN=1 .tools/bin/uv run --frozen pytest tests/registries/ctis/test_build.py

and review the diff of tests/registries/ctis/golden/ before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from registries import get_registry, registry_codes
from registries.base import MultiFileRegistry
from registries.ctis.adapter import ADAPTER
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.laysummary.pdf import Branding, render_lay_summary_pdf
from tests.registries.ctis.fixtures import complete_trial as complete_record
from tests.registries.pdfinspect import accessibility_markers

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_build_matches_golden_file_byte_for_byte(stage: Stage) -> None:
    # given the complete synthetic trial
    record = complete_record()
    golden = GOLDEN / f"complete-{stage.value}.json"

    # when the stage's CTIS JSON is built
    content = ADAPTER.build(record, stage).content

    # then it is the reviewed golden file and it passes the CTIS payload schema
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(content)
    assert content == golden.read_bytes()
    assert ADAPTER.verify(ADAPTER.build(record, stage)) == []


def test_golden_files_cover_every_stage() -> None:
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(
        f"complete-{stage.value}.json" for stage in ADAPTER.stages
    )


def test_ctis_is_in_the_registry_list_and_takes_several_files() -> None:
    assert "ctis" in registry_codes()
    assert get_registry("ctis") is ADAPTER
    assert isinstance(ADAPTER, MultiFileRegistry)


def test_results_population_counts_member_states_eu_and_third_countries() -> None:
    document = json.loads(ADAPTER.build(complete_record(), Stage.RESULTS).content)

    population = document["summaryOfResults"]["A_trialInformation"]["population"]

    assert population == {
        "perMemberState": [{"country": "DE", "count": 94}, {"country": "PL", "count": 75}],
        "perThirdCountry": [{"country": "US", "count": 194}, {"country": "GB", "count": 49}],
        "inEuEea": 169,
        "inThirdCountries": 243,
        "total": 412,
        "byAgeCategory": [
            {"category": "Adults (18-64 years)", "count": 371},
            {"category": "From 65 to 84 years", "count": 41},
        ],
        "bySex": {"female": 163, "male": 249},
    }


def test_build_all_results_gives_json_summary_pdf_and_lay_summary_pdf() -> None:
    payloads = ADAPTER.build_all(complete_record(), Stage.RESULTS)

    assert [(p.file_name, p.media_type) for p in payloads] == [
        ("2022-501234-18-00-ctis-results.json", "application/json"),
        ("2022-501234-18-00-summary-of-results.pdf", "application/pdf"),
        ("2022-501234-18-00-lay-summary-en.pdf", "application/pdf"),
    ]
    assert payloads[0] == ADAPTER.build(complete_record(), Stage.RESULTS)
    assert [ADAPTER.verify(p) for p in payloads] == [[], [], []]
    assert all(accessibility_markers(p.content)["structure_tree"] for p in payloads[1:])


def test_build_all_registration_is_the_json_alone() -> None:
    payloads = ADAPTER.build_all(complete_record(), Stage.REGISTRATION)

    assert [p.file_name for p in payloads] == ["2022-501234-18-00-ctis-registration.json"]


def test_verify_reports_a_payload_that_breaks_the_schema_at_its_path() -> None:
    payload = ADAPTER.build(complete_record(), Stage.RESULTS)
    document = json.loads(payload.content)
    document["summaryOfResults"]["A_trialInformation"]["population"]["total"] = -1
    broken = dataclasses.replace(payload, content=json.dumps(document).encode())

    findings = ADAPTER.verify(broken)

    assert [(f.severity, f.code, f.pointer) for f in findings] == [
        (Severity.ERROR, "ctis.payload_schema", "/summaryOfResults/A_trialInformation/population/total")
    ]


def test_verify_refuses_results_without_summary_and_non_json() -> None:
    payload = ADAPTER.build(complete_record(), Stage.REGISTRATION)
    as_results = dataclasses.replace(
        payload, content=payload.content.replace(b'"registration"', b'"results"')
    )
    not_json = dataclasses.replace(payload, content=b"\xff not json")

    assert [f.code for f in ADAPTER.verify(as_results)] == ["ctis.payload_schema"]
    assert [f.code for f in ADAPTER.verify(not_json)] == ["ctis.payload_not_json"]


def test_verify_refuses_a_pdf_that_is_not_one() -> None:
    pdf = ADAPTER.build_all(complete_record(), Stage.LAY_SUMMARY)[1]

    findings = ADAPTER.verify(dataclasses.replace(pdf, content=b"<html>"))

    assert findings == [
        Finding(
            Severity.ERROR,
            "ctis.pdf_invalid",
            "",
            "2022-501234-18-00-lay-summary-en.pdf is not a PDF file.",
            "ctis",
            Stage.LAY_SUMMARY,
            "CTIS payload 2022-501234-18-00-lay-summary-en.pdf",
        )
    ]


def test_protocol_summary_stage_is_refused_with_a_code() -> None:
    with pytest.raises(RegistryError) as raised:
        ADAPTER.build(complete_record(), Stage.PROTOCOL_SUMMARY)

    assert raised.value.code == "ctis.stage_not_supported"


def test_invalid_record_is_refused_with_a_code() -> None:
    record = complete_record()
    record["euSection"]["memberStates"] = "DE"

    with pytest.raises(RegistryError) as raised:
        ADAPTER.build(record, Stage.RESULTS)

    assert raised.value.code == "ctis.record_invalid"


def test_summary_of_results_pdf_is_deterministic_and_escapes_text() -> None:
    from registries.ctis.pdf import render_summary_of_results_pdf, summary_of_results_html

    record = complete_record()
    record["resultsSection"]["participantFlowModule"]["recruitmentDetails"] = "<b>bold</b> & more"

    html = summary_of_results_html(record)

    assert "<p>&lt;b&gt;bold&lt;/b&gt; &amp; more</p>" in html
    assert [html.index(f"<h2>{letter}. ") for letter in "ABCDEF"] == sorted(
        html.index(f"<h2>{letter}. ") for letter in "ABCDEF"
    )
    assert render_summary_of_results_pdf(complete_record()) == render_summary_of_results_pdf(
        complete_record()
    )


def test_filed_as_final_results_carry_the_lay_summary_and_interim_results_are_interim() -> None:
    final = complete_record()
    interim = complete_record()
    interim["euSection"]["resultsAnalysisStage"] = "INTERIM"
    without_lay = complete_record()
    del without_lay["laySummaries"]

    assert [
        ADAPTER.filed_as(final, Stage.RESULTS),
        ADAPTER.filed_as(interim, Stage.RESULTS),
        ADAPTER.filed_as(without_lay, Stage.RESULTS),
        ADAPTER.filed_as(final, Stage.REGISTRATION),
    ] == [
        ((Stage.RESULTS, None), (Stage.LAY_SUMMARY, None)),
        ((Stage.RESULTS, "interim"),),
        ((Stage.RESULTS, None),),
        ((Stage.REGISTRATION, None),),
    ]


def test_build_branded_puts_the_sponsor_branding_on_the_lay_summary_pdfs_only() -> None:
    record = complete_record()
    branding = Branding("Norwell & Co", "#005a9c", b"", "letter")

    branded = ADAPTER.build_branded(record, Stage.RESULTS, branding)
    plain = ADAPTER.build_all(record, Stage.RESULTS)

    assert [p.content for p in branded[:2]] == [p.content for p in plain[:2]]
    assert branded[2].content == render_lay_summary_pdf(record, "en", branding=branding)
    assert branded[2].content != plain[2].content
