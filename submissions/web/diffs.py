"""Record differences as people read them: one row per changed field, before and after side by side."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from registries.diff import Change, ChangeKind, diff_records
from submissions.enums import FilingState
from submissions.models import RecordVersion, Trial

# A diff of two very different records (say, an import over a stub) is long; the page shows the first
# rows and says how many more there are.
DIFF_ROW_LIMIT = 1000


@dataclass(frozen=True)
class DiffRow:
    pointer: str
    kind: str
    before: str
    after: str


def _text(value: Any, present: bool) -> str:
    if not present:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def diff_rows(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[DiffRow]:
    """The changes from ``before`` to ``after`` (an absent record reads as empty), as text to show."""
    return rows_of(diff_records(before or {}, after or {}))


def rows_of(changes: list[Change]) -> list[DiffRow]:
    """``registries.diff`` changes as text to show side by side."""
    rows = []
    for change in changes:
        rows.append(
            DiffRow(
                pointer=change.pointer,
                kind=str(change.kind),
                before=_text(change.before, change.kind is not ChangeKind.ADDED),
                after=_text(change.after, change.kind is not ChangeKind.REMOVED),
            )
        )
    return rows


def last_accepted_version(trial: Trial) -> RecordVersion | None:
    """The record version of the trial's most recently accepted filing, any stage."""
    filing = (
        trial.filings.filter(state=FilingState.ACCEPTED, pinned_version__isnull=False)
        .select_related("pinned_version__created_by")
        .order_by("-accepted_at", "-pk")
        .first()
    )
    return filing.pinned_version if filing is not None else None
