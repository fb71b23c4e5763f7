"""The PRS results XML (RRSUploadSchema.xsd 2017.04.18, namespace http://clinicaltrials.gov/rrs).

``rrs:result`` and ``rrs:resultDisposition`` are embedded at the end of ``clinical_study`` as
ProtocolRecordSchema.xsd defines; their children are unqualified (``elementFormDefault="unqualified"``)
and every ``xs:sequence`` here is alphabetical, so the builder follows it element by element.

Mapping decisions, each forced by the schema:

- Reporting-group IDs are ``xs:ID`` and must be unique in the whole document, while API v2 reuses
  ``OG000`` in every outcome measure. The builder numbers groups by position per scope (``FG000``,
  ``BG000``, ``OM001-OG000``, ``EG000``); the PRS importer maps them back to API v2 IDs by position.
- An API v2 measure class is a PRS ``measureRow`` (its title is the row title) and a category is a
  ``reportedEntry`` (its title is ``catName``) inside the row's per-group ``reportedValue``.
- The baseline "Total" group (the last group, titled Total) is ``totalBaselineReportingGroup``.
- STARTED and COMPLETED milestones are ``startedMilestone`` / ``completedMilestone``; NOT COMPLETED is
  left out because PRS computes it; other milestones are ``milestone`` with ``titleOther``.
- A reason not completed outside the PRS pick-list is ``reasonType`` Other with ``otherReasonName``.
- A standard baseline measure keeps its title; any other is a study-specific characteristic with its
  title in ``otherTitle``.

Partial uploads (``partialUpload="true"``) replace only the subsets whose root element is present.
``outcomeMeasures`` is required by the schema even then; an update that leaves outcome measures alone
sends it empty, as the published partial upload (ct_safety_upload.xml) does.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from lxml import etree

from registries.ctgov import vocab
from registries.ctgov._xmlbuild import Record, get, items, opt, opt_code, sub

RRS_NS = "http://clinicaltrials.gov/rrs"
RRS_NSMAP = {"rrs": RRS_NS}

# Which result subsets an API v2 results module fills (for partial uploads).
RESULT_MODULE_SUBSETS: dict[str, tuple[str, ...]] = {
    "baselineCharacteristicsModule": ("baseline",),
    "moreInfoModule": ("certainAgreement", "limitationsAndCaveats", "pointOfContact"),
    "outcomeMeasuresModule": ("outcomeMeasures",),
    "participantFlowModule": ("participantFlow",),
    "adverseEventsModule": ("reportedEvents",),
}
RESULT_MODULES: tuple[str, ...] = (
    "participantFlowModule",
    "baselineCharacteristicsModule",
    "outcomeMeasuresModule",
    "adverseEventsModule",
    "moreInfoModule",
)

_NOT_NCNAME = re.compile(r"[^A-Za-z0-9._-]")
_PARTICIPANTS = "participants"


class GroupIds:
    """API v2 group IDs of one scope -> document-unique PRS xs:ID values."""

    def __init__(self, groups: list[Any], pattern: str) -> None:
        self._map = {str(group.get("id", index)): pattern.format(index) for index, group in enumerate(groups)}

    def __call__(self, group_id: Any) -> str:
        key = str(group_id)
        if key in self._map:
            return self._map[key]
        # An undeclared group stays visibly wrong: the XSD IDREF check then reports it.
        return "UNDECLARED-" + _NOT_NCNAME.sub("_", key)


def _bool(parent: etree._Element, tag: str, value: Any) -> None:
    if isinstance(value, bool):
        sub(parent, tag, vocab.yes_no(value))


def _date(parent: etree._Element, tag: str, value: Any) -> None:
    """PRS results dates are <month>/<year> pairs."""
    if not value:
        return
    parts = str(value).split("-")
    element = sub(parent, tag)
    if len(parts) > 1:
        sub(element, "month", parts[1])
    sub(element, "year", parts[0])


def _denom_counts(denoms: list[Any]) -> tuple[dict[str, str], dict[str, str], str | None]:
    """Participants per group, units per group, and the unit name, from API v2 denoms."""
    participants: dict[str, str] = {}
    units: dict[str, str] = {}
    unit_name: str | None = None
    for denom in denoms:
        is_participants = str(denom.get("units", "")).casefold() == _PARTICIPANTS
        target = participants if is_participants else units
        if not is_participants:
            unit_name = denom.get("units")
        for count in denom.get("counts") or []:
            target[str(count.get("groupId"))] = str(count.get("value", ""))
    return participants, units, unit_name


def _reporting_group(
    parent: etree._Element,
    tag: str,
    group: Record,
    xml_id: str,
    participants: dict[str, str],
    units: dict[str, str],
) -> None:
    element = sub(parent, tag, None)
    element.set("id", xml_id)
    opt(element, "description", group.get("description"))
    group_id = str(group.get("id"))
    opt(element, "numUnitsAnalyzed", units.get(group_id))
    opt(element, "subjectsAnalyzed", participants.get(group_id))
    opt(element, "title", group.get("title"))


def _measure_rows(parent: etree._Element, measure: Record, groups: list[Any], ids: GroupIds) -> None:
    rows = sub(parent, "measureRows")
    group_order = [str(group.get("id")) for group in groups]
    for measure_class in items(measure, "classes"):
        row = sub(rows, "measureRow")
        values = sub(row, "reportedValues")
        participants, units, _ = _denom_counts(items(measure_class, "denoms"))
        by_group: dict[str, list[tuple[Any, Record]]] = {}
        for category in items(measure_class, "categories"):
            for measurement in items(category, "measurements"):
                by_group.setdefault(str(measurement.get("groupId")), []).append(
                    (category.get("title"), measurement)
                )
        # Declared groups first in their order, then any undeclared ones so the XSD can flag them.
        ordered = [g for g in group_order if g in by_group] + [g for g in by_group if g not in group_order]
        for group_id in ordered:
            value = sub(values, "reportedValue")
            sub(value, "reportingGroupId", ids(group_id))
            opt(value, "numUnitsAnalyzed", units.get(group_id))
            entries = sub(value, "reportedEntries")
            for category_title, measurement in by_group[group_id]:
                entry = sub(entries, "reportedEntry")
                opt(entry, "catName", category_title)
                opt(entry, "dispersionLowerLimit", measurement.get("lowerLimit"))
                opt(entry, "dispersionSpread", measurement.get("spread"))
                opt(entry, "dispersionUpperLimit", measurement.get("upperLimit"))
                opt(entry, "naComment", measurement.get("comment"))
                opt(entry, "parameterValue", measurement.get("value"))
            opt(value, "subjectsAnalyzed", participants.get(group_id))
        opt(row, "title", measure_class.get("title"))


def _measure_common_head(element: etree._Element, measure: Record) -> None:
    _bool(element, "calculatePct", measure.get("calculatePct"))
    dispersion = measure.get("dispersionType")
    if dispersion:
        sub(element, "dispersionType", vocab.dispersion_to_prs(dispersion))


def _measure_common_tail(element: etree._Element, measure: Record, title: str | None) -> None:
    opt(element, "measureDescription", measure.get("description"))
    opt_code(element, "parameterType", vocab.MEASURE_PARAM_TO_PRS, measure.get("paramType"))
    opt(element, "populationAnalysisDescription", measure.get("populationDescription"))
    opt(element, "selectedUnitOfAnalysis", measure.get("denomUnitsSelected"))
    opt(element, "timeFrame", measure.get("timeFrame"))
    opt(element, "title", title)
    opt(element, "unitOfMeasure", measure.get("unitOfMeasure"))


def _baseline(result: etree._Element, module: Record) -> None:
    groups = items(module, "groups")
    ids = GroupIds(groups, "BG{:03d}")
    participants, units, unit_name = _denom_counts(items(module, "denoms"))
    has_total = len(groups) > 1 and str(groups[-1].get("title", "")).strip().casefold() == "total"
    arm_groups = groups[:-1] if has_total else groups

    baseline = sub(result, "baseline")
    measures = sub(baseline, "baselineMeasures")
    for measure in items(module, "measures"):
        element = sub(measures, "baselineMeasure")
        _measure_common_head(element, measure)
        _measure_rows(element, measure, groups, ids)
        title = measure.get("title")
        standard = title in vocab.BASELINE_STANDARD_TITLES
        _measure_common_tail(element, measure, title if standard else vocab.BASELINE_STUDY_SPECIFIC)
        if not standard:
            opt(element, "otherTitle", title)
    reporting = sub(baseline, "baselineReportingGroups")
    for group in arm_groups:
        _reporting_group(
            reporting, "baselineReportingGroup", group, ids(group.get("id")), participants, units
        )
    opt(baseline, "populationAnalysisDescription", module.get("populationDescription"))
    if has_total:
        total = groups[-1]
        _reporting_group(
            baseline, "totalBaselineReportingGroup", total, ids(total.get("id")), participants, units
        )
    opt(baseline, "typeUnitsAnalyzed", module.get("typeUnitsAnalyzed") or unit_name)


def _analysis(parent: etree._Element, analysis: Record, ids: GroupIds) -> None:
    element = sub(parent, "measureAnalysis")
    groups = sub(element, "outcomeReportingGroups")
    for group_id in analysis.get("groupIds") or []:
        sub(groups, "outcomeReportingGroupId", ids(group_id))
    opt(element, "ciLowerLimit", analysis.get("ciLowerLimit"))
    opt_code(element, "ciNumSides", vocab.CI_SIDES_TO_PRS, analysis.get("ciNumSides"))
    opt(element, "ciPctValue", analysis.get("ciPctValue"))
    opt(element, "ciUpperLimit", analysis.get("ciUpperLimit"))
    opt(element, "ciUpperLimitNaComment", analysis.get("ciUpperLimitComment"))
    opt_code(element, "dispersionType", vocab.ANALYSIS_DISPERSION_TO_PRS, analysis.get("dispersionType"))
    opt(element, "dispersionValue", analysis.get("dispersionValue"))
    opt(element, "estimateComment", analysis.get("estimateComment"))
    opt(element, "groupDescription", analysis.get("groupDescription"))
    opt(element, "nonInferiorityTestComment", analysis.get("nonInferiorityComment"))
    opt(element, "otherAnalysis", analysis.get("otherAnalysisDescription"))
    # parameterType is the one required element of an analysis.
    sub(element, "parameterType", analysis.get("paramType") or "")
    opt(element, "parameterValue", analysis.get("paramValue"))
    opt(element, "pValue", analysis.get("pValue"))
    opt(element, "pValueComment", analysis.get("pValueComment"))
    opt(element, "statisticalMethod", analysis.get("statisticalMethod"))
    opt(element, "statisticalTestComment", analysis.get("statisticalComment"))
    opt_code(element, "statisticalTestType", vocab.NON_INFERIORITY_TO_PRS, analysis.get("nonInferiorityType"))


def _outcome_measures(result: etree._Element, module: Record | None) -> None:
    container = sub(result, "outcomeMeasures")
    for number, measure in enumerate(items(module, "outcomeMeasures"), start=1):
        groups = items(measure, "groups")
        ids = GroupIds(groups, f"OM{number:03d}-OG{{:03d}}")
        participants, units, unit_name = _denom_counts(items(measure, "denoms"))
        element = sub(container, "outcomeMeasure")
        _measure_common_head(element, measure)
        _measure_rows(element, measure, groups, ids)
        _measure_common_tail(element, measure, measure.get("title"))
        _date(element, "anticipatedResultPostingDate", measure.get("anticipatedPostingDate"))
        kind = measure.get("type")
        sub(element, "measureType", vocab.to_prs(vocab.OUTCOME_TYPE_TO_PRS, kind))
        analyses = sub(element, "outcomeMeasureAnalyses")
        for analysis in items(measure, "analyses"):
            _analysis(analyses, analysis, ids)
        reporting = sub(element, "outcomeReportingGroups")
        for group in groups:
            _reporting_group(
                reporting, "outcomeReportingGroup", group, ids(group.get("id")), participants, units
            )
        opt(element, "typeUnitsAnalyzed", measure.get("typeUnitsAnalyzed") or unit_name)


def _milestone(parent: etree._Element, tag: str, milestone: Record | None, ids: GroupIds) -> None:
    element = sub(parent, tag)
    milestone = milestone or {}
    opt(element, "comment", milestone.get("comment"))
    achievements = sub(element, "milestoneAchievements")
    for stats in milestone.get("achievements") or []:
        achievement = sub(achievements, "milestoneAchievement")
        sub(achievement, "reportingGroupId", ids(stats.get("groupId")))
        opt(achievement, "comment", stats.get("comment"))
        opt(achievement, "subjectsAchieve", stats.get("numSubjects"))
        opt(achievement, "unitsAchieve", stats.get("numUnits"))
    if tag == "milestone":
        opt(element, "titleOther", milestone.get("type"))


def _participant_flow(result: etree._Element, module: Record) -> None:
    groups = items(module, "groups")
    ids = GroupIds(groups, "FG{:03d}")
    flow = sub(result, "participantFlow")
    flow_groups = sub(flow, "participantFlowGroups")
    for group in groups:
        element = sub(flow_groups, "flowGroup")
        element.set("id", ids(group.get("id")))
        opt(element, "description", group.get("description"))
        opt(element, "title", group.get("title"))
    periods = sub(flow, "periods")
    for period in items(module, "periods"):
        element = sub(periods, "period")
        milestones = items(period, "milestones")
        by_type = {str(m.get("type", "")).upper(): m for m in milestones}
        _milestone(element, "completedMilestone", by_type.get(vocab.MILESTONE_COMPLETED), ids)
        reasons = sub(element, "dropWithdrawReasons")
        for drop in items(period, "dropWithdraws"):
            reason = sub(reasons, "dropWithdrawReason")
            details = sub(reason, "dropWithdrawReasonDetails")
            for stats in drop.get("reasons") or []:
                detail = sub(details, "reasonDetail")
                sub(detail, "reportingGroupId", ids(stats.get("groupId")))
                opt(detail, "subjectsAffected", stats.get("numSubjects"))
            reason_type = str(drop.get("type", ""))
            if reason_type in vocab.DROP_WITHDRAW_REASONS:
                sub(reason, "reasonType", reason_type)
            else:
                opt(reason, "otherReasonName", reason_type)
                sub(reason, "reasonType", vocab.DROP_WITHDRAW_OTHER)
        others = sub(element, "milestones")
        for milestone in milestones:
            kind = str(milestone.get("type", "")).upper()
            if kind not in (
                vocab.MILESTONE_STARTED,
                vocab.MILESTONE_COMPLETED,
                vocab.MILESTONE_NOT_COMPLETED,
            ):
                _milestone(others, "milestone", milestone, ids)
        _milestone(element, "startedMilestone", by_type.get(vocab.MILESTONE_STARTED), ids)
        opt(element, "title", period.get("title"))
    opt(flow, "preAssignmentDescription", module.get("preAssignmentDetails"))
    opt(flow, "recruitmentDetails", module.get("recruitmentDetails"))
    opt(flow, "typeUnitsAnalyzed", module.get("typeUnitsAnalyzed"))


def _common(events: list[Any], key: str) -> Any:
    values = {event.get(key) for event in events}
    return values.pop() if len(values) == 1 else None


def _events(parent: etree._Element, tag: str, events: list[Any], ids: GroupIds) -> None:
    for event in events:
        element = sub(parent, tag)
        stats_list = sub(element, "adverseEventStats")
        for stats in event.get("stats") or []:
            stats_element = sub(stats_list, "eventStats")
            sub(stats_element, "reportingGroupId", ids(stats.get("groupId")))
            opt(stats_element, "numEvents", stats.get("numEvents"))
            opt(stats_element, "numSubjectsAffected", stats.get("numAffected"))
            opt(stats_element, "numSubjects", stats.get("numAtRisk"))
        opt_code(element, "assessmentType", vocab.EVENT_ASSESSMENT_TO_PRS, event.get("assessmentType"))
        opt(element, "notes", event.get("notes"))
        opt(element, "organSystemName", event.get("organSystem"))
        opt(element, "sourceVocabulary", event.get("sourceVocabulary"))
        opt(element, "term", event.get("term"))


def _reported_events(result: etree._Element, module: Record) -> None:
    groups = items(module, "eventGroups")
    ids = GroupIds(groups, "EG{:03d}")
    serious = items(module, "seriousEvents")
    other = items(module, "otherEvents")
    element = sub(result, "reportedEvents")
    opt(element, "allCauseMortComment", module.get("allCauseMortalityComment"))
    # Module-wide defaults, when every event agrees; each event also states its own.
    assessment = _common(serious + other, "assessmentType")
    if assessment:
        sub(element, "assessmentType", vocab.EVENT_ASSESSMENT_TO_PRS.get(assessment, assessment))
    opt(element, "frequencyReportingThreshold", module.get("frequencyThreshold"))
    _events(sub(element, "frequentAdverseEvents"), "frequentEvent", other, ids)
    group_list = sub(element, "interventionGroups")
    for group in groups:
        group_element = sub(group_list, "interventionGroup")
        group_element.set("id", ids(group.get("id")))
        opt(group_element, "description", group.get("description"))
        opt(group_element, "numDeaths", group.get("deathsNumAffected"))
        opt(group_element, "numSubjectsFrequentEvents", group.get("otherNumAffected"))
        opt(group_element, "numSubjectsSeriousEvents", group.get("seriousNumAffected"))
        opt(group_element, "partAtRiskAllCauseMort", group.get("deathsNumAtRisk"))
        opt(group_element, "partAtRiskFrequentEvents", group.get("otherNumAtRisk"))
        opt(group_element, "partAtRiskSeriousEvents", group.get("seriousNumAtRisk"))
        opt(group_element, "title", group.get("title"))
    opt(element, "notes", module.get("description"))
    _events(sub(element, "seriousAdverseEvents"), "seriousEvent", serious, ids)
    opt(element, "sourceVocabulary", _common(serious + other, "sourceVocabulary"))
    opt(element, "timeFrame", module.get("timeFrame"))


def _certain_agreement(result: etree._Element, module: Record) -> None:
    agreement = module.get("certainAgreement")
    if not agreement:
        return
    element = sub(result, "certainAgreement")
    opt(element, "otherDetails", agreement.get("otherDetails"))
    _bool(element, "piSponsorEmployee", agreement.get("piSponsorEmployee"))
    opt_code(element, "restrictionType", vocab.AGREEMENT_RESTRICTION_TO_PRS, agreement.get("restrictionType"))
    _bool(element, "restrictiveAgreement", agreement.get("restrictiveAgreement"))


def _point_of_contact(result: etree._Element, module: Record) -> None:
    contact = module.get("pointOfContact")
    if not contact:
        return
    element = sub(result, "pointOfContact")
    opt(element, "email", contact.get("email"))
    opt(element, "organizationName", contact.get("organization"))
    opt(element, "phoneExtension", contact.get("phoneExt"))
    opt(element, "phoneNumber", contact.get("phone"))
    opt(element, "title", contact.get("title"))


def has_results(record: Record) -> bool:
    section = get(record, "resultsSection") or {}
    return any(section.get(module) for module in RESULT_MODULES)


def build_result(record: Record, *, subsets: Collection[str] | None = None) -> etree._Element:
    """``rrs:result`` for the record; with ``subsets`` a partial upload holding only those subsets."""
    section = get(record, "resultsSection") or {}
    more_info = section.get("moreInfoModule") or {}
    wanted = set(subsets) if subsets is not None else None

    def include(subset: str) -> bool:
        return wanted is None or subset in wanted

    result = etree.Element(etree.QName(RRS_NS, "result"), nsmap=RRS_NSMAP)
    if wanted is not None:
        result.set("partialUpload", "true")
    if include("baseline") and section.get("baselineCharacteristicsModule"):
        _baseline(result, section["baselineCharacteristicsModule"])
    if include("certainAgreement"):
        _certain_agreement(result, more_info)
    if include("limitationsAndCaveats") and get(more_info, "limitationsAndCaveats", "description"):
        sub(
            sub(result, "limitationsAndCaveats"),
            "description",
            more_info["limitationsAndCaveats"]["description"],
        )
    _outcome_measures(result, section.get("outcomeMeasuresModule") if include("outcomeMeasures") else None)
    if include("participantFlow") and section.get("participantFlowModule"):
        _participant_flow(result, section["participantFlowModule"])
    if include("pointOfContact"):
        _point_of_contact(result, more_info)
    if include("reportedEvents") and section.get("adverseEventsModule"):
        _reported_events(result, section["adverseEventsModule"])
    return result


def build_result_disposition(record: Record) -> etree._Element | None:
    """``rrs:resultDisposition`` for a delayed-results certification or extension request, if any."""
    module = get(record, "resultsSection", "delayedResultsModule")
    if not module:
        return None
    element = etree.Element(etree.QName(RRS_NS, "resultDisposition"), nsmap=RRS_NSMAP)
    disposition = sub(element, "disposition")
    _date(disposition, "anticipatedPostingDate", module.get("extensionGrantedUntil"))
    details = sub(disposition, "applicationApprovalDetails")
    for number in module.get("applicationNumbers") or []:
        sub(sub(details, "appApprovalDetail"), "approvalNumber", number)
    opt(disposition, "delayReason", module.get("reason"))
    opt_code(disposition, "delayType", vocab.DELAY_TYPE_TO_PRS, module.get("certificationType"))
    names = module.get("interventionNames") or []
    # PRS has one intervention-name field; several names travel joined, and the importer splits them.
    opt(disposition, "interventionName", "; ".join(names))
    return element


def result_subsets(changed_modules: Collection[str]) -> set[str]:
    subsets: set[str] = set()
    for module in changed_modules:
        subsets.update(RESULT_MODULE_SUBSETS.get(module, ()))
    return subsets
