"""EudraCT behind the registry interface (code ``eudract``), for trials under Directive 2001/20/EC.

``build`` at the results stage is the results file (``result``: trial information, subject disposition,
baseline characteristics, end points, trial changes, subject analysis sets and adverse events; see
``registries.eudract.results_xml``
for what it leaves to EudraCT's forms), verified against
``results-reconstructed.xsd`` (EMA publishes the schema only as documentation; the shared folder holds its
reconstruction, which imports the official ``adverseEvents.xsd``). ``build_all`` adds the adverse-events
upload (``aev:adverseEvents``) verified against the official ``adverseEvents.xsd``.
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
from registries.eudract.data_val import check_payload
from registries.eudract.results_xml import build_result
from registries.eudract.vocab import (
    ADVERSE_EVENTS_SCHEMA_VERSION,
    ADVERSE_EVENTS_XSD,
    CODE,
    NAME,
    RESULTS_SCHEMA_VERSION,
    RESULTS_XSD,
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


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _number(record: Record) -> str:
    number = (record.get("euSection") or {}).get("eudractNumber")
    return str(number) if isinstance(number, str) and number else "record"


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
        """The results file (same record, same bytes)."""
        stage = self._stage(stage)
        if not is_valid_record(record):
            raise RegistryError(
                "eudract.record_invalid",
                "The record does not match the record schema, so no EudraCT XML can be built from it; fix "
                "the record's schema findings first.",
            )
        content = _serialize(build_result(record))
        return Payload(
            registry=CODE,
            stage=stage,
            content=content,
            media_type=MEDIA_TYPE,
            file_name=f"{_number(record)}-eudract-results.xml",
            schema_version=RESULTS_SCHEMA_VERSION,
        )

    def build_all(self, record: Record, stage: Stage) -> list[Payload]:
        """The results file, then the adverse-events upload (EudraCT takes the section on its own too)."""
        main = self.build(record, stage)
        module = (record.get("resultsSection") or {}).get("adverseEventsModule") or {}
        events = Payload(
            registry=CODE,
            stage=main.stage,
            content=_serialize(build_adverse_events(module)),
            media_type=MEDIA_TYPE,
            file_name=f"{_number(record)}-eudract-adverse-events.xml",
            schema_version=ADVERSE_EVENTS_SCHEMA_VERSION,
        )
        return [main, events]

    def verify(self, payload: Payload) -> list[Finding]:
        """A results file against results.xsd (the reconstruction, which imports the official
        adverseEvents.xsd), an adverse-events upload against adverseEvents.xsd; then the DATA-VAL rules."""
        try:
            root = parse_xml(payload.content, max_bytes=None)
            name = RESULTS_XSD if etree.QName(root).localname == "result" else ADVERSE_EVENTS_XSD
            schema = load_schema(name)
        except RegistryError as exc:
            return [Finding(Severity.ERROR, exc.code, "", exc.message, CODE, payload.stage, "EudraCT XSD")]
        source = f"EudraCT {name}"

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
        return findings + check_payload(root, payload.stage)

    def check(self, record: Record, stage: Stage) -> list[Finding]:
        """The EudraCT record checks and DATA-VAL rules (``registries.eudract.checks``)."""
        return checks.check_record(record, self._stage(stage))


ADAPTER = EudractAdapter()
