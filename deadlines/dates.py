"""Partial dates and exact calendar arithmetic.

Stated rules (docs/deadlines.md, "Dates"):

- ``YYYY-MM`` resolves to the last day of the month, flagged as defaulted: the FDAAA TrialsTracker does
  the same with "Month YYYY" dates (view.sql: first of next month minus one day).
- ``YYYY`` resolves to 31 December, flagged as defaulted: the same "latest day the value can mean"
  rule extended to a year, so a deadline is never computed earlier than the sponsor's own statement
  allows, and the defaulted flag warns that the real deadline may be earlier.
- Years run from 1000 to 2999 (``EARLIEST_YEAR``, ``LATEST_YEAR``; the record schema's date patterns
  allow the same): ``datetime.date`` holds years 1 to 9999, so every due date the rules derive (years
  and days added to a record date) stays within it, and ``0000`` or a typo such as ``0202`` is an
  unreadable date, never an exception.
- Adding years or months keeps the day of month and clamps to the month's last day: 29 February plus
  one year is 28 February (python-dateutil's relativedelta and BigQuery's DATE_ADD, which the trackers
  use, both do this).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from registries.dates import add_months as add_months  # one implementation, shared with the registry checks
from registries.enums import EARLIEST_YEAR, LATEST_YEAR

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")


class DateError(ValueError):
    """A date string that is not a valid partial date."""


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A partial date resolved to one calendar day; ``defaulted`` when the day (or month) was filled in."""

    value: date
    raw: str
    defaulted: bool


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def resolve(raw: str) -> ResolvedDate:
    """Resolve ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` to a day; raise DateError for anything else."""
    match = PARTIAL_DATE.match(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise DateError(f"{raw!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateError(f"{raw!r} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    if match.group(2) is None:
        return ResolvedDate(date(year, 12, 31), raw, defaulted=True)
    month = int(match.group(2))
    if match.group(3) is None:
        return ResolvedDate(date(year, month, last_day_of_month(year, month)), raw, defaulted=True)
    try:
        return ResolvedDate(date(year, month, int(match.group(3))), raw, defaulted=False)
    except ValueError:
        raise DateError(f"{raw!r} is not a calendar day") from None


def parse_day(raw: str) -> date:
    """A full ISO date (``YYYY-MM-DD``) such as a filing date or ``--today``; raise DateError otherwise."""
    if not isinstance(raw, str) or PARTIAL_DATE.match(raw.strip()) is None:
        raise DateError(f"{raw!r} is not a date in the form YYYY-MM-DD")
    resolved = resolve(raw)
    if resolved.defaulted:
        raise DateError(f"{raw!r} must be a full date YYYY-MM-DD")
    return resolved.value


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def first_day(predicate: Callable[[date], bool], near: date, span: int = 10) -> date:
    """The earliest day within ``span`` days of ``near`` on which ``predicate`` holds, for a predicate
    that is false before some day and true from it on (a tracker's "is flagged today" test)."""
    start = add_days(near, -span)
    if predicate(start):
        raise ValueError("predicate already holds at the start of the search window")
    for offset in range(1, 2 * span + 1):
        candidate = add_days(start, offset)
        if predicate(candidate):
            return candidate
    raise ValueError("predicate does not become true within the search window")
