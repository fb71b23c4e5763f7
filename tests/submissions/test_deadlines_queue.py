"""Queueing deadline recomputations with a real broker: one queued recomputation per trial and reason.

With the embedded in-process Celery the task runs at once (the other deadline tests); here the broker is
not eager and the cache is the Redis a production install shares between web processes and workers.
The task's ``delay`` is the network edge (the broker), so it is replaced by a recorder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from submissions import domain
from submissions.domain.deadlines import recompute_started, schedule_recompute
from submissions.enums import RecomputeReason, Role
from submissions.tasks import recompute_trial_deadlines
from tests.settings import redis_url_for_worker
from tests.submissions import factories

# The suite's own Redis cache when it has one (CI's PostgreSQL run), else a database of its own.
REDIS_URL = redis_url_for_worker(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12")
REDIS_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def broker() -> Iterator[None]:
    """Celery as with a real broker: tasks are queued, not run in-process."""
    conf = recompute_trial_deadlines.app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    yield
    conf.task_always_eager = eager


@pytest.fixture
def queued(broker: None, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """The recomputations sent to the broker, instead of running them in-process."""
    sent: list[tuple[int, str]] = []
    monkeypatch.setattr(
        recompute_trial_deadlines, "delay", lambda trial_id, reason: sent.append((trial_id, reason))
    )

    def apply_async(args: tuple[int, str], countdown: int) -> None:
        assert countdown == settings.DEADLINE_RECOMPUTE_DELAY_SECONDS
        sent.append(args)

    monkeypatch.setattr(recompute_trial_deadlines, "apply_async", apply_async)
    return sent


@pytest.fixture
def shared_cache() -> Iterator[None]:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}: start one (CI and production have it)")
    with override_settings(CACHES=REDIS_CACHE):
        cache.clear()
        yield
        cache.clear()


def _save_twice(trial, author, record, django_capture_on_commit_callbacks) -> None:
    base = trial.head.sha256
    for change in ("Sync one", "Sync two"):
        record["protocolSection"]["identificationModule"]["briefTitle"] = change
        with django_capture_on_commit_callbacks(execute=True):
            base = domain.save_record(trial, record, base_sha256=base, actor=author).version.sha256


def test_saves_while_a_recomputation_is_queued_do_not_queue_another(
    org, people, complete_record, queued, shared_cache, django_capture_on_commit_callbacks
):
    # given a trial whose deadlines are not being recomputed
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record)
    queued.clear()
    # when it is saved twice before a worker picks the recomputation up
    _save_twice(trial, people[Role.AUTHOR], complete_record, django_capture_on_commit_callbacks)
    # then one recomputation is queued: it reads the newest head when it starts
    assert queued == [(trial.pk, RecomputeReason.RECORD_SAVED)]


def test_a_save_after_the_recomputation_started_queues_a_new_one(
    org, people, complete_record, queued, shared_cache, django_capture_on_commit_callbacks
):
    # given a trial with a recomputation queued
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record)
    queued.clear()
    _save_twice(trial, people[Role.AUTHOR], complete_record, django_capture_on_commit_callbacks)
    # when a worker starts it and the trial is saved again (the running one may not see that save)
    recompute_started(trial.pk, RecomputeReason.RECORD_SAVED)
    _save_twice(trial, people[Role.AUTHOR], complete_record, django_capture_on_commit_callbacks)
    # then a second recomputation is queued, and only one
    assert queued == [(trial.pk, RecomputeReason.RECORD_SAVED)] * 2


def test_each_trial_and_reason_has_its_own_queued_recomputation(
    org, people, complete_record, queued, shared_cache, django_capture_on_commit_callbacks
):
    # given two trials
    first = factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="Q-1")
    second = factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="Q-2")
    queued.clear()
    # when both are scheduled for a save, and the first also for a filing's change
    with django_capture_on_commit_callbacks(execute=True):
        schedule_recompute(first.pk, RecomputeReason.RECORD_SAVED)
        schedule_recompute(second.pk, RecomputeReason.RECORD_SAVED)
        schedule_recompute(first.pk, RecomputeReason.FILING_CHANGED)
        schedule_recompute(first.pk, RecomputeReason.RECORD_SAVED)
    # then each trial and reason is queued once
    assert queued == [
        (first.pk, RecomputeReason.RECORD_SAVED),
        (second.pk, RecomputeReason.RECORD_SAVED),
        (first.pk, RecomputeReason.FILING_CHANGED),
    ]


def test_without_a_shared_cache_every_save_queues_its_recomputation(
    org, people, complete_record, queued, django_capture_on_commit_callbacks
):
    # given a broker but a cache private to each process (the worker could not clear the web's mark)
    with override_settings(CACHES=LOCAL_CACHE):
        trial = factories.make_trial(org, people[Role.AUTHOR], complete_record)
        queued.clear()
        # when the trial is saved twice
        _save_twice(trial, people[Role.AUTHOR], complete_record, django_capture_on_commit_callbacks)
    # then each save queues its own recomputation
    assert queued == [(trial.pk, RecomputeReason.RECORD_SAVED)] * 2


def test_a_broker_failure_leaves_no_mark_that_would_block_the_next_save(
    org, people, complete_record, broker, monkeypatch, shared_cache, django_capture_on_commit_callbacks
):
    # given a broker that refuses the first message
    sent: list[int] = []

    def flaky_apply_async(args: tuple[int, str], countdown: int) -> None:
        if not sent:
            sent.append(0)
            raise ConnectionError("broker down")
        sent.append(args[0])

    monkeypatch.setattr(recompute_trial_deadlines, "apply_async", flaky_apply_async)
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record)
    sent.clear()
    # when the trial is saved twice (the first enqueue fails and is logged, not raised)
    _save_twice(trial, people[Role.AUTHOR], complete_record, django_capture_on_commit_callbacks)
    # then the second save still queues its recomputation
    assert sent == [0, trial.pk]
