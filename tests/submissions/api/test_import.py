"""POST /api/v1/trials/import: registry records in, one report per study out, through the domain's
import_trials (the function the web import page and the command use)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from submissions.models import AuditEvent, Organization, RecordVersion, Trial
from tests.submissions.api.conftest import Api

pytestmark = pytest.mark.django_db

URL = "/api/v1/trials/import"
NCT = "NCT00763412"


@pytest.fixture
def study(sample_dir: Path) -> bytes:
    return (sample_dir / f"ctgov-v2-{NCT}.json").read_bytes()


def _stored() -> tuple[Any, ...]:
    return (
        list(Trial.objects.values_list("pk", "organization_id", "state", "head_id")),
        RecordVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def _problem(response: Any) -> tuple[int, str, str]:
    return response.status_code, response["Content-Type"], response.json()["code"]


def test_importing_one_study_creates_its_trial_and_reports_it(
    rw: Api, api_org: Organization, study: bytes
) -> None:
    # given one ClinicalTrials.gov API v2 study
    # when the CTMS imports it
    response = rw.call("POST", URL, raw=study)
    # then the report names the new trial, its state and the import's findings by severity
    assert response.status_code == 200
    body = response.json()
    trial = Trial.objects.get(organization=api_org)
    [report] = body["results"]
    assert body["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "refused": 0}
    assert (report["status"], report["trial_id"], report["trial_url"], report["nct_id"], report["state"]) == (
        "created",
        trial.pk,
        f"/api/v1/trials/{trial.pk}",
        NCT,
        trial.state,
    )
    assert report["refusal"] is None
    severities = [finding["severity"] for finding in report["findings"]]
    assert report["findings_by_severity"] == {
        severity: severities.count(severity) for severity in ("error", "warning", "note")
    }
    assert trial.identifiers["ctgov"]["nct_id"] == NCT


def test_importing_the_same_study_again_changes_nothing(rw: Api, study: bytes) -> None:
    rw.call("POST", URL, raw=study)
    before = _stored()
    response = rw.call("POST", URL, raw=study)
    assert [item["status"] for item in response.json()["results"]] == ["unchanged"]
    assert _stored() == before


def test_a_batch_imports_its_studies_and_refuses_what_is_not_one(rw: Api, study: bytes) -> None:
    # given an API page with one real study and one object that is no study
    page = b'{"studies": [' + study + b', {"hello": "world"}]}'
    # when it is imported
    response = rw.call("POST", URL, raw=page)
    # then the study is created and the other refused with its code, each reported
    body = response.json()
    assert response.status_code == 200
    assert body["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "refused": 1}
    refused = body["results"][1]
    assert (refused["status"], refused["trial_id"], refused["refusal"]["code"]) == (
        "refused",
        None,
        "import.not_a_study",
    )
    assert Trial.objects.count() == 1


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml"])
def test_public_xml_imports_as_xml(rw: Api, sample_dir: Path, content_type: str) -> None:
    xml = (sample_dir / "ctgov-legacy-public-NCT01065844.xml").read_bytes()
    response = rw.call("POST", URL, raw=xml, content_type=content_type)
    [report] = response.json()["results"]
    assert (response.status_code, report["status"], report["format"], report["nct_id"]) == (
        200,
        "created",
        "ctgov-public-xml",
        "NCT01065844",
    )


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"NCT00763412", "text/plain", (415, "http.unsupported_media_type")),
        (b'{"protocolSection": {}}', "application/xml", (415, "import.content_type_mismatch")),
        (b"<clinical_study/>", "application/json", (400, "json.malformed")),
        (b'{"a": NaN}', "application/json", (400, "json.not_a_number")),
        (b'{"a": 1, "a": 2}', "application/json", (400, "json.duplicate_key")),
        (b"[" * 200 + b"]" * 200, "application/json", (400, "json.too_deep")),
        (b'{"hello": "world"}', "application/json", (422, "import.nothing_imported")),
        (b'{"studies": []}', "application/json", (422, "import.no_studies")),
        (b"hello", "application/xml", (400, "import.unknown_format")),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><clinical_study>&a;</clinical_study>',
            "application/xml",
            (422, "import.nothing_imported"),
        ),
    ],
)
def test_bad_input_is_a_problem_and_stores_nothing(
    rw: Api, api_trial: Trial, body: bytes, content_type: str, expected: tuple[int, str]
) -> None:
    before = _stored()
    response = rw.call("POST", URL, raw=body, content_type=content_type)
    assert _problem(response) == (expected[0], "application/problem+json", expected[1])
    assert _stored() == before


def test_a_study_that_is_no_study_says_why_in_the_problem(rw: Api) -> None:
    response = rw.call("POST", URL, raw=b'[{"hello": "world"}]')
    assert [item["refusal"]["code"] for item in response.json()["results"]] == ["import.not_a_study"]


@override_settings(MAX_RECORD_BYTES=1000)
def test_an_input_over_the_record_limit_is_413(rw: Api, study: bytes) -> None:
    response = rw.call("POST", URL, raw=study)
    assert _problem(response) == (413, "application/problem+json", "json.too_large")
    assert Trial.objects.count() == 0


def test_a_read_only_key_may_not_import(ro: Api, study: bytes) -> None:
    response = ro.call("POST", URL, raw=study)
    assert _problem(response) == (403, "application/problem+json", "api_key.read_only")
    assert Trial.objects.count() == 0


def test_an_idempotent_import_runs_once(rw: Api, study: bytes) -> None:
    first = rw.call("POST", URL, raw=study, Idempotency_Key="import-1")
    again = rw.call("POST", URL, raw=study, Idempotency_Key="import-1")
    other = rw.call("POST", URL, raw=b"[" + study + b"]", Idempotency_Key="import-1")
    assert (again.status_code, again["Idempotent-Replayed"], again.content) == (200, "true", first.content)
    assert _problem(other) == (422, "application/problem+json", "idempotency.key_reused")
    assert Trial.objects.count() == 1
