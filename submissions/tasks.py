"""Background work (Celery). Each task is idempotent: running it twice does what running it once did."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from submissions.domain.deadlines import recompute_deadlines
from submissions.models import Trial


@shared_task(name="submissions.recompute_trial_deadlines")
def recompute_trial_deadlines(trial_id: int, reason: str) -> dict[str, Any]:
    """Recompute one trial's deadlines as of today (scheduled on commit by the domain functions that
    change a record or a filing's submissions). A trial deleted in the meantime is skipped."""
    trial = Trial.objects.select_related("organization").filter(pk=trial_id).first()
    if trial is None:
        return {"trial": trial_id, "skipped": "no such trial"}
    result = recompute_deadlines(trial, reason=reason)
    return {
        "trial": trial_id,
        "computed_on": result.computed_on.isoformat(),
        "current": result.current,
        "changes": [change.as_dict() for change in result.changes],
    }
