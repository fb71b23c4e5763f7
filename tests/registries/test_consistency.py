"""Cross-registry consistency: the payloads of one filing tell every registry the same facts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registries.consistency import FACTS, check_consistency, collect_facts, compare_facts
from registries.enums import Severity, Stage
from registries.findings import Finding

COMPLETE_RECORD = Path(__file__).resolve().parents[1] / "fixtures" / "records" / "complete.json"
TARGETS = ["record", "ctgov", "isrctn", "who"]


def complete_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
    return record


def _coded(findings: list[Finding]) -> list[tuple[Severity, str, str]]:
    return [(f.severity, f.code, f.pointer) for f in findings]


@pytest.mark.parametrize("stage", [Stage.REGISTRATION, Stage.RESULTS], ids=lambda s: s.value)
def test_payloads_of_the_complete_record_agree(stage: Stage) -> None:
    assert check_consistency(complete_record(), stage, TARGETS) == []


def test_a_single_payload_is_checked_against_the_record_numbers() -> None:
    record = complete_record()
    record["euSection"]["euCtNumber"] = "2022-509999-18-00"

    findings = check_consistency(record, Stage.REGISTRATION, ["record", "ctgov"])

    assert _coded(findings) == [
        (
            Severity.ERROR,
            "consistency.eu_ct_conflict",
            "/protocolSection/identificationModule/secondaryIdInfos",
        )
    ]


def test_eu_ct_number_in_ctgov_secondary_ids_must_match_the_eu_section() -> None:
    record = complete_record()
    record["protocolSection"]["identificationModule"]["secondaryIdInfos"][0]["id"] = "2022-509999-18-00"

    findings = check_consistency(record, Stage.REGISTRATION, TARGETS)

    assert _coded(findings) == [
        (
            Severity.ERROR,
            "consistency.eu_ct_conflict",
            "/protocolSection/identificationModule/secondaryIdInfos",
        )
    ]
    assert findings[0].details == {
        "values": {
            "ctgov": ["2022-509999-18-00"],
            "isrctn": ["2022-501234-18-00"],
            "who": ["2022-501234-18-00", "2022-509999-18-00"],
        }
    }


def test_isrctn_and_utn_recorded_twice_with_different_numbers_conflict() -> None:
    record = complete_record()
    ids = record["protocolSection"]["identificationModule"]["secondaryIdInfos"]
    ids[1]["id"] = "ISRCTN00000001"
    ids[2]["id"] = "U1111-0000-0000"

    findings = check_consistency(record, Stage.REGISTRATION, TARGETS)

    assert _coded(findings) == [
        (
            Severity.ERROR,
            "consistency.isrctn_conflict",
            "/protocolSection/identificationModule/secondaryIdInfos",
        ),
        (
            Severity.ERROR,
            "consistency.utn_conflict",
            "/protocolSection/identificationModule/secondaryIdInfos",
        ),
    ]


def test_utn_left_out_of_ctgov_secondary_ids_is_missing_there() -> None:
    record = complete_record()
    del record["protocolSection"]["identificationModule"]["secondaryIdInfos"][2]

    findings = check_consistency(record, Stage.REGISTRATION, TARGETS)

    assert [(f.code, f.registry, f.pointer) for f in findings] == [
        ("consistency.utn_missing", "ctgov", "/protocolSection/identificationModule/secondaryIdInfos")
    ]


def test_eu_ct_number_left_out_of_ctgov_secondary_ids_is_missing_there() -> None:
    record = complete_record()
    del record["protocolSection"]["identificationModule"]["secondaryIdInfos"][0]

    findings = check_consistency(record, Stage.REGISTRATION, TARGETS)

    assert [(f.code, f.registry) for f in findings] == [("consistency.eu_ct_missing", "ctgov")]


def test_different_first_enrolment_and_end_dates_are_reported_at_their_fields() -> None:
    # given a record whose first-enrolment date differs from the start date, and whose UK-held global end
    # of trial differs from the study completion date
    record = complete_record()
    record["protocolSection"]["statusModule"]["firstParticipantEnrolledDateStruct"]["date"] = "2023-03-27"
    record["ukSection"]["globalEndOfTrialDateStruct"] = {"date": "2024-07-01", "type": "ACTUAL"}

    # when the filing's payloads are compared
    findings = check_consistency(record, Stage.REGISTRATION, TARGETS)

    # then each difference is a warning at the field that breaks ranks
    assert _coded(findings) == [
        (
            Severity.WARNING,
            "consistency.first_enrolment_date_differs",
            "/protocolSection/statusModule/startDateStruct",
        ),
        (
            Severity.WARNING,
            "consistency.completion_date_differs",
            "/ukSection/globalEndOfTrialDateStruct",
        ),
    ]


_BASE = {
    "status": "Complete",
    "start_date": "2023-03-13",
    "first_enrolment_date": "2023-03-13",
    "completion_date": "2024-06-18",
    "enrollment": 412,
    "arms": ("Placebo", "Drug"),
    "primary_outcomes": ("PASI 75",),
    "secondary_outcomes": ("DLQI",),
    "sponsor": "Norwell",
}
_OTHER = {
    "status": "Recruiting",
    "start_date": "2023-04-01",
    "first_enrolment_date": "2023-04-01",
    "completion_date": "2025-01-01",
    "enrollment": 400,
    "arms": ("Drug",),
    "primary_outcomes": ("PASI 90",),
    "secondary_outcomes": ("DLQI", "PASI 100"),
    "sponsor": "Norwell Ltd",
}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_each_fact_told_differently_gets_its_own_finding(fact: str) -> None:
    # given two payloads that agree on everything but one fact
    sources = {key: f"/source/{key}" for key in FACTS}
    collected = {
        "ctgov": (dict(_BASE), sources),
        "who": ({**_BASE, fact: _OTHER[fact]}, {key: f"/who/{key}" for key in FACTS}),
    }

    # when they are compared
    findings = compare_facts(collected, Stage.REGISTRATION, complete_record())

    # then the one difference is reported, naming both values (on a tie, at the later registry)
    assert _coded(findings) == [(Severity.WARNING, f"consistency.{fact}_differs", f"/who/{fact}")]
    assert set(findings[0].details["values"]) == {"ctgov", "who"}


def test_majority_value_decides_which_field_is_pointed_at() -> None:
    collected = {
        "ctgov": ({"sponsor": "Norwell"}, {"sponsor": "/ctgov/sponsor"}),
        "isrctn": ({"sponsor": "Norwell"}, {"sponsor": "/isrctn/sponsor"}),
        "who": ({"sponsor": "Other"}, {"sponsor": "/who/sponsor"}),
    }

    findings = compare_facts(collected, Stage.REGISTRATION, complete_record())

    assert [f.pointer for f in findings] == ["/who/sponsor"]


def test_facts_read_back_from_each_payload() -> None:
    collected = collect_facts(complete_record(), Stage.REGISTRATION, TARGETS)

    assert sorted(collected) == ["ctgov", "isrctn", "who"]
    assert {code: facts["enrollment"] for code, (facts, _s) in collected.items()} == {
        "ctgov": 412,
        "isrctn": 412,
        "who": 412,
    }
    assert {code: sorted(facts["id.utn"]) for code, (facts, _s) in collected.items()} == {
        "ctgov": ["U1111-1285-4410"],
        "isrctn": ["U1111-1285-4410"],
        "who": ["U1111-1285-4410"],
    }


def test_nct_number_told_two_ways_is_a_conflict_at_the_odd_payload() -> None:
    collected = {
        "isrctn": ({"id.nct": {"NCT05718264"}}, {"id.nct": "/isrctn/nct"}),
        "who": ({"id.nct": {"NCT00000001"}}, {"id.nct": "/who/nct"}),
    }

    findings = compare_facts(collected, Stage.REGISTRATION, complete_record())

    assert _coded(findings) == [(Severity.ERROR, "consistency.nct_conflict", "/who/nct")]


def test_payload_with_a_place_for_the_isrctn_number_that_leaves_it_out() -> None:
    collected: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
        "ctgov": (
            {"id.isrctn": set()},
            {"id.isrctn": "/protocolSection/identificationModule/secondaryIdInfos"},
        ),
        "who": ({"id.isrctn": {"ISRCTN48213097"}}, {"id.isrctn": "/ukSection/isrctn"}),
    }

    findings = compare_facts(collected, Stage.REGISTRATION, complete_record())

    assert [(f.code, f.registry, f.pointer) for f in findings] == [
        ("consistency.isrctn_missing", "ctgov", "/protocolSection/identificationModule/secondaryIdInfos")
    ]


def test_nct_number_missing_from_a_payload_with_a_place_for_it() -> None:
    collected: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
        "isrctn": ({"id.nct": set()}, {"id.nct": "/protocolSection/identificationModule/nctId"})
    }

    findings = compare_facts(collected, Stage.REGISTRATION, complete_record())

    assert [(f.code, f.registry) for f in findings] == [("consistency.nct_missing", "isrctn")]
