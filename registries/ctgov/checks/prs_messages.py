"""Layer 3: the PRS record validation messages and the NLM Major Comment categories a machine can check.

Each check is one function named for the message, with a stable code, its severity and its source.
Sources (see ../shared/REFERENCE-registries.md, ClinicalTrials.gov, "PRS checks an automated validator
can mirror"):

- [PRS-2018-06] PRS release notes, June 2018 (phusedisclosure.xogene.com/2018/06/27/...): new results
  validation messages for outcome titles, units of measure, time frames, dispersion, zero counts.
- [PRS-2018-09] PRS release notes, September 2018 (phusedisclosure.xogene.com/2018/09/19/...): some
  messages are an ERROR for a primary completion date on or after 2017-01-18 (the Final Rule effective
  date) and a WARNING before; the SAP upload and the "no SAP" declaration.
- [NLM-MAJOR] NLM results QC Major Comments (prsinfo.clinicaltrials.gov/MajorComments.html).
- [DED] PRS data element definitions (required elements, date types).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from registries.ctgov.checks._support import (
    PROTOCOL,
    RESULTS,
    SOURCE_PRS_REGISTRATION,
    SOURCE_PRS_RESULTS,
    count,
    finding,
    items,
    module,
    obj,
    text,
)
from registries.ctgov.checks.dates import (
    earliest_day,
    final_rule_severity,
    latest_day,
    ongoing_under_fdaaa,
    subject_to_final_rule,
)
from registries.ctgov.checks.picklists import CONTINUOUS_PARAMS, outcome_dispersion_code
from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.rules import has_results

Path = tuple[str | int, ...]
Check = Callable[[dict[str, Any], Stage], Iterator[Finding]]

SOURCE_NLM_MAJOR = "NLM Major Comments"

_OUTCOME_KINDS = ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes")
_OUTCOMES_PATH = (PROTOCOL, "outcomesModule")
_MEASURES_PATH = (RESULTS, "outcomeMeasuresModule", "outcomeMeasures")
_BASELINE_PATH = (RESULTS, "baselineCharacteristicsModule")
_AE_PATH = (RESULTS, "adverseEventsModule")
_STATUS_PATH = (PROTOCOL, "statusModule")

# [PRS-2018-06] names these titles as not specific enough: "Safety", "Tolerability", "Efficacy",
# "Feasibility", "Satisfaction", alone or only combined with each other.
_NONSPECIFIC_WORD = r"(?:safety|tolerability|efficacy|feasibility|satisfaction)"
_NONSPECIFIC_TITLE = re.compile(
    rf"^{_NONSPECIFIC_WORD}(?:\s*(?:,|/|&|\+|and)\s*{_NONSPECIFIC_WORD})*[.\s]*$", re.I
)
_NUMBER_OF_PARTICIPANTS = re.compile(r"^\s*(?:number|count) of participants\b", re.I)
_PERCENTAGE_OF = re.compile(r"^\s*(?:percentage|percent) of\b", re.I)
_NUMERALS_ONLY = re.compile(r"^[\d\s.,]+$")
_PLACEHOLDER_UNITS = frozenset(
    {"na", "n/a", "n.a.", "not applicable", "none", "null", "nil", "unknown", "tbd", "-", "--", ".", "x"}
)
_RESULTS_IN_TEXT = re.compile(
    r"\bp\s*(?:<=|>=|=|<|>|≤|≥)\s*0?\.\d|\bstatistically significant"
    r"|\bsignificantly (?:higher|lower|better|worse|improved|reduced|increased|decreased|different)",
    re.I,
)
_PAYMENT = re.compile(
    r"\$\s?\d|€\s?\d|£\s?\d|\b(?:compensated|compensation|reimbursed|reimbursement|stipends?|gift cards?"
    r"|paid|payments?)\b",
    re.I,
)


# --- Registration messages -------------------------------------------------------------------------


def _registered_outcomes(record: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    outcomes = module(record, PROTOCOL, "outcomesModule")
    for kind in _OUTCOME_KINDS:
        for index, outcome in items(outcomes.get(kind)):
            yield (*_OUTCOMES_PATH, kind, index), outcome


def _reported_outcomes(record: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    measures = module(record, RESULTS, "outcomeMeasuresModule").get("outcomeMeasures")
    for index, measure in items(measures):
        yield (*_MEASURES_PATH, index), measure


def outcome_nonspecific_title(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING [PRS-2018-06]: an outcome measure title that is only "Safety", "Efficacy" and the like."""
    for path, outcome in _registered_outcomes(record):
        title = text(outcome.get("measure"))
        if _NONSPECIFIC_TITLE.match(title):
            yield _nonspecific(path, "measure", title, stage, SOURCE_PRS_REGISTRATION)
    if stage is not Stage.REGISTRATION and stage is not Stage.PROTOCOL_SUMMARY:
        for path, measure in _reported_outcomes(record):
            title = text(measure.get("title"))
            if _NONSPECIFIC_TITLE.match(title):
                yield _nonspecific(path, "title", title, stage, SOURCE_PRS_RESULTS)


def _nonspecific(path: Path, key: str, title: str, stage: Stage, source: str) -> Finding:
    return finding(
        Severity.WARNING,
        "ctgov.outcome.nonspecific_title",
        (*path, key),
        f"Outcome measure title {title!r} is not specific; name the measurement itself (e.g. 'Number of "
        "participants with treatment-emergent adverse events').",
        stage,
        source,
    )


def outcome_time_frame(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """Registered primary and secondary outcomes need a time frame ([DED] Outcome Measure Time Frame *, an
    FDAAA 801 data element: ERROR for studies running on or after 2007-12-26), and one that is more than a
    bare numeral ([PRS-2018-06], severity by the primary completion date switch)."""
    severity = final_rule_severity(record)
    fdaaa = ongoing_under_fdaaa(record)
    for path, outcome in _registered_outcomes(record):
        time_frame = text(outcome.get("timeFrame"))
        if not time_frame and path[2] != "otherOutcomes" and fdaaa:
            yield finding(
                Severity.ERROR,
                "ctgov.outcome.time_frame_missing",
                (*path, "timeFrame"),
                "Outcome measure time frame is missing; state when the measurement is taken "
                "(e.g. 'Baseline and week 12').",
                stage,
                SOURCE_PRS_REGISTRATION,
            )
        elif time_frame and _NUMERALS_ONLY.match(time_frame):
            yield _numeral_time_frame(
                severity, (*path, "timeFrame"), time_frame, stage, SOURCE_PRS_REGISTRATION
            )


def _numeral_time_frame(severity: Severity, path: Path, value: str, stage: Stage, source: str) -> Finding:
    return finding(
        severity,
        "ctgov.outcome.time_frame_numeral_only",
        path,
        f"Time frame {value!r} is only a number; give the unit and the point in time (e.g. '12 weeks after "
        "randomisation').",
        stage,
        source,
    )


def primary_outcome_missing(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [DED] Primary Outcome Measure *: interventional and observational studies register at least
    one primary outcome (an FDAAA 801 data element: studies running on or after 2007-12-26)."""
    study_type = module(record, PROTOCOL, "designModule").get("studyType")
    if study_type not in ("INTERVENTIONAL", "OBSERVATIONAL") or not ongoing_under_fdaaa(record):
        return
    outcomes = module(record, PROTOCOL, "outcomesModule")
    if not any(True for _ in items(outcomes.get("primaryOutcomes"))):
        yield finding(
            Severity.ERROR,
            "ctgov.outcome.primary_missing",
            (*_OUTCOMES_PATH, "primaryOutcomes"),
            "No primary outcome measure is registered; ClinicalTrials.gov requires at least one.",
            stage,
            SOURCE_PRS_REGISTRATION,
        )


def date_type_against_today(
    record: dict[str, Any], stage: Stage, today: date | None = None
) -> Iterator[Finding]:
    """WARNING [PRS]: an ESTIMATED (anticipated) date that has passed needs updating (42 CFR 11.64 update
    duty). An ACTUAL date in the future is the generic rule ``rule.actual_date_in_future``."""
    today_iso = (today or date.today()).isoformat()
    status = module(record, PROTOCOL, "statusModule")
    # A closed study's estimated completion dates are the generic rule rule.completed_date_not_actual.
    closed = status.get("overallStatus") in ("COMPLETED", "TERMINATED")
    for key, label in (
        ("startDateStruct", "Study Start Date"),
        ("primaryCompletionDateStruct", "Primary Completion Date"),
        ("completionDateStruct", "Study Completion Date"),
    ):
        if closed and key != "startDateStruct":
            continue
        struct = obj(status.get(key))
        written = text(struct.get("date"))
        earliest, latest = earliest_day(written), latest_day(written)
        if not earliest or not latest:
            continue
        if struct.get("type") == "ESTIMATED" and latest < today_iso:
            yield finding(
                Severity.WARNING,
                "ctgov.status.estimated_date_past",
                (*_STATUS_PATH, key, "type"),
                f"{label} {written} is still estimated although it has passed; update it to the actual date "
                "or a new estimate.",
                stage,
                SOURCE_PRS_REGISTRATION,
            )


def closed_study_needs_actuals(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING [DED; 42 CFR 11.64(a)(1)(ii) update duty]: once a study is COMPLETED or TERMINATED, its
    enrolment is actual, not anticipated (an FDAAA 801 data element: studies running on or after
    2007-12-26). PRS accepts the update without it (NCT01945554, COMPLETED with an anticipated enrolment,
    last updated 2018-01-23), so it is a warning; with results it is the generic error
    ``rule.results_enrollment_not_actual`` (42 CFR 11.48(a)(1)).

    The dates of a closed study are the generic rule ``rule.completed_date_not_actual``, and with results
    the enrolment is ``rule.results_enrollment_not_actual``: one finding each."""
    status = module(record, PROTOCOL, "statusModule")
    overall = status.get("overallStatus")
    if overall not in ("COMPLETED", "TERMINATED") or has_results(record) or not ongoing_under_fdaaa(record):
        return
    enrollment = obj(module(record, PROTOCOL, "designModule").get("enrollmentInfo"))
    if enrollment.get("type") == "ESTIMATED":
        yield finding(
            Severity.WARNING,
            "ctgov.status.closed_with_estimated_enrollment",
            (PROTOCOL, "designModule", "enrollmentInfo", "type"),
            f"Overall status is {overall} but enrolment is still estimated; enter the actual "
            "number enrolled.",
            stage,
            SOURCE_PRS_REGISTRATION,
        )


def eligibility_criteria_missing(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [DED; NLM-MAJOR "missing eligibility criteria"]: criteria that are only blanks. Absent
    criteria are the generic registration profile's finding."""
    eligibility = module(record, PROTOCOL, "eligibilityModule")
    criteria = eligibility.get("eligibilityCriteria")
    if isinstance(criteria, str) and not criteria.strip():
        yield finding(
            Severity.ERROR,
            "ctgov.eligibility.criteria_missing",
            (PROTOCOL, "eligibilityModule", "eligibilityCriteria"),
            "Eligibility criteria are missing; list the inclusion and exclusion criteria.",
            stage,
            f"{SOURCE_PRS_REGISTRATION}; {SOURCE_NLM_MAJOR}: missing eligibility criteria",
        )


_AGE_IN_MINUTES = {
    "minute": 1,
    "hour": 60,
    "day": 1440,
    "week": 10080,
    "month": 43830,
    "year": 525960,
}
_AGE = re.compile(r"^(\d+) (minute|hour|day|week|month|year)s?$", re.I)


def _age_minutes(value: Any) -> int | None:
    match = _AGE.match(text(value))
    return int(match.group(1)) * _AGE_IN_MINUTES[match.group(2).lower()] if match else None


def age_range_inverted(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [PRS]: the minimum age is not above the maximum age."""
    eligibility = module(record, PROTOCOL, "eligibilityModule")
    minimum, maximum = (
        _age_minutes(eligibility.get("minimumAge")),
        _age_minutes(eligibility.get("maximumAge")),
    )
    if minimum is not None and maximum is not None and minimum > maximum:
        yield finding(
            Severity.ERROR,
            "ctgov.eligibility.age_range_inverted",
            (PROTOCOL, "eligibilityModule", "minimumAge"),
            f"Minimum Age {eligibility.get('minimumAge')} is above Maximum Age "
            f"{eligibility.get('maximumAge')}; correct the age limits.",
            stage,
            SOURCE_PRS_REGISTRATION,
        )


def intervention_arm_links(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [PRS]: when arms are registered, every intervention is given to at least one arm. An arm label
    that names no arm is the generic rule ``rule.unknown_arm_group``."""
    arms_module = module(record, PROTOCOL, "armsInterventionsModule")
    labels = {text(arm.get("label")) for _, arm in items(arms_module.get("armGroups"))}
    labels.discard("")
    if not labels:
        return
    base = (PROTOCOL, "armsInterventionsModule", "interventions")
    for index, intervention in items(arms_module.get("interventions")):
        linked = intervention.get("armGroupLabels")
        names = [label for label in linked if isinstance(label, str)] if isinstance(linked, list) else []
        name = text(intervention.get("name")) or f"#{index + 1}"
        if not names:
            yield finding(
                Severity.ERROR,
                "ctgov.arms.intervention_unlinked",
                (*base, index, "armGroupLabels"),
                f"Intervention {name!r} is not given to any arm; link it to the arm(s) that receive it.",
                stage,
                SOURCE_PRS_REGISTRATION,
            )


_PAYMENT_FIELDS = (
    (("descriptionModule", "briefSummary"), "Brief Summary"),
    (("descriptionModule", "detailedDescription"), "Detailed Description"),
    (("eligibilityModule", "eligibilityCriteria"), "Eligibility Criteria"),
)


def payment_information(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING [NLM-MAJOR "payment information in the record"]: payment for taking part belongs in the
    consent process, not in the registry record."""
    protocol = obj(record.get(PROTOCOL))
    for (module_name, key), label in _PAYMENT_FIELDS:
        value = text(obj(protocol.get(module_name)).get(key))
        match = _PAYMENT.search(value) if value else None
        if match:
            yield finding(
                Severity.WARNING,
                "ctgov.qc.payment_information",
                (PROTOCOL, module_name, key),
                f"{label} appears to mention payment ({match.group(0)!r}); NLM asks that payment information "
                "be removed from the record.",
                stage,
                f"{SOURCE_NLM_MAJOR}: payment information",
            )


# --- Results messages ------------------------------------------------------------------------------


def _measures_with_units(record: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any], str]]:
    for path, measure in _reported_outcomes(record):
        yield path, measure, "Outcome measure"
    baseline = module(record, RESULTS, "baselineCharacteristicsModule")
    for index, measure in items(baseline.get("measures")):
        yield (*_BASELINE_PATH, "measures", index), measure, "Baseline measure"


def measure_units(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[PRS-2018-06], severity by the primary completion date switch: a unit of measure is not a
    placeholder or only numerals; a "Number of participants..." title (or a count of participants) is
    counted in participants, and a "Percentage of..." title in percent."""
    severity = final_rule_severity(record)
    for path, measure, label in _measures_with_units(record):
        unit = text(measure.get("unitOfMeasure"))
        unit_path = (*path, "unitOfMeasure")
        title = text(measure.get("title"))
        if unit.casefold() in _PLACEHOLDER_UNITS:
            yield finding(
                severity,
                "ctgov.measure.unit_placeholder",
                unit_path,
                f"{label} unit {unit!r} is a placeholder; state what was measured (e.g. 'mg/dL', "
                "'participants').",
                stage,
                SOURCE_PRS_RESULTS,
            )
        elif unit and _NUMERALS_ONLY.match(unit):
            yield finding(
                severity,
                "ctgov.measure.unit_numeral_only",
                unit_path,
                f"{label} unit {unit!r} is only a number; state the unit in words or symbols.",
                stage,
                SOURCE_PRS_RESULTS,
            )
        elif unit:
            counts_participants = (
                _NUMBER_OF_PARTICIPANTS.match(title) is not None
                or measure.get("paramType") == "COUNT_OF_PARTICIPANTS"
            )
            if counts_participants and "participant" not in unit.casefold():
                yield finding(
                    severity,
                    "ctgov.measure.unit_participants_required",
                    unit_path,
                    f"{label} {title!r} counts participants, so its unit must be 'participants', "
                    f"not {unit!r}.",
                    stage,
                    SOURCE_PRS_RESULTS,
                )
            elif (
                _PERCENTAGE_OF.match(title)
                # PRS shows a Count of Participants with the percentage of those analysed next to it, so
                # such a measure stays counted in participants (published NCT04544683, results 2024).
                and measure.get("paramType") != "COUNT_OF_PARTICIPANTS"
                and "%" not in unit
                and "percent" not in unit.casefold()
            ):
                yield finding(
                    severity,
                    "ctgov.measure.unit_percent_required",
                    unit_path,
                    f"{label} {title!r} is a percentage, so its unit must be a percent (e.g. 'percentage of "
                    f"participants'), not {unit!r}.",
                    stage,
                    SOURCE_PRS_RESULTS,
                )


def results_time_frames(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[PRS-2018-06], switch severity: outcome measure and adverse event time frames are more than a bare
    numeral."""
    severity = final_rule_severity(record)
    for path, measure in _reported_outcomes(record):
        time_frame = text(measure.get("timeFrame"))
        if time_frame and _NUMERALS_ONLY.match(time_frame):
            yield _numeral_time_frame(severity, (*path, "timeFrame"), time_frame, stage, SOURCE_PRS_RESULTS)
    ae_time_frame = text(module(record, RESULTS, "adverseEventsModule").get("timeFrame"))
    if ae_time_frame and _NUMERALS_ONLY.match(ae_time_frame):
        yield _numeral_time_frame(
            severity, (*_AE_PATH, "timeFrame"), ae_time_frame, stage, SOURCE_PRS_RESULTS
        )


def continuous_without_dispersion(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[PRS-2018-06; NLM-MAJOR "missing dispersion for continuous data"], switch severity: a mean, median
    or other continuous measure type carries a measure of dispersion."""
    severity = final_rule_severity(record)
    for path, measure, label in _measures_with_units(record):
        if text(measure.get("paramType")) not in CONTINUOUS_PARAMS:
            continue
        # An unrecognised dispersion is the picklist layer's finding, not a missing one.
        dispersion = text(measure.get("dispersionType"))
        if not dispersion or outcome_dispersion_code(dispersion) == "NA":
            yield finding(
                severity,
                "ctgov.measure.dispersion_missing",
                (*path, "dispersionType"),
                f"{label} {text(measure.get('title'))!r} reports a {measure.get('paramType')} without "
                "a measure of dispersion; add the standard deviation, range, interquartile range or "
                "confidence interval.",
                stage,
                f"{SOURCE_PRS_RESULTS}; {SOURCE_NLM_MAJOR}: missing dispersion for continuous data",
            )


def zero_analyzed_unexplained(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[PRS-2018-06], severity by the primary completion date switch [PRS-2018-09] (ERROR on or after
    2017-01-18, WARNING before): an outcome group with zero participants analysed needs an analysis
    population description saying why."""
    severity = final_rule_severity(record)
    for path, measure in _reported_outcomes(record):
        if text(measure.get("populationDescription")):
            continue
        for denom_index, denom in items(measure.get("denoms")):
            for count_index, entry in items(denom.get("counts")):
                if count(entry.get("value")) == 0:
                    yield finding(
                        severity,
                        "ctgov.outcome.zero_analyzed_unexplained",
                        (*path, "denoms", denom_index, "counts", count_index, "value"),
                        f"Outcome measure {text(measure.get('title'))!r} analysed 0 in group "
                        f"{entry.get('groupId')!r} but has no analysis population description; explain why.",
                        stage,
                        SOURCE_PRS_RESULTS,
                    )


_AT_RISK_KEYS = (
    ("deathsNumAtRisk", "all-cause mortality"),
    ("seriousNumAtRisk", "serious adverse events"),
    ("otherNumAtRisk", "other adverse events"),
)


def zero_at_risk_unexplained(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[PRS-2018-06], severity by the primary completion date switch [PRS-2018-09]: a group with zero
    participants at risk needs an explanation in the adverse event reporting description."""
    adverse = module(record, RESULTS, "adverseEventsModule")
    if text(adverse.get("description")):
        return
    severity = final_rule_severity(record)
    for index, group in items(adverse.get("eventGroups")):
        for key, label in _AT_RISK_KEYS:
            if count(group.get(key)) == 0:
                yield finding(
                    severity,
                    "ctgov.ae.zero_at_risk_unexplained",
                    (*_AE_PATH, "eventGroups", index, key),
                    f"Group {text(group.get('title')) or group.get('id')!r} has 0 participants at risk for "
                    f"{label} but the adverse event description does not explain why.",
                    stage,
                    SOURCE_PRS_RESULTS,
                )


def study_documents_missing(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [PRS-2018-09; 42 CFR 11.48(a)(5)]: with results for a primary completion date on or after
    2017-01-18, the protocol and the statistical analysis plan are uploaded, or "no SAP" is declared.
    Earlier studies are not subject to the document requirement, so there is no finding for them; nor is
    there one before results exist (the stage profile reports missing results)."""
    if not subject_to_final_rule(record) or not isinstance(record.get(RESULTS), dict):
        return
    documents = obj(obj(record.get("documentSection")).get("largeDocumentModule"))
    docs = [doc for _, doc in items(documents.get("largeDocs"))]
    path = ("documentSection", "largeDocumentModule")
    if not any(doc.get("hasProtocol") is True for doc in docs):
        yield finding(
            Severity.ERROR,
            "ctgov.documents.protocol_missing",
            (*path, "largeDocs"),
            "The study protocol document is missing; upload it with the results.",
            stage,
            SOURCE_PRS_RESULTS,
        )
    if documents.get("noSap") is not True and not any(doc.get("hasSap") is True for doc in docs):
        yield finding(
            Severity.ERROR,
            "ctgov.documents.sap_missing",
            (*path, "noSap"),
            "The statistical analysis plan is missing; upload it (alone or within the protocol) or declare "
            "that no SAP exists.",
            stage,
            SOURCE_PRS_RESULTS,
        )


def _free_text_fields(record: dict[str, Any]) -> Iterator[tuple[Path, str, str]]:
    flow = module(record, RESULTS, "participantFlowModule")
    for key, label in (
        ("recruitmentDetails", "Recruitment Details"),
        ("preAssignmentDetails", "Pre-assignment Details"),
    ):
        yield (RESULTS, "participantFlowModule", key), text(flow.get(key)), label
    baseline = module(record, RESULTS, "baselineCharacteristicsModule")
    yield (
        (*_BASELINE_PATH, "populationDescription"),
        text(baseline.get("populationDescription")),
        ("Baseline Analysis Population Description"),
    )
    for path, measure in _reported_outcomes(record):
        yield (*path, "description"), text(measure.get("description")), "Outcome Measure Description"
        yield (
            (*path, "populationDescription"),
            text(measure.get("populationDescription")),
            ("Analysis Population Description"),
        )
    yield (
        (*_AE_PATH, "description"),
        text(module(record, RESULTS, "adverseEventsModule").get("description")),
        ("Adverse Event Reporting Description"),
    )


def results_in_free_text(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """WARNING [NLM-MAJOR "results data or conclusions in free-text fields"]: p-values and claims of
    significance belong in the data tables and statistical analyses, not in descriptions."""
    for path, value, label in _free_text_fields(record):
        match = _RESULTS_IN_TEXT.search(value) if value else None
        if match:
            yield finding(
                Severity.WARNING,
                "ctgov.qc.results_in_free_text",
                path,
                f"{label} states a result ({match.group(0)!r}); move results into the data tables or the "
                "statistical analysis.",
                stage,
                f"{SOURCE_NLM_MAJOR}: results data or conclusions in free-text fields",
            )


REGISTRATION_MESSAGES: tuple[Check, ...] = (
    outcome_nonspecific_title,
    outcome_time_frame,
    primary_outcome_missing,
    date_type_against_today,
    closed_study_needs_actuals,
    eligibility_criteria_missing,
    age_range_inverted,
    intervention_arm_links,
    payment_information,
)

RESULTS_MESSAGES: tuple[Check, ...] = (
    measure_units,
    results_time_frames,
    continuous_without_dispersion,
    zero_analyzed_unexplained,
    zero_at_risk_unexplained,
    study_documents_missing,
    results_in_free_text,
)


def check_prs_messages(record: dict[str, Any], stage: Stage, include_results: bool) -> list[Finding]:
    """Layer 3: the registration messages, plus the results messages when ``include_results``."""
    out: list[Finding] = []
    if not isinstance(record, dict):
        return out
    checks = REGISTRATION_MESSAGES + RESULTS_MESSAGES if include_results else REGISTRATION_MESSAGES
    for check in checks:
        out.extend(check(record, stage))
    return out
