"""Trials and their records through the API: list with filters, create, read, replace, merge patch,
withdraw; ETag and If-Match; the problem documents of refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from submissions.enums import Role
from submissions.models import AuditEvent, RecordVersion, Trial
from tests.submissions.api.conftest import Api, small_record

pytestmark = pytest.mark.django_db


def test_list_filters_by_state_reference_and_update_time(rw: Api, api_trial: Trial) -> None:
    # given one draft trial
    # when listing with filters that match it and filters that do not
    found = rw.get("/api/v1/trials?state=draft&reference=API-1&updated_since=2000-01-01T00:00:00Z").json()
    missing = rw.get("/api/v1/trials?state=registered").json()
    later = rw.get("/api/v1/trials?updated_since=2999-01-01T00:00:00Z").json()
    # then only the matching query lists it, in the one pagination envelope
    assert ([t["reference"] for t in found["results"]], found["count"], found["next"]) == (["API-1"], 1, None)
    assert (missing["count"], later["count"]) == (0, 0)


def test_list_refuses_an_updated_since_without_zone(rw: Api, api_trial: Trial) -> None:
    response = rw.get("/api/v1/trials?updated_since=2026-01-01T00:00:00")
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (
        400,
        "application/problem+json",
        "request.invalid_datetime",
    )


def test_create_with_a_record_answers_201_with_location_and_etag(rw: Api) -> None:
    response = rw.call(
        "POST", "/api/v1/trials", {"reference": "NEW-1", "title": "New", "record": small_record()}
    )
    trial = Trial.objects.get(reference="NEW-1")
    assert (response.status_code, response["Location"], response.json()["record_sha256"]) == (
        201,
        f"/api/v1/trials/{trial.pk}",
        trial.head.sha256 if trial.head else None,
    )
    assert response.has_header("ETag")


def test_create_refuses_an_unknown_field_and_creates_nothing(rw: Api) -> None:
    response = rw.call("POST", "/api/v1/trials", {"reference": "NEW-1", "title": "New", "colour": "red"})
    assert (response.status_code, response.json()["errors"]) == (
        400,
        [{"pointer": "/colour", "code": "request.unknown_field", "message": "Unknown field."}],
    )
    assert not Trial.objects.filter(reference="NEW-1").exists()


def test_create_refuses_a_record_that_fails_the_schema_with_its_findings(rw: Api) -> None:
    record = small_record()
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT123"
    response = rw.call("POST", "/api/v1/trials", {"reference": "NEW-1", "title": "New", "record": record})
    body = response.json()
    assert (response.status_code, body["code"], [f["pointer"] for f in body["findings"]]) == (
        422,
        "record.invalid",
        ["/protocolSection/identificationModule/nctId"],
    )
    assert not Trial.objects.filter(reference="NEW-1").exists()


def test_read_only_key_cannot_create(ro: Api) -> None:
    response = ro.call("POST", "/api/v1/trials", {"reference": "NEW-1", "title": "New"})
    assert (response.status_code, response.json()["code"]) == (403, "api_key.read_only")


def test_put_needs_if_match_428_and_a_current_one_412(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    changed = small_record("Changed title")
    missing = rw.call("PUT", path, changed)
    stale = rw.call("PUT", path, changed, If_Match='"' + "0" * 64 + '"')
    assert (missing.status_code, missing.json()["code"]) == (428, "precondition.if_match_required")
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition.stale")
    assert RecordVersion.objects.filter(trial=api_trial).count() == 1


def test_put_with_the_current_etag_saves_a_new_version(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    etag = rw.get(path)["ETag"]
    response = rw.call("PUT", path, small_record("Changed title"), If_Match=etag)
    api_trial.refresh_from_db()
    assert (response.status_code, response["ETag"], response.json()["created"]) == (
        200,
        f'"{api_trial.head.sha256 if api_trial.head else ""}"',
        True,
    )
    assert rw.get(path).json() == small_record("Changed title")


def test_merge_patch_changes_one_field_and_removes_another(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    etag = rw.get(path)["ETag"]
    patch = {"protocolSection": {"identificationModule": {"briefTitle": "Patched", "orgStudyIdInfo": None}}}
    response = rw.call("PATCH", path, patch, content_type="application/merge-patch+json", If_Match=etag)
    assert response.status_code == 200
    assert rw.get(path).json() == {
        "schemaVersion": "1.0",
        "protocolSection": {"identificationModule": {"briefTitle": "Patched"}},
    }


def test_patch_as_plain_json_is_415(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    etag = rw.get(path)["ETag"]
    response = rw.call("PATCH", path, {"schemaVersion": "1.0"}, If_Match=etag)
    assert (response.status_code, response.json()["code"]) == (415, "http.unsupported_media_type")


def test_patch_that_breaks_the_schema_is_refused_and_changes_nothing(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    etag = rw.get(path)["ETag"]
    response = rw.call(
        "PATCH",
        path,
        {"protocolSection": {"colour": "red"}},
        content_type="application/merge-patch+json",
        If_Match=etag,
    )
    assert (response.status_code, [f["pointer"] for f in response.json()["findings"]]) == (
        422,
        ["/protocolSection/colour"],
    )
    assert rw.get(path)["ETag"] == etag


def test_withdraw_with_a_session_of_an_approver(api_trial: Trial, api_people: dict[str, User]) -> None:
    # given an approver signed in (withdrawal needs a person: keys act as authors)
    client = Client(enforce_csrf_checks=False)
    client.force_login(api_people[Role.APPROVER])
    etag = client.get(f"/api/v1/trials/{api_trial.pk}")["ETag"]
    # when they withdraw it naming its ETag
    response = client.post(
        f"/api/v1/trials/{api_trial.pk}/withdraw",
        {"reason": "Never started."},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    # then it is withdrawn, with the reason in the audit trail
    assert (response.status_code, response.json()["state"]) == (200, "withdrawn")
    event: Any = AuditEvent.objects.filter(trial=api_trial).last()
    assert (event.event_type, event.data["reason"]) == ("trial.withdrawn", "Never started.")


def test_withdraw_with_a_read_write_key_is_403_role_required(rw: Api, api_trial: Trial) -> None:
    etag = rw.get(f"/api/v1/trials/{api_trial.pk}")["ETag"]
    response = rw.call("POST", f"/api/v1/trials/{api_trial.pk}/withdraw", {"reason": "x"}, If_Match=etag)
    assert (response.status_code, response.json()["code"]) == (403, "role.required")
    api_trial.refresh_from_db()
    assert api_trial.state == "draft"


def test_versions_list_and_read(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    first = rw.get(path)["ETag"].strip('"')
    rw.call("PUT", path, small_record("Second"), If_Match=f'"{first}"')
    versions = rw.get(f"/api/v1/trials/{api_trial.pk}/versions").json()["results"]
    assert [v["based_on"] for v in versions] == [None, first]
    assert rw.get(f"/api/v1/trials/{api_trial.pk}/versions/{first}").json() == small_record()


def test_findings_per_stage_and_registry_are_the_checks_of_the_web(rw: Api, api_trial: Trial) -> None:
    from submissions import checks

    response = rw.get(f"/api/v1/trials/{api_trial.pk}/findings?stage=registration&registry=ctgov")
    expected = [f.as_dict() for f in checks.stage_findings(small_record(), "registration", ["ctgov"])]
    assert (response.status_code, response.json()["findings"]) == (200, expected)


def test_unauthenticated_is_401_with_a_challenge(db: None) -> None:
    response = Client().get("/api/v1/trials")
    assert (response.status_code, response["WWW-Authenticate"], response.json()["code"]) == (
        401,
        'Bearer realm="api"',
        "http.not_authenticated",
    )


def test_diff_between_two_versions_names_each_change_by_pointer(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    first = rw.get(path)["ETag"].strip('"')
    second = rw.call("PUT", path, small_record("Second"), If_Match=f'"{first}"')["ETag"].strip('"')
    response = rw.get(f"/api/v1/trials/{api_trial.pk}/diff?from={first}&to={second}")
    assert response.json() == {
        "from": first,
        "to": second,
        "changes": [
            {
                "pointer": "/protocolSection/identificationModule/briefTitle",
                "kind": "changed",
                "before": "A small trial",
                "after": "Second",
            }
        ],
    }


def test_diff_with_an_unknown_version_is_404(rw: Api, api_trial: Trial) -> None:
    first = rw.get(f"/api/v1/trials/{api_trial.pk}/record")["ETag"].strip('"')
    response = rw.get(f"/api/v1/trials/{api_trial.pk}/diff?from={first}&to={'0' * 64}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_reading_and_listing_trials_never_loads_a_record_version_content(rw: Api, api_trial: Trial) -> None:
    # given a trial with a record (the content can be megabytes; the trial's representation names only
    # its version)
    assert api_trial.head is not None
    content_column = f'"{RecordVersion._meta.db_table}"."content"'
    # when it is read and listed
    with CaptureQueriesContext(connection) as queries:
        read = rw.get(f"/api/v1/trials/{api_trial.pk}")
        listed = rw.get("/api/v1/trials")
    # then both answer, and no query selected a version's content
    assert (read.status_code, listed.status_code) == (200, 200)
    assert read.json()["record_sha256"] == api_trial.head.sha256
    assert [q["sql"] for q in queries.captured_queries if content_column in q["sql"]] == []
