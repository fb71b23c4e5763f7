"""Filings through the API: open, transitions with If-Match, approval signed by a person named in the
body, payloads and their download, the trial's audit events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from submissions import domain
from submissions.enums import Role
from submissions.models import Filing, Organization
from tests.submissions import factories
from tests.submissions.api.conftest import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete_trial(api_org: Organization, api_people: dict[str, User], sample_dir: Path) -> Any:
    return factories.make_trial(
        api_org, api_people[Role.AUTHOR], factories.complete_record(sample_dir), "FULL-1"
    )


def _transition(api: Api, filing_id: int, name: str, body: dict[str, Any] | None = None) -> Any:
    etag = api.get(f"/api/v1/filings/{filing_id}")["ETag"]
    return api.call("POST", f"/api/v1/filings/{filing_id}/transitions/{name}", body or {}, If_Match=etag)


def test_a_filing_goes_from_draft_to_approved_with_a_signature_in_the_body(
    rw: Api, complete_trial: Any, api_people: dict[str, User]
) -> None:
    # given a filing opened through the API and submitted for review by the key
    opened = rw.call(
        "POST",
        f"/api/v1/trials/{complete_trial.pk}/filings",
        {"stage": "registration", "target_registries": ["ctgov"]},
    )
    filing_id = opened.json()["id"]
    assert (opened.status_code, _transition(rw, filing_id, "submit_for_review").json()["state"]) == (
        201,
        "in_review",
    )
    approver = api_people[Role.APPROVER]
    filing = Filing.objects.get(pk=filing_id)
    signature = {
        "username": approver.username,
        "password": factories.PASSWORD,
        "printed_name": approver.get_full_name(),
        "meaning": domain.signature_meaning(filing),
    }
    # when the approver's signature is sent with the approve transition
    approved = _transition(rw, filing_id, "approve", {"signature": signature})
    # then the filing is approved, and its payload can be listed and downloaded as signed
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")
    payloads = rw.get(f"/api/v1/trials/{complete_trial.pk}/payloads?registry=ctgov&stage=registration").json()
    payload = payloads["results"][0]
    download = rw.get(f"/api/v1/payloads/{payload['id']}/download")
    stored = filing.payloads.get()
    assert (download.status_code, download.content, download["ETag"]) == (
        200,
        bytes(stored.content),
        f'"{stored.sha256}"',
    )
    events = [
        e["event_type"] for e in rw.get(f"/api/v1/trials/{complete_trial.pk}/audit-events").json()["results"]
    ]
    assert events[-3:] == ["filing.opened", "filing.submitted_for_review", "filing.approved"]


def test_a_wrong_password_signs_nothing(rw: Api, complete_trial: Any, api_people: dict[str, User]) -> None:
    filing = domain.open_filing(
        complete_trial, "registration", target_registries=["ctgov"], actor=api_people[Role.AUTHOR]
    )
    domain.submit_for_review(filing, actor=api_people[Role.AUTHOR])
    approver = api_people[Role.APPROVER]
    body = {
        "signature": {
            "username": approver.username,
            "password": "wrong",
            "printed_name": approver.get_full_name(),
            "meaning": domain.signature_meaning(filing),
        }
    }
    response = _transition(rw, filing.pk, "approve", body)
    filing.refresh_from_db()
    assert (response.status_code, response.json()["code"], filing.state) == (
        422,
        "signature.bad_password",
        "in_review",
    )


def test_a_transition_not_allowed_from_the_state_is_409_and_changes_nothing(
    rw: Api, complete_trial: Any, api_people: dict[str, User]
) -> None:
    filing = domain.open_filing(
        complete_trial, "registration", target_registries=["ctgov"], actor=api_people[Role.AUTHOR]
    )
    response = _transition(rw, filing.pk, "mark_submitted")
    filing.refresh_from_db()
    assert (response.status_code, response.json()["code"], filing.state) == (
        409,
        "filing.wrong_state",
        "draft",
    )


def test_a_transition_with_a_stale_etag_is_412(
    rw: Api, complete_trial: Any, api_people: dict[str, User]
) -> None:
    filing = domain.open_filing(
        complete_trial, "registration", target_registries=["ctgov"], actor=api_people[Role.AUTHOR]
    )
    etag = rw.get(f"/api/v1/filings/{filing.pk}")["ETag"]
    domain.submit_for_review(filing, actor=api_people[Role.AUTHOR])
    response = rw.call("POST", f"/api/v1/filings/{filing.pk}/transitions/return_to_author", {}, If_Match=etag)
    filing.refresh_from_db()
    assert (response.status_code, filing.state) == (412, "in_review")


def test_an_unknown_transition_is_404(rw: Api, complete_trial: Any, api_people: dict[str, User]) -> None:
    filing = domain.open_filing(
        complete_trial, "registration", target_registries=["ctgov"], actor=api_people[Role.AUTHOR]
    )
    response = _transition(rw, filing.pk, "teleport")
    assert (response.status_code, response.json()["code"]) == (404, "filing.unknown_transition")
