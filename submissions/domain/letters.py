"""Domain services for lay summaries and participant result letters (issue 12): sites, roster import,
per-trial and per-organization settings, starting a letter job. Each writes one audit event."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from registries.laysummary.checks import LaySummaryReport, check_lay_summary
from registries.laysummary.pdf import Branding
from submissions.audit import record_event
from submissions.domain._access import require_role
from submissions.enums import AuditEventType, FilingState, Role, Stage, WebhookEvent
from submissions.errors import DomainError
from submissions.letters.enums import FINISHED_JOB_STATES, LetterJobState
from submissions.letters.models import (
    Letter,
    LetterJob,
    LetterSettings,
    Participant,
    Site,
    SitePack,
    TrialLetters,
)
from submissions.letters.roster import RosterContext, parse_roster
from submissions.models import Filing, Organization, RecordVersion, Trial

WRITERS = (Role.AUTHOR, Role.ADMIN)
PUBLISHERS = (Role.APPROVER, Role.ADMIN)


@dataclass(frozen=True)
class RosterImport:
    created: int
    updated: int


def letter_settings(organization: Organization) -> LetterSettings:
    """The organization's settings, or the defaults (unsaved) when it never changed them."""
    found = LetterSettings.objects.filter(organization=organization).first()
    return found or LetterSettings(organization=organization)


def pdf_branding(organization: Organization) -> Branding:
    """The branding of the organization's lay-summary PDFs (the payloads of the lay-summary stage for
    CTIS, ISRCTN and the sites): its name, and the logo, colour and page size of its letter settings."""
    settings = letter_settings(organization)
    return Branding(
        organisation_name=organization.name,
        accent_colour=settings.brand_colour,
        logo_png=bytes(settings.logo_png or b""),
        page_size=settings.page_size,
    )


def trial_letters(trial: Trial) -> TrialLetters:
    found = TrialLetters.objects.filter(trial=trial).first()
    return found or TrialLetters(trial=trial)


def _record(trial: Trial) -> dict[str, Any]:
    content = trial.head.content if trial.head is not None else None
    return content if isinstance(content, dict) else {}


def lay_summary_languages(record: dict[str, Any]) -> tuple[str, ...]:
    summaries = record.get("laySummaries")
    if not isinstance(summaries, list):
        return ()
    return tuple(
        s["language"] for s in summaries if isinstance(s, dict) and isinstance(s.get("language"), str)
    )


def arm_labels(record: dict[str, Any]) -> frozenset[str]:
    module = (record.get("protocolSection") or {}).get("armsInterventionsModule") or {}
    groups = module.get("armGroups") if isinstance(module, dict) else None
    if not isinstance(groups, list):
        return frozenset()
    return frozenset(g["label"] for g in groups if isinstance(g, dict) and isinstance(g.get("label"), str))


def lay_summary_reports(trial: Trial) -> list[LaySummaryReport]:
    """The plain-language report of each lay summary in the trial's current record, scored against the
    organization's target grade and sentence limit."""
    settings = letter_settings(trial.organization)
    summaries = _record(trial).get("laySummaries")
    if not isinstance(summaries, list):
        return []
    return [
        check_lay_summary(
            summary,
            index=i,
            target_grade=settings.target_grade,
            sentence_word_limit=settings.sentence_word_limit,
        )
        for i, summary in enumerate(summaries)
        if isinstance(summary, dict)
    ]


def lay_summary_accepted(trial: Trial) -> bool:
    """Whether a lay-summary filing of the trial was accepted by its registries."""
    return Filing.objects.filter(trial=trial, stage=Stage.LAY_SUMMARY, accepted_at__isnull=False).exists()


def approved_lay_summary_version(trial: Trial) -> RecordVersion | None:
    """The record version of the trial's latest approved (or since submitted or accepted) lay-summary
    filing: the version its approver signed, which letters and the public page show."""
    filing = (
        Filing.objects.filter(
            trial=trial,
            stage=Stage.LAY_SUMMARY,
            state__in=(FilingState.APPROVED, FilingState.SUBMITTED, FilingState.ACCEPTED),
            pinned_version__isnull=False,
        )
        .select_related("pinned_version")
        .order_by("-approved_at", "-pk")
        .first()
    )
    return filing.pinned_version if filing else None


def published_lay_summary(trial_pk: int, language: str) -> tuple[Trial, dict[str, Any], list[str]] | None:
    """The lay summary in ``language`` of the trial's accepted lay-summary filing, when the sponsor
    turned the public results page on: the trial, the summary and every language published. ``None``
    otherwise (the page then does not exist)."""
    trial = Trial.objects.select_related("organization").filter(pk=trial_pk).first()
    if trial is None or not trial_letters(trial).public_results_page:
        return None
    filing = (
        Filing.objects.filter(trial=trial, stage=Stage.LAY_SUMMARY, accepted_at__isnull=False)
        .exclude(pinned_version=None)
        .select_related("pinned_version")
        .order_by("-accepted_at", "-pk")
        .first()
    )
    if filing is None or filing.pinned_version is None:
        return None
    record = filing.pinned_version.content if isinstance(filing.pinned_version.content, dict) else {}
    languages = list(lay_summary_languages(record))
    for summary in record.get("laySummaries") or []:
        if isinstance(summary, dict) and str(summary.get("language", "")).lower() == language.lower():
            return trial, summary, languages
    return None


@transaction.atomic
def add_letter_site(trial: Trial, *, code: str, name: str, contact: str, actor: Any) -> Site:
    """Add a site participants can be assigned to. Authors and admins. Refuses an empty or used code
    (``letters.site_code_required``, ``letters.site_code_taken``)."""
    require_role(actor, trial.organization, WRITERS, "add a site")
    code = code.strip()
    if not code:
        raise DomainError("letters.site_code_required", "Give the site a code.")
    if Site.objects.filter(trial=trial, code=code).exists():
        raise DomainError("letters.site_code_taken", f"The trial already has a site “{code}”.")
    site = Site.objects.create(trial=trial, code=code, name=name.strip() or code, contact=contact.strip())
    record_event(AuditEventType.LETTER_SITE_ADDED, actor=actor, trial=trial, data={"site": code})
    return site


def letter_sites(trial: Trial) -> list[Site]:
    """The trial's sites in code order, each with ``participant_count`` (how many of the roster it has)."""
    return list(
        Site.objects.filter(trial=trial).annotate(participant_count=Count("participants")).order_by("code")
    )


@transaction.atomic
def change_letter_site(site: Site, *, name: str, contact: str, actor: Any) -> Site:
    """Change how participants know and reach a site: its name and contact, printed in their letters
    from the next job on. Authors and admins. The code stays: rosters and the letter zip name the site
    by it. Refuses an empty name (``letters.site_name_required``); a change to nothing writes nothing."""
    trial = site.trial
    require_role(actor, trial.organization, WRITERS, "change a site")
    locked = Site.objects.select_for_update().get(pk=site.pk)
    name, contact = name.strip(), contact.strip()
    if not name:
        raise DomainError("letters.site_name_required", "Give the site a name participants know it by.")
    changed = [
        field for field, value in (("name", name), ("contact", contact)) if getattr(locked, field) != value
    ]
    if not changed:
        return locked
    locked.name, locked.contact = name, contact
    locked.save(update_fields=changed)
    record_event(
        AuditEventType.LETTER_SITE_CHANGED,
        actor=actor,
        trial=trial,
        data={"site": locked.code, "changed": changed},
    )
    return locked


@transaction.atomic
def import_roster(trial: Trial, data: bytes, *, actor: Any) -> RosterImport:
    """Import a roster CSV: each row adds a participant or updates the one with its subject id. Authors
    and admins. Any wrong row refuses the whole file (``roster.invalid`` with every row's error) and
    nothing is saved. The audit event names the file's SHA-256 and counts, never its rows."""
    require_role(actor, trial.organization, WRITERS, "import a roster")
    locked = Trial.objects.select_for_update().get(pk=trial.pk)
    record = _record(locked)
    sites = {site.code: site for site in Site.objects.filter(trial=locked)}
    context = RosterContext(
        sites=frozenset(sites),
        languages=lay_summary_languages(record),
        arms=arm_labels(record),
        unblinded=trial_letters(locked).unblinded,
    )
    rows = parse_roster(data, context)
    existing = {p.subject_id: p for p in Participant.objects.filter(trial=locked)}
    created = updated = 0
    for row in rows:
        values = {
            "site": sites[row.site],
            "language": row.language,
            "arm": row.arm,
            "wants_results": row.wants_results,
        }
        participant = existing.get(row.subject_id)
        if participant is None:
            Participant.objects.create(trial=locked, subject_id=row.subject_id, **values)
            created += 1
        elif any(getattr(participant, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(participant, key, value)
            participant.save()
            updated += 1
    record_event(
        AuditEventType.ROSTER_IMPORTED,
        actor=actor,
        trial=locked,
        data={
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(rows),
            "created": created,
            "updated": updated,
        },
    )
    return RosterImport(created=created, updated=updated)


@transaction.atomic
def set_letter_settings(
    organization: Organization,
    *,
    actor: Any,
    target_grade: int | None = None,
    sentence_word_limit: int | None = None,
    brand_colour: str | None = None,
    logo_png: bytes | None = None,
    page_size: str | None = None,
) -> LetterSettings:
    """Change the organization's readability target and branding (colour, PNG logo, page size of the
    PDFs). Admins. A value outside its range is refused (``letters.setting_invalid``) and nothing
    changes; ``logo_png=b""`` removes the logo."""
    from django.core.exceptions import ValidationError

    require_role(actor, organization, (Role.ADMIN,), "change lay summary settings")
    settings, _ = LetterSettings.objects.select_for_update().get_or_create(organization=organization)
    changed: dict[str, Any] = {}
    for name, value in (
        ("target_grade", target_grade),
        ("sentence_word_limit", sentence_word_limit),
        ("brand_colour", brand_colour),
        ("page_size", page_size),
    ):
        if value is not None and getattr(settings, name) != value:
            setattr(settings, name, value)
            changed[name] = value
    if logo_png is not None:
        if logo_png and not logo_png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise DomainError("letters.setting_invalid", "The logo must be a PNG image.")
        settings.logo_png = logo_png
        changed["logo_sha256"] = hashlib.sha256(logo_png).hexdigest()
    try:
        settings.full_clean()
    except ValidationError as error:
        raise DomainError("letters.setting_invalid", "; ".join(error.messages)) from None
    settings.save()
    record_event(AuditEventType.LETTER_SETTINGS_CHANGED, actor=actor, organization=organization, data=changed)
    return settings


@transaction.atomic
def set_trial_letters(
    trial: Trial,
    *,
    actor: Any,
    unblinded: bool | None = None,
    public_results_page: bool | None = None,
) -> TrialLetters:
    """Record that the trial is unblinded and/or turn its public results page on or off. Approvers and
    admins (the sponsor's decision). Once unblinded a trial cannot be blinded again
    (``letters.already_unblinded``): letters may already name arms."""
    require_role(actor, trial.organization, PUBLISHERS, "change a trial's letter settings")
    settings, _ = TrialLetters.objects.select_for_update().get_or_create(trial=trial)
    changed: dict[str, Any] = {}
    if unblinded is not None and unblinded != settings.unblinded:
        if not unblinded:
            raise DomainError(
                "letters.already_unblinded", "The trial is unblinded; it cannot be blinded again."
            )
        settings.unblinded = True
        changed["unblinded"] = True
    if public_results_page is not None and public_results_page != settings.public_results_page:
        settings.public_results_page = public_results_page
        changed["public_results_page"] = public_results_page
    settings.save()
    record_event(AuditEventType.LETTER_SETTINGS_CHANGED, actor=actor, trial=trial, data=changed)
    return settings


@transaction.atomic
def start_letter_job(trial: Trial, *, actor: Any) -> LetterJob:
    """Start generating the letters of every participant who asked for results. Authors and admins.

    Needs an approved lay-summary filing, whose signed record version the letters carry
    (``letters.lay_summary_not_approved``), and at least one participant who asked
    (``letters.nobody_asked``). While a job of the trial is unfinished, that job is returned instead of
    a second one. The task runs on commit."""
    require_role(actor, trial.organization, WRITERS, "generate letters")
    locked = Trial.objects.select_for_update().get(pk=trial.pk)
    running = LetterJob.objects.filter(trial=locked).exclude(state__in=FINISHED_JOB_STATES).first()
    if running is not None:
        return running
    version = approved_lay_summary_version(locked)
    if version is None:
        raise DomainError(
            "letters.lay_summary_not_approved",
            "Letters carry the approved lay summary: its filing must be approved first.",
        )
    total = Participant.objects.filter(trial=locked, wants_results=True).count()
    if not total:
        raise DomainError("letters.nobody_asked", "No participant of the roster asked to receive results.")
    job = LetterJob.objects.create(
        trial=locked, record_version=version, total=total, state=LetterJobState.QUEUED, started_by=actor
    )
    record_event(
        AuditEventType.LETTER_JOB_STARTED, actor=actor, trial=locked, data={"job": job.pk, "letters": total}
    )
    job_id = job.pk

    def enqueue() -> None:
        from submissions.letters.tasks import generate_letters

        generate_letters.delay(job_id)

    transaction.on_commit(enqueue)
    return job


# Reading letter jobs (the web page and the API show the same things).


def letter_jobs(trial: Trial) -> QuerySet[LetterJob]:
    """The trial's letter jobs, newest first, without their zip bytes."""
    return (
        LetterJob.objects.filter(trial=trial)
        .select_related("record_version", "started_by")
        .defer("archive")
        .order_by("-created_at", "-pk")
    )


def letter_job(trial: Trial, job_pk: int) -> LetterJob | None:
    """One letter job of the trial (with its zip), or None."""
    return (
        LetterJob.objects.filter(trial=trial, pk=job_pk)
        .select_related("record_version", "started_by")
        .first()
    )


def letter_job_running(trial: Trial) -> bool:
    """Whether a letter job of the trial is queued or running (starting another returns that one)."""
    return LetterJob.objects.filter(trial=trial).exclude(state__in=FINISHED_JOB_STATES).exists()


def site_packs(job: LetterJob) -> list[SitePack]:
    """The job's per-site PDFs (without their bytes), by site code."""
    return list(SitePack.objects.filter(job=job).select_related("site").defer("pdf").order_by("site__code"))


def site_pack(job: LetterJob, site_code: str) -> SitePack | None:
    """The job's PDF of one site, with its bytes."""
    return SitePack.objects.filter(job=job, site__code=site_code).select_related("site").first()


def failed_letters(job: LetterJob) -> list[Letter]:
    """The job's letters that could not be made, each with its reason."""
    return list(
        Letter.objects.filter(job=job, sha256="")
        .select_related("participant")
        .defer("pdf")
        .order_by("participant__subject_id")
    )


def announce_letter_job_finished(job: LetterJob) -> None:
    """Tell the organization's webhook endpoints that a letter job ended (``job.finished``, as the API's
    other jobs do). Called by the job runner inside the transaction that records the end; the delivery
    goes out once it commits. No audit event of its own: the runner's ``letters.job_finished`` is it."""
    from submissions.domain.webhooks import emit_event

    emit_event(
        job.trial.organization,
        WebhookEvent.JOB_FINISHED,
        {
            "job": {
                "id": job.pk,
                "kind": "letters",
                "status": job.state,
                "trial": job.trial_id,
                "counts": {"total": job.total, "done": job.done, "failed": job.failed},
            }
        },
    )
