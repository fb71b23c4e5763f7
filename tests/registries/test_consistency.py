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
TARGETS = ["record", "ctgov", "ctis", "isrctn", "who"]


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
            "ctis": ["2022-501234-18-00"],
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
    "interventions": ("Placebo (Drug)", "Trelanoxib (Drug)"),
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
    "interventions": ("Placebo (Other)", "Trelanoxib (Drug)"),
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

    assert sorted(collected) == ["ctgov", "ctis", "isrctn", "who"]
    assert {code: facts.get("enrollment") for code, (facts, _s) in collected.items()} == {
        "ctis": None,
        "ctgov": 412,
        "isrctn": 412,
        "who": 412,
    }
    assert {code: sorted(facts["id.utn"]) for code, (facts, _s) in collected.items()} == {
        "ctgov": ["U1111-1285-4410"],
        "ctis": ["U1111-1285-4410"],
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


def _record_with_interventions(interventions: list[dict[str, Any]]) -> dict[str, Any]:
    record = complete_record()
    record["protocolSection"]["armsInterventionsModule"]["interventions"] = interventions
    return record


def test_interventions_are_read_back_by_name_and_type_at_the_coarsest_grain() -> None:
    # given interventions whose types ISRCTN names more coarsely than ClinicalTrials.gov
    record = _record_with_interventions(
        [
            {"type": "DRUG", "name": "Trelanoxib", "description": "Tablet: 40 mg once daily."},
            {"type": "RADIATION", "name": "Phototherapy"},
            {"type": "BEHAVIORAL", "name": "Skin care coaching"},
        ]
    )

    # when the payloads' facts are read back
    collected = collect_facts(record, Stage.REGISTRATION, TARGETS)

    # then every payload that carries interventions tells the same names and types, and none differs
    told = ("Phototherapy (Other)", "Skin care coaching (Behavioural)", "Trelanoxib (Drug)")
    assert {code: facts.get("interventions") for code, (facts, _s) in collected.items()} == {
        "ctgov": told,
        "ctis": None,
        "isrctn": told,
        "who": told,
    }
    assert check_consistency(record, Stage.REGISTRATION, TARGETS) == []


@pytest.mark.parametrize(
    "intervention",
    [
        {"type": "PROCEDURE", "name": "Punch biopsy", "description": "Lesional skin, 4 mm."},
        {"type": "PROCEDURE", "name": "Biopsy: lesional"},
    ],
    ids=["described", "name_with_colon"],
)
def test_isrctn_intervention_text_that_cannot_be_split_states_no_interventions(
    intervention: dict[str, str],
) -> None:
    # given a non-drug intervention whose ISRCTN text holds ": " (name and description, or the name)
    record = _record_with_interventions([intervention])

    # when the payloads are read back and compared
    collected = collect_facts(record, Stage.REGISTRATION, TARGETS)
    findings = check_consistency(record, Stage.REGISTRATION, TARGETS)

    # then ISRCTN's payload states no interventions (a guessed split would be a false warning)
    assert "interventions" not in collected["isrctn"][0]
    assert collected["who"][0]["interventions"] == (f"{intervention['name']} (Procedure/Surgery)",)
    assert findings == []


def test_interventions_told_differently_point_at_the_interventions() -> None:
    # given WHO's payload naming a type the others do not
    sources = {"interventions": "/protocolSection/armsInterventionsModule/interventions"}
    collected = {
        "ctgov": ({"interventions": ("Placebo (Drug)", "Trelanoxib (Drug)")}, sources),
        "isrctn": ({"interventions": ("Placebo (Drug)", "Trelanoxib (Drug)")}, sources),
        "who": ({"interventions": ("Placebo (Other)", "Trelanoxib (Drug)")}, sources),
    }

    # when they are compared
    findings = compare_facts(collected, Stage.REGISTRATION, complete_record())

    # then one warning names each registry's interventions
    assert _coded(findings) == [
        (
            Severity.WARNING,
            "consistency.interventions_differs",
            "/protocolSection/armsInterventionsModule/interventions",
        )
    ]
    assert findings[0].details == {
        "values": {
            "ctgov": "Placebo (Drug); Trelanoxib (Drug)",
            "isrctn": "Placebo (Drug); Trelanoxib (Drug)",
            "who": "Placebo (Other); Trelanoxib (Drug)",
        }
    }


def test_who_outcome_ending_in_a_bracket_without_time_frame_is_not_a_difference() -> None:
    # given a primary outcome whose measure ends in "]" and which has no time frame, so the ICTRP XML's
    # "measure [time frame]" text cannot tell them apart
    record = complete_record()
    outcome = record["protocolSection"]["outcomesModule"]["primaryOutcomes"][0]
    outcome["measure"] = "Number of Participants Achieving PASI 75 [Week 16]"
    del outcome["timeFrame"]

    # when the payloads are compared
    collected = collect_facts(record, Stage.RESULTS, TARGETS)
    findings = check_consistency(record, Stage.RESULTS, TARGETS)

    # then WHO's measure is read whole from the TRDS JSON, and no outcomes differ
    assert "Number of Participants Achieving PASI 75 [Week 16]" in collected["who"][0]["primary_outcomes"]
    assert findings == []


def test_ctis_joins_the_comparison_of_status_dates_sponsor_and_numbers() -> None:
    # given a record with the trial's results stage facts
    collected = collect_facts(complete_record(), Stage.RESULTS, TARGETS)

    # then the CTIS JSON's facts are read back alongside the others
    assert collected["ctis"][0] == {
        "status": "Complete",
        "start_date": "2023-03-13",
        "completion_date": "2024-06-18",
        "sponsor": "Norwell Biotherapeutics, Inc.",
        "id.eu_ct": {"2022-501234-18-00"},
        "id.nct": {"NCT05718264"},
        "id.isrctn": {"ISRCTN48213097"},
        "id.utn": {"U1111-1285-4410"},
    }


def test_eu_global_end_of_trial_told_differently_to_ctis_is_reported_there() -> None:
    # given a record whose EU-held global end of trial differs from the completion date the others state
    record = complete_record()
    record["euSection"]["globalEndOfTrialDateStruct"]["date"] = "2024-09-30"

    # when the results payloads are compared
    findings = check_consistency(record, Stage.RESULTS, TARGETS)

    # then the CTIS value is the odd one, at the field CTIS reads it from
    assert _coded(findings) == [
        (
            Severity.WARNING,
            "consistency.completion_date_differs",
            "/euSection/globalEndOfTrialDateStruct",
        )
    ]
    assert findings[0].details == {
        "values": {"ctgov": "2024-06-18", "ctis": "2024-09-30", "isrctn": "2024-06-18"}
    }


def test_ctis_status_told_differently_is_reported() -> None:
    collected = {
        "ctgov": ({"status": "Complete"}, {"status": "/protocolSection/statusModule/overallStatus"}),
        "ctis": ({"status": "Other"}, {"status": "/protocolSection/statusModule/overallStatus"}),
        "who": ({"status": "Complete"}, {"status": "/protocolSection/statusModule/overallStatus"}),
    }

    findings = compare_facts(collected, Stage.RESULTS, complete_record())

    assert [(f.code, f.pointer, f.details) for f in findings] == [
        (
            "consistency.status_differs",
            "/protocolSection/statusModule/overallStatus",
            {"values": {"ctgov": "Complete", "ctis": "Other", "who": "Complete"}},
        )
    ]


def test_utn_stated_only_among_secondary_ids_reaches_the_ctis_payload() -> None:
    record = complete_record()
    del record["whoSection"]["utn"]

    assert check_consistency(record, Stage.REGISTRATION, TARGETS) == []
