"""ClinicalTrials.gov API v2 study JSON -> canonical record.

The record keeps the API v2 module and field names (schemas/README.md), so the mapping is structural:
every input field the record schema declares is carried over at the same JSON Pointer, and every other
input leaf is listed in ``dropped``. What ClinicalTrials.gov derives itself (``derivedSection``,
``annotationSection``, ``hasResults``) is listed apart in ``derived``: a sponsor's record does not hold
it, but its submission tracking becomes the record's registry ``history``.

API v2 text fields are Markdown (``MARKUP_FIELDS``); the record holds the plain text PRS takes
(``registries.markdown``), so lengths count what PRS counts.

The converted record is validated before it is returned. A value that breaks the record's shape (a wrong
type, an identifier or a date in the wrong format) is an import error naming the pointer and the problem,
never a silently invalid record. A limit or vocabulary that ClinicalTrials.gov published the record under
and that has since changed (a group description of 1,400 characters, a retired code) is a warning
finding at its field: the record is the study as published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError

from registries.ctgov.importers.history import ReviewCycle, registry_history
from registries.enums import MAX_RECORD_BYTES, Severity
from registries.findings import RegistryError, pointer
from registries.importers import ImportResult
from registries.jsonread import read_json
from registries.markdown import markdown_to_plain
from registries.schema import (
    RECORD_SCHEMA_VERSION,
    findings_from_errors,
    limit_findings,
    record_schema,
    resolve,
    shape_errors,
)

FORMAT = "ctgov-v2"

# Top-level members that ClinicalTrials.gov computes (MeSH browse trees, version holder, model
# predictions, annotations) or that restate other data; the record never holds them.
DERIVED_MEMBERS = ("derivedSection", "annotationSection", "hasResults")
# Fields inside the sponsor's modules that ClinicalTrials.gov fills itself: the standard name it maps
# each intervention to. No PRS data element or upload element (ProtocolRecordSchema.xsd) carries it,
# so a sponsor never wrote it.
DERIVED_FIELDS = frozenset({"protocolSection.armsInterventionsModule.interventions.interventionMappedName"})

_NCT_NUMBER = re.compile(r"^NCT\d{8}$")
_IDENTIFIER_FIELDS = frozenset(
    {"nctId", "euCtNumber", "eudractNumber", "isrctn", "utn", "pipNumber", "irasId"}
)
_PARTIAL_DATE_PATTERN = r"^[12]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_DROPPED = object()

# The API v2 fields served as Markdown: every field of type "markup" in the API's field tree
# (ctgov-api-v2/studies-metadata.json, October 2024; a test keeps this list equal to that file).
MARKUP_FIELDS: frozenset[str] = frozenset(
    {
        "protocolSection.statusModule.whyStopped",
        "protocolSection.descriptionModule.briefSummary",
        "protocolSection.descriptionModule.detailedDescription",
        "protocolSection.designModule.designInfo.interventionModelDescription",
        "protocolSection.designModule.designInfo.maskingInfo.maskingDescription",
        "protocolSection.designModule.bioSpec.description",
        "protocolSection.armsInterventionsModule.armGroups.description",
        "protocolSection.armsInterventionsModule.interventions.description",
        "protocolSection.outcomesModule.primaryOutcomes.description",
        "protocolSection.outcomesModule.secondaryOutcomes.description",
        "protocolSection.outcomesModule.otherOutcomes.description",
        "protocolSection.eligibilityModule.eligibilityCriteria",
        "protocolSection.eligibilityModule.genderDescription",
        "protocolSection.eligibilityModule.studyPopulation",
        "protocolSection.referencesModule.seeAlsoLinks.label",
        "protocolSection.referencesModule.availIpds.comment",
        "protocolSection.ipdSharingStatementModule.description",
        "protocolSection.ipdSharingStatementModule.timeFrame",
        "protocolSection.ipdSharingStatementModule.accessCriteria",
        "resultsSection.participantFlowModule.preAssignmentDetails",
        "resultsSection.participantFlowModule.recruitmentDetails",
        "resultsSection.participantFlowModule.groups.description",
        "resultsSection.participantFlowModule.periods.milestones.comment",
        "resultsSection.participantFlowModule.periods.milestones.achievements.comment",
        "resultsSection.participantFlowModule.periods.dropWithdraws.comment",
        "resultsSection.participantFlowModule.periods.dropWithdraws.reasons.comment",
        "resultsSection.baselineCharacteristicsModule.populationDescription",
        "resultsSection.baselineCharacteristicsModule.groups.description",
        "resultsSection.baselineCharacteristicsModule.measures.description",
        "resultsSection.baselineCharacteristicsModule.measures.populationDescription",
        "resultsSection.baselineCharacteristicsModule.measures.classes.categories.measurements.comment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.description",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.populationDescription",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.groups.description",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.classes.categories.measurements.comment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.statisticalComment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.pValueComment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.ciLowerLimitComment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.ciUpperLimitComment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.estimateComment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.nonInferiorityComment",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.otherAnalysisDescription",
        "resultsSection.outcomeMeasuresModule.outcomeMeasures.analyses.groupDescription",
        "resultsSection.adverseEventsModule.description",
        "resultsSection.adverseEventsModule.allCauseMortalityComment",
        "resultsSection.adverseEventsModule.eventGroups.description",
        "resultsSection.adverseEventsModule.seriousEvents.notes",
        "resultsSection.adverseEventsModule.otherEvents.notes",
        "resultsSection.moreInfoModule.limitationsAndCaveats.description",
        "resultsSection.moreInfoModule.certainAgreement.otherDetails",
    }
)


class InvalidStudy(RegistryError):
    """The study converted, but some values cannot be held by a valid record; one error per value."""

    def __init__(self, problems: list[RegistryError]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first.code, first.message + more, first.pointer)
        self.problems = problems


# --- parsing -------------------------------------------------------------------------------------


def parse_documents(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> list[tuple[str, Any]]:
    """The study documents in one JSON input, each with a JSON Pointer to where it sits: a single study
    (pointer ""), the website's download of many studies (a JSON array, ``ctg-studies.json``) or an API
    page (``{"studies": [...]}``). Each still has to pass ``study_object``'s test of being a study.
    Input that is not safe JSON raises the reader's ``json.*`` code (registries/jsonread.py)."""
    document = read_json(data, max_bytes=max_bytes)
    if isinstance(document, list):
        return [(pointer(index), item) for index, item in enumerate(document)]
    if (
        isinstance(document, dict)
        and "protocolSection" not in document
        and isinstance(document.get("studies"), list)
    ):
        return [(pointer("studies", index), item) for index, item in enumerate(document["studies"])]
    return [("", document)]


def parse_study(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> dict[str, Any]:
    """The JSON document, or RegistryError: a ``json.*`` code from ``read_json`` (too large, too deep,
    not UTF-8, malformed, NaN, duplicate keys...) or import.not_a_study."""
    return study_object(read_json(data, max_bytes=max_bytes))


def study_object(document: Any) -> dict[str, Any]:
    """``document`` if it is one API v2 study, else RegistryError import.not_a_study."""
    if not isinstance(document, dict):
        kind = {list: "a JSON array", str: "a JSON string", bool: "a JSON boolean"}.get(
            type(document), "a JSON scalar"
        )
        raise RegistryError(
            "import.not_a_study", f"The input is {kind}, not a ClinicalTrials.gov API v2 study object."
        )
    if "protocolSection" not in document:
        if isinstance(document.get("studies"), list):
            hint = (
                f"it is a search result with {len(document['studies'])} studies; convert them with "
                "--out DIR or import them as a batch"
            )
        else:
            members = ", ".join(sorted(document)[:8]) or "none"
            hint = f"its top-level fields are: {members}"
        raise RegistryError(
            "import.not_a_study",
            f"The input has no protocolSection, so it is not a ClinicalTrials.gov API v2 study ({hint}).",
            "/protocolSection",
        )
    if not isinstance(document["protocolSection"], dict):
        raise RegistryError(
            "import.not_a_study", "protocolSection must be an object in an API v2 study.", "/protocolSection"
        )
    return document


# --- structural mapping --------------------------------------------------------------------------


def leaf_pointers(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[str]:
    """Pointers of every scalar, and of every empty object or list, in a JSON value."""
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from leaf_pointers(child, (*path, key))
    elif isinstance(value, list) and value:
        for index, child in enumerate(value):
            yield from leaf_pointers(child, (*path, index))
    else:
        yield pointer(*path)


def _branches(schema: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The schema and every subschema that also applies to the same instance."""
    yield schema
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword, []):
            if isinstance(branch, dict):
                yield from _branches(resolve(branch))
    for keyword in ("then", "else"):
        branch = schema.get(keyword)
        if isinstance(branch, dict):
            yield from _branches(resolve(branch))


def _property_schemas(schema: Any) -> tuple[dict[str, Any], list[tuple[re.Pattern[str], Any]], Any] | None:
    """(declared properties, pattern properties, schema for other keys) or None for an open object."""
    if not isinstance(schema, dict):
        return None
    properties: dict[str, Any] = {}
    patterns: list[tuple[re.Pattern[str], Any]] = []
    other: Any = None
    for branch in _branches(resolve(schema)):
        for name, subschema in branch.get("properties", {}).items():
            properties.setdefault(name, subschema)
        for regex, subschema in branch.get("patternProperties", {}).items():
            patterns.append((re.compile(regex), subschema))
        additional = branch.get("additionalProperties")
        if isinstance(additional, dict) and other is None:
            other = additional
    if not properties and not patterns and other is None:
        return None
    return properties, patterns, other


def _item_schema(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return None
    for branch in _branches(resolve(schema)):
        items = branch.get("items")
        if isinstance(items, dict):
            return items
    return None


def _carry(value: Any, schema: Any, path: tuple[str | int, ...], dropped: list[str]) -> Any:
    """The part of ``value`` the schema declares; the pointers of the rest go to ``dropped``.

    A container left empty because all its content was dropped is dropped too, so the record holds
    no empty shell that was not in the input.
    """
    if isinstance(value, dict):
        shape = _property_schemas(schema)
        if shape is None:
            return value
        properties, patterns, other = shape
        carried: dict[str, Any] = {}
        for key, child in value.items():
            subschema = properties.get(key)
            if subschema is None:
                subschema = next((s for regex, s in patterns if regex.search(key)), other)
            if subschema is None:
                dropped.extend(leaf_pointers(child, (*path, key)))
                continue
            kept = _carry(child, subschema, (*path, key), dropped)
            if kept is not _DROPPED:
                carried[key] = kept
        return _DROPPED if value and not carried else carried
    if isinstance(value, list):
        item_schema = _item_schema(schema)
        if item_schema is None:
            return value
        kept_items = [
            _carry(child, item_schema, (*path, index), dropped) for index, child in enumerate(value)
        ]
        kept_items = [item for item in kept_items if item is not _DROPPED]
        return _DROPPED if value and not kept_items else kept_items
    return value


def _plain_text(value: Any, path: tuple[str, ...] = ()) -> Any:
    """``value`` with every Markdown field (``MARKUP_FIELDS``) turned into plain text; list indices do
    not count in a field's name."""
    if isinstance(value, dict):
        return {key: _plain_text(child, (*path, key)) for key, child in value.items()}
    if isinstance(value, list):
        return [_plain_text(child, path) for child in value]
    if isinstance(value, str) and ".".join(path) in MARKUP_FIELDS:
        return markdown_to_plain(value)
    return value


def _field_name(at: str) -> str:
    """A pointer's field name without list indices: /a/0/b -> a.b."""
    return ".".join(token for token in at.split("/")[1:] if not token.isdigit())


def _dig(document: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(document, Mapping):
            return None
        document = document.get(key)
    return document


def _history(document: Mapping[str, Any], record: Mapping[str, Any]) -> list[Any]:
    status = _dig(record, "protocolSection", "statusModule")
    tracking_at = ("derivedSection", "miscInfoModule", "submissionTracking")
    tracking = _dig(document, *tracking_at)
    tracking = tracking if isinstance(tracking, Mapping) else {}
    infos = tracking.get("submissionInfos")
    cycles = [
        ReviewCycle(
            submitted_on=info["releaseDate"],
            returned_on=info.get("resetDate") if isinstance(info.get("resetDate"), str) else None,
            cancelled=bool(info.get("unreleaseDateUnknown")) or isinstance(info.get("unreleaseDate"), str),
            cancelled_on=info.get("unreleaseDate") if isinstance(info.get("unreleaseDate"), str) else None,
            source=pointer(*tracking_at, "submissionInfos", index),
        )
        for index, info in enumerate(infos if isinstance(infos, list) else [])
        if isinstance(info, Mapping) and isinstance(info.get("releaseDate"), str)
    ]
    estimate = tracking.get("estimatedResultsFirstSubmitDate")
    return registry_history(
        status if isinstance(status, Mapping) else {},
        cycles,
        estimate if isinstance(estimate, str) else None,
        estimate_source=pointer(*tracking_at, "estimatedResultsFirstSubmitDate"),
    )


def convert_study(document: Mapping[str, Any]) -> ImportResult:
    """Map a parsed API v2 study to a record (not yet validated): Markdown text as plain text, what was
    dropped and what the registry derives listed apart, and the registry history its dates show."""
    dropped: list[str] = []
    derived: list[str] = []
    source: dict[str, Any] = {}
    for key, value in document.items():
        if key in DERIVED_MEMBERS:
            derived.extend(leaf_pointers(value, (key,)))
        else:
            source[key] = value
    carried = _carry(_plain_text(source), record_schema(), (), dropped)
    derived += [p for p in dropped if _field_name(p) in DERIVED_FIELDS]
    dropped = [p for p in dropped if _field_name(p) not in DERIVED_FIELDS]
    record: dict[str, Any] = {"schemaVersion": RECORD_SCHEMA_VERSION}
    if isinstance(carried, dict):
        record.update({k: v for k, v in carried.items() if k != "schemaVersion"})
    return ImportResult(record=record, dropped=dropped, derived=derived, history=_history(document, record))


# --- validation ----------------------------------------------------------------------------------


def _import_code(error: ValidationError) -> str:
    last = error.absolute_path[-1] if error.absolute_path else ""
    if error.validator == "enum":
        return "import.unknown_enum"
    if error.validator in ("required", "dependentRequired"):
        return "import.missing_field"
    if error.validator == "pattern":
        if str(last) in _IDENTIFIER_FIELDS or str(last).endswith("Id"):
            return "import.bad_identifier"
        if error.validator_value == _PARTIAL_DATE_PATTERN:
            return "import.bad_date"
    return "import.invalid_value"


def _problems(record: dict[str, Any]) -> list[RegistryError]:
    problems: list[RegistryError] = []
    protocol = record.get("protocolSection")
    identification = protocol.get("identificationModule") if isinstance(protocol, dict) else None
    nct_id = identification.get("nctId") if isinstance(identification, dict) else None
    if nct_id is not None and not (isinstance(nct_id, str) and _NCT_NUMBER.match(nct_id)):
        # Checked here as well as in the schema: the NCT number is how every later import and
        # submission finds this trial, so it must never pass in a wrong format.
        at = "/protocolSection/identificationModule/nctId"
        problems.append(
            RegistryError(
                "import.bad_identifier",
                f"protocolSection.identificationModule.nctId {json.dumps(nct_id)} does not match "
                "the NCT number format: NCT followed by 8 digits.",
                at,
            )
        )
    for error in shape_errors(record):
        code = _import_code(error)
        for finding in findings_from_errors(
            [error], code_prefix="import", registry="", stage=None, source=""
        ):
            if any(p.pointer == finding.pointer and p.code == code for p in problems):
                continue
            problems.append(RegistryError(code, finding.message, finding.pointer))
    return sorted(problems, key=lambda p: (p.pointer, p.code))


def import_study(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult:
    """Read one API v2 study (the bytes of ``GET /api/v2/studies/{nctId}``) into a record of the right
    shape; limits and vocabularies it breaks are warning findings (``import.max_length``,
    ``import.enum``, ...) at their fields.

    Raises RegistryError: a ``json.*`` code for input that is not safe JSON (registries/jsonread.py),
    import.not_a_study, or InvalidStudy carrying import.bad_identifier / import.bad_date /
    import.invalid_value / import.missing_field, one per field whose value no record can hold.
    """
    result = convert_study(parse_study(data, max_bytes=max_bytes))
    problems = _problems(result.record)
    if problems:
        raise InvalidStudy(problems)
    result.findings = limit_findings(result.record, severity=Severity.WARNING, code_prefix="import")
    return result


__all__ = [
    "FORMAT",
    "MARKUP_FIELDS",
    "InvalidStudy",
    "convert_study",
    "import_study",
    "leaf_pointers",
    "parse_documents",
    "parse_study",
    "study_object",
]
