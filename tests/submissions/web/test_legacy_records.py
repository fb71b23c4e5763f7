"""Every staff page of a trial answers even when its head is a legacy record nested deeper than today's
reader allows (written before the bounded JSON reader; see submissions/storedjson.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from submissions import domain
from submissions.enums import RecomputeReason, Stage
from submissions.models import Organization, RecordVersion, Trial
from tests import hostile
from tests.submissions import factories

LEGACY_DEPTH = 900


def test_every_page_of_a_trial_with_a_deep_legacy_record_answers(
    as_user: Callable[[User], Client],
    org: Organization,
    people: dict[str, User],
    complete_record: dict[str, Any],
) -> None:
    author = people["author"]
    trial = factories.make_trial(org, author, complete_record, reference="DEEP-1")
    domain.open_filing(trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=author)
    deep = copy.deepcopy(complete_record)
    deep["protocolSection"]["identificationModule"]["briefTitle"] = json.loads(hostile.nested(LEGACY_DEPTH))
    # Written as an earlier release could (no depth bound), bypassing save_record.
    version = RecordVersion.objects.create(
        trial=trial,
        sha256="e" * 64,
        content=deep,
        schema_version="1.0",
        based_on=trial.head,
        created_by=author,
    )
    previous = trial.head
    Trial.objects.filter(pk=trial.pk).update(head=version)
    domain.recompute_deadlines(trial, reason=RecomputeReason.MANUAL)
    client = as_user(author)
    assert previous is not None
    pages = [
        "/",
        f"/trials/{trial.pk}/",
        f"/trials/{trial.pk}/history/",
        f"/trials/{trial.pk}/history/diff/?a={previous.sha256}&b=head",
        f"/trials/{trial.pk}/payloads/",
        f"/trials/{trial.pk}/deadlines/",
        "/compliance/",
    ]

    statuses = {page: client.get(page).status_code for page in pages}

    assert statuses == dict.fromkeys(pages, 200)
