"""What the record schema cannot say about the editor: module order and grouping, a few labels and help
texts, human words for enum codes, and which lists are the results tables.

Everything else (fields, types, lengths, enums, nesting, help) comes from the record schema itself
(``schemas/record/v1/record.schema.json``): a field without a hint is labelled from its name and helped
by its schema description. Pointers here are JSON Pointers into the record; ``*`` stands for any list
index.
"""

from __future__ import annotations

from typing import TypedDict


class ModuleHint(TypedDict):
    pointer: str
    label: str


class GroupHint(TypedDict):
    label: str
    modules: list[ModuleHint]


# The editor's left-hand list, in the order an author fills a record (ClinicalTrials.gov PRS order for
# the protocol and results, then the documents, the regional sections and the lay summaries).
MODULE_GROUPS: list[GroupHint] = [
    {
        "label": "Protocol",
        "modules": [
            {"pointer": "/protocolSection/identificationModule", "label": "Identification"},
            {"pointer": "/protocolSection/statusModule", "label": "Status and dates"},
            {"pointer": "/protocolSection/sponsorCollaboratorsModule", "label": "Sponsor and collaborators"},
            {"pointer": "/protocolSection/oversightModule", "label": "Oversight"},
            {"pointer": "/protocolSection/descriptionModule", "label": "Description"},
            {"pointer": "/protocolSection/conditionsModule", "label": "Conditions and keywords"},
            {"pointer": "/protocolSection/designModule", "label": "Design"},
            {"pointer": "/protocolSection/armsInterventionsModule", "label": "Arms and interventions"},
            {"pointer": "/protocolSection/outcomesModule", "label": "Outcome measures"},
            {"pointer": "/protocolSection/eligibilityModule", "label": "Eligibility"},
            {"pointer": "/protocolSection/contactsLocationsModule", "label": "Contacts and locations"},
            {"pointer": "/protocolSection/referencesModule", "label": "References"},
            {"pointer": "/protocolSection/ipdSharingStatementModule", "label": "IPD sharing statement"},
        ],
    },
    {
        "label": "Results",
        "modules": [
            {"pointer": "/resultsSection/participantFlowModule", "label": "Participant flow"},
            {"pointer": "/resultsSection/baselineCharacteristicsModule", "label": "Baseline characteristics"},
            {"pointer": "/resultsSection/outcomeMeasuresModule", "label": "Outcome measures (results)"},
            {"pointer": "/resultsSection/adverseEventsModule", "label": "Adverse events"},
            {"pointer": "/resultsSection/moreInfoModule", "label": "More information"},
            {"pointer": "/resultsSection/delayedResultsModule", "label": "Delayed results"},
        ],
    },
    {
        "label": "Documents",
        "modules": [{"pointer": "/documentSection/largeDocumentModule", "label": "Documents"}],
    },
    {
        "label": "Regional",
        "modules": [
            {"pointer": "/euSection", "label": "EU (CTR 536/2014, EudraCT)"},
            {"pointer": "/ukSection", "label": "UK (ISRCTN, IRAS)"},
            {"pointer": "/whoSection", "label": "WHO data set"},
        ],
    },
    {
        "label": "Lay summaries",
        "modules": [{"pointer": "/laySummaries", "label": "Lay summaries"}],
    },
]

# Field order inside an object where the schema's order (API v2's) is not the order an author fills them:
# the listed fields first, in this order, then the rest in the schema's order.
FIELD_ORDER: dict[str, list[str]] = {
    # What the sponsor states comes before the dates ClinicalTrials.gov sets (kept for the deadline rules).
    "/protocolSection/statusModule": [
        "overallStatus",
        "whyStopped",
        "statusVerifiedDate",
        "startDateStruct",
        "firstParticipantEnrolledDateStruct",
        "firstUsParticipantEnrolledDateStruct",
        "primaryCompletionDateStruct",
        "completionDateStruct",
        "lastKnownStatus",
        "delayedPosting",
        "expandedAccessInfo",
        "resultsWaived",
    ],
}

# Labels where the humanised field name would mislead or read badly. Keys are pointers with ``*`` for
# list indices; the last matching key wins, so a specific pointer beats a general one.
FIELD_LABELS: dict[str, str] = {
    "/protocolSection/identificationModule/nctId": "NCT number",
    "/protocolSection/identificationModule/nctIdAliases": "Obsolete NCT numbers",
    "/protocolSection/identificationModule/orgStudyIdInfo": "Sponsor's protocol identifier",
    "/protocolSection/identificationModule/secondaryIdInfos": "Secondary identifiers",
    "/protocolSection/oversightModule/oversightHasDmc": "Data monitoring committee",
    "/protocolSection/oversightModule/isFdaRegulatedDrug": "Studies an FDA-regulated drug",
    "/protocolSection/oversightModule/isFdaRegulatedDevice": "Studies an FDA-regulated device",
    "/protocolSection/oversightModule/isPpsd": "Pediatric postmarket surveillance of a device",
    "/protocolSection/oversightModule/isUsExport": "Product exported from the US",
    "/protocolSection/oversightModule/indIdeInfos": "IND / IDE",
    "/protocolSection/designModule/nPtrsToThisExpAccNctId": "Expanded access record pointing here",
    "/protocolSection/ipdSharingStatementModule/ipdSharing": "Plan to share individual participant data",
    "/protocolSection/ipdSharingStatementModule/url": "URL",
    "/protocolSection/referencesModule/references/*/pmid": "PubMed ID",
    "/euSection/euCtNumber": "EU CT number",
    "/euSection/eudractNumber": "EudraCT number",
    "/euSection/pipNumber": "PIP number",
    "/euSection/article46": "Paediatric Regulation article 46 study",
    "/ukSection/irasId": "IRAS ID",
    "/ukSection/isrctn": "ISRCTN",
    "/ukSection/isCtimp": "Clinical trial of an investigational medicinal product (CTIMP)",
    "/whoSection/utn": "Universal Trial Number (UTN)",
    "/resultsSection/participantFlowModule/periods/*/milestones/*/achievements": "Counts per group",
    "/resultsSection/participantFlowModule/periods/*/dropWithdraws/*/reasons": "Counts per group",
}

# Labels by field name, wherever the field appears (results counts, confidence intervals), where the
# humanised name reads badly; FIELD_LABELS wins over these.
NAME_LABELS: dict[str, str] = {
    "numSubjects": "Participants",
    "numUnits": "Units",
    "numEvents": "Events",
    "numAffected": "Affected",
    "numAtRisk": "At risk",
    "numEventsRelated": "Related events",
    "numDeaths": "Deaths",
    "numDeathsRelated": "Related deaths",
    "deathsNumAffected": "Deaths: affected",
    "deathsNumAtRisk": "Deaths: at risk",
    "seriousNumAffected": "Serious: affected",
    "seriousNumAtRisk": "Serious: at risk",
    "otherNumAffected": "Other: affected",
    "otherNumAtRisk": "Other: at risk",
    "ciNumSides": "Confidence interval sides",
    "ciPctValue": "Confidence interval level (%)",
    "ciLowerLimit": "Confidence interval lower limit",
    "ciUpperLimit": "Confidence interval upper limit",
    "ciLowerLimitComment": "Lower limit comment",
    "ciUpperLimitComment": "Upper limit comment",
    "calculatePct": "Calculate percentages",
    "pValue": "P-value",
    "pValueComment": "P-value comment",
    "groupId": "Group ID",
    "groupIds": "Group IDs",
    # Dates ClinicalTrials.gov sets; they stay in the record for the deadline rules (schemas/README.md).
    "studyFirstSubmitDate": "First submitted (set by the registry)",
    "studyFirstSubmitQcDate": "First met QC criteria (set by the registry)",
    "studyFirstPostDateStruct": "First posted (set by the registry)",
    "resultsFirstSubmitDate": "Results first submitted (set by the registry)",
    "resultsFirstSubmitQcDate": "Results first met QC criteria (set by the registry)",
    "resultsFirstPostDateStruct": "Results first posted (set by the registry)",
    "dispFirstSubmitDate": "Certification first submitted (set by the registry)",
    "dispFirstSubmitQcDate": "Certification first met QC criteria (set by the registry)",
    "dispFirstPostDateStruct": "Certification first posted (set by the registry)",
    "lastUpdateSubmitDate": "Last update submitted (set by the registry)",
    "lastUpdatePostDateStruct": "Last update posted (set by the registry)",
}

# Help where the schema description is written for a programmer rather than an author.
FIELD_HELP: dict[str, str] = {
    "/protocolSection/identificationModule/nctId": (
        "Issued by ClinicalTrials.gov when the registration is accepted; leave it empty until then."
    ),
}

# Human words for enum codes whose mechanical rendering ("PHASE2" -> "Phase2") reads badly. Codes not
# listed are shown as words ("NOT_YET_RECRUITING" -> "Not yet recruiting").
ENUM_LABELS: dict[str, str] = {
    "NA": "Not applicable",
    "EARLY_PHASE1": "Early phase 1",
    "PHASE1": "Phase 1",
    "PHASE2": "Phase 2",
    "PHASE3": "Phase 3",
    "PHASE4": "Phase 4",
    "IND": "IND",
    "IDE": "IDE",
    "CDER": "CDER",
    "CBER": "CBER",
    "CDRH": "CDRH",
    "NIH": "NIH",
    "FED": "US federal agency",
    "OTHER_GOV": "Other government",
    "INDUSTRY": "Industry",
    "NETWORK": "Network",
    "AMBIG": "Ambiguous",
    "SAP": "Statistical analysis plan",
    "ICF": "Informed consent form",
    "CSR": "Clinical study report",
    "ANALYTIC_CODE": "Analytic code",
    "PHASE1_PHASE2": "Phase 1/2",
    "PHASE2_PHASE3": "Phase 2/3",
    "NON_INFERIORITY": "Non-inferiority",
    "NON_INFERIORITY_OR_EQUIVALENCE": "Non-inferiority or equivalence",
    "ONE_SIDED": "One-sided",
    "TWO_SIDED": "Two-sided",
    "SD": "Standard deviation",
    "SEM": "Standard error of the mean",
    "CTIS": "EU CTIS",
    "EUDRACT_NUMBER": "EudraCT number",
    "OTHER_GRANT": "Other grant or funding",
    "FDA": "FDA",
    "VA": "US Department of Veterans Affairs",
    "CDC": "CDC",
    "AHRQ": "AHRQ",
    "SAMHSA": "SAMHSA",
    "ADULT": "Adult",
    "CHILD": "Child",
    "OLDER_ADULT": "Older adult",
}

# Strings longer than this (the schema's maxLength) get a text area rather than a one-line input.
TEXTAREA_MIN_LENGTH = 255
