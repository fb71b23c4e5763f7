"""Judging a rule on the day before, the day of and the day after a due date (issue 15: every case is
tested on all three days)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from deadlines.enums import DeadlineStatus
from deadlines.submissions import SubmissionLog
from tests.deadlines.factories import verdict_of

# Nothing filed: due soon on the day before and on the due day (on time that day), overdue the day after.
UNMET = [DeadlineStatus.DUE_SOON, DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE]


def around(
    code: str,
    record: dict[str, Any],
    due: date,
    submissions: SubmissionLog | None = None,
    subject: str = "",
) -> list[tuple[date | None, DeadlineStatus]]:
    """``(due_date, status)`` of the rule's verdict on the day before, of and after ``due``."""
    days = (due - timedelta(days=1), due, due + timedelta(days=1))
    verdicts = [verdict_of(code, record, day.isoformat(), submissions, subject) for day in days]
    return [(v.due_date, v.status) for v in verdicts]


def unmet(due: date) -> list[tuple[date | None, DeadlineStatus]]:
    return [(due, status) for status in UNMET]
