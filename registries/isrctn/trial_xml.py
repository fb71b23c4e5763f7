"""The registration data in the structure of ISRCTN's published XML (``/api/trial/{id}/format/default``).

Namespace http://www.67bricks.com/isrctn; ``allTrials/fullTrial`` holding the ``trial`` (with its
``lastUpdated`` attribute) and, beside it, the contacts, sponsor and funders; the trial's blocks are
trialDescription, externalRefs, trialDesign, participants, conditions, interventions and results
(REFERENCE-registries.md section 4). ISRCTN publishes no XSD and takes no XML submissions, so
``schemas/isrctn/isrctn-trial.xsd`` is our own description of exactly what this module emits.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from registries import identifiers
from registries.ctgov._xmlbuild import XML_DECLARATION, add_text_child, get, items
from registries.enums import Stage
from registries.who import trds

NS = "http://www.67bricks.com/isrctn"
_Q = f"{{{NS}}}"

# API v2 vocabularies -> the words ISRCTN's records use for the same design facts.
ALLOCATION = {"RANDOMIZED": "Randomised", "NON_RANDOMIZED": "Non-randomised", "NA": "Not applicable"}
MASKING = {
    "NONE": "Open (masking not used)",
    "SINGLE": "Single blinded",
    "DOUBLE": "Double blinded",
    "TRIPLE": "Blinded (masking used)",
    "QUADRUPLE": "Blinded (masking used)",
}
CONTROL = {"PLACEBO_COMPARATOR": "Placebo", "ACTIVE_COMPARATOR": "Active", "SHAM_COMPARATOR": "Placebo"}
SEX = {"ALL": "All", "FEMALE": "Female", "MALE": "Male"}
STUDY_TYPE = {"INTERVENTIONAL": "Interventional", "OBSERVATIONAL": "Observational"}
INTERVENTION_TYPE = {
    "DRUG": "Drug",
    "BIOLOGICAL": "Biological/Vaccine",
    "DEVICE": "Device",
    "PROCEDURE": "Procedure/Surgery",
    "BEHAVIORAL": "Behavioural",
    "GENETIC": "Genetic",
    "DIETARY_SUPPLEMENT": "Supplement",
    "RADIATION": "Other",
    "COMBINATION_PRODUCT": "Other",
    "DIAGNOSTIC_TEST": "Other",
    "OTHER": "Other",
}
PHASE = {
    "EARLY_PHASE1": "Phase I",
    "PHASE1": "Phase I",
    "PHASE2": "Phase II",
    "PHASE3": "Phase III",
    "PHASE4": "Phase IV",
    "NA": "Not Applicable",
}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _sub(parent: etree._Element, tag: str, text: Any = None) -> etree._Element:
    return add_text_child(parent, _Q + tag, text, "isrctn")


def _opt(parent: etree._Element, tag: str, text: Any) -> None:
    if text not in (None, ""):
        _sub(parent, tag, text)


def _outcomes(parent: etree._Element, tag: str, outcomes: list[Any]) -> None:
    entries = [o for o in outcomes if isinstance(o, dict) and _text(o.get("measure"))]
    if not entries:
        return
    block = _sub(parent, tag)
    for outcome in entries:
        measure = _sub(block, "outcomeMeasure")
        _sub(measure, "variable", _text(outcome.get("measure")))
        _opt(measure, "method", _text(outcome.get("description")))
        _opt(measure, "timepoints", _text(outcome.get("timeFrame")))


def _description(trial: etree._Element, record: dict[str, Any]) -> None:
    protocol = record.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    block = _sub(trial, "trialDescription")
    _sub(block, "title", _text(ident.get("briefTitle")))
    _opt(block, "scientificTitle", _text(ident.get("officialTitle")))
    _opt(block, "acronym", _text(ident.get("acronym")))
    _opt(block, "plainEnglishSummary", _text(get(protocol, "descriptionModule", "briefSummary")))
    _outcomes(block, "primaryOutcomes", items(protocol, "outcomesModule", "primaryOutcomes"))
    _outcomes(block, "secondaryOutcomes", items(protocol, "outcomesModule", "secondaryOutcomes"))
    approvals = items(protocol, "oversightModule", "ethicsApprovals")
    if approvals:
        _sub(block, "ethicsApprovalRequired", "Ethics approval required")


def secondary_numbers(record: dict[str, Any]) -> list[str]:
    """Identifiers ISRCTN has no own field for, as "issuer: number" (the UTN first)."""
    numbers: list[str] = []
    utn = identifiers.utn(record)
    if utn:
        numbers.append(f"WHO UTN: {utn}")
    own = {
        utn,
        identifiers.isrctn_number(record),
        identifiers.nct_number(record),
        identifiers.eu_ct_number(record),
        _text(get(record, "ukSection", "irasId")),
    }
    for _index, entry in identifiers.secondary_ids(record):
        number = _text(entry.get("id"))
        if number and number not in own and not identifiers.is_eu_ct_entry(entry):
            issuer = _text(entry.get("domain")) or _text(entry.get("type"))
            numbers.append(f"{issuer}: {number}" if issuer else number)
    return numbers


def _external_refs(trial: etree._Element, record: dict[str, Any]) -> None:
    block = _sub(trial, "externalRefs")
    # ISRCTN's eudraCTNumber field holds the EU number of either system (EudraCT or CTIS).
    _opt(block, "eudraCTNumber", identifiers.eu_ct_number(record))
    _opt(block, "irasNumber", _text(get(record, "ukSection", "irasId")))
    _opt(block, "clinicalTrialsGovNumber", identifiers.nct_number(record))
    _opt(
        block,
        "protocolSerialNumber",
        _text(get(record, "protocolSection", "identificationModule", "orgStudyIdInfo", "id")),
    )
    numbers = secondary_numbers(record)
    if numbers:
        block_numbers = _sub(block, "secondaryNumbers")
        for number in numbers:
            _sub(block_numbers, "secondaryNumber", number)


def end_date(record: dict[str, Any]) -> str:
    """ISRCTN's overall end date: the end of the trial in every country (ukSection), else the study
    completion date."""
    for struct in (
        get(record, "ukSection", "globalEndOfTrialDateStruct"),
        get(record, "protocolSection", "statusModule", "completionDateStruct"),
    ):
        if _text(get(struct, "date")):
            return _text(get(struct, "date"))
    return ""


def _design(trial: etree._Element, record: dict[str, Any]) -> None:
    protocol = record.get("protocolSection") or {}
    design = protocol.get("designModule") or {}
    info = design.get("designInfo") or {}
    block = _sub(trial, "trialDesign")
    _opt(block, "primaryStudyDesign", STUDY_TYPE.get(_text(design.get("studyType"))))
    _opt(block, "allocation", ALLOCATION.get(_text(info.get("allocation"))))
    _opt(block, "masking", MASKING.get(_text(get(info, "maskingInfo", "masking"))))
    controls = sorted(
        {
            CONTROL[a["type"]]
            for a in items(protocol, "armsInterventionsModule", "armGroups")
            if isinstance(a, dict) and a.get("type") in CONTROL
        }
    )
    _opt(block, "control", ", ".join(controls))
    _opt(block, "assignment", _text(info.get("interventionModel")).replace("_", " ").capitalize())
    purpose = _text(info.get("primaryPurpose"))
    if purpose:
        _sub(_sub(block, "purposes"), "purpose", purpose.replace("_", " ").capitalize())
    _opt(block, "overallStartDate", _text(get(protocol, "statusModule", "startDateStruct", "date")))
    _opt(block, "overallEndDate", end_date(record))


def _participants(trial: etree._Element, record: dict[str, Any]) -> None:
    protocol = record.get("protocolSection") or {}
    eligibility = protocol.get("eligibilityModule") or {}
    block = _sub(trial, "participants")
    countries = trds.countries(record)
    if countries:
        countries_block = _sub(block, "recruitmentCountries")
        for country in countries:
            _sub(countries_block, "country", country)
    locations = [
        loc for loc in items(protocol, "contactsLocationsModule", "locations") if isinstance(loc, dict)
    ]
    if locations:
        centres = _sub(block, "trialCentres")
        for location in locations:
            centre = _sub(centres, "trialCentre")
            _sub(centre, "name", _text(location.get("facility")))
            _opt(centre, "city", _text(location.get("city")))
            _opt(centre, "country", _text(location.get("country")))
    _opt(block, "inclusion", _text(eligibility.get("eligibilityCriteria")))
    _opt(block, "lowerAgeLimit", _text(eligibility.get("minimumAge")))
    _opt(block, "upperAgeLimit", _text(eligibility.get("maximumAge")))
    _opt(block, "gender", SEX.get(_text(eligibility.get("sex"))))
    count = get(protocol, "designModule", "enrollmentInfo", "count")
    if isinstance(count, int):
        actual = get(protocol, "designModule", "enrollmentInfo", "type") == "ACTUAL"
        _sub(block, "totalFinalEnrolment" if actual else "targetEnrolment", count)
    first = get(protocol, "statusModule", "firstParticipantEnrolledDateStruct", "date") or get(
        protocol, "statusModule", "startDateStruct", "date"
    )
    _opt(block, "recruitmentStart", _text(first))


def _conditions_and_interventions(trial: etree._Element, record: dict[str, Any]) -> None:
    protocol = record.get("protocolSection") or {}
    conditions = [c for c in items(protocol, "conditionsModule", "conditions") if _text(c)]
    if conditions:
        block = _sub(trial, "conditions")
        for condition in conditions:
            _sub(_sub(block, "condition"), "description", condition)
    interventions = [
        i for i in items(protocol, "armsInterventionsModule", "interventions") if isinstance(i, dict)
    ]
    if interventions:
        phases = [PHASE[p] for p in items(protocol, "designModule", "phases") if p in PHASE]
        block = _sub(trial, "interventions")
        for intervention in interventions:
            element = _sub(block, "intervention")
            name = _text(intervention.get("name"))
            description = _text(intervention.get("description"))
            _sub(element, "description", f"{name}: {description}" if description else name)
            _opt(element, "interventionType", INTERVENTION_TYPE.get(_text(intervention.get("type"))))
            _opt(element, "phase", "/".join(phases))
            if intervention.get("type") in ("DRUG", "BIOLOGICAL"):
                _sub(element, "drugNames", name)


def plain_english_report(record: dict[str, Any]) -> str:
    """The English lay summary of the results (title and overall results), for ISRCTN's plain English
    results field."""
    for summary in items(record, "laySummaries"):
        if isinstance(summary, dict) and _text(summary.get("language")).lower().startswith("en"):
            parts = [_text(summary.get("title")), _text(get(summary, "sections", "overallResults"))]
            return "\n\n".join(p for p in parts if p)
    return ""


def _results(trial: etree._Element, record: dict[str, Any], stage: Stage) -> None:
    protocol = record.get("protocolSection") or {}
    ipd = protocol.get("ipdSharingStatementModule") or {}
    block = _sub(trial, "results")
    _opt(block, "ipdSharingStatement", _text(ipd.get("description")) or _text(ipd.get("ipdSharing")))
    if stage is Stage.RESULTS:
        _sub(block, "publicationStage", "Results")
        _opt(
            block,
            "basicReport",
            _text(get(record, "resultsSection", "moreInfoModule", "limitationsAndCaveats", "description")),
        )
        _opt(block, "plainEnglishReport", plain_english_report(record))


def _contacts(full: etree._Element, record: dict[str, Any]) -> None:
    values = trds.build_items(record)
    for kind, contact in (("Public", values[7]), ("Scientific", values[8])):
        if not contact:
            continue
        element = _sub(full, "contact")
        _sub(element, "contactType", kind)
        _sub(element, "name", contact.get("name"))
        _opt(element, "address", contact.get("address"))
        _opt(element, "telephone", contact.get("phone"))
        _opt(element, "email", contact.get("email"))
        _opt(element, "affiliation", contact.get("affiliation"))


def _sponsor_and_funders(full: etree._Element, record: dict[str, Any]) -> None:
    lead = get(record, "protocolSection", "sponsorCollaboratorsModule", "leadSponsor") or {}
    if _text(lead.get("name")):
        sponsor = _sub(full, "sponsor")
        _sub(sponsor, "organisation", _text(lead.get("name")))
        sponsor_class = _text(lead.get("class"))
        if sponsor_class:
            _sub(sponsor, "commercialStatus", "Industry" if sponsor_class == "INDUSTRY" else "Non-commercial")
    for funder in items(record, "whoSection", "fundingSources"):
        if isinstance(funder, dict) and _text(funder.get("name")):
            _sub(_sub(full, "funder"), "name", _text(funder.get("name")))


def build_tree(record: dict[str, Any], stage: Stage) -> etree._Element:
    root = etree.Element(_Q + "allTrials", nsmap={None: NS})  # type: ignore[dict-item]
    full = _sub(root, "fullTrial")
    trial = _sub(full, "trial")
    updated = _text(get(record, "protocolSection", "statusModule", "lastUpdateSubmitDate"))
    if updated:
        trial.set("lastUpdated", updated)
    number = identifiers.isrctn_number(record)
    if number:
        _sub(trial, "isrctn", number.removeprefix("ISRCTN"))
    _description(trial, record)
    _external_refs(trial, record)
    _design(trial, record)
    _participants(trial, record)
    _conditions_and_interventions(trial, record)
    _results(trial, record, stage)
    _contacts(full, record)
    _sponsor_and_funders(full, record)
    return root


def serialize(root: etree._Element) -> bytes:
    body: bytes = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return XML_DECLARATION + body
