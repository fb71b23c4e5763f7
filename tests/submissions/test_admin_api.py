"""The admin pages of the REST API's objects: an organization admin creates a key (shown once, in the
confirmation message) and revokes it, both through the domain functions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from submissions.domain.api_keys import authenticate_api_key
from submissions.enums import Role
from submissions.models import ApiKey, AuditEvent
from tests.submissions import factories

pytestmark = pytest.mark.django_db


def _client_for(user: Any) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_creates_a_key_and_sees_it_once(org: Any, people: dict[str, Any]) -> None:
    client = _client_for(people[Role.ADMIN])
    response = client.post(
        "/admin/submissions/apikey/add/",
        {"organization": org.pk, "name": "CTMS", "access": "read_write"},
        follow=True,
    )
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    token = next(m.rsplit(" ", 1)[1] for m in messages if "shown only this once" in m)
    key = ApiKey.objects.get()
    assert (authenticate_api_key(token), key.name, key.access) == (key, "CTMS", "read_write")
    assert token not in client.get(f"/admin/submissions/apikey/{key.pk}/change/").content.decode()


def test_an_admin_revokes_a_key_with_the_action(org: Any, people: dict[str, Any]) -> None:
    from submissions.domain.api_keys import create_api_key

    created = create_api_key(org, name="CTMS", access="read_only", actor=people[Role.ADMIN])
    client = _client_for(people[Role.ADMIN])
    client.post("/admin/submissions/apikey/", {"action": "revoke", "_selected_action": [created.api_key.pk]})
    event: Any = AuditEvent.objects.last()
    assert (authenticate_api_key(created.token), event.event_type) == (None, "api_key.revoked")


def test_an_author_cannot_add_keys(org: Any, people: dict[str, Any]) -> None:
    client = _client_for(people[Role.AUTHOR])
    response = client.get("/admin/submissions/apikey/add/")
    assert response.status_code == 403


def test_another_organizations_key_answers_404(org: Any, people: dict[str, Any]) -> None:
    from submissions.domain.api_keys import create_api_key

    other = factories.make_org("Sponsor B")
    theirs = create_api_key(
        other, name="B", access="read_only", actor=factories.make_people(other, prefix="b-")[Role.ADMIN]
    )
    response = _client_for(people[Role.ADMIN]).get(f"/admin/submissions/apikey/{theirs.api_key.pk}/change/")
    assert response.status_code == 404
