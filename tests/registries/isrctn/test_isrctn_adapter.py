"""ISRCTN: the XML in ISRCTN's structure, verified against our XSD, and the UK duties of SI 2025/538."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from registries import get_registry, registry_codes
from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.isrctn import uk
from registries.isrctn.adapter import ADAPTER
from registries.laysummary.pdf import Branding, render_lay_summary_pdf
from registries.payload import Payload

GOLDEN = Path(__file__).parent / "golden"
COMPLETE_RECORD = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"
TODAY = dt.date(2026, 11, 29)


def complete_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    return record


def uk_record(**uk_fields: Any) -> dict[str, Any]:
    """The complete record as a CTIMP applied for after 28 April 2026, not yet registered anywhere."""
    record = complete_record()
    del record["whoSection"]["dateOfRegistration"]
    del record["protocolSection"]["statusModule"]["studyFirstSubmitDate"]
    record["ukSection"] = {"isCtimp": True, "applicationDate": "2026-05-04", **uk_fields}
    return record


def _coded(findings: list[Finding]) -> list[tuple[Severity, str, str]]:
    return [(f.severity, f.code, f.pointer) for f in findings]


def test_isrctn_is_in_the_registry_list() -> None:
    assert "isrctn" in registry_codes()
    assert get_registry("isrctn") is ADAPTER


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_build_matches_golden_file_and_our_xsd(stage: Stage) -> None:
    payload = ADAPTER.build(complete_record(), stage)
    golden = GOLDEN / f"complete-{stage.value}.xml"

    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(payload.content)
    assert payload.content == golden.read_bytes()
    assert ADAPTER.verify(payload) == []


def test_results_stage_carries_the_plain_english_results() -> None:
    content = ADAPTER.build(complete_record(), Stage.RESULTS).content.decode()

    assert (
        "<plainEnglishReport>A study of trelanoxib tablets for adults with plaque psoriasis\n\nAfter 16"
        in content
    )
    assert "<plainEnglishSummary>The purpose of this study" in content


def test_complete_record_has_no_isrctn_findings() -> None:
    # the complete record's UK application predates 28 April 2026 and its trial ended before it
    assert ADAPTER.check(complete_record(), Stage.REGISTRATION, today=TODAY) == []
    assert ADAPTER.check(complete_record(), Stage.RESULTS, today=TODAY) == []


def test_verify_reports_structure_our_xsd_does_not_allow() -> None:
    content = ADAPTER.build(complete_record(), Stage.REGISTRATION).content.replace(b"<title>", b"<titel>", 1)
    content = content.replace(b"</title>", b"</titel>", 1)

    findings = ADAPTER.verify(Payload("isrctn", Stage.REGISTRATION, content, "application/xml", "x.xml", ""))

    assert [f.code for f in findings] == ["isrctn.xsd_invalid"]


def test_verify_refuses_entity_declarations() -> None:
    hostile = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'

    findings = ADAPTER.verify(Payload("isrctn", Stage.REGISTRATION, hostile, "application/xml", "x.xml", ""))

    assert [f.code for f in findings] == ["xml.forbidden_doctype"]


def test_missing_plain_english_summary_is_an_error() -> None:
    record = complete_record()
    del record["protocolSection"]["descriptionModule"]["briefSummary"]

    findings = [
        f for f in ADAPTER.check(record, Stage.REGISTRATION, today=TODAY) if f.code.startswith("isrctn.plain")
    ]

    assert _coded(findings) == [
        (
            Severity.ERROR,
            "isrctn.plain_english_summary_missing",
            "/protocolSection/descriptionModule/briefSummary",
        )
    ]


def test_results_without_english_lay_summary_is_an_error() -> None:
    record = complete_record()
    record["laySummaries"][0]["language"] = "de"

    findings = [
        f for f in ADAPTER.check(record, Stage.RESULTS, today=TODAY) if f.code.startswith("isrctn.plain")
    ]

    assert _coded(findings) == [(Severity.ERROR, "isrctn.plain_english_results_missing", "/laySummaries")]


def test_uk_duties_do_not_apply_to_a_non_ctimp() -> None:
    record = uk_record(approvalDate="2026-06-01")
    record["ukSection"]["isCtimp"] = False

    assert uk.uk_findings(record, Stage.REGISTRATION, TODAY) == []


def test_earlier_application_ending_after_the_day_is_in_scope() -> None:
    record = uk_record(
        applicationDate="2025-01-10", endOfTrialDateStruct={"date": "2026-09-30", "type": "ACTUAL"}
    )

    assert uk.in_scope(record) is True


def test_registration_due_before_the_first_participant_is_a_note() -> None:
    record = uk_record(approvalDate="2026-10-01", firstParticipantRecruitedDate="2026-12-15")

    findings = uk.uk_findings(record, Stage.REGISTRATION, TODAY)

    assert _coded(findings) == [
        (Severity.NOTE, "isrctn.uk_registration_due", "/ukSection/firstParticipantRecruitedDate")
    ]
    assert "2026-12-15" in findings[0].message


def test_registration_past_90_days_after_approval_is_overdue() -> None:
    record = uk_record(approvalDate="2026-06-01")

    findings = uk.uk_findings(record, Stage.REGISTRATION, TODAY)

    assert _coded(findings) == [
        (Severity.WARNING, "isrctn.uk_registration_overdue", "/ukSection/approvalDate")
    ]
    assert "2026-08-30" in findings[0].message


def test_registration_after_the_first_participant_is_late() -> None:
    record = uk_record(approvalDate="2026-06-01", firstParticipantRecruitedDate="2026-06-20")
    record["whoSection"]["dateOfRegistration"] = "2026-07-01"

    findings = uk.uk_findings(record, Stage.REGISTRATION, TODAY)

    assert _coded(findings) == [
        (Severity.WARNING, "isrctn.uk_registered_late", "/whoSection/dateOfRegistration")
    ]


def test_registration_in_time_has_no_finding() -> None:
    record = uk_record(approvalDate="2026-06-01", firstParticipantRecruitedDate="2026-06-20")
    record["whoSection"]["dateOfRegistration"] = "2026-06-19"

    assert uk.uk_findings(record, Stage.REGISTRATION, TODAY) == []


def test_registration_deadline_needs_the_approval_date() -> None:
    findings = uk.uk_findings(uk_record(), Stage.REGISTRATION, TODAY)

    assert _coded(findings) == [
        (Severity.WARNING, "isrctn.uk_registration_due_unknown", "/ukSection/approvalDate")
    ]


def test_results_more_than_12_months_after_the_end_are_late_and_lay_offer_missing() -> None:
    record = uk_record(globalEndOfTrialDateStruct={"date": "2026-05-10", "type": "ACTUAL"})
    record["protocolSection"]["statusModule"]["resultsFirstSubmitDate"] = "2027-05-11"

    findings = uk.uk_findings(record, Stage.RESULTS, TODAY)

    assert _coded(findings) == [
        (Severity.WARNING, "isrctn.uk_results_late", "/ukSection/globalEndOfTrialDateStruct"),
        (Severity.WARNING, "isrctn.uk_lay_summary_not_offered", "/ukSection/laySummaryOfferedDate"),
    ]


def test_results_in_time_with_lay_summary_offered_have_no_finding() -> None:
    record = uk_record(
        endOfTrialDateStruct={"date": "2026-05-10", "type": "ACTUAL"}, laySummaryOfferedDate="2026-11-01"
    )
    del record["protocolSection"]["statusModule"]["resultsFirstSubmitDate"]

    assert uk.uk_findings(record, Stage.RESULTS, TODAY) == []


def test_lay_summary_offered_after_12_months_is_late() -> None:
    record = uk_record(
        endOfTrialDateStruct={"date": "2026-05-10", "type": "ACTUAL"}, laySummaryOfferedDate="2027-06-01"
    )
    record["protocolSection"]["statusModule"]["resultsFirstSubmitDate"] = "2027-01-05"

    findings = uk.uk_findings(record, Stage.RESULTS, TODAY)

    assert _coded(findings) == [
        (Severity.WARNING, "isrctn.uk_lay_summary_offered_late", "/ukSection/laySummaryOfferedDate")
    ]


def test_results_need_an_end_of_trial_date() -> None:
    findings = uk.uk_findings(uk_record(), Stage.RESULTS, TODAY)

    assert _coded(findings) == [
        (Severity.WARNING, "isrctn.uk_end_of_trial_missing", "/ukSection/endOfTrialDateStruct")
    ]


def test_every_uk_finding_cites_the_regulations() -> None:
    findings = uk.uk_findings(uk_record(approvalDate="2026-06-01"), Stage.REGISTRATION, TODAY)

    assert [f.source.split(";")[0] for f in findings] == ["SI 2025/538"]


def test_earlier_application_still_unregistered_must_register_now() -> None:
    record = uk_record(applicationDate="2025-01-10", approvalDate="2025-03-01")

    findings = uk.uk_findings(record, Stage.REGISTRATION, TODAY)

    assert _coded(findings) == [
        (Severity.WARNING, "isrctn.uk_registration_transitional", "/ukSection/applicationDate")
    ]


def test_earlier_application_registered_late_under_the_old_rules_is_not_judged_by_the_new() -> None:
    record = uk_record(applicationDate="2025-01-10", approvalDate="2025-03-01")
    record["whoSection"]["dateOfRegistration"] = "2025-12-01"

    assert uk.uk_findings(record, Stage.REGISTRATION, TODAY) == []


# The English lay summary as ISRCTN's "plain English results" file (issue 12).


def test_results_stage_adds_the_branded_english_lay_summary_pdf() -> None:
    record = complete_record()
    branding = Branding("Norwell & Co", "#005a9c", b"", "A4")

    payloads = ADAPTER.build_branded(record, Stage.RESULTS, branding)

    assert [(p.file_name, p.media_type) for p in payloads] == [
        ("ISRCTN48213097-isrctn-results.xml", "application/xml"),
        ("ISRCTN48213097-isrctn-plain-english-results.pdf", "application/pdf"),
    ]
    assert payloads[0] == ADAPTER.build(record, Stage.RESULTS)
    assert payloads[1].content == render_lay_summary_pdf(record, "en", branding=branding)
    assert [ADAPTER.verify(p) for p in payloads] == [[], []]


def test_registration_and_a_record_without_english_summary_give_the_xml_alone() -> None:
    record = complete_record()
    no_english = complete_record()
    no_english["laySummaries"][0]["language"] = "de"

    assert [p.file_name for p in ADAPTER.build_all(record, Stage.REGISTRATION)] == [
        "ISRCTN48213097-isrctn-registration.xml"
    ]
    assert [p.file_name for p in ADAPTER.build_all(no_english, Stage.RESULTS)] == [
        "ISRCTN48213097-isrctn-results.xml"
    ]


def test_verify_refuses_a_pdf_that_is_not_one() -> None:
    pdf = ADAPTER.build_all(complete_record(), Stage.RESULTS)[1]

    assert [(f.code, f.message) for f in ADAPTER.verify(dataclasses.replace(pdf, content=b"x"))] == [
        ("isrctn.pdf_invalid", "ISRCTN48213097-isrctn-plain-english-results.pdf is not a PDF file.")
    ]
