"""UK rules under the 2025 amendment regulations (SI 2025/538) and the HRA/MHRA guidance (issue 15):
international trials, deferrals, earlier applications, the end-of-trial notification, the UK first
participant and lapsed approvals."""

from __future__ import annotations

from datetime import date
from typing import Any

from deadlines.enums import DeadlineStatus
from tests.deadlines.around import around, unmet
from tests.deadlines.factories import UK_ONLY, eu_section, filed, log, make_record, uk_section, verdict_of

INTERNATIONAL = ("United Kingdom", "France")
GLOBAL_END = {"date": "2027-09-30", "type": "ACTUAL"}


def test_uk_rules_cite_the_2025_regulations():
    verdicts = [
        verdict_of(code, make_record(countries=UK_ONLY, uk=uk_section()), "2026-07-01")
        for code in ("uk.registration", "uk.results", "uk.lay_summary_offer", "uk.end_of_trial_notification")
    ]

    assert [("SI 2025/538" in v.source, "2024" in v.source) for v in verdicts] == [(True, False)] * 4


def test_international_trial_reports_12_months_after_the_end_in_all_countries():
    record = make_record(
        countries=INTERNATIONAL, uk=uk_section(end="2027-03-31", globalEndOfTrialDateStruct=GLOBAL_END)
    )

    assert around("uk.results", record, date(2028, 9, 30)) == unmet(date(2028, 9, 30))
    assert around("uk.lay_summary_offer", record, date(2028, 9, 30)) == unmet(date(2028, 9, 30))


def test_international_trial_uses_the_eu_global_end_when_the_uk_section_has_none():
    record = make_record(
        countries=INTERNATIONAL,
        uk=uk_section(end="2027-03-31"),
        eu=eu_section(end="2027-05-31", states=("FR",), global_end="2027-09-30"),
    )

    assert around("uk.results", record, date(2028, 9, 30)) == unmet(date(2028, 9, 30))


def test_international_trial_without_a_global_end_cannot_be_computed():
    verdict = verdict_of("uk.results", make_record(countries=INTERNATIONAL, uk=uk_section()), "2028-04-01")

    assert (verdict.status, [f.pointer for f in verdict.findings]) == (
        DeadlineStatus.CANNOT_COMPUTE,
        ["/ukSection/globalEndOfTrialDateStruct"],
    )


def test_granted_deferral_covers_registration():
    record = make_record(
        countries=UK_ONLY,
        start=None,
        uk=uk_section(approval="2026-06-01", deferral={"granted": True, "until": "2028-01-31"}),
    )

    assert around("uk.registration", record, date(2028, 1, 31)) == unmet(date(2028, 1, 31))


def _earlier_application(**extra: Any) -> dict[str, Any]:
    return make_record(
        countries=INTERNATIONAL,
        uk=uk_section(application="2025-01-10", approval="2025-03-01", end="2027-03-31", **extra),
        eu=eu_section(end="2027-03-31", states=("FR",)),
    )


def test_earlier_application_not_registered_by_28_april_2026_must_register_after_it():
    verdict = verdict_of("uk.registration", _earlier_application(), "2026-07-27")

    assert around("uk.registration", _earlier_application(), date(2026, 7, 27)) == unmet(date(2026, 7, 27))
    assert "(setting uk_transitional_registration_days = 90, the default)" in verdict.why


def test_earlier_application_registers_before_a_first_uk_participant_recruited_after_28_april_2026():
    record = _earlier_application(firstParticipantRecruitedDate="2026-06-01")

    assert around("uk.registration", record, date(2026, 6, 1)) == unmet(date(2026, 6, 1))


def test_earlier_application_registered_by_28_april_2026_has_met_the_duty():
    submissions = log(filed("isrctn", "registration", "2026-04-20"))

    verdict = verdict_of("uk.registration", _earlier_application(), "2026-07-28", submissions)

    assert (verdict.applies, verdict.status) == (True, DeadlineStatus.MET)


def test_end_of_trial_notification_is_due_90_days_after_the_end():
    record = make_record(countries=UK_ONLY, uk=uk_section(end="2027-03-31"))

    assert around("uk.end_of_trial_notification", record, date(2027, 6, 29)) == unmet(date(2027, 6, 29))


def test_end_of_trial_notification_after_early_termination_is_due_in_15_days():
    record = make_record(countries=UK_ONLY, uk=uk_section(end="2027-03-31", earlyTermination=True))

    assert around("uk.end_of_trial_notification", record, date(2027, 4, 15)) == unmet(date(2027, 4, 15))


def test_end_of_trial_notification_of_an_international_trial_counts_from_the_global_end():
    record = make_record(
        countries=INTERNATIONAL,
        uk=uk_section(
            end="2027-03-31", globalEndOfTrialDateStruct=GLOBAL_END, endOfTrialNotifiedDate="2027-10-15"
        ),
    )

    verdict = verdict_of("uk.end_of_trial_notification", record, "2028-01-01")

    assert (verdict.status, verdict.due_date) == (DeadlineStatus.MET, date(2027, 12, 29))


def test_registration_is_due_before_the_first_uk_participant():
    record = make_record(
        countries=INTERNATIONAL,
        first_enrolment="2026-06-10",
        uk=uk_section(approval="2026-06-01", firstParticipantRecruitedDate="2026-07-01"),
    )

    assert around("uk.registration", record, date(2026, 7, 1)) == unmet(date(2026, 7, 1))


def test_first_participant_abroad_does_not_bring_the_uk_registration_forward():
    record = make_record(
        countries=INTERNATIONAL, first_enrolment="2026-06-10", uk=uk_section(approval="2026-06-01")
    )

    assert around("uk.registration", record, date(2026, 8, 30)) == unmet(date(2026, 8, 30))


def test_lapsed_approval_without_a_uk_participant_expects_no_results_summary():
    record = make_record(
        countries=UK_ONLY,
        start=None,
        uk=uk_section(approval="2026-06-01", end="2028-06-01", approvalLapsedDate="2028-06-01"),
    )

    verdicts = [
        verdict_of(code, record, day)
        for code in ("uk.results", "uk.lay_summary_offer")
        for day in ("2029-05-31", "2029-06-01", "2029-06-02")
    ]

    assert {(v.applies, v.status) for v in verdicts} == {(False, DeadlineStatus.NOT_APPLICABLE)}


def test_lapsed_approval_after_a_uk_participant_still_needs_the_summary():
    record = make_record(
        countries=UK_ONLY,
        uk=uk_section(
            approval="2026-06-01",
            end="2028-06-01",
            approvalLapsedDate="2028-06-01",
            firstParticipantRecruitedDate="2026-09-01",
        ),
    )

    assert around("uk.results", record, date(2029, 6, 1)) == unmet(date(2029, 6, 1))
