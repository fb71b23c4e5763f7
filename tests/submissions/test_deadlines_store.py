"""Storing the engine's verdicts for a trial, keeping their history, and auditing status changes."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from deadlines import evaluate
from submissions import domain
from submissions.domain import DeadlineChange
from submissions.enums import AuditEventType, RecomputeReason, Role
from submissions.errors import DomainError
from submissions.models import AuditEvent, Deadline, DeadlineHistory
from tests.submissions import factories

TODAY = date(2026, 11, 21)


@pytest.fixture
def fixture_trial(org, people, complete_record):
    return factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="FIX-1")


@pytest.fixture
def unreported_trial(org, people, complete_record):
    """A trial without results on ClinicalTrials.gov: its record must still be verified every year."""
    return factories.make_trial(org, people[Role.AUTHOR], factories.unreported(complete_record), "FIX-2")


def _by_key(items):
    return sorted(items, key=lambda item: (item["rule"], item["subject"]))


def _audit(trial):
    return list(
        AuditEvent.objects.filter(trial=trial, event_type=AuditEventType.DEADLINES_RECOMPUTED)
        .order_by("pk")
        .values_list("data", flat=True)
    )


def test_recompute_stores_every_verdict_of_the_engine(fixture_trial, complete_record):
    # given a trial whose only record version is the complete record, and nothing filed
    expected = evaluate(complete_record, today=TODAY)
    # when its deadlines are computed for the first time
    result = domain.recompute_deadlines(fixture_trial, reason=RecomputeReason.DAILY, today=TODAY)
    # then every verdict is stored as the engine gave it, each is new and has one history row
    stored = [deadline.as_verdict_dict() for deadline in Deadline.objects.filter(trial=fixture_trial)]
    assert _by_key(stored) == _by_key([verdict.as_dict() for verdict in expected])
    assert result.changes == tuple(DeadlineChange(v.rule, v.subject, None, v.status.value) for v in expected)
    assert (result.current, result.computed_on, DeadlineHistory.objects.count()) == (
        len(expected),
        TODAY,
        len(expected),
    )
    assert set(Deadline.objects.values_list("computed_on", flat=True)) == {TODAY}


def test_first_computation_writes_one_audit_event_naming_each_status(fixture_trial):
    result = domain.recompute_deadlines(fixture_trial, reason=RecomputeReason.DAILY, today=TODAY)
    assert _audit(fixture_trial) == [
        {
            "reason": "daily",
            "computed_on": "2026-11-21",
            "status_changes": [change.as_dict() for change in result.changes],
        }
    ]


def test_recomputing_the_same_day_changes_nothing(fixture_trial):
    # given deadlines computed today
    domain.recompute_deadlines(fixture_trial, reason=RecomputeReason.DAILY, today=TODAY)
    before = list(Deadline.objects.values_list("pk", "updated_at"))
    counts = (DeadlineHistory.objects.count(), AuditEvent.objects.count())
    # when they are computed again on the same day
    again = domain.recompute_deadlines(fixture_trial, reason=RecomputeReason.DAILY, today=TODAY)
    # then no row was written
    assert (again.changes, list(Deadline.objects.values_list("pk", "updated_at"))) == ((), before)
    assert (DeadlineHistory.objects.count(), AuditEvent.objects.count()) == counts


def test_next_day_moves_overdue_days_without_history_or_audit(unreported_trial):
    # given deadlines computed today, some of them overdue
    domain.recompute_deadlines(unreported_trial, reason=RecomputeReason.DAILY, today=TODAY)
    counts = (DeadlineHistory.objects.count(), AuditEvent.objects.count())
    verification = Deadline.objects.get(rule_code="us.fdaaa.verification")
    # when the next day is computed
    result = domain.recompute_deadlines(
        unreported_trial, reason=RecomputeReason.DAILY, today=date(2026, 11, 22)
    )
    # then the overdue deadline shows one more day late, but nothing was added to the history or audit
    after = Deadline.objects.get(pk=verification.pk)
    assert (verification.status, verification.days_late, after.status, after.days_late) == (
        "overdue",
        144,
        "overdue",
        145,
    )
    assert (result.changes, after.computed_on) == ((), date(2026, 11, 22))
    assert (DeadlineHistory.objects.count(), AuditEvent.objects.count()) == counts


def test_a_status_change_adds_history_and_one_audit_event_naming_it(unreported_trial):
    # given deadlines computed on 1 June 2026, when re-verification was due within 30 days
    domain.recompute_deadlines(unreported_trial, reason=RecomputeReason.DAILY, today=date(2026, 6, 1))
    events_before = len(_audit(unreported_trial))
    # when they are computed on 21 November 2026
    result = domain.recompute_deadlines(unreported_trial, reason=RecomputeReason.DAILY, today=TODAY)
    # then only the verification went from due soon to overdue: one history row, one audit event
    verification = Deadline.objects.get(rule_code="us.fdaaa.verification")
    history = list(verification.history.values_list("status", "days_late", "computed_on", "reason"))
    assert result.changes == (DeadlineChange("us.fdaaa.verification", "", "due_soon", "overdue"),)
    assert history == [
        ("due_soon", None, date(2026, 6, 1), "daily"),
        ("overdue", 144, TODAY, "daily"),
    ]
    assert _audit(unreported_trial)[events_before:] == [
        {
            "reason": "daily",
            "computed_on": "2026-11-21",
            "status_changes": [
                {"rule": "us.fdaaa.verification", "subject": "", "from": "due_soon", "to": "overdue"}
            ],
        }
    ]


def test_a_deadline_the_engine_no_longer_yields_is_kept_but_not_current(
    fixture_trial, people, complete_record
):
    # given deadlines for a trial in two EU member states
    domain.recompute_deadlines(fixture_trial, reason=RecomputeReason.DAILY, today=TODAY)
    # when the record drops Poland and the deadlines are recomputed
    without_poland = copy.deepcopy(complete_record)
    without_poland["euSection"]["memberStates"] = [
        state for state in without_poland["euSection"]["memberStates"] if state["country"] != "PL"
    ]
    fixture_trial.refresh_from_db()
    domain.save_record(
        fixture_trial, without_poland, base_sha256=fixture_trial.head.sha256, actor=people[Role.AUTHOR]
    )
    result = domain.recompute_deadlines(fixture_trial, reason=RecomputeReason.MANUAL, today=TODAY)
    # then Poland's end-of-trial deadline stays on record, no longer current, with the change in history
    poland = Deadline.objects.get(rule_code="eu.ctr.end_of_trial.member_state", subject="PL")
    assert result.status_changes == (DeadlineChange("eu.ctr.end_of_trial.member_state", "PL", "met", None),)
    assert (poland.current, list(poland.history.values_list("status", "current", "reason"))) == (
        False,
        [("met", True, "daily"), ("met", False, "manual")],
    )
    assert Deadline.objects.filter(trial=fixture_trial, current=True).count() == result.current


def test_a_trial_without_a_record_has_no_deadlines(org, people):
    trial = domain.create_trial(org, reference="EMPTY", title="No record yet", actor=people[Role.AUTHOR])
    result = domain.recompute_deadlines(trial, reason=RecomputeReason.DAILY, today=TODAY)
    assert (result.current, result.changes, Deadline.objects.filter(trial=trial).count()) == (0, (), 0)


def test_recompute_refuses_an_unknown_reason_and_an_outsider(fixture_trial):
    outsider = factories.make_user("outsider")
    refusals = []
    for call in (
        lambda: domain.recompute_deadlines(fixture_trial, reason="whim", today=TODAY),
        lambda: domain.recompute_deadlines(
            fixture_trial, reason=RecomputeReason.MANUAL, today=TODAY, actor=outsider
        ),
    ):
        with pytest.raises(DomainError) as refused:
            call()
        refusals.append(refused.value.code)
    assert (refusals, Deadline.objects.count()) == (["deadline.unknown_reason", "org.not_member"], 0)


def test_stored_statuses_are_the_engines_vocabulary():
    from deadlines.enums import DeadlineStatus as EngineStatus
    from deadlines.enums import Jurisdiction as EngineJurisdiction
    from deadlines.enums import Tracker as EngineTracker
    from submissions.enums import DeadlineStatus, Jurisdiction, Tracker

    assert (
        sorted(DeadlineStatus.values),
        sorted(Jurisdiction.values),
        sorted(Tracker.values),
    ) == (
        sorted(s.value for s in EngineStatus),
        sorted(j.value for j in EngineJurisdiction),
        sorted(t.value for t in EngineTracker),
    )


def test_every_rule_title_and_source_fit_the_stored_columns():
    from deadlines.rules import ALL_RULES

    limits = {name: getattr(Deadline._meta.get_field(name), "max_length", 0) for name in ("title", "source")}

    too_long = [
        (rule.code, name)
        for rule in ALL_RULES
        for name, limit in limits.items()
        if len(getattr(rule, name)) > limit
    ]

    assert too_long == []
