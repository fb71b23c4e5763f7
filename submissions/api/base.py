"""What every API view shares: authentication, errors as problems, the body limit, ``Idempotency-Key``
on POST, ``ETag`` / ``If-Match``, one pagination style, and the caller's organizations."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from submissions.api.auth import ApiAccess, ApiKeyAuthentication, ApiKeyRateThrottle
from submissions.api.idempotency import is_forgotten
from submissions.api.parsers import BoundedJSONParser
from submissions.api.problems import PROBLEM_TYPE, ApiProblem
from submissions.models import ApiKey, IdempotencyRecord, Organization
from submissions.scoping import organizations_for

IDEMPOTENCY_HEADER = "Idempotency-Key"
# Response headers kept with an idempotent response and sent again on a replay.
_REPLAYED_HEADERS = ("ETag", "Location")


class Pagination(pagination.PageNumberPagination):
    """The one pagination of the API: ``?page=N&page_size=M``; ``count``, ``next``, ``previous``,
    ``results``."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        self.page_size = settings.API_PAGE_SIZE
        for name in ("page", "page_size"):
            values = request.query_params.getlist(name)
            if values and (len(values) > 1 or not values[0].isdigit() or int(values[0]) < 1):
                raise ApiProblem(400, "request.invalid_page", f"{name} must be one positive integer.")
        return super().get_page_size(request)


def quoted(tag: str) -> str:
    return f'"{tag}"'


def etag_of(*parts: Any) -> str:
    """An opaque strong validator over the parts that change when the resource does."""
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def if_match(request: Request) -> str:
    """The entity tag the client says it changes (``If-Match``): 428 without one, as every change of a
    record or filing must name the version it was based on (RFC 6585 section 3)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ApiProblem(
            428,
            "precondition.if_match_required",
            "Send If-Match with the ETag of the version you read; changes are never applied blind.",
        )
    tag = header.removeprefix("W/").strip()
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    return tag


def require_match(request: Request, current: str) -> None:
    """412 when the client's ``If-Match`` is not the current ETag."""
    if if_match(request) != current:
        raise ApiProblem(
            412,
            "precondition.stale",
            "The resource changed since you read it; read it again and reapply your change.",
            current_etag=quoted(current),
        )


class ApiView(APIView):
    authentication_classes = [ApiKeyAuthentication, *APIView.authentication_classes]
    permission_classes = [ApiAccess]
    throttle_classes = [ApiKeyRateThrottle]
    parser_classes = [BoundedJSONParser]
    pagination_class = Pagination

    # --- the caller ------------------------------------------------------------------------------------
    @property
    def api_key(self) -> ApiKey | None:
        auth = self.request.auth
        return auth if isinstance(auth, ApiKey) else None

    def organizations(self) -> QuerySet[Organization]:
        if self.api_key is not None:
            return Organization.objects.filter(pk=self.api_key.organization_id)
        return organizations_for(self.request.user)

    def organization_for_create(self, slug: str | None) -> Organization:
        """The organization a new object belongs to: the key's own; for a person, the one named by
        ``slug`` (required when they belong to several)."""
        organizations = self.organizations()
        if slug:
            organization = organizations.filter(slug=slug).first()
            if organization is None:
                raise ApiProblem(404, "not_found", "No such organization.")
            return organization
        found = list(organizations[:2])
        if not found:
            raise ApiProblem(403, "org.none", "You belong to no organization.")
        if len(found) > 1:
            raise ApiProblem(400, "org.ambiguous", "You belong to several organizations: name one.")
        return found[0]

    def paginate(self, queryset: Any, serialize: Any) -> Response:
        paginator = self.pagination_class()
        page: Any = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response([serialize(item) for item in page or []])

    # --- the request cycle ----------------------------------------------------------------------------
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # DRF's dispatch, with the body limit first and idempotent POSTs around the handler.
        self.args = args
        self.kwargs = kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > settings.API_MAX_BODY_BYTES:
                raise ApiProblem(
                    413,
                    "request.too_large",
                    f"The body is larger than the {settings.API_MAX_BODY_BYTES} bytes this server accepts.",
                    max_bytes=settings.API_MAX_BODY_BYTES,
                )
            self.initial(request, *args, **kwargs)
            method = request.method.lower()
            handler = (
                getattr(self, method, self.http_method_not_allowed)
                if method in self.http_method_names
                else self.http_method_not_allowed
            )
            if request.method == "POST" and request.headers.get(IDEMPOTENCY_HEADER) is not None:
                return self._idempotent(request, handler, *args, **kwargs)
            response = handler(request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(request, response, *args, **kwargs)
        return self.response

    def _respond(self, request: Request, handler: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            response = handler(request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)
        response = self.finalize_response(request, response, *args, **kwargs)
        response.render()
        return response

    def _idempotent(self, request: Request, handler: Any, *args: Any, **kwargs: Any) -> Any:
        """The same key and body answer the first response again; the same key with another request is
        refused (422). The first request holds the key's row until it commits, so a parallel repeat waits
        for it and then replays it: the action runs once."""
        key = request.headers[IDEMPOTENCY_HEADER].strip()
        if not key or len(key) > 255:
            raise ApiProblem(400, "idempotency.invalid_key", "Idempotency-Key must be 1 to 255 characters.")
        scope = f"key:{self.api_key.pk}" if self.api_key else f"user:{request.user.pk}"
        digest = hashlib.sha256(
            b"\n".join(
                [str(request.method).encode(), request.get_full_path().encode(), request._request.body]
            )
        ).hexdigest()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(scope=scope, key=key, request_sha256=digest)
            except IntegrityError:
                record = IdempotencyRecord.objects.select_for_update().get(scope=scope, key=key)
                if is_forgotten(record):
                    # Past the window the key is free again: this is a new request, not a retry.
                    record.delete()
                    record = IdempotencyRecord.objects.create(scope=scope, key=key, request_sha256=digest)
                elif record.request_sha256 != digest:
                    raise ApiProblem(
                        422,
                        "idempotency.key_reused",
                        "This Idempotency-Key was used for a different request; use a new key.",
                    ) from None
                else:
                    return self._replay(record)
            response = self._respond(request, handler, *args, **kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = bytes(response.content)
            record.headers = {name: response[name] for name in _REPLAYED_HEADERS if response.has_header(name)}
            record.save(update_fields=["status_code", "content_type", "body", "headers"])
        self.response = response
        return response

    def _replay(self, record: IdempotencyRecord) -> HttpResponse:
        response = HttpResponse(
            bytes(record.body), status=record.status_code, content_type=record.content_type or PROBLEM_TYPE
        )
        for name, value in record.headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response
