"""Single-rule mutations of the complete record, one per ClinicalTrials.gov rule, each with its source.

Each ``RuleMutation`` breaks exactly one rule of the PRS data element definitions ([P-DED] protocol,
[R-DED] results), the PRS validation messages ([PRS-2018-06], [PRS-2018-09]), the NLM results QC Major
Comments ([NLM]) or 42 CFR Part 11, in ``tests/fixtures/records/complete.json`` (a trial started in 2023,
so every rule of 42 CFR Part 11 applies), and says which findings the generic and ClinicalTrials.gov checks
together must add: exactly those, one per problem.

Registration rules are checked at the registration stage on the record without its results section (so
that the results rules stay silent); results rules at the results stage on the whole record.

Used by ``test_prs_rules.py`` (one test per rule) and ``bench/ctgov_rule_coverage.py`` (the detection count).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registries.enums import Severity, Stage
from tests.registries.ctgov.records import DELETE, at

COMPLETE_RECORD = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "complete.json"

E, W = Severity.ERROR, Severity.WARNING
ID = "/protocolSection/identificationModule"
ST = "/protocolSection/statusModule"
SP = "/protocolSection/sponsorCollaboratorsModule"
OV = "/protocolSection/oversightModule"
DE = "/protocolSection/designModule"
DI = f"{DE}/designInfo"
AR = "/protocolSection/armsInterventionsModule"
OU = "/protocolSection/outcomesModule"
EL = "/protocolSection/eligibilityModule"
CL = "/protocolSection/contactsLocationsModule"
FL = "/resultsSection/participantFlowModule"
BL = "/resultsSection/baselineCharacteristicsModule"
OM = "/resultsSection/outcomeMeasuresModule/outcomeMeasures"
AE = "/resultsSection/adverseEventsModule"
MI = "/resultsSection/moreInfoModule"
DOCS = "/documentSection/largeDocumentModule"

Edit = tuple[str, Any]
Expected = tuple[Severity, str, str]


@dataclass(frozen=True)
class RuleMutation:
    name: str
    source: str
    edits: tuple[Edit, ...]
    expected: tuple[Expected, ...]
    results: bool = False

    @property
    def stage(self) -> Stage:
        return Stage.RESULTS if self.results else Stage.REGISTRATION

    def base(self) -> dict[str, Any]:
        record: dict[str, Any] = json.loads(COMPLETE_RECORD.read_text(encoding="utf-8"))
        if not self.results:
            del record["resultsSection"]
        return record

    def mutated(self) -> dict[str, Any]:
        record = self.base()
        for pointer, value in self.edits:
            at(record, pointer, value if value is DELETE else copy.deepcopy(value))
        return record


def _reg(name: str, source: str, edits: list[Edit], *expected: Expected) -> RuleMutation:
    return RuleMutation(name, source, tuple(edits), tuple(expected))


def _res(name: str, source: str, edits: list[Edit], *expected: Expected) -> RuleMutation:
    return RuleMutation(name, source, tuple(edits), tuple(expected), results=True)


# The complete record turned into a clean observational study (a cohort study of the same population):
# the rules that apply only to observational studies break one thing on top of it.
OBSERVATIONAL: tuple[Edit, ...] = (
    (f"{DE}/studyType", "OBSERVATIONAL"),
    (f"{DE}/phases", DELETE),
    (f"{DE}/designInfo", {"observationalModel": "COHORT", "timePerspective": "PROSPECTIVE"}),
    (f"{AR}/armGroups/0/type", DELETE),
    (f"{AR}/armGroups/1/type", DELETE),
    (f"{EL}/studyPopulation", "Adults with the condition seen at the study clinics."),
    (f"{EL}/samplingMethod", "NON_PROBABILITY_SAMPLE"),
)


def _obs(name: str, source: str, edits: list[Edit], *expected: Expected) -> RuleMutation:
    return RuleMutation(name, source, (*OBSERVATIONAL, *edits), tuple(expected))


MISSING = "profile.required"
CT_MISSING = "ctgov.required.missing"

REGISTRATION_RULES: tuple[RuleMutation, ...] = (
    _reg(
        "brief_title",
        "[P-DED] Brief Title *",
        [(f"{ID}/briefTitle", DELETE)],
        (E, MISSING, f"{ID}/briefTitle"),
    ),
    _reg(
        "unique_protocol_id",
        "[P-DED] Unique Protocol Identification Number *",
        [(f"{ID}/orgStudyIdInfo/id", DELETE)],
        (E, MISSING, f"{ID}/orgStudyIdInfo/id"),
    ),
    _reg(
        "official_title",
        "[P-DED] Official Title *§ (start on or after 2017-01-18)",
        [(f"{ID}/officialTitle", DELETE)],
        (E, CT_MISSING, f"{ID}/officialTitle"),
    ),
    _reg(
        "brief_title_length",
        "[P-DED] Brief Title, limit 300 characters",
        [(f"{ID}/briefTitle", "x" * 301)],
        (E, "record.max_length", f"{ID}/briefTitle"),
    ),
    _reg(
        "keyword_length",
        "[P-DED] Keywords, limit 160 characters",
        [("/protocolSection/conditionsModule/keywords", ["x" * 161])],
        (E, "ctgov.length.exceeded", "/protocolSection/conditionsModule/keywords/0"),
    ),
    _reg(
        "record_verification_date",
        "[P-DED] Record Verification Date *",
        [(f"{ST}/statusVerifiedDate", DELETE)],
        (E, CT_MISSING, f"{ST}/statusVerifiedDate"),
    ),
    _reg(
        "overall_status",
        "[P-DED] Overall Recruitment Status *",
        [(f"{ST}/overallStatus", DELETE)],
        (E, MISSING, f"{ST}/overallStatus"),
    ),
    _reg(
        "system_set_status",
        "[P-DED] Overall Recruitment Status picklist (WITHHELD is set by ClinicalTrials.gov)",
        [(f"{ST}/overallStatus", "WITHHELD")],
        (E, "ctgov.picklist.invalid_value", f"{ST}/overallStatus"),
    ),
    _reg(
        "status_for_study_type",
        "ProtocolRecordSchema.xsd expanded_access_status vs recruitment status",
        [(f"{ST}/overallStatus", "AVAILABLE")],
        (E, "ctgov.status.invalid_for_study_type", f"{ST}/overallStatus"),
    ),
    _reg(
        "why_stopped",
        "[P-DED] Why Study Stopped [*] (suspended, terminated, withdrawn)",
        [(f"{ST}/overallStatus", "TERMINATED")],
        (E, "ctgov.status.why_stopped_required", f"{ST}/whyStopped"),
    ),
    _reg(
        "start_date",
        "[P-DED] Study Start Date *",
        [(f"{ST}/startDateStruct/date", DELETE)],
        (E, "record.required", f"{ST}/startDateStruct/date"),
    ),
    _reg(
        "start_date_type",
        "[P-DED] Study Start Date type *§; 42 CFR 11.10(b)",
        [(f"{ST}/startDateStruct/type", DELETE)],
        (E, CT_MISSING, f"{ST}/startDateStruct/type"),
    ),
    _reg(
        "primary_completion_date",
        "[P-DED] Primary Completion Date *; FDAAA 801",
        [(f"{ST}/primaryCompletionDateStruct", DELETE)],
        (E, CT_MISSING, f"{ST}/primaryCompletionDateStruct/date"),
    ),
    _reg(
        "primary_completion_date_type",
        "[P-DED] Primary Completion Date type *; FDAAA 801",
        [(f"{ST}/primaryCompletionDateStruct/type", DELETE)],
        (E, CT_MISSING, f"{ST}/primaryCompletionDateStruct/type"),
    ),
    _reg(
        "completion_date",
        "[P-DED] Study Completion Date *",
        [(f"{ST}/completionDateStruct/date", DELETE)],
        (E, "record.required", f"{ST}/completionDateStruct/date"),
    ),
    _reg(
        "completion_date_type",
        "[P-DED] Study Completion Date type *; FDAAA 801",
        [(f"{ST}/completionDateStruct/type", DELETE)],
        (E, CT_MISSING, f"{ST}/completionDateStruct/type"),
    ),
    _reg(
        "dates_in_order",
        "42 CFR 11.10(a); PRS record validation (primary completion after start)",
        [(f"{ST}/primaryCompletionDateStruct/date", "2022-01")],
        (E, "rule.dates_out_of_order", f"{ST}/primaryCompletionDateStruct/date"),
    ),
    _reg(
        "actual_date_not_future",
        "42 CFR 11.10(a) (actual vs anticipated); PRS record validation",
        [(f"{ST}/completionDateStruct/date", "2999-01-01")],
        (E, "rule.actual_date_in_future", f"{ST}/completionDateStruct/date"),
    ),
    _reg(
        "anticipated_date_passed",
        "PRS record validation; 42 CFR 11.64 (update anticipated dates)",
        [(f"{ST}/startDateStruct/type", "ESTIMATED")],
        (W, "ctgov.status.estimated_date_past", f"{ST}/startDateStruct/type"),
    ),
    _reg(
        "closed_study_actual_dates",
        "PRS record validation: a completed study has actual dates",
        [(f"{ST}/primaryCompletionDateStruct/type", "ESTIMATED")],
        (E, "rule.completed_date_not_actual", f"{ST}/primaryCompletionDateStruct/type"),
    ),
    _reg(
        "lead_sponsor",
        "[P-DED] Sponsor *",
        [(f"{SP}/leadSponsor/name", DELETE)],
        (E, MISSING, f"{SP}/leadSponsor/name"),
    ),
    _reg(
        "responsible_party",
        "[P-DED] Responsible Party *; 42 CFR 11.4(c)",
        [(f"{SP}/responsibleParty", DELETE)],
        (E, CT_MISSING, f"{SP}/responsibleParty/type"),
    ),
    _reg(
        "investigator_details",
        "[P-DED] Investigator Official Title and Affiliation [*]; 42 CFR 11.4(c)",
        [(f"{SP}/responsibleParty", {"type": "PRINCIPAL_INVESTIGATOR", "investigatorFullName": "Dr A"})],
        (E, CT_MISSING, f"{SP}/responsibleParty/investigatorTitle"),
        (E, CT_MISSING, f"{SP}/responsibleParty/investigatorAffiliation"),
    ),
    _reg(
        "fda_regulated_drug",
        "[P-DED] Studies a U.S. FDA-regulated Drug Product *§",
        [(f"{OV}/isFdaRegulatedDrug", DELETE)],
        (E, CT_MISSING, f"{OV}/isFdaRegulatedDrug"),
    ),
    _reg(
        "fda_regulated_device",
        "[P-DED] Studies a U.S. FDA-regulated Device Product *§",
        [(f"{OV}/isFdaRegulatedDevice", DELETE)],
        (E, CT_MISSING, f"{OV}/isFdaRegulatedDevice"),
    ),
    _reg(
        "us_export",
        "[P-DED] Product Manufactured in and Exported from the U.S. [*]; 42 CFR 11.22(b)",
        [
            (f"{OV}/isUsExport", DELETE),
            (f"{OV}/indIdeInfos", DELETE),
            (
                f"{CL}/locations",
                [{"facility": "Clinic", "status": "COMPLETED", "city": "Lyon", "country": "France"}],
            ),
        ],
        (W, CT_MISSING, f"{OV}/isUsExport"),
    ),
    _reg(
        "brief_summary",
        "[P-DED] Brief Summary *",
        [("/protocolSection/descriptionModule/briefSummary", DELETE)],
        (E, MISSING, "/protocolSection/descriptionModule/briefSummary"),
    ),
    _reg(
        "payment_information",
        "[NLM] Major Comments: payment information",
        [("/protocolSection/descriptionModule/briefSummary", "Participants are paid $50 per visit.")],
        (W, "ctgov.qc.payment_information", "/protocolSection/descriptionModule/briefSummary"),
    ),
    _reg(
        "conditions",
        "[P-DED] Conditions or Focus of Study *",
        [("/protocolSection/conditionsModule/conditions", [])],
        (E, "profile.min_items", "/protocolSection/conditionsModule/conditions"),
    ),
    _reg(
        "study_type", "[P-DED] Study Type *", [(f"{DE}/studyType", DELETE)], (E, MISSING, f"{DE}/studyType")
    ),
    _reg("study_phase", "[P-DED] Study Phase *", [(f"{DE}/phases", DELETE)], (E, MISSING, f"{DE}/phases")),
    _reg(
        "primary_purpose",
        "[P-DED] Primary Purpose *",
        [(f"{DI}/primaryPurpose", DELETE)],
        (E, MISSING, f"{DI}/primaryPurpose"),
    ),
    _reg(
        "allocation", "[P-DED] Allocation *", [(f"{DI}/allocation", DELETE)], (E, MISSING, f"{DI}/allocation")
    ),
    _reg(
        "intervention_model",
        "[P-DED] Interventional Study Model *",
        [(f"{DI}/interventionModel", DELETE)],
        (E, MISSING, f"{DI}/interventionModel"),
    ),
    _reg(
        "masking",
        "[P-DED] Masking *",
        [(f"{DI}/maskingInfo/masking", DELETE)],
        (E, MISSING, f"{DI}/maskingInfo/masking"),
    ),
    _reg(
        "who_masked",
        "[P-DED] Masking: roles masked [*]",
        [(f"{DI}/maskingInfo/whoMasked", [])],
        (E, "ctgov.design.who_masked_required", f"{DI}/maskingInfo/whoMasked"),
    ),
    _reg(
        "masking_count",
        "[P-DED] Masking level against the roles masked",
        [(f"{DI}/maskingInfo/whoMasked", ["PARTICIPANT", "INVESTIGATOR"])],
        (E, "ctgov.design.masking_count_mismatch", f"{DI}/maskingInfo/whoMasked"),
    ),
    _reg(
        "open_label_roles",
        "[P-DED] Masking: None (Open Label) has no masked roles",
        [(f"{DI}/maskingInfo/masking", "NONE")],
        (E, "ctgov.design.who_masked_without_masking", f"{DI}/maskingInfo/whoMasked"),
    ),
    _reg(
        "enrollment",
        "[P-DED] Enrollment *",
        [(f"{DE}/enrollmentInfo/count", DELETE)],
        (E, MISSING, f"{DE}/enrollmentInfo/count"),
    ),
    _reg(
        "enrollment_type",
        "[P-DED] Enrollment type *; FDAAA 801",
        [(f"{DE}/enrollmentInfo/type", DELETE)],
        (E, CT_MISSING, f"{DE}/enrollmentInfo/type"),
    ),
    _reg(
        "closed_study_actual_enrollment",
        "[P-DED] Enrollment: actual once the study is completed; 42 CFR 11.64 (PRS accepts it: warning)",
        [(f"{DE}/enrollmentInfo/type", "ESTIMATED")],
        (W, "ctgov.status.closed_with_estimated_enrollment", f"{DE}/enrollmentInfo/type"),
    ),
    _reg(
        "biospecimen_description",
        "[P-DED] Biospecimen Description [*] when retained",
        [(f"{DE}/bioSpec", {"retention": "SAMPLES_WITH_DNA"})],
        (E, CT_MISSING, f"{DE}/bioSpec/description"),
    ),
    _reg(
        "arm_count_for_design",
        "[P-DED] Interventional Study Model Single Group against Arm Information (PRS publishes it: warning)",
        [(f"{DI}/interventionModel", "SINGLE_GROUP")],
        (W, "ctgov.design.arm_count_mismatch", f"{DI}/interventionModel"),
    ),
    _reg(
        "arm_count_for_parallel_design",
        "[P-DED] Interventional Study Model Parallel against Arm Information (PRS publishes it: warning)",
        [(f"{AR}/interventions/1", DELETE), (f"{AR}/armGroups/1", DELETE)],
        (W, "ctgov.design.arm_count_mismatch", f"{DI}/interventionModel"),
    ),
    _obs(
        "groups_cohorts",
        "[P-DED] Groups/Cohorts for an observational study (PRS publishes studies without: warning)",
        [(f"{AR}/armGroups", DELETE), (f"{AR}/interventions", DELETE)],
        (W, CT_MISSING, f"{AR}/armGroups"),
    ),
    _obs(
        "observational_model",
        "[P-DED] Observational Study Model *",
        [(f"{DI}/observationalModel", DELETE)],
        (E, CT_MISSING, f"{DI}/observationalModel"),
    ),
    _obs(
        "time_perspective",
        "[P-DED] Time Perspective *",
        [(f"{DI}/timePerspective", DELETE)],
        (E, CT_MISSING, f"{DI}/timePerspective"),
    ),
    _obs(
        "group_cohort_label",
        "[P-DED] Group/Cohort Label *",
        [
            (f"{AR}/interventions/1", DELETE),
            (f"{AR}/armGroups/1/interventionNames", DELETE),
            (f"{AR}/armGroups/1/label", " "),
        ],
        (E, CT_MISSING, f"{AR}/armGroups/1/label"),
    ),
    _obs(
        "group_cohort_description",
        "[P-DED] Group/Cohort Description (PRS publishes groups without it: warning)",
        [(f"{AR}/armGroups/1/description", DELETE)],
        (W, CT_MISSING, f"{AR}/armGroups/1/description"),
    ),
    _reg(
        "arm_type",
        "[P-DED] Arm Type *; 42 CFR 11.28(a)(2)",
        [(f"{AR}/armGroups/0/type", DELETE)],
        (E, CT_MISSING, f"{AR}/armGroups/0/type"),
    ),
    _reg(
        "intervention_type",
        "[P-DED] Intervention Type *",
        [(f"{AR}/interventions/0/type", DELETE)],
        (E, MISSING, f"{AR}/interventions/0/type"),
    ),
    _reg(
        "intervention_given_to_an_arm",
        "PRS record validation: every intervention is given to an arm",
        [(f"{AR}/interventions/1/armGroupLabels", [])],
        (E, "ctgov.arms.intervention_unlinked", f"{AR}/interventions/1/armGroupLabels"),
    ),
    _reg(
        "intervention_arm_label",
        "PRS record validation: intervention arm group labels",
        [(f"{AR}/interventions/1/armGroupLabels", ["Placebo arm"])],
        (E, "rule.unknown_arm_group", f"{AR}/interventions/1/armGroupLabels/0"),
    ),
    _reg(
        "arm_intervention_name",
        "PRS record validation: arm group intervention names",
        [(f"{AR}/armGroups/1/interventionNames", ["Drug: Nothing"])],
        (E, "rule.unknown_intervention", f"{AR}/armGroups/1/interventionNames/0"),
    ),
    _reg(
        "primary_outcome",
        "[P-DED] Primary Outcome Measure *",
        [(f"{OU}/primaryOutcomes", [])],
        (E, "ctgov.outcome.primary_missing", f"{OU}/primaryOutcomes"),
    ),
    _reg(
        "outcome_time_frame",
        "[P-DED] Outcome Measure Time Frame *; FDAAA 801",
        [(f"{OU}/secondaryOutcomes/0/timeFrame", DELETE)],
        (E, "ctgov.outcome.time_frame_missing", f"{OU}/secondaryOutcomes/0/timeFrame"),
    ),
    _reg(
        "outcome_time_frame_numeral",
        "[PRS-2018-06] time frame only a numeral (ERROR from 2017-01-18, [PRS-2018-09])",
        [(f"{OU}/primaryOutcomes/0/timeFrame", "16")],
        (E, "ctgov.outcome.time_frame_numeral_only", f"{OU}/primaryOutcomes/0/timeFrame"),
    ),
    _reg(
        "outcome_title_specific",
        "[PRS-2018-06] non-specific outcome title",
        [(f"{OU}/primaryOutcomes/0/measure", "Efficacy")],
        (W, "ctgov.outcome.nonspecific_title", f"{OU}/primaryOutcomes/0/measure"),
    ),
    _reg(
        "eligibility_criteria",
        "[P-DED] Eligibility Criteria *",
        [(f"{EL}/eligibilityCriteria", DELETE)],
        (E, MISSING, f"{EL}/eligibilityCriteria"),
    ),
    _reg(
        "eligibility_criteria_blank",
        "[P-DED] Eligibility Criteria *; [NLM] Major Comments: missing eligibility criteria",
        [(f"{EL}/eligibilityCriteria", "  ")],
        (E, "ctgov.eligibility.criteria_missing", f"{EL}/eligibilityCriteria"),
    ),
    _reg("sex", "[P-DED] Sex/Gender *", [(f"{EL}/sex", DELETE)], (E, MISSING, f"{EL}/sex")),
    _reg(
        "gender_description",
        "[P-DED] Gender Eligibility Description [*] (published without it: warning)",
        [(f"{EL}/genderBased", True)],
        (W, CT_MISSING, f"{EL}/genderDescription"),
    ),
    _reg(
        "healthy_volunteers",
        "[P-DED] Accepts Healthy Volunteers *; FDAAA 801",
        [(f"{EL}/healthyVolunteers", DELETE)],
        (E, CT_MISSING, f"{EL}/healthyVolunteers"),
    ),
    _reg(
        "age_format",
        "[P-DED] Minimum Age: number and unit, or N/A (ProtocolRecordSchema.xsd)",
        [(f"{EL}/minimumAge", "18")],
        (E, "record.pattern", f"{EL}/minimumAge"),
    ),
    _reg(
        "age_range",
        "PRS record validation: minimum age not above maximum age",
        [(f"{EL}/minimumAge", "80 Years")],
        (E, "ctgov.eligibility.age_range_inverted", f"{EL}/minimumAge"),
    ),
    _reg(
        "site_status",
        "[P-DED] Individual Site Status *§ (recruiting study)",
        [(f"{ST}/overallStatus", "RECRUITING"), (f"{CL}/locations/0/status", DELETE)],
        (E, CT_MISSING, f"{CL}/locations/0/status"),
    ),
    _reg(
        "central_contact",
        "[P-DED] Central Contact Person [*] (not yet recruiting or recruiting)",
        [(f"{ST}/overallStatus", "RECRUITING"), (f"{CL}/centralContacts", DELETE)],
        (E, "ctgov.contacts.required_while_recruiting", f"{CL}/centralContacts"),
    ),
    _reg(
        "overall_official_role",
        "ProtocolRecordSchema.xsd OverallOfficial/role",
        [(f"{CL}/overallOfficials/0/role", "SUB_INVESTIGATOR")],
        (E, "ctgov.picklist.invalid_value", f"{CL}/overallOfficials/0/role"),
    ),
    _reg(
        "xml_characters",
        "XML 1.0 section 2.2; every PRS upload is XML",
        [(f"{ID}/briefTitle", "Trelanoxib\x1f in psoriasis")],
        (E, "rule.text_not_xml_safe", f"{ID}/briefTitle"),
    ),
)

RESULTS_RULES: tuple[RuleMutation, ...] = (
    _res(
        "baseline_measure_population",
        "[R-DED] Baseline Measure Analysis Population Description [*] if the number analysed differs",
        [
            (
                f"{BL}/measures/0/denoms",
                [
                    {
                        "units": "Participants",
                        "counts": [
                            {"groupId": "BG000", "value": "200"},
                            {"groupId": "BG001", "value": "206"},
                            {"groupId": "BG002", "value": "406"},
                        ],
                    }
                ],
            )
        ],
        (E, "ctgov.baseline.population_description_required", f"{BL}/measures/0/populationDescription"),
    ),
    _res(
        "participant_flow",
        "[R-DED] Participant Flow *; 42 CFR 11.48(a)(1)",
        [(FL, DELETE)],
        (E, MISSING, FL),
    ),
    _res(
        "flow_started",
        "[R-DED] Milestone STARTED *; 42 CFR 11.48(a)(1)",
        [(f"{FL}/periods/0/milestones/0", DELETE)],
        (E, "ctgov.flow.milestone_missing", f"{FL}/periods/0/milestones"),
    ),
    _res(
        "flow_completed",
        "[R-DED] Milestone COMPLETED *; 42 CFR 11.48(a)(1)",
        [(f"{FL}/periods/1/milestones/1", DELETE)],
        (E, "ctgov.flow.milestone_missing", f"{FL}/periods/1/milestones"),
    ),
    _res(
        "flow_milestone_grows",
        "[NLM] Major Comments: inconsistencies within participant flow",
        [(f"{FL}/periods/0/milestones/1/achievements/0/numSubjects", "999")],
        (E, "ctgov.flow.milestone_grows", f"{FL}/periods/0/milestones/1/achievements/0/numSubjects"),
    ),
    _res(
        "flow_started_vs_baseline",
        "[NLM] Major Comments: participant flow against baseline",
        [
            (f"{FL}/periods/0/milestones/0/achievements/0/numSubjects", "205"),
            (f"{BL}/populationDescription", DELETE),
        ],
        (W, "ctgov.flow.started_vs_baseline", f"{BL}/denoms/0/counts/2/value"),
    ),
    _res(
        "baseline",
        "[R-DED] Baseline Characteristics *; 42 CFR 11.48(a)(2)",
        [(BL, DELETE)],
        (E, MISSING, BL),
    ),
    _res(
        "baseline_age",
        "[R-DED] Baseline Measure Age *; 42 CFR 11.48(a)(2)",
        [(f"{BL}/measures/0", DELETE)],
        (E, "ctgov.baseline.demographic_missing", f"{BL}/measures"),
    ),
    _res(
        "baseline_sex",
        "[R-DED] Baseline Measure Sex/Gender *; 42 CFR 11.48(a)(2)",
        [(f"{BL}/measures/1", DELETE)],
        (E, "ctgov.baseline.demographic_missing", f"{BL}/measures"),
    ),
    _res(
        "baseline_race_ethnicity",
        "[R-DED] Baseline Measure Race and Ethnicity (or not collected) *; 42 CFR 11.48(a)(2)",
        [(f"{BL}/measures/2", DELETE)],
        (E, "ctgov.baseline.demographic_missing", f"{BL}/measures"),
    ),
    _res(
        "baseline_overall_count",
        "[R-DED] Overall Number of Baseline Participants *",
        [(f"{BL}/denoms", DELETE)],
        (E, "ctgov.baseline.overall_count_missing", f"{BL}/denoms"),
    ),
    _res(
        "baseline_unit",
        "[R-DED] Baseline Measure Unit of Measure *",
        [(f"{BL}/measures/3/unitOfMeasure", DELETE)],
        (E, MISSING, f"{BL}/measures/3/unitOfMeasure"),
    ),
    _res(
        "baseline_measure_type",
        "[R-DED] Baseline Measure Type *",
        [(f"{BL}/measures/3/paramType", DELETE)],
        (E, MISSING, f"{BL}/measures/3/paramType"),
    ),
    _res(
        "baseline_dispersion",
        "[PRS-2018-06]; [NLM] missing dispersion for continuous data",
        [(f"{BL}/measures/0/dispersionType", DELETE)],
        (E, "ctgov.measure.dispersion_missing", f"{BL}/measures/0/dispersionType"),
    ),
    _res(
        "outcome_measure_type",
        "[R-DED] Outcome Measure Type (parameter) *",
        [(f"{OM}/2/paramType", DELETE)],
        (E, CT_MISSING, f"{OM}/2/paramType"),
    ),
    _res(
        "outcome_unit",
        "[R-DED] Outcome Measure Unit of Measure *",
        [(f"{OM}/2/unitOfMeasure", DELETE)],
        (E, CT_MISSING, f"{OM}/2/unitOfMeasure"),
    ),
    _res(
        "outcome_number_analyzed",
        "[R-DED] Number of Participants Analyzed *",
        [(f"{OM}/2/denoms", DELETE)],
        (E, "ctgov.outcome.analyzed_missing", f"{OM}/2/denoms"),
    ),
    _res(
        "results_outcome_time_frame",
        "[R-DED] Outcome Measure Time Frame *",
        [(f"{OM}/2/timeFrame", DELETE)],
        (E, MISSING, f"{OM}/2/timeFrame"),
    ),
    _res(
        "registered_outcome_reported",
        "42 CFR 11.48(a)(3): results for every registered primary and secondary outcome",
        [(f"{OM}/1", DELETE), ("/resultsSection/delayedResultsModule", DELETE)],
        (E, "ctgov.outcome.registered_not_reported", f"{OU}/primaryOutcomes/1/measure"),
    ),
    _res(
        "reported_outcome_registered",
        "[NLM] Major Comments: inconsistency with other parts of the record",
        [(f"{OM}/2/title", "Quality of Life")],
        (W, "ctgov.outcome.not_registered", f"{OM}/2/title"),
    ),
    _res(
        "unit_placeholder",
        "[PRS-2018-06] unit of measure placeholder (ERROR from 2017-01-18)",
        [(f"{OM}/2/unitOfMeasure", "N/A")],
        (E, "ctgov.measure.unit_placeholder", f"{OM}/2/unitOfMeasure"),
    ),
    _res(
        "unit_numerals",
        "[PRS-2018-06] unit of measure only numerals",
        [(f"{OM}/2/unitOfMeasure", "100")],
        (E, "ctgov.measure.unit_numeral_only", f"{OM}/2/unitOfMeasure"),
    ),
    _res(
        "unit_participants",
        "[PRS-2018-06] a count of participants is in participants",
        [(f"{OM}/0/unitOfMeasure", "patients")],
        (E, "ctgov.measure.unit_participants_required", f"{OM}/0/unitOfMeasure"),
    ),
    _res(
        "results_time_frame_numeral",
        "[PRS-2018-06] time frame only a numeral",
        [(f"{OM}/2/timeFrame", "16")],
        (E, "ctgov.outcome.time_frame_numeral_only", f"{OM}/2/timeFrame"),
    ),
    _res(
        "outcome_dispersion",
        "[PRS-2018-06]; [NLM] missing dispersion for continuous data",
        [(f"{OM}/2/dispersionType", DELETE)],
        (E, "ctgov.measure.dispersion_missing", f"{OM}/2/dispersionType"),
    ),
    _res(
        "dispersion_picklist",
        "[R-DED] Measure of Dispersion/Precision picklist",
        [(f"{OM}/2/dispersionType", "Std Dev")],
        (E, "ctgov.picklist.invalid_value", f"{OM}/2/dispersionType"),
    ),
    _res(
        "zero_analyzed",
        "[PRS-2018-06] zero analysed needs an analysis population description",
        [(f"{OM}/2/denoms/0/counts/1/value", "0"), (f"{OM}/2/populationDescription", DELETE)],
        (E, "ctgov.outcome.zero_analyzed_unexplained", f"{OM}/2/denoms/0/counts/1/value"),
    ),
    _res(
        "analyzed_within_arm",
        "[NLM] Major Comments: inconsistencies across modules",
        [(f"{OM}/2/denoms/0/counts/1/value", "999")],
        (W, "ctgov.outcome.analyzed_exceeds_group", f"{OM}/2/denoms/0/counts/1/value"),
    ),
    _res(
        "results_group_reference",
        "RRSUploadSchema.xsd ID/IDREF (reporting groups)",
        [(f"{OM}/2/denoms/0/counts/1/groupId", "OG999")],
        (E, "rule.unknown_results_group", f"{OM}/2/denoms/0/counts/1/groupId"),
    ),
    _res(
        "adverse_events",
        "[R-DED] Adverse Event Information *; 42 CFR 11.48(a)(4)",
        [(AE, DELETE)],
        (E, MISSING, AE),
    ),
    _res(
        "ae_time_frame",
        "[R-DED] Adverse Event Time Frame *; 42 CFR 11.48(a)(4)",
        [(f"{AE}/timeFrame", DELETE)],
        (E, "ctgov.ae.time_frame_missing", f"{AE}/timeFrame"),
    ),
    _res(
        "ae_frequency_threshold",
        "[R-DED] Frequency Threshold for Reporting Other Adverse Events *",
        [(f"{AE}/frequencyThreshold", DELETE)],
        (E, MISSING, f"{AE}/frequencyThreshold"),
    ),
    _res(
        "ae_frequency_threshold_range",
        "[R-DED] Frequency Threshold: 0 to 5 percent",
        [(f"{AE}/frequencyThreshold", "7")],
        (E, "ctgov.ae.frequency_threshold_range", f"{AE}/frequencyThreshold"),
    ),
    _res(
        "all_cause_mortality",
        "[R-DED] All-Cause Mortality *; 42 CFR 11.48(a)(4)",
        [(f"{AE}/eventGroups/0/deathsNumAffected", DELETE)],
        (E, "ctgov.ae.mortality_missing", f"{AE}/eventGroups/0/deathsNumAffected"),
    ),
    _res(
        "serious_ae_totals",
        "[R-DED] Serious Adverse Events: total at risk *; 42 CFR 11.48(a)(4)",
        [(f"{AE}/eventGroups/1/seriousNumAtRisk", DELETE)],
        (E, "ctgov.ae.group_total_missing", f"{AE}/eventGroups/1/seriousNumAtRisk"),
    ),
    _res(
        "other_ae_totals",
        "[R-DED] Other Adverse Events: total affected *; 42 CFR 11.48(a)(4)",
        [(f"{AE}/eventGroups/1/otherNumAffected", DELETE)],
        (E, "ctgov.ae.group_total_missing", f"{AE}/eventGroups/1/otherNumAffected"),
    ),
    _res(
        "ae_term",
        "[R-DED] Adverse Event Term *",
        [(f"{AE}/seriousEvents/0/term", DELETE)],
        (E, "ctgov.ae.term_missing", f"{AE}/seriousEvents/0/term"),
    ),
    _res(
        "ae_organ_system",
        "[R-DED] Organ System *",
        [(f"{AE}/otherEvents/0/organSystem", DELETE)],
        (E, "ctgov.ae.organ_system_missing", f"{AE}/otherEvents/0/organSystem"),
    ),
    _res(
        "ae_organ_system_picklist",
        "[R-DED] Organ System: MedDRA system organ classes (RRSUploadSchema.xsd)",
        [(f"{AE}/otherEvents/0/organSystem", "Head disorders")],
        (E, "ctgov.ae.organ_system_unknown", f"{AE}/otherEvents/0/organSystem"),
    ),
    _res(
        "ae_assessment_type",
        "[R-DED] Adverse Event Assessment Type *",
        [(f"{AE}/seriousEvents/0/assessmentType", DELETE)],
        (E, "ctgov.ae.assessment_type_missing", f"{AE}/seriousEvents/0/assessmentType"),
    ),
    _res(
        "ae_affected_within_at_risk",
        "[NLM] Major Comments: inconsistencies within the adverse event module",
        [(f"{AE}/eventGroups/0/seriousNumAffected", 999)],
        (E, "ctgov.ae.affected_exceeds_at_risk", f"{AE}/eventGroups/0/seriousNumAffected"),
    ),
    _res(
        "ae_zero_at_risk",
        "[PRS-2018-06] zero at risk needs an explanation",
        [(f"{AE}/eventGroups/0/deathsNumAtRisk", 0), (f"{AE}/description", DELETE)],
        (E, "ctgov.ae.zero_at_risk_unexplained", f"{AE}/eventGroups/0/deathsNumAtRisk"),
    ),
    _res(
        "more_information",
        "[R-DED] More Information *; 42 CFR 11.48(a)(6)",
        [(MI, DELETE)],
        (E, MISSING, MI),
    ),
    _res(
        "results_contact_reachable",
        "[R-DED] Results Point of Contact: telephone and email; 42 CFR 11.48(a)(6)(iii)",
        [(f"{MI}/pointOfContact/email", DELETE), (f"{MI}/pointOfContact/phone", DELETE)],
        (E, "profile.contact_reachable", f"{MI}/pointOfContact"),
    ),
    _res(
        "results_contact_phone",
        "[R-DED] Results Point of Contact: telephone *; 42 CFR 11.48(a)(6)(iii)",
        [(f"{MI}/pointOfContact/phone", DELETE)],
        (E, "ctgov.results_contact.missing", f"{MI}/pointOfContact/phone"),
    ),
    _res(
        "results_contact_name",
        "[R-DED] Results Point of Contact: name or official title *",
        [(f"{MI}/pointOfContact/title", DELETE)],
        (E, MISSING, f"{MI}/pointOfContact/title"),
    ),
    _res(
        "pi_sponsor_employee",
        "[R-DED] Certain Agreements: are all PIs sponsor employees *; 42 CFR 11.48(a)(6)(ii)",
        [(f"{MI}/certainAgreement", DELETE)],
        (E, "ctgov.agreement.answer_missing", f"{MI}/certainAgreement/piSponsorEmployee"),
    ),
    _res(
        "restrictive_agreement",
        "[R-DED] Certain Agreements: is there a restrictive agreement [*]",
        [(f"{MI}/certainAgreement/restrictiveAgreement", DELETE)],
        (E, "ctgov.agreement.answer_missing", f"{MI}/certainAgreement/restrictiveAgreement"),
    ),
    _res(
        "restriction_type",
        "[R-DED] Certain Agreements: restriction type [*]",
        [(f"{MI}/certainAgreement/restrictionType", DELETE)],
        (E, "ctgov.agreement.answer_missing", f"{MI}/certainAgreement/restrictionType"),
    ),
    _res(
        "other_restriction",
        "[R-DED] Certain Agreements: description of an other agreement [*]",
        [(f"{MI}/certainAgreement/restrictionType", "OTHER")],
        (E, "ctgov.agreement.answer_missing", f"{MI}/certainAgreement/otherDetails"),
    ),
    _res(
        "protocol_document",
        "[PRS-2018-09]; 42 CFR 11.48(a)(5): protocol with results",
        [(f"{DOCS}/largeDocs/0", DELETE)],
        (E, "ctgov.documents.protocol_missing", f"{DOCS}/largeDocs"),
    ),
    _res(
        "sap_document",
        "[PRS-2018-09]; 42 CFR 11.48(a)(5): SAP or 'no SAP' with results",
        [(f"{DOCS}/largeDocs/1", DELETE)],
        (E, "ctgov.documents.sap_missing", f"{DOCS}/noSap"),
    ),
    _res(
        "results_in_free_text",
        "[NLM] Major Comments: results or conclusions in free-text fields",
        [(f"{OM}/2/description", "Trelanoxib was significantly better than placebo.")],
        (W, "ctgov.qc.results_in_free_text", f"{OM}/2/description"),
    ),
    _res(
        "results_actual_enrollment",
        "42 CFR 11.48(a)(1): actual enrollment with results",
        [(f"{'/protocolSection/designModule'}/enrollmentInfo/type", "ESTIMATED")],
        (E, "rule.results_enrollment_not_actual", "/protocolSection/designModule/enrollmentInfo/type"),
    ),
    _res(
        "results_status",
        "42 CFR 11.44(a); 42 CFR 11.48: results for a study that enrolled",
        [(f"{ST}/overallStatus", "WITHDRAWN"), (f"{ST}/whyStopped", "Sponsor decision")],
        (E, "rule.results_status_not_final", f"{ST}/overallStatus"),
    ),
)

ALL_RULES = REGISTRATION_RULES + RESULTS_RULES
