"""One test per CTIS check: a change to the complete record, the stage, and the exact finding
(severity, code, pointer) it must produce, with no other CTIS finding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from registries.ctis.checks import check_record
from registries.enums import Severity, Stage
from tests.registries.ctis.fixtures import complete_trial

Record = dict[str, Any]
E, W = Severity.ERROR, Severity.WARNING
EU = "/euSection"


def _eu(record: Record) -> dict[str, Any]:
    section: dict[str, Any] = record["euSection"]
    return section


def _set(path: str, value: Any) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        node: Any = record
        *parents, last = path.strip("/").split("/")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value

    return change


def _drop(path: str) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        node: Any = record
        *parents, last = path.strip("/").split("/")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return change


def _duplicate_member_state(record: Record) -> None:
    _eu(record)["memberStates"].append(dict(_eu(record)["memberStates"][0]))


def _interim_without_analyses(record: Record) -> None:
    _eu(record)["resultsAnalysisStage"] = "INTERIM"


def _analysis_without_date(record: Record) -> None:
    _eu(record)["intermediateAnalyses"] = [{"description": "Week 8 futility analysis"}]


def _paediatric_late_plan(record: Record) -> None:
    _eu(record)["paediatric"] = True
    _eu(record)["ageGroupBreakdown"] = {"adolescents": 12, "adults": 359, "from65To84Years": 41}
    _eu(record)["lateResultsJustification"] = {
        "reason": "Long-term follow-up",
        "plannedSubmissionDate": "2025-01-19",
    }


def _replace_poland_by_switzerland(record: Record) -> None:
    _eu(record)["memberStates"][1]["country"] = "CH"
    for location in record["protocolSection"]["contactsLocationsModule"]["locations"]:
        if location["country"] == "Poland":
            location["country"] = "Switzerland"


def _children_admitted(record: Record) -> None:
    record["protocolSection"]["eligibilityModule"]["stdAges"] = ["CHILD", "ADULT"]


CASES: list[tuple[str, Callable[[Record], None], Stage, tuple[Severity, str, str]]] = [
    (
        "eu_ct_number_format",
        _set("/euSection/euCtNumber", "2022-501234-18"),
        Stage.REGISTRATION,
        (E, "ctis.eu_ct_number_format", f"{EU}/euCtNumber"),
    ),
    (
        "eu_ct_number_year",
        _set("/euSection/euCtNumber", "2019-501234-18-00"),
        Stage.REGISTRATION,
        (E, "ctis.eu_ct_number_year", f"{EU}/euCtNumber"),
    ),
    (
        "eu_ct_number_missing",
        _drop("/euSection/euCtNumber"),
        Stage.LAY_SUMMARY,
        (E, "ctis.eu_ct_number_missing", f"{EU}/euCtNumber"),
    ),
    (
        "lay_summary_missing",
        _drop("/laySummaries"),
        Stage.LAY_SUMMARY,
        (E, "ctis.lay_summary_missing", "/laySummaries"),
    ),
    (
        "member_state_duplicate",
        _duplicate_member_state,
        Stage.REGISTRATION,
        (E, "ctis.member_state_duplicate", f"{EU}/memberStates/2/country"),
    ),
    (
        "member_state_not_eea",
        _replace_poland_by_switzerland,
        Stage.REGISTRATION,
        (E, "ctis.member_state_not_eea", f"{EU}/memberStates/1/country"),
    ),
    (
        "site_country_not_concerned",
        _set("/protocolSection/contactsLocationsModule/locations/6/country", "France"),
        Stage.REGISTRATION,
        (
            E,
            "ctis.site_country_not_concerned",
            "/protocolSection/contactsLocationsModule/locations/6/country",
        ),
    ),
    (
        "participants_by_country_missing",
        _drop("/euSection/participantsByCountry"),
        Stage.RESULTS,
        (E, "ctis.participants_by_country_missing", f"{EU}/participantsByCountry"),
    ),
    (
        "participants_member_state_missing",
        _set("/euSection/participantsByCountry/1/country", "CZ"),
        Stage.RESULTS,
        (E, "ctis.participants_member_state_missing", f"{EU}/memberStates/1/country"),
    ),
    (
        "participants_total_mismatch",
        _set("/euSection/participantsByCountry/2/count", 190),
        Stage.RESULTS,
        (E, "ctis.participants_total_mismatch", f"{EU}/participantsByCountry"),
    ),
    (
        "age_breakdown_missing",
        _drop("/euSection/ageGroupBreakdown"),
        Stage.RESULTS,
        (E, "ctis.age_breakdown_missing", f"{EU}/ageGroupBreakdown"),
    ),
    (
        "age_breakdown_total_mismatch",
        _set("/euSection/ageGroupBreakdown/adults", 370),
        Stage.RESULTS,
        (E, "ctis.age_breakdown_total_mismatch", f"{EU}/ageGroupBreakdown"),
    ),
    (
        "paediatric_flag_contradicts_ages",
        _set("/euSection/ageGroupBreakdown", {"adolescents": 3, "adults": 368, "from65To84Years": 41}),
        Stage.RESULTS,
        (E, "ctis.paediatric_flag_contradicts_ages", f"{EU}/paediatric"),
    ),
    (
        "paediatric_flag_contradicts_eligibility",
        _children_admitted,
        Stage.REGISTRATION,
        (W, "ctis.paediatric_flag_contradicts_eligibility", f"{EU}/paediatric"),
    ),
    (
        "paediatric_flag_missing",
        _drop("/euSection/paediatric"),
        Stage.RESULTS,
        (E, "ctis.paediatric_flag_missing", f"{EU}/paediatric"),
    ),
    (
        "paediatric_results_after_6_months",
        _paediatric_late_plan,
        Stage.RESULTS,
        (W, "ctis.paediatric_results_after_6_months", f"{EU}/lateResultsJustification/plannedSubmissionDate"),
    ),
    (
        "baseline_age_missing",
        _set("/resultsSection/baselineCharacteristicsModule/measures/0/title", "Weight"),
        Stage.RESULTS,
        (E, "ctis.baseline_age_missing", "/resultsSection/baselineCharacteristicsModule/measures"),
    ),
    (
        "baseline_sex_missing",
        _set("/resultsSection/baselineCharacteristicsModule/measures/1/title", "Gender identity"),
        Stage.RESULTS,
        (E, "ctis.baseline_sex_missing", "/resultsSection/baselineCharacteristicsModule/measures"),
    ),
    (
        "end_of_trial_member_state_missing",
        _drop("/euSection/memberStates/1/endOfTrialDateStruct"),
        Stage.RESULTS,
        (E, "ctis.end_of_trial_member_state_missing", f"{EU}/memberStates/1/endOfTrialDateStruct"),
    ),
    (
        "end_of_trial_eu_missing",
        _drop("/euSection/endOfTrialInAllMemberStatesDateStruct"),
        Stage.RESULTS,
        (E, "ctis.end_of_trial_eu_missing", f"{EU}/endOfTrialInAllMemberStatesDateStruct"),
    ),
    (
        "end_of_trial_global_missing",
        _drop("/euSection/globalEndOfTrialDateStruct"),
        Stage.RESULTS,
        (E, "ctis.end_of_trial_global_missing", f"{EU}/globalEndOfTrialDateStruct"),
    ),
    (
        "end_of_trial_eu_not_last",
        _set("/euSection/memberStates/1/endOfTrialDateStruct/date", "2024-06-25"),
        Stage.RESULTS,
        (E, "ctis.end_of_trial_eu_not_last", f"{EU}/endOfTrialInAllMemberStatesDateStruct/date"),
    ),
    (
        "end_of_trial_not_actual",
        _set("/euSection/globalEndOfTrialDateStruct/type", "ESTIMATED"),
        Stage.RESULTS,
        (E, "ctis.end_of_trial_not_actual", f"{EU}/globalEndOfTrialDateStruct/type"),
    ),
    (
        "end_of_trial_notified_late",
        _set("/euSection/memberStates/1/endOfTrialNotifiedDate", "2024-06-20"),
        Stage.RESULTS,
        (W, "ctis.end_of_trial_notified_late", f"{EU}/memberStates/1/endOfTrialNotifiedDate"),
    ),
    (
        "analysis_stage_missing",
        _drop("/euSection/resultsAnalysisStage"),
        Stage.RESULTS,
        (E, "ctis.analysis_stage_missing", f"{EU}/resultsAnalysisStage"),
    ),
    (
        "intermediate_analysis_missing",
        _interim_without_analyses,
        Stage.RESULTS,
        (E, "ctis.intermediate_analysis_missing", f"{EU}/intermediateAnalyses"),
    ),
    (
        "intermediate_analysis_date_missing",
        _analysis_without_date,
        Stage.RESULTS,
        (E, "ctis.intermediate_analysis_date_missing", f"{EU}/intermediateAnalyses/0/analysisDate"),
    ),
]


def _summary(record: Record, stage: Stage) -> list[tuple[Severity, str, str]]:
    return [(f.severity, f.code, f.pointer) for f in check_record(record, stage)]


@pytest.mark.parametrize("stage", [Stage.REGISTRATION, Stage.RESULTS, Stage.LAY_SUMMARY], ids=str)
def test_complete_record_has_no_ctis_finding(stage: Stage) -> None:
    assert _summary(complete_trial(), stage) == []


@pytest.mark.parametrize(("change", "stage", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_check_reports_its_code_at_its_pointer(
    change: Callable[[Record], None], stage: Stage, expected: tuple[Severity, str, str]
) -> None:
    # given the complete record with one thing wrong
    record = complete_trial()
    change(record)

    # when CTIS checks it, then exactly that finding comes back
    assert _summary(record, stage) == [expected]
