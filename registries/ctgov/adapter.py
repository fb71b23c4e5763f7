"""ClinicalTrials.gov behind the registry interface (code ``ctgov``).

- ``build`` is the full PRS upload for a stage (ProtocolRecordSchema.xsd document, with the embedded
  RRS result at the results stage); ``build_update`` is the partial upload for an update filing.
- ``verify`` is validation layer 1: the official XSDs.
- ``check`` is layer 1 run on the payload the record would produce (so schema problems show on the
  record's fields) plus layers 2-4 from ``registries.ctgov.checks``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from importlib import import_module
from typing import Any

from registries.base import Importer, Record
from registries.ctgov import xsd
from registries.ctgov._xmlbuild import serialize
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.payload import Payload
from registries.rules import results_groups_exist
from registries.schema import has_valid_shape

CODE = "ctgov"
NAME = "ClinicalTrials.gov"
MEDIA_TYPE = "application/xml"
STAGES: tuple[Stage, ...] = (Stage.REGISTRATION, Stage.PROTOCOL_SUMMARY, Stage.RESULTS)
_UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")

# format code -> "module:function" returning ImportResult; the adapter exposes record-returning callables.
IMPORT_FORMATS: dict[str, str] = {
    "ctgov-v2": "registries.ctgov.importers.api_v2:import_study",
    "ctgov-prs-xml": "registries.ctgov.importers.prs_xml:import_prs_xml",
    "ctgov-public-xml": "registries.ctgov.importers.public_xml:import_public_xml",
}


def _record_importer(target: str) -> Importer:
    def load(data: bytes) -> Record:
        module_name, _, attribute = target.partition(":")
        function: Callable[[bytes], Any] = getattr(import_module(module_name), attribute)
        record: Record = function(data).record
        return record

    return load


def _file_stem(record: Record) -> str:
    identification = (record.get("protocolSection") or {}).get("identificationModule") or {}
    for candidate in (identification.get("nctId"), (identification.get("orgStudyIdInfo") or {}).get("id")):
        if isinstance(candidate, str) and candidate.strip():
            return _UNSAFE_FILE_CHARACTERS.sub("_", candidate.strip())[:64]
    return "record"


def _schema_version(stage: Stage) -> str:
    if stage is Stage.RESULTS:
        return f"{xsd.PROTOCOL_SCHEMA_VERSION} + {xsd.RESULTS_SCHEMA_VERSION}"
    return xsd.PROTOCOL_SCHEMA_VERSION


def _payload_check_waits(stage: Stage, until: str) -> Finding:
    return Finding(
        Severity.NOTE,
        "ctgov.payload_check_waiting",
        "",
        f"The PRS upload XML is checked against the official schemas once {until}; the other "
        "ClinicalTrials.gov checks have run.",
        CODE,
        stage,
        "PRS upload XML",
    )


class CtgovAdapter:
    code = CODE
    name = NAME
    stages: tuple[Stage, ...] = STAGES
    importers: Mapping[str, Importer] = {
        fmt: _record_importer(target) for fmt, target in IMPORT_FORMATS.items()
    }

    def _stage(self, stage: Stage | str) -> Stage:
        value = Stage(stage)
        if value not in STAGES:
            raise RegistryError(
                "ctgov.stage_not_supported",
                f"ClinicalTrials.gov has no {value.value} stage; its stages are "
                f"{', '.join(s.value for s in STAGES)}.",
            )
        return value

    def _require_valid(self, record: Record) -> None:
        # The builders map a record of the right shape; one that breaks the record schema's shape (a list
        # where an object belongs, say) has findings that say what to fix, and no XML can honestly be made.
        # Limits and vocabularies do not stop a build: an imported record as published must build, and
        # their findings are errors at the stage check before anything is sent.
        if not has_valid_shape(record):
            raise RegistryError(
                "ctgov.record_invalid",
                "The record does not match the record schema, so no ClinicalTrials.gov XML can be built "
                "from it; fix the record's schema findings first.",
            )

    def build(self, record: Record, stage: Stage) -> Payload:
        """The full PRS upload XML for the stage (same record, same bytes). A record that breaks the
        record schema is refused (``ctgov.record_invalid``)."""
        from registries.ctgov.protocol_xml import build_stage_tree

        stage = self._stage(stage)
        self._require_valid(record)
        content = serialize(build_stage_tree(record, stage))
        return Payload(
            registry=CODE,
            stage=stage,
            content=content,
            media_type=MEDIA_TYPE,
            file_name=f"{_file_stem(record)}-ctgov-{stage.value}.xml",
            schema_version=_schema_version(stage),
        )

    def build_update(self, record: Record, stage: Stage, changed_modules: Collection[str]) -> Payload:
        """A PRS partial upload carrying only the changed API v2 modules (protocol and results).

        PRS keeps every data element this upload leaves out (partial_upload="true" on clinical_study,
        partialUpload="true" on the result), so an update never erases what it does not mention.
        """
        from registries.ctgov.protocol_xml import build_stage_tree

        stage = self._stage(stage)
        self._require_valid(record)
        content = serialize(build_stage_tree(record, stage, changed_modules=sorted(changed_modules)))
        return Payload(
            registry=CODE,
            stage=stage,
            content=content,
            media_type=MEDIA_TYPE,
            file_name=f"{_file_stem(record)}-ctgov-{stage.value}-update.xml",
            schema_version=_schema_version(stage),
        )

    def verify(self, payload: Payload) -> list[Finding]:
        """The payload against the official PRS XSDs (a missing schema is an error finding)."""
        return xsd.verify_xml(payload.content, payload.stage)

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """Schema findings on the payload the record produces, then the PRS pick-list, length,
        requirement, validation-message, results-content and results-consistency checks.

        The record checks read the record defensively, so a record that breaks the record schema in one
        place (an over-long title, say) still gets every ClinicalTrials.gov finding about the rest. Only
        the payload cannot be built from such a record: its XSD check waits, and says so in a note.
        """
        stage = self._stage(stage)
        # Imported here so that building and verifying never pay for loading the rule modules.
        from registries.ctgov.checks import check_record

        findings: list[Finding] = []
        if not has_valid_shape(record):
            # A limit or vocabulary the record breaks (an imported over-long text, a retired code) does not
            # stop the payload check: the upload is built as published and verified like any other.
            findings.append(_payload_check_waits(stage, "the record matches the record schema"))
        else:
            try:
                payload_findings = xsd.verify_xml(self.build(record, stage).content, stage)
                if any(results_groups_exist.check(record, dt.date.today())):
                    # A reference to an undeclared group is the generic rule rule.unknown_results_group,
                    # which names the very groupId; the payload's IDREF finding would repeat it.
                    payload_findings = [f for f in payload_findings if f.code != "ctgov.xsd_idref"]
                findings += payload_findings
            except RegistryError as exc:
                if exc.code == "ctgov.text_not_xml_safe":
                    # The generic rule rule.text_not_xml_safe already names the field: one finding.
                    findings.append(_payload_check_waits(stage, "no text holds a character XML cannot carry"))
                else:
                    findings.append(
                        Finding(
                            Severity.ERROR, exc.code, exc.pointer, exc.message, CODE, stage, "PRS upload XML"
                        )
                    )
        findings += check_record(record, stage)
        return findings


ADAPTER = CtgovAdapter()
