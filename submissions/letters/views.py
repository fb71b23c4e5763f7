"""Pages of the lay-summary and letters feature (issue 12). Thin: scoping, a domain call, a template.

Staff pages answer 404 for a trial of another organization (DESIGN section 7). The public results page
needs no sign-in and shows only the lay summary of an accepted lay-summary filing, when the sponsor has
turned the page on; it never shows participant data.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from registries.enums import LAY_SUMMARY_SECTIONS
from registries.laysummary.checks import LaySummaryReport, split_sentences
from submissions.domain import letters as domain_letters
from submissions.errors import DomainError
from submissions.letters.enums import FINISHED_JOB_STATES
from submissions.letters.models import Letter, LetterJob, Participant, Site, SitePack
from submissions.letters.render import summary_sections
from submissions.letters.roster import RosterError
from submissions.letters.wording import WORDING, wording_for
from submissions.models import Trial
from submissions.scoping import trials_for

ANNEX_V_ITEM = {name: number for number, name in enumerate(LAY_SUMMARY_SECTIONS, start=1)}


def _scoped_trial(request: HttpRequest, trial_pk: int) -> Trial:
    return get_object_or_404(trials_for(request.user).select_related("organization"), pk=trial_pk)


def _marked_sections(summary: dict[str, Any], report: LaySummaryReport) -> list[dict[str, Any]]:
    """Each section's sentences, with those that pull the scores down marked and the reason given."""
    hard = {(s.section, s.text): s for s in report.hard_sentences}
    texts = summary.get("sections") if isinstance(summary.get("sections"), dict) else {}
    rows = []
    for name in LAY_SUMMARY_SECTIONS:
        text = texts.get(name) if isinstance(texts, dict) else None
        sentences = []
        for sentence in split_sentences(text) if isinstance(text, str) else []:
            flagged = hard.get((name, sentence))
            reasons = []
            if flagged and flagged.too_hard:
                reasons.append(f"grade {flagged.grade:g}")
            if flagged and flagged.too_long:
                reasons.append(f"{flagged.words} words")
            sentences.append({"text": sentence, "reasons": ", ".join(reasons)})
        rows.append(
            {
                "name": name,
                "item": ANNEX_V_ITEM[name],
                "heading": WORDING["en"]["sections"][name],
                "scores": report.sections.get(name),
                "sentences": sentences,
                "findings": [f for f in report.findings if f.pointer.endswith(f"/sections/{name}")],
            }
        )
    return rows


@login_required
@require_GET
def readability(request: HttpRequest, trial_pk: int) -> HttpResponse:
    """Scores of every lay summary of the trial's current record, with the sentences that pull them
    down highlighted."""
    trial = _scoped_trial(request, trial_pk)
    record = trial.head.content if trial.head is not None and isinstance(trial.head.content, dict) else {}
    raw = record.get("laySummaries")
    summaries: list[Any] = raw if isinstance(raw, list) else []
    reports = domain_letters.lay_summary_reports(trial)
    languages = []
    for summary, report in zip([s for s in summaries if isinstance(s, dict)], reports, strict=True):
        languages.append(
            {
                "report": report,
                "title": summary.get("title") or "",
                "sections": _marked_sections(summary, report),
                "general": [f for f in report.findings if "/sections/" not in f.pointer],
            }
        )
    settings = domain_letters.letter_settings(trial.organization)
    return render(
        request,
        "letters/readability.html",
        {"trial": trial, "languages": languages, "settings": settings},
    )


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


@require_GET
def public_results(request: HttpRequest, trial_pk: int, language: str) -> HttpResponse:
    """The plain-language summary as patients read it. 404 unless the sponsor turned the page on and
    the lay-summary filing was accepted; the text is the accepted version's."""
    if not _LANGUAGE_TAG.match(language):
        raise Http404
    published = domain_letters.published_lay_summary(trial_pk, language)
    if published is None:
        raise Http404
    trial, summary, languages = published
    wording = wording_for(language) or WORDING["en"]
    sections = summary_sections(summary, wording["sections"])
    return render(
        request,
        "letters/public_results.html",
        {
            "trial": trial,
            "language": summary.get("language") or language,
            "headings_language": language if wording_for(language) else "en",
            "title": summary.get("title") or trial.title,
            "sections": sections,
            "languages": [tag for tag in languages if tag.lower() != language.lower()],
            "sponsor": trial.organization.name,
        },
    )


def _letters_context(trial: Trial) -> dict[str, Any]:
    jobs = list(LetterJob.objects.filter(trial=trial).select_related("started_by")[:5])
    latest = jobs[0] if jobs else None
    return {
        "trial": trial,
        "sites": Site.objects.filter(trial=trial),
        "participants": Participant.objects.filter(trial=trial).count(),
        "asked": Participant.objects.filter(trial=trial, wants_results=True).count(),
        "jobs": jobs,
        "latest": latest,
        "running": latest is not None and latest.state not in FINISHED_JOB_STATES,
        "packs": SitePack.objects.filter(job=latest).select_related("site") if latest else [],
        "failures": Letter.objects.filter(job=latest, sha256="").select_related("participant")
        if latest
        else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def letters_page(request: HttpRequest, trial_pk: int) -> HttpResponse:
    """Roster import, letter generation with its progress, and the downloads."""
    trial = _scoped_trial(request, trial_pk)
    context = _letters_context(trial)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "import":
                upload = request.FILES.get("roster")
                if upload is None:
                    raise DomainError("roster.file_missing", "Choose a CSV file to import.")
                result = domain_letters.import_roster(trial, upload.read(), actor=request.user)
                context["imported"] = result
            elif request.POST.get("action") == "start":
                domain_letters.start_letter_job(trial, actor=request.user)
                return redirect("letters:letters", trial_pk=trial.pk)
            else:
                raise DomainError("letters.action_unknown", "Unknown action.")
        except RosterError as error:
            context["error"] = error
            context["row_errors"] = error.errors
            status = 400
        except DomainError as error:
            context["error"] = error
            status = 403 if error.code == "role.required" else 400
        context.update(_letters_context(trial))
    return render(request, "letters/letters.html", context, status=status)


def _job(request: HttpRequest, trial_pk: int, job_pk: int) -> LetterJob:
    trial = _scoped_trial(request, trial_pk)
    return get_object_or_404(LetterJob, trial=trial, pk=job_pk)


@login_required
@require_GET
def job_progress(request: HttpRequest, trial_pk: int, job_pk: int) -> JsonResponse:
    job = _job(request, trial_pk, job_pk)
    return JsonResponse(
        {"state": job.state, "total": job.total, "done": job.done, "failed": job.failed, "error": job.error}
    )


@login_required
@require_GET
def download_archive(request: HttpRequest, trial_pk: int, job_pk: int) -> HttpResponse:
    job = _job(request, trial_pk, job_pk)
    if not job.archive:
        raise Http404
    response = HttpResponse(bytes(job.archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="letters-{job.trial.reference}-{job.pk}.zip"'
    return response


@login_required
@require_GET
def download_site_pack(request: HttpRequest, trial_pk: int, job_pk: int, site_code: str) -> HttpResponse:
    job = _job(request, trial_pk, job_pk)
    pack = get_object_or_404(SitePack, job=job, site__code=site_code)
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letters-{job.trial.reference}-{site_code}.pdf"'
    return response
