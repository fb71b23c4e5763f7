"""The trial page and the actions on its filings: thin views over ``submissions.domain``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from submissions import domain
from submissions.enums import RegistryOutcome
from submissions.errors import DomainError
from submissions.models import Filing, Trial
from submissions.scoping import filings_for, roles_of
from submissions.web import forms as web_forms
from submissions.web.access import member_view, scoped_trial
from submissions.web.filings import Action
from submissions.web.trial_page import (
    FilingView,
    checked_stages,
    deadlines,
    filing_views,
    finding_groups,
    timeline,
    trial_events,
)

ACTION_FORMS: dict[str, type[forms.Form]] = {
    "submit_for_review": web_forms.SubmitForReviewForm,
    "return_to_author": web_forms.ReturnToAuthorForm,
    "mark_submitted": web_forms.MarkSubmittedForm,
    "record_response": web_forms.RegistryResponseForm,
    "start_corrections": web_forms.StartCorrectionsForm,
    "reopen": web_forms.ReopenForm,
}


@dataclass
class Bound:
    """A form that was posted and refused: shown again in its place with its errors and what was typed."""

    filing_pk: int | None
    action: str
    form: forms.Form


@dataclass
class ActionEntry:
    action: Action
    form: forms.Form | None
    url: str


def _pending_registries(filing: Filing) -> list[str]:
    return sorted(
        {item.registry for item in filing.submissions.all() if item.outcome == RegistryOutcome.PENDING}
    )


def _make_form(name: str, filing: Filing, data: Any = None) -> forms.Form:
    form_class = ACTION_FORMS[name]
    if form_class is web_forms.RegistryResponseForm:
        return web_forms.RegistryResponseForm(
            data, registries=_pending_registries(filing), prefix=f"f{filing.pk}-{name}"
        )
    return form_class(data, prefix=f"f{filing.pk}-{name}")


def _entries(view: FilingView, bound: Bound | None) -> list[ActionEntry]:
    entries = []
    for action in view.actions:
        if action.name == "approve":
            entries.append(ActionEntry(action, None, reverse("web:approve", args=[view.filing.pk])))
            continue
        if bound is not None and bound.filing_pk == view.filing.pk and bound.action == action.name:
            form = bound.form
        else:
            form = _make_form(action.name, view.filing)
        entries.append(
            ActionEntry(action, form, reverse("web:filing_action", args=[view.filing.pk, action.name]))
        )
    return entries


def render_trial(
    request: HttpRequest, trial: Trial, *, bound: Bound | None = None, status: int = 200
) -> HttpResponse:
    roles = roles_of(request.user, trial.organization)
    views = filing_views(trial, request.user, roles)
    applying, not_applying = deadlines(trial)
    open_form = (
        bound.form
        if bound is not None and bound.action == "open_filing"
        else web_forms.OpenFilingForm(prefix="open")
    )
    entries = [(view, _entries(view, bound)) for view in views]
    placed = bound is not None and (
        bound.action == "open_filing"
        or any(entry.form is bound.form for _view, items in entries for entry in items)
    )
    context = {
        "unplaced_errors": []
        if bound is None or placed
        else [e for errors in bound.form.errors.values() for e in errors],
        "trial": trial,
        "roles": roles,
        "timeline": timeline(trial),
        "filings": entries,
        "finding_groups": finding_groups(trial, checked_stages(trial, [view.filing for view in views])),
        "deadlines": applying,
        # A registry's returned comments start a correction deadline (e.g. 42 CFR 11.64(a)(1)(iv) for PRS).
        "corrections": [item for item in applying if item.rule_code.endswith("correction") and item.due_date],
        "not_applicable": not_applying,
        "events": list(trial_events(trial)[:8]),
        "open_form": open_form,
        "can_open": "author" in roles,
        "today": timezone.localdate(),
    }
    return render(request, "web/trial.html", context, status=status)


@member_view
def trial_page(request: HttpRequest, trial_pk: int) -> HttpResponse:
    return render_trial(request, scoped_trial(request, trial_pk))


def _scoped_filing(request: HttpRequest, pk: int) -> Filing:
    return get_object_or_404(
        filings_for(request.user).select_related("trial__organization", "trial__head"), pk=pk
    )


def _refused(request: HttpRequest, trial: Trial, bound: Bound, error: DomainError) -> HttpResponse:
    if error.code == "org.not_member":
        raise Http404
    web_forms.add_domain_error(bound.form, error)
    status = 403 if error.code == "role.required" else 409
    return render_trial(request, trial, bound=bound, status=status)


@require_POST
@member_view
def open_filing(request: HttpRequest, trial_pk: int) -> HttpResponse:
    trial = scoped_trial(request, trial_pk)
    form = web_forms.OpenFilingForm(request.POST, prefix="open")
    bound = Bound(None, "open_filing", form)
    if not form.is_valid():
        return render_trial(request, trial, bound=bound, status=400)
    try:
        filing = domain.open_filing(
            trial,
            form.cleaned_data["stage"],
            target_registries=form.cleaned_data["target_registries"],
            actor=request.user,
        )
    except DomainError as error:
        return _refused(request, trial, bound, error)
    messages.success(request, f"{filing.get_stage_display()} filing opened.")
    return redirect("web:trial", trial.pk)


def _run(name: str, filing: Filing, form: forms.Form, actor: Any) -> str:
    data = form.cleaned_data
    if name == "submit_for_review":
        domain.submit_for_review(filing, actor=actor, comment=data["comment"])
        return "Submitted for review."
    if name == "return_to_author":
        domain.return_to_author(filing, actor=actor, remarks=data["remarks"])
        return "Returned to the author with your comment."
    if name == "mark_submitted":
        when = None
        if data.get("submitted_on"):
            when = timezone.make_aware(datetime.combine(data["submitted_on"], time.min))
        domain.mark_submitted(filing, actor=actor, method=data["method"], submitted_at=when)
        return "Marked as submitted to the registries."
    if name == "record_response":
        assert isinstance(form, web_forms.RegistryResponseForm)
        domain.record_registry_response(
            filing,
            data["registry"],
            actor=actor,
            outcome=data["outcome"],
            identifiers=form.identifiers(),
            response=data["response"],
            comments=data["comments"],
        )
        return "The registry's answer is recorded."
    if name == "start_corrections":
        domain.start_corrections(filing, actor=actor)
        return "Corrections started: the filing is a draft again."
    if name == "reopen":
        domain.reopen_filing(filing, actor=actor, reason=data["reason"])
        return "Approval voided: the filing is a draft again."
    raise Http404


@require_POST
@member_view
def filing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404
    filing = _scoped_filing(request, pk)
    trial = filing.trial
    form = _make_form(action, filing, request.POST)
    bound = Bound(filing.pk, action, form)
    if not form.is_valid():
        return render_trial(request, trial, bound=bound, status=400)
    try:
        message = _run(action, filing, form, request.user)
    except DomainError as error:
        return _refused(request, trial, bound, error)
    messages.success(request, message)
    return redirect("web:trial", trial.pk)
