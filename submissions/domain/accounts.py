"""People's standing to sign and to act: a verified name to sign under, the signing lockout after wrong
passwords, and whether a second factor is required of them (21 CFR 11.100(b), 11.300(d); OWASP ASVS
V2.2, V2.8)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from submissions.audit import record_event
from submissions.domain._access import require_role
from submissions.enums import AuditEventType, Role
from submissions.errors import DomainError
from submissions.models import AuditEvent, Membership, Organization, VerifiedName

security_log = logging.getLogger("submissions.security")

# The roles an organization's second-factor requirement applies to: those who sign and who manage people.
SECOND_FACTOR_ROLES: tuple[str, ...] = (Role.APPROVER, Role.ADMIN)


def normalise_name(name: str) -> str:
    """Names compare without regard to case or runs of spaces."""
    return " ".join(name.split()).casefold()


@transaction.atomic
def verify_signer_name(organization: Organization, user: Any, *, full_name: str, actor: Any) -> VerifiedName:
    """Record the full name an admin of ``organization`` verified for ``user``, a member of it, against
    an identity document (21 CFR 11.100(b)). Organization admins only, never for themselves: a person
    does not vouch for their own identity (``account.self_verification``). The person then signs only
    under this name."""
    require_role(actor, organization, (Role.ADMIN,), "verify a signer's name")
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise DomainError("org.not_member", f"{user} is not a member of {organization}.")
    if user.pk == actor.pk:
        raise DomainError(
            "account.self_verification", "Another admin of the organization must verify your name."
        )
    cleaned = " ".join(full_name.split())
    if not cleaned:
        raise DomainError("account.full_name_required", "Type the person's full name as on their ID.")
    previous = VerifiedName.objects.filter(user=user).first()
    verified, _created = VerifiedName.objects.update_or_create(
        user=user,
        defaults={
            "full_name": cleaned,
            "organization": organization,
            "verified_by": actor,
            "verified_at": timezone.now(),
        },
    )
    record_event(
        AuditEventType.SIGNER_NAME_VERIFIED,
        actor=actor,
        organization=organization,
        data={
            "user": user.get_username(),
            "full_name": cleaned,
            "previous": previous.full_name if previous else None,
        },
    )
    return verified


@transaction.atomic
def set_two_factor_required(organization: Organization, *, required: bool, actor: Any) -> Organization:
    """Require (or stop requiring) a second factor of the organization's approvers and admins.
    Organization admins only; audited."""
    require_role(actor, organization, (Role.ADMIN,), "change the organization's sign-in rules")
    locked = Organization.objects.select_for_update(no_key=True).get(pk=organization.pk)
    if locked.two_factor_required != required:
        locked.two_factor_required = required
        locked.save(update_fields=["two_factor_required"])
        record_event(
            AuditEventType.TWO_FACTOR_REQUIREMENT_CHANGED,
            actor=actor,
            organization=locked,
            data={"two_factor_required": required},
        )
    return locked


def verified_name_of(user: Any) -> str | None:
    verified = VerifiedName.objects.filter(user_id=user.pk).values_list("full_name", flat=True).first()
    return verified


def _recent_failures(user: Any) -> list[AuditEvent]:
    """Wrong signature passwords within the lockout window, since the person's last signature."""
    since = timezone.now() - timedelta(minutes=settings.SIGNATURE_LOCKOUT_MINUTES)
    last_success = (
        AuditEvent.objects.filter(actor_id=user.pk, event_type=AuditEventType.FILING_APPROVED)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    failures = AuditEvent.objects.filter(
        actor_id=user.pk, event_type=AuditEventType.SIGNATURE_FAILED, created_at__gte=since
    )
    if last_success is not None:
        failures = failures.filter(pk__gt=last_success)
    return list(failures.order_by("pk"))


def check_signing_allowed(user: Any) -> None:
    """Refuse (``signature.locked``) while the person has had ``SIGNATURE_FAILURE_LIMIT`` wrong
    passwords within ``SIGNATURE_LOCKOUT_MINUTES``; the password is then not even checked."""
    failures = _recent_failures(user)
    if len(failures) >= settings.SIGNATURE_FAILURE_LIMIT:
        until = failures[-1].created_at + timedelta(minutes=settings.SIGNATURE_LOCKOUT_MINUTES)
        raise DomainError(
            "signature.locked",
            f"Signing is locked after {len(failures)} wrong passwords; try again after "
            f"{until:%Y-%m-%d %H:%M} UTC or ask an administrator.",
        )


def record_signature_failure(user: Any, *, filing: Any, reason: str) -> None:
    """One audit event per wrong signature password, committed whatever happens next; the one that
    reaches the limit also locks signing, is audited as such and is logged for the security team
    (21 CFR 11.300(d): attempted unauthorized use reported immediately)."""
    with transaction.atomic():
        record_event(AuditEventType.SIGNATURE_FAILED, actor=user, filing=filing, data={"reason": reason})
        failures = len(_recent_failures(user))
        if failures == settings.SIGNATURE_FAILURE_LIMIT:
            record_event(
                AuditEventType.SIGNATURE_LOCKED,
                actor=user,
                filing=filing,
                data={"failures": failures, "minutes": settings.SIGNATURE_LOCKOUT_MINUTES},
            )
            security_log.warning(
                "e-signature locked for user %s after %s wrong passwords", user.get_username(), failures
            )


def second_factor_required(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor: an approver or admin of an organization that
    requires one (``Organization.two_factor_required``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user_id=user.pk, role__in=SECOND_FACTOR_ROLES, organization__two_factor_required=True
    ).exists()


def second_factor_satisfied(user: Any) -> bool:
    """True unless a second factor is required of the user and this session has not verified one
    (django-otp's ``is_verified``, set by ``django_otp.middleware.OTPMiddleware``)."""
    if not second_factor_required(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
