"""Read PRS XML (as downloaded from or uploaded to PRS) into a canonical record.

Accepts a ``prs:study_collection`` holding one ``clinical_study`` (protocol, with an optional embedded
``rrs:result`` and ``rrs:resultDisposition``), or a results-only ``rrs:result`` document. The mapping is
the inverse of ``protocol_xml`` / ``results_xml``; reporting-group IDs become API v2 IDs by position
(FG000, BG000, OG000, EG000). PRS-internal tags (provider_name, provider_study_id), deprecated tags and
values outside the vocabularies are listed in ``dropped`` as XPaths.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from registries.ctgov import vocab
from registries.ctgov.importers._xmlread import (
    XmlReader,
    age,
    compact,
    contacts_locations,
    interventions_for_arms,
    positional_ids,
    put,
    see_also_links,
    value_of,
)
from registries.enums import MAX_RECORD_BYTES
from registries.findings import RegistryError
from registries.importers import ImportResult
from registries.schema import RECORD_SCHEMA_VERSION
from registries.xmlsafe import parse_xml

FORMAT = "ctgov-prs-xml"
PRS_NS = "http://clinicaltrials.gov/prs"
RRS_NS = "http://clinicaltrials.gov/rrs"


def _date_struct(reader: XmlReader, study: etree._Element, tag: str) -> dict[str, Any] | None:
    date = reader.date(study, tag)
    if date is None:
        reader.child(study, f"{tag}_type")
        return None
    return compact({"date": date, "type": reader.mapped(study, f"{tag}_type", vocab.DATE_TYPE_FROM_PRS)})


def _identification(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    id_info = reader.child(study, "id_info")
    module: dict[str, Any] = {}
    put(module, "orgStudyIdInfo", compact({"id": reader.text(id_info, "org_study_id")}))
    secondaries = []
    for element in reader.children(id_info, "secondary_id"):
        kind = reader.mapped(element, "id_type", vocab.SECONDARY_ID_TYPE_FROM_PRS)
        domain = reader.text(element, "id_domain")
        if kind == "OTHER_GRANT" and domain in vocab.SECONDARY_ID_AGENCY_CODES:
            kind, domain = domain, None
        elif kind == "REGISTRY" and domain == vocab.CTIS_DOMAIN:
            kind, domain = "CTIS", None
        secondaries.append(compact({"id": reader.text(element, "id"), "type": kind, "domain": domain}))
    put(module, "secondaryIdInfos", secondaries)
    put(module, "briefTitle", reader.text(study, "brief_title"))
    put(module, "officialTitle", reader.text(study, "official_title"))
    put(module, "acronym", reader.text(study, "acronym"))
    put(module, "organization", compact({"fullName": reader.text(id_info, "org_name")}))
    return module


def _status(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    module: dict[str, Any] = {}
    put(module, "statusVerifiedDate", reader.date(study, "verification_date"))
    status = reader.mapped(study, "overall_status", vocab.STATUS_FROM_PRS)
    status = status or reader.mapped(study, "expanded_access_status", vocab.EXPANDED_ACCESS_STATUS_FROM_PRS)
    put(module, "overallStatus", status)
    put(module, "delayedPosting", reader.flag(study, "delayed_posting"))
    put(module, "whyStopped", reader.text(study, "why_stopped"))
    put(module, "startDateStruct", _date_struct(reader, study, "start_date"))
    put(module, "primaryCompletionDateStruct", _date_struct(reader, study, "primary_compl_date"))
    put(module, "completionDateStruct", _date_struct(reader, study, "last_follow_up_date"))
    return module


def _sponsors(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    sponsors = reader.child(study, "sponsors")
    if sponsors is None:
        return {}
    module: dict[str, Any] = {}
    party = reader.child(sponsors, "resp_party")
    if party is not None:
        put(
            module,
            "responsibleParty",
            compact(
                {
                    "type": reader.mapped(party, "resp_party_type", vocab.RESPONSIBLE_PARTY_FROM_PRS),
                    "investigatorTitle": reader.text(party, "investigator_title"),
                    "investigatorAffiliation": reader.text(party, "investigator_affiliation"),
                }
            ),
        )
    put(
        module,
        "leadSponsor",
        compact({"name": reader.text(reader.child(sponsors, "lead_sponsor"), "agency")}),
    )
    put(
        module,
        "collaborators",
        [compact({"name": reader.text(c, "agency")}) for c in reader.children(sponsors, "collaborator")],
    )
    return module


def _oversight(reader: XmlReader, study: etree._Element, first_country: str | None) -> dict[str, Any]:
    module: dict[str, Any] = {}
    element = reader.child(study, "oversight_info")
    for tag, key in (
        ("has_dmc", "oversightHasDmc"),
        ("fda_regulated_drug", "isFdaRegulatedDrug"),
        ("fda_regulated_device", "isFdaRegulatedDevice"),
        ("exported_from_us", "isUsExport"),
        ("ped_postmarket_surv", "isPpsd"),
    ):
        put(module, key, reader.flag(element, tag))
    irb = element.find("irb_info") if element is not None else None
    # The record keeps ethics approvals per country; PRS's board has none, so it takes the country of
    # the first site, and without a site it cannot be placed (then it is listed as dropped).
    if irb is not None and first_country:
        reader.use(irb)
        put(
            module,
            "ethicsApprovals",
            [
                compact(
                    {
                        "country": first_country,
                        "status": reader.mapped(irb, "approval_status", vocab.IRB_STATUS_FROM_PRS),
                        "referenceNumber": reader.text(irb, "approval_number"),
                        "committeeName": reader.text(irb, "name"),
                    }
                )
            ],
        )
    is_ind = reader.flag(study, "is_ind_study")
    info = reader.child(study, "ind_info")
    if is_ind and info is not None:
        grantor = reader.text(info, "ind_grantor")
        put(
            module,
            "indIdeInfos",
            [
                compact(
                    {
                        "type": "IDE" if grantor == "CDRH" else "IND",
                        "grantor": grantor,
                        "number": reader.text(info, "ind_number"),
                        "hasExpandedAccess": reader.flag(info, "has_expanded_access"),
                    }
                )
            ],
        )
    return module


def _design(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    module: dict[str, Any] = {}
    design = reader.child(study, "study_design")
    study_type = reader.mapped(design, "study_type", vocab.STUDY_TYPE_FROM_PRS)
    put(module, "studyType", study_type)
    info: dict[str, Any] = {}
    inter = reader.child(design, "interventional_design")
    if inter is not None:
        phase_element = reader.child(inter, "phase")
        phases = vocab.phases_from_prs(value_of(phase_element))
        if phases is None and value_of(phase_element) is not None and phase_element is not None:
            reader.drop(phase_element)
        put(module, "phases", phases)
        put(info, "allocation", reader.mapped(inter, "allocation", vocab.ALLOCATION_FROM_PRS))
        put(info, "interventionModel", reader.mapped(inter, "assignment", vocab.INTERVENTION_MODEL_FROM_PRS))
        put(info, "interventionModelDescription", reader.block(inter, "model_description"))
        put(
            info,
            "primaryPurpose",
            reader.mapped(inter, "interventional_subtype", vocab.PRIMARY_PURPOSE_FROM_PRS),
        )
        no_masking = reader.flag(inter, "no_masking")
        who = [
            role
            for role, tag in vocab.WHO_MASKED_TO_PRS_ELEMENT.items()
            if reader.flag(inter, tag) and not no_masking
        ]
        masking: dict[str, Any] = {}
        if no_masking is not None or who:
            masking["masking"] = vocab.MASKING_BY_COUNT[len(who)]
            put(masking, "whoMasked", who)
        put(masking, "maskingDescription", reader.block(inter, "masking_description"))
        put(info, "maskingInfo", masking)
        reader.child(inter, "number_of_arms")
    obs = reader.child(design, "observational_design")
    if obs is not None:
        put(
            info,
            "observationalModel",
            reader.mapped(obs, "observational_study_design", vocab.OBSERVATIONAL_MODEL_FROM_PRS),
        )
        put(info, "timePerspective", reader.mapped(obs, "timing", vocab.TIME_PERSPECTIVE_FROM_PRS))
        put(
            module,
            "bioSpec",
            compact(
                {
                    "retention": reader.mapped(
                        obs, "biospecimen_retention", vocab.BIOSPEC_RETENTION_FROM_PRS
                    ),
                    "description": reader.block(obs, "biospecimen_description"),
                }
            ),
        )
        put(module, "patientRegistry", reader.flag(obs, "patient_registry"))
        quantity = reader.text(obs, "target_duration_quantity")
        units = reader.text(obs, "target_duration_units")
        if quantity and units:
            put(module, "targetDuration", f"{quantity} {units.capitalize()}")
        reader.child(obs, "number_of_groups")
    no_type = reader.flag(design, "no_exp_acc_type")
    if no_type is not None:
        put(
            module,
            "expandedAccessTypes",
            {
                key: bool(reader.flag(design, f"exp_acc_type_{key}"))
                for key in ("individual", "intermediate", "treatment")
            },
        )
    put(module, "designInfo", info)
    count = reader.integer(study, "enrollment")
    if count is not None:
        put(
            module,
            "enrollmentInfo",
            compact(
                {
                    "count": count,
                    "type": reader.mapped(study, "enrollment_type", vocab.ENROLLMENT_TYPE_FROM_PRS),
                }
            ),
        )
    return module


def _outcomes(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    module: dict[str, Any] = {}
    for tag, key in (
        ("primary_outcome", "primaryOutcomes"),
        ("secondary_outcome", "secondaryOutcomes"),
        ("other_outcome", "otherOutcomes"),
    ):
        outcomes = [
            compact(
                {
                    "measure": reader.text(element, "outcome_measure"),
                    "description": reader.block(element, "outcome_description"),
                    "timeFrame": reader.text(element, "outcome_time_frame"),
                }
            )
            for element in reader.children(study, tag)
        ]
        put(module, key, outcomes)
    return module


def _arms(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    interventions = []
    for element in reader.children(study, "intervention"):
        interventions.append(
            compact(
                {
                    "type": reader.mapped(element, "intervention_type", vocab.INTERVENTION_TYPE_FROM_PRS),
                    "name": reader.text(element, "intervention_name"),
                    "description": reader.block(element, "intervention_description"),
                    "armGroupLabels": reader.texts(element, "arm_group_label"),
                    "otherNames": reader.texts(element, "intervention_other_name"),
                }
            )
        )
    names = interventions_for_arms(interventions)
    arms = []
    for element in reader.children(study, "arm_group"):
        label = reader.text(element, "arm_group_label") or ""
        arms.append(
            compact(
                {
                    "label": label,
                    "type": reader.mapped(element, "arm_type", vocab.ARM_TYPE_FROM_PRS),
                    "description": reader.block(element, "arm_group_description"),
                    "interventionNames": names(label),
                }
            )
        )
    return compact({"armGroups": arms, "interventions": interventions})


def _eligibility(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    element = reader.child(study, "eligibility")
    if element is None:
        return {}
    return compact(
        {
            "eligibilityCriteria": reader.block(element, "criteria"),
            "healthyVolunteers": reader.flag(element, "healthy_volunteers"),
            "sex": reader.mapped(element, "gender", vocab.SEX_FROM_PRS),
            "genderBased": reader.flag(element, "gender_based"),
            "genderDescription": reader.block(element, "gender_description"),
            "minimumAge": age(reader.text(element, "minimum_age")),
            "maximumAge": age(reader.text(element, "maximum_age")),
            "studyPopulation": reader.block(element, "study_population"),
            "samplingMethod": reader.mapped(element, "sampling_method", vocab.SAMPLING_METHOD_FROM_PRS),
        }
    )


def _ipd(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    element = reader.child(study, "ipd_sharing_statement")
    if element is None:
        return {}
    sharing = reader.mapped(element, "sharing_ipd", vocab.IPD_SHARING_FROM_PRS)
    info_types = [
        code for code, tag in vocab.IPD_INFO_TYPE_TO_PRS_ELEMENT.items() if reader.flag(element, tag)
    ]
    return compact(
        {
            "ipdSharing": sharing,
            "description": reader.block(element, "ipd_description"),
            "infoTypes": info_types if sharing == "YES" else [],
            "timeFrame": reader.block(element, "ipd_time_frame"),
            "accessCriteria": reader.block(element, "ipd_access_criteria"),
            "url": reader.text(element, "ipd_url"),
        }
    )


def _references(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    links = see_also_links(reader, study)
    references = []
    for element in reader.children(study, "reference"):
        is_result = reader.flag(element, "is_results_ref")
        references.append(
            compact(
                {
                    "pmid": reader.text(element, "pubmed_id"),
                    "type": None if is_result is None else ("RESULT" if is_result else "BACKGROUND"),
                    "citation": reader.text(element, "citation"),
                }
            )
        )
    documents = [
        compact(
            {
                "id": reader.text(e, "study_document_identifier"),
                "type": reader.text(e, "study_document_type"),
                "url": reader.text(e, "url"),
                "comment": reader.block(e, "study_document_comments"),
            }
        )
        for e in reader.children(study, "study_document")
    ]
    return compact({"references": references, "seeAlsoLinks": links, "availIpds": documents})


def read_protocol(reader: XmlReader, study: etree._Element) -> dict[str, Any]:
    """The protocolSection of a PRS clinical_study element."""
    contacts = contacts_locations(reader, study)
    first_country = next(
        (loc.get("country") for loc in contacts.get("locations", []) if loc.get("country")), None
    )
    conditions = compact(
        {"conditions": reader.texts(study, "condition"), "keywords": reader.texts(study, "keyword")}
    )
    description = compact(
        {
            "briefSummary": reader.block(study, "brief_summary"),
            "detailedDescription": reader.block(study, "detailed_description"),
        }
    )
    return compact(
        {
            "identificationModule": _identification(reader, study),
            "statusModule": _status(reader, study),
            "sponsorCollaboratorsModule": _sponsors(reader, study),
            "oversightModule": _oversight(reader, study, first_country),
            "descriptionModule": description,
            "conditionsModule": conditions,
            "designModule": _design(reader, study),
            "armsInterventionsModule": _arms(reader, study),
            "outcomesModule": _outcomes(reader, study),
            "eligibilityModule": _eligibility(reader, study),
            "contactsLocationsModule": contacts,
            "referencesModule": _references(reader, study),
            "ipdSharingStatementModule": _ipd(reader, study),
        }
    )


# --- results ------------------------------------------------------------------------------------------


def _groups(reader: XmlReader, elements: list[etree._Element], ids: dict[str, str]) -> list[dict[str, Any]]:
    return [
        compact(
            {
                "id": ids[str(e.get("id"))],
                "title": reader.text(e, "title"),
                "description": reader.text(e, "description"),
            }
        )
        for e in elements
    ]


def _denoms(
    reader: XmlReader, elements: list[etree._Element], ids: dict[str, str], units: str | None
) -> list[dict[str, Any]]:
    participants = []
    unit_counts = []
    for element in elements:
        group_id = ids.get(str(element.get("id") or ""), "")
        subjects = reader.text(element, "subjectsAnalyzed")
        if subjects is not None:
            participants.append({"groupId": group_id, "value": subjects})
        counted = reader.text(element, "numUnitsAnalyzed")
        if counted is not None:
            unit_counts.append({"groupId": group_id, "value": counted})
    denoms = []
    if participants:
        denoms.append({"units": "Participants", "counts": participants})
    if unit_counts:
        denoms.append({"units": units or "Units", "counts": unit_counts})
    return denoms


def _classes(reader: XmlReader, measure: etree._Element, ids: dict[str, str]) -> list[dict[str, Any]]:
    classes = []
    for row in reader.children(reader.child(measure, "measureRows"), "measureRow"):
        categories: dict[str | None, list[dict[str, Any]]] = {}
        participants = []
        for value in reader.children(reader.child(row, "reportedValues"), "reportedValue"):
            ref = reader.text(value, "reportingGroupId") or ""
            group_id = ids.get(ref, ref)
            subjects = reader.text(value, "subjectsAnalyzed")
            if subjects is not None:
                participants.append({"groupId": group_id, "value": subjects})
            reader.text(value, "numUnitsAnalyzed")
            for entry in reader.children(reader.child(value, "reportedEntries"), "reportedEntry"):
                measurement = compact(
                    {
                        "groupId": group_id,
                        "value": reader.text(entry, "parameterValue"),
                        "spread": reader.text(entry, "dispersionSpread"),
                        "lowerLimit": reader.text(entry, "dispersionLowerLimit"),
                        "upperLimit": reader.text(entry, "dispersionUpperLimit"),
                        "comment": reader.text(entry, "naComment"),
                    }
                )
                categories.setdefault(reader.text(entry, "catName"), []).append(measurement)
        measure_class = compact(
            {
                "title": reader.text(row, "title"),
                "denoms": [{"units": "Participants", "counts": participants}] if participants else [],
                "categories": [
                    compact({"title": title, "measurements": measurements})
                    for title, measurements in categories.items()
                ],
            }
        )
        classes.append(measure_class)
    return classes


def _measure_fields(reader: XmlReader, measure: etree._Element) -> dict[str, Any]:
    return {
        "description": reader.text(measure, "measureDescription"),
        "populationDescription": reader.text(measure, "populationAnalysisDescription"),
        "paramType": reader.mapped(measure, "parameterType", vocab.MEASURE_PARAM_FROM_PRS),
        "unitOfMeasure": reader.text(measure, "unitOfMeasure"),
        "calculatePct": reader.flag(measure, "calculatePct"),
        "denomUnitsSelected": reader.text(measure, "selectedUnitOfAnalysis"),
    }


def _baseline(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    group_elements = reader.children(
        reader.child(element, "baselineReportingGroups"), "baselineReportingGroup"
    )
    group_elements += reader.children(element, "totalBaselineReportingGroup")
    ids = positional_ids(group_elements, "BG")
    units = reader.text(element, "typeUnitsAnalyzed")
    measures = []
    for measure in reader.children(reader.child(element, "baselineMeasures"), "baselineMeasure"):
        title = reader.text(measure, "title")
        other_title = reader.text(measure, "otherTitle")
        if other_title and (title is None or title not in vocab.BASELINE_STANDARD_TITLES):
            title = other_title
        dispersion_element = reader.child(measure, "dispersionType")
        dispersion = vocab.from_prs(vocab.DISPERSION_FROM_PRS, value_of(dispersion_element))
        if dispersion is None and dispersion_element is not None and value_of(dispersion_element):
            reader.drop(dispersion_element)
        fields = _measure_fields(reader, measure)
        measures.append(
            compact(
                {
                    "title": title,
                    **fields,
                    "dispersionType": dispersion,
                    "classes": _classes(reader, measure, ids),
                }
            )
        )
    return compact(
        {
            "populationDescription": reader.text(element, "populationAnalysisDescription"),
            "typeUnitsAnalyzed": units,
            "groups": _groups(reader, group_elements, ids),
            "denoms": _denoms(reader, group_elements, ids, units),
            "measures": measures,
        }
    )


def _analysis(reader: XmlReader, element: etree._Element, ids: dict[str, str]) -> dict[str, Any]:
    refs = reader.texts(reader.child(element, "outcomeReportingGroups"), "outcomeReportingGroupId")
    return compact(
        {
            "groupIds": [ids.get(ref, ref) for ref in refs],
            "paramType": reader.text(element, "parameterType"),
            "paramValue": reader.text(element, "parameterValue"),
            "dispersionType": reader.mapped(element, "dispersionType", vocab.ANALYSIS_DISPERSION_FROM_PRS),
            "dispersionValue": reader.text(element, "dispersionValue"),
            "statisticalMethod": reader.text(element, "statisticalMethod"),
            "statisticalComment": reader.text(element, "statisticalTestComment"),
            "pValue": reader.text(element, "pValue"),
            "pValueComment": reader.text(element, "pValueComment"),
            "ciNumSides": reader.mapped(element, "ciNumSides", vocab.CI_SIDES_FROM_PRS),
            "ciPctValue": reader.text(element, "ciPctValue"),
            "ciLowerLimit": reader.text(element, "ciLowerLimit"),
            "ciUpperLimit": reader.text(element, "ciUpperLimit"),
            "ciUpperLimitComment": reader.text(element, "ciUpperLimitNaComment"),
            "estimateComment": reader.text(element, "estimateComment"),
            "nonInferiorityType": reader.mapped(
                element, "statisticalTestType", vocab.NON_INFERIORITY_FROM_PRS
            ),
            "nonInferiorityComment": reader.text(element, "nonInferiorityTestComment"),
            "otherAnalysisDescription": reader.text(element, "otherAnalysis"),
            "groupDescription": reader.text(element, "groupDescription"),
        }
    )


def _outcome_measures(reader: XmlReader, element: etree._Element | None) -> list[dict[str, Any]]:
    measures = []
    for measure in reader.children(element, "outcomeMeasure"):
        group_elements = reader.children(
            reader.child(measure, "outcomeReportingGroups"), "outcomeReportingGroup"
        )
        ids = positional_ids(group_elements, "OG")
        units = reader.text(measure, "typeUnitsAnalyzed")
        posting = reader.child(measure, "anticipatedResultPostingDate")
        year, month = reader.text(posting, "year"), reader.text(posting, "month")
        reader.text(measure, "reportingStatus")
        measures.append(
            compact(
                {
                    "type": reader.mapped(measure, "measureType", vocab.OUTCOME_TYPE_FROM_PRS),
                    "title": reader.text(measure, "title"),
                    **_measure_fields(reader, measure),
                    # Outcome dispersion is free text in API v2 ("Standard Deviation"): kept as written.
                    "dispersionType": reader.text(measure, "dispersionType"),
                    "timeFrame": reader.text(measure, "timeFrame"),
                    "anticipatedPostingDate": f"{year}-{int(month):02d}"
                    if year and month and month.isdigit()
                    else year,
                    "typeUnitsAnalyzed": units,
                    "groups": _groups(reader, group_elements, ids),
                    "denoms": _denoms(reader, group_elements, ids, units),
                    "classes": _classes(reader, measure, ids),
                    "analyses": [
                        _analysis(reader, a, ids)
                        for a in reader.children(
                            reader.child(measure, "outcomeMeasureAnalyses"), "measureAnalysis"
                        )
                    ],
                }
            )
        )
    return measures


def _achievements(
    reader: XmlReader, milestone: etree._Element | None, ids: dict[str, str]
) -> list[dict[str, Any]]:
    found = []
    for element in reader.children(reader.child(milestone, "milestoneAchievements"), "milestoneAchievement"):
        ref = reader.text(element, "reportingGroupId") or ""
        found.append(
            compact(
                {
                    "groupId": ids.get(ref, ref),
                    "comment": reader.text(element, "comment"),
                    "numSubjects": reader.text(element, "subjectsAchieve"),
                    "numUnits": reader.text(element, "unitsAchieve"),
                }
            )
        )
    return found


def _milestone(
    reader: XmlReader, element: etree._Element | None, kind: str | None, ids: dict[str, str]
) -> dict[str, Any]:
    return compact(
        {
            "type": kind,
            "comment": reader.text(element, "comment"),
            "achievements": _achievements(reader, element, ids),
        }
    )


def _participant_flow(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    group_elements = reader.children(reader.child(element, "participantFlowGroups"), "flowGroup")
    ids = positional_ids(group_elements, "FG")
    periods = []
    for period in reader.children(reader.child(element, "periods"), "period"):
        milestones = []
        started = _milestone(reader, reader.child(period, "startedMilestone"), vocab.MILESTONE_STARTED, ids)
        if started.get("achievements") or started.get("comment"):
            milestones.append(started)
        for other in reader.children(reader.child(period, "milestones"), "milestone"):
            milestones.append(_milestone(reader, other, reader.text(other, "titleOther"), ids))
        completed = _milestone(
            reader, reader.child(period, "completedMilestone"), vocab.MILESTONE_COMPLETED, ids
        )
        if completed.get("achievements") or completed.get("comment"):
            milestones.append(completed)
        drops = []
        for reason in reader.children(reader.child(period, "dropWithdrawReasons"), "dropWithdrawReason"):
            kind = reader.text(reason, "reasonType")
            other_name = reader.text(reason, "otherReasonName")
            reasons = []
            for detail in reader.children(reader.child(reason, "dropWithdrawReasonDetails"), "reasonDetail"):
                ref = reader.text(detail, "reportingGroupId") or ""
                reasons.append(
                    compact(
                        {"groupId": ids.get(ref, ref), "numSubjects": reader.text(detail, "subjectsAffected")}
                    )
                )
            name = other_name if kind == vocab.DROP_WITHDRAW_OTHER and other_name else kind
            drops.append(compact({"type": name, "reasons": reasons}))
        periods.append(
            compact({"title": reader.text(period, "title"), "milestones": milestones, "dropWithdraws": drops})
        )
    return compact(
        {
            "preAssignmentDetails": reader.text(element, "preAssignmentDescription"),
            "recruitmentDetails": reader.text(element, "recruitmentDetails"),
            "typeUnitsAnalyzed": reader.text(element, "typeUnitsAnalyzed"),
            "groups": _groups(reader, group_elements, ids),
            "periods": periods,
        }
    )


def _events(
    reader: XmlReader,
    parent: etree._Element | None,
    tag: str,
    ids: dict[str, str],
    defaults: dict[str, str | None],
) -> list[dict[str, Any]]:
    events = []
    for event in reader.children(parent, tag):
        stats = []
        for element in reader.children(reader.child(event, "adverseEventStats"), "eventStats"):
            ref = reader.text(element, "reportingGroupId") or ""
            stats.append(
                compact(
                    {
                        "groupId": ids.get(ref, ref),
                        "numEvents": reader.integer(element, "numEvents"),
                        "numAffected": reader.integer(element, "numSubjectsAffected"),
                        "numAtRisk": reader.integer(element, "numSubjects"),
                    }
                )
            )
        events.append(
            compact(
                {
                    "term": reader.text(event, "term"),
                    "organSystem": reader.text(event, "organSystemName"),
                    "sourceVocabulary": reader.text(event, "sourceVocabulary")
                    or defaults["sourceVocabulary"],
                    "assessmentType": reader.mapped(event, "assessmentType", vocab.EVENT_ASSESSMENT_FROM_PRS)
                    or defaults["assessmentType"],
                    "notes": reader.text(event, "notes"),
                    "stats": stats,
                }
            )
        )
    return events


def _reported_events(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    group_elements = reader.children(reader.child(element, "interventionGroups"), "interventionGroup")
    ids = positional_ids(group_elements, "EG")
    groups = []
    for group in group_elements:
        groups.append(
            compact(
                {
                    "id": ids[str(group.get("id"))],
                    "title": reader.text(group, "title"),
                    "description": reader.text(group, "description"),
                    "deathsNumAffected": reader.integer(group, "numDeaths"),
                    "deathsNumAtRisk": reader.integer(group, "partAtRiskAllCauseMort"),
                    "seriousNumAffected": reader.integer(group, "numSubjectsSeriousEvents"),
                    "seriousNumAtRisk": reader.integer(group, "partAtRiskSeriousEvents"),
                    "otherNumAffected": reader.integer(group, "numSubjectsFrequentEvents"),
                    "otherNumAtRisk": reader.integer(group, "partAtRiskFrequentEvents"),
                }
            )
        )
    defaults = {
        "sourceVocabulary": reader.text(element, "sourceVocabulary"),
        "assessmentType": reader.mapped(element, "assessmentType", vocab.EVENT_ASSESSMENT_FROM_PRS),
    }
    return compact(
        {
            "frequencyThreshold": reader.text(element, "frequencyReportingThreshold"),
            "timeFrame": reader.text(element, "timeFrame"),
            "description": reader.text(element, "notes"),
            "allCauseMortalityComment": reader.text(element, "allCauseMortComment"),
            "eventGroups": groups,
            "seriousEvents": _events(
                reader, reader.child(element, "seriousAdverseEvents"), "seriousEvent", ids, defaults
            ),
            "otherEvents": _events(
                reader, reader.child(element, "frequentAdverseEvents"), "frequentEvent", ids, defaults
            ),
        }
    )


def _more_info(reader: XmlReader, result: etree._Element) -> dict[str, Any]:
    agreement = reader.child(result, "certainAgreement")
    contact = reader.child(result, "pointOfContact")
    return compact(
        {
            "limitationsAndCaveats": compact(
                {"description": reader.text(reader.child(result, "limitationsAndCaveats"), "description")}
            ),
            "certainAgreement": compact(
                {
                    "piSponsorEmployee": reader.flag(agreement, "piSponsorEmployee"),
                    "restrictionType": reader.mapped(
                        agreement, "restrictionType", vocab.AGREEMENT_RESTRICTION_FROM_PRS
                    ),
                    "restrictiveAgreement": reader.flag(agreement, "restrictiveAgreement"),
                    "otherDetails": reader.text(agreement, "otherDetails"),
                }
            ),
            "pointOfContact": compact(
                {
                    "title": reader.text(contact, "title"),
                    "organization": reader.text(contact, "organizationName"),
                    "email": reader.text(contact, "email"),
                    "phone": reader.text(contact, "phoneNumber"),
                    "phoneExt": reader.text(contact, "phoneExtension"),
                }
            ),
        }
    )


def _disposition(reader: XmlReader, element: etree._Element) -> dict[str, Any]:
    disposition = reader.child(element, "disposition")
    if disposition is None:
        return {}
    posting = reader.child(disposition, "anticipatedPostingDate")
    year, month = reader.text(posting, "year"), reader.text(posting, "month")
    names = reader.text(disposition, "interventionName")
    details = reader.child(disposition, "applicationApprovalDetails")
    return compact(
        {
            "certificationType": reader.mapped(disposition, "delayType", vocab.DELAY_TYPE_FROM_PRS),
            "interventionNames": [n.strip() for n in names.split(";") if n.strip()] if names else [],
            "applicationNumbers": [
                number
                for number in (
                    reader.text(d, "approvalNumber") for d in reader.children(details, "appApprovalDetail")
                )
                if number
            ],
            "reason": reader.text(disposition, "delayReason"),
            "extensionGrantedUntil": f"{year}-{int(month):02d}"
            if year and month and month.isdigit()
            else year,
        }
    )


def read_results(
    reader: XmlReader, result: etree._Element | None, disposition: etree._Element | None
) -> dict[str, Any]:
    """The resultsSection from an rrs:result (and rrs:resultDisposition) element."""
    section: dict[str, Any] = {}
    if result is not None:
        reader.use(result)
        flow = reader.child(result, "participantFlow")
        if flow is not None:
            put(section, "participantFlowModule", _participant_flow(reader, flow))
        baseline = reader.child(result, "baseline")
        if baseline is not None:
            put(section, "baselineCharacteristicsModule", _baseline(reader, baseline))
        measures = _outcome_measures(reader, reader.child(result, "outcomeMeasures"))
        put(section, "outcomeMeasuresModule", compact({"outcomeMeasures": measures}))
        events = reader.child(result, "reportedEvents")
        if events is not None:
            put(section, "adverseEventsModule", _reported_events(reader, events))
        put(section, "moreInfoModule", _more_info(reader, result))
    if disposition is not None:
        reader.use(disposition)
        put(section, "delayedResultsModule", _disposition(reader, disposition))
    return section


def import_prs_xml(data: bytes, *, max_bytes: int = MAX_RECORD_BYTES) -> ImportResult:
    """Read one PRS protocol/results XML document into a record.

    Raises RegistryError: xml.too_large (more than ``max_bytes``), xml.malformed / xml.forbidden_doctype
    (unsafe or broken XML), import.not_prs_xml (another document type), import.multiple_studies (a
    collection of several).
    """
    root = parse_xml(data, max_bytes=max_bytes)
    reader = XmlReader(root)
    record: dict[str, Any] = {"schemaVersion": RECORD_SCHEMA_VERSION}
    if root.tag == f"{{{PRS_NS}}}study_collection":
        studies = reader.children(root, "clinical_study")
        if len(studies) != 1:
            raise RegistryError(
                "import.multiple_studies" if studies else "import.not_prs_xml",
                "A PRS study_collection must hold exactly one clinical_study to import; "
                f"it holds {len(studies)}.",
            )
        study = studies[0]
        put(record, "protocolSection", read_protocol(reader, study))
        result = study.find(f"{{{RRS_NS}}}result")
        disposition = study.find(f"{{{RRS_NS}}}resultDisposition")
        put(record, "resultsSection", read_results(reader, result, disposition))
    elif root.tag == f"{{{RRS_NS}}}result":
        put(record, "resultsSection", read_results(reader, root, None))
    elif root.tag == f"{{{RRS_NS}}}resultDisposition":
        put(record, "resultsSection", read_results(reader, None, root))
    else:
        raise RegistryError(
            "import.not_prs_xml",
            f"The document root is {root.tag!s}; PRS XML has prs:study_collection or rrs:result.",
        )
    return ImportResult(record=record, dropped=reader.unread())
