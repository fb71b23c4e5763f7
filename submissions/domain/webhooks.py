"""Domain services for webhooks: an organization's endpoints, the events sent to them, signed deliveries
with their attempts logged, and replays (issue 11).

A delivery is a POST of the event as JSON with the header ``Webhook-Signature: t=<unix time>,v1=<hex>``
where ``v1`` is HMAC-SHA256 under the endpoint's secret over ``"<t>." + body`` (the time is inside the
signed text so that a captured delivery cannot be replayed later by someone else: the receiver refuses an
old ``t``). See docs/api.md for the receiver's side.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_fsm.signals import post_transition

from submissions.audit import record_event
from submissions.domain._access import require_role
from submissions.enums import AuditEventType, DeliveryStatus, Role, WebhookEvent
from submissions.errors import DomainError
from submissions.models import Filing, Organization, WebhookDelivery, WebhookEndpoint

SIGNATURE_HEADER = "Webhook-Signature"
EVENT_HEADER = "Webhook-Event"
DELIVERY_HEADER = "Webhook-Delivery"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (seconds since the epoch)."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: the header's ``v1`` must be the HMAC of ``t`` and the body, and ``t`` recent."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _checked_events(events: Any) -> list[str]:
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        raise DomainError("webhook.events_required", "Name at least one event to subscribe to.")
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise DomainError(
            "webhook.unknown_event",
            f"Unknown event {unknown[0]!r}; events: {', '.join(WebhookEvent.values)}.",
        )
    return sorted(set(events))


def _checked_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError("webhook.invalid_url", "The endpoint URL must be an absolute http(s) URL.")
    if parts.scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise DomainError("webhook.https_required", "Webhook endpoints must use https.")
    if parts.username or parts.password:
        raise DomainError(
            "webhook.credentials_in_url", "Put no credentials in the URL; deliveries are signed."
        )
    return url.strip()


@transaction.atomic
def create_webhook_endpoint(
    organization: Organization, *, url: str, events: Any, actor: Any
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint for ``events``. Authors and admins. Returns the endpoint and its signing
    secret (shown once)."""
    require_role(actor, organization, (Role.AUTHOR, Role.ADMIN), "manage webhooks")
    endpoint = WebhookEndpoint.objects.create(
        organization=organization,
        url=_checked_url(url),
        events=_checked_events(events),
        secret=f"whsec_{secrets.token_urlsafe(32)}",
        created_by=actor,
    )
    record_event(
        AuditEventType.WEBHOOK_ENDPOINT_CREATED,
        actor=actor,
        organization=organization,
        data={"endpoint": endpoint.pk, "url": endpoint.url, "events": endpoint.events},
    )
    return endpoint, endpoint.secret


@transaction.atomic
def disable_webhook_endpoint(endpoint: WebhookEndpoint, *, actor: Any) -> WebhookEndpoint:
    """Stop sending to an endpoint (its delivery log stays). Authors and admins."""
    require_role(actor, endpoint.organization, (Role.AUTHOR, Role.ADMIN), "manage webhooks")
    locked = WebhookEndpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)
    if not locked.active:
        raise DomainError("webhook.already_disabled", "The endpoint is already disabled.")
    locked.active = False
    locked.save(update_fields=["active"])
    record_event(
        AuditEventType.WEBHOOK_ENDPOINT_DISABLED,
        actor=actor,
        organization=locked.organization,
        data={"endpoint": locked.pk, "url": locked.url},
    )
    return locked


def _schedule(delivery_ids: list[int]) -> None:
    def enqueue() -> None:
        from submissions.tasks import deliver_webhook

        for delivery_id in delivery_ids:
            deliver_webhook.delay(delivery_id)

    # Robust: a receiver that is down must never fail the action that caused the event.
    transaction.on_commit(enqueue, robust=True)


def emit_event(organization: Organization, event_type: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue ``event_type`` for every active endpoint of ``organization`` subscribed to it; sent once the
    caller's transaction commits. Called by the domain functions whose effects are the events; writes no
    audit event of its own (the action that caused it has one)."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(organization=organization, active=True)
        if event_type in endpoint.events
    ]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": event_type,
        "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "organization": organization.slug,
        "data": data,
    }
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=event_id, event_type=event_type, payload=payload
        )
        for endpoint in endpoints
    ]
    _schedule([delivery.pk for delivery in deliveries])
    return deliveries


def private_address(url: str) -> str | None:
    """The first address ``url``'s host resolves to that is not public (loopback, private, link-local,
    reserved), or None. Deliveries go only to public addresses unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``:
    a webhook URL must not become a way to reach the server's own network (OWASP SSRF)."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return str(address)
    return None


def attempt_delivery(delivery: WebhookDelivery, *, final: bool) -> bool:
    """Send the delivery once and log the attempt; True when the receiver answered 2xx. ``final`` marks
    the delivery failed when this attempt fails (the task's retries are exhausted). A delivery that
    already succeeded or failed for good is not sent again (tasks may run twice). A URL whose host
    resolves to a non-public address fails at once (``private_address``)."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery.status == DeliveryStatus.SUCCEEDED
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, timestamp, body),
        EVENT_HEADER: delivery.event_type,
        DELIVERY_HEADER: str(delivery.pk),
        "User-Agent": "trialdisclosure-webhooks/1",
    }
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    blocked = None if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES else private_address(delivery.endpoint.url)
    if blocked is not None:
        # Not retried: the address will not become public by waiting.
        error, final = f"webhook.private_address: {blocked} is not a public address", True
    else:
        status_code, error = _post(delivery.endpoint.url, body, headers)
    ok = status_code is not None and 200 <= status_code < 300
    attempt = {
        "at": timezone.now().isoformat().replace("+00:00", "Z"),
        "status_code": status_code,
        "error": error,
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update(no_key=True).get(pk=delivery.pk)
        locked.attempts = [*locked.attempts, attempt]
        if ok:
            locked.status = DeliveryStatus.SUCCEEDED
            locked.delivered_at = timezone.now()
        elif final:
            locked.status = DeliveryStatus.FAILED
        locked.save(update_fields=["attempts", "status", "delivered_at"])
    return ok


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    import httpx

    try:
        response = httpx.post(
            url,
            content=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    status_code = response.status_code
    return status_code, "" if 200 <= status_code < 300 else f"HTTP {status_code}"


@transaction.atomic
def replay_delivery(delivery: WebhookDelivery, *, actor: Any) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery to the same endpoint (same event id, so the
    receiver can tell a replay from a new event). Authors and admins."""
    endpoint = delivery.endpoint
    require_role(actor, endpoint.organization, (Role.AUTHOR, Role.ADMIN), "replay webhook deliveries")
    if not endpoint.active:
        raise DomainError("webhook.endpoint_disabled", "The endpoint is disabled; enable a new one instead.")
    replay = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        replay_of=delivery,
    )
    record_event(
        AuditEventType.WEBHOOK_DELIVERY_REPLAYED,
        actor=actor,
        organization=endpoint.organization,
        data={"delivery": delivery.pk, "replay": replay.pk},
    )
    _schedule([replay.pk])
    return replay


def _filing_transitioned(
    sender: Any, instance: Any, name: str, source: str, target: str, **kwargs: Any
) -> None:
    # django-fsm signals every transition; the filing's are events for the organization's endpoints.
    # Emitted inside the transition's transaction, so the delivery exists exactly when the change does.
    if not isinstance(instance, Filing):
        return
    trial = instance.trial
    emit_event(
        trial.organization,
        WebhookEvent.FILING_STATE_CHANGED,
        {
            "filing": {"id": instance.pk, "stage": instance.stage, "kind": instance.kind},
            "trial": {"id": trial.pk, "reference": trial.reference},
            "transition": name,
            "from": source,
            "to": target,
        },
    )


def connect_signals() -> None:
    post_transition.connect(_filing_transitioned, dispatch_uid="webhooks.filing_transitioned")
