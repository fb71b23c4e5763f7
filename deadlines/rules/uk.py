"""UK: the Medicines for Human Use (Clinical Trials) Regulations 2004 as amended by the Medicines for Human
Use (Clinical Trials) (Amendment) Regulations 2025 (SI 2025/538), in force 28 April 2026, with the HRA's
research transparency guidance and the MHRA's end-of-trial guidance."""

from __future__ import annotations

from datetime import date

from deadlines.config import setting_note
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
from registries.enums import Severity, Stage

PUBLIC_REGISTRIES = (REGISTRY_ISRCTN, REGISTRY_CTGOV, REGISTRY_CTIS, REGISTRY_EUDRACT, REGISTRY_WHO)
EFFECTIVE = UK_REGULATIONS_EFFECTIVE.isoformat()
REGULATIONS = "Medicines for Human Use (Clinical Trials) (Amendment) Regulations 2025 (SI 2025/538)"
# HRA, "Research transparency requirements for clinical trials" (guidance on changes to the clinical trials
# regulations, 2025); each rule names its page.
HRA_TRANSPARENCY = "HRA transparency guidance"


def trial_end(facts: TrialFacts) -> tuple[DateFact, str]:
    """The end the results, lay-summary offer and end-of-trial notice count from, with its name: for an
    international trial the end in every participating country (MHRA, Clinical trials for medicines:
    ending a clinical trial; HRA, ending your project), for a UK-only trial the UK end."""
    if facts.uk_global_end.known or facts.uk_global_end.invalid:
        return facts.uk_global_end, "global end-of-trial date"
    if facts.global_end.known:
        return facts.global_end, "global end-of-trial date"
    if facts.has_site_outside_uk:
        return facts.uk_global_end, "global end-of-trial date (the trial has sites outside the UK)"
    return facts.uk_end, "end-of-trial date"


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
    end_fact, end_name = trial_end(facts)
    end = known_day(
        rule_,
        end_fact,
        f"An application made before {EFFECTIVE} is covered only if the trial ends on or after that day.",
        end_name,
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


def _not_lapsed(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """Transitional scope, and no duty when the approval lapsed with no UK participant recruited (HRA,
    Publishing trial results: "the sponsor is not expected to publish summary results")."""
    outside = _scope(rule_, facts, transitional=True)
    if outside is not None:
        return outside
    if facts.uk_approval_lapsed.value is not None and not facts.uk_first_participant.known:
        return rule_.not_applicable(
            f"The approval lapsed on {facts.uk_approval_lapsed.value.isoformat()} with no participant "
            "recruited in the UK: no results summary is expected (HRA, Publishing trial results)."
        )
    return None


def _applications_from_effective_date_or_ending_after(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """Scope of a duty that also binds earlier applications whose trial ends on or after 28 April 2026."""
    return _scope(rule_, facts, transitional=True)


def _why_scope(facts: TrialFacts) -> str:
    assert facts.uk_application.value is not None
    if facts.uk_application.value >= UK_REGULATIONS_EFFECTIVE:
        return (
            f"The application was made on {facts.uk_application.value.isoformat()}, on or after {EFFECTIVE}. "
        )
    return f"The application predates {EFFECTIVE} but the trial ends on or after it. "


@rule(
    code="uk.registration",
    title="Register the trial in a public registry (UK)",
    jurisdiction=Jurisdiction.UK,
    source=f"{REGULATIONS}; {HRA_TRANSPARENCY}: Registering a clinical trial",
    version=EFFECTIVE,
    registry=REGISTRY_ISRCTN,
    stage=Stage.REGISTRATION,
    scope=_applications_from_effective_date_or_ending_after,
)
def registration(self: Rule, context: Context) -> list[Verdict]:
    """Register before the first UK participant is recruited or within 90 days of approval, whichever is
    sooner; an earlier application not registered by 28 April 2026 and ending on or after it must register
    too (HRA); a granted deferral moves the duty to its end."""
    facts = context.facts
    filed = context.log.select(registries=PUBLIC_REGISTRIES, stages=[SubmissionStage.REGISTRATION])
    met = earliest(context, filed, facts.study_first_submit, facts.who_registration)
    assert facts.uk_application.value is not None
    if facts.uk_application.value < UK_REGULATIONS_EFFECTIVE:
        due, why, inputs = _transitional_registration_due(context)
        if met is not None and met.on <= UK_REGULATIONS_EFFECTIVE:
            why = (
                f"The trial was registered on {met.on.isoformat()}, by {EFFECTIVE}: that fulfils the duty "
                "(HRA, Registering a clinical trial)."
            )
    else:
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
        inputs = [facts.uk_approval]
        why = f"{_why_scope(facts)}Register within {days} days of approval ({approval.isoformat()})"
        first = _uk_first_participant(facts)
        if first is not None and first.value is not None and approval <= first.value < due:
            due = first.value
            inputs = [first]
            why += f", or before the first UK participant ({first.value.isoformat()}), whichever is sooner"
        why += "."
    if facts.uk_deferral_granted and facts.uk_deferral_until.value is not None:
        due = facts.uk_deferral_until.value
        inputs = [*inputs, facts.uk_deferral_until]
        why += f" A deferral was granted until {due.isoformat()}; it covers registration."
    return [self.decide(context, why=why, due=due, met=met, inputs=inputs)]


def _uk_first_participant(facts: TrialFacts) -> DateFact | None:
    """The first participant recruited in the UK: the stated date, else (for a trial with no site outside
    the UK) the first enrolment."""
    if facts.uk_first_participant.known:
        return facts.uk_first_participant
    if not facts.has_site_outside_uk and facts.first_enrolment.known:
        return facts.first_enrolment
    return None


def _transitional_registration_due(context: Context) -> tuple[date, str, list[DateFact]]:
    """An application made before 28 April 2026, not registered by then, that ends on or after it (HRA,
    Registering a clinical trial): within the setting's days of 28 April 2026, or before the first UK
    participant if that is sooner and still to come (the HRA's rule for when is not confirmed: verify)."""
    config = context.config
    name = "uk_transitional_registration_days"
    due = add_days(UK_REGULATIONS_EFFECTIVE, getattr(config, name))
    inputs: list[DateFact] = []
    why = (
        f"The application predates {EFFECTIVE}; a trial not registered by then that ends on or after it must "
        f"register within {getattr(config, name)} days of {EFFECTIVE}{setting_note(config, name)}"
    )
    first = _uk_first_participant(context.facts)
    if first is not None and first.value is not None and UK_REGULATIONS_EFFECTIVE <= first.value < due:
        due = first.value
        inputs = [first]
        why += f", or before the first UK participant ({first.value.isoformat()}), whichever is sooner"
    return due, why + ".", inputs


def _end(self: Rule, facts: TrialFacts, what: str) -> tuple[DateFact, date] | Verdict:
    """The end of the trial (global for an international trial) with its day, or the verdict saying why
    the ``what`` has no due date."""
    end, name = trial_end(facts)
    day = known_day(self, end, f"The {what} counts from the end of the trial.", name)
    if isinstance(day, Verdict):
        return day
    contradiction = out_of_order(
        self,
        facts.uk_approval,
        end,
        "UK approval date",
        name,
        "The end of the trial is before its approval.",
    )
    return contradiction or (end, day)


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
    source=f"{REGULATIONS}; {HRA_TRANSPARENCY}: Publishing trial results; MHRA, Clinical trials for "
    "medicines: ending a clinical trial (end of trial in all countries)",
    version=EFFECTIVE,
    registry=REGISTRY_ISRCTN,
    stage=Stage.RESULTS,
    scope=_not_lapsed,
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
        f"({trial_end(facts)[1]} {day.isoformat()}) in every registry used."
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
    source=f"{REGULATIONS}; {HRA_TRANSPARENCY}: Offering to share a summary of results with participants",
    version=EFFECTIVE,
    registry=REGISTRY_ISRCTN,
    stage=Stage.LAY_SUMMARY,
    scope=_not_lapsed,
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


@rule(
    code="uk.end_of_trial_notification",
    title="Notify the end of the trial to the MHRA and the ethics committee (UK)",
    jurisdiction=Jurisdiction.UK,
    source=f"Clinical Trials Regulations 2004 regulation 27 as amended by {REGULATIONS}; MHRA, Clinical "
    "trials for medicines: ending a clinical trial",
    version=EFFECTIVE,
    registry="",
    scope=_applications_from_effective_date_or_ending_after,
)
def end_of_trial_notification(self: Rule, context: Context) -> list[Verdict]:
    """Within 90 days of the end of the trial (in all countries for an international trial), 15 days if
    it ended early."""
    facts = context.facts
    ended = _end(self, facts, "end-of-trial notification")
    if isinstance(ended, Verdict):
        return [ended]
    end, day = ended
    config = context.config
    early = facts.uk_early_termination
    days = config.uk_early_end_notice_days if early else config.uk_end_of_trial_notice_days
    met = Met.from_record(facts.uk_end_notified) if facts.uk_end_notified.known else None
    findings = []
    if met is None and facts.uk_end_notified.invalid:
        findings.append(
            self.finding(
                Severity.WARNING,
                "deadline.unreadable_evidence",
                facts.uk_end_notified.pointer,
                "The end-of-trial notification date cannot be read; the notice is judged as not given.",
            )
        )
    return [
        self.decide(
            context,
            why=f"{_why_scope(facts)}The trial ends on {day.isoformat()}"
            + (" (ended early)" if early else "")
            + f"; notify the licensing authority and the ethics committee within {days} days.",
            due=add_days(day, days),
            met=met,
            inputs=[end],
            findings=findings,
        )
    ]


RULES: tuple[Rule, ...] = (registration, results, lay_summary_offer, end_of_trial_notification)
