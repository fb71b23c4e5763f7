"""Who is looking: the signed-in person's current organization and their roles in it.

Every page is scoped to the person's organizations (``submissions.scoping``); an object of another
organization answers 404, exactly like an object that does not exist (DESIGN section 7).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from submissions.models import Organization, Trial
from submissions.scoping import organizations_for, roles_of, trials_for

SESSION_ORGANIZATION = "web_organization_id"


def current_organization(request: HttpRequest) -> Organization | None:
    """The organization the person works in now: the one chosen with the switcher, else their first."""
    if hasattr(request, "_web_organization"):
        cached: Organization | None = request._web_organization
        return cached
    organizations = organizations_for(request.user)
    chosen = request.session.get(SESSION_ORGANIZATION)
    organization = organizations.filter(pk=chosen).first() if chosen else None
    if organization is None:
        organization = organizations.order_by("name", "pk").first()
    request._web_organization = organization  # type: ignore[attr-defined]
    return organization


def current_roles(request: HttpRequest) -> set[str]:
    """The person's roles in the current organization."""
    cached = getattr(request, "_web_roles", None)
    if cached is not None:
        return cached
    organization = current_organization(request)
    roles = roles_of(request.user, organization) if organization else set()
    request._web_roles = roles  # type: ignore[attr-defined]
    return roles


def scoped_trial(request: HttpRequest, trial_pk: int) -> Trial:
    """The trial, if it belongs to one of the person's organizations; 404 otherwise."""
    return get_object_or_404(trials_for(request.user).select_related("organization", "head"), pk=trial_pk)


def member_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for signed-in members of at least one organization (others are sent to sign in)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped
