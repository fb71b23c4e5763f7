"""The trial's whole disclosure life, through the domain functions only."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from submissions import domain
from submissions.enums import FilingKind, FilingState, Role, Stage, TrialState
from submissions.errors import DomainError
from submissions.models import AuditEvent, Filing, Payload
from tests.submissions import factories

TARGETS = ["record"]


def test_trial_advances_through_every_stage_to_disclosed_with_update_filings(trial, people, record):
    # given a draft trial with a complete record
    author = people[Role.AUTHOR]
    states = [trial.state]
    # when each stage's filing is accepted in turn, with a protocol change after registration
    factories.complete_stage(trial, Stage.REGISTRATION, people, TARGETS)
    trial.refresh_from_db()
    states.append(trial.state)
    amended = factories.changed(record, "protocolSection")
    saved = domain.save_record(trial, amended, base_sha256=trial.head.sha256, actor=author)
    update = saved.update_filings[0]
    factories.drive(update, FilingState.ACCEPTED, people)
    trial.refresh_from_db()
    states.append(trial.state)
    for stage in (Stage.PROTOCOL_SUMMARY, Stage.RESULTS, Stage.LAY_SUMMARY):
        factories.complete_stage(trial, stage, people, TARGETS)
        trial.refresh_from_db()
        states.append(trial.state)
    # then the trial moved forward once per stage and never back
    assert states == [
        TrialState.DRAFT,
        TrialState.REGISTERED,
        TrialState.REGISTERED,
        TrialState.PROTOCOL_SUMMARY_PUBLISHED,
        TrialState.RESULTS_REPORTED,
        TrialState.DISCLOSED,
    ]
    assert (update.stage, update.kind, update.state) == (
        Stage.REGISTRATION,
        FilingKind.UPDATE,
        FilingState.ACCEPTED,
    )


def test_changing_an_accepted_stage_opens_one_update_filing(trial, people, record):
    # given an accepted registration
    author = people[Role.AUTHOR]
    factories.complete_stage(trial, Stage.REGISTRATION, people, TARGETS)
    trial.refresh_from_db()
    # when the protocol changes twice
    first = domain.save_record(trial, factories.changed(record), base_sha256=trial.head.sha256, actor=author)
    second_content = factories.changed(factories.changed(record))
    second = domain.save_record(trial, second_content, base_sha256=first.version.sha256, actor=author)
    # then one draft update filing is open for registration, and the second save opened none
    updates = list(
        trial.filings.filter(kind=FilingKind.UPDATE).values_list("stage", "state", "target_registries")
    )
    assert updates == [(Stage.REGISTRATION, FilingState.DRAFT, TARGETS)]
    assert second.update_filings == []
    trial.refresh_from_db()
    assert trial.state == TrialState.REGISTERED


def test_changing_results_before_results_are_accepted_opens_no_update_filing(trial, people, record):
    factories.complete_stage(trial, Stage.REGISTRATION, people, TARGETS)
    trial.refresh_from_db()
    saved = domain.save_record(
        trial,
        factories.changed(record, "resultsSection"),
        base_sha256=trial.head.sha256,
        actor=people["author"],
    )
    assert saved.update_filings == []


def test_approval_pins_the_version_and_stores_payloads_with_their_hashes(trial, people):
    # given a filing in review
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    factories.drive(filing, FilingState.IN_REVIEW, people)
    # when the approver signs
    factories.sign(filing, people["approver"])
    filing.refresh_from_db()
    # then the head version is pinned, and every payload's hash is the hash of its stored bytes
    trial.refresh_from_db()
    assert filing.pinned_version == trial.head
    payloads = list(filing.payloads_current)
    assert [p.registry for p in payloads] == TARGETS
    for payload in payloads:
        assert payload.sha256 == hashlib.sha256(bytes(payload.content)).hexdigest()
    signature = filing.signature
    assert signature is not None
    assert (signature.record_sha256, signature.payload_sha256s, signature.signer) == (
        trial.head.sha256,
        {p.registry: p.sha256 for p in payloads},
        people["approver"],
    )
    assert signature.meaning == "Approved for submission to Canonical trial record (JSON)"


def test_reopen_voids_the_approval_and_keeps_the_signed_payloads_on_record(trial, people):
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    factories.drive(filing, FilingState.APPROVED, people)
    domain.reopen_filing(filing, actor=people["approver"], reason="Wrong date")
    filing.refresh_from_db()
    assert (filing.state, filing.pinned_version, filing.signature, filing.approved_by) == (
        FilingState.DRAFT,
        None,
        None,
        None,
    )
    assert list(filing.payloads_current) == []
    assert Payload.objects.filter(filing=filing).count() == 1


def test_returned_filing_is_corrected_signed_again_and_accepted(trial, people, record):
    # given a registration returned by the registry with comments
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    factories.drive(filing, FilingState.RETURNED, people)
    first_signature = filing.signature
    submission = filing.submissions.get()
    assert (submission.outcome, submission.comments) == ("returned", "Fix X.")
    # when the author corrects, and it goes round again
    domain.start_corrections(filing, actor=people["author"])
    trial.refresh_from_db()
    domain.save_record(
        trial, factories.changed(record), base_sha256=trial.head.sha256, actor=people["author"]
    )
    factories.drive(filing, FilingState.ACCEPTED, people)
    # then the new approval pinned the corrected version and the trial is registered
    trial.refresh_from_db()
    assert (filing.state, filing.pinned_version, trial.state) == (
        FilingState.ACCEPTED,
        trial.head,
        TrialState.REGISTERED,
    )
    assert filing.signature != first_signature
    assert filing.submissions.count() == 2


def test_a_later_stage_can_be_drafted_early_but_not_submitted_for_review(trial, people):
    filing = domain.open_filing(trial, Stage.RESULTS, target_registries=TARGETS, actor=people["author"])
    with pytest.raises(DomainError) as refused:
        domain.submit_for_review(filing, actor=people["author"])
    assert refused.value.code == "filing.previous_stage_not_accepted"
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT


def test_saving_the_head_content_again_creates_nothing(trial, people, record):
    events = AuditEvent.objects.count()
    result = domain.save_record(trial, record, base_sha256=trial.head.sha256, actor=people["author"])
    assert (result.created, result.version, trial.versions.count(), AuditEvent.objects.count()) == (
        False,
        trial.head,
        1,
        events,
    )


def test_saving_an_older_content_makes_that_version_the_head_again(trial, people, record):
    first = trial.head
    second = domain.save_record(
        trial, factories.changed(record), base_sha256=first.sha256, actor=people["author"]
    )
    back = domain.save_record(trial, record, base_sha256=second.version.sha256, actor=people["author"])
    trial.refresh_from_db()
    assert (back.created, back.version, trial.head, trial.versions.count()) == (False, first, first, 2)


def test_save_against_a_stale_base_is_a_conflict_and_changes_nothing(trial, people, record):
    base = trial.head.sha256
    domain.save_record(trial, factories.changed(record), base_sha256=base, actor=people["author"])
    trial.refresh_from_db()
    head = trial.head
    with pytest.raises(DomainError) as refused:
        domain.save_record(
            trial, factories.changed(record, "laySummaries"), base_sha256=base, actor=people["author2"]
        )
    trial.refresh_from_db()
    assert (refused.value.code, trial.head, trial.versions.count()) == ("record.stale_base", head, 2)


def test_a_draft_with_error_findings_is_saved_and_its_findings_returned(org, people):
    trial = domain.create_trial(org, reference="P-2", title="Incomplete", actor=people["author"])
    result = domain.save_record(trial, {"schemaVersion": "1.0"}, base_sha256=None, actor=people["author"])
    assert result.created is True
    assert [f["code"] for f in result.findings] == ["record.required"]


def test_submit_for_review_is_refused_while_the_record_has_error_findings(org, people):
    trial = domain.create_trial(
        org, reference="P-3", title="Incomplete", actor=people["author"], record={"schemaVersion": "1.0"}
    )
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    with pytest.raises(DomainError) as refused:
        domain.submit_for_review(filing, actor=people["author"])
    filing.refresh_from_db()
    assert (refused.value.code, filing.state) == ("filing.no_error_findings", FilingState.DRAFT)


def test_every_action_writes_exactly_one_audit_event(trial, people):
    before = AuditEvent.objects.count()
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    factories.drive(filing, FilingState.ACCEPTED, people)
    types = list(AuditEvent.objects.order_by("pk").values_list("event_type", flat=True)[before:])
    assert types == [
        "filing.opened",
        "filing.submitted_for_review",
        "filing.approved",
        "filing.submitted",
        "registry.response_recorded",
    ]
    last: Any = AuditEvent.objects.order_by("pk").last()
    assert last.data["trial_state"] == {"from": "draft", "to": "registered"}


def test_second_initial_filing_of_a_stage_is_refused(trial, people):
    domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    with pytest.raises(DomainError) as refused:
        domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    assert (refused.value.code, Filing.objects.count()) == ("filing.already_open", 1)


@pytest.mark.parametrize(
    ("targets", "code"),
    [([], "filing.no_registry"), (["nowhere"], "filing.unknown_registry")],
)
def test_open_filing_refuses_bad_target_registries(trial, people, targets, code):
    with pytest.raises(DomainError) as refused:
        domain.open_filing(trial, Stage.REGISTRATION, target_registries=targets, actor=people["author"])
    assert refused.value.code == code


def test_update_filing_needs_the_stage_accepted(trial, people):
    with pytest.raises(DomainError) as refused:
        domain.open_filing(
            trial,
            Stage.REGISTRATION,
            target_registries=TARGETS,
            actor=people["author"],
            kind=FilingKind.UPDATE,
        )
    assert refused.value.code == "filing.stage_not_accepted"


def test_withdrawn_trial_refuses_further_work(trial, people, record):
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people["author"])
    domain.withdraw_trial(trial, actor=people["approver"], reason="Sponsor stopped the programme")
    with pytest.raises(DomainError) as on_review:
        domain.submit_for_review(filing, actor=people["author"])
    with pytest.raises(DomainError) as on_save:
        domain.save_record(
            trial, factories.changed(record), base_sha256=trial.head.sha256, actor=people["author"]
        )
    assert (on_review.value.code, on_save.value.code) == ("filing.trial_withdrawn", "trial.withdrawn")


def test_withdraw_is_refused_once_the_protocol_summary_is_published(trial, people):
    factories.complete_stage(trial, Stage.REGISTRATION, people, TARGETS)
    factories.complete_stage(trial, Stage.PROTOCOL_SUMMARY, people, TARGETS)
    trial.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        domain.withdraw_trial(trial, actor=people["approver"], reason="Too late")
    assert refused.value.code == "trial.wrong_state"


def test_withdraw_needs_a_reason(trial, people):
    with pytest.raises(DomainError) as refused:
        domain.withdraw_trial(trial, actor=people["approver"], reason=" ")
    trial.refresh_from_db()
    assert (refused.value.code, trial.state) == ("trial.reason_required", TrialState.DRAFT)
