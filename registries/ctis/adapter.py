"""EU CTIS behind the registry interface (code ``ctis``).

- ``build`` is the CTIS JSON document of the stage; ``build_all`` adds the files CTIS takes as uploads:
  at the results stage the Annex IV summary-of-results PDF and one Annex V lay-summary PDF per language,
  at the lay-summary stage the lay-summary PDFs.
- ``verify`` checks the JSON against our own schema (CTIS publishes none) and a PDF for being a tagged
  PDF file.
- ``check`` is ``registries.ctis.checks``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from registries.base import Importer, Record
from registries.ctis import document as ctis_document
from registries.ctis.checks import check_record
from registries.ctis.vocab import CODE, NAME, PAYLOAD_SCHEMA_VERSION
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.laysummary.pdf import Branding
from registries.payload import Payload
from registries.pdf import PDF_MEDIA_TYPE, PDF_VARIANT
from registries.schema import SCHEMAS_DIR, is_valid_record, payload_validator

STAGES: tuple[Stage, ...] = (Stage.REGISTRATION, Stage.RESULTS, Stage.LAY_SUMMARY)
JSON_MEDIA_TYPE = "application/json"
PAYLOAD_SCHEMA = "ctis/v1/ctis-payload.schema.json"
_UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


def _file_stem(record: Record) -> str:
    eu = record.get("euSection") or {}
    identification = (record.get("protocolSection") or {}).get("identificationModule") or {}
    for candidate in (eu.get("euCtNumber"), (identification.get("orgStudyIdInfo") or {}).get("id")):
        if isinstance(candidate, str) and candidate.strip():
            return _UNSAFE_FILE_CHARACTERS.sub("_", candidate.strip())[:64]
    return "record"


def _where(path: Iterable[Any]) -> str:
    return "/".join(str(part) for part in path) or "top level"


class CtisAdapter:
    code = CODE
    name = NAME
    stages: tuple[Stage, ...] = STAGES
    importers: Mapping[str, Importer] = {}

    def _stage(self, stage: Stage | str) -> Stage:
        value = Stage(stage)
        if value not in STAGES:
            raise RegistryError(
                "ctis.stage_not_supported",
                f"CTIS has no {value.value} stage; its stages are {', '.join(s.value for s in STAGES)}.",
            )
        return value

    def _require_valid(self, record: Record) -> None:
        if not is_valid_record(record):
            raise RegistryError(
                "ctis.record_invalid",
                "The record does not match the record schema, so no CTIS payload can be built from it; fix "
                "the record's schema findings first.",
            )

    def build(self, record: Record, stage: Stage) -> Payload:
        """The CTIS JSON document for the stage (same record, same bytes)."""
        stage = self._stage(stage)
        self._require_valid(record)
        content = ctis_document.serialize(ctis_document.build_document(record, stage))
        return Payload(
            registry=CODE,
            stage=stage,
            content=content,
            media_type=JSON_MEDIA_TYPE,
            file_name=f"{_file_stem(record)}-ctis-{stage.value}.json",
            schema_version=PAYLOAD_SCHEMA_VERSION,
        )

    def build_all(self, record: Record, stage: Stage) -> list[Payload]:
        """Every file CTIS takes for the stage, the JSON document first."""
        return self.build_branded(record, stage, Branding())

    def build_branded(self, record: Record, stage: Stage, branding: Branding) -> list[Payload]:
        """``build_all`` with the lay-summary PDFs in the sponsor's branding (the summary of results, a
        technical document, keeps the plain layout)."""
        from registries.ctis.pdf import render_summary_of_results_pdf
        from registries.laysummary.pdf import render_lay_summary_pdf

        main = self.build(record, stage)
        payloads = [main]
        stem = _file_stem(record)
        if main.stage is Stage.RESULTS:
            payloads.append(
                self._pdf(main.stage, render_summary_of_results_pdf(record), f"{stem}-summary-of-results.pdf")
            )
        if main.stage in (Stage.RESULTS, Stage.LAY_SUMMARY):
            for summary in record.get("laySummaries") or []:
                language = str(summary.get("language"))
                payloads.append(
                    self._pdf(
                        main.stage,
                        render_lay_summary_pdf(record, language, branding=branding),
                        f"{stem}-lay-summary-{_UNSAFE_FILE_CHARACTERS.sub('_', language)}.pdf",
                    )
                )
        return payloads

    @staticmethod
    def _pdf(stage: Stage, content: bytes, file_name: str) -> Payload:
        return Payload(
            registry=CODE,
            stage=stage,
            content=content,
            media_type=PDF_MEDIA_TYPE,
            file_name=file_name,
            schema_version=PDF_VARIANT,
        )

    def verify(self, payload: Payload) -> list[Finding]:
        """The JSON against ``schemas/ctis/v1/ctis-payload.schema.json``; a PDF for its header and
        PDF/UA identification. A missing schema is an error finding."""
        if payload.media_type == PDF_MEDIA_TYPE:
            return self._verify_pdf(payload)
        if not (SCHEMAS_DIR / PAYLOAD_SCHEMA).is_file():
            return [
                self._finding(
                    payload,
                    "ctis.schema_missing",
                    "",
                    f"The CTIS payload schema {PAYLOAD_SCHEMA} is missing.",
                )
            ]
        try:
            document = json.loads(payload.content)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return [
                self._finding(payload, "ctis.payload_not_json", "", f"The CTIS payload is not JSON: {exc}.")
            ]
        validator = payload_validator(PAYLOAD_SCHEMA)
        return [
            self._finding(
                payload,
                "ctis.payload_schema",
                "".join(f"/{part}" for part in error.absolute_path),
                f"CTIS payload at {_where(error.absolute_path)}: {error.message}",
            )
            for error in sorted(
                validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
            )
        ]

    def _verify_pdf(self, payload: Payload) -> list[Finding]:
        if not payload.content.startswith(b"%PDF-"):
            return [self._finding(payload, "ctis.pdf_invalid", "", f"{payload.file_name} is not a PDF file.")]
        return []

    @staticmethod
    def _finding(payload: Payload, code: str, pointer: str, message: str) -> Finding:
        # Pointers here are into the payload, not the record: the source says so.
        return Finding(
            Severity.ERROR, code, pointer, message, CODE, payload.stage, f"CTIS payload {payload.file_name}"
        )

    def filed_as(self, record: Record, stage: Stage) -> tuple[tuple[Stage, str | None], ...]:
        """A final results filing carries the lay summary too (CTR Art. 37(4): both are due together and
        CTIS takes them in one submission); an interim one is the intermediate analysis's summary (Art.
        37(8)), which does not meet the final results duty."""
        stage = Stage(stage)
        if stage is not Stage.RESULTS:
            return ((stage, None),)
        if (record.get("euSection") or {}).get("resultsAnalysisStage") == "INTERIM":
            return ((Stage.RESULTS, "interim"),)
        if record.get("laySummaries"):
            return ((Stage.RESULTS, None), (Stage.LAY_SUMMARY, None))
        return ((Stage.RESULTS, None),)

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """The CTIS checks (``registries.ctis.checks``) for the stage."""
        return check_record(record, self._stage(stage))


ADAPTER = CtisAdapter()
