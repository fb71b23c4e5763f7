"""How long an ``Idempotency-Key`` is remembered, and forgetting the ones that are older.

A CTMS retries a POST within seconds or minutes; a stored first response that outlives any retry only
grows the table. After ``API_IDEMPOTENCY_KEY_HOURS`` the key may be used again for a new request, and
the daily cleanup (Celery beat, or ``manage.py forget_idempotency_keys``) deletes the old rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from submissions.models import IdempotencyRecord


def remembered_since(now: datetime | None = None) -> datetime:
    """Keys first used before this moment are forgotten."""
    return (now or timezone.now()) - timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS)


def is_forgotten(record: IdempotencyRecord, now: datetime | None = None) -> bool:
    return record.created_at < remembered_since(now)


def forget_idempotency_keys(now: datetime | None = None) -> int:
    """Delete the stored responses of keys older than the window; the number deleted."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=remembered_since(now)).delete()
    return deleted
