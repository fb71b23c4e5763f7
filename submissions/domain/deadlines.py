"""Domain service for a trial's legal deadlines: run the engine, store its verdicts, keep their history
(DESIGN section 9)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from deadlines import Verdict, evaluate
from deadlines.config import ORGANIZATION_SETTINGS, DeadlineConfig
from deadlines.engine import cannot_compute_all
from registries.findings import RegistryError
from registries.jsonread import check_value
from submissions.audit import record_event
from submissions.deadline_inputs import submission_log
from submissions.domain._access import require_role
from submissions.enums import AuditEventType, DeadlineStatus, RecomputeReason, Role, WebhookEvent
from submissions.errors import DomainError
from submissions.models import Deadline, DeadlineHistory, Filing, Organization, Trial

logger = logging.getLogger(__name__)

# The stored fields a verdict fills, besides the key (rule_code, subject).
_VERDICT_FIELDS = (
    "jurisdiction",
    "title",
    "source",
    "rule_version",
    "applies",
    "why",
    "status",
    "due_date",
    "tracker",
    "tracker_flag_date",
    "days_late",
    "satisfied_by_filing_id",
    "satisfied_by",
    "defaulted_dates",
    "findings",
    "details",
    "current",
)


@dataclass(frozen=True)
class DeadlineChange:
    """One deadline whose verdict changed: its status before (None: first computed) and after (None:
    the rule no longer yields it)."""

    rule: str
    subject: str
    before: str | None
    after: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "subject": self.subject, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class RecomputeResult:
    """What ``recompute_deadlines`` did: the day computed for, how many deadlines are current, and each
    verdict change (one history row each)."""

    trial_id: int
    computed_on: date
    reason: str
    current: int
    changes: tuple[DeadlineChange, ...]

    @property
    def status_changes(self) -> tuple[DeadlineChange, ...]:
        """The changes people are told about: a new deadline, a new status or a deadline gone."""
        return tuple(change for change in self.changes if change.before != change.after)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _key_of(verdict: Verdict, taken: set[tuple[str, str]]) -> tuple[str, str]:
    """The verdict's ``(rule, subject)``; should a rule ever yield one subject twice (two PRS returns of
    one filing on one day), the repeats are numbered rather than lost."""
    key = (verdict.rule, verdict.subject)
    number = 1
    while key in taken:
        number += 1
        key = (verdict.rule, f"{verdict.subject}#{number}")
    taken.add(key)
    return key


def _filing_id(verdict: Verdict, filing_ids: set[int]) -> int | None:
    reference = verdict.satisfied_by or {}
    raw = reference.get("filing_id") if reference.get("source") == "submission" else None
    if raw is None or not str(raw).isdigit():
        return None
    return int(raw) if int(raw) in filing_ids else None


def _fields(verdict: Verdict, filing_ids: set[int]) -> dict[str, Any]:
    # Through JSON once, so that what is compared with the stored row is what the row holds.
    data = json.loads(json.dumps(verdict.as_dict()))
    return {
        "jurisdiction": data["jurisdiction"],
        "title": data["title"],
        "source": data["source"],
        "rule_version": data["rule_version"],
        "applies": verdict.applies,
        "why": verdict.why,
        "status": data["status"],
        "due_date": verdict.due_date,
        "tracker": data["tracker"] or "",
        "tracker_flag_date": verdict.tracker_flag_date,
        "days_late": verdict.days_late,
        "satisfied_by_filing_id": _filing_id(verdict, filing_ids),
        "satisfied_by": data["satisfied_by"],
        "defaulted_dates": data["defaulted_dates"],
        "findings": data["findings"],
        "details": data["details"],
        "current": True,
    }


def _stored(deadline: Deadline) -> dict[str, Any]:
    return {name: getattr(deadline, name) for name in _VERDICT_FIELDS}


def _what_matters(fields: dict[str, Any]) -> tuple[Any, ...]:
    # An overdue deadline's days late grow by one every day; that is the passing of time, not a new
    # verdict, so it is not history (the row itself always shows the current count).
    days_late = None if fields["status"] == DeadlineStatus.OVERDUE else fields["days_late"]
    return (
        fields["applies"],
        fields["status"],
        fields["due_date"],
        fields["tracker_flag_date"],
        days_late,
        fields["current"],
    )


def _history(deadline: Deadline, reason: str, computed_on: date) -> DeadlineHistory:
    return DeadlineHistory(
        deadline=deadline,
        applies=deadline.applies,
        status=deadline.status,
        due_date=deadline.due_date,
        tracker_flag_date=deadline.tracker_flag_date,
        days_late=deadline.days_late,
        current=deadline.current,
        reason=reason,
        computed_on=computed_on,
    )


def _failure_code(error: Exception) -> str:
    if isinstance(error, RegistryError | DomainError):
        return error.code
    if isinstance(error, RecursionError):
        return "json.too_deep"
    return "deadline.engine_failed"


def _validated_settings(settings: Any) -> DeadlineConfig:
    """The engine's windows with the organization's choices applied; ``deadline.bad_settings`` names a
    setting the law fixes, an unknown name or a value that is not a whole number of days or months."""
    if not isinstance(settings, dict):
        raise DomainError(
            "deadline.bad_settings", "Deadline settings must be an object of names and numbers."
        )
    fixed = sorted(set(settings) - ORGANIZATION_SETTINGS)
    if fixed:
        raise DomainError(
            "deadline.bad_settings",
            f"{', '.join(fixed)}: not a setting an organization may choose; the choices are "
            f"{', '.join(sorted(ORGANIZATION_SETTINGS))}.",
        )
    try:
        return DeadlineConfig.from_overrides(settings)
    except ValueError as exc:
        raise DomainError("deadline.bad_settings", f"{exc}.") from None


def deadline_config(organization: Organization) -> DeadlineConfig:
    """The windows the engine uses for the organization's trials: the guidance's defaults with the
    organization's choices (the engine is pure, so the choice is an input)."""
    return _validated_settings(organization.deadline_settings)


def _verdicts(trial: Trial, today: date) -> list[Verdict]:
    if trial.head is None:
        return []
    try:
        # The engine would judge such a record unreadable too; checked here so that operators hear of it.
        record = check_value(trial.head.content)
        return evaluate(
            record,
            submissions=submission_log(trial),
            today=today,
            config=deadline_config(trial.organization),
        )
    except Exception as error:
        # One trial's unreadable data must neither stop the recomputation of the others (the daily
        # run goes through every organization) nor leave its old verdicts standing as if still true:
        # every rule says cannot_compute with the error's code, and operators get an alert.
        code = _failure_code(error)
        logger.exception("Deadlines of trial %s (%s) cannot be computed: %s", trial.pk, trial.reference, code)
        return cannot_compute_all(code, f"{type(error).__name__}: {str(error)[:200]}")


@transaction.atomic
def set_deadline_settings(
    organization: Organization, settings: dict[str, Any], *, actor: Any
) -> dict[str, Any]:
    """Replace the organization's deadline choices (organization admins only) and recompute its trials'
    deadlines once the change commits. ``settings`` holds only names from
    ``deadlines.config.ORGANIZATION_SETTINGS``; a bad one leaves the stored settings untouched."""
    require_role(actor, organization, (Role.ADMIN,), "change deadline settings")
    _validated_settings(settings)
    locked = Organization.objects.select_for_update(no_key=True).get(pk=organization.pk)
    before = dict(locked.deadline_settings)
    if before == settings:
        return before
    locked.deadline_settings = dict(settings)
    locked.save(update_fields=["deadline_settings"])
    organization.deadline_settings = locked.deadline_settings
    record_event(
        AuditEventType.DEADLINE_SETTINGS_CHANGED,
        actor=actor,
        organization=locked,
        data={"before": before, "after": locked.deadline_settings},
    )
    for trial_id in Trial.objects.filter(organization=locked).values_list("pk", flat=True):
        schedule_recompute(trial_id, RecomputeReason.SETTINGS_CHANGED)
    return locked.deadline_settings


@transaction.atomic
def recompute_deadlines(
    trial: Trial, *, reason: str, today: date | None = None, actor: Any = None
) -> RecomputeResult:
    """Run every deadline rule over the trial's head record and its submissions as of ``today`` (default:
    the local today) and store the verdicts. Idempotent: the same inputs on the same day write nothing.

    Called by the Celery task ``recompute_trial_deadlines`` after a record save or a filing's
    submission or registry answer (reason ``record_saved`` / ``filing_changed``), by the daily command
    ``recompute_deadlines`` (``daily``) and by the admin action (``manual``, with the member who asked
    as ``actor``; any role may ask, as the verdicts are derived data). A past ``today`` replays that day.

    Never raises for the trial's own data: a record or history the engine cannot read gives every rule
    a ``cannot_compute`` verdict carrying the error's code (``json.too_deep``, ``deadline.engine_failed``)
    and logs an error naming the trial.

    Side effects: one ``Deadline`` row per ``(rule, subject)`` is created or updated; a verdict the
    engine no longer yields keeps its row, marked not current. A ``DeadlineHistory`` row is appended
    for each deadline whose verdict changed in what matters (status, due and tracker dates, days late,
    applicability, currency; the first computation counts as a change). One ``deadline.recomputed``
    audit event is written only when at least one status changed (a deadline appeared, changed status
    or went away), naming each: the audit trail records what people may act on, and a daily run that
    changes nothing, or only moves the day count of an overdue deadline, leaves no event, so the chain
    grows with events rather than with the calendar.
    """
    if reason not in RecomputeReason.values:
        raise DomainError(
            "deadline.unknown_reason",
            f"Unknown recomputation reason {reason!r}; reasons: {', '.join(RecomputeReason.values)}.",
        )
    if actor is not None:
        require_role(actor, trial.organization, (), "recompute deadlines")
    day = today or timezone.localdate()
    # One recomputation of a trial at a time: two would both create its new deadlines.
    locked = (
        Trial.objects.select_for_update(no_key=True, of=("self",))
        .select_related("head", "organization")
        .get(pk=trial.pk)
    )
    filing_ids = set(Filing.objects.filter(trial=locked).values_list("pk", flat=True))
    existing = {(d.rule_code, d.subject): d for d in Deadline.objects.filter(trial=locked)}
    taken: set[tuple[str, str]] = set()
    changes: list[DeadlineChange] = []
    history: list[DeadlineHistory] = []
    updated: list[Deadline] = []
    now = timezone.now()
    for verdict in _verdicts(locked, day):
        rule_code, subject = _key_of(verdict, taken)
        fields = _fields(verdict, filing_ids)
        deadline = existing.get((rule_code, subject))
        if deadline is None:
            deadline = Deadline.objects.create(
                trial=locked, rule_code=rule_code, subject=subject, computed_on=day, **fields
            )
            changes.append(DeadlineChange(rule_code, subject, None, deadline.status))
            history.append(_history(deadline, reason, day))
            continue
        before = _stored(deadline)
        if before == fields and deadline.computed_on == day:
            continue
        for name, value in fields.items():
            setattr(deadline, name, value)
        deadline.computed_on = day
        deadline.updated_at = now
        updated.append(deadline)
        if _what_matters(before) != _what_matters(fields):
            was = before["status"] if before["current"] else None
            changes.append(DeadlineChange(rule_code, subject, was, deadline.status))
            history.append(_history(deadline, reason, day))
    for key, deadline in existing.items():
        if key in taken or not deadline.current:
            continue
        deadline.current = False
        deadline.computed_on = day
        deadline.updated_at = now
        updated.append(deadline)
        changes.append(DeadlineChange(deadline.rule_code, deadline.subject, deadline.status, None))
        history.append(_history(deadline, reason, day))
    Deadline.objects.bulk_update(updated, [*_VERDICT_FIELDS, "computed_on", "updated_at"])
    DeadlineHistory.objects.bulk_create(history)
    result = RecomputeResult(
        trial_id=locked.pk,
        computed_on=day,
        reason=reason,
        current=len(taken),
        changes=tuple(changes),
    )
    if result.status_changes:
        record_event(
            AuditEventType.DEADLINES_RECOMPUTED,
            actor=actor,
            trial=locked,
            data={
                "reason": reason,
                "computed_on": day.isoformat(),
                "status_changes": [change.as_dict() for change in result.status_changes],
            },
        )
        from submissions.domain.webhooks import emit_event

        emit_event(
            locked.organization,
            WebhookEvent.DEADLINE_STATUS_CHANGED,
            {
                "trial": {"id": locked.pk, "reference": locked.reference},
                "computed_on": day.isoformat(),
                "status_changes": [change.as_dict() for change in result.status_changes],
            },
        )
    return result


# How long a queued recomputation keeps others of the same trial and reason from queueing behind it. A
# worker that lost the task (a crash before it started) delays the next one by at most this; the daily
# run catches up in any case.
RECOMPUTE_PENDING_SECONDS = 300


def _pending_key(trial_id: int, reason: str) -> str:
    return f"deadlines:recompute-pending:{trial_id}:{reason}"


def _coalescing() -> bool:
    """Whether queued recomputations can be coalesced: only with a real broker (with the embedded
    in-process Celery the task runs at once, nothing waits in a queue) and a cache that the web
    processes and the workers share (Redis), since the worker clears the mark the web process set."""
    from submissions.tasks import recompute_trial_deadlines

    shared = "redis" in str(django_settings.CACHES.get("default", {}).get("BACKEND", "")).lower()
    return shared and not recompute_trial_deadlines.app.conf.task_always_eager


def recompute_started(trial_id: int, reason: str) -> None:
    """Called by the task before it reads anything: a save committed from now on queues a new
    recomputation, because this one may not see it."""
    if _coalescing():
        cache.delete(_pending_key(trial_id, reason))


def schedule_recompute(trial_id: int, reason: str) -> None:
    """Recompute the trial's deadlines once the current transaction commits, through the Celery task
    (in-process in the embedded default, on a worker with a real broker). A failure there is logged,
    never raised into the action that scheduled it: the daily run catches up.

    With a broker and a shared cache, a recomputation of the same trial and reason that is queued but
    not yet started is not queued twice: it reads the newest head and filings when it starts, so a
    second one would repeat its work (a CTMS sync loop saves one trial many times a minute;
    bench/api_load.py). The mark is set here and cleared by the task as it starts, which it does
    ``DEADLINE_RECOMPUTE_DELAY_SECONDS`` (default 5) after the first save of a burst.
    """

    def enqueue() -> None:
        # Imported here: tasks sit above the domain (DESIGN section 2).
        from submissions.tasks import recompute_trial_deadlines

        coalescing = _coalescing()
        key = _pending_key(trial_id, reason)
        if coalescing and not cache.add(key, timezone.now().isoformat(), timeout=RECOMPUTE_PENDING_SECONDS):
            return  # one is queued and has not started: it will see this change
        try:
            if coalescing:
                # Waits a little before it starts, so a burst of saves (a sync loop) is one recomputation.
                recompute_trial_deadlines.apply_async(
                    (trial_id, reason), countdown=django_settings.DEADLINE_RECOMPUTE_DELAY_SECONDS
                )
            else:
                recompute_trial_deadlines.delay(trial_id, reason)
        except Exception:
            if coalescing:
                cache.delete(key)  # nothing is queued: the next change must try again
            raise

    transaction.on_commit(enqueue, robust=True)
