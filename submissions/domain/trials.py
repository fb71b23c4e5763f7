"""Domain services for trials and their record versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from registries.canonical import record_sha256
from registries.findings import Finding, RegistryError
from registries.jsonread import check_value
from submissions import checks
from submissions.audit import record_event
from submissions.domain._access import after_commit, authorize_transition, require_role, run_transition
from submissions.domain.deadlines import schedule_recompute
from submissions.enums import (
    CLOSED_FILING_STATES,
    STAGE_SECTIONS,
    STAGES,
    AuditEventType,
    FilingKind,
    FilingState,
    RecomputeReason,
    Role,
    TrialState,
    WebhookEvent,
)
from submissions.errors import DomainError
from submissions.models import Filing, Membership, Organization, RecordVersion, Trial
from submissions.workflow import trial_reached


@dataclass
class SaveResult:
    """What ``save_record`` did: the version now at the head, whether it is new, the registry-independent
    findings on it (a draft may be incomplete), and any update filings it opened."""

    version: RecordVersion
    created: bool
    findings: list[dict[str, Any]]
    update_filings: list[Filing] = field(default_factory=list)


@transaction.atomic
def create_trial(
    organization: Organization,
    *,
    reference: str,
    title: str,
    actor: Any,
    record: dict[str, Any] | None = None,
) -> Trial:
    """Create a trial in ``draft``. Authors and admins. With ``record``, its first version is saved too
    (``save_record``, a second audit event).

    Refuses an empty or already used sponsor reference (``trial.reference_required``,
    ``trial.reference_taken``).
    """
    require_role(actor, organization, (Role.AUTHOR, Role.ADMIN), "create a trial")
    reference = reference.strip()
    if not reference:
        raise DomainError("trial.reference_required", "The trial needs the sponsor's protocol reference.")
    if not title.strip():
        raise DomainError("trial.title_required", "The trial needs a title.")
    if Trial.objects.filter(organization=organization, reference=reference).exists():
        raise DomainError("trial.reference_taken", f"{organization} already has a trial {reference!r}.")
    trial = Trial.objects.create(
        organization=organization, reference=reference, title=title.strip(), created_by=actor
    )
    record_event(
        AuditEventType.TRIAL_CREATED, actor=actor, trial=trial, data={"reference": reference, "title": title}
    )
    if record is not None:
        save_record(trial, record, base_sha256=None, actor=actor)
        trial.refresh_from_db()
    return trial


def _next_stage(trial: Trial) -> str:
    for stage in STAGES:
        if not trial_reached(trial, stage):
            return stage
    return STAGES[-1]


def _stage_part(content: dict[str, Any], stage: str) -> dict[str, Any]:
    return {section: content.get(section) for section in STAGE_SECTIONS[stage]}


def accepted_content(trial: Trial, stage: str) -> dict[str, Any] | None:
    """The record as last accepted for ``stage`` (the pinned version of its latest accepted filing)."""
    filing = (
        trial.filings.filter(stage=stage, state=FilingState.ACCEPTED, pinned_version__isnull=False)
        .select_related("pinned_version")
        .order_by("-accepted_at", "-pk")
        .first()
    )
    if filing is None or filing.pinned_version is None:
        return None
    content: dict[str, Any] = filing.pinned_version.content
    return content


def has_open_update(trial: Trial, stage: str) -> bool:
    """Whether an update filing of ``stage`` is still open: a stage has at most one at a time."""
    return (
        trial.filings.filter(stage=stage, kind=FilingKind.UPDATE)
        .exclude(state__in=CLOSED_FILING_STATES)
        .exists()
    )


def open_update_filings(trial: Trial, content: dict[str, Any], actor: Any) -> list[Filing]:
    """Open a draft update filing for every accepted stage whose part of the record now differs from what
    was accepted, unless one is already open (DESIGN section 4: the trial never moves back)."""
    opened: list[Filing] = []
    for stage in STAGES:
        if not trial_reached(trial, stage):
            continue
        accepted = accepted_content(trial, stage)
        if accepted is None or _stage_part(accepted, stage) == _stage_part(content, stage):
            continue
        if has_open_update(trial, stage):
            continue
        initial = trial.filings.filter(stage=stage, kind=FilingKind.INITIAL).first()
        opened.append(
            Filing.objects.create(
                trial=trial,
                stage=stage,
                kind=FilingKind.UPDATE,
                target_registries=list(initial.target_registries) if initial else ["record"],
                created_by=actor,
            )
        )
    return opened


def _findings_as_dicts(findings: list[Finding]) -> list[dict[str, Any]]:
    return [finding.as_dict() for finding in findings]


@transaction.atomic
def save_record(trial: Trial, record: dict[str, Any], *, base_sha256: str | None, actor: Any) -> SaveResult:
    """Save ``record`` as the trial's new head version, optimistically against ``base_sha256``.

    Authors only. A record that ``registries.jsonread`` would refuse (NaN, NUL, too deep...) is refused
    with the same code. ``base_sha256`` must name the current head (None for a trial without one), else
    ``record.stale_base``: a stale base is a conflict, never a silent overwrite (DESIGN section 3).
    While any filing of the trial is in review the save is refused (``record.in_review``): the version
    under review is pinned and must stay what the approver signs.
    Saving the head's own content again changes nothing and writes no event; saving an older version's
    content makes that version the head again (a version is named by its content). Error findings do
    not block a save (authors save incomplete work); they are stored and returned. A change to a stage
    that was already accepted opens an update filing for it. Once committed, the trial's deadlines are
    recomputed (``recompute_trial_deadlines``).
    """
    require_role(actor, trial.organization, (Role.AUTHOR,), "save the record")
    return save_record_of_author(trial, record, base_sha256=base_sha256, actor=actor)


@dataclass(frozen=True)
class PreparedRecord:
    """What a save works out from the record alone, before it locks the trial (``prepare_record``)."""

    sha256: str
    stage: str  # the stage the findings were computed for
    findings: list[dict[str, Any]] | None  # None: not computed (the record looked unchanged)


def prepare_record(trial: Trial, record: Any) -> PreparedRecord:
    """Check ``record`` and compute its name and registry-independent findings without a lock or a
    transaction: with SQLite every transaction holds the one writer lock, and a 150 KB record's findings
    are a fifth of a save (bench/api_load.py). The findings are for the trial's stage as read now;
    ``save_record_of_author`` computes them again in the rare case the stage moved meanwhile. A record
    equal to the trial's current head gets no findings (the save will change nothing)."""
    if not isinstance(record, dict):
        raise DomainError("record.not_an_object", "The record must be a JSON object.")
    try:
        # Whoever called, nothing is stored that a database refuses (NaN, NUL) or no page can render.
        check_value(record)
    except RegistryError as error:
        raise DomainError(error.code, error.message) from None
    sha = record_sha256(record)
    stage = _next_stage(trial)
    if _head_sha(trial) == sha:
        return PreparedRecord(sha, stage, None)
    return PreparedRecord(sha, stage, _findings_as_dicts(checks.record_findings(record, stage)))


def _head_sha(trial: Trial) -> str | None:
    if trial.head_id is None:
        return None
    if Trial.head.is_cached(trial):  # the API and the bulk upsert load the head with the trial
        return trial.head.sha256 if trial.head else None
    return RecordVersion.objects.filter(pk=trial.head_id).values_list("sha256", flat=True).first()


def save_record_of_author(
    trial: Trial,
    record: dict[str, Any],
    *,
    base_sha256: str | None,
    actor: Any,
    prepared: PreparedRecord | None = None,
) -> SaveResult:
    """``save_record`` for a caller that has just checked that ``actor`` is an author
    (``records.replace_record``, the bulk upsert). Not decorated: the caller's transaction is this save's,
    so an API save costs no savepoint and no second membership query (each a round trip to the database
    while the trial is locked; bench/api_load.py). ``prepared`` is ``prepare_record(trial, record)``,
    computed by the caller before its transaction began."""
    if prepared is None:
        prepared = prepare_record(trial, record)
    locked = (
        Trial.objects.select_for_update(no_key=True, of=("self",))
        .select_related("head", "organization")
        .defer("head__content")  # only the head's name and findings are needed, not its (large) content
        .get(pk=trial.pk)
    )
    if locked.state == TrialState.WITHDRAWN:
        raise DomainError("trial.withdrawn", "The trial has been withdrawn; its record can no longer change.")
    in_review = list(locked.filings.filter(state=FilingState.IN_REVIEW).order_by("pk"))
    if in_review:
        # The version under review is pinned; a save now would change what the approver signs
        # (21 CFR 11.70). Refused, not queued: the reviewer returns the filing to its author first.
        names = ", ".join(f"#{item.pk} {item}" for item in in_review)
        raise DomainError(
            "record.in_review",
            f"The record cannot change while a filing is in review ({names}); ask a reviewer to return "
            "it to you first.",
        )
    head = locked.head
    head_sha = head.sha256 if head else None
    if base_sha256 != head_sha:
        raise DomainError(
            "record.stale_base",
            f"The record changed since you opened it (current version {head_sha or 'none'}, yours was based "
            f"on {base_sha256 or 'none'}); reload it and apply your changes again.",
        )
    sha = prepared.sha256
    if head is not None and head.sha256 == sha:
        return SaveResult(version=head, created=False, findings=list(head.findings))
    version = locked.versions.filter(sha256=sha).first()
    created = version is None
    if version is None:
        stage = _next_stage(locked)
        findings = prepared.findings
        if findings is None or prepared.stage != stage:
            findings = _findings_as_dicts(checks.record_findings(record, stage))
        try:
            with transaction.atomic():
                version = RecordVersion.objects.create(
                    trial=locked,
                    sha256=sha,
                    content=record,
                    schema_version=str(record.get("schemaVersion", "")),
                    based_on=head,
                    findings=findings,
                    created_by=actor,
                )
        except IntegrityError:
            raise DomainError("record.stale_base", "Another save of this record is in progress.") from None
    locked.head = version
    locked.save(update_fields=["head", "updated_at"])
    # The caller's copy shows the new head without reading the row again (only these two changed).
    trial.head = version
    trial.updated_at = locked.updated_at
    update_filings = open_update_filings(locked, record, actor)
    record_event(
        AuditEventType.RECORD_SAVED,
        actor=actor,
        trial=locked,
        data={
            "sha256": sha,
            "based_on": head_sha,
            "new_version": created,
            "update_filings": [filing.pk for filing in update_filings],
        },
    )
    if head is None or head.findings != version.findings:
        from submissions.domain.webhooks import emit_event

        emit_event(
            locked.organization,
            WebhookEvent.FINDINGS_CHANGED,
            {
                "trial": {"id": locked.pk, "reference": locked.reference},
                "record_sha256": sha,
                "findings": list(version.findings),
            },
        )
    schedule_recompute(locked.pk, RecomputeReason.RECORD_SAVED)
    return SaveResult(
        version=version, created=created, findings=list(version.findings), update_filings=update_filings
    )


@transaction.atomic
def withdraw_trial(trial: Trial, *, actor: Any, reason: str) -> Trial:
    """Withdraw a trial that is still a draft or only registered. Approvers and admins; a reason is
    required and kept in the audit trail."""
    authorize_transition(trial, trial.organization, "withdraw", actor)
    if not reason.strip():
        raise DomainError("trial.reason_required", "Say why the trial is withdrawn.")
    previous = trial.state
    run_transition(trial, "withdraw", actor)
    record_event(
        AuditEventType.TRIAL_WITHDRAWN,
        actor=actor,
        trial=trial,
        data={"from": previous, "reason": reason.strip()},
    )
    after_commit("trial withdrawn", trial=trial.pk)
    return trial


@transaction.atomic
def add_member(organization: Organization, user: Any, role: str, *, actor: Any) -> Membership:
    """Give ``user`` a role in the organization. Organization admins only."""
    require_role(actor, organization, (Role.ADMIN,), "manage members")
    if role not in Role.values:
        raise DomainError(
            "membership.unknown_role", f"Unknown role {role!r}; roles: {', '.join(Role.values)}."
        )
    membership, created = Membership.objects.get_or_create(organization=organization, user=user, role=role)
    if created:
        record_event(
            AuditEventType.MEMBERSHIP_ADDED,
            actor=actor,
            organization=organization,
            data={"user": user.get_username(), "role": role},
        )
    return membership
