"""API keys (hashed, shown once, read-only or read-write, revocable, last used), the rate limit, and
Idempotency-Key on POST."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from submissions.domain.api_keys import create_api_key, revoke_api_key, secret_sha256
from submissions.enums import Role
from submissions.errors import DomainError
from submissions.models import ApiKey, AuditEvent, IdempotencyRecord, Organization, Trial
from submissions.tasks import forget_idempotency_keys
from tests.submissions.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_only_as_its_hash_and_shown_once(
    api_org: Organization, api_people: dict[str, User]
) -> None:
    created = create_api_key(api_org, name="CTMS", access="read_write", actor=api_people[Role.ADMIN])
    stored = ApiKey.objects.get(pk=created.api_key.pk)
    assert (
        stored.secret_sha256,
        created.token.startswith(f"tdk_{stored.prefix}_"),
        created.token in str(stored.__dict__),
    ) == (
        secret_sha256(created.token),
        True,
        False,
    )
    event: Any = AuditEvent.objects.last()
    assert (event.event_type, event.data) == (
        "api_key.created",
        {"prefix": stored.prefix, "name": "CTMS", "access": "read_write"},
    )


def test_only_organization_admins_create_keys(api_org: Organization, api_people: dict[str, User]) -> None:
    with pytest.raises(DomainError) as refused:
        create_api_key(api_org, name="CTMS", access="read_write", actor=api_people[Role.AUTHOR])
    assert refused.value.code == "role.required"


def test_a_revoked_key_is_refused_with_401(rw: Api, api_people: dict[str, User]) -> None:
    key = ApiKey.objects.get(name="CTMS")
    revoke_api_key(key, actor=api_people[Role.ADMIN])
    response = rw.get("/api/v1/whoami")
    assert (response.status_code, response.json()["code"]) == (401, "api_key.invalid")


def test_use_records_the_last_used_time(rw: Api) -> None:
    assert ApiKey.objects.get(name="CTMS").last_used_at is None
    assert rw.get("/api/v1/whoami").json()["access"] == "read_write"
    assert ApiKey.objects.get(name="CTMS").last_used_at is not None


def test_the_rate_limit_answers_429_with_retry_after(rw: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from submissions.api.auth import ApiKeyRateThrottle

    cache.clear()
    monkeypatch.setattr(ApiKeyRateThrottle, "THROTTLE_RATES", {"api_key": "2/min"})
    statuses = [rw.get("/api/v1/whoami").status_code for _ in range(3)]
    last = rw.get("/api/v1/whoami")
    cache.clear()
    assert (statuses, last.status_code, last.json()["code"], int(last["Retry-After"]) > 0) == (
        [200, 200, 429],
        429,
        "http.throttled",
        True,
    )


def test_a_repeated_idempotency_key_replays_the_first_response(rw: Api) -> None:
    body = {"reference": "IDEM-1", "title": "Once"}
    first = rw.call("POST", "/api/v1/trials", body, Idempotency_Key="abc")
    again = rw.call("POST", "/api/v1/trials", body, Idempotency_Key="abc")
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (201, first.content, "true")
    assert Trial.objects.filter(reference="IDEM-1").count() == 1


def test_the_same_key_with_another_body_is_422(rw: Api) -> None:
    rw.call("POST", "/api/v1/trials", {"reference": "IDEM-1", "title": "Once"}, Idempotency_Key="abc")
    other = rw.call(
        "POST", "/api/v1/trials", {"reference": "IDEM-2", "title": "Twice"}, Idempotency_Key="abc"
    )
    assert (other.status_code, other.json()["code"]) == (422, "idempotency.key_reused")
    assert not Trial.objects.filter(reference="IDEM-2").exists()


def test_idempotency_keys_are_scoped_per_api_key(rw: Api, other: Api) -> None:
    rw.call("POST", "/api/v1/trials", {"reference": "IDEM-1", "title": "Once"}, Idempotency_Key="abc")
    theirs = other.call(
        "POST", "/api/v1/trials", {"reference": "IDEM-1", "title": "Once"}, Idempotency_Key="abc"
    )
    assert (theirs.status_code, Trial.objects.filter(reference="IDEM-1").count()) == (201, 2)


def _age_keys(hours: float) -> None:
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=hours))


def test_a_key_past_the_window_is_a_new_request(rw: Api, settings: Any) -> None:
    # given a key first used 25 hours ago, with a 24-hour window
    settings.API_IDEMPOTENCY_KEY_HOURS = 24
    rw.call("POST", "/api/v1/trials", {"reference": "IDEM-1", "title": "Once"}, Idempotency_Key="abc")
    _age_keys(25)
    # when it comes again with another request
    again = rw.call(
        "POST", "/api/v1/trials", {"reference": "IDEM-2", "title": "Later"}, Idempotency_Key="abc"
    )
    # then that request runs (no 422, no replay), and the key now remembers it
    assert (again.status_code, again.has_header("Idempotent-Replayed")) == (201, False)
    assert list(Trial.objects.order_by("reference").values_list("reference", flat=True)) == [
        "IDEM-1",
        "IDEM-2",
    ]
    assert list(IdempotencyRecord.objects.values_list("key", "status_code")) == [("abc", 201)]


def test_a_key_within_the_window_still_replays(rw: Api, settings: Any) -> None:
    settings.API_IDEMPOTENCY_KEY_HOURS = 24
    body = {"reference": "IDEM-1", "title": "Once"}
    first = rw.call("POST", "/api/v1/trials", body, Idempotency_Key="abc")
    _age_keys(23)
    again = rw.call("POST", "/api/v1/trials", body, Idempotency_Key="abc")
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (201, first.content, "true")


def test_the_daily_cleanup_forgets_only_keys_past_the_window(rw: Api, settings: Any) -> None:
    # given two keys, one 30 hours old and one fresh
    settings.API_IDEMPOTENCY_KEY_HOURS = 24
    rw.call("POST", "/api/v1/trials", {"reference": "IDEM-1", "title": "Old"}, Idempotency_Key="old")
    _age_keys(30)
    rw.call("POST", "/api/v1/trials", {"reference": "IDEM-2", "title": "New"}, Idempotency_Key="new")
    # when the cleanup runs, as the command and as the Celery task
    out = StringIO()
    call_command("forget_idempotency_keys", stdout=out)
    # then the old key is gone, the fresh one kept, and the command says how many went
    assert out.getvalue().strip() == "Forgot 1 idempotency keys older than 24 hours."
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert forget_idempotency_keys.delay().get() == 0
