"""The valid-record fast path: jsonschema-rs accepts exactly the records python-jsonschema accepts (same
draft, same regular expressions in effect), so skipping the python-jsonschema walk for an accepted record
never changes a finding."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from registries import schema
from registries.enums import Stage
from tests.mutations import locations, removed, replaced
from tests.registries.ctgov.records import interventional_with_results, observational_registration
from tests.registries.records import registration_record

COMPLETE_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "records" / "complete.json"

# Values of every JSON type, and strings that trip length, pattern and enum keywords.
REPLACEMENTS: tuple[Any, ...] = (
    None,
    True,
    7,
    1.0,
    2.5,
    -1,
    "",
    "NOT_A_CODE",
    "2024-13-45",
    [],
    {},
    "x" * 700,
)

SCHEMA_PATHS = [schema.record_schema_path(), *(schema.profile_path(stage) for stage in Stage)]


def _base_records() -> list[tuple[dict[str, Any], int]]:
    """Records to change, each with the stride of fields to change (the large fixture is sampled)."""
    return [
        (json.loads(COMPLETE_FIXTURE.read_text(encoding="utf-8")), 19),
        (interventional_with_results(), 1),
        (observational_registration(), 1),
        (registration_record(), 1),
    ]


@cache
def _variants() -> tuple[dict[str, Any], ...]:
    """The base records, and for each field one removal and one replacement (rotating through
    REPLACEMENTS so every kind of value lands on fields of every kind)."""
    variants: list[dict[str, Any]] = []
    for record, stride in _base_records():
        variants.append(record)
        for index, path in enumerate(locations(record)):
            if index % stride:
                continue
            variants.append(removed(record, path))
            variants.append(replaced(record, path, REPLACEMENTS[index % len(REPLACEMENTS)]))
    return tuple(variants)


@pytest.mark.parametrize("schema_path", SCHEMA_PATHS, ids=lambda path: path.name)
def test_fast_validator_agrees_with_jsonschema_on_every_one_field_change(schema_path: Path) -> None:
    # given the python-jsonschema validator and the jsonschema-rs validator of one schema
    validator = schema._compile(schema_path)
    fast = schema._fast_validator(schema_path)
    # when both judge the base records and a removal and a replacement of each of their fields
    disagreements = [
        variant for variant in _variants() if fast.is_valid(variant) != validator.is_valid(variant)
    ]
    # then they never disagree, on valid and invalid records alike
    assert disagreements == []
    assert {validator.is_valid(variant) for variant in _variants()} == {True, False}


def test_valid_record_has_no_errors_and_an_invalid_one_keeps_them() -> None:
    record = registration_record()
    assert list(schema.record_errors(record)) == []

    record["protocolSection"]["statusModule"]["overallStatus"] = "FOO"
    assert [error.validator for error in schema.record_errors(record)] == ["enum"]
