"""The e-signature dialog: shows what is signed, keeps the form on a wrong password, signs on the right."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from submissions import domain
from submissions.enums import AuditEventType, FilingState, Stage
from submissions.models import AuditEvent, Filing, Trial
from tests.submissions import factories
from tests.submissions.web.pages import head_of


@pytest.fixture
def in_review(web_trial: Trial, people: dict[str, User]) -> Filing:
    filing = domain.open_filing(
        web_trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=people["author"]
    )
    return factories.drive(filing, FilingState.IN_REVIEW, people)


def _form(filing: Filing, approver: User, password: str, printed_name: str | None = None) -> dict[str, str]:
    return {
        "printed_name": approver.get_full_name() if printed_name is None else printed_name,
        "meaning": domain.signature_meaning(filing),
        "password": password,
        "record_sha256": head_of(filing.trial).sha256,
    }


def test_dialog_shows_the_version_hash_and_the_meaning(
    as_user: Callable[[User], Client], people: dict[str, User], in_review: Filing
) -> None:
    body = as_user(people["approver"]).get(f"/filings/{in_review.pk}/approve/").content.decode()

    assert head_of(in_review.trial).sha256 in body
    assert 'value="Approved for submission to ClinicalTrials.gov"' in body


def test_wrong_password_keeps_the_form_and_signs_nothing(
    as_user: Callable[[User], Client], people: dict[str, User], in_review: Filing
) -> None:
    approver = people["approver"]

    response = as_user(approver).post(
        f"/filings/{in_review.pk}/approve/",
        _form(in_review, approver, "wrong", printed_name="Approver  Tester"),
    )

    body = response.content.decode()
    in_review.refresh_from_db()
    assert (response.status_code, in_review.state, in_review.signature_id) == (
        400,
        FilingState.IN_REVIEW,
        None,
    )
    assert "The password is not correct; nothing was signed." in body
    assert 'value="Approver  Tester"' in body
    assert (
        AuditEvent.objects.filter(filing=in_review, event_type=AuditEventType.SIGNATURE_FAILED).count() == 1
    )


def test_a_wrong_printed_name_is_refused_at_its_field(
    as_user: Callable[[User], Client], people: dict[str, User], in_review: Filing
) -> None:
    approver = people["approver"]

    response = as_user(approver).post(
        f"/filings/{in_review.pk}/approve/",
        _form(in_review, approver, factories.PASSWORD, printed_name="Someone Else"),
    )

    assert response.status_code == 400
    assert "The printed name must be your verified full name (Approver Tester)." in response.content.decode()


def test_right_password_approves_and_stores_the_payloads(
    as_user: Callable[[User], Client], people: dict[str, User], in_review: Filing
) -> None:
    approver = people["approver"]

    response = as_user(approver).post(
        f"/filings/{in_review.pk}/approve/", _form(in_review, approver, factories.PASSWORD)
    )

    in_review.refresh_from_db()
    assert (response.status_code, in_review.state) == (302, FilingState.APPROVED)
    assert [payload.registry for payload in in_review.payloads_current] == ["ctgov"]


def test_reviewer_without_the_approver_role_cannot_sign(
    as_user: Callable[[User], Client], people: dict[str, User], in_review: Filing
) -> None:
    reviewer = people["reviewer"]

    page = as_user(reviewer).get(f"/filings/{in_review.pk}/approve/").content.decode()
    response = as_user(reviewer).post(
        f"/filings/{in_review.pk}/approve/", _form(in_review, reviewer, factories.PASSWORD)
    )

    in_review.refresh_from_db()
    assert "You cannot approve this filing now" in page
    assert (response.status_code, in_review.state) == (403, FilingState.IN_REVIEW)


def test_dialog_of_an_update_shows_what_changed_since_the_stage_was_accepted(
    as_user: Callable[[User], Client], people: dict[str, User], web_trial: Trial
) -> None:
    factories.complete_stage(web_trial, Stage.REGISTRATION, people, ["ctgov"])
    head = head_of(web_trial)
    result = domain.save_record(
        web_trial, factories.changed(head.content), base_sha256=head.sha256, actor=people["author"]
    )
    update = result.update_filings[0]
    domain.submit_for_review(update, actor=people["author"])

    body = as_user(people["approver"]).get(f"/filings/{update.pk}/approve/").content.decode()

    assert re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', body) == [
        "/protocolSection/identificationModule/briefTitle"
    ]
    assert "1 field changed" in body
