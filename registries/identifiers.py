"""Trial identifiers every registry issues, their formats, and where the record keeps each of them.

Formats: ClinicalTrials.gov NCT number (PRS), ISRCTN number (ISRCTN), WHO Universal Trial Number
U + three groups of four digits (WHO ICTRP UTN page), EU CT number (CTIS, Regulation (EU) 536/2014
Art. 81), EudraCT number; REFERENCE-registries.md section 3 lists them as EudraCT field constraints.
"""

from __future__ import annotations

import re
from typing import Any

NCT_PATTERN = re.compile(r"^NCT\d{8}$")
ISRCTN_PATTERN = re.compile(r"^ISRCTN\d{8}$")
UTN_PATTERN = re.compile(r"^U\d{4}-\d{4}-\d{4}$")
EU_CT_PATTERN = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}$")
EUDRACT_PATTERN = re.compile(r"^\d{4}-\d{6}-\d{2}$")

# secondaryIdInfos[].domain values that name the UTN (the complete record and PRS usage).
UTN_DOMAINS = frozenset({"who universal trial number", "utn", "who utn", "universal trial number"})


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _section(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    data: Any = record
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def secondary_ids(record: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index, entry) of each well-formed secondaryIdInfos entry."""
    entries = _section(record, "protocolSection", "identificationModule").get("secondaryIdInfos")
    if not isinstance(entries, list):
        return []
    return [(index, entry) for index, entry in enumerate(entries) if isinstance(entry, dict)]


def is_utn_entry(entry: dict[str, Any]) -> bool:
    return _text(entry.get("domain")).lower() in UTN_DOMAINS


def is_isrctn_entry(entry: dict[str, Any]) -> bool:
    return _text(entry.get("domain")).upper() == "ISRCTN" or bool(
        ISRCTN_PATTERN.match(_text(entry.get("id")))
    )


def is_eu_ct_entry(entry: dict[str, Any]) -> bool:
    return entry.get("type") == "CTIS"


def nct_number(record: dict[str, Any]) -> str:
    return _text(_section(record, "protocolSection", "identificationModule").get("nctId"))


def isrctn_number(record: dict[str, Any]) -> str:
    return _text(_section(record, "ukSection").get("isrctn"))


def eu_ct_number(record: dict[str, Any]) -> str:
    return _text(_section(record, "euSection").get("euCtNumber"))


def utn(record: dict[str, Any]) -> str:
    """The UTN the record states: whoSection.utn, else a secondary ID whose domain names the UTN."""
    stated = _text(_section(record, "whoSection").get("utn"))
    if stated:
        return stated
    for _index, entry in secondary_ids(record):
        if is_utn_entry(entry) and _text(entry.get("id")):
            return _text(entry.get("id"))
    return ""
