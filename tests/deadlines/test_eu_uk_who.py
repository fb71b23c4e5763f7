"""EU, UK, ICMJE and WHO rules: paediatric trials, member-state notices, the UK start date, publication."""

from __future__ import annotations

from datetime import date

from deadlines import evaluate
from deadlines.config import DeadlineConfig
from deadlines.enums import DeadlineStatus, Tracker
from tests.deadlines.factories import UK_ONLY, eu_section, filed, log, make_record, uk_section, verdict_of


def test_paediatric_trial_under_article_46_reports_results_in_6_months():
    record = make_record(eu=eu_section(end="2025-06-30", paediatric=True, article46=True))

    verdict = verdict_of("eu.ctr.results", record, "2025-07-01")

    assert (verdict.due_date, verdict.details["paediatric"]) == (date(2025, 12, 30), True)


def test_paediatric_trial_in_a_pip_reports_results_in_6_months():
    record = make_record(eu=eu_section(end="2025-06-30", paediatric=True, pipNumber="EMEA-000123-PIP01-10"))

    assert verdict_of("eu.ctr.results", record, "2025-07-01").due_date == date(2025, 12, 30)


def test_paediatric_trial_outside_article_46_and_without_pip_reports_in_6_months_too():
    record = make_record(eu=eu_section(end="2025-06-30", paediatric=True))

    verdict = verdict_of("eu.ctr.results", record, "2025-07-01")

    assert (verdict.due_date, verdict.details["paediatric_basis"]) == (date(2025, 12, 30), "paediatric")


def test_paediatric_window_is_configurable():
    record = make_record(eu=eu_section(end="2025-06-30", paediatric=True, article46=True))
    config = DeadlineConfig.from_overrides({"eu_paediatric_results_months": 12})

    verdicts = evaluate(record, today=date(2025, 7, 1), config=config)

    assert [v.due_date for v in verdicts if v.rule == "eu.ctr.results"] == [date(2026, 6, 30)]


def test_eu_trials_tracker_flags_results_after_one_year_and_28_days():
    verdict = verdict_of("eu.ctr.results", make_record(eu=eu_section(end="2025-06-30")), "2025-07-01")

    assert (verdict.tracker, verdict.tracker_flag_date) == (Tracker.EU_TRIALS_TRACKER, date(2026, 7, 29))


def test_phase_1_trial_without_pip_is_exempt_on_the_eu_trials_tracker_but_not_in_law():
    record = make_record(phases=("PHASE1",), eu=eu_section(end="2025-06-30"))

    verdict = verdict_of("eu.ctr.results", record, "2025-07-01")

    assert (verdict.applies, verdict.due_date, verdict.tracker, verdict.tracker_flag_date) == (
        True,
        date(2026, 6, 30),
        None,
        None,
    )


def test_member_state_notice_recorded_in_the_record_meets_the_duty():
    section = eu_section(end="2025-06-30", states=("DE",))
    section["memberStates"][0]["endOfTrialNotifiedDate"] = "2025-07-10"

    verdict = verdict_of(
        "eu.ctr.end_of_trial.member_state", make_record(eu=section), "2025-08-01", subject="DE"
    )

    assert (verdict.status, verdict.satisfied_by) == (
        DeadlineStatus.MET,
        {
            "source": "record",
            "pointer": "/euSection/memberStates/0/endOfTrialNotifiedDate",
            "date": "2025-07-10",
        },
    )


def test_member_state_notice_filed_for_another_state_does_not_count():
    submissions = log(filed("ctis", "end_of_trial", "2025-07-05", "member_state", member_state="FR"))

    verdict = verdict_of(
        "eu.ctr.end_of_trial.member_state",
        make_record(eu=eu_section(end="2025-06-30")),
        "2025-08-01",
        submissions,
        "DE",
    )

    assert (verdict.status, verdict.days_late) == (DeadlineStatus.OVERDUE, 17)


def test_member_state_without_end_date_cannot_be_computed():
    verdict = verdict_of(
        "eu.ctr.end_of_trial.member_state",
        make_record(eu=eu_section(end=None, status="RECRUITING")),
        "2025-08-01",
        subject="DE",
    )

    assert (verdict.status, [f.pointer for f in verdict.findings]) == (
        DeadlineStatus.CANNOT_COMPUTE,
        ["/euSection/memberStates/0/endOfTrialDateStruct"],
    )


def test_eu_rules_do_not_apply_without_member_states():
    verdict = verdict_of("eu.ctr.results", make_record(), "2025-08-01")

    assert (verdict.applies, verdict.status) == (False, DeadlineStatus.NOT_APPLICABLE)


def test_uk_rules_apply_to_an_application_made_on_28_april_2026():
    record = make_record(countries=UK_ONLY, uk=uk_section(application="2026-04-28", approval="2026-05-20"))

    registration = verdict_of("uk.registration", record, "2026-05-21")

    assert (registration.applies, registration.due_date) == (True, date(2026, 8, 18))


def test_uk_registration_duty_does_not_cover_an_application_of_27_april_2026_that_ended_before_28_april():
    record = make_record(
        countries=UK_ONLY, uk=uk_section(application="2026-04-27", approval="2026-04-27", end="2026-04-27")
    )

    registration = verdict_of("uk.registration", record, "2026-05-21")

    assert (registration.applies, registration.status) == (False, DeadlineStatus.NOT_APPLICABLE)


def test_uk_results_cover_an_earlier_application_whose_trial_ends_on_or_after_28_april_2026():
    record = make_record(
        countries=UK_ONLY, uk=uk_section(application="2025-01-10", approval="2025-03-01", end="2026-04-28")
    )

    verdict = verdict_of("uk.results", record, "2026-05-01")

    assert (verdict.applies, verdict.due_date) == (True, date(2027, 4, 28))


def test_uk_results_do_not_cover_an_earlier_application_whose_trial_ended_before_28_april_2026():
    record = make_record(
        countries=UK_ONLY, uk=uk_section(application="2025-01-10", approval="2025-03-01", end="2026-04-27")
    )

    verdict = verdict_of("uk.results", record, "2026-05-01")

    assert (verdict.applies, verdict.status) == (False, DeadlineStatus.NOT_APPLICABLE)


def test_uk_results_must_be_posted_in_every_registry_used():
    record = make_record(countries=UK_ONLY, uk=uk_section(end="2027-03-31"))
    submissions = log(
        filed("isrctn", "registration", "2026-06-10"),
        filed("ctgov", "registration", "2026-06-12"),
        filed("isrctn", "results", "2028-01-10"),
    )

    verdict = verdict_of("uk.results", record, "2028-02-01", submissions)

    assert (verdict.status, verdict.details["registries_without_results"]) == (
        DeadlineStatus.UPCOMING,
        ["ctgov"],
    )


def test_uk_deferral_moves_the_results_deadline():
    record = make_record(
        countries=UK_ONLY, uk=uk_section(end="2027-03-31", deferral={"granted": True, "until": "2029-01-31"})
    )

    assert verdict_of("uk.results", record, "2028-02-01").due_date == date(2029, 1, 31)


def test_uk_rules_need_to_know_whether_the_trial_is_a_ctimp():
    verdict = verdict_of(
        "uk.results", make_record(countries=UK_ONLY, uk=uk_section(is_ctimp=None)), "2028-02-01"
    )

    assert (verdict.status, [f.pointer for f in verdict.findings]) == (
        DeadlineStatus.CANNOT_COMPUTE,
        ["/ukSection/isCtimp"],
    )


def test_uk_lay_summary_offer_recorded_in_the_record_meets_the_duty():
    record = make_record(
        countries=UK_ONLY, uk=uk_section(end="2027-03-31", laySummaryOfferedDate="2027-09-01")
    )

    assert verdict_of("uk.lay_summary_offer", record, "2028-02-01").status == DeadlineStatus.MET


def test_uk_end_before_approval_is_a_contradiction():
    record = make_record(countries=UK_ONLY, uk=uk_section(approval="2026-06-01", end="2026-05-01"))

    verdict = verdict_of("uk.results", record, "2026-07-01")

    assert [f.code for f in verdict.findings] == ["deadline.contradictory_dates"]


def test_icmje_registration_after_first_enrolment_is_late():
    submissions = log(filed("isrctn", "registration", "2024-01-20"))

    verdict = verdict_of("icmje.registration", make_record(start="2024-01-15"), "2024-02-01", submissions)

    assert (verdict.status, verdict.days_late) == (DeadlineStatus.MET_LATE, 5)


def test_who_publication_is_met_by_a_published_journal_filing():
    submissions = log(filed("journal", "publication", "2026-11-01", "published"))

    verdict = verdict_of("who.publication", make_record(pcd="2025-03-10"), "2027-01-01", submissions)

    assert (verdict.status, verdict.days_late) == (DeadlineStatus.MET, 0)


def test_observational_study_is_outside_icmje_and_who_rules():
    record = make_record(study_type="OBSERVATIONAL")

    verdicts = [verdict_of(code, record, "2026-01-01") for code in ("icmje.registration", "who.results")]

    assert [v.status for v in verdicts] == [DeadlineStatus.NOT_APPLICABLE] * 2
