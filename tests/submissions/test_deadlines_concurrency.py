"""Two recomputations of one trial at the same moment (a save's task and the daily run): one computes,
the other finds nothing to change (PostgreSQL only)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection

from submissions import domain
from submissions.enums import AuditEventType, RecomputeReason, Role
from submissions.models import AuditEvent, Deadline, DeadlineHistory, Trial
from tests.submissions import factories


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_recomputations_of_one_trial_store_each_deadline_once(org, people, complete_record):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks between connections; SQLite serialises the whole database")
    # given a trial (computed for today when its record was committed), loaded by two workers that
    # replay 1 June 2023, when its results were still to come
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="RACE-1")
    history_before = DeadlineHistory.objects.count()
    events_before = AuditEvent.objects.filter(event_type=AuditEventType.DEADLINES_RECOMPUTED).count()
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def recompute(name: str, reason: str) -> None:
        try:
            copy = Trial.objects.get(pk=trial.pk)
            barrier.wait()
            outcomes[name] = len(
                domain.recompute_deadlines(copy, reason=reason, today=date(2023, 6, 1)).changes
            )
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=recompute, args=("saved", RecomputeReason.RECORD_SAVED)),
        threading.Thread(target=recompute, args=("daily", RecomputeReason.DAILY)),
    ]
    # when both run at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one stored the changes and the other, waiting for it, found nothing left to change
    changed = DeadlineHistory.objects.count() - history_before
    assert (changed > 0, sorted(outcomes.values())) == (True, [0, changed])
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.DEADLINES_RECOMPUTED).count() == events_before + 1
    )
    assert set(Deadline.objects.filter(trial=trial).values_list("computed_on", flat=True)) == {
        date(2023, 6, 1)
    }
