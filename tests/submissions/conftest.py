"""Fixtures for the lifecycle tests: one sponsor with one person per role and a complete record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from submissions.models import Organization
from tests.submissions import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2 at full strength costs a noticeable fraction of a second per user; tests only need a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db: None) -> Organization:
    return factories.make_org()


@pytest.fixture
def people(org: Organization) -> dict[str, User]:
    return factories.make_people(org)


@pytest.fixture
def record(sample_dir: Path) -> dict[str, Any]:
    return factories.complete_record(sample_dir)


@pytest.fixture
def trial(org: Organization, people: dict[str, User], record: dict[str, Any]) -> Any:
    return factories.make_trial(org, people["author"], record)


@pytest.fixture
def complete_record() -> dict[str, Any]:
    """The repository's complete canonical record (every section, US/EU/WHO deadlines that apply)."""
    return factories.fixture_record()


@pytest.fixture
def eager_celery() -> Iterator[None]:
    # The embedded default runs tasks in-process; with a real broker configured (CI), the tests still
    # run the task at commit instead of leaving it to a worker that is not there.
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
