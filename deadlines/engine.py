"""Run every rule over one record: the single entry point for CLI, web, API, calendar and reminders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from deadlines.config import DEFAULT_CONFIG, DeadlineConfig
from deadlines.facts import extract
from deadlines.rules import ALL_RULES
from deadlines.submissions import EMPTY_LOG, SubmissionLog
from deadlines.verdict import Context, Rule, Verdict
from registries.enums import Severity
from registries.findings import RegistryError
from registries.jsonread import check_value


def evaluate(
    record: dict[str, Any],
    submissions: SubmissionLog = EMPTY_LOG,
    today: date | None = None,
    config: DeadlineConfig = DEFAULT_CONFIG,
    rules: tuple[Rule, ...] = ALL_RULES,
) -> list[Verdict]:
    """Every rule's verdicts for ``record`` as of ``today`` (default: the real today).

    Filings dated after ``today`` have not happened yet as of ``today`` and are ignored, so a past
    day can be replayed exactly. Unreadable record dates are reported on every verdict that could not
    use them, never turned into a wrong date. A record that ``registries.jsonread`` would refuse (too
    deep, NaN, NUL...) gets ``cannot_compute_all`` with the reader's code.
    """
    day = today or date.today()
    try:
        # The rules and the record comparisons recurse; a record stored before the JSON reader bounded
        # depth and numbers (registries/jsonread.py) is judged unreadable as a whole, never half-read.
        check_value(record)
    except RegistryError as error:
        return cannot_compute_all(error.code, error.message, rules)
    facts = extract(record)
    happened = SubmissionLog(
        submissions=tuple(s for s in submissions.submissions if s.submitted_on <= day),
        changes=tuple(c for c in submissions.changes if c.changed_on <= day),
    )
    context = Context(facts=facts, log=happened, today=day, config=config)
    verdicts: list[Verdict] = []
    for rule in rules:
        for verdict in rule(context):
            verdicts.append(_with_date_problems(verdict, facts.findings))
    return verdicts


def cannot_compute_all(code: str, message: str, rules: tuple[Rule, ...] = ALL_RULES) -> list[Verdict]:
    """A ``cannot_compute`` verdict from every rule, each carrying one error finding with ``code``: what
    a trial gets when its record cannot be read at all, so that no earlier verdict stays current as if
    it were still true."""
    verdicts = []
    for rule in rules:
        finding = rule.finding(Severity.ERROR, code, "", f"The deadlines cannot be computed: {message}")
        verdicts.append(
            rule.cannot_compute(
                f"The trial's record cannot be read by the deadline engine ({code}).", findings=[finding]
            )
        )
    return verdicts


def _with_date_problems(verdict: Verdict, date_findings: tuple[Any, ...]) -> Verdict:
    """Attach invalid-date findings to verdicts that could not be computed because of them."""
    if not date_findings or verdict.status != "cannot_compute":
        return verdict
    missing = {f.pointer for f in verdict.findings}
    relevant = tuple(f for f in date_findings if f.pointer in missing)
    return replace(verdict, findings=verdict.findings + relevant) if relevant else verdict
