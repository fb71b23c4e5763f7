"""Bad input: each gets a precise problem document and leaves stored data untouched."""

from __future__ import annotations

from typing import Any

import pytest

from submissions.models import RecordVersion, Trial
from tests.submissions.api.conftest import Api

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"reference": "A", ', "json.malformed"),
        (b'{"reference": "A", "reference": "B", "title": "t"}', "json.duplicate_key"),
        (b'{"reference": "A", "title": NaN}', "json.not_a_number"),
        (b'{"reference": "A", "title": Infinity}', "json.not_a_number"),
        (b'{"reference": "A", "title": "t", "n": 1' + b"0" * 200 + b"}", "json.integer_too_long"),
        (b'{"reference": "A", "title": "t", "n": 1e999}', "json.number_out_of_range"),
        (b'{"reference": "A", "title": "\\ud800"}', "json.lone_surrogate"),
        (b'{"reference": "A", "title": "a\\u0000b"}', "json.nul_character"),
        (b"[" * 100 + b"]" * 100, "json.too_deep"),
        (b"\xff\xfe{}", "json.invalid_utf8"),
    ],
)
def test_hostile_json_is_refused_with_its_own_code(rw: Api, body: bytes, code: str) -> None:
    response = rw.call("POST", "/api/v1/trials", raw=body)
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (
        400,
        "application/problem+json",
        code,
    )
    assert Trial.objects.count() == 0


def test_a_body_over_the_limit_is_413(rw: Api, settings: Any) -> None:
    settings.API_MAX_BODY_BYTES = 100
    response = rw.call("POST", "/api/v1/trials", {"reference": "A", "title": "x" * 200})
    assert (response.status_code, response.json()["code"], response.json()["max_bytes"]) == (
        413,
        "request.too_large",
        100,
    )
    assert Trial.objects.count() == 0


def test_a_wrong_content_type_is_415(rw: Api) -> None:
    response = rw.call("POST", "/api/v1/trials", raw=b"<trial/>", content_type="application/xml")
    assert (response.status_code, response.json()["code"]) == (415, "http.unsupported_media_type")


def test_a_body_that_is_not_an_object_is_400(rw: Api) -> None:
    response = rw.call("POST", "/api/v1/trials", [1, 2])
    assert (response.status_code, response.json()["code"]) == (400, "request.not_an_object")


def test_a_missing_field_is_named_by_pointer(rw: Api) -> None:
    response = rw.call("POST", "/api/v1/trials", {"reference": "A"})
    assert response.json()["errors"] == [
        {"pointer": "/title", "code": "request.required", "message": "This field is required."}
    ]


def test_a_wrong_method_is_405_as_a_problem(rw: Api) -> None:
    response = rw.call("DELETE", "/api/v1/trials")
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (
        405,
        "application/problem+json",
        "http.method_not_allowed",
    )


def test_an_unknown_path_is_404_as_a_problem(rw: Api) -> None:
    response = rw.get("/api/v1/no/such/thing")
    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (
        404,
        "application/problem+json",
        "not_found",
    )


def test_a_replace_with_a_record_that_is_not_an_object_changes_nothing(rw: Api, api_trial: Trial) -> None:
    path = f"/api/v1/trials/{api_trial.pk}/record"
    etag = rw.get(path)["ETag"]
    response = rw.call("PUT", path, ["not", "a", "record"], If_Match=etag)
    assert (response.status_code, response.json()["findings"][0]["code"]) == (422, "record.not_an_object")
    assert RecordVersion.objects.filter(trial=api_trial).count() == 1


def test_check_and_build_store_nothing(rw: Api) -> None:
    from tests.submissions.api.conftest import small_record

    checked = rw.call("POST", "/api/v1/check", {"record": small_record(), "stage": "registration"})
    built = rw.call(
        "POST", "/api/v1/build", {"record": small_record(), "stage": "registration", "registry": "record"}
    )
    assert (checked.status_code, built.status_code, built.json()["media_type"]) == (
        200,
        200,
        "application/json",
    )
    assert (Trial.objects.count(), RecordVersion.objects.count()) == (0, 0)


def test_check_with_an_unknown_registry_is_422(rw: Api) -> None:
    from tests.submissions.api.conftest import small_record

    response = rw.call(
        "POST", "/api/v1/check", {"record": small_record(), "stage": "registration", "registry": "nope"}
    )
    assert (response.status_code, response.json()["code"]) == (422, "registry.unknown")
