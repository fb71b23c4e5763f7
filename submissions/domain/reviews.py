"""What a reviewer and an approver see before they sign: the version under review, what a registry last
accepted of that stage, the field-by-field changes between the two, and who wrote them (DESIGN
sections 4 and 7; 21 CFR 11.50, 11.70).

Read-only: nothing here writes. The approval rule that nobody who wrote any of the changes may sign them
(``signature.record_author``, ``submissions.workflow``) reads ``filing_authors`` from here, so the page and
the rule always agree on who the authors are.

The baseline of a filing is the record version pinned by the latest filing of the same stage that every
registry accepted before this one went to review; a stage never accepted falls back to the latest
accepted filing of any stage of the trial (its content already passed a second person), and a trial
with nothing accepted has no baseline (every field of the record is new). The authors of a filing are
the people who saved the record after the baseline's approval (every ``record.saved`` audit event of the
trial after that approval's event, up to the filing's submission for review), and the person who first
saved the version under review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from registries.diff import Change, diff_records
from submissions.enums import AuditEventType, FilingState
from submissions.models import AuditEvent, Filing, RecordVersion


@dataclass(frozen=True)
class ApprovalSummary:
    """``version`` is the pinned version once the filing went to review (``pinned`` true), the trial's
    head while it is a draft; ``changes`` run from ``baseline`` (an empty record when None) to it."""

    filing: Filing
    version: RecordVersion | None
    pinned: bool
    baseline: RecordVersion | None
    baseline_filing: Filing | None
    changes: list[Change]
    authors: list[Any]
    submitted_by: Any

    @property
    def version_sha256(self) -> str | None:
        return self.version.sha256 if self.version is not None else None

    @property
    def baseline_sha256(self) -> str | None:
        return self.baseline.sha256 if self.baseline is not None else None


def filed_version(filing: Filing) -> RecordVersion | None:
    """The version the filing files: the pinned one from submission for review on, else the head."""
    if filing.pinned_version_id is not None:
        return filing.pinned_version
    return filing.trial.head


def baseline_filing(filing: Filing) -> Filing | None:
    """The accepted filing whose pinned version the filing is compared with (see the module's rule)."""
    accepted = (
        Filing.objects.filter(
            trial_id=filing.trial_id, state=FilingState.ACCEPTED, pinned_version__isnull=False
        )
        .exclude(pk=filing.pk)
        .select_related("pinned_version")
    )
    if filing.submitted_for_review_at is not None:
        accepted = accepted.filter(accepted_at__lt=filing.submitted_for_review_at)
    ordered = accepted.order_by("-accepted_at", "-pk")
    return ordered.filter(stage=filing.stage).first() or ordered.first()


def _event_pk(filing: Filing | None, event_type: str) -> int | None:
    if filing is None:
        return None
    return (
        AuditEvent.objects.filter(filing_id=filing.pk, event_type=event_type)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


def filing_authors(filing: Filing) -> set[int]:
    """Ids of the people who wrote what the filing files (see the module's rule)."""
    saves = AuditEvent.objects.filter(trial_id=filing.trial_id, event_type=AuditEventType.RECORD_SAVED)
    after = _event_pk(baseline_filing(filing), AuditEventType.FILING_APPROVED)
    if after is not None:
        saves = saves.filter(pk__gt=after)
    if filing.state != FilingState.DRAFT:
        until = _event_pk(filing, AuditEventType.FILING_SUBMITTED_FOR_REVIEW)
        if until is not None:
            saves = saves.filter(pk__lt=until)
    authors = {pk for pk in saves.values_list("actor_id", flat=True) if pk is not None}
    version = filed_version(filing)
    if version is not None:
        authors.add(version.created_by_id)
    return authors


def approval_summary(filing: Filing) -> ApprovalSummary:
    """Everything the approval page shows, read fresh from the database."""
    filing = Filing.objects.select_related("trial__head", "pinned_version", "submitted_for_review_by").get(
        pk=filing.pk
    )
    version = filed_version(filing)
    base_filing = baseline_filing(filing)
    baseline = base_filing.pinned_version if base_filing is not None else None
    before: dict[str, Any] = baseline.content if baseline is not None else {}
    after: dict[str, Any] = version.content if version is not None else {}
    author_ids = filing_authors(filing)
    authors = list(
        get_user_model().objects.filter(Q(pk__in=author_ids)).order_by("last_name", "first_name", "pk")
    )
    return ApprovalSummary(
        filing=filing,
        version=version,
        pinned=filing.pinned_version_id is not None,
        baseline=baseline,
        baseline_filing=base_filing,
        changes=diff_records(before, after),
        authors=authors,
        submitted_by=filing.submitted_for_review_by,
    )
