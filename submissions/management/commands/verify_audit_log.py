"""Verify the audit trail: its keyed hash chain, the anchors kept outside the database and the
e-signatures; exit 1 naming what was found (DESIGN section 7)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from submissions.audit import verify_trail


class Command(BaseCommand):
    help = (
        "Walk the audit chain in order under the audit key, check it against every anchor and check every "
        "e-signature; name each event edited, re-chained without the key, or removed after an anchor."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_trail()
        if not report.intact:
            for finding in report.findings:
                self.stderr.write(f"{finding.kind}: {finding.sentence}")
            self.stderr.write(
                f"Audit trail NOT intact: {len(report.findings)} finding(s); {report.events} events held."
            )
            sys.exit(1)
        self.stdout.write(
            f"Audit chain intact: {report.events} events verified against {report.anchors} anchor(s); "
            f"{report.signatures} e-signature(s) verified."
        )
