"""The canonical record schema: it compiles, documents every field, accepts real and complete records and
rejects the mistakes it exists to catch, each at the right place."""

from __future__ import annotations

import copy
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from registries.ctgov.checks.picklists import PROTOCOL_LENGTH_LIMITS, RESULTS_LENGTH_LIMITS
from tests.conftest import shared_sample_paths

REPO = Path(__file__).resolve().parent.parent.parent
SCHEMA_PATH = REPO / "schemas" / "record" / "v1" / "record.schema.json"
GENERATOR_PATH = REPO / "schemas" / "tools" / "build_record_schema.py"
COMPLETE_RECORD = REPO / "tests" / "fixtures" / "records" / "complete.json"
API_V2_SAMPLES = shared_sample_paths("ctgov-v2-*.json")
EXPECTED_API_V2_SAMPLES = 4

# What ClinicalTrials.gov derives rather than the sponsor writes; the record does not hold it.
DERIVED_TOP_LEVEL = ("derivedSection", "annotationSection", "hasResults")


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return _load_json(SCHEMA_PATH)


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


@pytest.fixture
def complete_record() -> dict[str, Any]:
    return _load_json(COMPLETE_RECORD)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_record_schema", GENERATOR_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _errors(validator: Draft202012Validator, record: Any) -> list[tuple[str, str]]:
    return sorted((error.json_path, error.validator) for error in validator.iter_errors(record))


def _as_record(api_v2_study: dict[str, Any]) -> dict[str, Any]:
    """Convert an API v2 study the way the importer does for the shared sections: drop derived data."""
    record = {key: value for key, value in api_v2_study.items() if key not in DERIVED_TOP_LEVEL}
    record.get("protocolSection", {}).pop("miscInfoModule", None)
    record["schemaVersion"] = "1.0"
    return record


def _schema_nodes(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, child in node.items():
            yield from _schema_nodes(child, f"{path}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _schema_nodes(child, f"{path}/{index}")


# ---------------------------------------------------------------- the schema itself


def test_committed_schema_is_the_generator_output() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == _generator().render()


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://trialdisclosure.org/schemas/record/v1/record.schema.json"


def test_every_property_at_every_depth_has_a_description(schema: dict[str, Any]) -> None:
    undocumented = [
        f"{path}/{name}"
        for path, node in _schema_nodes(schema)
        if isinstance(node.get("properties"), dict) and not path.endswith("/properties")
        for name, child in node["properties"].items()
        if not str(child.get("description", "")).strip()
    ]
    undocumented_defs = [name for name, node in schema["$defs"].items() if not node.get("description")]
    assert (undocumented, undocumented_defs) == ([], [])


def test_every_object_refuses_unknown_fields(schema: dict[str, Any]) -> None:
    open_objects = [
        path
        for path, node in _schema_nodes(schema)
        if node.get("type") == "object" and node.get("additionalProperties") is not False
    ]
    assert open_objects == []


def test_every_shared_definition_is_used(schema: dict[str, Any]) -> None:
    referenced = {
        node["$ref"].removeprefix("#/$defs/")
        for _, node in _schema_nodes(schema)
        if isinstance(node.get("$ref"), str)
    }
    assert sorted(set(schema["$defs"]) - referenced) == []


def test_schema_version_accepts_any_1x_and_nothing_else(validator: Draft202012Validator) -> None:
    minimal: dict[str, Any] = {"protocolSection": {}}
    verdicts = {
        version: not _errors(validator, {**minimal, "schemaVersion": version})
        for version in ("1.0", "1.7", "1.12", "2.0", "1", "1.0.1", "v1.0")
    }
    assert verdicts == {
        "1.0": True,
        "1.7": True,
        "1.12": True,
        "2.0": False,
        "1": False,
        "1.0.1": False,
        "v1.0": False,
    }


def test_record_requires_schema_version_and_protocol(validator: Draft202012Validator) -> None:
    assert _errors(validator, {}) == [("$", "required"), ("$", "required")]


# ---------------------------------------------------------------- records it must accept


def test_complete_record_validates(validator: Draft202012Validator, complete_record: dict[str, Any]) -> None:
    assert _errors(validator, complete_record) == []


def test_all_api_v2_samples_are_present(registry_specs: Path) -> None:
    assert [path.name for path in API_V2_SAMPLES] == [
        "ctgov-v2-NCT00763412.json",
        "ctgov-v2-NCT03418623.json",
        "ctgov-v2-NCT05594173.json",
        "ctgov-v2-NCT06171568.json",
    ]
    assert len(API_V2_SAMPLES) == EXPECTED_API_V2_SAMPLES


@pytest.mark.shared_specs
@pytest.mark.parametrize("sample", API_V2_SAMPLES, ids=lambda path: path.name)
def test_real_api_v2_study_validates_once_derived_data_is_dropped(
    registry_specs: Path, validator: Draft202012Validator, sample: Path
) -> None:
    assert _errors(validator, _as_record(_load_json(sample))) == []


@pytest.mark.shared_specs
@pytest.mark.parametrize("sample", API_V2_SAMPLES, ids=lambda path: path.name)
def test_real_api_v2_study_with_derived_data_is_refused(
    registry_specs: Path, validator: Draft202012Validator, sample: Path
) -> None:
    study = _load_json(sample)
    record = {**_as_record(study), "derivedSection": study["derivedSection"]}
    assert _errors(validator, record) == [("$", "additionalProperties")]


def test_lay_summary_missing_sections_is_allowed_stages_enforce_completeness(
    validator: Draft202012Validator, complete_record: dict[str, Any]
) -> None:
    # Given a lay summary still being written, with only three of the ten Annex V sections
    summary = complete_record["laySummaries"][0]
    summary["sections"] = {
        key: summary["sections"][key] for key in ("trialIdentification", "sponsorContact", "overallResults")
    }
    # When validated, then the record schema accepts it: completeness belongs to the stage profiles
    assert _errors(validator, complete_record) == []


def test_partial_dates_at_every_precision_are_accepted(
    validator: Draft202012Validator, complete_record: dict[str, Any]
) -> None:
    status = complete_record["protocolSection"]["statusModule"]
    verdicts = {}
    for value in ("2024", "2024-02", "2024-02-29"):
        status["startDateStruct"] = {"date": value, "type": "ESTIMATED"}
        verdicts[value] = _errors(validator, complete_record)
    assert verdicts == {"2024": [], "2024-02": [], "2024-02-29": []}


BULK_API_V2_SAMPLES = sorted(shared_sample_paths("../samples-bulk/ctgov-v2/*.json"))


@pytest.mark.shared_specs
def test_every_date_of_every_real_record_is_within_the_schema_years(
    registry_specs: Path, validator: Draft202012Validator
) -> None:
    # given the 242 real API v2 records and the four samples, once derived data is dropped
    samples = [*API_V2_SAMPLES, *BULK_API_V2_SAMPLES]
    # when validated, then no date is refused by its pattern (the years were bounded in 1.1)
    refused_dates = [
        (path.name, error.json_path)
        for path in samples
        for error in validator.iter_errors(_as_record(_load_json(path)))
        if error.validator == "pattern" and "date" in str(error.path[-1] if error.path else "").lower()
    ]
    assert (len(samples) > len(API_V2_SAMPLES), refused_dates) == (True, [])


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("0000-01", False),
        ("0999-12-31", False),
        ("1000", True),
        ("1996-03-01", True),
        ("2999-12", True),
        ("3000", False),
        ("9999-12-31", False),
    ],
)
def test_dates_are_bounded_to_years_the_deadline_arithmetic_carries(
    validator: Draft202012Validator, complete_record: dict[str, Any], value: str, accepted: bool
) -> None:
    # given a record whose start date (partial) and first-submit date (full) hold the value
    status = complete_record["protocolSection"]["statusModule"]
    status["startDateStruct"] = {"date": value, "type": "ACTUAL"}
    full = value if len(value) == 10 else None
    if full:
        status["studyFirstSubmitDate"] = full
    # when validated, then both patterns agree with the deadline engine's bounds
    expected = [] if accepted else [("$.protocolSection.statusModule.startDateStruct.date", "pattern")]
    if full and not accepted:
        expected.append(("$.protocolSection.statusModule.studyFirstSubmitDate", "pattern"))
    assert _errors(validator, complete_record) == sorted(expected)


# ---------------------------------------------------------------- mistakes it must catch, and where


def _set(record: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    *parents, last = pointer.split("/")
    node: Any = changed
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return changed


@pytest.mark.parametrize(
    ("pointer", "value", "expected"),
    [
        pytest.param(
            "protocolSection/identificationModule/nctId",
            "NCT1234567",
            ("$.protocolSection.identificationModule.nctId", "pattern"),
            id="nct-with-7-digits",
        ),
        pytest.param(
            "protocolSection/statusModule/overallStatus",
            "FINISHED",
            ("$.protocolSection.statusModule.overallStatus", "enum"),
            id="unknown-overall-status",
        ),
        pytest.param(
            "protocolSection/identificationModule/briefTitle",
            "x" * 301,
            ("$.protocolSection.identificationModule.briefTitle", "maxLength"),
            id="brief-title-301-characters",
        ),
        pytest.param(
            "protocolSection/statusModule/startDateStruct/date",
            "2024-13",
            ("$.protocolSection.statusModule.startDateStruct.date", "pattern"),
            id="partial-date-month-13",
        ),
        pytest.param(
            "protocolSection/designModule/designInfo/maskingInfo/blinding",
            "DOUBLE",
            ("$.protocolSection.designModule.designInfo.maskingInfo", "additionalProperties"),
            id="unknown-extra-field",
        ),
        pytest.param(
            "protocolSection/identificationModule/officialTitle",
            "x" * 601,
            ("$.protocolSection.identificationModule.officialTitle", "maxLength"),
            id="official-title-601-characters",
        ),
        pytest.param(
            "protocolSection/identificationModule/acronym",
            "NORA-1-EXTENDED",
            ("$.protocolSection.identificationModule.acronym", "maxLength"),
            id="acronym-15-characters",
        ),
        pytest.param(
            "protocolSection/identificationModule/orgStudyIdInfo/id",
            "x" * 31,
            ("$.protocolSection.identificationModule.orgStudyIdInfo.id", "maxLength"),
            id="org-study-id-31-characters",
        ),
        pytest.param(
            "protocolSection/descriptionModule/briefSummary",
            "x" * 5001,
            ("$.protocolSection.descriptionModule.briefSummary", "maxLength"),
            id="brief-summary-5001-characters",
        ),
        pytest.param(
            "protocolSection/descriptionModule/detailedDescription",
            "x" * 32001,
            ("$.protocolSection.descriptionModule.detailedDescription", "maxLength"),
            id="detailed-description-32001-characters",
        ),
        pytest.param(
            "protocolSection/statusModule/primaryCompletionDateStruct/type",
            "ANTICIPATED",
            ("$.protocolSection.statusModule.primaryCompletionDateStruct.type", "enum"),
            id="date-type-not-api-v2-code",
        ),
        pytest.param(
            "protocolSection/statusModule/studyFirstSubmitDate",
            "2023-01",
            ("$.protocolSection.statusModule.studyFirstSubmitDate", "pattern"),
            id="registry-date-must-be-complete",
        ),
        pytest.param(
            "protocolSection/designModule/phases/0",
            "PHASE_3",
            ("$.protocolSection.designModule.phases[0]", "enum"),
            id="unknown-phase",
        ),
        pytest.param(
            "protocolSection/eligibilityModule/minimumAge",
            "18 years old",
            ("$.protocolSection.eligibilityModule.minimumAge", "pattern"),
            id="age-not-normalised",
        ),
        pytest.param(
            "euSection/euCtNumber",
            "2022-501234-18",
            ("$.euSection.euCtNumber", "pattern"),
            id="eu-ct-number-without-suffix",
        ),
        pytest.param(
            "euSection/eudractNumber",
            "2013-04502-26",
            ("$.euSection.eudractNumber", "pattern"),
            id="eudract-number-short",
        ),
        pytest.param(
            "euSection/pipNumber",
            "EMEA-3127-PIP01-21",
            ("$.euSection.pipNumber", "pattern"),
            id="pip-number-short",
        ),
        pytest.param(
            "euSection/memberStates/0/country",
            "US",
            ("$.euSection.memberStates[0].country", "enum"),
            id="member-state-outside-eea",
        ),
        pytest.param(
            "ukSection/isrctn",
            "ISRCTN4821309",
            ("$.ukSection.isrctn", "pattern"),
            id="isrctn-with-7-digits",
        ),
        pytest.param(
            "whoSection/utn",
            "U1111-1285-441",
            ("$.whoSection.utn", "pattern"),
            id="utn-short",
        ),
        pytest.param(
            "laySummaries/0/language",
            "English",
            ("$.laySummaries[0].language", "pattern"),
            id="lay-summary-language-not-bcp47",
        ),
        pytest.param(
            "laySummaries/0/sections/conclusion",
            "Extra section.",
            ("$.laySummaries[0].sections", "additionalProperties"),
            id="lay-summary-unknown-section",
        ),
        pytest.param(
            "resultsSection/adverseEventsModule/eventGroups/0/deathsNumAffected",
            -1,
            ("$.resultsSection.adverseEventsModule.eventGroups[0].deathsNumAffected", "minimum"),
            id="negative-death-count",
        ),
        pytest.param(
            "resultsSection/outcomeMeasuresModule/outcomeMeasures/0/classes/0/categories/0/measurements/0/value",
            128,
            (
                "$.resultsSection.outcomeMeasuresModule.outcomeMeasures[0].classes[0].categories[0]"
                ".measurements[0].value",
                "type",
            ),
            id="measurement-value-as-number-not-text",
        ),
    ],
)
def test_mistake_is_reported_at_its_field(
    validator: Draft202012Validator,
    complete_record: dict[str, Any],
    pointer: str,
    value: Any,
    expected: tuple[str, str],
) -> None:
    assert _errors(validator, _set(complete_record, pointer, value)) == [expected]


def test_unknown_top_level_section_is_refused(
    validator: Draft202012Validator, complete_record: dict[str, Any]
) -> None:
    assert _errors(validator, {**complete_record, "miscInfoModule": {}}) == [("$", "additionalProperties")]


# PRS data element limits the schema shares with registries/ctgov/checks/picklists.py, where their sources
# (and which are unconfirmed) are recorded; the two must agree.
SHARED_PRS_LIMITS = [
    pytest.param("protocolSection/outcomesModule/primaryOutcomes/0/measure", 255, id="outcome-title"),
    pytest.param(
        "resultsSection/participantFlowModule/groups/0/description", 999, id="flow-group-description"
    ),
    pytest.param(
        "resultsSection/baselineCharacteristicsModule/groups/0/description",
        999,
        id="baseline-group-description",
    ),
    pytest.param(
        "resultsSection/outcomeMeasuresModule/outcomeMeasures/0/groups/0/description",
        999,
        id="outcome-group-description",
    ),
    pytest.param(
        "resultsSection/adverseEventsModule/eventGroups/0/description", 999, id="event-group-description"
    ),
]


@pytest.mark.parametrize(("pointer", "limit"), SHARED_PRS_LIMITS)
def test_text_at_the_prs_limit_is_accepted(
    validator: Draft202012Validator, complete_record: dict[str, Any], pointer: str, limit: int
) -> None:
    assert _errors(validator, _set(complete_record, pointer, "x" * limit)) == []


@pytest.mark.parametrize(("pointer", "limit"), SHARED_PRS_LIMITS)
def test_text_one_over_the_prs_limit_is_refused_at_its_field(
    validator: Draft202012Validator, complete_record: dict[str, Any], pointer: str, limit: int
) -> None:
    # given the field one character over its PRS limit
    record = _set(complete_record, pointer, "x" * (limit + 1))
    # when validated, then only that field is reported, for its length
    [(json_path, keyword)] = _errors(validator, record)
    assert keyword == "maxLength"
    assert json_path.replace("[", ".").replace("]", "").split(".")[1:] == pointer.split("/")


def test_record_schema_limits_agree_with_the_prs_check_limits(schema: dict[str, Any]) -> None:
    # given the PRS check's limit for each shared field, keyed by its $defs owner and property
    prs = {path: limit for path, limit, _ in (*PROTOCOL_LENGTH_LIMITS, *RESULTS_LENGTH_LIMITS)}
    defs = schema["$defs"]
    # then the schema says the same
    assert {
        "Outcome.measure": defs["Outcome"]["properties"]["measure"]["maxLength"],
        "FlowGroup.description": defs["FlowGroup"]["properties"]["description"]["maxLength"],
        "MeasureGroup.description": defs["MeasureGroup"]["properties"]["description"]["maxLength"],
    } == {
        "Outcome.measure": prs[("protocolSection", "outcomesModule", "primaryOutcomes", "*", "measure")],
        "FlowGroup.description": prs[
            ("resultsSection", "participantFlowModule", "groups", "*", "description")
        ],
        "MeasureGroup.description": prs[
            ("resultsSection", "baselineCharacteristicsModule", "groups", "*", "description")
        ],
    }
