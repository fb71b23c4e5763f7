"""Domain services for integrations: JSON Merge Patch (RFC 7396), the record-schema refusal, bulk upsert."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from submissions.checks import record_findings
from submissions.domain.records import (
    RecordRefused,
    apply_merge_patch,
    patch_record,
    replace_record,
    upsert_trials,
)
from submissions.domain.trials import PreparedRecord, prepare_record, save_record_of_author
from submissions.enums import Role
from submissions.errors import DomainError
from submissions.models import AuditEvent, Organization, RecordVersion
from tests.submissions import factories
from tests.submissions.api.conftest import small_record

# RFC 7396 Appendix A: the test cases of the specification, as (target, patch, result).
RFC_7396_EXAMPLES: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "result"), RFC_7396_EXAMPLES)
def test_merge_patch_follows_rfc_7396_appendix_a(target: Any, patch: Any, result: Any) -> None:
    assert apply_merge_patch(target, patch) == result


def record_findings_as_dicts(record: dict[str, Any], stage: str) -> list[dict[str, Any]]:
    return [finding.as_dict() for finding in record_findings(record, stage)]


@pytest.fixture
def author(db: None) -> tuple[Organization, User]:
    org = factories.make_org("Records Sponsor")
    return org, factories.make_people(org, prefix="rec-")[Role.AUTHOR]


def test_replace_refuses_a_record_failing_the_schema_and_saves_nothing(
    author: tuple[Organization, User],
) -> None:
    org, user = author
    trial = factories.make_trial(org, user, small_record(), reference="R-1")
    base = trial.head.sha256 if trial.head else None
    with pytest.raises(RecordRefused) as refused:
        replace_record(trial, {**small_record(), "colour": "red"}, base_sha256=base, actor=user)
    assert (refused.value.code, [f["pointer"] for f in refused.value.findings]) == (
        "record.invalid",
        ["/colour"],
    )
    assert RecordVersion.objects.filter(trial=trial).count() == 1


def _changed(record: dict[str, Any]) -> dict[str, Any]:
    protocol = record["protocolSection"]
    identification = {**protocol["identificationModule"], "briefTitle": "Changed"}
    return {**record, "protocolSection": {**protocol, "identificationModule": identification}}


def test_a_save_uses_the_findings_prepared_before_its_transaction(author: tuple[Organization, User]) -> None:
    org, user = author
    trial = factories.make_trial(org, user, small_record(), reference="R-1")
    record = _changed(small_record())
    prepared = prepare_record(trial, record)
    marked = PreparedRecord(prepared.sha256, prepared.stage, [{"code": "prepared.outside"}])
    with transaction.atomic():
        result = save_record_of_author(
            trial, record, base_sha256=trial.head.sha256 if trial.head else None, actor=user, prepared=marked
        )
    assert (prepared.findings == record_findings_as_dicts(record, prepared.stage), result.findings) == (
        True,
        [{"code": "prepared.outside"}],
    )


def test_findings_prepared_for_another_stage_are_computed_again_under_the_lock(
    author: tuple[Organization, User],
) -> None:
    # The trial's stage moved between preparing and locking (another request's transition): the stored
    # findings are those of the stage the trial is at when the version is written.
    org, user = author
    trial = factories.make_trial(org, user, small_record(), reference="R-1")
    record = _changed(small_record())
    prepared = prepare_record(trial, record)
    stale = PreparedRecord(prepared.sha256, "results", [{"code": "prepared.for_results"}])
    with transaction.atomic():
        result = save_record_of_author(
            trial, record, base_sha256=trial.head.sha256 if trial.head else None, actor=user, prepared=stale
        )
    assert result.findings == record_findings_as_dicts(record, prepared.stage) != stale.findings


def test_a_record_equal_to_the_head_is_prepared_without_findings(author: tuple[Organization, User]) -> None:
    org, user = author
    trial = factories.make_trial(org, user, small_record(), reference="R-1")
    assert prepare_record(trial, small_record()).findings is None


def test_patch_against_a_stale_base_is_refused(author: tuple[Organization, User]) -> None:
    org, user = author
    trial = factories.make_trial(org, user, small_record(), reference="R-1")
    with pytest.raises(DomainError) as refused:
        patch_record(trial, {"schemaVersion": "1.0"}, base_sha256="0" * 64, actor=user)
    assert refused.value.code == "record.stale_base"


def test_upsert_reports_each_item_and_keeps_going_after_a_refusal(author: tuple[Organization, User]) -> None:
    org, user = author
    items: list[Any] = [
        {"reference": "U-1", "record": small_record()},
        {"reference": "U-2", "record": {"colour": "red"}},
        {"record": small_record()},
        {"reference": "U-1", "record": small_record()},
        {"reference": "U-1", "record": small_record("Changed")},
    ]
    results = [
        (r.reference, r.outcome, r.problem["code"] if r.problem else None)
        for r in upsert_trials(org, items, actor=user)
    ]
    assert results == [
        ("U-1", "created", None),
        ("U-2", "refused", "record.invalid"),
        ("", "refused", "trial.reference_required"),
        ("U-1", "unchanged", None),
        ("U-1", "updated", None),
    ]
    assert AuditEvent.objects.filter(event_type="trial.created", organization=org).count() == 1


def test_upsert_needs_the_author_role(author: tuple[Organization, User]) -> None:
    org, _user = author
    viewer = factories.make_user("rec-viewer-2", org=org, roles=(Role.VIEWER,))
    with pytest.raises(DomainError) as refused:
        upsert_trials(org, [{"reference": "U-1", "record": small_record()}], actor=viewer)
    assert refused.value.code == "role.required"
