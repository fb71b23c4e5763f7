"""The generic named rules: each with a breaking record and a record that keeps it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.rules import RULES, parse_partial_date, run_rules
from tests.registries import records

TODAY = dt.date(2025, 6, 1)


def _findings(record: dict[str, Any], code: str) -> list[Finding]:
    return [f for f in run_rules(record, Stage.REGISTRATION, today=TODAY) if f.code == code]


def test_rule_codes_are_unique_and_every_rule_has_a_source() -> None:
    codes = [r.code for r in RULES]

    assert len(codes) == len(set(codes))
    assert all(r.code.startswith("rule.") and r.source for r in RULES)


@pytest.mark.parametrize(
    "build",
    [
        records.registration_record,
        records.protocol_summary_record,
        records.results_record,
        records.lay_summary_record,
        records.complete_record,
    ],
)
def test_consistent_records_break_no_rule(build: Any) -> None:
    assert run_rules(build(), today=TODAY) == []


def test_parse_partial_date_reads_the_three_precisions() -> None:
    assert [parse_partial_date(v) for v in ("2024", "2024-03", "2024-03-09", "2024-3", 2024)] == [
        (2024,),
        (2024, 3),
        (2024, 3, 9),
        None,
        None,
    ]


def test_primary_completion_before_start_is_an_error() -> None:
    record = records.registration_record()
    record["protocolSection"]["statusModule"]["primaryCompletionDateStruct"]["date"] = "2023-02"

    findings = _findings(record, "rule.dates_out_of_order")

    assert findings == [
        Finding(
            Severity.ERROR,
            "rule.dates_out_of_order",
            "/protocolSection/statusModule/primaryCompletionDateStruct/date",
            "protocolSection.statusModule.primaryCompletionDateStruct.date '2023-02' is before "
            "protocolSection.statusModule.startDateStruct.date '2023-03-01'.",
            "record",
            Stage.REGISTRATION,
            "42 CFR 11.10(a) (study start, primary completion, study completion)",
        )
    ]


def test_completion_before_primary_completion_is_an_error() -> None:
    record = records.registration_record()
    record["protocolSection"]["statusModule"]["completionDateStruct"]["date"] = "2024-05"

    findings = _findings(record, "rule.dates_out_of_order")

    assert [f.pointer for f in findings] == ["/protocolSection/statusModule/completionDateStruct/date"]


def test_dates_of_different_precision_in_the_same_month_are_in_order() -> None:
    record = records.registration_record()
    status = record["protocolSection"]["statusModule"]
    status["startDateStruct"]["date"] = "2023-03-15"
    status["primaryCompletionDateStruct"]["date"] = "2023-03"
    status["completionDateStruct"]["date"] = "2023"

    assert _findings(record, "rule.dates_out_of_order") == []


def test_actual_date_in_the_future_is_an_error() -> None:
    record = records.registration_record()
    record["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "2025-07", "type": "ACTUAL"}
    record["protocolSection"]["statusModule"]["primaryCompletionDateStruct"]["date"] = "2025-08"
    record["protocolSection"]["statusModule"]["completionDateStruct"]["date"] = "2025-09"

    findings = _findings(record, "rule.actual_date_in_future")

    assert [(f.pointer, f.message) for f in findings] == [
        (
            "/protocolSection/statusModule/startDateStruct/date",
            "protocolSection.statusModule.startDateStruct.date '2025-07' is in the future (today is "
            "2025-06-01) but its type is ACTUAL; use ESTIMATED for an anticipated date.",
        )
    ]


def test_actual_date_earlier_in_the_current_month_is_not_in_the_future() -> None:
    record = records.registration_record()
    record["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "2025-06", "type": "ACTUAL"}

    assert _findings(record, "rule.actual_date_in_future") == []


def test_actual_dates_in_extension_sections_are_checked_too() -> None:
    record = records.registration_record()
    record["euSection"] = {"globalEndOfTrialDateStruct": {"date": "2030-01-01", "type": "ACTUAL"}}

    findings = _findings(record, "rule.actual_date_in_future")

    assert [f.pointer for f in findings] == ["/euSection/globalEndOfTrialDateStruct/date"]


def test_completed_study_with_estimated_completion_is_an_error() -> None:
    record = records.registration_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"

    findings = _findings(record, "rule.completed_date_not_actual")

    assert [f.pointer for f in findings] == [
        "/protocolSection/statusModule/primaryCompletionDateStruct/type",
        "/protocolSection/statusModule/completionDateStruct/type",
    ]


def test_results_for_a_study_still_recruiting_are_a_warning() -> None:
    record = records.results_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "ACTIVE_NOT_RECRUITING"

    findings = _findings(record, "rule.results_status_not_final")

    assert [(f.severity, f.pointer) for f in findings] == [
        (Severity.WARNING, "/protocolSection/statusModule/overallStatus")
    ]


def test_results_for_a_withdrawn_study_are_an_error() -> None:
    record = records.results_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "WITHDRAWN"

    findings = _findings(record, "rule.results_status_not_final")

    assert [(f.severity, f.message) for f in findings] == [
        (
            Severity.ERROR,
            "The record has results but protocolSection.statusModule.overallStatus is WITHDRAWN: "
            "nobody was enrolled.",
        )
    ]


def test_results_need_actual_enrollment() -> None:
    record = records.results_record()
    record["protocolSection"]["designModule"]["enrollmentInfo"]["type"] = "ESTIMATED"

    findings = _findings(record, "rule.results_enrollment_not_actual")

    assert [(f.severity, f.pointer) for f in findings] == [
        (Severity.ERROR, "/protocolSection/designModule/enrollmentInfo/type")
    ]


def test_estimated_enrollment_without_results_is_fine() -> None:
    record = records.registration_record()

    assert record["protocolSection"]["designModule"]["enrollmentInfo"]["type"] == "ESTIMATED"
    assert _findings(record, "rule.results_enrollment_not_actual") == []


def test_results_need_actual_primary_completion() -> None:
    record = records.results_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    record["protocolSection"]["statusModule"]["primaryCompletionDateStruct"]["type"] = "ESTIMATED"

    findings = _findings(record, "rule.results_primary_completion_not_actual")

    assert [f.pointer for f in findings] == ["/protocolSection/statusModule/primaryCompletionDateStruct/type"]


def test_intervention_naming_an_unknown_arm_is_an_error() -> None:
    record = records.registration_record()
    record["protocolSection"]["armsInterventionsModule"]["interventions"][1]["armGroupLabels"] = [
        "Placebo arm"
    ]

    findings = _findings(record, "rule.unknown_arm_group")

    assert [(f.pointer, f.message) for f in findings] == [
        (
            "/protocolSection/armsInterventionsModule/interventions/1/armGroupLabels/0",
            "protocolSection.armsInterventionsModule.interventions[1].armGroupLabels[0] 'Placebo arm' is not "
            "the label of any arm group.",
        )
    ]


def test_arm_naming_an_unknown_intervention_is_an_error() -> None:
    record = records.registration_record()
    record["protocolSection"]["armsInterventionsModule"]["armGroups"][0]["interventionNames"] = [
        "Drug: Drug X",
        "Device: Inhaler",
    ]

    findings = _findings(record, "rule.unknown_intervention")

    assert [f.pointer for f in findings] == [
        "/protocolSection/armsInterventionsModule/armGroups/0/interventionNames/1"
    ]


def test_results_statistic_for_an_undeclared_group_is_an_error() -> None:
    record = records.results_record()
    results = record["resultsSection"]
    results["outcomeMeasuresModule"]["outcomeMeasures"][0]["classes"][0]["categories"][0]["measurements"][1][
        "groupId"
    ] = "OG002"
    results["participantFlowModule"]["periods"][0]["milestones"][0]["achievements"][0]["groupId"] = "BG000"

    findings = _findings(record, "rule.unknown_results_group")

    assert [(f.pointer, f.message) for f in findings] == [
        (
            "/resultsSection/participantFlowModule/periods/0/milestones/0/achievements/0/groupId",
            "resultsSection.participantFlowModule.periods[0].milestones[0].achievements[0].groupId "
            "'BG000' is not a group declared in resultsSection.participantFlowModule.",
        ),
        (
            "/resultsSection/outcomeMeasuresModule/outcomeMeasures/0/classes/0/categories/0/measurements/1/groupId",
            "resultsSection.outcomeMeasuresModule.outcomeMeasures[0].classes[0].categories[0].measurements[1]"
            ".groupId 'OG002' is not a group declared in "
            "resultsSection.outcomeMeasuresModule.outcomeMeasures[0].",
        ),
    ]


def test_blank_lay_summary_section_is_an_error() -> None:
    record = records.lay_summary_record()
    record["laySummaries"][0]["sections"]["overallResults"] = "  \n "

    findings = _findings(record, "rule.lay_summary_section_blank")

    assert [(f.pointer, f.message) for f in findings] == [
        ("/laySummaries/0/sections/overallResults", "laySummaries[0].sections.overallResults is blank.")
    ]


def test_rules_read_a_malformed_record_without_raising() -> None:
    record: dict[str, Any] = {
        "protocolSection": {"statusModule": ["COMPLETED"], "armsInterventionsModule": {"interventions": "x"}},
        "resultsSection": {"participantFlowModule": {"groups": 3, "periods": [{"milestones": None}]}},
        "laySummaries": {"sections": "x"},
    }

    findings = run_rules(record, today=TODAY)

    assert {f.code for f in findings} <= {r.code for r in RULES}


def test_rules_default_to_the_real_today() -> None:
    record = records.registration_record()
    record["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "2999-01", "type": "ACTUAL"}
    record["protocolSection"]["statusModule"]["primaryCompletionDateStruct"]["date"] = "2999-02"
    record["protocolSection"]["statusModule"]["completionDateStruct"]["date"] = "2999-03"

    assert [f.code for f in run_rules(record)] == ["rule.actual_date_in_future"]


def test_a_control_character_in_any_text_is_an_error_naming_the_field_and_position() -> None:
    # given a record whose brief summary holds a vertical tab pasted from a word processor
    record = records.registration_record()
    record["protocolSection"]["descriptionModule"]["briefSummary"] = "First line\x0bsecond line"

    # when the rules run
    findings = _findings(record, "rule.text_not_xml_safe")

    # then one error points at the field, names the character and where it is
    assert findings == [
        Finding(
            Severity.ERROR,
            "rule.text_not_xml_safe",
            "/protocolSection/descriptionModule/briefSummary",
            "protocolSection.descriptionModule.briefSummary contains the control character U+000B at "
            "position 11, which registry XML cannot carry; delete it (it usually comes from pasted text).",
            "record",
            Stage.REGISTRATION,
            "XML 1.0 section 2.2 (characters); every registry payload is XML",
        )
    ]


def test_tabs_and_line_breaks_are_ordinary_text() -> None:
    record = records.registration_record()
    record["protocolSection"]["descriptionModule"]["briefSummary"] = "Col A\tCol B\r\nNext line"

    assert _findings(record, "rule.text_not_xml_safe") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a\x00b", True),
        ("a\x08b", True),  # written by the JSON encoder as the short escape \b
        ("a\x0cb", True),  # \f
        ("a\x1fb", True),
        ("a\ud800b", True),
        ("a\ufffeb", True),
        ("a\uffffb", True),
        ("a\x7fb é \U0001f600", False),
        ("a\\b and C:\\files\\u0001", False),  # backslashes that only look like escapes
    ],
    ids=repr,
)
def test_every_character_xml_cannot_carry_is_found_and_look_alikes_are_not(text: str, found: bool) -> None:
    record = records.registration_record()
    record["protocolSection"]["descriptionModule"]["briefSummary"] = text

    pointers = [f.pointer for f in _findings(record, "rule.text_not_xml_safe")]

    assert pointers == (["/protocolSection/descriptionModule/briefSummary"] if found else [])


def test_rules_skip_references_of_the_wrong_type_instead_of_failing() -> None:
    # given references that are lists where strings belong (the record schema reports those)
    record = records.results_record()
    record["resultsSection"]["participantFlowModule"]["periods"][0]["milestones"][0]["achievements"][0][
        "groupId"
    ] = ["FG000"]
    record["protocolSection"]["statusModule"]["overallStatus"] = ["COMPLETED"]

    # when the rules run, then they answer without an exception and say nothing about those fields
    findings = run_rules(record, Stage.RESULTS, today=TODAY)
    assert [
        f for f in findings if "achievements/0/groupId" in f.pointer or f.pointer.endswith("Status")
    ] == []
