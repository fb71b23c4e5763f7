"""The WHO Trial Registration Data Set behind the registry interface (code ``who``)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from jsonschema import ValidationError

from registries import identifiers
from registries.base import Importer, Record, supported_stage
from registries.ctgov._xmlbuild import get
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError, pointer
from registries.payload import Payload
from registries.schema import SCHEMAS_DIR, is_valid_record, payload_validator
from registries.who import ictrp_xml, trds

CODE = "who"
NAME = "WHO ICTRP"
STAGES: tuple[Stage, ...] = (Stage.REGISTRATION, Stage.RESULTS)
SOURCE = "WHO TRDS 1.3.1"
JSON_MEDIA_TYPE = "application/json"
# WHO publishes no JSON form of the TRDS; the companion's schema is ours (schemas/README.md).
TRDS_SCHEMA = "who/trds.schema.json"


def missing_item_code(number: int) -> str:
    return f"who.trds_item_{number:02d}_missing"


def _stem(record: Record) -> str:
    _registry, trial_id = trds.primary_registry(record)
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in trial_id)[:64] or "record"


def _utn_findings(record: Record, stage: Stage) -> list[Finding]:
    findings: list[Finding] = []
    for index, entry in identifiers.secondary_ids(record):
        number = entry.get("id")
        if (
            identifiers.is_utn_entry(entry)
            and isinstance(number, str)
            and not identifiers.UTN_PATTERN.match(number.strip())
        ):
            findings.append(
                Finding(
                    Severity.ERROR,
                    "who.utn_format",
                    pointer("protocolSection", "identificationModule", "secondaryIdInfos", index, "id"),
                    f"{number!r} is not a Universal Trial Number: a UTN is U followed by three groups of "
                    "four digits joined by hyphens, such as U1111-1234-5678 (WHO ICTRP).",
                    CODE,
                    stage,
                    SOURCE,
                )
            )
    if not identifiers.utn(record):
        findings.append(
            Finding(
                Severity.WARNING,
                "who.utn_missing",
                "/whoSection/utn",
                "The record has no WHO Universal Trial Number. WHO asks sponsors to obtain a UTN before the "
                "first registration and to quote it in every registry, so ICTRP can link the records of one "
                "trial (TRDS item 3).",
                CODE,
                stage,
                SOURCE,
            )
        )
    return findings


def _trds_finding(payload: Payload, code: str, pointer_: str, message: str) -> Finding:
    # Pointers here are into the payload, not the record: the source says so.
    return Finding(
        Severity.ERROR, code, pointer_, message, CODE, payload.stage, f"WHO payload {payload.file_name}"
    )


def _brief(error: ValidationError) -> str:
    # jsonschema quotes the whole offending value; a short list of items is the whole document.
    if error.validator == "minItems" and isinstance(error.instance, list):
        return f"{len(error.instance)} items where the TRDS has {error.validator_value}"
    return error.message if len(error.message) <= 300 else error.message[:297] + "..."


def _verify_trds(payload: Payload) -> list[Finding]:
    if not (SCHEMAS_DIR / TRDS_SCHEMA).is_file():
        return [
            _trds_finding(
                payload, "who.trds_schema_missing", "", f"The TRDS schema {TRDS_SCHEMA} is missing."
            )
        ]
    try:
        document = json.loads(payload.content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [_trds_finding(payload, "who.trds_not_json", "", f"The TRDS payload is not JSON: {exc}.")]
    errors = sorted(
        payload_validator(TRDS_SCHEMA).iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
    )
    return [
        _trds_finding(
            payload,
            "who.trds_schema",
            "".join(f"/{part}" for part in error.absolute_path),
            f"TRDS payload at {'/'.join(map(str, error.absolute_path)) or 'top level'}: {_brief(error)}",
        )
        for error in errors
    ]


class WhoAdapter:
    code = CODE
    name = NAME
    stages: tuple[Stage, ...] = STAGES
    importers: Mapping[str, Importer] = {}

    def _stage(self, stage: Stage | str) -> Stage:
        return supported_stage(self, stage)

    def _require_valid(self, record: Record) -> None:
        if not is_valid_record(record):
            raise RegistryError(
                "who.record_invalid",
                "The record does not match the record schema, so no WHO data set can be built from it; "
                "fix the record's schema findings first.",
            )

    def build(self, record: Record, stage: Stage) -> Payload:
        """TRDS items 1-20 as registry-to-ICTRP XML (same record, same bytes)."""
        stage = self._stage(stage)
        self._require_valid(record)
        return Payload(
            registry=CODE,
            stage=stage,
            content=ictrp_xml.serialize(ictrp_xml.build_tree(record)),
            media_type="application/xml",
            file_name=f"{_stem(record)}-who-{stage.value}.xml",
            schema_version=ictrp_xml.DTD_VERSION,
        )

    def build_trds(self, record: Record, stage: Stage) -> Payload:
        """All 24 TRDS items as JSON: the companion that carries items 21-24, which the DTD predates."""
        stage = self._stage(stage)
        self._require_valid(record)
        content = json.dumps(trds.trds_document(record), indent=2, ensure_ascii=False, sort_keys=False)
        return Payload(
            registry=CODE,
            stage=stage,
            content=(content + "\n").encode("utf-8"),
            media_type=JSON_MEDIA_TYPE,
            file_name=f"{_stem(record)}-who-trds-{stage.value}.json",
            schema_version=f"TRDS {trds.TRDS_VERSION}",
        )

    def build_all(self, record: Record, stage: Stage) -> list[Payload]:
        """Both files WHO takes for the stage: the ICTRP XML (items 1-20) first, then the TRDS JSON that
        alone carries items 21-24, so every item reaches the filing."""
        return [self.build(record, stage), self.build_trds(record, stage)]

    def verify(self, payload: Payload) -> list[Finding]:
        """The ICTRP XML against who_ictrp.dtd (a missing DTD is an error finding); the TRDS JSON against
        ``schemas/who/trds.schema.json``."""
        if payload.media_type == JSON_MEDIA_TYPE:
            return _verify_trds(payload)
        return ictrp_xml.verify_xml(payload.content, payload.stage)

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """One finding per TRDS item the stage requires and the record lacks, the UTN's format and
        presence, and the checks of both files the record produces (the XML against the DTD, the TRDS JSON
        against its schema)."""
        stage = self._stage(stage)
        values = trds.build_items(record)
        findings = [
            Finding(
                Severity.ERROR,
                missing_item_code(number),
                trds.POINTERS[number],
                f"TRDS item {number} ({trds.ITEM_NAMES[number]}) is missing.",
                CODE,
                stage,
                SOURCE,
            )
            for number in trds.required_items(record, stage)
            if values[number] is None
        ]
        if values[18] is None and get(record, "protocolSection", "statusModule", "overallStatus"):
            # The status is there but has no TRDS equivalent: say so rather than "missing".
            findings = [f for f in findings if f.code != missing_item_code(18)]
        findings += _utn_findings(record, stage)
        if is_valid_record(record):
            try:
                for payload in self.build_all(record, stage):
                    findings += self.verify(payload)
            except RegistryError as exc:
                findings.append(
                    Finding(Severity.ERROR, exc.code, exc.pointer, exc.message, CODE, stage, SOURCE)
                )
        return findings


ADAPTER = WhoAdapter()
