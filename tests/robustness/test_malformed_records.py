"""Records damaged at random never crash the checks, the builders' error path or the deadline engine.

A record reaching these functions can be anything a CTMS pushed or an author half-typed: the promise is
findings (or a RegistryError with a code), never a traceback. Hypothesis replaces one node of the complete
synthetic record with a value of another JSON type and feeds the result through every stage.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deadlines.engine import evaluate
from registries import get_registry
from registries.checks import check_record
from registries.enums import Stage
from registries.findings import Finding, RegistryError
from tests.mutations import locations, replaced

COMPLETE = Path(__file__).resolve().parents[1] / "fixtures" / "records" / "complete.json"
RECORD: dict[str, Any] = json.loads(COMPLETE.read_text(encoding="utf-8"))


PATHS = list(locations(RECORD))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=JSON_VALUES, stage=st.sampled_from(list(Stage)))
def test_a_damaged_record_yields_findings_never_an_exception(
    path: tuple[str | int, ...], value: Any, stage: Stage
) -> None:
    # given the complete record with one node replaced by a value of any JSON shape
    record = replaced(RECORD, path, value)
    registry = "ctgov" if stage is not Stage.LAY_SUMMARY else "record"

    # when it is checked for the stage, then the answer is a list of findings
    findings = check_record(record, stage, registry=registry)
    assert all(isinstance(finding, Finding) for finding in findings)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=JSON_VALUES)
def test_a_damaged_record_builds_or_refuses_with_a_code(path: tuple[str | int, ...], value: Any) -> None:
    # given a damaged record, when ClinicalTrials.gov results XML is built from it
    record = replaced(RECORD, path, value)
    try:
        payload = get_registry("ctgov").build(record, Stage.RESULTS)
    except RegistryError as exc:
        outcome = exc.code
    else:
        outcome = "built" if isinstance(get_registry("ctgov").verify(payload), list) else "unverifiable"

    # then either it built bytes that verification can judge, or it refused with a ClinicalTrials.gov code
    assert outcome == "built" or outcome.startswith("ctgov.")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=JSON_VALUES)
def test_a_damaged_record_gets_verdicts_from_every_deadline_rule(
    path: tuple[str | int, ...], value: Any
) -> None:
    # given a damaged record, when the deadline engine evaluates it
    verdicts = evaluate(replaced(RECORD, path, value), today=date(2026, 11, 21))

    # then every rule answers (a rule that cannot compute says so in its verdict)
    assert len({(verdict.rule, verdict.subject) for verdict in verdicts}) == len(verdicts)
    assert verdicts
