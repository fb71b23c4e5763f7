"""A registry adapter for tests: one note per check, so a test can see that it ran."""

from __future__ import annotations

from collections.abc import Mapping

from registries.base import Importer, Record
from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.payload import Payload


class EchoAdapter:
    code = "echo"
    name = "Echo (tests)"
    stages: tuple[Stage, ...] = tuple(Stage)
    importers: Mapping[str, Importer] = {}

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        return [Finding(Severity.NOTE, "echo.checked", "", "Checked.", registry=self.code, stage=stage)]

    def build(self, record: Record, stage: Stage) -> Payload:
        return Payload(self.code, stage, b"", "text/plain", "echo.txt", "0")

    def verify(self, payload: Payload) -> list[Finding]:
        return []


ADAPTER = EchoAdapter()
