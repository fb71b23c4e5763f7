"""Background work (Celery). Each task is idempotent: running it twice does what running it once did."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from submissions.domain.deadlines import recompute_deadlines, recompute_started
from submissions.models import Trial

logger = logging.getLogger(__name__)


@shared_task(name="submissions.recompute_trial_deadlines")
def recompute_trial_deadlines(trial_id: int, reason: str) -> dict[str, Any]:
    """Recompute one trial's deadlines as of today (scheduled on commit by the domain functions that
    change a record or a filing's submissions). A trial deleted in the meantime is skipped."""
    recompute_started(trial_id, reason)
    trial = Trial.objects.select_related("organization").filter(pk=trial_id).first()
    if trial is None:
        return {"trial": trial_id, "skipped": "no such trial"}
    try:
        result = recompute_deadlines(trial, reason=reason)
    except Exception:
        # The domain turns the trial's own unreadable data into cannot_compute verdicts; what still
        # fails here (the database) must reach the operators, not vanish in the on-commit hook.
        logger.exception("Deadline recomputation failed for trial %s (reason %s)", trial_id, reason)
        raise
    return {
        "trial": trial_id,
        "computed_on": result.computed_on.isoformat(),
        "current": result.current,
        "changes": [change.as_dict() for change in result.changes],
    }


@shared_task(name="submissions.recompute_all_deadlines")
def recompute_all_deadlines() -> str:
    """The daily recomputation (Celery beat, see CELERY_BEAT_SCHEDULE): the same work as
    ``manage.py recompute_deadlines``, so cron and beat installs behave alike."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("recompute_deadlines", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@shared_task(name="submissions.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """The daily reminder e-mails (Celery beat); the same work as ``manage.py send_deadline_reminders``.
    Idempotent: a reminder already recorded is never sent again."""
    from submissions.domain.reminders import send_deadline_reminders as send

    return len(send())


@shared_task(name="submissions.run_bulk_upsert_job")
def run_bulk_upsert_job(job_id: int) -> dict[str, Any]:
    """Run a queued bulk upsert (``start_bulk_upsert``). A job already finished is left alone."""
    from submissions.domain.records import run_bulk_upsert
    from submissions.models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return {"job": job_id, "skipped": "no such job"}
    job = run_bulk_upsert(job)
    return {"job": job_id, "status": job.status, "done": job.done}


# Seconds before retry n (1-based) of a failed webhook delivery: 30 s, 2 min, 8 min, 32 min, ~2 h.
WEBHOOK_RETRY_BASE_SECONDS = 30
WEBHOOK_MAX_RETRIES = 5


@shared_task(bind=True, name="submissions.deliver_webhook", max_retries=WEBHOOK_MAX_RETRIES)
def deliver_webhook(self: Any, delivery_id: int) -> dict[str, Any]:
    """Send one webhook delivery; on a failure retry with exponential backoff, then mark it failed.
    Each attempt is logged on the delivery. A delivery already sent is not sent again."""
    from submissions.domain.webhooks import attempt_delivery
    from submissions.enums import DeliveryStatus
    from submissions.models import WebhookDelivery

    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return {"delivery": delivery_id, "skipped": "no such delivery"}
    final = self.request.retries >= self.max_retries
    if attempt_delivery(delivery, final=final):
        return {"delivery": delivery_id, "delivered": True}
    delivery.refresh_from_db()
    if final or delivery.status == DeliveryStatus.FAILED:
        return {"delivery": delivery_id, "delivered": False}
    raise self.retry(countdown=WEBHOOK_RETRY_BASE_SECONDS * 4**self.request.retries)


@shared_task(name="submissions.anchor_audit_log")
def anchor_audit_log() -> dict[str, Any]:
    """The daily anchor of the audit chain's head (Celery beat), as ``manage.py anchor_audit_log``."""
    from submissions.anchors import anchor_chain

    anchor = anchor_chain()
    return {"count": anchor.count, "head_hash": anchor.head_hash, "anchored_at": anchor.anchored_at}


@shared_task(name="submissions.forget_idempotency_keys")
def forget_idempotency_keys() -> int:
    """The daily cleanup of Idempotency-Key records past API_IDEMPOTENCY_KEY_HOURS (Celery beat), as
    ``manage.py forget_idempotency_keys``."""
    from submissions.api.idempotency import forget_idempotency_keys as forget

    return forget()
