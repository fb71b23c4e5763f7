"""ICMJE registration policy and the WHO statement on public disclosure of clinical trial results."""

from __future__ import annotations

from dataclasses import replace

from deadlines.dates import add_months
from deadlines.enums import (
    INTERVENTIONAL,
    RECIPIENT_JOURNAL,
    REGISTRY_CTGOV,
    REGISTRY_CTIS,
    REGISTRY_EUDRACT,
    REGISTRY_ISRCTN,
    REGISTRY_WHO,
    DeadlineStatus,
    Jurisdiction,
    SubmissionStage,
)
from deadlines.facts import DateFact, TrialFacts
from deadlines.rules.common import missing, order_problem
from deadlines.verdict import Context, Met, Rule, Verdict, earliest, rule
from registries.enums import Stage

REGISTRIES = (REGISTRY_CTGOV, REGISTRY_CTIS, REGISTRY_EUDRACT, REGISTRY_ISRCTN, REGISTRY_WHO)


def _not_covered(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    if facts.study_type != INTERVENTIONAL:
        return rule_.not_applicable(
            f"The study type is {facts.study_type or 'not stated'}; the policy covers interventional trials."
        )
    return None


@rule(
    code="icmje.registration",
    title="Register before the first participant is enrolled (ICMJE)",
    jurisdiction=Jurisdiction.ICMJE,
    source="ICMJE Recommendations, Clinical Trial Registration",
    version="2005-07-01",
    stage=Stage.REGISTRATION,
)
def icmje_registration(self: Rule, context: Context) -> list[Verdict]:
    """Register in a public registry at or before the first enrolment, or journals will not publish."""
    facts = context.facts
    uncovered = _not_covered(self, facts)
    if uncovered:
        return [uncovered]
    first = facts.first_enrolment
    if not first.known or first.value is None:
        return [
            self.cannot_compute(
                "Registration is due at the first enrolment.",
                [missing(first, "first enrolment (or start) date")],
            )
        ]
    filed = context.log.select(registries=REGISTRIES, stages=[SubmissionStage.REGISTRATION])
    met = earliest(context, filed, facts.study_first_submit, facts.who_registration)
    return [
        self.decide(
            context,
            why=f"Journals following ICMJE require registration at or before the first enrolment "
            f"({first.value.isoformat()}).",
            due=first.value,
            met=met,
            inputs=[first],
        )
    ]


def _completion(self: Rule, facts: TrialFacts) -> DateFact | Verdict:
    # WHO counts from study completion, defined as the last visit for the primary outcome: the PCD.
    completion = facts.primary_completion if facts.primary_completion.known else facts.completion
    if not completion.known or completion.value is None:
        return self.cannot_compute(
            "WHO counts from the primary completion date.",
            [missing(facts.primary_completion, "primary completion date")],
        )
    problem = order_problem(self, facts.start, completion, "study start date", "primary completion date")
    if problem:
        return self.cannot_compute("The completion date is before the start date.", findings=[problem])
    return completion


@rule(
    code="who.results",
    title="Post results in a registry within 12 months (WHO)",
    jurisdiction=Jurisdiction.WHO,
    source="WHO Statement on Public Disclosure of Clinical Trial Results (2015)",
    version="2015-04-14",
    stage=Stage.RESULTS,
)
def who_results(self: Rule, context: Context) -> list[Verdict]:
    """Key outcomes in a registry within 12 months of study completion."""
    facts = context.facts
    uncovered = _not_covered(self, facts)
    if uncovered:
        return [uncovered]
    completion = _completion(self, facts)
    if isinstance(completion, Verdict):
        return [completion]
    assert completion.value is not None
    filed = context.log.select(registries=REGISTRIES, stages=[SubmissionStage.RESULTS])
    met = earliest(context, filed, facts.results_first_submit)
    return [
        self.decide(
            context,
            why="Results are expected in a registry within 12 months of completion "
            f"({completion.value.isoformat()}).",
            due=add_months(completion.value, context.config.who_results_months),
            met=met,
            inputs=[completion],
        )
    ]


@rule(
    code="who.publication",
    title="Publish the results in a journal within 24 months (WHO)",
    jurisdiction=Jurisdiction.WHO,
    source="WHO Statement on Public Disclosure of Clinical Trial Results (2015)",
    version="2015-04-14",
)
def who_publication(self: Rule, context: Context) -> list[Verdict]:
    """Main findings submitted for journal publication within 24 months of study completion."""
    facts = context.facts
    uncovered = _not_covered(self, facts)
    if uncovered:
        return [uncovered]
    completion = _completion(self, facts)
    if isinstance(completion, Verdict):
        return [completion]
    assert completion.value is not None
    due = add_months(completion.value, context.config.who_publication_months)
    published = context.log.first(registries=[RECIPIENT_JOURNAL])
    if published is None and facts.has_result_reference:
        # A results reference without a date: met, but we cannot say whether on time.
        verdict = self.decide(
            context,
            why="A results publication is cited in the record (date unknown).",
            due=due,
            met=None,
            inputs=[completion],
        )
        return [
            replace(
                verdict,
                status=DeadlineStatus.MET,
                days_late=None,
                satisfied_by={
                    "source": "record",
                    "pointer": "/protocolSection/referencesModule/references",
                    "date": None,
                },
            )
        ]
    return [
        self.decide(
            context,
            why="Journal publication is expected within 24 months of completion "
            f"({completion.value.isoformat()}).",
            due=due,
            met=Met.from_submission(published) if published else None,
            inputs=[completion],
        )
    ]


RULES: tuple[Rule, ...] = (icmje_registration, who_results, who_publication)
