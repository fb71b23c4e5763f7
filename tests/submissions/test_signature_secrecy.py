"""The signature password never reaches a log or an error report (21 CFR 11.300; OWASP ASVS V7.1.1)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from submissions import domain
from submissions.enums import FilingState, Role, Stage
from tests.submissions import factories


@pytest.fixture
def in_review(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    return factories.drive(filing, FilingState.IN_REVIEW, people)


def _post_approval(filing, approver, password: str):
    approver.is_staff = True
    approver.save()
    client = Client(raise_request_exception=False)
    client.force_login(approver)
    url = reverse("admin:submissions_filing_changelist")
    form_page = client.post(url, {"action": "approve", "_selected_action": [filing.pk]})
    return client.post(
        url,
        {
            "action": "approve",
            "_selected_action": [filing.pk],
            "confirm": "yes",
            "printed_name": approver.get_full_name(),
            "password": password,
            "confirm_meaning": "on",
            "record_sha256": form_page.context["form"]["record_sha256"].initial,
        },
    )


def test_a_crash_while_signing_leaves_the_password_out_of_the_log_and_the_error_report(
    in_review, people, monkeypatch, caplog
):
    # given a signing that fails unexpectedly after the password was checked
    def broken(*args, **kwargs):
        raise RuntimeError("payload store unavailable")

    monkeypatch.setattr("submissions.domain.filings._approve", broken)
    # when the approver signs through the admin
    with caplog.at_level(logging.DEBUG):
        answer = _post_approval(in_review, people[Role.APPROVER], factories.PASSWORD)
    # then the request fails, and neither the log nor the error report a site admin would receive
    # (the one Django e-mails, with every frame's variables and the POST data) holds the password
    records = [record for record in caplog.records if record.name == "django.request"]
    assert (answer.status_code, len(records)) == (500, 1)
    record = records[0]
    assert record.exc_info is not None
    reporter = ExceptionReporter(record.request, *record.exc_info)
    reports = (caplog.text, reporter.get_traceback_text(), reporter.get_traceback_html())
    assert [factories.PASSWORD in report for report in reports] == [False, False, False]
    assert "payload store unavailable" in reports[1]


def test_a_wrong_signature_password_is_not_in_the_audit_trail_nor_the_log(in_review, people, caplog):
    with caplog.at_level(logging.DEBUG):
        _post_approval(in_review, people[Role.APPROVER], "my-secret-guess-1234")
    from submissions.models import AuditEvent

    stored = [str(event.data) for event in AuditEvent.objects.all()]
    assert any("bad_password" in data for data in stored)
    assert ("my-secret-guess-1234" in caplog.text, any("my-secret-guess" in data for data in stored)) == (
        False,
        False,
    )
