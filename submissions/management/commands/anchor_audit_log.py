"""Copy the audit chain's head (event count and last hash) to the anchor store outside the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from submissions.anchors import anchor_chain
from submissions.errors import DomainError


class Command(BaseCommand):
    help = "Anchor the audit chain's head outside the database (AUDIT_ANCHOR_STORE); refuses a broken chain."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchor = anchor_chain()
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        self.stdout.write(
            f"Anchored {anchor.count} events, head {anchor.head_hash}, at {anchor.anchored_at}."
        )
