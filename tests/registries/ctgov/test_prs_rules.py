"""One mutation per ClinicalTrials.gov rule: break the rule in the complete record, get exactly its finding.

The rules, their sources and the findings they must add are in ``prs_rules.py``; each test's name carries
the rule and its source (PRS data element definitions, PRS validation messages, NLM Major Comments or
42 CFR Part 11).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from registries.checks import check_record
from registries.enums import Severity, Stage
from tests.registries.ctgov.prs_rules import ALL_RULES, RuleMutation

TODAY = None  # the record's dates lie in 2023-2025: "today" only decides anticipated dates, none here


def _errors_and_warnings(record: dict[str, Any], stage: Stage) -> Counter[tuple[Severity, str, str]]:
    return Counter(
        (f.severity, f.code, f.pointer)
        for f in check_record(record, stage, "ctgov")
        if f.severity is not Severity.NOTE
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=[f"{rule.name} ({rule.source})" for rule in ALL_RULES])
def test_breaking_one_rule_gives_exactly_its_finding(rule: RuleMutation) -> None:
    # given the complete record, clean at the rule's stage
    base = _errors_and_warnings(rule.base(), rule.stage)
    assert base == Counter()

    # when one rule is broken
    added = _errors_and_warnings(rule.mutated(), rule.stage) - base

    # then the generic and ClinicalTrials.gov checks together add exactly that rule's finding(s)
    assert sorted(added.elements()) == sorted(rule.expected), rule.source


def test_every_rule_is_named_once() -> None:
    names = Counter(rule.name for rule in ALL_RULES)
    assert [name for name, n in names.items() if n > 1] == []
