"""The audit trail is append-only and chained with keyed hashes, its head anchored outside the database;
verify_audit_log names an edited event, a re-chain by someone without the key, and a truncation."""

from __future__ import annotations

import hashlib
import hmac
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from registries.canonical import canonical_json
from submissions.anchors import anchor_chain
from submissions.audit import (
    TrailReport,
    event_body,
    hash_of,
    public_hash_of,
    record_event,
    verify_chain,
    verify_trail,
    walk_chain,
)
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
    assert out.getvalue() == (
        "Audit chain intact: 3 events verified against 0 anchor(s); 0 e-signature(s) verified.\n"
    )


def _raw_update(pk: int, **columns: str | None) -> None:
    """What a table owner can do: lift the triggers and rewrite a row with SQL."""
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with append_only_lifted(connection), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608
            [*columns.values(), pk],
        )


def _verify_fails() -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit_log", stderr=err)
    assert exit_info.value.code == 1
    return err.getvalue()


def test_tampered_event_is_named_by_verify_audit_log(org):
    # given three events, the second edited behind the application's back by someone able to lift the
    # database's append-only triggers (a table owner)
    events = _three_events(org)
    _raw_update(events[1].pk, data='{"n": 99}')
    # when the chain is verified, then the command fails naming that event as edited
    assert _verify_fails() == (
        f"edited: Audit event {events[1].pk} was edited after it was written (its fields no longer give its "
        f"hash): hash expected {hash_of(AuditEvent.objects.get(pk=events[1].pk))}, found {events[1].hash}.\n"
        "Audit trail NOT intact: 1 finding(s); 1 events held.\n"
    )


def test_rechaining_with_the_public_algorithm_but_without_the_key_is_named_a_forgery(org):
    # given a table owner who edits the second event and recomputes its hash and every later one with
    # the published algorithm (SHA-256 of the canonical JSON), not knowing the audit key
    events = _three_events(org)
    _raw_update(events[1].pk, data='{"n": 99}')
    previous = events[0].hash
    for event in AuditEvent.objects.filter(pk__gte=events[1].pk).order_by("pk"):
        event.prev_hash = previous
        forged = public_hash_of(event)
        _raw_update(event.pk, prev_hash=previous, hash=forged)
        previous = forged
    # when the trail is verified
    checked, broken = verify_chain()
    # then the first forged event is named, as re-chained without the key
    assert broken is not None
    assert (checked, broken.event_id, broken.field, broken.kind) == (1, events[1].pk, "hash", "rechained")
    assert _verify_fails().startswith(f"rechained: Audit event {events[1].pk} and every event after it")


def test_rechaining_under_a_guessed_key_is_named_a_forgery(org):
    # given a forger who re-chains from the second event with a key of their own
    events = _three_events(org)
    guessed = b"a-key-the-forger-made-up-" + b"x" * 40
    _raw_update(events[1].pk, data='{"n": 99}')
    previous = events[0].hash
    for event in AuditEvent.objects.filter(pk__gte=events[1].pk).order_by("pk"):
        event.prev_hash = previous
        forged = hmac.new(guessed, canonical_json(event_body(event)), hashlib.sha256).hexdigest()
        _raw_update(event.pk, prev_hash=previous, hash=forged)
        previous = forged
    # when verified under the real key, then it is a re-chain from the second event
    checked, broken = verify_chain()
    assert broken is not None
    assert (checked, broken.event_id, broken.kind) == (1, events[1].pk, "rechained")


def test_removing_the_newest_events_after_an_anchor_is_named_a_truncation(org):
    # given three events anchored outside the database, then the last two deleted by a table owner
    events = _three_events(org)
    call_command("anchor_audit_log", stdout=StringIO())
    with append_only_lifted(connection), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE id >= %s",  # noqa: S608
            [events[1].pk],
        )
    # when verified, then the chain left holds but the anchor names the truncation
    assert verify_chain() == (1, None)
    assert _verify_fails().startswith(
        "truncated: The audit log was truncated: it has 1 events, the anchor of "
    )


def test_truncation_hidden_by_new_events_is_caught_by_the_anchored_hash(org):
    # given an anchored chain of three, the last removed, then the application appending again
    events = _three_events(org)
    anchor = anchor_chain()
    with append_only_lifted(connection), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[2].pk])  # noqa: S608
    replacement = record_event("trial.created", organization=org, data={"n": "new"})
    # when verified, then the event at the anchored position is not the anchored one
    report = verify_trail()
    assert [finding.kind for finding in report.findings] == ["anchor_mismatch"]
    assert report.findings[0].sentence == (
        f"Event 3 is not the one anchored on {anchor.anchored_at} (hash {replacement.hash}, anchored "
        f"{events[2].hash}): the log was rewritten."
    )


def test_an_edited_anchor_is_named(org, settings):
    # given an anchor whose count was lowered in the file by someone without the key
    _three_events(org)
    anchor_chain()
    path = settings.AUDIT_ANCHOR_PATH
    line = json.loads(path.read_text())
    path.write_text(json.dumps({**line, "count": 1}) + "\n")
    # when verified, then the anchor is named as forged
    assert [finding.kind for finding in verify_trail().findings] == ["anchor_forged"]


def test_anchor_audit_log_appends_one_line_per_anchor_and_verification_passes(org, settings):
    # given events anchored twice
    events = _three_events(org)
    call_command("anchor_audit_log", stdout=StringIO())
    record_event("trial.created", organization=org, data={"n": 3})
    out = StringIO()
    call_command("anchor_audit_log", stdout=out)
    # then the file holds two anchors, the second naming four events, and the trail verifies
    lines = [json.loads(line) for line in settings.AUDIT_ANCHOR_PATH.read_text().splitlines()]
    assert [(line["count"], line["unkeyed_prefix"]) for line in lines] == [(3, 0), (4, 0)]
    assert lines[0]["head_hash"] == events[2].hash
    assert out.getvalue().startswith("Anchored 4 events, head ")
    assert verify_trail() == TrailReport(events=4, anchors=2, signatures=0, findings=[])


def test_anchoring_refuses_a_broken_chain(org):
    events = _three_events(org)
    _raw_update(events[1].pk, data='{"n": 99}')
    with pytest.raises(CommandError, match=r"audit\.chain_broken: Not anchored: Audit event"):
        call_command("anchor_audit_log", stdout=StringIO())


def test_events_made_before_a_key_rotation_still_verify_with_the_retired_key(org, settings):
    # given events under one key, then the key rotated (the old one kept as retired) and more events
    first = _three_events(org)
    old_key = settings.AUDIT_HMAC_KEY
    settings.AUDIT_HMAC_KEY = "the-new-audit-key-after-rotation-" + "r" * 40
    settings.AUDIT_HMAC_RETIRED_KEYS = [old_key]
    later = record_event("trial.created", organization=org, data={"n": 3})
    # then both generations verify, each under its own key
    assert (first[0].key_id != later.key_id, verify_chain()) == (True, (4, None))
    # and without the retired key, the old events are named as under an unknown key
    settings.AUDIT_HMAC_RETIRED_KEYS = []
    checked, broken = verify_chain()
    assert broken is not None
    assert (checked, broken.event_id, broken.kind) == (0, first[0].pk, "unknown_key")


def test_unkeyed_events_from_before_keys_verify_only_at_the_start_of_the_chain(org):
    # given an installation upgraded with two events hashed before keys existed (no key id, plain SHA-256)
    legacy = _three_events(org)[:2]
    previous = AUDIT_GENESIS_HASH
    for event in legacy:
        event.key_id = None
        event.prev_hash = previous
        previous = public_hash_of(event)
        _raw_update(event.pk, key_id=None, prev_hash=event.prev_hash, hash=previous)
    third = AuditEvent.objects.order_by("pk").last()
    assert third is not None
    third.prev_hash = previous
    _raw_update(third.pk, prev_hash=previous, hash=hash_of(third))
    # then the chain verifies: old events as they were, the keyed one after them
    assert walk_chain().unkeyed_prefix == 2
    assert verify_chain() == (3, None)
    # and an event turned unkeyed after a keyed one is a forgery
    appended = record_event("trial.created", organization=org, data={"n": 4})
    appended.key_id = None
    _raw_update(appended.pk, key_id=None, hash=public_hash_of(appended))
    checked, broken = verify_chain()
    assert broken is not None
    assert (checked, broken.event_id, broken.kind) == (3, appended.pk, "unkeyed_after_keyed")


def test_rewriting_keyed_events_as_unkeyed_ones_is_caught_by_the_anchor(org):
    # given an anchored chain of keyed events, then all rewritten as "old" unkeyed events by a forger
    events = _three_events(org)
    anchor_chain()
    previous = AUDIT_GENESIS_HASH
    for event in events:
        event.key_id = None
        event.prev_hash = previous
        previous = public_hash_of(event)
        _raw_update(event.pk, key_id=None, prev_hash=event.prev_hash, hash=previous)
    # when verified, then the chain alone holds, but the anchor shows the rewrite
    assert verify_chain() == (3, None)
    assert sorted(finding.kind for finding in verify_trail().findings) == [
        "anchor_mismatch",
        "unkeyed_after_keyed",
    ]


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


def test_the_daily_beat_task_anchors_the_chain(org, settings):
    from config.celery import app
    from submissions.tasks import anchor_audit_log

    # given the beat schedule and three events
    events = _three_events(org)
    schedule = settings.CELERY_BEAT_SCHEDULE["anchor-audit-log-daily"]
    # when the task runs, then the anchor names the three events and the chain verifies against it
    result = anchor_audit_log()
    assert (schedule["task"], schedule["task"] in app.tasks) == ("submissions.anchor_audit_log", True)
    assert (result["count"], result["head_hash"], verify_trail().anchors) == (3, events[2].hash, 1)
