"""`python manage.py import_trials FILE_OR_DIR... --organization SLUG --user NAME`: a portfolio as published.

Each file (a folder's ``*.json`` and ``*.xml`` files, in name order) goes through
``submissions.domain.imports.import_trials``, the function the web import page and the API call too: a
trial per study, created or updated, in the lifecycle state its registry history shows. One line per
study (``--json``: one JSON object per study), then a summary. Exit status 1 when any study was refused.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from registries.importers import import_formats
from submissions.domain.imports import ImportReport, ImportStatus, import_trials
from submissions.errors import DomainError
from submissions.models import Organization

_SUFFIXES = (".json", ".xml")


def _inputs(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder.")
    return files


def _line(report: ImportReport) -> str:
    if report.refused:
        error = report.error or {}
        return f"refused   {report.source}: {error.get('code')}: {error.get('message')}"
    warnings = len(report.findings)
    parts = [f"{report.status:<9} {report.nct_id or report.reference} ({report.state})"]
    parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    parts.append(f"{report.filed} registry filing{'s' if report.filed != 1 else ''} recorded")
    if report.dropped:
        parts.append(f"{len(report.dropped)} input fields dropped")
    return ", ".join(parts)


class Command(BaseCommand):
    help = (
        "Import trials from registry records (ClinicalTrials.gov API v2 JSON, downloads of many studies, "
        "PRS XML, the retired public XML): create or update one trial per study, in the state its "
        "registry history shows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
        parser.add_argument("--organization", required=True, help="The sponsor's slug.")
        parser.add_argument("--user", required=True, help="Username of the author the import is done as.")
        parser.add_argument("--format", choices=import_formats(), help="Input format (default: detected).")
        parser.add_argument("--json", action="store_true", help="One JSON report per study.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"--organization: no organization with slug {options['organization']!r}.")
        actor = get_user_model().objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(f"--user: no user {options['user']!r}.")
        counts: Counter[str] = Counter()
        for path in _inputs(options["paths"]):
            try:
                reports = import_trials(
                    path.read_bytes(),
                    options["format"],
                    organization=organization,
                    actor=actor,
                    source=str(path),
                )
            except DomainError as exc:
                if exc.code in ("org.not_member", "role.required"):
                    raise CommandError(f"{exc.code}: {exc.message}") from None
                counts[ImportStatus.REFUSED] += 1
                self.stdout.write(f"refused   {path}: {exc.code}: {exc.message}")
                continue
            for report in reports:
                counts[report.status] += 1
                if options["json"]:
                    self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
                else:
                    self.stdout.write(_line(report))
        summary = ", ".join(
            f"{counts[status]} {status}"
            for status in (
                ImportStatus.CREATED,
                ImportStatus.UPDATED,
                ImportStatus.UNCHANGED,
                ImportStatus.REFUSED,
            )
        )
        self.stderr.write(f"Imported: {summary}.")
        if counts[ImportStatus.REFUSED]:
            raise CommandError(f"{counts[ImportStatus.REFUSED]} studies were refused (see above).")
