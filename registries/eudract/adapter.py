"""EudraCT behind the registry interface (code ``eudract``), for trials under Directive 2001/20/EC.

``build`` at the results stage is the adverse-events upload (``aev:adverseEvents``), verified against the
official ``adverseEvents.xsd``. The full results file (``results.xsd``) is not built yet: only its
reconstruction from EMA's documentation exists, and the record does not yet hold all of its sections.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from lxml import etree

from registries import specs
from registries.base import Importer, Record
from registries.enums import Severity, Stage
from registries.eudract import checks
from registries.eudract.adverse_events import build_adverse_events
from registries.eudract.vocab import (
    ADVERSE_EVENTS_SCHEMA_VERSION,
    ADVERSE_EVENTS_XSD,
    CODE,
    NAME,
    SPEC_FOLDER,
)
from registries.findings import Finding, RegistryError
from registries.payload import Payload
from registries.schema import is_valid_record
from registries.xmlsafe import parse_xml

STAGES: tuple[Stage, ...] = (Stage.RESULTS,)
MEDIA_TYPE = "application/xml"
_lock = threading.Lock()
_compiled: dict[tuple[str, int], etree.XMLSchema] = {}


def _import(data: bytes) -> Record:
    from registries.eudract.importers import import_eudract_xml

    return import_eudract_xml(data).record


def load_schema(name: str) -> etree.XMLSchema:
    """The compiled official XSD, once per file version; a missing or broken file is a RegistryError."""
    path = specs.spec_path(SPEC_FOLDER, name)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise RegistryError(
            "eudract.schema_missing",
            f"The EudraCT schema {path} is missing, so the payload cannot be verified. Run `python manage.py "
            "fetch_registry_schemas` or set REGISTRY_SCHEMA_DIR.",
        ) from None
    key = (str(path), stamp)
    with _lock:
        schema = _compiled.get(key)
        if schema is None:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            try:
                schema = etree.XMLSchema(etree.parse(str(path), parser))
            except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                raise RegistryError(
                    "eudract.schema_invalid", f"The EudraCT schema {path} does not compile: {exc}."
                ) from None
            _compiled[key] = schema
    return schema


class EudractAdapter:
    code = CODE
    name = NAME
    stages: tuple[Stage, ...] = STAGES
    importers: Mapping[str, Importer] = {"eudract-xml": _import}

    def _stage(self, stage: Stage | str) -> Stage:
        value = Stage(stage)
        if value not in STAGES:
            raise RegistryError(
                "eudract.stage_not_supported", f"EudraCT takes results only, not a {value.value} filing."
            )
        return value

    def build(self, record: Record, stage: Stage) -> Payload:
        """The adverse-events upload XML (same record, same bytes)."""
        stage = self._stage(stage)
        if not is_valid_record(record):
            raise RegistryError(
                "eudract.record_invalid",
                "The record does not match the record schema, so no EudraCT XML can be built from it; fix "
                "the record's schema findings first.",
            )
        module = (record.get("resultsSection") or {}).get("adverseEventsModule") or {}
        root = build_adverse_events(module)
        content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        number = (record.get("euSection") or {}).get("eudractNumber") or "record"
        return Payload(
            registry=CODE,
            stage=stage,
            content=content,
            media_type=MEDIA_TYPE,
            file_name=f"{number}-eudract-adverse-events.xml",
            schema_version=ADVERSE_EVENTS_SCHEMA_VERSION,
        )

    def verify(self, payload: Payload) -> list[Finding]:
        """The XML against the official adverseEvents.xsd, then DATA-VAL-10 and DATA-VAL-14."""
        source = f"EudraCT {ADVERSE_EVENTS_XSD}"
        try:
            schema = load_schema(ADVERSE_EVENTS_XSD)
            root = parse_xml(payload.content, max_bytes=None)
        except RegistryError as exc:
            return [Finding(Severity.ERROR, exc.code, "", exc.message, CODE, payload.stage, source)]
        findings = []
        if not schema.validate(root):
            findings = [
                Finding(
                    Severity.ERROR,
                    "eudract.xsd",
                    "",
                    f"Line {error.line}: {error.message}",
                    CODE,
                    payload.stage,
                    source,
                )
                for error in schema.error_log  # type: ignore[attr-defined]
            ]
        return findings + checks.payload_rules(root, payload.stage)

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """The EudraCT record checks and DATA-VAL rules (``registries.eudract.checks``)."""
        return checks.check_record(record, self._stage(stage))


ADAPTER = EudractAdapter()
