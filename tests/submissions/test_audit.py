"""The audit trail is append-only and hash-chained; verify_audit_log names the first broken link."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from submissions.audit import record_event, verify_chain
from submissions.enums import AUDIT_GENESIS_HASH
from submissions.errors import DomainError
from submissions.models import AuditEvent, RecordVersion
from tests.submissions.dba import append_only_lifted


def _three_events(org):
    return [record_event("trial.created", organization=org, data={"n": n}) for n in range(3)]


def test_events_chain_each_to_the_previous_hash(org):
    events = _three_events(org)
    assert [e.prev_hash for e in events] == [AUDIT_GENESIS_HASH, events[0].hash, events[1].hash]
    assert verify_chain() == (3, None)


def test_verify_audit_log_reports_an_intact_chain(org):
    _three_events(org)
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert out.getvalue() == "Audit chain intact: 3 events verified.\n"


def test_tampered_event_is_named_by_verify_audit_log(org):
    # given three events, the second edited behind the application's back by someone able to lift the
    # database's append-only triggers (a table owner)
    events = _three_events(org)
    with append_only_lifted(connection), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET data = %s WHERE id = %s",  # noqa: S608
            ['{"n": 99}', events[1].pk],
        )
    # when the chain is verified, then the command fails naming that event
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit_log", stderr=err)
    assert exit_info.value.code == 1
    assert err.getvalue() == (
        f"Audit chain broken after 1 good events: Audit event {events[1].pk}: hash expected "
        f"{_recomputed(events[1].pk)}, found {events[1].hash}.\n"
    )


def _recomputed(pk: int) -> str:
    from submissions.audit import hash_of

    return hash_of(AuditEvent.objects.get(pk=pk))


def test_deleted_event_breaks_the_link_of_the_next(org):
    events = _three_events(org)
    with append_only_lifted(connection), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[1].pk])  # noqa: S608
    checked, broken = verify_chain()
    assert broken is not None
    assert (checked, broken.event_id, broken.field, broken.expected, broken.found) == (
        1,
        events[2].pk,
        "prev_hash",
        events[0].hash,
        events[1].hash,
    )


def test_orm_refuses_to_update_or_delete_audit_events(org):
    event = _three_events(org)[0]
    event.data = {"n": 42}
    refusals = []
    for attempt in (
        event.save,
        event.delete,
        lambda: AuditEvent.objects.filter(pk=event.pk).update(data={}),
        lambda: AuditEvent.objects.all().delete(),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        refusals.append(refused.value.code)
    assert refusals == ["immutable.update", "immutable.delete", "immutable.update", "immutable.delete"]
    assert verify_chain() == (3, None)


def test_record_versions_are_immutable(trial):
    version = trial.head
    version.content = {}
    with pytest.raises(DomainError) as on_save:
        version.save()
    with pytest.raises(DomainError) as on_bulk:
        RecordVersion.objects.filter(pk=version.pk).update(sha256="x")
    assert (on_save.value.code, on_bulk.value.code) == ("immutable.update", "immutable.update")
