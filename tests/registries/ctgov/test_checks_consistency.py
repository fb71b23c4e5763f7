"""Layer 4: consistency across the results and with the registered outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from registries.checks import check_record as check_all
from registries.ctgov.checks import check_record
from registries.ctgov.checks.consistency import check_consistency
from registries.enums import Severity, Stage
from tests.registries.ctgov.records import at, interventional_with_results, observational_registration

ERROR, WARNING = Severity.ERROR, Severity.WARNING
RES = Stage.RESULTS
FLOW = "/resultsSection/participantFlowModule"
BASELINE = "/resultsSection/baselineCharacteristicsModule"
MEASURES = "/resultsSection/outcomeMeasuresModule/outcomeMeasures"
AE = "/resultsSection/adverseEventsModule"


def summary(findings: list[Any]) -> list[tuple[Severity, str, str]]:
    return [(f.severity, f.code, f.pointer) for f in findings]


def test_clean_results_are_consistent() -> None:
    assert check_consistency(interventional_with_results(), RES) == []


def test_record_without_results_has_nothing_to_cross_check() -> None:
    assert check_consistency(observational_registration(), RES) == []


@pytest.mark.parametrize(
    "pointer",
    [
        f"{FLOW}/periods/0/milestones/1/achievements/1/groupId",
        f"{FLOW}/periods/0/dropWithdraws/0/reasons/0/groupId",
        f"{BASELINE}/measures/0/classes/0/categories/0/measurements/2/groupId",
        f"{MEASURES}/0/classes/0/categories/0/measurements/0/groupId",
        f"{MEASURES}/0/analyses/0/groupIds/1",
        f"{AE}/otherEvents/0/stats/1/groupId",
    ],
)
def test_group_reference_must_resolve_in_its_module(pointer: str) -> None:
    # given a reference to a group its module does not declare (PRS results XML: IDREF must match an ID)
    record = at(interventional_with_results(), pointer, "XG999")
    # then the generic rule reports it once, and the ClinicalTrials.gov checks do not repeat it
    assert summary(check_record(record, RES)) == []
    assert [t for t in summary(check_all(record, RES, "ctgov")) if t[0] is ERROR] == [
        (ERROR, "rule.unknown_results_group", pointer)
    ]


def test_outcome_groups_are_scoped_to_their_measure() -> None:
    # given an outcome measure that names a group only another measure declares
    record = interventional_with_results()
    record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][1]["groups"] = [
        {"id": "OG000", "title": "Acmeprazole"}
    ]
    # then each reference to the missing group is reported, once
    assert [t for t in summary(check_all(record, RES, "ctgov")) if t[0] is ERROR] == [
        (ERROR, "rule.unknown_results_group", f"{MEASURES}/1/denoms/0/counts/1/groupId"),
        (ERROR, "rule.unknown_results_group", f"{MEASURES}/1/classes/0/categories/0/measurements/1/groupId"),
    ]


def test_milestone_cannot_count_more_than_started() -> None:
    pointer = f"{FLOW}/periods/0/milestones/1/achievements/0/numSubjects"
    record = at(interventional_with_results(), pointer, "51")
    assert summary(check_consistency(record, RES)) == [(ERROR, "ctgov.flow.milestone_grows", pointer)]


def test_next_period_cannot_start_more_than_completed() -> None:
    record = interventional_with_results()
    record["resultsSection"]["participantFlowModule"]["periods"].append(
        {
            "title": "Extension",
            "milestones": [
                {
                    "type": "STARTED",
                    "achievements": [
                        {"groupId": "FG000", "numSubjects": "49"},
                        {"groupId": "FG001", "numSubjects": "47"},
                    ],
                }
            ],
        }
    )
    assert summary(check_consistency(record, RES)) == [
        (ERROR, "ctgov.flow.milestone_grows", f"{FLOW}/periods/1/milestones/0/achievements/0/numSubjects")
    ]
    record["resultsSection"]["participantFlowModule"]["periods"][1]["milestones"][0]["achievements"][0][
        "numSubjects"
    ] = "48"
    assert check_consistency(record, RES) == []


def test_started_must_match_overall_baseline_unless_explained() -> None:
    pointer = f"{BASELINE}/denoms/0/counts/2/value"
    record = at(interventional_with_results(), pointer, "99")
    assert summary(check_consistency(record, RES)) == [(WARNING, "ctgov.flow.started_vs_baseline", pointer)]
    at(record, f"{BASELINE}/populationDescription", "One randomised participant withdrew before dosing.")
    assert check_consistency(record, RES) == []


def test_analysed_count_cannot_exceed_the_arm() -> None:
    pointer = f"{MEASURES}/0/denoms/0/counts/0/value"
    record = at(interventional_with_results(), pointer, "55")
    assert summary(check_consistency(record, RES)) == [
        (WARNING, "ctgov.outcome.analyzed_exceeds_group", pointer)
    ]


@pytest.mark.parametrize(
    ("pointer", "value", "code"),
    [
        (f"{AE}/eventGroups/0/seriousNumAffected", 51, "ctgov.ae.affected_exceeds_at_risk"),
        (f"{AE}/eventGroups/1/deathsNumAffected", 60, "ctgov.ae.affected_exceeds_at_risk"),
        (f"{AE}/otherEvents/0/stats/0/numAffected", 51, "ctgov.ae.affected_exceeds_at_risk"),
        (f"{AE}/otherEvents/0/stats/0/numAffected", 7, "ctgov.ae.event_exceeds_group_total"),
    ],
)
def test_adverse_events_affected_cannot_exceed_at_risk(pointer: str, value: int, code: str) -> None:
    record = at(interventional_with_results(), pointer, value)
    assert summary(check_consistency(record, RES)) == [(ERROR, code, pointer)]


def test_serious_event_is_not_also_reported_as_other() -> None:
    record = interventional_with_results()
    record["resultsSection"]["adverseEventsModule"]["otherEvents"].append(
        {
            "term": "pancreatitis",
            "organSystem": "Gastrointestinal disorders",
            "stats": [{"groupId": "EG000", "numEvents": 1, "numAffected": 1, "numAtRisk": 50}],
        }
    )
    findings = check_consistency(record, RES)
    assert summary(findings) == [(WARNING, "ctgov.ae.serious_also_other", f"{AE}/otherEvents/1/term")]
    assert "serious adverse events not reported separately" in findings[0].source


def test_reported_outcome_must_be_registered() -> None:
    record = at(interventional_with_results(), f"{MEASURES}/1/title", "Healing Rate")
    # then one warning, on the reported title: as many secondary outcomes are reported as registered
    assert summary(check_record(record, RES)) == [
        (WARNING, "ctgov.outcome.not_registered", f"{MEASURES}/1/title"),
    ]


def test_reported_outcome_type_must_match_registration() -> None:
    record = at(interventional_with_results(), f"{MEASURES}/1/type", "PRIMARY")
    # then the misfiled measure is not a registered primary outcome, and the registered secondary
    # outcome has no results (42 CFR 11.48(a)(3): an error for a primary completion in 2022)
    assert summary(check_record(record, RES)) == [
        (
            ERROR,
            "ctgov.outcome.registered_not_reported",
            "/protocolSection/outcomesModule/secondaryOutcomes/0/measure",
        ),
        (WARNING, "ctgov.outcome.not_registered", f"{MEASURES}/1/title"),
    ]


def test_titles_match_ignoring_case_spacing_and_trailing_full_stop() -> None:
    record = at(interventional_with_results(), f"{MEASURES}/0/title", "heartburn-free  days.")
    assert check_consistency(record, RES) == []


def test_post_hoc_outcomes_need_no_registration() -> None:
    record = interventional_with_results()
    extra = dict(record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0])
    extra.update(type="POST_HOC", title="Nocturnal Heartburn Days")
    record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"].append(extra)
    assert check_consistency(record, RES) == []


def test_counts_that_are_not_numbers_are_skipped_not_raised() -> None:
    record = at(
        interventional_with_results(), f"{FLOW}/periods/0/milestones/0/achievements/0/numSubjects", "NA"
    )
    at(record, f"{AE}/eventGroups/0/otherNumAtRisk", "many")
    assert check_consistency(record, RES) == []
