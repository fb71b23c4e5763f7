"""E-mail reminders of deadlines to the people who write a trial's record, each sent once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from submissions.audit import record_event
from submissions.enums import AuditEventType, DeadlineStatus, Role
from submissions.models import Deadline, DeadlineReminder, Membership, RecordVersion

# A reminder is for a duty still to be done: met, not applicable or uncomputable deadlines get none.
REMINDED_STATUSES = (DeadlineStatus.UPCOMING, DeadlineStatus.DUE_SOON)


@dataclass(frozen=True)
class SentReminder:
    deadline_id: int
    days_left: int
    recipients: tuple[str, ...]


def trial_authors(deadline: Deadline) -> list[Any]:
    """The trial's authors: members with the author role who created the trial or saved a version of its
    record; every author of the organization when none of them did."""
    trial = deadline.trial
    authors = Membership.objects.filter(organization_id=trial.organization_id, role=Role.AUTHOR).values(
        "user_id"
    )
    writers = set(RecordVersion.objects.filter(trial=trial).values_list("created_by_id", flat=True))
    writers.add(trial.created_by_id)
    users = get_user_model().objects.filter(pk__in=authors, is_active=True).exclude(email="")
    own = [user for user in users if user.pk in writers]
    return own or list(users)


def _send(deadline: Deadline, days_left: int, recipients: list[str]) -> None:
    trial = deadline.trial
    due = deadline.due_date.strftime("%d %b %Y") if deadline.due_date else "?"
    days = f"{days_left} day{'s' if days_left != 1 else ''}"
    send_mail(
        subject=f"{trial.reference}: {deadline.title} due {due} ({days})",
        message=(
            f"Trial {trial.reference} ({trial.title})\n\n"
            f"{deadline.title} is due on {due}, in {days}.\n"
            f"Legal source: {deadline.source}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def send_deadline_reminders(
    *, today: date | None = None, offsets: list[int] | None = None
) -> list[SentReminder]:
    """Send the reminders due today: for each open deadline, one e-mail when its days left first reach
    one of ``offsets`` (default ``settings.DEADLINE_REMINDER_DAYS``: 30, 7 and 1). Offsets a deadline
    skipped (it appeared, or the job did not run, inside a later window) are recorded with the one sent,
    so nobody gets three mails at once. Running it twice a day sends nothing new. Each reminder is
    recorded (``DeadlineReminder``) with an audit event, then mailed once the row is committed."""
    today = today or timezone.localdate()
    offsets = sorted(set(offsets if offsets is not None else settings.DEADLINE_REMINDER_DAYS), reverse=True)
    if not offsets:
        return []
    horizon = date.fromordinal(today.toordinal() + max(offsets))
    sent: list[SentReminder] = []
    candidates = (
        Deadline.objects.filter(
            current=True,
            applies=True,
            status__in=REMINDED_STATUSES,
            due_date__gte=today,
            due_date__lte=horizon,
        )
        .select_related("trial__organization")
        .prefetch_related("reminders")
        .order_by("due_date", "pk")
    )
    for deadline in candidates:
        assert deadline.due_date is not None
        days_left = (deadline.due_date - today).days
        done = {item.days_before for item in deadline.reminders.all() if item.due_date == deadline.due_date}
        due_offsets = [offset for offset in offsets if days_left <= offset and offset not in done]
        if not due_offsets:
            continue
        recipients = [user.email for user in trial_authors(deadline)]
        try:
            with transaction.atomic():
                for offset in due_offsets:
                    DeadlineReminder.objects.create(
                        deadline=deadline,
                        due_date=deadline.due_date,
                        days_before=offset,
                        recipients=recipients,
                    )
                record_event(
                    AuditEventType.DEADLINE_REMINDER_SENT,
                    trial=deadline.trial,
                    data={
                        "rule": deadline.rule_code,
                        "subject": deadline.subject,
                        "due_date": deadline.due_date.isoformat(),
                        "days_left": days_left,
                        "offsets": due_offsets,
                        "recipients": recipients,
                    },
                )
                if recipients:
                    transaction.on_commit(partial(_send, deadline, days_left, recipients))
        except IntegrityError:
            # Another run recorded this reminder at the same moment: it sends it, not us.
            continue
        sent.append(SentReminder(deadline.pk, days_left, tuple(recipients)))
    return sent
