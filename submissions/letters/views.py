"""Pages of the lay-summary and letters feature (issue 12). Thin: scoping, a domain call, a template.

Staff pages answer 404 for a trial of another organization (DESIGN section 7). The public results page
needs no sign-in and shows only the lay summary of an accepted lay-summary filing, when the sponsor has
turned the page on; it never shows participant data.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from registries.enums import LAY_SUMMARY_SECTIONS
from registries.laysummary.checks import LaySummaryReport, split_sentences
from submissions.domain import letters as domain_letters
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
    raw = summary.get("sections")
    texts: dict[str, Any] = raw if isinstance(raw, dict) else {}
    sections = [
        {
            "heading": wording["sections"][name],
            "paragraphs": [p.strip() for p in texts[name].replace("\r\n", "\n").split("\n\n") if p.strip()],
        }
        for name in LAY_SUMMARY_SECTIONS
        if isinstance(texts.get(name), str) and texts[name].strip()
    ]
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
