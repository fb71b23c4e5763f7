"""Copies of the audit chain's head kept outside the database (DESIGN section 7).

A keyed chain stops someone without the key from editing or re-chaining events, but not from removing
the newest ones: what is left is still a valid chain. An anchor records, at one moment, how many events
the chain had and the hash of the last one; ``verify_audit_log`` then requires every anchored event to
still be there, unchanged. Anchors are written by ``manage.py anchor_audit_log`` (daily under Celery
beat, see ``CELERY_BEAT_SCHEDULE``) to the store ``AUDIT_ANCHOR_STORE`` names.

The default store appends one JSON line per anchor to the file ``AUDIT_ANCHOR_PATH``, opened for
appending only; put it where the database's owner cannot write (another host's mount, a WORM bucket
synced from it, or a file with the append-only attribute, ``chattr +a``). Each anchor carries its own
HMAC under the audit key, so an edited anchor is named as such. Another store (an object store with
retention, a notary service) is a class with the same two methods, named by its dotted path.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from registries.canonical import canonical_json
from submissions.audit import audit_keys, current_key_id, walk_chain
from submissions.enums import AUDIT_GENESIS_HASH
from submissions.errors import DomainError


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment: ``count`` events, the last one's ``head_hash``; how many of the
    first events were unkeyed (from before keys); when; the key the ``mac`` is made with."""

    count: int
    head_hash: str
    unkeyed_prefix: int
    anchored_at: str
    key_id: str
    mac: str = ""

    def body(self) -> dict[str, object]:
        fields = asdict(self)
        fields.pop("mac")
        return fields


def anchor_mac(anchor: Anchor) -> str:
    key = audit_keys()[anchor.key_id]
    return hmac.new(key.encode("utf-8"), canonical_json(anchor.body()), hashlib.sha256).hexdigest()


def verify_anchor_mac(anchor: Anchor) -> bool:
    try:
        expected = anchor_mac(anchor)
    except KeyError:
        return False
    return hmac.compare_digest(expected, anchor.mac)


class AnchorStore(Protocol):
    def append(self, anchor: Anchor) -> None: ...

    def read(self) -> list[Anchor]: ...


class FileAnchorStore:
    """One JSON line per anchor in an append-only file (``AUDIT_ANCHOR_PATH``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or settings.AUDIT_ANCHOR_PATH)

    def append(self, anchor: Anchor) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(anchor), sort_keys=True) + "\n"
        # O_APPEND: every write goes to the end whatever else has the file open; never truncated.
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, line.encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def read(self) -> list[Anchor]:
        if not self.path.exists():
            return []
        anchors = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                anchors.append(Anchor(**json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise DomainError(
                    "audit.anchor_unreadable", f"{self.path} line {number} is not an anchor ({exc})."
                ) from None
        return anchors


def anchor_store() -> AnchorStore:
    store: AnchorStore = import_string(str(settings.AUDIT_ANCHOR_STORE))()
    return store


def anchor_chain() -> Anchor:
    """Anchor the chain's current head, after checking the chain holds: anchoring a broken chain
    would vouch for the break (``audit.chain_broken``)."""
    from submissions.models import AuditEvent

    count = AuditEvent.objects.count()
    state = walk_chain([count])
    if state.broken is not None:
        raise DomainError("audit.chain_broken", f"Not anchored: {state.broken.sentence()}")
    key_id = current_key_id()
    unsigned = Anchor(
        # Events appended during the walk are left to the next anchor: this one is the count read first.
        count=count,
        head_hash=state.hashes.get(count, AUDIT_GENESIS_HASH),
        unkeyed_prefix=state.unkeyed_prefix,
        anchored_at=timezone.now().isoformat(),
        key_id=key_id,
    )
    anchor = Anchor(**{**asdict(unsigned), "mac": anchor_mac(unsigned)})
    anchor_store().append(anchor)
    return anchor
