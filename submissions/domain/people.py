"""Domain services for organizations and their people: a new install's first organization, invitations,
roles (DESIGN section 7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from submissions.audit import record_event
from submissions.domain._access import require_role
from submissions.enums import AuditEventType, Role
from submissions.errors import DomainError
from submissions.models import Membership, Organization


@dataclass(frozen=True)
class Invitation:
    """The person an invitation names, and whether their account is new (it then has no password until
    they follow the invitation's link)."""

    user: Any
    created: bool
    roles: tuple[str, ...]


def _checked_email(email: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("membership.email_invalid", f"{email!r} is not an e-mail address.") from None
    return email


def _checked_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise DomainError(
            "membership.unknown_role", f"Unknown role {unknown[0]!r}; roles: {', '.join(Role.values)}."
        )
    return tuple(role for role in Role.values if role in roles)


def _user_for(email: str, first_name: str = "", last_name: str = "") -> tuple[Any, bool]:
    model = get_user_model()
    user = model.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        return user, False
    if model.objects.filter(username__iexact=email).exists():
        raise DomainError(
            "membership.username_taken", f"An account named {email!r} exists with another e-mail."
        )
    user = model(username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip())
    # No password until the person sets one through the invitation link.
    user.set_unusable_password()
    user.save()
    return user, True


@transaction.atomic
def create_organization(name: str, *, admin_email: str, actor: Any = None) -> tuple[Organization, Invitation]:
    """A new sponsor with its first admin (``manage.py create_organization``). Site operators only: this
    runs from the command line, so ``actor`` is usually None. The admin's account is made when absent."""
    name = name.strip()
    if not name:
        raise DomainError("organization.name_required", "The organization needs a name.")
    email = _checked_email(admin_email)
    base = slugify(name)[:50] or "organization"
    slug, suffix = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    if Organization.objects.filter(name__iexact=name).exists():
        raise DomainError("organization.name_taken", f"An organization named {name!r} exists already.")
    organization = Organization.objects.create(name=name, slug=slug)
    user, created = _user_for(email)
    Membership.objects.create(organization=organization, user=user, role=Role.ADMIN)
    record_event(
        AuditEventType.ORGANIZATION_CREATED,
        actor=actor,
        organization=organization,
        data={"name": name, "slug": slug, "admin": email, "new_account": created},
    )
    return organization, Invitation(user, created, (Role.ADMIN,))


@transaction.atomic
def invite_member(
    organization: Organization,
    *,
    email: str,
    roles: list[str],
    actor: Any,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Give the person with ``email`` the ``roles`` in the organization, making their account when absent
    (without a password: they set one through the invitation). Organization admins only. Someone already
    a member keeps their roles and gains the new ones."""
    require_role(actor, organization, (Role.ADMIN,), "invite people")
    email = _checked_email(email)
    wanted = _checked_roles(roles)
    if not wanted:
        raise DomainError("membership.roles_required", "Give the person at least one role.")
    user, created = _user_for(email, first_name, last_name)
    for role in wanted:
        Membership.objects.get_or_create(organization=organization, user=user, role=role)
    record_event(
        AuditEventType.MEMBER_INVITED,
        actor=actor,
        organization=organization,
        data={"email": email, "roles": list(wanted), "new_account": created},
    )
    return Invitation(user, created, wanted)


@transaction.atomic
def set_member_roles(
    organization: Organization, user: Any, *, roles: list[str], actor: Any
) -> tuple[str, ...]:
    """Make ``roles`` exactly the person's roles in the organization (none removes them from it).
    Organization admins only; the organization always keeps at least one admin."""
    require_role(actor, organization, (Role.ADMIN,), "change roles")
    wanted = _checked_roles(roles)
    current = set(
        Membership.objects.filter(organization=organization, user=user).values_list("role", flat=True)
    )
    if not current:
        raise DomainError("membership.not_member", "That person is not a member of the organization.")
    if Role.ADMIN in current and Role.ADMIN not in wanted:
        admins = Membership.objects.filter(organization=organization, role=Role.ADMIN).exclude(user=user)
        if not admins.exists():
            raise DomainError(
                "membership.last_admin", "The organization must keep an admin; make someone else admin first."
            )
    if set(wanted) == current:
        return wanted
    Membership.objects.filter(organization=organization, user=user).exclude(role__in=wanted).delete()
    for role in wanted:
        Membership.objects.get_or_create(organization=organization, user=user, role=role)
    record_event(
        AuditEventType.MEMBER_ROLES_CHANGED,
        actor=actor,
        organization=organization,
        data={"user": user.get_username(), "from": sorted(current), "to": list(wanted)},
    )
    return wanted
