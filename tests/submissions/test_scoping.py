"""Another organization's objects do not exist for you: domain refusals and admin 404s."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from submissions import domain, scoping
from submissions.enums import FilingState, Role, Stage
from submissions.errors import DomainError
from submissions.models import Filing, Payload
from tests.submissions import factories


@pytest.fixture
def outsider(db):
    other = factories.make_org("Sponsor B")
    people = factories.make_people(other, prefix="b-")
    for user in people.values():
        user.is_staff = True
        user.save()
    return people


@pytest.fixture
def approved(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    return factories.drive(filing, FilingState.APPROVED, people)


def test_domain_refuses_a_member_of_another_organization(trial, approved, outsider, record):
    refusals = []
    for call in (
        lambda: domain.save_record(trial, record, base_sha256=trial.head.sha256, actor=outsider[Role.AUTHOR]),
        lambda: domain.open_filing(
            trial, Stage.RESULTS, target_registries=["record"], actor=outsider[Role.AUTHOR]
        ),
        lambda: domain.reopen_filing(approved, actor=outsider[Role.APPROVER]),
        lambda: domain.withdraw_trial(trial, actor=outsider[Role.ADMIN], reason="x"),
    ):
        with pytest.raises(DomainError) as refused:
            call()
        refusals.append(refused.value.code)
    approved.refresh_from_db()
    assert (refusals, approved.state) == (["org.not_member"] * 4, FilingState.APPROVED)


def test_queries_list_only_the_users_organizations(trial, approved, people, outsider):
    assert (
        list(scoping.trials_for(people[Role.VIEWER])),
        list(scoping.trials_for(outsider[Role.VIEWER])),
    ) == (
        [trial],
        [],
    )
    assert list(scoping.filings_for(outsider[Role.ADMIN])) == []


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_answers_404_for_another_organizations_objects(approved, outsider):
    client = _client_for(outsider[Role.ADMIN])
    payload = Payload.objects.get()
    urls = [
        reverse("admin:submissions_filing_change", args=[approved.pk]),
        reverse("admin:submissions_trial_change", args=[approved.trial_id]),
        reverse("admin:submissions_payload_change", args=[payload.pk]),
        reverse("admin:submissions_payload_download", args=[payload.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]


def test_admin_history_and_delete_pages_answer_404_for_another_organizations_objects(approved, outsider):
    # given a member of another organization; when they open the history and delete pages of this
    # organization's trial, filing and organization; then each looks like an object that does not exist
    client = _client_for(outsider[Role.ADMIN])
    objects = [
        ("filing", approved.pk),
        ("trial", approved.trial_id),
        ("organization", approved.trial.organization_id),
    ]
    urls = [
        reverse(f"admin:submissions_{model}_{view}", args=[pk])
        for model, pk in objects
        for view in ("history", "delete")
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 6


def test_admin_history_page_opens_for_own_organizations_filing(approved, people):
    client = _client_for(_staff(people[Role.VIEWER]))
    page = client.get(reverse("admin:submissions_filing_history", args=[approved.pk]))
    assert page.status_code == 200


def test_admin_answers_404_for_an_object_that_does_not_exist(approved, people):
    client = _client_for(_staff(people[Role.VIEWER]))
    missing = approved.pk + 1000
    urls = [
        reverse(f"admin:submissions_filing_{view}", args=[missing])
        for view in ("change", "history", "delete")
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]


def test_admin_changelist_shows_only_own_organizations_filings(approved, people, outsider):
    url = reverse("admin:submissions_filing_changelist")
    own = _client_for(_staff(people[Role.VIEWER])).get(url)
    other = _client_for(outsider[Role.VIEWER]).get(url)
    assert (own.status_code, other.status_code) == (200, 200)
    assert (list(own.context["cl"].queryset), list(other.context["cl"].queryset)) == ([approved], [])


def _staff(user):
    user.is_staff = True
    user.save()
    return user


def test_payload_is_downloadable_from_the_filing_admin_page(approved, people):
    client = _client_for(_staff(people[Role.VIEWER]))
    payload = Payload.objects.get()
    page = client.get(reverse("admin:submissions_filing_change", args=[approved.pk]))
    download_url = reverse("admin:submissions_payload_download", args=[payload.pk])
    download = client.get(download_url)
    assert (page.status_code, download_url in page.content.decode()) == (200, True)
    assert (download.status_code, download["Content-Type"], download.content) == (
        200,
        payload.media_type,
        bytes(payload.content),
    )


def test_admin_action_calls_the_domain_and_reports_refusals(approved, people):
    # given an approved filing; a reviewer (not allowed to reopen) and an approver use the admin action
    url = reverse("admin:submissions_filing_changelist")
    data = {"action": "reopen", "_selected_action": [approved.pk], "confirm": "yes", "reason": "Typo"}
    refused = _client_for(_staff(people[Role.REVIEWER])).post(url, data, follow=True)
    approved.refresh_from_db()
    state_after_refusal = approved.state
    _client_for(_staff(people[Role.APPROVER])).post(url, data, follow=True)
    approved.refresh_from_db()
    assert "role.required" in refused.content.decode()
    assert (state_after_refusal, approved.state) == (FilingState.APPROVED, FilingState.DRAFT)


def test_admin_approval_page_signs_with_password(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(filing, FilingState.IN_REVIEW, people)
    approver = _staff(people[Role.APPROVER])
    client = _client_for(approver)
    url = reverse("admin:submissions_filing_changelist")
    form_page = client.post(url, {"action": "approve", "_selected_action": [filing.pk]})
    client.post(
        url,
        {
            "action": "approve",
            "_selected_action": [filing.pk],
            "confirm": "yes",
            "printed_name": approver.get_full_name(),
            "password": factories.PASSWORD,
            "confirm_meaning": "on",
            "record_sha256": form_page.context["form"]["record_sha256"].initial,
        },
    )
    filing = Filing.objects.get(pk=filing.pk)
    assert (form_page.status_code, "Approved for submission to" in form_page.content.decode()) == (200, True)
    assert (filing.state, filing.approved_by) == (FilingState.APPROVED, approver)


def test_members_without_model_permissions_see_the_trials_filings_and_versions(approved, people):
    # given a viewer who holds membership but no Django model permissions
    viewer = _staff(people[Role.VIEWER])
    assert not viewer.user_permissions.exists()

    # when the trial's admin page opens
    page = _client_for(viewer).get(reverse("admin:submissions_trial_change", args=[approved.trial_id]))

    # then its filings and record versions are listed, read-only
    formsets = {formset.opts.model.__name__: formset for formset in page.context["inline_admin_formsets"]}
    assert page.status_code == 200
    assert {"Filing", "RecordVersion", "Deadline"} <= set(formsets)
    assert [form.original for form in formsets["Filing"]] == [approved]
    assert all(not formset.has_change_permission for formset in formsets.values())
