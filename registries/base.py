"""The interface every registry package implements (DESIGN section 5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from registries.enums import Stage
from registries.findings import Finding
from registries.payload import Payload

Record = dict[str, Any]
Importer = Callable[[bytes], Record]


class Registry(Protocol):
    code: str
    name: str
    stages: tuple[Stage, ...]
    importers: Mapping[str, Importer]

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """What this registry demands of the record at this stage, as findings. Never raises for a
        record that falls short."""
        ...

    def build(self, record: Record, stage: Stage) -> Payload:
        """The payload this registry receives for the stage. Deterministic: same record, same bytes."""
        ...

    def verify(self, payload: Payload) -> list[Finding]:
        """The payload against the registry's own official schema; a missing schema is a finding."""
        ...
