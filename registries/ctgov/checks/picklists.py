"""Layer 2: the PRS picklists, length limits and conditionally required fields.

The official PRS XSDs leave almost every value a free string, so these tables are what PRS itself
demands, taken from the PRS data element definitions (protocol and results, ClinicalTrials.gov policy
pages "Protocol Registration Data Element Definitions" and "Results Data Element Definitions") and the
picklists named in the comments of ProtocolRecordSchema.xsd and RRSUploadSchema.xsd. The API v2 enums
themselves are the record schema's to enforce; this layer only refuses the values PRS does not accept
although API v2 publishes them (values the system sets, such as WITHHELD), derived from the schema's
enums, and checks the picklists the schema leaves as free text.

The tables are compiled once into a tree keyed like the record; ``check_picklists`` walks only the
branches the tree names, so a record is visited once and unnamed fields cost nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from registries.ctgov.checks._support import (
    AE_PATH as _AE,
)
from registries.ctgov.checks._support import (
    ARMS_PATH as _ARMS,
)
from registries.ctgov.checks._support import (
    BASELINE_PATH as _BASELINE,
)
from registries.ctgov.checks._support import (
    CONDITIONS_PATH as _CONDITIONS,
)
from registries.ctgov.checks._support import (
    DESCRIPTION_PATH as _DESCRIPTION,
)
from registries.ctgov.checks._support import (
    DESIGN_PATH as _DESIGN,
)
from registries.ctgov.checks._support import (
    ELIGIBILITY_PATH as _ELIGIBILITY,
)
from registries.ctgov.checks._support import (
    FLOW_PATH as _FLOW,
)
from registries.ctgov.checks._support import (
    IDENT_PATH as _IDENT,
)
from registries.ctgov.checks._support import (
    IPD_PATH as _IPD,
)
from registries.ctgov.checks._support import (
    LOCATIONS_PATH as _LOCATIONS,
)
from registries.ctgov.checks._support import (
    OUTCOMES_PATH as _OUTCOMES,
)
from registries.ctgov.checks._support import (
    PROTOCOL,
    RESULTS,
    SOURCE_PROTOCOL_DED,
    SOURCE_RESULTS_DED,
    finding,
    obj,
    text,
)
from registries.ctgov.checks._support import (
    SPONSOR_PATH as _SPONSOR,
)
from registries.ctgov.checks._support import (
    STATUS_PATH as _STATUS,
)
from registries.ctgov.checks.dates import ongoing_under_fdaaa
from registries.enums import Severity, Stage
from registries.findings import Finding
from registries.schema import record_schema, resolve

Path = tuple[str | int, ...]

# --- Length limits (characters), per data element --------------------------------------------------
#
# Where each limit comes from. "DED" is the PRS data element definitions; the stored copies read were:
#   [P-DED] Protocol Registration DED, https://clinicaltrials.gov/policy/protocol-definitions (and its
#           former home https://prsinfo.clinicaltrials.gov/definitions.html, 2020-10-01 copy).
#   [R-DED] Results DED, https://prsinfo.clinicaltrials.gov/results_definitions.html. The stored 2023-06-05
#           copy stops before the first limit; the 2021-02-01 edition (stored as a verbatim copy at
#           https://corbintury1971.blogspot.com/2021/12/which-of-following-are-examples-of.html) gives
#           Recruitment Details "Limit: 500 characters".
#   [Q]     a public GraphQL type definition of ClinicalTrials.gov data whose field docs quote [P-DED]
#           "Limit:" lines verbatim (code-search index, file id 3308317824; secondary source).
#   [T]     a public SAS macro, tu_cr8xml4vctr, that writes PRS results upload XML and checks lengths
#           first (code-search index, file id 52155087503; the index does not name its repository). It
#           also writes EudraCT XML and checks arm titles at 62, so its numbers may be the lower of the two
#           registries' limits: agreement with it is evidence, not confirmation.
# UNCONFIRMED marks a limit no stored source states; it stays because it is the best value we have.
# Searched for the unconfirmed ones (search corpora pages/docs/code, 2026-11): "Protocol Registration Data
# Element Definitions Condition Keywords Limit 160 characters", "Results Data Element Definitions Period
# Title Limit 40 characters", "Unit of Measure Limit 40 characters", "Outcome Measure Time Frame Limit 255
# characters", exact strings "Limit: 255/350/999/1500 characters"; the stored DED pages are cut after their
# opening sections, so the limits further down them could not be read.

_OUTCOME_MEASURES = (RESULTS, "outcomeMeasuresModule", "outcomeMeasures", "*")
_MORE_INFO = (RESULTS, "moreInfoModule")

# (path with "*" for every array item, limit, data element name as PRS labels it)
PROTOCOL_LENGTH_LIMITS: tuple[tuple[tuple[str, ...], int, str], ...] = (
    # [P-DED] confirmed: Unique Protocol ID 30, Brief Title 300, Acronym 14, Official Title 600,
    # Secondary ID 30.
    ((*_IDENT, "briefTitle"), 300, "Brief Title"),
    ((*_IDENT, "officialTitle"), 600, "Official Title"),
    ((*_IDENT, "acronym"), 14, "Acronym"),
    ((*_IDENT, "orgStudyIdInfo", "id"), 30, "Unique Protocol Identification Number"),
    ((*_IDENT, "secondaryIdInfos", "*", "id"), 30, "Secondary ID"),
    ((*_STATUS, "whyStopped"), 250, "Why Study Stopped"),
    ((*_SPONSOR, "leadSponsor", "name"), 160, "Sponsor"),
    ((*_SPONSOR, "collaborators", "*", "name"), 160, "Collaborator"),
    # [Q] confirmed (secondary): Brief Summary 5000, Detailed Description 32,000.
    ((*_DESCRIPTION, "briefSummary"), 5000, "Brief Summary"),
    ((*_DESCRIPTION, "detailedDescription"), 32000, "Detailed Description"),
    # UNCONFIRMED: Condition 160 and Keyword 160 (no stored source reaches section 6 of [P-DED]).
    ((*_CONDITIONS, "conditions", "*"), 160, "Condition"),
    ((*_CONDITIONS, "keywords", "*"), 160, "Keyword"),
    # [Q] confirmed (secondary): Model Description 1000, Biospecimen Description 1000, Arm Title 100,
    # Arm Description 999, Intervention Name 200, Intervention Description 1000. Masking Description 1000
    # and Other Intervention Name 200: UNCONFIRMED.
    ((*_DESIGN, "designInfo", "interventionModelDescription"), 1000, "Model Description"),
    ((*_DESIGN, "designInfo", "maskingInfo", "maskingDescription"), 1000, "Masking Description"),
    ((*_DESIGN, "bioSpec", "description"), 1000, "Biospecimen Description"),
    ((*_ARMS, "armGroups", "*", "label"), 100, "Arm Title"),
    ((*_ARMS, "armGroups", "*", "description"), 999, "Arm Description"),
    ((*_ARMS, "interventions", "*", "name"), 200, "Intervention Name"),
    ((*_ARMS, "interventions", "*", "description"), 1000, "Intervention Description"),
    ((*_ARMS, "interventions", "*", "otherNames", "*"), 200, "Other Intervention Name"),
    # Outcome Measure Description 999: [Q] confirmed (secondary). Title 255 and Time Frame 255:
    # UNCONFIRMED (the record schema said 254 for the title until 2026-11; now 255 there too).
    *(
        ((*_OUTCOMES, kind, "*", element), limit, label)
        for kind in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes")
        for element, limit, label in (
            ("measure", 255, "Outcome Measure Title"),
            ("description", 999, "Outcome Measure Description"),
            ("timeFrame", 255, "Outcome Measure Time Frame"),
        )
    ),
    # Study Population Description 1000 and Facility Name 254: [Q] confirmed (secondary). Eligibility
    # Criteria 20,000, Gender Eligibility Description 1000 and the IPD limits: UNCONFIRMED.
    ((*_ELIGIBILITY, "eligibilityCriteria"), 20000, "Eligibility Criteria"),
    ((*_ELIGIBILITY, "genderDescription"), 1000, "Gender Eligibility Description"),
    ((*_ELIGIBILITY, "studyPopulation"), 1000, "Study Population Description"),
    ((*_LOCATIONS, "locations", "*", "facility"), 254, "Facility Name"),
    ((*_IPD, "description"), 1000, "IPD Sharing Plan Description"),
    ((*_IPD, "timeFrame"), 1000, "IPD Sharing Time Frame"),
    ((*_IPD, "accessCriteria"), 1000, "IPD Sharing Access Criteria"),
    ((*_IPD, "url"), 3999, "IPD Sharing URL"),
)

RESULTS_LENGTH_LIMITS: tuple[tuple[tuple[str, ...], int, str], ...] = (
    # [R-DED] confirmed: Recruitment Details 500.
    ((*_FLOW, "recruitmentDetails"), 500, "Recruitment Details"),
    # UNCONFIRMED: Pre-assignment Details 500.
    ((*_FLOW, "preAssignmentDetails"), 500, "Pre-assignment Details"),
    # Arm/Group Title 100: UNCONFIRMED ([T] checks 62, presumably EudraCT's limit). Arm/Group Description
    # 999: UNCONFIRMED, agrees with [T] (the record schema said 1500 until 2026-11; now 999 there too).
    ((*_FLOW, "groups", "*", "title"), 100, "Participant Flow Arm/Group Title"),
    ((*_FLOW, "groups", "*", "description"), 999, "Participant Flow Arm/Group Description"),
    # Period Title 40 and Milestone Title 40: UNCONFIRMED, agree with [T].
    ((*_FLOW, "periods", "*", "title"), 40, "Period Title"),
    ((*_FLOW, "periods", "*", "milestones", "*", "type"), 40, "Milestone Title"),
    # UNCONFIRMED: Baseline Analysis Population Description 350.
    ((*_BASELINE, "populationDescription"), 350, "Baseline Analysis Population Description"),
    ((*_BASELINE, "groups", "*", "title"), 100, "Baseline Arm/Group Title"),
    ((*_BASELINE, "groups", "*", "description"), 999, "Baseline Arm/Group Description"),
    # Unit of Measure 40: UNCONFIRMED, agrees with [T].
    ((*_BASELINE, "measures", "*", "unitOfMeasure"), 40, "Baseline Measure Unit of Measure"),
    # UNCONFIRMED: the results outcome measure limits repeat the protocol ones (255 / 999 / 255).
    ((*_OUTCOME_MEASURES, "title"), 255, "Outcome Measure Title"),
    ((*_OUTCOME_MEASURES, "description"), 999, "Outcome Measure Description"),
    ((*_OUTCOME_MEASURES, "timeFrame"), 255, "Outcome Measure Time Frame"),
    ((*_OUTCOME_MEASURES, "unitOfMeasure"), 40, "Outcome Measure Unit of Measure"),
    ((*_OUTCOME_MEASURES, "groups", "*", "title"), 100, "Outcome Arm/Group Title"),
    ((*_OUTCOME_MEASURES, "groups", "*", "description"), 999, "Outcome Arm/Group Description"),
    # UNCONFIRMED: Adverse Event Time Frame 500 and Reporting Description 500. Adverse Event Term 100:
    # UNCONFIRMED, agrees with [T].
    ((*_AE, "timeFrame"), 500, "Adverse Event Time Frame"),
    ((*_AE, "description"), 500, "Adverse Event Reporting Description"),
    ((*_AE, "eventGroups", "*", "title"), 100, "Adverse Event Arm/Group Title"),
    ((*_AE, "eventGroups", "*", "description"), 999, "Adverse Event Arm/Group Description"),
    ((*_AE, "seriousEvents", "*", "term"), 100, "Serious Adverse Event Term"),
    ((*_AE, "otherEvents", "*", "term"), 100, "Other Adverse Event Term"),
    # UNCONFIRMED: Limitations and Caveats 500, Other Disclosure Agreement 500.
    # Not limited here for want of a source: drop-out reason names ([T] checks an Other reason at 40),
    # baseline category titles ([T] 50), study-specific baseline measure titles ([T] 100), NA comments
    # ([T] 250), analysis comments, citations and links (none found).
    ((*_MORE_INFO, "limitationsAndCaveats", "description"), 500, "Limitations and Caveats"),
    ((*_MORE_INFO, "certainAgreement", "otherDetails"), 500, "Other Disclosure Agreement"),
)

# --- Picklists -------------------------------------------------------------------------------------
# The record schema already enforces every API v2 enum (schemas/record/v1/record.schema.json), so a value
# off those lists is its finding (record.enum), not ours. This layer adds only what PRS demands beyond
# the schema: values API v2 publishes that PRS refuses, the PRS labels of outcome dispersion, and the
# picklists the schema leaves as free text (MedDRA organ systems).


def _schema_enum(name: str) -> frozenset[str]:
    """The values of the record schema's ``$defs/<name>`` enum, read once at import."""
    return frozenset(record_schema()["$defs"][name]["enum"])


# WITHHELD and UNKNOWN are set by ClinicalTrials.gov, never submitted (API v2 Status enum note).
SYSTEM_SET_STATUSES = frozenset({"WITHHELD", "UNKNOWN"})
OVERALL_STATUSES = _schema_enum("Status") - SYSTEM_SET_STATUSES
EXPANDED_ACCESS_STATUSES = _schema_enum("ExpandedAccessStatus")
RECRUITMENT_STATUSES = OVERALL_STATUSES - EXPANDED_ACCESS_STATUSES
STOPPED_STATUSES = frozenset({"SUSPENDED", "TERMINATED", "WITHDRAWN"})

# ProtocolRecordSchema.xsd, OverallOfficial/role: Principal Investigator | Study Chair | Study Director;
# API v2 OfficialRole also has SUB_INVESTIGATOR, which PRS refuses for an overall official.
OVERALL_OFFICIAL_ROLES = _schema_enum("OfficialRole") - {"SUB_INVESTIGATOR"}

# PRS derives the masking level from how many roles are masked (PRS XML: masked_subject, _caregiver,
# _investigator, _assessor), so the level and the list must agree.
MASKED_ROLE_COUNT = {"SINGLE": 1, "DOUBLE": 2, "TRIPLE": 3, "QUADRUPLE": 4}

CONTINUOUS_PARAMS = frozenset(
    {"GEOMETRIC_MEAN", "GEOMETRIC_LEAST_SQUARES_MEAN", "LEAST_SQUARES_MEAN", "LOG_MEAN", "MEAN", "MEDIAN"}
)
DISPERSION_TYPES = _schema_enum("MeasureDispersionType")

# API v2 publishes an outcome measure's dispersion as the PRS display string (MeasureDispersTypeUtil)
# rather than the code, so both spellings are accepted and normalised to the code. The labels are
# public.xsd measure_dispersion_enum (confirmed; samples/ctgov-v2-*.json carry "Full Range" and "Standard
# Deviation"); "Not Applicable" is the PRS display for NA ([T] writes it as raw "NA"; RRSUploadSchema.xsd
# says dispersion is "not applicable" for Number).
OUTCOME_DISPERSION_LABELS = {
    "not applicable": "NA",
    "standard deviation": "STANDARD_DEVIATION",
    "standard error": "STANDARD_ERROR",
    "inter-quartile range": "INTER_QUARTILE_RANGE",
    "full range": "FULL_RANGE",
    "80% confidence interval": "CONFIDENCE_80",
    "90% confidence interval": "CONFIDENCE_90",
    "95% confidence interval": "CONFIDENCE_95",
    "97.5% confidence interval": "CONFIDENCE_975",
    "99% confidence interval": "CONFIDENCE_99",
    "geometric coefficient of variation": "GEOMETRIC_COEFFICIENT",
}
_OTHER_CONFIDENCE = re.compile(r"^\d{1,2}(\.\d+)?% confidence interval$")


# RRSUploadSchema.xsd list (13) MeDRASOCTypeUtil: the MedDRA system organ classes. The 27 SOC names are
# confirmed by registry-specs eudract/soc.xml (27 <soc_term>, "Product issues" included; RRSUploadSchema.xsd
# change log adds it on 2016-10-27) and by the PRS sample table_ct.xml, which uploads 18 of them verbatim.
# The short form "General disorders" is UNCONFIRMED as a PRS display value: [T] (see the length limits)
# sends the full SOC name, which PRS normalises to its raw value "General"; it is accepted here on input only.
MEDDRA_ORGAN_SYSTEMS = frozenset(
    name.casefold()
    for name in (
        "Blood and lymphatic system disorders",
        "Cardiac disorders",
        "Congenital, familial and genetic disorders",
        "Ear and labyrinth disorders",
        "Endocrine disorders",
        "Eye disorders",
        "Gastrointestinal disorders",
        "General disorders",
        "General disorders and administration site conditions",
        "Hepatobiliary disorders",
        "Immune system disorders",
        "Infections and infestations",
        "Injury, poisoning and procedural complications",
        "Investigations",
        "Metabolism and nutrition disorders",
        "Musculoskeletal and connective tissue disorders",
        "Neoplasms benign, malignant and unspecified (incl cysts and polyps)",
        "Nervous system disorders",
        "Pregnancy, puerperium and perinatal conditions",
        "Product issues",
        "Psychiatric disorders",
        "Renal and urinary disorders",
        "Reproductive system and breast disorders",
        "Respiratory, thoracic and mediastinal disorders",
        "Skin and subcutaneous tissue disorders",
        "Social circumstances",
        "Surgical and medical procedures",
        "Vascular disorders",
    )
)

# ProtocolRecordSchema.xsd Eligibility: a whole number followed by years, months, weeks, days, hours or
# minutes ("N/A" for no limit is an absent field in API v2).
AGE_UNITS = (
    "Year",
    "Years",
    "Month",
    "Months",
    "Week",
    "Weeks",
    "Day",
    "Days",
    "Hour",
    "Hours",
    "Minute",
    "Minutes",
)
_AGE = re.compile(r"^\d+ (" + "|".join(AGE_UNITS) + r")$")

# Results DED, Adverse Events: the frequency threshold for reporting other adverse events is a number
# from 0 to 5 (percent).
FREQUENCY_THRESHOLD_MAX = 5.0
_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")

# (path with "*" for every array item, values the schema allows but PRS refuses, what PRS accepts, label)
PRS_REFUSED_VALUES: tuple[tuple[tuple[str, ...], frozenset[str], frozenset[str], str], ...] = (
    ((*_STATUS, "overallStatus"), SYSTEM_SET_STATUSES, OVERALL_STATUSES, "Overall Recruitment Status"),
    (
        (*_LOCATIONS, "overallOfficials", "*", "role"),
        _schema_enum("OfficialRole") - OVERALL_OFFICIAL_ROLES,
        OVERALL_OFFICIAL_ROLES,
        "Overall Official role",
    ),
)


# --- The compiled tree and its walker --------------------------------------------------------------

Rule = Callable[[Any, Path, Stage], "Finding | None"]


@dataclass
class _Node:
    rules: list[Rule] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)


def _length_rule(limit: int, label: str, source: str) -> Rule:
    def rule(value: Any, path: Path, stage: Stage) -> Finding | None:
        if isinstance(value, str) and len(value) > limit:
            return finding(
                Severity.ERROR,
                "ctgov.length.exceeded",
                path,
                f"{label} is {len(value)} characters long; ClinicalTrials.gov accepts at most {limit}."
                " Shorten it.",
                stage,
                source,
                limit=limit,
                length=len(value),
            )
        return None

    return rule


def _refused_rule(refused: frozenset[str], accepted: frozenset[str], label: str, source: str) -> Rule:
    listed = ", ".join(sorted(accepted))

    def rule(value: Any, path: Path, stage: Stage) -> Finding | None:
        if isinstance(value, str) and value in refused:
            return finding(
                Severity.ERROR,
                "ctgov.picklist.invalid_value",
                path,
                f"{label} {value!r} is not a value ClinicalTrials.gov accepts; choose one of {listed}.",
                stage,
                source,
                value=value,
            )
        return None

    return rule


def _outcome_dispersion_rule(value: Any, path: Path, stage: Stage) -> Finding | None:
    if not isinstance(value, str) or outcome_dispersion_code(value) is not None:
        return None
    return finding(
        Severity.ERROR,
        "ctgov.picklist.invalid_value",
        path,
        f"Outcome Measure of Dispersion {value!r} is not on the PRS list; choose one of "
        f"{', '.join(sorted(DISPERSION_TYPES))} (or the PRS label, e.g. 'Standard Deviation').",
        stage,
        SOURCE_RESULTS_DED,
        value=value,
    )


def _organ_system_rule(value: Any, path: Path, stage: Stage) -> Finding | None:
    if not isinstance(value, str) or value.strip().casefold() in MEDDRA_ORGAN_SYSTEMS:
        return None
    return finding(
        Severity.ERROR,
        "ctgov.ae.organ_system_unknown",
        path,
        f"Organ System {value!r} is not a MedDRA system organ class on the PRS list; use the SOC name, "
        "e.g. 'Gastrointestinal disorders'.",
        stage,
        SOURCE_RESULTS_DED,
        value=value,
    )


def _frequency_threshold_rule(value: Any, path: Path, stage: Stage) -> Finding | None:
    if value is None:
        return None
    number: float | None = None
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric or (isinstance(value, str) and _NUMBER.match(value)):
        number = float(value)
    if number is not None and 0 <= number <= FREQUENCY_THRESHOLD_MAX:
        return None
    return finding(
        Severity.ERROR,
        "ctgov.ae.frequency_threshold_range",
        path,
        f"Frequency Threshold for Reporting Other Adverse Events {value!r} must be a number from 0 to 5 "
        "(percent).",
        stage,
        SOURCE_RESULTS_DED,
        value=value,
    )


def outcome_dispersion_code(value: str) -> str | None:
    """The API v2 code for an outcome measure dispersion given as code or PRS label, else None."""
    if isinstance(value, str) and value in DISPERSION_TYPES:
        return value
    label = value.strip().casefold()
    if label in OUTCOME_DISPERSION_LABELS:
        return OUTCOME_DISPERSION_LABELS[label]
    if _OTHER_CONFIDENCE.match(label):
        return "CONFIDENCE_OTHER"
    return None


def _compile(entries: Iterable[tuple[tuple[str, ...], Rule]]) -> _Node:
    root = _Node()
    for path, rule in entries:
        node = root
        for key in path:
            node = node.children.setdefault(key, _Node())
        node.rules.append(rule)
    return root


def record_schema_max_length(path: tuple[str, ...]) -> int | None:
    """The record schema's own maxLength for ``path`` ("*" for an array item), or None."""
    node: Any = record_schema()
    for key in path:
        node = resolve(node)
        node = node.get("items") if key == "*" else node.get("properties", {}).get(key)
        if not isinstance(node, dict):
            return None
    limit = resolve(node).get("maxLength")
    return limit if isinstance(limit, int) else None


def _length_entries(
    limits: tuple[tuple[tuple[str, ...], int, str], ...], source: str
) -> list[tuple[tuple[str, ...], Rule]]:
    # Where the record schema already caps a field at the PRS limit or lower, its record.max_length
    # finding is the one finding for an over-long value; only the limits PRS sets tighter are checked here.
    return [
        (path, _length_rule(limit, label, source))
        for path, limit, label in limits
        if (record_schema_max_length(path) or limit + 1) > limit
    ]


def _protocol_entries() -> list[tuple[tuple[str, ...], Rule]]:
    entries = _length_entries(PROTOCOL_LENGTH_LIMITS, SOURCE_PROTOCOL_DED)
    entries += [
        (path, _refused_rule(refused, accepted, label, SOURCE_PROTOCOL_DED))
        for path, refused, accepted, label in PRS_REFUSED_VALUES
    ]
    # Age limits ("18 Years"): the record schema's pattern is the PRS format (ProtocolRecordSchema.xsd
    # Eligibility), so its record.pattern finding is the one finding.
    return entries


def _results_entries() -> list[tuple[tuple[str, ...], Rule]]:
    entries = _length_entries(RESULTS_LENGTH_LIMITS, SOURCE_RESULTS_DED)
    entries.append(((*_OUTCOME_MEASURES, "dispersionType"), _outcome_dispersion_rule))
    entries.append(((*_AE, "seriousEvents", "*", "organSystem"), _organ_system_rule))
    entries.append(((*_AE, "otherEvents", "*", "organSystem"), _organ_system_rule))
    entries.append(((*_AE, "frequencyThreshold"), _frequency_threshold_rule))
    return entries


_PROTOCOL_TREE = _compile(_protocol_entries())
_FULL_TREE = _compile(_protocol_entries() + _results_entries())


def _walk(node: _Node, value: Any, path: Path, stage: Stage, out: list[Finding]) -> None:
    for rule in node.rules:
        result = rule(value, path, stage)
        if result is not None:
            out.append(result)
    if not node.children:
        return
    if isinstance(value, dict):
        for key, child in node.children.items():
            if key in value:
                _walk(child, value[key], (*path, key), stage, out)
    elif isinstance(value, list):
        each = node.children.get("*")
        if each is not None:
            for index, item in enumerate(value):
                _walk(each, item, (*path, index), stage, out)


# --- Conditional values ----------------------------------------------------------------------------
# (Which elements must be present, and from which date, is registries/ctgov/checks/required.py.)


def _check_conditions(record: dict[str, Any], stage: Stage, out: list[Finding]) -> None:
    protocol = obj(record.get(PROTOCOL))
    status = obj(protocol.get("statusModule"))
    design = obj(protocol.get("designModule"))
    study_type = design.get("studyType")
    design_info = obj(design.get("designInfo"))
    info_path = (*_DESIGN, "designInfo")
    _check_status_rules(status, study_type, stage, out)
    # Studies that ended before FDAAA 801 (2007-12-26) were registered with a masking level only.
    _check_masking(design_info, info_path, stage, out, ask_roles=ongoing_under_fdaaa(record))
    if study_type == "EXPANDED_ACCESS":
        types = obj(design.get("expandedAccessTypes"))
        if not any(types.get(key) is True for key in ("individual", "intermediate", "treatment")):
            out.append(
                finding(
                    Severity.ERROR,
                    "ctgov.design.expanded_access_type_required",
                    (*_DESIGN, "expandedAccessTypes"),
                    "Expanded Access Type is missing; mark at least one of individual patients, "
                    "intermediate-size population or treatment IND/protocol.",
                    stage,
                    SOURCE_PROTOCOL_DED,
                )
            )


def _check_status_rules(status: dict[str, Any], study_type: Any, stage: Stage, out: list[Finding]) -> None:
    overall = text(status.get("overallStatus"))
    if overall in STOPPED_STATUSES and not text(status.get("whyStopped")):
        out.append(
            finding(
                Severity.ERROR,
                "ctgov.status.why_stopped_required",
                (*_STATUS, "whyStopped"),
                f"Why Study Stopped is missing; ClinicalTrials.gov requires a brief reason when the overall "
                f"status is {overall}.",
                stage,
                SOURCE_PROTOCOL_DED,
            )
        )
    if not isinstance(overall, str) or not isinstance(study_type, str) or overall not in OVERALL_STATUSES:
        return
    # Expanded access records have their own status list (ProtocolRecordSchema.xsd
    # expanded_access_status); studies use the recruitment statuses.
    expected = EXPANDED_ACCESS_STATUSES if study_type == "EXPANDED_ACCESS" else RECRUITMENT_STATUSES
    if overall not in expected:
        out.append(
            finding(
                Severity.ERROR,
                "ctgov.status.invalid_for_study_type",
                (*_STATUS, "overallStatus"),
                f"Overall Recruitment Status {overall} does not apply to a {study_type} study; choose one of "
                f"{', '.join(sorted(expected))}.",
                stage,
                SOURCE_PROTOCOL_DED,
            )
        )


def _check_masking(
    design_info: dict[str, Any], info_path: Path, stage: Stage, out: list[Finding], *, ask_roles: bool
) -> None:
    masking_info = obj(design_info.get("maskingInfo"))
    masking = text(masking_info.get("masking"))
    who = masking_info.get("whoMasked")
    roles = {role for role in who if isinstance(role, str)} if isinstance(who, list) else set()
    path = (*info_path, "maskingInfo", "whoMasked")
    if masking == "NONE" and roles:
        out.append(
            finding(
                Severity.ERROR,
                "ctgov.design.who_masked_without_masking",
                path,
                "Who is masked lists roles but Masking is NONE (open label); clear the roles or set "
                "the masking level.",
                stage,
                SOURCE_PROTOCOL_DED,
            )
        )
    elif masking in MASKED_ROLE_COUNT:
        if not roles and ask_roles:
            out.append(
                finding(
                    Severity.ERROR,
                    "ctgov.design.who_masked_required",
                    path,
                    f"Who is masked is missing; with Masking {masking} ClinicalTrials.gov requires the "
                    "masked roles (participant, care provider, investigator, outcomes assessor).",
                    stage,
                    SOURCE_PROTOCOL_DED,
                )
            )
        elif roles and len(roles) != MASKED_ROLE_COUNT[masking]:
            out.append(
                finding(
                    Severity.ERROR,
                    "ctgov.design.masking_count_mismatch",
                    path,
                    f"Masking {masking} means {MASKED_ROLE_COUNT[masking]} masked role(s) but Who is "
                    f"masked lists {len(roles)}; make them agree.",
                    stage,
                    SOURCE_PROTOCOL_DED,
                )
            )


def check_picklists(record: dict[str, Any], stage: Stage, include_results: bool) -> list[Finding]:
    """Layer 2: picklists, length limits and conditionally required protocol fields.

    ``include_results`` adds the results picklists and limits (results stage). Never raises: values of
    the wrong JSON type are skipped (the record schema reports them).
    """
    out: list[Finding] = []
    if not isinstance(record, dict):
        return out
    _walk(_FULL_TREE if include_results else _PROTOCOL_TREE, record, (), stage, out)
    _check_conditions(record, stage, out)
    return out
