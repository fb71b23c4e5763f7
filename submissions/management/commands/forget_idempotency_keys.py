"""Delete the stored first responses of Idempotency-Keys older than API_IDEMPOTENCY_KEY_HOURS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from submissions.api.idempotency import forget_idempotency_keys


class Command(BaseCommand):
    help = "Forget Idempotency-Keys older than API_IDEMPOTENCY_KEY_HOURS (the daily cleanup)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = forget_idempotency_keys()
        hours = settings.API_IDEMPOTENCY_KEY_HOURS
        self.stdout.write(f"Forgot {deleted} idempotency keys older than {hours} hours.")
