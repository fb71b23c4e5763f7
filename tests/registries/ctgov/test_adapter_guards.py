"""The ClinicalTrials.gov adapter on records it cannot map: a coded refusal or a note, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registries.checks import check_record
from registries.ctgov.adapter import ADAPTER
from registries.enums import Severity, Stage
from registries.findings import RegistryError

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


def test_a_misshapen_record_still_gets_every_ctgov_check_that_can_run() -> None:
    # given a results module with a null where a class belongs, and no official title (required by
    # the PRS protocol definitions, "*§", for a study started in 2023)
    record = _misshapen()
    del record["protocolSection"]["identificationModule"]["officialTitle"]

    # when the ClinicalTrials.gov checks run
    findings = ADAPTER.check(record, Stage.RESULTS)

    # then the record checks report the missing title, and only the payload check waits, saying so
    assert [(f.severity, f.code, f.pointer) for f in findings] == [
        (Severity.NOTE, "ctgov.payload_check_waiting", ""),
        (Severity.ERROR, "ctgov.required.missing", "/protocolSection/identificationModule/officialTitle"),
    ]
    # and the generic check names the misshapen field
    generic = [f for f in check_record(record, Stage.RESULTS) if f.code == "record.type"]
    assert [f.pointer for f in generic] == [
        "/resultsSection/baselineCharacteristicsModule/measures/1/classes/0"
    ]


def test_a_control_character_is_a_finding_on_its_field_and_a_coded_build_refusal() -> None:
    # given a complete record whose official title holds a unit separator
    record = _complete()
    record["protocolSection"]["identificationModule"]["officialTitle"] += "\x1f"

    # when it is checked for ClinicalTrials.gov, then the field is named once, and the payload check
    # says it waits for the fix
    findings = check_record(record, Stage.REGISTRATION, registry="ctgov")
    assert [(f.severity, f.code, f.pointer) for f in findings] == [
        (Severity.ERROR, "rule.text_not_xml_safe", "/protocolSection/identificationModule/officialTitle"),
        (Severity.NOTE, "ctgov.payload_check_waiting", ""),
    ]
    with pytest.raises(RegistryError) as refused:
        ADAPTER.build(record, Stage.REGISTRATION)
    assert refused.value.code == "ctgov.text_not_xml_safe"
