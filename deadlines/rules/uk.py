"""UK: the Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2024, in force 28 April 2026
(HRA research transparency requirements)."""

from __future__ import annotations

from deadlines.dates import add_days, add_months
from deadlines.enums import (
    RECIPIENT_PARTICIPANTS,
    REGISTRY_CTGOV,
    REGISTRY_CTIS,
    REGISTRY_EUDRACT,
    REGISTRY_ISRCTN,
    REGISTRY_WHO,
    UK_REGULATIONS_EFFECTIVE,
    Jurisdiction,
    SubmissionStage,
)
from deadlines.facts import DateFact, TrialFacts
from deadlines.rules.common import missing, order_problem
from deadlines.verdict import Context, Met, Rule, Verdict, earliest, rule
from registries.enums import Stage

PUBLIC_REGISTRIES = (REGISTRY_ISRCTN, REGISTRY_CTGOV, REGISTRY_CTIS, REGISTRY_EUDRACT, REGISTRY_WHO)
EFFECTIVE = UK_REGULATIONS_EFFECTIVE.isoformat()


def _scope(rule_: Rule, facts: TrialFacts, *, transitional: bool) -> Verdict | None:
    """None when the regulations apply; otherwise the verdict saying why not (or what is missing).

    They apply to applications made from 28 April 2026 and, for ``transitional`` duties, to earlier
    applications whose trial ends on or after that day.
    """
    if not facts.uk_present:
        return rule_.not_applicable("The trial has no UK part (no ukSection).")
    if facts.uk_is_ctimp is False:
        return rule_.not_applicable(
            "The UK regulations govern clinical trials of investigational medicinal "
            "products; ukSection.isCtimp is false."
        )
    if facts.uk_is_ctimp is None:
        return rule_.cannot_compute(
            "Whether the UK regulations apply depends on the trial being a CTIMP.",
            [("/ukSection/isCtimp", "statement whether the trial is a CTIMP (ukSection.isCtimp)")],
        )
    application = facts.uk_application
    if not application.known or application.value is None:
        return rule_.cannot_compute(
            f"The UK regulations apply to applications made from {EFFECTIVE}.",
            [missing(application, "UK application date")],
        )
    if application.value >= UK_REGULATIONS_EFFECTIVE:
        return None
    if not transitional:
        return rule_.not_applicable(
            f"The application was made on {application.value.isoformat()}, before the regulations came into "
            f"force on {EFFECTIVE}; registration was then an approval condition, not this duty (verify)."
        )
    end = facts.uk_end
    if not end.known or end.value is None:
        return rule_.cannot_compute(
            f"An application made before {EFFECTIVE} is covered only if the trial ends on or after that day.",
            [missing(end, "UK end-of-trial date")],
        )
    if end.value < UK_REGULATIONS_EFFECTIVE:
        return rule_.not_applicable(
            f"The application ({application.value.isoformat()}) and the end of the trial "
            f"({end.value.isoformat()}) both precede {EFFECTIVE}."
        )
    return None


def _why_scope(facts: TrialFacts) -> str:
    assert facts.uk_application.value is not None
    if facts.uk_application.value >= UK_REGULATIONS_EFFECTIVE:
        return (
            f"The application was made on {facts.uk_application.value.isoformat()}, on or after {EFFECTIVE}. "
        )
    return f"The application predates {EFFECTIVE} but the trial ends after it. "


@rule(
    code="uk.registration",
    title="Register the trial in a public registry (UK)",
    jurisdiction=Jurisdiction.UK,
    source="Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2024; "
    "HRA registration guidance",
    version=EFFECTIVE,
    registry=REGISTRY_ISRCTN,
    stage=Stage.REGISTRATION,
)
def registration(self: Rule, context: Context) -> list[Verdict]:
    """Register before the first participant is recruited or within 90 days of approval, whichever is
    sooner."""
    facts = context.facts
    out_of_scope = _scope(self, facts, transitional=False)
    if out_of_scope:
        return [out_of_scope]
    approval = facts.uk_approval
    if not approval.known or approval.value is None:
        return [
            self.cannot_compute(
                "Registration is due within 90 days of approval at the latest.",
                [missing(approval, "UK approval date")],
            )
        ]
    days = context.config.uk_registration_days_after_approval
    due = add_days(approval.value, days)
    inputs: list[DateFact] = [approval]
    why = f"{_why_scope(facts)}Register within {days} days of approval ({approval.value.isoformat()})"
    first = facts.first_enrolment
    # The record holds no UK first-participant date: an enrolment before UK approval happened elsewhere
    # and cannot bring the UK deadline forward.
    if first.value is not None and approval.value <= first.value < due:
        due = first.value
        inputs = [first]
        why += f", or before the first participant ({first.value.isoformat()}), whichever is sooner"
    filed = context.log.select(registries=PUBLIC_REGISTRIES, stages=[SubmissionStage.REGISTRATION])
    met = earliest(context, filed, facts.study_first_submit, facts.who_registration)
    return [
        self.decide(
            context,
            why=why + ".",
            due=due,
            met=met,
            inputs=inputs,
        )
    ]


def _end(self: Rule, facts: TrialFacts, what: str) -> DateFact | Verdict:
    end = facts.uk_end
    if not end.known or end.value is None:
        return self.cannot_compute(
            f"The {what} is due 12 months after the end of the trial.", [missing(end, "UK end-of-trial date")]
        )
    problem = order_problem(self, facts.uk_approval, end, "UK approval date", "UK end-of-trial date")
    if problem:
        return self.cannot_compute("The end of the trial is before its approval.", findings=[problem])
    return end


@rule(
    code="uk.results",
    title="Publish a results summary (UK)",
    jurisdiction=Jurisdiction.UK,
    source="Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2024; HRA publishing-results "
    "guidance",
    version=EFFECTIVE,
    registry=REGISTRY_ISRCTN,
    stage=Stage.RESULTS,
)
def results(self: Rule, context: Context) -> list[Verdict]:
    """12 months after the end of the trial, paediatric trials included, in every registry used (a link
    is not enough); a granted deferral moves it."""
    facts = context.facts
    out_of_scope = _scope(self, facts, transitional=True)
    if out_of_scope:
        return [out_of_scope]
    end = _end(self, facts, "results summary")
    if isinstance(end, Verdict):
        return [end]
    assert end.value is not None
    due = add_months(end.value, context.config.uk_results_months)
    why = (
        f"{_why_scope(facts)}The results summary is due 12 months after the end of the trial "
        f"({end.value.isoformat()}) in every registry used."
    )
    inputs = [end]
    if facts.uk_deferral_granted and facts.uk_deferral_until.value is not None:
        due = facts.uk_deferral_until.value
        inputs.append(facts.uk_deferral_until)
        why += f" A deferral was granted until {due.isoformat()}."
    used = sorted(
        {
            s.registry
            for s in context.log.select(registries=PUBLIC_REGISTRIES, stages=[SubmissionStage.REGISTRATION])
        }
    )
    met = None
    missing_in: list[str] = []
    if used:
        firsts = []
        for registry in used:
            filed = context.log.first(registries=[registry], stages=[SubmissionStage.RESULTS])
            if filed is None:
                missing_in.append(registry)
            else:
                firsts.append(filed)
        if not missing_in:
            last = max(firsts, key=lambda s: s.submitted_on)
            met = Met.from_submission(last)
    else:
        filed = context.log.first(registries=PUBLIC_REGISTRIES, stages=[SubmissionStage.RESULTS])
        met = Met.from_submission(filed) if filed else None
    return [
        self.decide(
            context,
            why=why,
            due=due,
            met=met,
            inputs=inputs,
            registries_used=used,
            registries_without_results=missing_in,
        )
    ]


@rule(
    code="uk.lay_summary_offer",
    title="Offer participants a lay summary of the results (UK)",
    jurisdiction=Jurisdiction.UK,
    source="Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2024; HRA guidance on offering "
    "a summary of results to participants",
    version=EFFECTIVE,
    registry=REGISTRY_ISRCTN,
    stage=Stage.LAY_SUMMARY,
)
def lay_summary_offer(self: Rule, context: Context) -> list[Verdict]:
    """Offer a lay summary to participants (or relevant persons) within 12 months of the end of the trial."""
    facts = context.facts
    out_of_scope = _scope(self, facts, transitional=True)
    if out_of_scope:
        return [out_of_scope]
    end = _end(self, facts, "lay summary offer")
    if isinstance(end, Verdict):
        return [end]
    assert end.value is not None
    met = None
    if facts.uk_lay_summary_offered.known:
        met = Met.from_record(facts.uk_lay_summary_offered)
    else:
        offered = context.log.first(registries=[RECIPIENT_PARTICIPANTS])
        met = Met.from_submission(offered) if offered else None
    return [
        self.decide(
            context,
            why=f"{_why_scope(facts)}Participants must be offered a lay summary within 12 months of "
            f"the end of the trial ({end.value.isoformat()}).",
            due=add_months(end.value, context.config.uk_lay_summary_months),
            met=met,
            inputs=[end],
        )
    ]


RULES: tuple[Rule, ...] = (registration, results, lay_summary_offer)
