"""PRS protocol XML: vocabulary mapping, stage contents, determinism and partial uploads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from registries.ctgov import vocab
from registries.ctgov.adapter import ADAPTER
from registries.enums import Stage
from registries.findings import RegistryError

COMPLETE_RECORD = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"


def complete_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    return record


def study_of(record: dict[str, Any], stage: Stage = Stage.PROTOCOL_SUMMARY) -> etree._Element:
    root = etree.fromstring(ADAPTER.build(record, stage).content)
    return root[0]


def with_design(**changes: Any) -> dict[str, Any]:
    record = complete_record()
    record["protocolSection"]["designModule"].update(changes)
    return record


@pytest.mark.parametrize(
    ("phases", "expected"),
    [
        (["PHASE2"], "Phase 2"),
        (["PHASE1", "PHASE2"], "Phase 1/Phase 2"),
        (["PHASE2", "PHASE3"], "Phase 2/Phase 3"),
        (["EARLY_PHASE1"], "Early Phase 1"),
        (["NA"], "N/A"),
    ],
)
def test_phase_codes_become_prs_phase_strings(phases: list[str], expected: str) -> None:
    study = study_of(with_design(phases=phases))

    assert study.findtext("study_design/interventional_design/phase") == expected


def test_masking_becomes_no_masking_and_one_flag_per_masked_role() -> None:
    record = complete_record()
    record["protocolSection"]["designModule"]["designInfo"]["maskingInfo"] = {
        "masking": "DOUBLE",
        "whoMasked": ["PARTICIPANT", "OUTCOMES_ASSESSOR"],
    }

    design = study_of(record).find("study_design/interventional_design")

    assert design is not None
    flags = {tag: design.findtext(tag) for tag in ("no_masking", *vocab.WHO_MASKED_TO_PRS_ELEMENT.values())}
    assert flags == {
        "no_masking": "No",
        "masked_subject": "Yes",
        "masked_caregiver": "No",
        "masked_investigator": "No",
        "masked_assessor": "Yes",
    }


def test_open_label_study_says_no_masking_yes() -> None:
    record = complete_record()
    record["protocolSection"]["designModule"]["designInfo"]["maskingInfo"] = {"masking": "NONE"}

    design = study_of(record).find("study_design/interventional_design")

    assert design is not None
    assert [design.findtext("no_masking"), design.findtext("masked_subject")] == ["Yes", "No"]


def test_status_and_dates_use_prs_strings_and_anticipated_for_estimated() -> None:
    record = complete_record()
    record["protocolSection"]["statusModule"].update(
        {
            "overallStatus": "ACTIVE_NOT_RECRUITING",
            "startDateStruct": {"date": "2023-05-02", "type": "ACTUAL"},
            "primaryCompletionDateStruct": {"date": "2026-01", "type": "ESTIMATED"},
        }
    )

    study = study_of(record)

    assert [
        study.findtext(tag)
        for tag in (
            "overall_status",
            "start_date",
            "start_date_type",
            "primary_compl_date",
            "primary_compl_date_type",
        )
    ] == ["Active, not recruiting", "2023-05-02", "Actual", "2026-01", "Anticipated"]


def test_expanded_access_record_states_its_status_as_expanded_access_status() -> None:
    record = complete_record()
    record["protocolSection"]["designModule"] = {
        "studyType": "EXPANDED_ACCESS",
        "expandedAccessTypes": {"individual": True},
    }
    record["protocolSection"]["statusModule"]["overallStatus"] = "AVAILABLE"

    study = study_of(record)

    assert (study.findtext("overall_status"), study.findtext("expanded_access_status")) == (None, "Available")
    assert study.findtext("study_design/exp_acc_type_individual") == "Yes"


def test_registration_leaves_out_what_only_the_protocol_summary_carries() -> None:
    record = complete_record()

    registration = {str(child.tag) for child in study_of(record, Stage.REGISTRATION)}
    summary = {str(child.tag) for child in study_of(record, Stage.PROTOCOL_SUMMARY)}

    assert summary - registration == {
        "detailed_description",
        "ipd_sharing_statement",
        "reference",
        "link",
        "study_document",
    }
    assert {"brief_title", "study_design", "eligibility", "location", "primary_outcome"} <= registration


def test_children_follow_the_xsd_sequence_order() -> None:
    from registries.ctgov.protocol_xml import _SEQUENCE

    tags = [str(child.tag) for child in study_of(complete_record())]

    assert tags == sorted(tags, key=_SEQUENCE.index)


def test_same_record_builds_the_same_bytes() -> None:
    first = ADAPTER.build(complete_record(), Stage.RESULTS)
    second = ADAPTER.build(copy.deepcopy(complete_record()), Stage.RESULTS)

    assert (first.content, first.sha256) == (second.content, second.sha256)


def test_payload_names_file_media_type_and_schema_version() -> None:
    payload = ADAPTER.build(complete_record(), Stage.REGISTRATION)

    assert (
        payload.media_type,
        payload.file_name.endswith("-ctgov-registration.xml"),
        payload.schema_version,
    ) == (
        "application/xml",
        True,
        "ProtocolRecordSchema.xsd 2018.05.08",
    )
    assert payload.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<prs:study_collection')


def test_build_refuses_a_stage_clinicaltrials_gov_does_not_have() -> None:
    with pytest.raises(RegistryError) as raised:
        ADAPTER.build(complete_record(), Stage.LAY_SUMMARY)

    assert raised.value.code == "ctgov.stage_not_supported"


def test_secondary_id_types_and_agency_domains() -> None:
    record = complete_record()
    record["protocolSection"]["identificationModule"]["secondaryIdInfos"] = [
        {"id": "R01 AB123456", "type": "NIH"},
        {"id": "2024-512345-12-00", "type": "CTIS"},
        {"id": "HHSF123", "type": "FDA"},
    ]

    ids = study_of(record).findall("id_info/secondary_id")

    assert [(e.findtext("id"), e.findtext("id_type"), e.findtext("id_domain")) for e in ids] == [
        ("R01 AB123456", "NIH Grant Number", None),
        ("2024-512345-12-00", "Registry Identifier", "CTIS"),
        ("HHSF123", "Other Grant/Funding Number", "FDA"),
    ]


def test_partial_update_keeps_only_identification_and_changed_modules(registry_specs: Path) -> None:
    record = complete_record()
    record["protocolSection"]["conditionsModule"]["keywords"] = []

    payload = ADAPTER.build_update(record, Stage.PROTOCOL_SUMMARY, {"statusModule", "conditionsModule"})
    study = etree.fromstring(payload.content)[0]

    assert study.get("partial_upload") == "true"
    assert [(str(child.tag), child.get("delete")) for child in study] == [
        ("id_info", None),
        ("delayed_posting", None),
        ("overall_status", None),
        ("why_stopped", "true"),
        ("verification_date", None),
        ("start_date", None),
        ("start_date_type", None),
        ("last_follow_up_date", None),
        ("last_follow_up_date_type", None),
        ("primary_compl_date", None),
        ("primary_compl_date_type", None),
        ("condition", None),
        ("condition", None),
        ("keyword", "true"),
    ]
    assert ADAPTER.verify(payload) == []


def test_the_us_ethics_board_is_the_one_prs_receives() -> None:
    record = complete_record()
    record["protocolSection"]["oversightModule"]["ethicsApprovals"] = [
        {"country": "Germany", "committeeName": "Ethik-Kommission", "status": "APPROVED"},
        {
            "country": "United States",
            "committeeName": "Central IRB",
            "status": "PENDING",
            "referenceNumber": "C-1",
        },
    ]

    irb = study_of(record).find("oversight_info/irb_info")

    assert irb is not None
    assert [irb.findtext(tag) for tag in ("approval_status", "approval_number", "name")] == [
        "Pending",
        "C-1",
        "Central IRB",
    ]


def test_emptied_brief_summary_in_an_update_is_deleted_with_its_textblock(registry_specs: Path) -> None:
    record = complete_record()
    del record["protocolSection"]["descriptionModule"]["briefSummary"]

    payload = ADAPTER.build_update(record, Stage.PROTOCOL_SUMMARY, {"descriptionModule"})
    marker = etree.fromstring(payload.content)[0].find("brief_summary")

    assert marker is not None
    assert (marker.get("delete"), marker.findtext("textblock")) == ("true", "")
    assert ADAPTER.verify(payload) == []
