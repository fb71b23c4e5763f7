"""History (record versions, diffs, the audit trail), payloads and the trial's deadlines: read-only pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from submissions.enums import FilingState
from submissions.models import Payload, RecordVersion, Trial
from submissions.scoping import payloads_for
from submissions.web.access import member_view, scoped_trial
from submissions.web.diffs import DIFF_ROW_LIMIT, diff_rows, last_accepted_version
from submissions.web.payloads import draft_payloads, pretty, signed_package
from submissions.web.trial_page import deadlines, trial_events


@member_view
def history(request: HttpRequest, trial_pk: int) -> HttpResponse:
    trial = scoped_trial(request, trial_pk)
    versions = list(
        trial.versions.select_related("created_by").defer("content").order_by("-created_at", "-pk")
    )
    events = Paginator(trial_events(trial), 50).get_page(request.GET.get("page"))
    return render(request, "web/history.html", {"trial": trial, "versions": versions, "events": events})


def _version(trial: Trial, name: str, newer: RecordVersion | None = None) -> RecordVersion | None:
    """A version named in the diff's address: a SHA-256, ``head``, ``accepted`` (the last accepted
    filing's) or ``based_on`` (the version ``newer`` was saved over)."""
    versions = trial.versions.select_related("created_by")
    if name == "head":
        return versions.filter(pk=trial.head_id).first() if trial.head_id else None
    if name == "accepted":
        return last_accepted_version(trial)
    if name == "based_on":
        return versions.filter(pk=newer.based_on_id).first() if newer and newer.based_on_id else None
    return versions.filter(sha256=name[:64]).first()


@member_view
def diff(request: HttpRequest, trial_pk: int) -> HttpResponse:
    """Two versions side by side: any two from history, or what changed since the last accepted filing."""
    trial = scoped_trial(request, trial_pk)
    newer = _version(trial, request.GET.get("b", "head"))
    older = _version(trial, request.GET.get("a", "accepted"), newer)
    if newer is None:
        raise Http404
    rows = diff_rows(older.content if older else None, newer.content)
    context = {
        "trial": trial,
        "older": older,
        "newer": newer,
        "since_accepted": request.GET.get("a") == "accepted",
        "rows": rows[:DIFF_ROW_LIMIT],
        "more": max(0, len(rows) - DIFF_ROW_LIMIT),
    }
    return render(request, "web/diff.html", context)


@member_view
def payloads(request: HttpRequest, trial_pk: int) -> HttpResponse:
    trial = scoped_trial(request, trial_pk)
    filings = list(trial.filings.select_related("signature").order_by("created_at", "pk"))
    entries = []
    for number, filing in enumerate(filings, start=1):
        filing.trial = trial
        signed = list(filing.payloads_current) if filing.signature_id else []
        drafts = draft_payloads(filing) if not signed and filing.state == FilingState.DRAFT else []
        entries.append({"filing": filing, "number": number, "signed": signed, "drafts": drafts})
    return render(request, "web/payloads.html", {"trial": trial, "entries": entries})


def _payload(request: HttpRequest, trial_pk: int, pk: int) -> Payload:
    return get_object_or_404(
        payloads_for(request.user).select_related("filing__trial"), pk=pk, filing__trial_id=trial_pk
    )


@member_view
def payload_preview(request: HttpRequest, trial_pk: int, pk: int) -> HttpResponse:
    payload = _payload(request, trial_pk, pk)
    context = {
        "trial": payload.filing.trial,
        "payload": payload,
        "text": pretty(bytes(payload.content), payload.media_type),
    }
    return render(request, "web/payload_preview.html", context)


@member_view
def payload_download(request: HttpRequest, trial_pk: int, pk: int) -> HttpResponse:
    payload = _payload(request, trial_pk, pk)
    response = HttpResponse(bytes(payload.content), content_type=payload.media_type)
    response["Content-Disposition"] = f'attachment; filename="{payload.file_name}"'
    return response


@member_view
def signed_package_download(request: HttpRequest, trial_pk: int, filing_pk: int) -> HttpResponse:
    trial = scoped_trial(request, trial_pk)
    filing = get_object_or_404(trial.filings.select_related("signature"), pk=filing_pk)
    if filing.signature_id is None:
        raise Http404
    filing.trial = trial
    content = signed_package(filing, list(filing.payloads_current))
    response = HttpResponse(content, content_type="application/zip")
    name = f"{trial.reference}-filing-{filing.pk}-{filing.stage}-signed.zip".replace(" ", "_")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_view
def trial_deadlines(request: HttpRequest, trial_pk: int) -> HttpResponse:
    trial = scoped_trial(request, trial_pk)
    applying, not_applying = deadlines(trial)
    context = {
        "trial": trial,
        "deadlines": applying,
        "not_applicable": not_applying,
        "today": timezone.localdate(),
    }
    return render(request, "web/trial_deadlines.html", context)
