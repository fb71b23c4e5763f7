"""The 24 items of the WHO Trial Registration Data Set (TRDS) version 1.3.1, read from the record.

Item numbers and names: WHO ICTRP, "WHO Trial Registration Data Set (Version 1.3.1)"
(REFERENCE-registries.md section 5). Each item is read from the record field that holds it; ``POINTERS``
names that field, so a missing item is reported where the sponsor fixes it.
"""

from __future__ import annotations

from typing import Any

from registries import identifiers
from registries.ctgov._xmlbuild import get, items
from registries.enums import Stage

TRDS_VERSION = "1.3.1"

ITEM_NAMES: dict[int, str] = {
    1: "Primary registry and trial identifying number",
    2: "Date of registration in primary registry",
    3: "Secondary identifying numbers",
    4: "Source(s) of monetary or material support",
    5: "Primary sponsor",
    6: "Secondary sponsor(s)",
    7: "Contact for public queries",
    8: "Contact for scientific queries",
    9: "Public title",
    10: "Scientific title",
    11: "Countries of recruitment",
    12: "Health condition(s) or problem(s) studied",
    13: "Intervention(s)",
    14: "Key inclusion and exclusion criteria",
    15: "Study type",
    16: "Date of first enrollment",
    17: "Sample size",
    18: "Recruitment status",
    19: "Primary outcome(s)",
    20: "Key secondary outcomes",
    21: "Ethics review",
    22: "Completion date",
    23: "Summary results",
    24: "IPD sharing statement",
}

# The record field each item is read from first (the finding's pointer when the item is missing).
POINTERS: dict[int, str] = {
    1: "/protocolSection/identificationModule/nctId",
    2: "/whoSection/dateOfRegistration",
    3: "/protocolSection/identificationModule/secondaryIdInfos",
    4: "/whoSection/fundingSources",
    5: "/protocolSection/sponsorCollaboratorsModule/leadSponsor/name",
    6: "/whoSection/secondarySponsors",
    7: "/whoSection/publicContact",
    8: "/whoSection/scientificContact",
    9: "/protocolSection/identificationModule/briefTitle",
    10: "/protocolSection/identificationModule/officialTitle",
    11: "/protocolSection/contactsLocationsModule/locations",
    12: "/protocolSection/conditionsModule/conditions",
    13: "/protocolSection/armsInterventionsModule/interventions",
    14: "/protocolSection/eligibilityModule/eligibilityCriteria",
    15: "/protocolSection/designModule/studyType",
    16: "/protocolSection/statusModule/startDateStruct",
    17: "/protocolSection/designModule/enrollmentInfo/count",
    18: "/protocolSection/statusModule/overallStatus",
    19: "/protocolSection/outcomesModule/primaryOutcomes",
    20: "/protocolSection/outcomesModule/secondaryOutcomes",
    21: "/protocolSection/oversightModule/ethicsApprovals",
    22: "/protocolSection/statusModule/completionDateStruct",
    23: "/resultsSection",
    24: "/protocolSection/ipdSharingStatementModule/ipdSharing",
}

# ClinicalTrials.gov overall status -> TRDS recruitment status (TRDS item 18 lists Pending, Recruiting,
# Suspended, Complete and Other; the ICTRP DTD comment lists the same five).
RECRUITMENT_STATUS: dict[str, str] = {
    "NOT_YET_RECRUITING": "Pending",
    "RECRUITING": "Recruiting",
    "ENROLLING_BY_INVITATION": "Recruiting",
    "ACTIVE_NOT_RECRUITING": "Other",
    "SUSPENDED": "Suspended",
    "TERMINATED": "Complete",
    "COMPLETED": "Complete",
    "WITHDRAWN": "Other",
}
ENDED_STATUSES = frozenset({"COMPLETED", "TERMINATED"})


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _names(entries: list[Any]) -> list[str]:
    return [_text(e.get("name")) for e in entries if isinstance(e, dict) and _text(e.get("name"))]


def primary_registry(record: dict[str, Any]) -> tuple[str, str]:
    """(registry name, trial ID) of the primary registry: ClinicalTrials.gov when the trial has an NCT
    number, else ISRCTN, else CTIS; ("", "") when it has none yet."""
    for name, number in (
        ("ClinicalTrials.gov", identifiers.nct_number(record)),
        ("ISRCTN", identifiers.isrctn_number(record)),
        ("EU CTIS", identifiers.eu_ct_number(record)),
    ):
        if number:
            return name, number
    return "", ""


def _secondary_ids(record: dict[str, Any], primary_id: str) -> list[dict[str, str]]:
    """Every identifier but the primary one, as issuer + number (TRDS item 3), the UTN first."""
    found: list[dict[str, str]] = []
    seen = {primary_id}

    def add(issuer: str, number: str) -> None:
        if number and number not in seen:
            seen.add(number)
            found.append({"issuer": issuer, "id": number})

    add("WHO Universal Trial Number", identifiers.utn(record))
    add("ClinicalTrials.gov", identifiers.nct_number(record))
    add("ISRCTN", identifiers.isrctn_number(record))
    add("EU CTIS", identifiers.eu_ct_number(record))
    sponsor = _text(get(record, "protocolSection", "sponsorCollaboratorsModule", "leadSponsor", "name"))
    add(
        sponsor or "Sponsor",
        _text(get(record, "protocolSection", "identificationModule", "orgStudyIdInfo", "id")),
    )
    for _index, entry in identifiers.secondary_ids(record):
        add(_text(entry.get("domain")) or _text(entry.get("type")), _text(entry.get("id")))
    return found


def _contact(section: Any, fallback: Any) -> dict[str, str]:
    source = section if isinstance(section, dict) and _text(section.get("name")) else fallback
    if not isinstance(source, dict):
        return {}
    keys = ("name", "affiliation", "email", "phone", "address")
    return {key: _text(source.get(key)) for key in keys if _text(source.get(key))}


def _date(struct: Any) -> dict[str, str]:
    date = _text(get(struct, "date"))
    if not date:
        return {}
    return {"date": date, "type": _text(get(struct, "type")) or "ANTICIPATED"}


def _outcomes(entries: list[Any]) -> list[dict[str, str]]:
    return [
        {"measure": _text(o.get("measure")), "timeFrame": _text(o.get("timeFrame"))}
        for o in entries
        if isinstance(o, dict) and _text(o.get("measure"))
    ]


def countries(record: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for location in items(record, "protocolSection", "contactsLocationsModule", "locations"):
        country = _text(get(location, "country"))
        if country and country not in found:
            found.append(country)
    return found


def build_items(record: dict[str, Any]) -> dict[int, Any]:
    """Every TRDS item the record holds, keyed by item number; an item the record lacks maps to None."""
    protocol = record.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    sponsors = protocol.get("sponsorCollaboratorsModule") or {}
    design = protocol.get("designModule") or {}
    who = record.get("whoSection") or {}
    contacts = protocol.get("contactsLocationsModule") or {}
    registry, trial_id = primary_registry(record)
    overall = _text(status.get("overallStatus"))
    interventions = [
        {
            "type": _text(i.get("type")),
            "name": _text(i.get("name")),
            "description": _text(i.get("description")),
        }
        for i in items(protocol, "armsInterventionsModule", "interventions")
        if isinstance(i, dict) and _text(i.get("name"))
    ]
    eligibility = protocol.get("eligibilityModule") or {}
    count = get(design, "enrollmentInfo", "count")
    ethics = [
        {
            key: _text(a.get(key))
            for key in ("committeeName", "country", "status", "approvalDate")
            if _text(a.get(key))
        }
        for a in items(protocol, "oversightModule", "ethicsApprovals")
        if isinstance(a, dict)
    ]
    results = record.get("resultsSection") or {}
    ipd = protocol.get("ipdSharingStatementModule") or {}
    values: dict[int, Any] = {
        1: {"registry": registry, "trialId": trial_id} if trial_id else None,
        2: _text(who.get("dateOfRegistration")) or None,
        3: _secondary_ids(record, trial_id) or None,
        4: _names(items(who, "fundingSources")) or None,
        5: _text(get(sponsors, "leadSponsor", "name")) or None,
        6: _names(items(who, "secondarySponsors")) or _names(items(sponsors, "collaborators")) or None,
        7: _contact(who.get("publicContact"), get(contacts, "centralContacts", 0)) or None,
        8: _contact(who.get("scientificContact"), get(contacts, "overallOfficials", 0)) or None,
        9: _text(ident.get("briefTitle")) or None,
        10: _text(ident.get("officialTitle")) or None,
        11: countries(record) or None,
        12: [c for c in items(protocol, "conditionsModule", "conditions") if _text(c)] or None,
        13: interventions or None,
        14: {
            "criteria": _text(eligibility.get("eligibilityCriteria")),
            "sex": _text(eligibility.get("sex")),
            "minimumAge": _text(eligibility.get("minimumAge")),
            "maximumAge": _text(eligibility.get("maximumAge")),
        }
        if _text(eligibility.get("eligibilityCriteria"))
        else None,
        15: _text(design.get("studyType")) or None,
        # ClinicalTrials.gov's start date is the date the first participant was enrolled (PRS definition),
        # so it stands in when the record has no separate first-enrolment date.
        16: _date(status.get("firstParticipantEnrolledDateStruct"))
        or _date(status.get("startDateStruct"))
        or None,
        17: {"count": count, "type": _text(get(design, "enrollmentInfo", "type"))}
        if isinstance(count, int)
        else None,
        18: RECRUITMENT_STATUS.get(overall),
        19: _outcomes(items(protocol, "outcomesModule", "primaryOutcomes")) or None,
        20: _outcomes(items(protocol, "outcomesModule", "secondaryOutcomes")) or None,
        21: [e for e in ethics if e] or None,
        22: _date(status.get("completionDateStruct")) or None,
        23: {
            "resultsFirstSubmitDate": _text(status.get("resultsFirstSubmitDate")),
            "modules": sorted(key for key, value in results.items() if value),
        }
        if results
        else None,
        24: {"ipdSharing": _text(ipd.get("ipdSharing")), "description": _text(ipd.get("description"))}
        if _text(ipd.get("ipdSharing"))
        else None,
    }
    return values


def required_items(record: dict[str, Any], stage: Stage) -> list[int]:
    """The items TRDS requires of the record at this stage.

    Items 3-21 and 24 are required at registration; 1 and 2 once a registry has issued them. The
    completion date (22) is required once the trial has ended or its results are reported, and the summary
    results (23) at the results stage: TRDS 1.3.1 added them as items a registry records when they exist.
    """
    required = [n for n in ITEM_NAMES if n not in (22, 23)]
    overall = _text(get(record, "protocolSection", "statusModule", "overallStatus"))
    if stage is Stage.RESULTS or overall in ENDED_STATUSES:
        required.append(22)
    if stage is Stage.RESULTS:
        required.append(23)
    # Items 1 and 2 are the primary registry's number and its date of registration: the registration
    # filing is what obtains them, so they are demanded only once the trial is past registration.
    if stage is Stage.REGISTRATION:
        required.remove(1)
        required.remove(2)
    return sorted(required)


def trds_document(record: dict[str, Any]) -> dict[str, Any]:
    """The TRDS as JSON: all 24 items in order, each with its number, name and value (null if absent)."""
    values = build_items(record)
    return {
        "trdsVersion": TRDS_VERSION,
        "items": [{"item": n, "name": ITEM_NAMES[n], "value": values[n]} for n in ITEM_NAMES],
    }
