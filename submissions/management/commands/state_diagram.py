"""`python manage.py state_diagram [--check]`: write (or check) docs/state-machines.md from workflow.py."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from submissions.diagram import doc_path, state_machines_markdown


class Command(BaseCommand):
    help = "Generate the Mermaid state diagrams of the trial and filing state machines into the docs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Exit 1 if the committed file is out of date."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = doc_path()
        text = state_machines_markdown()
        if options["check"]:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                self.stderr.write(f"{path} is out of date: run `python manage.py state_diagram`.")
                sys.exit(1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
