"""Property-based tests of every operation of the committed OpenAPI document (schemathesis), in-process
through the WSGI application: no 5xx, and every response conforms to the document (status, content type,
body, headers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from submissions.domain.api_keys import create_api_key
from submissions.enums import ApiKeyAccess, Role
from tests.submissions import factories
from tests.submissions.api.conftest import small_record

COMMITTED = Path(__file__).resolve().parents[3] / "submissions" / "api" / "openapi.yaml"

schema = schemathesis.openapi.from_path(COMMITTED)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # The WSGI handler closes "old" database connections around each request; the test's transaction
    # lives on that connection, so the handler must leave it open, as Django's test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None) -> str:
    org = factories.make_org("Fuzz Sponsor")
    people: dict[str, User] = factories.make_people(org, prefix="fuzz-")
    factories.make_trial(org, people[Role.AUTHOR], small_record(), reference="FUZZ-1")
    return create_api_key(org, name="Fuzz", access=ApiKeyAccess.READ_WRITE, actor=people[Role.ADMIN]).token


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_contract(case: Any, token: str) -> None:
    # Excluded: a schema-valid request may still be refused for what the schema cannot say (a record
    # missing what its stage needs, a transition not allowed from the state): those are 4xx by design.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
    )
