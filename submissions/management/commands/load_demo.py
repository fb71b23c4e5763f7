"""`python manage.py load_demo`: the demo sponsor, its people and trials (idempotent; used by `make run`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from submissions.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo sponsor, one user per role and trials in several states; existing ones are kept."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(self.stdout.write)
        self.stdout.write(
            "Demo users demo-viewer, demo-author, demo-reviewer, demo-approver, demo-admin; "
            f"password {DEMO_PASSWORD}"
        )
