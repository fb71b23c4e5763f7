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
    or shrank has ``added`` or ``removed`` changes at the positions past the shorter one. The walk keeps
    its own stack, so a record of any depth is compared (records stored before depth was bounded can be
    nested far deeper than Python's recursion limit).
    """
    changes: list[Change] = []
    # Pending places, the next one to visit last; each item is (before, after, pointer) or a change.
    stack: list[tuple[Any, Any, str] | Change] = [(before, after, "")]
    while stack:
        item = stack.pop()
        if isinstance(item, Change):
            changes.append(item)
            continue
        old, new, pointer = item
        stack.extend(reversed(_steps(old, new, pointer)))
    return changes


def _steps(before: Any, after: Any, pointer: str) -> list[tuple[Any, Any, str] | Change]:
    """What comparing one place gives, in order: changes found here and places to compare further."""
    if isinstance(before, dict) and isinstance(after, dict):
        steps: list[tuple[Any, Any, str] | Change] = []
        for key in sorted(before.keys() | after.keys()):
            place = f"{pointer}/{escape_pointer_token(str(key))}"
            if key not in after:
                steps.append(Change(place, ChangeKind.REMOVED, before[key], None))
            elif key not in before:
                steps.append(Change(place, ChangeKind.ADDED, None, after[key]))
            else:
                steps.append((before[key], after[key], place))
        return steps
    if isinstance(before, list) and isinstance(after, list):
        shared = min(len(before), len(after))
        steps = [(before[index], after[index], f"{pointer}/{index}") for index in range(shared)]
        steps += [
            Change(f"{pointer}/{i}", ChangeKind.REMOVED, before[i], None) for i in range(shared, len(before))
        ]
        steps += [
            Change(f"{pointer}/{i}", ChangeKind.ADDED, None, after[i]) for i in range(shared, len(after))
        ]
        return steps
    if isinstance(before, dict | list) or isinstance(after, dict | list):
        # One side is a container and the other is not (or the other kind): changed, without serializing
        # a value that may be deep.
        return [Change(pointer, ChangeKind.CHANGED, before, after)]
    if canonical_json(before) != canonical_json(after):
        return [Change(pointer, ChangeKind.CHANGED, before, after)]
    return []
