"""The ClinicalTrials.gov adapter on records it cannot map: a coded refusal or a note, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registries.checks import check_record
from registries.ctgov.adapter import ADAPTER
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError

COMPLETE = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"


def _complete() -> dict:
    record: dict = json.loads(COMPLETE.read_text(encoding="utf-8"))
    return record


def _misshapen() -> dict:
    record = _complete()
    record["resultsSection"]["baselineCharacteristicsModule"]["measures"][1]["classes"][0] = None
    return record


def test_build_refuses_a_record_that_breaks_the_record_schema() -> None:
    with pytest.raises(RegistryError) as refused:
        ADAPTER.build(_misshapen(), Stage.RESULTS)

    assert refused.value.code == "ctgov.record_invalid"


def test_check_of_a_misshapen_record_waits_for_its_schema_findings() -> None:
    # given a results module with a null where a class belongs
    # when the ClinicalTrials.gov checks run, then they leave one note and no guesses
    assert ADAPTER.check(_misshapen(), Stage.RESULTS) == [
        Finding(
            Severity.NOTE,
            "ctgov.checks_waiting_for_record_schema",
            "",
            "The ClinicalTrials.gov checks run once the record matches the record schema; fix its schema "
            "findings first.",
            "ctgov",
            Stage.RESULTS,
            "PRS upload XML",
        )
    ]
    # and the generic check names the field
    generic = [f for f in check_record(_misshapen(), Stage.RESULTS) if f.code == "record.type"]
    assert [f.pointer for f in generic] == [
        "/resultsSection/baselineCharacteristicsModule/measures/1/classes/0"
    ]


def test_a_control_character_is_a_finding_on_its_field_and_a_coded_build_refusal() -> None:
    # given a complete record whose official title holds a unit separator
    record = _complete()
    record["protocolSection"]["identificationModule"]["officialTitle"] += "\x1f"

    # when it is checked for ClinicalTrials.gov, then the field is named, and the payload layer says why
    # no XML could be built
    findings = check_record(record, Stage.REGISTRATION, registry="ctgov")
    assert [(f.code, f.pointer) for f in findings if f.severity is Severity.ERROR] == [
        ("rule.text_not_xml_safe", "/protocolSection/identificationModule/officialTitle"),
        ("ctgov.text_not_xml_safe", ""),
    ]
    with pytest.raises(RegistryError) as refused:
        ADAPTER.build(record, Stage.REGISTRATION)
    assert refused.value.code == "ctgov.text_not_xml_safe"
