"""The engine over real ClinicalTrials.gov records imported into canonical records."""

from __future__ import annotations

from datetime import date

import pytest

from deadlines import evaluate
from deadlines.enums import DeadlineStatus
from deadlines.rules import ALL_RULES
from registries.importers import import_record
from tests.conftest import shared_sample_paths

V2_SAMPLES = shared_sample_paths("ctgov-v2-*.json")


def test_four_api_v2_samples_are_present(registry_specs):
    assert len(V2_SAMPLES) == 4


@pytest.mark.parametrize("path", V2_SAMPLES, ids=[p.name for p in V2_SAMPLES])
def test_every_rule_judges_a_real_record(registry_specs, path):
    record = import_record("ctgov-v2", path.read_bytes()).record

    verdicts = evaluate(record, today=date(2026, 11, 21))

    assert {v.rule for v in verdicts} == {r.code for r in ALL_RULES}
    assert all(v.as_dict()["status"] in set(DeadlineStatus) for v in verdicts)


def test_fda_regulated_trial_completed_in_2020_without_results_is_overdue_on_the_tracker(registry_specs):
    [path] = [p for p in V2_SAMPLES if p.name == "ctgov-v2-NCT03418623.json"]
    record = import_record("ctgov-v2", path.read_bytes()).record

    [results] = [v for v in evaluate(record, today=date(2026, 11, 21)) if v.rule == "us.fdaaa.results"]

    assert (results.details["act"], results.due_date, results.status, results.details["tracker_status"]) == (
        "ACT",
        date(2021, 3, 13),
        DeadlineStatus.OVERDUE,
        "overdue",
    )
