"""Approval is an e-signature (21 CFR 11.50 / 11.200): second person, password, printed name, meaning."""

from __future__ import annotations

import pytest

from submissions import domain
from submissions.enums import FilingState, Role, Stage
from submissions.errors import DomainError
from submissions.models import AuditEvent, ESignature, Payload
from tests.submissions import factories


@pytest.fixture
def in_review(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    return factories.drive(filing, FilingState.IN_REVIEW, people)


def _approve(filing, user, **overrides):
    arguments = {
        "password": factories.PASSWORD,
        "printed_name": user.get_full_name(),
        "meaning": domain.signature_meaning(filing),
    }
    arguments.update(overrides)
    return domain.approve_filing(filing, actor=user, **arguments)


def _unchanged(filing) -> tuple:
    filing.refresh_from_db()
    return (
        filing.state,
        filing.pinned_version,
        filing.signature,
        ESignature.objects.count(),
        Payload.objects.count(),
    )


def test_approve_requires_second_person(in_review, org):
    # given an author who is also an approver and submitted the filing for review
    from submissions.models import Membership

    author = in_review.submitted_for_review_by
    Membership.objects.create(organization=org, user=author, role=Role.APPROVER)
    # when they approve their own filing, then it is refused and nothing changes
    with pytest.raises(DomainError) as refused:
        _approve(in_review, author)
    assert (refused.value.code, _unchanged(in_review)) == (
        "signature.same_person",
        (FilingState.IN_REVIEW, None, None, 0, 0),
    )


def test_wrong_password_signs_nothing_and_is_recorded(in_review, people):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        _approve(in_review, people[Role.APPROVER], password="not the password")
    failed = AuditEvent.objects.order_by("pk").last()
    assert failed is not None
    assert (refused.value.code, _unchanged(in_review)) == (
        "signature.bad_password",
        (FilingState.IN_REVIEW, None, None, 0, 0),
    )
    assert (AuditEvent.objects.count() - before, failed.event_type, failed.actor) == (
        1,
        "signature.failed",
        people[Role.APPROVER],
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"printed_name": "  "}, "signature.printed_name_required"),
        ({"printed_name": "Someone Else"}, "signature.printed_name_mismatch"),
        ({"meaning": "Looks fine"}, "signature.meaning_mismatch"),
        ({"record_sha256": "0" * 64}, "record.stale_base"),
    ],
)
def test_signature_manifest_must_be_confirmed_as_shown(in_review, people, overrides, code):
    with pytest.raises(DomainError) as refused:
        _approve(in_review, people[Role.APPROVER], **overrides)
    assert (refused.value.code, _unchanged(in_review)) == (code, (FilingState.IN_REVIEW, None, None, 0, 0))


def test_signature_records_name_time_meaning_and_hashes(in_review, people, trial):
    approver = people[Role.APPROVER]
    signature = _approve(
        in_review, approver, printed_name="  approver   TESTER ", record_sha256=trial.head.sha256
    )
    payload = Payload.objects.get()
    assert (
        signature.printed_name,
        signature.meaning,
        signature.record_sha256,
        signature.payload_sha256s,
        signature.signer,
    ) == (
        "approver   TESTER",
        "Approved for submission to Canonical trial record (JSON)",
        trial.head.sha256,
        {"record": payload.sha256},
        approver,
    )
    assert signature.signed_at == in_review.approved_at


def test_signature_rows_cannot_be_changed(in_review, people):
    signature = _approve(in_review, people[Role.APPROVER])
    signature.meaning = "Something else"
    with pytest.raises(DomainError) as refused:
        signature.save()
    assert refused.value.code == "immutable.update"
