"""What a person may do with a filing now, decided by the state machine's own declarations.

The buttons a page shows come from the same transitions and condition functions that guard the domain
functions (``submissions.workflow``): a person sees only what the domain would let them do, and an
action whose condition fails is shown disabled with the condition's sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from submissions.enums import FilingState, RegistryOutcome
from submissions.models import Filing
from submissions.workflow import (
    approver_is_second_person,
    failed_condition,
    roles_for,
    sources_of,
)

# The actions a person takes on a filing, in the order a page offers them. ``record_response`` is the
# registry's answer (domain ``record_registry_response``), which runs ``accept`` or ``registry_returned``.
FILING_ACTIONS: tuple[str, ...] = (
    "submit_for_review",
    "return_to_author",
    "approve",
    "mark_submitted",
    "record_response",
    "start_corrections",
    "reopen",
)

ACTION_LABELS: dict[str, str] = {
    "submit_for_review": "Submit for review",
    "return_to_author": "Return to author",
    "approve": "Approve and sign",
    "mark_submitted": "Mark as submitted",
    "record_response": "Record the registry's answer",
    "start_corrections": "Start corrections",
    "reopen": "Reopen (void the approval)",
}

# Where a filing waits for someone other than its author: review, approval, sending, corrections.
WAITING_ACTIONS: dict[str, tuple[str, ...]] = {
    FilingState.IN_REVIEW: ("return_to_author", "approve"),
    FilingState.APPROVED: ("mark_submitted",),
    FilingState.RETURNED: ("start_corrections",),
}


# What to do next when a condition stops an action (UI.md: every refusal says what to do next).
NEXT_STEP: dict[str, str] = {
    "filing.no_error_findings": "Fix the errors under Findings (each links to its field), then submit.",
    "filing.previous_stage_not_accepted": "Record the registries' acceptance of the previous stage first.",
    "filing.no_record": "Write the record in the editor or import it first.",
    "filing.trial_withdrawn": "Nothing more can be filed for a withdrawn trial.",
    "signature.same_person": "Ask another approver to sign.",
    "signature.record_author": "Ask an approver who did not edit this record to sign.",
}


@dataclass(frozen=True)
class Action:
    """One action on a filing as a page offers it: enabled, or disabled with the reason in a sentence."""

    name: str
    label: str
    enabled: bool
    reason: str = ""
    code: str = ""

    @property
    def next_step(self) -> str:
        return NEXT_STEP.get(self.code, "")


def _transition_for(name: str) -> str:
    return "accept" if name == "record_response" else name


def filing_number(filings: Iterable[Filing], filing: Filing) -> int:
    """A filing's number on its trial: its place among the trial's filings in the order they were opened
    (filings are never deleted, so the number never changes)."""
    ordered = sorted(filings, key=lambda item: (item.created_at, item.pk))
    return [item.pk for item in ordered].index(filing.pk) + 1


def has_pending_submission(filing: Filing) -> bool:
    return any(item.outcome == RegistryOutcome.PENDING for item in filing.submissions.all())


def available_actions(filing: Filing, actor: Any, roles: set[str]) -> list[Action]:
    """The actions ``actor`` (holding ``roles`` in the filing's organization) may see on ``filing`` now.

    An action of another state or of a role the person lacks is left out; one whose condition fails
    (including the actor's own, such as approving what one submitted) is disabled with its sentence.
    """
    actions: list[Action] = []
    for name in FILING_ACTIONS:
        transition = _transition_for(name)
        if name == "record_response":
            if filing.state not in (FilingState.SUBMITTED, FilingState.RETURNED):
                continue
        elif filing.state not in sources_of(Filing, transition):
            continue
        if not roles & set(roles_for(Filing, transition)):
            continue
        if name == "record_response":
            if has_pending_submission(filing):
                actions.append(Action(name, ACTION_LABELS[name], True))
            continue
        failed = failed_condition(filing, transition, actor)
        if failed is None:
            actions.append(Action(name, ACTION_LABELS[name], True))
        else:
            actions.append(Action(name, ACTION_LABELS[name], False, failed.sentence, failed.code))
    return actions


class FilingLike(Protocol):
    """What ``waits_for`` reads of a filing (a model instance or the dashboard's plain row)."""

    @property
    def state(self) -> str: ...

    @property
    def submitted_for_review_by_id(self) -> int | None: ...


@cache
def _roles_for(name: str) -> frozenset[str]:
    # The transitions' declarations never change at run time; the dashboard asks once per filing.
    return frozenset(roles_for(Filing, name))


def waits_for(filing: FilingLike, actor: Any, roles: set[str]) -> bool:
    """Whether the filing waits for this person: it is in a state where one of their roles acts next
    (approval only by a second person, as ``approve`` demands)."""
    for name in WAITING_ACTIONS.get(filing.state, ()):
        if not roles & _roles_for(name):
            continue
        if name == "approve" and not approver_is_second_person(filing, actor):
            continue
        return True
    return False
