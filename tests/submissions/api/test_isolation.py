"""Isolation: every operation that names an object of another organization answers 404 with that
organization's key, and nothing changes; operations that name no object see only the caller's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from submissions import domain
from submissions.domain.webhooks import create_webhook_endpoint, emit_event
from submissions.enums import Role
from submissions.letters.models import LetterJob, Site, SitePack
from submissions.models import AuditEvent, Filing, Job, Organization, RecordVersion, Trial, WebhookDelivery
from tests.submissions.api.conftest import Api, small_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(api_org: Organization, api_people: dict[str, User], api_trial: Trial) -> dict[str, Any]:
    """One object of each kind in the first organization."""
    author = api_people[Role.AUTHOR]
    filing = domain.open_filing(api_trial, "registration", target_registries=["record"], actor=author)
    endpoint, _ = create_webhook_endpoint(
        api_org, url="https://example.invalid/hook", events=["job.finished"], actor=author
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id="00000000-0000-0000-0000-000000000001",
        event_type="job.finished",
        payload={},
    )
    job = Job.objects.create(organization=api_org, kind="bulk_upsert", created_by=author)
    from submissions.models import ESignature, Payload

    signature = ESignature.objects.create(
        filing=filing,
        signer=api_people[Role.APPROVER],
        printed_name="A",
        signed_at=api_trial.created_at,
        meaning="m",
        record_sha256="0" * 64,
        signature_hash="1" * 64,
    )
    payload = Payload.objects.create(
        filing=filing,
        signature=signature,
        record_version=api_trial.head,  # type: ignore[misc]
        registry="record",
        stage="registration",
        content=b"{}",
        media_type="application/json",
        file_name="r.json",
        sha256="2" * 64,
    )
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    site = Site.objects.create(trial=api_trial, code="S01", name="Site", contact="0113 000 0000")
    assert api_trial.head is not None
    letter_job = LetterJob.objects.create(
        trial=api_trial, record_version=api_trial.head, started_by=author, archive=b"PK"
    )
    SitePack.objects.create(job=letter_job, site=site, pdf=b"%PDF-", letters=0)
    return {
        "trial": api_trial.pk,
        "sha": api_trial.head.sha256 if api_trial.head else "",
        "filing": filing.pk,
        "endpoint": endpoint.pk,
        "delivery": delivery.pk,
        "job": job.pk,
        "payload": payload.pk,
        "letter_job": letter_job.pk,
    }


def _operations(o: dict[str, Any]) -> list[tuple[str, str, Any, str]]:
    t, f = o["trial"], o["filing"]
    merge = "application/merge-patch+json"
    return [
        ("GET", f"/api/v1/trials/{t}", None, "application/json"),
        ("POST", f"/api/v1/trials/{t}/withdraw", {"reason": "x"}, "application/json"),
        ("GET", f"/api/v1/trials/{t}/record", None, "application/json"),
        ("PUT", f"/api/v1/trials/{t}/record", small_record("x"), "application/json"),
        ("PATCH", f"/api/v1/trials/{t}/record", {"schemaVersion": "1.0"}, merge),
        ("GET", f"/api/v1/trials/{t}/versions", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/versions/{o['sha']}", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/findings?stage=registration", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/diff?from={o['sha']}&to={o['sha']}", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/filings", None, "application/json"),
        (
            "POST",
            f"/api/v1/trials/{t}/filings",
            {"stage": "results", "target_registries": ["record"]},
            "application/json",
        ),
        ("GET", f"/api/v1/trials/{t}/payloads", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/audit-events", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/deadlines", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/letter-jobs", None, "application/json"),
        ("POST", f"/api/v1/trials/{t}/letter-jobs", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/letter-jobs/{o['letter_job']}", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/letter-jobs/{o['letter_job']}/letters.zip", None, "application/json"),
        ("GET", f"/api/v1/trials/{t}/letter-jobs/{o['letter_job']}/sites/S01.pdf", None, "application/json"),
        ("GET", f"/api/v1/filings/{f}", None, "application/json"),
        ("POST", f"/api/v1/filings/{f}/transitions/submit_for_review", {}, "application/json"),
        ("GET", f"/api/v1/payloads/{o['payload']}/download", None, "application/json"),
        ("GET", f"/api/v1/jobs/{o['job']}", None, "application/json"),
        ("GET", f"/api/v1/webhooks/{o['endpoint']}", None, "application/json"),
        ("DELETE", f"/api/v1/webhooks/{o['endpoint']}", None, "application/json"),
        ("GET", f"/api/v1/webhooks/{o['endpoint']}/deliveries", None, "application/json"),
        ("POST", f"/api/v1/webhook-deliveries/{o['delivery']}/replay", None, "application/json"),
    ]


def _state() -> tuple[Any, ...]:
    return (
        list(Trial.objects.values_list("pk", "state", "head_id", "updated_at")),
        RecordVersion.objects.count(),
        list(Filing.objects.values_list("pk", "state", "updated_at")),
        AuditEvent.objects.count(),
        WebhookDelivery.objects.count(),
        list(LetterJob.objects.values_list("pk", "state", "done")),
    )


def test_every_object_of_another_organization_answers_404_and_nothing_changes(
    other: Api, owned: dict[str, Any]
) -> None:
    # given the first organization's objects, and the state of the database
    before = _state()
    # when the other organization's key calls every operation on them (a valid-looking If-Match each)
    answers = {
        f"{method} {path}": other.call(method, path, body, content_type=ctype, If_Match='"x"').status_code
        for method, path, body, ctype in _operations(owned)
    }
    # then each answers 404, and nothing changed
    assert answers == {operation: 404 for operation in answers}
    assert _state() == before


def test_lists_without_an_object_show_only_the_callers_own(other: Api, owned: dict[str, Any]) -> None:
    answers = [
        other.get(path).json()["count"]
        for path in ("/api/v1/trials", "/api/v1/deadlines", "/api/v1/webhooks")
    ]
    assert answers == [0, 0, 0]


def test_events_reach_only_the_organizations_own_endpoints(
    api_org: Organization, other_org: Organization, api_people: dict[str, User], other_people: dict[str, User]
) -> None:
    create_webhook_endpoint(
        api_org, url="https://a.invalid/h", events=["job.finished"], actor=api_people[Role.AUTHOR]
    )
    create_webhook_endpoint(
        other_org, url="https://b.invalid/h", events=["job.finished"], actor=other_people[Role.AUTHOR]
    )
    deliveries = emit_event(api_org, "job.finished", {"job": {"id": 1}})
    assert [d.endpoint.url for d in deliveries] == ["https://a.invalid/h"]


def test_the_same_study_imported_by_two_organizations_is_two_trials(
    rw: Api, other: Api, api_org: Organization, other_org: Organization, sample_dir: Path
) -> None:
    # given the first organization imported a study
    study = (sample_dir / "ctgov-v2-NCT00763412.json").read_bytes()
    mine = rw.call("POST", "/api/v1/trials/import", raw=study).json()["results"][0]["trial_id"]
    before = list(Trial.objects.filter(pk=mine).values_list("head_id", "updated_at", "state"))
    # when the other organization imports the same study
    theirs = other.call("POST", "/api/v1/trials/import", raw=study).json()["results"][0]
    # then it gets its own new trial and the first organization's is untouched
    assert theirs["status"] == "created"
    assert Trial.objects.get(pk=theirs["trial_id"]).organization == other_org
    assert Trial.objects.get(pk=mine).organization == api_org
    assert list(Trial.objects.filter(pk=mine).values_list("head_id", "updated_at", "state")) == before
    assert json.loads(other.get(f"/api/v1/trials/{mine}").content)["code"] == "not_found"
