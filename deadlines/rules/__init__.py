"""The deadline rules, one function per legal duty, in the order the engine reports them."""

from __future__ import annotations

from deadlines.rules import eu, icmje_who, uk, us
from deadlines.verdict import Rule

ALL_RULES: tuple[Rule, ...] = (
    *us.RULES,
    *eu.RULES,
    *uk.RULES,
    *icmje_who.RULES,
)


def rule_by_code(code: str) -> Rule:
    """The rule with the stable ``code`` (``us.fdaaa.results``); KeyError when there is none."""
    for candidate in ALL_RULES:
        if candidate.code == code:
            return candidate
    raise KeyError(code)
