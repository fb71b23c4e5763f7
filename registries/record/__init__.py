"""The canonical record itself as a registry payload (code ``record``).

It is the reference adapter: its checks are the generic ones (record schema, stage profile, rules) and
its payload is the canonical serialization, so an integration that takes our JSON gets exactly what the
sponsor approved, byte for byte.

At the lay-summary stage it also carries the copy for the trial sites: one Annex V lay-summary PDF per
language, in the sponsor's branding (issue 12: the lay summary is "a payload of the lay-summary stage for
CTIS and ISRCTN upload and for sites"). The canonical record goes to every filing (registries.targets),
so the sites' copy is approved and signed with the stage whatever the other targets are.
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
from registries.laysummary.pdf import Branding, render_lay_summary_pdf
from registries.payload import Payload
from registries.pdf import PDF_MEDIA_TYPE, PDF_VARIANT
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

    def build_all(self, record: Record, stage: Stage) -> list[Payload]:
        """The canonical serialization, then at the lay-summary stage the sites' lay-summary PDFs."""
        return self.build_branded(record, stage, Branding())

    def build_branded(self, record: Record, stage: Stage, branding: Branding) -> list[Payload]:
        """``build_all`` with the sites' PDFs in ``branding``: one per language of ``laySummaries``, in the
        record's order."""
        main = self.build(record, stage)
        if main.stage is not Stage.LAY_SUMMARY:
            return [main]
        stem = main.file_name.removesuffix(f"-{main.stage.value}.json")
        payloads = [main]
        for summary in record.get("laySummaries") or []:
            language = summary.get("language") if isinstance(summary, dict) else None
            if not isinstance(language, str) or not language.strip():
                continue  # the record schema's findings say what is wrong with this summary
            payloads.append(
                Payload(
                    registry=CODE,
                    stage=main.stage,
                    content=render_lay_summary_pdf(record, language, branding=branding),
                    media_type=PDF_MEDIA_TYPE,
                    file_name=f"{stem}-lay-summary-{_UNSAFE_FILE_CHARACTERS.sub('_', language)}.pdf",
                    schema_version=PDF_VARIANT,
                )
            )
        return payloads

    def verify(self, payload: Payload) -> list[Finding]:
        """The payload parses as JSON and validates against the record schema; a PDF is a PDF file."""
        if payload.media_type == PDF_MEDIA_TYPE:
            return (
                []
                if payload.content.startswith(b"%PDF-")
                else [
                    Finding(
                        severity=Severity.ERROR,
                        code="payload.pdf_invalid",
                        pointer="",
                        message=f"{payload.file_name} is not a PDF file.",
                        registry=CODE,
                        stage=payload.stage,
                        source="ISO 32000",
                    )
                ]
            )
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
