"""Read the classic ClinicalTrials.gov public XML (public.xsd 2019.02.14, retired 2024) into a record.

Sponsors still hold these files in their archives. Dates such as "October 2009" become ISO partial dates;
reporting-group IDs (P1, B1, O1, E1) become API v2 IDs by position (FG000, BG000, OG000, EG000); the
adverse-event "Total" rows become the per-group totals of API v2's eventGroups. What ClinicalTrials.gov
derived (``DERIVED_ELEMENTS``: required_header, source, location_countries, MeSH browse terms, ...) is
listed in ``derived``, anything else not mapped in ``dropped``. The submission dates and
``pending_results`` (results in QC review) become the registry ``history``.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from registries.ctgov import vocab
from registries.ctgov.importers._xmlread import (
    XmlReader,
    age,
    compact,
    contacts_locations,
    interventions_for_arms,
    iso_date,
    put,
    see_also_links,
    value_of,
)
from registries.ctgov.importers.history import ReviewCycle, registry_history
from registries.enums import MAX_RECORD_BYTES
from registries.findings import RegistryError
from registries.importers import ImportResult
from registries.schema import RECORD_SCHEMA_VERSION
from registries.xmlsafe import parse_xml

FORMAT = "ctgov-public-xml"
_MASKING = re.compile(r"^\s*([^(]+?)\s*(?:\((.*)\))?\s*$")
_POSTING_DATE = re.compile(r"^(?:(\d{2})/)?(\d{4})$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TYPE = {"actual": "ACTUAL", "anticipated": "ESTIMATED", "estimate": "ESTIMATED"}
_TOTAL_CATEGORY = "total"
# Elements ClinicalTrials.gov generated for the public record (public.xsd comments): the download header,
# the sponsor as displayed, the QC date of the latest update, MeSH browse terms, the countries derived from
# locations; pending_results is read as registry history.
DERIVED_ELEMENTS = (
    "required_header",
    "source",
    "last_update_submitted_qc",
    "condition_browse",
    "intervention_browse",
    "location_countries",
    "removed_countries",
    "pending_results",
)


def _date_struct(reader: XmlReader, parent: etree._Element, tag: str) -> dict[str, Any] | None:
    date = reader.date(parent, tag)
    element = reader.child(parent, tag)
    if date is None or element is None:
        return None
    kind = _DATE_TYPE.get((element.get("type") or "").casefold())
    return compact({"date": date, "type": kind})


def _full_date(reader: XmlReader, parent: etree._Element, tag: str) -> str | None:
    """Submission dates are full dates in the record; a month-only one is dropped, not guessed."""
    date = reader.date(parent, tag)
    element = reader.child(parent, tag)
    if date is None or element is None:
        return None
    if not _FULL_DATE.match(date):
        reader.drop(element)
        return None
    return date


def _status(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    module: dict[str, Any] = {}
    put(module, "statusVerifiedDate", reader.date(study, "verification_date"))
    put(module, "overallStatus", reader.mapped(study, "overall_status", vocab.PUBLIC_STATUS_FROM_XML))
    put(module, "lastKnownStatus", reader.mapped(study, "last_known_status", vocab.PUBLIC_STATUS_FROM_XML))
    put(module, "whyStopped", reader.text(study, "why_stopped"))
    has_ea = reader.flag(study, "has_expanded_access")
    if has_ea is not None:
        module["expandedAccessInfo"] = {"hasExpandedAccess": has_ea}
    put(module, "startDateStruct", _date_struct(reader, study, "start_date"))
    put(module, "primaryCompletionDateStruct", _date_struct(reader, study, "primary_completion_date"))
    put(module, "completionDateStruct", _date_struct(reader, study, "completion_date"))
    for tag, key in (
        ("study_first_submitted", "studyFirstSubmitDate"),
        ("study_first_submitted_qc", "studyFirstSubmitQcDate"),
        ("results_first_submitted", "resultsFirstSubmitDate"),
        ("results_first_submitted_qc", "resultsFirstSubmitQcDate"),
        ("disposition_first_submitted", "dispFirstSubmitDate"),
        ("disposition_first_submitted_qc", "dispFirstSubmitQcDate"),
        ("last_update_submitted", "lastUpdateSubmitDate"),
    ):
        put(module, key, _full_date(reader, study, tag))
    for tag, key in (
        ("study_first_posted", "studyFirstPostDateStruct"),
        ("results_first_posted", "resultsFirstPostDateStruct"),
        ("disposition_first_posted", "dispFirstPostDateStruct"),
        ("last_update_posted", "lastUpdatePostDateStruct"),
    ):
        struct = _date_struct(reader, study, tag)
        if struct and _FULL_DATE.match(struct["date"]):
            module[key] = struct
    return module


def _design(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    module: dict[str, Any] = {}
    type_element = reader.child(study, "study_type")
    type_text = value_of(type_element) or ""
    put(module, "studyType", vocab.from_prs(vocab.STUDY_TYPE_FROM_PRS, type_text))
    if "patient registry" in type_text.casefold():
        module["patientRegistry"] = True
    phase_element = reader.child(study, "phase")
    phases = vocab.phases_from_prs(value_of(phase_element))
    if phases is None and value_of(phase_element) is not None and phase_element is not None:
        reader.drop(phase_element)
    put(module, "phases", phases)
    ea = reader.child(study, "expanded_access_info")
    if ea is not None:
        put(
            module,
            "expandedAccessTypes",
            compact(
                {
                    k: reader.flag(ea, f"expanded_access_type_{k}")
                    for k in ("individual", "intermediate", "treatment")
                }
            ),
        )
    info_element = reader.child(study, "study_design_info")
    info: dict[str, Any] = {}
    put(info, "allocation", reader.mapped(info_element, "allocation", vocab.ALLOCATION_FROM_PRS))
    put(
        info,
        "interventionModel",
        reader.mapped(info_element, "intervention_model", vocab.INTERVENTION_MODEL_FROM_PRS),
    )
    put(info, "interventionModelDescription", reader.text(info_element, "intervention_model_description"))
    put(
        info, "primaryPurpose", reader.mapped(info_element, "primary_purpose", vocab.PRIMARY_PURPOSE_FROM_PRS)
    )
    put(
        info,
        "observationalModel",
        reader.mapped(info_element, "observational_model", vocab.OBSERVATIONAL_MODEL_FROM_PRS),
    )
    put(
        info,
        "timePerspective",
        reader.mapped(info_element, "time_perspective", vocab.TIME_PERSPECTIVE_FROM_PRS),
    )
    masking_element = reader.child(info_element, "masking")
    masking: dict[str, Any] = {}
    match = _MASKING.match(value_of(masking_element) or "")
    if match and masking_element is not None:
        level = vocab.PUBLIC_MASKING_FROM_XML.get(match.group(1).casefold())
        who = [
            vocab.PUBLIC_WHO_MASKED_FROM_XML[p.strip().casefold()]
            for p in (match.group(2) or "").split(",")
            if p.strip().casefold() in vocab.PUBLIC_WHO_MASKED_FROM_XML
        ]
        if level is None:
            reader.drop(masking_element)
        put(masking, "masking", level)
        put(masking, "whoMasked", who)
    put(masking, "maskingDescription", reader.text(info_element, "masking_description"))
    put(info, "maskingInfo", masking)
    put(module, "designInfo", info)
    put(module, "targetDuration", age(reader.text(study, "target_duration")))
    put(
        module,
        "bioSpec",
        compact(
            {
                "retention": reader.mapped(study, "biospec_retention", vocab.BIOSPEC_RETENTION_FROM_PRS),
                "description": reader.block(study, "biospec_descr"),
            }
        ),
    )
    enrollment = reader.child(study, "enrollment")
    count = reader.as_int(enrollment, value_of(enrollment))
    if count is not None and enrollment is not None:
        module["enrollmentInfo"] = compact(
            {"count": count, "type": _DATE_TYPE.get((enrollment.get("type") or "").casefold())}
        )
    reader.child(study, "number_of_arms")
    reader.child(study, "number_of_groups")
    return module


def _protocol(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    id_info = reader.child(study, "id_info")
    identification = compact(
        {
            "nctId": reader.text(id_info, "nct_id"),
            "nctIdAliases": reader.texts(id_info, "nct_alias"),
            "orgStudyIdInfo": compact({"id": reader.text(id_info, "org_study_id")}),
            "secondaryIdInfos": [{"id": s} for s in reader.texts(id_info, "secondary_id")],
            "briefTitle": reader.text(study, "brief_title"),
            "officialTitle": reader.text(study, "official_title"),
            "acronym": reader.text(study, "acronym"),
        }
    )
    sponsors = reader.child(study, "sponsors")

    def agency(element: etree._Element) -> dict[str, Any]:
        return compact(
            {
                "name": reader.text(element, "agency"),
                "class": vocab.AGENCY_CLASS_FROM_PUBLIC.get(
                    (reader.text(element, "agency_class") or "").casefold()
                ),
            }
        )

    lead = reader.child(sponsors, "lead_sponsor")
    party = reader.child(study, "responsible_party")
    sponsor_module = compact(
        {
            "leadSponsor": agency(lead) if lead is not None else {},
            "collaborators": [agency(c) for c in reader.children(sponsors, "collaborator")],
            "responsibleParty": compact(
                {
                    "type": reader.mapped(party, "responsible_party_type", vocab.RESPONSIBLE_PARTY_FROM_PRS),
                    "investigatorFullName": reader.text(party, "investigator_full_name"),
                    "investigatorTitle": reader.text(party, "investigator_title"),
                    "investigatorAffiliation": reader.text(party, "investigator_affiliation"),
                    "oldNameTitle": reader.text(party, "name_title"),
                    "oldOrganization": reader.text(party, "organization"),
                }
            ),
        }
    )
    oversight = reader.child(study, "oversight_info")
    oversight_module = compact(
        {
            "oversightHasDmc": reader.flag(oversight, "has_dmc"),
            "isFdaRegulatedDrug": reader.flag(oversight, "is_fda_regulated_drug"),
            "isFdaRegulatedDevice": reader.flag(oversight, "is_fda_regulated_device"),
            "isUnapprovedDevice": reader.flag(oversight, "is_unapproved_device"),
            "isPpsd": reader.flag(oversight, "is_ppsd"),
            "isUsExport": reader.flag(oversight, "is_us_export"),
        }
    )
    outcomes: dict[str, Any] = {}
    for tag, key in (
        ("primary_outcome", "primaryOutcomes"),
        ("secondary_outcome", "secondaryOutcomes"),
        ("other_outcome", "otherOutcomes"),
    ):
        put(
            outcomes,
            key,
            [
                compact(
                    {
                        "measure": reader.text(e, "measure"),
                        "description": reader.text(e, "description"),
                        "timeFrame": reader.text(e, "time_frame"),
                    }
                )
                for e in reader.children(study, tag)
            ],
        )
    interventions = [
        compact(
            {
                "type": reader.mapped(e, "intervention_type", vocab.INTERVENTION_TYPE_FROM_PRS),
                "name": reader.text(e, "intervention_name"),
                "description": reader.text(e, "description"),
                "armGroupLabels": reader.texts(e, "arm_group_label"),
                "otherNames": reader.texts(e, "other_name"),
            }
        )
        for e in reader.children(study, "intervention")
    ]
    names = interventions_for_arms(interventions)
    arms = []
    for element in reader.children(study, "arm_group"):
        label = reader.text(element, "arm_group_label") or ""
        arms.append(
            compact(
                {
                    "label": label,
                    "type": reader.mapped(element, "arm_group_type", vocab.ARM_TYPE_FROM_PRS),
                    "description": reader.text(element, "description"),
                    "interventionNames": names(label),
                }
            )
        )
    eligibility = reader.child(study, "eligibility")
    healthy_element = reader.child(eligibility, "healthy_volunteers")
    healthy_text = (value_of(healthy_element) or "").casefold()
    eligibility_module = compact(
        {
            "eligibilityCriteria": reader.block(eligibility, "criteria"),
            # Public XML writes "Accepts Healthy Volunteers" or "No".
            "healthyVolunteers": None if not healthy_text else healthy_text != "no",
            "sex": reader.mapped(eligibility, "gender", vocab.SEX_FROM_PRS),
            "genderBased": reader.flag(eligibility, "gender_based"),
            "genderDescription": reader.text(eligibility, "gender_description"),
            "minimumAge": age(reader.text(eligibility, "minimum_age")),
            "maximumAge": age(reader.text(eligibility, "maximum_age")),
            "studyPopulation": reader.block(eligibility, "study_pop"),
            "samplingMethod": reader.mapped(eligibility, "sampling_method", vocab.SAMPLING_METHOD_FROM_PRS),
        }
    )
    return compact(
        {
            "identificationModule": identification,
            "statusModule": _status(reader, study),
            "sponsorCollaboratorsModule": sponsor_module,
            "oversightModule": oversight_module,
            "descriptionModule": compact(
                {
                    "briefSummary": reader.block(study, "brief_summary"),
                    "detailedDescription": reader.block(study, "detailed_description"),
                }
            ),
            "conditionsModule": compact(
                {"conditions": reader.texts(study, "condition"), "keywords": reader.texts(study, "keyword")}
            ),
            "designModule": _design(reader, study),
            "armsInterventionsModule": compact({"armGroups": arms, "interventions": interventions}),
            "outcomesModule": outcomes,
            "eligibilityModule": eligibility_module,
            "contactsLocationsModule": contacts_locations(reader, study),
            "referencesModule": _references(reader, study),
            "ipdSharingStatementModule": _ipd(reader, study),
        }
    )


def _references(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    references = []
    for tag, kind in (("reference", "BACKGROUND"), ("results_reference", "RESULT")):
        for element in reader.children(study, tag):
            references.append(
                compact(
                    {
                        "pmid": reader.text(element, "PMID"),
                        "type": kind,
                        "citation": reader.text(element, "citation"),
                    }
                )
            )
    links = see_also_links(reader, study)
    docs = [
        compact(
            {
                "id": reader.text(e, "doc_id"),
                "type": reader.text(e, "doc_type"),
                "url": reader.text(e, "doc_url"),
                "comment": reader.text(e, "doc_comment"),
            }
        )
        for e in reader.children(reader.child(study, "study_docs"), "study_doc")
    ]
    return compact({"references": references, "seeAlsoLinks": links, "availIpds": docs})


def _ipd(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    element = reader.child(study, "patient_data")
    if element is None:
        return {}
    types = [
        vocab.PUBLIC_IPD_INFO_TYPE_FROM_XML[t.casefold()]
        for t in reader.texts(element, "ipd_info_type")
        if t.casefold() in vocab.PUBLIC_IPD_INFO_TYPE_FROM_XML
    ]
    return compact(
        {
            "ipdSharing": reader.mapped(element, "sharing_ipd", vocab.IPD_SHARING_FROM_PRS),
            "description": reader.text(element, "ipd_description"),
            "infoTypes": types,
            "timeFrame": reader.text(element, "ipd_time_frame"),
            "accessCriteria": reader.text(element, "ipd_access_criteria"),
            "url": reader.text(element, "ipd_url"),
        }
    )


# --- results ------------------------------------------------------------------------------------------


def _group_ids(
    reader: XmlReader, group_list: etree._Element | None, prefix: str
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    ids: dict[str, str] = {}
    groups = []
    for index, element in enumerate(reader.children(group_list, "group")):
        new_id = f"{prefix}{index:03d}"
        ids[str(element.get("group_id"))] = new_id
        groups.append(
            compact(
                {
                    "id": new_id,
                    "title": reader.text(element, "title"),
                    "description": reader.text(element, "description"),
                }
            )
        )
    return ids, groups


def _analyzed(reader: XmlReader, parent: etree._Element | None, ids: dict[str, str]) -> list[dict[str, Any]]:
    denoms = []
    for analyzed in reader.children(reader.child(parent, "analyzed_list"), "analyzed"):
        reader.text(analyzed, "scope")
        counts = [
            {"groupId": ids.get(str(c.get("group_id")), str(c.get("group_id"))), "value": c.get("value", "")}
            for c in reader.children(reader.child(analyzed, "count_list"), "count")
        ]
        denoms.append({"units": reader.text(analyzed, "units") or "Participants", "counts": counts})
    return denoms


def _measure(
    reader: XmlReader, measure: etree._Element | None, ids: dict[str, str], baseline: bool
) -> dict[str, Any]:
    classes = []
    for element in reader.children(reader.child(measure, "class_list"), "class"):
        categories = []
        for category in reader.children(reader.child(element, "category_list"), "category"):
            measurements = [
                compact(
                    {
                        "groupId": ids.get(str(m.get("group_id")), str(m.get("group_id"))),
                        "value": m.get("value"),
                        "spread": m.get("spread"),
                        "lowerLimit": m.get("lower_limit"),
                        "upperLimit": m.get("upper_limit"),
                        "comment": value_of(m),
                    }
                )
                for m in reader.children(reader.child(category, "measurement_list"), "measurement")
            ]
            categories.append(
                compact({"title": reader.text(category, "title"), "measurements": measurements})
            )
        classes.append(
            compact(
                {
                    "title": reader.text(element, "title"),
                    "denoms": _analyzed(reader, element, ids),
                    "categories": categories,
                }
            )
        )
    dispersion_text = reader.text(measure, "dispersion")
    dispersion = vocab.from_prs(vocab.DISPERSION_FROM_PRS, dispersion_text) if baseline else dispersion_text
    return compact(
        {
            "title": reader.text(measure, "title"),
            "description": reader.text(measure, "description"),
            "populationDescription": reader.text(measure, "population"),
            "unitOfMeasure": reader.text(measure, "units"),
            "paramType": reader.mapped(measure, "param", vocab.MEASURE_PARAM_FROM_PRS),
            "dispersionType": dispersion,
            "denomUnitsSelected": reader.text(measure, "units_analyzed"),
            "denoms": _analyzed(reader, measure, ids),
            "classes": classes,
        }
    )


def _flow(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    ids, groups = _group_ids(reader, reader.child(element, "group_list"), "FG")

    def stats(parent: etree._Element) -> list[dict[str, Any]]:
        return [
            compact(
                {
                    "groupId": ids.get(str(p.get("group_id")), str(p.get("group_id"))),
                    "numSubjects": p.get("count"),
                    "comment": value_of(p),
                }
            )
            for p in reader.children(reader.child(parent, "participants_list"), "participants")
        ]

    periods = []
    for period in reader.children(reader.child(element, "period_list"), "period"):
        milestones = [
            compact({"type": reader.text(m, "title"), "achievements": stats(m)})
            for m in reader.children(reader.child(period, "milestone_list"), "milestone")
        ]
        drops = [
            compact({"type": reader.text(d, "title"), "reasons": stats(d)})
            for d in reader.children(
                reader.child(period, "drop_withdraw_reason_list"), "drop_withdraw_reason"
            )
        ]
        periods.append(
            compact({"title": reader.text(period, "title"), "milestones": milestones, "dropWithdraws": drops})
        )
    return compact(
        {
            "recruitmentDetails": reader.text(element, "recruitment_details"),
            "preAssignmentDetails": reader.text(element, "pre_assignment_details"),
            "groups": groups,
            "periods": periods,
        }
    )


def _baseline(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    ids, groups = _group_ids(reader, reader.child(element, "group_list"), "BG")
    return compact(
        {
            "populationDescription": reader.text(element, "population"),
            "groups": groups,
            "denoms": _analyzed(reader, element, ids),
            "measures": [
                _measure(reader, m, ids, baseline=True)
                for m in reader.children(reader.child(element, "measure_list"), "measure")
            ],
        }
    )


def _analysis(reader: XmlReader, element: etree._Element, ids: dict[str, str]) -> dict[str, Any]:
    refs = reader.texts(reader.child(element, "group_id_list"), "group_id")
    return compact(
        {
            "groupIds": [ids.get(r, r) for r in refs],
            "groupDescription": reader.text(element, "groups_desc"),
            "nonInferiorityType": reader.mapped(
                element, "non_inferiority_type", vocab.NON_INFERIORITY_FROM_PRS
            ),
            "nonInferiorityComment": reader.text(element, "non_inferiority_desc"),
            "pValue": reader.text(element, "p_value"),
            "pValueComment": reader.text(element, "p_value_desc"),
            "statisticalMethod": reader.text(element, "method"),
            "statisticalComment": reader.text(element, "method_desc"),
            "paramType": reader.text(element, "param_type"),
            "paramValue": reader.text(element, "param_value"),
            "dispersionType": reader.mapped(element, "dispersion_type", vocab.ANALYSIS_DISPERSION_FROM_PRS),
            "dispersionValue": reader.text(element, "dispersion_value"),
            "ciPctValue": reader.text(element, "ci_percent"),
            "ciNumSides": reader.mapped(element, "ci_n_sides", vocab.CI_SIDES_FROM_PRS),
            "ciLowerLimit": reader.text(element, "ci_lower_limit"),
            "ciUpperLimit": reader.text(element, "ci_upper_limit"),
            "ciUpperLimitComment": reader.text(element, "ci_upper_limit_na_comment"),
            "estimateComment": reader.text(element, "estimate_desc"),
            "otherAnalysisDescription": reader.text(element, "other_analysis_desc"),
        }
    )


def _outcome(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    ids, groups = _group_ids(reader, reader.child(element, "group_list"), "OG")
    measure = _measure(reader, reader.child(element, "measure"), ids, baseline=False)
    posting = None
    posting_element = reader.child(element, "posting_date")
    match = _POSTING_DATE.match(value_of(posting_element) or "")
    if match:
        posting = f"{match.group(2)}-{match.group(1)}" if match.group(1) else match.group(2)
    outcome = compact(
        {
            "type": reader.mapped(element, "type", vocab.OUTCOME_TYPE_FROM_PRS),
            "title": reader.text(element, "title"),
            "description": reader.text(element, "description"),
            "populationDescription": reader.text(element, "population"),
            "timeFrame": reader.text(element, "time_frame"),
            "anticipatedPostingDate": posting,
            "groups": groups,
        }
    )
    for key, value in measure.items():
        outcome.setdefault(key, value)
    put(
        outcome,
        "analyses",
        [
            _analysis(reader, a, ids)
            for a in reader.children(reader.child(element, "analysis_list"), "analysis")
        ],
    )
    return outcome


def _reported_events(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    ids, groups = _group_ids(reader, reader.child(element, "group_list"), "EG")
    by_id = {g["id"]: g for g in groups}
    module: dict[str, Any] = {
        "timeFrame": reader.text(element, "time_frame"),
        "description": reader.text(element, "desc"),
    }
    for tag, key, prefix in (
        ("serious_events", "seriousEvents", "serious"),
        ("other_events", "otherEvents", "other"),
    ):
        events_element = reader.child(element, tag)
        if events_element is None:
            continue
        threshold = reader.text(events_element, "frequency_threshold")
        if threshold is not None:
            module["frequencyThreshold"] = threshold
        default_vocab = reader.text(events_element, "default_vocab")
        default_assessment = reader.mapped(
            events_element, "default_assessment", vocab.EVENT_ASSESSMENT_FROM_PRS
        )
        events = []
        for category in reader.children(reader.child(events_element, "category_list"), "category"):
            organ_system = reader.text(category, "title")
            for event in reader.children(reader.child(category, "event_list"), "event"):
                sub_title = reader.child(event, "sub_title")
                term = value_of(sub_title)
                counts = reader.children(event, "counts")
                if (organ_system or "").casefold() == _TOTAL_CATEGORY:
                    # "Total, serious adverse events" / "Total, other adverse events" / "Total, all-cause
                    # mortality" rows are API v2's per-group totals, not events.
                    target = "deaths" if term and "mortality" in term.casefold() else prefix
                    for count in counts:
                        group = by_id.get(ids.get(str(count.get("group_id")), ""))
                        if group is not None:
                            put(
                                group,
                                f"{target}NumAffected",
                                reader.as_int(count, count.get("subjects_affected")),
                            )
                            put(
                                group,
                                f"{target}NumAtRisk",
                                reader.as_int(count, count.get("subjects_at_risk")),
                            )
                    continue
                stats = [
                    compact(
                        {
                            "groupId": ids.get(str(c.get("group_id")), str(c.get("group_id"))),
                            "numEvents": reader.as_int(c, c.get("events")),
                            "numAffected": reader.as_int(c, c.get("subjects_affected")),
                            "numAtRisk": reader.as_int(c, c.get("subjects_at_risk")),
                        }
                    )
                    for c in counts
                ]
                events.append(
                    compact(
                        {
                            "term": term,
                            "organSystem": organ_system,
                            "sourceVocabulary": (sub_title.get("vocab") if sub_title is not None else None)
                            or default_vocab,
                            "assessmentType": reader.mapped(
                                event, "assessment", vocab.EVENT_ASSESSMENT_FROM_PRS
                            )
                            or default_assessment,
                            "notes": reader.text(event, "description"),
                            "stats": stats,
                        }
                    )
                )
        put(module, key, events)
    module["eventGroups"] = groups
    return compact(module)


def _more_info(reader: XmlReader, results: etree._Element) -> dict[str, Any]:
    agreements = reader.child(results, "certain_agreements")
    pi_text = (reader.text(agreements, "pi_employee") or "").casefold()
    restrictive_text = reader.text(agreements, "restrictive_agreement")
    restrictive = None
    if restrictive_text:
        restrictive = "not an agreement" not in restrictive_text.casefold()
    contact = reader.child(results, "point_of_contact")
    return compact(
        {
            "certainAgreement": compact(
                {
                    "piSponsorEmployee": vocab.PUBLIC_PI_EMPLOYEE_FROM_XML.get(pi_text),
                    "restrictiveAgreement": restrictive,
                    # The sentence is kept whole: it may state the restriction's terms.
                    "otherDetails": restrictive_text if restrictive else None,
                }
            ),
            "limitationsAndCaveats": compact(
                {"description": reader.text(results, "limitations_and_caveats")}
            ),
            "pointOfContact": compact(
                {
                    "title": reader.text(contact, "name_or_title"),
                    "organization": reader.text(contact, "organization"),
                    "phone": reader.text(contact, "phone"),
                    "email": reader.text(contact, "email"),
                }
            ),
        }
    )


def _results(reader: XmlReader, results: etree._Element) -> dict[str, Any]:
    section: dict[str, Any] = {}
    flow = reader.child(results, "participant_flow")
    if flow is not None:
        put(section, "participantFlowModule", _flow(reader, flow))
    baseline = reader.child(results, "baseline")
    if baseline is not None:
        put(section, "baselineCharacteristicsModule", _baseline(reader, baseline))
    outcomes = [
        _outcome(reader, o) for o in reader.children(reader.child(results, "outcome_list"), "outcome")
    ]
    put(section, "outcomeMeasuresModule", compact({"outcomeMeasures": outcomes}))
    events = reader.child(results, "reported_events")
    if events is not None:
        put(section, "adverseEventsModule", _reported_events(reader, events))
    put(section, "moreInfoModule", _more_info(reader, results))
    return section


def _top_element(xpath: str) -> str:
    """/clinical_study/condition_browse/mesh_term[2] -> condition_browse."""
    parts = xpath.split("/")
    return parts[2].partition("[")[0] if len(parts) > 2 else ""


def _review_cycles(reader: XmlReader, root: etree._Element) -> list[ReviewCycle]:
    """``pending_results``: submitted / returned / submission_canceled dates in the order they happened
    (public.xsd notes of 2018-05-09); each ``submitted`` opens a review cycle."""
    pending = reader.child(root, "pending_results")
    cycles: list[dict[str, Any]] = []
    for element in pending if pending is not None else []:
        if not isinstance(element.tag, str):
            continue
        value = value_of(element) or ""
        day = iso_date(value)
        day = day if day and _FULL_DATE.match(day) else None
        at = element.getroottree().getpath(element)
        if element.tag == "submitted" and day:
            cycles.append({"submitted_on": day, "source": at})
        elif element.tag == "returned" and cycles:
            cycles[-1].update(returned=True, returned_on=day)
        elif element.tag == "submission_canceled" and cycles:
            cycles[-1].update(cancelled=True, cancelled_on=day)
    return [ReviewCycle(**cycle) for cycle in cycles]


def import_public_xml(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult:
    """Read one classic public XML study (root ``clinical_study``, no namespace) into a record.

    Raises RegistryError: xml.too_large (more than ``max_bytes``), xml.malformed / xml.forbidden_doctype,
    or import.not_public_xml.
    """
    root = parse_xml(data, max_bytes=max_bytes)
    if root.tag != "clinical_study" or root.find("id_info") is None:
        raise RegistryError(
            "import.not_public_xml",
            f"The document root is {root.tag!s}; the classic public XML has clinical_study with id_info.",
        )
    reader = XmlReader(root)
    record: dict[str, Any] = {"schemaVersion": RECORD_SCHEMA_VERSION}
    put(record, "protocolSection", _protocol(reader, root))
    results = reader.child(root, "clinical_results")
    if results is not None:
        put(record, "resultsSection", _results(reader, results))
    cycles = _review_cycles(reader, root)
    status = record.get("protocolSection", {}).get("statusModule", {})
    history = registry_history(status, cycles, status_source="/clinical_study")
    unread = reader.unread()
    derived = [p for p in unread if _top_element(p) in DERIVED_ELEMENTS]
    dropped = [p for p in unread if _top_element(p) not in DERIVED_ELEMENTS]
    return ImportResult(record=record, dropped=dropped, derived=derived, history=history)


__all__ = ["FORMAT", "import_public_xml"]
