"""Letter settings of the organization and letter sites of a trial (issue 12). Thin: a form checks what
was typed, one domain function decides and writes (``submissions.domain.letters``).

Everyone in the organization sees the settings and the sites; the domain refuses a change by someone
without the role (403, nothing changed). A trial or site of another organization answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from submissions.domain import letters as domain_letters
from submissions.enums import Role
from submissions.errors import DomainError
from submissions.models import Organization, Trial
from submissions.web import forms as web_forms
from submissions.web.access import current_organization, current_roles, member_view, scoped_trial

SETTINGS_FIELDS = ("target_grade", "sentence_word_limit", "brand_colour", "page_size")


def _status(error: DomainError) -> int:
    return 403 if error.code == "role.required" else 400


def _settings_page(
    request: HttpRequest,
    organization: Organization,
    form: web_forms.LetterSettingsForm | None,
    status: int = 200,
) -> HttpResponse:
    settings = domain_letters.letter_settings(organization)
    if form is None:
        form = web_forms.LetterSettingsForm(
            initial={name: getattr(settings, name) for name in SETTINGS_FIELDS}
        )
    return render(
        request,
        "web/letter_settings.html",
        {
            "organization": organization,
            "settings": settings,
            "has_logo": bool(settings.logo_png),
            "form": form,
            "is_admin": Role.ADMIN in current_roles(request),
        },
        status=status,
    )


@member_view
@require_http_methods(["GET", "POST"])
def letter_settings(request: HttpRequest) -> HttpResponse:
    """The organization's readability target and the branding of its PDFs; admins change them."""
    organization = current_organization(request)
    if organization is None:
        raise Http404
    if request.method != "POST":
        return _settings_page(request, organization, None)
    form = web_forms.LetterSettingsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _settings_page(request, organization, form, status=400)
    data = form.cleaned_data
    logo: bytes | None = b"" if data["remove_logo"] else data["logo"]
    try:
        domain_letters.set_letter_settings(
            organization,
            actor=request.user,
            target_grade=data["target_grade"],
            sentence_word_limit=data["sentence_word_limit"],
            brand_colour=data["brand_colour"].lower(),
            page_size=data["page_size"],
            logo_png=logo,
        )
    except DomainError as error:
        web_forms.add_domain_error(form, error)
        return _settings_page(request, organization, form, status=_status(error))
    messages.success(request, "Letter settings saved.")
    return redirect("web:letter_settings")


def _sites_page(request: HttpRequest, trial: Trial, status: int = 200, **forms: Any) -> HttpResponse:
    roles = current_roles(request)
    settings = domain_letters.trial_letters(trial)
    sites = []
    for site in domain_letters.letter_sites(trial):
        bound = forms.get("change_form") if forms.get("change_site") == site.pk else None
        sites.append(
            {
                "site": site,
                "form": bound
                or web_forms.LetterSiteChangeForm(
                    initial={"name": site.name, "contact": site.contact}, prefix=f"site{site.pk}"
                ),
            }
        )
    context = {
        "trial": trial,
        "sites": sites,
        "add_form": forms.get("add_form") or web_forms.LetterSiteForm(prefix="add"),
        "trial_form": forms.get("trial_form")
        or web_forms.TrialLettersForm(
            initial={"unblinded": settings.unblinded, "public_results_page": settings.public_results_page},
            prefix="trial",
        ),
        "trial_settings": settings,
        "can_write": bool(roles & {Role.AUTHOR, Role.ADMIN}),
        "can_publish": bool(roles & {Role.APPROVER, Role.ADMIN}),
    }
    return render(request, "web/letter_sites.html", context, status=status)


@member_view
@require_http_methods(["GET", "POST"])
def letter_sites(request: HttpRequest, trial_pk: int) -> HttpResponse:
    """A trial's sites as participants know them (add, change name and contact) and its letter
    settings (unblinded, public results page)."""
    trial = scoped_trial(request, trial_pk)
    if request.method != "POST":
        return _sites_page(request, trial)
    which = request.POST.get("form")
    if which == "add":
        add_form = web_forms.LetterSiteForm(request.POST, prefix="add")
        if not add_form.is_valid():
            return _sites_page(request, trial, status=400, add_form=add_form)
        try:
            site = domain_letters.add_letter_site(trial, actor=request.user, **add_form.cleaned_data)
        except DomainError as error:
            web_forms.add_domain_error(add_form, error)
            return _sites_page(request, trial, status=_status(error), add_form=add_form)
        messages.success(request, f"Site {site.code} added.")
    elif which == "change":
        site_pk = request.POST.get("site", "")
        found = [s for s in domain_letters.letter_sites(trial) if str(s.pk) == site_pk]
        if not found:
            raise Http404
        site = found[0]
        change_form = web_forms.LetterSiteChangeForm(request.POST, prefix=f"site{site.pk}")
        page = {"change_site": site.pk, "change_form": change_form}
        if not change_form.is_valid():
            return _sites_page(request, trial, status=400, **page)
        try:
            domain_letters.change_letter_site(site, actor=request.user, **change_form.cleaned_data)
        except DomainError as error:
            web_forms.add_domain_error(change_form, error)
            return _sites_page(request, trial, status=_status(error), **page)
        messages.success(request, f"Site {site.code} saved.")
    elif which == "trial":
        trial_form = web_forms.TrialLettersForm(request.POST, prefix="trial")
        if not trial_form.is_valid():
            return _sites_page(request, trial, status=400, trial_form=trial_form)
        try:
            domain_letters.set_trial_letters(trial, actor=request.user, **trial_form.cleaned_data)
        except DomainError as error:
            web_forms.add_domain_error(trial_form, error)
            return _sites_page(request, trial, status=_status(error), trial_form=trial_form)
        messages.success(request, "Letter settings of the trial saved.")
    else:
        messages.error(request, "The form sent is not one of this page's; reload the page and try again.")
        return _sites_page(request, trial, status=400)
    return redirect("web:letter_sites", trial_pk=trial.pk)
