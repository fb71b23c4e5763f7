"""Domain services for organizations and people: create_organization, invite_member, set_member_roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from submissions import domain
from submissions.enums import AuditEventType, Role
from submissions.errors import DomainError
from submissions.models import AuditEvent, Membership, Organization


def _roles(org: Organization, user: User) -> list[str]:
    return sorted(Membership.objects.filter(organization=org, user=user).values_list("role", flat=True))


def test_create_organization_makes_a_unique_slug_and_its_admin(db: None) -> None:
    domain.create_organization("Acme Trials", admin_email="a@example.org")

    organization, invitation = domain.create_organization("Acme  Trials!", admin_email="b@example.org")

    assert (organization.slug, invitation.created, _roles(organization, invitation.user)) == (
        "acme-trials-2",
        True,
        [Role.ADMIN],
    )
    assert AuditEvent.objects.filter(event_type=AuditEventType.ORGANIZATION_CREATED).count() == 2


def test_create_organization_refuses_a_bad_address(db: None) -> None:
    with pytest.raises(DomainError) as refused:
        domain.create_organization("Acme", admin_email="nope")

    assert refused.value.code == "membership.email_invalid"
    assert Organization.objects.exists() is False


def test_invite_member_adds_roles_to_an_existing_person(org: Organization, people: dict[str, User]) -> None:
    viewer = people["viewer"]
    viewer.email = "viewer@example.org"
    viewer.save()

    invitation = domain.invite_member(
        org, email="Viewer@example.org", roles=["author"], actor=people["admin"]
    )

    assert (invitation.user, invitation.created, _roles(org, viewer)) == (viewer, False, ["author", "viewer"])


def test_invite_member_needs_the_admin_role(org: Organization, people: dict[str, User]) -> None:
    with pytest.raises(DomainError) as refused:
        domain.invite_member(org, email="x@example.org", roles=["viewer"], actor=people["approver"])

    assert refused.value.code == "role.required"
    assert User.objects.filter(email="x@example.org").exists() is False


def test_invite_member_refuses_an_unknown_role(org: Organization, people: dict[str, User]) -> None:
    with pytest.raises(DomainError) as refused:
        domain.invite_member(org, email="x@example.org", roles=["owner"], actor=people["admin"])

    assert refused.value.code == "membership.unknown_role"


def test_set_member_roles_replaces_the_roles_with_one_audit_event(
    org: Organization, people: dict[str, User]
) -> None:
    author = people["author"]

    domain.set_member_roles(org, author, roles=["reviewer", "approver"], actor=people["admin"])

    event = AuditEvent.objects.filter(event_type=AuditEventType.MEMBER_ROLES_CHANGED).get()
    assert _roles(org, author) == ["approver", "reviewer"]
    assert event.data == {"user": "author", "from": ["author"], "to": ["reviewer", "approver"]}


def test_set_member_roles_keeps_the_last_admin(org: Organization, people: dict[str, User]) -> None:
    with pytest.raises(DomainError) as refused:
        domain.set_member_roles(org, people["admin"], roles=[], actor=people["admin"])

    assert refused.value.code == "membership.last_admin"
    assert _roles(org, people["admin"]) == ["admin"]
