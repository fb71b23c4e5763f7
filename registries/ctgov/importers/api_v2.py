"""ClinicalTrials.gov API v2 study JSON -> canonical record.

The record keeps the API v2 module and field names (schemas/README.md), so the mapping is structural:
every input field the record schema declares is carried over at the same JSON Pointer, and every other
input leaf is listed in ``dropped``. What ClinicalTrials.gov derives itself (``derivedSection``,
``annotationSection``, ``hasResults``) is always dropped: a sponsor's record does not hold it.

The converted record is validated before it is returned. A value the record cannot hold (an enum code
the schema does not know, an identifier in the wrong format) is an import error naming the pointer and
the problem, never a silently invalid record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError

from registries.enums import MAX_RECORD_BYTES
from registries.findings import RegistryError, pointer
from registries.importers import ImportResult
from registries.jsonread import read_json
from registries.schema import (
    RECORD_SCHEMA_VERSION,
    findings_from_errors,
    record_errors,
    record_schema,
    resolve,
)

FORMAT = "ctgov-v2"

# Top-level members that ClinicalTrials.gov computes (MeSH browse trees, version holder, model
# predictions, annotations) or that restate other data; the record never holds them.
DERIVED_MEMBERS = ("derivedSection", "annotationSection", "hasResults")

_NCT_NUMBER = re.compile(r"^NCT\d{8}$")
_IDENTIFIER_FIELDS = frozenset(
    {"nctId", "euCtNumber", "eudractNumber", "isrctn", "utn", "pipNumber", "irasId"}
)
_PARTIAL_DATE_PATTERN = r"^[12]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_DROPPED = object()


class InvalidStudy(RegistryError):
    """The study converted, but some values cannot be held by a valid record; one error per value."""

    def __init__(self, problems: list[RegistryError]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first.code, first.message + more, first.pointer)
        self.problems = problems


# --- parsing -------------------------------------------------------------------------------------


def parse_study(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> dict[str, Any]:
    """The JSON document, or RegistryError: a ``json.*`` code from ``read_json`` (too large, too deep,
    not UTF-8, malformed, NaN, duplicate keys...) or import.not_a_study."""
    document = read_json(data, max_bytes=max_bytes)
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
                f"it is a search result with {len(document['studies'])} studies; convert one study at a time"
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


def convert_study(document: Mapping[str, Any]) -> ImportResult:
    """Map a parsed API v2 study to a record (not yet validated) and list what was dropped."""
    dropped: list[str] = []
    source: dict[str, Any] = {}
    for key, value in document.items():
        if key in DERIVED_MEMBERS:
            dropped.extend(leaf_pointers(value, (key,)))
        else:
            source[key] = value
    carried = _carry(source, record_schema(), (), dropped)
    record: dict[str, Any] = {"schemaVersion": RECORD_SCHEMA_VERSION}
    if isinstance(carried, dict):
        record.update({k: v for k, v in carried.items() if k != "schemaVersion"})
    return ImportResult(record=record, dropped=dropped)


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
    for error in record_errors(record):
        code = _import_code(error)
        for finding in findings_from_errors(
            [error], code_prefix="import", registry="", stage=None, source=""
        ):
            if any(p.pointer == finding.pointer and p.code == code for p in problems):
                continue
            problems.append(RegistryError(code, finding.message, finding.pointer))
    return sorted(problems, key=lambda p: (p.pointer, p.code))


def import_study(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult:
    """Read one API v2 study (the bytes of ``GET /api/v2/studies/{nctId}``) into a valid record.

    Raises RegistryError: a ``json.*`` code for input that is not safe JSON (registries/jsonread.py),
    import.not_a_study, or
    InvalidStudy carrying import.unknown_enum / import.bad_identifier / import.bad_date /
    import.invalid_value, one per offending field.
    """
    result = convert_study(parse_study(data, max_bytes=max_bytes))
    problems = _problems(result.record)
    if problems:
        raise InvalidStudy(problems)
    return result


__all__ = ["FORMAT", "InvalidStudy", "convert_study", "import_study", "leaf_pointers", "parse_study"]
