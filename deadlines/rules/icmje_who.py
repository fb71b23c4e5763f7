"""ICMJE registration policy and the WHO statement on public disclosure of clinical trial results."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

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
    SubmissionKind,
    SubmissionStage,
)
from deadlines.facts import DateFact, TrialFacts
from deadlines.rules.common import known_day, out_of_order
from deadlines.verdict import Context, Rule, Verdict, earliest, rule
from registries.enums import Stage

REGISTRIES = (REGISTRY_CTGOV, REGISTRY_CTIS, REGISTRY_EUDRACT, REGISTRY_ISRCTN, REGISTRY_WHO)


def _interventional(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """ICMJE and WHO both cover interventional trials only."""
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
    scope=_interventional,
)
def icmje_registration(self: Rule, context: Context) -> list[Verdict]:
    """Register in a public registry at or before the first enrolment, or journals will not publish."""
    facts = context.facts
    first = known_day(
        self,
        facts.first_enrolment,
        "Registration is due at the first enrolment.",
        "first enrolment (or start) date",
    )
    if isinstance(first, Verdict):
        return [first]
    filed = context.log.select(registries=REGISTRIES, stages=[SubmissionStage.REGISTRATION])
    return [
        self.decide(
            context,
            why=f"Journals following ICMJE require registration at or before the first enrolment "
            f"({first.isoformat()}).",
            due=first,
            met=earliest(context, filed, facts.study_first_submit, facts.who_registration),
            inputs=[facts.first_enrolment],
        )
    ]


def _completion(self: Rule, facts: TrialFacts) -> tuple[DateFact, date] | Verdict:
    """The completion WHO counts from, with its day, or the verdict saying why there is none."""
    # WHO counts from study completion, defined as the last visit for the primary outcome: the PCD.
    completion = facts.primary_completion if facts.primary_completion.known else facts.completion
    day = known_day(
        self,
        completion,
        "WHO counts from the primary completion date.",
        "primary completion date",
        reported=facts.primary_completion,
    )
    if isinstance(day, Verdict):
        return day
    contradiction = out_of_order(
        self,
        facts.start,
        completion,
        "study start date",
        "primary completion date",
        "The completion date is before the start date.",
    )
    return contradiction or (completion, day)


@rule(
    code="who.results",
    title="Post results in a registry within 12 months (WHO)",
    jurisdiction=Jurisdiction.WHO,
    source="WHO Statement on Public Disclosure of Clinical Trial Results (2015)",
    version="2015-04-14",
    stage=Stage.RESULTS,
    scope=_interventional,
)
def who_results(self: Rule, context: Context) -> list[Verdict]:
    """Key outcomes in a registry within 12 months of study completion."""
    facts = context.facts
    completed = _completion(self, facts)
    if isinstance(completed, Verdict):
        return [completed]
    completion, day = completed
    filed = context.log.select(registries=REGISTRIES, stages=[SubmissionStage.RESULTS])
    return [
        self.decide(
            context,
            why=f"Results are expected in a registry within 12 months of completion ({day.isoformat()}).",
            due=add_months(day, context.config.who_results_months),
            met=earliest(context, filed, facts.results_first_submit),
            inputs=[completion],
        )
    ]


@rule(
    code="who.journal_submission",
    title="Submit the results to a journal within 12 months (WHO)",
    jurisdiction=Jurisdiction.WHO,
    source="WHO Statement on Public Disclosure of Clinical Trial Results (14 April 2015): submission for "
    "publication within 12 months of study completion",
    version="2015-04-14",
    scope=_interventional,
)
def who_journal_submission(self: Rule, context: Context) -> list[Verdict]:
    """The main findings are submitted to a peer-reviewed journal within 12 months of study completion."""
    facts = context.facts
    completed = _completion(self, facts)
    if isinstance(completed, Verdict):
        return [completed]
    completion, day = completed
    months = context.config.who_journal_submission_months
    journal = context.log.select(registries=[RECIPIENT_JOURNAL])
    return [
        self.decide(
            context,
            why=f"The main findings are to be submitted to a journal within {months} months of completion "
            f"({day.isoformat()}).",
            due=add_months(day, months),
            # A publication shows a submission no later than that day.
            met=earliest(context, journal),
            inputs=[completion],
        )
    ]


@rule(
    code="who.publication",
    title="Publish the results in a journal within 24 months (WHO)",
    jurisdiction=Jurisdiction.WHO,
    source="WHO Statement on Public Disclosure of Clinical Trial Results (14 April 2015): publication "
    "within 24 months of study completion",
    version="2015-04-14",
    scope=_interventional,
)
def who_publication(self: Rule, context: Context) -> list[Verdict]:
    """The main findings are published within 24 months of study completion."""
    facts = context.facts
    completed = _completion(self, facts)
    if isinstance(completed, Verdict):
        return [completed]
    completion, day = completed
    due = add_months(day, context.config.who_publication_months)
    published = context.log.select(registries=[RECIPIENT_JOURNAL], kinds=[SubmissionKind.PUBLISHED])
    if not published and facts.has_result_reference:
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
            why=f"Journal publication is expected within 24 months of completion ({day.isoformat()}).",
            due=due,
            met=earliest(context, published),
            inputs=[completion],
        )
    ]


RULES: tuple[Rule, ...] = (icmje_registration, who_results, who_journal_submission, who_publication)
