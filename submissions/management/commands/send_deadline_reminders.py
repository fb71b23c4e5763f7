"""`manage.py send_deadline_reminders`: e-mail the reminders due today (run daily; each is sent once)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from submissions.domain.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Send the deadline reminders due today to each trial's authors (30, 7 and 1 days before by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Act as if today were this date (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_deadline_reminders(today=options.get("today"))
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")
