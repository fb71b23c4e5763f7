"""The WHO TRDS adapter: the 24 items, the ICTRP XML against its DTD, completeness, and the UTN."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from registries import get_registry, registry_codes, specs
from registries.base import MultiFileRegistry
from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.payload import Payload
from registries.who import adapter as who_adapter
from registries.who import trds
from registries.who.adapter import ADAPTER, missing_item_code

GOLDEN = Path(__file__).parent / "golden"
COMPLETE_RECORD = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"


def complete_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    return record


def _remove(record: dict[str, Any], pointer: str) -> None:
    *parents, last = pointer.strip("/").split("/")
    node: Any = record
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    del node[last]


def _codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.pointer) for f in findings]


def _golden(name: str, content: bytes) -> bytes:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(content)
    return path.read_bytes()


def test_who_is_in_the_registry_list() -> None:
    assert "who" in registry_codes()
    assert get_registry("who") is ADAPTER


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_ictrp_xml_matches_golden_file(stage: Stage) -> None:
    content = ADAPTER.build(complete_record(), stage).content

    assert content == _golden(f"complete-{stage.value}.xml", content)


def test_trds_json_carries_all_24_items_and_matches_golden_file() -> None:
    payload = ADAPTER.build_trds(complete_record(), Stage.RESULTS)
    document = json.loads(payload.content)

    assert payload.content == _golden("complete-trds.json", payload.content)
    assert [item["item"] for item in document["items"]] == list(range(1, 25))
    assert [item["item"] for item in document["items"] if item["value"] is None] == []
    assert document["items"][20]["value"][:1] == [
        {
            "committeeName": "Lakeshore Central Institutional Review Board",
            "country": "United States",
            "status": "APPROVED",
            "approvalDate": "2023-01-30",
        }
    ]


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_complete_record_is_valid_against_the_dtd_and_complete(stage: Stage, registry_specs: Path) -> None:
    record = complete_record()

    assert ADAPTER.verify(ADAPTER.build(record, stage)) == []
    assert ADAPTER.check(record, stage) == []


def test_verify_reports_each_dtd_violation(registry_specs: Path) -> None:
    # given a payload whose trial lacks the required contacts block
    payload = ADAPTER.build(complete_record(), Stage.REGISTRATION)
    broken = payload.content.replace(b"<contacts>", b"<contactz>").replace(b"</contacts>", b"</contactz>")

    # when it is verified
    findings = ADAPTER.verify(Payload("who", Stage.REGISTRATION, broken, "application/xml", "x.xml", ""))

    # then the DTD's complaints are error findings
    assert findings
    assert {f.code for f in findings} == {"who.dtd_invalid"}
    assert all(f.severity is Severity.ERROR for f in findings)


def test_verify_refuses_a_payload_with_an_entity_declaration(registry_specs: Path) -> None:
    hostile = b'<?xml version="1.0"?><!DOCTYPE trials [<!ENTITY x SYSTEM "file:///etc/passwd">]><trials>&x;</trials>'

    findings = ADAPTER.verify(Payload("who", Stage.REGISTRATION, hostile, "application/xml", "x.xml", ""))

    assert [f.code for f in findings] == ["xml.forbidden_doctype"]


def test_missing_dtd_is_an_error_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(specs, "_configured", tmp_path)
    payload = ADAPTER.build(complete_record(), Stage.REGISTRATION)

    findings = ADAPTER.verify(payload)

    assert [f.code for f in findings] == ["who.dtd_unavailable"]


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_build_all_gives_the_ictrp_xml_then_the_trds_json(stage: Stage) -> None:
    record = complete_record()

    payloads = ADAPTER.build_all(record, stage)

    assert isinstance(ADAPTER, MultiFileRegistry)
    assert [(p.registry, p.stage, p.file_name, p.media_type) for p in payloads] == [
        ("who", stage, f"NCT05718264-who-{stage.value}.xml", "application/xml"),
        ("who", stage, f"NCT05718264-who-trds-{stage.value}.json", "application/json"),
    ]
    assert payloads[0] == ADAPTER.build(record, stage)
    assert payloads[1].content == _golden("complete-trds.json", payloads[1].content)


@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_trds_json_of_the_complete_record_is_valid_against_its_schema(stage: Stage) -> None:
    assert ADAPTER.verify(ADAPTER.build_trds(complete_record(), stage)) == []


def test_trds_json_of_a_sparse_record_is_valid_with_null_items() -> None:
    # given a record without the ethics approvals (item 21) and IPD statement (item 24)
    record = complete_record()
    _remove(record, "/protocolSection/oversightModule/ethicsApprovals")
    _remove(record, "/protocolSection/ipdSharingStatementModule")
    payload = ADAPTER.build_trds(record, Stage.REGISTRATION)

    # then those items are null and the document is still valid
    items = json.loads(payload.content)["items"]
    assert (items[20]["value"], items[23]["value"]) == (None, None)
    assert ADAPTER.verify(payload) == []


def _trds_payload(document: dict[str, Any]) -> Payload:
    content = json.dumps(document).encode("utf-8")
    return Payload("who", Stage.RESULTS, content, "application/json", "x-who-trds-results.json", "")


def test_verify_reports_a_trds_item_out_of_place_or_misshapen() -> None:
    # given a TRDS document whose item 18 has a status TRDS does not list and whose item 22 is dropped
    document = json.loads(ADAPTER.build_trds(complete_record(), Stage.RESULTS).content)
    document["items"][17]["value"] = "Finished"
    del document["items"][21]

    # when it is verified
    findings = ADAPTER.verify(_trds_payload(document))

    # then each violation is an error finding pointing into the payload
    assert [(f.severity, f.code, f.pointer) for f in findings] == [
        (Severity.ERROR, "who.trds_schema", "/items"),
        (Severity.ERROR, "who.trds_schema", "/items/17/value"),
        (Severity.ERROR, "who.trds_schema", "/items/21/item"),
        (Severity.ERROR, "who.trds_schema", "/items/21/name"),
        (Severity.ERROR, "who.trds_schema", "/items/21/value"),
        (Severity.ERROR, "who.trds_schema", "/items/22/item"),
        (Severity.ERROR, "who.trds_schema", "/items/22/name"),
        (Severity.ERROR, "who.trds_schema", "/items/22/value"),
    ]
    assert findings[0].message == "TRDS payload at items: 23 items where the TRDS has 24"


def test_verify_reports_a_trds_payload_that_is_not_json() -> None:
    payload = Payload("who", Stage.RESULTS, b"<trds/>", "application/json", "x.json", "")

    assert [(f.code, f.pointer) for f in ADAPTER.verify(payload)] == [("who.trds_not_json", "")]


def test_missing_trds_schema_is_an_error_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(who_adapter, "SCHEMAS_DIR", tmp_path)

    findings = ADAPTER.verify(ADAPTER.build_trds(complete_record(), Stage.RESULTS))

    assert [(f.code, f.pointer) for f in findings] == [("who.trds_schema_missing", "")]


# The fields to remove so that an item is missing: every source the item may be read from.
_ITEM_SOURCES: dict[int, tuple[str, ...]] = {
    1: (
        "/protocolSection/identificationModule/nctId",
        "/ukSection/isrctn",
        "/euSection/euCtNumber",
    ),
    2: ("/whoSection/dateOfRegistration",),
    3: (
        "/protocolSection/identificationModule/secondaryIdInfos",
        "/protocolSection/identificationModule/orgStudyIdInfo",
        "/whoSection/utn",
        "/ukSection/isrctn",
        "/euSection/euCtNumber",
    ),
    4: ("/whoSection/fundingSources",),
    5: ("/protocolSection/sponsorCollaboratorsModule/leadSponsor/name",),
    6: ("/whoSection/secondarySponsors", "/protocolSection/sponsorCollaboratorsModule/collaborators"),
    7: ("/whoSection/publicContact", "/protocolSection/contactsLocationsModule/centralContacts"),
    8: ("/whoSection/scientificContact", "/protocolSection/contactsLocationsModule/overallOfficials"),
    9: ("/protocolSection/identificationModule/briefTitle",),
    10: ("/protocolSection/identificationModule/officialTitle",),
    11: ("/protocolSection/contactsLocationsModule/locations",),
    12: ("/protocolSection/conditionsModule/conditions",),
    13: ("/protocolSection/armsInterventionsModule/interventions",),
    14: ("/protocolSection/eligibilityModule/eligibilityCriteria",),
    15: ("/protocolSection/designModule/studyType",),
    16: (
        "/protocolSection/statusModule/firstParticipantEnrolledDateStruct",
        "/protocolSection/statusModule/startDateStruct",
    ),
    17: ("/protocolSection/designModule/enrollmentInfo/count",),
    18: ("/protocolSection/statusModule/overallStatus",),
    19: ("/protocolSection/outcomesModule/primaryOutcomes",),
    20: ("/protocolSection/outcomesModule/secondaryOutcomes",),
    21: ("/protocolSection/oversightModule/ethicsApprovals",),
    22: ("/protocolSection/statusModule/completionDateStruct",),
    23: ("/resultsSection",),
    24: ("/protocolSection/ipdSharingStatementModule",),
}


def test_every_item_has_a_removal_case() -> None:
    assert sorted(_ITEM_SOURCES) == sorted(trds.ITEM_NAMES)


@pytest.mark.parametrize("number", sorted(_ITEM_SOURCES))
def test_missing_item_gets_its_own_finding_at_its_field(number: int) -> None:
    # given the complete record without the item's fields
    record = complete_record()
    for source in _ITEM_SOURCES[number]:
        _remove(record, source)

    # when the results stage (every item required) is checked
    values = trds.build_items(record)
    findings = [f for f in ADAPTER.check(record, Stage.RESULTS) if f.code.startswith("who.trds_item_")]

    # then the one missing item is named, at the field it is read from
    assert values[number] is None
    assert _codes(findings) == [(missing_item_code(number), trds.POINTERS[number])]


def test_registration_does_not_demand_results_or_the_primary_registration_yet() -> None:
    record = complete_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "RECRUITING"
    for source in (
        "/resultsSection",
        "/protocolSection/statusModule/completionDateStruct",
        "/whoSection/dateOfRegistration",
        *_ITEM_SOURCES[1],
    ):
        _remove(record, source)

    findings = ADAPTER.check(record, Stage.REGISTRATION)

    assert [f.code for f in findings if f.code.startswith("who.trds_item_")] == []


def test_utn_in_secondary_ids_must_have_the_utn_format() -> None:
    record = complete_record()
    record["protocolSection"]["identificationModule"]["secondaryIdInfos"][2]["id"] = "U1111-12854410"

    findings = [f for f in ADAPTER.check(record, Stage.REGISTRATION) if f.code.startswith("who.utn")]

    assert _codes(findings) == [
        ("who.utn_format", "/protocolSection/identificationModule/secondaryIdInfos/2/id")
    ]


def test_record_without_utn_gets_a_warning() -> None:
    record = complete_record()
    del record["whoSection"]["utn"]
    del record["protocolSection"]["identificationModule"]["secondaryIdInfos"][2]

    findings = [f for f in ADAPTER.check(record, Stage.REGISTRATION) if f.code.startswith("who.utn")]

    assert [(f.severity, f.code, f.pointer) for f in findings] == [
        (Severity.WARNING, "who.utn_missing", "/whoSection/utn")
    ]


def test_utn_is_carried_in_utrn_and_secondary_ids() -> None:
    content = ADAPTER.build(complete_record(), Stage.REGISTRATION).content

    assert b"<utrn>U1111-1285-4410</utrn>" in content
    assert (
        b"<sec_id>U1111-1285-4410</sec_id>\n        <issuing_authority>WHO Universal Trial Number"
        b"</issuing_authority>" in content
    )
