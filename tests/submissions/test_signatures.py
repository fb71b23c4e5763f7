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
        filing.pinned_version == filing.trial.head,
        filing.signature,
        ESignature.objects.count(),
        Payload.objects.count(),
    )


# What a refused approval leaves: still in review, the pinned version still the head, nothing signed.
UNCHANGED = (FilingState.IN_REVIEW, True, None, 0, 0)


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
        UNCHANGED,
    )


def test_wrong_password_signs_nothing_and_is_recorded(in_review, people):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        _approve(in_review, people[Role.APPROVER], password="not the password")
    failed = AuditEvent.objects.order_by("pk").last()
    assert failed is not None
    assert (refused.value.code, _unchanged(in_review)) == (
        "signature.bad_password",
        UNCHANGED,
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
    assert (refused.value.code, _unchanged(in_review)) == (code, UNCHANGED)


def test_signature_records_name_time_meaning_and_hashes(in_review, people, trial):
    approver = people[Role.APPROVER]
    signature = _approve(
        in_review, approver, printed_name="  approver   TESTER ", record_sha256=trial.head.sha256
    )
    # the signature carries the verified name as verified, whatever spacing and case were typed
    payload = Payload.objects.get()
    assert (
        signature.printed_name,
        signature.meaning,
        signature.record_sha256,
        signature.payload_sha256s,
        signature.signer,
    ) == (
        "Approver Tester",
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


def test_approve_refuses_a_signer_whose_name_nobody_verified(in_review, people, org):
    # given a second approver whose account has no verified name (nor any first and last name)
    unverified = factories.make_user("nameless", org=org, roles=(Role.APPROVER,))
    unverified.first_name = unverified.last_name = ""
    unverified.save()
    # when they sign under any printed name, then it is refused and nothing is signed
    with pytest.raises(DomainError) as refused:
        _approve(in_review, unverified, printed_name="Somebody Important")
    assert (refused.value.code, _unchanged(in_review)) == ("signature.name_not_verified", UNCHANGED)


def test_the_printed_name_must_be_the_verified_name_not_the_account_name(in_review, people):
    # given an approver who renamed their own account after an admin verified their name
    approver = people[Role.APPROVER]
    approver.first_name, approver.last_name = "Chief", "Executive"
    approver.save()
    # when they sign under the new account name, then it is refused
    with pytest.raises(DomainError) as refused:
        _approve(in_review, approver, printed_name="Chief Executive")
    assert (refused.value.code, refused.value.message) == (
        "signature.printed_name_mismatch",
        "The printed name must be your verified full name (Approver Tester).",
    )


def test_a_person_cannot_verify_their_own_name(org, people):
    admin = people[Role.ADMIN]
    with pytest.raises(DomainError) as refused:
        domain.verify_signer_name(org, admin, full_name="Admin Tester", actor=admin)
    assert refused.value.code == "account.self_verification"


def test_name_verification_is_for_admins_and_audited(org, people):
    # given an approver trying to verify someone's name, then refused
    with pytest.raises(DomainError) as refused:
        domain.verify_signer_name(org, people[Role.AUTHOR], full_name="A", actor=people[Role.APPROVER])
    # when the admin verifies it, then the event names who, what and the name before
    domain.verify_signer_name(
        org, people[Role.APPROVER], full_name="Ada  Lovelace ", actor=people[Role.ADMIN]
    )
    event = AuditEvent.objects.order_by("pk").last()
    assert event is not None
    assert (refused.value.code, event.event_type, event.actor, event.data) == (
        "role.required",
        "account.signer_name_verified",
        people[Role.ADMIN],
        {"user": "approver", "full_name": "Ada Lovelace", "previous": "Approver Tester"},
    )


def test_signing_locks_after_repeated_wrong_passwords_each_audited(in_review, people, settings):
    # given the limit of wrong signature passwords
    settings.SIGNATURE_FAILURE_LIMIT = 3
    approver = people[Role.APPROVER]
    codes = []
    for _attempt in range(3):
        with pytest.raises(DomainError) as refused:
            _approve(in_review, approver, password="guess")
        codes.append(refused.value.code)
    # when the right password comes next, then signing is still locked
    with pytest.raises(DomainError) as locked:
        _approve(in_review, approver)
    events = list(
        AuditEvent.objects.filter(actor=approver, event_type__startswith="signature.")
        .order_by("pk")
        .values_list("event_type", flat=True)
    )
    assert (codes, locked.value.code, _unchanged(in_review)) == (
        ["signature.bad_password"] * 3,
        "signature.locked",
        UNCHANGED,
    )
    assert events == ["signature.failed", "signature.failed", "signature.failed", "signature.locked"]


def test_signing_lockout_ends_after_its_window(in_review, people, settings):
    # given an approver locked out by wrong passwords, and a window that has since passed
    settings.SIGNATURE_FAILURE_LIMIT = 2
    for _attempt in range(2):
        with pytest.raises(DomainError):
            _approve(in_review, people[Role.APPROVER], password="guess")
    settings.SIGNATURE_LOCKOUT_MINUTES = 0
    # when they sign with the right password, then it is signed
    signature = _approve(in_review, people[Role.APPROVER])
    assert signature.signer == people[Role.APPROVER]


def test_another_approver_is_not_locked_by_someone_elses_failures(in_review, people, settings):
    settings.SIGNATURE_FAILURE_LIMIT = 1
    with pytest.raises(DomainError):
        _approve(in_review, people[Role.APPROVER], password="guess")
    assert _approve(in_review, people["approver2"]).signer == people["approver2"]


def test_signature_manifestation_names_printed_name_time_with_zone_and_meaning(in_review, people):
    signature = _approve(in_review, people[Role.APPROVER])
    when = signature.signed_at.strftime("%Y-%m-%d %H:%M:%S")
    assert signature.manifestation == (
        f"Signed by Approver Tester on {when} UTC; meaning: "
        "Approved for submission to Canonical trial record (JSON)"
    )
    assert str(signature) == signature.manifestation


def test_approval_manifest_carries_the_manifestation_and_every_payload_hash(in_review, people):
    signature = _approve(in_review, people[Role.APPROVER])
    in_review.refresh_from_db()
    payload = Payload.objects.get()
    manifest = domain.approval_manifest(in_review)
    assert manifest == {
        "filing": {"id": in_review.pk, "trial": "PROT-1", "stage": "registration", "kind": "initial"},
        "signature": {
            "manifestation": signature.manifestation,
            "printed_name": "Approver Tester",
            "signed_at": signature.signed_at.isoformat(),
            "time_zone": "UTC",
            "meaning": signature.meaning,
            "record_sha256": signature.record_sha256,
            "signature_hash": signature.signature_hash,
        },
        "payloads": [
            {
                "registry": "record",
                "file_name": payload.file_name,
                "media_type": payload.media_type,
                "sha256": payload.sha256,
            }
        ],
    }


def test_signature_hash_is_keyed_and_an_edited_signature_is_named(in_review, people):
    from django.db import connection

    from submissions.audit import verify_trail

    # given a signature, then its printed name rewritten in the database
    signature = _approve(in_review, people[Role.APPROVER])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ESignature._meta.db_table} SET printed_name = %s WHERE id = %s",  # noqa: S608
            ["Someone Else", signature.pk],
        )
    # when the trail is verified, then the signature is named as edited
    report = verify_trail()
    assert (signature.key_id is not None, [finding.kind for finding in report.findings]) == (
        True,
        ["signature_edited"],
    )
