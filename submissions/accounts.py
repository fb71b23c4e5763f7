"""The second factor at sign-in: a TOTP authenticator app (django-otp) for the approvers and admins of an
organization that requires one (``Organization.two_factor_required``; OWASP ASVS V2.8).

``SecondFactorMiddleware`` holds every page and API call of such a person until this session has verified
a token, sending them to set up an authenticator (first time) or to enter a code; the admin, the web
pages and the API all pass through it. ``second_factor_verified`` is the same check as a view decorator.
Whether the factor is required is ``submissions.domain.accounts.second_factor_required``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from submissions.domain.accounts import second_factor_satisfied

View = Callable[..., HttpResponse]

# Pages a person who still owes the second factor may open: these, signing out and static files.
_OPEN_PREFIXES = ("/account/two-factor/", "/admin/logout/", "/sign-out/", "/static/")


def _confirmed_device(user: Any) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device


def _held(request: HttpRequest) -> HttpResponse:
    """Where a person without a verified second factor is sent: JSON for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "account.second_factor_required",
                "message": "Your organization requires a second factor: verify a code at "
                "/account/two-factor/.",
            },
            status=403,
        )
    name = "two_factor_verify" if _confirmed_device(request.user) else "two_factor_setup"
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: holds a person who owes a second factor at its pages."""

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not second_factor_satisfied(user)
        ):
            return _held(request)
        return self.get_response(request)


def second_factor_verified(view: View) -> View:
    """The middleware's check for one view (for a deployment that routes around the middleware)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not second_factor_satisfied(request.user):
            return _held(request)
        return view(request, *args, **kwargs)

    return wrapped


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\d{6}$",
        error_messages={"invalid": "Enter the 6 digits your authenticator app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/admin/"
    return target


@sensitive_post_parameters("token")
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Enter a code from the authenticator set up before; django-otp throttles wrong codes."""
    device = _confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            django_otp.login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", "That code is not valid (or too many tries: wait and try again).")
    return render(
        request,
        "account/two_factor.html",
        {"form": form, "next": _next(request), "title": "Second factor", "setup": None},
    )


@sensitive_post_parameters("token")
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First time: an authenticator key to add to the app, confirmed by one code from it."""
    if _confirmed_device(request.user) is not None:
        return HttpResponseRedirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next(request)})}")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", "That code is not valid; check the key was entered correctly.")
    setup = {"key": _grouped(device.bin_key), "url": device.config_url}
    return render(
        request,
        "account/two_factor.html",
        {"form": form, "next": _next(request), "title": "Set up a second factor", "setup": setup},
    )


def _grouped(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


urlpatterns = [
    path("two-factor/", two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor_setup, name="two_factor_setup"),
]
