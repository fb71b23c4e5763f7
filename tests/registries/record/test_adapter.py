"""The ``record`` adapter: generic checks, the canonical JSON as payload, and its verification."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from typing import Any

import pytest

from registries import get_registry
from registries.base import BrandedRegistry
from registries.canonical import canonical_json
from registries.enums import STAGE_ORDER, Severity, Stage
from registries.laysummary.pdf import Branding, render_lay_summary_pdf
from registries.record import ADAPTER
from tests.registries import records


def test_record_adapter_is_registered_under_its_code() -> None:
    assert get_registry("record") is ADAPTER
    assert (ADAPTER.code, ADAPTER.stages) == ("record", STAGE_ORDER)


def test_check_combines_schema_profile_and_rules() -> None:
    record = records.results_record()
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT1"
    del record["resultsSection"]["adverseEventsModule"]
    record["protocolSection"]["designModule"]["enrollmentInfo"]["type"] = "ESTIMATED"

    findings = ADAPTER.check(record, Stage.RESULTS)

    assert [(f.code, f.pointer, f.registry, f.stage) for f in findings] == [
        ("record.pattern", "/protocolSection/identificationModule/nctId", "record", Stage.RESULTS),
        ("profile.required", "/resultsSection/adverseEventsModule", "record", Stage.RESULTS),
        (
            "rule.results_enrollment_not_actual",
            "/protocolSection/designModule/enrollmentInfo/type",
            "record",
            Stage.RESULTS,
        ),
    ]


def test_check_of_a_non_object_is_a_finding_not_an_exception() -> None:
    findings = ADAPTER.check([], Stage.REGISTRATION)  # type: ignore[arg-type]

    assert [(f.severity, f.code, f.pointer) for f in findings] == [(Severity.ERROR, "record.type", "")]


@pytest.mark.parametrize("stage", list(Stage))
def test_build_gives_the_canonical_json_with_its_metadata(stage: Stage) -> None:
    record = records.registration_record()

    payload = ADAPTER.build(record, stage)

    assert dataclasses.asdict(payload) == {
        "registry": "record",
        "stage": stage,
        "content": canonical_json(record),
        "media_type": "application/json",
        "file_name": f"NCT01234567-{stage.value}.json",
        "schema_version": "1.0",
        "findings": (),
    }
    assert payload.sha256 == hashlib.sha256(canonical_json(record)).hexdigest()


def test_build_is_deterministic_whatever_the_key_order() -> None:
    record = records.registration_record()
    reordered = dict(reversed(list(record.items())))

    assert ADAPTER.build(record, Stage.REGISTRATION) == ADAPTER.build(reordered, Stage.REGISTRATION)


def test_unregistered_trial_payload_is_named_by_the_sponsor_protocol_number() -> None:
    record = records.registration_record()
    del record["protocolSection"]["identificationModule"]["nctId"]
    record["protocolSection"]["identificationModule"]["orgStudyIdInfo"]["id"] = "ACME/042 v2"

    assert ADAPTER.build(record, Stage.REGISTRATION).file_name == "ACME_042_v2-registration.json"


def test_verify_accepts_a_built_payload() -> None:
    payload = ADAPTER.build(records.complete_record(), Stage.RESULTS)

    assert ADAPTER.verify(payload) == []


def test_verify_reports_a_payload_that_breaks_the_record_schema() -> None:
    record = records.registration_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "DONE"
    payload = ADAPTER.build(record, Stage.REGISTRATION)

    findings = ADAPTER.verify(payload)

    assert [(f.code, f.pointer, f.registry) for f in findings] == [
        ("record.enum", "/protocolSection/statusModule/overallStatus", "record")
    ]


def test_verify_reports_a_payload_that_is_not_json() -> None:
    payload = dataclasses.replace(
        ADAPTER.build(records.registration_record(), Stage.REGISTRATION), content=b"{"
    )

    (finding,) = ADAPTER.verify(payload)

    assert (finding.severity, finding.code, finding.pointer) == (Severity.ERROR, "payload.malformed_json", "")


# The sites' copy of the lay summary (issue 12): one branded PDF per language at the lay-summary stage.

SITE_BRANDING = Branding("Norwell & Co", "#005a9c", b"", "letter")


def _two_language_record() -> dict[str, Any]:
    record = records.complete_record()
    german = copy.deepcopy(record["laySummaries"][0])
    german["language"] = "de"
    record["laySummaries"].append(german)
    return record


def test_lay_summary_stage_carries_one_branded_pdf_per_language_after_the_json() -> None:
    record = _two_language_record()

    payloads = ADAPTER.build_branded(record, Stage.LAY_SUMMARY, SITE_BRANDING)

    assert [(p.registry, p.stage, p.file_name, p.media_type) for p in payloads] == [
        ("record", Stage.LAY_SUMMARY, "NCT01234567-lay_summary.json", "application/json"),
        ("record", Stage.LAY_SUMMARY, "NCT01234567-lay-summary-en.pdf", "application/pdf"),
        ("record", Stage.LAY_SUMMARY, "NCT01234567-lay-summary-de.pdf", "application/pdf"),
    ]
    assert payloads[0] == ADAPTER.build(record, Stage.LAY_SUMMARY)
    assert [p.content for p in payloads[1:]] == [
        render_lay_summary_pdf(record, "en", branding=SITE_BRANDING),
        render_lay_summary_pdf(record, "de", branding=SITE_BRANDING),
    ]
    assert [ADAPTER.verify(p) for p in payloads[1:]] == [[], []]


def test_other_stages_and_build_all_keep_their_files() -> None:
    record = records.complete_record()

    results = ADAPTER.build_branded(record, Stage.RESULTS, SITE_BRANDING)
    default = ADAPTER.build_all(record, Stage.LAY_SUMMARY)

    assert results == [ADAPTER.build(record, Stage.RESULTS)]
    assert default[1].content == render_lay_summary_pdf(record, "en")
    assert isinstance(ADAPTER, BrandedRegistry)


def test_verify_refuses_a_site_pdf_that_is_not_one() -> None:
    pdf = ADAPTER.build_all(records.complete_record(), Stage.LAY_SUMMARY)[1]

    findings = ADAPTER.verify(dataclasses.replace(pdf, content=b"<html>"))

    assert [(f.severity, f.code, f.message) for f in findings] == [
        (Severity.ERROR, "payload.pdf_invalid", "NCT01234567-lay-summary-en.pdf is not a PDF file.")
    ]
