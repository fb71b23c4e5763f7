"""The dashboard: the organization's trials, what needs attention first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from submissions.enums import TrialState
from submissions.web.access import current_organization, current_roles, member_view
from submissions.web.dashboard import DEADLINE_FILTERS, Filters, dashboard_rows, facets, name_next_deadlines

PAGE_SIZE = 100


def _filters(request: HttpRequest) -> Filters:
    state = request.GET.get("state", "")
    deadline = request.GET.get("deadline", "")
    return Filters(
        state=state if state in TrialState.values else "",
        registry=request.GET.get("registry", "")[:40],
        deadline=deadline if deadline in DEADLINE_FILTERS else "",
        text=request.GET.get("q", "").strip()[:200],
        mine=request.GET.get("mine") == "1",
    )


@member_view
def dashboard(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    if organization is None:
        return render(request, "web/no_organization.html", status=403)
    roles = current_roles(request)
    rows = dashboard_rows(organization, request.user, roles)
    filters = _filters(request)
    shown = [row for row in rows if filters.keep(row)]
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    name_next_deadlines(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "total": len(rows),
        "shown": len(shown),
        "filters": filters,
        "facets": facets(rows, filters),
        "mine_count": sum(1 for row in rows if row.waiting_for_me and filters.keep(row, skip="mine")),
        "query": query.urlencode(),
    }
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    template = "web/dashboard_table.html" if htmx and not htmx.boosted else "web/dashboard.html"
    return render(request, template, context)
