"""Validation layer 1 for ClinicalTrials.gov: a payload against the official PRS XSDs.

The XSDs are data read from the schema directory (``registries.specs``, folder ``ctgov-prs``), compiled
once per file version and reused. A missing or broken schema is an error finding naming the path, so
verification never passes silently. Each schema error becomes a finding whose pointer is the record field
the failing element was built from, where the element path says so; otherwise the pointer is "" and the
message names the XML path.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from lxml import etree

from registries import specs
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.xmlsafe import parse_xml

REGISTRY = "ctgov"
SPEC_FOLDER = "ctgov-prs"
PROTOCOL_XSD = "ProtocolRecordSchema.xsd"
RESULTS_XSD = "RRSUploadSchema.xsd"
PROTOCOL_SCHEMA_VERSION = "ProtocolRecordSchema.xsd 2018.05.08"
RESULTS_SCHEMA_VERSION = "RRSUploadSchema.xsd 2017.04.18"
PRS_NS = "http://clinicaltrials.gov/prs"
RRS_NS = "http://clinicaltrials.gov/rrs"

_lock = threading.Lock()
_compiled: dict[tuple[str, int], etree.XMLSchema] = {}


class SchemaUnavailable(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def schema_path(name: str) -> Path:
    return specs.spec_path(SPEC_FOLDER, name)


def compile_schema(path: Path) -> etree.XMLSchema:
    """Compile one XSD file (its xs:import of the sibling results schema is read from the same folder)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def load_schema(name: str) -> etree.XMLSchema:
    """The compiled schema, compiled once per file version; raises SchemaUnavailable with the path."""
    path = schema_path(name)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise SchemaUnavailable(
            "ctgov.schema_missing",
            f"The official ClinicalTrials.gov schema {path} is missing, so the payload cannot be verified. "
            "Run `python manage.py fetch_registry_schemas` or set REGISTRY_SCHEMA_DIR.",
        ) from None
    key = (str(path), stamp)
    with _lock:
        schema = _compiled.get(key)
        if schema is None:
            try:
                schema = compile_schema(path)
            except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                raise SchemaUnavailable(
                    "ctgov.schema_invalid",
                    f"The ClinicalTrials.gov schema {path} does not compile: {exc}.",
                ) from None
            _compiled[key] = schema
    return schema


# XML element paths (below clinical_study, namespace prefixes removed, "[]" = a repeated element whose
# position is the record list index) -> JSON Pointer templates into the record.
_POINTERS: dict[str, str] = {
    "id_info/org_name": "/protocolSection/identificationModule/organization/fullName",
    "id_info/org_study_id": "/protocolSection/identificationModule/orgStudyIdInfo/id",
    "id_info/secondary_id[]": "/protocolSection/identificationModule/secondaryIdInfos/{}",
    "id_info": "/protocolSection/identificationModule",
    "brief_title": "/protocolSection/identificationModule/briefTitle",
    "acronym": "/protocolSection/identificationModule/acronym",
    "official_title": "/protocolSection/identificationModule/officialTitle",
    "delayed_posting": "/protocolSection/statusModule/delayedPosting",
    "is_ind_study": "/protocolSection/oversightModule/indIdeInfos",
    "ind_info": "/protocolSection/oversightModule/indIdeInfos/0",
    "sponsors/collaborator[]": "/protocolSection/sponsorCollaboratorsModule/collaborators/{}",
    "sponsors/lead_sponsor": "/protocolSection/sponsorCollaboratorsModule/leadSponsor",
    "sponsors/resp_party": "/protocolSection/sponsorCollaboratorsModule/responsibleParty",
    "sponsors": "/protocolSection/sponsorCollaboratorsModule",
    "oversight_info/irb_info": "/protocolSection/oversightModule/ethicsApprovals/0",
    "oversight_info": "/protocolSection/oversightModule",
    "brief_summary": "/protocolSection/descriptionModule/briefSummary",
    "detailed_description": "/protocolSection/descriptionModule/detailedDescription",
    "overall_status": "/protocolSection/statusModule/overallStatus",
    "expanded_access_status": "/protocolSection/statusModule/overallStatus",
    "why_stopped": "/protocolSection/statusModule/whyStopped",
    "verification_date": "/protocolSection/statusModule/statusVerifiedDate",
    "start_date": "/protocolSection/statusModule/startDateStruct/date",
    "start_date_type": "/protocolSection/statusModule/startDateStruct/type",
    "last_follow_up_date": "/protocolSection/statusModule/completionDateStruct/date",
    "last_follow_up_date_type": "/protocolSection/statusModule/completionDateStruct/type",
    "primary_compl_date": "/protocolSection/statusModule/primaryCompletionDateStruct/date",
    "primary_compl_date_type": "/protocolSection/statusModule/primaryCompletionDateStruct/type",
    "study_design": "/protocolSection/designModule",
    "primary_outcome[]": "/protocolSection/outcomesModule/primaryOutcomes/{}",
    "secondary_outcome[]": "/protocolSection/outcomesModule/secondaryOutcomes/{}",
    "other_outcome[]": "/protocolSection/outcomesModule/otherOutcomes/{}",
    "enrollment": "/protocolSection/designModule/enrollmentInfo/count",
    "enrollment_type": "/protocolSection/designModule/enrollmentInfo/type",
    "condition[]": "/protocolSection/conditionsModule/conditions/{}",
    "keyword[]": "/protocolSection/conditionsModule/keywords/{}",
    "arm_group[]": "/protocolSection/armsInterventionsModule/armGroups/{}",
    "intervention[]": "/protocolSection/armsInterventionsModule/interventions/{}",
    "eligibility": "/protocolSection/eligibilityModule",
    "overall_official[]": "/protocolSection/contactsLocationsModule/overallOfficials/{}",
    "overall_contact": "/protocolSection/contactsLocationsModule/centralContacts/0",
    "overall_contact_backup": "/protocolSection/contactsLocationsModule/centralContacts/1",
    "location[]": "/protocolSection/contactsLocationsModule/locations/{}",
    "ipd_sharing_statement": "/protocolSection/ipdSharingStatementModule",
    "link[]": "/protocolSection/referencesModule/seeAlsoLinks/{}",
    "reference[]": "/protocolSection/referencesModule/references/{}",
    "study_document[]": "/protocolSection/referencesModule/availIpds/{}",
    "result/baseline/baselineMeasures/baselineMeasure[]": (
        "/resultsSection/baselineCharacteristicsModule/measures/{}"
    ),
    "result/baseline": "/resultsSection/baselineCharacteristicsModule",
    "result/outcomeMeasures/outcomeMeasure[]/outcomeMeasureAnalyses/measureAnalysis[]": (
        "/resultsSection/outcomeMeasuresModule/outcomeMeasures/{}/analyses/{}"
    ),
    "result/outcomeMeasures/outcomeMeasure[]/outcomeReportingGroups/outcomeReportingGroup[]": (
        "/resultsSection/outcomeMeasuresModule/outcomeMeasures/{}/groups/{}"
    ),
    "result/outcomeMeasures/outcomeMeasure[]": "/resultsSection/outcomeMeasuresModule/outcomeMeasures/{}",
    "result/outcomeMeasures": "/resultsSection/outcomeMeasuresModule",
    "result/participantFlow/participantFlowGroups/flowGroup[]": (
        "/resultsSection/participantFlowModule/groups/{}"
    ),
    "result/participantFlow/periods/period[]": "/resultsSection/participantFlowModule/periods/{}",
    "result/participantFlow": "/resultsSection/participantFlowModule",
    "result/reportedEvents/seriousAdverseEvents/seriousEvent[]": (
        "/resultsSection/adverseEventsModule/seriousEvents/{}"
    ),
    "result/reportedEvents/frequentAdverseEvents/frequentEvent[]": (
        "/resultsSection/adverseEventsModule/otherEvents/{}"
    ),
    "result/reportedEvents/interventionGroups/interventionGroup[]": (
        "/resultsSection/adverseEventsModule/eventGroups/{}"
    ),
    "result/reportedEvents": "/resultsSection/adverseEventsModule",
    "result/certainAgreement": "/resultsSection/moreInfoModule/certainAgreement",
    "result/limitationsAndCaveats": "/resultsSection/moreInfoModule/limitationsAndCaveats",
    "result/pointOfContact": "/resultsSection/moreInfoModule/pointOfContact",
    "result": "/resultsSection",
    "resultDisposition": "/resultsSection/delayedResultsModule",
}
_PATTERNS: list[tuple[list[tuple[str, bool]], str]] = sorted(
    (
        ([(part.removesuffix("[]"), part.endswith("[]")) for part in key.split("/")], template)
        for key, template in _POINTERS.items()
    ),
    key=lambda entry: -len(entry[0]),
)
_SEGMENT = re.compile(r"^(?:[\w.-]+:)?([\w.-]+)(?:\[(\d+)\])?$")


def _segments(xml_path: str) -> list[tuple[str, int]]:
    segments: list[tuple[str, int]] = []
    for raw in xml_path.strip("/").split("/"):
        match = _SEGMENT.match(raw)
        if match:
            segments.append((match.group(1), int(match.group(2) or 1)))
    names = [name for name, _ in segments]
    if "clinical_study" in names:
        segments = segments[names.index("clinical_study") + 1 :]
    return segments


def pointer_for_xml_path(xml_path: str) -> str:
    """The record pointer a PRS XML element path came from, or "" when no mapping is known."""
    segments = _segments(xml_path)
    for pattern, template in _PATTERNS:
        if len(segments) < len(pattern):
            continue
        indices: list[int] = []
        for (name, repeated), (actual, position) in zip(pattern, segments, strict=False):
            if name != actual:
                break
            if repeated:
                indices.append(position - 1)
        else:
            return template.format(*indices)
    return ""


def _schema_for(root: etree._Element) -> tuple[str, str]:
    if root.tag == f"{{{PRS_NS}}}study_collection":
        return PROTOCOL_XSD, PROTOCOL_SCHEMA_VERSION
    if root.tag in (f"{{{RRS_NS}}}result", f"{{{RRS_NS}}}resultDisposition"):
        return RESULTS_XSD, RESULTS_SCHEMA_VERSION
    raise RegistryError(
        "ctgov.unknown_document",
        f"The document root {root.tag!s} is neither a PRS study_collection nor a PRS results document.",
    )


def verify_xml(content: bytes, stage: Stage | None = None) -> list[Finding]:
    """Schema findings for one PRS XML document (protocol upload or results-only upload)."""

    def finding(code: str, message: str, pointer: str = "", **details: str | int) -> Finding:
        return Finding(
            severity=Severity.ERROR,
            code=code,
            pointer=pointer,
            message=message,
            registry=REGISTRY,
            stage=stage,
            source=source,
            details=dict(details),
        )

    source = "ClinicalTrials.gov PRS XML schema"
    try:
        # Our own payload, built from an accepted record: verified whatever its size.
        root = parse_xml(content, max_bytes=None)
        name, source = _schema_for(root)
        schema = load_schema(name)
    except RegistryError as exc:
        return [finding(exc.code, exc.message)]
    except SchemaUnavailable as exc:
        return [finding(exc.code, exc.message)]
    with _lock:
        valid = schema.validate(root)
        errors = list(cast(Iterable[Any], schema.error_log))
    findings: list[Finding] = []
    for error in errors:
        xml_path = error.path or ""
        findings.append(
            finding(
                "ctgov.xsd_invalid",
                f"{error.message} (XML line {error.line}, {xml_path}).",
                pointer_for_xml_path(xml_path),
                line=error.line,
                xml_path=xml_path,
            )
        )
    if valid:
        findings += _dangling_references(root, finding)
    return findings


_REFERENCE_TAGS = ("reportingGroupId", "outcomeReportingGroupId")


def _dangling_references(root: etree._Element, finding: Any) -> list[Finding]:
    """IDREFs that name no ID: the XSD types them xs:IDREF, but libxml2's schema validation does not
    resolve IDREFs, so this part of the schema is enforced here."""
    declared = {element.get("id") for element in root.iter() if element.get("id")}
    tree = root.getroottree()
    dangling: list[Finding] = []
    for element in root.iter(*_REFERENCE_TAGS):
        value = (element.text or "").strip()
        if value not in declared:
            xml_path = tree.getpath(element)
            dangling.append(
                finding(
                    "ctgov.xsd_idref",
                    f"Reporting group {value!r} is referenced but not declared in this document "
                    f"(XML line {element.sourceline}, {xml_path}); the schema types it xs:IDREF.",
                    pointer_for_xml_path(xml_path),
                    line=element.sourceline or 0,
                    xml_path=xml_path,
                )
            )
    return dangling
