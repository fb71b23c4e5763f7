"""Background work through a real Redis broker and a Celery worker, as production runs it (README, "At
scale"): the tasks are sent to Redis and run by a worker thread with its own database connection, not
in-process. The other tests run Celery eagerly, the embedded default."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from submissions.domain import letters as domain_letters
from submissions.enums import Role
from submissions.letters.enums import LetterJobState
from submissions.letters.models import Letter, LetterJob
from submissions.models import Deadline
from tests.settings import redis_url_for_worker
from tests.submissions import factories
from tests.submissions.letters.factories import add_sites, csv_bytes, disclose, letters_record

BROKER_URL = redis_url_for_worker(os.environ.get("CELERY_TEST_BROKER_URL") or "redis://127.0.0.1:6379/10")


def _wait_for(condition: Callable[[], Any], seconds: float = 60.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not done within {seconds} s")


def _forget_connections() -> None:
    # Celery keeps the broker connection pool and the producer pool made for the first task it sent.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_worker(transactional_db: None) -> Iterator[None]:
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {BROKER_URL}: start one (CI and production have it)")
    client.flushdb()
    saved = {name: app.conf[name] for name in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=BROKER_URL, result_backend=BROKER_URL, task_always_eager=False)
    _forget_connections()  # those made for the in-process default must not be reused
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
        ):
            yield
    finally:
        app.conf.update(saved)
        _forget_connections()
        client.flushdb()


def test_a_save_has_its_deadlines_computed_by_a_worker(org, people, complete_record, redis_worker):
    # given Celery on Redis (nothing runs in-process)
    # when an author saves a trial's first record version
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record)
    # then the worker computes its deadlines from that version, as of today
    _wait_for(lambda: Deadline.objects.filter(trial=trial).exists())
    assert set(Deadline.objects.filter(trial=trial).values_list("computed_on", flat=True)) == {
        timezone.localdate()
    }


def test_a_letter_job_runs_on_a_worker_through_redis(org, people, redis_worker):
    # given a trial with an approved lay summary and a roster of two who asked for results
    trial = factories.make_trial(org, people[Role.AUTHOR], letters_record(), reference="LET-1")
    disclose(trial, people)
    add_sites(trial, people)
    domain_letters.import_roster(
        trial,
        csv_bytes("P-001,S01,en,,yes", "P-002,S02,de,,yes", "P-003,S02,en,,no"),
        actor=people[Role.AUTHOR],
    )
    # when an author starts the letters
    job = domain_letters.start_letter_job(trial, actor=people[Role.AUTHOR])
    # then a worker makes them: the job ends done with one letter per participant who asked
    finished = _wait_for(
        lambda: LetterJob.objects.filter(pk=job.pk, state=LetterJobState.DONE).first(), seconds=120
    )
    assert (finished.total, finished.done, finished.failed) == (2, 2, 0)
    assert sorted(Letter.objects.filter(job=job).values_list("participant__subject_id", flat=True)) == [
        "P-001",
        "P-002",
    ]
