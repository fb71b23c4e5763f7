"""One entry point for "what is wrong with this record at this stage", for the CLI and the web app."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from registries import get_registry
from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError
from registries.jsonread import check_value
from registries.rules import run_rules
from registries.schema import LIMIT_FINDING_CODES, validate_profile, validate_record

GENERIC_REGISTRY = "record"

# Sections that only one stage's filing sends. A limit or vocabulary a published record breaks in one of
# them is an error at that stage, which would send it, and a warning before: the author fixes it before
# that filing, and an imported record's registration is not held up by its results text.
_SECTION_STAGE: dict[str, Stage] = {"resultsSection": Stage.RESULTS, "laySummaries": Stage.LAY_SUMMARY}


def _at_stage(finding: Finding, stage: Stage) -> Finding:
    section = finding.pointer.split("/")[1] if finding.pointer.count("/") >= 1 else ""
    sent_at = _SECTION_STAGE.get(section)
    if finding.code in LIMIT_FINDING_CODES and sent_at is not None and sent_at is not stage:
        return replace(finding, severity=Severity.WARNING)
    return finding


def _code_keyword(code: str) -> str:
    return code.partition(".")[2]


def generic_findings(record: Any, stage: Stage, *, today: dt.date | None = None) -> list[Finding]:
    """The record schema, the generic stage profile and the generic rules, as findings.

    A field the record schema already reports (say, a missing required field) is not reported a
    second time by the profile with the same keyword.
    """
    stage = Stage(stage)
    findings = [_at_stage(f, stage) for f in validate_record(record, stage, registry=GENERIC_REGISTRY)]
    if not isinstance(record, dict):
        return findings
    seen = {(f.pointer, _code_keyword(f.code)) for f in findings}
    findings += [f for f in validate_profile(record, stage) if (f.pointer, _code_keyword(f.code)) not in seen]
    findings += run_rules(record, stage, today=today, registry=GENERIC_REGISTRY)
    return findings


def unusable_record(record: Any, stage: Stage) -> list[Finding]:
    """One error finding when the record is a value no check can walk (nested beyond the depth limit,
    NaN, NUL...: a record stored before ``registries.jsonread`` bounded them), else none. The checks
    recurse through the record, so such a record is reported, never checked."""
    try:
        check_value(record)
    except RegistryError as error:
        return [
            Finding(
                severity=Severity.ERROR,
                code=error.code,
                pointer="",
                message=f"The record cannot be checked: {error.message} Save a corrected version.",
                registry=GENERIC_REGISTRY,
                stage=stage,
                source="registries/jsonread.py",
            )
        ]
    return []


def check_record(
    record: Any,
    stage: Stage | str,
    registry: str | None = None,
    *,
    today: dt.date | None = None,
) -> list[Finding]:
    """Generic findings, plus the named registry's own when ``registry`` is given.

    Raises RegistryError only for an unknown registry or stage; a record that falls short is findings.
    """
    stage = _stage(stage)
    unusable = unusable_record(record, stage)
    if unusable:
        return unusable
    findings = generic_findings(record, stage, today=today)
    if registry and registry != GENERIC_REGISTRY and isinstance(record, dict):
        findings += get_registry(registry).check(record, stage)
    return findings


def _stage(stage: Stage | str) -> Stage:
    try:
        return Stage(stage)
    except ValueError:
        known = ", ".join(s.value for s in Stage)
        raise RegistryError("stage.unknown", f"Unknown stage {stage!r}; known stages: {known}.") from None
