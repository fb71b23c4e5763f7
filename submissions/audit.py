"""Appending to and verifying the hash-chained audit trail (DESIGN section 7).

Three layers keep the trail unaltered (21 CFR 11.10(e)). The ORM refuses to update or delete an event
(``submissions.models.ImmutableModel``). The database refuses UPDATE, DELETE and TRUNCATE of the events
and of the deadline history whatever SQL reaches it (triggers of migration
``0003_append_only_triggers``, on PostgreSQL and SQLite). A table owner or superuser can still lift
those triggers; what they then change is caught by the hash chain, which ``verify_chain`` (``manage.py
verify_audit_log``) walks and which names the first broken link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from registries.canonical import canonical_json
from submissions.enums import AUDIT_GENESIS_HASH
from submissions.models import AuditEvent, Filing, Organization, Trial

# Key of the PostgreSQL advisory lock that serialises appends (any constant unique to this use).
_AUDIT_LOCK_KEY = 0x41554454  # "AUDT"


def event_hash(
    *,
    prev_hash: str,
    event_type: str,
    organization_id: int | None,
    actor_id: int | None,
    trial_id: int | None,
    filing_id: int | None,
    data: dict[str, Any],
    created_at: datetime,
) -> str:
    """SHA-256 over the canonical JSON of the previous hash and every field of the event."""
    body = {
        "prev_hash": prev_hash,
        "event_type": event_type,
        "organization_id": organization_id,
        "actor_id": actor_id,
        "trial_id": trial_id,
        "filing_id": filing_id,
        "data": data,
        "created_at": created_at.isoformat(),
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def hash_of(event: AuditEvent) -> str:
    """The hash the event's own fields give (what it should carry if nobody altered it)."""
    return event_hash(
        prev_hash=event.prev_hash,
        event_type=event.event_type,
        organization_id=event.organization_id,
        actor_id=event.actor_id,
        trial_id=event.trial_id,
        filing_id=event.filing_id,
        data=event.data,
        created_at=event.created_at,
    )


def _lock_chain() -> None:
    # Two appends reading the same latest hash would fork the chain. PostgreSQL: a transaction-scoped
    # advisory lock (works on an empty table, unlike locking the latest row). SQLite serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])


def record_event(
    event_type: str,
    *,
    actor: Any = None,
    organization: Organization | None = None,
    trial: Trial | None = None,
    filing: Filing | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction, so the event exists exactly
    when the change it describes does."""
    if trial is not None and organization is None:
        organization = trial.organization
    if filing is not None and trial is None:
        trial = filing.trial
        organization = organization or trial.organization
    payload = dict(data or {})
    with transaction.atomic():
        _lock_chain()
        latest = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        event = AuditEvent(
            event_type=event_type,
            organization=organization,
            actor_id=actor.pk if actor is not None else None,
            trial=trial,
            filing=filing,
            data=payload,
            created_at=timezone.now(),
            prev_hash=latest or AUDIT_GENESIS_HASH,
        )
        event.hash = hash_of(event)
        event.save()
    return event


@dataclass(frozen=True)
class BrokenLink:
    """The first event whose chain does not hold: what was expected and what was found."""

    event_id: int
    field: str
    expected: str
    found: str

    def sentence(self) -> str:
        return f"Audit event {self.event_id}: {self.field} expected {self.expected}, found {self.found}."


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Walk the chain in id order; return how many events held and the first broken link (or None)."""
    expected_prev = AUDIT_GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return checked, BrokenLink(event.pk, "prev_hash", expected_prev, event.prev_hash)
        recomputed = hash_of(event)
        if event.hash != recomputed:
            return checked, BrokenLink(event.pk, "hash", recomputed, event.hash)
        expected_prev = event.hash
        checked += 1
    return checked, None
