"""A trial whose head is a legacy record nested deeper than the bounded reader now allows (an earlier
release could store one): the editor still answers, and says why a save cannot go through."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from submissions.models import Organization, RecordVersion, Trial
from tests import hostile
from tests.submissions import factories
from tests.submissions.web.editor.conftest import form_values, post_form

LEGACY_DEPTH = 900
TITLE = "/protocolSection/identificationModule/briefTitle"


@pytest.fixture
def legacy_trial(org: Organization, people: dict[str, User], complete_record: dict[str, Any]) -> Trial:
    trial = factories.make_trial(org, people["author"], complete_record, reference="LEGACY-1")
    deep = copy.deepcopy(complete_record)
    deep["protocolSection"]["identificationModule"]["briefTitle"] = json.loads(hostile.nested(LEGACY_DEPTH))
    # Written as an earlier release could, bypassing save_record's bound.
    version = RecordVersion.objects.create(
        trial=trial, sha256="e" * 64, content=deep, based_on=trial.head, created_by=people["author"]
    )
    Trial.objects.filter(pk=trial.pk).update(head=version)
    trial.refresh_from_db()
    return trial


def test_the_editor_answers_for_a_legacy_deep_record(legacy_trial: Trial, author_client: Client) -> None:
    urls = {
        slug: reverse("web:editor:module", kwargs={"trial_pk": legacy_trial.pk, "module": slug})
        for slug in ("identificationModule", "designModule")
    }
    pages = {slug: author_client.get(url) for slug, url in urls.items()}
    assert {slug: page.status_code for slug, page in pages.items()} == dict.fromkeys(urls, 200)
    # saving another module is refused with the reader's reason, keeping what was typed
    pairs = form_values(pages["designModule"].content.decode())
    saved = post_form(author_client, urls["designModule"], pairs)
    check_url = reverse("web:editor:check", kwargs={"trial_pk": legacy_trial.pk, "module": "designModule"})
    check = author_client.post(check_url, dict(pairs))
    assert (saved.status_code, check.status_code) == (422, 200)
    assert "more than 64 levels deep" in saved.content.decode()
