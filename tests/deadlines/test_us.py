"""US rules: ACT determination, partial dates, certifications, filings, a trial that gains a US site."""

from __future__ import annotations

from datetime import date

from deadlines.enums import DeadlineStatus, Jurisdiction, Tracker
from deadlines.facts import extract
from deadlines.rules.us import determine_act
from deadlines.verdict import Verdict
from registries.enums import Severity, Stage
from registries.findings import Finding
from tests.deadlines.factories import filed, log, make_record, verdict_of

PCD = "/protocolSection/statusModule/primaryCompletionDateStruct"


def test_results_filed_on_time_is_met_and_names_the_filing():
    record = make_record(pcd="2025-03-10")
    submissions = log(filed("ctgov", "results", "2026-03-01", filing_id="F-7"))

    verdict = verdict_of("us.fdaaa.results", record, "2026-06-01", submissions)

    assert verdict == Verdict(
        rule="us.fdaaa.results",
        title="Report results on ClinicalTrials.gov",
        jurisdiction=Jurisdiction.US,
        source="42 U.S.C. 282(j)(3)(E); 42 CFR 11.44(a), (b) (new use), (c) (initial approval), "
        "(e) (extension)",
        rule_version="2017-01-18",
        subject="",
        applies=True,
        why="Results are due 1 year after the primary completion date (2025-03-10).",
        status=DeadlineStatus.MET,
        due_date=date(2026, 3, 10),
        tracker=Tracker.FDAAA_TRIALSTRACKER,
        tracker_flag_date=date(2026, 4, 10),
        days_late=0,
        satisfied_by={
            "source": "submission",
            "filing_id": "F-7",
            "registry": "ctgov",
            "stage": "results",
            "kind": "initial",
            "submitted_on": "2026-03-01",
        },
        defaulted_dates=(),
        findings=(),
        details={
            "act": "ACT",
            "standard_due_date": "2026-03-10",
            "tracker_results_due": True,
            "tracker_due_date": "2026-03-10",
            "tracker_status": "reported",
            "tracker_days_late": None,
            "differs_from_tracker": False,
        },
    )


def test_results_filed_after_the_deadline_are_met_late_by_the_days_between():
    submissions = log(filed("ctgov", "results", "2026-03-15"))

    verdict = verdict_of("us.fdaaa.results", make_record(pcd="2025-03-10"), "2026-06-01", submissions)

    assert (verdict.status, verdict.days_late, verdict.details["tracker_status"]) == (
        DeadlineStatus.MET_LATE,
        5,
        "reported-late",
    )


def test_filing_dated_after_today_has_not_happened_yet():
    submissions = log(filed("ctgov", "results", "2026-03-15"))

    verdict = verdict_of("us.fdaaa.results", make_record(pcd="2025-03-10"), "2026-03-12", submissions)

    assert (verdict.status, verdict.days_late, verdict.satisfied_by) == (DeadlineStatus.OVERDUE, 2, None)


def test_cancelled_results_submission_satisfies_nothing_and_the_tracker_says_overdue_cancelled():
    submissions = log(filed("ctgov", "results", "2026-02-01", cancelled=True))

    verdict = verdict_of("us.fdaaa.results", make_record(pcd="2025-03-10"), "2026-06-01", submissions)

    assert (verdict.status, verdict.details["tracker_status"]) == (
        DeadlineStatus.OVERDUE,
        "overdue-cancelled",
    )


def test_results_first_submit_date_in_the_record_counts_as_reporting():
    record = make_record(pcd="2025-03-10", status_extra={"resultsFirstSubmitDate": "2026-02-20"})

    verdict = verdict_of("us.fdaaa.results", record, "2026-06-01")

    assert (verdict.status, verdict.satisfied_by) == (
        DeadlineStatus.MET,
        {
            "source": "record",
            "pointer": "/protocolSection/statusModule/resultsFirstSubmitDate",
            "date": "2026-02-20",
        },
    )


def test_anticipated_primary_completion_date_counts_and_is_reported():
    record = make_record(pcd="2027-05-01", pcd_type="ESTIMATED")

    verdict = verdict_of("us.fdaaa.results", record, "2026-06-01")

    assert (verdict.status, verdict.due_date, verdict.details["anticipated_dates"]) == (
        DeadlineStatus.UPCOMING,
        date(2028, 5, 1),
        [PCD + "/date"],
    )


def test_month_only_completion_date_means_the_last_day_and_is_flagged_as_defaulted():
    verdict = verdict_of("us.fdaaa.results", make_record(pcd="2025-02"), "2025-06-01")

    assert (verdict.due_date, verdict.defaulted_dates) == (date(2026, 2, 28), (PCD + "/date",))


def test_year_only_completion_date_means_31_december_and_is_flagged_as_defaulted():
    verdict = verdict_of("us.fdaaa.results", make_record(pcd="2025"), "2025-06-01")

    assert (verdict.due_date, verdict.defaulted_dates) == (date(2026, 12, 31), (PCD + "/date",))


def test_one_year_after_29_february_is_28_february():
    verdict = verdict_of("us.fdaaa.results", make_record(start="2023-01-10", pcd="2024-02-29"), "2024-06-01")

    assert verdict.due_date == date(2025, 2, 28)


def test_certification_filed_on_the_standard_deadline_defers_results_two_years():
    record = make_record(
        pcd="2025-03-10", delayed={"certificationType": "INITIAL_APPROVAL", "certificationDate": "2026-03-10"}
    )

    results = verdict_of("us.fdaaa.results", record, "2026-06-01")
    certification = verdict_of("us.fdaaa.certification", record, "2026-06-01")

    assert (results.status, results.due_date, certification.status) == (
        DeadlineStatus.UPCOMING,
        date(2028, 3, 10),
        DeadlineStatus.MET,
    )


def test_certification_filed_too_late_does_not_defer_results_and_is_a_finding():
    record = make_record(
        pcd="2025-03-10", delayed={"certificationType": "INITIAL_APPROVAL", "certificationDate": "2026-03-11"}
    )

    results = verdict_of("us.fdaaa.results", record, "2026-06-01")
    certification = verdict_of("us.fdaaa.certification", record, "2026-06-01")

    assert (results.status, results.due_date, results.days_late) == (
        DeadlineStatus.OVERDUE,
        date(2026, 3, 10),
        83,
    )
    assert (certification.status, certification.days_late) == (DeadlineStatus.MET_LATE, 1)
    assert [f.code for f in results.findings] == ["deadline.late_certification"]
    assert certification.findings[0] == Finding(
        severity=Severity.ERROR,
        code="deadline.late_certification",
        pointer="/resultsSection/delayedResultsModule/certificationDate",
        message="The delayed-results certification was filed on 2026-03-11, after the results deadline of "
        "2026-03-10: it does not defer the deadline (42 CFR 11.44(b)-(c)); the FDAAA TrialsTracker flags it "
        "as a late certificate.",
        registry="ctgov",
        stage=Stage.RESULTS,
        source="42 CFR 11.44(b), (c), (e)",
        details={"rule": "us.fdaaa.certification"},
    )


def test_late_certificate_still_shields_the_trial_on_the_tracker_for_three_years():
    record = make_record(pcd="2025-03-10", delayed={"certificationDate": "2026-04-01"})

    verdict = verdict_of("us.fdaaa.results", record, "2026-06-01")

    assert (verdict.tracker_flag_date, verdict.details["tracker_status"]) == (date(2028, 4, 10), "ongoing")


def test_granted_extension_moves_the_results_deadline():
    record = make_record(
        pcd="2025-03-10",
        delayed={
            "certificationType": "EXTENSION_REQUEST",
            "certificationDate": "2026-02-01",
            "extensionGrantedUntil": "2026-09-30",
        },
    )

    assert verdict_of("us.fdaaa.results", record, "2026-06-01").due_date == date(2026, 9, 30)


def test_certification_rule_does_not_apply_without_a_certification():
    verdict = verdict_of("us.fdaaa.certification", make_record(), "2026-06-01")

    assert (verdict.applies, verdict.status) == (False, DeadlineStatus.NOT_APPLICABLE)


def test_phase_1_trial_is_not_an_applicable_clinical_trial():
    verdict = verdict_of("us.fdaaa.results", make_record(phases=("PHASE1",)), "2026-06-01")

    assert (verdict.applies, verdict.status, verdict.why) == (
        False,
        DeadlineStatus.NOT_APPLICABLE,
        "Not an applicable clinical trial: phase PHASE1 is outside phases 1/2, 2, 2/3, 3, 4 and N/A "
        "(phase 1 trials are exempt).",
    )


def test_foreign_pre_2017_trial_becomes_a_probable_act_when_it_gains_a_us_site():
    foreign = make_record(
        start="2016-05-01", pcd="2018-01-31", fda_drug=None, fda_device=None, countries=("Germany",)
    )
    with_us_site = make_record(
        start="2016-05-01",
        pcd="2018-01-31",
        fda_drug=None,
        fda_device=None,
        countries=("Germany", "Puerto Rico"),
    )

    assert determine_act(extract(foreign)).category is None
    assert determine_act(extract(with_us_site)).category == "pACT"


def test_registration_of_a_foreign_trial_that_adds_a_us_site_counts_from_the_first_us_enrolment():
    record = make_record(
        start="2024-01-15", first_us_enrolment="2025-02-01", countries=("Germany", "United States")
    )

    verdict = verdict_of("us.fdaaa.registration", record, "2025-02-10")

    assert (verdict.due_date, verdict.status) == (date(2025, 2, 22), DeadlineStatus.DUE_SOON)
    assert "first participant enrolled at a US site" in verdict.why


def test_registration_counts_from_first_consent_not_from_the_start_date():
    record = make_record(start="2024-01-02", first_enrolment="2024-01-20")

    assert verdict_of("us.fdaaa.registration", record, "2024-01-25").due_date == date(2024, 2, 10)


def test_missing_primary_completion_date_cannot_be_computed_and_says_which_rule_and_field():
    record = make_record(pcd=None, completion=None)

    verdict = verdict_of("us.fdaaa.results", record, "2026-06-01")

    assert (verdict.status, verdict.due_date, verdict.applies) == (DeadlineStatus.CANNOT_COMPUTE, None, True)
    assert [(f.code, f.pointer, f.details["rule"]) for f in verdict.findings] == [
        ("deadline.missing_date", PCD, "us.fdaaa.results")
    ]


def test_study_completion_date_stands_in_for_a_missing_primary_completion_date_with_a_warning():
    verdict = verdict_of("us.fdaaa.results", make_record(pcd=None, completion="2025-04-30"), "2026-06-01")

    assert (verdict.due_date, [f.code for f in verdict.findings]) == (
        date(2026, 4, 30),
        ["deadline.fallback_date"],
    )


def test_completion_before_start_is_a_contradiction_not_a_date():
    verdict = verdict_of("us.fdaaa.results", make_record(start="2025-06-01", pcd="2025-03-10"), "2026-06-01")

    assert (verdict.status, verdict.due_date) == (DeadlineStatus.CANNOT_COMPUTE, None)
    assert [(f.code, f.pointer) for f in verdict.findings] == [
        ("deadline.contradictory_dates", PCD + "/date")
    ]


def test_unreadable_date_is_reported_on_the_verdict_it_blocks():
    verdict = verdict_of("us.fdaaa.results", make_record(pcd="2025-13-01"), "2026-06-01")

    assert verdict.status == DeadlineStatus.CANNOT_COMPUTE
    assert [f.code for f in verdict.findings] == ["deadline.missing_date", "deadline.invalid_date"]


def test_secondary_outcome_completed_later_is_met_only_by_results_filed_after_it():
    outcomes = {
        "primaryOutcomes": [{"measure": "Survival"}],
        "secondaryOutcomes": [{"measure": "QoL", "dataCollectionCompletionDate": "2026-06-30"}],
    }
    submissions = log(
        filed("ctgov", "results", "2026-03-01"), filed("ctgov", "results", "2027-07-15", "update")
    )

    verdict = verdict_of(
        "us.fdaaa.secondary_results",
        make_record(pcd="2025-03-10", outcomes=outcomes),
        "2027-08-01",
        submissions,
        "/protocolSection/outcomesModule/secondaryOutcomes/0",
    )

    assert (verdict.status, verdict.days_late, verdict.satisfied_by["submitted_on"]) == (  # type: ignore[index]
        DeadlineStatus.MET_LATE,
        15,
        "2027-07-15",
    )


def test_actual_primary_completion_date_starts_a_30_day_update_window():
    verdict = verdict_of(
        "us.fdaaa.update",
        make_record(pcd="2025-03-10"),
        "2025-03-20",
        subject="primary_completion_date@2025-03-10",
    )

    assert (verdict.due_date, verdict.status) == (date(2025, 4, 9), DeadlineStatus.DUE_SOON)


def test_verification_is_renewed_by_each_filing_to_clinicaltrials_gov():
    submissions = log(filed("ctgov", "registration", "2025-09-01", "update"))

    verdict = verdict_of("us.fdaaa.verification", make_record(verified="2025-04"), "2026-05-15", submissions)

    assert (verdict.due_date, verdict.status) == (date(2026, 9, 1), DeadlineStatus.UPCOMING)
