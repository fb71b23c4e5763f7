"""Each generic stage profile: what it demands, as findings with codes and pointers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.schema import validate_profile
from tests.registries import records

COMPLETE_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "records" / "complete.json"

REGISTRATION_SOURCE = "42 CFR 11.28(a); WHO Trial Registration Data Set v1.3.1"
PROTOCOL_SOURCE = "42 CFR 11.28(a)(2); Regulation (EU) 536/2014 Annex I (protocol synopsis)"
RESULTS_SOURCE = "42 CFR 11.48(a); Regulation (EU) 536/2014 Annex IV"
LAY_SOURCE = "Regulation (EU) 536/2014 Art. 37(4) and Annex V"


def _codes_and_pointers(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.pointer) for f in findings]


@pytest.mark.parametrize(
    ("stage", "build"),
    [
        (Stage.REGISTRATION, records.registration_record),
        (Stage.PROTOCOL_SUMMARY, records.protocol_summary_record),
        (Stage.RESULTS, records.results_record),
        (Stage.LAY_SUMMARY, records.lay_summary_record),
    ],
)
def test_record_built_for_a_stage_meets_its_profile(stage: Stage, build: Any) -> None:
    assert validate_profile(build(), stage) == []


@pytest.mark.parametrize("stage", list(Stage))
def test_complete_fixture_meets_every_profile(stage: Stage) -> None:
    record = json.loads(COMPLETE_FIXTURE.read_text(encoding="utf-8"))

    assert validate_profile(record, stage) == []


def test_registration_reports_each_missing_field_at_its_pointer() -> None:
    record = records.registration_record()
    protocol = record["protocolSection"]
    del protocol["eligibilityModule"]["sex"]
    protocol["conditionsModule"]["conditions"] = []

    findings = validate_profile(record, Stage.REGISTRATION)

    assert findings == [
        Finding(
            Severity.ERROR,
            "profile.min_items",
            "/protocolSection/conditionsModule/conditions",
            "protocolSection.conditionsModule.conditions has 0 entries; "
            "at least 1 needed at the registration stage.",
            "record",
            Stage.REGISTRATION,
            REGISTRATION_SOURCE,
        ),
        Finding(
            Severity.ERROR,
            "profile.required",
            "/protocolSection/eligibilityModule/sex",
            "protocolSection.eligibilityModule.sex is required at the registration stage.",
            "record",
            Stage.REGISTRATION,
            REGISTRATION_SOURCE,
        ),
    ]


def test_registration_leaves_what_one_registry_needs_to_that_registry() -> None:
    # given a record without the elements ClinicalTrials.gov alone asks for, or asks for only from a
    # date (official title and date types from 2017-01-18, FDAAA 801 elements from 2007-12-26, the
    # record verification date, the responsible party, contacts while recruiting)
    record = records.registration_record()
    protocol = record["protocolSection"]
    del protocol["identificationModule"]["officialTitle"]
    del protocol["statusModule"]["startDateStruct"]["type"]
    del protocol["statusModule"]["statusVerifiedDate"]
    del protocol["statusModule"]["primaryCompletionDateStruct"]
    del protocol["sponsorCollaboratorsModule"]["responsibleParty"]
    del protocol["designModule"]["enrollmentInfo"]["type"]
    del protocol["outcomesModule"]
    del protocol["contactsLocationsModule"]

    # when the generic registration profile is applied, then it asks for none of them
    assert validate_profile(record, Stage.REGISTRATION) == []


def test_registration_of_interventional_study_needs_interventions_and_phase() -> None:
    record = records.registration_record()
    record["protocolSection"]["armsInterventionsModule"]["interventions"] = []
    del record["protocolSection"]["designModule"]["phases"]

    findings = validate_profile(record, Stage.REGISTRATION)

    assert _codes_and_pointers(findings) == [
        ("profile.min_items", "/protocolSection/armsInterventionsModule/interventions"),
        ("profile.required", "/protocolSection/designModule/phases"),
    ]


def test_registration_of_observational_study_needs_no_interventions_or_phase() -> None:
    record = records.registration_record()
    design = record["protocolSection"]["designModule"]
    design["studyType"] = "OBSERVATIONAL"
    del design["phases"]
    del design["designInfo"]
    del record["protocolSection"]["armsInterventionsModule"]

    assert validate_profile(record, Stage.REGISTRATION) == []


def test_a_central_contact_replaces_locations_before_recruitment() -> None:
    record = records.registration_record()
    record["protocolSection"]["contactsLocationsModule"] = {
        "centralContacts": [{"name": "Trial desk", "role": "CONTACT", "email": "desk@acme.test"}]
    }

    assert validate_profile(record, Stage.REGISTRATION) == []


def test_protocol_summary_does_not_require_optional_elements() -> None:
    # given an interventional record without a detailed description, an IPD sharing statement, a
    # minimum age (API v2 leaves it out for "no limit"), arm descriptions or a protocol document: the PRS
    # definitions mark the first three optional, and ClinicalTrials.gov asks for the protocol only with
    # results for a primary completion on or after 2017-01-18 (its own check)
    record = records.registration_record()
    record["documentSection"] = {
        "largeDocumentModule": {"largeDocs": [{"typeAbbrev": "ICF", "hasProtocol": False}]}
    }
    record["protocolSection"]["eligibilityModule"].pop("minimumAge", None)

    # when the generic protocol summary profile is applied, then nothing is missing
    assert validate_profile(record, Stage.PROTOCOL_SUMMARY) == []


def test_protocol_summary_of_observational_study_needs_its_design_and_population() -> None:
    record = records.registration_record()
    design = record["protocolSection"]["designModule"]
    design["studyType"] = "OBSERVATIONAL"
    design["designInfo"] = {"observationalModel": "COHORT"}

    findings = validate_profile(record, Stage.PROTOCOL_SUMMARY)

    assert [(f.code, f.pointer, f.source) for f in findings] == [
        ("profile.required", "/protocolSection/designModule/designInfo/timePerspective", PROTOCOL_SOURCE),
        ("profile.required", "/protocolSection/eligibilityModule/samplingMethod", PROTOCOL_SOURCE),
        ("profile.required", "/protocolSection/eligibilityModule/studyPopulation", PROTOCOL_SOURCE),
    ]


def test_protocol_summary_includes_the_registration_requirements_with_their_source() -> None:
    record = records.protocol_summary_record()
    del record["protocolSection"]["identificationModule"]["briefTitle"]

    findings = validate_profile(record, Stage.PROTOCOL_SUMMARY)

    assert findings == [
        Finding(
            Severity.ERROR,
            "profile.required",
            "/protocolSection/identificationModule/briefTitle",
            "protocolSection.identificationModule.briefTitle is required at the protocol summary stage.",
            "record",
            Stage.PROTOCOL_SUMMARY,
            REGISTRATION_SOURCE,
        )
    ]


def test_results_need_all_four_core_modules_and_more_info() -> None:
    record = records.protocol_summary_record()
    record["resultsSection"] = {
        "moreInfoModule": {"pointOfContact": {"title": "Desk", "organization": "Acme"}}
    }

    findings = validate_profile(record, Stage.RESULTS)

    assert [(f.code, f.pointer, f.source) for f in findings] == [
        ("profile.required", "/resultsSection/adverseEventsModule", RESULTS_SOURCE),
        ("profile.required", "/resultsSection/baselineCharacteristicsModule", RESULTS_SOURCE),
        ("profile.contact_reachable", "/resultsSection/moreInfoModule/pointOfContact", RESULTS_SOURCE),
        ("profile.required", "/resultsSection/outcomeMeasuresModule", RESULTS_SOURCE),
        ("profile.required", "/resultsSection/participantFlowModule", RESULTS_SOURCE),
    ]


def test_results_modules_need_their_core_content() -> None:
    record = records.results_record()
    results = record["resultsSection"]
    results["participantFlowModule"]["periods"][0]["milestones"] = results["participantFlowModule"][
        "periods"
    ][0]["milestones"][:1]
    results["outcomeMeasuresModule"]["outcomeMeasures"] = []
    del results["adverseEventsModule"]["frequencyThreshold"]
    del results["baselineCharacteristicsModule"]["measures"][0]["unitOfMeasure"]

    findings = validate_profile(record, Stage.RESULTS)

    assert _codes_and_pointers(findings) == [
        ("profile.required", "/resultsSection/adverseEventsModule/frequencyThreshold"),
        ("profile.required", "/resultsSection/baselineCharacteristicsModule/measures/0/unitOfMeasure"),
        ("profile.min_items", "/resultsSection/outcomeMeasuresModule/outcomeMeasures"),
    ]


def test_lay_summary_stage_needs_a_lay_summary() -> None:
    findings = validate_profile(records.registration_record(), Stage.LAY_SUMMARY)

    assert findings == [
        Finding(
            Severity.ERROR,
            "profile.required",
            "/laySummaries",
            "laySummaries is required at the lay summary stage.",
            "record",
            Stage.LAY_SUMMARY,
            LAY_SOURCE,
        )
    ]


def test_lay_summary_needs_all_ten_sections_written() -> None:
    record = records.lay_summary_record()
    sections = record["laySummaries"][0]["sections"]
    del sections["adverseReactions"]
    del sections["followUpTrials"]
    sections["overallResults"] = ""

    findings = validate_profile(record, Stage.LAY_SUMMARY)

    assert [(f.code, f.pointer, f.message) for f in findings] == [
        (
            "profile.required",
            "/laySummaries/0/sections/adverseReactions",
            "laySummaries[0].sections.adverseReactions is required at the lay summary stage.",
        ),
        (
            "profile.required",
            "/laySummaries/0/sections/followUpTrials",
            "laySummaries[0].sections.followUpTrials is required at the lay summary stage.",
        ),
        (
            "profile.min_length",
            "/laySummaries/0/sections/overallResults",
            "laySummaries[0].sections.overallResults must not be empty at the lay summary stage.",
        ),
    ]


def test_lay_summary_stage_does_not_demand_results_modules() -> None:
    record = records.lay_summary_record()

    assert "resultsSection" not in record
    assert validate_profile(record, Stage.LAY_SUMMARY) == []


def test_profile_of_a_record_with_wrong_types_gives_findings_not_an_exception() -> None:
    record: dict[str, Any] = {"protocolSection": {"identificationModule": "NCT01234567", "statusModule": []}}

    findings = validate_profile(record, Stage.RESULTS)

    assert ("profile.required", "/resultsSection") in _codes_and_pointers(findings)
    assert all(f.severity is Severity.ERROR for f in findings)
