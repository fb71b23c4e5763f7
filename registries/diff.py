"""What changed between two records, field by field, for a person to read before signing.

An approver signs one record version (21 CFR 11.50, 11.70); what they need to see is how it differs from
the version a registry last accepted. Each change names its place as a JSON Pointer (RFC 6901), the value
before and after, and whether the value was added, removed or changed.

Two records with the same canonical serialization (``registries.canonical``) have no changes, and two
with different ones have at least one: scalars are compared by their canonical form, so ``1`` and
``1.0`` (different version hashes) differ while key order never matters. Objects are compared key by
key in sorted order and arrays position by position, so the same two records always give the same list
in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from registries.canonical import canonical_json


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One difference. ``before`` is ``None`` for an added value and ``after`` for a removed one (a JSON
    ``null`` that was added reads the same; ``kind`` tells them apart)."""

    pointer: str
    kind: ChangeKind
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {"pointer": self.pointer, "kind": str(self.kind), "before": self.before, "after": self.after}


def escape_pointer_token(token: str) -> str:
    """RFC 6901 section 3: ``~`` is written ``~0`` and ``/`` is written ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def diff_records(before: Any, after: Any) -> list[Change]:
    """Every change from ``before`` to ``after``: object keys in sorted order, array items by position.

    An object key present on one side only is one change at that key (the whole value); a value whose
    JSON type changed (say an object became an array) is one ``changed`` at its place; an array that grew
    or shrank has ``added`` or ``removed`` changes at the positions past the shorter one.
    """
    changes: list[Change] = []
    _walk(before, after, "", changes)
    return changes


def _walk(before: Any, after: Any, pointer: str, out: list[Change]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(before.keys() | after.keys()):
            place = f"{pointer}/{escape_pointer_token(str(key))}"
            if key not in after:
                out.append(Change(place, ChangeKind.REMOVED, before[key], None))
            elif key not in before:
                out.append(Change(place, ChangeKind.ADDED, None, after[key]))
            else:
                _walk(before[key], after[key], place, out)
        return
    if isinstance(before, list) and isinstance(after, list):
        shared = min(len(before), len(after))
        for index in range(shared):
            _walk(before[index], after[index], f"{pointer}/{index}", out)
        for index in range(shared, len(before)):
            out.append(Change(f"{pointer}/{index}", ChangeKind.REMOVED, before[index], None))
        for index in range(shared, len(after)):
            out.append(Change(f"{pointer}/{index}", ChangeKind.ADDED, None, after[index]))
        return
    if canonical_json(before) != canonical_json(after):
        out.append(Change(pointer, ChangeKind.CHANGED, before, after))
