"""Registry answers: identifiers on acceptance, comments on return, every registry before the filing is
accepted, and the refusals with their codes."""

from __future__ import annotations

import pytest

from registries import registry_codes
from submissions import domain
from submissions.enums import FilingState, Role, Stage, TrialState
from submissions.errors import DomainError
from submissions.workflow import failed_condition
from tests.submissions import factories

needs_ctgov = pytest.mark.skipif(
    "ctgov" not in registry_codes(), reason="the ctgov registry is not registered"
)


@pytest.fixture
def submitted(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    return factories.drive(filing, FilingState.SUBMITTED, people)


@pytest.fixture
def submitted_to_two(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["ctgov", "record"], actor=people[Role.AUTHOR]
    )
    return factories.drive(filing, FilingState.SUBMITTED, people)


@needs_ctgov
def test_filing_is_accepted_only_when_every_target_registry_accepted(submitted_to_two, people, trial):
    # given a registration sent to ClinicalTrials.gov and as a record
    author = people[Role.AUTHOR]
    # when only the record registry accepts
    domain.record_registry_response(submitted_to_two, "record", actor=author, outcome="accepted")
    submitted_to_two.refresh_from_db()
    trial.refresh_from_db()
    halfway = (submitted_to_two.state, trial.state)
    # and then ClinicalTrials.gov accepts with its NCT number
    domain.record_registry_response(
        submitted_to_two, "ctgov", actor=author, outcome="accepted", identifiers={"nct_id": "NCT05594173"}
    )
    submitted_to_two.refresh_from_db()
    trial.refresh_from_db()
    # then the filing and the trial moved only at the last acceptance
    assert halfway == (FilingState.SUBMITTED, TrialState.DRAFT)
    assert (submitted_to_two.state, trial.state, trial.identifiers) == (
        FilingState.ACCEPTED,
        TrialState.REGISTERED,
        {"ctgov": {"nct_id": "NCT05594173"}},
    )


@needs_ctgov
@pytest.mark.parametrize(
    ("identifiers", "code"),
    [
        ({}, "registry.identifier_missing"),
        ({"nct_id": "NCT123"}, "registry.identifier_invalid"),
    ],
)
def test_ctgov_acceptance_needs_a_valid_nct_number(submitted_to_two, people, identifiers, code):
    with pytest.raises(DomainError) as refused:
        domain.record_registry_response(
            submitted_to_two, "ctgov", actor=people[Role.AUTHOR], outcome="accepted", identifiers=identifiers
        )
    submission = submitted_to_two.submissions.get(registry="ctgov")
    assert (refused.value.code, submission.outcome) == (code, "pending")


@needs_ctgov
def test_a_second_nct_number_for_the_same_trial_is_refused(trial, people):
    factories.complete_stage(trial, Stage.REGISTRATION, people, ["ctgov"])
    filing = domain.open_filing(
        trial, Stage.PROTOCOL_SUMMARY, target_registries=["ctgov"], actor=people["author"]
    )
    factories.drive(filing, FilingState.SUBMITTED, people)
    with pytest.raises(DomainError) as refused:
        domain.record_registry_response(
            filing, "ctgov", actor=people["author"], outcome="accepted", identifiers={"nct_id": "NCT00000001"}
        )
    assert refused.value.code == "registry.identifier_conflict"


@pytest.mark.parametrize(
    ("registry", "outcome", "comments", "code"),
    [
        ("record", "returned", "  ", "registry.comments_required"),
        ("record", "lost", "", "registry.unknown_outcome"),
        ("isrctn", "accepted", "", "registry.not_targeted"),
    ],
)
def test_bad_registry_responses_are_refused(submitted, people, registry, outcome, comments, code):
    with pytest.raises(DomainError) as refused:
        domain.record_registry_response(
            submitted, registry, actor=people[Role.AUTHOR], outcome=outcome, comments=comments
        )
    submitted.refresh_from_db()
    assert (refused.value.code, submitted.state, submitted.submissions.get().outcome) == (
        code,
        FilingState.SUBMITTED,
        "pending",
    )


def test_a_registry_that_already_answered_has_no_pending_submission(submitted, people):
    domain.record_registry_response(
        submitted, "record", actor=people[Role.AUTHOR], outcome="returned", comments="X"
    )
    with pytest.raises(DomainError) as refused:
        domain.record_registry_response(submitted, "record", actor=people[Role.AUTHOR], outcome="accepted")
    assert refused.value.code == "registry.no_pending_submission"


def test_mark_submitted_refuses_an_unknown_method(trial, people):
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    factories.drive(filing, FilingState.APPROVED, people)
    with pytest.raises(DomainError) as refused:
        domain.mark_submitted(filing, actor=people[Role.AUTHOR], method="pigeon")
    filing.refresh_from_db()
    assert (refused.value.code, filing.state) == ("submission.unknown_method", FilingState.APPROVED)


def test_submit_for_review_needs_a_saved_record(org, people):
    trial = domain.create_trial(org, reference="EMPTY", title="No record yet", actor=people[Role.AUTHOR])
    filing = domain.open_filing(
        trial, Stage.REGISTRATION, target_registries=["record"], actor=people[Role.AUTHOR]
    )
    with pytest.raises(DomainError) as refused:
        domain.submit_for_review(filing, actor=people[Role.AUTHOR])
    assert refused.value.code == "filing.no_record"


def test_trial_advance_conditions_name_the_stage_not_yet_accepted(trial):
    failed = failed_condition(trial, "register")
    assert failed is not None
    assert (failed.code, failed.sentence) == (
        "trial.registration_not_accepted",
        "The registration filing has not been accepted by all its target registries.",
    )


def test_filing_accept_condition_names_the_registry_still_pending(submitted):
    failed = failed_condition(submitted, "accept")
    assert failed is not None
    assert failed.code == "filing.not_accepted_everywhere"


def test_second_update_filing_of_a_stage_is_refused_while_one_is_open(trial, people, record):
    factories.complete_stage(trial, Stage.REGISTRATION, people, ["record"])
    trial.refresh_from_db()
    domain.save_record(
        trial, factories.changed(record), base_sha256=trial.head.sha256, actor=people["author"]
    )
    with pytest.raises(DomainError) as refused:
        domain.open_filing(
            trial, Stage.REGISTRATION, target_registries=["record"], actor=people["author"], kind="update"
        )
    assert refused.value.code == "filing.update_already_open"


def test_trial_reference_is_unique_within_the_sponsor(trial, org, people):
    with pytest.raises(DomainError) as refused:
        domain.create_trial(org, reference=trial.reference, title="Again", actor=people[Role.AUTHOR])
    assert refused.value.code == "trial.reference_taken"
