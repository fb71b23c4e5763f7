"""Validation layer 1: payloads against the official PRS XSDs, with findings pointing into the record."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from registries import get_registry, specs
from registries.ctgov import xsd
from registries.ctgov._xmlbuild import serialize
from registries.ctgov.adapter import ADAPTER
from registries.ctgov.results_xml import build_result
from registries.enums import Severity, Stage
from registries.payload import Payload
from tests.registries.ctgov.test_build_protocol import complete_record


def payload_of(content: bytes, stage: Stage = Stage.PROTOCOL_SUMMARY) -> Payload:
    return Payload("ctgov", stage, content, "application/xml", "x.xml", "test")


def test_registry_table_gives_the_clinicaltrials_gov_adapter() -> None:
    adapter = get_registry("ctgov")

    assert (adapter.code, adapter.name, adapter.stages) == (
        "ctgov",
        "ClinicalTrials.gov",
        (Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY, Stage.RESULTS),
    )
    assert set(adapter.importers) == {"ctgov-v2", "ctgov-prs-xml", "ctgov-public-xml"}


def test_missing_schema_is_an_error_finding_naming_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a schema directory without the PRS XSDs
    monkeypatch.setattr(specs, "_configured", tmp_path)

    # when a payload is verified
    findings = ADAPTER.verify(ADAPTER.build(complete_record(), Stage.REGISTRATION))

    # then verification fails loudly instead of passing
    assert [(f.severity, f.code, f.pointer) for f in findings] == [
        (Severity.ERROR, "ctgov.schema_missing", "")
    ]
    assert str(tmp_path / "ctgov-prs" / "ProtocolRecordSchema.xsd") in findings[0].message


def test_schema_error_points_at_the_record_field_it_came_from(registry_specs: Path) -> None:
    # given a payload whose eligibility lost its required criteria
    root = etree.fromstring(ADAPTER.build(complete_record(), Stage.PROTOCOL_SUMMARY).content)
    eligibility = root.find("clinical_study/eligibility")
    assert eligibility is not None
    criteria = eligibility.find("criteria")
    assert criteria is not None
    eligibility.remove(criteria)

    # when it is verified
    findings = ADAPTER.verify(payload_of(serialize(root)))

    # then the finding names the XML and points at the eligibility module
    assert [(f.code, f.pointer) for f in findings] == [
        ("ctgov.xsd_invalid", "/protocolSection/eligibilityModule")
    ]
    assert "criteria" in findings[0].message
    assert "clinical_study/eligibility" in findings[0].message


def test_results_only_document_is_verified_against_the_results_schema(registry_specs: Path) -> None:
    content = serialize(build_result(complete_record(), subsets={"reportedEvents"}))

    assert ADAPTER.verify(payload_of(content, Stage.RESULTS)) == []


def test_unknown_document_is_a_finding_not_a_crash(registry_specs: Path) -> None:
    findings = ADAPTER.verify(payload_of(b"<other/>"))

    assert [f.code for f in findings] == ["ctgov.unknown_document"]


def test_unsafe_payload_is_refused_by_verify() -> None:
    content = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'

    assert [f.code for f in ADAPTER.verify(payload_of(content))] == ["xml.forbidden_doctype"]


@pytest.mark.parametrize(
    ("xml_path", "pointer"),
    [
        (
            "/prs:study_collection/clinical_study/arm_group[2]/arm_type",
            "/protocolSection/armsInterventionsModule/armGroups/1",
        ),
        (
            "/prs:study_collection/clinical_study/arm_group",
            "/protocolSection/armsInterventionsModule/armGroups/0",
        ),
        (
            "/prs:study_collection/clinical_study/rrs:result/outcomeMeasures/outcomeMeasure[3]"
            "/outcomeMeasureAnalyses/measureAnalysis[2]/pValue",
            "/resultsSection/outcomeMeasuresModule/outcomeMeasures/2/analyses/1",
        ),
        (
            "/rrs:result/reportedEvents/frequentAdverseEvents/frequentEvent[4]",
            "/resultsSection/adverseEventsModule/otherEvents/3",
        ),
        (
            "/prs:study_collection/clinical_study/start_date",
            "/protocolSection/statusModule/startDateStruct/date",
        ),
        ("/prs:study_collection/clinical_study/unknown_tag", ""),
    ],
)
def test_xml_paths_map_to_record_pointers(xml_path: str, pointer: str) -> None:
    assert xsd.pointer_for_xml_path(xml_path) == pointer


def test_every_sample_stage_builds_without_schema_findings_for_the_complete_record(
    registry_specs: Path,
) -> None:
    record = complete_record()

    findings = {stage: ADAPTER.verify(ADAPTER.build(record, stage)) for stage in ADAPTER.stages}

    assert findings == {stage: [] for stage in ADAPTER.stages}


def test_check_reports_schema_and_registry_rule_findings_together(registry_specs: Path) -> None:
    # given a record whose status API v2 publishes but PRS refuses (schema-valid XML, a pick-list error)
    record = complete_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "WITHHELD"

    # when checked for registration
    findings = ADAPTER.check(record, Stage.REGISTRATION)

    # then the registry's pick-list check reports it against the status field
    assert any(f.pointer == "/protocolSection/statusModule/overallStatus" for f in findings)
    assert all(f.registry == "ctgov" for f in findings)


def test_complete_record_has_no_clinicaltrials_gov_findings_at_any_stage(registry_specs: Path) -> None:
    record = complete_record()

    assert {stage: ADAPTER.check(record, stage) for stage in ADAPTER.stages} == {
        stage: [] for stage in ADAPTER.stages
    }
