"""Admin pages for the REST API's objects (issue 11): API keys (created and revoked only through the
domain functions, the key shown once), webhook endpoints and their deliveries, jobs, idempotency records.
Imported by ``submissions.admin``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from submissions import scoping
from submissions.admin import ScopedAdmin, _run
from submissions.domain.api_keys import create_api_key, revoke_api_key
from submissions.domain.webhooks import disable_webhook_endpoint, replay_delivery
from submissions.enums import ApiKeyAccess, Role
from submissions.errors import DomainError
from submissions.models import (
    ApiKey,
    IdempotencyRecord,
    Job,
    Membership,
    Organization,
    WebhookDelivery,
    WebhookEndpoint,
)


class ApiKeyCreateForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["organization", "name", "access"]

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request is not None:
            field: Any = self.fields["organization"]
            field.queryset = Organization.objects.filter(
                memberships__user_id=request.user.pk or 0, memberships__role=Role.ADMIN
            ).distinct()
        self.fields["access"].initial = ApiKeyAccess.READ_ONLY


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedAdmin):
    """Organization admins create keys (the key is shown once, in the confirmation message) and revoke
    them; nothing else about a key can be edited."""

    scope = "organizations_for"
    list_display = ["name", "prefix", "organization", "access", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["access"]
    readonly_fields = [
        "organization",
        "name",
        "prefix",
        "access",
        "service_user",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    exclude = ["secret_sha256"]
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return ApiKey.objects.filter(organization__in=scoping.organizations_for(request.user))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return Membership.objects.filter(user__pk=request.user.pk or 0, role=Role.ADMIN).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.readonly_fields if obj is not None else ["organization", "name", "access"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None:
            return super().get_form(request, obj, change, **kwargs)

        class Form(ApiKeyCreateForm):
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, request=request, **inner)

        return Form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            created = create_api_key(
                form.cleaned_data["organization"],
                name=form.cleaned_data["name"],
                access=form.cleaned_data["access"],
                actor=request.user,
            )
        except DomainError as error:
            self.message_user(request, f"Refused ({error.code}) {error.message}", messages.ERROR)
            return
        obj.pk = created.api_key.pk
        obj._state.adding = False
        self.message_user(
            request,
            f"Copy the key now, it is shown only this once: {created.token}",
            messages.WARNING,
        )

    def log_addition(self, *args: Any, **kwargs: Any) -> Any:
        # The domain function wrote the audit event; the admin's own log would name an unsaved form.
        return None

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        _run(request, self, queryset, lambda key: revoke_api_key(key, actor=request.user))


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ScopedAdmin):
    scope = "organizations_for"
    list_display = ["url", "organization", "events", "active", "created_at"]
    readonly_fields = ["organization", "url", "events", "active", "created_by", "created_at"]
    exclude = ["secret"]
    actions = ["disable"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return WebhookEndpoint.objects.filter(organization__in=scoping.organizations_for(request.user))

    @admin.action(description="Disable the selected endpoints")
    def disable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        _run(request, self, queryset, lambda endpoint: disable_webhook_endpoint(endpoint, actor=request.user))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ScopedAdmin):
    scope = "organizations_for"
    list_display = ["event_type", "endpoint", "status", "created_at", "delivered_at"]
    list_filter = ["status", "event_type"]
    readonly_fields = [
        "endpoint",
        "event_id",
        "event_type",
        "payload",
        "status",
        "attempts",
        "replay_of",
        "created_at",
        "delivered_at",
    ]
    actions = ["replay"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return WebhookDelivery.objects.filter(
            endpoint__organization__in=scoping.organizations_for(request.user)
        )

    @admin.action(description="Replay the selected deliveries")
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        _run(request, self, queryset, lambda delivery: replay_delivery(delivery, actor=request.user))


@admin.register(Job)
class JobAdmin(ScopedAdmin):
    scope = "organizations_for"
    list_display = ["pk", "kind", "organization", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "organization",
        "kind",
        "status",
        "total",
        "done",
        "results",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    exclude = ["items"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Job.objects.filter(organization__in=scoping.organizations_for(request.user))


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ScopedAdmin):
    """Operators' view only: the records belong to keys and people, not to an organization's members."""

    scope = "organizations_for"
    list_display = ["scope", "key", "status_code", "created_at"]
    readonly_fields = [
        "scope",
        "key",
        "request_sha256",
        "status_code",
        "content_type",
        "headers",
        "created_at",
    ]
    exclude = ["body"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        if getattr(request.user, "is_superuser", False):
            return IdempotencyRecord.objects.all()
        return IdempotencyRecord.objects.none()
