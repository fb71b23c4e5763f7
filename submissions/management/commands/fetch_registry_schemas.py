"""Download the official registry schemas into REGISTRY_SCHEMA_DIR (production installs).

The test suite and the demo read the shared copies instead; a production install runs this once and
again whenever a registry publishes a new schema version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from registries import fetch
from registries.findings import RegistryError


class Command(BaseCommand):
    help = "Download the official registry schemas (ClinicalTrials.gov PRS XSDs) into REGISTRY_SCHEMA_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="target directory (default: the REGISTRY_SCHEMA_DIR setting)",
        )
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per download")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"] or Path(settings.REGISTRY_SCHEMA_DIR)
        try:
            # Looked up at call time so that the official addresses stay in one place (registries.fetch).
            results = fetch.fetch_schemas(
                directory, sources=fetch.OFFICIAL_SCHEMAS, timeout=options["timeout"]
            )
        except RegistryError as exc:
            raise CommandError(f"{exc.code}: {exc.message} Nothing was replaced.") from None
        for item in results:
            if item.status == "installed":
                self.stdout.write(
                    f"installed {item.folder}/{item.file_name} sha256={item.sha256} from {item.url}"
                )
            else:
                self.stdout.write(f"skipped {item.folder}/{item.file_name}: {item.reason}")
        self.stdout.write(self.style.SUCCESS(f"Registry schemas are in {directory}"))
