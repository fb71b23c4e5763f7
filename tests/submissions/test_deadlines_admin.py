"""Deadlines in the admin: on the trial's page, their own read-only changelist with history, scoped to
the user's organizations, and the "Recompute deadlines now" action."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from submissions import domain
from submissions.enums import AuditEventType, RecomputeReason, Role
from submissions.models import AuditEvent, Deadline, DeadlineHistory
from tests.submissions import factories

TODAY = date(2026, 11, 21)


def _client_for(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def computed(org, people, complete_record):
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="ADM-1")
    domain.recompute_deadlines(trial, reason=RecomputeReason.DAILY, today=TODAY)
    return trial


@pytest.fixture
def outsider(db, complete_record):
    other = factories.make_org("Sponsor B")
    people = factories.make_people(other, prefix="b-")
    trial = factories.make_trial(other, people[Role.AUTHOR], complete_record, reference="B-1")
    domain.recompute_deadlines(trial, reason=RecomputeReason.DAILY, today=TODAY)
    return people


def test_another_organizations_deadline_answers_404(computed, outsider):
    own = Deadline.objects.filter(trial=computed).earliest("pk")
    client = _client_for(outsider[Role.ADMIN])
    urls = [
        reverse("admin:submissions_deadline_change", args=[own.pk]),
        reverse("admin:submissions_deadline_history", args=[own.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_deadline_changelist_lists_only_own_organizations_deadlines(computed, people, outsider):
    url = reverse("admin:submissions_deadline_changelist")
    own = _client_for(people[Role.VIEWER]).get(url + "?all=")
    other = _client_for(outsider[Role.VIEWER]).get(url + "?all=")
    listed = {d.trial.reference for d in own.context["cl"].queryset}
    other_listed = {d.trial.reference for d in other.context["cl"].queryset}
    assert (own.status_code, listed, other_listed) == (200, {"ADM-1"}, {"B-1"})


def test_deadline_changelist_filters_by_status_and_jurisdiction(computed, people):
    url = reverse("admin:submissions_deadline_changelist")
    page = _client_for(people[Role.VIEWER]).get(
        url, {"status__exact": "overdue", "jurisdiction__exact": "EU"}
    )
    rules = sorted(d.rule_code for d in page.context["cl"].queryset)
    assert rules == [
        "eu.ctr.end_of_trial.all_member_states",
        "eu.ctr.end_of_trial.global",
        "eu.ctr.lay_summary",
        "eu.ctr.results",
    ]


def test_deadline_page_shows_its_history_and_allows_no_changes(org, people, complete_record):
    # given the verification deadline of a trial without results, computed on two days with different
    # statuses
    computed = factories.make_trial(org, people[Role.AUTHOR], factories.unreported(complete_record), "ADM-2")
    domain.recompute_deadlines(computed, reason=RecomputeReason.DAILY, today=TODAY)
    domain.recompute_deadlines(computed, reason=RecomputeReason.DAILY, today=date(2026, 6, 1))
    verification = Deadline.objects.get(trial=computed, rule_code="us.fdaaa.verification")
    client = _client_for(people[Role.ADMIN])
    # when an organization admin opens it and tries to add or delete deadlines
    page = client.get(reverse("admin:submissions_deadline_change", args=[verification.pk]))
    add = client.get(reverse("admin:submissions_deadline_add"))
    delete = client.get(reverse("admin:submissions_deadline_delete", args=[verification.pk]))
    # then the page shows both history rows, and neither adding nor deleting is possible
    history = page.context["inline_admin_formsets"][0]
    shown = [form.original.status for form in history]
    assert (page.status_code, shown, add.status_code, delete.status_code) == (
        200,
        ["overdue", "due_soon"],
        403,
        403,
    )
    assert DeadlineHistory.objects.filter(deadline=verification).count() == 2


def test_trial_page_lists_applicable_deadlines_first_soonest_due_first(org, people, complete_record):
    # given a trial whose deadlines were computed: some rules apply, some do not, and some that apply
    # cannot be dated because the record has no completion dates yet
    status = complete_record["protocolSection"]["statusModule"]
    del status["primaryCompletionDateStruct"], status["completionDateStruct"]
    computed = factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="ADM-2")
    domain.recompute_deadlines(computed, reason=RecomputeReason.DAILY, today=TODAY)

    # when a member opens the trial's admin page
    page = _client_for(people[Role.VIEWER]).get(reverse("admin:submissions_trial_change", args=[computed.pk]))
    deadlines = next(
        formset for formset in page.context["inline_admin_formsets"] if formset.opts.model is Deadline
    )
    shown = [form.original for form in deadlines]

    # then every current deadline is there, those that apply before those that do not, and each group
    # in due-date order with undated ones last
    current = Deadline.objects.filter(trial=computed, current=True)
    applies = [deadline.applies for deadline in shown]
    assert (page.status_code, sorted(d.pk for d in shown)) == (
        200,
        sorted(current.values_list("pk", flat=True)),
    )
    assert applies == sorted(applies, reverse=True)
    assert True in applies
    assert False in applies
    assert any(d.applies and d.due_date is None for d in shown)
    for group in (True, False):
        due_dates = [d.due_date for d in shown if d.applies is group]
        known = [day for day in due_dates if day is not None]
        assert (known, due_dates[len(known) :]) == (sorted(known), [None] * (len(due_dates) - len(known)))
    assert "us.fdaaa.registration" in page.content.decode()


def test_recompute_action_recomputes_as_the_member_who_asked(org, people, complete_record):
    # given a trial never computed
    trial = factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="ACT-1")
    viewer = people[Role.VIEWER]
    # when a viewer runs "Recompute deadlines now" on it
    response = _client_for(viewer).post(
        reverse("admin:submissions_trial_changelist"),
        {"action": "recompute_deadlines", "_selected_action": [trial.pk]},
        follow=True,
    )
    # then its deadlines exist with manual history, and the audit event names the viewer
    event = AuditEvent.objects.get(event_type=AuditEventType.DEADLINES_RECOMPUTED)
    reasons = set(DeadlineHistory.objects.filter(deadline__trial=trial).values_list("reason", flat=True))
    assert (response.status_code, reasons, event.actor, event.data["reason"]) == (
        200,
        {"manual"},
        viewer,
        "manual",
    )
    assert Deadline.objects.filter(trial=trial).count() == len(event.data["status_changes"])


def test_deadline_history_changelist_lists_only_own_organizations_rows(computed, people, outsider):
    # given history rows for our trial and for another sponsor's
    url = reverse("admin:submissions_deadlinehistory_changelist")

    # when each side opens the history list
    own = _client_for(people[Role.VIEWER]).get(url)
    other_row = DeadlineHistory.objects.exclude(deadline__trial=computed).earliest("pk")
    foreign = _client_for(people[Role.VIEWER]).get(
        reverse("admin:submissions_deadlinehistory_change", args=[other_row.pk])
    )

    # then it lists exactly our rows, and another organization's row answers 404
    assert own.status_code == 200
    assert sorted(row.pk for row in own.context["cl"].queryset) == sorted(
        DeadlineHistory.objects.filter(deadline__trial=computed).values_list("pk", flat=True)
    )
    assert foreign.status_code == 404
