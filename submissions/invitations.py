"""Invitation e-mails: the one-time link an invited person follows to choose a password (the staff web
application's welcome page), sent after the invitation is committed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from submissions.enums import Role
from submissions.models import Organization


def invitation_link(request: HttpRequest | None, user: Any, base_url: str = "") -> str:
    """The one-time link an invited person follows to choose their password."""
    path = reverse(
        "web:welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path) if request is not None else base_url.rstrip("/") + path


def send_invitation(user: Any, organization: Organization, roles: tuple[str, ...], link: str) -> None:
    labels = ", ".join(Role(role).label.lower() for role in roles)
    send_mail(
        subject=f"You are invited to {organization} on Trial disclosure",
        message=(
            f"You have been given the role{'s' if len(roles) > 1 else ''} {labels} in {organization}.\n\n"
            f"Choose your password and sign in here (the link works once):\n{link}\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
