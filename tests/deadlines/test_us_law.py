"""US rules where 42 CFR 11 departs from the simple windows (issue 15): extension requests and grants,
IND trials, the certification paragraphs and the end of the verification duty."""

from __future__ import annotations

from datetime import date
from typing import Any

from deadlines.enums import DeadlineStatus
from tests.deadlines.around import around, unmet
from tests.deadlines.factories import filed, log, make_record, verdict_of


def test_pending_extension_request_leaves_the_standard_results_deadline():
    record = make_record(pcd="2025-03-10", delayed={"extensionRequestDate": "2026-02-01"})

    assert around("us.fdaaa.results", record, date(2026, 3, 10)) == unmet(date(2026, 3, 10))
    assert [f.code for f in verdict_of("us.fdaaa.results", record, "2026-03-10").findings] == [
        "deadline.extension_pending"
    ]


def test_extension_request_kept_in_a_1_0_certification_date_is_not_a_certification():
    record = make_record(
        pcd="2025-03-10",
        delayed={"certificationType": "EXTENSION_REQUEST", "certificationDate": "2026-02-01"},
    )

    assert around("us.fdaaa.results", record, date(2026, 3, 10)) == unmet(date(2026, 3, 10))


def test_granted_extension_moves_results_to_the_date_granted_without_a_certification():
    record = make_record(
        pcd="2025-03-10",
        delayed={
            "extensionRequestDate": "2026-02-01",
            "extensionGrantedDate": "2026-02-20",
            "extensionGrantedUntil": "2026-09-30",
        },
    )

    assert around("us.fdaaa.results", record, date(2026, 9, 30)) == unmet(date(2026, 9, 30))
    assert "granted on 2026-02-20 until 2026-09-30 (42 CFR 11.44(e))" in (
        verdict_of("us.fdaaa.results", record, "2026-09-30").why
    )


def test_extension_granted_after_today_does_not_move_the_deadline_yet():
    record = make_record(
        pcd="2025-03-10",
        delayed={
            "extensionRequestDate": "2026-02-01",
            "extensionGrantedDate": "2026-03-20",
            "extensionGrantedUntil": "2026-09-30",
        },
    )

    assert around("us.fdaaa.results", record, date(2026, 3, 10)) == unmet(date(2026, 3, 10))


def test_extension_requested_after_the_deadline_is_a_warning():
    record = make_record(pcd="2025-03-10", delayed={"extensionRequestDate": "2026-03-11"})

    verdict = verdict_of("us.fdaaa.results", record, "2026-03-12")

    assert [f.code for f in verdict.findings] == [
        "deadline.extension_pending",
        "deadline.late_extension_request",
    ]


def _ind_trial(**overrides: Any) -> dict[str, Any]:
    record = make_record(
        countries=("Germany", "United States"),
        start="2024-01-15",
        first_enrolment="2024-01-15",
        first_us_enrolment="2024-06-01",
        **overrides,
    )
    record["protocolSection"]["oversightModule"]["indIdeInfos"] = [{"type": "IND", "grantor": "CDER"}]
    return record


def test_trial_under_an_ind_registers_21_days_after_its_first_participant_anywhere():
    verdict = verdict_of("us.fdaaa.registration", _ind_trial(), "2024-02-05")

    assert around("us.fdaaa.registration", _ind_trial(), date(2024, 2, 5)) == unmet(date(2024, 2, 5))
    assert "42 CFR 11.22(b)" in verdict.why


def test_foreign_trial_without_ind_that_adds_a_us_site_counts_from_the_first_us_participant():
    record = make_record(
        countries=("Germany", "United States"),
        first_enrolment="2024-01-15",
        first_us_enrolment="2024-06-01",
    )

    assert around("us.fdaaa.registration", record, date(2024, 6, 22)) == unmet(date(2024, 6, 22))


def test_initial_approval_certification_is_cited_as_11_44_c():
    record = make_record(
        pcd="2025-03-10", delayed={"certificationType": "INITIAL_APPROVAL", "certificationDate": "2026-01-10"}
    )

    assert around("us.fdaaa.results", record, date(2028, 1, 10)) == unmet(date(2028, 1, 10))
    assert "(42 CFR 11.44(c))" in verdict_of("us.fdaaa.results", record, "2028-01-10").why


def test_new_use_certification_is_cited_as_11_44_b():
    record = make_record(
        pcd="2025-03-10", delayed={"certificationType": "NEW_USE", "certificationDate": "2026-01-10"}
    )

    assert around("us.fdaaa.results", record, date(2028, 1, 10)) == unmet(date(2028, 1, 10))
    assert "(42 CFR 11.44(b))" in verdict_of("us.fdaaa.results", record, "2028-01-10").why


def test_verification_recurs_until_results_are_submitted():
    record = make_record(pcd="2025-03-10", completion="2025-03-10", verified="2025-06-30")

    assert around("us.fdaaa.verification", record, date(2026, 6, 30)) == unmet(date(2026, 6, 30))


def test_verification_duty_ends_once_all_results_are_submitted():
    record = make_record(pcd="2025-03-10", completion="2025-03-10", verified="2025-06-30")
    submissions = log(filed("ctgov", "results", "2026-02-01"))

    verdicts = [
        verdict_of("us.fdaaa.verification", record, day, submissions)
        for day in ("2026-06-29", "2026-06-30", "2026-07-01")
    ]

    assert [(v.status, v.details) for v in verdicts] == [
        (DeadlineStatus.NOT_APPLICABLE, {"results_complete_on": "2026-02-01"})
    ] * 3


def test_results_filed_before_a_later_outcome_completes_do_not_end_verification():
    record = make_record(
        pcd="2025-03-10",
        completion="2025-09-30",
        verified="2025-06-30",
        outcomes={
            "primaryOutcomes": [{"measure": "Survival"}],
            "secondaryOutcomes": [{"measure": "Relapse", "dataCollectionCompletionDate": "2025-09-30"}],
        },
    )
    submissions = log(filed("ctgov", "results", "2025-08-01"))

    assert around("us.fdaaa.verification", record, date(2026, 8, 1), submissions) == unmet(date(2026, 8, 1))
