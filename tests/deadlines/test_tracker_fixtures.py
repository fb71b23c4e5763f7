"""The FDAAA TrialsTracker's own expected output for its five test trials (expected_trials_data.csv in
its repository, copied to ../shared/registry-specs/fdaaa-tracker/): each trial, written as a canonical
record, gets the tracker's verdict from our engine: ACT or probable ACT, certificate, results due, and
the due date the tracker counts from.

The file's ``results_due`` values hold for any day from 2018-02-19 (a year and 30 days after the
2017-01-18 completions) to 2020-02-17 (three years and 30 days, for the two certified trials); the test
judges on a day inside that window.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deadlines import evaluate
from deadlines.submissions import SubmissionLog
from deadlines.tracker import snapshot_available

TODAY = date(2019, 6, 1)
_PHASES = {
    "Phase 2": ["PHASE2"],
    "Phase 3": ["PHASE3"],
    "N/A": ["NA"],
    "Phase 1/Phase 2": ["PHASE1", "PHASE2"],
}
_YES_NO = {"Yes": True, "No": False}


def _rows(registry_specs: Path) -> list[dict[str, str]]:
    path = registry_specs / "fdaaa-tracker" / "expected_trials_data.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _as_list(value: str) -> list[Any]:
    if not value:
        return []
    parsed = json.loads(value)
    return parsed if isinstance(parsed, list) else [parsed]


def record_of(row: dict[str, str]) -> dict[str, Any]:
    """The trial as a sponsor's record: what ClinicalTrials.gov showed the tracker, in API v2 terms."""
    status: dict[str, Any] = {
        "overallStatus": row["study_status"].upper(),
        "startDateStruct": {"date": row["start_date"], "type": "ACTUAL"},
        "primaryCompletionDateStruct": {"date": row["available_completion_date"], "type": "ACTUAL"},
    }
    if row["has_results"] == "1":
        status["resultsFirstSubmitDate"] = row["results_submitted_date"]
    if row["certificate_date"]:
        status["dispFirstSubmitDate"] = row["certificate_date"]
    oversight = {
        name: _YES_NO[row[column]]
        for name, column in (
            ("isFdaRegulatedDrug", "fda_reg_drug"),
            ("isFdaRegulatedDevice", "fda_reg_device"),
        )
        if row[column]
    }
    interventions = [
        {"type": item["intervention_type"].upper().replace(" ", "_"), "name": item["intervention_name"]}
        for item in _as_list(row["intervention"])
    ]
    return {
        "protocolSection": {
            "identificationModule": {"nctId": row["nct_id"]},
            "statusModule": status,
            "designModule": {
                "studyType": row["study_type"].upper(),
                "phases": _PHASES[row["phase"]],
                "designInfo": {"primaryPurpose": row["primary_purpose"].upper()},
            },
            "oversightModule": oversight,
            "armsInterventionsModule": {"interventions": interventions},
            "contactsLocationsModule": {
                "locations": [{"country": place["country"]} for place in _as_list(row["location"])]
            },
        }
    }


def tracker_output(row: dict[str, str]) -> dict[str, Any]:
    """The tracker's columns for the row, with the due date models.py counts from."""
    completion = date.fromisoformat(row["available_completion_date"])
    certified = row["has_certificate"] == "1"
    due = (
        completion.replace(year=completion.year + 3)
        if certified
        else date.fromordinal(completion.toordinal() + 365)
    )
    return {
        "category": "ACT" if row["act_flag"] == "1" else "pACT" if row["included_pact_flag"] == "1" else None,
        "results_due": row["results_due"] == "1",
        "due_date": due.isoformat(),
    }


def test_the_fixture_holds_the_trackers_five_test_trials(registry_specs: Path) -> None:
    assert [row["nct_id"] for row in _rows(registry_specs)] == [
        "NCT01275365",
        "NCT02251236",
        "NCT01891968",
        "NCT03400163",
        "NCT02413372",
    ]


@pytest.mark.parametrize("index", range(5))
def test_engine_gives_the_trackers_own_verdict(registry_specs: Path, index: int) -> None:
    assert snapshot_available(), "the January 2017 snapshot is part of the tracker's pACT rule"
    row = _rows(registry_specs)[index]

    [verdict] = [v for v in evaluate(record_of(row), SubmissionLog(), TODAY) if v.rule == "us.fdaaa.results"]

    assert {
        "category": verdict.details["act"],
        "results_due": verdict.details["tracker_results_due"],
        "due_date": verdict.details["tracker_due_date"],
    } == tracker_output(row)


def test_a_reported_trial_is_reported_on_the_day_it_submitted(registry_specs: Path) -> None:
    # NCT01275365 completed 2017-01-19 and submitted its results 365 days later, the tracker's due day.
    row = _rows(registry_specs)[0]

    [verdict] = [v for v in evaluate(record_of(row), SubmissionLog(), TODAY) if v.rule == "us.fdaaa.results"]

    assert (verdict.details["tracker_status"], verdict.details["tracker_days_late"]) == ("reported", None)


def test_certified_trial_is_ongoing_for_the_tracker_while_the_law_counts_from_its_certification(
    registry_specs: Path,
) -> None:
    # NCT03400163: completed 2017-01-18, certificate filed 2018-01-17, nothing reported by 2019-06-01.
    row = _rows(registry_specs)[3]

    [verdict] = [v for v in evaluate(record_of(row), SubmissionLog(), TODAY) if v.rule == "us.fdaaa.results"]

    assert (verdict.details["tracker_status"], verdict.details["tracker_due_date"]) == (
        "ongoing",
        "2020-01-18",
    )
    assert (verdict.status.value, verdict.due_date, verdict.details["differs_from_tracker"]) == (
        "upcoming",
        date(2020, 1, 17),
        True,
    )
    assert verdict.details["tracker_difference"] == (
        "the tracker counts a certified trial due 3 years after completion; 42 CFR 11.44(b)-(c) makes "
        "results due 30 days after approval and at the latest 2 years after the certification"
    )
