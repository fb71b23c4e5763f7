"""A value every PRS upload needs is an error finding before build, never an empty element signed."""

from __future__ import annotations

from pathlib import Path

import pytest

from registries.checks import check_record
from registries.ctgov.checks.required_values import check_required_values
from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.importers import import_record
from tests.registries import records


def _finding(stage: Stage) -> Finding:
    return Finding(
        Severity.ERROR,
        "ctgov.required.organization_name",
        "/protocolSection/identificationModule/organization/fullName",
        "The organization name is missing; every PRS upload names the PRS organization (org_name) "
        "the record belongs to, and an upload without one cannot be matched to an account.",
        "ctgov",
        stage,
        "PRS data element definitions (protocol registration): Organization Name; "
        "ProtocolRecordSchema.xsd id_info/org_name",
    )


@pytest.mark.parametrize("name", ["", "   ", None])
def test_empty_or_missing_organization_name_is_an_error(name: str | None) -> None:
    record = records.registration_record()
    organization = record["protocolSection"]["identificationModule"].setdefault("organization", {})
    if name is None:
        organization.pop("fullName", None)
    else:
        organization["fullName"] = name

    assert check_required_values(record, Stage.REGISTRATION) == [_finding(Stage.REGISTRATION)]


def test_a_named_organization_passes() -> None:
    record = records.registration_record()
    record["protocolSection"]["identificationModule"]["organization"] = {"fullName": "Acme Pharma"}

    assert check_required_values(record, Stage.REGISTRATION) == []


@pytest.mark.parametrize("stage", [Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY, Stage.RESULTS])
def test_a_legacy_public_record_without_organization_name_is_stopped_at_every_stage(
    sample_dir: Path, stage: Stage
) -> None:
    record = import_record(
        "ctgov-public-xml", (sample_dir / "ctgov-legacy-public-NCT01065844.xml").read_bytes()
    ).record

    findings = check_record(record, stage, "ctgov")

    assert [f for f in findings if f.code == "ctgov.required.organization_name"] == [_finding(stage)]
