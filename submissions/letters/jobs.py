"""Running a letter job (issue 12; DESIGN section 8): chunked, progress saved per chunk, idempotent.

Per language, the shared pages are rendered once; covers are rendered per chunk of participants in one
document and each letter is assembled from its cover and the shared pages. A letter that cannot be made
(its language has no wording, say) keeps its error and the others go on; a template or font problem
stops the job with its message and keeps every letter already made. Re-running a job makes only the
letters still missing and then rebuilds the site packs and the zip, which come out byte for byte the
same.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from collections.abc import Iterator, Sequence
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from submissions.audit import record_event
from submissions.domain.letters import announce_letter_job_finished
from submissions.enums import AuditEventType
from submissions.letters.enums import LETTER_CHUNK, LetterJobState
from submissions.letters.models import Letter, LetterJob, LetterSettings, Participant, Site, SitePack
from submissions.letters.render import (
    Branding,
    CoverData,
    LanguageRun,
    LetterError,
    TemplateProblem,
    merge_letters,
)

logger = logging.getLogger(__name__)
# A fixed time inside the zip: the same letters give the same archive.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def branding_for(job: LetterJob) -> Branding:
    settings = LetterSettings.objects.filter(organization_id=job.trial.organization_id).first()
    if settings is None:
        return Branding(sponsor=job.trial.organization.name)
    return Branding(
        sponsor=job.trial.organization.name,
        colour=settings.brand_colour,
        logo_png=bytes(settings.logo_png),
        page_size=settings.page_size,
    )


def _chunks(items: Sequence[Participant], size: int) -> Iterator[Sequence[Participant]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cover(participant: Participant) -> CoverData:
    return CoverData(
        subject_id=participant.subject_id,
        language=participant.language,
        arm=participant.arm,
        site_name=participant.site.name,
        site_contact=participant.site.contact,
    )


def _save_chunk(job: LetterJob, results: list[tuple[Participant, bytes, str]]) -> None:
    with transaction.atomic():
        for participant, pdf, error in results:
            Letter.objects.update_or_create(
                job=job,
                participant=participant,
                defaults={
                    "pdf": pdf,
                    "sha256": hashlib.sha256(pdf).hexdigest() if pdf else "",
                    "error": error,
                },
            )
        letters = Letter.objects.filter(job=job)
        job.done = letters.exclude(sha256="").count()
        job.failed = letters.filter(sha256="").count()
        job.save(update_fields=["done", "failed"])


def _make_language(
    job: LetterJob, language: str, participants: Sequence[Participant], branding: Branding
) -> None:
    try:
        run = LanguageRun(
            job.record_version.content,
            language,
            [_cover(p) for p in participants],
            branding,
            job.trial.reference,
        )
    except LetterError as error:
        _save_chunk(job, [(p, b"", error.message) for p in participants])
        return
    for chunk in _chunks(participants, LETTER_CHUNK):
        by_subject = {p.subject_id: p for p in chunk}
        results: list[tuple[Participant, bytes, str]] = []
        for cover, made in run.chunk([_cover(p) for p in chunk]):
            participant = by_subject[cover.subject_id]
            if isinstance(made, Exception):
                logger.error("Letter for %s failed: %s", cover.subject_id, made)
                results.append((participant, b"", f"The letter could not be assembled: {made}"))
            else:
                results.append((participant, made, ""))
        _save_chunk(job, results)


def _build_outputs(job: LetterJob) -> None:
    """One print-ready PDF per site and a zip of every letter and pack, from the letters made so far."""
    letters = list(
        Letter.objects.filter(job=job)
        .exclude(sha256="")
        .select_related("participant__site")
        .order_by("participant__site__code", "participant__subject_id")
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for site_id, group in groupby(letters, key=lambda letter: letter.participant.site_id):
            site_letters = list(group)
            site: Site = site_letters[0].participant.site
            pack = merge_letters(bytes(letter.pdf) for letter in site_letters)
            SitePack.objects.update_or_create(
                job=job, site_id=site_id, defaults={"pdf": pack, "letters": len(site_letters)}
            )
            for letter in site_letters:
                info = zipfile.ZipInfo(f"{site.code}/{letter.participant.subject_id}.pdf", ZIP_TIME)
                zipped.writestr(info, bytes(letter.pdf), compress_type=zipfile.ZIP_DEFLATED)
            info = zipfile.ZipInfo(f"{site.code}/all-letters-{site.code}.pdf", ZIP_TIME)
            zipped.writestr(info, pack, compress_type=zipfile.ZIP_DEFLATED)
    job.archive = archive.getvalue()
    job.save(update_fields=["archive"])


def run_letter_job(job_id: int) -> dict[str, object]:
    """Make the job's missing letters, then its site packs and zip. Returns the job's counts."""
    job = LetterJob.objects.select_related("trial__organization", "record_version").get(pk=job_id)
    job.state = LetterJobState.RUNNING
    job.error = ""
    job.save(update_fields=["state", "error"])
    made = set(Letter.objects.filter(job=job).exclude(sha256="").values_list("participant_id", flat=True))
    wanted = list(
        Participant.objects.filter(trial=job.trial, wants_results=True)
        .exclude(pk__in=made)
        .select_related("site")
        .order_by("language", "site__code", "subject_id")
    )
    branding = branding_for(job)
    try:
        for language, group in groupby(wanted, key=lambda p: p.language):
            _make_language(job, language, list(group), branding)
    except TemplateProblem as problem:
        job.state = LetterJobState.FAILED
        job.error = problem.message
    except Exception as error:
        # Never leave a job "running" forever: what was made stays, the operators get the traceback.
        logger.exception("Letter job %s stopped", job.pk)
        job.state = LetterJobState.FAILED
        job.error = f"Letter generation stopped unexpectedly: {error!r}"
    else:
        job.state = LetterJobState.DONE_WITH_ERRORS if job.failed else LetterJobState.DONE
    _build_outputs(job)
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["state", "error", "finished_at"])
        record_event(
            AuditEventType.LETTER_JOB_FINISHED,
            trial=job.trial,
            data={"job": job.pk, "state": job.state, "done": job.done, "failed": job.failed},
        )
        announce_letter_job_finished(job)
    return {"job": job.pk, "state": job.state, "done": job.done, "failed": job.failed, "total": job.total}
