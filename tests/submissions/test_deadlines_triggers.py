"""Deadlines are recomputed, through the Celery task at commit, when a record is saved or a filing is sent
or answered by a registry."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from submissions import domain
from submissions.enums import AuditEventType, FilingState, RecomputeReason, Role, Stage
from submissions.models import AuditEvent, Deadline
from submissions.tasks import recompute_trial_deadlines
from tests.submissions import factories


def _with_primary_completion(record, day):
    """The record completed on ``day`` with results not yet submitted anywhere."""
    copied = copy.deepcopy(record)
    status = copied["protocolSection"]["statusModule"]
    for name in ("resultsFirstSubmitDate", "resultsFirstSubmitQcDate", "resultsFirstPostDateStruct"):
        status.pop(name, None)
    status["primaryCompletionDateStruct"] = {"date": day.isoformat(), "type": "ACTUAL"}
    status["completionDateStruct"] = {"date": day.isoformat(), "type": "ACTUAL"}
    return copied


def _history(rule_code):
    deadline = Deadline.objects.get(rule_code=rule_code, subject="")
    return list(deadline.history.values_list("status", "reason"))


def test_saving_a_record_recomputes_deadlines_at_commit(
    eager_celery, org, people, complete_record, django_capture_on_commit_callbacks
):
    # given a trial whose primary completion was 400 days ago, results not yet reported
    today = timezone.localdate()
    author = people[Role.AUTHOR]
    overdue = _with_primary_completion(complete_record, today - timedelta(days=400))
    trial = domain.create_trial(org, reference="TRIG-1", title="Trigger", actor=author)
    # when the record is saved, and then saved again with the primary completion moved to 100 days ago
    with django_capture_on_commit_callbacks(execute=True):
        saved = domain.save_record(trial, overdue, base_sha256=None, actor=author)
    statuses_after_first = _history("who.results")
    moved = _with_primary_completion(complete_record, today - timedelta(days=100))
    with django_capture_on_commit_callbacks(execute=True):
        domain.save_record(trial, moved, base_sha256=saved.version.sha256, actor=author)
    # then each commit recomputed the deadlines: WHO results went from overdue to upcoming, and the
    # moved date itself opened a ClinicalTrials.gov update deadline due in 30 days
    update = Deadline.objects.get(rule_code="us.fdaaa.update", subject=f"primary_completion_date@{today}")
    assert statuses_after_first == [("overdue", "record_saved")]
    assert _history("who.results") == [("overdue", "record_saved"), ("upcoming", "record_saved")]
    assert (update.status, update.due_date, update.computed_on) == (
        "due_soon",
        today + timedelta(days=30),
        today,
    )


def test_saving_the_same_record_again_schedules_nothing(
    eager_celery, trial, people, record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.save_record(trial, record, base_sha256=trial.head.sha256, actor=people[Role.AUTHOR])
    assert Deadline.objects.count() == 0


@pytest.mark.parametrize(
    ("sent_on", "status", "days_late"),
    [
        (datetime(2023, 4, 3, 16, 0, tzinfo=UTC), "met", 0),
        (datetime(2023, 4, 10, 9, 0, tzinfo=UTC), "met_late", 7),
    ],
)
def test_registration_filing_sent_and_accepted_meets_the_registration_deadline(
    eager_celery, org, people, complete_record, django_capture_on_commit_callbacks, sent_on, status, days_late
):
    # given a trial first enrolled on 2023-03-13 (registration due 2023-04-03) that the record does not
    # show as registered, with its deadlines computed: registration overdue
    unregistered = copy.deepcopy(complete_record)
    del unregistered["protocolSection"]["statusModule"]["studyFirstSubmitDate"]
    del unregistered["whoSection"]["dateOfRegistration"]
    trial = factories.make_trial(org, people[Role.AUTHOR], unregistered, reference="REG-1")
    domain.recompute_deadlines(trial, reason=RecomputeReason.MANUAL, actor=people[Role.VIEWER])
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["ctgov", "record"], actor=people[Role.AUTHOR]
    )
    factories.drive(filing, FilingState.APPROVED, people)
    # when the filing is marked sent on ``sent_on`` and ClinicalTrials.gov accepts it
    with django_capture_on_commit_callbacks(execute=True):
        domain.mark_submitted(filing, actor=people[Role.AUTHOR], submitted_at=sent_on)
        factories.accept_everywhere(filing, people[Role.AUTHOR])
    # then the registration deadline is met by that filing, on the day it was sent
    registration = Deadline.objects.get(trial=trial, rule_code="us.fdaaa.registration")
    assert (registration.status, registration.days_late, registration.satisfied_by_filing) == (
        status,
        days_late,
        filing,
    )
    assert registration.satisfied_by == {
        "source": "submission",
        "filing_id": str(filing.pk),
        "registry": "ctgov",
        "stage": "registration",
        "kind": "initial",
        "submitted_on": sent_on.date().isoformat(),
    }
    assert _history("us.fdaaa.registration") == [("overdue", "manual"), (status, "filing_changed")]
    latest = AuditEvent.objects.filter(event_type=AuditEventType.DEADLINES_RECOMPUTED).latest("pk")
    assert {"rule": "us.fdaaa.registration", "subject": "", "from": "overdue", "to": status} in latest.data[
        "status_changes"
    ]


def test_task_recomputes_and_is_idempotent(trial):
    first = recompute_trial_deadlines.apply(args=[trial.pk, RecomputeReason.DAILY]).get()
    again = recompute_trial_deadlines.apply(args=[trial.pk, RecomputeReason.DAILY]).get()
    missing = recompute_trial_deadlines.apply(args=[trial.pk + 1000, RecomputeReason.DAILY]).get()
    assert (len(first["changes"]), first["current"]) == (Deadline.objects.count(), Deadline.objects.count())
    assert (again["changes"], missing) == ([], {"trial": trial.pk + 1000, "skipped": "no such trial"})
