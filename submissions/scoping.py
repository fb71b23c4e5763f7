"""What a person may see: every query is scoped to the organizations they belong to (DESIGN section 7)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from submissions.models import (
    AuditEvent,
    Deadline,
    DeadlineHistory,
    DeadlineReminder,
    ESignature,
    Filing,
    Membership,
    Organization,
    Payload,
    RecordVersion,
    RegistrySubmission,
    Trial,
    VerifiedName,
)


def organizations_for(user: Any) -> QuerySet[Organization]:
    """Organizations the user belongs to in any role (all of them for a superuser)."""
    if getattr(user, "is_superuser", False):
        return Organization.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct()


def roles_of(user: Any, organization: Organization) -> set[str]:
    """The roles the user holds in the organization (superusers hold none by virtue of being one)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, organization=organization).values_list("role", flat=True))


def memberships_for(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(organization__in=organizations_for(user))


def trials_for(user: Any) -> QuerySet[Trial]:
    return Trial.objects.filter(organization__in=organizations_for(user))


def record_versions_for(user: Any) -> QuerySet[RecordVersion]:
    return RecordVersion.objects.filter(trial__organization__in=organizations_for(user))


def filings_for(user: Any) -> QuerySet[Filing]:
    return Filing.objects.filter(trial__organization__in=organizations_for(user))


def submissions_for(user: Any) -> QuerySet[RegistrySubmission]:
    return RegistrySubmission.objects.filter(filing__trial__organization__in=organizations_for(user))


def payloads_for(user: Any) -> QuerySet[Payload]:
    return Payload.objects.filter(filing__trial__organization__in=organizations_for(user))


def signatures_for(user: Any) -> QuerySet[ESignature]:
    return ESignature.objects.filter(filing__trial__organization__in=organizations_for(user))


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organization__in=organizations_for(user))


def deadlines_for(user: Any) -> QuerySet[Deadline]:
    return Deadline.objects.filter(trial__organization__in=organizations_for(user))


def deadline_history_for(user: Any) -> QuerySet[DeadlineHistory]:
    return DeadlineHistory.objects.filter(deadline__trial__organization__in=organizations_for(user))


def deadline_reminders_for(user: Any) -> QuerySet[DeadlineReminder]:
    return DeadlineReminder.objects.filter(deadline__trial__organization__in=organizations_for(user))


def verified_names_for(user: Any) -> QuerySet[VerifiedName]:
    """Signing names verified by admins of the user's organizations."""
    return VerifiedName.objects.filter(organization__in=organizations_for(user))
