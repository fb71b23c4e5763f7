"""Signing in and out of the staff application (its own sign-in: the admin is for site operators), and
choosing the organization to work in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from submissions.scoping import organizations_for
from submissions.web.access import SESSION_ORGANIZATION


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@require_POST
@login_required
def switch_organization(request: HttpRequest) -> HttpResponse:
    """Work in another of the person's organizations; one they do not belong to is refused."""
    chosen = request.POST.get("organization", "")
    organization = organizations_for(request.user).filter(pk=chosen).first() if chosen.isdigit() else None
    if organization is None:
        messages.error(request, "You are not a member of that organization; choose one from the list.")
    else:
        request.session[SESSION_ORGANIZATION] = organization.pk
        messages.success(request, f"You are now working in {organization}.")
    return redirect("web:dashboard")
