"""People: admins invite by e-mail and set roles; invitees choose a password; the install command."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client

from submissions import domain
from submissions.enums import AuditEventType, Role
from submissions.models import AuditEvent, Membership, Organization


def _roles(org: Organization, user: User) -> list[str]:
    return sorted(Membership.objects.filter(organization=org, user=user).values_list("role", flat=True))


def test_admin_invites_a_person_who_then_chooses_a_password_and_signs_in(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization, client: Client
) -> None:
    response = as_user(people["admin"]).post(
        "/people/",
        {
            "form": "invite",
            "invite-email": "new@example.org",
            "invite-first_name": "Nia",
            "invite-roles": ["author", "reviewer"],
        },
    )
    invited = User.objects.get(email="new@example.org")
    link = re.search(r"http://testserver(/welcome/\S+)", str(mail.outbox[0].body))
    client.logout()
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"},
    )

    assert (response.status_code, _roles(org, invited)) == (302, ["author", "reviewer"])
    assert mail.outbox[0].to == ["new@example.org"]
    signed_in = client.post(
        "/sign-in/", {"username": "new@example.org", "password": "a long new passphrase 42"}
    )
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")
    assert AuditEvent.objects.filter(event_type=AuditEventType.MEMBER_INVITED, organization=org).count() == 1


def test_invalid_invitation_values_are_refused_at_their_fields_keeping_what_was_typed(
    as_user: Callable[[User], Client], people: dict[str, User]
) -> None:
    response = as_user(people["admin"]).post(
        "/people/", {"form": "invite", "invite-email": "not-an-address", "invite-first_name": "Nia"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in body
    assert "Give the person at least one role." in body
    assert 'value="Nia"' in body
    assert 'value="not-an-address"' in body


def test_a_forged_invitation_by_a_non_admin_is_refused(
    as_user: Callable[[User], Client], people: dict[str, User]
) -> None:
    client = as_user(people["author"])

    page = client.get("/people/").content.decode()
    response = client.post(
        "/people/", {"form": "invite", "invite-email": "x@example.org", "invite-roles": ["admin"]}
    )

    assert "Invite a person" not in page
    assert response.status_code == 403
    assert User.objects.filter(email="x@example.org").exists() is False


def test_admin_changes_roles(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    viewer = people["viewer"]

    response = as_user(people["admin"]).post(
        "/people/", {"form": "roles", "user": viewer.pk, f"u{viewer.pk}-roles": ["viewer", "author"]}
    )

    assert (response.status_code, _roles(org, viewer)) == (302, ["author", "viewer"])


def test_the_last_admin_cannot_drop_the_admin_role(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    admin = people["admin"]

    response = as_user(admin).post(
        "/people/", {"form": "roles", "user": admin.pk, f"u{admin.pk}-roles": ["author"]}
    )

    assert (response.status_code, _roles(org, admin)) == (400, ["admin"])
    assert "The organization must keep an admin" in response.content.decode()


def test_roles_of_someone_outside_the_organization_answer_404(
    as_user: Callable[[User], Client], people: dict[str, User], other_trial: Any
) -> None:
    stranger = other_trial.created_by

    response = as_user(people["admin"]).post("/people/", {"form": "roles", "user": stranger.pk})

    assert response.status_code == 404


def test_create_organization_command_makes_the_organization_its_admin_and_an_invitation(db: None) -> None:
    out = StringIO()

    call_command("create_organization", "Example Pharma", "--admin", "head@example.org", stdout=out)

    organization = Organization.objects.get(name="Example Pharma")
    admin = User.objects.get(email="head@example.org")
    assert (organization.slug, _roles(organization, admin)) == ("example-pharma", [Role.ADMIN])
    assert admin.has_usable_password() is False
    assert "/welcome/" in out.getvalue()
    assert mail.outbox[0].to == ["head@example.org"]


def test_admin_verifies_a_members_signing_name(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    reviewer = people["reviewer"]

    response = as_user(people["admin"]).post(
        "/people/",
        {"form": "verify_name", "user": reviewer.pk, f"n{reviewer.pk}-full_name": "Rita  Reviewer"},
    )

    assert response.status_code == 302
    assert domain.verified_name_of(reviewer) == "Rita Reviewer"


def test_an_admin_cannot_verify_their_own_signing_name(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    admin = people["admin"]

    page = as_user(admin).get("/people/").content.decode()
    response = as_user(admin).post(
        "/people/", {"form": "verify_name", "user": admin.pk, f"n{admin.pk}-full_name": "Admin Tester"}
    )

    assert f'name="n{admin.pk}-full_name"' not in page
    assert response.status_code == 400
    assert "Another admin of the organization must verify your name." in response.content.decode()
