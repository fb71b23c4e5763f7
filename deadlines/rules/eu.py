"""EU: Clinical Trials Regulation 536/2014 (CTIS) and, for trials that stayed under it, Directive 2001/20/EC
(EudraCT), with the EU Trials Tracker's view of results."""

from __future__ import annotations

from datetime import date
from typing import Any

from deadlines.config import setting_note
from deadlines.dates import add_days, add_months, add_years, first_day
from deadlines.enums import (
    DIRECTIVE,
    DIRECTIVE_LAST_DAY,
    EU_ENDED_STATUSES,
    PHASE_ONE_CODES,
    REGISTRY_CTIS,
    REGISTRY_EUDRACT,
    Jurisdiction,
    SubmissionKind,
    SubmissionStage,
    Tracker,
)
from deadlines.facts import DateFact, HaltFact, MemberStateFact, TrialFacts
from deadlines.rules.common import known_day, out_of_order
from deadlines.submissions import Submission
from deadlines.verdict import Context, Met, Rule, Verdict, earliest, rule
from registries.enums import Severity, Stage

EU_REGISTRIES = (REGISTRY_CTIS, REGISTRY_EUDRACT)


def _member_states_concerned(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """Every Art 37 duty is owed to the member states concerned: a trial with none is out of scope, and a
    trial that stayed under Directive 2001/20/EC follows the Directive's rules instead."""
    if not facts.eu_present or not facts.member_states:
        return rule_.not_applicable("The trial has no EU member state concerned (no euSection.memberStates).")
    if facts.eu_framework == DIRECTIVE:
        return rule_.not_applicable(
            "The trial runs under Directive 2001/20/EC (EudraCT number, not transitioned to the Regulation): "
            "the Directive's end-of-trial and results rules (eu.directive.*) apply instead."
        )
    return None


def _directive_member_states(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """The Directive's duties bind trials with member states that were not transitioned to the CTR."""
    if not facts.eu_present or not facts.member_states:
        return rule_.not_applicable("The trial has no EU member state concerned (no euSection.memberStates).")
    if facts.eu_framework != DIRECTIVE:
        return rule_.not_applicable(
            "The trial runs under Regulation (EU) 536/2014 (an EU CT number, or transitioned): the "
            "Directive's rules do not apply."
        )
    return None


def _deemed_end(halt: HaltFact, today: date, years: int) -> DateFact | None:
    """Art 37(7): a halted trial not restarted within 2 years ends at the earlier of the 2 years' expiry
    and the sponsor's decision not to restart (None while neither has happened)."""
    if halt.halt.value is None or halt.restart.known:
        return None
    candidates = []
    expiry = add_years(halt.halt.value, years)
    if expiry <= today:
        candidates.append((expiry, halt.halt.pointer))
    decided = halt.decision_not_to_restart
    if decided.value is not None and decided.value <= today:
        candidates.append((decided.value, decided.pointer))
    if not candidates:
        return None
    day, where = min(candidates)
    return DateFact(pointer=where, value=day, raw=day.isoformat())


def member_state_end(state: MemberStateFact, today: date, years: int = 2) -> DateFact:
    """The end of the trial in one member state: the stated one, else the end Art 37(7) deems after a
    halt that was never restarted."""
    if state.end_of_trial.known or state.end_of_trial.invalid:
        return state.end_of_trial
    for halt in reversed(state.halts):
        deemed = _deemed_end(halt, today, years)
        if deemed is not None:
            return deemed
    return state.end_of_trial


def end_in_all_member_states(facts: TrialFacts, today: date = date.max, years: int = 2) -> DateFact:
    """The stated end in all member states, else the latest member-state end when every one has ended."""
    if facts.end_all_member_states.known:
        return facts.end_all_member_states
    ends = [member_state_end(m, today, years) for m in facts.member_states]
    if ends and all(e.known for e in ends):
        return max(ends, key=lambda e: e.value or date.min)
    return facts.end_all_member_states


def _end_in_all(self: Rule, context: Context, why: str) -> DateFact | Verdict:
    """The end in all member states, or ``cannot_compute``: missing, or stated before a member state's own
    end (a contradiction: the last member state's end is the end in all of them, Art 37(2))."""
    facts = context.facts
    years = context.config.eu_halt_deemed_end_years
    end = end_in_all_member_states(facts, context.today, years)
    day = known_day(self, end, why, "end of trial in all member states")
    if isinstance(day, Verdict):
        return day
    if facts.end_all_member_states.known:
        ends = [(m, member_state_end(m, context.today, years)) for m in facts.member_states]
        later = [(m, e) for m, e in ends if e.value is not None and e.value > day]
        if later:
            state, member_end = later[0]
            finding = self.finding(
                Severity.ERROR,
                "deadline.contradictory_dates",
                end.pointer,
                f"{self.title} ({self.code}) cannot be computed: the end of the trial in all member states "
                f"({end.raw}) is before its end in {state.country or 'a member state'} ({member_end.raw}).",
                earlier=member_end.pointer,
            )
            return self.cannot_compute(
                "The end in all member states cannot precede one member state's end.", findings=[finding]
            )
    return end


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
        end = member_state_end(state, context.today, context.config.eu_halt_deemed_end_years)
        day = known_day(
            self,
            end,
            f"The end-of-trial notice for {subject} is due 15 days after the trial ends there.",
            f"end-of-trial date in {subject}",
            subject=subject,
            reported=state.end_of_trial,
        )
        if isinstance(day, Verdict):
            verdicts.append(day)
            continue
        deemed = "" if end is state.end_of_trial else " (deemed: halted and not restarted, Art 37(7))"
        verdicts.append(
            _end_of_trial_notice(
                self,
                context,
                end,
                day,
                SubmissionKind.MEMBER_STATE,
                f"in {subject}{deemed}",
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
    end = _end_in_all(self, context, "Due 15 days after the trial ends in the last member state.")
    if isinstance(end, Verdict):
        return [end]
    assert end.value is not None
    day = end.value
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


PAEDIATRIC_BASES = {
    "article46": "a paediatric trial sponsored by the marketing-authorisation holder (Paediatric Regulation "
    "1901/2006 Art 46)",
    "pip": "a paediatric trial in a paediatric investigation plan (Paediatric Regulation 1901/2006 "
    "Art 41(2))",
    "paediatric": "a paediatric trial (Paediatric Regulation 1901/2006 Art 41(2))",
}


def paediatric_basis(facts: TrialFacts) -> str | None:
    """Why a trial takes the paediatric window: ``article46`` (MAH-sponsored trial of an authorised product),
    ``pip`` (a paediatric trial in a PIP), ``paediatric`` (any other trial with participants under 18), or
    None. The Commission guidelines 2009/C 28/01 (section 2.2.2) and 2012/C 302/03 set 6 months for
    paediatric trials in scope of Art 41 (every paediatric trial with an EEA site or in a PIP), 12 when
    justified outside Art 46; EMA, "Trial results: modalities and timing of posting" v1.0."""
    if facts.eu_article46:
        return "article46"
    if facts.eu_paediatric and facts.eu_pip_number is not None:
        return "pip"
    if facts.eu_paediatric:
        return "paediatric"
    return None


def paediatric_in_scope(facts: TrialFacts) -> bool:
    return paediatric_basis(facts) is not None


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


def _results_window(context: Context, basis: str | None) -> tuple[int, str]:
    """Months to the results summary and the words saying why (with the organization setting used)."""
    config = context.config
    if basis is None:
        directive = context.facts.eu_framework == DIRECTIVE
        months = config.eu_directive_results_months if directive else config.eu_results_months
        return months, ""
    if basis != "article46" and context.facts.eu_late_results_justified:
        name = "eu_paediatric_justified_results_months"
        return getattr(
            config, name
        ), f" ({PAEDIATRIC_BASES[basis]}, delay justified{setting_note(config, name)})"
    name = "eu_paediatric_results_months"
    return getattr(config, name), f" ({PAEDIATRIC_BASES[basis]}{setting_note(config, name)})"


def _summary(
    self: Rule, context: Context, stage: SubmissionStage, what: str, *, directive: bool = False
) -> list[Verdict]:
    """Art 37(4): the summary of results and the lay summary share one due date. Under the Directive the
    results follow Commission guideline 2012/C 302/03 and count from the end of the trial everywhere."""
    facts = context.facts
    anchor_name = "end of the trial in all member states"
    if directive and facts.global_end.known:
        end: DateFact | Verdict = facts.global_end
        anchor_name = "global end of the trial"
    else:
        end = _end_in_all(
            self, context, f"The {what} is due 12 months after the end of the trial in all member states."
        )
    if isinstance(end, Verdict):
        return [end]
    assert end.value is not None
    day = end.value
    contradiction = out_of_order(
        self,
        facts.start,
        end,
        "study start date",
        anchor_name,
        "The end of the trial is before its start.",
    )
    if contradiction:
        return [contradiction]
    basis = paediatric_basis(facts)
    months, reason = _results_window(context, basis)
    due = add_months(day, months)
    why = (
        f"The trial ends ({anchor_name}) on {day.isoformat()}; the {what} is due {months} months "
        f"later{reason}."
    )
    inputs = [end]
    if not directive and facts.eu_late_results_justified:
        # Art 37(4) third subparagraph: scientific reasons in the protocol, which says when results come.
        planned = known_day(
            self,
            facts.eu_late_results_planned,
            "The protocol justifies later results; they are due when it says (Art 37(4)).",
            "planned submission date of the justified later results",
        )
        if isinstance(planned, Verdict):
            return [planned]
        due = planned
        inputs.append(facts.eu_late_results_planned)
        why = (
            "The protocol gives scientific reasons for later results and plans them for "
            f"{planned.isoformat()}: the summary is due then (Art 37(4) third subparagraph)."
        )
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
            why=why,
            due=due,
            met=earliest(context, filed),
            inputs=[*inputs, tracked],
            tracker=None if exempt else Tracker.EU_TRIALS_TRACKER,
            tracker_flag_date=None
            if exempt
            else eu_tracker_flag_date(tracked.value, context.config.eu_tracker_grace_days),
            findings=findings,
            paediatric=basis is not None,
            paediatric_basis=basis,
            tracker_exempt=exempt,
            tracker_completed=completed,
        )
    ]


@rule(
    code="eu.ctr.results",
    title="Submit the summary of results to CTIS",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(4) (third subparagraph: justified later results), Annex IV; "
    "Regulation (EC) 1901/2006 Art 41(2), Art 46; Commission guidelines 2009/C 28/01 (2.2.2), 2012/C 302/03",
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
    source="Regulation (EU) 536/2014 Art 37(4) (third subparagraph: justified later results), Annex V; "
    "Regulation (EC) 1901/2006 Art 41(2), Art 46",
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


def _halts(facts: TrialFacts) -> list[tuple[MemberStateFact, HaltFact, str]]:
    """Every recorded halt with its member state and the subject that names it."""
    return [
        (state, halt, f"{state.country or f'memberStates/{state.index}'}/halt{halt.index}")
        for state in facts.member_states
        for halt in state.halts
    ]


def _notice_filed(context: Context, kind: SubmissionKind, country: str, since: date) -> Met | None:
    filed = context.log.select(
        registries=EU_REGISTRIES,
        kinds=[kind],
        where=lambda s: s.submitted_on >= since and s.member_state in (None, country),
    )
    return earliest(context, filed)


@rule(
    code="eu.ctr.temporary_halt",
    title="Notify a temporary halt of the trial",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(5) (halt in all member states concerned), Art 38(1) (halt for "
    "subject safety)",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    scope=_member_states_concerned,
)
def temporary_halt(self: Rule, context: Context) -> list[Verdict]:
    """Each halt is notified within 15 days, with its reasons."""
    halts = _halts(context.facts)
    if not halts:
        return [self.not_applicable("No temporary halt is recorded.")]
    days = context.config.eu_halt_notice_days
    verdicts = []
    for state, halt, subject in halts:
        day = known_day(self, halt.halt, "A halt is notified within 15 days.", "halt date", subject=subject)
        if isinstance(day, Verdict):
            verdicts.append(day)
            continue
        met = (
            Met.from_record(halt.halt_notified)
            if halt.halt_notified.known
            else _notice_filed(context, SubmissionKind.TEMPORARY_HALT, state.country, day)
        )
        article = "Art 38(1), subject safety" if halt.safety else "Art 37(5)"
        verdicts.append(
            self.decide(
                context,
                why=f"The trial was halted in {state.country or 'a member state'} on {day.isoformat()} "
                f"({article}); notify within {days} days with the reasons.",
                due=add_days(day, days),
                met=met,
                inputs=[halt.halt],
                subject=subject,
            )
        )
    return verdicts


@rule(
    code="eu.ctr.restart",
    title="Notify the restart of a halted trial",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(6); Art 38(2) (restart after a safety halt is a substantial "
    "modification); period: organization setting (the Regulation sets none)",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    scope=_member_states_concerned,
)
def restart(self: Rule, context: Context) -> list[Verdict]:
    """Each restart is notified through the EU portal."""
    restarted = [
        (state, halt, subject) for state, halt, subject in _halts(context.facts) if halt.restart.known
    ]
    if not restarted:
        return [self.not_applicable("No restart of a halted trial is recorded.")]
    name = "eu_restart_notice_days"
    days = getattr(context.config, name)
    verdicts = []
    for state, halt, subject in restarted:
        assert halt.restart.value is not None
        day = halt.restart.value
        met = (
            Met.from_record(halt.restart_notified)
            if halt.restart_notified.known
            else _notice_filed(context, SubmissionKind.RESTART, state.country, day)
        )
        safety = (
            " After a safety halt the restart needs an authorised substantial modification first (Art 38(2))."
            if halt.safety
            else ""
        )
        verdicts.append(
            self.decide(
                context,
                why=f"The trial restarted in {state.country or 'a member state'} on {day.isoformat()}; "
                f"notify the restart within {days} days{setting_note(context.config, name)}.{safety}",
                due=add_days(day, days),
                met=met,
                inputs=[halt.restart],
                subject=subject,
            )
        )
    return verdicts


@rule(
    code="eu.ctr.clinical_study_report",
    title="Submit the clinical study report after the marketing-authorisation decision",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 37(4) fourth subparagraph",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    stage=Stage.RESULTS,
    scope=_member_states_concerned,
)
def clinical_study_report(self: Rule, context: Context) -> list[Verdict]:
    """Within 30 days after the authorisation is granted, the procedure completed or the application
    withdrawn, for a trial intended to support a marketing authorisation."""
    facts = context.facts
    if not facts.eu_ma_intended:
        return [
            self.not_applicable("The trial is not marked as intended to support a marketing authorisation.")
        ]
    decision = facts.eu_ma_decision
    if decision.value is None or decision.value > context.today:
        if decision.invalid:
            return [
                self.cannot_compute(
                    "The report is due 30 days after the marketing-authorisation decision.",
                    [(decision.pointer, "a readable marketing-authorisation decision date")],
                )
            ]
        return [
            self.not_applicable(
                "No marketing-authorisation decision or withdrawal yet; the clinical study report is due 30 "
                "days after it."
            )
        ]
    days = context.config.eu_clinical_study_report_days
    outcome = (facts.eu_ma_outcome or "decision").replace("_", " ").lower()
    filed = context.log.select(registries=[REGISTRY_CTIS], kinds=[SubmissionKind.CLINICAL_STUDY_REPORT])
    return [
        self.decide(
            context,
            why=f"Marketing authorisation ({outcome}) on {decision.value.isoformat()}; the clinical study "
            f"report is due within {days} days.",
            due=add_days(decision.value, days),
            met=earliest(context, filed),
            inputs=[decision],
        )
    ]


@rule(
    code="eu.directive.end_of_trial",
    title="Declare the end of the trial (Directive 2001/20/EC)",
    jurisdiction=Jurisdiction.EU,
    source="Directive 2001/20/EC Art 10(c); Commission guideline 2010/C 82/01 (CT-1) section 4.3",
    version="2004-05-01",
    registry=REGISTRY_EUDRACT,
    scope=_directive_member_states,
)
def directive_end_of_trial(self: Rule, context: Context) -> list[Verdict]:
    """Within 90 days of the end of the trial in each member state, 15 days if it ended early."""
    config = context.config
    verdicts = []
    for state in context.facts.member_states:
        subject = state.country or f"memberStates/{state.index}"
        day = known_day(
            self,
            state.end_of_trial,
            f"The end-of-trial declaration for {subject} is due 90 days after the trial ends there.",
            f"end-of-trial date in {subject}",
            subject=subject,
        )
        if isinstance(day, Verdict):
            verdicts.append(day)
            continue
        days = (
            config.eu_directive_early_end_days
            if state.early_termination
            else config.eu_directive_end_of_trial_days
        )
        early = " (ended early)" if state.early_termination else ""
        met = (
            Met.from_record(state.notified)
            if state.notified.known
            else earliest(
                context,
                _eu_filings(
                    context,
                    SubmissionStage.END_OF_TRIAL,
                    where=lambda s, country=state.country: s.member_state in (None, country),
                ),
            )
        )
        verdicts.append(
            self.decide(
                context,
                why=f"The trial ends in {subject} on {day.isoformat()}{early}; declare it within {days} "
                "days.",
                due=add_days(day, days),
                met=met,
                inputs=[state.end_of_trial],
                subject=subject,
            )
        )
    return verdicts


@rule(
    code="eu.directive.results",
    title="Post the results in EudraCT (Directive trial)",
    jurisdiction=Jurisdiction.EU,
    source="Commission guideline 2012/C 302/03 (Regulation (EC) 726/2004 Art 57(2); Regulation (EC) "
    "1901/2006 Art 41(2), Art 46); EMA, Trial results: modalities and timing of posting, v1.0",
    version="2014-07-21",
    registry=REGISTRY_EUDRACT,
    stage=Stage.RESULTS,
    scope=_directive_member_states,
)
def directive_results(self: Rule, context: Context) -> list[Verdict]:
    """12 months after the end of the trial (6 for paediatric trials, 12 when justified outside Art 46)."""
    return _summary(self, context, SubmissionStage.RESULTS, "summary of results", directive=True)


@rule(
    code="eu.directive.transition",
    title="Transition a Directive trial running after 30 January 2025 to the Regulation",
    jurisdiction=Jurisdiction.EU,
    source="Regulation (EU) 536/2014 Art 98(2); EMA, Paediatric clinical trials (updated 1 October 2025)",
    version="2022-01-31",
    registry=REGISTRY_CTIS,
    scope=_directive_member_states,
)
def directive_transition(self: Rule, context: Context) -> list[Verdict]:
    """A trial authorised under the Directive could stay under it until 30 January 2025; one still running
    after that without transition to CTIS has no legal basis."""
    facts = context.facts
    ends = [m.end_of_trial for m in facts.member_states]
    undated = [
        (m, e)
        for m, e in zip(facts.member_states, ends, strict=True)
        if e.value is None and m.status in EU_ENDED_STATUSES
    ]
    if undated:
        # Marked ended but undated: it may have ended under the Directive, so no finding without the date.
        state, end = undated[0]
        return [
            self.cannot_compute(
                f"Whether the trial ran under the Directive after {DIRECTIVE_LAST_DAY.isoformat()} depends "
                "on when it ended.",
                [(end.pointer, f"end-of-trial date in {state.country or 'a member state'}")],
            )
        ]
    if all(e.value is not None and e.value <= DIRECTIVE_LAST_DAY for e in ends):
        return [
            self.not_applicable(
                f"The trial ended in every member state by {DIRECTIVE_LAST_DAY.isoformat()}, under the "
                "Directive."
            )
        ]
    running = [
        m.country or f"memberStates/{m.index}"
        for m, e in zip(facts.member_states, ends, strict=True)
        if e.value is None or e.value > DIRECTIVE_LAST_DAY
    ]
    findings = []
    if context.today > DIRECTIVE_LAST_DAY:
        findings.append(
            self.finding(
                Severity.ERROR,
                "deadline.directive_trial_not_transitioned",
                "/euSection/regulatoryFramework",
                f"The trial runs under Directive 2001/20/EC after {DIRECTIVE_LAST_DAY.isoformat()} in "
                f"{', '.join(running)} without transition to Regulation (EU) 536/2014 (Art 98(2)).",
            )
        )
    return [
        self.decide(
            context,
            why=f"A Directive trial still running after {DIRECTIVE_LAST_DAY.isoformat()} (in "
            f"{', '.join(running)}) had to be transitioned to the Regulation by then.",
            due=DIRECTIVE_LAST_DAY,
            met=None,
            findings=findings,
            running_in=running,
        )
    ]


RULES: tuple[Rule, ...] = (
    end_of_trial_member_state,
    end_of_trial_all,
    end_of_trial_global,
    results,
    lay_summary,
    intermediate_analysis,
    temporary_halt,
    restart,
    clinical_study_report,
    directive_end_of_trial,
    directive_results,
    directive_transition,
)
