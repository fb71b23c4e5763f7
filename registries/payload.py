"""A payload: the bytes we would send to a registry, and what they were built from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from registries.enums import Stage
from registries.findings import Finding


@dataclass(frozen=True, slots=True)
class Payload:
    registry: str
    stage: Stage
    content: bytes
    media_type: str
    file_name: str
    schema_version: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()
