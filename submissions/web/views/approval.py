"""Approval with an electronic signature (21 CFR 11.50 / 11.200): the dialog shows what is signed (the
record version's hash and its difference from the last accepted version) before the password is asked."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from submissions import domain
from submissions.domain.reviews import approval_summary
from submissions.errors import DomainError
from submissions.models import Filing
from submissions.scoping import filings_for, roles_of
from submissions.web import forms as web_forms
from submissions.web.access import member_view
from submissions.web.diffs import DIFF_ROW_LIMIT, rows_of
from submissions.web.filings import available_actions, filing_number


def _render(
    request: HttpRequest, filing: Filing, form: web_forms.SignForm, status: int = 200
) -> HttpResponse:
    trial = filing.trial
    summary = approval_summary(filing)
    rows = rows_of(summary.changes)
    roles = roles_of(request.user, trial.organization)
    action = next(
        (item for item in available_actions(filing, request.user, roles) if item.name == "approve"), None
    )
    context = {
        "trial": trial,
        "filing": filing,
        "number": filing_number(trial.filings.all(), filing),
        "summary": summary,
        "version": summary.version,
        "baseline": summary.baseline,
        "baseline_number": (
            filing_number(trial.filings.all(), summary.baseline_filing) if summary.baseline_filing else None
        ),
        "rows": rows[:DIFF_ROW_LIMIT],
        "more": max(0, len(rows) - DIFF_ROW_LIMIT),
        "form": form,
        "action": action,
    }
    return render(request, "web/approve.html", context, status=status)


@member_view
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_object_or_404(
        filings_for(request.user).select_related("trial__organization", "trial__head"), pk=pk
    )
    if request.method != "POST":
        form = web_forms.SignForm(
            initial={
                "printed_name": domain.verified_name_of(request.user) or "",
                "meaning": domain.signature_meaning(filing),
                "record_sha256": approval_summary(filing).version_sha256 or "",
            }
        )
        return _render(request, filing, form)
    form = web_forms.SignForm(request.POST)
    if not form.is_valid():
        return _render(request, filing, form, status=400)
    data = form.cleaned_data
    try:
        domain.approve_filing(
            filing,
            actor=request.user,
            password=data["password"],
            printed_name=data["printed_name"],
            meaning=data["meaning"],
            record_sha256=data["record_sha256"],
        )
    except DomainError as error:
        if error.code == "org.not_member":
            raise Http404 from None
        web_forms.add_domain_error(form, error)
        status = 403 if error.code in ("role.required", "signature.same_person") else 400
        return _render(request, filing, form, status=status)
    messages.success(request, "Approved and signed; the payloads are built and stored with their hashes.")
    if getattr(request, "htmx", False):
        # Signed from the dialog: the whole trial page is new (state, actions, payloads).
        return HttpResponseClientRedirect(reverse("web:trial", args=[filing.trial_id]))
    return redirect("web:trial", filing.trial_id)
