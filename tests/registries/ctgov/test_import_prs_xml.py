"""Importing PRS XML as downloaded from PRS (the published samples) into a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from registries.ctgov.importers.prs_xml import import_prs_xml
from registries.enums import Stage
from registries.findings import RegistryError
from registries.importers import import_record
from registries.schema import validate_record

PREFIX = "/prs:study_collection/clinical_study"


def test_prs_download_maps_protocol_fields(registry_specs: Path) -> None:
    # given the PRS download of test record 1234
    data = (registry_specs / "ctgov-prs" / "1234.xml").read_bytes()

    # when it is imported
    result = import_prs_xml(data)
    protocol = result.record["protocolSection"]

    # then PRS strings and yes/no / true/false flags become API v2 codes and booleans
    assert protocol["identificationModule"]["orgStudyIdInfo"] == {"id": "1234"}
    assert protocol["identificationModule"]["organization"] == {"fullName": "AddenbrookesH"}
    assert protocol["statusModule"] == {
        "statusVerifiedDate": "2021-07",
        "overallStatus": "COMPLETED",
        "startDateStruct": {"date": "2020-01-01", "type": "ACTUAL"},
        "primaryCompletionDateStruct": {"date": "2021-01-01", "type": "ACTUAL"},
        "completionDateStruct": {"date": "2021-02-01", "type": "ACTUAL"},
    }
    assert protocol["designModule"] == {
        "studyType": "INTERVENTIONAL",
        "phases": ["PHASE2"],
        "designInfo": {
            "allocation": "RANDOMIZED",
            "interventionModel": "PARALLEL",
            "primaryPurpose": "TREATMENT",
            "maskingInfo": {"masking": "NONE"},
        },
        "enrollmentInfo": {"count": 400, "type": "ACTUAL"},
    }
    assert protocol["armsInterventionsModule"]["armGroups"][1] == {
        "label": "Ritazarem",
        "type": "EXPERIMENTAL",
        "interventionNames": ["Drug: ritazarem"],
    }
    # " N/A" (no age limit) is no maximum age
    assert (protocol["eligibilityModule"]["minimumAge"], "maximumAge" in protocol["eligibilityModule"]) == (
        "18 Years",
        False,
    )


def test_prs_internal_and_deprecated_tags_are_listed_as_dropped(registry_specs: Path) -> None:
    result = import_prs_xml((registry_specs / "ctgov-prs" / "1234.xml").read_bytes())

    assert result.dropped == [
        f"{PREFIX}/delayed_posting",
        f"{PREFIX}/id_info/provider_name",
        f"{PREFIX}/id_info/provider_study_id",
        f"{PREFIX}/is_fda_regulated",
        f"{PREFIX}/is_section_801",
        f"{PREFIX}/sponsors/resp_party/investigator_username",
        f"{PREFIX}/oversight_info/post_prior_to_approval",
    ]


def test_results_only_partial_upload_imports_adverse_events(registry_specs: Path) -> None:
    # given the published results-only partial upload (reported events)
    data = (registry_specs / "ctgov-prs" / "ct_safety_upload.xml").read_bytes()

    # when it is imported
    result = import_prs_xml(data)
    events = result.record["resultsSection"]["adverseEventsModule"]

    # then groups get API v2 IDs by position, with all-cause mortality, and events keep their counts
    assert "protocolSection" not in result.record
    assert events["eventGroups"][0] == {
        "id": "EG000",
        "title": "Group A",
        "description": "Group A",
        "deathsNumAffected": 3,
        "deathsNumAtRisk": 20,
        "seriousNumAffected": 10,
        "seriousNumAtRisk": 20,
        "otherNumAffected": 10,
        "otherNumAtRisk": 20,
    }
    assert events["otherEvents"][0] == {
        "term": "Abdominal distension",
        "sourceVocabulary": "MedDRA 22.0",
        "assessmentType": "NON_SYSTEMATIC_ASSESSMENT",
        "notes": "Abdominal distension",
        "stats": [
            {"groupId": "EG000", "numEvents": 11, "numAffected": 7, "numAtRisk": 20},
            {"groupId": "EG001", "numEvents": 16, "numAffected": 8, "numAtRisk": 22},
            {"groupId": "EG002", "numEvents": 13, "numAffected": 7, "numAtRisk": 18},
        ],
    }
    assert (len(events["seriousEvents"]), len(events["otherEvents"]), result.dropped) == (26, 26, [])


@pytest.mark.parametrize("name", ["1234.xml", "table_ct.xml"])
def test_imported_prs_samples_are_valid_records(name: str, registry_specs: Path) -> None:
    result = import_record("ctgov-prs-xml", (registry_specs / "ctgov-prs" / name).read_bytes())

    assert validate_record(result.record, Stage.RESULTS, registry="ctgov") == []


def test_results_only_upload_is_a_fragment_without_protocol(registry_specs: Path) -> None:
    # A results-only upload is merged into an existing record, so on its own it lacks the protocol.
    result = import_record(
        "ctgov-prs-xml", (registry_specs / "ctgov-prs" / "ct_safety_upload.xml").read_bytes()
    )

    findings = validate_record(result.record, Stage.RESULTS, registry="ctgov")

    assert [(f.code, f.pointer) for f in findings] == [("record.required", "/protocolSection")]


def test_prs_importer_refuses_an_xxe_document() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><s>&x;</s>'

    with pytest.raises(RegistryError) as raised:
        import_prs_xml(data)

    assert raised.value.code == "xml.forbidden_doctype"


def test_prs_importer_refuses_a_collection_of_several_studies() -> None:
    data = (
        b'<prs:study_collection xmlns:prs="http://clinicaltrials.gov/prs">'
        b"<clinical_study/><clinical_study/></prs:study_collection>"
    )

    with pytest.raises(RegistryError) as raised:
        import_prs_xml(data)

    assert raised.value.code == "import.multiple_studies"


def test_prs_importer_refuses_another_kind_of_xml() -> None:
    with pytest.raises(RegistryError) as raised:
        import_prs_xml(b"<clinical_study><id_info/></clinical_study>")

    assert raised.value.code == "import.not_prs_xml"


def test_unknown_picklist_value_is_dropped_with_its_xpath() -> None:
    data = (
        b'<prs:study_collection xmlns:prs="http://clinicaltrials.gov/prs"><clinical_study>'
        b"<id_info><org_name>Org</org_name><org_study_id>1</org_study_id></id_info>"
        b"<overall_status>Foo bar</overall_status></clinical_study></prs:study_collection>"
    )

    result = import_prs_xml(data)

    assert "statusModule" not in result.record["protocolSection"]
    assert result.dropped == [f"{PREFIX}/overall_status"]
