"""Approval integrity (DESIGN sections 4 and 7; 21 CFR 11.70): review and approval are of the version
pinned at submission for review; the record cannot change under it; nobody who wrote any of it, or
submitted it, signs it; the approval page shows the pinned hash and the diff."""

from __future__ import annotations

import pytest

from registries.diff import Change, ChangeKind
from submissions import domain
from submissions.enums import FilingState, Role, Stage
from submissions.errors import DomainError
from submissions.models import Filing, Membership
from tests.submissions import factories

TITLE = "/protocolSection/identificationModule/briefTitle"


@pytest.fixture
def draft(trial, people):
    return domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )


def _save(trial, people, author_key=Role.AUTHOR):
    trial.refresh_from_db()
    return domain.save_record(
        trial, factories.changed(trial.head.content), base_sha256=trial.head.sha256, actor=people[author_key]
    )


def test_submit_for_review_pins_the_head_version(trial, draft, people):
    filing = factories.drive(draft, FilingState.IN_REVIEW, people)
    assert filing.pinned_version == trial.head


def test_saving_the_record_while_a_filing_is_in_review_is_refused(trial, draft, people):
    # given a filing in review
    factories.drive(draft, FilingState.IN_REVIEW, people)
    head = trial.head
    # when an author saves a new version, then it is refused with its code and nothing changes
    with pytest.raises(DomainError) as refused:
        _save(trial, people)
    trial.refresh_from_db()
    assert (refused.value.code, trial.head, trial.versions.count()) == ("record.in_review", head, 1)


def test_return_to_author_releases_the_pin_and_the_next_review_pins_the_new_version(trial, draft, people):
    # given a filing returned to its author, who then saves a change
    factories.drive(draft, FilingState.IN_REVIEW, people)
    domain.return_to_author(draft, actor=people[Role.REVIEWER], remarks="Title")
    draft.refresh_from_db()
    released = draft.pinned_version
    saved = _save(trial, people)
    # when it is submitted again, then the new version is pinned
    domain.submit_for_review(draft, actor=people[Role.AUTHOR])
    draft.refresh_from_db()
    assert (released, draft.pinned_version) == (None, saved.version)


def test_approve_signs_exactly_the_pinned_version(trial, draft, people):
    # given a filing in review and the hash the approver was shown
    filing = factories.drive(draft, FilingState.IN_REVIEW, people)
    shown = domain.approval_summary(filing).version_sha256
    # when approved with that hash
    signature = domain.approve_filing(
        filing,
        actor=people[Role.APPROVER],
        password=factories.PASSWORD,
        printed_name="Approver Tester",
        meaning=domain.signature_meaning(filing),
        record_sha256=shown,
    )
    filing.refresh_from_db()
    payload = filing.payloads_current.get()
    # then the signature, the filing and the payload all name the pinned version
    assert filing.pinned_version is not None
    assert (signature.record_sha256, filing.pinned_version.sha256, payload.record_version.sha256) == (
        shown,
        shown,
        shown,
    )


def test_approving_another_hash_than_the_pinned_one_is_refused(trial, draft, people):
    filing = factories.drive(draft, FilingState.IN_REVIEW, people)
    with pytest.raises(DomainError) as refused:
        domain.approve_filing(
            filing,
            actor=people[Role.APPROVER],
            password=factories.PASSWORD,
            printed_name="Approver Tester",
            meaning=domain.signature_meaning(filing),
            record_sha256="f" * 64,
        )
    assert refused.value.code == "record.stale_base"


def test_approve_refuses_a_dual_role_approver_who_wrote_a_version_the_filing_includes(
    trial, org, draft, people
):
    # given a person holding both author and approver roles who saved a version, and another author
    # who then submitted the filing for review
    dual = people["approver2"]
    Membership.objects.create(organization=org, user=dual, role=Role.AUTHOR)
    _save(trial, people, author_key="approver2")
    filing = factories.drive(draft, FilingState.IN_REVIEW, people)
    assert filing.submitted_for_review_by == people[Role.AUTHOR]
    # when the dual-role person approves, then it is refused: four eyes stay four
    with pytest.raises(DomainError) as refused:
        factories.sign(filing, dual)
    filing.refresh_from_db()
    assert (refused.value.code, filing.state) == ("signature.record_author", FilingState.IN_REVIEW)
    # and a person who wrote none of it may
    factories.sign(filing, people[Role.APPROVER])
    filing.refresh_from_db()
    assert filing.state == FilingState.APPROVED


def test_authors_before_the_last_accepted_version_of_the_stage_may_approve_an_update(trial, org, people):
    # given a registration accepted everywhere, its record written by a dual-role person
    dual = people["approver2"]
    Membership.objects.create(organization=org, user=dual, role=Role.AUTHOR)
    _save(trial, people, author_key="approver2")
    initial = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(initial, FilingState.ACCEPTED, people)
    # when another author changes the registration and the update filing goes to review
    update = _save(trial, people).update_filings[0]
    factories.drive(update, FilingState.IN_REVIEW, people)
    # then the dual-role person, who wrote only what was already accepted, may approve the update
    factories.sign(update, dual)
    update.refresh_from_db()
    assert update.state == FilingState.APPROVED


def test_approval_summary_shows_the_pinned_hash_the_accepted_baseline_the_diff_and_the_authors(trial, people):
    # given an accepted registration, then a changed title in an update filing in review
    initial = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(initial, FilingState.ACCEPTED, people)
    accepted_version = Filing.objects.get(pk=initial.pk).pinned_version
    before_title = accepted_version.content["protocolSection"]["identificationModule"]["briefTitle"]
    saved = _save(trial, people, author_key="author2")
    update = factories.drive(saved.update_filings[0], FilingState.IN_REVIEW, people)
    # when the approval summary is read
    summary = domain.approval_summary(update)
    # then it names the pinned version, the accepted one, the one change and who wrote it
    assert (
        summary.version_sha256,
        summary.pinned,
        summary.baseline_sha256,
        summary.baseline_filing,
        summary.changes,
        summary.authors,
        summary.submitted_by,
    ) == (
        saved.version.sha256,
        True,
        accepted_version.sha256,
        initial,
        [Change(TITLE, ChangeKind.CHANGED, before_title, before_title + " (amended)")],
        [people["author2"]],
        people[Role.AUTHOR],
    )


def test_approval_summary_of_a_first_filing_compares_with_an_empty_record(trial, draft, people):
    summary = domain.approval_summary(draft)
    assert (summary.pinned, summary.baseline, summary.authors, len(summary.changes)) == (
        False,
        None,
        [people[Role.AUTHOR]],
        len(trial.head.content),
    )


def _admin_client(user):
    from django.test import Client

    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_admin_approval_page_shows_the_pinned_hash_and_the_diff(trial, people):
    from django.urls import reverse

    # given an update filing in review whose title changed since the accepted registration
    initial = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(initial, FilingState.ACCEPTED, people)
    saved = _save(trial, people, author_key="author2")
    update = factories.drive(saved.update_filings[0], FilingState.IN_REVIEW, people)
    # when the approver opens the approval form
    page = _admin_client(people[Role.APPROVER]).post(
        reverse("admin:submissions_filing_changelist"), {"action": "approve", "_selected_action": [update.pk]}
    )
    text = page.content.decode()
    # then it names the pinned version, the accepted one, the changed field and its author
    assert [
        saved.version.sha256 in text,
        Filing.objects.get(pk=initial.pk).pinned_version.sha256 in text,
        f"<code>{TITLE}</code>" in text,
        "Author2 Tester" in text,
        page.context["form"]["record_sha256"].initial == saved.version.sha256,
    ] == [True, True, True, True, True]


def test_every_admin_rendering_of_a_signed_filing_shows_the_signature_manifestation(trial, draft, people):
    from django.urls import reverse

    from submissions.models import ESignature, Payload

    filing = factories.drive(draft, FilingState.APPROVED, people)
    signature = ESignature.objects.get()
    client = _admin_client(people[Role.VIEWER])
    pages = [
        reverse("admin:submissions_filing_change", args=[filing.pk]),
        reverse("admin:submissions_payload_change", args=[Payload.objects.get().pk]),
        reverse("admin:submissions_recordversion_change", args=[signature_version(filing)]),
        reverse("admin:submissions_esignature_change", args=[signature.pk]),
        reverse("admin:submissions_esignature_changelist"),
    ]
    manifest = client.get(reverse("admin:submissions_filing_manifest", args=[filing.pk]))
    shown = [signature.manifestation in client.get(url).content.decode() for url in pages]
    assert (shown, manifest.json()["signature"]["manifestation"]) == ([True] * 5, signature.manifestation)


def signature_version(filing) -> int:
    filing.refresh_from_db()
    return filing.pinned_version_id


def test_approving_a_copy_read_before_the_filing_was_returned_is_a_concurrent_change(trial, draft, people):
    # given the approver's copy of a filing in review, then the filing returned to its author meanwhile
    filing = factories.drive(draft, FilingState.IN_REVIEW, people)
    approvers_copy = Filing.objects.get(pk=filing.pk)
    domain.return_to_author(filing, actor=people[Role.REVIEWER], remarks="Not yet")
    # when the approver signs their copy, then it is refused as a concurrent change and nothing is signed
    with pytest.raises(DomainError) as refused:
        factories.sign(approvers_copy, people[Role.APPROVER])
    filing.refresh_from_db()
    assert (refused.value.code, filing.state, filing.signature) == (
        "filing.concurrent_change",
        FilingState.DRAFT,
        None,
    )
