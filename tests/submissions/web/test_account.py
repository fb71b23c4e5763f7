"""Signing in and out of the staff application, and switching organization."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client

from submissions.enums import Role
from submissions.models import Membership, Organization
from tests.submissions import factories


def test_anonymous_visitor_is_sent_to_the_staff_sign_in(client: Client, db: None) -> None:
    response = client.get("/")

    assert (response.status_code, response["Location"]) == (302, "/sign-in/?next=/")


def test_sign_in_with_right_password_opens_the_dashboard(client: Client, people: dict[str, User]) -> None:
    response = client.post("/sign-in/", {"username": "author", "password": factories.PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/")


def test_wrong_password_keeps_the_username_and_says_why(client: Client, people: dict[str, User]) -> None:
    response = client.post("/sign-in/", {"username": "author", "password": "wrong"})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="author"' in body
    assert "Please enter a correct username and password" in body


def test_header_shows_person_organization_and_roles(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    body = as_user(people["reviewer"]).get("/").content.decode()

    assert ("Reviewer Tester" in body, "Sponsor A" in body, ">Reviewer<" in body) == (True, True, True)


def test_sign_out_needs_a_post_and_ends_the_session(
    as_user: Callable[[User], Client], people: dict[str, User]
) -> None:
    client = as_user(people["author"])

    response = client.post("/sign-out/")

    assert (response.status_code, response["Location"]) == (302, "/sign-in/")
    assert client.get("/").status_code == 302


def test_switching_to_an_organization_of_the_person(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    second = factories.make_org("Sponsor C")
    Membership.objects.create(organization=second, user=people["author"], role=Role.REVIEWER)
    client = as_user(people["author"])

    client.post("/organization/", {"organization": second.pk})
    body = client.get("/").content.decode()

    assert "Trials of Sponsor C" in body
    assert 'id="switch-organization"' in body


def test_switching_to_an_organization_one_is_not_in_is_refused(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    stranger = factories.make_org("Sponsor D")
    client = as_user(people["author"])

    response = client.post("/organization/", {"organization": stranger.pk}, follow=True)

    body = response.content.decode()
    assert "You are not a member of that organization" in body
    assert "Trials of Sponsor A" in body


def test_a_person_who_owes_the_second_factor_is_held_but_may_sign_out(
    as_user: Callable[[User], Client], people: dict[str, User], org: Organization
) -> None:
    Organization.objects.filter(pk=org.pk).update(two_factor_required=True)
    client = as_user(people["approver"])

    held = client.get("/")
    signed_out = client.post("/sign-out/")

    assert held.status_code == 302
    assert held["Location"].startswith("/account/two-factor/")
    assert (signed_out.status_code, signed_out["Location"]) == (302, "/sign-in/")
