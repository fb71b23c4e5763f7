"""Every rule on the day before, the day of and the day after its deadline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from deadlines.enums import DeadlineStatus, RecordChange
from deadlines.submissions import Change, SubmissionLog
from tests.deadlines.factories import UK_ONLY, eu_section, filed, log, make_record, uk_section, verdict_of

_SECONDARY = {
    "primaryOutcomes": [{"measure": "Survival"}],
    "secondaryOutcomes": [{"measure": "Quality of life", "dataCollectionCompletionDate": "2025-09-30"}],
}

# (rule, record, submissions, subject, due date)
CASES: list[tuple[str, dict[str, Any], SubmissionLog, str, str]] = [
    ("us.fdaaa.registration", make_record(start="2024-01-15"), log(), "", "2024-02-05"),
    ("us.fdaaa.results", make_record(pcd="2025-03-10"), log(), "", "2026-03-10"),
    (
        "us.fdaaa.results",
        make_record(
            pcd="2025-03-10",
            delayed={"certificationType": "INITIAL_APPROVAL", "certificationDate": "2026-01-10"},
        ),
        log(),
        "",
        "2028-01-10",
    ),
    (
        "us.fdaaa.results",
        make_record(
            pcd="2025-03-10",
            delayed={
                "certificationType": "NEW_USE",
                "certificationDate": "2026-01-10",
                "approvalEventDate": "2026-05-01",
            },
        ),
        log(),
        "",
        "2026-05-31",
    ),
    (
        "us.fdaaa.secondary_results",
        make_record(pcd="2025-03-10", outcomes=_SECONDARY),
        log(),
        "/protocolSection/outcomesModule/secondaryOutcomes/0",
        "2026-09-30",
    ),
    (
        "us.fdaaa.adverse_events",
        make_record(pcd="2025-03-10", completion="2025-08-31"),
        log(),
        "",
        "2026-08-31",
    ),
    ("us.fdaaa.verification", make_record(verified="2025-04-15"), log(), "", "2026-04-15"),
    (
        "us.fdaaa.update",
        make_record(),
        log(changes=(Change(RecordChange.RECRUITMENT_STATUS, date(2026, 1, 5)),)),
        "recruitment_status@2026-01-05",
        "2026-02-04",
    ),
    (
        "us.fdaaa.update",
        make_record(),
        log(changes=(Change(RecordChange.DEVICE_APPROVAL_STATUS, date(2026, 1, 5)),)),
        "device_approval_status@2026-01-05",
        "2026-01-20",
    ),
    (
        "us.prs.correction",
        make_record(),
        log(filed("ctgov", "registration", "2024-01-10", filing_id="F1", returned_on=date(2024, 2, 1))),
        "F1@2024-02-01",
        "2024-02-16",
    ),
    (
        "us.prs.correction",
        make_record(),
        log(filed("ctgov", "results", "2026-01-10", filing_id="F2", returned_on=date(2026, 2, 1))),
        "F2@2026-02-01",
        "2026-02-26",
    ),
    (
        "eu.ctr.end_of_trial.member_state",
        make_record(eu=eu_section(end="2025-06-30")),
        log(),
        "DE",
        "2025-07-15",
    ),
    (
        "eu.ctr.end_of_trial.all_member_states",
        make_record(eu=eu_section(end="2025-06-30")),
        log(),
        "",
        "2025-07-15",
    ),
    (
        "eu.ctr.end_of_trial.global",
        make_record(eu=eu_section(end="2025-06-30", global_end="2025-09-01")),
        log(),
        "",
        "2025-09-16",
    ),
    ("eu.ctr.results", make_record(eu=eu_section(end="2025-06-30")), log(), "", "2026-06-30"),
    ("eu.ctr.lay_summary", make_record(eu=eu_section(end="2025-06-30")), log(), "", "2026-06-30"),
    (
        "eu.ctr.results",
        make_record(eu=eu_section(end="2025-06-30", paediatric=True, article46=True)),
        log(),
        "",
        "2025-12-30",
    ),
    (
        "eu.ctr.intermediate_analysis",
        make_record(
            eu=eu_section(intermediateAnalyses=[{"analysisDate": "2025-01-20", "description": "IA1"}])
        ),
        log(),
        "/euSection/intermediateAnalyses/0",
        "2026-01-20",
    ),
    (
        "eu.ctr.temporary_halt",
        make_record(
            eu=eu_section(end=None, states=("DE",), temporaryHaltsOf={"DE": [{"haltDate": "2025-03-01"}]})
        ),
        log(),
        "DE/halt0",
        "2025-03-16",
    ),
    (
        "eu.ctr.restart",
        make_record(
            eu=eu_section(
                end=None,
                states=("DE",),
                temporaryHaltsOf={"DE": [{"haltDate": "2025-03-01", "restartDate": "2025-05-01"}]},
            )
        ),
        log(),
        "DE/halt0",
        "2025-05-16",
    ),
    (
        "eu.ctr.clinical_study_report",
        make_record(
            eu=eu_section(marketingAuthorisation={"intended": True, "decisionDate": "2027-02-01"}),
        ),
        log(),
        "",
        "2027-03-03",
    ),
    (
        "eu.directive.end_of_trial",
        make_record(eu=eu_section(end="2025-06-30", eudractNumber="2019-001234-12")),
        log(),
        "DE",
        "2025-09-28",
    ),
    (
        "eu.directive.results",
        make_record(eu=eu_section(end="2025-06-30", eudractNumber="2019-001234-12")),
        log(),
        "",
        "2026-06-30",
    ),
    (
        "eu.directive.transition",
        make_record(eu=eu_section(end="2025-06-30", eudractNumber="2019-001234-12")),
        log(),
        "",
        "2025-01-30",
    ),
    (
        "uk.registration",
        make_record(countries=UK_ONLY, uk=uk_section(approval="2026-06-01")),
        log(),
        "",
        "2026-08-30",
    ),
    (
        "uk.registration",
        make_record(countries=UK_ONLY, start="2026-07-01", uk=uk_section(approval="2026-06-01")),
        log(),
        "",
        "2026-07-01",
    ),
    ("uk.results", make_record(countries=UK_ONLY, uk=uk_section(end="2027-03-31")), log(), "", "2028-03-31"),
    (
        "uk.lay_summary_offer",
        make_record(countries=UK_ONLY, uk=uk_section(end="2027-03-31")),
        log(),
        "",
        "2028-03-31",
    ),
    (
        "uk.end_of_trial_notification",
        make_record(countries=UK_ONLY, uk=uk_section(end="2027-03-31")),
        log(),
        "",
        "2027-06-29",
    ),
    ("icmje.registration", make_record(start="2024-01-15"), log(), "", "2024-01-15"),
    ("who.results", make_record(pcd="2025-03-10"), log(), "", "2026-03-10"),
    ("who.journal_submission", make_record(pcd="2025-03-10"), log(), "", "2026-03-10"),
    ("who.publication", make_record(pcd="2025-03-10"), log(), "", "2027-03-10"),
]

_IDS = [f"{code}:{subject or due}" for code, _, _, subject, due in CASES]


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(("code", "record", "submissions", "subject", "due"), CASES, ids=_IDS)
def test_rule_is_due_soon_the_day_before_its_deadline(code, record, submissions, subject, due):
    verdict = verdict_of(code, record, _shift(due, -1), submissions, subject)

    assert (verdict.status, verdict.due_date, verdict.days_late) == (
        DeadlineStatus.DUE_SOON,
        date.fromisoformat(due),
        None,
    )


@pytest.mark.parametrize(("code", "record", "submissions", "subject", "due"), CASES, ids=_IDS)
def test_rule_is_still_on_time_on_the_day_of_its_deadline(code, record, submissions, subject, due):
    verdict = verdict_of(code, record, due, submissions, subject)

    assert (verdict.status, verdict.due_date, verdict.days_late) == (
        DeadlineStatus.DUE_SOON,
        date.fromisoformat(due),
        None,
    )


@pytest.mark.parametrize(("code", "record", "submissions", "subject", "due"), CASES, ids=_IDS)
def test_rule_is_one_day_overdue_the_day_after_its_deadline(code, record, submissions, subject, due):
    verdict = verdict_of(code, record, _shift(due, 1), submissions, subject)

    assert (verdict.status, verdict.due_date, verdict.days_late, verdict.applies) == (
        DeadlineStatus.OVERDUE,
        date.fromisoformat(due),
        1,
        True,
    )


def test_every_rule_has_a_dated_scenario():
    from deadlines.rules import ALL_RULES

    covered = {code for code, *_ in CASES}

    assert covered == {r.code for r in ALL_RULES} - {"us.fdaaa.certification"}
