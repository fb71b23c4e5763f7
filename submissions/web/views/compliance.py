"""Compliance: the portfolio of deadlines by status, and the organization's calendar feed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from submissions.enums import Jurisdiction
from submissions.models import Organization
from submissions.web.access import current_organization, member_view
from submissions.web.compliance import (
    calendar,
    calendar_token,
    calendar_token_valid,
    jurisdictions,
    portfolio,
)


@member_view
def compliance(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    if organization is None:
        raise Http404
    rule = request.GET.get("rule", "")[:100]
    jurisdiction = request.GET.get("jurisdiction", "")
    if jurisdiction not in Jurisdiction.values:
        jurisdiction = ""
    sections, rules = portfolio(organization, rule=rule, jurisdiction=jurisdiction)
    feed = request.build_absolute_uri(
        reverse("web:calendar", kwargs={"slug": organization.slug, "token": calendar_token(organization)})
    )
    context = {
        "sections": sections,
        "rules": rules,
        "jurisdictions": jurisdictions(),
        "rule": rule,
        "jurisdiction": jurisdiction,
        "feed": feed,
    }
    return render(request, "web/compliance.html", context)


def calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The organization's deadlines for calendar programs, which cannot sign in: the token is the key.
    A wrong token answers 404, like an organization that does not exist."""
    organization = get_object_or_404(Organization, slug=slug)
    if not calendar_token_valid(organization, token):
        raise Http404
    content = calendar(organization, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{organization.slug}-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
