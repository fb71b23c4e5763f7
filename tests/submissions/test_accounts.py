"""Accounts (OWASP ASVS V2, V3; 21 CFR 11.300): sign-in throttling, idle sessions that end with the
browser, 12-character passwords, and the TOTP second factor an organization requires of its approvers and
admins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from submissions import domain
from submissions.enums import Role
from submissions.errors import DomainError
from submissions.models import AuditEvent
from tests.submissions import factories

LOGIN = "/admin/login/?next=/admin/"


def _staff(user):
    user.is_staff = True
    user.save()
    return user


def _sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_sign_in_locks_after_repeated_wrong_passwords_even_for_the_right_one(people, settings):
    # given an account and the limit of wrong passwords
    user = _staff(people[Role.AUTHOR])
    client = Client()
    statuses = [_sign_in(client, user.username, "wrong password!").status_code for _ in range(5)]
    # when the right password comes after the limit
    locked = _sign_in(client, user.username, factories.PASSWORD)
    # then the sign-in is refused with the lockout answer and nobody is signed in
    assert (statuses[:4], statuses[4], locked.status_code, _signed_in(client)) == (
        [200] * 4,
        429,
        429,
        False,
    )


def test_a_lockout_is_per_account(people):
    # given one account locked out
    locked = _staff(people[Role.AUTHOR])
    for _attempt in range(5):
        _sign_in(Client(), locked.username, "wrong password!")
    # when another person signs in from the same address, then they are signed in
    client = Client()
    _sign_in(client, _staff(people[Role.VIEWER]).username, factories.PASSWORD)
    assert _signed_in(client) is True


def test_a_successful_sign_in_before_the_limit_starts_the_count_again(people):
    user = _staff(people[Role.AUTHOR])
    for _attempt in range(4):
        _sign_in(Client(), user.username, "wrong password!")
    _sign_in(Client(), user.username, factories.PASSWORD)
    for _attempt in range(4):
        _sign_in(Client(), user.username, "wrong password!")
    client = Client()
    _sign_in(client, user.username, factories.PASSWORD)
    assert _signed_in(client) is True


def test_sessions_end_with_the_browser_and_after_30_idle_minutes(people, settings):
    # given a signed-in person
    client = Client()
    _sign_in(client, _staff(people[Role.VIEWER]).username, factories.PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    session = Session.objects.get(session_key=cookie.value)
    # then the cookie lasts only as long as the browser, and the session 30 minutes from the last request
    remaining = session.expire_date - timezone.now()
    assert (cookie["expires"], cookie["max-age"], settings.SESSION_IDLE_TIMEOUT_MINUTES) == ("", "", 30)
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_each_request_moves_the_idle_timeout_and_an_idle_session_is_over(people, settings):
    # given a signed-in person whose session is 20 minutes from its end
    client = Client()
    _sign_in(client, _staff(people[Role.VIEWER]).username, factories.PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=10))
    # when they make a request, then the session runs 30 minutes from now again
    assert _signed_in(client) is True
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)
    # and once idle past its end, the next request asks them to sign in again
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert _signed_in(client) is False


@pytest.mark.django_db
def test_passwords_need_at_least_12_characters():
    with pytest.raises(ValidationError) as refused:
        validate_password("Xq7!pL2#vB9")
    validate_password("Xq7!pL2#vB9$")
    assert [error.code for error in refused.value.error_list] == ["password_too_short"]


@pytest.fixture
def strict_org(org, people):
    return domain.set_two_factor_required(org, required=True, actor=people[Role.ADMIN])


def _client_for(user) -> Client:
    client = Client()
    client.force_login(_staff(user))
    return client


def test_an_approver_of_an_organization_requiring_it_must_set_up_a_second_factor(strict_org, people):
    # given an approver without an authenticator, signed in with their password
    client = _client_for(people[Role.APPROVER])
    # when they open the admin, then they are sent to set one up, and the API answers 403 with a code
    page = client.get("/admin/")
    api = client.get("/api/v1/")
    assert (page.status_code, page["Location"]) == (302, "/account/two-factor/setup/?next=%2Fadmin%2F")
    assert (api.status_code, api.json()["code"]) == (403, "account.second_factor_required")


def test_setting_up_the_authenticator_with_a_valid_code_lets_the_approver_in(strict_org, people):
    client = _client_for(people[Role.APPROVER])
    setup = client.get("/account/two-factor/setup/?next=/admin/")
    device = TOTPDevice.objects.get(user=people[Role.APPROVER])
    done = client.post(
        "/account/two-factor/setup/", {"token": f"{totp(device.bin_key):06d}", "next": "/admin/"}
    )
    device.refresh_from_db()
    assert (setup.status_code, done.status_code, done["Location"]) == (200, 302, "/admin/")
    assert (device.confirmed, _signed_in(client)) == (True, True)


def test_a_wrong_code_is_refused_and_the_authenticator_stays_unconfirmed(strict_org, people):
    client = _client_for(people[Role.APPROVER])
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=people[Role.APPROVER])
    wrong = (totp(device.bin_key) + 1) % 1_000_000
    answer = client.post("/account/two-factor/setup/", {"token": f"{wrong:06d}", "next": "/admin/"})
    device.refresh_from_db()
    assert (answer.status_code, device.confirmed, _signed_in(client)) == (200, False, False)
    assert "That code is not valid" in answer.content.decode()


def test_a_later_session_must_enter_a_code_before_anything_else(strict_org, people):
    # given an admin who set up an authenticator earlier, in a new session
    admin = people[Role.ADMIN]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = _client_for(admin)
    held = client.get("/admin/submissions/trial/")
    # when they enter a code from it, then they reach the page they asked for
    entered = client.post(
        "/account/two-factor/", {"token": f"{totp(device.bin_key):06d}", "next": "/admin/submissions/trial/"}
    )
    assert (held["Location"], entered["Location"]) == (
        "/account/two-factor/?next=%2Fadmin%2Fsubmissions%2Ftrial%2F",
        "/admin/submissions/trial/",
    )
    assert client.get("/admin/submissions/trial/").status_code == 200


def test_the_second_factor_is_not_asked_of_other_roles_nor_by_organizations_that_do_not_require_it(
    org, people
):
    approver_without_rule = _client_for(people[Role.APPROVER])
    assert _signed_in(approver_without_rule) is True
    domain.set_two_factor_required(org, required=True, actor=people[Role.ADMIN])
    assert _signed_in(_client_for(people[Role.AUTHOR])) is True


def test_a_next_address_elsewhere_is_not_followed(strict_org, people):
    admin = people[Role.ADMIN]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = _client_for(admin)
    entered = client.post(
        "/account/two-factor/", {"token": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"}
    )
    assert entered["Location"] == "/admin/"


def test_requiring_a_second_factor_is_for_admins_and_audited(org, people):
    with pytest.raises(DomainError) as refused:
        domain.set_two_factor_required(org, required=True, actor=people[Role.APPROVER])
    domain.set_two_factor_required(org, required=True, actor=people[Role.ADMIN])
    event = AuditEvent.objects.order_by("pk").last()
    assert event is not None
    assert (refused.value.code, event.event_type, event.data) == (
        "role.required",
        "organization.two_factor_changed",
        {"two_factor_required": True},
    )


def test_second_factor_check_is_reusable_as_a_decorator(strict_org, people, rf):
    from django.http import HttpResponse

    from submissions.accounts import second_factor_verified

    @second_factor_verified
    def page(request):
        return HttpResponse("ok")

    request = rf.get("/somewhere/")
    request.user = people[Role.APPROVER]
    request.user.is_verified = lambda: False
    held = page(request)
    request.user.is_verified = lambda: True
    assert (held.status_code, page(request).status_code) == (302, 200)
