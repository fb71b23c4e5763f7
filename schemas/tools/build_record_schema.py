"""Generate schemas/record/v1/record.schema.json, the canonical trial record schema.

The committed JSON file is the artifact; this script is how it is written, so that ~400 field
descriptions, shared shapes and limits stay in one readable place. Run it after editing:

    .tools/bin/uv run --frozen python schemas/tools/build_record_schema.py

tests/schemas/test_record_schema.py fails when the committed file differs from this script's output.
Structure and enum codes follow the ClinicalTrials.gov API v2 ``Study`` model (OAS 2.0.5); fields marked
(ext) are ours. Length limits come from the ClinicalTrials.gov PRS data element definitions; which of them
a stored source confirms and which are unconfirmed is recorded next to the same limits in
registries/ctgov/checks/picklists.py (PROTOCOL_LENGTH_LIMITS, RESULTS_LENGTH_LIMITS).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

Schema = dict[str, Any]

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "record" / "v1" / "record.schema.json"
SCHEMA_ID = "https://trialdisclosure.org/schemas/record/v1/record.schema.json"

# Registry-independent identifier and value patterns (DESIGN section 3; EudraCT results XSD for PIP/UTN).
NCT_PATTERN = r"^NCT\d{8}$"
ISRCTN_PATTERN = r"^ISRCTN\d{8}$"
UTN_PATTERN = r"^U\d{4}-\d{4}-\d{4}$"
EU_CT_PATTERN = r"^\d{4}-\d{6}-\d{2}-\d{2}$"
EUDRACT_PATTERN = r"^\d{4}-\d{6}-\d{2}$"
PIP_PATTERN = r"^EMEA-\d{6}-PIP\d{2}-\d{2}$"
IRAS_PATTERN = r"^\d{1,8}$"
# Years 1000 to 2999 (deadlines.enums.EARLIEST_YEAR, LATEST_YEAR): the deadline engine adds years and
# days to record dates, and ``datetime.date`` ends at 9999; "0000" or a typo such as "0202" is refused.
YEAR = r"[12]\d{3}"
PARTIAL_DATE_PATTERN = rf"^{YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
FULL_DATE_PATTERN = rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
DATE_TIME_MINUTES_PATTERN = rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$"
# API v2 normalises ages and durations to "<number> <unit>" (OAS EligibilityModule.minimumAge).
DURATION_PATTERN = r"^\d+ (Year|Years|Month|Months|Week|Weeks|Day|Days|Hour|Hours|Minute|Minutes)$"
SCHEMA_VERSION_PATTERN = r"^1\.\d+$"
LANGUAGE_TAG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
ISO_ALPHA2_PATTERN = r"^[A-Z]{2}$"
DECIMAL_PATTERN = r"^\d+(\.\d+)?$"

# Member states of the EU and EEA, where Regulation (EU) 536/2014 applies (ISO 3166-1 alpha-2; Greece is GR).
EEA_COUNTRIES = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
]  # fmt: skip


# ---------------------------------------------------------------- small constructors


def obj(description: str, properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    node: Schema = {"type": "object", "description": description, "additionalProperties": False}
    if required:
        node["required"] = required
    node["properties"] = properties
    return node


def text(description: str, max_length: int | None = None, pattern: str | None = None) -> Schema:
    node: Schema = {"type": "string", "description": description}
    if max_length is not None:
        node["maxLength"] = max_length
    if pattern is not None:
        node["pattern"] = pattern
    return node


def nonempty(description: str, max_length: int | None = None) -> Schema:
    node = text(description, max_length)
    node["minLength"] = 1
    return node


def flag(description: str) -> Schema:
    return {"type": "boolean", "description": description}


def count(description: str) -> Schema:
    return {"type": "integer", "minimum": 0, "description": description}


def ref(name: str, description: str) -> Schema:
    return {"$ref": f"#/$defs/{name}", "description": description}


def array(description: str, items: Schema, max_items: int | None = None) -> Schema:
    node: Schema = {"type": "array", "description": description, "items": items}
    if max_items is not None:
        node["maxItems"] = max_items
    return node


def refs(name: str, description: str) -> Schema:
    return array(description, {"$ref": f"#/$defs/{name}"})


def texts(description: str, item_max_length: int | None = None) -> Schema:
    item: Schema = {"type": "string"}
    if item_max_length is not None:
        item["maxLength"] = item_max_length
    return array(description, item)


def enum(description: str, values: list[str]) -> Schema:
    return {"type": "string", "description": description, "enum": values}


def partial_date(description: str) -> Schema:
    return ref("PartialDate", description)


def date_struct(description: str) -> Schema:
    return ref("PartialDateStruct", description)


# ---------------------------------------------------------------- enumerations (API v2 codes)


def enum_defs() -> dict[str, Schema]:
    return {
        "Status": enum(
            "Overall recruitment status of a study or availability of expanded access (API v2 Status).",
            [
                "ACTIVE_NOT_RECRUITING",
                "COMPLETED",
                "ENROLLING_BY_INVITATION",
                "NOT_YET_RECRUITING",
                "RECRUITING",
                "SUSPENDED",
                "TERMINATED",
                "WITHDRAWN",
                "AVAILABLE",
                "NO_LONGER_AVAILABLE",
                "TEMPORARILY_NOT_AVAILABLE",
                "APPROVED_FOR_MARKETING",
                "WITHHELD",
                "UNKNOWN",
            ],
        ),
        "RecruitmentStatus": enum(
            "Recruitment status of one site (API v2 RecruitmentStatus).",
            [
                "ACTIVE_NOT_RECRUITING",
                "COMPLETED",
                "ENROLLING_BY_INVITATION",
                "NOT_YET_RECRUITING",
                "RECRUITING",
                "SUSPENDED",
                "TERMINATED",
                "WITHDRAWN",
                "AVAILABLE",
            ],
        ),
        "ExpandedAccessStatus": enum(
            "Availability of a linked expanded access programme (API v2 ExpandedAccessStatus).",
            ["AVAILABLE", "NO_LONGER_AVAILABLE", "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING"],
        ),
        "StudyType": enum(
            "Kind of study: interventional trial, observational study or expanded access (API v2 StudyType).",
            ["EXPANDED_ACCESS", "INTERVENTIONAL", "OBSERVATIONAL"],
        ),
        "Phase": enum(
            "Development phase of the product under study; NA where phases do not apply (API v2 Phase).",
            ["NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"],
        ),
        "Sex": enum("Sexes eligible to take part (API v2 Sex).", ["FEMALE", "MALE", "ALL"]),
        "StandardAge": enum(
            "Standard age group: child under 18, adult 18 to 64, older adult 65 and over "
            "(API v2 StandardAge).",
            ["CHILD", "ADULT", "OLDER_ADULT"],
        ),
        "SamplingMethod": enum(
            "How an observational study selects its population (API v2 SamplingMethod).",
            ["PROBABILITY_SAMPLE", "NON_PROBABILITY_SAMPLE"],
        ),
        "IpdSharing": enum(
            "Whether individual participant data will be shared (API v2 IpdSharing).",
            ["YES", "NO", "UNDECIDED"],
        ),
        "IpdSharingInfoType": enum(
            "Kind of supporting document shared with the participant data (API v2 IpdSharingInfoType).",
            ["STUDY_PROTOCOL", "SAP", "ICF", "CSR", "ANALYTIC_CODE"],
        ),
        "OrgStudyIdType": enum(
            "US federal funder that issued the organisation's study identifier, if any "
            "(API v2 OrgStudyIdType).",
            ["NIH", "FDA", "VA", "CDC", "AHRQ", "SAMHSA"],
        ),
        "SecondaryIdType": enum(
            "Issuer or kind of a secondary identifier (API v2 SecondaryIdType).",
            [
                "NIH",
                "FDA",
                "VA",
                "CDC",
                "AHRQ",
                "SAMHSA",
                "OTHER_GRANT",
                "EUDRACT_NUMBER",
                "CTIS",
                "REGISTRY",
                "OTHER",
            ],
        ),
        "AgencyClass": enum(
            "Category of an organisation, such as industry or a federal agency (API v2 AgencyClass).",
            ["NIH", "FED", "OTHER_GOV", "INDIV", "INDUSTRY", "NETWORK", "AMBIG", "OTHER", "UNKNOWN"],
        ),
        "DateType": enum(
            "Whether a date has happened (ACTUAL) or is still anticipated (ESTIMATED) (API v2 DateType).",
            ["ACTUAL", "ESTIMATED"],
        ),
        "ResponsiblePartyType": enum(
            "Who is legally responsible for registering and reporting (API v2 ResponsiblePartyType).",
            ["SPONSOR", "PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"],
        ),
        "DesignAllocation": enum(
            "How participants are allocated to arms (API v2 DesignAllocation).",
            ["RANDOMIZED", "NON_RANDOMIZED", "NA"],
        ),
        "InterventionalAssignment": enum(
            "Interventional model: how arms are arranged (API v2 InterventionalAssignment).",
            ["SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL"],
        ),
        "PrimaryPurpose": enum(
            "Main reason the interventional trial is done (API v2 PrimaryPurpose).",
            [
                "TREATMENT",
                "PREVENTION",
                "DIAGNOSTIC",
                "ECT",
                "SUPPORTIVE_CARE",
                "SCREENING",
                "HEALTH_SERVICES_RESEARCH",
                "BASIC_SCIENCE",
                "DEVICE_FEASIBILITY",
                "OTHER",
            ],
        ),
        "ObservationalModel": enum(
            "Design of an observational study (API v2 ObservationalModel).",
            [
                "COHORT",
                "CASE_CONTROL",
                "CASE_ONLY",
                "CASE_CROSSOVER",
                "ECOLOGIC_OR_COMMUNITY",
                "FAMILY_BASED",
                "DEFINED_POPULATION",
                "NATURAL_HISTORY",
                "OTHER",
            ],
        ),
        "DesignTimePerspective": enum(
            "Time frame of observation in an observational study (API v2 DesignTimePerspective).",
            ["RETROSPECTIVE", "PROSPECTIVE", "CROSS_SECTIONAL", "OTHER"],
        ),
        "BioSpecRetention": enum(
            "Whether biospecimens are kept and whether they contain DNA (API v2 BioSpecRetention).",
            ["NONE_RETAINED", "SAMPLES_WITH_DNA", "SAMPLES_WITHOUT_DNA"],
        ),
        "EnrollmentType": enum(
            "Whether an enrolment count is the final actual number or a target (API v2 EnrollmentType).",
            ["ACTUAL", "ESTIMATED"],
        ),
        "ArmGroupType": enum(
            "Role of an arm or group in the design (API v2 ArmGroupType).",
            [
                "EXPERIMENTAL",
                "ACTIVE_COMPARATOR",
                "PLACEBO_COMPARATOR",
                "SHAM_COMPARATOR",
                "NO_INTERVENTION",
                "OTHER",
            ],
        ),
        "InterventionType": enum(
            "Kind of intervention (API v2 InterventionType).",
            [
                "BEHAVIORAL",
                "BIOLOGICAL",
                "COMBINATION_PRODUCT",
                "DEVICE",
                "DIAGNOSTIC_TEST",
                "DIETARY_SUPPLEMENT",
                "DRUG",
                "GENETIC",
                "PROCEDURE",
                "RADIATION",
                "OTHER",
            ],
        ),
        "ContactRole": enum(
            "Role of a contact person (API v2 ContactRole).",
            ["STUDY_CHAIR", "STUDY_DIRECTOR", "PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR", "CONTACT"],
        ),
        "OfficialRole": enum(
            "Role of a person with overall scientific responsibility (API v2 OfficialRole).",
            ["STUDY_CHAIR", "STUDY_DIRECTOR", "PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR"],
        ),
        "ReferenceType": enum(
            "Relation of a publication to the study: background, results of this study, or derived by the "
            "registry from an NCT number in the abstract (API v2 ReferenceType).",
            ["BACKGROUND", "RESULT", "DERIVED"],
        ),
        "MeasureParam": enum(
            "Statistic reported for a measure, such as mean or count of participants (API v2 MeasureParam).",
            [
                "GEOMETRIC_MEAN",
                "GEOMETRIC_LEAST_SQUARES_MEAN",
                "LEAST_SQUARES_MEAN",
                "LOG_MEAN",
                "MEAN",
                "MEDIAN",
                "NUMBER",
                "COUNT_OF_PARTICIPANTS",
                "COUNT_OF_UNITS",
            ],
        ),
        "MeasureDispersionType": enum(
            "Measure of spread or precision reported with a baseline value (API v2 MeasureDispersionType).",
            [
                "NA",
                "STANDARD_DEVIATION",
                "STANDARD_ERROR",
                "INTER_QUARTILE_RANGE",
                "FULL_RANGE",
                "CONFIDENCE_80",
                "CONFIDENCE_90",
                "CONFIDENCE_95",
                "CONFIDENCE_975",
                "CONFIDENCE_99",
                "CONFIDENCE_OTHER",
                "GEOMETRIC_COEFFICIENT",
            ],
        ),
        "OutcomeMeasureType": enum(
            "Whether a reported outcome was primary, secondary, other pre-specified or post hoc "
            "(API v2 OutcomeMeasureType).",
            ["PRIMARY", "SECONDARY", "OTHER_PRE_SPECIFIED", "POST_HOC"],
        ),
        "ReportingStatus": enum(
            "Whether data for an outcome measure are posted yet (API v2 ReportingStatus).",
            ["NOT_POSTED", "POSTED"],
        ),
        "EventAssessment": enum(
            "Whether an adverse event was collected systematically or reported spontaneously "
            "(API v2 EventAssessment).",
            ["NON_SYSTEMATIC_ASSESSMENT", "SYSTEMATIC_ASSESSMENT"],
        ),
        "AgreementRestrictionType": enum(
            "Kind of restriction on the investigators' right to publish: embargo of at most 60 days, more "
            "than 60 days, or other (API v2 AgreementRestrictionType).",
            ["LTE60", "GT60", "OTHER"],
        ),
        "DesignMasking": enum(
            "Level of blinding, counted by the number of roles masked (API v2 DesignMasking).",
            ["NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"],
        ),
        "WhoMasked": enum(
            "A role that is kept unaware of the assigned intervention (API v2 WhoMasked).",
            ["PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"],
        ),
        "AnalysisDispersionType": enum(
            "Spread reported with a statistical estimate (API v2 AnalysisDispersionType).",
            ["STANDARD_DEVIATION", "STANDARD_ERROR_OF_MEAN"],
        ),
        "ConfidenceIntervalNumSides": enum(
            "Whether a confidence interval is one- or two-sided (API v2 ConfidenceIntervalNumSides).",
            ["ONE_SIDED", "TWO_SIDED"],
        ),
        "NonInferiorityType": enum(
            "Hypothesis tested by a statistical analysis; the LEGACY codes exist only in records entered "
            "before the current definitions (API v2 NonInferiorityType).",
            [
                "SUPERIORITY",
                "NON_INFERIORITY",
                "EQUIVALENCE",
                "OTHER",
                "NON_INFERIORITY_OR_EQUIVALENCE",
                "SUPERIORITY_OR_OTHER",
                "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY",
                "SUPERIORITY_OR_OTHER_LEGACY",
            ],
        ),
        # Our own vocabularies (ext).
        "EthicsApprovalStatus": enum(
            "(ext) Standing of an ethics committee review for one country.",
            ["APPROVED", "PENDING", "NOT_REQUIRED", "DENIED", "WITHDRAWN", "EXEMPT"],
        ),
        "CertificationType": enum(
            "(ext) Ground for delaying results under 42 CFR 11.44: approval of a new use (b), initial "
            "approval of an unapproved product (c), or a good-cause extension request (e).",
            ["INITIAL_APPROVAL", "NEW_USE", "EXTENSION_REQUEST"],
        ),
        "MemberStateTrialStatus": enum(
            "(ext) Status of the trial in one EU/EEA member state concerned, as CTIS or EudraCT shows it.",
            [
                "UNDER_EVALUATION",
                "AUTHORISED",
                "NOT_AUTHORISED",
                "WITHDRAWN",
                "LAPSED",
                "RECRUITING",
                "RECRUITMENT_ENDED",
                "TEMPORARILY_HALTED",
                "SUSPENDED",
                "REVOKED",
                "ENDED",
            ],
        ),
        "EeaCountry": enum(
            "(ext) ISO 3166-1 alpha-2 code of an EU or EEA state, where Regulation (EU) 536/2014 applies.",
            EEA_COUNTRIES,
        ),
        "LaySummaryAudience": enum(
            "(ext) Reader a lay summary is written for (Good Lay Summary Practice: child versions for "
            "paediatric trials).",
            ["ADULT", "CHILD", "CARER"],
        ),
    }


# ---------------------------------------------------------------- shared shapes


def shape_defs() -> dict[str, Schema]:
    return {
        "PartialDate": text(
            "A calendar date given as YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sponsor knows it.",
            pattern=PARTIAL_DATE_PATTERN,
        ),
        "FullDate": text("A complete calendar date, YYYY-MM-DD.", pattern=FULL_DATE_PATTERN),
        "PartialDateStruct": obj(
            "A date that may be partial, with whether it is actual or anticipated "
            "(API v2 PartialDateStruct).",
            {
                "date": partial_date("The date, YYYY, YYYY-MM or YYYY-MM-DD."),
                "type": ref(
                    "DateType",
                    "ACTUAL once the event has happened, ESTIMATED while it is anticipated; older records "
                    "may lack it.",
                ),
            },
            required=["date"],
        ),
        "DateStruct": obj(
            "A complete date set by ClinicalTrials.gov, with whether it is actual or estimated "
            "(API v2 DateStruct).",
            {
                "date": ref("FullDate", "The date, YYYY-MM-DD."),
                "type": ref("DateType", "ACTUAL, or ESTIMATED where the registry could only estimate it."),
            },
            required=["date"],
        ),
        "Organization": obj(
            "The organisation that owns the study record.",
            {
                "fullName": text("Full legal name of the organisation, without abbreviations."),
                "class": ref("AgencyClass", "Category of the organisation."),
            },
        ),
        "Sponsor": obj(
            "An organisation or person acting as sponsor or collaborator.",
            {
                "name": text("Name of the sponsor or collaborator, as used across registries."),
                "class": ref("AgencyClass", "Category of the organisation."),
            },
        ),
        "Contact": obj(
            "A person to contact about the study or a site.",
            {
                "name": text("Name or official title of the contact person."),
                "role": ref("ContactRole", "Role of the contact person."),
                "phone": text("Telephone number, with the country code outside the US and Canada."),
                "phoneExt": text("Telephone extension, if any."),
                "email": text("E-mail address of the contact person."),
            },
        ),
        "Official": obj(
            "A person responsible for the overall scientific leadership of the study.",
            {
                "name": text("Full name and academic degree of the official."),
                "affiliation": text("Organisation the official belongs to."),
                "role": ref("OfficialRole", "Role the official holds in the study."),
            },
        ),
        "GeoPoint": obj(
            "Map coordinates of a site; ClinicalTrials.gov derives them from the address and no registry "
            "accepts them as input.",
            {
                "lat": {
                    "type": "number",
                    "minimum": -90,
                    "maximum": 90,
                    "description": "Latitude in degrees.",
                },
                "lon": {
                    "type": "number",
                    "minimum": -180,
                    "maximum": 180,
                    "description": "Longitude in degrees.",
                },
            },
            required=["lat", "lon"],
        ),
        "Location": obj(
            "One site where participants are or will be enrolled.",
            {
                "facility": text("Name of the facility (hospital, clinic, research centre)."),
                "status": ref("RecruitmentStatus", "Recruitment status at this site."),
                "city": text("City of the facility."),
                "state": text("State, province or region of the facility, where the country has them."),
                "zip": text("Postal code of the facility."),
                "country": text(
                    "English short name of the country, as ClinicalTrials.gov lists it (for example "
                    "'United States', 'Germany', 'United Kingdom'); also the key ethics approvals use."
                ),
                "contacts": refs("Contact", "People to contact at this site."),
                "geoPoint": ref(
                    "GeoPoint", "Coordinates derived by ClinicalTrials.gov; kept only on import."
                ),
            },
        ),
        "SecondaryIdInfo": obj(
            "An identifier the study holds besides the sponsor's protocol number and the NCT number.",
            {
                "id": nonempty(
                    "The identifier; a US federal grant must be given as the complete grant number "
                    "(limit 30 characters).",
                    30,
                ),
                "type": ref("SecondaryIdType", "Issuer or kind of the identifier."),
                "domain": text(
                    "Name of the issuing registry or organisation, for REGISTRY, OTHER_GRANT and OTHER ids."
                ),
                "link": text("Web address of the identifier's record, where one exists."),
            },
        ),
        "ArmGroup": obj(
            "An arm (interventional) or group or cohort (observational) of participants.",
            {
                "label": nonempty(
                    "Short name of the arm, unique within the study (limit 100 characters).", 100
                ),
                "type": ref("ArmGroupType", "Role of the arm in the design."),
                "description": text("What participants in this arm receive (limit 999 characters).", 999),
                "interventionNames": texts(
                    "Interventions given in this arm, written as '<Type>: <name>' to match the interventions "
                    "list (API v2 convention)."
                ),
            },
        ),
        "Intervention": obj(
            "A drug, device, procedure or other intervention studied.",
            {
                "type": ref("InterventionType", "Kind of intervention."),
                "name": nonempty(
                    "Generic or brief descriptive name of the intervention (limit 200 characters).", 200
                ),
                "description": text(
                    "Details that distinguish this intervention from others, such as dose and schedule "
                    "(limit 1000 characters).",
                    1000,
                ),
                "armGroupLabels": texts("Labels of the arms that receive this intervention."),
                "otherNames": texts(
                    "Other names for the intervention, such as brand names or code numbers.", 200
                ),
            },
        ),
        "Outcome": obj(
            "A pre-specified outcome measure as registered in the protocol.",
            {
                # PRS DED limit 255 (unconfirmed, see registries/ctgov/checks/picklists.py); was 254 here.
                "measure": nonempty(
                    "Title of the outcome measure, specific about what is measured (limit 255 characters).",
                    255,
                ),
                "description": text(
                    "How the outcome is measured, such as scale name and range (limit 999 characters).", 999
                ),
                "timeFrame": text(
                    "When the outcome is assessed for each participant (limit 255 characters).", 255
                ),
                "dataCollectionCompletionDate": partial_date(
                    "(ext) When the last data for this outcome were or will be collected; under 42 CFR "
                    "11.44(d) a secondary outcome completing after the primary completion date is due one "
                    "year after this date."
                ),
            },
        ),
        "Reference": obj(
            "A publication related to the study.",
            {
                "pmid": text("PubMed identifier of the publication.", pattern=r"^\d{1,9}$"),
                "type": ref("ReferenceType", "How the publication relates to the study."),
                "citation": text("Bibliographic citation in NLM style."),
                "retractions": refs(
                    "Retraction", "Retraction notices for this publication, found by PubMed."
                ),
            },
        ),
        "Retraction": obj(
            "A notice that a cited publication was retracted.",
            {
                "pmid": text("PubMed identifier of the retraction notice.", pattern=r"^\d{1,9}$"),
                "source": text("Journal or source of the retraction notice."),
            },
        ),
        "SeeAlsoLink": obj(
            "A web page with more information about the study.",
            {
                "label": text("Title of the web page."),
                "url": text("Full address of the web page."),
            },
        ),
        "AvailIpd": obj(
            "A set of individual participant data or a study document available to others.",
            {
                "id": text("Identifier of the data set or document in its repository."),
                "type": text("Kind of data set or document, such as 'Individual Participant Data Set'."),
                "url": text("Address where the data set or document can be requested or downloaded."),
                "comment": text("Notes on access to the data set or document."),
            },
        ),
        "EthicsApproval": obj(
            "(ext) The review of the study by one ethics committee or institutional review board.",
            {
                "country": nonempty(
                    "English country name, as in contactsLocationsModule.locations[].country."
                ),
                "committeeName": text("Name of the ethics committee or institutional review board."),
                "status": ref("EthicsApprovalStatus", "Outcome of the review so far."),
                "approvalDate": partial_date("Date of the committee's favourable opinion."),
                "referenceNumber": text("The committee's reference number for the application."),
            },
            required=["country"],
        ),
        "IndIdeInfo": obj(
            "(ext) A US investigational new drug application or investigational device exemption covering "
            "the study.",
            {
                "type": enum("Whether the application is an IND or an IDE.", ["IND", "IDE"]),
                "grantor": enum(
                    "FDA centre holding the application: CDER or CBER for an IND, CDRH for an IDE.",
                    ["CDER", "CBER", "CDRH"],
                ),
                "number": text("IND or IDE serial number as the FDA issued it."),
                "hasExpandedAccess": flag(
                    "Whether expanded access to the product is available under this IND or IDE."
                ),
            },
        ),
    }


# ---------------------------------------------------------------- results shapes


def results_defs() -> dict[str, Schema]:
    group_id = nonempty(
        "Identifier of the group within this table (API v2 uses FG000, BG000, OG000, EG000 and so on); "
        "values elsewhere in the table refer to it."
    )
    group_ref = nonempty("Identifier of the group this value belongs to; it must match a group id above.")
    number_text = "A number kept as text, as the registry shows it; 'NA' where not available."
    return {
        "FlowGroup": obj(
            "An arm or group in the participant flow table.",
            {
                "id": group_id,
                "title": nonempty("Short name of the group (limit 100 characters).", 100),
                # Results DED Arm/Group Description: 999 (unconfirmed, see picklists.py); was 1500 here.
                "description": text(
                    "Who is in the group and what they received (limit 999 characters).", 999
                ),
            },
            required=["id"],
        ),
        "FlowPeriod": obj(
            "A stage of the study in the participant flow, such as treatment or follow-up.",
            {
                "title": nonempty(
                    "Name of the period; the overall study is 'Overall Study' (limit 40 characters).", 40
                ),
                "milestones": refs(
                    "FlowMilestone",
                    "Counts at points in this period; every period starts with STARTED and ends with "
                    "COMPLETED and NOT COMPLETED.",
                ),
                "dropWithdraws": refs("DropWithdraw", "Reasons participants did not complete this period."),
            },
        ),
        "FlowMilestone": obj(
            "A point in a period at which participants are counted.",
            {
                "type": nonempty(
                    "Name of the milestone: STARTED, COMPLETED, NOT COMPLETED or a sponsor-named one."
                ),
                "comment": text("Note on the milestone as a whole."),
                "achievements": refs("FlowStats", "Number reaching the milestone in each group."),
            },
        ),
        "DropWithdraw": obj(
            "A reason for not completing a period, with counts per group.",
            {
                "type": nonempty("Reason, such as 'Adverse Event' or 'Lost to Follow-up'."),
                "comment": text("Note on this reason."),
                "reasons": refs("FlowStats", "Number who left for this reason in each group."),
            },
        ),
        "FlowStats": obj(
            "Count of participants (and units, if analysed by unit) for one group.",
            {
                "groupId": group_ref,
                "comment": text("Note on this count."),
                "numSubjects": text("Number of participants; " + number_text, pattern=r"^(\d+|NA)$"),
                "numUnits": text(
                    "Number of units, when units other than participants are counted; " + number_text
                ),
            },
            required=["groupId"],
        ),
        "MeasureGroup": obj(
            "An arm or group in a baseline or outcome table.",
            {
                "id": group_id,
                "title": nonempty("Short name of the group (limit 100 characters).", 100),
                "description": text(
                    "Who is in the group and what they received (limit 999 characters).", 999
                ),
            },
            required=["id"],
        ),
        "Denom": obj(
            "Number analysed in each group, in one unit (participants or another unit).",
            {
                "units": nonempty("What is counted, such as 'Participants' or 'Eyes'."),
                "counts": refs("DenomCount", "The number analysed in each group."),
            },
        ),
        "DenomCount": obj(
            "Number analysed in one group.",
            {"groupId": group_ref, "value": text("Number analysed; " + number_text)},
            required=["groupId"],
        ),
        "MeasureClass": obj(
            "A row block of a measure table, such as one sub-population or time point.",
            {
                "title": text("Name of the row block; empty when the measure has only one."),
                "denoms": refs(
                    "Denom", "Number analysed in this row block when it differs from the overall number."
                ),
                "categories": refs("MeasureCategory", "Categories reported within this row block."),
            },
        ),
        "MeasureCategory": obj(
            "A category of values, such as one sex or one response level.",
            {
                "title": text("Name of the category; empty when the measure is not categorised."),
                "measurements": refs("Measurement", "One value per group."),
            },
        ),
        "Measurement": obj(
            "The reported value for one group.",
            {
                "groupId": group_ref,
                "value": text("The statistic (mean, median, count ...); " + number_text),
                "spread": text("Dispersion value such as the standard deviation; " + number_text),
                "lowerLimit": text("Lower end of the range or interval; " + number_text),
                "upperLimit": text("Upper end of the range or interval; " + number_text),
                "comment": text("Why a value is NA, or any other note on it."),
            },
            required=["groupId"],
        ),
        "BaselineMeasure": obj(
            "A characteristic of participants at baseline, such as age or sex.",
            {
                "title": nonempty("Name of the characteristic."),
                "description": text("How the characteristic was measured."),
                "populationDescription": text(
                    "Who was analysed when it differs from the overall baseline population "
                    "(limit 350 characters).",
                    350,
                ),
                "paramType": ref("MeasureParam", "Statistic reported."),
                "dispersionType": ref("MeasureDispersionType", "Spread reported with the statistic."),
                "unitOfMeasure": text(
                    "Unit of the values, such as 'years' or 'Participants' (limit 40 characters).", 40
                ),
                "calculatePct": flag("Whether ClinicalTrials.gov shows percentages next to counts."),
                "denomUnitsSelected": text("Unit of the denominator used for this measure."),
                "denoms": refs(
                    "Denom", "Number analysed for this measure when it differs from the overall number."
                ),
                "classes": refs("MeasureClass", "Row blocks of the measure table."),
            },
        ),
        "OutcomeMeasure": obj(
            "Results for one outcome measure.",
            {
                "type": ref(
                    "OutcomeMeasureType", "Whether the outcome was primary, secondary, other or post hoc."
                ),
                "title": nonempty(
                    "Title of the outcome; for pre-specified outcomes it matches the registered measure "
                    "(limit 255 characters).",
                    255,
                ),
                "description": text("What was measured and how (limit 999 characters).", 999),
                "populationDescription": text(
                    "Analysis population and why any participants were left out (limit 500 characters).", 500
                ),
                "reportingStatus": ref("ReportingStatus", "Whether data for this outcome are posted yet."),
                "anticipatedPostingDate": partial_date("When data not yet posted are expected to be posted."),
                "paramType": ref("MeasureParam", "Statistic reported."),
                "dispersionType": text(
                    "Spread reported with the statistic, as displayed (for example 'Standard Deviation', "
                    "'95% Confidence Interval'); API v2 gives it as text here."
                ),
                "unitOfMeasure": text("Unit of the values (limit 40 characters).", 40),
                "calculatePct": flag("Whether ClinicalTrials.gov shows percentages next to counts."),
                "timeFrame": text("When the outcome was assessed (limit 255 characters).", 255),
                "typeUnitsAnalyzed": text("Unit analysed when it is not participants, such as 'Eyes'."),
                "denomUnitsSelected": text("Unit of the denominator used for this outcome."),
                "groups": refs("MeasureGroup", "Arms or groups reported for this outcome."),
                "denoms": refs("Denom", "Number analysed in each group."),
                "classes": refs("MeasureClass", "Row blocks of the outcome table."),
                "analyses": refs(
                    "MeasureAnalysis", "Statistical analyses comparing groups for this outcome."
                ),
            },
        ),
        "MeasureAnalysis": obj(
            "A statistical analysis of an outcome measure.",
            {
                "paramType": text(
                    "Estimated parameter, such as 'Hazard Ratio (HR)' or 'Mean Difference (Final Values)'."
                ),
                "paramValue": text("Value of the estimated parameter; " + number_text),
                "dispersionType": ref("AnalysisDispersionType", "Spread reported with the estimate."),
                "dispersionValue": text("Value of the spread; " + number_text),
                "statisticalMethod": text("Statistical test used, such as 'ANCOVA' or 'Log Rank'."),
                "statisticalComment": text("Notes on the method."),
                "pValue": text("P-value, possibly with an operator such as '<0.001'."),
                "pValueComment": text("Notes on the p-value, such as the significance threshold."),
                "ciNumSides": ref("ConfidenceIntervalNumSides", "Whether the interval is one- or two-sided."),
                "ciPctValue": text("Confidence level in percent, such as '95'."),
                "ciLowerLimit": text("Lower limit of the confidence interval; " + number_text),
                "ciUpperLimit": text("Upper limit of the confidence interval; " + number_text),
                "ciLowerLimitComment": text("Why the lower limit is not given, if it is not."),
                "ciUpperLimitComment": text("Why the upper limit is not given, if it is not."),
                "estimateComment": text("Notes on the estimate, such as the direction of the comparison."),
                "testedNonInferiority": flag("Whether the analysis tests non-inferiority or equivalence."),
                "nonInferiorityType": ref("NonInferiorityType", "Hypothesis the analysis tests."),
                "nonInferiorityComment": text("Details of the hypothesis, such as the margin."),
                "otherAnalysisDescription": text(
                    "Description of an analysis that fits none of the fields above."
                ),
                "groupDescription": text("Which groups are compared and any power calculation."),
                "title": text(
                    "(ext) Short name of the analysis, such as 'Dose 1 vs placebo' (EudraCT "
                    "statisticalAnalysis title, 2 to 50 characters).",
                    50,
                ),
                "analysisSpecification": enum(
                    "(ext) Whether the analysis was planned before the data were seen (EudraCT list "
                    "'Analysis specification').",
                    ["PRE_SPECIFIED", "POST_HOC"],
                ),
                "groupIds": texts(
                    "Identifiers of the groups compared; they must match the outcome's group ids."
                ),
            },
        ),
        "EventGroup": obj(
            "An arm or group in the adverse event tables, with its totals.",
            {
                "id": group_id,
                "title": nonempty("Short name of the group (limit 100 characters).", 100),
                "description": text(
                    "Who is in the group and what they received (limit 999 characters).", 999
                ),
                "deathsNumAffected": count("Participants who died of any cause (all-cause mortality)."),
                "deathsNumAtRisk": count("Participants at risk of death in this group."),
                "seriousNumAffected": count("Participants with at least one serious adverse event."),
                "seriousNumAtRisk": count("Participants at risk of serious adverse events."),
                "otherNumAffected": count(
                    "Participants with at least one other (non-serious) adverse event above the threshold."
                ),
                "otherNumAtRisk": count("Participants at risk of other adverse events."),
                "deathsFromAdverseEventsNumAffected": count(
                    "(ext) Participants who died as a result of an adverse event (EudraCT "
                    "deathsResultingFromAdverseEvents)."
                ),
            },
            required=["id"],
        ),
        "AdverseEvent": obj(
            "One adverse event term with counts per group.",
            {
                "term": nonempty(
                    "Adverse event term, preferably a MedDRA preferred term (limit 100 characters).", 100
                ),
                "organSystem": text("Organ system class the term belongs to, such as 'Cardiac disorders'."),
                "sourceVocabulary": text("Dictionary and version of the term, such as 'MedDRA 26.1'."),
                "assessmentType": ref("EventAssessment", "How the event was collected."),
                "notes": text("Notes on the term."),
                "stats": refs("EventStats", "Counts for each group."),
            },
        ),
        "EventStats": obj(
            "Adverse event counts for one group.",
            {
                "groupId": group_ref,
                "numEvents": count("Number of occurrences of the event."),
                "numAffected": count("Number of participants who had the event."),
                "numAtRisk": count("Number of participants at risk."),
                "numEventsRelated": count(
                    "(ext) Serious events only: occurrences causally related to treatment (EudraCT "
                    "occurrencesCausallyRelatedToTreatment)."
                ),
                "numDeaths": count("(ext) Serious events only: deaths from this event (EudraCT fatalities)."),
                "numDeathsRelated": count(
                    "(ext) Serious events only: deaths from this event causally related to treatment."
                ),
            },
            required=["groupId"],
        ),
        "LargeDoc": obj(
            "A document uploaded with the study: protocol, statistical analysis plan or consent form.",
            {
                "typeAbbrev": text(
                    "Which documents the file holds: Prot, SAP, ICF or a combination such as 'Prot_SAP'.",
                    pattern=r"^(Prot|SAP|ICF)(_(SAP|ICF))*$",
                ),
                "hasProtocol": flag("Whether the file contains the study protocol."),
                "hasSap": flag("Whether the file contains the statistical analysis plan."),
                "hasIcf": flag("Whether the file contains the informed consent form."),
                "label": text("Title shown for the document."),
                "date": ref("FullDate", "Date on the document itself (its version date)."),
                "uploadDate": text(
                    "When the file was uploaded, YYYY-MM-DDTHH:MM.", pattern=DATE_TIME_MINUTES_PATTERN
                ),
                "filename": text("File name, normally a PDF/A file."),
                "size": count("Size of the file in bytes."),
                "sha256": text(
                    "(ext) SHA-256 of the file's content, which names the stored copy this record refers to.",
                    pattern=r"^[0-9a-f]{64}$",
                ),
            },
        ),
    }


# ---------------------------------------------------------------- regional and lay-summary shapes


def extension_defs() -> dict[str, Schema]:
    return {
        "EuMemberState": obj(
            "(ext) The trial in one EU/EEA member state concerned.",
            {
                "country": ref("EeaCountry", "The member state concerned."),
                "status": ref("MemberStateTrialStatus", "Current status of the trial in this member state."),
                "decisionDate": partial_date("Date of the member state's decision on the application."),
                "firstParticipantDate": partial_date(
                    "Date the first participant was recruited in this member state (CTR Art. 36 notice)."
                ),
                "endOfTrialDateStruct": date_struct(
                    "End of the trial in this member state; it must be notified within 15 days "
                    "(CTR Art. 37(1))."
                ),
                "endOfTrialNotifiedDate": partial_date(
                    "Date the end of trial in this member state was notified."
                ),
                "earlyTermination": flag(
                    "Whether the trial ended early in this member state (CTR Art. 37(4))."
                ),
                "earlyTerminationReason": text("Why the trial ended early in this member state."),
                "temporaryHalts": refs(
                    "TemporaryHalt",
                    "Temporary halts of the trial in this member state (CTR Art. 37(5)-(7), Art. 38).",
                ),
            },
            required=["country"],
        ),
        "TemporaryHalt": obj(
            "(ext) One temporary halt of the trial in a member state and its restart, if any.",
            {
                "haltDate": partial_date(
                    "Date the trial was halted; notify within 15 days (CTR Art. 37(5), 38(1))."
                ),
                "reason": enum(
                    "Why: SAFETY (subject safety, CTR Art. 38) or OTHER (reasons not affecting the "
                    "benefit-risk balance, CTR Art. 37(5)).",
                    ["SAFETY", "OTHER"],
                ),
                "haltNotifiedDate": partial_date("Date the halt was notified through the EU portal."),
                "restartDate": partial_date("Date the trial restarted (CTR Art. 37(6))."),
                "restartNotifiedDate": partial_date("Date the restart was notified through the EU portal."),
                "decisionNotToRestartDate": partial_date(
                    "Date the sponsor decided not to restart; with no restart within 2 years, the earlier of "
                    "this date and the halt + 2 years is the end of the trial (CTR Art. 37(7))."
                ),
            },
        ),
        "IntermediateAnalysis": obj(
            "(ext) An analysis before the end of the trial that the protocol plans to report; its results "
            "summary is due one year after the analysis date (CTR Art. 37(8)).",
            {
                "analysisDate": partial_date("Date the data for the intermediate analysis were analysed."),
                "description": text("What the intermediate analysis covers."),
            },
        ),
        "SubjectAnalysisSet": obj(
            "(ext) A subject analysis set (EudraCT results.xsd SubjectAnalysisSet): a population that is "
            "not an arm, such as the per-protocol set, that outcome measures report on. An outcome group "
            "titled as this set reports this set; one titled as a participant-flow group reports that arm.",
            {
                "title": nonempty(
                    "Name of the set, as the outcome groups that report it are titled (EudraCT: 2 to 62 "
                    "characters).",
                    100,
                ),
                "type": enum(
                    "Kind of set (EudraCT list 'Subject analysis set type', EMA/492808/2013 Appendix 1).",
                    [
                        "INTENT_TO_TREAT",
                        "PER_PROTOCOL",
                        "FULL_ANALYSIS",
                        "SAFETY",
                        "SUBGROUP",
                        "MODIFIED_INTENT_TO_TREAT",
                    ],
                ),
                "description": text("Who is in the set (limit 999 characters).", 999),
                "numSubjects": count("Number of participants in the set."),
            },
            required=["title"],
        ),
        "ParticipantsInCountry": obj(
            "(ext) How many participants were included in one country (CTR Annex IV A.7: per member state, "
            "in the Union, in third countries).",
            {
                "country": text("ISO 3166-1 alpha-2 code of the country.", pattern=ISO_ALPHA2_PATTERN),
                "count": count("Actual number of participants included in this country."),
            },
            required=["country", "count"],
        ),
        "AgeGroupBreakdown": obj(
            "(ext) Actual participants by the age categories of CTR Annex IV A.7 (the EudraCT results "
            "age categories; EudraCT results XML guidance, EMA/492808/2013, Appendix 1).",
            {
                "inUtero": count("In utero."),
                "pretermNewborns": count("Preterm newborn infants (gestational age under 37 weeks)."),
                "newborns": count("Newborns (0 to 27 days)."),
                "infantsAndToddlers": count("Infants and toddlers (28 days to 23 months)."),
                "children": count("Children (2 to 11 years)."),
                "adolescents": count("Adolescents (12 to 17 years)."),
                "adults": count("Adults (18 to 64 years)."),
                "from65To84Years": count("From 65 to 84 years."),
                "from85Years": count("85 years and over."),
            },
        ),
        "GlobalTrialEvent": obj(
            "(ext) A substantial modification or an interruption of the trial as a whole (CTR Annex IV F).",
            {
                "date": partial_date("Date of the modification, or of the interruption."),
                "description": text("What changed, or why the trial was interrupted."),
                "restartDate": partial_date("For an interruption: date the trial restarted, if it did."),
            },
        ),
        "WhoContact": obj(
            "(ext) A contact point as WHO TRDS items 7 and 8 ask for it.",
            {
                "name": text("Name of the person or office."),
                "affiliation": text("Organisation of the contact."),
                "email": text("E-mail address."),
                "phone": text("Telephone number with country code."),
                "address": text("Postal address."),
            },
        ),
        "NamedEntity": obj(
            "(ext) An organisation given by name.",
            {"name": nonempty("Name of the organisation.")},
            required=["name"],
        ),
        "LaySummary": obj(
            "(ext) A summary of the trial results for lay readers in one language (EU CTR Art. 37(4), "
            "Annex V); completeness is checked by the stage profiles, not here.",
            {
                "language": text(
                    "BCP 47 language tag, such as 'en' or 'de-AT'.", pattern=LANGUAGE_TAG_PATTERN
                ),
                "audience": ref("LaySummaryAudience", "Who the summary is written for."),
                "title": text("Lay title of the trial in this language."),
                "sections": ref("LaySummarySections", "The ten Annex V sections."),
            },
            required=["language"],
        ),
        "LaySummarySections": obj(
            "(ext) The ten items of EU CTR Annex V, in order; plain text or Markdown.",
            {
                "trialIdentification": text(
                    "Annex V item 1: title of the trial, protocol number, EU trial number and other "
                    "identifiers."
                ),
                "sponsorContact": text("Annex V item 2: sponsor's name and contact details."),
                "generalInformation": text(
                    "Annex V item 3: where and when the trial was done, its main objectives and why it "
                    "was done."
                ),
                "population": text(
                    "Annex V item 4: how many took part in each member state, the EU and third countries, "
                    "their age and sex, and the main inclusion and exclusion criteria."
                ),
                "investigationalProducts": text(
                    "Annex V item 5: the investigational medicinal products used."
                ),
                "adverseReactions": text(
                    "Annex V item 6: the adverse reactions and how often they occurred."
                ),
                "overallResults": text("Annex V item 7: the overall results of the trial."),
                "commentsOnOutcome": text("Annex V item 8: comments on the outcome of the trial."),
                "followUpTrials": text("Annex V item 9: whether follow-up trials are planned."),
                "moreInformation": text("Annex V item 10: where more information can be found."),
            },
        ),
    }


# ---------------------------------------------------------------- protocol section


def protocol_section() -> Schema:
    identification = obj(
        "Identifiers and titles of the study.",
        {
            "nctId": text(
                "ClinicalTrials.gov identifier, NCT followed by 8 digits; set once registered.",
                pattern=NCT_PATTERN,
            ),
            "nctIdAliases": array(
                "Other NCT numbers once assigned to this same study (duplicates merged by "
                "ClinicalTrials.gov).",
                {"type": "string", "pattern": NCT_PATTERN},
            ),
            "orgStudyIdInfo": obj(
                "The sponsor's own protocol identifier.",
                {
                    "id": nonempty(
                        "Unique protocol identification number the sponsor assigned (limit 30 characters).",
                        30,
                    ),
                    "type": ref(
                        "OrgStudyIdType",
                        "US federal funder that issued the identifier, if it is a grant number.",
                    ),
                    "link": text("Web address of the grant record, for a US federal grant number."),
                },
            ),
            "secondaryIdInfos": refs(
                "SecondaryIdInfo",
                "Other identifiers, including other registries' numbers (EU CT, EudraCT, ISRCTN, UTN) and "
                "grant numbers.",
            ),
            "briefTitle": nonempty(
                "Short title in lay language naming the population, condition and intervention "
                "(limit 300 characters).",
                300,
            ),
            "officialTitle": text("Full scientific title, as on the protocol (limit 600 characters).", 600),
            "acronym": text("Acronym or abbreviation of the study, if any (limit 14 characters).", 14),
            "organization": ref("Organization", "Organisation that owns the record and its account."),
        },
    )
    status = obj(
        "Recruitment status and the dates of the study's life; the deadline rules read these.",
        {
            "statusVerifiedDate": partial_date(
                "Month the sponsor last confirmed the record is accurate; trackers flag it when over "
                "a year old."
            ),
            "overallStatus": ref("Status", "Current recruitment status of the study as a whole."),
            "lastKnownStatus": ref(
                "Status", "Status before ClinicalTrials.gov marked an overdue record as UNKNOWN."
            ),
            "delayedPosting": flag(
                "Whether posting of an unapproved device trial is delayed until approval "
                "(42 CFR 11.35(b)(2))."
            ),
            "whyStopped": text(
                "Why the study stopped early, for SUSPENDED, TERMINATED or WITHDRAWN (limit 250 characters).",
                250,
            ),
            "expandedAccessInfo": obj(
                "Whether expanded access to the investigational product is available.",
                {
                    "hasExpandedAccess": flag("Whether expanded access is available for the product."),
                    "nctId": text("NCT number of the expanded access record.", pattern=NCT_PATTERN),
                    "statusForNctId": ref("ExpandedAccessStatus", "Status of the expanded access record."),
                },
            ),
            "startDateStruct": date_struct(
                "Study start: the date the first participant was enrolled, actual or anticipated."
            ),
            "firstParticipantEnrolledDateStruct": date_struct(
                "(ext) Date the first participant gave consent; 42 CFR 11.24 counts the 21-day registration "
                "period from it and screen failures do not count; defaults to startDateStruct when absent."
            ),
            "firstUsParticipantEnrolledDateStruct": date_struct(
                "(ext) Date the first participant enrolled at a US site, for a foreign trial that "
                "later adds one."
            ),
            "primaryCompletionDateStruct": date_struct(
                "Date the last participant was examined for the primary outcomes; US results are due "
                "one year after it (42 CFR 11.44)."
            ),
            "completionDateStruct": date_struct(
                "Date the last participant was examined for any outcome or adverse event (study completion)."
            ),
            "studyFirstSubmitDate": ref(
                "FullDate", "Date the sponsor first submitted the registration (set by the registry)."
            ),
            "studyFirstSubmitQcDate": ref(
                "FullDate", "Date the first registration submission passed quality control."
            ),
            "studyFirstPostDateStruct": ref("DateStruct", "Date the registration was first posted publicly."),
            "resultsWaived": flag("Whether results submission was waived (42 CFR 11.54)."),
            "resultsFirstSubmitDate": ref(
                "FullDate", "Date results were first submitted; this meets the US results deadline."
            ),
            "resultsFirstSubmitQcDate": ref(
                "FullDate", "Date the first results submission passed quality control."
            ),
            "resultsFirstPostDateStruct": ref("DateStruct", "Date results were first posted publicly."),
            "dispFirstSubmitDate": ref(
                "FullDate", "Date a certification or extension request to delay results was first submitted."
            ),
            "dispFirstSubmitQcDate": ref(
                "FullDate", "Date the first delay certification or request passed review."
            ),
            "dispFirstPostDateStruct": ref(
                "DateStruct", "Date the delay certification or request was first posted."
            ),
            "lastUpdateSubmitDate": ref("FullDate", "Date the latest update was submitted."),
            "lastUpdatePostDateStruct": ref("DateStruct", "Date the latest update was posted."),
        },
    )
    sponsors = obj(
        "Who sponsors the study and who answers for its registration and results.",
        {
            "responsibleParty": obj(
                "The party legally responsible for registration and results reporting.",
                {
                    "type": ref(
                        "ResponsiblePartyType", "Whether the sponsor or an investigator is responsible."
                    ),
                    "investigatorFullName": text("Name of the responsible investigator."),
                    "investigatorTitle": text("Official title of the responsible investigator."),
                    "investigatorAffiliation": text("Organisation of the responsible investigator."),
                    "oldNameTitle": text(
                        "Name or title of the responsible party in records from before 2017."
                    ),
                    "oldOrganization": text(
                        "Organisation of the responsible party in records from before 2017."
                    ),
                },
            ),
            "leadSponsor": ref(
                "Sponsor", "The organisation or person that initiates and is responsible for the study."
            ),
            "collaborators": refs(
                "Sponsor", "Other organisations that support the study (funding, design, conduct)."
            ),
        },
    )
    oversight = obj(
        "Regulatory oversight: FDA applicability flags, monitoring committee and ethics approvals.",
        {
            "oversightHasDmc": flag("Whether a data monitoring committee oversees the study."),
            "isFdaRegulatedDrug": flag("Whether the study tests a drug or biologic regulated by the US FDA."),
            "isFdaRegulatedDevice": flag("Whether the study tests a device product regulated by the US FDA."),
            "isUnapprovedDevice": flag("Whether a studied device is not yet approved or cleared by the FDA."),
            "isPpsd": flag(
                "Whether the study is a pediatric postmarket surveillance of a device (FD&C Act 522)."
            ),
            "isUsExport": flag(
                "Whether a product is manufactured in and exported from the US for the study."
            ),
            "fdaaa801Violation": flag(
                "Whether the FDA has found a violation of FDAAA 801 for this study (registry-set)."
            ),
            "indIdeInfos": refs("IndIdeInfo", "(ext) US IND or IDE applications covering the study."),
            "ethicsApprovals": refs(
                "EthicsApproval", "(ext) Ethics committee reviews, one per committee and country."
            ),
        },
    )
    description = obj(
        "Plain-language summary and detailed description of the study.",
        {
            "briefSummary": nonempty(
                "Short description of the study's purpose for the public (limit 5000 characters).", 5000
            ),
            "detailedDescription": text(
                "Longer technical description of the study, without repeating the protocol "
                "(limit 32000 characters).",
                32000,
            ),
        },
    )
    conditions = obj(
        "Conditions studied and keywords that help people find the study.",
        {
            "conditions": texts("Diseases or conditions studied, preferably MeSH terms."),
            "keywords": texts("Words or phrases that describe the study, for searching."),
        },
    )
    design = obj(
        "Study type, phase, design and enrolment.",
        {
            "studyType": ref(
                "StudyType", "Whether the study is interventional, observational or expanded access."
            ),
            "nPtrsToThisExpAccNctId": count(
                "Number of studies that point to this expanded access record (registry-set)."
            ),
            "expandedAccessTypes": obj(
                "Kinds of expanded access offered, for expanded access records.",
                {
                    "individual": flag("Access for individual patients, including emergency use."),
                    "intermediate": flag("Access for intermediate-size populations."),
                    "treatment": flag("Access under a treatment IND or protocol for large populations."),
                },
            ),
            "patientRegistry": flag("Whether an observational study is a patient registry."),
            "targetDuration": text(
                "Planned follow-up time of a patient registry, such as '5 Years'.", pattern=DURATION_PATTERN
            ),
            "phases": array(
                "Phases of the product's development the study covers.", {"$ref": "#/$defs/Phase"}
            ),
            "designInfo": obj(
                "How the study is designed.",
                {
                    "allocation": ref("DesignAllocation", "How participants are assigned to arms."),
                    "interventionModel": ref("InterventionalAssignment", "How the arms are arranged."),
                    "interventionModelDescription": text(
                        "Further details of the intervention model (limit 1000 characters).", 1000
                    ),
                    "primaryPurpose": ref("PrimaryPurpose", "Main purpose of an interventional trial."),
                    "observationalModel": ref("ObservationalModel", "Design of an observational study."),
                    "timePerspective": ref("DesignTimePerspective", "Time frame of an observational study."),
                    "maskingInfo": obj(
                        "Blinding of the study.",
                        {
                            "masking": ref("DesignMasking", "Level of masking."),
                            "maskingDescription": text(
                                "How masking is achieved, such as matching placebo (limit 1000 characters).",
                                1000,
                            ),
                            "whoMasked": array(
                                "Roles kept unaware of assignment.", {"$ref": "#/$defs/WhoMasked"}
                            ),
                        },
                    ),
                },
            ),
            "bioSpec": obj(
                "Biospecimens kept by an observational study.",
                {
                    "retention": ref("BioSpecRetention", "Whether specimens are kept and with DNA or not."),
                    "description": text("Which specimens are kept (limit 1000 characters).", 1000),
                },
            ),
            "enrollmentInfo": obj(
                "Number of participants.",
                {
                    "count": count(
                        "Target number while recruiting; actual number enrolled once recruitment ends."
                    ),
                    "type": ref("EnrollmentType", "Whether the count is actual or anticipated."),
                },
            ),
        },
    )
    arms = obj(
        "Arms or groups and the interventions they receive.",
        {
            "armGroups": refs("ArmGroup", "Arms (interventional) or groups (observational) of the study."),
            "interventions": refs("Intervention", "Interventions studied; each is linked to arms by label."),
        },
    )
    outcomes = obj(
        "Pre-specified outcome measures as registered.",
        {
            "primaryOutcomes": refs("Outcome", "Primary outcome measures, used to judge the main objective."),
            "secondaryOutcomes": refs(
                "Outcome", "Secondary outcome measures, pre-specified in the protocol."
            ),
            "otherOutcomes": refs("Outcome", "Other pre-specified outcome measures."),
        },
    )
    eligibility = obj(
        "Who may take part.",
        {
            "eligibilityCriteria": text(
                "Inclusion and exclusion criteria as a bulleted list (limit 20000 characters).", 20000
            ),
            "healthyVolunteers": flag("Whether people without the condition may take part."),
            "sex": ref("Sex", "Sexes eligible to take part."),
            "genderBased": flag("Whether eligibility depends on gender identity rather than sex."),
            "genderDescription": text("How gender is used in eligibility (limit 1000 characters).", 1000),
            "minimumAge": text("Youngest eligible age, such as '18 Years'.", pattern=DURATION_PATTERN),
            "maximumAge": text("Oldest eligible age, such as '75 Years'.", pattern=DURATION_PATTERN),
            "stdAges": array(
                "Standard age groups covered, derived from the age limits.", {"$ref": "#/$defs/StandardAge"}
            ),
            "studyPopulation": text(
                "Population an observational study draws from (limit 1000 characters).", 1000
            ),
            "samplingMethod": ref("SamplingMethod", "How an observational study selects participants."),
        },
    )
    contacts = obj(
        "Central contacts, responsible officials and sites.",
        {
            "centralContacts": refs("Contact", "People to contact about enrolment across all sites."),
            "overallOfficials": refs(
                "Official", "People responsible for the scientific leadership of the study."
            ),
            "locations": refs(
                "Location", "Sites, each with its country; the countries of recruitment derive from them."
            ),
        },
    )
    references = obj(
        "Publications, links and available data.",
        {
            "references": refs("Reference", "Publications about the study or its background."),
            "seeAlsoLinks": refs("SeeAlsoLink", "Web pages with more information."),
            "availIpds": refs("AvailIpd", "Data sets and documents available to others."),
        },
    )
    ipd = obj(
        "Plan for sharing individual participant data (IPD).",
        {
            "ipdSharing": ref("IpdSharing", "Whether IPD will be shared."),
            "description": text("Which IPD will be shared, or why none (limit 1000 characters).", 1000),
            "infoTypes": array("Documents shared with the IPD.", {"$ref": "#/$defs/IpdSharingInfoType"}),
            "timeFrame": text(
                "When the IPD become available and for how long (limit 1000 characters).", 1000
            ),
            "accessCriteria": text("Who may access the IPD and how (limit 1000 characters).", 1000),
            "url": text("Web address for requesting the IPD."),
        },
    )
    return obj(
        "The protocol: what the sponsor registers (API v2 ProtocolSection, 13 modules).",
        {
            "identificationModule": identification,
            "statusModule": status,
            "sponsorCollaboratorsModule": sponsors,
            "oversightModule": oversight,
            "descriptionModule": description,
            "conditionsModule": conditions,
            "designModule": design,
            "armsInterventionsModule": arms,
            "outcomesModule": outcomes,
            "eligibilityModule": eligibility,
            "contactsLocationsModule": contacts,
            "referencesModule": references,
            "ipdSharingStatementModule": ipd,
        },
    )


# ---------------------------------------------------------------- results and document sections


def results_section() -> Schema:
    flow = obj(
        "How participants moved through the study, per period and group (CONSORT-style table).",
        {
            "preAssignmentDetails": text(
                "Events after enrolment but before assignment, such as run-in or washout "
                "(limit 500 characters).",
                500,
            ),
            "recruitmentDetails": text(
                "Recruitment context, such as dates and kinds of sites (limit 500 characters).", 500
            ),
            "typeUnitsAnalyzed": text("Unit counted besides participants, if any."),
            "groups": refs("FlowGroup", "Arms or groups of the flow table."),
            "periods": refs("FlowPeriod", "Periods of the study, in order."),
        },
    )
    baseline = obj(
        "Demographic and baseline characteristics of participants, per group and in total.",
        {
            "populationDescription": text(
                "Who is in the baseline population, if not everyone who started (limit 350 characters).", 350
            ),
            "typeUnitsAnalyzed": text("Unit analysed besides participants, if any."),
            "groups": refs("MeasureGroup", "Arms or groups of the baseline table, plus the total column."),
            "denoms": refs("Denom", "Overall number analysed per group."),
            "measures": refs(
                "BaselineMeasure", "Baseline characteristics; age and sex are required by the registries."
            ),
        },
    )
    outcome_measures = obj(
        "Results for each outcome measure.",
        {"outcomeMeasures": refs("OutcomeMeasure", "One entry per outcome measure, primary first.")},
    )
    adverse_events = obj(
        "Adverse events by group, including all-cause mortality.",
        {
            "frequencyThreshold": text(
                "Threshold in percent above which other (non-serious) adverse events are listed; at most 5.",
                pattern=DECIMAL_PATTERN,
            ),
            "timeFrame": text("Period over which adverse events were collected (limit 500 characters).", 500),
            "description": text(
                "How adverse events were defined or collected, if it differs from the standard definitions "
                "(limit 500 characters).",
                500,
            ),
            "allCauseMortalityComment": text("Notes on the all-cause mortality counts."),
            "eventGroups": refs(
                "EventGroup", "Arms or groups of the adverse event tables with their totals."
            ),
            "seriousEvents": refs("AdverseEvent", "Serious adverse events, all of them."),
            "otherEvents": refs("AdverseEvent", "Other adverse events at or above the frequency threshold."),
        },
    )
    more_info = obj(
        "Limitations, publication agreements and the results point of contact.",
        {
            "limitationsAndCaveats": obj(
                "Limitations of the study that affect the results.",
                {
                    "description": text(
                        "Limitations such as early termination or small numbers (limit 500 characters).", 500
                    )
                },
            ),
            "certainAgreement": obj(
                "Agreements that restrict investigators from publishing results.",
                {
                    "piSponsorEmployee": flag("Whether all principal investigators are sponsor employees."),
                    "restrictionType": ref("AgreementRestrictionType", "Kind of restriction, if any."),
                    "restrictiveAgreement": flag(
                        "Whether an agreement restricts the investigators' publication."
                    ),
                    "otherDetails": text("Terms of an OTHER restriction (limit 500 characters).", 500),
                },
            ),
            "pointOfContact": obj(
                "Person or office answering scientific questions about the results.",
                {
                    "title": text("Name or official title of the contact."),
                    "organization": text("Organisation of the contact."),
                    "email": text("E-mail address."),
                    "phone": text("Telephone number."),
                    "phoneExt": text("Telephone extension."),
                },
            ),
        },
    )
    delayed = obj(
        "(ext) Certification to delay results, or request to extend the deadline "
        "(42 CFR 11.44(b), (c), (e)).",
        {
            "certificationType": ref("CertificationType", "Ground for the delay."),
            "certificationDate": partial_date(
                "Date the certification was submitted; it must be before the results due date. (In 1.0 "
                "records with certificationType EXTENSION_REQUEST it is the date of the extension request.)"
            ),
            "interventionNames": texts("Interventions the certification covers."),
            "applicationNumbers": texts("FDA application numbers (NDA, BLA, PMA, 510(k)) for the product."),
            "approvalEventDate": partial_date(
                "Date of FDA approval, licensure or clearance, or of withdrawal of the application; results "
                "are then due within 30 days."
            ),
            "extensionRequestDate": partial_date(
                "Date a good-cause extension was requested (42 CFR 11.44(e)); a request alone does not move "
                "the results deadline."
            ),
            "extensionGrantedDate": partial_date(
                "Date the NIH Director granted the extension request (42 CFR 11.44(e))."
            ),
            "extensionGrantedUntil": partial_date("New due date granted for an extension request."),
            "reason": text("Good cause stated for an extension request."),
        },
    )
    return obj(
        "Results summary (API v2 ResultsSection, plus our delay module).",
        {
            "participantFlowModule": flow,
            "baselineCharacteristicsModule": baseline,
            "outcomeMeasuresModule": outcome_measures,
            "adverseEventsModule": adverse_events,
            "moreInfoModule": more_info,
            "delayedResultsModule": delayed,
        },
    )


def document_section() -> Schema:
    return obj(
        "Documents uploaded with the study (API v2 DocumentSection).",
        {
            "largeDocumentModule": obj(
                "Protocol, statistical analysis plan and consent form files.",
                {
                    "noSap": flag("Whether the study has no statistical analysis plan to upload."),
                    "largeDocs": refs("LargeDoc", "The uploaded documents."),
                },
            )
        },
    )


def eu_section() -> Schema:
    return obj(
        "(ext) Data for the EU under Regulation (EU) 536/2014 (CTIS) and for legacy EudraCT trials.",
        {
            "euCtNumber": text(
                "EU trial number CTIS assigns, such as 2024-512345-12-00.", pattern=EU_CT_PATTERN
            ),
            "eudractNumber": text(
                "EudraCT number of a trial authorised under Directive 2001/20/EC.", pattern=EUDRACT_PATTERN
            ),
            "transitioned": flag("Whether the trial was transitioned from the Directive to the Regulation."),
            "regulatoryFramework": enum(
                "The law the trial runs under: CTR (Regulation (EU) 536/2014, CTIS) or DIRECTIVE (Directive "
                "2001/20/EC, EudraCT, not transitioned). Absent: DIRECTIVE when the trial has a EudraCT "
                "number, no EU CT number and is not transitioned; otherwise CTR.",
                ["CTR", "DIRECTIVE"],
            ),
            "paediatric": flag("Whether the trial includes participants under 18."),
            "article46": flag(
                "Whether the trial is sponsored by a marketing-authorisation holder within Paediatric "
                "Regulation Art. 46, which makes results due in 6 months."
            ),
            "article45": flag(
                "Whether the trial is a completed paediatric study submitted under Paediatric Regulation "
                "Art. 45 (EudraCT art45Related)."
            ),
            "longTermFollowUpPlanned": flag(
                "Whether long-term follow-up of participants is planned after these results (EudraCT "
                "longTermFollowUpPlanned, required in every EudraCT results file)."
            ),
            "pipNumber": text(
                "Paediatric investigation plan decision number, EMEA-NNNNNN-PIPNN-NN.", pattern=PIP_PATTERN
            ),
            "memberStates": refs("EuMemberState", "The trial in each member state concerned."),
            "endOfTrialInAllMemberStatesDateStruct": date_struct(
                "End of the trial in the last member state concerned; the EU results summary is due "
                "one year later."
            ),
            "globalEndOfTrialDateStruct": date_struct(
                "End of the trial everywhere, including third countries, as the protocol defines it."
            ),
            "intermediateAnalyses": refs(
                "IntermediateAnalysis", "Intermediate analyses the protocol plans to report."
            ),
            "participantsByCountry": refs(
                "ParticipantsInCountry",
                "Actual participants per country, member states concerned and third countries (CTR Annex IV "
                "A.7).",
            ),
            "ageGroupBreakdown": ref(
                "AgeGroupBreakdown", "Actual participants per Annex IV age category (CTR Annex IV A.7)."
            ),
            "resultsAnalysisStage": enum(
                "Whether the summary of results reports an INTERIM (intermediate) or the FINAL analysis "
                "(CTR Annex IV A.5).",
                ["INTERIM", "FINAL"],
            ),
            "resultsAnalysisDate": ref(
                "FullDate", "Date of the analysis the results report (EudraCT analysisStageDate)."
            ),
            "primaryCompletionAnalysis": flag(
                "Whether the results are the analysis of the primary completion data (EudraCT "
                "analysisForPrimaryCompletion; if not, EudraCT takes no primary completion date, DATA-VAL-5)."
            ),
            "mainObjective": text(
                "The trial's main objective as the results report it (EudraCT mainObjective, limit 1000 "
                "characters).",
                1000,
            ),
            "subjectProtection": text(
                "Measures taken to protect participants, such as the GCP and ethics standards followed "
                "(EudraCT subjectsProtection, limit 2000 characters).",
                2000,
            ),
            "backgroundTherapy": text(
                "Therapy all participants received besides the trial products (EudraCT backgroundTherapy, "
                "limit 2000 characters).",
                2000,
            ),
            "comparatorEvidence": text(
                "Evidence for the choice of comparator (EudraCT comparatorEvidence, limit 2000 characters).",
                2000,
            ),
            "globalSubstantialModifications": refs(
                "GlobalTrialEvent", "Substantial modifications of the trial as a whole (CTR Annex IV F)."
            ),
            "globalInterruptions": refs(
                "GlobalTrialEvent", "Interruptions and restarts of the trial as a whole (CTR Annex IV F)."
            ),
            "subjectAnalysisSets": refs(
                "SubjectAnalysisSet",
                "Populations other than arms that outcome measures report on (EudraCT subjectAnalysisSets).",
            ),
            "lateResultsJustification": obj(
                "Scientific reasons, set out in the protocol, why results cannot be submitted within a year.",
                {
                    "reason": text("The scientific reason given in the protocol."),
                    "plannedSubmissionDate": partial_date("When the results summary will be submitted."),
                },
            ),
            "marketingAuthorisation": obj(
                "Marketing authorisation the trial was intended to support; the clinical study report is due "
                "30 days after the decision or withdrawal (CTR Art. 37(4)).",
                {
                    "intended": flag(
                        "Whether the trial was intended to be used to obtain a marketing authorisation."
                    ),
                    "outcome": enum(
                        "How the procedure ended.", ["GRANTED", "PROCEDURE_COMPLETED", "WITHDRAWN"]
                    ),
                    "decisionDate": partial_date(
                        "Date the authorisation was granted, the procedure completed or the application "
                        "withdrawn."
                    ),
                },
            ),
        },
    )


def uk_section() -> Schema:
    return obj(
        "(ext) Data for the UK under the clinical trials regulations in force from 28 April 2026, "
        "and ISRCTN.",
        {
            "irasId": text(
                "Integrated Research Application System project number (digits only).", pattern=IRAS_PATTERN
            ),
            "isrctn": text("ISRCTN registry number, ISRCTN followed by 8 digits.", pattern=ISRCTN_PATTERN),
            "isCtimp": flag("Whether the trial is a clinical trial of an investigational medicinal product."),
            "applicationDate": partial_date(
                "Date the UK application was submitted; it decides which rules apply."
            ),
            "approvalDate": partial_date(
                "Date of UK approval; registration is due within 90 days of it at the latest."
            ),
            "firstParticipantRecruitedDate": partial_date(
                "Date the first participant was recruited in the UK; registration is due before it."
            ),
            "approvalLapsedDate": partial_date(
                "Date the approval lapsed because no UK participant was recruited within 2 years; no "
                "results summary is then expected (HRA)."
            ),
            "endOfTrialDateStruct": date_struct("End of the trial in the UK."),
            "globalEndOfTrialDateStruct": date_struct(
                "End of the trial in every participating country; for an international trial the results "
                "summary and the end-of-trial notification count from it (MHRA, HRA)."
            ),
            "earlyTermination": flag(
                "Whether the trial ended before the end the protocol planned; the end-of-trial notification "
                "is then due in 15 days instead of 90."
            ),
            "endOfTrialNotifiedDate": partial_date(
                "Date the end of the trial was notified to the licensing authority and the ethics committee."
            ),
            "deferral": obj(
                "A deferral granted by the licensing authority; it covers registration and the results "
                "summary.",
                {
                    "granted": flag("Whether a deferral was granted."),
                    "until": partial_date("Date the deferral ends."),
                },
            ),
            "laySummaryOfferedDate": partial_date(
                "Date participants were offered the lay summary of results."
            ),
        },
    )


def who_section() -> Schema:
    return obj(
        "(ext) WHO Trial Registration Data Set items that API v2 does not hold.",
        {
            "utn": text("WHO Universal Trial Number, such as U1111-1234-5678.", pattern=UTN_PATTERN),
            "dateOfRegistration": partial_date("Date of registration in the primary registry (TRDS item 2)."),
            "fundingSources": refs("NamedEntity", "Sources of monetary or material support (TRDS item 4)."),
            "secondarySponsors": refs("NamedEntity", "Secondary sponsors (TRDS item 6)."),
            "publicContact": ref("WhoContact", "Contact for public queries (TRDS item 7)."),
            "scientificContact": ref("WhoContact", "Contact for scientific queries (TRDS item 8)."),
        },
    )


# ---------------------------------------------------------------- assembly


def build() -> Schema:
    """Return the record schema as a dict, keys in the order they are written."""
    defs: dict[str, Schema] = {}
    for part in (shape_defs(), results_defs(), extension_defs(), enum_defs()):
        defs.update(part)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Canonical trial record",
        "description": (
            "One version of a clinical trial as the sponsor holds it: the ClinicalTrials.gov API v2 study "
            "structure without registry-derived data, plus EU, UK, WHO and lay-summary extensions marked "
            "(ext). Stage profiles decide what must be present when; this schema says what may be present "
            "and its form."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["schemaVersion", "protocolSection"],
        "properties": {
            "schemaVersion": text(
                "Version of this schema the record was written with, MAJOR.MINOR; any 1.x record is valid "
                "under every later 1.x schema.",
                pattern=SCHEMA_VERSION_PATTERN,
            ),
            "protocolSection": protocol_section(),
            "resultsSection": results_section(),
            "documentSection": document_section(),
            "euSection": eu_section(),
            "ukSection": uk_section(),
            "whoSection": who_section(),
            "laySummaries": refs(
                "LaySummary", "(ext) Lay summaries of the results, one per language and audience."
            ),
        },
        "$defs": defs,
    }


def render() -> str:
    """The schema file's exact text: two-space indent, UTF-8, trailing newline."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
