"""The database itself refuses to rewrite or remove audit events and deadline history (21 CFR 11.10(e)),
on SQLite and on PostgreSQL, whatever SQL reaches it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Model

from submissions import domain
from submissions.audit import record_event, verify_chain
from submissions.enums import RecomputeReason, Role
from submissions.models import AuditEvent, DeadlineHistory
from tests.submissions import factories
from tests.submissions.dba import append_only_lifted, installed_triggers

AUDIT_TABLE = AuditEvent._meta.db_table
HISTORY_TABLE = DeadlineHistory._meta.db_table


def _refusal(sql: str, params: list[int | str]) -> str:
    """Run ``sql`` expecting the database to refuse it; the first line of its message."""
    with pytest.raises(IntegrityError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refused.value).splitlines()[0]


def _row(model: type[Model], pk: int) -> dict[str, object]:
    return model.objects.filter(pk=pk).values().get()  # type: ignore[attr-defined]


@pytest.fixture
def events(org):
    return [record_event("trial.created", organization=org, data={"n": n}) for n in range(3)]


@pytest.fixture
def history(org, people, complete_record):
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="TRIG-1")
    domain.recompute_deadlines(trial, reason=RecomputeReason.DAILY, today=date(2026, 11, 21))
    return list(DeadlineHistory.objects.order_by("pk"))


@pytest.mark.django_db
def test_append_only_triggers_are_installed():
    expected = {
        "postgresql": {
            (AUDIT_TABLE, f"{AUDIT_TABLE}_append_only"),
            (AUDIT_TABLE, f"{AUDIT_TABLE}_no_truncate"),
            (HISTORY_TABLE, f"{HISTORY_TABLE}_append_only"),
            (HISTORY_TABLE, f"{HISTORY_TABLE}_no_truncate"),
        },
        "sqlite": {
            (AUDIT_TABLE, f"{AUDIT_TABLE}_no_update"),
            (AUDIT_TABLE, f"{AUDIT_TABLE}_no_delete"),
            (HISTORY_TABLE, f"{HISTORY_TABLE}_no_update"),
            (HISTORY_TABLE, f"{HISTORY_TABLE}_no_delete"),
        },
    }[connection.vendor]
    assert installed_triggers(connection) == expected


def test_database_refuses_raw_update_of_an_audit_event(events):
    # given three chained events
    before = _row(AuditEvent, events[1].pk)
    # when raw SQL rewrites the second one's data
    message = _refusal(f"UPDATE {AUDIT_TABLE} SET data = %s WHERE id = %s", ['{"n": 99}', events[1].pk])  # noqa: S608
    # then the database refuses, and the event and the chain are as they were
    assert message == f"{AUDIT_TABLE} is append-only (21 CFR 11.10(e)): UPDATE refused"
    assert (_row(AuditEvent, events[1].pk), verify_chain()) == (before, (3, None))


def test_database_refuses_raw_delete_of_an_audit_event(events):
    message = _refusal(f"DELETE FROM {AUDIT_TABLE} WHERE id = %s", [events[1].pk])  # noqa: S608
    assert message == f"{AUDIT_TABLE} is append-only (21 CFR 11.10(e)): DELETE refused"
    assert (AuditEvent.objects.count(), verify_chain()) == (3, (3, None))


def test_database_refuses_emptying_the_audit_table(events):
    # SQLite has no TRUNCATE; PostgreSQL's is refused by the statement-level trigger.
    if connection.vendor == "postgresql":
        # TRUNCATE refuses while this transaction's deferred foreign-key checks are pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        statement, sql = "TRUNCATE", f"TRUNCATE {AUDIT_TABLE}"
    else:
        statement, sql = "DELETE", f"DELETE FROM {AUDIT_TABLE}"  # noqa: S608
    message = _refusal(sql, [])
    assert message == f"{AUDIT_TABLE} is append-only (21 CFR 11.10(e)): {statement} refused"
    assert (AuditEvent.objects.count(), verify_chain()) == (3, (3, None))


def test_database_refuses_raw_update_of_deadline_history(history):
    # given the history a first computation wrote
    row = history[0]
    before = _row(DeadlineHistory, row.pk)
    # when raw SQL moves its due date
    message = _refusal(f"UPDATE {HISTORY_TABLE} SET due_date = %s WHERE id = %s", ["2099-01-01", row.pk])  # noqa: S608
    # then the database refuses and the row is unchanged
    assert message == f"{HISTORY_TABLE} is append-only (21 CFR 11.10(e)): UPDATE refused"
    assert _row(DeadlineHistory, row.pk) == before


def test_database_refuses_raw_delete_of_deadline_history(history):
    message = _refusal(f"DELETE FROM {HISTORY_TABLE} WHERE id = %s", [history[0].pk])  # noqa: S608
    assert message == f"{HISTORY_TABLE} is append-only (21 CFR 11.10(e)): DELETE refused"
    assert list(DeadlineHistory.objects.order_by("pk")) == history


def test_inserting_events_stays_open_after_a_refusal(events, org):
    # given a refused rewrite
    _refusal(f"DELETE FROM {AUDIT_TABLE} WHERE id = %s", [events[0].pk])  # noqa: S608
    # when the application appends, then the chain grows and holds
    appended = record_event("trial.created", organization=org, data={"n": 3})
    assert (appended.prev_hash, verify_chain()) == (events[2].hash, (4, None))


def test_lifting_the_triggers_restores_them_afterwards(events):
    # given a table owner who lifted the triggers for one transaction, then finished
    with append_only_lifted(connection):
        pass
    # then the database refuses again
    message = _refusal(f"DELETE FROM {AUDIT_TABLE} WHERE id = %s", [events[0].pk])  # noqa: S608
    assert message == f"{AUDIT_TABLE} is append-only (21 CFR 11.10(e)): DELETE refused"
