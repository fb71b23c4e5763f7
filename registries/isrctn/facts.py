"""The facts ISRCTN's XML tells ISRCTN, read back for cross-registry consistency. ISRCTN derives a trial's
status from its dates, so the payload has no status to compare."""

from __future__ import annotations

from typing import Any

from registries import identifiers
from registries.consistency import intervention
from registries.isrctn.trial_xml import NS
from registries.xmlsafe import parse_xml

SOURCES: dict[str, str] = {
    "start_date": "/protocolSection/statusModule/startDateStruct",
    "first_enrolment_date": "/protocolSection/statusModule/firstParticipantEnrolledDateStruct",
    "completion_date": "/ukSection/globalEndOfTrialDateStruct",
    "enrollment": "/protocolSection/designModule/enrollmentInfo/count",
    "interventions": "/protocolSection/armsInterventionsModule/interventions",
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


def _interventions(full: Any) -> tuple[str, ...]:
    """Each intervention's name and type. ISRCTN has no name field: the XML gives a drug's name in
    ``drugNames`` and otherwise writes "name: description", or the name alone when there is no description
    (registries.isrctn.trial_xml). A name may itself hold ": ", so such a text cannot be split with
    certainty, and a wrong split would be a false warning: then the payload states no interventions fact."""
    found: list[str] = []
    for element in full.iterfind("i:trial/i:interventions/i:intervention", _NS):
        kind = str(element.findtext("i:interventionType", "", _NS)).strip()
        name = str(element.findtext("i:drugNames", "", _NS)).strip()
        if not name:
            name = str(element.findtext("i:description", "", _NS)).strip()
            if ": " in name:
                return ()
        found.append(intervention(name, kind))
    return tuple(sorted(found))


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
        "interventions": _interventions(full),
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
