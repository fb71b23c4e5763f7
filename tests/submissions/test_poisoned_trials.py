"""Trials whose stored data the deadline engine or the checks cannot use: each gets coded verdicts or
findings and an alert, its pages still answer, and every other trial and organization carries on."""

from __future__ import annotations

import copy
import json
import logging
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from deadlines.rules import ALL_RULES
from submissions import domain
from submissions.enums import RecomputeReason, Role, Stage
from submissions.errors import DomainError
from submissions.models import Deadline, RecordVersion, Trial
from tests import hostile
from tests.submissions import factories

TODAY = "2026-11-21"
# Deep enough that pages, checks and hashing used to fail where the stack is already deep; shallow
# enough that the form and JSONField of an earlier version could have stored it.
LEGACY_DEPTH = 900


def _with_primary_completion(record: dict[str, Any], value: str) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    changed["protocolSection"]["statusModule"]["primaryCompletionDateStruct"]["date"] = value
    return changed


def _legacy_head(trial: Trial, content: dict[str, Any], author: Any) -> RecordVersion:
    """A head version written as an earlier release could (no depth bound), bypassing save_record."""
    version = RecordVersion.objects.create(
        trial=trial,
        sha256="e" * 64,
        content=content,
        schema_version="1.0",
        based_on=trial.head,
        findings=[],
        created_by=author,
    )
    Trial.objects.filter(pk=trial.pk).update(head=version)
    trial.refresh_from_db()
    return version


def _deep_record(record: dict[str, Any]) -> dict[str, Any]:
    deep = copy.deepcopy(record)
    deep["protocolSection"]["identificationModule"]["briefTitle"] = json.loads(hostile.nested(LEGACY_DEPTH))
    return deep


def _head(trial: Trial) -> RecordVersion:
    assert trial.head is not None
    return trial.head


def _verdicts(trial: Trial) -> dict[str, tuple[str, tuple[str, ...]]]:
    """rule -> (status, finding codes) of the trial's current whole-trial deadlines."""
    return {
        d.rule_code: (d.status, tuple(f["code"] for f in d.findings))
        for d in Deadline.objects.filter(trial=trial, current=True, subject="")
    }


@pytest.fixture
def poisoned(org, people, complete_record):
    """In our organization: a trial saved with a primary completion in year 0, a trial whose head is a
    legacy record nested 900 deep, and a trial with an earlier version that no decoder can read (written
    straight into the database). In another organization: a healthy trial."""
    author = people[Role.AUTHOR]
    year_zero = factories.make_trial(org, author, complete_record, reference="P-YEAR0")
    domain.save_record(
        year_zero,
        _with_primary_completion(complete_record, "0000-01"),
        base_sha256=_head(year_zero).sha256,
        actor=author,
    )
    deep = factories.make_trial(org, author, complete_record, reference="P-DEEP")
    _legacy_head(deep, _deep_record(complete_record), author)
    unreadable = factories.make_trial(org, author, complete_record, reference="P-HISTORY")
    first = _head(unreadable)
    domain.save_record(
        unreadable,
        _with_primary_completion(complete_record, "2025-01-31"),
        base_sha256=first.sha256,
        actor=author,
    )
    table = connection.ops.quote_name(RecordVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET content = %s WHERE id = %s",  # noqa: S608 (a model's own table)
            [hostile.nested(1500).decode(), first.pk],
        )
    other = factories.make_org("Sponsor B")
    other_author = factories.make_user("b-author", org=other, roles=(Role.AUTHOR,))
    healthy = factories.make_trial(other, other_author, complete_record, reference="B-HEALTHY")
    return {"year_zero": year_zero, "deep": deep, "unreadable": unreadable, "healthy": healthy}


def test_daily_run_gives_poisoned_trials_coded_verdicts_and_carries_on_for_every_other(poisoned, caplog):
    # given three poisoned trials in one organization, created before the healthy one of another
    # when the daily recomputation runs
    out = StringIO()
    with caplog.at_level(logging.ERROR):
        call_command("recompute_deadlines", "--today", TODAY, stdout=out, stderr=StringIO())
    # then the healthy trial of the other organization has its verdicts
    healthy = _verdicts(poisoned["healthy"])
    assert (healthy["us.fdaaa.results"], healthy["eu.ctr.results"]) == (("met", ()), ("overdue", ()))
    # and the year-0 date makes the deadline that needs it cannot_compute, naming the date
    year_zero = _verdicts(poisoned["year_zero"])
    assert year_zero["us.fdaaa.secondary_results"] == (
        "cannot_compute",
        ("deadline.missing_date", "deadline.invalid_date"),
    )
    # and every rule of the unreadable trials says cannot_compute with the error's code
    assert set(_verdicts(poisoned["deep"]).values()) == {("cannot_compute", ("json.too_deep",))}
    assert set(_verdicts(poisoned["unreadable"]).values()) == {("cannot_compute", ("json.too_deep",))}
    assert set(_verdicts(poisoned["deep"])) == {rule.code for rule in ALL_RULES}
    # and the operators were alerted about each of those two, by trial id
    alerts = [r.getMessage() for r in caplog.records if r.name == "submissions.domain.deadlines"]
    assert alerts == [
        f"Deadlines of trial {poisoned['deep'].pk} (P-DEEP) cannot be computed: json.too_deep",
        f"Deadlines of trial {poisoned['unreadable'].pk} (P-HISTORY) cannot be computed: json.too_deep",
    ]
    # and the run reported every trial as done, none failed
    assert out.getvalue().startswith(f"Deadlines recomputed as of {TODAY}: 4 trials, 4 changed, ")


@pytest.mark.usefixtures("eager_celery")
def test_saving_a_year_zero_date_does_not_leave_the_deadlines_stale(
    org, people, complete_record, django_capture_on_commit_callbacks
):
    # given a trial whose deadlines were computed on its first save
    author = people[Role.AUTHOR]
    with django_capture_on_commit_callbacks(execute=True):
        trial = factories.make_trial(org, author, complete_record, reference="STALE-1")
    before = _verdicts(trial)
    # when the author saves a version whose primary completion is in year 0
    with django_capture_on_commit_callbacks(execute=True):
        domain.save_record(
            trial,
            _with_primary_completion(complete_record, "0000-01"),
            base_sha256=_head(trial).sha256,
            actor=author,
        )
    # then the deadlines that read the primary completion date say so; none keeps its old verdict
    after = _verdicts(trial)
    rules = ("us.fdaaa.results", "us.fdaaa.secondary_results")
    assert ([before[rule] for rule in rules], [after[rule] for rule in rules]) == (
        [("met", ()), ("not_applicable", ())],
        [
            ("met", ("deadline.fallback_date",)),
            ("cannot_compute", ("deadline.missing_date", "deadline.invalid_date")),
        ],
    )


def test_every_page_of_a_trial_with_a_deep_legacy_record_answers(org, people, complete_record):
    # given a trial whose head is a legacy record nested 900 deep, with a filing and deadlines
    author = people[Role.AUTHOR]
    trial = factories.make_trial(org, author, complete_record, reference="DEEP-1")
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=author)
    version = _legacy_head(trial, _deep_record(complete_record), author)
    domain.recompute_deadlines(trial, reason=RecomputeReason.MANUAL, today=date(2026, 11, 21))
    admin = people[Role.ADMIN]
    admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    pages = [
        reverse("admin:submissions_trial_change", args=[trial.pk]),
        reverse("admin:submissions_trial_changelist"),
        reverse("admin:submissions_recordversion_change", args=[version.pk]),
        reverse("admin:submissions_filing_change", args=[filing.pk]),
        reverse("admin:submissions_deadline_changelist"),
        reverse("admin:submissions_trial_record_download", args=[trial.pk]),
        reverse("admin:submissions_trial_save_record", args=[trial.pk]),
    ]
    # when someone opens each page
    statuses = {page: client.get(page).status_code for page in pages}
    # then each answers
    assert statuses == dict.fromkeys(pages, 200)


def test_a_deep_legacy_record_is_one_coded_finding_and_cannot_be_submitted(org, people, complete_record):
    # given a filing of a trial whose head is a legacy record nested 900 deep
    author = people[Role.AUTHOR]
    trial = factories.make_trial(org, author, complete_record, reference="DEEP-2")
    filing = domain.open_filing(trial, Stage.REGISTRATION, target_registries=["ctgov"], actor=author)
    _legacy_head(trial, _deep_record(complete_record), author)
    # when it is checked and submitted for review
    from submissions import checks

    findings = checks.stage_findings(_head(trial).content, Stage.REGISTRATION, ["ctgov"])
    with pytest.raises(DomainError) as refused:
        domain.submit_for_review(filing, actor=author)
    # then the checks give one error finding with the reader's code, and the submission is refused
    assert ([(f.code, f.pointer, f.severity.value) for f in findings], refused.value.code) == (
        [("json.too_deep", "", "error")],
        "filing.no_error_findings",
    )
