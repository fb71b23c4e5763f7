"""Fixtures for the staff web application's view tests: a trial of a complete record, people signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from submissions import domain
from submissions.enums import RecomputeReason
from submissions.models import Organization, Trial
from tests.submissions import factories


@pytest.fixture
def web_trial(org: Organization, people: dict[str, User], complete_record: dict[str, Any]) -> Trial:
    trial = factories.make_trial(org, people["author"], complete_record)
    # Deadlines are recomputed on commit in production; the test transaction never commits.
    domain.recompute_deadlines(trial, reason=RecomputeReason.MANUAL)
    return trial


@pytest.fixture
def as_user(client: Client) -> Callable[[User], Client]:
    """The test client, signed in as the given person."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def other_trial(db: None, complete_record: dict[str, Any]) -> Trial:
    """A trial of another sponsor, which nobody of ``org`` may see."""
    other = factories.make_org("Sponsor B")
    people = factories.make_people(other, prefix="b-")
    return factories.make_trial(other, people["author"], complete_record, reference="B-1")
