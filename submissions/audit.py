"""Appending to and verifying the keyed, hash-chained audit trail (DESIGN section 7).

Four layers keep the trail unaltered (21 CFR 11.10(e)). The ORM refuses to update or delete an event
(``submissions.models.ImmutableModel``). The database refuses UPDATE, DELETE and TRUNCATE of the events
and of the deadline history whatever SQL reaches it (triggers of migration
``0003_append_only_triggers``, on PostgreSQL and SQLite). A table owner or superuser can still lift
those triggers; what they then change is caught by the chain: each event's hash is an HMAC-SHA256 under
a secret key that lives outside the database (``AUDIT_HMAC_KEY``), so someone who knows the algorithm but
not the key can neither edit an event nor re-chain the events after it. Last, the chain's head (event
count and head hash) is copied outside the database at intervals (``submissions.anchors``), so removing
the newest events is caught too. ``verify_trail`` (``manage.py verify_audit_log``) checks all of it and
names what it finds.

Keys are named by a fingerprint (``key_id``) stored on each event, so the key can be rotated: new events
use the current key and the retired keys stay configured for verification (README, "Security").
Events written before hashes were keyed carry no ``key_id`` and a plain SHA-256; they are accepted only
as the chain's first events, before any keyed one, and only as many as the anchors allow.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from registries.canonical import canonical_json
from submissions.enums import AUDIT_GENESIS_HASH
from submissions.models import AuditEvent, ESignature, Filing, Organization, Trial

# Key of the PostgreSQL advisory lock that serialises appends (any constant unique to this use).
_AUDIT_LOCK_KEY = 0x41554454  # "AUDT"
# What the key fingerprint is an HMAC of: the fingerprint names a key without revealing it.
_KEY_ID_LABEL = b"trialdisclosure audit key id"


def key_id_of(key: str) -> str:
    """The public name of a key: 16 hex digits of an HMAC under the key itself."""
    return hmac.new(key.encode("utf-8"), _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


def audit_keys() -> dict[str, str]:
    """Every configured key by its ``key_id``: the current one and the retired ones kept to verify."""
    current = settings.AUDIT_HMAC_KEY
    if not current:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY is not set: the audit trail cannot be written.")
    keys = {key_id_of(key): key for key in [*settings.AUDIT_HMAC_RETIRED_KEYS, current] if key}
    return keys


def current_key_id() -> str:
    return key_id_of(settings.AUDIT_HMAC_KEY)


def keyed_digest(body: dict[str, Any], key_id: str | None) -> str:
    """HMAC-SHA256 of the canonical JSON of ``body`` under the key ``key_id`` names; with no key id, the
    plain SHA-256 that hashes had before they were keyed. ``KeyError`` for a key not configured."""
    data = canonical_json(body)
    if key_id is None:
        return hashlib.sha256(data).hexdigest()
    key = audit_keys()[key_id]
    return hmac.new(key.encode("utf-8"), data, hashlib.sha256).hexdigest()


def _event_body(
    *,
    prev_hash: str,
    event_type: str,
    organization_id: int | None,
    actor_id: int | None,
    trial_id: int | None,
    filing_id: int | None,
    data: dict[str, Any],
    created_at: datetime,
    key_id: str | None,
) -> dict[str, Any]:
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
    if key_id is not None:
        body["key_id"] = key_id
    return body


def event_body(event: AuditEvent) -> dict[str, Any]:
    return _event_body(
        prev_hash=event.prev_hash,
        event_type=event.event_type,
        organization_id=event.organization_id,
        actor_id=event.actor_id,
        trial_id=event.trial_id,
        filing_id=event.filing_id,
        data=event.data,
        created_at=event.created_at,
        key_id=event.key_id,
    )


def hash_of(event: AuditEvent) -> str:
    """The hash the event's own fields give under its key (what it should carry if nobody altered it)."""
    return keyed_digest(event_body(event), event.key_id)


def public_hash_of(event: AuditEvent) -> str:
    """The event's hash by the public algorithm with no key: what a forger without the key computes."""
    return hashlib.sha256(canonical_json(event_body(event))).hexdigest()


def _lock_chain() -> None:
    # Two appends reading the same latest hash would fork the chain. PostgreSQL: a transaction-scoped
    # advisory lock (works on an empty table, unlike locking the latest row). SQLite serialises writers.
    # A transaction may take this lock before it inserts rows that reference a trial or filing another
    # transaction has locked, while that one waits here: so domain functions lock such rows FOR NO KEY
    # UPDATE (select_for_update(no_key=True)), which the inserts' foreign-key checks (FOR KEY SHARE) pass.
    # With FOR UPDATE that was a deadlock (a worker recomputing deadlines while a request wrote a roster;
    # tests/submissions/test_celery_redis.py on PostgreSQL).
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
    key_id = current_key_id()
    # No savepoint of its own inside a caller's transaction (two round trips per audited action): an
    # event that cannot be written must undo the change it describes, so the failure rolls back the
    # caller's transaction whole.
    with transaction.atomic(savepoint=False):
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
            key_id=key_id,
        )
        event.hash = hash_of(event)
        event.save()
    return event


class Tampering(StrEnum):
    """What verification found, each with the sentence that names it."""

    EDITED = "edited"  # one event's fields changed, its stored hash left as written
    RECHAINED = "rechained"  # an event changed and the hashes after it recomputed without the key
    BROKEN_LINK = "broken_link"  # an event removed or inserted in the middle of the chain
    UNKNOWN_KEY = "unknown_key"  # an event names a key that is not configured
    UNKEYED_AFTER_KEYED = "unkeyed_after_keyed"  # an unkeyed (old-style) event after keyed ones
    TRUNCATED = "truncated"  # fewer events than an anchor recorded
    ANCHOR_MISMATCH = "anchor_mismatch"  # the event an anchor recorded is not the one in the database
    ANCHOR_FORGED = "anchor_forged"  # an anchor's own MAC does not hold
    SIGNATURE_EDITED = "signature_edited"  # a signature's fields no longer give its hash


@dataclass(frozen=True)
class BrokenLink:
    """The first event whose chain does not hold: what was expected and what was found."""

    event_id: int
    field: str
    expected: str
    found: str
    kind: Tampering = Tampering.EDITED

    def sentence(self) -> str:
        what = {
            Tampering.EDITED: "was edited after it was written (its fields no longer give its hash)",
            Tampering.RECHAINED: (
                "and every event after it were re-chained by someone without the audit key "
                "(their hashes do not hold under the key)"
            ),
            Tampering.BROKEN_LINK: "does not follow its predecessor (an event was removed or inserted)",
            Tampering.UNKNOWN_KEY: "names an audit key that is not configured (AUDIT_HMAC_RETIRED_KEYS?)",
            Tampering.UNKEYED_AFTER_KEYED: "is unkeyed although keyed events precede it (a forgery)",
        }.get(self.kind, str(self.kind))
        return (
            f"Audit event {self.event_id} {what}: {self.field} expected {self.expected}, found {self.found}."
        )


def _classify(events: list[AuditEvent], index: int) -> Tampering:
    """Why event ``index`` does not give its own hash: edited alone, or re-chained from there on."""
    event = events[index]
    if event.hash == public_hash_of(event):
        return Tampering.RECHAINED
    following = events[index + 1] if index + 1 < len(events) else None
    if (
        following is not None
        and following.prev_hash == event.hash
        and following.hash != _safe_hash(following)
    ):
        return Tampering.RECHAINED
    return Tampering.EDITED


def _safe_hash(event: AuditEvent) -> str | None:
    try:
        return hash_of(event)
    except KeyError:
        return None


@dataclass(frozen=True)
class ChainState:
    """What a walk of the chain found: events that held, the first broken link, and the head."""

    checked: int
    broken: BrokenLink | None
    unkeyed_prefix: int
    hashes: dict[int, str]  # event count -> hash of that event, for the anchors' positions


def walk_chain(positions: Iterable[int] = ()) -> ChainState:
    """Walk the chain in id order, collecting the hash at each position (an event count) asked for."""
    wanted = set(positions)
    expected_prev = AUDIT_GENESIS_HASH
    checked = 0
    unkeyed_prefix = 0
    seen_keyed = False
    hashes: dict[int, str] = {}
    # A window of two events: classifying a bad hash looks at the event after it.
    window: list[AuditEvent] = []
    keys = audit_keys()

    def check(event: AuditEvent, following: AuditEvent | None) -> BrokenLink | None:
        nonlocal expected_prev, seen_keyed, unkeyed_prefix
        if event.prev_hash != expected_prev:
            return BrokenLink(event.pk, "prev_hash", expected_prev, event.prev_hash, Tampering.BROKEN_LINK)
        if event.key_id is None:
            if seen_keyed:
                return BrokenLink(event.pk, "key_id", "a key", "none", Tampering.UNKEYED_AFTER_KEYED)
            unkeyed_prefix += 1
        else:
            seen_keyed = True
            if event.key_id not in keys:
                return BrokenLink(event.pk, "key_id", "a configured key", event.key_id, Tampering.UNKNOWN_KEY)
        recomputed = hash_of(event)
        if event.hash != recomputed:
            pair = [event] + ([following] if following is not None else [])
            return BrokenLink(event.pk, "hash", recomputed, event.hash, _classify(pair, 0))
        expected_prev = event.hash
        return None

    def settle(event: AuditEvent, following: AuditEvent | None) -> BrokenLink | None:
        nonlocal checked
        broken = check(event, following)
        if broken is None:
            checked += 1
            if checked in wanted:
                hashes[checked] = event.hash
        return broken

    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        window.append(event)
        if len(window) == 2:
            broken = settle(window[0], window[1])
            if broken is not None:
                return ChainState(checked, broken, unkeyed_prefix, hashes)
            window.pop(0)
    if window:
        broken = settle(window[0], None)
        if broken is not None:
            return ChainState(checked, broken, unkeyed_prefix, hashes)
    return ChainState(checked, None, unkeyed_prefix, hashes)


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Walk the chain in id order; return how many events held and the first broken link (or None)."""
    state = walk_chain()
    return state.checked, state.broken


@dataclass(frozen=True)
class Finding:
    """One thing verification found wrong, named (``kind``) and said in a sentence."""

    kind: Tampering
    sentence: str


@dataclass(frozen=True)
class TrailReport:
    """The whole verification: events that held, anchors checked, and what was found."""

    events: int
    anchors: int
    signatures: int
    findings: list[Finding]

    @property
    def intact(self) -> bool:
        return not self.findings


def verify_signatures() -> tuple[int, list[Finding]]:
    """Every e-signature's fields must still give its hash (under its key)."""
    from submissions.domain.signatures import hash_of_signature

    findings: list[Finding] = []
    checked = 0
    for signature in ESignature.objects.order_by("pk").iterator(chunk_size=500):
        try:
            recomputed = hash_of_signature(signature)
        except KeyError:
            recomputed = None
        if recomputed != signature.signature_hash:
            findings.append(
                Finding(
                    Tampering.SIGNATURE_EDITED,
                    f"E-signature {signature.pk} was edited after signing: its fields give "
                    f"{recomputed or 'no hash (unknown key)'}, it carries {signature.signature_hash}.",
                )
            )
        else:
            checked += 1
    return checked, findings


def verify_trail() -> TrailReport:
    """The chain, then every anchor against it, then the signatures (``manage.py verify_audit_log``)."""
    from submissions.anchors import anchor_store, verify_anchor_mac

    anchors = anchor_store().read()
    state = walk_chain(anchor.count for anchor in anchors)
    findings: list[Finding] = []
    if state.broken is not None:
        findings.append(Finding(state.broken.kind, state.broken.sentence()))
    total = AuditEvent.objects.count()
    for anchor in anchors:
        if not verify_anchor_mac(anchor):
            findings.append(
                Finding(
                    Tampering.ANCHOR_FORGED,
                    f"The anchor of {anchor.anchored_at} (event {anchor.count}) does not hold under the "
                    "audit key: the anchor store was edited.",
                )
            )
            continue
        if total < anchor.count:
            findings.append(
                Finding(
                    Tampering.TRUNCATED,
                    f"The audit log was truncated: it has {total} events, the anchor of "
                    f"{anchor.anchored_at} recorded {anchor.count}.",
                )
            )
        elif anchor.count in state.hashes and state.hashes[anchor.count] != anchor.head_hash:
            findings.append(
                Finding(
                    Tampering.ANCHOR_MISMATCH,
                    f"Event {anchor.count} is not the one anchored on {anchor.anchored_at} (hash "
                    f"{state.hashes[anchor.count]}, anchored {anchor.head_hash}): the log was rewritten.",
                )
            )
        if state.unkeyed_prefix > anchor.unkeyed_prefix:
            findings.append(
                Finding(
                    Tampering.UNKEYED_AFTER_KEYED,
                    f"{state.unkeyed_prefix} events are unkeyed, the anchor of {anchor.anchored_at} recorded "
                    f"{anchor.unkeyed_prefix}: keyed events were rewritten as unkeyed ones.",
                )
            )
    signatures, signature_findings = verify_signatures()
    findings.extend(signature_findings)
    return TrailReport(events=state.checked, anchors=len(anchors), signatures=signatures, findings=findings)
