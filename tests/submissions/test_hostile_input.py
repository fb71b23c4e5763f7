"""Hostile JSON through the admin's record forms (upload and paste) and the domain: a 400 with the
reader's code beside the field, and nothing stored."""

from __future__ import annotations

import json
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from registries.enums import MAX_JSON_DEPTH
from submissions import domain
from submissions.enums import Role
from submissions.errors import DomainError
from submissions.models import AuditEvent, RecordVersion, Trial
from tests import hostile
from tests.submissions import factories

LIMIT = 256 * 1024
CORPUS = hostile.corpus(LIMIT)


@pytest.fixture(autouse=True)
def _small_limit(settings) -> None:
    settings.MAX_RECORD_BYTES = LIMIT


@pytest.fixture
def author_client(people) -> Client:
    author = people[Role.AUTHOR]
    author.is_staff = True
    author.save()
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def draft(org, people, complete_record) -> Trial:
    return factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="HOSTILE-1")


def _field_errors(response, field: str) -> list[tuple[str, str]]:
    return [
        (error.code, error.message.split(")")[0] + ")")
        for error in response.context["form"][field].errors.as_data()
    ]


def _stored(trial: Trial) -> tuple[str | None, int, int]:
    return (
        trial.head.sha256 if trial.head else None,
        RecordVersion.objects.filter(trial=trial).count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_uploaded_hostile_record_is_a_400_naming_its_code_and_stores_nothing(
    author_client, draft, name: str
) -> None:
    # given a trial with a head version, and a hostile file
    document, code = CORPUS[name]
    before = _stored(draft)
    # when the author uploads it as the next version
    response = author_client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {"base_sha256": draft.head.sha256, "record_file": SimpleUploadedFile("r.json", document)},
    )
    # then the page answers 400 with the code beside the field, and nothing changed
    draft.refresh_from_db()
    assert (response.status_code, _field_errors(response, "record_file"), _stored(draft)) == (
        400,
        [(code, f"({code})")],
        before,
    )


@pytest.mark.parametrize("name", sorted(set(CORPUS) - {"invalid_utf8"}))
def test_pasted_hostile_record_is_a_400_naming_its_code_and_creates_no_trial(
    author_client, org, name: str
) -> None:
    # given hostile JSON text (text cannot hold invalid UTF-8)
    document, code = CORPUS[name]
    events = AuditEvent.objects.count()
    # when an author pastes it into the "Add trial" form
    response = author_client.post(
        reverse("admin:submissions_trial_add"),
        {"organization": org.pk, "reference": "H-1", "title": "Hostile", "record_text": document.decode()},
    )
    # then the page answers 400 with the code, and no trial exists
    assert (response.status_code, _field_errors(response, "record_text")) == (400, [(code, f"({code})")])
    assert (Trial.objects.filter(reference="H-1").exists(), AuditEvent.objects.count()) == (False, events)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (math.nan, "json.not_a_number"),
        (math.inf, "json.not_a_number"),
        (10**150, "json.integer_too_long"),
        ("a\x00b", "json.nul_character"),
        ("\udc00", "json.lone_surrogate"),
        (json.loads(hostile.nested(MAX_JSON_DEPTH)), "json.too_deep"),
    ],
    ids=["nan", "infinity", "long_integer", "nul", "surrogate", "depth"],
)
def test_domain_refuses_a_record_value_the_reader_would_refuse(draft, people, complete_record, value, code):
    # given a record built in code (as the API or the editor might), holding a hostile value
    record = {**complete_record, "x-hostile": value}
    before = _stored(draft)
    # when it is saved
    with pytest.raises(DomainError) as refused:
        domain.save_record(draft, record, base_sha256=draft.head.sha256, actor=people[Role.AUTHOR])
    # then the reader's code is the refusal's, never "another save is in progress", and nothing changed
    draft.refresh_from_db()
    assert (refused.value.code, _stored(draft)) == (code, before)
