"""RFC 9457 problem details for every error the API answers, DRF's own included.

A problem carries ``type`` (a URN naming the stable ``code``), ``title``, ``status``, ``detail``,
``instance`` (the request path) and ``code``; a refused record adds ``findings`` (code, JSON Pointer,
message, ...), a request that fails its schema adds ``errors`` (pointer, code, message).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response

from registries.findings import RegistryError
from submissions.domain.records import RecordRefused
from submissions.errors import DomainError

logger = logging.getLogger("submissions.api")

PROBLEM_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:trialdisclosure:problem:"


class ApiProblem(exceptions.APIException):
    """An error the API raises itself: a status, a stable code, a sentence, and extension members."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail, code=code)
        self.status_code = status
        self.problem_code = code
        self.extra = extra


def problem_body(status: int, code: str, detail: str, instance: str = "", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str = "",
    headers: Any = None,
    **extra: Any,
) -> Response:
    return Response(
        problem_body(status, code, detail, instance, **extra),
        status=status,
        headers=headers,
        content_type=PROBLEM_TYPE,
    )


# Domain codes with a status of their own; other domain refusals are 422 (the request was understood
# but the action is not possible), and ``*.wrong_state`` is 409 (the resource's state forbids it).
_DOMAIN_STATUS = {
    "org.not_member": 404,
    "role.required": 403,
    "record.stale_base": 412,
    "filing.concurrent_change": 412,
    "trial.concurrent_change": 412,
}


def domain_status(code: str) -> int:
    if code in _DOMAIN_STATUS:
        return _DOMAIN_STATUS[code]
    if code.endswith(".wrong_state") or code.endswith(".transition_refused"):
        return 409
    return 422


def _validation_errors(detail: Any, path: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        errors: list[dict[str, str]] = []
        for name, value in detail.items():
            token = (
                "" if name == "non_field_errors" else "/" + str(name).replace("~", "~0").replace("/", "~1")
            )
            errors.extend(_validation_errors(value, path + token))
        return errors
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            return [
                {"pointer": path, "code": f"request.{item.code}", "message": str(item)} for item in detail
            ]
        errors = []
        for index, item in enumerate(detail):
            errors.extend(_validation_errors(item, f"{path}/{index}"))
        return errors
    return [
        {"pointer": path, "code": f"request.{getattr(detail, 'code', 'invalid')}", "message": str(detail)}
    ]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's exception handler for the API: every error as a problem document."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    headers: dict[str, str] = {}
    if isinstance(exc, RecordRefused):
        return problem_response(422, exc.code, exc.message, instance=instance, findings=exc.findings)
    if isinstance(exc, DomainError):
        status = domain_status(exc.code)
        if status == 404:
            return problem_response(404, "not_found", "No such resource.", instance=instance)
        return problem_response(status, exc.code, exc.message, instance=instance)
    if isinstance(exc, RegistryError):
        extra = {"pointer": exc.pointer} if exc.pointer else {}
        return problem_response(422, exc.code, exc.message, instance=instance, **extra)
    if isinstance(exc, ApiProblem):
        return problem_response(
            exc.status_code, exc.problem_code, str(exc.detail), instance=instance, **exc.extra
        )
    if isinstance(exc, Http404):
        return problem_response(404, "not_found", "No such resource.", instance=instance)
    if isinstance(exc, DjangoPermissionDenied):
        return problem_response(403, "permission_denied", "You may not do this.", instance=instance)
    if isinstance(exc, exceptions.APIException):
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            headers["Retry-After"] = str(max(1, int(wait + 0.999)))
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            authenticate = getattr(exc, "auth_header", None)
            if authenticate:
                headers["WWW-Authenticate"] = authenticate
        code = getattr(exc, "problem_code", None)
        if isinstance(exc, exceptions.ValidationError):
            return problem_response(
                400,
                "request.invalid",
                "The request does not match the operation's schema.",
                instance=instance,
                errors=_validation_errors(exc.detail),
            )
        if code is None:
            detail_code = exc.get_codes()
            code = detail_code if isinstance(detail_code, str) else exc.default_code
            # Our own codes are dotted (``api_key.read_only``); DRF's bare ones get the ``http.`` family.
            code = code if "." in code else f"http.{code}"
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
        return problem_response(exc.status_code, code, str(detail), instance=instance, headers=headers)
    logger.exception("Unhandled error in the API at %s", instance)
    return problem_response(
        500, "server.error", "The server failed to answer; the error was logged.", instance=instance
    )


@csrf_exempt
def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/v1/ that names no operation (exempt from CSRF: it changes nothing, and a
    refusal there would be Django's HTML page instead of a problem)."""
    import json

    body = problem_body(404, "not_found", "No operation at this path.", request.path)
    return HttpResponse(json.dumps(body), status=404, content_type=PROBLEM_TYPE)
