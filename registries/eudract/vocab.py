"""EudraCT constants and the controlled terms read from the schema directory (folder ``eudract``).

The term lists and DATA-VAL rules are data transcribed from EMA's "EudraCT Results - XML Guidance"
(EMA/492808/2013, 20 June 2014, Appendices 1 and 2) into ``eudract-terms.json``; the MedDRA system organ
classes with their EUTCT ids are in ``soc.xml``. Both are read, never copied into this repository.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from registries import specs
from registries.findings import RegistryError
from registries.xmlsafe import parse_xml

CODE = "eudract"
NAME = "EudraCT"
SPEC_FOLDER = "eudract"
ADVERSE_EVENTS_XSD = "adverseEvents.xsd"
RESULTS_XSD = "results-reconstructed.xsd"
ADVERSE_EVENTS_NS = "http://eudract.ema.europa.eu/schema/clinical_trial_result/adverse_events"
RESULTS_NS = "http://eudract.ema.europa.eu/schema/clinical_trial_result"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ADVERSE_EVENTS_SCHEMA_VERSION = "adverseEvents.xsd 1.1 (2014-06-20)"
RESULTS_SCHEMA_VERSION = "results.xsd 1.1 (2014-06-20, reconstructed) + adverseEvents.xsd 1.1"

# API v2 EventAssessment -> EudraCT ADV_EVT_ASSESS_TYPE term (Appendix 1, "Adverse event assessment method").
ASSESSMENT_TERMS = {
    "SYSTEMATIC_ASSESSMENT": "ADV_EVT_ASSESS_TYPE.systematic",
    "NON_SYSTEMATIC_ASSESSMENT": "ADV_EVT_ASSESS_TYPE.non_systematic",
}
MEDDRA_TERM = "ADV_EVT_DICTIONARY_NAME.meddra"


def _missing(name: str) -> RegistryError:
    return RegistryError(
        "eudract.spec_missing",
        f"The EudraCT reference file {specs.spec_path(SPEC_FOLDER, name)} is missing; run `python manage.py "
        "fetch_registry_schemas` or set REGISTRY_SCHEMA_DIR.",
    )


@cache
def terms() -> dict[str, Any]:
    path = specs.spec_path(SPEC_FOLDER, "eudract-terms.json")
    if not path.is_file():
        raise _missing("eudract-terms.json")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def data_val_rule(rule: str) -> str:
    """The wording of one DATA-VAL rule (Appendix 2), e.g. ``data_val_rule("DATA-VAL-11")``."""
    return str(terms()["validation_rules_DATA_VAL"][rule])


@cache
def soc_ids() -> dict[str, int]:
    """MedDRA system organ class name (case-folded) -> EUTCT id."""
    path = specs.spec_path(SPEC_FOLDER, "soc.xml")
    if not path.is_file():
        raise _missing("soc.xml")
    root = parse_xml(path.read_bytes())
    return {
        str(soc.findtext("soc_term")).strip().casefold(): int(str(soc.findtext("eutctId")).strip())
        for soc in root.iter("soc")
    }


def soc_name(eutct_id: int) -> str | None:
    path = specs.spec_path(SPEC_FOLDER, "soc.xml")
    if not path.is_file():
        raise _missing("soc.xml")
    for soc in parse_xml(path.read_bytes()).iter("soc"):
        if int(str(soc.findtext("eutctId")).strip()) == eutct_id:
            return str(soc.findtext("soc_term")).strip()
    return None


def term(list_name: str, label: str) -> str:
    """The EudraCT code of ``label`` in the Appendix 1 list ``list_name``, e.g.
    ``term("Study analysis stage", "final") == "ANALYSIS_STAGE.final"``."""
    entry = terms()["lists"][list_name]
    return f"{entry['prefix']}.{entry['terms'][label]}"


def term_label(list_name: str, code: str | None) -> str | None:
    """The label of an EudraCT code in ``list_name`` (the inverse of ``term``), or None."""
    entry = terms()["lists"][list_name]
    for label, value in entry["terms"].items():
        if code == f"{entry['prefix']}.{value}":
            return str(label)
    return None


# --- subject disposition, end points and subject analysis sets (EudraCT results.xsd v1.1) ---------------
# Record (API v2) code -> label in the named Appendix 1 list of eudract-terms.json; ``term`` gives the code.

# API v2 ArmGroupType -> "Arm type". SHAM_COMPARATOR has no EudraCT term: "Other" with otherType (DATA-VAL-2).
ARM_TYPES = {
    "EXPERIMENTAL": "Experimental",
    "ACTIVE_COMPARATOR": "Active comparator",
    "PLACEBO_COMPARATOR": "Placebo",
    "NO_INTERVENTION": "No IMP",
    "OTHER": "Other",
}
SHAM_COMPARATOR_TEXT = "Sham comparator"
# API v2 DesignAllocation -> "Allocation method".
ALLOCATIONS = {"RANDOMIZED": "randomised", "NON_RANDOMIZED": "non-randomised", "NA": "n/a"}
# API v2 WhoMasked -> "Trial role". CARE_PROVIDER has no EudraCT role (EudraCT's "Carer" is the subject's
# carer, not the treating staff), so it is left out and the checks say so (eudract.masked_role_unmapped).
MASKED_ROLES = {"PARTICIPANT": "Subject", "INVESTIGATOR": "Investigator", "OUTCOMES_ASSESSOR": "Assessor"}
# Reasons for not completing (API v2 dropWithdraws[].type, free text; the PRS names) -> "Reason not
# completed". "Adverse Event" is split three ways in EudraCT (not serious, serious fatal, serious non-fatal),
# so it cannot be mapped (eudract.not_completed_reason_ambiguous); EudraCT's own labels are taken as they
# are, and any other reason is "Other" with its words (otherReason, at most 50 characters).
NOT_COMPLETED_ALIASES = {
    "withdrawal by subject": "Consent withdrawn by subject",
    "lack of efficacy": "Lack of efficacy",
    "lost to follow-up": "Lost to follow-up",
    "physician decision": "Physician decision",
    "pregnancy": "Pregnancy",
    "protocol violation": "Protocol deviation",
    "protocol deviation": "Protocol deviation",
}
AMBIGUOUS_NOT_COMPLETED = ("adverse event",)
OTHER_REASON_MAX = 50
# API v2 OutcomeMeasureType -> "Endpoint type".
ENDPOINT_TYPES = {
    "PRIMARY": "Primary",
    "SECONDARY": "Secondary",
    "OTHER_PRE_SPECIFIED": "Other pre-specified",
    "POST_HOC": "Post-hoc",
}
# API v2 MeasureParam -> "Measure type". EudraCT's own files write the end point's central tendency from this
# list (MEASURE_TYPE.leastSquares in the real file 2013-004502-26), not from "Central tendency" as the XSD
# documentation says; both are read on import. GEOMETRIC_LEAST_SQUARES_MEAN has no term.
MEASURE_TYPES = {
    "NUMBER": "number",
    "MEAN": "arithmetic",
    "MEDIAN": "median",
    "LEAST_SQUARES_MEAN": "least squares mean",
    "GEOMETRIC_MEAN": "geometric mean",
    "LOG_MEAN": "log mean",
}
COUNT_PARAMS = ("COUNT_OF_PARTICIPANTS", "COUNT_OF_UNITS")
# Outcome dispersion as API v2 displays it (case-folded, without a leading "NN% ") -> "Endpoint dispersion".
# The real file writes ENDPOINT_DISPERSION.standardError; the XSD documentation names the list "Dispersion".
DISPERSIONS = {
    "standard deviation": "Standard deviation",
    "standard error": "standard error",
    "inter-quartile range": "inter-quartile range (min-max)",
    "full range": "full range (min-max)",
    "confidence interval": "confidence interval",
    "geometric coefficient of variation": "geometric coefficient of variation",
}
# Dispersions given as a range: EudraCT's value and highRangeValue hold the lower and upper limit.
RANGE_DISPERSIONS = ("inter-quartile range (min-max)", "full range (min-max)", "confidence interval")
# API v2 NonInferiorityType -> "Statistical analysis type". The combined and legacy codes name two types at
# once, so they cannot be mapped (eudract.analysis_type_ambiguous).
ANALYSIS_TYPES = {
    "SUPERIORITY": "Superiority",
    "NON_INFERIORITY": "non-inferiority",
    "EQUIVALENCE": "Equivalence",
    "OTHER": "other",
}
# (ext) MeasureAnalysis.analysisSpecification -> "Analysis specification".
ANALYSIS_SPECIFICATIONS = {"PRE_SPECIFIED": "Pre-specified", "POST_HOC": "Post-hoc"}
# API v2 ConfidenceIntervalNumSides -> "Confidence interval side".
CI_SIDES = {"ONE_SIDED": "1-sided", "TWO_SIDED": "2-sided"}
# API v2 AnalysisDispersionType -> "Variability estimate type".
VARIABILITY_TYPES = {
    "STANDARD_DEVIATION": "Standard deviation",
    "STANDARD_ERROR_OF_MEAN": "Standard error of the mean",
}
# (ext) euSection.subjectAnalysisSets[].type -> "Subject analysis set type".
ANALYSIS_SET_TYPES = {
    "INTENT_TO_TREAT": "Intention-to-treat",
    "PER_PROTOCOL": "Per protocol",
    "FULL_ANALYSIS": "Full analysis",
    "SAFETY": "Safety analysis",
    "SUBGROUP": "Sub-group analysis",
    "MODIFIED_INTENT_TO_TREAT": "Modified intention-to-treat",
}
# Free-text names API v2 uses for a statistical method or estimated parameter, case-folded, where they differ
# from the EudraCT label only in spelling; any other text is sent as "Other" with its own words (DATA-VAL-2).
METHOD_ALIASES = {
    "log rank": "Logrank",
    "fisher exact": "Fisher exact",
    "mixed models analysis": "Mixed models analysis",
    "chi-squared, corrected": "Chi-squared corrected",
    "wilcoxon (mann-whitney)": "Wilcoxon (Mann-Whitney)",
    "kruskal-wallis": "Kruskal-wallis",
    "mcnemar": "Mcnemar",
}
PARAMETER_ALIASES = {
    "log hazard ratio": "Hazard ratio log",
    "log odds ratio": "Odds ratio log",
    "log risk ratio": "Risk ratio log",
}


def label_for(list_name: str, text: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """The label of ``list_name`` that ``text`` names, ignoring case and spelling aliases, or None."""
    if not text:
        return None
    folded = text.strip().casefold()
    if aliases and folded in aliases:
        return aliases[folded]
    for label in terms()["lists"][list_name]["terms"]:
        if label.casefold() == folded:
            return str(label)
    return None


# --- baseline characteristics (results.xsd v1.1 ``BaselineCharacteristics``) --------------------------------
# API v2 MeasureParam -> "Central tendency", the list a continuous characteristic's centralTendencyType takes
# (the real file 2013-004502-26 writes CENTRAL_TENDENCY.arithmetic and .median there). NUMBER and
# GEOMETRIC_LEAST_SQUARES_MEAN have no term. The end points' importer reads the same list.
CENTRAL_TENDENCIES = {
    "MEAN": "arithmetic mean",
    "MEDIAN": "median",
    "LEAST_SQUARES_MEAN": "least squares mean",
    "GEOMETRIC_MEAN": "geometric mean",
    "LOG_MEAN": "log mean",
}
# API v2 MeasureDispersionType -> "Dispersion", the list a continuous characteristic's dispersionType takes
# (DISPERSION.standardDeviation and .fullRange in the real file). It has no standard error and no confidence
# interval; NA is sent as no dispersion (the element is nillable).
BASELINE_DISPERSIONS = {
    "STANDARD_DEVIATION": "standard deviation",
    "INTER_QUARTILE_RANGE": "inter-quartile range (min-max)",
    "FULL_RANGE": "full range (min-max)",
}
# Ranges: value holds the lower and highRangeValue the upper limit (the real file's full range of insulin
# dose: 15.00 to 300.00).
BASELINE_RANGE_DISPERSIONS = ("INTER_QUARTILE_RANGE", "FULL_RANGE")
# EudraCT's fixed age categories of the age categorical characteristic, keyed like the record's
# euSection.ageGroupBreakdown (the same nine categories, CTR Annex IV A.7), in EudraCT's order. The names are
# those of EudraCT's results form; the real file 2013-004502-26 shows the last three verbatim ("Adults (18-64
# years)", "From 65-84 years", "85 years and over").
AGE_CATEGORIES = {
    "inUtero": "In utero",
    "pretermNewborns": "Preterm newborn infants (gestational age < 37 wks)",
    "newborns": "Newborns (0-27 days)",
    "infantsAndToddlers": "Infants and toddlers (28 days-23 months)",
    "children": "Children (2-11 years)",
    "adolescents": "Adolescents (12-17 years)",
    "adults": "Adults (18-64 years)",
    "from65To84Years": "From 65-84 years",
    "from85Years": "85 years and over",
}
# Other spellings of the same categories a record may use (the CTIS summary's "From 65 to 84 years").
AGE_CATEGORY_ALIASES = {"from 65 to 84 years": "From 65-84 years"}
# The gender categorical characteristic's two categories (the real file and the guidance's example, 7.5.4).
GENDER_CATEGORIES = ("Female", "Male")


def age_unit(text: str | None) -> str | None:
    """A record's age unit (any case, singular or plural: 'Years') -> the value of its "Age unit" term
    ('years'), which the real file writes as the plain unit of ageContinuousCharacteristic; else None."""
    folded = (text or "").strip().casefold()
    label = folded[:-1] if folded.endswith("s") else folded
    if label in terms()["lists"]["Age unit"]["terms"]:
        return str(terms()["lists"]["Age unit"]["terms"][label])
    return None
