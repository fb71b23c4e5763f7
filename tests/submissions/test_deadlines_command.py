"""`python manage.py recompute_deadlines`: the daily run over every trial that is not withdrawn."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from submissions import domain
from submissions.enums import AuditEventType, Role
from submissions.models import AuditEvent, Deadline, DeadlineHistory
from tests.submissions import factories


@pytest.fixture
def trials(org, people, complete_record):
    """Three trials of our sponsor (one withdrawn) and one of another sponsor."""
    author = people[Role.AUTHOR]
    # Without results on ClinicalTrials.gov, so that the yearly verification is still owed.
    record = factories.unreported(complete_record)
    made = {
        reference: factories.make_trial(org, author, record, reference=reference)
        for reference in ("A-1", "A-2", "A-3")
    }
    domain.withdraw_trial(made["A-3"], actor=people[Role.ADMIN], reason="Never started.")
    other = factories.make_org("Sponsor B")
    other_author = factories.make_user("b-author", org=other, roles=(Role.AUTHOR,))
    made["B-1"] = factories.make_trial(other, other_author, record, reference="B-1")
    return made


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("recompute_deadlines", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _state():
    return (
        Deadline.objects.count(),
        DeadlineHistory.objects.count(),
        AuditEvent.objects.filter(event_type=AuditEventType.DEADLINES_RECOMPUTED).count(),
    )


def test_daily_run_computes_every_trial_not_withdrawn_and_a_second_run_changes_nothing(trials):
    # given four trials, one withdrawn, never computed
    # when the daily command runs twice on the same day, two trials per chunk
    first = _run("--today", "2026-11-21", "--chunk-size", "2")
    after_first = _state()
    updated = list(Deadline.objects.order_by("pk").values_list("updated_at", flat=True))
    second = _run("--today", "2026-11-21", "--chunk-size", "2")
    # then the three live trials got their deadlines and audit events once; the second run wrote nothing
    per_trial = Deadline.objects.filter(trial=trials["A-1"]).count()
    computed = sorted(set(Deadline.objects.values_list("trial__reference", flat=True)))
    assert computed == ["A-1", "A-2", "B-1"]
    assert after_first == (3 * per_trial, 3 * per_trial, 3)
    assert (_state(), list(Deadline.objects.order_by("pk").values_list("updated_at", flat=True))) == (
        after_first,
        updated,
    )
    assert first == (
        f"Deadlines recomputed as of 2026-11-21: 3 trials, 3 changed, {3 * per_trial} status changes.\n",
        "2/3 trials, 2 changed\n3/3 trials, 3 changed\n",
    )
    assert second == (
        "Deadlines recomputed as of 2026-11-21: 3 trials, 0 changed, 0 status changes.\n",
        "2/3 trials, 0 changed\n3/3 trials, 0 changed\n",
    )


def test_today_replays_a_past_day(trials):
    # given deadlines computed on 21 November 2026
    _run("--today", "2026-11-21")
    # when 1 June 2026 is replayed
    out, _err = _run("--today", "2026-06-01")
    # then the stored verdicts are those of that day: re-verification was then due within 30 days
    verification = Deadline.objects.get(trial=trials["A-1"], rule_code="us.fdaaa.verification")
    assert (verification.status, verification.days_late, verification.computed_on) == (
        "due_soon",
        None,
        date(2026, 6, 1),
    )
    assert out == "Deadlines recomputed as of 2026-06-01: 3 trials, 3 changed, 3 status changes.\n"


def test_organization_option_limits_the_run_to_one_sponsor(trials, org):
    by_slug = _run("--today", "2026-11-21", "--organization", org.slug)
    computed = sorted(set(Deadline.objects.values_list("trial__reference", flat=True)))
    by_id = _run("--today", "2026-11-21", "--organization", str(org.pk))
    assert computed == ["A-1", "A-2"]
    assert (by_slug[1], by_id[1]) == ("2/2 trials, 2 changed\n", "2/2 trials, 0 changed\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2026-13-01"], "--today: '2026-13-01' is not a date in the form YYYY-MM-DD."),
        (["--today", "2026-02"], "--today: '2026-02' must be a full date YYYY-MM-DD."),
        (["--organization", "nobody"], "--organization: no organization with slug or id 'nobody'."),
        (["--chunk-size", "0"], "--chunk-size: must be at least 1, not 0."),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(db, args, message):
    with pytest.raises(CommandError) as refused:
        _run(*args)
    assert (str(refused.value), _state()) == (message, (0, 0, 0))


def test_beat_task_runs_the_daily_recomputation(trials):
    # given deadlines never computed, and the schedule that Celery beat reads
    from django.conf import settings

    from submissions.tasks import recompute_all_deadlines

    schedule = settings.CELERY_BEAT_SCHEDULE["recompute-deadlines-daily"]

    # when beat's task runs
    summary = recompute_all_deadlines()

    # then it did the command's work and is the task the schedule names
    assert schedule["task"] == recompute_all_deadlines.name
    assert summary.startswith("Deadlines recomputed as of ")
    assert "3 trials, 3 changed" in summary
    assert sorted(set(Deadline.objects.values_list("trial__reference", flat=True))) == ["A-1", "A-2", "B-1"]
