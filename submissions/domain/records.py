"""Domain services for integrations that write records: a save refused when the record does not match
the record schema, JSON Merge Patch (RFC 7396), and the bulk upsert of a portfolio keyed by the sponsor's
protocol id (issue 11)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from registries.schema import validate_record
from submissions.audit import record_event
from submissions.domain._access import require_role
from submissions.domain.trials import SaveResult, create_trial, prepare_record, save_record_of_author
from submissions.enums import AuditEventType, JobKind, JobStatus, Role, UpsertOutcome, WebhookEvent
from submissions.errors import DomainError
from submissions.models import Job, Organization, Trial


class RecordRefused(DomainError):
    """A record that does not match the record schema: refused whole, with the findings that say why."""

    def __init__(self, findings: list[dict[str, Any]]) -> None:
        count = len(findings)
        super().__init__(
            "record.invalid",
            f"The record does not match the record schema ({count} problem{'s' if count != 1 else ''}); "
            "nothing was saved.",
        )
        self.findings = findings


def schema_refusal(record: Any) -> list[dict[str, Any]]:
    """The record-schema errors that refuse ``record`` outright (wrong types, unknown fields, bad
    patterns). A draft that is merely incomplete for a stage is not refused: that is findings on it."""
    if not isinstance(record, dict):
        return [
            {
                "severity": "error",
                "code": "record.not_an_object",
                "pointer": "",
                "message": "The record must be a JSON object.",
            }
        ]
    return [finding.as_dict() for finding in validate_record(record) if finding.is_error]


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 section 2: a patch object merges member by member, ``null`` removes a member, and any
    other value (arrays included) replaces the target whole."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = apply_merge_patch(result.get(name), value)
    return result


def replace_record(trial: Trial, record: Any, *, base_sha256: str | None, actor: Any) -> SaveResult:
    """Save ``record`` whole as the trial's new head, refusing one that does not match the record schema
    (``record.invalid`` with its findings; nothing is saved). Otherwise as ``save_record``.

    The checks that need only the record run before the transaction begins (``prepare_record``), so the
    trial is locked, and on SQLite the database, only for the save itself."""
    require_role(actor, trial.organization, (Role.AUTHOR,), "save the record")
    refused = schema_refusal(record)
    if refused:
        raise RecordRefused(refused)
    prepared = prepare_record(trial, record)
    with transaction.atomic():
        return save_record_of_author(trial, record, base_sha256=base_sha256, actor=actor, prepared=prepared)


@transaction.atomic
def patch_record(trial: Trial, patch: Any, *, base_sha256: str | None, actor: Any) -> SaveResult:
    """Apply a JSON Merge Patch (RFC 7396) to the head version named by ``base_sha256`` and save the result
    (``replace_record``). The patch must be an object: a patch that replaces the whole record is a PUT."""
    require_role(actor, trial.organization, (Role.AUTHOR,), "save the record")
    if not isinstance(patch, dict):
        raise DomainError("record.patch_not_an_object", "A merge patch of the record must be a JSON object.")
    locked = (
        Trial.objects.select_for_update(no_key=True, of=("self",)).select_related("head").get(pk=trial.pk)
    )
    head_sha = locked.head.sha256 if locked.head else None
    if base_sha256 != head_sha:
        raise DomainError(
            "record.stale_base",
            f"The record changed since you read it (current version {head_sha or 'none'}, yours was based "
            f"on {base_sha256 or 'none'}); read it again and apply your patch to that.",
        )
    base = locked.head.content if locked.head else {}
    return replace_record(locked, apply_merge_patch(base, patch), base_sha256=base_sha256, actor=actor)


@dataclass
class UpsertItemResult:
    """What bulk upsert did with one item, in the order given."""

    index: int
    reference: str
    outcome: str
    trial_id: int | None = None
    record_sha256: str | None = None
    problem: dict[str, Any] | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "reference": self.reference,
            "outcome": self.outcome,
            "trial_id": self.trial_id,
            "record_sha256": self.record_sha256,
            "problem": self.problem,
            "findings": self.findings,
        }


def _reference_of(item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("reference"), str):
        return item["reference"].strip()
    return ""


def _upsert_one(organization: Organization, index: int, item: Any, actor: Any) -> UpsertItemResult:
    reference = _reference_of(item)
    if not reference:
        return UpsertItemResult(
            index,
            "",
            UpsertOutcome.REFUSED,
            problem={"code": "trial.reference_required", "message": "Each item needs its 'reference'."},
        )
    record = item.get("record")
    title = item.get("title")
    try:
        # One savepoint per item: a refusal leaves the other items' work in place.
        with transaction.atomic():
            refused = schema_refusal(record)
            if refused:
                raise RecordRefused(refused)
            trial = (
                Trial.objects.select_related("head", "organization")
                .filter(organization=organization, reference=reference)
                .first()
            )
            if trial is None:
                if not isinstance(title, str) or not title.strip():
                    title = _title_of(record) or reference
                trial = create_trial(
                    organization, reference=reference, title=title, actor=actor, record=record
                )
                return UpsertItemResult(
                    index,
                    reference,
                    UpsertOutcome.CREATED,
                    trial.pk,
                    trial.head.sha256 if trial.head else None,
                )
            base = trial.head.sha256 if trial.head else None
            # upsert_trials checked the role once for the batch; this item's savepoint is the save's.
            result = save_record_of_author(trial, record, base_sha256=base, actor=actor)
            outcome = UpsertOutcome.UPDATED if result.version.sha256 != base else UpsertOutcome.UNCHANGED
            return UpsertItemResult(index, reference, outcome, trial.pk, result.version.sha256)
    except RecordRefused as exc:
        return UpsertItemResult(
            index, reference, UpsertOutcome.REFUSED, problem=exc.as_dict(), findings=exc.findings
        )
    except DomainError as exc:
        return UpsertItemResult(index, reference, UpsertOutcome.REFUSED, problem=exc.as_dict())


def _title_of(record: Any) -> str:
    try:
        title = record["protocolSection"]["identificationModule"]["briefTitle"]
    except (KeyError, TypeError):
        return ""
    return title.strip()[:500] if isinstance(title, str) else ""


def upsert_trials(organization: Organization, items: list[Any], *, actor: Any) -> list[UpsertItemResult]:
    """Create or update one trial per item (``{"reference", "record", "title"?}``), keyed by the sponsor's
    protocol reference. Authors only. Each item is its own transaction and gets its own result: created,
    updated, unchanged, or refused with the problem and findings (other items go on). An update replaces
    the record whole against the current head: the sponsor's system is the source of truth here."""
    require_role(actor, organization, (Role.AUTHOR,), "upsert trials")
    return [_upsert_one(organization, index, item, actor) for index, item in enumerate(items)]


@transaction.atomic
def start_bulk_upsert(organization: Organization, items: list[Any], *, actor: Any) -> Job:
    """Queue a bulk upsert as a background job (``run_bulk_upsert``, on commit). Authors only."""
    require_role(actor, organization, (Role.AUTHOR,), "upsert trials")
    job = Job.objects.create(
        organization=organization, kind=JobKind.BULK_UPSERT, total=len(items), items=items, created_by=actor
    )
    record_event(
        AuditEventType.BULK_UPSERT_STARTED, actor=actor, organization=organization, data={"job": job.pk}
    )

    def enqueue() -> None:
        from submissions.tasks import run_bulk_upsert_job

        run_bulk_upsert_job.delay(job.pk)

    transaction.on_commit(enqueue, robust=True)
    return job


# Progress is written after every chunk of this many items.
JOB_CHUNK = 25


def run_bulk_upsert(job: Job) -> Job:
    """Run a queued bulk upsert job in chunks, writing progress after each. Idempotent: a job already
    finished is left as it is, and a rerun of an interrupted one resumes after the last chunk written
    (the upsert of an item already done finds it unchanged)."""
    from submissions.domain.webhooks import emit_event

    job = Job.objects.select_related("organization", "created_by").get(pk=job.pk)
    if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        return job
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    results = list(job.results)
    items = list(job.items)
    try:
        for start in range(len(results), len(items), JOB_CHUNK):
            chunk = items[start : start + JOB_CHUNK]
            done = upsert_trials(job.organization, chunk, actor=job.created_by)
            for item in done:
                item.index += start
            results.extend(item.as_dict() for item in done)
            Job.objects.filter(pk=job.pk).update(results=results, done=len(results))
        status, error = JobStatus.SUCCEEDED, None
    except DomainError as exc:
        status, error = JobStatus.FAILED, exc.as_dict()
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=status, error=error, finished_at=timezone.now(), items=[], done=len(results)
        )
        counts = _counts(results)
        record_event(
            AuditEventType.BULK_UPSERT_FINISHED,
            actor=job.created_by,
            organization=job.organization,
            data={"job": job.pk, "status": status, "counts": counts},
        )
        emit_event(
            job.organization,
            WebhookEvent.JOB_FINISHED,
            {"job": {"id": job.pk, "kind": job.kind, "status": status, "counts": counts}},
        )
    job.refresh_from_db()
    return job


def _counts(results: list[dict[str, Any]]) -> dict[str, int]:
    counts = {outcome.value: 0 for outcome in UpsertOutcome}
    for item in results:
        counts[item["outcome"]] += 1
    return counts
