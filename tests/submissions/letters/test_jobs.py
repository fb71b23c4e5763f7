"""Letter jobs: tagged letters with the expected text, site packs, zip, idempotent re-runs, isolation of a
failing letter, and a template problem that fails the job but keeps what was made."""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import pypdf
import pytest

from registries.enums import LAY_SUMMARY_SECTIONS
from submissions.domain import letters as domain_letters
from submissions.enums import AuditEventType, Role
from submissions.errors import DomainError
from submissions.letters.enums import LetterJobState
from submissions.letters.jobs import run_letter_job
from submissions.letters.models import Letter, LetterJob, Participant, SitePack
from submissions.models import AuditEvent
from tests.submissions import factories
from tests.submissions.letters.factories import add_sites, csv_bytes, disclose, letters_record

ROSTER = csv_bytes(
    "P-001,S01,en,Placebo,yes",
    "P-002,S01,en,Trelanoxib 40 mg,yes",
    "P-003,S02,de,Placebo,yes",
    "P-004,S02,en,,no",
)


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def is_tagged(content: bytes) -> bool:
    """A tagged PDF: the catalog has a structure tree and MarkInfo /Marked true (ISO 32000-1, 14.7)."""
    root: Any = pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]
    return "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])


def make_trial(org, people, record=None):
    trial = factories.make_trial(org, people[Role.AUTHOR], record or letters_record(), reference="LET-1")
    disclose(trial, people)
    add_sites(trial, people)
    domain_letters.set_trial_letters(trial, unblinded=True, actor=people[Role.APPROVER])
    return trial


def start(trial, people, capture):
    with capture(execute=True):
        job = domain_letters.start_letter_job(trial, actor=people[Role.AUTHOR])
    job.refresh_from_db()
    return job


@pytest.fixture
def trial(org, people):
    trial = make_trial(org, people)
    domain_letters.import_roster(trial, ROSTER, actor=people[Role.AUTHOR])
    return trial


def test_job_makes_tagged_letters_with_the_expected_text(trial, people, django_capture_on_commit_callbacks):
    job = start(trial, people, django_capture_on_commit_callbacks)

    assert (job.state, job.total, job.done, job.failed, job.error) == (LetterJobState.DONE, 3, 3, 0, "")
    letters = {letter.participant.subject_id: bytes(letter.pdf) for letter in Letter.objects.filter(job=job)}
    assert sorted(letters) == ["P-001", "P-002", "P-003"]
    assert all(is_tagged(pdf) for pdf in letters.values())
    english = pdf_text(letters["P-002"])
    assert "Your participant reference: P-002" in english[0]
    assert "In this trial you were in the group that received: Trelanoxib 40 mg." in english[0]
    assert "0113 000 0000, leeds@example.org" in english[0]
    summary = trial.head.content["laySummaries"][0]["sections"]["overallResults"].split(".")[0]
    assert " ".join(summary.split()[:4]) in " ".join(" ".join(english[1:]).split())
    german = pdf_text(letters["P-003"])
    assert "Ihre Teilnehmerkennung: P-003" in german[0]
    assert "Abschnitt overallResults in einfachen Worten." in " ".join(german[1:])


def test_job_makes_one_pack_per_site_and_a_zip_of_all(trial, people, django_capture_on_commit_callbacks):
    job = start(trial, people, django_capture_on_commit_callbacks)

    packs = {pack.site.code: pack for pack in SitePack.objects.filter(job=job)}
    pages = {
        letter.participant.subject_id: len(pdf_text(bytes(letter.pdf)))
        for letter in Letter.objects.filter(job=job)
    }
    assert {code: pack.letters for code, pack in packs.items()} == {"S01": 2, "S02": 1}
    assert len(pdf_text(bytes(packs["S01"].pdf))) == pages["P-001"] + pages["P-002"]
    assert is_tagged(bytes(packs["S01"].pdf))
    names = zipfile.ZipFile(io.BytesIO(bytes(job.archive))).namelist()
    assert sorted(names) == [
        "S01/P-001.pdf",
        "S01/P-002.pdf",
        "S01/all-letters-S01.pdf",
        "S02/P-003.pdf",
        "S02/all-letters-S02.pdf",
    ]


def test_rerunning_a_job_changes_nothing(trial, people, django_capture_on_commit_callbacks):
    job = start(trial, people, django_capture_on_commit_callbacks)
    before = dict(Letter.objects.filter(job=job).values_list("participant__subject_id", "sha256"))
    archive = bytes(job.archive)

    result = run_letter_job(job.pk)

    job.refresh_from_db()
    assert result == {"job": job.pk, "state": LetterJobState.DONE, "done": 3, "failed": 0, "total": 3}
    assert dict(Letter.objects.filter(job=job).values_list("participant__subject_id", "sha256")) == before
    assert bytes(job.archive) == archive
    assert Letter.objects.count() == 3


def test_a_letter_that_cannot_be_made_does_not_lose_the_others(
    org, people, django_capture_on_commit_callbacks
):
    # given an approved record with a Finnish lay summary, a language letters have no wording for, and a
    # participant in it (saved directly: the roster import now refuses such a row, so only a participant
    # kept from before a wording was withdrawn can reach the job)
    record = letters_record()
    finnish = copy.deepcopy(record["laySummaries"][1])
    finnish["language"] = "fi"
    finnish["sections"] = {name: f"Osio {name} selkokielellä." for name in LAY_SUMMARY_SECTIONS}
    record["laySummaries"].append(finnish)
    trial = make_trial(org, people, record)
    domain_letters.import_roster(
        trial,
        csv_bytes("P-001,S01,en,,yes", "P-002,S01,en,,yes", "P-003,S02,de,,yes"),
        actor=people[Role.AUTHOR],
    )
    Participant.objects.filter(trial=trial, subject_id="P-002").update(language="fi")

    job = start(trial, people, django_capture_on_commit_callbacks)

    assert (job.state, job.done, job.failed) == (LetterJobState.DONE_WITH_ERRORS, 2, 1)
    errors = dict(Letter.objects.filter(job=job).values_list("participant__subject_id", "error"))
    assert errors == {
        "P-001": "",
        "P-002": "Letters have no wording in “fi” yet (submissions/letters/wording.py).",
        "P-003": "",
    }
    assert sorted(zipfile.ZipFile(io.BytesIO(bytes(job.archive))).namelist()) == [
        "S01/P-001.pdf",
        "S01/all-letters-S01.pdf",
        "S02/P-003.pdf",
        "S02/all-letters-S02.pdf",
    ]


def test_a_template_problem_fails_the_job_and_keeps_what_was_made(
    trial, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    # given a sponsor's English template override that does not compile (German letters come first)
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "shared.en.html").write_text("{% no_such_tag %}", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    job = start(trial, people, django_capture_on_commit_callbacks)

    assert (job.state, job.done, job.failed) == (LetterJobState.FAILED, 1, 0)
    assert job.error.startswith("The letter template letters/shared.html (en) failed: Invalid block tag")
    made = sorted(Letter.objects.filter(job=job).values_list("participant__subject_id", flat=True))
    assert made == ["P-003"]
    assert zipfile.ZipFile(io.BytesIO(bytes(job.archive))).namelist() == [
        "S02/P-003.pdf",
        "S02/all-letters-S02.pdf",
    ]
    finished = AuditEvent.objects.filter(event_type=AuditEventType.LETTER_JOB_FINISHED).get()
    assert finished.data == {"job": job.pk, "state": "failed", "done": 1, "failed": 0}


def test_letters_need_an_approved_lay_summary(org, people):
    trial = factories.make_trial(org, people[Role.AUTHOR], letters_record(), reference="LET-2")

    with pytest.raises(DomainError) as raised:
        domain_letters.start_letter_job(trial, actor=people[Role.AUTHOR])

    assert raised.value.code == "letters.lay_summary_not_approved"
    assert not LetterJob.objects.exists()


def test_starting_while_a_job_is_unfinished_returns_that_job(trial, people):
    first = domain_letters.start_letter_job(trial, actor=people[Role.AUTHOR])

    second = domain_letters.start_letter_job(trial, actor=people[Role.AUTHOR])

    assert second == first
    assert AuditEvent.objects.filter(event_type=AuditEventType.LETTER_JOB_STARTED).count() == 1
