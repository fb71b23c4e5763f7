"""Layer 3: PRS validation messages, NLM Major Comment categories and the 2017-01-18 switch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from registries.checks import check_record as check_all
from registries.ctgov.checks import check_record
from registries.ctgov.checks.dates import final_rule_severity
from registries.enums import Severity, Stage
from registries.importers import import_record
from tests.conftest import shared_sample_paths
from tests.registries.ctgov.records import DELETE, at, interventional_with_results, observational_registration

ERROR, WARNING = Severity.ERROR, Severity.WARNING
REG, RES = Stage.REGISTRATION, Stage.RESULTS
PRIMARY = "/protocolSection/outcomesModule/primaryOutcomes/0"
SECONDARY = "/protocolSection/outcomesModule/secondaryOutcomes/0"
STATUS = "/protocolSection/statusModule"
MEASURE0 = "/resultsSection/outcomeMeasuresModule/outcomeMeasures/0"
MEASURE1 = "/resultsSection/outcomeMeasuresModule/outcomeMeasures/1"
BASELINE0 = "/resultsSection/baselineCharacteristicsModule/measures/0"
AE = "/resultsSection/adverseEventsModule"


def summary(findings: list[Any]) -> list[tuple[Severity, str, str]]:
    return [(f.severity, f.code, f.pointer) for f in findings]


def together(record: dict[str, Any], stage: Stage) -> list[tuple[Severity, str, str]]:
    """The generic and the ClinicalTrials.gov findings as a submission sees them (notes left out)."""
    return [t for t in summary(check_all(record, stage, registry="ctgov")) if t[0] is not Severity.NOTE]


def before_final_rule(record: dict[str, Any]) -> dict[str, Any]:
    """Move the study before 42 CFR Part 11: start 2014, primary completion 2016."""
    at(record, f"{STATUS}/startDateStruct/date", "2014-01-10")
    at(record, f"{STATUS}/primaryCompletionDateStruct/date", "2016-06-30")
    return record


@pytest.mark.parametrize(
    ("written", "severity"),
    [
        ("2017-01-18", ERROR),
        ("2017-01-17", WARNING),
        ("2017-01", ERROR),  # a month that contains the effective date counts as on/after
        ("2016-12", WARNING),
        ("2016", WARNING),
        ("", ERROR),  # no date yet: a new record
    ],
)
def test_final_rule_switch_by_primary_completion_date(written: str, severity: Severity) -> None:
    record = at(interventional_with_results(), f"{STATUS}/primaryCompletionDateStruct/date", written)
    assert final_rule_severity(record) is severity


REGISTRATION_CASES = [
    (f"{PRIMARY}/measure", "Safety", WARNING, "ctgov.outcome.nonspecific_title"),
    (f"{PRIMARY}/measure", "Safety and Tolerability", WARNING, "ctgov.outcome.nonspecific_title"),
    (f"{PRIMARY}/timeFrame", "12", ERROR, "ctgov.outcome.time_frame_numeral_only"),
    (f"{SECONDARY}/timeFrame", DELETE, ERROR, "ctgov.outcome.time_frame_missing"),
    (
        "/protocolSection/eligibilityModule/eligibilityCriteria",
        " ",
        ERROR,
        "ctgov.eligibility.criteria_missing",
    ),
    (
        "/protocolSection/eligibilityModule/minimumAge",
        "80 Years",
        ERROR,
        "ctgov.eligibility.age_range_inverted",
    ),
    (
        "/protocolSection/descriptionModule/briefSummary",
        "You will be paid $50.",
        WARNING,
        "ctgov.qc.payment_information",
    ),
]


@pytest.mark.parametrize(("pointer", "value", "severity", "code"), REGISTRATION_CASES)
def test_registration_message(pointer: str, value: Any, severity: Severity, code: str) -> None:
    # given one field changed in a clean record
    record = at(interventional_with_results(), pointer, value)
    # when checked for registration, then exactly that message
    assert summary(check_record(record, REG)) == [(severity, code, pointer)]


def test_specific_outcome_title_passes() -> None:
    record = at(
        interventional_with_results(), f"{PRIMARY}/measure", "Safety Events Leading to Discontinuation"
    )
    assert check_record(record, REG) == []


def test_numeral_time_frame_is_only_a_warning_before_2017_01_18() -> None:
    record = before_final_rule(at(interventional_with_results(), f"{PRIMARY}/timeFrame", "12"))
    assert summary(check_record(record, REG)) == [
        (WARNING, "ctgov.outcome.time_frame_numeral_only", f"{PRIMARY}/timeFrame")
    ]


def test_study_without_primary_outcome_is_an_error() -> None:
    record = at(interventional_with_results(), "/protocolSection/outcomesModule/primaryOutcomes", [])
    assert summary(check_record(record, REG)) == [
        (ERROR, "ctgov.outcome.primary_missing", "/protocolSection/outcomesModule/primaryOutcomes")
    ]


def test_primary_completion_before_start_is_one_error() -> None:
    # 42 CFR 11.10(a); PRS record validation: one code for dates out of order, the generic rule's
    record = at(interventional_with_results(), f"{STATUS}/primaryCompletionDateStruct/date", "2020-12")
    assert together(record, REG) == [
        (ERROR, "rule.dates_out_of_order", f"{STATUS}/primaryCompletionDateStruct/date")
    ]


def test_actual_date_in_the_future_is_one_error() -> None:
    # PRS record validation: an actual date has happened; the generic rule reports it once
    pointer = f"{STATUS}/completionDateStruct/date"
    record = at(interventional_with_results(), pointer, "2999-01-01")
    assert together(record, REG) == [(ERROR, "rule.actual_date_in_future", pointer)]


def test_closed_study_with_estimated_enrollment_is_one_error() -> None:
    # PRS data element definitions: a completed study's enrolment is actual. Without results it is the
    # ClinicalTrials.gov finding; with results, the generic rule rule.results_enrollment_not_actual's.
    pointer = "/protocolSection/designModule/enrollmentInfo/type"
    record = at(interventional_with_results(), pointer, "ESTIMATED")
    assert together(record, RES) == [(ERROR, "rule.results_enrollment_not_actual", pointer)]
    del record["resultsSection"]
    assert together(record, REG) == [(WARNING, "ctgov.status.closed_with_estimated_enrollment", pointer)]


def test_passed_estimated_date_is_a_warning() -> None:
    record = observational_registration()
    at(record, f"{STATUS}/overallStatus", "NOT_YET_RECRUITING")
    at(record, f"{STATUS}/startDateStruct", {"date": "2020-01", "type": "ESTIMATED"})
    assert summary(check_record(record, REG)) == [
        (WARNING, "ctgov.status.estimated_date_past", f"{STATUS}/startDateStruct/type")
    ]


def test_completed_study_with_estimated_primary_completion_is_one_error() -> None:
    # PRS record validation: a completed study has actual dates (the generic rule, once)
    record = at(interventional_with_results(), f"{STATUS}/primaryCompletionDateStruct/type", "ESTIMATED")
    assert together(record, RES) == [
        (ERROR, "rule.completed_date_not_actual", f"{STATUS}/primaryCompletionDateStruct/type"),
    ]


@pytest.mark.parametrize(
    ("labels", "code", "pointer_suffix"),
    [
        ([], "ctgov.arms.intervention_unlinked", "armGroupLabels"),
        (["Placebo arm"], "rule.unknown_arm_group", "armGroupLabels/0"),
    ],
)
def test_intervention_must_name_a_registered_arm(labels: list[str], code: str, pointer_suffix: str) -> None:
    # PRS record validation: intervention arm group labels (one finding, whichever layer states it)
    base = "/protocolSection/armsInterventionsModule/interventions/1"
    record = at(interventional_with_results(), f"{base}/armGroupLabels", labels)
    assert together(record, REG) == [(ERROR, code, f"{base}/{pointer_suffix}")]


RESULTS_CASES = [
    (f"{MEASURE0}/unitOfMeasure", "NA", "ctgov.measure.unit_placeholder"),
    (f"{MEASURE0}/unitOfMeasure", "100", "ctgov.measure.unit_numeral_only"),
    (f"{MEASURE1}/unitOfMeasure", "patients", "ctgov.measure.unit_participants_required"),
    (f"{MEASURE0}/timeFrame", "8", "ctgov.outcome.time_frame_numeral_only"),
    (f"{AE}/timeFrame", "12", "ctgov.outcome.time_frame_numeral_only"),
    (f"{MEASURE0}/dispersionType", "Not Applicable", "ctgov.measure.dispersion_missing"),
    (f"{BASELINE0}/dispersionType", DELETE, "ctgov.measure.dispersion_missing"),
]


@pytest.mark.parametrize(("pointer", "value", "code"), RESULTS_CASES)
def test_results_message_is_an_error_from_2017_01_18(pointer: str, value: Any, code: str) -> None:
    record = at(interventional_with_results(), pointer, value)
    assert summary(check_record(record, RES)) == [(ERROR, code, pointer)]


@pytest.mark.parametrize(("pointer", "value", "code"), RESULTS_CASES)
def test_results_message_is_a_warning_before_2017_01_18(pointer: str, value: Any, code: str) -> None:
    record = before_final_rule(at(interventional_with_results(), pointer, value))
    assert summary(check_record(record, RES)) == [(WARNING, code, pointer)]


def test_percentage_title_needs_a_percent_unit() -> None:
    record = interventional_with_results()
    measures = record["resultsSection"]["baselineCharacteristicsModule"]["measures"]
    measures.append(
        {"title": "Percentage of Smokers", "paramType": "NUMBER", "unitOfMeasure": "participants"}
    )
    assert summary(check_record(record, RES)) == [
        (ERROR, "ctgov.measure.unit_percent_required", f"{BASELINE0[:-1]}3/unitOfMeasure")
    ]
    measures[3]["unitOfMeasure"] = "percentage of participants"
    assert check_record(record, RES) == []


def test_count_of_participants_titled_as_a_percentage_stays_in_participants() -> None:
    # PRS shows a Count of Participants with its percentage (published NCT04544683, results 2024)
    record = interventional_with_results()
    at(record, f"{MEASURE1}/title", "Percentage of Participants With Healed Oesophagitis")
    at(
        record,
        "/protocolSection/outcomesModule/secondaryOutcomes/0/measure",
        "Percentage of Participants With Healed Oesophagitis",
    )
    assert check_record(record, RES) == []


def test_zero_analysed_needs_a_population_description() -> None:
    pointer = f"{MEASURE0}/denoms/0/counts/1/value"
    record = at(interventional_with_results(), pointer, "0")
    assert summary(check_record(record, RES)) == [(ERROR, "ctgov.outcome.zero_analyzed_unexplained", pointer)]
    at(record, f"{MEASURE0}/populationDescription", "No placebo participant returned a diary.")
    assert check_record(record, RES) == []


def test_zero_at_risk_needs_an_explanation() -> None:
    pointer = f"{AE}/eventGroups/1/seriousNumAtRisk"
    record = at(at(interventional_with_results(), pointer, 0), f"{AE}/description", DELETE)
    assert summary(check_record(record, RES)) == [(ERROR, "ctgov.ae.zero_at_risk_unexplained", pointer)]
    at(record, f"{AE}/description", "Serious events were not collected in the placebo arm.")
    assert check_record(record, RES) == []


def test_missing_protocol_and_sap_are_errors_from_2017_01_18() -> None:
    record = at(interventional_with_results(), "/documentSection", DELETE)
    assert summary(check_record(record, RES)) == [
        (ERROR, "ctgov.documents.protocol_missing", "/documentSection/largeDocumentModule/largeDocs"),
        (ERROR, "ctgov.documents.sap_missing", "/documentSection/largeDocumentModule/noSap"),
    ]
    assert check_record(before_final_rule(record), RES) == []


def test_no_sap_declaration_replaces_the_sap() -> None:
    record = at(
        interventional_with_results(),
        "/documentSection/largeDocumentModule",
        {"noSap": True, "largeDocs": [{"typeAbbrev": "Prot", "hasProtocol": True, "hasSap": False}]},
    )
    assert check_record(record, RES) == []
    at(record, "/documentSection/largeDocumentModule/noSap", False)
    assert summary(check_record(record, RES)) == [
        (ERROR, "ctgov.documents.sap_missing", "/documentSection/largeDocumentModule/noSap")
    ]


def test_results_in_free_text_is_a_major_comment_warning() -> None:
    pointer = f"{MEASURE0}/description"
    record = at(interventional_with_results(), pointer, "Acmeprazole was better (p = 0.01).")
    findings = check_record(record, RES)
    assert summary(findings) == [(WARNING, "ctgov.qc.results_in_free_text", pointer)]
    assert findings[0].source == "NLM Major Comments: results data or conclusions in free-text fields"


def test_results_messages_do_not_run_at_registration() -> None:
    record = at(interventional_with_results(), f"{MEASURE0}/unitOfMeasure", "NA")
    assert check_record(record, REG) == []


# --- Real posted records ---------------------------------------------------------------------------

SAMPLES = shared_sample_paths("ctgov-v2-*.json")

# Real records passed PRS, so registration must yield no errors. NCT06171568 (not yet recruiting) still
# carries estimated dates that have since passed, which PRS flags as a warning until the record is updated.
EXPECTED_REGISTRATION = {
    "ctgov-v2-NCT00763412.json": [],
    "ctgov-v2-NCT03418623.json": [],
    # NCT05594173 and NCT06171568: observational studies published without groups/cohorts (a warning)
    "ctgov-v2-NCT05594173.json": [
        (WARNING, "ctgov.required.missing", "/protocolSection/armsInterventionsModule/armGroups")
    ],
    "ctgov-v2-NCT06171568.json": [
        (WARNING, "ctgov.required.missing", "/protocolSection/armsInterventionsModule/armGroups"),
        (WARNING, "ctgov.status.estimated_date_past", f"{STATUS}/startDateStruct/type"),
        (WARNING, "ctgov.status.estimated_date_past", f"{STATUS}/primaryCompletionDateStruct/type"),
        (WARNING, "ctgov.status.estimated_date_past", f"{STATUS}/completionDateStruct/type"),
    ],
}
# NCT05594173 started 20 and analysed 17 at baseline without a population description.
EXPECTED_RESULTS = {
    "ctgov-v2-NCT00763412.json": [],
    "ctgov-v2-NCT05594173.json": [
        (WARNING, "ctgov.required.missing", "/protocolSection/armsInterventionsModule/armGroups"),
        (
            WARNING,
            "ctgov.flow.started_vs_baseline",
            "/resultsSection/baselineCharacteristicsModule/denoms/0/counts/0/value",
        ),
    ],
}


def test_all_four_api_v2_samples_are_present(registry_specs: Path) -> None:
    assert sorted(path.name for path in SAMPLES) == sorted(EXPECTED_REGISTRATION)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_real_posted_record_has_no_registration_errors(registry_specs: Path, sample: Path) -> None:
    record = import_record("ctgov-v2", sample.read_bytes()).record
    assert summary(check_record(record, REG)) == EXPECTED_REGISTRATION[sample.name]


@pytest.mark.parametrize(
    "sample", [path for path in SAMPLES if path.name in EXPECTED_RESULTS], ids=lambda path: path.name
)
def test_real_posted_results_have_no_errors(registry_specs: Path, sample: Path) -> None:
    record = import_record("ctgov-v2", sample.read_bytes()).record
    assert summary(check_record(record, RES)) == EXPECTED_RESULTS[sample.name]
