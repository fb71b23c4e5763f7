"""The dashboard's rows: every trial of the organization with what needs attention first.

A fixed number of queries whatever the number of trials (trials with their head's findings, the
filings, the open deadlines), joined in Python; the test suite asserts the count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from registries import registry_codes
from registries.enums import Severity
from submissions import checks
from submissions.enums import REGISTRY_IDENTIFIERS, DeadlineStatus, FilingState, TrialState
from submissions.models import Deadline, Filing, Organization, Trial
from submissions.web.filings import waits_for

OPEN_DEADLINE_STATUSES = (DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON, DeadlineStatus.UPCOMING)

# Attention order (UI.md "Dashboard"): overdue, returned by a registry, waiting for me, due within 30 days.
ATTENTION_OVERDUE, ATTENTION_RETURNED, ATTENTION_MINE, ATTENTION_DUE_SOON, ATTENTION_NONE = range(5)

DEADLINE_FILTERS: dict[str, str] = {
    DeadlineStatus.OVERDUE: "Overdue",
    DeadlineStatus.DUE_SOON: "Due within 30 days",
    DeadlineStatus.UPCOMING: "Upcoming",
    "none": "No open deadline",
}


@dataclass
class Row:
    trial: Trial
    identifiers: list[tuple[str, str]]
    open_filing: Filing | None
    open_filing_number: int | None
    errors: int | None
    warnings: int | None
    next_deadline: Deadline | None
    waiting_for_me: bool
    registries: set[str] = field(default_factory=set)

    @property
    def deadline_status(self) -> str:
        return self.next_deadline.status if self.next_deadline else "none"

    @property
    def days_left(self) -> int | None:
        if self.next_deadline is None or self.next_deadline.due_date is None:
            return None
        return (self.next_deadline.due_date - timezone.localdate()).days

    @property
    def days_late(self) -> int | None:
        days = self.days_left
        return -days if days is not None and days < 0 else None

    @property
    def attention(self) -> int:
        if self.deadline_status == DeadlineStatus.OVERDUE:
            return ATTENTION_OVERDUE
        if self.open_filing is not None and self.open_filing.state == FilingState.RETURNED:
            return ATTENTION_RETURNED
        if self.waiting_for_me:
            return ATTENTION_MINE
        if self.deadline_status == DeadlineStatus.DUE_SOON:
            return ATTENTION_DUE_SOON
        return ATTENTION_NONE

    def sort_key(self) -> tuple[int, date, str]:
        due = self.next_deadline.due_date if self.next_deadline and self.next_deadline.due_date else date.max
        return (self.attention, due, self.trial.reference)

    def matches_text(self, text: str) -> bool:
        needle = text.casefold()
        haystack = [self.trial.reference, self.trial.title, *(value for _label, value in self.identifiers)]
        return any(needle in item.casefold() for item in haystack)


def _identifiers(trial: Trial) -> list[tuple[str, str]]:
    found = []
    for code, (name, _pattern) in REGISTRY_IDENTIFIERS.items():
        value = (trial.identifiers or {}).get(code, {}).get(name)
        if value:
            found.append((checks.registry_name(code) if code in registry_codes() else code, value))
    return found


def _counts(findings: list[dict[str, Any]]) -> tuple[int, int]:
    severities = Counter(item.get("severity") for item in findings)
    return severities[Severity.ERROR.value], severities[Severity.WARNING.value]


def dashboard_rows(organization: Organization, actor: Any, roles: set[str]) -> list[Row]:
    """Every trial of ``organization`` as a dashboard row, sorted by attention."""
    trials = list(
        Trial.objects.filter(organization=organization)
        .select_related("head")
        .only("pk", "reference", "title", "state", "identifiers", "organization_id", "head__findings")
    )
    filings_by_trial: dict[int, list[Filing]] = defaultdict(list)
    for filing in (
        Filing.objects.filter(trial__organization=organization)
        .only(
            "pk",
            "trial_id",
            "stage",
            "kind",
            "state",
            "target_registries",
            "submitted_for_review_by_id",
            "created_at",
        )
        .order_by("created_at", "pk")
    ):
        filings_by_trial[filing.trial_id].append(filing)
    next_deadline: dict[int, Deadline] = {}
    for deadline in (
        Deadline.objects.filter(
            trial__organization=organization, current=True, applies=True, status__in=OPEN_DEADLINE_STATUSES
        )
        .only("pk", "trial_id", "title", "status", "due_date", "rule_code", "source")
        .order_by("trial_id", "due_date", "rule_code")
    ):
        next_deadline.setdefault(deadline.trial_id, deadline)

    rows = []
    for trial in trials:
        filings = filings_by_trial.get(trial.pk, [])
        open_filings = [item for item in filings if item.state != FilingState.ACCEPTED]
        open_filing = open_filings[-1] if open_filings else None
        errors, warnings = _counts(trial.head.findings) if trial.head else (None, None)
        rows.append(
            Row(
                trial=trial,
                identifiers=_identifiers(trial),
                open_filing=open_filing,
                open_filing_number=filings.index(open_filing) + 1 if open_filing else None,
                errors=errors,
                warnings=warnings,
                next_deadline=next_deadline.get(trial.pk),
                waiting_for_me=any(waits_for(item, actor, roles) for item in open_filings),
                registries={code for item in filings for code in item.target_registries},
            )
        )
    rows.sort(key=Row.sort_key)
    return rows


@dataclass(frozen=True)
class Filters:
    state: str = ""
    registry: str = ""
    deadline: str = ""
    text: str = ""
    mine: bool = False

    def keep(self, row: Row, *, skip: str = "") -> bool:
        if self.state and skip != "state" and row.trial.state != self.state:
            return False
        if self.registry and skip != "registry" and self.registry not in row.registries:
            return False
        if self.deadline and skip != "deadline" and row.deadline_status != self.deadline:
            return False
        if self.mine and skip != "mine" and not row.waiting_for_me:
            return False
        return not (self.text and skip != "text" and not row.matches_text(self.text))


@dataclass
class Facet:
    name: str
    label: str
    choices: list[tuple[str, str, int]]


def facets(rows: list[Row], filters: Filters) -> list[Facet]:
    """Each filter's values with how many rows each would show, given the other filters."""

    def count(name: str, test: Any) -> Counter[str]:
        counter: Counter[str] = Counter()
        for row in rows:
            if filters.keep(row, skip=name):
                for value in test(row):
                    counter[value] += 1
        return counter

    states = count("state", lambda row: [row.trial.state])
    registries = count("registry", lambda row: row.registries)
    deadlines = count("deadline", lambda row: [row.deadline_status])
    return [
        Facet("state", "Trial state", [(value, label, states[value]) for value, label in TrialState.choices]),
        Facet(
            "registry",
            "Registry",
            [(code, checks.registry_name(code), registries[code]) for code in registry_codes()],
        ),
        Facet(
            "deadline",
            "Next deadline",
            [(key, label, deadlines[key]) for key, label in DEADLINE_FILTERS.items()],
        ),
    ]
