"""Parallel requests against one version (PostgreSQL only): exactly one change wins, the rest get 412,
nothing is lost or applied twice; a repeated Idempotency-Key runs its action once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from submissions.audit import verify_chain
from submissions.enums import Role
from submissions.models import AuditEvent, Filing, RecordVersion, Trial
from tests.submissions.api.conftest import Api, small_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PARALLEL = 20


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks between connections; SQLite serialises the whole database")


def _in_parallel(call: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(PARALLEL)
    results: list[Any] = [None] * PARALLEL

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = call(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _api(token: str) -> Api:
    return Api(Client(), token)


def test_parallel_updates_against_one_etag_exactly_one_wins(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    etag = rw.get(path)["ETag"]
    statuses = _in_parallel(
        lambda n: _api(rw.token).call("PUT", path, small_record(f"Title {n}"), If_Match=etag).status_code
    )
    api_trial.refresh_from_db()
    assert sorted(statuses) == [200] + [412] * (PARALLEL - 1)
    assert RecordVersion.objects.filter(trial=api_trial).count() == 2
    assert AuditEvent.objects.filter(trial=api_trial, event_type="record.saved").count() == 2
    assert verify_chain()[1] is None


def test_parallel_returns_of_one_filing_in_review_exactly_one_wins(
    api_trial: Trial, api_people: dict[str, User]
) -> None:
    filing = Filing.objects.create(
        trial=api_trial,
        stage="registration",
        target_registries=["record"],
        created_by=api_people[Role.AUTHOR],
    )
    Filing.objects.filter(pk=filing.pk).update(
        state="in_review", submitted_for_review_by=api_people[Role.AUTHOR]
    )
    reviewer = api_people[Role.REVIEWER]
    client = Client()
    client.force_login(reviewer)
    etag = client.get(f"/api/v1/filings/{filing.pk}")["ETag"]
    path = f"/api/v1/filings/{filing.pk}/transitions/return_to_author"

    def call(n: int) -> int:
        session = Client()
        session.force_login(reviewer)
        return session.post(
            path, {"remarks": f"#{n}"}, content_type="application/json", HTTP_IF_MATCH=etag
        ).status_code

    statuses = _in_parallel(call)
    filing.refresh_from_db()
    assert sorted(statuses) == [200] + [412] * (PARALLEL - 1)
    assert (
        filing.state,
        AuditEvent.objects.filter(filing=filing, event_type="filing.returned_to_author").count(),
    ) == (
        "draft",
        1,
    )


def test_a_repeated_idempotency_key_in_parallel_creates_once(rw: Api) -> None:
    body = {"reference": "PAR-1", "title": "Once", "record": small_record()}
    responses = _in_parallel(
        lambda n: _api(rw.token).call("POST", "/api/v1/trials", body, Idempotency_Key="same-key")
    )
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert len({r.content for r in responses}) == 1
    assert Trial.objects.filter(reference="PAR-1").count() == 1
    assert AuditEvent.objects.filter(event_type="trial.created").count() == 1
