"""The record schema and stage profiles: they compile, are compiled once, and their errors become
findings that name the field and the problem."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from registries import schema
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from tests.registries.records import registration_record

# Subschemas under these keywords select records (a condition), they do not state a requirement.
_CONDITION_KEYWORDS = ("if", "contains")


def _walk_properties(node: Any, path: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for name, subschema in node.get("properties", {}).items():
            found.append((f"{path}/{name}", subschema))
        for key, value in node.items():
            if key not in _CONDITION_KEYWORDS and isinstance(value, dict | list):
                found += _walk_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _walk_properties(value, f"{path}/{index}")
    return found


def test_record_schema_is_valid_json_schema_2020_12() -> None:
    document = json.loads(schema.record_schema_path().read_text(encoding="utf-8"))

    Draft202012Validator.check_schema(document)

    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("stage", list(Stage))
def test_every_profile_is_valid_json_schema_2020_12(stage: Stage) -> None:
    document = json.loads(schema.profile_path(stage).read_text(encoding="utf-8"))

    Draft202012Validator.check_schema(document)

    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["x-source"]


@pytest.mark.parametrize("stage", list(Stage))
def test_every_profile_property_has_a_description(stage: Stage) -> None:
    document = json.loads(schema.profile_path(stage).read_text(encoding="utf-8"))

    undescribed = [path for path, subschema in _walk_properties(document) if not subschema.get("description")]

    assert undescribed == []


def test_record_validator_is_compiled_once() -> None:
    assert schema.record_validator() is schema.record_validator()


@pytest.mark.parametrize("stage", list(Stage))
def test_profile_validator_is_compiled_once(stage: Stage) -> None:
    first = schema.profile_validator(stage)

    assert first is not None
    assert schema.profile_validator(stage) is first


def test_registry_without_its_own_profile_has_no_profile_validator() -> None:
    assert schema.profile_validator(Stage.REGISTRATION, "no-such-registry") is None
    assert schema.validate_profile({}, Stage.REGISTRATION, "no-such-registry") == []


def test_registry_profile_is_looked_up_in_its_own_folder() -> None:
    path = schema.profile_path(Stage.RESULTS, "ctgov")

    assert path == schema.SCHEMAS_DIR / "profiles" / "ctgov" / "results.schema.json"


def _forget_compiled_schemas() -> None:
    for cached in (
        schema._documents,
        schema._resources,
        schema._document_sources,
        schema.record_validator,
        schema.profile_validator,
    ):
        cached.cache_clear()


@pytest.fixture
def schemas_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of schemas/, so a test can add a registry profile without touching the repo."""
    copy = tmp_path / "schemas"
    shutil.copytree(schema.SCHEMAS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(schema, "SCHEMAS_DIR", copy)
    _forget_compiled_schemas()
    yield copy
    _forget_compiled_schemas()


def test_registry_profile_adds_to_the_generic_one_it_references(schemas_copy: Path) -> None:
    (schemas_copy / "profiles" / "acme").mkdir()
    profile = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://trialdisclosure.org/schemas/profiles/acme/registration.schema.json",
        "x-source": "Acme registry rule 1",
        "allOf": [{"$ref": "../registration.schema.json"}],
        "properties": {
            "protocolSection": {
                "description": "Acme also wants the acronym.",
                "properties": {
                    "identificationModule": {
                        "description": "Acronym required.",
                        "required": ["acronym"],
                    }
                },
            }
        },
    }
    (schemas_copy / "profiles" / "acme" / "registration.schema.json").write_text(json.dumps(profile))
    record = registration_record()
    del record["protocolSection"]["identificationModule"]["briefTitle"]

    findings = schema.validate_profile(record, Stage.REGISTRATION, "acme")

    assert [(f.code, f.pointer, f.registry, f.source) for f in findings] == [
        (
            "profile.required",
            "/protocolSection/identificationModule/acronym",
            "acme",
            "Acme registry rule 1",
        ),
        (
            "profile.required",
            "/protocolSection/identificationModule/briefTitle",
            "acme",
            "42 CFR 11.28(a); WHO Trial Registration Data Set v1.3.1",
        ),
    ]
    assert schema.profile_validator(Stage.REGISTRATION, "acme") is schema.profile_validator(
        Stage.REGISTRATION, "acme"
    )


def test_missing_record_schema_is_a_registry_error(schemas_copy: Path) -> None:
    schema.record_schema_path().unlink()

    with pytest.raises(RegistryError) as caught:
        schema.record_validator()

    assert caught.value.code == "schema.missing"


def test_valid_record_has_no_schema_findings() -> None:
    assert schema.validate_record(registration_record()) == []


def test_bad_nct_number_is_a_pattern_finding_naming_the_field_and_format() -> None:
    record = registration_record()
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT123"

    findings = schema.validate_record(record, Stage.REGISTRATION)

    assert findings == [
        Finding(
            severity=Severity.ERROR,
            code="record.pattern",
            pointer="/protocolSection/identificationModule/nctId",
            message='protocolSection.identificationModule.nctId "NCT123" does not match the NCT number '
            "format: NCT followed by 8 digits.",
            registry="record",
            stage=Stage.REGISTRATION,
            source=schema.RECORD_SOURCE,
        )
    ]


def test_every_schema_problem_is_reported_not_only_the_first() -> None:
    record = registration_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "FINISHED"
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = "two hundred"
    record["protocolSection"]["identificationModule"]["acronym"] = "A" * 15
    record["protocolSection"]["identificationModule"]["nickname"] = "Asthma X"
    del record["schemaVersion"]

    findings = schema.validate_record(record)

    assert [(f.code, f.pointer) for f in findings] == [
        ("record.type", "/protocolSection/designModule/enrollmentInfo/count"),
        ("record.max_length", "/protocolSection/identificationModule/acronym"),
        ("record.additional_property", "/protocolSection/identificationModule/nickname"),
        ("record.enum", "/protocolSection/statusModule/overallStatus"),
        ("record.required", "/schemaVersion"),
    ]


def test_finding_messages_name_field_and_problem() -> None:
    record = registration_record()
    record["protocolSection"]["statusModule"]["overallStatus"] = "FINISHED"
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = "two hundred"
    record["protocolSection"]["identificationModule"]["nickname"] = "Asthma X"

    messages = {f.code: f.message for f in schema.validate_record(record)}

    assert messages["record.enum"].startswith(
        'protocolSection.statusModule.overallStatus "FINISHED" is not an allowed value; allowed: '
    )
    assert '"COMPLETED"' in messages["record.enum"]
    assert messages["record.type"] == (
        "protocolSection.designModule.enrollmentInfo.count must be a whole number, not text."
    )
    assert messages["record.additional_property"] == (
        "protocolSection.identificationModule.nickname is not a field of the record."
    )


def test_list_positions_appear_in_field_names_and_pointers() -> None:
    record = registration_record()
    record["protocolSection"]["contactsLocationsModule"]["locations"][0]["city"] = 7

    (finding,) = schema.validate_record(record)

    assert finding.pointer == "/protocolSection/contactsLocationsModule/locations/0/city"
    assert (
        finding.message
        == "protocolSection.contactsLocationsModule.locations[0].city must be text, not a whole number."
    )


def test_a_record_that_is_not_an_object_is_a_type_finding() -> None:
    (finding,) = [f for f in schema.validate_record([]) if f.pointer == ""]

    assert (finding.code, finding.message) == ("record.type", "the record must be an object, not a list.")


def test_field_name_reads_like_a_path() -> None:
    assert schema.field_name(["a", 0, "b"]) == "a[0].b"
    assert schema.field_name([]) == "the record"


def test_resolve_follows_local_and_absolute_references() -> None:
    local = schema.resolve({"$ref": "#/$defs/DateStruct", "description": "Start."})
    absolute = schema.resolve(
        {"$ref": "https://trialdisclosure.org/schemas/record/v1/record.schema.json#/$defs/Sex"}
    )

    assert (local["type"], local["description"], sorted(local["properties"])) == (
        "object",
        "Start.",
        ["date", "type"],
    )
    assert absolute == schema.record_schema()["$defs"]["Sex"]
