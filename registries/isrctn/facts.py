"""The facts ISRCTN's XML tells ISRCTN, read back for cross-registry consistency. ISRCTN derives a trial's
status from its dates, so the payload has no status to compare."""

from __future__ import annotations

from typing import Any

from registries import identifiers
from registries.isrctn.trial_xml import NS
from registries.xmlsafe import parse_xml

SOURCES: dict[str, str] = {
    "start_date": "/protocolSection/statusModule/startDateStruct",
    "first_enrolment_date": "/protocolSection/statusModule/firstParticipantEnrolledDateStruct",
    "completion_date": "/ukSection/globalEndOfTrialDateStruct",
    "enrollment": "/protocolSection/designModule/enrollmentInfo/count",
    "primary_outcomes": "/protocolSection/outcomesModule/primaryOutcomes",
    "secondary_outcomes": "/protocolSection/outcomesModule/secondaryOutcomes",
    "sponsor": "/protocolSection/sponsorCollaboratorsModule/leadSponsor/name",
    "id.nct": "/protocolSection/identificationModule/nctId",
    "id.eu_ct": "/euSection/euCtNumber",
    "id.isrctn": "/ukSection/isrctn",
    "id.utn": "/whoSection/utn",
}
_NS = {"i": NS}


def _variables(full: Any, block: str) -> tuple[str, ...]:
    path = f"i:trial/i:trialDescription/i:{block}/i:outcomeMeasure/i:variable"
    return tuple(sorted(str(e.text).strip() for e in full.iterfind(path, _NS) if e.text))


def payload_facts(content: bytes) -> dict[str, Any]:
    root = parse_xml(content, max_bytes=None)
    full = root.find("i:fullTrial", _NS)
    if full is None:
        return {}

    def first(path: str) -> str:
        element = full.find(path, _NS)
        return str(element.text).strip() if element is not None and element.text else ""

    facts: dict[str, Any] = {
        "start_date": first("i:trial/i:trialDesign/i:overallStartDate"),
        "first_enrolment_date": first("i:trial/i:participants/i:recruitmentStart"),
        "completion_date": first("i:trial/i:trialDesign/i:overallEndDate"),
        "primary_outcomes": _variables(full, "primaryOutcomes"),
        "secondary_outcomes": _variables(full, "secondaryOutcomes"),
        "sponsor": first("i:sponsor/i:organisation"),
    }
    enrolment = first("i:trial/i:participants/i:targetEnrolment") or first(
        "i:trial/i:participants/i:totalFinalEnrolment"
    )
    if enrolment.isdigit():
        facts["enrollment"] = int(enrolment)
    refs = "i:trial/i:externalRefs/"
    number = first("i:trial/i:isrctn")
    facts["id.isrctn"] = {f"ISRCTN{number}"} if number else set()
    facts["id.nct"] = {first(refs + "i:clinicalTrialsGovNumber")} - {""}
    facts["id.eu_ct"] = {first(refs + "i:eudraCTNumber")} - {""}
    secondary = [
        str(e.text).strip()
        for e in full.iterfind(refs + "i:secondaryNumbers/i:secondaryNumber", _NS)
        if e.text
    ]
    facts["id.utn"] = {
        s.partition(": ")[2] for s in secondary if s.partition(": ")[0].casefold() in identifiers.UTN_DOMAINS
    }
    return {key: value for key, value in facts.items() if value not in ("", (), None)}
