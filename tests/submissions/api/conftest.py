"""Fixtures for the REST API tests: a sponsor with a read-write and a read-only key, and a second
sponsor with its own key and trial, for isolation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from submissions.domain.api_keys import create_api_key
from submissions.enums import ApiKeyAccess, Role
from submissions.models import Organization, Trial
from tests.submissions import factories


@dataclass
class Api:
    """A test client that sends one API key."""

    client: Client
    token: str

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        content_type: str = "application/json",
        raw: bytes | None = None,
        **headers: str,
    ) -> Any:
        data: Any = raw if raw is not None else (json.dumps(body) if body is not None else "")
        extra: dict[str, Any] = {
            f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
        }
        return self.client.generic(
            method, path, data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {self.token}", **extra
        )

    def get(self, path: str, **headers: str) -> Any:
        return self.call("GET", path, **headers)  # type: ignore[arg-type]


def small_record(title: str = "A small trial", nct: str | None = None) -> dict[str, Any]:
    """A canonical record with what the record schema needs and little else: a draft."""
    record: dict[str, Any] = {
        "schemaVersion": "1.0",
        "protocolSection": {
            "identificationModule": {"briefTitle": title, "orgStudyIdInfo": {"id": "X"}},
        },
    }
    if nct:
        record["protocolSection"]["identificationModule"]["nctId"] = nct
    return record


@pytest.fixture
def api_org(db: None) -> Organization:
    return factories.make_org("API Sponsor")


@pytest.fixture
def api_people(api_org: Organization) -> dict[str, User]:
    return factories.make_people(api_org, prefix="api-")


@pytest.fixture
def rw(api_org: Organization, api_people: dict[str, User]) -> Api:
    created = create_api_key(
        api_org, name="CTMS", access=ApiKeyAccess.READ_WRITE, actor=api_people[Role.ADMIN]
    )
    return Api(Client(), created.token)


@pytest.fixture
def ro(api_org: Organization, api_people: dict[str, User]) -> Api:
    created = create_api_key(
        api_org, name="Reports", access=ApiKeyAccess.READ_ONLY, actor=api_people[Role.ADMIN]
    )
    return Api(Client(), created.token)


@pytest.fixture
def other_org(db: None) -> Organization:
    return factories.make_org("Other Sponsor")


@pytest.fixture
def other_people(other_org: Organization) -> dict[str, User]:
    return factories.make_people(other_org, prefix="other-")


@pytest.fixture
def other(other_org: Organization, other_people: dict[str, User]) -> Api:
    created = create_api_key(
        other_org, name="Other CTMS", access=ApiKeyAccess.READ_WRITE, actor=other_people[Role.ADMIN]
    )
    return Api(Client(), created.token)


@pytest.fixture
def api_trial(api_org: Organization, api_people: dict[str, User]) -> Trial:
    return factories.make_trial(api_org, api_people[Role.AUTHOR], small_record(), reference="API-1")


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> None:
    # Rate counts live in the cache under the key's id; on SQLite a rolled-back test's ids are used again
    # by the next test, which would then inherit the count of every earlier test within the minute.
    from django.core.cache import cache

    cache.clear()
