"""The results data elements ClinicalTrials.gov requires, module by module, with their dates.

Sources:
- [R-DED] PRS Results Data Element Definitions (prsinfo.clinicaltrials.gov/results_definitions.html;
  clinicaltrials.gov/policy/results-definitions), which mark required elements "*" and conditionally
  required ones "[*]";
- 42 CFR 11.48(a): (1) participant flow, (2) demographic and baseline characteristics, (3) outcomes and
  statistical analyses, (4) adverse event information, (6) certain agreements and the results point of
  contact. 42 CFR Part 11 governs results for a primary completion date on or after 2017-01-18; before
  that, FDAAA 801 (PHS Act 402(j)(3)) and the definitions of the day applied, so the elements the rule
  added (all-cause mortality, race and ethnicity, the adverse event time frame, both contact details)
  are asked only of studies under the rule (``registries.ctgov.checks.dates.subject_to_final_rule``).

Only results that are there are read: a missing module is the generic results profile's finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from registries.ctgov.checks._support import (
    AE_PATH as _AE,
)
from registries.ctgov.checks._support import (
    BASELINE_PATH as _BASELINE,
)
from registries.ctgov.checks._support import (
    FLOW_PATH as _FLOW,
)
from registries.ctgov.checks._support import (
    MEASURES_PATH as _MEASURES,
)
from registries.ctgov.checks._support import (
    PROTOCOL,
    RESULTS,
    count,
    finding,
    items,
    module,
    normal_title,
    obj,
    text,
)
from registries.ctgov.checks.dates import final_rule_severity, subject_to_final_rule
from registries.ctgov.checks.required import missing
from registries.enums import Severity, Stage
from registries.findings import Finding

Path = tuple[str | int, ...]
Check = Callable[[dict[str, Any], Stage], Iterator[Finding]]

SOURCE_RESULTS_DED = "PRS data element definitions (results)"
SOURCE_FLOW = f"{SOURCE_RESULTS_DED}: Participant Flow; 42 CFR 11.48(a)(1)"
SOURCE_BASELINE = f"{SOURCE_RESULTS_DED}: Baseline Characteristics; 42 CFR 11.48(a)(2)"
SOURCE_OUTCOMES = f"{SOURCE_RESULTS_DED}: Outcome Measures; 42 CFR 11.48(a)(3)"
SOURCE_AE = f"{SOURCE_RESULTS_DED}: Adverse Events; 42 CFR 11.48(a)(4)"
SOURCE_MORE_INFO = f"{SOURCE_RESULTS_DED}: More Information; 42 CFR 11.48(a)(6)"

_MORE_INFO = (RESULTS, "moreInfoModule")

# [R-DED] Baseline Measure Title: the required measures are entered from fixed PRS titles; API v2 publishes
# those titles ("Age, Continuous", "Age, Categorical", "Age, Customized"; "Sex: Female, Male",
# "Sex/Gender, Customized"; "Race (NIH/OMB)", "Ethnicity (NIH/OMB)", "Race/Ethnicity, Customized", and
# "... Not Collected" when a measure was not collected).
_AGE_TITLE = re.compile(r"^\s*age\b", re.I)
_SEX_TITLE = re.compile(r"^\s*(?:sex|gender)\b", re.I)
_RACE_TITLE = re.compile(r"^\s*(?:race|ethnicity)\b", re.I)
_NOT_COLLECTED = re.compile(r"\bnot collected\b", re.I)


# --- Participant flow ------------------------------------------------------------------------------


def flow_started_and_completed(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Milestone: every period has a STARTED and a COMPLETED milestone (PRS creates both and
    they cannot be removed)."""
    flow = module(record, RESULTS, "participantFlowModule")
    for p_index, period in items(flow.get("periods")):
        kinds = {text(milestone.get("type")).upper() for _, milestone in items(period.get("milestones"))}
        for kind in ("STARTED", "COMPLETED"):
            if kind not in kinds:
                yield finding(
                    Severity.ERROR,
                    "ctgov.flow.milestone_missing",
                    (*_FLOW, "periods", p_index, "milestones"),
                    f"Period {text(period.get('title')) or p_index + 1!r} has no {kind} milestone; every "
                    "period starts and ends with the number of participants per group.",
                    stage,
                    SOURCE_FLOW,
                )


# --- Baseline characteristics ----------------------------------------------------------------------


def baseline_demographics(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[R-DED] Baseline Measures *; 42 CFR 11.48(a)(2): Age and Sex/Gender are required measures (ERROR
    for a primary completion date on or after 2017-01-18, WARNING before, when the definitions listed
    them as standard measures); Race and Ethnicity, or "Race and Ethnicity Not Collected", are required
    under 42 CFR Part 11 only."""
    baseline = module(record, RESULTS, "baselineCharacteristicsModule")
    if not baseline:
        return
    titles = [text(measure.get("title")) for _, measure in items(baseline.get("measures"))]
    path = (*_BASELINE, "measures")
    severity = final_rule_severity(record)
    for pattern, label in ((_AGE_TITLE, "Age"), (_SEX_TITLE, "Sex/Gender")):
        if not any(pattern.match(title) for title in titles):
            yield finding(
                severity,
                "ctgov.baseline.demographic_missing",
                path,
                f"The baseline has no {label} measure; add it (PRS offers the standard {label} measures).",
                stage,
                SOURCE_BASELINE,
                measure=label,
            )
    collected = any(_RACE_TITLE.match(title) for title in titles)
    if subject_to_final_rule(record) and not collected and not any(_NOT_COLLECTED.search(t) for t in titles):
        yield finding(
            Severity.ERROR,
            "ctgov.baseline.demographic_missing",
            path,
            "The baseline has no Race or Ethnicity measure; add one, or mark race and ethnicity as not "
            "collected.",
            stage,
            SOURCE_BASELINE,
            measure="Race/Ethnicity",
        )


def _group_ids(groups: Any) -> list[str]:
    return [group["id"] for _, group in items(groups) if isinstance(group.get("id"), str)]


def _uncounted_groups(holder: dict[str, Any]) -> list[str] | None:
    """The declared groups without a readable participant count in the first denominator ([] when every
    group has one), or None when there is no denominator at all.

    A count that names an undeclared group is the generic rule ``rule.unknown_results_group``'s finding,
    so a denominator holding one is not judged again here."""
    first = next(items(holder.get("denoms")), None)
    if first is None:
        return None
    declared = _group_ids(holder.get("groups"))
    entries = [entry for _, entry in items(first[1].get("counts"))]
    if any(text(entry.get("groupId")) not in declared for entry in entries):
        return []
    counted = {text(entry.get("groupId")) for entry in entries if count(entry.get("value")) is not None}
    return [group_id for group_id in declared if group_id not in counted]


def baseline_overall_count(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Overall Number of Baseline Participants *: a count for every baseline group."""
    baseline = module(record, RESULTS, "baselineCharacteristicsModule")
    if not baseline:
        return
    uncounted = _uncounted_groups(baseline)
    if uncounted is None or uncounted:
        yield finding(
            Severity.ERROR,
            "ctgov.baseline.overall_count_missing",
            (*_BASELINE, "denoms"),
            "The overall number of baseline participants is missing"
            + (f" for {', '.join(uncounted)}" if uncounted else "")
            + "; give the number of participants in each group.",
            stage,
            SOURCE_BASELINE,
        )


def _counts_by_group(denom: dict[str, Any]) -> dict[str, int]:
    return {
        text(entry.get("groupId")): value
        for _, entry in items(denom.get("counts"))
        if (value := count(entry.get("value"))) is not None
    }


def baseline_measure_population(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Baseline Measure Analysis Population Description [*] (BaselineAnalysisPopDesc): an
    explanation of how the number analysed was determined, required when the Number of Baseline
    Participants analysed for a measure (its own or a row's) differs from the overall number of baseline
    participants. Only participant counts in the overall denominator's units are compared (a measure over
    eyes or lesions counts other units)."""
    baseline = module(record, RESULTS, "baselineCharacteristicsModule")
    overall_denom = next(items(baseline.get("denoms")), None)
    if overall_denom is None:
        return
    units = text(overall_denom[1].get("units")).casefold()
    overall = _counts_by_group(overall_denom[1])
    for index, measure in items(baseline.get("measures")):
        if text(measure.get("populationDescription")):
            continue
        denoms = [denom for _, denom in items(measure.get("denoms"))]
        denoms += [denom for _, row in items(measure.get("classes")) for _, denom in items(row.get("denoms"))]
        differing = sorted(
            {
                group_id
                for denom in denoms
                if text(denom.get("units")).casefold() == units
                for group_id, value in _counts_by_group(denom).items()
                if group_id in overall and value != overall[group_id]
            }
        )
        if differing:
            yield finding(
                Severity.ERROR,
                "ctgov.baseline.population_description_required",
                (*_BASELINE, "measures", index, "populationDescription"),
                f"Baseline measure {text(measure.get('title'))!r} analysed a number of participants "
                f"different from the overall baseline count ({', '.join(differing)}); explain how it was "
                "determined in its analysis population description.",
                stage,
                f"{SOURCE_BASELINE}: Analysis Population Description [*]",
                groups=differing,
            )


# --- Outcome measures ------------------------------------------------------------------------------


def _posted(measure: dict[str, Any]) -> bool:
    # API v2 lists an outcome whose data are not yet posted (a delayed secondary outcome) with
    # reportingStatus NOT_POSTED and no data; PRS asks for its data when they are submitted.
    return measure.get("reportingStatus") != "NOT_POSTED"


def outcome_measure_data(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Outcome Measure Data: every reported outcome measure has a measure type *, a unit of
    measure * and the number of participants analysed in each arm/group *."""
    for o_index, measure in items(module(record, RESULTS, "outcomeMeasuresModule").get("outcomeMeasures")):
        if not _posted(measure):
            continue
        path = (*_MEASURES, o_index)
        title = text(measure.get("title")) or f"#{o_index + 1}"
        for key, label in (("paramType", "Measure Type"), ("unitOfMeasure", "Unit of Measure")):
            if missing(measure.get(key)):
                yield finding(
                    Severity.ERROR,
                    "ctgov.required.missing",
                    (*path, key),
                    f"Outcome measure {title!r} has no {label}; ClinicalTrials.gov requires it for every "
                    "reported measure.",
                    stage,
                    SOURCE_OUTCOMES,
                )
        uncounted = _uncounted_groups(measure)
        if uncounted is None or uncounted:
            yield finding(
                Severity.ERROR,
                "ctgov.outcome.analyzed_missing",
                (*path, "denoms"),
                f"Outcome measure {title!r} does not give the number of participants analysed"
                + (f" for {', '.join(uncounted)}" if uncounted else "")
                + "; give it for every arm/group.",
                stage,
                SOURCE_OUTCOMES,
            )


_REGISTERED_KIND = {"PRIMARY": "primaryOutcomes", "SECONDARY": "secondaryOutcomes"}


def registered_outcomes_reported(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """42 CFR 11.48(a)(3): results are submitted for every registered primary and secondary outcome.

    When fewer outcomes of a type are reported than were registered, each registered one whose title
    (case, spaces and final punctuation aside) matches no reported outcome has no results: an ERROR under
    42 CFR Part 11 (primary completion on or after 2017-01-18), a WARNING before, and a WARNING when a
    delayed-results certification (42 CFR 11.44(b)-(c)) defers outcomes. When as many are reported as
    registered, an unmatched title is only worded differently, which ``consistency.outcomes_match_
    registration`` reports on the reported outcome: one finding.
    """
    outcomes = module(record, PROTOCOL, "outcomesModule")
    measures = [m for _, m in items(module(record, RESULTS, "outcomeMeasuresModule").get("outcomeMeasures"))]
    certified = not missing(module(record, RESULTS, "delayedResultsModule").get("certificationType"))
    severity = Severity.WARNING if certified else final_rule_severity(record)
    for result_type, kind in _REGISTERED_KIND.items():
        registered = list(items(outcomes.get(kind)))
        reported = [m for m in measures if m.get("type") == result_type]
        if len(reported) >= len(registered):
            continue
        reported_titles = {normal_title(m.get("title")) for m in reported}
        for index, outcome in registered:
            title = normal_title(outcome.get("measure"))
            if title and title not in reported_titles:
                yield finding(
                    severity,
                    "ctgov.outcome.registered_not_reported",
                    (PROTOCOL, "outcomesModule", kind, index, "measure"),
                    f"Registered {result_type.lower()} outcome {text(outcome.get('measure'))!r} has no "
                    "results; report it (or certify delayed results for it).",
                    stage,
                    f"42 CFR 11.48(a)(3); {SOURCE_OUTCOMES}",
                )


# --- Adverse events --------------------------------------------------------------------------------

_GROUP_TOTALS = (
    ("seriousNumAffected", "participants affected by serious adverse events"),
    ("seriousNumAtRisk", "participants at risk for serious adverse events"),
    ("otherNumAffected", "participants affected by other adverse events"),
    ("otherNumAtRisk", "participants at risk for other adverse events"),
)
_MORTALITY = (
    ("deathsNumAffected", "deaths from any cause"),
    ("deathsNumAtRisk", "participants at risk for all-cause mortality"),
)


def adverse_event_groups(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Adverse Events: every arm/group gives its serious and other adverse event totals
    (affected and at risk, 42 CFR 11.48(a)(4)), and, under 42 CFR Part 11, all-cause mortality; the
    adverse event time frame * is required under 42 CFR Part 11 (42 CFR 11.48(a)(4))."""
    adverse = module(record, RESULTS, "adverseEventsModule")
    if not adverse:
        return
    final_rule = subject_to_final_rule(record)
    if final_rule and missing(adverse.get("timeFrame")):
        yield finding(
            Severity.ERROR,
            "ctgov.ae.time_frame_missing",
            (*_AE, "timeFrame"),
            "The adverse event time frame is missing; state the period over which adverse events were "
            "collected.",
            stage,
            f"{SOURCE_AE}: time frame",
        )
    required = _GROUP_TOTALS + (_MORTALITY if final_rule else ())
    for g_index, group in items(adverse.get("eventGroups")):
        name = text(group.get("title")) or text(group.get("id")) or f"#{g_index + 1}"
        for key, label in required:
            if count(group.get(key)) is None:
                mortality = key.startswith("deaths")
                yield finding(
                    Severity.ERROR,
                    "ctgov.ae.mortality_missing" if mortality else "ctgov.ae.group_total_missing",
                    (*_AE, "eventGroups", g_index, key),
                    f"Adverse event group {name!r} does not give the number of {label}.",
                    stage,
                    f"{SOURCE_AE}: all-cause mortality"
                    if mortality
                    else f"{SOURCE_AE}: adverse event tables",
                )


def adverse_event_terms(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Adverse Event Term *, Organ System * and Assessment Type * (systematic or
    non-systematic) for every serious and other adverse event."""
    adverse = module(record, RESULTS, "adverseEventsModule")
    for kind, label in (("seriousEvents", "Serious"), ("otherEvents", "Other")):
        for e_index, event in items(adverse.get(kind)):
            term = text(event.get("term"))
            path = (*_AE, kind, e_index)
            for key, code, what in (
                ("term", "ctgov.ae.term_missing", "Adverse Event Term"),
                ("organSystem", "ctgov.ae.organ_system_missing", "Organ System"),
                ("assessmentType", "ctgov.ae.assessment_type_missing", "Assessment Type"),
            ):
                if missing(event.get(key)):
                    yield finding(
                        Severity.ERROR,
                        code,
                        (*path, key),
                        f"{label} adverse event {term or f'#{e_index + 1}'!r} has no {what}.",
                        stage,
                        SOURCE_AE,
                    )


# --- More information ------------------------------------------------------------------------------


def certain_agreements(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Certain Agreements (42 CFR 11.48(a)(6)(ii)): whether all principal investigators are
    sponsor employees *; if not, whether an agreement restricts them [*]; if so, its type [*]; for type
    OTHER, its description [*]."""
    more_info = module(record, RESULTS, "moreInfoModule")
    if not more_info:
        return
    agreement = obj(more_info.get("certainAgreement"))
    path = (*_MORE_INFO, "certainAgreement")
    questions: list[tuple[str, str]] = []
    if not isinstance(agreement.get("piSponsorEmployee"), bool):
        questions.append(("piSponsorEmployee", "whether all principal investigators are sponsor employees"))
    elif agreement["piSponsorEmployee"] is False:
        restrictive = agreement.get("restrictiveAgreement")
        if not isinstance(restrictive, bool):
            questions.append(
                ("restrictiveAgreement", "whether an agreement restricts what the PIs may publish")
            )
        elif restrictive:
            restriction = agreement.get("restrictionType")
            if missing(restriction):
                questions.append(("restrictionType", "the type of the restrictive agreement"))
            elif restriction == "OTHER" and missing(agreement.get("otherDetails")):
                questions.append(("otherDetails", "the description of the other restrictive agreement"))
    for key, label in questions:
        yield finding(
            Severity.ERROR,
            "ctgov.agreement.answer_missing",
            (*path, key),
            f"Certain agreements: {label} is missing.",
            stage,
            f"{SOURCE_MORE_INFO}(ii)",
        )


def results_point_of_contact(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """ERROR [R-DED] Results Point of Contact, 42 CFR 11.48(a)(6)(iii): name or official title,
    organization, telephone and email. A contact with neither telephone nor email, and one without a name
    or organization, is the generic results profile's finding; under 42 CFR Part 11 both telephone and
    email are required, so the one missing is this check's."""
    if not subject_to_final_rule(record):
        return
    contact = obj(module(record, RESULTS, "moreInfoModule").get("pointOfContact"))
    if not contact:
        return
    has_email, has_phone = not missing(contact.get("email")), not missing(contact.get("phone"))
    if has_email == has_phone:
        return
    key, label = ("phone", "telephone number") if has_email else ("email", "email address")
    yield finding(
        Severity.ERROR,
        "ctgov.results_contact.missing",
        (*_MORE_INFO, "pointOfContact", key),
        f"The results point of contact has no {label}; 42 CFR Part 11 requires both telephone and email.",
        stage,
        f"{SOURCE_MORE_INFO}(iii)",
    )


RESULTS_CONTENT: tuple[Check, ...] = (
    flow_started_and_completed,
    baseline_demographics,
    baseline_overall_count,
    baseline_measure_population,
    outcome_measure_data,
    registered_outcomes_reported,
    adverse_event_groups,
    adverse_event_terms,
    certain_agreements,
    results_point_of_contact,
)


def check_results_content(record: dict[str, Any], stage: Stage) -> list[Finding]:
    """The results requirements above; a record without a results section yields nothing."""
    out: list[Finding] = []
    if not isinstance(record.get(RESULTS), dict):
        return out
    for check in RESULTS_CONTENT:
        out.extend(check(record, stage))
    return out
