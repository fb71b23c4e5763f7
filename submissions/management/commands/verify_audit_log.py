"""Verify the audit trail's hash chain; exit 1 naming the first broken link (DESIGN section 7)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from submissions.audit import verify_chain


class Command(BaseCommand):
    help = "Walk the audit chain in order and name the first event whose link or hash does not hold."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            self.stderr.write(f"Audit chain broken after {checked} good events: {broken.sentence()}")
            sys.exit(1)
        self.stdout.write(f"Audit chain intact: {checked} events verified.")
