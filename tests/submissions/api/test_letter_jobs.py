"""Letter jobs through the API (issue 12 item 5): start one (idempotent, one unfinished job per trial),
follow its progress, download a site's PDF and the zip; refusals are problems that change nothing; the
end of a job is a ``job.finished`` webhook event."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User

from submissions.domain import letters as domain_letters
from submissions.domain.webhooks import create_webhook_endpoint
from submissions.enums import Role
from submissions.letters.jobs import run_letter_job
from submissions.letters.models import LetterJob, SitePack
from submissions.models import Organization, Trial, WebhookDelivery
from tests.submissions import factories
from tests.submissions.api.conftest import Api
from tests.submissions.letters.factories import add_sites, csv_bytes, disclose, letters_record

pytestmark = pytest.mark.django_db

ROSTER = csv_bytes("P-001,S01,en,Placebo,yes", "P-002,S02,de,Placebo,yes", "P-003,S02,en,,no")


@pytest.fixture
def letters_trial(api_org: Organization, api_people: dict[str, User]) -> Trial:
    """A disclosed trial with two sites and a roster of which two participants asked for results."""
    trial = factories.make_trial(api_org, api_people[Role.AUTHOR], letters_record(), reference="LET-API")
    disclose(trial, api_people)
    add_sites(trial, api_people)
    domain_letters.set_trial_letters(trial, unblinded=True, actor=api_people[Role.APPROVER])
    domain_letters.import_roster(trial, ROSTER, actor=api_people[Role.AUTHOR])
    return trial


def _path(trial: Trial, rest: str = "") -> str:
    return f"/api/v1/trials/{trial.pk}/letter-jobs{rest}"


def test_a_started_job_reports_progress_then_its_downloads(
    rw: Api, letters_trial: Trial, django_capture_on_commit_callbacks: Any
) -> None:
    # when a job is started and its task runs
    with django_capture_on_commit_callbacks(execute=True):
        started = rw.call("POST", _path(letters_trial))
    job = LetterJob.objects.get(trial=letters_trial)
    read = rw.get(started["Location"]).json()
    # then the start answered the queued job, and reading it shows it done with a PDF per site and a zip
    assert (started.status_code, started["Location"]) == (202, _path(letters_trial, f"/{job.pk}"))
    assert {k: started.json()[k] for k in ("id", "state", "total", "done", "failed", "archive")} == {
        "id": job.pk,
        "state": "queued",
        "total": 2,
        "done": 0,
        "failed": 0,
        "archive": None,
    }
    assert {k: read[k] for k in ("state", "total", "done", "failed", "error", "failures", "archive")} == {
        "state": "done",
        "total": 2,
        "done": 2,
        "failed": 0,
        "error": "",
        "failures": [],
        "archive": _path(letters_trial, f"/{job.pk}/letters.zip"),
    }
    assert read["record_sha256"] == job.record_version.sha256
    assert read["sites"] == [
        {
            "site": "S01",
            "name": "Leeds Clinic",
            "letters": 1,
            "download": _path(letters_trial, f"/{job.pk}/sites/S01.pdf"),
        },
        {
            "site": "S02",
            "name": "Klinik Wien",
            "letters": 1,
            "download": _path(letters_trial, f"/{job.pk}/sites/S02.pdf"),
        },
    ]


def test_a_sites_pdf_and_the_zip_download_as_made(
    rw: Api, letters_trial: Trial, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rw.call("POST", _path(letters_trial))
    job = LetterJob.objects.get(trial=letters_trial)

    pdf = rw.get(_path(letters_trial, f"/{job.pk}/sites/S02.pdf"))
    archive = rw.get(_path(letters_trial, f"/{job.pk}/letters.zip"))

    assert (pdf.status_code, pdf["Content-Type"], archive.status_code, archive["Content-Type"]) == (
        200,
        "application/pdf",
        200,
        "application/zip",
    )
    assert pdf.content == bytes(SitePack.objects.get(job=job, site__code="S02").pdf)
    assert sorted(zipfile.ZipFile(io.BytesIO(archive.content)).namelist()) == [
        "S01/P-001.pdf",
        "S01/all-letters-S01.pdf",
        "S02/P-002.pdf",
        "S02/all-letters-S02.pdf",
    ]


def test_the_list_shows_the_trials_jobs_newest_first(
    rw: Api, letters_trial: Trial, api_people: dict[str, User]
) -> None:
    first = domain_letters.start_letter_job(letters_trial, actor=api_people[Role.AUTHOR])
    LetterJob.objects.filter(pk=first.pk).update(state="failed")
    second = domain_letters.start_letter_job(letters_trial, actor=api_people[Role.AUTHOR])

    listing = rw.get(_path(letters_trial)).json()

    assert (listing["count"], [job["id"] for job in listing["results"]]) == (2, [second.pk, first.pk])


def test_starting_while_a_job_is_unfinished_answers_that_job(
    rw: Api, letters_trial: Trial, api_people: dict[str, User]
) -> None:
    running = domain_letters.start_letter_job(letters_trial, actor=api_people[Role.AUTHOR])

    again = rw.call("POST", _path(letters_trial))

    assert (again.status_code, again.json()["id"], LetterJob.objects.count()) == (200, running.pk, 1)


def test_the_same_idempotency_key_replays_the_first_answer(rw: Api, letters_trial: Trial) -> None:
    first = rw.call("POST", _path(letters_trial), Idempotency_Key="letters-1")
    second = rw.call("POST", _path(letters_trial), Idempotency_Key="letters-1")

    assert (first.status_code, second.status_code, second["Idempotent-Replayed"]) == (202, 202, "true")
    assert second.json() == first.json()
    assert LetterJob.objects.count() == 1


@pytest.mark.parametrize(
    ("prepare", "status", "code"),
    [
        ("nobody_asked", 422, "letters.nobody_asked"),
        ("not_approved", 422, "letters.lay_summary_not_approved"),
    ],
)
def test_a_job_that_cannot_start_is_a_problem_and_nothing_is_made(
    rw: Api, api_org: Organization, api_people: dict[str, User], prepare: str, status: int, code: str
) -> None:
    trial = factories.make_trial(api_org, api_people[Role.AUTHOR], letters_record(), reference="LET-NO")
    add_sites(trial, api_people)
    if prepare == "nobody_asked":
        disclose(trial, api_people)
        domain_letters.import_roster(trial, csv_bytes("P-001,S01,en,,no"), actor=api_people[Role.AUTHOR])
    else:
        domain_letters.import_roster(trial, csv_bytes("P-001,S01,en,,yes"), actor=api_people[Role.AUTHOR])

    answer = rw.call("POST", _path(trial))

    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert LetterJob.objects.count() == 0


def test_a_read_only_key_cannot_start_a_job(ro: Api, letters_trial: Trial) -> None:
    answer = ro.call("POST", _path(letters_trial))

    assert answer.status_code == 403
    assert LetterJob.objects.count() == 0


def test_unknown_job_site_and_an_unfinished_zip_answer_404_problems(
    rw: Api, letters_trial: Trial, api_people: dict[str, User]
) -> None:
    queued = domain_letters.start_letter_job(letters_trial, actor=api_people[Role.AUTHOR])

    answers = [
        rw.get(_path(letters_trial, "/999999")),
        rw.get(_path(letters_trial, f"/{queued.pk}/letters.zip")),
        rw.get(_path(letters_trial, f"/{queued.pk}/sites/S99.pdf")),
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [
        (404, "letters.job_not_found"),
        (404, "letters.archive_not_ready"),
        (404, "letters.site_pack_not_found"),
    ]


def test_the_end_of_a_job_is_a_job_finished_event(
    letters_trial: Trial, api_org: Organization, api_people: dict[str, User]
) -> None:
    create_webhook_endpoint(
        api_org, url="https://example.invalid/hook", events=["job.finished"], actor=api_people[Role.AUTHOR]
    )
    job = domain_letters.start_letter_job(letters_trial, actor=api_people[Role.AUTHOR])

    run_letter_job(job.pk)

    delivery = WebhookDelivery.objects.get(event_type="job.finished")
    assert delivery.payload["data"] == {
        "job": {
            "id": job.pk,
            "kind": "letters",
            "status": "done",
            "trial": letters_trial.pk,
            "counts": {"total": 2, "done": 2, "failed": 0},
        }
    }
