"""The admin's forms that write through domain functions: add a trial, save a record version, open a
filing, and download the record; each refusal is shown with its code and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from registries.canonical import canonical_json, record_sha256
from submissions import domain
from submissions.enums import AuditEventType, FilingKind, FilingState, Role, Stage
from submissions.models import AuditEvent, Filing, Trial
from tests.submissions import factories


def _client_for(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _upload(record) -> SimpleUploadedFile:
    return SimpleUploadedFile("record.json", json.dumps(record).encode(), content_type="application/json")


@pytest.fixture
def draft(org, people, complete_record) -> Trial:
    return factories.make_trial(org, people[Role.AUTHOR], complete_record, reference="FORM-1")


@pytest.fixture
def outsider_trial(db, complete_record) -> Trial:
    other = factories.make_org("Sponsor B")
    people = factories.make_people(other, prefix="b-")
    return factories.make_trial(other, people[Role.AUTHOR], complete_record, reference="B-1")


def test_author_adds_a_trial_with_its_first_record_version(org, people, complete_record):
    # given an author of the organization
    client = _client_for(people[Role.AUTHOR])

    # when they send the "Add trial" form with a record file
    response = client.post(
        reverse("admin:submissions_trial_add"),
        {
            "organization": org.pk,
            "reference": "NEW-1",
            "title": "A new trial",
            "record_file": _upload(complete_record),
        },
    )

    # then the trial exists with the record as its head, both actions are audited, and they see its page
    trial = Trial.objects.get(organization=org, reference="NEW-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:submissions_trial_change", args=[trial.pk])
    assert (trial.title, trial.created_by, trial.head.sha256) == (
        "A new trial",
        people[Role.AUTHOR],
        record_sha256(complete_record),
    )
    assert list(
        AuditEvent.objects.filter(trial=trial).order_by("pk").values_list("event_type", flat=True)
    ) == [
        AuditEventType.TRIAL_CREATED,
        AuditEventType.RECORD_SAVED,
    ]
    assert _messages(response)[0] == "Trial NEW-1 created."


def test_add_trial_page_offers_only_organizations_where_the_user_may_create(org, people):
    # given an author of one organization who is only a viewer in another
    other = factories.make_org("Sponsor B")
    factories.Membership.objects.create(organization=other, user=people[Role.AUTHOR], role=Role.VIEWER)
    client = _client_for(people[Role.AUTHOR])

    # when they open the "Add trial" page
    response = client.get(reverse("admin:submissions_trial_add"))

    # then only the organization where they are an author is offered
    assert response.status_code == 200
    offered = [value for value, _ in response.context["form"].fields["organization"].widget.choices if value]
    assert offered == [org.pk]


def test_add_trial_without_a_record_creates_a_draft_without_head(org, people):
    client = _client_for(people[Role.ADMIN])

    response = client.post(
        reverse("admin:submissions_trial_add"),
        {"organization": org.pk, "reference": "NEW-2", "title": "No record yet", "record_text": ""},
    )

    trial = Trial.objects.get(organization=org, reference="NEW-2")
    assert (response.status_code, trial.head) == (302, None)
    assert list(AuditEvent.objects.filter(trial=trial).values_list("event_type", flat=True)) == [
        AuditEventType.TRIAL_CREATED
    ]


def test_viewer_cannot_add_a_trial(org, people):
    # given a viewer of the organization
    client = _client_for(people[Role.VIEWER])

    # when they send the "Add trial" form for it anyway
    response = client.post(
        reverse("admin:submissions_trial_add"),
        {"organization": org.pk, "reference": "NEW-3", "title": "Not allowed"},
    )

    # then the page shows the domain's refusal and no trial exists
    assert response.status_code == 200
    assert [m for m in _messages(response) if m.startswith("Refused")] == [
        f"Refused (role.required) To create a trial you need the author or organization admin role in {org}."
    ]
    assert not Trial.objects.filter(reference="NEW-3").exists()


def test_add_trial_with_malformed_json_names_line_and_column(org, people):
    client = _client_for(people[Role.AUTHOR])

    bad_json = '{\n  "a": tru\n}'

    response = client.post(
        reverse("admin:submissions_trial_add"),
        {"organization": org.pk, "reference": "NEW-4", "title": "Bad JSON", "record_text": bad_json},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "record_text": ["(json.malformed) The input is not valid JSON: Expecting value at line 2, column 8."]
    }
    assert not Trial.objects.filter(reference="NEW-4").exists()


def test_add_trial_with_a_used_reference_is_refused_with_its_code(org, people, draft):
    client = _client_for(people[Role.AUTHOR])

    response = client.post(
        reverse("admin:submissions_trial_add"),
        {"organization": org.pk, "reference": "FORM-1", "title": "Again"},
    )

    assert response.status_code == 200
    assert [m for m in _messages(response) if m.startswith("Refused")] == [
        f"Refused (trial.reference_taken) {org} already has a trial 'FORM-1'."
    ]
    assert Trial.objects.filter(reference="FORM-1").count() == 1


def test_save_record_form_carries_the_head_as_its_base(people, draft):
    client = _client_for(people[Role.AUTHOR])

    response = client.get(reverse("admin:submissions_trial_save_record", args=[draft.pk]))

    assert response.status_code == 200
    assert response.context["form"].initial == {"base_sha256": draft.head.sha256}


def test_author_saves_a_new_record_version(people, draft, complete_record):
    # given the trial's page showed the current head
    client = _client_for(people[Role.AUTHOR])
    changed = factories.changed(complete_record)
    base = draft.head.sha256

    # when the author saves a changed record against it
    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {"base_sha256": base, "record_text": json.dumps(changed)},
    )

    # then it is the new head, based on the old one, audited, and the findings are counted
    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.head.sha256, draft.head.based_on.sha256) == (record_sha256(changed), base)
    event = AuditEvent.objects.filter(trial=draft, event_type=AuditEventType.RECORD_SAVED).latest("pk")
    assert (event.data["sha256"], event.data["based_on"]) == (record_sha256(changed), base)
    findings = draft.head.findings
    errors = sum(1 for f in findings if f["severity"] == "error")
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    assert _messages(response)[0] == (
        f"Saved record version {draft.head.sha256}: {errors} errors, {warnings} warnings."
    )


def test_saving_lists_the_first_findings_with_their_pointers(people, draft):
    # given a record with a missing title (an error finding at a known pointer)
    client = _client_for(people[Role.AUTHOR])
    record = {"protocolSection": {"identificationModule": {"orgStudyIdInfo": {"id": "FORM-1"}}}}

    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {"base_sha256": draft.head.sha256, "record_file": _upload(record)},
    )

    draft.refresh_from_db()
    shown = _messages(response)[1:]
    expected = [
        f"{f['severity']} {f['code']} at {f['pointer'] or '/'}: {f['message']}"
        for f in [
            *(f for f in draft.head.findings if f["severity"] == "error"),
            *(f for f in draft.head.findings if f["severity"] == "warning"),
        ][:5]
    ]
    assert expected != []
    assert shown == expected


def test_saving_a_change_to_an_accepted_stage_reports_the_update_filing(people, draft, complete_record):
    # given the registration was accepted
    accepted = factories.complete_stage(draft, Stage.REGISTRATION, people, ["ctgov"])
    client = _client_for(people[Role.AUTHOR])
    draft.refresh_from_db()

    # when the protocol section changes
    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {"base_sha256": draft.head.sha256, "record_text": json.dumps(factories.changed(complete_record))},
    )

    # then an update filing is open and the page links to it
    update = Filing.objects.get(trial=draft, kind=FilingKind.UPDATE)
    assert (update.stage, update.state) == (accepted.stage, FilingState.DRAFT)
    link = reverse("admin:submissions_filing_change", args=[update.pk])
    assert [m for m in _messages(response) if "update filing" in m] == [
        f'The change opened update filing <a href="{link}">#{update.pk} (Registration)</a>.'
    ]


def test_save_against_a_stale_base_is_refused_and_the_head_stays(people, draft, complete_record):
    # given someone saved a new version after the form was shown
    client = _client_for(people[Role.AUTHOR])
    shown_base = draft.head.sha256
    domain.save_record(
        draft, factories.changed(complete_record), base_sha256=shown_base, actor=people["author2"]
    )
    draft.refresh_from_db()
    head = draft.head.sha256

    # when the form is sent with the base it was shown with
    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {
            "base_sha256": shown_base,
            "record_text": json.dumps(factories.changed(complete_record, "resultsSection")),
        },
    )

    # then the save is refused with its code and the head is the other person's version
    draft.refresh_from_db()
    assert response.status_code == 200
    refused = [m for m in _messages(response) if m.startswith("Refused")]
    assert [m.split(")")[0] for m in refused] == ["Refused (record.stale_base"]
    assert draft.head.sha256 == head


def test_save_record_with_malformed_json_file_is_a_form_error(people, draft):
    client = _client_for(people[Role.AUTHOR])
    head = draft.head.sha256

    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {"base_sha256": head, "record_file": SimpleUploadedFile("r.json", b'{"a": tru}')},
    )

    draft.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "record_file": ["(json.malformed) The input is not valid JSON: Expecting value at line 1, column 7."]
    }
    assert draft.head.sha256 == head


def test_save_record_needs_a_record(people, draft):
    client = _client_for(people[Role.AUTHOR])

    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]), {"base_sha256": draft.head.sha256}
    )

    assert response.context["form"].errors == {
        "__all__": ["Upload the record JSON file or paste the record."]
    }


def test_save_record_that_is_not_an_object_is_refused_with_its_code(people, draft):
    client = _client_for(people[Role.AUTHOR])

    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {"base_sha256": draft.head.sha256, "record_text": "[1, 2]"},
    )

    assert [m for m in _messages(response) if m.startswith("Refused")] == [
        "Refused (record.not_an_object) The record must be a JSON object."
    ]


def test_open_filing_form_is_pre_filled_with_the_registries_the_record_calls_for(people, draft):
    # given the complete record (US, EU and UK sites with a medicinal product, registered on
    # ClinicalTrials.gov)
    client = _client_for(people[Role.AUTHOR])

    # when an author opens the form
    response = client.get(reverse("admin:submissions_trial_open_filing", args=[draft.pk]))

    # then the derived registries are ticked (CTIS for the EU sites), and ISRCTN (the trial has an NCT
    # number) is not
    assert response.status_code == 200
    assert response.context["form"].initial["target_registries"] == ["record", "ctgov", "ctis", "who"]


def test_open_filing_with_no_registry_ticked_derives_them(people, draft):
    client = _client_for(people[Role.AUTHOR])

    client.post(
        reverse("admin:submissions_trial_open_filing", args=[draft.pk]), {"stage": Stage.REGISTRATION}
    )

    assert Filing.objects.get(trial=draft).target_registries == ["ctgov", "ctis", "record", "who"]


def test_author_opens_a_filing(people, draft):
    # given an author on the trial's page
    client = _client_for(people[Role.AUTHOR])

    # when they open a registration filing for two registries
    response = client.post(
        reverse("admin:submissions_trial_open_filing", args=[draft.pk]),
        {"stage": Stage.REGISTRATION, "target_registries": ["ctgov", "record"]},
    )

    # then the draft filing exists, is audited, and they land on its page
    filing = Filing.objects.get(trial=draft)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:submissions_filing_change", args=[filing.pk])
    assert (filing.stage, filing.kind, filing.state, filing.target_registries) == (
        Stage.REGISTRATION,
        FilingKind.INITIAL,
        FilingState.DRAFT,
        ["ctgov", "record"],
    )
    assert AuditEvent.objects.filter(filing=filing, event_type=AuditEventType.FILING_OPENED).count() == 1


def test_second_initial_filing_of_a_stage_is_refused_with_its_code(people, draft):
    first = domain.open_filing(
        draft, Stage.REGISTRATION, target_registries=["ctgov"], actor=people[Role.AUTHOR]
    )
    client = _client_for(people[Role.AUTHOR])

    response = client.post(
        reverse("admin:submissions_trial_open_filing", args=[draft.pk]),
        {"stage": Stage.REGISTRATION, "target_registries": ["ctgov"]},
    )

    assert response.status_code == 200
    assert [m for m in _messages(response) if m.startswith("Refused")] == [
        f"Refused (filing.already_open) The trial already has its initial registration filing (#{first.pk})."
    ]
    assert list(Filing.objects.filter(trial=draft)) == [first]


def test_viewer_cannot_open_a_filing(people, draft):
    client = _client_for(people[Role.VIEWER])

    response = client.post(
        reverse("admin:submissions_trial_open_filing", args=[draft.pk]),
        {"stage": Stage.REGISTRATION, "target_registries": ["ctgov"]},
    )

    assert [m.split(")")[0] for m in _messages(response)] == ["Refused (role.required"]
    assert not Filing.objects.filter(trial=draft).exists()


def test_record_download_is_the_heads_canonical_json(people, draft):
    client = _client_for(people[Role.VIEWER])

    response = client.get(reverse("admin:submissions_trial_record_download", args=[draft.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="FORM-1-{draft.head.sha256[:12]}.json"'
    assert response.content == canonical_json(draft.head.content)
    assert record_sha256(json.loads(response.content)) == draft.head.sha256


def test_trial_page_links_to_the_forms_and_the_download(people, draft):
    client = _client_for(people[Role.AUTHOR])

    response = client.get(reverse("admin:submissions_trial_change", args=[draft.pk]))

    content = response.content.decode()
    for name in ("save_record", "open_filing", "record_download"):
        assert reverse(f"admin:submissions_trial_{name}", args=[draft.pk]) in content


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("save_record", "get"),
        ("save_record", "post"),
        ("open_filing", "get"),
        ("open_filing", "post"),
        ("record_download", "get"),
    ],
)
def test_another_organizations_trial_answers_404(people, outsider_trial, name, method):
    # given an author of Sponsor A and a trial of Sponsor B
    client = _client_for(people[Role.AUTHOR])
    url = reverse(f"admin:submissions_trial_{name}", args=[outsider_trial.pk])
    head = outsider_trial.head.sha256

    # when they reach for it
    response = getattr(client, method)(
        url,
        {
            "base_sha256": head,
            "record_text": "{}",
            "stage": Stage.REGISTRATION,
            "target_registries": ["ctgov"],
        }
        if method == "post"
        else None,
    )

    # then it does not exist for them, and nothing changed
    outsider_trial.refresh_from_db()
    assert response.status_code == 404
    assert (outsider_trial.head.sha256, Filing.objects.filter(trial=outsider_trial).exists()) == (head, False)


def test_trial_list_offers_add_trial_to_members(people, draft):
    client = _client_for(people[Role.AUTHOR])

    response = client.get(reverse("admin:submissions_trial_changelist"))

    assert reverse("admin:submissions_trial_add") in response.content.decode()


def test_add_trial_page_tells_a_viewer_they_may_not_create(org, people):
    client = _client_for(people[Role.VIEWER])

    response = client.get(reverse("admin:submissions_trial_add"))

    assert response.status_code == 200
    assert _messages(response) == [
        "You hold no author or organization admin role, which creating a trial needs."
    ]


def test_record_given_both_as_file_and_text_is_a_form_error(people, draft, complete_record):
    client = _client_for(people[Role.AUTHOR])
    head = draft.head.sha256

    response = client.post(
        reverse("admin:submissions_trial_save_record", args=[draft.pk]),
        {"base_sha256": head, "record_file": _upload(complete_record), "record_text": "{}"},
    )

    draft.refresh_from_db()
    assert response.context["form"].errors == {
        "__all__": ["Give the record either as a file or as pasted text, not both."]
    }
    assert draft.head.sha256 == head


def test_record_download_of_a_trial_without_record_answers_404(org, people):
    trial = domain.create_trial(org, reference="EMPTY-1", title="No record", actor=people[Role.AUTHOR])
    client = _client_for(people[Role.AUTHOR])

    response = client.get(reverse("admin:submissions_trial_record_download", args=[trial.pk]))

    assert response.status_code == 404
