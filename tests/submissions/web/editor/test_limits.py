"""The editor's own request limits: a large real results table posts thousands of fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from registries.importers import import_record
from submissions.models import Organization, Trial
from submissions.web.editor.views import EDITOR_MAX_FIELDS
from tests.submissions import factories
from tests.submissions.web.editor.conftest import LARGEST_BULK_SAMPLE, form_values, post_form


@pytest.mark.shared_specs
def test_a_large_real_outcome_table_saves_although_it_posts_more_fields_than_the_site_limit(
    registry_specs: Path, org: Organization, people: dict[str, User], author_client: Client
) -> None:
    # given a trial holding the largest real record
    record = import_record("ctgov-v2", (registry_specs / LARGEST_BULK_SAMPLE).read_bytes()).record
    trial = factories.make_trial(org, people["author"], record, reference="BIG-1")
    url = reverse("web:editor:module", kwargs={"trial_pk": trial.pk, "module": "outcomeMeasuresModule"})
    pairs = form_values(author_client.get(url).content.decode())
    assert len(pairs) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    head = trial.head
    # when its outcome measures form is saved unchanged
    response = post_form(author_client, url, pairs)
    # then the editor read every field and found nothing to change
    assert response.status_code == 302
    trial.refresh_from_db()
    assert trial.head == head


def test_more_fields_than_the_editor_takes_is_a_bad_request(
    editor_trial: Trial, author_client: Client
) -> None:
    url = reverse("web:editor:module", kwargs={"trial_pk": editor_trial.pk, "module": "identificationModule"})
    pairs: list[tuple[str, Any]] = [(f"/x/{number}", "") for number in range(EDITOR_MAX_FIELDS + 1)]
    response = post_form(author_client, url, pairs)
    assert response.status_code == 400
    assert editor_trial.versions.count() == 1
