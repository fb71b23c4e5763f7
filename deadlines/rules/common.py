"""Helpers the rule modules share."""

from __future__ import annotations

from deadlines.facts import DateFact
from deadlines.verdict import Rule
from registries.enums import Severity
from registries.findings import Finding


def order_problem(
    rule: Rule, earlier: DateFact, later: DateFact, earlier_name: str, later_name: str
) -> Finding | None:
    """A ``deadline.contradictory_dates`` finding when ``later`` falls before ``earlier``."""
    if earlier.value is None or later.value is None or later.value >= earlier.value:
        return None
    return rule.finding(
        Severity.ERROR,
        "deadline.contradictory_dates",
        later.pointer,
        f"{rule.title} ({rule.code}) cannot be computed: the {later_name} ({later.raw}) is before the "
        f"{earlier_name} ({earlier.raw}).",
        earlier=earlier.pointer,
    )


def missing(fact: DateFact, what: str) -> tuple[str, str]:
    """A ``(pointer, description)`` pair for ``Rule.cannot_compute``; an unreadable date says so."""
    if fact.invalid:
        return fact.pointer, f"a readable {what} (the value {fact.raw!r} is not a date)"
    return fact.pointer, f"the {what}"
