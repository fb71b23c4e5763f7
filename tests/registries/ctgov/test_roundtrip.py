"""Round trip on real records: import, build every stage, verify against the XSDs, import the built XML
back, and compare the facts that matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from registries.ctgov.adapter import ADAPTER
from registries.ctgov.importers.prs_xml import import_prs_xml
from registries.enums import Stage
from registries.importers import import_record
from tests.conftest import shared_sample_paths
from tests.registries.ctgov.roundtrip_facts import record_facts

SAMPLES = shared_sample_paths("ctgov-*")
EXPECTED_SAMPLES = 6


def _import_sample(path: Path) -> dict:
    fmt = "ctgov-v2" if path.suffix == ".json" else "ctgov-public-xml"
    return import_record(fmt, path.read_bytes()).record


def test_round_trip_covers_all_six_real_samples(registry_specs: Path) -> None:
    assert len(shared_sample_paths("ctgov-*")) == EXPECTED_SAMPLES
    assert len(shared_sample_paths("ctgov-v2-*.json")) == 4
    assert len(shared_sample_paths("ctgov-legacy-public-*.xml")) == 2


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("stage", ADAPTER.stages, ids=lambda s: s.value)
def test_every_stage_of_a_real_record_validates_against_the_official_xsds(
    sample: Path, stage: Stage, registry_specs: Path
) -> None:
    record = _import_sample(sample)

    payload = ADAPTER.build(record, stage)

    assert ADAPTER.verify(payload) == []


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_facts_survive_the_trip_through_prs_xml(sample: Path, registry_specs: Path) -> None:
    # given a real record
    record = _import_sample(sample)

    # when its results-stage upload (full protocol plus results) is read back
    back = import_prs_xml(ADAPTER.build(record, Stage.RESULTS).content)

    # then identifiers, titles, status and dates, arms, interventions, every outcome measure with its
    # groups and values, and every adverse event with its counts are unchanged
    assert record_facts(back.record) == record_facts(record)
    assert back.dropped == []


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_round_trip_facts_are_not_empty(sample: Path, registry_specs: Path) -> None:
    facts = record_facts(_import_sample(sample))

    assert all((facts["org_study_id"], facts["titles"][0], facts["status"], facts["dates"][0]))


def test_samples_with_results_carry_outcomes_and_adverse_events(registry_specs: Path) -> None:
    with_results = [
        p.name
        for p in SAMPLES
        if record_facts(_import_sample(p))["outcome_measures"]
        and record_facts(_import_sample(p))["event_groups"]
    ]

    assert with_results == [
        "ctgov-legacy-public-NCT01065844.xml",
        "ctgov-legacy-public-NCT02708238.xml",
        "ctgov-v2-NCT00763412.json",
        "ctgov-v2-NCT05594173.json",
    ]
