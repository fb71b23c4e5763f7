"""An organization's deadline choices (issue 15): only the windows the law leaves open, set by its admins,
audited, and passed to the engine when its trials' deadlines are computed."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from deadlines.config import ORGANIZATION_SETTINGS
from submissions import domain
from submissions.enums import AuditEventType, RecomputeReason, Role
from submissions.errors import DomainError
from submissions.models import AuditEvent, Deadline, Organization
from tests.submissions import factories

TODAY = date(2026, 11, 21)


@pytest.fixture
def paediatric_trial(org, people, complete_record):
    complete_record["euSection"]["paediatric"] = True
    return factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="PAED-1")


def _eu_results(trial):
    deadline = Deadline.objects.get(trial=trial, rule_code="eu.ctr.results", subject="")
    return deadline.due_date, deadline.why


def test_trial_deadlines_use_the_guidance_default_without_a_setting(paediatric_trial):
    domain.recompute_deadlines(paediatric_trial, reason=RecomputeReason.MANUAL, today=TODAY)

    due, why = _eu_results(paediatric_trial)

    assert due == date(2024, 12, 18)
    assert "(setting eu_paediatric_results_months = 6, the default)" in why


def test_admin_sets_a_window_and_the_trial_deadlines_follow_it(org, people, paediatric_trial, eager_celery):
    # given an organization admin who chooses 12 months for paediatric results
    stored = domain.set_deadline_settings(org, {"eu_paediatric_results_months": 12}, actor=people[Role.ADMIN])
    # when the trial's deadlines are computed
    domain.recompute_deadlines(paediatric_trial, reason=RecomputeReason.MANUAL, today=TODAY)
    # then the stored setting is used, said in the verdict, and the change is audited
    due, why = _eu_results(paediatric_trial)
    assert stored == {"eu_paediatric_results_months": 12}
    assert Organization.objects.get(pk=org.pk).deadline_settings == {"eu_paediatric_results_months": 12}
    assert due == date(2025, 6, 18)
    assert "(setting eu_paediatric_results_months = 12, set by the organization; default 6)" in why
    assert list(
        AuditEvent.objects.filter(event_type=AuditEventType.DEADLINE_SETTINGS_CHANGED).values_list(
            "data", flat=True
        )
    ) == [{"before": {}, "after": {"eu_paediatric_results_months": 12}}]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"us_registration_days": 30}, "us_registration_days: not a setting an organization may choose"),
        (
            {"eu_restart_notice_days": "15"},
            "deadline setting 'eu_restart_notice_days' must be a non-negative",
        ),
        ({"eu_restart_notice_days": -1}, "deadline setting 'eu_restart_notice_days' must be a non-negative"),
    ],
)
def test_a_setting_the_law_fixes_or_a_bad_value_is_refused_and_nothing_changes(org, people, choices, message):
    with pytest.raises(DomainError) as raised:
        domain.set_deadline_settings(org, choices, actor=people[Role.ADMIN])

    assert (raised.value.code, message in raised.value.message) == ("deadline.bad_settings", True)
    assert Organization.objects.get(pk=org.pk).deadline_settings == {}


def test_only_an_organization_admin_changes_deadline_settings(org, people):
    with pytest.raises(DomainError) as raised:
        domain.set_deadline_settings(org, {"eu_restart_notice_days": 10}, actor=people[Role.APPROVER])

    assert raised.value.code == "role.required"
    assert Organization.objects.get(pk=org.pk).deadline_settings == {}


def test_another_organizations_admin_cannot_change_them(org):
    other = factories.make_org("Sponsor B")
    outsider = factories.make_user("outsider", org=other, roles=(Role.ADMIN,))

    with pytest.raises(DomainError) as raised:
        domain.set_deadline_settings(org, {"eu_restart_notice_days": 10}, actor=outsider)

    assert raised.value.code == "org.not_member"


def _admin_client(user):
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_admin_action_changes_the_settings_through_the_domain(org, people):
    # given an organization admin on the organization list, choosing 10 days for restart notices
    client = _admin_client(people[Role.ADMIN])
    url = reverse("admin:submissions_organization_changelist")
    data = {"action": "change_deadline_settings", "_selected_action": [org.pk], "confirm": "yes"}
    # when the form is sent with one window set and the others left blank
    form_page = client.post(url, {"action": "change_deadline_settings", "_selected_action": [org.pk]})
    sent = client.post(url, {**data, "eu_restart_notice_days": "10"})
    # then the form listed only the open windows, and the choice is stored and audited
    assert sorted(form_page.context["form"].fields) == sorted(ORGANIZATION_SETTINGS)
    assert sent.status_code == 302
    assert Organization.objects.get(pk=org.pk).deadline_settings == {"eu_restart_notice_days": 10}
    assert AuditEvent.objects.filter(event_type=AuditEventType.DEADLINE_SETTINGS_CHANGED).count() == 1


def test_admin_page_does_not_edit_the_settings_directly(org, people):
    client = _admin_client(people[Role.ADMIN])

    page = client.get(reverse("admin:submissions_organization_change", args=[org.pk]))

    assert "deadline_settings" not in page.context["adminform"].form.fields
