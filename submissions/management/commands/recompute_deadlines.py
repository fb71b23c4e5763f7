"""`python manage.py recompute_deadlines`: the daily recomputation of every trial's deadlines.

Statuses move with the calendar (upcoming becomes due soon, then overdue) even when nothing is saved, so
this runs once a day (cron or Celery beat). Idempotent: a second run on the same day changes nothing.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from deadlines.dates import DateError, parse_day
from submissions.domain.deadlines import recompute_deadlines
from submissions.enums import RecomputeReason, TrialState
from submissions.errors import DomainError
from submissions.models import Organization, Trial

DEFAULT_CHUNK_SIZE = 200

logger = logging.getLogger(__name__)


def _today(raw: str | None) -> date:
    if raw is None:
        return timezone.localdate()
    try:
        return parse_day(raw)
    except DateError as exc:
        raise CommandError(f"--today: {exc}.") from None


def _organization(raw: str | None) -> Organization | None:
    if raw is None:
        return None
    found = Organization.objects.filter(slug=raw).first()
    if found is None and raw.isdigit():
        found = Organization.objects.filter(pk=int(raw)).first()
    if found is None:
        raise CommandError(f"--organization: no organization with slug or id {raw!r}.")
    return found


class Command(BaseCommand):
    help = (
        "Recompute the deadlines of every trial that is not withdrawn, as of today or --today; "
        "history rows and audit events are written only for changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="The day to compute for, YYYY-MM-DD (default: today).")
        parser.add_argument("--organization", help="Only this organization's trials (slug or id).")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"Trials per transaction (default {DEFAULT_CHUNK_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _today(options["today"])
        organization = _organization(options["organization"])
        chunk_size = options["chunk_size"]
        if chunk_size < 1:
            raise CommandError(f"--chunk-size: must be at least 1, not {chunk_size}.")
        trials: QuerySet[Trial] = Trial.objects.exclude(state=TrialState.WITHDRAWN)
        if organization is not None:
            trials = trials.filter(organization=organization)
        total = trials.count()
        done = changed = status_changes = 0
        failed: list[str] = []
        last_pk = 0
        while True:
            # Keyset chunks: each chunk is one transaction, so a long run holds no transaction open.
            chunk = list(
                trials.filter(pk__gt=last_pk)
                .select_related("organization", "head")
                .order_by("pk")[:chunk_size]
            )
            if not chunk:
                break
            last_pk = chunk[-1].pk
            with transaction.atomic():
                for trial in chunk:
                    try:
                        # A savepoint per trial: a failure undoes that trial's writes only, and the run
                        # carries on with every other trial and organization.
                        with transaction.atomic():
                            result = recompute_deadlines(trial, reason=RecomputeReason.DAILY, today=today)
                    except DomainError as error:
                        failed.append(f"{trial.reference} (#{trial.pk}): {error.code}: {error.message}")
                    except Exception as error:
                        logger.exception("Deadline recomputation failed for trial %s (%s)", trial.pk, trial)
                        failed.append(f"{trial.reference} (#{trial.pk}): {type(error).__name__}: {error}")
                    else:
                        changed += result.changed
                        status_changes += len(result.status_changes)
                    done += 1
            self.stderr.write(f"{done}/{total} trials, {changed} changed")
        self.stdout.write(
            f"Deadlines recomputed as of {today.isoformat()}: {done} trials, {changed} changed, "
            f"{status_changes} status changes."
        )
        if failed:
            raise CommandError("Could not recompute: " + "; ".join(failed))
