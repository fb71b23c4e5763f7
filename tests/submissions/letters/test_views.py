"""The readability page (staff) and the public results page (no sign-in)."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import domain
from submissions.domain import letters as domain_letters
from submissions.enums import FilingState, Role, Stage
from submissions.letters.models import LetterJob
from tests.submissions import factories
from tests.submissions.letters.factories import disclose, letters_record


@pytest.fixture
def trial(org, people):
    record = letters_record()
    record["laySummaries"][0]["sections"]["overallResults"] = (
        "Participants demonstrated substantially heterogeneous physiological characteristics. "
        "People slept well."
    )
    return factories.make_trial(org, people[Role.AUTHOR], record, reference="LET-1")


def test_readability_page_shows_scores_and_highlights_the_hard_sentence(client, trial, people):
    client.force_login(people[Role.VIEWER])

    response = client.get(reverse("letters:readability", args=[trial.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<mark>Participants demonstrated substantially heterogeneous physiological characteristics.</mark>"
        in html
    )
    assert "People slept well." in html
    assert "<mark>People slept well.</mark>" not in html
    assert "Target grade 8" in html
    assert "This section reads at grade" in html


def test_readability_page_of_another_organization_is_404(client, trial):
    outsider = factories.make_user("outsider", org=factories.make_org("Sponsor B"), roles=(Role.ADMIN,))
    client.force_login(outsider)

    response = client.get(reverse("letters:readability", args=[trial.pk]))

    assert response.status_code == 404


def test_readability_page_needs_sign_in(client, trial):
    response = client.get(reverse("letters:readability", args=[trial.pk]))

    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/sign-in/")


def public(client, trial, language="en"):
    return client.get(reverse("letters:public_results", args=[trial.pk, language]))


def test_public_page_exists_only_once_accepted_and_turned_on(client, trial, people):
    # not accepted, not turned on
    assert public(client, trial).status_code == 404
    # turned on but the lay-summary filing is only approved
    domain_letters.set_trial_letters(trial, public_results_page=True, actor=people[Role.APPROVER])
    for stage in (Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY, Stage.RESULTS):
        factories.complete_stage(trial, stage, people, ["record"])
    filing = domain.open_filing(
        trial, Stage.LAY_SUMMARY, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(filing, FilingState.APPROVED, people)
    assert public(client, trial).status_code == 404
    # accepted: published, without sign-in, in each language
    domain.mark_submitted(filing, actor=people[Role.AUTHOR])
    factories.accept_everywhere(filing, people[Role.AUTHOR])
    english, german = public(client, trial), public(client, trial, "de")
    assert (english.status_code, german.status_code) == (200, 200)
    assert '<html lang="de">' in german.content.decode()
    assert "Was waren die Ergebnisse?" in german.content.decode()
    assert "People slept well." in english.content.decode()
    # turned off again: gone
    domain_letters.set_trial_letters(trial, public_results_page=False, actor=people[Role.APPROVER])
    assert public(client, trial).status_code == 404


def test_public_page_shows_no_participant_data(client, trial, people):
    disclose(trial, people)
    domain_letters.add_letter_site(trial, code="S01", name="Leeds", contact="0113", actor=people[Role.AUTHOR])
    domain_letters.import_roster(
        trial,
        b"subject_id,site,language,arm,wants_results\nSUBJ-9917,S01,en,,yes\n",
        actor=people[Role.AUTHOR],
    )
    domain_letters.set_trial_letters(trial, public_results_page=True, actor=people[Role.APPROVER])

    html = public(client, trial).content.decode()

    assert "SUBJ-9917" not in html
    assert "Leeds" not in html


def test_public_page_for_an_unknown_language_or_trial_is_404(client, trial, people):
    disclose(trial, people)
    domain_letters.set_trial_letters(trial, public_results_page=True, actor=people[Role.APPROVER])

    assert public(client, trial, "fr").status_code == 404
    assert client.get(reverse("letters:public_results", args=[trial.pk + 999, "en"])).status_code == 404


def test_author_imports_a_roster_and_downloads_the_letters_of_a_site(
    client, trial, people, django_capture_on_commit_callbacks
):
    disclose(trial, people)
    domain_letters.add_letter_site(trial, code="S01", name="Leeds", contact="0113", actor=people[Role.AUTHOR])
    client.force_login(people[Role.AUTHOR])
    url = reverse("letters:letters", args=[trial.pk])
    roster = SimpleUploadedFile(
        "roster.csv", b"subject_id,site,language,arm,wants_results\nP-1,S01,en,,yes\n"
    )

    imported = client.post(url, {"action": "import", "roster": roster})
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"action": "start"})
    page = client.get(url)

    assert (imported.status_code, started.status_code, page.status_code) == (200, 302, 200)
    job = LetterJob.objects.get(trial=trial)
    progress = client.get(reverse("letters:job_progress", args=[trial.pk, job.pk])).json()
    assert progress == {"state": "done", "total": 1, "done": 1, "failed": 0, "error": ""}
    pack = client.get(reverse("letters:site_pack", args=[trial.pk, job.pk, "S01"]))
    assert (pack.status_code, pack["Content-Type"]) == (200, "application/pdf")
    assert (
        "Your participant reference: P-1" in pypdf.PdfReader(io.BytesIO(pack.content)).pages[0].extract_text()
    )


def test_a_wrong_roster_row_is_shown_with_its_row(client, trial, people):
    domain_letters.add_letter_site(trial, code="S01", name="Leeds", contact="0113", actor=people[Role.AUTHOR])
    client.force_login(people[Role.AUTHOR])
    roster = SimpleUploadedFile(
        "roster.csv", b"subject_id,site,language,arm,wants_results\nP-1,S09,en,,yes\n"
    )

    response = client.post(
        reverse("letters:letters", args=[trial.pk]), {"action": "import", "roster": roster}
    )

    assert response.status_code == 400
    assert (
        "Row 2, column site: unknown site “S09” (known: S01) (roster.site_unknown)"
        in response.content.decode()
    )


def test_another_organizations_letters_and_downloads_are_404(client, trial, people):
    outsider = factories.make_user("outsider", org=factories.make_org("Sponsor B"), roles=(Role.ADMIN,))
    client.force_login(outsider)

    responses = [
        client.get(reverse("letters:letters", args=[trial.pk])),
        client.get(reverse("letters:archive", args=[trial.pk, 1])),
        client.get(reverse("letters:job_progress", args=[trial.pk, 1])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
