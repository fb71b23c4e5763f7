"""EU: Clinical Trials Regulation 536/2014 (CTIS), with the EU Trials Tracker's view of results."""

from __future__ import annotations

from datetime import date
from typing import Any

from deadlines.dates import add_days, add_months, add_years, first_day
from deadlines.enums import (
    EU_ENDED_STATUSES,
    PHASE_ONE_CODES,
    REGISTRY_CTIS,
    REGISTRY_EUDRACT,
    Jurisdiction,
    SubmissionKind,
    SubmissionStage,
    Tracker,
)
from deadlines.facts import DateFact, TrialFacts
from deadlines.rules.common import known_day, out_of_order
from deadlines.submissions import Submission
from deadlines.verdict import Context, Met, Rule, Verdict, earliest, rule
from registries.enums import Severity, Stage

EU_REGISTRIES = (REGISTRY_CTIS, REGISTRY_EUDRACT)


def _member_states_concerned(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """Every Art 37 duty is owed to the member states concerned: a trial with none is out of scope."""
    if not facts.eu_present or not facts.member_states:
        return rule_.not_applicable("The trial has no EU member state concerned (no euSection.memberStates).")
    return None


def end_in_all_member_states(facts: TrialFacts) -> DateFact:
    """The stated end in all member states, else the latest member-state end when every one has ended."""
    if facts.end_all_member_states.known:
        return facts.end_all_member_states
    ends = [m.end_of_trial for m in facts.member_states]
    if ends and all(e.known for e in ends):
        return max(ends, key=lambda e: e.value or date.min)
    return facts.end_all_member_states


def _eu_filings(context: Context, stage: SubmissionStage, **criteria: Any) -> list[Submission]:
    return context.log.select(registries=EU_REGISTRIES, stages=[stage], **criteria)


def _end_of_trial_notice(
    self: Rule,
    context: Context,
    end: DateFact,
    day: date,
    kind: SubmissionKind,
    where: str,
    *,
    subject: str = "",
    member_state: str | None = None,
    notified: DateFact | None = None,
) -> Verdict:
    """Art 37(1)-(3) share one window: the notice of ``kind`` is due 15 days after ``end`` (``where``
    names the place in the sentence). A member-state notice is met by the record's ``notified`` date or
    by a filing for that ``member_state``."""
    days = context.config.eu_end_of_trial_notice_days
    met: Met | None
    if notified is not None and notified.known:
        met = Met.from_record(notified)
    else:
        filed = _eu_filings(
            context,
            SubmissionStage.END_OF_TRIAL,
            kinds=[kind],
            where=(lambda s: s.member_state == member_state) if kind is SubmissionKind.MEMBER_STATE else None,
        )
        met = earliest(context, filed)
    return self.decide(
        context,
        why=f"The trial ends {where} on {day.isoformat()}; notify within {days} days.",
        due=add_days(day, days),
        met=met,
        inputs=[end],
        subject=subject,
    )


@rule(
    code="eu.ctr.end_of_trial.member_state",
    title="Notify the end of the trial in a member state",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(1)",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    scope=_member_states_concerned,
)
def end_of_trial_member_state(self: Rule, context: Context) -> list[Verdict]:
    """Within 15 days of the end of the trial in each member state concerned."""
    verdicts = []
    for state in context.facts.member_states:
        subject = state.country or f"memberStates/{state.index}"
        day = known_day(
            self,
            state.end_of_trial,
            f"The end-of-trial notice for {subject} is due 15 days after the trial ends there.",
            f"end-of-trial date in {subject}",
            subject=subject,
        )
        if isinstance(day, Verdict):
            verdicts.append(day)
            continue
        verdicts.append(
            _end_of_trial_notice(
                self,
                context,
                state.end_of_trial,
                day,
                SubmissionKind.MEMBER_STATE,
                f"in {subject}",
                subject=subject,
                member_state=state.country,
                notified=state.notified,
            )
        )
    return verdicts


@rule(
    code="eu.ctr.end_of_trial.all_member_states",
    title="Notify the end of the trial in all member states",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(2)",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    scope=_member_states_concerned,
)
def end_of_trial_all(self: Rule, context: Context) -> list[Verdict]:
    """Within 15 days of the end of the trial in the last member state concerned."""
    end = end_in_all_member_states(context.facts)
    day = known_day(
        self,
        end,
        "Due 15 days after the trial ends in the last member state.",
        "end of trial in all member states",
    )
    if isinstance(day, Verdict):
        return [day]
    return [
        _end_of_trial_notice(
            self, context, end, day, SubmissionKind.ALL_MEMBER_STATES, "in the last member state"
        )
    ]


@rule(
    code="eu.ctr.end_of_trial.global",
    title="Notify the global end of the trial",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(3)",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    scope=_member_states_concerned,
)
def end_of_trial_global(self: Rule, context: Context) -> list[Verdict]:
    """Within 15 days of the end of the trial in every country, EU and third countries."""
    end = context.facts.global_end
    day = known_day(self, end, "Due 15 days after the global end of the trial.", "global end-of-trial date")
    if isinstance(day, Verdict):
        return [day]
    return [_end_of_trial_notice(self, context, end, day, SubmissionKind.GLOBAL, "globally")]


def paediatric_in_scope(facts: TrialFacts) -> bool:
    """Six-month results: Paediatric Regulation Art 46 trials, or paediatric trials in a PIP (verify)."""
    return facts.eu_article46 or (facts.eu_paediatric and facts.eu_pip_number is not None)


def tracker_exempt(facts: TrialFacts) -> bool:
    """EU Trials Tracker: phase 1 in every protocol and no paediatric investigation plan."""
    return bool(facts.phases) and set(facts.phases) <= PHASE_ONE_CODES and facts.eu_pip_number is None


def tracker_completed(facts: TrialFacts) -> bool:
    """EU Trials Tracker: every country protocol is completed or prematurely ended."""
    return bool(facts.member_states) and all(m.status in EU_ENDED_STATUSES for m in facts.member_states)


def eu_tracker_flag_date(end: date, grace: int) -> date:
    """The first day the EU Trials Tracker counts the trial as due: end < today - 1 year - 28 days."""
    return first_day(
        lambda today: end < add_days(add_years(today, -1), -grace), add_days(add_years(end, 1), grace)
    )


def _summary(self: Rule, context: Context, stage: SubmissionStage, what: str) -> list[Verdict]:
    """Art 37(4): the summary of results and the lay summary share one due date."""
    facts = context.facts
    end = end_in_all_member_states(facts)
    day = known_day(
        self,
        end,
        f"The {what} is due 12 months after the end of the trial in all member states.",
        "end of trial in all member states",
    )
    if isinstance(day, Verdict):
        return [day]
    contradiction = out_of_order(
        self,
        facts.start,
        end,
        "study start date",
        "end of the trial in all member states",
        "The end of the trial is before its start.",
    )
    if contradiction:
        return [contradiction]
    paediatric = paediatric_in_scope(facts)
    months = context.config.eu_paediatric_results_months if paediatric else context.config.eu_results_months
    filed = _eu_filings(context, stage, where=lambda s: s.kind is not SubmissionKind.INTERIM)
    # The EU Trials Tracker counts from the global end when there is one.
    tracked = facts.global_end if facts.global_end.known else end
    assert tracked.value is not None
    exempt = tracker_exempt(facts)
    completed = tracker_completed(facts)
    findings = []
    if facts.member_states and not completed and any(m.end_of_trial.known for m in facts.member_states):
        findings.append(
            self.finding(
                Severity.WARNING,
                "deadline.tracker_inconsistent",
                "/euSection/memberStates",
                "An end-of-trial date is given while a member state is not marked as ended: "
                "the EU Trials Tracker lists such trials as inconsistent data.",
            )
        )
    return [
        self.decide(
            context,
            why=f"The trial ends in all member states on {day.isoformat()}; "
            f"the {what} is due {months} months later"
            + (" (paediatric trial in scope of Paediatric Regulation Art 46)." if paediatric else "."),
            due=add_months(day, months),
            met=earliest(context, filed),
            inputs=[end, tracked],
            tracker=None if exempt else Tracker.EU_TRIALS_TRACKER,
            tracker_flag_date=None
            if exempt
            else eu_tracker_flag_date(tracked.value, context.config.eu_tracker_grace_days),
            findings=findings,
            paediatric=paediatric,
            tracker_exempt=exempt,
            tracker_completed=completed,
        )
    ]


@rule(
    code="eu.ctr.results",
    title="Submit the summary of results to CTIS",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(4), Annex IV; Regulation (EC) 1901/2006 Art 46",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    stage=Stage.RESULTS,
    scope=_member_states_concerned,
)
def results(self: Rule, context: Context) -> list[Verdict]:
    """12 months after the end of the trial in all member states (6 for paediatric trials in scope)."""
    return _summary(self, context, SubmissionStage.RESULTS, "summary of results")


@rule(
    code="eu.ctr.lay_summary",
    title="Submit the lay summary to CTIS",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(4), Annex V",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    stage=Stage.LAY_SUMMARY,
    scope=_member_states_concerned,
)
def lay_summary(self: Rule, context: Context) -> list[Verdict]:
    """Due with the summary of results."""
    return _summary(self, context, SubmissionStage.LAY_SUMMARY, "lay summary")


@rule(
    code="eu.ctr.intermediate_analysis",
    title="Submit the results of an intermediate analysis",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(8); CCMO guidance on intermediate data analysis",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    stage=Stage.RESULTS,
    scope=_member_states_concerned,
)
def intermediate_analysis(self: Rule, context: Context) -> list[Verdict]:
    """An intermediate analysis planned in the protocol (not a data monitoring committee's) is due 1 year
    after the analysis."""
    facts = context.facts
    if not facts.intermediate_analyses:
        return [self.not_applicable("The protocol plans no intermediate analysis.")]
    verdicts = []
    for analysis in facts.intermediate_analyses:
        subject = f"/euSection/intermediateAnalyses/{analysis.index}"
        done = known_day(
            self,
            analysis.analysis,
            "Due 1 year after the intermediate analysis.",
            "analysis date",
            subject=subject,
        )
        if isinstance(done, Verdict):
            verdicts.append(done)
            continue
        filed = _eu_filings(
            context,
            SubmissionStage.RESULTS,
            kinds=[SubmissionKind.INTERIM],
            where=lambda s, d=done: s.submitted_on >= d,
        )
        verdicts.append(
            self.decide(
                context,
                why=f"An intermediate analysis ({analysis.description or 'planned in the protocol'}) on "
                f"{done.isoformat()}; its results are due 1 year later.",
                due=add_years(done, 1),
                met=earliest(context, filed),
                inputs=[analysis.analysis],
                subject=subject,
            )
        )
    return verdicts


RULES: tuple[Rule, ...] = (
    end_of_trial_member_state,
    end_of_trial_all,
    end_of_trial_global,
    results,
    lay_summary,
    intermediate_analysis,
)
