"""Deadline reminders: to the trial's authors, at 30, 7 and 1 days before the due date, each sent once."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from submissions import domain
from submissions.domain.reminders import send_deadline_reminders
from submissions.enums import DeadlineStatus, Jurisdiction
from submissions.models import Deadline, DeadlineReminder, Organization, Trial

TODAY = date(2027, 1, 1)


def _deadline(
    trial: Trial, due: date, status: str = DeadlineStatus.UPCOMING, rule: str = "us.results"
) -> Deadline:
    # A stored verdict as the deadline engine writes it (the reminders read it).
    return Deadline.objects.create(
        trial=trial,
        rule_code=rule,
        jurisdiction=Jurisdiction.US,
        title="Results information",
        source="42 CFR 11.44(a)",
        rule_version="1",
        applies=True,
        why="",
        status=status,
        due_date=due,
        computed_on=TODAY,
    )


def _setup(org: Organization, people: dict[str, User]) -> Trial:
    for name in ("author", "author2"):
        people[name].email = f"{name}@example.org"
        people[name].save()
    return domain.create_trial(org, reference="R-1", title="Trial", actor=people["author"])


def test_reminder_goes_to_the_trial_author_30_days_before_and_only_once(
    org: Organization, people: dict[str, User], django_capture_on_commit_callbacks: object
) -> None:
    trial = _setup(org, people)
    _deadline(trial, TODAY + timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = send_deadline_reminders(today=TODAY, offsets=[30, 7, 1])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        again = send_deadline_reminders(today=TODAY, offsets=[30, 7, 1])

    assert ([(item.days_left, item.recipients) for item in first], again) == (
        [(30, ("author@example.org",))],
        [],
    )
    assert [message.to for message in mail.outbox] == [["author@example.org"]]
    assert "42 CFR 11.44(a)" in mail.outbox[0].body


def test_a_deadline_found_late_gets_one_reminder_for_every_offset_it_passed(
    org: Organization, people: dict[str, User], django_capture_on_commit_callbacks: object
) -> None:
    trial = _setup(org, people)
    deadline = _deadline(trial, TODAY + timedelta(days=5))

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        send_deadline_reminders(today=TODAY, offsets=[30, 7, 1])
        send_deadline_reminders(today=TODAY + timedelta(days=4), offsets=[30, 7, 1])

    offsets = sorted(DeadlineReminder.objects.filter(deadline=deadline).values_list("days_before", flat=True))
    assert (offsets, len(mail.outbox)) == ([1, 7, 30], 2)


def test_met_and_far_deadlines_get_no_reminder(org: Organization, people: dict[str, User]) -> None:
    trial = _setup(org, people)
    _deadline(trial, TODAY + timedelta(days=3), status=DeadlineStatus.MET)
    _deadline(trial, TODAY + timedelta(days=90), rule="us.verification")

    assert send_deadline_reminders(today=TODAY, offsets=[30, 7, 1]) == []


def test_command_reports_how_many_were_sent(org: Organization, people: dict[str, User]) -> None:
    trial = _setup(org, people)
    _deadline(trial, TODAY + timedelta(days=1))
    out = StringIO()

    call_command("send_deadline_reminders", "--today", TODAY.isoformat(), stdout=out)

    assert out.getvalue().strip() == "1 reminder sent."
