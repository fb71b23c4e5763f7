"""The complete synthetic record is internally consistent, so golden-file tests built on it test the code
and not a typo in the fixture."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

COMPLETE_RECORD = Path(__file__).resolve().parent.parent / "fixtures" / "records" / "complete.json"


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))


def _referenced_group_ids(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("groupId"), str):
            found.add(node["groupId"])
        for key, value in node.items():
            if key == "groupIds":
                found.update(value)
            else:
                found |= _referenced_group_ids(value)
    elif isinstance(node, list):
        for value in node:
            found |= _referenced_group_ids(value)
    return found


def _per_group(stats: list[dict[str, Any]], field: str = "numSubjects") -> list[int]:
    return [int(entry[field]) for entry in stats]


def test_every_group_reference_resolves_within_its_table(record: dict[str, Any]) -> None:
    results = record["resultsSection"]
    tables = [
        results["participantFlowModule"],
        results["baselineCharacteristicsModule"],
        *results["outcomeMeasuresModule"]["outcomeMeasures"],
    ]
    unresolved = [
        sorted(_referenced_group_ids(table) - {group["id"] for group in table["groups"]}) for table in tables
    ]
    adverse = results["adverseEventsModule"]
    unresolved.append(
        sorted(_referenced_group_ids(adverse) - {group["id"] for group in adverse["eventGroups"]})
    )
    assert unresolved == [[]] * len(unresolved)


def test_arms_and_interventions_point_at_each_other(record: dict[str, Any]) -> None:
    module = record["protocolSection"]["armsInterventionsModule"]
    from_arms = {
        (arm["label"], name.split(": ", 1)[1])
        for arm in module["armGroups"]
        for name in arm["interventionNames"]
    }
    from_interventions = {
        (label, intervention["name"])
        for intervention in module["interventions"]
        for label in intervention["armGroupLabels"]
    }
    types = {f"{i['type'].title()}: {i['name']}" for i in module["interventions"]}
    named = {name for arm in module["armGroups"] for name in arm["interventionNames"]}
    assert (from_arms, named) == (from_interventions, types)


def test_reported_outcomes_match_registered_outcomes(record: dict[str, Any]) -> None:
    registered = record["protocolSection"]["outcomesModule"]
    reported = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    assert [(m["type"], m["title"], m["timeFrame"]) for m in reported] == [
        *[("PRIMARY", o["measure"], o["timeFrame"]) for o in registered["primaryOutcomes"]],
        *[("SECONDARY", o["measure"], o["timeFrame"]) for o in registered["secondaryOutcomes"]],
    ]


def test_participant_flow_adds_up(record: dict[str, Any]) -> None:
    periods = record["resultsSection"]["participantFlowModule"]["periods"]
    problems = []
    for number, period in enumerate(periods):
        milestones = {m["type"]: _per_group(m["achievements"]) for m in period["milestones"]}
        reasons = [_per_group(d["reasons"]) for d in period["dropWithdraws"]]
        dropped = [sum(column) for column in zip(*reasons, strict=True)]
        if [
            a + b for a, b in zip(milestones["COMPLETED"], milestones["NOT COMPLETED"], strict=True)
        ] != milestones["STARTED"]:
            problems.append(f"period {number}: started != completed + not completed")
        if dropped != milestones["NOT COMPLETED"]:
            problems.append(f"period {number}: reasons do not add up to not completed")
        if number and milestones["STARTED"] != _per_group(
            periods[number - 1]["milestones"][1]["achievements"]
        ):
            problems.append(f"period {number}: does not start with those who completed the previous one")
    assert problems == []


def test_enrolment_baseline_and_flow_agree(record: dict[str, Any]) -> None:
    results = record["resultsSection"]
    started = _per_group(results["participantFlowModule"]["periods"][0]["milestones"][0]["achievements"])
    baseline_denoms = _per_group(results["baselineCharacteristicsModule"]["denoms"][0]["counts"], "value")
    at_risk = [group["seriousNumAtRisk"] for group in results["adverseEventsModule"]["eventGroups"]]
    enrolled = record["protocolSection"]["designModule"]["enrollmentInfo"]["count"]
    assert (baseline_denoms, at_risk, sum(started)) == ([*started, enrolled], started, enrolled)


def test_categorical_baseline_measures_add_up_to_the_denominators(record: dict[str, Any]) -> None:
    baseline = record["resultsSection"]["baselineCharacteristicsModule"]
    denominators = _per_group(baseline["denoms"][0]["counts"], "value")
    totals = {}
    for measure in baseline["measures"]:
        if measure["paramType"] in ("COUNT_OF_PARTICIPANTS", "NUMBER"):
            rows = [
                _per_group(category["measurements"], "value")
                for measure_class in measure["classes"]
                for category in measure_class["categories"]
            ]
            totals[measure["title"]] = [sum(column) for column in zip(*rows, strict=True)]
    assert totals == {
        "Sex: Female, Male": denominators,
        "Race (NIH/OMB)": denominators,
        "Region of Enrollment": denominators,
    }


def test_serious_event_counts_agree_with_group_totals(record: dict[str, Any]) -> None:
    adverse = record["resultsSection"]["adverseEventsModule"]
    # Each serious event in the fixture happened to a different participant, so the terms add up exactly.
    affected = [
        sum(event["stats"][index]["numAffected"] for event in adverse["seriousEvents"])
        for index in range(len(adverse["eventGroups"]))
    ]
    assert affected == [group["seriousNumAffected"] for group in adverse["eventGroups"]]


def test_key_dates_are_in_order(record: dict[str, Any]) -> None:
    status = record["protocolSection"]["statusModule"]
    eu = record["euSection"]
    sequence = [
        status["studyFirstSubmitDate"],
        status["studyFirstPostDateStruct"]["date"],
        status["startDateStruct"]["date"],
        status["primaryCompletionDateStruct"]["date"],
        eu["endOfTrialInAllMemberStatesDateStruct"]["date"],
        status["completionDateStruct"]["date"],
        record["resultsSection"]["delayedResultsModule"]["certificationDate"],
        record["resultsSection"]["delayedResultsModule"]["approvalEventDate"],
        status["resultsFirstSubmitDate"],
        status["resultsFirstPostDateStruct"]["date"],
    ]
    member_state_ends = [state["endOfTrialDateStruct"]["date"] for state in eu["memberStates"]]
    assert (sequence, max(member_state_ends)) == (
        sorted(sequence),
        eu["endOfTrialInAllMemberStatesDateStruct"]["date"],
    )


def test_site_countries_cover_ethics_approvals_and_member_states(record: dict[str, Any]) -> None:
    countries = {
        site["country"] for site in record["protocolSection"]["contactsLocationsModule"]["locations"]
    }
    approved = {
        approval["country"] for approval in record["protocolSection"]["oversightModule"]["ethicsApprovals"]
    }
    member_states = {state["country"] for state in record["euSection"]["memberStates"]}
    assert (countries, approved, member_states) == (
        {"United States", "Germany", "Poland", "United Kingdom"},
        countries,
        {"DE", "PL"},
    )


def test_identifiers_agree_across_sections(record: dict[str, Any]) -> None:
    secondary = {
        entry["id"] for entry in record["protocolSection"]["identificationModule"]["secondaryIdInfos"]
    }
    assert {
        record["euSection"]["euCtNumber"],
        record["ukSection"]["isrctn"],
        record["whoSection"]["utn"],
        record["ukSection"]["irasId"],
    } <= secondary


def test_lay_summary_has_all_ten_annex_v_sections(record: dict[str, Any]) -> None:
    assert [list(summary["sections"]) for summary in record["laySummaries"]] == [
        [
            "trialIdentification",
            "sponsorContact",
            "generalInformation",
            "population",
            "investigationalProducts",
            "adverseReactions",
            "overallResults",
            "commentsOnOutcome",
            "followUpTrials",
            "moreInformation",
        ]
    ]
