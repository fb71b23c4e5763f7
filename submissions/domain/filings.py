"""Domain services for filings: one function per transition of the filing's state machine."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from registries import registry_codes
from registries.findings import RegistryError
from registries.payload import Payload as RegistryPayload
from submissions import checks
from submissions.audit import current_key_id, record_event
from submissions.domain._access import (
    after_commit,
    authorize_transition,
    require_role,
    run_transition,
)
from submissions.domain.accounts import check_signing_allowed, record_signature_failure
from submissions.domain.deadlines import schedule_recompute
from submissions.domain.letters import pdf_branding
from submissions.domain.signatures import check_signature_manifest, signature_hash
from submissions.domain.trials import accepted_content, has_open_update
from submissions.enums import (
    REGISTRY_IDENTIFIERS,
    STAGES,
    AuditEventType,
    FilingKind,
    FilingState,
    RecomputeReason,
    RegistryOutcome,
    Role,
    Stage,
    SubmissionMethod,
    TrialState,
)
from submissions.errors import DomainError
from submissions.models import ESignature, Filing, Payload, RegistrySubmission, Trial
from submissions.workflow import TRIAL_ADVANCE, all_registries_accepted, roles_for, sources_of, trial_reached

# What voiding an approval changes on the filing: it lets go of its pinned version and signature (both,
# and the payloads built for them, stay on record for the audit trail).
_APPROVAL_RELEASED: dict[str, Any] = {
    "pinned_version": None,
    "signature": None,
    "approved_by": None,
    "approved_at": None,
}


def _refresh_trial(filing: Filing) -> None:
    # Conditions read the trial (its state, its head version): never a copy older than the database's.
    filing.trial = Trial.objects.select_related("organization", "head").get(pk=filing.trial_id)


def _validate_targets(stage: str, target_registries: list[str]) -> list[str]:
    targets = sorted(set(target_registries))
    if not targets:
        raise DomainError("filing.no_registry", "Choose at least one target registry.")
    known = registry_codes()
    for code in targets:
        if code not in known:
            raise DomainError(
                "filing.unknown_registry", f"Unknown registry {code!r}; known registries: {', '.join(known)}."
            )
        if stage not in checks.registry_stages(code):
            raise DomainError(
                "filing.stage_not_supported",
                f"{checks.registry_name(code)} takes no {Stage(stage).label.lower()} filing.",
            )
    return targets


@transaction.atomic
def open_filing(
    trial: Trial,
    stage: str,
    *,
    target_registries: list[str] | None = None,
    actor: Any,
    kind: str = FilingKind.INITIAL,
) -> Filing:
    """Open a draft filing of ``stage`` for ``target_registries``. Authors only.

    Without ``target_registries`` the registries are derived from the trial's current record
    (``registries.targets``); the audit event keeps the notes that explain each one.

    A later stage's filing may be drafted early (it cannot be submitted for review before the previous
    stage is accepted). One initial filing per stage; an update filing only for an accepted stage and
    only when none of that stage is open.
    """
    require_role(actor, trial.organization, (Role.AUTHOR,), "open a filing")
    trial = Trial.objects.select_related("organization", "head").get(pk=trial.pk)
    if stage not in STAGES:
        raise DomainError("filing.unknown_stage", f"Unknown stage {stage!r}; stages: {', '.join(STAGES)}.")
    if kind not in FilingKind.values:
        raise DomainError("filing.unknown_kind", f"Unknown filing kind {kind!r}: initial or update.")
    if trial.state == TrialState.WITHDRAWN:
        raise DomainError("trial.withdrawn", "The trial has been withdrawn; no new filing can be opened.")
    derivation: list[dict[str, Any]] = []
    if target_registries is None:
        head = trial.head.content if trial.head is not None else None
        target_registries, notes = checks.derived_targets(head, stage)
        derivation = [note.as_dict() for note in notes]
    targets = _validate_targets(stage, target_registries)
    label = Stage(stage).label.lower()
    if kind == FilingKind.INITIAL:
        existing = trial.filings.filter(stage=stage, kind=FilingKind.INITIAL).first()
        if existing is not None:
            raise DomainError(
                "filing.already_open", f"The trial already has its initial {label} filing (#{existing.pk})."
            )
    else:
        if not trial_reached(trial, stage):
            raise DomainError(
                "filing.stage_not_accepted",
                f"An update filing needs the {label} stage to have been accepted.",
            )
        if has_open_update(trial, stage):
            raise DomainError(
                "filing.update_already_open", f"An update filing of the {label} is already open."
            )
    filing = Filing.objects.create(
        trial=trial, stage=stage, kind=kind, target_registries=targets, created_by=actor
    )
    record_event(
        AuditEventType.FILING_OPENED,
        actor=actor,
        filing=filing,
        data={
            "stage": stage,
            "kind": kind,
            "target_registries": targets,
            **({"derived_from_record": derivation} if derivation else {}),
        },
    )
    return filing


@transaction.atomic
def submit_for_review(filing: Filing, *, actor: Any, comment: str = "") -> Filing:
    """draft -> in_review. Authors. Needs no error findings for the stage in any target registry and the
    previous stage accepted. ``comment`` (what the reviewer should look at) is kept in the audit trail.

    Pins the trial's head version: review and approval are of that version and no other. While the
    filing is in review the record cannot change (``save_record`` refuses with ``record.in_review``);
    to change it, a reviewer or approver returns the filing to its author, which releases the pin.
    """
    # The trial row is locked as save_record locks it, so a save and the pin never interleave.
    Trial.objects.select_for_update(of=("self",)).filter(pk=filing.trial_id).first()
    _refresh_trial(filing)
    authorize_transition(filing, filing.trial.organization, "submit_for_review", actor)
    head = filing.trial.head
    run_transition(
        filing,
        "submit_for_review",
        actor,
        pinned_version=head,
        submitted_for_review_by=actor,
        submitted_for_review_at=timezone.now(),
    )
    record_event(
        AuditEventType.FILING_SUBMITTED_FOR_REVIEW,
        actor=actor,
        filing=filing,
        data={"record_sha256": head.sha256 if head else None, "comment": comment.strip()},
    )
    after_commit("filing submitted for review", filing=filing.pk)
    return filing


@transaction.atomic
def return_to_author(filing: Filing, *, actor: Any, remarks: str = "") -> Filing:
    """in_review -> draft. Reviewers and approvers, with remarks for the author. Releases the pinned
    version: the record may change again, and the next submission for review pins the new head."""
    _refresh_trial(filing)
    authorize_transition(filing, filing.trial.organization, "return_to_author", actor)
    run_transition(filing, "return_to_author", actor, pinned_version=None)
    record_event(
        AuditEventType.FILING_RETURNED_TO_AUTHOR, actor=actor, filing=filing, data={"remarks": remarks}
    )
    after_commit("filing returned to author", filing=filing.pk)
    return filing


@sensitive_variables("password")
def approve_filing(
    filing: Filing,
    *,
    actor: Any,
    password: str,
    printed_name: str,
    meaning: str,
    record_sha256: str | None = None,
) -> ESignature:
    """in_review -> approved, signed (21 CFR 11.50 / 11.200). Approvers; not the person who submitted the
    filing for review (``signature.same_person``) nor anyone who saved a record version the filing
    includes (``signature.record_author``; ``submissions.domain.reviews.filing_authors``).

    The signer re-enters the password and confirms the printed name, which must be the name an
    organization admin verified for the account (``signature.name_not_verified``,
    ``signature.printed_name_mismatch``), and the meaning (``signature_meaning``). Approval signs exactly
    the version pinned at submission for review: with ``record_sha256`` (the hash the approver was shown)
    it is refused (``record.stale_base``) unless that is the pinned version. It builds every target
    registry's payload from the pinned version and stores each with its SHA-256; the signature records the
    hashes it covers. A wrong password changes nothing but is itself recorded (``signature.failed``), since
    repeated attempts are what 21 CFR 11.300(d) asks a system to notice; after
    ``SIGNATURE_FAILURE_LIMIT`` of them signing is locked for a while (``signature.locked``,
    ``submissions.domain.accounts``). The password is never logged nor shown in an error report.
    """
    _refresh_trial(filing)
    authorize_transition(filing, filing.trial.organization, "approve", actor)
    check_signing_allowed(actor)
    if not actor.check_password(password):
        record_signature_failure(actor, filing=filing, reason="bad_password")
        raise DomainError("signature.bad_password", "The password is not correct; nothing was signed.")
    verified_name = check_signature_manifest(filing, actor, printed_name=printed_name, meaning=meaning)
    with transaction.atomic():
        return _approve(
            filing, actor=actor, printed_name=verified_name, meaning=meaning, expected=record_sha256
        )


def _payload_hashes(payloads: Iterable[RegistryPayload]) -> dict[str, str]:
    # A registry's main payload is signed under its code; a registry that takes several files for the
    # stage (CTIS) has the others signed under "code/file name", so the signature covers every file.
    hashes: dict[str, str] = {}
    for payload in payloads:
        key = (
            payload.registry if payload.registry not in hashes else f"{payload.registry}/{payload.file_name}"
        )
        hashes[key] = payload.sha256
    return hashes


def _approve(
    filing: Filing, *, actor: Any, printed_name: str, meaning: str, expected: str | None
) -> ESignature:
    # Read again inside the transaction: the filing may have been returned while the password was checked.
    trial = Trial.objects.get(pk=filing.trial_id)
    current = Filing.objects.select_related("pinned_version").get(pk=filing.pk)
    if (current.state, current.pinned_version_id) != (filing.state, filing.pinned_version_id):
        # Returned to its author (or re-pinned) since this copy was read: the approver saw another filing.
        raise DomainError(
            "filing.concurrent_change",
            "The filing changed while you were working on it; reload it and try again.",
        )
    version = current.pinned_version
    if version is None:
        raise DomainError(
            "filing.not_pinned", "The filing has no pinned record version; submit it for review again."
        )
    if expected is not None and expected != version.sha256:
        raise DomainError(
            "record.stale_base",
            f"The version under review is {version.sha256}, not the {expected} you reviewed; reload it.",
        )
    accepted = accepted_content(trial, filing.stage) if filing.kind == FilingKind.UPDATE else None
    # The lay-summary PDFs among the payloads carry the sponsor's branding (issue 12).
    branding = pdf_branding(trial.organization)
    built = []
    for code in filing.target_registries:
        try:
            built.extend(
                checks.build_payloads(
                    version.content, filing.stage, code, accepted=accepted, branding=branding
                )
            )
        except RegistryError as exc:
            raise DomainError(f"payload.{exc.code}", exc.message) from None
    signed_at = timezone.now()
    key_id = current_key_id()
    payload_hashes = _payload_hashes(payload for payload, _findings in built)
    signature = ESignature.objects.create(
        filing=filing,
        signer=actor,
        printed_name=printed_name,
        signed_at=signed_at,
        meaning=meaning,
        record_sha256=version.sha256,
        payload_sha256s=payload_hashes,
        key_id=key_id,
        signature_hash=signature_hash(
            filing_id=filing.pk,
            signer_id=actor.pk,
            printed_name=printed_name,
            signed_at=signed_at,
            meaning=meaning,
            record_sha256=version.sha256,
            payload_sha256s=payload_hashes,
            key_id=key_id,
        ),
    )
    for payload, findings in built:
        Payload.objects.create(
            filing=filing,
            signature=signature,
            record_version=version,
            registry=payload.registry,
            stage=filing.stage,
            content=payload.content,
            media_type=payload.media_type,
            file_name=payload.file_name,
            schema_version=payload.schema_version,
            sha256=payload.sha256,
            findings=[finding.as_dict() for finding in findings],
        )
    run_transition(
        filing,
        "approve",
        actor,
        pinned_version=version,
        signature=signature,
        approved_by=actor,
        approved_at=signed_at,
    )
    record_event(
        AuditEventType.FILING_APPROVED,
        actor=actor,
        filing=filing,
        data={
            "signature": signature.signature_hash,
            "meaning": meaning,
            "record_sha256": version.sha256,
            "payload_sha256s": payload_hashes,
        },
    )
    after_commit("filing approved", filing=filing.pk)
    return signature


@transaction.atomic
def reopen_filing(filing: Filing, *, actor: Any, reason: str = "") -> Filing:
    """approved -> draft. Approvers. Voids the approval: the filing lets go of its pinned version and
    signature (both stay on record, as do the payloads built for it)."""
    _refresh_trial(filing)
    authorize_transition(filing, filing.trial.organization, "reopen", actor)
    voided = filing.signature.signature_hash if filing.signature else None
    run_transition(filing, "reopen", actor, **_APPROVAL_RELEASED)
    record_event(
        AuditEventType.FILING_REOPENED,
        actor=actor,
        filing=filing,
        data={"voided_signature": voided, "reason": reason},
    )
    return filing


@transaction.atomic
def mark_submitted(
    filing: Filing, *, actor: Any, method: str = SubmissionMethod.UPLOAD, submitted_at: datetime | None = None
) -> list[RegistrySubmission]:
    """approved -> submitted. Authors and approvers record that the approved payloads went out, one
    submission per target registry that has not already accepted this filing. Once committed, the
    trial's deadlines are recomputed: the day sent is the day a duty counts as done."""
    _refresh_trial(filing)
    authorize_transition(filing, filing.trial.organization, "mark_submitted", actor)
    if method not in SubmissionMethod.values:
        raise DomainError(
            "submission.unknown_method",
            f"Unknown submission method {method!r}; methods: {', '.join(SubmissionMethod.values)}.",
        )
    when = submitted_at or timezone.now()
    payloads: dict[str, Payload] = {}
    for payload in filing.payloads_current:
        # The first payload built for a registry is its main one (the others are its attachments).
        payloads.setdefault(payload.registry, payload)
    accepted = set(
        filing.submissions.filter(outcome=RegistryOutcome.ACCEPTED).values_list("registry", flat=True)
    )
    created = []
    for code in filing.target_registries:
        if code in accepted:
            continue
        created.append(
            RegistrySubmission.objects.create(
                filing=filing,
                registry=code,
                payload=payloads[code],
                method=method,
                submitted_at=when,
                submitted_by=actor,
            )
        )
    run_transition(filing, "mark_submitted", actor)
    record_event(
        AuditEventType.FILING_SUBMITTED,
        actor=actor,
        filing=filing,
        data={
            "method": method,
            "registries": [item.registry for item in created],
            "submitted_at": when.isoformat(),
        },
    )
    after_commit("filing submitted", filing=filing.pk)
    schedule_recompute(filing.trial_id, RecomputeReason.FILING_CHANGED)
    return created


def _checked_identifiers(trial: Trial, registry: str, identifiers: dict[str, str]) -> dict[str, str]:
    if registry not in REGISTRY_IDENTIFIERS:
        return dict(identifiers)
    name, pattern = REGISTRY_IDENTIFIERS[registry]
    known = trial.identifiers.get(registry, {}).get(name)
    value = (identifiers.get(name) or "").strip() or known
    registry_label = checks.registry_name(registry)
    if not value:
        raise DomainError(
            "registry.identifier_missing",
            f"{registry_label} acceptance needs the identifier it issued ({name}).",
        )
    if not re.fullmatch(pattern, value):
        raise DomainError(
            "registry.identifier_invalid", f"{value!r} is not a valid {name} for {registry_label}."
        )
    if known and known != value:
        raise DomainError(
            "registry.identifier_conflict",
            f"{registry_label} already issued {known} for this trial, not {value}.",
        )
    return {**identifiers, name: value}


@transaction.atomic
def record_registry_response(
    filing: Filing,
    registry: str,
    *,
    actor: Any,
    outcome: str,
    identifiers: dict[str, str] | None = None,
    response: str = "",
    comments: str = "",
) -> RegistrySubmission:
    """Record a registry's answer to its pending submission of the filing. Authors and approvers.

    ``accepted`` needs the identifier the registry issues (NCT number, EU CT number, ISRCTN); once every
    target registry accepted, the filing goes ``accepted`` and, for a stage's initial filing, the trial
    advances. ``returned`` needs the registry's comments and sends the filing to ``returned`` (and
    starts a correction deadline). Once committed, the trial's deadlines are recomputed.
    """
    require_role(actor, filing.trial.organization, roles_for(Filing, "accept"), "record a registry response")
    if filing.state not in (FilingState.SUBMITTED, FilingState.RETURNED):
        raise DomainError(
            "filing.wrong_state",
            f"The filing is {filing.get_state_display().lower()}; registry responses are recorded for "
            "submitted or returned filings.",
        )
    if registry not in filing.target_registries:
        raise DomainError("registry.not_targeted", f"The filing was not sent to {registry!r}.")
    submission = (
        filing.submissions.select_for_update()
        .filter(registry=registry, outcome=RegistryOutcome.PENDING)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if submission is None:
        raise DomainError(
            "registry.no_pending_submission",
            f"No submission to {registry!r} is awaiting the registry's answer.",
        )
    trial = Trial.objects.select_for_update().get(pk=filing.trial_id)
    filing.trial = trial
    now = timezone.now()
    if outcome == RegistryOutcome.ACCEPTED:
        issued = _checked_identifiers(trial, registry, identifiers or {})
        submission.identifiers = issued
        if registry in REGISTRY_IDENTIFIERS:
            trial.identifiers = {
                **trial.identifiers,
                registry: {**trial.identifiers.get(registry, {}), **issued},
            }
            trial.save(update_fields=["identifiers", "updated_at"])
    elif outcome == RegistryOutcome.RETURNED:
        if not comments.strip():
            raise DomainError(
                "registry.comments_required", "A returned submission needs the registry's comments."
            )
        submission.comments = comments
    else:
        raise DomainError("registry.unknown_outcome", f"Unknown outcome {outcome!r}: accepted or returned.")
    submission.outcome = outcome
    submission.responded_at = now
    submission.response = response
    submission.save()

    previous_trial_state = trial.state
    if filing.state == FilingState.SUBMITTED:
        if outcome == RegistryOutcome.RETURNED:
            run_transition(filing, "registry_returned", actor)
        elif all_registries_accepted(filing):
            run_transition(filing, "accept", actor, accepted_at=now)
            _advance_trial(trial, filing, actor)
    record_event(
        AuditEventType.REGISTRY_RESPONSE_RECORDED,
        actor=actor,
        filing=filing,
        data={
            "registry": registry,
            "outcome": outcome,
            "identifiers": submission.identifiers,
            "filing_state": filing.state,
            "trial_state": {"from": previous_trial_state, "to": trial.state},
        },
    )
    after_commit("registry response recorded", filing=filing.pk, registry=registry)
    schedule_recompute(filing.trial_id, RecomputeReason.FILING_CHANGED)
    return submission


def _advance_trial(trial: Trial, filing: Filing, actor: Any) -> None:
    """A stage's initial filing accepted everywhere moves the trial on, once (the trial never moves back)."""
    if filing.kind != FilingKind.INITIAL:
        return
    name = TRIAL_ADVANCE[filing.stage]
    if trial.state in sources_of(Trial, name):
        run_transition(trial, name, actor)


@transaction.atomic
def start_corrections(filing: Filing, *, actor: Any) -> Filing:
    """returned -> draft. Authors start correcting in answer to the registry's comments; the next
    approval signs (and pins) the corrected version."""
    _refresh_trial(filing)
    authorize_transition(filing, filing.trial.organization, "start_corrections", actor)
    voided = filing.signature.signature_hash if filing.signature else None
    run_transition(filing, "start_corrections", actor, **_APPROVAL_RELEASED)
    record_event(
        AuditEventType.FILING_CORRECTIONS_STARTED,
        actor=actor,
        filing=filing,
        data={"previous_signature": voided},
    )
    return filing
