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
    worker shares the count). DRF answers 429 with ``Retry-After``.

    A sliding window estimated from two fixed windows' counters: the previous window's count weighted by
    the part of it still inside the sliding window, plus the current one's. DRF's own throttle keeps a
    list of every request's time under one cache key and writes it back whole: at the default 1,200 a
    minute that list is pickled and unpickled on every request, and two workers writing it at once each
    drop the other's request from the count. Here each request reads two small numbers and increments
    one atomically (Redis INCR).
    """

    scope = "api_key"
    num_requests: int  # set by SimpleRateThrottle.__init__ from the rate
    duration: int
    wait_seconds: float | None = None

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiKey):
            ident = f"key:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window, elapsed = divmod(now, self.duration)
        current_key, previous_key = f"{key}:{int(window)}", f"{key}:{int(window) - 1}"
        counts = self.cache.get_many([previous_key, current_key])
        previous, current = counts.get(previous_key, 0), counts.get(current_key, 0)
        # The share of the previous window that still lies inside the last ``duration`` seconds.
        weight = 1 - elapsed / self.duration
        if previous * weight + current >= self.num_requests:
            # Refused requests are not counted: a client that keeps retrying is let in as the window slides.
            self.wait_seconds = self._wait(previous, current, weight, elapsed)
            return False
        # add() is atomic and answers whether it created the key; the counter outlives its window by one,
        # as the next window weighs it.
        if not self.cache.add(current_key, 1, timeout=2 * self.duration):
            try:
                self.cache.incr(current_key)
            except ValueError:  # expired between add and incr
                self.cache.add(current_key, 1, timeout=2 * self.duration)
        return True

    def _wait(self, previous: int, current: int, weight: float, elapsed: float) -> float:
        """Seconds until the estimate drops below the limit, if no other request comes meanwhile."""
        if current >= self.num_requests:
            # Only the next window starts the count again (and then this one weighs on it).
            return float(self.duration - elapsed)
        # previous * (weight - t / duration) + current < limit
        return max(1.0, (previous * weight + current - self.num_requests + 1) * self.duration / previous)

    def wait(self) -> float | None:
        return self.wait_seconds
