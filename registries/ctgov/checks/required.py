"""The protocol data elements ClinicalTrials.gov requires beyond the generic stage profiles, with their dates.

The generic profiles (schemas/profiles/) hold only what every registry needs; what only PRS needs is
here, each element with the condition under which the PRS protocol data element definitions require it
([P-DED]: clinicaltrials.gov/policy/protocol-definitions, legend "* Required", "*§ Required if Study
Start Date is on or after January 18, 2017", "[*] Conditionally required"). The dates are read through
``registries.ctgov.checks.dates``.

An element the generic profile already requires at a stage is not required again here, so one missing
field gives one finding: the design elements of an observational study and the arm type are the generic
protocol summary profile's from that stage on, and PRS's at registration.

Codes: ``ctgov.required.missing`` for a missing element (the pointer names it), and a specific code where
the requirement is more than presence.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registries.ctgov.checks._support import (
    ARMS_PATH as _ARMS,
)
from registries.ctgov.checks._support import (
    DESIGN_PATH as _DESIGN,
)
from registries.ctgov.checks._support import (
    ELIGIBILITY_PATH as _ELIGIBILITY,
)
from registries.ctgov.checks._support import (
    IDENT_PATH as _IDENT,
)
from registries.ctgov.checks._support import (
    LOCATIONS_PATH as _LOCATIONS,
)
from registries.ctgov.checks._support import (
    OVERSIGHT_PATH as _OVERSIGHT,
)
from registries.ctgov.checks._support import (
    PROTOCOL,
    SOURCE_PROTOCOL_DED,
    finding,
    items,
    module,
    obj,
    text,
)
from registries.ctgov.checks._support import (
    SPONSOR_PATH as _SPONSOR,
)
from registries.ctgov.checks._support import (
    STATUS_PATH as _STATUS,
)
from registries.ctgov.checks.dates import ongoing_under_fdaaa, starts_under_final_rule
from registries.enums import US_COUNTRIES, Severity, Stage
from registries.findings import Finding

Path = tuple[str | int, ...]


SOURCE_FINAL_RULE_ELEMENT = (
    f"{SOURCE_PROTOCOL_DED}: *§ required if Study Start Date is on or after 2017-01-18"
)
SOURCE_FDAAA_ELEMENT = (
    f"{SOURCE_PROTOCOL_DED}; FDAAA 801 (Public Law 110-85 section 801(c)): for studies running on or after "
    "2007-12-26"
)

# Overall statuses in which PRS asks for someone to contact about enrolment ([P-DED] Central Contact
# Person: "[*] Required if Overall Recruitment Status is Not yet recruiting or Recruiting", unless each
# location names its own contact).
_RECRUITING = frozenset({"NOT_YET_RECRUITING", "RECRUITING"})


def missing(value: Any) -> bool:
    """Absent, null, blank text or an empty list or object (a boolean false is an answer)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def _missing_finding(
    path: Path,
    label: str,
    why: str,
    stage: Stage,
    source: str = SOURCE_PROTOCOL_DED,
    severity: Severity = Severity.ERROR,
) -> Finding:
    return finding(
        severity,
        "ctgov.required.missing",
        path,
        f"{label} is missing; ClinicalTrials.gov requires it{why}.",
        stage,
        source,
    )


def _require(
    container: dict[str, Any],
    key: str,
    path: Path,
    label: str,
    why: str,
    stage: Stage,
    source: str = SOURCE_PROTOCOL_DED,
) -> Iterator[Finding]:
    if missing(container.get(key)):
        yield _missing_finding((*path, key), label, why, stage, source)


def record_verification_and_titles(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Record Verification Date * (always); Official Title *§ (start on or after 2017-01-18)."""
    yield from _require(
        module(record, PROTOCOL, "statusModule"),
        "statusVerifiedDate",
        _STATUS,
        "Record Verification Date",
        "",
        stage,
    )
    if starts_under_final_rule(record):
        yield from _require(
            module(record, PROTOCOL, "identificationModule"),
            "officialTitle",
            _IDENT,
            "Official Title",
            " for a study starting on or after 2017-01-18",
            stage,
            SOURCE_FINAL_RULE_ELEMENT,
        )


def study_dates(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Study Start Date with its type (actual or anticipated) *§: PRS added the type with 42 CFR
    11.10(b) for studies starting on or after 2017-01-18. Primary Completion Date and the types of the
    primary completion and study completion dates: FDAAA 801 data elements, for studies running on or
    after 2007-12-26."""
    status = module(record, PROTOCOL, "statusModule")
    if starts_under_final_rule(record) and isinstance(status.get("startDateStruct"), dict):
        yield from _require(
            status["startDateStruct"],
            "type",
            (*_STATUS, "startDateStruct"),
            "Study Start Date type (actual or anticipated)",
            " for a study starting on or after 2017-01-18",
            stage,
            SOURCE_FINAL_RULE_ELEMENT,
        )
    if not ongoing_under_fdaaa(record):
        return
    why = " for a study running on or after 2007-12-26 (FDAAA 801)"
    primary = status.get("primaryCompletionDateStruct")
    if missing(obj(primary).get("date")):
        yield _missing_finding(
            (*_STATUS, "primaryCompletionDateStruct", "date"),
            "Primary Completion Date",
            why,
            stage,
            SOURCE_FDAAA_ELEMENT,
        )
    for key, label in (
        ("primaryCompletionDateStruct", "Primary Completion Date type (actual or anticipated)"),
        ("completionDateStruct", "Study Completion Date type (actual or anticipated)"),
    ):
        struct = status.get(key)
        if isinstance(struct, dict) and not missing(struct.get("date")):
            yield from _require(struct, "type", (*_STATUS, key), label, why, stage, SOURCE_FDAAA_ELEMENT)


def responsible_party(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Responsible Party, by Official Title * (42 CFR 11.4(c)); with an investigator as the
    responsible party, the investigator's name, official title and affiliation [*]. An FDAAA 801 data
    element, so studies that ended before 2007-12-26 are not asked.

    Records last updated before PRS changed the element in 2011 carry the former free-text form
    (``oldNameTitle``, ``oldOrganization``); PRS publishes them as they are and asks for the current form
    at the next update, hence a warning."""
    if not ongoing_under_fdaaa(record):
        return
    sponsor = module(record, PROTOCOL, "sponsorCollaboratorsModule")
    party = obj(sponsor.get("responsibleParty"))
    path = (*_SPONSOR, "responsibleParty")
    if missing(party.get("type")):
        former = not missing(party.get("oldNameTitle")) or not missing(party.get("oldOrganization"))
        yield finding(
            Severity.WARNING if former else Severity.ERROR,
            "ctgov.required.missing",
            (*path, "type"),
            "Responsible Party is missing; ClinicalTrials.gov requires the sponsor, sponsor-investigator or "
            "principal investigator"
            + (
                " (the record still has the pre-2011 free-text form; PRS asks for the current one)."
                if former
                else "."
            ),
            stage,
            f"{SOURCE_FDAAA_ELEMENT}; 42 CFR 11.4(c)",
        )
    if party.get("type") in ("PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"):
        why = " when the responsible party is an investigator"
        for key, label in (
            ("investigatorFullName", "Investigator Name"),
            ("investigatorTitle", "Investigator Official Title"),
            ("investigatorAffiliation", "Investigator Affiliation"),
        ):
            yield from _require(party, key, path, label, why, stage, f"{SOURCE_PROTOCOL_DED}; 42 CFR 11.4(c)")


def oversight(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Oversight: Studies a U.S. FDA-regulated Drug Product *§ and Device Product *§ (42 CFR
    11.28(a)(2)); Product Manufactured in and Exported from the U.S. [*], asked when a studied
    product is FDA-regulated and the study has neither an IND/IDE nor a U.S. site (the one case in which
    export decides whether it is an applicable clinical trial, 42 CFR 11.22(b)(1)(ii)(D)(2) and
    (b)(2)(iv)(B)). All three are for clinical trials starting on or after 2017-01-18: PRS publishes
    observational studies without them (4 of the 242 sampled published records, all started after 2017).

    API v2 does not publish IND/IDE numbers, so a published record cannot show why PRS did not ask the
    export question (7 sampled foreign trials of FDA-regulated products lack the answer): a missing answer
    is a warning, to be confirmed against the IND/IDE."""
    design = module(record, PROTOCOL, "designModule")
    if design.get("studyType") != "INTERVENTIONAL" or not starts_under_final_rule(record):
        return
    oversight_module = module(record, PROTOCOL, "oversightModule")
    why = " for a study starting on or after 2017-01-18"
    for key, label in (
        ("isFdaRegulatedDrug", "Studies a U.S. FDA-regulated Drug Product"),
        ("isFdaRegulatedDevice", "Studies a U.S. FDA-regulated Device Product"),
    ):
        if not isinstance(oversight_module.get(key), bool):
            yield _missing_finding((*_OVERSIGHT, key), label, why, stage, SOURCE_FINAL_RULE_ELEMENT)
    regulated = any(
        oversight_module.get(key) is True for key in ("isFdaRegulatedDrug", "isFdaRegulatedDevice")
    )
    has_ind_ide = any(True for _ in items(oversight_module.get("indIdeInfos")))
    locations = module(record, PROTOCOL, "contactsLocationsModule").get("locations")
    has_us_site = any(text(location.get("country")) in US_COUNTRIES for _, location in items(locations))
    if (
        regulated
        and not has_ind_ide
        and not has_us_site
        and not isinstance(oversight_module.get("isUsExport"), bool)
    ):
        yield _missing_finding(
            (*_OVERSIGHT, "isUsExport"),
            "Product Manufactured in and Exported from the U.S.",
            " for an FDA-regulated product studied without an IND/IDE and without a U.S. site",
            stage,
            f"{SOURCE_FINAL_RULE_ELEMENT}; 42 CFR 11.22(b)",
            Severity.WARNING,
        )


def enrollment_and_volunteers(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Enrollment type (actual or anticipated) * and, for a clinical trial, Accepts Healthy
    Volunteers * (PHS Act 402(j)(2)(A)(ii) as FDAAA 801 wrote it): both FDAAA 801 data elements, for
    studies running on or after 2007-12-26. PRS publishes observational studies without the
    healthy-volunteers answer, so only interventional studies are asked."""
    if not ongoing_under_fdaaa(record):
        return
    design = module(record, PROTOCOL, "designModule")
    why = " for a study running on or after 2007-12-26 (FDAAA 801)"
    enrollment = design.get("enrollmentInfo")
    if isinstance(enrollment, dict) and enrollment.get("count") is not None:
        yield from _require(
            enrollment,
            "type",
            (*_DESIGN, "enrollmentInfo"),
            "Enrollment type (actual or anticipated)",
            why,
            stage,
            SOURCE_FDAAA_ELEMENT,
        )
    if design.get("studyType") == "INTERVENTIONAL":
        eligibility = module(record, PROTOCOL, "eligibilityModule")
        if not isinstance(eligibility.get("healthyVolunteers"), bool):
            yield _missing_finding(
                (*_ELIGIBILITY, "healthyVolunteers"),
                "Accepts Healthy Volunteers",
                " for a clinical trial" + why,
                stage,
                SOURCE_FDAAA_ELEMENT,
            )


def arms(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Arm Information: an interventional study registers its arms, each with an Arm Title * and an
    Arm Type * (42 CFR 11.28(a)(2)); arms are an FDAAA 801 data element, so studies that ended
    before 2007-12-26 are not asked.

    PRS has published a single-group trial without any arm (NCT04188236, last updated 2023-10-17), so a
    study without arms gets a warning; an arm without its type is an error. PRS also publishes arms
    without an Arm Description (38 of the 242 sampled published records, most registered after 2017),
    so the description is not required."""
    design = module(record, PROTOCOL, "designModule")
    if design.get("studyType") != "INTERVENTIONAL" or not ongoing_under_fdaaa(record):
        return
    why = " for an interventional study"
    arm_groups = module(record, PROTOCOL, "armsInterventionsModule").get("armGroups")
    if not any(True for _ in items(arm_groups)):
        yield _missing_finding(
            (*_ARMS, "armGroups"), "Arm Information", why, stage, SOURCE_FDAAA_ELEMENT, Severity.WARNING
        )
    for index, arm in items(arm_groups):
        for key, label in (("label", "Arm Title"), ("type", "Arm Type")):
            yield from _require(
                arm, key, (*_ARMS, "armGroups", index), label, why, stage, SOURCE_FDAAA_ELEMENT
            )


def observational_design_at_registration(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Observational Study Model *, Time Perspective *, Study Population Description [*] and
    Sampling Method [*]. PRS needs them with the first upload; from the protocol summary stage on the
    generic profile requires them (one finding each)."""
    design = module(record, PROTOCOL, "designModule")
    if stage is not Stage.REGISTRATION or design.get("studyType") != "OBSERVATIONAL":
        return
    info_path = (*_DESIGN, "designInfo")
    design_info = obj(design.get("designInfo"))
    why = " for an observational study"
    eligibility = module(record, PROTOCOL, "eligibilityModule")
    yield from _require(design_info, "observationalModel", info_path, "Observational Study Model", why, stage)
    yield from _require(design_info, "timePerspective", info_path, "Time Perspective", why, stage)
    yield from _require(
        eligibility, "studyPopulation", _ELIGIBILITY, "Study Population Description", why, stage
    )
    yield from _require(eligibility, "samplingMethod", _ELIGIBILITY, "Sampling Method", why, stage)


def observational_groups(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Arm Information / Groups/Cohorts: an observational study lists its groups or cohorts, each
    with a Group/Cohort Label * and a Group/Cohort Description (ProtocolRecordSchema.xsd ArmGroup:
    ``arm_group_label`` always, ``arm_type`` only for interventional studies).

    PRS publishes observational studies without any group (16 of the 58 sampled published observational
    records started on or after 2017-01-18, e.g. NCT04600544) and groups without a description (e.g.
    NCT05648474, started after 2017), so both are warnings; a group without its label is an error."""
    design = module(record, PROTOCOL, "designModule")
    if design.get("studyType") != "OBSERVATIONAL":
        return
    why = " for an observational study"
    groups = module(record, PROTOCOL, "armsInterventionsModule").get("armGroups")
    if not any(True for _ in items(groups)):
        yield _missing_finding(
            (*_ARMS, "armGroups"),
            "Groups/Cohorts",
            why,
            stage,
            f"{SOURCE_PROTOCOL_DED}: Groups/Cohorts",
            Severity.WARNING,
        )
    for index, group in items(groups):
        path = (*_ARMS, "armGroups", index)
        yield from _require(
            group,
            "label",
            path,
            "Group/Cohort Label",
            why,
            stage,
            f"{SOURCE_PROTOCOL_DED}: Group/Cohort Label *",
        )
        if missing(group.get("description")):
            yield _missing_finding(
                (*path, "description"),
                "Group/Cohort Description",
                why,
                stage,
                f"{SOURCE_PROTOCOL_DED}: Group/Cohort Description",
                Severity.WARNING,
            )


# [P-DED] Interventional Study Model: Single Group ("all participants receive the same intervention"),
# Parallel ("two or more groups in parallel"), Crossover ("two or more interventions"), Factorial ("two or
# more interventions, each alone and in combination"). Sequential has no fixed number of arms.
_MULTI_ARM_MODELS = frozenset({"PARALLEL", "CROSSOVER", "FACTORIAL"})


def arm_count_for_design(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Interventional Study Model against Arm Information: a single-group study has one arm; a
    parallel, crossover or factorial study has at least two. A study without arms is ``arms``' finding.

    PRS publishes records that break it (a parallel study with one arm started in 2021, NCT05375201; a
    single-group study with two arms, NCT01499641), so it is a warning."""
    design = module(record, PROTOCOL, "designModule")
    if design.get("studyType") != "INTERVENTIONAL":
        return
    model = obj(design.get("designInfo")).get("interventionModel")
    n_arms = sum(1 for _ in items(module(record, PROTOCOL, "armsInterventionsModule").get("armGroups")))
    if not n_arms or not isinstance(model, str):
        return
    if model == "SINGLE_GROUP" and n_arms != 1:
        expected = "exactly one arm"
    elif model in _MULTI_ARM_MODELS and n_arms < 2:
        expected = "at least two arms"
    else:
        return
    yield finding(
        Severity.WARNING,
        "ctgov.design.arm_count_mismatch",
        (*_DESIGN, "designInfo", "interventionModel"),
        f"The interventional study model is {model} but the study has {n_arms} arm(s); that model has "
        f"{expected}. Check the model or the arms.",
        stage,
        f"{SOURCE_PROTOCOL_DED}: Interventional Study Model; Arm Information",
        arms=n_arms,
    )


def biospecimens_and_gender(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Biospecimen Description [*] when biospecimens are retained (ERROR). Gender Eligibility
    Description [*] when eligibility is based on gender: PRS publishes records without it (three of the
    242 sampled published records, two of them started after 2017), so it is a warning."""
    design = module(record, PROTOCOL, "designModule")
    bio_spec = obj(design.get("bioSpec"))
    retention = bio_spec.get("retention")
    if isinstance(retention, str) and retention != "NONE_RETAINED":
        yield from _require(
            bio_spec,
            "description",
            (*_DESIGN, "bioSpec"),
            "Biospecimen Description",
            " when biospecimens are retained",
            stage,
        )
    eligibility = module(record, PROTOCOL, "eligibilityModule")
    if eligibility.get("genderBased") is True and missing(eligibility.get("genderDescription")):
        yield _missing_finding(
            (*_ELIGIBILITY, "genderDescription"),
            "Gender Eligibility Description",
            " when eligibility is based on gender",
            stage,
            severity=Severity.WARNING,
        )


def locations_and_contacts(record: dict[str, Any], stage: Stage) -> Iterator[Finding]:
    """[P-DED] Individual Site Status *§ for every location of a recruiting study starting on or after
    2017-01-18 (42 CFR 11.28(a)(2)); a Central Contact Person [*] while the study is not yet recruiting
    or is recruiting, unless a location names its own contact.

    API v2 publishes no site status once a study has stopped recruiting, nor before it starts (99 of the
    242 sampled published records, all not yet recruiting, active or completed), so only a recruiting
    study is asked."""
    contacts = module(record, PROTOCOL, "contactsLocationsModule")
    overall = module(record, PROTOCOL, "statusModule").get("overallStatus")
    if overall == "RECRUITING" and starts_under_final_rule(record):
        for index, location in items(contacts.get("locations")):
            yield from _require(
                location,
                "status",
                (*_LOCATIONS, "locations", index),
                "Individual Site Status",
                " for a study starting on or after 2017-01-18",
                stage,
                SOURCE_FINAL_RULE_ELEMENT,
            )
    if isinstance(overall, str) and overall in _RECRUITING:
        central = any(True for _ in items(contacts.get("centralContacts")))
        at_site = any(
            any(True for _ in items(location.get("contacts")))
            for _, location in items(contacts.get("locations"))
        )
        if not central and not at_site:
            yield finding(
                Severity.ERROR,
                "ctgov.contacts.required_while_recruiting",
                (*_LOCATIONS, "centralContacts"),
                f"Overall status is {overall} but no central contact (or site contact) is given; "
                "ClinicalTrials.gov requires someone prospective participants can reach.",
                stage,
                f"{SOURCE_PROTOCOL_DED}: Central Contact Person [*]",
            )


PROTOCOL_REQUIREMENTS = (
    record_verification_and_titles,
    study_dates,
    responsible_party,
    oversight,
    enrollment_and_volunteers,
    arms,
    arm_count_for_design,
    observational_design_at_registration,
    observational_groups,
    biospecimens_and_gender,
    locations_and_contacts,
)


def check_required(record: dict[str, Any], stage: Stage) -> list[Finding]:
    """Every protocol requirement above, in order. Never raises: wrong types read as missing or are
    skipped (the record schema reports them)."""
    out: list[Finding] = []
    for check in PROTOCOL_REQUIREMENTS:
        out.extend(check(record, stage))
    return out
