"""Month arithmetic has one implementation, shared by the registry checks and the deadline engine."""

from __future__ import annotations

from datetime import date

from deadlines import dates as deadline_dates
from registries.ctis import checks as ctis_checks
from registries.dates import add_months
from registries.isrctn import uk


def test_add_months_keeps_the_day_and_clamps_to_the_end_of_the_month() -> None:
    assert [
        add_months(date(2026, 1, 31), 1),
        add_months(date(2024, 2, 29), 12),
        add_months(date(2023, 8, 31), 6),
        add_months(date(2026, 3, 15), -3),
        add_months(date(2026, 12, 31), 12),
    ] == [
        date(2026, 2, 28),
        date(2025, 2, 28),
        date(2024, 2, 29),
        date(2025, 12, 15),
        date(2027, 12, 31),
    ]


def test_registry_checks_and_deadline_engine_use_the_same_month_arithmetic() -> None:
    assert (deadline_dates.add_months, uk.add_months, ctis_checks.add_months) == (
        add_months,
        add_months,
        add_months,
    )
