"""Calendar arithmetic shared by the registry checks and the deadline engine (``deadlines/`` may import
``registries/``, never the reverse: DESIGN section 2)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Same day of month ``months`` later (or earlier), clamped to the last day of the target month: 31
    August plus six months is 28 (or 29) February, as python-dateutil's relativedelta and BigQuery's
    DATE_ADD, which the trial trackers use, both count (docs/deadlines.md, "Dates")."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
