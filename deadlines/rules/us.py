"""US: FDAAA 801 and 42 CFR Part 11 (ClinicalTrials.gov), judged as the FDAAA TrialsTracker judges.

Applicability follows the FDAAA TrialsTracker (ebmdatalab/clinicaltrials-act-tracker, view.sql), so our
"is this an applicable clinical trial" answer is the one the public sees.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from deadlines import tracker
from deadlines.dates import add_days, add_months, add_years
from deadlines.enums import (
    ACT_PHASES,
    DEVICE_FEASIBILITY,
    FINAL_RULE_EFFECTIVE,
    INTERVENTIONAL,
    PACT_INTERVENTION_TYPES,
    REGISTRY_CTGOV,
    WITHDRAWN,
    ActCategory,
    DeadlineStatus,
    Jurisdiction,
    RecordChange,
    SubmissionKind,
    SubmissionStage,
    Tracker,
)
from deadlines.facts import DateFact, TrialFacts
from deadlines.rules.common import known_day, missing, out_of_order
from deadlines.submissions import Submission
from deadlines.verdict import Context, Met, Rule, Verdict, earliest, rule
from registries.enums import Severity, Stage
from registries.findings import Finding

ACT = ActCategory.ACT.value
PACT = ActCategory.PACT.value
# Filing kinds that are not results: a certification or an extension request defers them.
_NOT_RESULTS = frozenset({SubmissionKind.CERTIFICATION, SubmissionKind.EXTENSION_REQUEST})


@dataclass(frozen=True, slots=True)
class ActDetermination:
    """Whether the FDAAA TrialsTracker counts the trial as an ACT or a probable ACT, and why."""

    category: str | None  # ACT, pACT or None
    why: str
    missing: tuple[tuple[str, str], ...] = ()

    @property
    def applies(self) -> bool:
        return self.category is not None


def completion_used(facts: TrialFacts) -> DateFact:
    """The tracker's completion date: the primary completion date, else the study completion date."""
    return facts.primary_completion if facts.primary_completion.known else facts.completion


def determine_act(facts: TrialFacts) -> ActDetermination:
    """ACT / pACT as the FDAAA TrialsTracker computes them (REFERENCE-rules.md; view.sql)."""
    if facts.study_type != INTERVENTIONAL:
        return ActDetermination(
            None, f"the study type is {facts.study_type or 'not stated'}, not interventional"
        )
    if facts.overall_status == WITHDRAWN:
        return ActDetermination(None, "the trial was withdrawn before enrolling anyone")
    if facts.phases not in ACT_PHASES:
        shown = "/".join(facts.phases) or "not stated"
        return ActDetermination(
            None, f"phase {shown} is outside phases 1/2, 2, 2/3, 3, 4 and N/A (phase 1 trials are exempt)"
        )
    if facts.primary_purpose == DEVICE_FEASIBILITY:
        return ActDetermination(None, "it is a device feasibility study")
    if not facts.start.known:
        return ActDetermination(
            None,
            "the start date is needed to tell an ACT from a probable ACT",
            (missing(facts.start, "study start date"),),
        )
    assert facts.start.value is not None
    fda_flagged = facts.fda_drug is True or facts.fda_device is True
    if facts.start.value >= FINAL_RULE_EFFECTIVE:
        if fda_flagged:
            return ActDetermination(
                ACT,
                "an interventional trial of an FDA-regulated product in a covered phase, started on or "
                f"after {FINAL_RULE_EFFECTIVE.isoformat()}",
            )
        return ActDetermination(None, "the record does not mark the drug or device as FDA-regulated")
    completion = completion_used(facts)
    if not completion.known:
        return ActDetermination(
            None,
            "the trial started before 2017-01-18; the completion date decides whether it is a probable ACT",
            (missing(facts.primary_completion, "primary completion date"),),
        )
    assert completion.value is not None
    if completion.value < FINAL_RULE_EFFECTIVE:
        return ActDetermination(None, f"it started and completed before {FINAL_RULE_EFFECTIVE.isoformat()}")
    if fda_flagged:
        # view.sql, the probable-ACT branch "with the new fields": a drug or device the record marks
        # FDA-regulated makes an earlier trial still running on 2017-01-18 a probable ACT, with or without
        # a US site and whatever its intervention types.
        return ActDetermination(
            PACT,
            "started before and completing on or after 2017-01-18, of a product the record marks "
            "FDA-regulated: a probable ACT",
        )
    if facts.fda_drug is not None or facts.fda_device is not None:
        return ActDetermination(None, "the record marks neither the drug nor the device as FDA-regulated")
    if not facts.intervention_types & PACT_INTERVENTION_TYPES:
        return ActDetermination(
            None, "no drug, biological, device, genetic, radiation, combination or diagnostic intervention"
        )
    if not facts.has_us_site:
        return ActDetermination(None, "it started before 2017-01-18 and has no US or US-territory site")
    if tracker.snapshot_excludes(facts.nct_id):
        # view.sql joins the archived January 2017 is_fda_regulated value; only "false" excludes.
        return ActDetermination(
            None,
            "ClinicalTrials.gov's January 2017 record marked it not FDA-regulated (the FDAAA "
            "TrialsTracker's snapshot), and the record states no drug or device flag since",
        )
    return ActDetermination(
        PACT,
        "started before and completing on or after 2017-01-18 with a US site and a regulated "
        "intervention type, not marked unregulated in January 2017: a probable ACT",
    )


def _applicable_clinical_trial(rule_: Rule, facts: TrialFacts) -> Verdict | None:
    """FDAAA duties bind applicable clinical trials (ACT or probable ACT, as the tracker sees them)."""
    act = determine_act(facts)
    if act.missing:
        return rule_.cannot_compute(
            f"Cannot tell whether this is an applicable clinical trial: {act.why}.", act.missing
        )
    if not act.applies:
        return rule_.not_applicable(f"Not an applicable clinical trial: {act.why}.")
    return None


def _ctgov(context: Context, **criteria: Any) -> list[Submission]:
    return context.log.select(registries=[REGISTRY_CTGOV], **criteria)


def _results_filings(context: Context, *, include_cancelled: bool = False) -> list[Submission]:
    return _ctgov(
        context,
        stages=[SubmissionStage.RESULTS],
        include_cancelled=include_cancelled,
        where=lambda s: s.kind not in _NOT_RESULTS,
    )


def _certification(context: Context) -> DateFact | Submission | None:
    """The delayed-results certification (or extension request): the record's, else the date
    ClinicalTrials.gov shows (dispFirstSubmitDate, the tracker's certificate date), else the first filed."""
    facts = context.facts
    for fact in (facts.certification, facts.extension_requested, facts.disposition_first_submit):
        if fact.value is not None and fact.value <= context.today:
            return fact
    filed = _ctgov(context, kinds=sorted(_NOT_RESULTS))
    return filed[0] if filed else None


def _on_or_after(fact: DateFact, day: date) -> list[DateFact]:
    return [fact] if fact.value is not None and fact.value >= day else []


def _day_of(item: DateFact | Submission) -> date:
    if isinstance(item, Submission):
        return item.submitted_on
    assert item.value is not None
    return item.value


@rule(
    code="us.fdaaa.registration",
    title="Register on ClinicalTrials.gov",
    jurisdiction=Jurisdiction.US,
    source="42 U.S.C. 282(j)(2)(C); 42 CFR 11.22(b), 11.24(a); NLM KA-04636",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
    stage=Stage.REGISTRATION,
    scope=_applicable_clinical_trial,
)
def registration(self: Rule, context: Context) -> list[Verdict]:
    """Register within 21 days after the first participant is enrolled (consent signed); a foreign
    trial that becomes an ACT only by adding a US site counts from the first US enrolment (NLM KA-04636),
    but one under an IND or IDE, or of a US-exported product, is an ACT from its first participant
    anywhere (42 CFR 11.22(b))."""
    facts = context.facts
    first, anchor_name = _registration_anchor(facts)
    day = known_day(
        self,
        first,
        "Registration is due 21 days after the first enrolment.",
        "first enrolment (or start) date",
    )
    if isinstance(day, Verdict):
        return [day]
    filed = _ctgov(context, stages=[SubmissionStage.REGISTRATION])
    return [
        self.decide(
            context,
            why="An applicable clinical trial must be registered within "
            f"{context.config.us_registration_days} days after the {anchor_name} ({day.isoformat()}).",
            due=add_days(day, context.config.us_registration_days),
            met=earliest(context, filed, facts.study_first_submit),
            inputs=[first],
            act=determine_act(facts).category,
        )
    ]


def _registration_anchor(facts: TrialFacts) -> tuple[DateFact, str]:
    """The enrolment 42 CFR 11.24(a) counts from, and its name in the verdict."""
    if facts.under_ind_or_ide or facts.us_export:
        why = "an IND or IDE" if facts.under_ind_or_ide else "a product exported from the US"
        return (
            facts.first_enrolment,
            f"first participant enrolled anywhere (the trial is under {why}, so an applicable clinical "
            "trial from its start: 42 CFR 11.22(b))",
        )
    first = facts.first_enrolment
    us_first = facts.first_us_enrolment.value
    if us_first is not None and (first.value is None or us_first > first.value):
        return facts.first_us_enrolment, "first participant enrolled at a US site"
    return first, "first participant enrolled"


# The legal status as the tracker names it, to tell where the two views part.
_AS_TRACKER_STATUS: dict[DeadlineStatus, str] = {
    DeadlineStatus.UPCOMING: tracker.ONGOING,
    DeadlineStatus.DUE_SOON: tracker.ONGOING,
    DeadlineStatus.OVERDUE: tracker.OVERDUE,
    DeadlineStatus.MET: tracker.REPORTED,
    DeadlineStatus.MET_LATE: tracker.REPORTED_LATE,
}


def _tracker_inputs(context: Context) -> tuple[date | None, list[tracker.QaEvent]]:
    """(the day results were first submitted, if ClinicalTrials.gov posted them; the submissions still in
    its quality-control review), as the tracker reads them (results_first_submitted; TrialQA rows)."""
    facts = context.facts
    filings = _results_filings(context, include_cancelled=True)
    if facts.results_first_submit.value is not None:
        return facts.results_first_submit.value, []
    if any(s.accepted_on is not None and not s.cancelled for s in filings):
        return filings[0].submitted_on, []
    return None, [tracker.QaEvent(s.submitted_on, s.cancelled) for s in filings]


def _tracker_difference(
    verdict: Verdict, view: tracker.TrackerView, has_certificate: bool, legal_certification: bool
) -> str | None:
    """Why the legal verdict under 42 CFR 11 and the tracker's view part, or None when they agree."""
    legal = _AS_TRACKER_STATUS.get(verdict.status)
    shown = tracker.OVERDUE if view.status == tracker.OVERDUE_CANCELLED else view.status
    if verdict.due_date == view.due_date and legal == shown:
        return None
    if has_certificate and not legal_certification:
        return (
            "the tracker defers results to 3 years after completion for any certificate or extension "
            "request on record; 42 CFR 11.44(b)-(c) defers them only for a certification filed before the "
            "results were due, and 11.44(e) only by an extension granted"
        )
    if has_certificate and verdict.due_date != view.due_date:
        return (
            "the tracker counts a certified trial due 3 years after completion; 42 CFR 11.44(b)-(c) makes "
            "results due 30 days after approval and at the latest 2 years after the certification"
        )
    if legal == tracker.OVERDUE and shown == tracker.ONGOING:
        return (
            "the tracker flags a trial only once its 30-day grace after the due date has passed "
            "(trial_computer.py); 42 CFR 11.44(a) has no grace"
        )
    if verdict.due_date != view.due_date:
        return (
            "the tracker counts 365 days from completion; 42 CFR 11.44(a) counts 1 year, which differs "
            "across a 29 February"
        )
    legal_due = verdict.due_date.isoformat() if verdict.due_date else "unknown"
    return (
        f"the tracker shows {view.status} (due {view.due_date.isoformat()}); under 42 CFR 11.44 the "
        f"results are {verdict.status.value.replace('_', ' ')} (due {legal_due})"
    )


@rule(
    code="us.fdaaa.results",
    title="Report results on ClinicalTrials.gov",
    jurisdiction=Jurisdiction.US,
    source="42 U.S.C. 282(j)(3)(E); 42 CFR 11.44(a), (b) (new use), (c) (initial approval), (e) (extension)",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
    stage=Stage.RESULTS,
    scope=_applicable_clinical_trial,
)
def results(self: Rule, context: Context) -> list[Verdict]:
    """Results 1 year after the primary completion date (an anticipated date counts); a certification
    filed in time (11.44(b) new use, 11.44(c) initial approval) moves the deadline to the earlier of
    approval + 30 days and certification + 2 years; a granted good-cause extension moves it to the date
    granted (11.44(e)); a request still pending moves nothing."""
    facts = context.facts
    completion = completion_used(facts)
    completed_on = known_day(
        self,
        completion,
        "Results are due 1 year after the primary completion date.",
        "primary completion date",
        reported=facts.primary_completion,
    )
    if isinstance(completed_on, Verdict):
        return [completed_on]
    contradiction = out_of_order(
        self,
        facts.start,
        completion,
        "study start date",
        "primary completion date",
        "The completion date is before the start date.",
    )
    if contradiction:
        return [contradiction]
    findings = []
    if not facts.primary_completion.known:
        findings.append(
            self.finding(
                Severity.WARNING,
                "deadline.fallback_date",
                facts.primary_completion.pointer,
                "No primary completion date: the study completion date is used, "
                "as the FDAAA TrialsTracker does.",
            )
        )
    standard_due = add_years(completed_on, 1)
    due = standard_due
    why = f"Results are due 1 year after the primary completion date ({completed_on.isoformat()})."
    # The tracker's certificate (dispFirstSubmitDate covers certifications and extension requests alike).
    certification = _certification(context)
    due, why, legal_findings, legal_inputs = legal_results_due(self, context, standard_due, why)
    findings += legal_findings
    met = earliest(context, _results_filings(context), facts.results_first_submit)
    has_certificate = certification is not None
    reported_on, in_review = _tracker_inputs(context)
    view = tracker.view(
        completed_on,
        has_certificate,
        reported_on,
        in_review,
        context.today,
        context.config.fdaaa_tracker_grace_days,
    )
    details: dict[str, Any] = {
        "act": determine_act(facts).category,
        "standard_due_date": standard_due.isoformat(),
        "tracker_results_due": view.results_due,
        "tracker_due_date": view.due_date.isoformat(),
        "tracker_status": view.status,
        "tracker_days_late": view.days_late,
    }
    verdict = self.decide(
        context,
        why=why,
        due=due,
        met=met,
        inputs=[completion, *legal_inputs],
        tracker=Tracker.FDAAA_TRIALSTRACKER,
        tracker_flag_date=view.flag_date,
        findings=findings,
        **details,
    )
    difference = _tracker_difference(
        verdict, view, has_certificate, _legal_certification(context) is not None
    )
    parted: dict[str, Any] = {"differs_from_tracker": difference is not None}
    if difference is not None:
        parted["tracker_difference"] = difference
    return [replace(verdict, details={**verdict.details, **parted})]


def _legal_certification(context: Context) -> DateFact | Submission | None:
    """A delayed-results certification under 42 CFR 11.44(b) or (c), as the law reads it: the record's
    certification date, ClinicalTrials.gov's dispFirstSubmitDate unless the record shows that was an
    extension request, or the first certification filing. An extension request is not a certification."""
    facts = context.facts
    candidates = [facts.certification]
    is_extension = facts.certification_type == "EXTENSION_REQUEST" or (
        facts.certification_type is None and facts.extension_requested.known
    )
    if not is_extension:
        candidates.append(facts.disposition_first_submit)
    for fact in candidates:
        if fact.value is not None and fact.value <= context.today:
            return fact
    filed = _ctgov(context, kinds=[SubmissionKind.CERTIFICATION])
    return filed[0] if filed else None


def _extension_request(context: Context) -> DateFact | Submission | None:
    fact = context.facts.extension_requested
    if fact.value is not None and fact.value <= context.today:
        return fact
    filed = _ctgov(context, kinds=[SubmissionKind.EXTENSION_REQUEST])
    return filed[0] if filed else None


def _certification_paragraph(certification_type: str | None) -> str:
    """42 CFR 11.44(b) is the new-use certification, 11.44(c) the initial-approval one (NLM KA-04732)."""
    return {"NEW_USE": "42 CFR 11.44(b)", "INITIAL_APPROVAL": "42 CFR 11.44(c)"}.get(
        certification_type or "", "42 CFR 11.44(b)-(c)"
    )


def legal_results_due(
    rule_: Rule, context: Context, standard_due: date, why: str
) -> tuple[date, str, list[Finding], list[DateFact]]:
    """The results due date the law sets: the standard one, moved by a certification filed in time
    (11.44(b)-(c)) and replaced by a granted extension (11.44(e)). Returns the day, the sentence saying
    why, findings and the record dates used."""
    facts = context.facts
    config = context.config
    due = standard_due
    findings: list[Finding] = []
    inputs: list[DateFact] = []
    certification = _legal_certification(context)
    if certification is not None:
        if isinstance(certification, DateFact):
            inputs.append(certification)
        certified_on = _day_of(certification)
        paragraph = _certification_paragraph(facts.certification_type)
        if certified_on <= standard_due:
            due = add_years(certified_on, config.us_certified_max_years)
            why = (
                f"A delayed-results certification filed on {certified_on.isoformat()} defers results to 2 "
                f"years after it ({paragraph})."
            )
            if facts.approval_event.value is not None:
                approval_due = add_days(facts.approval_event.value, config.us_certified_approval_days)
                if approval_due < due:
                    due = approval_due
                    inputs.append(facts.approval_event)
                    why = (
                        "A delayed-results certification was filed; results are due 30 days after the "
                        f"approval event of {facts.approval_event.value.isoformat()} ({paragraph})."
                    )
        else:
            findings.append(_late_certification(rule_, certification, certified_on, standard_due))
    request = _extension_request(context)
    granted_until = facts.extension_until
    if granted_until.value is not None and (
        facts.extension_granted.value is None or facts.extension_granted.value <= context.today
    ):
        due = granted_until.value
        inputs.append(granted_until)
        granted = facts.extension_granted.value
        when = f" on {granted.isoformat()}" if granted else ""
        why = f"A good-cause extension was granted{when} until {due.isoformat()} (42 CFR 11.44(e))."
    elif request is not None:
        requested_on = _day_of(request)
        findings.append(
            rule_.finding(
                Severity.NOTE,
                "deadline.extension_pending",
                request.pointer
                if isinstance(request, DateFact)
                else "/resultsSection/delayedResultsModule/extensionRequestDate",
                f"A good-cause extension was requested on {requested_on.isoformat()}; until it is granted "
                f"the results deadline stays {due.isoformat()} (42 CFR 11.44(e)).",
            )
        )
        if requested_on > standard_due:
            findings.append(
                rule_.finding(
                    Severity.WARNING,
                    "deadline.late_extension_request",
                    "/resultsSection/delayedResultsModule/extensionRequestDate",
                    f"The extension was requested on {requested_on.isoformat()}, after the results deadline "
                    f"of {standard_due.isoformat()}; 42 CFR 11.44(e) requires the request before it.",
                )
            )
    return due, why, findings, inputs


def _late_certification(rule_: Rule, certification: DateFact | Submission, on: date, due: date) -> Finding:
    where = (
        certification.pointer
        if isinstance(certification, DateFact)
        else "/resultsSection/delayedResultsModule/certificationDate"
    )
    return rule_.finding(
        Severity.ERROR,
        "deadline.late_certification",
        where,
        f"The delayed-results certification was filed on {on.isoformat()}, after the results deadline of "
        f"{due.isoformat()}: it does not defer the deadline (42 CFR 11.44(b)-(c)); the FDAAA TrialsTracker "
        "flags it as a late certificate.",
    )


@rule(
    code="us.fdaaa.certification",
    title="File a delayed-results certification before the results deadline",
    jurisdiction=Jurisdiction.US,
    source="42 CFR 11.44(b), (c), (e)",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
    stage=Stage.RESULTS,
    scope=_applicable_clinical_trial,
)
def certification(self: Rule, context: Context) -> list[Verdict]:
    """A certification (or extension request) is valid only if filed before the standard deadline."""
    facts = context.facts
    filed = _certification(context)
    if filed is None:
        return [self.not_applicable("No delayed-results certification or extension request is filed.")]
    completion = completion_used(facts)
    completed_on = known_day(
        self,
        completion,
        "A certification must be filed before results are due.",
        "primary completion date",
        reported=facts.primary_completion,
    )
    if isinstance(completed_on, Verdict):
        return [completed_on]
    due = add_years(completed_on, 1)
    on = _day_of(filed)
    met = Met.from_submission(filed) if isinstance(filed, Submission) else Met.from_record(filed)
    findings = [_late_certification(self, filed, on, due)] if on > due else []
    return [
        self.decide(
            context,
            why=f"A certification defers results only if filed by the standard deadline ({due.isoformat()}).",
            due=due,
            met=met,
            inputs=[completion, *([filed] if isinstance(filed, DateFact) else [])],
            findings=findings,
            certification_type=facts.certification_type,
        )
    ]


@rule(
    code="us.fdaaa.secondary_results",
    title="Report outcomes completed after the primary completion date",
    jurisdiction=Jurisdiction.US,
    source="42 CFR 11.44(d)",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
    stage=Stage.RESULTS,
    scope=_applicable_clinical_trial,
)
def secondary_results(self: Rule, context: Context) -> list[Verdict]:
    """An outcome whose data collection finishes after the primary completion date is due 1 year after
    its own completion."""
    facts = context.facts
    pcd = known_day(
        self,
        facts.primary_completion,
        "Later outcomes are those completed after the primary completion date.",
        "primary completion date",
    )
    if isinstance(pcd, Verdict):
        return [pcd]
    later = [o for o in facts.outcomes if o.completion.value is not None and o.completion.value > pcd]
    if not later:
        return [self.not_applicable("No outcome finishes data collection after the primary completion date.")]
    verdicts = []
    for outcome in later:
        assert outcome.completion.value is not None
        done = outcome.completion.value
        after = [s for s in _results_filings(context) if s.submitted_on >= done]
        met = earliest(context, after, *_on_or_after(facts.results_first_submit, done))
        verdicts.append(
            self.decide(
                context,
                why=f"Outcome {outcome.measure!r} completes on {done.isoformat()}, "
                "after the primary completion date; its results are due 1 year later.",
                due=add_years(done, 1),
                met=met,
                inputs=[outcome.completion],
                subject=f"/protocolSection/outcomesModule/{outcome.group}/{outcome.index}",
            )
        )
    return verdicts


@rule(
    code="us.fdaaa.adverse_events",
    title="Report adverse events collected after the primary completion date",
    jurisdiction=Jurisdiction.US,
    source="42 CFR 11.44(d); 11.48(a)(4)",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
    stage=Stage.RESULTS,
    scope=_applicable_clinical_trial,
)
def adverse_events(self: Rule, context: Context) -> list[Verdict]:
    """Adverse-event data collected after the primary completion date are due 1 year after the last
    collection; the study completion date stands for that day (verify)."""
    facts = context.facts
    pcd, completion = facts.primary_completion, facts.completion
    done = known_day(
        self,
        completion,
        "Adverse events are complete at the study completion date.",
        "study completion date",
    )
    if isinstance(done, Verdict):
        return [done]
    contradiction = out_of_order(
        self,
        pcd,
        completion,
        "primary completion date",
        "study completion date",
        "The study completion date is before the primary completion date.",
    )
    if contradiction:
        return [contradiction]
    if done == pcd.value:
        return [
            self.not_applicable(
                "Adverse events are complete at the primary completion date and are "
                "reported with the results."
            )
        ]
    after = [s for s in _results_filings(context) if s.submitted_on >= done]
    met = earliest(context, after, *_on_or_after(facts.results_first_submit, done))
    return [
        self.decide(
            context,
            why=f"Adverse-event collection ends with the study on {done.isoformat()}; "
            "those data are due 1 year later.",
            due=add_years(done, 1),
            met=met,
            inputs=[completion],
        )
    ]


@rule(
    code="us.fdaaa.verification",
    title="Verify the ClinicalTrials.gov record every 12 months",
    jurisdiction=Jurisdiction.US,
    source="42 CFR 11.64(a)(1)(i)",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
    stage=Stage.REGISTRATION,
    scope=_applicable_clinical_trial,
)
def verification(self: Rule, context: Context) -> list[Verdict]:
    """Recurring: 12 months after the last verification (the record's verification date or the last
    filing to ClinicalTrials.gov, which updates it), until all required results are submitted."""
    facts = context.facts
    complete = results_complete_on(context)
    if complete is not None:
        return [
            self.not_applicable(
                f"All required results were submitted on {complete.isoformat()} (after the last data "
                "collection): the 12-month update duty ends then (42 CFR 11.64(a)(1)(i)).",
                results_complete_on=complete.isoformat(),
            )
        ]
    known = [
        f.value
        for f in (facts.status_verified, facts.last_update_submit)
        if f.value is not None and f.value <= context.today
    ]
    known += [s.submitted_on for s in _ctgov(context)]
    last = max(known, default=None)
    if last is None:
        return [
            self.cannot_compute(
                "The record must be verified 12 months after its last verification.",
                [missing(facts.status_verified, "record verification date")],
            )
        ]
    due = add_months(last, context.config.us_verification_months)
    return [
        self.decide(
            context,
            why=f"Last verified on {last.isoformat()}; the record must be verified again within 12 months.",
            due=due,
            met=None,
            inputs=[facts.status_verified] if facts.status_verified.value == last else [],
        )
    ]


def results_complete_on(context: Context) -> date | None:
    """The day results covering every outcome and the adverse events were submitted: the first results
    filing (or resultsFirstSubmitDate) on or after the last data collection (the study completion date and
    every outcome's completion). None while that is not known to have happened."""
    facts = context.facts
    if not facts.completion.known or facts.completion.anticipated:
        return None
    collected = [facts.completion.value, facts.primary_completion.value]
    collected += [o.completion.value for o in facts.outcomes]
    last = max(day for day in collected if day is not None)
    after = [s for s in _results_filings(context) if s.submitted_on >= last]
    met = earliest(context, after, *_on_or_after(facts.results_first_submit, last))
    return met.on if met else None


def _derived_changes(facts: TrialFacts) -> list[tuple[RecordChange, DateFact]]:
    """Changes the record itself shows: reaching an actual primary or study completion date."""
    found = []
    for element, fact in (
        (RecordChange.PRIMARY_COMPLETION_DATE, facts.primary_completion),
        (RecordChange.COMPLETION_DATE, facts.completion),
    ):
        if fact.known and not fact.anticipated:
            found.append((element, fact))
    return found


@rule(
    code="us.fdaaa.update",
    title="Update ClinicalTrials.gov after a change",
    jurisdiction=Jurisdiction.US,
    source="42 CFR 11.64(a)(1)(ii)",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
    stage=Stage.REGISTRATION,
    scope=_applicable_clinical_trial,
)
def updates(self: Rule, context: Context) -> list[Verdict]:
    """Within 30 days of each listed change (15 days for an unapproved device's approval status)."""
    facts = context.facts
    events: list[tuple[RecordChange, date, DateFact | None]] = [
        (c.element, c.changed_on, None) for c in context.log.changes
    ]
    stated = {element for element, _, _ in events}
    for element, fact in _derived_changes(facts):
        if element not in stated and fact.value is not None:
            events.append((element, fact.value, fact))
    if not events:
        return [self.not_applicable("No change that needs an update is recorded.")]
    verdicts = []
    for element, changed_on, source in sorted(events, key=lambda e: (e[1], e[0].value)):
        days = (
            context.config.us_device_status_update_days
            if element is RecordChange.DEVICE_APPROVAL_STATUS
            else context.config.us_update_days
        )
        after = [s for s in _ctgov(context) if s.submitted_on >= changed_on]
        # lastUpdateSubmitDate shows an update by that day at the latest (an earlier one is not visible).
        met = earliest(context, after, *_on_or_after(facts.last_update_submit, changed_on))
        uncertain = []
        if met is not None and met.by.get("source") == "record" and met.on > add_days(changed_on, days):
            uncertain.append(
                self.finding(
                    Severity.NOTE,
                    "deadline.update_date_uncertain",
                    facts.last_update_submit.pointer,
                    "Only the last update date is known; an earlier update may have met this deadline, so "
                    "the days late are an upper bound. File the submissions list for an exact verdict.",
                )
            )
        verdicts.append(
            self.decide(
                context,
                why=f"The {element.value.replace('_', ' ')} changed on {changed_on.isoformat()}; "
                f"ClinicalTrials.gov must be updated within {days} days.",
                due=add_days(changed_on, days),
                met=met,
                inputs=[source] if source else [],
                subject=f"{element.value}@{changed_on.isoformat()}",
                findings=uncertain,
            )
        )
    return verdicts


@rule(
    code="us.prs.correction",
    title="Correct a ClinicalTrials.gov submission after PRS review comments",
    jurisdiction=Jurisdiction.US,
    source="42 CFR 11.64(b) (15 days registration / 25 days results: verify)",
    version="2017-01-18",
    registry=REGISTRY_CTGOV,
)
def prs_correction(self: Rule, context: Context) -> list[Verdict]:
    """After PRS returns review comments, resubmit within the correction window."""
    returned = [s for s in _ctgov(context) if s.returned_on is not None]
    if not returned:
        return [self.not_applicable("No ClinicalTrials.gov submission has been returned with comments.")]
    verdicts = []
    for filing in returned:
        assert filing.returned_on is not None
        results_stage = filing.stage is SubmissionStage.RESULTS
        days = (
            context.config.prs_correction_days_results
            if results_stage
            else context.config.prs_correction_days_registration
        )
        after = [
            s
            for s in _ctgov(context, stages=[filing.stage])
            if s.submitted_on >= filing.returned_on and s is not filing
        ]
        verdicts.append(
            self.decide(
                context,
                why=f"PRS returned the {filing.stage.value} submission of {filing.submitted_on.isoformat()} "
                f"with comments on {filing.returned_on.isoformat()}; corrections are due within {days} days.",
                due=add_days(filing.returned_on, days),
                met=Met.from_submission(after[0]) if after else None,
                subject=f"{filing.filing_id or filing.stage.value}@{filing.returned_on.isoformat()}",
            )
        )
    return verdicts


RULES: tuple[Rule, ...] = (
    registration,
    results,
    certification,
    secondary_results,
    adverse_events,
    verification,
    updates,
    prs_correction,
)
