"""ClinicalTrials.gov vocabularies: API v2 enum codes (the canonical record) against the display strings
of the PRS upload XML and of the retired public XML.

Sources: the PRS strings are the values listed in the comments of ProtocolRecordSchema.xsd (2018.05.08)
and RRSUploadSchema.xsd (2017.04.18); where the XSD only names a PRS "pick-list", the string is the one
the public XML (public.xsd 2019.02.14 enumerations) and API v2 display labels use. The public XML strings
come from public.xsd. Each ``*_TO_PRS`` table has a ``*_FROM_PRS`` inverse, case-insensitive through
``from_prs``, that also accepts the older synonyms PRS downloads still contain.
"""

from __future__ import annotations

from collections.abc import Mapping


def _inverse(table: Mapping[str, str], **synonyms: str) -> dict[str, str]:
    inverse = {display.casefold(): code for code, display in table.items()}
    inverse.update({display.casefold(): code for display, code in synonyms.items()})
    return inverse


def from_prs(inverse: Mapping[str, str], value: str | None) -> str | None:
    """The API v2 code for a PRS / public XML display string, or None when it is not in the table."""
    if value is None:
        return None
    return inverse.get(value.strip().casefold())


# --- status and dates -------------------------------------------------------------------------------

STATUS_TO_PRS: dict[str, str] = {
    "NOT_YET_RECRUITING": "Not yet recruiting",
    "RECRUITING": "Recruiting",
    "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    "ACTIVE_NOT_RECRUITING": "Active, not recruiting",
    "SUSPENDED": "Suspended",
    "TERMINATED": "Terminated",
    "COMPLETED": "Completed",
    "WITHDRAWN": "Withdrawn",
}
STATUS_FROM_PRS = _inverse(STATUS_TO_PRS)

# Expanded-access records carry their status in <expanded_access_status>, not <overall_status>.
EXPANDED_ACCESS_STATUS_TO_PRS: dict[str, str] = {
    "AVAILABLE": "Available",
    "NO_LONGER_AVAILABLE": "No longer available",
    "TEMPORARILY_NOT_AVAILABLE": "Temporarily not available",
    "APPROVED_FOR_MARKETING": "Approved for marketing",
}
EXPANDED_ACCESS_STATUS_FROM_PRS = _inverse(EXPANDED_ACCESS_STATUS_TO_PRS)

# Public XML adds the statuses the system sets.
PUBLIC_STATUS_FROM_XML = _inverse(
    {**STATUS_TO_PRS, **EXPANDED_ACCESS_STATUS_TO_PRS, "WITHHELD": "Withheld", "UNKNOWN": "Unknown status"}
)

# PRS says "Anticipated" where API v2 says ESTIMATED (schema README, "Dates").
DATE_TYPE_TO_PRS: dict[str, str] = {"ACTUAL": "Actual", "ESTIMATED": "Anticipated"}
DATE_TYPE_FROM_PRS = _inverse(DATE_TYPE_TO_PRS, Estimate="ESTIMATED", Estimated="ESTIMATED")

# --- design -----------------------------------------------------------------------------------------

STUDY_TYPE_TO_PRS: dict[str, str] = {
    "INTERVENTIONAL": "Interventional",
    "OBSERVATIONAL": "Observational",
    "EXPANDED_ACCESS": "Expanded Access",
}
STUDY_TYPE_FROM_PRS = _inverse(STUDY_TYPE_TO_PRS, **{"Observational [Patient Registry]": "OBSERVATIONAL"})

PHASE_TO_PRS: dict[str, str] = {
    "EARLY_PHASE1": "Early Phase 1",
    "PHASE1": "Phase 1",
    "PHASE2": "Phase 2",
    "PHASE3": "Phase 3",
    "PHASE4": "Phase 4",
    "NA": "N/A",
}
# API v2 lists a combined phase as two codes; PRS and the public XML have one string for it.
# "Phase 1/Phase 2" and "Phase 2/Phase 3" are confirmed for the public XML (public.xsd phase_enum). For the
# PRS upload they are UNCONFIRMED: ProtocolRecordSchema.xsd abbreviates its list as "Phase [1,1/2,2,2/3,3,4]",
# which may mean "Phase 1/2"; no PRS sample with a combined phase was found (code search for
# "<phase>Phase 1/Phase 2</phase>" finds only public-XML-style files). Both spellings are read back.
COMBINED_PHASE_TO_PRS: dict[tuple[str, ...], str] = {
    ("PHASE1", "PHASE2"): "Phase 1/Phase 2",
    ("PHASE2", "PHASE3"): "Phase 2/Phase 3",
}
PHASE_FROM_PRS: dict[str, list[str]] = {
    **{display.casefold(): [code] for code, display in PHASE_TO_PRS.items()},
    **{display.casefold(): list(codes) for codes, display in COMBINED_PHASE_TO_PRS.items()},
    # XSD comment: "Phase [1,1/2,2,2/3,3,4]" and "Phase 0 == Early Phase 1".
    "phase 1/2": ["PHASE1", "PHASE2"],
    "phase 2/3": ["PHASE2", "PHASE3"],
    "phase 0": ["EARLY_PHASE1"],
}


def phases_to_prs(phases: list[str]) -> str:
    """One PRS phase string for the API v2 phase list ("" when there is none)."""
    key = tuple(sorted(phases))
    if key in COMBINED_PHASE_TO_PRS:
        return COMBINED_PHASE_TO_PRS[key]
    if len(key) == 1:
        return PHASE_TO_PRS.get(key[0], key[0])
    return "/".join(PHASE_TO_PRS.get(code, code) for code in key)


def phases_from_prs(value: str | None) -> list[str] | None:
    if not value:
        return None
    return PHASE_FROM_PRS.get(value.strip().casefold())


PRIMARY_PURPOSE_TO_PRS: dict[str, str] = {
    "TREATMENT": "Treatment",
    "PREVENTION": "Prevention",
    "DIAGNOSTIC": "Diagnostic",
    "SUPPORTIVE_CARE": "Supportive Care",
    "SCREENING": "Screening",
    "HEALTH_SERVICES_RESEARCH": "Health Services Research",
    "BASIC_SCIENCE": "Basic Science",
    "DEVICE_FEASIBILITY": "Device Feasibility",
    "ECT": "Educational/Counseling/Training",
    "OTHER": "Other",
}
PRIMARY_PURPOSE_FROM_PRS = _inverse(PRIMARY_PURPOSE_TO_PRS)

INTERVENTION_MODEL_TO_PRS: dict[str, str] = {
    "SINGLE_GROUP": "Single Group Assignment",
    "PARALLEL": "Parallel Assignment",
    "CROSSOVER": "Crossover Assignment",
    "FACTORIAL": "Factorial Assignment",
    "SEQUENTIAL": "Sequential Assignment",
}
INTERVENTION_MODEL_FROM_PRS = _inverse(INTERVENTION_MODEL_TO_PRS)

ALLOCATION_TO_PRS: dict[str, str] = {
    "RANDOMIZED": "Randomized",
    "NON_RANDOMIZED": "Non-randomized",
    "NA": "N/A",
}
ALLOCATION_FROM_PRS = _inverse(ALLOCATION_TO_PRS)

# PRS has no masking level: it has no_masking plus one yes/no per masked role (XSD comments).
WHO_MASKED_TO_PRS_ELEMENT: dict[str, str] = {
    "PARTICIPANT": "masked_subject",
    "CARE_PROVIDER": "masked_caregiver",
    "INVESTIGATOR": "masked_investigator",
    "OUTCOMES_ASSESSOR": "masked_assessor",
}
MASKING_BY_COUNT: dict[int, str] = {0: "NONE", 1: "SINGLE", 2: "DOUBLE", 3: "TRIPLE", 4: "QUADRUPLE"}

# Public XML writes masking as one string, e.g. "Double (Participant, Investigator)".
PUBLIC_MASKING_FROM_XML: dict[str, str] = {
    "none (open label)": "NONE",
    "none": "NONE",
    "single": "SINGLE",
    "double": "DOUBLE",
    "triple": "TRIPLE",
    "quadruple": "QUADRUPLE",
}
PUBLIC_WHO_MASKED_FROM_XML: dict[str, str] = {
    "participant": "PARTICIPANT",
    "care provider": "CARE_PROVIDER",
    "investigator": "INVESTIGATOR",
    "outcomes assessor": "OUTCOMES_ASSESSOR",
}

OBSERVATIONAL_MODEL_TO_PRS: dict[str, str] = {
    "COHORT": "Cohort",
    "CASE_CONTROL": "Case-Control",
    "CASE_ONLY": "Case-Only",
    "CASE_CROSSOVER": "Case-Crossover",
    "ECOLOGIC_OR_COMMUNITY": "Ecologic or Community",
    "FAMILY_BASED": "Family-Based",
    "DEFINED_POPULATION": "Defined Population",
    "NATURAL_HISTORY": "Natural History",
    "OTHER": "Other",
}
OBSERVATIONAL_MODEL_FROM_PRS = _inverse(OBSERVATIONAL_MODEL_TO_PRS)

TIME_PERSPECTIVE_TO_PRS: dict[str, str] = {
    "RETROSPECTIVE": "Retrospective",
    "PROSPECTIVE": "Prospective",
    "CROSS_SECTIONAL": "Cross-Sectional",
    "OTHER": "Other",
}
TIME_PERSPECTIVE_FROM_PRS = _inverse(TIME_PERSPECTIVE_TO_PRS)

BIOSPEC_RETENTION_TO_PRS: dict[str, str] = {
    "NONE_RETAINED": "None Retained",
    "SAMPLES_WITH_DNA": "Samples With DNA",
    "SAMPLES_WITHOUT_DNA": "Samples Without DNA",
}
BIOSPEC_RETENTION_FROM_PRS = _inverse(BIOSPEC_RETENTION_TO_PRS)

ENROLLMENT_TYPE_TO_PRS = DATE_TYPE_TO_PRS
ENROLLMENT_TYPE_FROM_PRS = DATE_TYPE_FROM_PRS

SAMPLING_METHOD_TO_PRS: dict[str, str] = {
    "PROBABILITY_SAMPLE": "Probability Sample",
    "NON_PROBABILITY_SAMPLE": "Non-Probability Sample",
}
SAMPLING_METHOD_FROM_PRS = _inverse(SAMPLING_METHOD_TO_PRS)

SEX_TO_PRS: dict[str, str] = {"ALL": "All", "FEMALE": "Female", "MALE": "Male"}
SEX_FROM_PRS = _inverse(SEX_TO_PRS, Both="ALL")

TARGET_DURATION_UNITS: tuple[str, ...] = ("Years", "Months", "Weeks", "Days")

# --- arms and interventions -------------------------------------------------------------------------

ARM_TYPE_TO_PRS: dict[str, str] = {
    "EXPERIMENTAL": "Experimental",
    "ACTIVE_COMPARATOR": "Active Comparator",
    "PLACEBO_COMPARATOR": "Placebo Comparator",
    "SHAM_COMPARATOR": "Sham Comparator",
    "NO_INTERVENTION": "No Intervention",
    "OTHER": "Other",
}
ARM_TYPE_FROM_PRS = _inverse(ARM_TYPE_TO_PRS)

INTERVENTION_TYPE_TO_PRS: dict[str, str] = {
    "DRUG": "Drug",
    "DEVICE": "Device",
    "BIOLOGICAL": "Biological/Vaccine",
    "PROCEDURE": "Procedure/Surgery",
    "RADIATION": "Radiation",
    "BEHAVIORAL": "Behavioral",
    "GENETIC": "Genetic",
    "DIETARY_SUPPLEMENT": "Dietary Supplement",
    "COMBINATION_PRODUCT": "Combination Product",
    "DIAGNOSTIC_TEST": "Diagnostic Test",
    "OTHER": "Other",
}
INTERVENTION_TYPE_FROM_PRS = _inverse(
    INTERVENTION_TYPE_TO_PRS, Biological="BIOLOGICAL", Procedure="PROCEDURE"
)
# API v2 derives armGroups[].interventionNames as "<label>: <name>" with these labels.
INTERVENTION_TYPE_LABEL: dict[str, str] = {
    "DRUG": "Drug",
    "DEVICE": "Device",
    "BIOLOGICAL": "Biological",
    "PROCEDURE": "Procedure",
    "RADIATION": "Radiation",
    "BEHAVIORAL": "Behavioral",
    "GENETIC": "Genetic",
    "DIETARY_SUPPLEMENT": "Dietary Supplement",
    "COMBINATION_PRODUCT": "Combination Product",
    "DIAGNOSTIC_TEST": "Diagnostic Test",
    "OTHER": "Other",
}

# --- sponsors, oversight, people --------------------------------------------------------------------

RESPONSIBLE_PARTY_TO_PRS: dict[str, str] = {
    "SPONSOR": "Sponsor",
    "PRINCIPAL_INVESTIGATOR": "Principal Investigator",
    "SPONSOR_INVESTIGATOR": "Sponsor-Investigator",
}
RESPONSIBLE_PARTY_FROM_PRS = _inverse(RESPONSIBLE_PARTY_TO_PRS)

IRB_STATUS_TO_PRS: dict[str, str] = {
    "APPROVED": "Approved",
    "PENDING": "Pending",
    "EXEMPT": "Exempt",
    "DENIED": "Denied",
    "NOT_REQUIRED": "Not required",
}
IRB_STATUS_FROM_PRS = _inverse(IRB_STATUS_TO_PRS)

OFFICIAL_ROLE_TO_PRS: dict[str, str] = {
    "PRINCIPAL_INVESTIGATOR": "Principal Investigator",
    "STUDY_CHAIR": "Study Chair",
    "STUDY_DIRECTOR": "Study Director",
    "SUB_INVESTIGATOR": "Sub-Investigator",
}
OFFICIAL_ROLE_FROM_PRS = _inverse(OFFICIAL_ROLE_TO_PRS)

RECRUITMENT_STATUS_TO_PRS: dict[str, str] = {**STATUS_TO_PRS, "AVAILABLE": "Available"}
RECRUITMENT_STATUS_FROM_PRS = _inverse(RECRUITMENT_STATUS_TO_PRS)

# PRS secondary ID types (XSD comment on SecondaryId.id_type). The US agency codes of API v2 have no
# PRS type of their own: they travel as "Other Grant/Funding Number" with the agency as the domain.
SECONDARY_ID_TYPE_TO_PRS: dict[str, str] = {
    "NIH": "NIH Grant Number",
    "OTHER_GRANT": "Other Grant/Funding Number",
    "REGISTRY": "Registry Identifier",
    "CTIS": "Registry Identifier",
    "EUDRACT_NUMBER": "EudraCT Number",
    "OTHER": "Other Identifier",
    "FDA": "Other Grant/Funding Number",
    "VA": "Other Grant/Funding Number",
    "CDC": "Other Grant/Funding Number",
    "AHRQ": "Other Grant/Funding Number",
    "SAMHSA": "Other Grant/Funding Number",
}
SECONDARY_ID_AGENCY_CODES: frozenset[str] = frozenset({"FDA", "VA", "CDC", "AHRQ", "SAMHSA"})
SECONDARY_ID_TYPE_FROM_PRS: dict[str, str] = {
    "nih grant number": "NIH",
    "other grant/funding number": "OTHER_GRANT",
    "registry identifier": "REGISTRY",
    "eudract number": "EUDRACT_NUMBER",
    "other identifier": "OTHER",
}
# The registry name PRS gets as id_domain for an EU CT number (API v2 type CTIS).
CTIS_DOMAIN = "CTIS"

IPD_SHARING_TO_PRS: dict[str, str] = {"YES": "Yes", "NO": "No", "UNDECIDED": "Undecided"}
IPD_SHARING_FROM_PRS = _inverse(IPD_SHARING_TO_PRS)

IPD_INFO_TYPE_TO_PRS_ELEMENT: dict[str, str] = {
    "STUDY_PROTOCOL": "ipd_info_type_protocol",
    "SAP": "ipd_info_type_sap",
    "ICF": "ipd_info_type_icf",
    "CSR": "ipd_info_type_csr",
    "ANALYTIC_CODE": "ipd_info_type_analytic_code",
}
PUBLIC_IPD_INFO_TYPE_FROM_XML: dict[str, str] = {
    "study protocol": "STUDY_PROTOCOL",
    "statistical analysis plan (sap)": "SAP",
    "informed consent form (icf)": "ICF",
    "clinical study report (csr)": "CSR",
    "analytic code": "ANALYTIC_CODE",
}

AGENCY_CLASS_FROM_PUBLIC: dict[str, str] = {
    "nih": "NIH",
    "u.s. fed": "FED",
    "industry": "INDUSTRY",
    "other": "OTHER",
}

# --- yes / no ---------------------------------------------------------------------------------------

YES = "Yes"
NO = "No"


def yes_no(value: bool) -> str:
    return YES if value else NO


def bool_from_prs(value: str | None) -> bool | None:
    """PRS downloads write flags as Yes/No or true/false (1234.xml has both)."""
    if value is None:
        return None
    folded = value.strip().casefold()
    if folded in {"yes", "true", "1"}:
        return True
    if folded in {"no", "false", "0"}:
        return False
    return None


# --- results ----------------------------------------------------------------------------------------

OUTCOME_TYPE_TO_PRS: dict[str, str] = {
    "PRIMARY": "Primary",
    "SECONDARY": "Secondary",
    "OTHER_PRE_SPECIFIED": "Other Pre-specified",
    "POST_HOC": "Post-Hoc",
}
OUTCOME_TYPE_FROM_PRS = _inverse(OUTCOME_TYPE_TO_PRS)

# Confirmed: public.xsd measure_param_enum lists these nine strings; the legacy public XML samples carry
# "Count of Participants", "Median" and "Number".
MEASURE_PARAM_TO_PRS: dict[str, str] = {
    "MEAN": "Mean",
    "MEDIAN": "Median",
    "GEOMETRIC_MEAN": "Geometric Mean",
    "LEAST_SQUARES_MEAN": "Least Squares Mean",
    "GEOMETRIC_LEAST_SQUARES_MEAN": "Geometric Least Squares Mean",
    "LOG_MEAN": "Log Mean",
    "NUMBER": "Number",
    "COUNT_OF_PARTICIPANTS": "Count of Participants",
    "COUNT_OF_UNITS": "Count of Units",
}
MEASURE_PARAM_FROM_PRS = _inverse(MEASURE_PARAM_TO_PRS)

# Baseline measures carry the MeasureDispersionType code; outcome measures carry API v2's display text.
# Confirmed: the ten interval/spread labels are public.xsd measure_dispersion_enum. "Not Applicable" is
# confirmed only by secondary sources: RRSUploadSchema.xsd says dispersion is "not applicable" for Number,
# and a public SAS macro writing PRS results XML (tu_cr8xml4vctr, see checks/picklists.py [T]) uses
# "Not Applicable" as the display for PRS raw value "NA". "Other Confidence Interval" is UNCONFIRMED: public
# XML writes such intervals as e.g. "70% Confidence Interval", and RRSUploadSchema.xsd has a separate
# ciPctLevel element, so PRS may expect a level rather than this label.
DISPERSION_TO_PRS: dict[str, str] = {
    "NA": "Not Applicable",
    "STANDARD_DEVIATION": "Standard Deviation",
    "STANDARD_ERROR": "Standard Error",
    "INTER_QUARTILE_RANGE": "Inter-Quartile Range",
    "FULL_RANGE": "Full Range",
    "CONFIDENCE_80": "80% Confidence Interval",
    "CONFIDENCE_90": "90% Confidence Interval",
    "CONFIDENCE_95": "95% Confidence Interval",
    "CONFIDENCE_975": "97.5% Confidence Interval",
    "CONFIDENCE_99": "99% Confidence Interval",
    "CONFIDENCE_OTHER": "Other Confidence Interval",
    "GEOMETRIC_COEFFICIENT": "Geometric Coefficient of Variation",
}
DISPERSION_FROM_PRS = _inverse(DISPERSION_TO_PRS, NA="NA")


def dispersion_to_prs(value: str) -> str:
    """A code (baseline) or an API v2 display string (outcome) as the PRS string."""
    return DISPERSION_TO_PRS.get(value, value)


# Confirmed: public.xsd analysis_dispersion_enum, n_sides_enum and non_inferiority_type_enum.
ANALYSIS_DISPERSION_TO_PRS: dict[str, str] = {
    "STANDARD_DEVIATION": "Standard Deviation",
    "STANDARD_ERROR_OF_MEAN": "Standard Error of the Mean",
}
ANALYSIS_DISPERSION_FROM_PRS = _inverse(ANALYSIS_DISPERSION_TO_PRS)

CI_SIDES_TO_PRS: dict[str, str] = {"ONE_SIDED": "1-Sided", "TWO_SIDED": "2-Sided"}
CI_SIDES_FROM_PRS = _inverse(CI_SIDES_TO_PRS)

NON_INFERIORITY_TO_PRS: dict[str, str] = {
    "SUPERIORITY": "Superiority",
    "NON_INFERIORITY": "Non-Inferiority",
    "EQUIVALENCE": "Equivalence",
    "OTHER": "Other",
    "NON_INFERIORITY_OR_EQUIVALENCE": "Non-Inferiority or Equivalence",
    "SUPERIORITY_OR_OTHER": "Superiority or Other",
    "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY": "Non-Inferiority or Equivalence",
    "SUPERIORITY_OR_OTHER_LEGACY": "Superiority or Other",
}
NON_INFERIORITY_FROM_PRS = _inverse(
    {k: v for k, v in NON_INFERIORITY_TO_PRS.items() if not k.endswith("_LEGACY")}
)

# Confirmed: the PRS samples 1234.xml / ct_safety_upload.xml write "Non-Systematic Assessment" (public.xsd
# event_assessment_enum spells it "Non-systematic"; the inverse is case-insensitive).
EVENT_ASSESSMENT_TO_PRS: dict[str, str] = {
    "SYSTEMATIC_ASSESSMENT": "Systematic Assessment",
    "NON_SYSTEMATIC_ASSESSMENT": "Non-Systematic Assessment",
}
EVENT_ASSESSMENT_FROM_PRS = _inverse(EVENT_ASSESSMENT_TO_PRS)

AGREEMENT_RESTRICTION_TO_PRS: dict[str, str] = {"LTE60": "LTE60", "GT60": "GT60", "OTHER": "Other"}
AGREEMENT_RESTRICTION_FROM_PRS = _inverse(AGREEMENT_RESTRICTION_TO_PRS)

# The public XML states the certain-agreement answers as sentences (public.xsd pi_employee_enum).
PUBLIC_PI_EMPLOYEE_FROM_XML: dict[str, bool] = {
    "all principal investigators are employed by the organization sponsoring the study.": True,
    "principal investigators are not employed by the organization sponsoring the study.": False,
}

# Participant-flow milestones PRS keeps in their own elements; NOT COMPLETED is computed by PRS.
MILESTONE_STARTED = "STARTED"
MILESTONE_COMPLETED = "COMPLETED"
MILESTONE_NOT_COMPLETED = "NOT COMPLETED"

# PRS "reason not completed" types (DropWithdrawReasonTypeUtil); anything else is Other + its name.
# Confirmed (secondary): the SAS macro [T] of checks/picklists.py accepts exactly these eight plus Other.
DROP_WITHDRAW_REASONS: tuple[str, ...] = (
    "Adverse Event",
    "Death",
    "Lack of Efficacy",
    "Lost to Follow-up",
    "Physician Decision",
    "Pregnancy",
    "Protocol Violation",
    "Withdrawal by Subject",
)
DROP_WITHDRAW_OTHER = "Other"

# Standard baseline measures (BaselineMeasureTypeUtil); any other title is a study-specific measure
# whose own title goes into <otherTitle>.
BASELINE_STANDARD_TITLES: frozenset[str] = frozenset(
    {
        "Age, Continuous",
        "Age, Categorical",
        "Age, Customized",
        "Sex: Female, Male",
        "Sex/Gender, Customized",
        "Ethnicity (NIH/OMB)",
        "Race (NIH/OMB)",
        "Race/Ethnicity, Customized",
        "Race and Ethnicity Not Collected",
        "Region of Enrollment",
    }
)
# Standard titles confirmed by the API v2 samples (samples/ctgov-v2-*.json: "Age, Continuous", "Age,
# Categorical", "Sex: Female, Male", "Ethnicity (NIH/OMB)", "Race (NIH/OMB)", "Region of Enrollment"); the
# other four are UNCONFIRMED. "Study Specific Characteristic" is confirmed (secondary): the SAS macro [T] of
# checks/picklists.py offers it as the display for PRS raw value "Other", with the own title in otherTitle
# as RRSUploadSchema.xsd's comment "for study specific characteristic" says.
BASELINE_STUDY_SPECIFIC = "Study Specific Characteristic"
BASELINE_TOTAL_GROUP_TITLE = "Total"

# Delayed results (resultDisposition.delayType, DelayTypeUtil). UNCONFIRMED display strings: the XSD names
# only the pick-list (its change log drops a raw option "NotRequired" on 2012-10-18, so PRS raw values are
# camel-case codes); exact-string code search for "Certify Initial Approval" found nothing, and the stored
# Results DED / PRS pages are cut before the delayed-results section. The two certifications are 42 CFR
# 11.44(b) (initial approval) and (c) (new use); an extension request is 42 CFR 11.44(e).
DELAY_TYPE_TO_PRS: dict[str, str] = {
    "INITIAL_APPROVAL": "Certify Initial Approval",
    "NEW_USE": "Certify New Use",
    "EXTENSION_REQUEST": "Extension Request",
}
DELAY_TYPE_FROM_PRS = _inverse(DELAY_TYPE_TO_PRS)

MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def to_prs(table: Mapping[str, str], code: object) -> str:
    """The PRS string for a code; an unknown code passes through unchanged, a missing one is ""."""
    if code is None or code == "":
        return ""
    return table.get(str(code), str(code))
