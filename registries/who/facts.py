"""The facts the ICTRP exchange XML tells WHO, read back for cross-registry consistency."""

from __future__ import annotations

import json
from typing import Any

from registries import identifiers
from registries.consistency import intervention, intervention_type
from registries.isrctn.trial_xml import INTERVENTION_TYPE
from registries.xmlsafe import parse_xml

SOURCES: dict[str, str] = {
    "status": "/protocolSection/statusModule/overallStatus",
    "first_enrolment_date": "/protocolSection/statusModule/firstParticipantEnrolledDateStruct",
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


def iso_date(value: str) -> str:
    """dd/mm/yyyy (or mm/yyyy, yyyy) -> ISO."""
    return "-".join(reversed(value.split("/")))


def _measure(text: str) -> str:
    # prim_outcome is "measure [time frame]" (registries.who.ictrp_xml).
    if text.endswith("]") and " [" in text:
        return text[: text.rindex(" [")]
    return text


def _measures(trial: Any, path: str) -> tuple[str, ...]:
    return tuple(sorted(_measure(str(e.text).strip()) for e in trial.iterfind(path) if e.text))


def _interventions(trial: Any) -> tuple[str, ...]:
    # i_keyword is "TYPE: name" with the API v2 type, or the name alone (registries.who.ictrp_xml).
    found = []
    for element in trial.iterfind("intervention_keyword/i_keyword"):
        text = str(element.text or "").strip()
        kind, _sep, name = text.partition(": ")
        if kind in INTERVENTION_TYPE and name:
            found.append(intervention(name, intervention_type(kind)))
        elif text:
            found.append(text)
    return tuple(sorted(found))


def files_facts(contents: list[bytes]) -> dict[str, Any]:
    """The facts of the XML, with the outcomes read from the TRDS JSON companion (``build_all``): the XML
    joins measure and time frame in one text ("measure [time frame]"), so a measure that itself ends in
    "]" and has no time frame could not be told apart there."""
    facts = payload_facts(contents[0])
    if len(contents) < 2:
        return facts
    items = {item["item"]: item["value"] for item in json.loads(contents[1])["items"]}
    for number, key in ((19, "primary_outcomes"), (20, "secondary_outcomes")):
        measures = tuple(sorted(str(o["measure"]).strip() for o in items.get(number) or []))
        facts.pop(key, None)
        if measures:
            facts[key] = measures
    return facts


def payload_facts(content: bytes) -> dict[str, Any]:
    root = parse_xml(content, max_bytes=None)
    trial = root.find("trial")
    if trial is None:
        return {}

    def first(path: str) -> str:
        element = trial.find(path)
        return str(element.text).strip() if element is not None and element.text else ""

    facts: dict[str, Any] = {
        "status": first("main/recruitment_status"),
        "first_enrolment_date": iso_date(first("main/date_enrolment"))
        if first("main/date_enrolment")
        else "",
        "interventions": _interventions(trial),
        "primary_outcomes": _measures(trial, "primary_outcome/prim_outcome"),
        "secondary_outcomes": _measures(trial, "secondary_outcome/sec_outcome"),
        "sponsor": first("main/primary_sponsor"),
    }
    if first("main/target_size").isdigit():
        facts["enrollment"] = int(first("main/target_size"))
    numbers = [first("main/trial_id"), first("main/utrn")] + [
        str(e.text).strip() for e in trial.iterfind("secondary_ids/secondary_id/sec_id") if e.text
    ]
    facts["id.nct"] = {n for n in numbers if identifiers.NCT_PATTERN.match(n)}
    facts["id.eu_ct"] = {n for n in numbers if identifiers.EU_CT_PATTERN.match(n)}
    facts["id.isrctn"] = {n for n in numbers if identifiers.ISRCTN_PATTERN.match(n)}
    utn_entries = {
        str(e.findtext("sec_id") or "").strip()
        for e in trial.iterfind("secondary_ids/secondary_id")
        if str(e.findtext("issuing_authority") or "").strip().casefold() in identifiers.UTN_DOMAINS
    }
    facts["id.utn"] = {n for n in [first("main/utrn"), *utn_entries] if n}
    return {key: value for key, value in facts.items() if value not in ("", (), None)}
