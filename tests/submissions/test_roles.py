"""Every action for every role: the roles that may act succeed, every other role gets `role.required`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from submissions import domain
from submissions.enums import FilingState, Role, Stage, TrialState
from submissions.errors import DomainError
from submissions.models import Filing, Membership, Trial
from tests.submissions import factories

TARGETS = ["record"]


def _filing(trial: Trial, people: dict[str, Any], state: str) -> Filing:
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people[Role.AUTHOR]
    )
    return factories.drive(filing, state, people)


# action -> (filing state it starts from, the call, the state a success leads to, the roles allowed)
ACTIONS: dict[str, tuple[str, Callable[[Filing, Any], Any], str, set[str]]] = {
    "submit_for_review": (
        FilingState.DRAFT,
        lambda filing, user: domain.submit_for_review(filing, actor=user),
        FilingState.IN_REVIEW,
        {Role.AUTHOR},
    ),
    "return_to_author": (
        FilingState.IN_REVIEW,
        lambda filing, user: domain.return_to_author(filing, actor=user, remarks="See comments"),
        FilingState.DRAFT,
        {Role.REVIEWER, Role.APPROVER},
    ),
    "approve_filing": (
        FilingState.IN_REVIEW,
        lambda filing, user: factories.sign(filing, user),
        FilingState.APPROVED,
        {Role.APPROVER},
    ),
    "reopen_filing": (
        FilingState.APPROVED,
        lambda filing, user: domain.reopen_filing(filing, actor=user),
        FilingState.DRAFT,
        {Role.APPROVER},
    ),
    "mark_submitted": (
        FilingState.APPROVED,
        lambda filing, user: domain.mark_submitted(filing, actor=user),
        FilingState.SUBMITTED,
        {Role.AUTHOR, Role.APPROVER},
    ),
    "record_registry_response": (
        FilingState.SUBMITTED,
        lambda filing, user: domain.record_registry_response(
            filing, "record", actor=user, outcome="accepted"
        ),
        FilingState.ACCEPTED,
        {Role.AUTHOR, Role.APPROVER},
    ),
    "start_corrections": (
        FilingState.RETURNED,
        lambda filing, user: domain.start_corrections(filing, actor=user),
        FilingState.DRAFT,
        {Role.AUTHOR},
    ),
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_filing_action_is_allowed_exactly_to_its_roles(trial, people, action, role):
    # given a filing in the action's source state and a person holding only `role`
    source, call, target, allowed = ACTIONS[action]
    filing = _filing(trial, people, source)
    # when that person asks for the action
    if role in allowed:
        call(filing, people[role])
        filing.refresh_from_db()
        # then it happens
        assert filing.state == target
    else:
        with pytest.raises(DomainError) as refused:
            call(filing, people[role])
        filing.refresh_from_db()
        # then it is refused and nothing changed
        assert (refused.value.code, filing.state) == ("role.required", source)


@pytest.mark.parametrize("role", Role.values)
def test_withdraw_is_allowed_to_approvers_and_admins(trial, people, role):
    if role in {Role.APPROVER, Role.ADMIN}:
        domain.withdraw_trial(trial, actor=people[role], reason="Programme stopped")
        trial.refresh_from_db()
        assert trial.state == TrialState.WITHDRAWN
    else:
        with pytest.raises(DomainError) as refused:
            domain.withdraw_trial(trial, actor=people[role], reason="Programme stopped")
        trial.refresh_from_db()
        assert (refused.value.code, trial.state) == ("role.required", TrialState.DRAFT)


@pytest.mark.parametrize("role", Role.values)
def test_only_authors_save_records_and_open_filings(trial, people, record, role):
    def save() -> Any:
        return domain.save_record(
            trial, factories.changed(record), base_sha256=trial.head.sha256, actor=people[role]
        )

    def open_() -> Any:
        return domain.open_filing(trial, Stage.REGISTRATION, target_registries=TARGETS, actor=people[role])

    for call in (save, open_):
        if role == Role.AUTHOR:
            call()
        else:
            with pytest.raises(DomainError) as refused:
                call()
            assert refused.value.code == "role.required"
    expected = (2, 1) if role == Role.AUTHOR else (1, 0)
    assert (trial.versions.count(), trial.filings.count()) == expected


@pytest.mark.parametrize("role", Role.values)
def test_authors_and_admins_create_trials(org, people, role):
    if role in {Role.AUTHOR, Role.ADMIN}:
        trial = domain.create_trial(org, reference=f"R-{role}", title="T", actor=people[role])
        assert trial.state == TrialState.DRAFT
    else:
        with pytest.raises(DomainError) as refused:
            domain.create_trial(org, reference=f"R-{role}", title="T", actor=people[role])
        assert refused.value.code == "role.required"


@pytest.mark.parametrize("role", Role.values)
def test_only_admins_add_members(org, people, role):
    newcomer = factories.make_user("newcomer")
    if role == Role.ADMIN:
        domain.add_member(org, newcomer, Role.REVIEWER, actor=people[role])
        assert list(Membership.objects.filter(user=newcomer).values_list("role", flat=True)) == [
            Role.REVIEWER
        ]
    else:
        with pytest.raises(DomainError) as refused:
            domain.add_member(org, newcomer, Role.REVIEWER, actor=people[role])
        assert (refused.value.code, Membership.objects.filter(user=newcomer).count()) == ("role.required", 0)


# A registry may still answer while another registry's comments have the filing `returned`.
ALSO_FROM = {"record_registry_response": {FilingState.RETURNED}}
WRONG_STATES = [
    (action, state)
    for action, (source, *_rest) in ACTIONS.items()
    for state in FilingState.values
    if state != source and state not in ALSO_FROM.get(action, set())
]


@pytest.mark.parametrize(("action", "state"), WRONG_STATES)
def test_filing_action_from_a_wrong_state_is_refused(trial, people, action, state):
    # given a filing in a state the action does not start from, and someone allowed to ask
    _source, call, _target, allowed = ACTIONS[action]
    filing = _filing(trial, people, state)
    actor = people[Role.APPROVER] if Role.APPROVER in allowed else people[sorted(allowed)[0]]
    if action == "approve_filing":
        actor = people["approver2"]
    # when the action is asked for, then it is refused naming the state, and nothing changed
    with pytest.raises(DomainError) as refused:
        call(filing, actor)
    filing.refresh_from_db()
    assert (refused.value.code, filing.state) == ("filing.wrong_state", state)
