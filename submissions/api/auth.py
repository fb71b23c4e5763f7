"""Who is calling: an organization's API key (``Authorization: Bearer tdk_…``) or a signed-in person's
session; what they may do; how often."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from submissions.domain.api_keys import authenticate_api_key
from submissions.enums import ApiKeyAccess
from submissions.models import ApiKey


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>``. The key acts through its service account."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        api_key = authenticate_api_key(token.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed(
                "The API key is unknown or revoked.", code="api_key.invalid"
            )
        return api_key.service_user, api_key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ApiAccess(permissions.BasePermission):
    """Signed in, and a read-only key only reads."""

    message = "This API key is read-only."
    code = "api_key.read_only"

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or isinstance(request.user, AnonymousUser) or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated("Send an API key (Authorization: Bearer …) or sign in.")
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        if api_key is not None and api_key.access == ApiKeyAccess.READ_ONLY:
            return request.method in permissions.SAFE_METHODS
        return True


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    """Requests per key (per person for sessions), counted in the cache (Redis in production, so every
    worker shares the count). DRF answers 429 with ``Retry-After``."""

    scope = "api_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiKey):
            ident = f"key:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
