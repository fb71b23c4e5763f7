"""UK: the Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2024, in force 28 April 2026
(HRA research transparency requirements)."""

from __future__ import annotations

from datetime import date

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
from deadlines.rules.common import known_day, out_of_order
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
    application = known_day(
        rule_,
        facts.uk_application,
        f"The UK regulations apply to applications made from {EFFECTIVE}.",
        "UK application date",
    )
    if isinstance(application, Verdict):
        return application
    if application >= UK_REGULATIONS_EFFECTIVE:
        return None
    if not transitional:
        return rule_.not_applicable(
            f"The application was made on {application.isoformat()}, before the regulations came into "
            f"force on {EFFECTIVE}; registration was then an approval condition, not this duty (verify)."
        )
    end = known_day(
        rule_,
        facts.uk_end,
        f"An application made before {EFFECTIVE} is covered only if the trial ends on or after that day.",
        "UK end-of-trial date",
    )
    if isinstance(end, Verdict):
        return end
    if end < UK_REGULATIONS_EFFECTIVE:
        return rule_.not_applicable(
            f"The application ({application.isoformat()}) and the end of the trial "
            f"({end.isoformat()}) both precede {EFFECTIVE}."
        )
    return None


def _applications_from_effective_date(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """Scope of a duty that binds only applications made from 28 April 2026."""
    return _scope(rule_, facts, transitional=False)


def _applications_from_effective_date_or_ending_after(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """Scope of a duty that also binds earlier applications whose trial ends on or after 28 April 2026."""
    return _scope(rule_, facts, transitional=True)


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
    scope=_applications_from_effective_date,
)
def registration(self: Rule, context: Context) -> list[Verdict]:
    """Register before the first participant is recruited or within 90 days of approval, whichever is
    sooner."""
    facts = context.facts
    approval = known_day(
        self,
        facts.uk_approval,
        "Registration is due within 90 days of approval at the latest.",
        "UK approval date",
    )
    if isinstance(approval, Verdict):
        return [approval]
    days = context.config.uk_registration_days_after_approval
    due = add_days(approval, days)
    inputs: list[DateFact] = [facts.uk_approval]
    why = f"{_why_scope(facts)}Register within {days} days of approval ({approval.isoformat()})"
    first = facts.first_enrolment
    # The record holds no UK first-participant date: an enrolment before UK approval happened elsewhere
    # and cannot bring the UK deadline forward.
    if first.value is not None and approval <= first.value < due:
        due = first.value
        inputs = [first]
        why += f", or before the first participant ({first.value.isoformat()}), whichever is sooner"
    filed = context.log.select(registries=PUBLIC_REGISTRIES, stages=[SubmissionStage.REGISTRATION])
    return [
        self.decide(
            context,
            why=why + ".",
            due=due,
            met=earliest(context, filed, facts.study_first_submit, facts.who_registration),
            inputs=inputs,
        )
    ]


def _end(self: Rule, facts: TrialFacts, what: str) -> tuple[DateFact, date] | Verdict:
    """The UK end of trial with its day, or the verdict saying why the ``what`` has no due date."""
    day = known_day(
        self,
        facts.uk_end,
        f"The {what} is due 12 months after the end of the trial.",
        "UK end-of-trial date",
    )
    if isinstance(day, Verdict):
        return day
    contradiction = out_of_order(
        self,
        facts.uk_approval,
        facts.uk_end,
        "UK approval date",
        "UK end-of-trial date",
        "The end of the trial is before its approval.",
    )
    return contradiction or (facts.uk_end, day)


def _results_everywhere_registered(context: Context) -> tuple[Met | None, list[str], list[str]]:
    """HRA: results go to every registry the trial is registered in (a link is not enough), so the duty
    is met by the last of those filings. Returns that evidence, the registries used and those still
    without results; with no registration on file, any public registry's results count."""
    registered = context.log.select(registries=PUBLIC_REGISTRIES, stages=[SubmissionStage.REGISTRATION])
    used = sorted({s.registry for s in registered})
    if not used:
        filed = context.log.select(registries=PUBLIC_REGISTRIES, stages=[SubmissionStage.RESULTS])
        return earliest(context, filed), used, []
    firsts = {r: context.log.first(registries=[r], stages=[SubmissionStage.RESULTS]) for r in used}
    without = [r for r, filed in firsts.items() if filed is None]
    if without:
        return None, used, without
    last = max((s for s in firsts.values() if s is not None), key=lambda s: s.submitted_on)
    return Met.from_submission(last), used, without


@rule(
    code="uk.results",
    title="Publish a results summary (UK)",
    jurisdiction=Jurisdiction.UK,
    source="Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2024; HRA publishing-results "
    "guidance",
    version=EFFECTIVE,
    registry=REGISTRY_ISRCTN,
    stage=Stage.RESULTS,
    scope=_applications_from_effective_date_or_ending_after,
)
def results(self: Rule, context: Context) -> list[Verdict]:
    """12 months after the end of the trial, paediatric trials included, in every registry used (a link
    is not enough); a granted deferral moves it."""
    facts = context.facts
    ended = _end(self, facts, "results summary")
    if isinstance(ended, Verdict):
        return [ended]
    end, day = ended
    due = add_months(day, context.config.uk_results_months)
    why = (
        f"{_why_scope(facts)}The results summary is due 12 months after the end of the trial "
        f"({day.isoformat()}) in every registry used."
    )
    inputs = [end]
    if facts.uk_deferral_granted and facts.uk_deferral_until.value is not None:
        due = facts.uk_deferral_until.value
        inputs.append(facts.uk_deferral_until)
        why += f" A deferral was granted until {due.isoformat()}."
    met, used, without = _results_everywhere_registered(context)
    return [
        self.decide(
            context,
            why=why,
            due=due,
            met=met,
            inputs=inputs,
            registries_used=used,
            registries_without_results=without,
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
    scope=_applications_from_effective_date_or_ending_after,
)
def lay_summary_offer(self: Rule, context: Context) -> list[Verdict]:
    """Offer a lay summary to participants (or relevant persons) within 12 months of the end of the trial."""
    facts = context.facts
    ended = _end(self, facts, "lay summary offer")
    if isinstance(ended, Verdict):
        return [ended]
    end, day = ended
    met: Met | None
    if facts.uk_lay_summary_offered.known:
        met = Met.from_record(facts.uk_lay_summary_offered)
    else:
        met = earliest(context, context.log.select(registries=[RECIPIENT_PARTICIPANTS]))
    return [
        self.decide(
            context,
            why=f"{_why_scope(facts)}Participants must be offered a lay summary within 12 months of "
            f"the end of the trial ({day.isoformat()}).",
            due=add_months(day, context.config.uk_lay_summary_months),
            met=met,
            inputs=[end],
        )
    ]


RULES: tuple[Rule, ...] = (registration, results, lay_summary_offer)
