"""The dashboard's rows: every trial of the organization with what needs attention first.

A fixed number of queries whatever the number of trials (trials with their head's findings, the
filings, the open deadlines), joined in Python; the test suite asserts the count.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from django.db.models import Count, Min, Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from registries import registry_codes
from registries.enums import Severity
from submissions import checks
from submissions.enums import REGISTRY_IDENTIFIERS, DeadlineStatus, FilingState, Stage, TrialState
from submissions.models import Deadline, Filing, Organization, RecordVersion, Trial
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


@dataclass(frozen=True)
class TrialInfo:
    """What a dashboard row shows of a trial (plain values: 2,000 model instances cost more than the
    page's whole budget)."""

    pk: int
    reference: str
    title: str
    state: str

    def get_state_display(self) -> str:
        return _TRIAL_STATES.get(self.state, self.state)

    @property
    def url(self) -> str:
        return f"{_trials_url()}{self.pk}/"


@dataclass(frozen=True)
class FilingInfo:
    pk: int
    stage: str
    kind: str
    state: str
    target_registries: tuple[str, ...]
    submitted_for_review_by_id: int | None

    def get_stage_display(self) -> str:
        return _STAGES.get(self.stage, self.stage)

    def get_state_display(self) -> str:
        return _FILING_STATES.get(self.state, self.state)


@dataclass
class DeadlineInfo:
    title: str
    status: str
    due_date: date | None

    def get_status_display(self) -> str:
        return _DEADLINE_STATUSES.get(self.status, self.status)


@cache
def _trials_url() -> str:
    # Every row links to its trial: one reverse() for the prefix instead of one per row.
    return reverse("web:trial", args=[0]).removesuffix("0/")


_TRIAL_STATES = dict(TrialState.choices)
_FILING_STATES = dict(FilingState.choices)
_STAGES = dict(Stage.choices)
_DEADLINE_STATUSES = dict(DeadlineStatus.choices)


@dataclass
class Row:
    trial: TrialInfo
    identifiers: tuple[tuple[str, str], ...]
    open_filing: FilingInfo | None
    open_filing_number: int | None
    errors: int | None
    warnings: int | None
    next_deadline: DeadlineInfo | None
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
    def days_text(self) -> str:
        """'12 days left' or '3 days late', as the deadline column shows it."""
        days = self.days_left
        if days is None:
            return ""
        count = abs(days)
        return f"{count} day{'' if count == 1 else 's'} {'late' if days < 0 else 'left'}"

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


@lru_cache(maxsize=4096)
def _identifiers(raw: str | None) -> tuple[tuple[str, str], ...]:
    """(registry name, identifier) pairs from a trial's identifiers as stored (JSON text). Most trials share
    a handful of texts (none yet, or the same registries' keys), so each is parsed once."""
    identifiers = json.loads(raw) if raw else {}
    found = []
    for code, (name, _pattern) in REGISTRY_IDENTIFIERS.items():
        value = identifiers.get(code, {}).get(name) if isinstance(identifiers, dict) else None
        if value:
            found.append((checks.registry_name(code) if code in registry_codes() else code, value))
    return tuple(found)


@lru_cache(maxsize=256)
def _targets(raw: str | None) -> tuple[str, ...]:
    # A filing's target registries as stored (JSON text): a few distinct lists across a portfolio.
    return tuple(json.loads(raw)) if raw else ()


# Record versions are immutable: their counts never go stale. Bounded so a long-lived worker stays small.
_FINDING_COUNTS: dict[int, tuple[int, int]] = {}
_FINDING_COUNTS_MAX = 500_000


def finding_counts(version_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Error and warning counts of record versions' stored findings. Versions never change, so each
    process keeps the counts it has read; only versions it has not seen are read, in one query."""
    counts = {pk: _FINDING_COUNTS[pk] for pk in version_ids if pk in _FINDING_COUNTS}
    missing = [pk for pk in version_ids if pk not in counts]
    if missing:
        if len(_FINDING_COUNTS) > _FINDING_COUNTS_MAX:
            _FINDING_COUNTS.clear()
        for pk, findings in RecordVersion.objects.filter(pk__in=missing).values_list("pk", "findings"):
            severities = Counter(item.get("severity") for item in findings or [])
            counts[pk] = _FINDING_COUNTS[pk] = (
                severities[Severity.ERROR.value],
                severities[Severity.WARNING.value],
            )
    return counts


def dashboard_rows(organization: Organization, actor: Any, roles: set[str]) -> list[Row]:
    """Every trial of ``organization`` as a dashboard row, sorted by attention, in a fixed number of
    queries: the trials, their filings, their open deadlines, and the findings of record versions not
    counted before."""
    # JSON columns read as text and parsed through small caches: decoding 2,000 copies of the same few
    # values was a third of the page's time.
    trials = list(
        Trial.objects.filter(organization=organization)
        .annotate(identifiers_text=Cast("identifiers", TextField()))
        .values_list("pk", "reference", "title", "state", "identifiers_text", "head_id")
    )
    filings_by_trial: dict[int, list[FilingInfo]] = defaultdict(list)
    for pk, trial_id, stage, kind, state, targets, submitter in (
        Filing.objects.filter(trial__organization=organization)
        .annotate(targets_text=Cast("target_registries", TextField()))
        .order_by("created_at", "pk")
        .values_list("pk", "trial_id", "stage", "kind", "state", "targets_text", "submitted_for_review_by_id")
    ):
        filings_by_trial[trial_id].append(FilingInfo(pk, stage, kind, state, _targets(targets), submitter))
    # Per trial, the earliest open due date and whether any open deadline is overdue or due soon,
    # aggregated by the database; the titles are read later for the rows on the page only.
    next_deadline: dict[int, DeadlineInfo] = {}
    for trial_id, due, overdue, soon in (
        Deadline.objects.filter(
            trial__organization=organization, current=True, applies=True, status__in=OPEN_DEADLINE_STATUSES
        )
        .values("trial_id")
        .annotate(
            due=Min("due_date"),
            overdue=Count("pk", filter=Q(status=DeadlineStatus.OVERDUE)),
            soon=Count("pk", filter=Q(status=DeadlineStatus.DUE_SOON)),
        )
        .order_by()
        .values_list("trial_id", "due", "overdue", "soon")
    ):
        status = (
            DeadlineStatus.OVERDUE
            if overdue
            else DeadlineStatus.DUE_SOON
            if soon
            else DeadlineStatus.UPCOMING
        )
        next_deadline[trial_id] = DeadlineInfo("", status, due)
    counts = finding_counts([row[5] for row in trials if row[5] is not None])
    rows = []
    for pk, reference, title, state, identifiers, head_id in trials:
        filings = filings_by_trial.get(pk, [])
        open_filings = [item for item in filings if item.state != FilingState.ACCEPTED]
        open_filing = open_filings[-1] if open_filings else None
        errors, warnings = counts.get(head_id, (None, None)) if head_id is not None else (None, None)
        rows.append(
            Row(
                trial=TrialInfo(pk, reference, title, state),
                identifiers=_identifiers(identifiers),
                open_filing=open_filing,
                open_filing_number=filings.index(open_filing) + 1 if open_filing else None,
                errors=errors,
                warnings=warnings,
                next_deadline=next_deadline.get(pk),
                waiting_for_me=any(waits_for(item, actor, roles) for item in open_filings),
                registries={code for item in filings for code in item.target_registries},
            )
        )
    rows.sort(key=Row.sort_key)
    return rows


def name_next_deadlines(rows: list[Row]) -> None:
    """Fill in the title of each row's next deadline (one query for the rows shown on a page)."""
    wanted = {row.trial.pk: row.next_deadline for row in rows if row.next_deadline is not None}
    found: set[int] = set()
    for trial_id, due, title in (
        Deadline.objects.filter(
            trial_id__in=list(wanted), current=True, applies=True, status__in=OPEN_DEADLINE_STATUSES
        )
        .order_by("trial_id", "due_date", "rule_code", "pk")
        .values_list("trial_id", "due_date", "title")
    ):
        info = wanted[trial_id]
        if trial_id not in found and info is not None and due == info.due_date:
            info.title = title
            found.add(trial_id)


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
