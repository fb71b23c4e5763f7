"""ClinicalTrials.gov API v2 study JSON -> canonical record: every real sample converts to a valid
record, every input field is accounted for, and bad input is named precisely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registries.ctgov.importers.api_v2 import (
    DERIVED_MEMBERS,
    MARKUP_FIELDS,
    InvalidStudy,
    import_study,
    leaf_pointers,
)
from registries.enums import Severity
from registries.findings import Finding, RegistryError
from registries.importers import import_record
from registries.markdown import markdown_to_plain
from registries.schema import validate_record
from tests.conftest import shared_sample_paths

SAMPLES = shared_sample_paths("ctgov-v2-*.json")
SAMPLES_WITH_RESULTS = ("ctgov-v2-NCT00763412.json", "ctgov-v2-NCT05594173.json")


def _study(**protocol: Any) -> dict[str, Any]:
    identification = {"nctId": "NCT01234567", "briefTitle": "Drug X for Mild Asthma"}
    return {
        "protocolSection": {
            "identificationModule": identification,
            "statusModule": {"overallStatus": "RECRUITING"},
            **protocol,
        },
        "hasResults": False,
    }


def _bytes(document: Any) -> bytes:
    return json.dumps(document).encode("utf-8")


def _import_error(data: bytes) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        import_study(data)
    return caught.value


# --- real samples --------------------------------------------------------------------------------


def test_there_are_four_api_v2_samples(registry_specs: Path) -> None:
    assert [p.name for p in SAMPLES] == [
        "ctgov-v2-NCT00763412.json",
        "ctgov-v2-NCT03418623.json",
        "ctgov-v2-NCT05594173.json",
        "ctgov-v2-NCT06171568.json",
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_converts_to_a_record_valid_against_the_record_schema(
    registry_specs: Path, sample: Path
) -> None:
    result = import_study(sample.read_bytes())

    assert validate_record(result.record) == []
    assert result.record["schemaVersion"] == "1.2"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_field_accounting_is_exact(registry_specs: Path, sample: Path) -> None:
    source = json.loads(sample.read_bytes())

    result = import_study(sample.read_bytes())

    mapped = set(leaf_pointers(result.record)) - {"/schemaVersion"}
    dropped = set(result.dropped)
    derived = set(result.derived)
    assert mapped | dropped | derived == set(leaf_pointers(source))
    assert mapped & dropped == mapped & derived == dropped & derived == set()
    assert len(result.dropped) == len(dropped)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_loses_only_what_clinicaltrials_gov_derives(registry_specs: Path, sample: Path) -> None:
    source = json.loads(sample.read_bytes())

    result = import_study(sample.read_bytes())

    assert result.dropped == []
    assert {p.split("/")[1] for p in result.derived} == {k for k in source if k in DERIVED_MEMBERS}
    assert {k: v for k, v in result.record.items() if k != "schemaVersion"} == {
        k: _plain(v, (k,)) for k, v in source.items() if k not in DERIVED_MEMBERS
    }


def _plain(value: Any, path: tuple[str, ...]) -> Any:
    """The source with its Markdown fields as plain text, built independently of the importer's walk."""
    if isinstance(value, dict):
        return {k: _plain(v, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, path) for v in value]
    return markdown_to_plain(value) if ".".join(path) in MARKUP_FIELDS else value


@pytest.mark.parametrize("name", SAMPLES_WITH_RESULTS)
def test_results_sections_are_carried_whole(sample_dir: Path, name: str) -> None:
    source = json.loads((sample_dir / name).read_bytes())

    record = import_study((sample_dir / name).read_bytes()).record

    assert set(record["resultsSection"]) >= {
        "participantFlowModule",
        "baselineCharacteristicsModule",
        "outcomeMeasuresModule",
        "adverseEventsModule",
        "moreInfoModule",
    }
    assert record["resultsSection"] == _plain(source["resultsSection"], ("resultsSection",))


def test_importer_is_registered_as_ctgov_v2_format(sample_dir: Path) -> None:
    data = (sample_dir / "ctgov-v2-NCT03418623.json").read_bytes()

    assert import_record("ctgov-v2", data) == import_study(data)


# --- field accounting on synthetic input ---------------------------------------------------------


def test_fields_unknown_to_the_record_schema_are_dropped_and_listed() -> None:
    study = _study(futureModule={"flag": True, "notes": ["a", "b"]})
    study["protocolSection"]["identificationModule"]["secretCode"] = "X1"

    result = import_study(_bytes(study))

    assert result.derived == ["/hasResults"]
    assert sorted(result.dropped) == [
        "/protocolSection/futureModule/flag",
        "/protocolSection/futureModule/notes/0",
        "/protocolSection/futureModule/notes/1",
        "/protocolSection/identificationModule/secretCode",
    ]
    assert result.record == {
        "schemaVersion": "1.2",
        "protocolSection": {
            "identificationModule": {"nctId": "NCT01234567", "briefTitle": "Drug X for Mild Asthma"},
            "statusModule": {"overallStatus": "RECRUITING"},
        },
    }


def test_object_whose_every_field_is_unknown_leaves_no_empty_shell() -> None:
    study = _study()
    study["protocolSection"]["identificationModule"]["organization"] = {"legacyCode": "7"}

    result = import_study(_bytes(study))

    assert "organization" not in result.record["protocolSection"]["identificationModule"]
    assert "/protocolSection/identificationModule/organization/legacyCode" in result.dropped


def test_empty_input_lists_are_kept_and_accounted_for() -> None:
    study = _study(conditionsModule={"conditions": [], "keywords": ["asthma"]})

    result = import_study(_bytes(study))

    assert result.record["protocolSection"]["conditionsModule"] == {"conditions": [], "keywords": ["asthma"]}
    assert set(leaf_pointers(result.record)) - {"/schemaVersion"} | set(result.dropped) | set(
        result.derived
    ) == set(leaf_pointers(study))


# --- bad input -----------------------------------------------------------------------------------


def test_malformed_json_names_line_and_column() -> None:
    error = _import_error(b'{\n  "protocolSection": {\n    "identificationModule": {,\n')

    assert (error.code, error.message) == (
        "json.malformed",
        "The input is not valid JSON: Expecting property name enclosed in double quotes "
        "at line 3, column 30.",
    )


def test_input_that_is_not_utf8_is_malformed() -> None:
    error = _import_error(b'{"protocolSection": "\xff"}')

    assert (error.code, error.message) == (
        "json.invalid_utf8",
        "The JSON is not UTF-8 text: invalid byte at offset 21.",
    )


def test_repeated_key_is_malformed_rather_than_silently_lost() -> None:
    error = _import_error(b'{"protocolSection": {}, "protocolSection": {}}')

    assert (error.code, error.message) == (
        "json.duplicate_key",
        "The key 'protocolSection' appears twice in one object.",
    )


def test_nan_is_not_json() -> None:
    error = _import_error(b'{"protocolSection": {"designModule": {"enrollmentInfo": {"count": NaN}}}}')

    assert error.code == "json.not_a_number"


def test_array_is_not_a_study() -> None:
    error = _import_error(b"[]")

    assert (error.code, error.message) == (
        "import.not_a_study",
        "The input is a JSON array, not a ClinicalTrials.gov API v2 study object.",
    )


def test_object_without_protocol_section_is_not_a_study() -> None:
    error = _import_error(b'{"nctId": "NCT01234567", "title": "x"}')

    assert (error.code, error.pointer, error.message) == (
        "import.not_a_study",
        "/protocolSection",
        "The input has no protocolSection, so it is not a ClinicalTrials.gov API v2 study "
        "(its top-level fields are: nctId, title).",
    )


def test_search_result_is_recognised_and_explained() -> None:
    error = _import_error(_bytes({"studies": [_study(), _study()], "nextPageToken": "abc"}))

    assert error.code == "import.not_a_study"
    assert (
        "search result with 2 studies; convert them with --out DIR or import them as a batch" in error.message
    )


def test_protocol_section_that_is_not_an_object_is_not_a_study() -> None:
    error = _import_error(b'{"protocolSection": "NCT01234567"}')

    assert (error.code, error.pointer) == ("import.not_a_study", "/protocolSection")


def test_retired_enum_code_imports_with_a_warning_naming_field_value_and_allowed_values() -> None:
    study = _study()
    study["protocolSection"]["statusModule"]["overallStatus"] = "FINISHED"

    result = import_study(_bytes(study))

    assert result.record["protocolSection"]["statusModule"]["overallStatus"] == "FINISHED"
    assert [(f.severity, f.code, f.pointer) for f in result.findings] == [
        (Severity.WARNING, "import.enum", "/protocolSection/statusModule/overallStatus")
    ]
    assert result.findings[0].message.startswith(
        'protocolSection.statusModule.overallStatus "FINISHED" is not an allowed value; allowed: "'
    )


def test_text_over_todays_prs_limit_imports_with_a_warning_at_its_field() -> None:
    study = _study(descriptionModule={"briefSummary": "x" * 5001})

    result = import_study(_bytes(study))

    assert result.record["protocolSection"]["descriptionModule"]["briefSummary"] == "x" * 5001
    assert result.findings == [
        Finding(
            Severity.WARNING,
            "import.max_length",
            "/protocolSection/descriptionModule/briefSummary",
            "protocolSection.descriptionModule.briefSummary is 5001 characters long; "
            "at most 5000 are allowed.",
            "record",
            None,
            "schemas/record/v1/record.schema.json",
        )
    ]


def test_length_is_counted_on_the_plain_text_not_the_markdown() -> None:
    # 5000 characters of plain text; with API v2's escapes the Markdown is 5100 characters long.
    study = _study(descriptionModule={"briefSummary": "a \\< b " * 100 + "x" * 4400})

    result = import_study(_bytes(study))

    summary = result.record["protocolSection"]["descriptionModule"]["briefSummary"]
    assert (len(summary), summary[:8], result.findings) == (5000, "a < b a ", [])


def test_bad_nct_number_is_a_bad_identifier() -> None:
    study = _study()
    study["protocolSection"]["identificationModule"]["nctId"] = "NCT123"

    error = _import_error(_bytes(study))

    assert isinstance(error, InvalidStudy)
    assert [(p.code, p.pointer, p.message) for p in error.problems] == [
        (
            "import.bad_identifier",
            "/protocolSection/identificationModule/nctId",
            'protocolSection.identificationModule.nctId "NCT123" does not match the NCT number format: '
            "NCT followed by 8 digits.",
        )
    ]


def test_every_invalid_value_is_reported_at_once() -> None:
    study = _study(designModule={"studyType": "CLINICAL", "enrollmentInfo": {"count": "many"}})
    study["protocolSection"]["identificationModule"]["nctId"] = "nct01234567"
    study["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "03/2024", "type": "ACTUAL"}

    error = _import_error(_bytes(study))

    assert isinstance(error, InvalidStudy)
    assert [(p.code, p.pointer) for p in error.problems] == [
        ("import.invalid_value", "/protocolSection/designModule/enrollmentInfo/count"),
        ("import.bad_identifier", "/protocolSection/identificationModule/nctId"),
        ("import.bad_date", "/protocolSection/statusModule/startDateStruct/date"),
    ]
    assert error.message.endswith("(and 2 more problems)")


# --- accounting holds for any extra content ------------------------------------------------------

# Text the JSON reader accepts: no NUL and no lone surrogate (registries/jsonread.py refuses them).
_characters = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_json_leaf = st.none() | st.booleans() | st.integers() | st.text(_characters, max_size=5)
_json_value = st.recursive(
    _json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(_characters, min_size=1, max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(
    extra=st.dictionaries(
        st.text(_characters, min_size=1, max_size=6).map(lambda s: "x_" + s), _json_value, max_size=4
    )
)
def test_any_unknown_content_is_dropped_and_accounted_for(extra: dict[str, Any]) -> None:
    study = _study()
    study["protocolSection"]["identificationModule"].update(extra)
    study["protocolSection"]["futureModule"] = extra

    result = import_study(_bytes(study))

    mapped = set(leaf_pointers(result.record)) - {"/schemaVersion"}
    assert mapped | set(result.dropped) | set(result.derived) == set(leaf_pointers(study))
    assert mapped & set(result.dropped) == set()
    assert validate_record(result.record) == []
