"""The PRS protocol upload XML (ProtocolRecordSchema.xsd 2018.05.08, namespace http://clinicaltrials.gov/prs).

The document is ``prs:study_collection/clinical_study``; children of ``clinical_study`` are unqualified and
follow the schema's ``xs:sequence`` order exactly. Values are the PRS display strings from ``vocab``.

What each stage sends:

- registration: the registration data elements of 42 CFR 11.28 (identification, titles, sponsors and
  responsible party, oversight, brief summary, status and dates, design, primary and secondary outcomes,
  enrollment, conditions and keywords, arms and interventions, eligibility, officials, contacts and
  locations);
- protocol_summary: the full protocol, adding the detailed description, other pre-specified outcomes,
  the IPD sharing statement, links, references and available study documents;
- results: the full protocol with the embedded ``rrs:result`` (see ``results_xml``). A PRS upload without
  partial_upload="true" replaces the whole record, so a results upload must carry the protocol too;
  this is the shape of the PRS download (1234.xml) and of a results upload (table_ct.xml).

Updates use the schema's partial upload (``partial_upload="true"``) and carry only the tags of the
changed modules; see ``build_protocol_update``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from lxml import etree

from registries.ctgov import vocab
from registries.ctgov._xmlbuild import Record, each, get, items, opt, opt_code, sub, textblock
from registries.enums import Stage

PRS_NS = "http://clinicaltrials.gov/prs"
RRS_NS = "http://clinicaltrials.gov/rrs"
NSMAP = {"prs": PRS_NS}

# Tags that only the protocol summary (and results) stage sends.
_PROTOCOL_SUMMARY_ONLY: frozenset[str] = frozenset(
    {"detailed_description", "other_outcome", "ipd_sharing_statement", "link", "reference", "study_document"}
)

# Which clinical_study children belong to which API v2 module, for partial (update) uploads. The
# XSD's partial-upload comment lists the tags that may be sent on their own.
MODULE_TAGS: dict[str, tuple[str, ...]] = {
    "identificationModule": ("secondary_id", "brief_title", "acronym", "official_title"),
    "statusModule": (
        "overall_status",
        "why_stopped",
        "expanded_access_status",
        "verification_date",
        "start_date",
        "start_date_type",
        "last_follow_up_date",
        "last_follow_up_date_type",
        "primary_compl_date",
        "primary_compl_date_type",
        "delayed_posting",
    ),
    "sponsorCollaboratorsModule": ("sponsors",),
    "oversightModule": ("is_ind_study", "ind_info", "oversight_info"),
    "descriptionModule": ("brief_summary", "detailed_description"),
    "conditionsModule": ("condition", "keyword"),
    "designModule": ("study_design", "enrollment", "enrollment_type"),
    "armsInterventionsModule": ("arm_group", "intervention", "study_design"),
    "outcomesModule": ("primary_outcome", "secondary_outcome", "other_outcome"),
    "eligibilityModule": ("eligibility",),
    "contactsLocationsModule": ("overall_official", "overall_contact", "overall_contact_backup", "location"),
    "referencesModule": ("link", "reference", "study_document"),
    "ipdSharingStatementModule": ("ipd_sharing_statement",),
}
# Tags of type TopLevelString / TopLevelTextBlock: in a partial upload an emptied one is sent as an
# otherwise empty tag with delete="true" (XSD partial-upload comment). Complex list tags cannot be
# sent empty without breaking their own required children, so they are not deleted this way.
_DELETABLE_STRINGS: frozenset[str] = frozenset(
    {
        "brief_title",
        "official_title",
        "overall_status",
        "why_stopped",
        "start_date",
        "start_date_type",
        "last_follow_up_date",
        "last_follow_up_date_type",
        "primary_compl_date",
        "primary_compl_date_type",
        "enrollment",
        "enrollment_type",
        "condition",
        "keyword",
        "delayed_posting",
        "is_ind_study",
    }
)
_DELETABLE_TEXTBLOCKS: frozenset[str] = frozenset({"brief_summary", "detailed_description"})

# The order of clinical_study's xs:sequence, used to place delete markers.
_SEQUENCE: tuple[str, ...] = (
    "id_info",
    "is_fda_regulated",
    "is_section_801",
    "delayed_posting",
    "is_ind_study",
    "ind_info",
    "brief_title",
    "acronym",
    "official_title",
    "sponsors",
    "oversight_info",
    "brief_summary",
    "detailed_description",
    "overall_status",
    "why_stopped",
    "expanded_access_status",
    "verification_date",
    "start_date",
    "start_date_type",
    "end_date",
    "last_follow_up_date",
    "last_follow_up_date_type",
    "primary_compl_date",
    "primary_compl_date_type",
    "study_design",
    "primary_outcome",
    "secondary_outcome",
    "other_outcome",
    "enrollment",
    "enrollment_type",
    "condition",
    "keyword",
    "arm_group",
    "intervention",
    "eligibility",
    "overall_official",
    "overall_contact",
    "overall_contact_backup",
    "location",
    "ipd_sharing_statement",
    "link",
    "reference",
    "study_document",
)

_NAME_DEGREES = re.compile(r"^(?P<name>[^,]+?)\s*,\s*(?P<degrees>.+)$")
_DURATION = re.compile(r"^\s*(\d+)\s+([A-Za-z]+)\s*$")


def org_name(record: Record) -> str:
    """The PRS organisation (org_name): the record's organisation name; PRS matches it to the account."""
    return str(get(record, "protocolSection", "identificationModule", "organization", "fullName") or "")


def split_person_name(full_name: str) -> dict[str, str]:
    """ "Neil H White, M.D." -> first/middle/last/degrees, the parts PRS asks for separately."""
    name, degrees = full_name.strip(), ""
    match = _NAME_DEGREES.match(name)
    if match:
        name, degrees = match.group("name"), match.group("degrees")
    words = name.split()
    parts: dict[str, str] = {}
    if len(words) == 1:
        parts["last_name"] = words[0]
    elif words:
        parts["first_name"] = words[0]
        if len(words) > 2:
            parts["middle_name"] = " ".join(words[1:-1])
        parts["last_name"] = words[-1]
    if degrees:
        parts["degrees"] = degrees
    return parts


def _person(parent: etree._Element, tag: str, name: str | None, extra: list[tuple[str, Any]]) -> None:
    element = sub(parent, tag)
    parts = split_person_name(name or "")
    for key in ("first_name", "middle_name", "last_name", "degrees"):
        if key == "last_name":
            sub(element, key, parts.get(key, ""))
        else:
            opt(element, key, parts.get(key))
    for key, value in extra:
        opt(element, key, value)


def _date(parent: etree._Element, tag: str, struct: Any) -> None:
    date = get(struct, "date")
    if not date:
        return
    sub(parent, tag, date)
    date_type = get(struct, "type")
    if date_type:
        sub(parent, f"{tag}_type", vocab.DATE_TYPE_TO_PRS.get(date_type, date_type))


def _id_info(study: etree._Element, ident: Record, record: Record) -> None:
    id_info = sub(study, "id_info")
    sub(id_info, "org_name", org_name(record))
    sub(id_info, "org_study_id", get(ident, "orgStudyIdInfo", "id") or "")
    for secondary in items(ident, "secondaryIdInfos"):
        element = sub(id_info, "secondary_id")
        sub(element, "id", secondary.get("id", ""))
        id_type = secondary.get("type")
        if id_type:
            opt(element, "id_type", vocab.SECONDARY_ID_TYPE_TO_PRS.get(id_type, id_type))
            if id_type in vocab.SECONDARY_ID_AGENCY_CODES:
                domain = secondary.get("domain") or id_type
            elif id_type == "CTIS":
                domain = vocab.CTIS_DOMAIN
            else:
                domain = secondary.get("domain")
            opt(element, "id_domain", domain)


def _sponsors(study: etree._Element, module: Record) -> None:
    if not module:
        return
    sponsors = sub(study, "sponsors")
    sub(sub(sponsors, "lead_sponsor"), "agency", get(module, "leadSponsor", "name") or "")
    for collaborator in items(module, "collaborators"):
        sub(sub(sponsors, "collaborator"), "agency", collaborator.get("name", ""))
    party = get(module, "responsibleParty")
    if party and party.get("type"):
        element = sub(sponsors, "resp_party")
        sub(element, "resp_party_type", vocab.RESPONSIBLE_PARTY_TO_PRS.get(party["type"], party["type"]))
        opt(element, "investigator_title", party.get("investigatorTitle"))
        opt(element, "investigator_affiliation", party.get("investigatorAffiliation"))


def _oversight(study: etree._Element, module: Record) -> None:
    if not module:
        return
    element = sub(study, "oversight_info")
    approvals = items(module, "ethicsApprovals")
    if approvals:
        # PRS holds one board: the US board when there is one (FDA regulations name it), else the first.
        first = next((a for a in approvals if a.get("country") == "United States"), approvals[0])
        irb = sub(element, "irb_info")
        status = first.get("status")
        sub(irb, "approval_status", vocab.to_prs(vocab.IRB_STATUS_TO_PRS, status))
        opt(irb, "approval_number", first.get("referenceNumber"))
        opt(irb, "name", first.get("committeeName"))
    for tag, key in (
        ("has_dmc", "oversightHasDmc"),
        ("fda_regulated_drug", "isFdaRegulatedDrug"),
        ("fda_regulated_device", "isFdaRegulatedDevice"),
        ("exported_from_us", "isUsExport"),
        ("ped_postmarket_surv", "isPpsd"),
    ):
        value = module.get(key)
        if isinstance(value, bool):
            sub(element, tag, vocab.yes_no(value))


def _ind(study: etree._Element, oversight: Record) -> None:
    infos = items(oversight, "indIdeInfos")
    if not infos:
        return
    sub(study, "is_ind_study", vocab.YES)
    # The schema allows one ind_info; further IND/IDEs are PRS web-form only.
    info = infos[0]
    element = sub(study, "ind_info")
    sub(element, "ind_grantor", info.get("grantor", ""))
    sub(element, "ind_number", info.get("number", ""))
    has_ea = info.get("hasExpandedAccess")
    if isinstance(has_ea, bool):
        sub(element, "has_expanded_access", vocab.yes_no(has_ea))


def _study_design(study: etree._Element, design: Record, arms: list[Any]) -> None:
    if not design:
        return
    element = sub(study, "study_design")
    study_type = design.get("studyType")
    sub(element, "study_type", vocab.to_prs(vocab.STUDY_TYPE_TO_PRS, study_type))
    info = design.get("designInfo") or {}
    if study_type == "INTERVENTIONAL":
        inter = sub(element, "interventional_design")
        purpose = info.get("primaryPurpose")
        sub(inter, "interventional_subtype", vocab.to_prs(vocab.PRIMARY_PURPOSE_TO_PRS, purpose))
        sub(inter, "phase", vocab.phases_to_prs(design.get("phases") or []))
        opt_code(inter, "assignment", vocab.INTERVENTION_MODEL_TO_PRS, info.get("interventionModel"))
        textblock(inter, "model_description", info.get("interventionModelDescription"))
        allocation = info.get("allocation")
        sub(inter, "allocation", vocab.to_prs(vocab.ALLOCATION_TO_PRS, allocation))
        masking = info.get("maskingInfo") or {}
        if masking.get("masking"):
            masked = set(masking.get("whoMasked") or [])
            sub(inter, "no_masking", vocab.yes_no(masking["masking"] == "NONE"))
            for role, tag in vocab.WHO_MASKED_TO_PRS_ELEMENT.items():
                sub(inter, tag, vocab.yes_no(role in masked))
            textblock(inter, "masking_description", masking.get("maskingDescription"))
        sub(inter, "number_of_arms", len(arms))
    elif study_type == "OBSERVATIONAL":
        obs = sub(element, "observational_design")
        model = info.get("observationalModel")
        sub(obs, "observational_study_design", vocab.to_prs(vocab.OBSERVATIONAL_MODEL_TO_PRS, model))
        retention = get(design, "bioSpec", "retention")
        sub(obs, "biospecimen_retention", vocab.to_prs(vocab.BIOSPEC_RETENTION_TO_PRS, retention))
        textblock(obs, "biospecimen_description", get(design, "bioSpec", "description"))
        perspective = info.get("timePerspective")
        sub(obs, "timing", vocab.to_prs(vocab.TIME_PERSPECTIVE_TO_PRS, perspective))
        sub(obs, "number_of_groups", len(arms))
        registry = design.get("patientRegistry")
        if isinstance(registry, bool):
            sub(obs, "patient_registry", vocab.yes_no(registry))
        duration = _DURATION.match(str(design.get("targetDuration") or ""))
        if duration:
            sub(obs, "target_duration_quantity", duration.group(1))
            sub(obs, "target_duration_units", duration.group(2).capitalize())
    elif study_type == "EXPANDED_ACCESS":
        types = design.get("expandedAccessTypes") or {}
        if types:
            chosen = {key for key in ("individual", "intermediate", "treatment") if types.get(key)}
            sub(element, "no_exp_acc_type", vocab.yes_no(not chosen))
            for key in ("individual", "intermediate", "treatment"):
                sub(element, f"exp_acc_type_{key}", vocab.yes_no(key in chosen))


def _outcomes(study: etree._Element, module: Record, stage: Stage) -> None:
    for tag, key in (
        ("primary_outcome", "primaryOutcomes"),
        ("secondary_outcome", "secondaryOutcomes"),
        ("other_outcome", "otherOutcomes"),
    ):
        if stage is Stage.REGISTRATION and tag in _PROTOCOL_SUMMARY_ONLY:
            continue
        for outcome in items(module, key):
            element = sub(study, tag)
            sub(element, "outcome_measure", outcome.get("measure", ""))
            opt(element, "outcome_time_frame", outcome.get("timeFrame"))
            textblock(element, "outcome_description", outcome.get("description"))


def _arms_interventions(study: etree._Element, module: Record) -> None:
    for arm in items(module, "armGroups"):
        element = sub(study, "arm_group")
        sub(element, "arm_group_label", arm.get("label", ""))
        if arm.get("type"):
            sub(element, "arm_type", vocab.ARM_TYPE_TO_PRS.get(arm["type"], arm["type"]))
        textblock(element, "arm_group_description", arm.get("description"))
    for intervention in items(module, "interventions"):
        element = sub(study, "intervention")
        if intervention.get("type"):
            kind = intervention["type"]
            sub(element, "intervention_type", vocab.INTERVENTION_TYPE_TO_PRS.get(kind, kind))
        sub(element, "intervention_name", intervention.get("name", ""))
        textblock(element, "intervention_description", intervention.get("description"))
        each(element, "arm_group_label", intervention.get("armGroupLabels") or [])
        each(element, "intervention_other_name", intervention.get("otherNames") or [])


def _eligibility(study: etree._Element, module: Record) -> None:
    if not module:
        return
    element = sub(study, "eligibility")
    textblock(element, "study_population", module.get("studyPopulation"))
    opt_code(element, "sampling_method", vocab.SAMPLING_METHOD_TO_PRS, module.get("samplingMethod"))
    textblock(element, "criteria", module.get("eligibilityCriteria"), required=True)
    healthy = module.get("healthyVolunteers")
    if isinstance(healthy, bool):
        sub(element, "healthy_volunteers", vocab.yes_no(healthy))
    sex = module.get("sex")
    sub(element, "gender", vocab.to_prs(vocab.SEX_TO_PRS, sex))
    gender_based = module.get("genderBased")
    if isinstance(gender_based, bool):
        sub(element, "gender_based", vocab.yes_no(gender_based))
    textblock(element, "gender_description", module.get("genderDescription"))
    # XSD comment: "For no limit, specify N/A".
    sub(element, "minimum_age", module.get("minimumAge") or "N/A")
    sub(element, "maximum_age", module.get("maximumAge") or "N/A")


def _contact(parent: etree._Element, tag: str, contact: Record) -> None:
    _person(
        parent,
        tag,
        contact.get("name"),
        [
            ("phone", contact.get("phone")),
            ("phone_ext", contact.get("phoneExt")),
            ("email", contact.get("email")),
        ],
    )


def _contacts_locations(study: etree._Element, module: Record) -> None:
    for official in items(module, "overallOfficials"):
        role = official.get("role")
        _person(
            study,
            "overall_official",
            official.get("name"),
            [
                ("role", vocab.OFFICIAL_ROLE_TO_PRS.get(role, role) if role else None),
                ("affiliation", official.get("affiliation")),
            ],
        )
    central = items(module, "centralContacts")
    for tag, contact in zip(("overall_contact", "overall_contact_backup"), central, strict=False):
        _contact(study, tag, contact)
    for location in items(module, "locations"):
        element = sub(study, "location")
        facility = sub(element, "facility")
        sub(facility, "name", location.get("facility", ""))
        address = sub(facility, "address")
        for tag in ("city", "state", "country", "zip"):
            opt(address, tag, location.get(tag))
        opt_code(element, "status", vocab.RECRUITMENT_STATUS_TO_PRS, location.get("status"))
        contacts = [c for c in location.get("contacts") or [] if c.get("role") in (None, "CONTACT")]
        investigators = [c for c in location.get("contacts") or [] if c.get("role") not in (None, "CONTACT")]
        for tag, contact in zip(("contact", "contact_backup"), contacts, strict=False):
            _contact(element, tag, contact)
        for investigator in investigators:
            role = investigator.get("role")
            _person(
                element,
                "investigator",
                investigator.get("name"),
                [("role", vocab.OFFICIAL_ROLE_TO_PRS.get(role, role))],
            )


def _ipd(study: etree._Element, module: Record) -> None:
    if not module or not module.get("ipdSharing"):
        return
    element = sub(study, "ipd_sharing_statement")
    sharing = module["ipdSharing"]
    sub(element, "sharing_ipd", vocab.IPD_SHARING_TO_PRS.get(sharing, sharing))
    textblock(element, "ipd_description", module.get("description"))
    if sharing == "YES":
        types = set(module.get("infoTypes") or [])
        for code, tag in vocab.IPD_INFO_TYPE_TO_PRS_ELEMENT.items():
            sub(element, tag, vocab.yes_no(code in types))
        textblock(element, "ipd_time_frame", module.get("timeFrame"))
        textblock(element, "ipd_access_criteria", module.get("accessCriteria"))
        opt(element, "ipd_url", module.get("url"))


def _references(study: etree._Element, module: Record) -> None:
    for link in items(module, "seeAlsoLinks"):
        element = sub(study, "link")
        sub(element, "url", link.get("url", ""))
        sub(element, "description", link.get("label", ""))
    for reference in items(module, "references"):
        element = sub(study, "reference")
        opt(element, "citation", reference.get("citation"))
        opt(element, "pubmed_id", reference.get("pmid"))
        if reference.get("type"):
            sub(element, "is_results_ref", vocab.yes_no(reference["type"] == "RESULT"))
    for document in items(module, "availIpds"):
        element = sub(study, "study_document")
        sub(element, "study_document_type", document.get("type", ""))
        opt(element, "url", document.get("url"))
        opt(element, "study_document_identifier", document.get("id"))
        textblock(element, "study_document_comments", document.get("comment"))


def build_clinical_study(record: Record, stage: Stage) -> etree._Element:
    """The unqualified ``clinical_study`` element with the protocol tags for the stage (no results)."""
    protocol = get(record, "protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    oversight = protocol.get("oversightModule") or {}
    design = protocol.get("designModule") or {}
    arms = protocol.get("armsInterventionsModule") or {}
    full = stage is not Stage.REGISTRATION

    study = etree.Element("clinical_study")
    _id_info(study, ident, record)
    if isinstance(status.get("delayedPosting"), bool):
        sub(study, "delayed_posting", vocab.yes_no(status["delayedPosting"]))
    _ind(study, oversight)
    sub(study, "brief_title", ident.get("briefTitle", ""))
    opt(study, "acronym", ident.get("acronym"))
    opt(study, "official_title", ident.get("officialTitle"))
    _sponsors(study, protocol.get("sponsorCollaboratorsModule") or {})
    _oversight(study, oversight)
    description = protocol.get("descriptionModule") or {}
    textblock(study, "brief_summary", description.get("briefSummary"))
    if full:
        textblock(study, "detailed_description", description.get("detailedDescription"))

    overall = status.get("overallStatus")
    if design.get("studyType") == "EXPANDED_ACCESS" and overall in vocab.EXPANDED_ACCESS_STATUS_TO_PRS:
        sub(study, "expanded_access_status", vocab.EXPANDED_ACCESS_STATUS_TO_PRS[overall])
    elif overall:
        sub(study, "overall_status", vocab.STATUS_TO_PRS.get(overall, overall))
        # why_stopped sits between overall_status and expanded_access_status in the sequence.
        opt(study, "why_stopped", status.get("whyStopped"))
    opt(study, "verification_date", status.get("statusVerifiedDate"))
    _date(study, "start_date", status.get("startDateStruct"))
    _date(study, "last_follow_up_date", status.get("completionDateStruct"))
    _date(study, "primary_compl_date", status.get("primaryCompletionDateStruct"))

    _study_design(study, design, items(arms, "armGroups"))
    _outcomes(study, protocol.get("outcomesModule") or {}, stage)
    enrollment = design.get("enrollmentInfo") or {}
    if enrollment.get("count") is not None:
        sub(study, "enrollment", enrollment["count"])
        if enrollment.get("type"):
            sub(
                study,
                "enrollment_type",
                vocab.ENROLLMENT_TYPE_TO_PRS.get(enrollment["type"], enrollment["type"]),
            )
    conditions = protocol.get("conditionsModule") or {}
    each(study, "condition", conditions.get("conditions") or [])
    each(study, "keyword", conditions.get("keywords") or [])
    _arms_interventions(study, arms)
    _eligibility(study, protocol.get("eligibilityModule") or {})
    _contacts_locations(study, protocol.get("contactsLocationsModule") or {})
    if full:
        _ipd(study, protocol.get("ipdSharingStatementModule") or {})
        _references(study, protocol.get("referencesModule") or {})
    return study


def wrap_collection(study: etree._Element) -> etree._Element:
    collection = etree.Element(etree.QName(PRS_NS, "study_collection"), nsmap=NSMAP)
    collection.append(study)
    return collection


def _changed_tags(changed_modules: Collection[str]) -> set[str]:
    tags: set[str] = set()
    for module in changed_modules:
        tags.update(MODULE_TAGS.get(module, ()))
    return tags


def _cut_to_partial(study: etree._Element, changed_modules: Collection[str]) -> None:
    """Keep only the identifying tags and those of the changed modules; mark emptied strings deleted."""
    keep = _changed_tags(changed_modules)
    study.set("partial_upload", "true")
    for child in list(study):
        tag = str(child.tag)
        if tag == "id_info":
            if "secondary_id" not in keep:
                for secondary in child.findall("secondary_id"):
                    child.remove(secondary)
            continue
        if tag not in keep:
            study.remove(child)
    present = {str(child.tag) for child in study}
    # secondary_id lives inside id_info (handled above), so only top-level tags can get a marker.
    for tag in sorted((keep - present).intersection(_SEQUENCE), key=_SEQUENCE.index):
        if tag in _DELETABLE_STRINGS:
            marker = etree.Element(tag, delete="true")
        elif tag in _DELETABLE_TEXTBLOCKS:
            marker = etree.Element(tag, delete="true")
            sub(marker, "textblock", "")
        else:
            continue
        _insert_in_sequence(study, marker)


def _insert_in_sequence(study: etree._Element, element: etree._Element) -> None:
    position = _SEQUENCE.index(str(element.tag))
    for index, child in enumerate(study):
        tag = str(child.tag)
        if tag in _SEQUENCE and _SEQUENCE.index(tag) > position:
            study.insert(index, element)
            return
        if not isinstance(child.tag, str) or tag.startswith("{"):
            study.insert(index, element)
            return
    study.append(element)


def build_protocol_tree(
    record: Record, stage: Stage, *, changed_modules: Collection[str] | None = None
) -> etree._Element:
    """The ``prs:study_collection`` document for the registration or protocol-summary stage.

    With ``changed_modules`` (API v2 module names) it is a partial upload carrying only those modules.
    """
    study = build_clinical_study(record, stage)
    if changed_modules is not None:
        _cut_to_partial(study, changed_modules)
    return wrap_collection(study)


def build_stage_tree(
    record: Record, stage: Stage, *, changed_modules: Collection[str] | None = None
) -> etree._Element:
    """The whole upload document for a stage: protocol, plus results and disposition at the results stage.

    ``changed_modules`` (API v2 module names, protocol or results) makes it a partial upload: the
    protocol part keeps only the changed modules' tags and the result only the changed subsets.
    """
    # Import here: results_xml is only needed at the results stage.
    from registries.ctgov import results_xml

    collection = build_protocol_tree(record, stage, changed_modules=changed_modules)
    if stage is not Stage.RESULTS:
        return collection
    study = collection[0]
    if changed_modules is None:
        if results_xml.has_results(record):
            study.append(results_xml.build_result(record))
    else:
        subsets = results_xml.result_subsets(changed_modules)
        if subsets:
            study.append(results_xml.build_result(record, subsets=subsets))
    if changed_modules is None or "delayedResultsModule" in changed_modules:
        disposition = results_xml.build_result_disposition(record)
        if disposition is not None:
            study.append(disposition)
    return collection
