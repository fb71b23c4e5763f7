"""check_record: the one entry point the web app and the CLI use."""

from __future__ import annotations

import datetime as dt

import pytest

from registries import _ADAPTERS
from registries.checks import check_record
from registries.enums import Stage
from registries.findings import RegistryError
from tests.registries import records

TODAY = dt.date(2025, 6, 1)


def test_complete_record_has_no_findings_at_any_stage() -> None:
    record = records.complete_record()

    assert {stage: check_record(record, stage, today=TODAY) for stage in Stage} == {
        stage: [] for stage in Stage
    }


def test_stage_may_be_given_by_its_name() -> None:
    record = records.registration_record()

    findings = check_record(record, "lay_summary", today=TODAY)

    assert [(f.code, f.pointer, f.stage) for f in findings] == [
        ("profile.required", "/laySummaries", Stage.LAY_SUMMARY)
    ]


def test_missing_field_the_schema_already_reports_is_not_reported_twice() -> None:
    record = records.registration_record()
    del record["protocolSection"]

    findings = check_record(record, Stage.REGISTRATION, today=TODAY)

    assert [(f.code, f.pointer) for f in findings] == [("record.required", "/protocolSection")]


def test_unknown_stage_is_a_registry_error() -> None:
    with pytest.raises(RegistryError) as caught:
        check_record(records.registration_record(), "publication")

    assert caught.value.code == "stage.unknown"
    assert "known stages: registration, protocol_summary, results, lay_summary" in caught.value.message


def test_unknown_registry_is_a_registry_error() -> None:
    with pytest.raises(RegistryError) as caught:
        check_record(records.registration_record(), Stage.REGISTRATION, "no-such-registry")

    assert caught.value.code == "registry.unknown"


def test_registry_checks_are_added_to_the_generic_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_ADAPTERS, "echo", "tests.registries.echo_adapter:ADAPTER")
    record = records.registration_record()

    findings = check_record(record, Stage.REGISTRATION, "echo", today=TODAY)

    assert [(f.registry, f.code, f.stage) for f in findings] == [("echo", "echo.checked", Stage.REGISTRATION)]


def test_naming_the_record_registry_runs_the_generic_checks_once() -> None:
    record = records.registration_record()
    del record["protocolSection"]["eligibilityModule"]["sex"]

    findings = check_record(record, Stage.REGISTRATION, "record", today=TODAY)

    assert [f.code for f in findings] == ["profile.required"]
