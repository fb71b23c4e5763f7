"""ISRCTN behind the registry interface (code ``isrctn``).

At the results stage the filing carries, besides the XML, the English Annex V lay summary as a PDF in
the sponsor's branding. ISRCTN shows a trial's plain English results both as the ``plainEnglishReport``
text of its results block (ISRCTN API XML) and as an uploaded file among the record's outputs ("Plain
English results"); it has no submission API, so the file is what the person filing uploads by hand.
Only English: ISRCTN is an English-language registry (its field definitions ask for plain English).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from typing import Any, cast

from lxml import etree

from registries.base import Importer, Record, supported_stage
from registries.ctgov._xmlbuild import get
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.isrctn import trial_xml, uk
from registries.laysummary.pdf import Branding, render_lay_summary_pdf
from registries.payload import Payload
from registries.pdf import PDF_MEDIA_TYPE, PDF_VARIANT
from registries.schema import SCHEMAS_DIR, is_valid_record
from registries.xmlsafe import parse_xml

CODE = "isrctn"
NAME = "ISRCTN"
STAGES: tuple[Stage, ...] = (Stage.REGISTRATION, Stage.RESULTS)
XSD_PATH = SCHEMAS_DIR / "isrctn" / "isrctn-trial.xsd"
SCHEMA_VERSION = "isrctn-trial.xsd (ours; ISRCTN publishes no XSD)"
SOURCE = "ISRCTN"

_lock = threading.Lock()
_schema: list[etree.XMLSchema] = []


def _xsd() -> etree.XMLSchema:
    with _lock:
        if not _schema:
            _schema.append(etree.XMLSchema(parse_xml(XSD_PATH.read_bytes(), max_bytes=None)))
        return _schema[0]


def _stem(record: Record) -> str:
    number = get(record, "ukSection", "isrctn") or get(
        record, "protocolSection", "identificationModule", "orgStudyIdInfo", "id"
    )
    text = number if isinstance(number, str) else ""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:64] or "record"


def _english_summary_language(record: Record) -> str | None:
    """The language tag of the record's English lay summary (``en``, ``en-GB``), the same one the XML's
    plain English report is taken from."""
    for summary in record.get("laySummaries") or []:
        language = summary.get("language") if isinstance(summary, dict) else None
        if isinstance(language, str) and language.lower().startswith("en"):
            return language
    return None


class IsrctnAdapter:
    code = CODE
    name = NAME
    stages: tuple[Stage, ...] = STAGES
    importers: Mapping[str, Importer] = {}

    def _stage(self, stage: Stage | str) -> Stage:
        return supported_stage(self, stage)

    def build(self, record: Record, stage: Stage) -> Payload:
        """The trial in ISRCTN's XML structure (same record, same bytes)."""
        stage = self._stage(stage)
        if not is_valid_record(record):
            raise RegistryError(
                "isrctn.record_invalid",
                "The record does not match the record schema, so no ISRCTN XML can be built from it; fix the "
                "record's schema findings first.",
            )
        return Payload(
            registry=CODE,
            stage=stage,
            content=trial_xml.serialize(trial_xml.build_tree(record, stage)),
            media_type="application/xml",
            file_name=f"{_stem(record)}-isrctn-{stage.value}.xml",
            schema_version=SCHEMA_VERSION,
        )

    def build_all(self, record: Record, stage: Stage) -> list[Payload]:
        """The XML, then at the results stage the English lay-summary PDF when the record has one."""
        return self.build_branded(record, stage, Branding())

    def build_branded(self, record: Record, stage: Stage, branding: Branding) -> list[Payload]:
        """``build_all`` with the lay-summary PDF in ``branding``."""
        main = self.build(record, stage)
        language = _english_summary_language(record) if main.stage is Stage.RESULTS else None
        if language is None:
            return [main]
        pdf = Payload(
            registry=CODE,
            stage=main.stage,
            content=render_lay_summary_pdf(record, language, branding=branding),
            media_type=PDF_MEDIA_TYPE,
            file_name=f"{_stem(record)}-isrctn-plain-english-results.pdf",
            schema_version=PDF_VARIANT,
        )
        return [main, pdf]

    def verify(self, payload: Payload) -> list[Finding]:
        """The payload against our own XSD of the structure we emit (ISRCTN publishes none); a PDF for
        being a PDF file."""
        if payload.media_type == PDF_MEDIA_TYPE:
            if payload.content.startswith(b"%PDF-"):
                return []
            return [
                Finding(
                    Severity.ERROR,
                    "isrctn.pdf_invalid",
                    "",
                    f"{payload.file_name} is not a PDF file.",
                    CODE,
                    payload.stage,
                    "ISRCTN upload",
                )
            ]
        try:
            root = parse_xml(payload.content, max_bytes=None)
        except RegistryError as exc:
            return [Finding(Severity.ERROR, exc.code, "", exc.message, CODE, payload.stage, "ISRCTN XML")]
        schema = _xsd()
        if schema.validate(root):
            return []
        return [
            Finding(
                Severity.ERROR,
                "isrctn.xsd_invalid",
                "",
                f"Line {error.line}: {error.message}",
                CODE,
                payload.stage,
                "ISRCTN XML",
            )
            for error in cast(Iterable[Any], schema.error_log)
        ]

    def check(self, record: Record, stage: Stage, *, today: dt.date | None = None) -> list[Finding]:
        """What ISRCTN shows that the record must supply, the UK duties, and the built XML's validity."""
        stage = self._stage(stage)
        findings: list[Finding] = []
        if not get(record, "protocolSection", "descriptionModule", "briefSummary"):
            findings.append(
                Finding(
                    Severity.ERROR,
                    "isrctn.plain_english_summary_missing",
                    "/protocolSection/descriptionModule/briefSummary",
                    "ISRCTN shows a plain English summary of every trial; write the brief summary in plain "
                    "English.",
                    CODE,
                    stage,
                    SOURCE,
                )
            )
        if stage is Stage.RESULTS and not trial_xml.plain_english_report(record):
            findings.append(
                Finding(
                    Severity.ERROR,
                    "isrctn.plain_english_results_missing",
                    "/laySummaries",
                    "ISRCTN's results take a plain English summary of the results; add an English lay "
                    'summary (language "en") to the record.',
                    CODE,
                    stage,
                    SOURCE,
                )
            )
        findings += uk.uk_findings(record, stage, today or dt.date.today())
        if is_valid_record(record):
            try:
                findings += self.verify(self.build(record, stage))
            except RegistryError as exc:
                findings.append(
                    Finding(Severity.ERROR, exc.code, exc.pointer, exc.message, CODE, stage, SOURCE)
                )
        return findings


ADAPTER = IsrctnAdapter()
