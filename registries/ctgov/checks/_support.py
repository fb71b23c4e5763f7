"""Small helpers shared by the ClinicalTrials.gov check layers.

Every check reads the record defensively: a field of the wrong type is skipped here (the record schema
reports it), so no check raises for a bad record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from registries.enums import Severity, Stage
from registries.findings import Finding, pointer

REGISTRY = "ctgov"

SOURCE_PROTOCOL_DED = "PRS data element definitions (protocol registration)"
SOURCE_RESULTS_DED = "PRS data element definitions (results)"
SOURCE_PRS_REGISTRATION = "PRS validation message (registration)"
SOURCE_PRS_RESULTS = "PRS validation message (results)"
SOURCE_RESULTS_CONSISTENCY = (
    "PRS results review criteria; NLM Major Comments: inconsistencies within or across modules"
)

_COUNT = re.compile(r"^\s*(\d+)\s*$")

PROTOCOL = "protocolSection"
RESULTS = "resultsSection"

# Paths of the modules the checks read, shared so each check file names them the same way.
IDENT_PATH = (PROTOCOL, "identificationModule")
STATUS_PATH = (PROTOCOL, "statusModule")
SPONSOR_PATH = (PROTOCOL, "sponsorCollaboratorsModule")
OVERSIGHT_PATH = (PROTOCOL, "oversightModule")
DESCRIPTION_PATH = (PROTOCOL, "descriptionModule")
CONDITIONS_PATH = (PROTOCOL, "conditionsModule")
DESIGN_PATH = (PROTOCOL, "designModule")
ARMS_PATH = (PROTOCOL, "armsInterventionsModule")
OUTCOMES_PATH = (PROTOCOL, "outcomesModule")
ELIGIBILITY_PATH = (PROTOCOL, "eligibilityModule")
LOCATIONS_PATH = (PROTOCOL, "contactsLocationsModule")
IPD_PATH = (PROTOCOL, "ipdSharingStatementModule")
FLOW_PATH = (RESULTS, "participantFlowModule")
BASELINE_PATH = (RESULTS, "baselineCharacteristicsModule")
MEASURES_PATH = (RESULTS, "outcomeMeasuresModule", "outcomeMeasures")
AE_PATH = (RESULTS, "adverseEventsModule")


def finding(
    severity: Severity,
    code: str,
    path: tuple[str | int, ...],
    message: str,
    stage: Stage,
    source: str,
    **details: Any,
) -> Finding:
    """A ClinicalTrials.gov finding whose pointer is built from ``path``."""
    return Finding(
        severity=severity,
        code=code,
        pointer=pointer(*path),
        message=message,
        registry=REGISTRY,
        stage=stage,
        source=source,
        details=details,
    )


def obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (wrong types are the schema's to report)."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, object) for each object in a JSON array; anything else yields nothing."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def text(value: Any) -> str:
    """The stripped string, or "" for a missing or non-string value."""
    return value.strip() if isinstance(value, str) else ""


def count(value: Any) -> int | None:
    """A participant count: API v2 carries them as integers (adverse events) or digit strings
    (participant flow, denominators). Anything else is not a count."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = _COUNT.match(value)
        if match:
            return int(match.group(1))
    return None


def module(record: dict[str, Any], section: str, name: str) -> dict[str, Any]:
    return obj(obj(record.get(section)).get(name))


_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.;:,]+$")


def normal_title(value: Any) -> str:
    """A title compared across modules: case, runs of spaces and trailing punctuation ignored."""
    return _TRAILING.sub("", _SPACES.sub(" ", text(value).casefold()))
