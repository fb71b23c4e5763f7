"""Helpers the rule modules share: the early answers every dated rule gives the same way."""

from __future__ import annotations

from datetime import date

from deadlines.facts import DateFact
from deadlines.verdict import Rule, Verdict
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


def out_of_order(
    rule: Rule, earlier: DateFact, later: DateFact, earlier_name: str, later_name: str, why: str
) -> Verdict | None:
    """``cannot_compute`` (saying ``why``) when ``later`` falls before ``earlier``: never a wrong date."""
    problem = order_problem(rule, earlier, later, earlier_name, later_name)
    return rule.cannot_compute(why, findings=[problem]) if problem else None


def missing(fact: DateFact, what: str) -> tuple[str, str]:
    """A ``(pointer, description)`` pair for ``Rule.cannot_compute``; an unreadable date says so."""
    if fact.invalid:
        return fact.pointer, f"a readable {what} (the value {fact.raw!r} is not a date)"
    return fact.pointer, f"the {what}"


def known_day(
    rule: Rule, fact: DateFact, why: str, what: str, *, subject: str = "", reported: DateFact | None = None
) -> date | Verdict:
    """The day of ``fact``, or ``cannot_compute`` (saying ``why``) naming ``what`` as missing.

    ``reported`` is the field to name instead of ``fact`` when ``fact`` is a fallback for it (the
    study completion date standing in for the primary completion date).
    """
    if fact.value is None:
        return rule.cannot_compute(why, [missing(reported or fact, what)], subject=subject)
    return fact.value
