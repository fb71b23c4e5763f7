"""The two state machines of DESIGN section 4, in one file: the trial's and the filing's.

Every transition is declared here with its source and target states, the conditions it needs (each a
small function with a stable code and a sentence saying what is wrong when it fails) and the roles
that may ask for it. Transition bodies are empty: the state change is the whole of the transition;
what surrounds it (audit events, payloads, signatures) belongs to ``submissions.domain``, the only
caller. ``protected=True`` forbids assigning a state directly and ``ConcurrentTransitionMixin`` refuses
to save a transition over a state that changed underneath it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, Transition, transition

from registries.findings import has_errors
from submissions import checks
from submissions.enums import (
    REGISTRY_IDENTIFIERS,
    STAGES,
    STATE_AFTER_STAGE,
    TRIAL_PROGRESS,
    FilingKind,
    FilingState,
    RegistryOutcome,
    Role,
    Stage,
    TrialState,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from submissions.models import Filing, Trial


@dataclass(frozen=True)
class Condition:
    """A precondition of a transition: ``test(instance)`` is True when it holds; ``sentence`` says what
    is wrong when it does not."""

    code: str
    sentence: str
    test: Callable[[Any], bool]

    def __call__(self, instance: Any) -> bool:
        return self.test(instance)


@dataclass(frozen=True)
class ActorCondition:
    """A precondition that depends on who asks, checked by the domain before the transition runs."""

    code: str
    sentence: str
    test: Callable[[Any, Any], bool]

    def __call__(self, instance: Any, actor: Any) -> bool:
        return self.test(instance, actor)


def condition(code: str, sentence: str) -> Callable[[Callable[[Any], bool]], Condition]:
    def wrap(test: Callable[[Any], bool]) -> Condition:
        return Condition(code, sentence, test)

    return wrap


def actor_condition(code: str, sentence: str) -> Callable[[Callable[[Any, Any], bool]], ActorCondition]:
    def wrap(test: Callable[[Any, Any], bool]) -> ActorCondition:
        return ActorCondition(code, sentence, test)

    return wrap


# --- Filing conditions ------------------------------------------------------------------------------


@condition("filing.trial_withdrawn", "The trial has been withdrawn; its filings cannot go further.")
def trial_active(filing: Filing) -> bool:
    return filing.trial.state != TrialState.WITHDRAWN


def _filed_content(filing: Filing) -> dict[str, Any] | None:
    # From submission for review on, the filing files its pinned version, whatever the head is.
    version = filing.pinned_version if filing.pinned_version_id is not None else filing.trial.head
    return version.content if version is not None else None


@condition("filing.no_record", "The trial has no saved record version to file yet.")
def has_record(filing: Filing) -> bool:
    return filing.pinned_version_id is not None or filing.trial.head_id is not None


@condition(
    "filing.previous_stage_not_accepted",
    "The previous stage has not been accepted by its registries yet; this stage's filing can be drafted "
    "but not submitted for review before then.",
)
def previous_stage_accepted(filing: Filing) -> bool:
    index = STAGES.index(filing.stage)
    if index == 0:
        return True
    return trial_reached(filing.trial, STAGES[index - 1])


@condition(
    "filing.no_error_findings",
    "The filing's record has error findings for its stage in at least one target registry.",
)
def no_error_findings(filing: Filing) -> bool:
    content = _filed_content(filing)
    if content is None:
        return False
    return not has_errors(checks.stage_findings(content, filing.stage, filing.target_registries))


@condition(
    "filing.not_accepted_everywhere",
    "Not every target registry has accepted its submission of this filing yet.",
)
def all_registries_accepted(filing: Filing) -> bool:
    return all(latest_outcome(filing, code) == RegistryOutcome.ACCEPTED for code in filing.target_registries)


@condition(
    "filing.identifiers_missing",
    "A target registry that issues an identifier (NCT number, EU CT number, ISRCTN) has not issued one.",
)
def identifiers_issued(filing: Filing) -> bool:
    for code in filing.target_registries:
        if code in REGISTRY_IDENTIFIERS:
            name, _pattern = REGISTRY_IDENTIFIERS[code]
            if not filing.trial.identifiers.get(code, {}).get(name):
                return False
    return True


@condition("filing.not_awaiting_registry", "No target registry is reviewing a submission of this filing.")
def awaiting_registry(filing: Filing) -> bool:
    return any(latest_outcome(filing, code) == RegistryOutcome.PENDING for code in filing.target_registries)


@condition("filing.no_registry_comments", "No target registry has returned this filing with comments.")
def registry_returned_comments(filing: Filing) -> bool:
    return any(latest_outcome(filing, code) == RegistryOutcome.RETURNED for code in filing.target_registries)


@actor_condition(
    "signature.same_person",
    "The approver must be a different person from the one who submitted the filing for review.",
)
def approver_is_second_person(filing: Filing, actor: AbstractBaseUser) -> bool:
    return filing.submitted_for_review_by_id != actor.pk


@actor_condition(
    "signature.record_author",
    "You saved a record version this filing includes; another approver must sign what you wrote.",
)
def approver_wrote_none_of_it(filing: Filing, actor: AbstractBaseUser) -> bool:
    # Imported here: the domain's read functions import the models, which import this module.
    from submissions.domain.reviews import filing_authors

    return actor.pk not in filing_authors(filing)


# --- Trial conditions -------------------------------------------------------------------------------


def _stage_accepted(stage: str) -> Condition:
    label = Stage(stage).label.lower()

    def test(trial: Trial) -> bool:
        return trial.filings.filter(stage=stage, kind=FilingKind.INITIAL, state=FilingState.ACCEPTED).exists()

    return Condition(
        f"trial.{stage}_not_accepted",
        f"The {label} filing has not been accepted by all its target registries.",
        test,
    )


registration_accepted = _stage_accepted(Stage.REGISTRATION)
protocol_summary_accepted = _stage_accepted(Stage.PROTOCOL_SUMMARY)
results_accepted = _stage_accepted(Stage.RESULTS)
lay_summary_accepted = _stage_accepted(Stage.LAY_SUMMARY)


# --- Helpers the conditions and the domain share -------------------------------------------------------


def trial_reached(trial: Trial, stage: str) -> bool:
    """Whether the trial's ``stage`` has been accepted (the trial never moves back, DESIGN section 4)."""
    if trial.state not in TRIAL_PROGRESS:
        return False
    return TRIAL_PROGRESS.index(trial.state) >= TRIAL_PROGRESS.index(STATE_AFTER_STAGE[stage])


def latest_outcome(filing: Filing, registry_code: str) -> str | None:
    submission = filing.submissions.filter(registry=registry_code).order_by("-submitted_at", "-pk").first()
    return submission.outcome if submission else None


# --- The trial's state machine ----------------------------------------------------------------------


class TrialWorkflow(ConcurrentTransitionMixin, models.Model):
    """draft -> registered -> protocol_summary_published -> results_reported -> disclosed;
    draft / registered -> withdrawn."""

    state = FSMField(default=TrialState.DRAFT, choices=TrialState.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        field="state",
        source=TrialState.DRAFT,
        target=TrialState.REGISTERED,
        conditions=[registration_accepted],
        custom={"label": "registration accepted", "stage": Stage.REGISTRATION, "roles": ()},
    )
    def register(self) -> None:
        """The registration filing was accepted by every target registry. Run by the system when the
        last registry response arrives; no person asks for it."""

    @transition(
        field="state",
        source=TrialState.REGISTERED,
        target=TrialState.PROTOCOL_SUMMARY_PUBLISHED,
        conditions=[protocol_summary_accepted],
        custom={"label": "protocol summary accepted", "stage": Stage.PROTOCOL_SUMMARY, "roles": ()},
    )
    def publish_protocol_summary(self) -> None:
        """The protocol summary filing was accepted by every target registry (system)."""

    @transition(
        field="state",
        source=TrialState.PROTOCOL_SUMMARY_PUBLISHED,
        target=TrialState.RESULTS_REPORTED,
        conditions=[results_accepted],
        custom={"label": "results accepted", "stage": Stage.RESULTS, "roles": ()},
    )
    def report_results(self) -> None:
        """The results filing was accepted by every target registry (system)."""

    @transition(
        field="state",
        source=TrialState.RESULTS_REPORTED,
        target=TrialState.DISCLOSED,
        conditions=[lay_summary_accepted],
        custom={"label": "lay summary accepted", "stage": Stage.LAY_SUMMARY, "roles": ()},
    )
    def disclose(self) -> None:
        """The lay summary filing was accepted by every target registry (system)."""

    @transition(
        field="state",
        source=[TrialState.DRAFT, TrialState.REGISTERED],
        target=TrialState.WITHDRAWN,
        custom={"label": "withdraw", "roles": (Role.APPROVER, Role.ADMIN)},
    )
    def withdraw(self) -> None:
        """The sponsor withdraws the trial before any summary was published. Approvers and admins."""


# The transition that a stage's acceptance runs on the trial, by stage.
TRIAL_ADVANCE: dict[str, str] = {
    Stage.REGISTRATION: "register",
    Stage.PROTOCOL_SUMMARY: "publish_protocol_summary",
    Stage.RESULTS: "report_results",
    Stage.LAY_SUMMARY: "disclose",
}


# --- The filing's state machine -----------------------------------------------------------------------


class FilingWorkflow(ConcurrentTransitionMixin, models.Model):
    """draft -> in_review -> approved -> submitted -> accepted, with the ways back to draft."""

    state = FSMField(default=FilingState.DRAFT, choices=FilingState.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        field="state",
        source=FilingState.DRAFT,
        target=FilingState.IN_REVIEW,
        conditions=[trial_active, has_record, previous_stage_accepted, no_error_findings],
        custom={"label": "submit_for_review", "roles": (Role.AUTHOR,)},
    )
    def submit_for_review(self) -> None:
        """An author hands the filing to review. Needs a record without error findings for the stage in
        any target registry, and the previous stage accepted."""

    @transition(
        field="state",
        source=FilingState.IN_REVIEW,
        target=FilingState.DRAFT,
        custom={"label": "return_to_author", "roles": (Role.REVIEWER, Role.APPROVER)},
    )
    def return_to_author(self) -> None:
        """A reviewer or approver sends the filing back with remarks."""

    @transition(
        field="state",
        source=FilingState.IN_REVIEW,
        target=FilingState.APPROVED,
        conditions=[trial_active, has_record, no_error_findings],
        custom={
            "label": "approve (e-signature)",
            "roles": (Role.APPROVER,),
            "actor_conditions": (approver_is_second_person, approver_wrote_none_of_it),
        },
    )
    def approve(self) -> None:
        """The responsible party signs the filing off (21 CFR 11.50): a second person who neither
        submitted it nor wrote any of it, with a fresh e-signature over the version pinned at submission
        for review. The domain stores every payload built from it with its hash."""

    @transition(
        field="state",
        source=FilingState.APPROVED,
        target=FilingState.DRAFT,
        custom={"label": "reopen", "roles": (Role.APPROVER,)},
    )
    def reopen(self) -> None:
        """The approval is voided (pinned version and payloads released) and the filing is a draft again."""

    @transition(
        field="state",
        source=FilingState.APPROVED,
        target=FilingState.SUBMITTED,
        conditions=[trial_active],
        custom={"label": "mark_submitted", "roles": (Role.AUTHOR, Role.APPROVER)},
    )
    def mark_submitted(self) -> None:
        """The approved payloads were sent to the target registries."""

    @transition(
        field="state",
        source=FilingState.SUBMITTED,
        target=FilingState.ACCEPTED,
        conditions=[all_registries_accepted, identifiers_issued],
        custom={"label": "accept (registry ids)", "roles": (Role.AUTHOR, Role.APPROVER)},
    )
    def accept(self) -> None:
        """Every target registry accepted the filing and issued its identifiers. Runs when the last
        registry response is recorded."""

    @transition(
        field="state",
        source=FilingState.SUBMITTED,
        target=FilingState.RETURNED,
        conditions=[registry_returned_comments],
        custom={"label": "registry_returned (comments)", "roles": (Role.AUTHOR, Role.APPROVER)},
    )
    def registry_returned(self) -> None:
        """A registry returned the filing with review comments (e.g. PRS major comments)."""

    @transition(
        field="state",
        source=FilingState.RETURNED,
        target=FilingState.DRAFT,
        custom={"label": "start_corrections", "roles": (Role.AUTHOR,)},
    )
    def start_corrections(self) -> None:
        """An author starts correcting the record in answer to the registry's comments."""

    # A trial imported from a registry's published record arrives with filings that were made before
    # it existed here: each is recorded in the state the registry's history shows, with the registry's
    # dates on its submissions (submissions.domain.imports). The conditions are the same as for a
    # filing sent from here.

    @transition(
        field="state",
        source=FilingState.DRAFT,
        target=FilingState.ACCEPTED,
        conditions=[all_registries_accepted, identifiers_issued],
        custom={"label": "imported as accepted", "roles": (Role.AUTHOR,)},
    )
    def import_accepted(self) -> None:
        """The registry's record shows the filing accepted (posted) before the trial was imported."""

    @transition(
        field="state",
        source=FilingState.DRAFT,
        target=FilingState.SUBMITTED,
        conditions=[awaiting_registry],
        custom={"label": "imported as submitted", "roles": (Role.AUTHOR,)},
    )
    def import_submitted(self) -> None:
        """The registry's record shows the filing in its review (e.g. results in PRS QC) on import."""

    @transition(
        field="state",
        source=FilingState.DRAFT,
        target=FilingState.RETURNED,
        conditions=[registry_returned_comments],
        custom={"label": "imported as returned", "roles": (Role.AUTHOR,)},
    )
    def import_returned(self) -> None:
        """The registry's record shows the filing returned with review comments on import."""


def transitions_of(model: type[models.Model]) -> list[Transition]:
    """Every transition of the model's ``state`` field, one per source state, in declaration order."""
    field = model._meta.get_field("state")
    assert isinstance(field, FSMField)
    return sorted(field.get_all_transitions(model), key=lambda item: item.method.__code__.co_firstlineno)


def transition_named(model: type[models.Model], name: str, source: str | None = None) -> Transition | None:
    """The transition ``name`` of the model from ``source`` (any source when None)."""
    for item in transitions_of(model):
        if item.name == name and (source is None or item.source == source):
            return item
    return None


def sources_of(model: type[models.Model], name: str) -> list[str]:
    return [str(item.source) for item in transitions_of(model) if item.name == name]


def roles_for(model: type[models.Model], name: str) -> tuple[str, ...]:
    item = transition_named(model, name)
    return tuple(item.custom.get("roles", ())) if item else ()


def failed_condition(
    instance: models.Model, name: str, actor: Any = None
) -> Condition | ActorCondition | None:
    """The first condition of transition ``name`` that does not hold for ``instance`` (and ``actor``),
    checking the actor's conditions first; None when all hold. The caller checks the source state."""
    item = transition_named(type(instance), name, getattr(instance, "state", None))
    if item is None:
        return None
    for actor_check in item.custom.get("actor_conditions", ()):
        if actor is not None and not actor_check(instance, actor):
            return actor_check
    for check in item.conditions:
        if not check(instance):
            return check  # type: ignore[return-value]
    return None
