"""PRS results XML: group IDs, the baseline total, milestones, reasons, disposition, partial uploads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from registries.ctgov.adapter import ADAPTER
from registries.enums import Stage
from tests.registries.ctgov.test_build_protocol import complete_record

RRS = "{http://clinicaltrials.gov/rrs}"


def result_of(record: dict[str, Any]) -> etree._Element:
    study = etree.fromstring(ADAPTER.build(record, Stage.RESULTS).content)[0]
    result = study.find(f"{RRS}result")
    assert result is not None
    return result


def test_reporting_group_ids_are_unique_across_the_whole_document() -> None:
    result = result_of(complete_record())

    ids = [element.get("id") for element in result.iter() if element.get("id")]

    assert len(ids) == len(set(ids)) > 0


def test_each_outcome_measure_gets_its_own_group_ids() -> None:
    measures = result_of(complete_record()).findall("outcomeMeasures/outcomeMeasure")

    first_ids = [g.get("id") for g in measures[0].findall("outcomeReportingGroups/outcomeReportingGroup")]
    second_ids = [g.get("id") for g in measures[1].findall("outcomeReportingGroups/outcomeReportingGroup")]

    assert (first_ids, second_ids) == (["OM001-OG000", "OM001-OG001"], ["OM002-OG000", "OM002-OG001"])


def test_baseline_total_group_is_the_total_reporting_group() -> None:
    baseline = result_of(complete_record()).find("baseline")

    assert baseline is not None
    assert [
        g.findtext("title") for g in baseline.findall("baselineReportingGroups/baselineReportingGroup")
    ] == [
        "Trelanoxib 40 mg",
        "Placebo",
    ]
    assert baseline.findtext("totalBaselineReportingGroup/title") == "Total"


def test_study_specific_baseline_measure_keeps_its_title_in_other_title() -> None:
    record = complete_record()
    measures = record["resultsSection"]["baselineCharacteristicsModule"]["measures"]
    measures[0]["title"] = "Body Mass Index"

    measure = result_of(record).find("baseline/baselineMeasures/baselineMeasure")

    assert measure is not None
    assert (measure.findtext("title"), measure.findtext("otherTitle")) == (
        "Study Specific Characteristic",
        "Body Mass Index",
    )


def test_started_and_completed_milestones_have_their_own_elements_and_not_completed_is_left_to_prs() -> None:
    record = complete_record()
    flow = record["resultsSection"]["participantFlowModule"]
    flow["periods"][0]["milestones"].append(
        {"type": "NOT COMPLETED", "achievements": [{"groupId": flow["groups"][0]["id"], "numSubjects": "1"}]}
    )

    period = result_of(record).find("participantFlow/periods/period")

    assert period is not None
    assert [str(child.tag) for child in period] == [
        "completedMilestone",
        "dropWithdrawReasons",
        "milestones",
        "startedMilestone",
        "title",
    ]
    assert all(m.findtext("titleOther") != "NOT COMPLETED" for m in period.findall("milestones/milestone"))


def test_reason_outside_the_prs_picklist_becomes_other_with_its_name() -> None:
    record = complete_record()
    period = record["resultsSection"]["participantFlowModule"]["periods"][0]
    group_id = record["resultsSection"]["participantFlowModule"]["groups"][0]["id"]
    period["dropWithdraws"] = [
        {"type": "COVID-19 Pandemic", "reasons": [{"groupId": group_id, "numSubjects": "2"}]},
        {"type": "Adverse Event", "reasons": [{"groupId": group_id, "numSubjects": "1"}]},
    ]

    period_element = result_of(record).find("participantFlow/periods/period")
    assert period_element is not None
    reasons = period_element.findall("dropWithdrawReasons/dropWithdrawReason")

    assert [(r.findtext("reasonType"), r.findtext("otherReasonName")) for r in reasons] == [
        ("Other", "COVID-19 Pandemic"),
        ("Adverse Event", None),
    ]


def test_adverse_event_groups_carry_all_cause_mortality() -> None:
    record = complete_record()
    group = record["resultsSection"]["adverseEventsModule"]["eventGroups"][0]

    element = result_of(record).find("reportedEvents/interventionGroups/interventionGroup")

    assert element is not None
    assert (element.findtext("numDeaths"), element.findtext("partAtRiskAllCauseMort")) == (
        str(group["deathsNumAffected"]),
        str(group["deathsNumAtRisk"]),
    )


def test_undeclared_group_reference_is_kept_visible_and_fails_the_xsd(registry_specs: Path) -> None:
    record = complete_record()
    event = record["resultsSection"]["adverseEventsModule"]["seriousEvents"][0]
    event["stats"][0]["groupId"] = "EG999"

    findings = ADAPTER.verify(ADAPTER.build(record, Stage.RESULTS))

    assert [(f.code, f.pointer) for f in findings] == [
        ("ctgov.xsd_idref", "/resultsSection/adverseEventsModule/seriousEvents/0")
    ]
    assert "UNDECLARED-EG999" in findings[0].message


def test_delayed_results_certification_is_the_result_disposition() -> None:
    record = complete_record()
    record["resultsSection"]["delayedResultsModule"] = {
        "certificationType": "INITIAL_APPROVAL",
        "interventionNames": ["Trelanoxib", "Placebo"],
        "applicationNumbers": ["NDA 219876"],
    }

    study = etree.fromstring(ADAPTER.build(record, Stage.RESULTS).content)[0]
    disposition = study.find(f"{RRS}resultDisposition/disposition")

    assert disposition is not None
    assert [
        disposition.findtext("delayType"),
        disposition.findtext("interventionName"),
        disposition.findtext("applicationApprovalDetails/appApprovalDetail/approvalNumber"),
    ] == ["Certify Initial Approval", "Trelanoxib; Placebo", "NDA 219876"]


def test_partial_results_update_carries_only_the_changed_subsets(registry_specs: Path) -> None:
    payload = ADAPTER.build_update(complete_record(), Stage.RESULTS, {"adverseEventsModule"})
    study = etree.fromstring(payload.content)[0]
    result = study.find(f"{RRS}result")

    assert result is not None
    assert (study.get("partial_upload"), result.get("partialUpload")) == ("true", "true")
    # outcomeMeasures is required by the schema; an update that leaves them alone sends it empty.
    assert [(str(child.tag), len(child) > 0) for child in result] == [
        ("outcomeMeasures", False),
        ("reportedEvents", True),
    ]
    assert [str(child.tag) for child in study] == ["id_info", f"{RRS}result"]
    assert ADAPTER.verify(payload) == []
