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


def test_derived_and_header_elements_are_listed_apart_from_dropped(sample_dir: Path) -> None:
    result = import_public_xml((sample_dir / "ctgov-legacy-public-NCT02708238.xml").read_bytes())

    assert result.dropped == []
    assert result.derived == [
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


def test_pending_results_become_review_cycles_of_the_results_filing() -> None:
    xml = b"""<clinical_study><id_info><nct_id>NCT01234567</nct_id></id_info>
      <study_first_submitted>March 3, 2015</study_first_submitted>
      <study_first_submitted_qc>March 3, 2015</study_first_submitted_qc>
      <study_first_posted type="Estimate">March 6, 2015</study_first_posted>
      <pending_results>
        <submitted>May 1, 2018</submitted><returned>June 2, 2018</returned>
        <submitted>July 3, 2018</submitted><submission_canceled>Unknown</submission_canceled>
        <submitted>August 4, 2018</submitted>
      </pending_results></clinical_study>"""

    result = import_public_xml(xml)

    assert [item.as_dict() for item in result.history] == [
        {
            "registry": "ctgov",
            "stage": "registration",
            "submitted_on": "2015-03-03",
            "outcome": "accepted",
            "responded_on": "2015-03-06",
            "source": "/clinical_study",
        },
        {
            "registry": "ctgov",
            "stage": "results",
            "submitted_on": "2018-05-01",
            "outcome": "returned",
            "responded_on": "2018-06-02",
            "source": "/clinical_study/pending_results/submitted[1]",
        },
        {
            "registry": "ctgov",
            "stage": "results",
            "submitted_on": "2018-07-03",
            "outcome": "cancelled",
            "responded_on": None,
            "source": "/clinical_study/pending_results/submitted[2]",
        },
        {
            "registry": "ctgov",
            "stage": "results",
            "submitted_on": "2018-08-04",
            "outcome": "pending",
            "responded_on": None,
            "source": "/clinical_study/pending_results/submitted[3]",
        },
    ]
    assert result.derived == [
        "/clinical_study/pending_results/submitted[1]",
        "/clinical_study/pending_results/returned",
        "/clinical_study/pending_results/submitted[2]",
        "/clinical_study/pending_results/submission_canceled",
        "/clinical_study/pending_results/submitted[3]",
    ]
