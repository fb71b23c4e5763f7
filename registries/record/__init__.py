"""The canonical record itself as a registry payload (code ``record``).

It is the reference adapter: its checks are the generic ones (record schema, stage profile, rules) and
its payload is the canonical serialization, so an integration that takes our JSON gets exactly what the
sponsor approved, byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from registries.base import Importer, Record
from registries.canonical import canonical_json
from registries.enums import STAGE_ORDER, Severity, Stage
from registries.findings import Finding
from registries.payload import Payload
from registries.schema import RECORD_SCHEMA_VERSION, validate_record

CODE = "record"
MEDIA_TYPE = "application/json"
_UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


def _file_stem(record: Record) -> str:
    protocol = record.get("protocolSection")
    identification = protocol.get("identificationModule") if isinstance(protocol, dict) else None
    if not isinstance(identification, dict):
        return "record"
    org_study = identification.get("orgStudyIdInfo")
    org_study_id = org_study.get("id") if isinstance(org_study, dict) else None
    for candidate in (identification.get("nctId"), org_study_id):
        if isinstance(candidate, str) and candidate.strip():
            return _UNSAFE_FILE_CHARACTERS.sub("_", candidate.strip())[:64]
    return "record"


class RecordAdapter:
    code = CODE
    name = "Canonical trial record (JSON)"
    stages: tuple[Stage, ...] = STAGE_ORDER
    importers: Mapping[str, Importer] = {}

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """Record schema, generic stage profile and generic rules."""
        from registries.checks import generic_findings

        return generic_findings(record, stage)

    def build(self, record: Record, stage: Stage) -> Payload:
        """The canonical serialization (sorted keys, no whitespace, UTF-8) of the record as given."""
        stage = Stage(stage)
        version = record.get("schemaVersion")
        return Payload(
            registry=CODE,
            stage=stage,
            content=canonical_json(record),
            media_type=MEDIA_TYPE,
            file_name=f"{_file_stem(record)}-{stage.value}.json",
            schema_version=version if isinstance(version, str) else RECORD_SCHEMA_VERSION,
        )

    def verify(self, payload: Payload) -> list[Finding]:
        """The payload parses as JSON and validates against the record schema."""
        try:
            document: Any = json.loads(payload.content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return [
                Finding(
                    severity=Severity.ERROR,
                    code="payload.malformed_json",
                    pointer="",
                    message=f"The payload is not valid UTF-8 JSON: {exc}.",
                    registry=CODE,
                    stage=payload.stage,
                    source="RFC 8259",
                )
            ]
        return validate_record(document, payload.stage, registry=CODE)


ADAPTER = RecordAdapter()
