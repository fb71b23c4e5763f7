"""Layer 2: PRS picklists, length limits and conditionally required fields."""

from __future__ import annotations

from typing import Any

import pytest

from registries.checks import check_record as check_all
from registries.ctgov.checks import check_record
from registries.ctgov.checks.picklists import check_picklists, outcome_dispersion_code
from registries.enums import Severity, Stage
from tests.registries.ctgov.records import DELETE, at, interventional_with_results, observational_registration

ERROR = Severity.ERROR
REG = Stage.REGISTRATION
RES = Stage.RESULTS


def summary(findings: list[Any]) -> list[tuple[Severity, str, str]]:
    return [(f.severity, f.code, f.pointer) for f in findings]


def together(record: dict[str, Any], stage: Stage) -> list[tuple[Severity, str, str]]:
    """The generic and the ClinicalTrials.gov findings as a submission sees them (notes left out)."""
    return [t for t in summary(check_all(record, stage, registry="ctgov")) if t[0] is not Severity.NOTE]


def test_minimal_record_passes_every_stage() -> None:
    for stage in Stage:
        assert check_record(interventional_with_results(), stage) == []
    for stage in (REG, Stage.PROTOCOL_SUMMARY, RES):
        assert together(interventional_with_results(), stage) == []
    assert together(observational_registration(), REG) == []


# Where the record schema caps a field at the PRS limit, its record.max_length is the one finding; the
# PRS layer reports only the limits the record schema does not carry (conditions and keywords).
SCHEMA = "record.max_length"
PRS = "ctgov.length.exceeded"
LENGTH_CASES = [
    ("/protocolSection/identificationModule/briefTitle", 300, REG, SCHEMA),
    ("/protocolSection/identificationModule/officialTitle", 600, REG, SCHEMA),
    ("/protocolSection/identificationModule/acronym", 14, REG, SCHEMA),
    ("/protocolSection/identificationModule/orgStudyIdInfo/id", 30, REG, SCHEMA),
    ("/protocolSection/descriptionModule/briefSummary", 5000, REG, SCHEMA),
    ("/protocolSection/conditionsModule/keywords/0", 160, REG, PRS),
    ("/protocolSection/conditionsModule/conditions/0", 160, REG, PRS),
    ("/protocolSection/armsInterventionsModule/interventions/0/description", 1000, REG, SCHEMA),
    ("/protocolSection/outcomesModule/primaryOutcomes/0/timeFrame", 255, REG, SCHEMA),
    ("/protocolSection/eligibilityModule/eligibilityCriteria", 20000, REG, SCHEMA),
    ("/resultsSection/participantFlowModule/periods/0/title", 40, RES, SCHEMA),
    ("/resultsSection/outcomeMeasuresModule/outcomeMeasures/0/unitOfMeasure", 40, RES, SCHEMA),
    ("/resultsSection/adverseEventsModule/timeFrame", 500, RES, SCHEMA),
    ("/protocolSection/outcomesModule/primaryOutcomes/0/measure", 255, REG, SCHEMA),
    ("/resultsSection/participantFlowModule/recruitmentDetails", 500, RES, SCHEMA),
    ("/resultsSection/participantFlowModule/groups/0/description", 999, RES, SCHEMA),
    ("/resultsSection/adverseEventsModule/eventGroups/0/description", 999, RES, SCHEMA),
]


@pytest.mark.parametrize(("pointer", "limit", "stage", "code"), LENGTH_CASES)
def test_value_over_the_prs_limit_is_one_error(pointer: str, limit: int, stage: Stage, code: str) -> None:
    # given a value one character over the data element limit (PRS data element definitions)
    record = at(interventional_with_results(), pointer, "x" * (limit + 1))
    # when checked by the generic and the ClinicalTrials.gov checks together
    # then exactly one length finding points at it
    assert together(record, stage) == [(ERROR, code, pointer)]


def test_prs_length_finding_names_the_limit_and_its_source() -> None:
    pointer = "/protocolSection/conditionsModule/keywords/0"
    findings = check_record(at(interventional_with_results(), pointer, "x" * 161), REG)
    assert summary(findings) == [(ERROR, PRS, pointer)]
    assert findings[0].details == {"limit": 160, "length": 161}
    assert findings[0].source.startswith("PRS data element definitions")


@pytest.mark.parametrize(("pointer", "limit", "stage", "code"), LENGTH_CASES)
def test_value_at_the_prs_limit_passes(pointer: str, limit: int, stage: Stage, code: str) -> None:
    record = at(interventional_with_results(), pointer, "x" * limit)
    assert together(record, stage) == []


def test_long_arm_title_is_reported_once_even_when_interventions_name_it() -> None:
    record = interventional_with_results()
    label = "A" * 101
    at(record, "/protocolSection/armsInterventionsModule/armGroups/0/label", label)
    at(record, "/protocolSection/armsInterventionsModule/interventions/0/armGroupLabels", [label])
    assert together(record, REG) == [
        (ERROR, SCHEMA, "/protocolSection/armsInterventionsModule/armGroups/0/label")
    ]


PICKLIST_CASES = [
    # API v2 publishes WITHHELD and UNKNOWN, but only ClinicalTrials.gov sets them.
    ("/protocolSection/statusModule/overallStatus", "WITHHELD", "ctgov.picklist.invalid_value", REG),
    ("/protocolSection/statusModule/overallStatus", "UNKNOWN", "ctgov.picklist.invalid_value", REG),
    (
        "/resultsSection/outcomeMeasuresModule/outcomeMeasures/0/dispersionType",
        "Std Dev",
        "ctgov.picklist.invalid_value",
        RES,
    ),
    (
        "/resultsSection/adverseEventsModule/otherEvents/0/organSystem",
        "Head disorders",
        "ctgov.ae.organ_system_unknown",
        RES,
    ),
    (
        "/resultsSection/adverseEventsModule/frequencyThreshold",
        "7",
        "ctgov.ae.frequency_threshold_range",
        RES,
    ),
    (
        "/resultsSection/adverseEventsModule/frequencyThreshold",
        "five",
        "ctgov.ae.frequency_threshold_range",
        RES,
    ),
]


@pytest.mark.parametrize(("pointer", "value", "code", "stage"), PICKLIST_CASES)
def test_value_off_the_prs_picklist_is_an_error(pointer: str, value: Any, code: str, stage: Stage) -> None:
    record = at(interventional_with_results(), pointer, value)
    assert summary(check_record(record, stage)) == [(ERROR, code, pointer)]


def test_sub_investigator_is_refused_as_overall_official() -> None:
    # given an overall official with a role API v2 publishes but PRS refuses for that element
    pointer = "/protocolSection/contactsLocationsModule/overallOfficials/0/role"
    official = {"name": "Dr A", "affiliation": "Acme Pharma", "role": "SUB_INVESTIGATOR"}
    record = at(
        interventional_with_results(),
        "/protocolSection/contactsLocationsModule",
        {"overallOfficials": [official]},
    )
    # when checked, then the picklist layer reports it
    assert summary(check_record(record, REG)) == [(ERROR, "ctgov.picklist.invalid_value", pointer)]


SCHEMA_ENUM_CASES = [
    ("/protocolSection/statusModule/overallStatus", "FOO", REG),
    ("/protocolSection/designModule/phases/0", "PHASE9", REG),
    ("/protocolSection/armsInterventionsModule/armGroups/1/type", "PLACEBO", REG),
    ("/resultsSection/baselineCharacteristicsModule/measures/0/dispersionType", "Standard Deviation", RES),
]


@pytest.mark.parametrize(("pointer", "value", "stage"), SCHEMA_ENUM_CASES)
def test_value_off_a_schema_enum_is_reported_once_by_the_record_schema(
    pointer: str, value: str, stage: Stage
) -> None:
    # given a value outside the API v2 enum the record schema enforces
    record = at(interventional_with_results(), pointer, value)
    # when checked with the generic and the ClinicalTrials.gov checks together
    findings = check_all(record, stage, registry="ctgov")
    # then the record schema reports it once and the PRS picklist layer does not report it again
    # (a generic rule about the status itself, such as results on a non-final status, is another matter)
    at_pointer = [f.code for f in findings if f.pointer == pointer and not f.code.startswith("rule.")]
    assert at_pointer == ["record.enum"]


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/resultsSection/outcomeMeasuresModule/outcomeMeasures/0/dispersionType", "STANDARD_DEVIATION"),
        ("/resultsSection/outcomeMeasuresModule/outcomeMeasures/0/dispersionType", "95% Confidence Interval"),
        ("/resultsSection/adverseEventsModule/otherEvents/0/organSystem", "General disorders"),
        ("/resultsSection/adverseEventsModule/otherEvents/0/organSystem", "nervous SYSTEM disorders"),
        ("/resultsSection/adverseEventsModule/frequencyThreshold", "0.5"),
        ("/protocolSection/eligibilityModule/minimumAge", "6 Months"),
    ],
)
def test_values_prs_accepts_pass(pointer: str, value: Any) -> None:
    assert check_record(at(interventional_with_results(), pointer, value), RES) == []


def test_outcome_dispersion_label_normalises_to_code() -> None:
    assert [
        outcome_dispersion_code(v)
        for v in ("Inter-Quartile Range", "85% Confidence Interval", "FULL_RANGE", "x")
    ] == ["INTER_QUARTILE_RANGE", "CONFIDENCE_OTHER", "FULL_RANGE", None]


MASKING = "/protocolSection/designModule/designInfo/maskingInfo"


@pytest.mark.parametrize(
    ("masking", "who", "code"),
    [
        ("DOUBLE", [], "ctgov.design.who_masked_required"),
        ("NONE", ["PARTICIPANT"], "ctgov.design.who_masked_without_masking"),
        ("TRIPLE", ["PARTICIPANT", "INVESTIGATOR"], "ctgov.design.masking_count_mismatch"),
    ],
)
def test_masking_level_and_masked_roles_must_agree(masking: str, who: list[str], code: str) -> None:
    record = at(interventional_with_results(), MASKING, {"masking": masking, "whoMasked": who})
    assert summary(check_record(record, REG)) == [(ERROR, code, f"{MASKING}/whoMasked")]


def test_open_label_without_roles_passes() -> None:
    record = at(interventional_with_results(), MASKING, {"masking": "NONE"})
    assert check_record(record, REG) == []


def test_stopped_study_requires_why_stopped() -> None:
    record = at(interventional_with_results(), "/protocolSection/statusModule/overallStatus", "TERMINATED")
    assert summary(check_record(record, REG)) == [
        (ERROR, "ctgov.status.why_stopped_required", "/protocolSection/statusModule/whyStopped")
    ]
    at(record, "/protocolSection/statusModule/whyStopped", "Sponsor decision")
    assert check_record(record, REG) == []


def test_expanded_access_status_does_not_apply_to_an_interventional_study() -> None:
    record = at(interventional_with_results(), "/protocolSection/statusModule/overallStatus", "AVAILABLE")
    assert summary(check_record(record, REG)) == [
        (ERROR, "ctgov.status.invalid_for_study_type", "/protocolSection/statusModule/overallStatus")
    ]


def test_expanded_access_record_needs_an_access_type() -> None:
    record = interventional_with_results()
    at(record, "/protocolSection/designModule/studyType", "EXPANDED_ACCESS")
    at(record, "/protocolSection/statusModule/overallStatus", "AVAILABLE")
    assert summary(check_record(record, REG)) == [
        (
            ERROR,
            "ctgov.design.expanded_access_type_required",
            "/protocolSection/designModule/expandedAccessTypes",
        )
    ]
    at(record, "/protocolSection/designModule/expandedAccessTypes", {"individual": True})
    assert check_record(record, REG) == []


@pytest.mark.parametrize(
    ("pointer", "record_factory", "code"),
    [
        # every registry needs these: the generic registration profile's finding
        ("/protocolSection/descriptionModule/briefSummary", interventional_with_results, "profile.required"),
        (
            "/protocolSection/designModule/designInfo/allocation",
            interventional_with_results,
            "profile.required",
        ),
        # PRS only (the official title from 2017-01-18, "*§"): the ClinicalTrials.gov finding
        (
            "/protocolSection/identificationModule/officialTitle",
            interventional_with_results,
            "ctgov.required.missing",
        ),
        (
            "/protocolSection/armsInterventionsModule/armGroups/0/type",
            interventional_with_results,
            "ctgov.required.missing",
        ),
        (
            "/protocolSection/eligibilityModule/samplingMethod",
            observational_registration,
            "ctgov.required.missing",
        ),
        (
            "/protocolSection/designModule/designInfo/timePerspective",
            observational_registration,
            "ctgov.required.missing",
        ),
    ],
)
def test_required_field_missing_is_one_error(pointer: str, record_factory: Any, code: str) -> None:
    record = at(record_factory(), pointer, DELETE)
    assert together(record, REG) == [(ERROR, code, pointer)]


def test_investigator_responsible_party_needs_name_title_and_affiliation() -> None:
    record = at(
        interventional_with_results(),
        "/protocolSection/sponsorCollaboratorsModule/responsibleParty",
        {"type": "PRINCIPAL_INVESTIGATOR", "investigatorFullName": "Ada Byron"},
    )
    party = "/protocolSection/sponsorCollaboratorsModule/responsibleParty"
    assert summary(check_record(record, REG)) == [
        (ERROR, "ctgov.required.missing", f"{party}/investigatorTitle"),
        (ERROR, "ctgov.required.missing", f"{party}/investigatorAffiliation"),
    ]


def test_retained_biospecimens_need_a_description() -> None:
    record = at(
        observational_registration(),
        "/protocolSection/designModule/bioSpec",
        {"retention": "SAMPLES_WITH_DNA"},
    )
    assert summary(check_record(record, REG)) == [
        (ERROR, "ctgov.required.missing", "/protocolSection/designModule/bioSpec/description")
    ]


def test_results_picklists_are_not_checked_at_registration() -> None:
    record = at(
        interventional_with_results(),
        "/resultsSection/adverseEventsModule/otherEvents/0/organSystem",
        "Head disorders",
    )
    assert check_picklists(record, REG, include_results=False) == []


@pytest.mark.parametrize(
    "record",
    [
        {"protocolSection": "not an object"},
        {"protocolSection": {"identificationModule": {"briefTitle": 5, "secondaryIdInfos": "x"}}},
        {"protocolSection": {"designModule": {"phases": "PHASE1", "designInfo": []}}},
        {"resultsSection": {"adverseEventsModule": {"otherEvents": [None, 3, {"organSystem": 7}]}}},
    ],
)
def test_wrongly_typed_values_never_raise(record: dict[str, Any]) -> None:
    for stage in Stage:
        findings = check_record(record, stage)
        assert all(f.registry == "ctgov" and f.stage is stage for f in findings)
