"""Importing the classic public XML (retired 2024, still in sponsors' archives) into a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from registries.ctgov.importers.public_xml import import_public_xml
from registries.enums import Stage
from registries.findings import RegistryError
from registries.schema import validate_record
from tests.conftest import shared_sample_paths

SAMPLES = shared_sample_paths("ctgov-legacy-public-*.xml")


def test_there_are_two_legacy_public_samples(registry_specs: Path) -> None:
    assert [p.name for p in shared_sample_paths("ctgov-legacy-public-*.xml")] == [
        "ctgov-legacy-public-NCT01065844.xml",
        "ctgov-legacy-public-NCT02708238.xml",
    ]


def test_public_xml_dates_status_design_and_ids_become_record_fields(sample_dir: Path) -> None:
    # given the legacy record of NCT01065844
    data = (sample_dir / "ctgov-legacy-public-NCT01065844.xml").read_bytes()

    # when it is imported
    protocol = import_public_xml(data).record["protocolSection"]

    # then "October 2009" style dates are ISO partial dates and strings are API v2 codes
    assert protocol["identificationModule"]["nctId"] == "NCT01065844"
    assert protocol["identificationModule"]["orgStudyIdInfo"] == {"id": "200905704"}
    status = protocol["statusModule"]
    assert (status["overallStatus"], status["startDateStruct"], status["primaryCompletionDateStruct"]) == (
        "COMPLETED",
        {"date": "2009-10"},
        {"date": "2015-05", "type": "ACTUAL"},
    )
    assert protocol["designModule"]["phases"] == ["PHASE2"]
    assert protocol["designModule"]["designInfo"] == {
        "interventionModel": "SINGLE_GROUP",
        "primaryPurpose": "TREATMENT",
        "maskingInfo": {"masking": "NONE"},
    }
    assert protocol["designModule"]["enrollmentInfo"] == {"count": 15, "type": "ACTUAL"}


def test_adverse_event_total_rows_become_group_totals(sample_dir: Path) -> None:
    data = (sample_dir / "ctgov-legacy-public-NCT02708238.xml").read_bytes()

    events = import_public_xml(data).record["resultsSection"]["adverseEventsModule"]

    assert [
        (g["id"], g["seriousNumAffected"], g["seriousNumAtRisk"], g["otherNumAffected"], g["otherNumAtRisk"])
        for g in events["eventGroups"]
    ] == [("EG000", 0, 60, 0, 60), ("EG001", 0, 59, 0, 59), ("EG002", 0, 57, 0, 57)]
    assert ("seriousEvents" in events, "otherEvents" in events) == (False, False)


def test_derived_and_header_elements_are_listed_as_dropped(sample_dir: Path) -> None:
    result = import_public_xml((sample_dir / "ctgov-legacy-public-NCT02708238.xml").read_bytes())

    assert result.dropped == [
        "/clinical_study/required_header/download_date",
        "/clinical_study/required_header/link_text",
        "/clinical_study/required_header/url",
        "/clinical_study/source",
        "/clinical_study/last_update_submitted_qc",
        "/clinical_study/condition_browse/mesh_term",
        "/clinical_study/intervention_browse/mesh_term",
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_imported_public_samples_are_valid_records(sample: Path, registry_specs: Path) -> None:
    record = import_public_xml(sample.read_bytes()).record

    assert validate_record(record, Stage.RESULTS, registry="ctgov") == []


def test_public_importer_refuses_a_prs_document() -> None:
    with pytest.raises(RegistryError) as raised:
        import_public_xml(b'<prs:study_collection xmlns:prs="http://clinicaltrials.gov/prs"/>')

    assert raised.value.code == "import.not_public_xml"


def test_public_importer_refuses_billion_laughs() -> None:
    data = b'<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><clinical_study>&b;</clinical_study>'

    with pytest.raises(RegistryError) as raised:
        import_public_xml(data)

    assert raised.value.code == "xml.forbidden_doctype"
